"""Links the app cannot take on trust: forged Host headers and non-http(s) article URLs.

Hostile article URLs are written straight into a real archive (as a tool other than the
crawler could), then rendered by the real app: search hits, article page, related articles,
the Atom feed. No href may carry them.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import pytest

from bench.synth import generate_articles
from tests.web_support import links, make_article, make_corpus
from web import close_searcher, create_app
from web.links import source_href

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https:alert(1)",
    "//evil.example/x",
    "https://www.nzherald.co.nz/x\njavascript:alert(1)",
]
IDS = [f"EV1LURL{n:019d}" for n in range(len(HOSTILE_URLS))]
RELATED_BODY = "Quixotrax harbour barge quixotrax fleet."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nzherald.co.nz/nz/story/X/", "https://www.nzherald.co.nz/nz/story/X/"),
        ("  HTTP://example.org/a?b=c  ", "HTTP://example.org/a?b=c"),
        *[(url, None) for url in HOSTILE_URLS],
        ("", None),
        (None, None),
    ],
)
def test_only_absolute_http_urls_are_links(url, expected):
    assert source_href(url) == expected


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("hostile-urls")
    articles = [
        make_article(
            article_id, title=f"Quixotrax story {n}", body=RELATED_BODY, premium=bool(n % 2)
        )
        for n, article_id in enumerate(IDS)
    ]
    corpus = make_corpus(data_dir, [*generate_articles(30, seed=4), *articles])
    with sqlite3.connect(corpus.archive_path) as db:  # behind the archive's validation
        for article_id, url in zip(IDS, HOSTILE_URLS, strict=True):
            db.execute("UPDATE articles SET url = ? WHERE id = ?", (url, article_id))
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    yield app
    close_searcher(app)


def _no_hostile_href(hrefs: list[str]) -> None:
    for href in hrefs:
        cleaned = "".join(ch for ch in href if ch > " ").lower()
        assert not cleaned.startswith(("javascript:", "data:", "vbscript:", "https:alert", "//"))


def test_hostile_urls_never_become_links_on_any_page(hostile_app):
    client = hostile_app.test_client()
    page = client.get("/?q=quixotrax&page_size=50")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("Quixotrax story") == len(IDS)
    _no_hostile_href([link.href for link in links(html)])
    for article_id in IDS:
        article = client.get(f"/article/{article_id}")
        assert article.status_code == 200
        html = article.get_data(as_text=True)
        related = [link for link in links(html) if "Quixotrax story" in link.text]
        assert related  # the other hostile rows, as related articles
        _no_hostile_href([link.href for link in links(html)])
        assert "Read the original" not in html
        assert "Continue reading" not in html


def test_a_good_url_is_still_linked(client, corpus):
    free = next(a for a in corpus.articles.values() if not a["premium"])
    html = client.get(f"/article/{free['id']}").get_data(as_text=True)
    assert free["url"] in [link.href for link in links(html) if "original" in link.text]


def test_hostile_urls_never_become_feed_links(hostile_app):
    feed = ET.fromstring(hostile_app.test_client().get("/search.atom?q=quixotrax").data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(IDS)
    hrefs = [link.get("href") for e in entries for link in e.findall(f"{ATOM}link")]
    assert hrefs
    _no_hostile_href(hrefs)
    assert all(h.startswith("http://localhost/article/") for h in hrefs)


def _opensearch_urls(response) -> list[str]:
    doc = ET.fromstring(response.data)
    return [u.get("template") for u in doc.findall(f"{OPENSEARCH}Url")]


@pytest.mark.parametrize("path", ["/opensearch.xml", "/search.atom?q=government"])
def test_a_forged_host_is_never_reflected(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    body = response.get_data(as_text=True)
    assert "evil.example" not in body
    assert response.status_code == 400
    assert "HERALD_PUBLIC_URL" in body


def test_loopback_hosts_are_trusted_by_default(client):
    for host in ("localhost:5000", "127.0.0.1:8000", "[::1]:5000"):
        response = client.get("/opensearch.xml", headers={"Host": host})
        assert response.status_code == 200
        assert all(u.startswith(f"http://{host}/") for u in _opensearch_urls(response))


def test_absolute_urls_come_from_the_public_url(corpus):
    app = create_app(
        {"DATA_DIR": corpus.data_dir, "TESTING": True, "PUBLIC_URL": "https://herald.example.org/"}
    )
    client = app.test_client()
    try:
        opensearch = client.get("/opensearch.xml", headers={"Host": "evil.example"})
        assert opensearch.status_code == 200
        urls = _opensearch_urls(opensearch)
        assert urls[0].startswith("https://herald.example.org/?q={searchTerms}")
        assert all(u.startswith("https://herald.example.org/") for u in urls)
        feed = client.get("/search.atom?q=government", headers={"Host": "evil.example"})
        assert "evil.example" not in feed.get_data(as_text=True)
        entries = ET.fromstring(feed.data).findall(f"{ATOM}entry")
        assert entries
        assert entries[0].findtext(f"{ATOM}id").startswith("https://herald.example.org/article/")
    finally:
        close_searcher(app)


def test_flask_trusted_hosts_extend_the_allow_list(corpus):
    app = create_app(
        {"DATA_DIR": corpus.data_dir, "TESTING": True, "TRUSTED_HOSTS": [".herald.example.org"]}
    )
    client = app.test_client()
    try:
        ok = client.get("/opensearch.xml", headers={"Host": "www.herald.example.org"})
        assert ok.status_code == 200
        assert _opensearch_urls(ok)[0].startswith("http://www.herald.example.org/")
        assert client.get("/opensearch.xml", headers={"Host": "evil.example"}).status_code == 400
    finally:
        close_searcher(app)


def test_the_public_url_is_read_from_the_environment(monkeypatch, corpus):
    monkeypatch.setenv("HERALD_PUBLIC_URL", "https://search.example.net")
    app = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True})
    try:
        response = app.test_client().get("/opensearch.xml", headers={"Host": "evil.example"})
        assert _opensearch_urls(response)[0].startswith("https://search.example.net/")
    finally:
        close_searcher(app)
    monkeypatch.setenv("HERALD_PUBLIC_URL", "javascript:alert(1)")
    with pytest.raises(ValueError, match="HERALD_PUBLIC_URL"):
        create_app({"DATA_DIR": corpus.data_dir, "TESTING": True})
