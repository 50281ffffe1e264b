"""Did-you-mean people trust: transpositions are one edit, the archive's spelling (macrons)
in the user's capitalisation, fielded words corrected in their field, no suggestion for
wildcards or well-answered queries; and the measured shares on bench/misspellings.tsv."""

from __future__ import annotations

import pytest

from bench.spelling import build, load_misspellings, measure
from index.model import SearchRequest


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    searcher = build(tmp_path_factory.mktemp("spelling"), 600)
    yield searcher
    searcher.close()


def suggestion(searcher, q: str) -> str | None:
    return searcher.search(SearchRequest(q=q, page_size=1)).suggestion


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Whangarie", "Whangārei"),  # one transposition; the archive writes the macron
        ("Aukland", "Auckland"),
        ("aukland", "auckland"),  # the user's capitalisation is kept
        ("AUKLAND", "AUCKLAND"),
        ("Tuapo", "Taupō"),
        ("hosptial", "hospital"),
        ("author:Hipkns", "author:Hipkins"),  # corrected among bylines
        ("tag:Rotorau", "tag:Rotorua"),
        ("title:goverment", "title:government"),
        ("Aukland -rugby", "Auckland -rugby"),  # only the misspelt word changes
    ],
)
def test_corrections(searcher, typed: str, expected: str) -> None:
    assert suggestion(searcher, typed) == expected


@pytest.mark.parametrize(
    "q",
    [
        "Whang*",  # wildcards are never "corrected"
        "Aukl*",
        "government",  # spelt right
        "Whangarei",  # spelt right without the macron
        "government OR goverment",  # plenty of results already
    ],
)
def test_no_suggestion(searcher, q: str) -> None:
    assert suggestion(searcher, q) is None


def test_misspelling_list_is_corrected_without_false_suggestions(searcher) -> None:
    assert len(load_misspellings()) >= 100
    result = measure(searcher)
    assert result.corrected_share >= 0.95, result.missed
    assert result.false_share <= 0.02, result.false
