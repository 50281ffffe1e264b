"""The SQLite FTS5 baseline answers the benchmark's queries as our search does."""

from __future__ import annotations

import sqlite3

import pytest

from bench.fts5 import answer, build, match_expression
from bench.queries import query_mix
from crawler.archive import Archive
from index.model import SearchRequest
from tests.index_support import article

ARTICLES = [
    article("FTSA", title="Flooding in Whangārei", body="Police said the road was shut."),
    article(
        "FTSB",
        title="Rugby final",
        body="The prime minister watched the rugby.",
        section="Sport",
        published="2021-03-01T01:00:00Z",
    ),  # fmt: skip
    article(
        "FTSC",
        title="Council vote",
        body="Minister prime, not the prime minister.",
        published="2019-12-31T12:30:00Z",
    ),  # 2020 in New Zealand  # fmt: skip
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    data = tmp_path_factory.mktemp("fts5")
    with Archive(data / "archive.sqlite3") as archive:
        archive.upsert_many(ARTICLES)
    figures = build(data / "archive.sqlite3", data / "fts5.sqlite3")
    assert figures["articles"] == 3
    assert figures["index_bytes"] > 0
    connection = sqlite3.connect(data / "fts5.sqlite3")
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("q", "expression"),
    [
        ("police", '"police"'),
        ('"prime minister" rugby', '"prime minister" "rugby"'),
        ("Taupō OR rugby", '"Taupō" OR "rugby"'),
        ("rugby -council", '("rugby") NOT "council"'),
        ("", None),
    ],
)
def test_our_query_syntax_becomes_fts5_match(q: str, expression: str | None) -> None:
    assert match_expression(q) == expression


def ids(result: dict) -> set[str]:
    return {hit[0].rstrip("0") for hit in result["hits"]}


def test_whole_answer_has_hits_total_facets_and_snippets(db) -> None:
    result = answer(db, SearchRequest(q="Whangarei"))  # macrons fold as ours do
    assert ids(result) == {"FTSA"}
    assert result["total"] == 1
    assert "<mark>" not in result["hits"][0][2]  # the word is in the title, not the body
    result = answer(db, SearchRequest(q='"prime minister"'))
    assert ids(result) == {"FTSB", "FTSC"}
    assert result["total"] == 2
    assert all("<mark>prime minister</mark>" in hit[2] for hit in result["hits"])
    assert result["facets"]["section"] == {"Sport": 1, "New Zealand": 1}
    assert result["facets"]["year"] == {2021: 1, 2020: 1}  # New Zealand years


def test_filters_sorts_and_browsing(db) -> None:
    assert ids(answer(db, SearchRequest(q="minister", section="Sport"))) == {"FTSB"}
    assert ids(answer(db, SearchRequest(q="minister", year=2020))) == {"FTSC"}
    assert ids(answer(db, SearchRequest(q="minister -rugby"))) == {"FTSC"}
    newest = answer(db, SearchRequest(q="", sort="newest"))
    assert newest["total"] == 3
    assert newest["hits"][0][0].startswith("FTSB")


def test_every_benchmark_query_is_answered(db) -> None:
    for req in query_mix(44):
        result = answer(db, req)
        assert result["total"] == sum(result["facets"]["section"].values())
