"""Snippets honour the premium rule: for premium articles they quote only what the article
page shows (standfirst and opening paragraphs), in the page, the API and the Atom feed;
a match only in the hidden rest says "matches in the full article" instead."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from bench.synth import generate_articles
from crawler.preview import visible_paragraphs
from tests.web_support import make_article, make_corpus
from web import close_searcher, create_app

HIDDEN_ID = "H1DDEN00000000000000000001"
VISIBLE = [
    "The harbourvisible plan was announced on Monday.",
    "Residents spoke at the meeting.",
    "The council will vote next week.",
]
HIDDEN = [
    "Paragraph four is for subscribers.",
    "Only subscribers read that the zephyrhidden deal was signed.",
    "Paragraph six closes the story.",
]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    premium = make_article(
        HIDDEN_ID,
        title="Council harbour plan",
        standfirst="What the council decided.",
        body="\n\n".join(VISIBLE + HIDDEN),
        premium=True,
    )
    return make_corpus(
        tmp_path_factory.mktemp("premium"), [*generate_articles(120, seed=21), premium]
    )


@pytest.fixture(scope="module")
def client(corpus):
    app = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True})
    yield app.test_client()
    close_searcher(app)


@pytest.fixture(scope="module")
def licensed(corpus):
    app = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True, "SHOW_PREMIUM_TEXT": True})
    yield app.test_client()
    close_searcher(app)


def hit_of(client, q: str) -> dict:
    data = client.get("/api/search", query_string={"q": q}).get_json()
    return next(h for h in data["hits"] if h["id"] == HIDDEN_ID)


def test_a_match_in_the_hidden_part_is_not_quoted(client):
    hit = hit_of(client, "zephyrhidden")
    assert hit["note"] == "matches in the full article"
    assert "zephyrhidden" not in hit["snippet"].lower()
    assert "subscribers" not in hit["snippet"]
    page = client.get("/?q=zephyrhidden").get_data(as_text=True)
    assert "Matches in the full article" in page
    assert "zephyrhidden deal" not in page.lower()
    feed = ET.fromstring(client.get("/search.atom?q=zephyrhidden").data)
    summary = feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert "matches in the full article" in summary
    assert "zephyrhidden" not in summary.lower()


def test_a_match_in_the_visible_part_is_quoted(client):
    hit = hit_of(client, "harbourvisible")
    assert "<mark>harbourvisible</mark>" in hit["snippet"]
    assert hit["note"] is None


def test_a_licensed_deployment_quotes_the_whole_text(licensed):
    hit = hit_of(licensed, "zephyrhidden")
    assert "<mark>zephyrhidden</mark>" in hit["snippet"]
    assert hit["note"] is None


def _fragments(snippet: str) -> list[str]:
    text = html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))
    return [f.strip(" …") for f in text.split(" … ") if f.strip(" …")]


@pytest.mark.parametrize("q", ["police", "government council", "rugby OR court", "said"])
def test_every_premium_snippet_is_cut_from_the_visible_text(client, corpus, q):
    data = client.get("/api/search", query_string={"q": q, "page_size": 100}).get_json()
    premium = [h for h in data["hits"] if h["premium"]]
    assert premium
    for hit in premium:
        article = corpus.articles[hit["id"]]
        shown, _ = visible_paragraphs(article, show_premium_text=False)
        visible = " ".join(" ".join([article["standfirst"], *shown]).split())
        for fragment in _fragments(hit["snippet"]):
            assert re.sub(r"\s+", " ", fragment) in visible, (hit["id"], fragment)
