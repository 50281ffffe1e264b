"""Shared setup for the index tests: a small real archive (synthetic + hand-made records)."""

from __future__ import annotations

from pathlib import Path

from bench.synth import generate_articles
from crawler.archive import Archive
from crawler.record import Article, validate

SYNTH_COUNT = 400


def article(article_id: str, **fields: object) -> Article:
    """A valid record whose text the tests control; `article_id` is padded to 26 chars."""
    padded = (article_id.upper() + "0" * 26)[:26]
    record: dict[str, object] = {
        "id": padded,
        "url": f"https://www.nzherald.co.nz/nz/story/{padded}/",
        "title": "A plain headline",
        "standfirst": "",
        "body": "Plain text.",
        "authors": ["Test Writer"],
        "source": "NZ Herald",
        "section": "New Zealand",
        "subsection": None,
        "tags": [],
        "published": "2020-05-05T01:00:00Z",
        "premium": False,
    }
    record.update(fields)
    return validate(record)


def hand_made() -> list[Article]:
    return [
        article(
            "HMWHANGAREI",
            title="Flooding in Whangārei closes roads",
            body="Residents of Whangārei were told to stay home.\n\nThe rugby’s off too.",
            section="New Zealand",
            subsection="Crime",
        ),
        article(
            "HMPHRASE1",
            title="Zorblat quarterly review",
            body="The prime minister zorblat visited the quorvex harbour today.",
            published="2022-10-10T23:30:00Z",
        ),  # NZ day 2022-10-11
        article(
            "HMPHRASE2",
            title="Zorblat reversed",
            body="Minister prime zorblat order is reversed here, quorvex.",
            published="2022-10-10T10:59:00Z",
        ),  # NZ day 2022-10-10 (23:59 NZDT)
        article(
            "HMRUNNING",
            title="Zorblat running club",
            body="Zorblat runners keep running.",
            published="2022-10-10T11:00:00Z",  # NZ day 2022-10-11 (00:00 NZDT)
            authors=["Mere Quillfeather"],
            tags=["Quillsport"],
            section="Sport",
            subsection="Rugby",
            premium=True,
            source="AP",
        ),
        article(
            "HMELECT",
            title="Elections called early",
            body="An election was called. Voters “rejoice”, quorvex says.",
            published="2023-06-30T12:30:00Z",
        ),  # winter: NZST → 2023-07-01
        article(
            "HMTITLE",
            title="Quorvex harbour reopens",
            body="Boats return to the harbour.",
            published="2019-01-01T00:00:00Z",
        ),
        article(
            "HMHOSTILE",
            title="Zorblat <script>alert(1)</script> & friends",
            body="Zorblat <b>bold</b> & “quotes” <script>alert(2)</script>.",
            published="2018-02-02T02:00:00Z",
        ),
    ]


def fill_archive(path: Path, synth: int = SYNTH_COUNT, seed: int = 11) -> list[Article]:
    articles = [*generate_articles(synth, seed=seed), *hand_made()]
    with Archive(path) as archive:
        archive.upsert_many(articles)
    return articles
