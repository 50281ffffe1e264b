"""Exports of a whole search (CSV, JSON Lines, RIS): every match, in the page's order,
record metadata only, safe in spreadsheets, streamed without holding the index lock."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest

from bench.synth import generate_articles
from index.model import SearchRequest
from tests.web_support import (
    PREMIUM_PARAGRAPHS,
    SYNTH_COUNT,
    hand_made_articles,
    make_article,
    make_corpus,
)
from web import close_searcher, create_app
from web.exports import EXPORT_FIELDS
from web.resources import get_searcher

FORMULA_ID = "F0RMULA0000000000000000001"


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The standard web corpus plus an article whose every text starts like a formula."""
    data = tmp_path_factory.mktemp("exports")
    formula = [
        make_article(
            FORMULA_ID,
            title='=HYPERLINK("http://evil.example","Click") zanzibarite',
            standfirst="+61 2 9999 9999, she said",
            body="-2+3 is not a formula here. Zanzibarite.",
            authors=["@Handle Person"],
            tags=["-Minus tag", "Plain"],
        ),
    ]
    articles = [*generate_articles(SYNTH_COUNT, seed=7), *hand_made_articles(), *formula]
    corpus = make_corpus(data, articles)
    app = create_app({"DATA_DIR": data, "TESTING": True})
    yield app, corpus
    close_searcher(app)


@pytest.fixture
def xclient(exports):
    return exports[0].test_client()


def all_pages(client, **args) -> list[str]:
    ids, page = [], 1
    while True:
        data = client.get("/api/search", query_string={**args, "page": page, "page_size": 100})
        hits = data.get_json()["hits"]
        ids += [h["id"] for h in hits]
        if len(hits) < 100:
            return ids
        page += 1


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize(
    "args",
    [{}, {"q": "government"}, {"q": "government", "sort": "oldest"}, {"section": "Sport"}],
)
def test_csv_holds_every_match_in_the_pages_order(xclient, args):
    response = xclient.get("/search.csv", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="herald-')
    rows = read_csv(response)
    assert list(rows[0]) == list(EXPORT_FIELDS)
    assert [row["id"] for row in rows] == all_pages(xclient, **args)
    assert len(rows) == xclient.get("/api/search", query_string=args).get_json()["total"]
    if not args:
        assert len(rows) > 100  # more than any page holds


def test_jsonl_holds_every_match_with_the_records_fields(xclient, exports):
    _, corpus = exports
    args = {"q": "government", "sort": "newest"}
    response = xclient.get("/search.jsonl", query_string=args)
    assert response.mimetype == "application/x-ndjson"
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [r["id"] for r in records] == all_pages(xclient, **args)
    for record in records:
        assert list(record) == list(EXPORT_FIELDS)
        archived = corpus.articles.get(record["id"])
        if archived is not None:
            assert record == {name: archived[name] for name in EXPORT_FIELDS}


def test_exports_never_carry_body_text(xclient):
    for path in ("/search.csv", "/search.jsonl", "/search.ris"):
        text = xclient.get(path, query_string={"q": "quokka"}).get_data(as_text=True)
        assert "Quokka premium investigation" in text
        assert not any(p in text for p in PREMIUM_PARAGRAPHS)


def test_csv_cells_cannot_become_spreadsheet_formulas(xclient):
    rows = read_csv(xclient.get("/search.csv", query_string={"q": "zanzibarite"}))
    (row,) = rows
    assert row["title"] == '\'=HYPERLINK("http://evil.example","Click") zanzibarite'
    assert row["standfirst"] == "'+61 2 9999 9999, she said"
    assert row["authors"] == "'@Handle Person"
    assert row["tags"] == "'-Minus tag; Plain"
    assert row["premium"] == "false"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@"))


def test_exports_take_the_pages_filters_and_reject_bad_ones(xclient, exports):
    _, corpus = exports
    tag = "All Blacks"
    rows = read_csv(xclient.get("/search.csv", query_string={"tag": tag}))
    assert {row["id"] for row in rows} == {
        a["id"] for a in corpus.articles.values() if tag in a["tags"]
    }
    for path in ("/search.csv", "/search.jsonl", "/search.ris", "/timeline.csv"):
        bad = xclient.get(path, query_string={"sort": "sideways"})
        assert bad.status_code == 400
        # what `curl -o results.csv` saves: one line saying why, not an HTML page
        assert bad.mimetype == "text/plain"
        assert bad.get_data(as_text=True).startswith("error: sort must be one of")


def test_ris_of_a_search_is_capped_with_a_note(xclient, monkeypatch):
    monkeypatch.setattr("web.exports.RIS_LIMIT", 5)
    monkeypatch.setattr("web.pages.RIS_LIMIT", 5)
    response = xclient.get("/search.ris", query_string={"q": "government"})
    assert response.mimetype == "application/x-research-info-systems"
    text = response.get_data(as_text=True)
    total = xclient.get("/api/search?q=government").get_json()["total"]
    assert f"Note: the first 5 of {total:,} matching articles" in text
    assert text.count("TY  - NEWS") == 5
    assert text.index("Note:") < text.index("TY  - ")
    page = xclient.get("/?q=government").get_data(as_text=True)
    assert "RIS (first 5)" in page
    assert "holds the first 5 articles" in page
    small = xclient.get("/search.ris", query_string={"q": "quokka"}).get_data(as_text=True)
    assert "Note:" not in small
    assert small.count("TY  - NEWS") == 1


def test_the_stream_does_not_hold_the_searchers_lock(exports, monkeypatch):
    app, _ = exports
    monkeypatch.setattr("web.exports.EXPORT_CHUNK", 10)
    client = app.test_client()
    response = client.get("/search.jsonl", buffered=False)
    stream = iter(response.response)
    first = next(stream)  # the export has started and is paused mid-way
    assert first
    answered: list[int] = []
    searcher = get_searcher(app)
    thread = threading.Thread(
        target=lambda: answered.append(searcher.search(SearchRequest(q="police")).total)
    )
    thread.start()
    thread.join(timeout=60)
    assert answered, "a search waited for the export to finish"
    rest = b"".join(stream)
    response.close()
    lines = (first + rest).decode().splitlines()
    assert len(lines) == app.test_client().get("/api/search").get_json()["total"]


def test_results_page_links_the_exports_and_the_feed(xclient):
    html = xclient.get("/?q=government&section=Sport").get_data(as_text=True)
    for path in ("/search.csv?", "/search.jsonl?", "/search.ris?", "/search.atom?"):
        assert f'href="{path}q=government&amp;section=Sport"' in html
    assert "Follow this search (Atom)" in html
    empty = xclient.get("/?q=zzqxjvkw").get_data(as_text=True)
    assert "Follow this search (Atom)" in empty  # a search with no results yet can be followed
    assert "/search.csv" not in empty
