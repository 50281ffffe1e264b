"""Shared setup for the web tests: a real small archive + real index, and an HTML link reader.

The corpus is built once per test session (about 150 synthetic articles plus a few hand-made
ones whose content the tests know), whichever web test module asks for it first.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jsonschema

from bench.synth import generate_articles
from crawler.archive import Archive
from crawler.config import REAL_ORIGIN, Config
from crawler.record import Article, validate
from index.maintain.build import rebuild

SYNTH_COUNT = 150
HOSTILE_ID = "HOST1LE0000000000000000001"
PREMIUM_ID = "PREM1UM0000000000000000001"
FREE_ID = "FREE000000000000000000001A"
KIWI_ID = "K1W10000000000000000000001"
HOSTILE_TITLE = '<script>alert("pwned")</script> Zebracorn & “friends” <b>bold</b>'
PREMIUM_PARAGRAPHS = [f"Quokkaparagraph number {n} of the paywalled story." for n in range(1, 7)]
FREE_PARAGRAPHS = [f"Wombatparagraph number {n} of the free story." for n in range(1, 7)]


def make_article(article_id: str, **fields: object) -> Article:
    record: dict[str, object] = {
        "id": article_id,
        "url": f"https://www.nzherald.co.nz/nz/story/{article_id}/",
        "title": "A story",
        "standfirst": "",
        "body": "Text.",
        "authors": ["Aroha Tester"],
        "source": "NZ Herald",
        "section": "NZ",
        "subsection": None,
        "tags": [],
        "published": "2022-10-10T23:30:00Z",
        "updated": "2022-10-10T23:30:00Z",
        "premium": False,
    }
    record.update(fields)
    return validate(record)


def hand_made_articles() -> list[Article]:
    """Articles whose text the tests rely on; everything else is synthetic."""
    return [
        make_article(
            HOSTILE_ID,
            title=HOSTILE_TITLE,
            standfirst='Standfirst with <img src=x onerror="alert(1)"> inside.',
            body='Zebracorn body <script>alert(2)</script> and "quotes" & ampersands.',
            tags=['<i>tag</i>"quote'],
            section="Opinion",
        ),
        make_article(
            PREMIUM_ID,
            title="Quokka premium investigation",
            standfirst="The standfirst of the premium quokka story.",
            body="\n\n".join(PREMIUM_PARAGRAPHS),
            premium=True,
            section="Sport",
            subsection="Rugby",
            tags=["All Blacks", "Quokkas"],
            updated="2022-10-11T04:00:00Z",
        ),
        make_article(
            FREE_ID,
            title="Wombat free feature",
            standfirst="A free wombat story.",
            body="\n\n".join(FREE_PARAGRAPHS),
            section="Lifestyle",
        ),
        make_article(
            KIWI_ID,
            title="Whangārei kiwi crossing opens",
            body="The kiwi crossing near Whangārei opened on Tuesday.",
            authors=[],
            source="AP",
            section="NZ",
            subsection="Politics",
            published="2021-03-01T12:00:00Z",
            updated="2021-03-01T12:00:00Z",
        ),
    ]


@dataclass(frozen=True)
class Corpus:
    data_dir: Path
    articles: dict[str, Article]

    @property
    def config(self) -> Config:
        return Config(self.data_dir, REAL_ORIGIN)

    @property
    def archive_path(self) -> Path:
        return self.config.archive_path

    @property
    def index_dir(self) -> Path:
        return self.config.index_dir


def make_corpus(data_dir: Path, articles: list[Article]) -> Corpus:
    """Archive `articles` under `data_dir` and build the real index beside it."""
    corpus = Corpus(data_dir, {a["id"]: a for a in articles})
    with Archive(corpus.archive_path) as archive:
        archive.upsert_many(articles)
    rebuild(corpus.archive_path, corpus.index_dir, procs=1)
    return corpus


def standard_corpus(data_dir: Path) -> Corpus:
    """The web tests' corpus: synthetic articles plus the hand-made ones the tests rely on."""
    return make_corpus(data_dir, [*generate_articles(SYNTH_COUNT, seed=7), *hand_made_articles()])


@dataclass
class Link:
    href: str
    text: str
    attrs: dict[str, str]


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self._open: list[Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            values = {k: v or "" for k, v in attrs}
            link = Link(values.get("href", ""), "", values)
            self.links.append(link)
            self._open.append(link)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for link in self._open:
            link.text += data


def links(html: str) -> list[Link]:
    """Every <a> of a page, with its href (entities decoded), text and attributes."""
    parser = _LinkParser()
    parser.feed(html)
    for link in parser.links:
        link.text = " ".join(link.text.split())
    return parser.links


def links_with_class(html: str, css_class: str) -> list[Link]:
    return [link for link in links(html) if css_class in link.attrs.get("class", "").split()]


def check_schema(document: dict, schema_name: str, instance: object) -> None:
    """Validate `instance` against a schema of the OpenAPI document (refs resolved in it)."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)
