"""The extractor on a real saved NZ Herald page (read from ../shared, never copied).

Skips when the shared folder is absent. Asserts properties only, so no text of the page
appears here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract import NotAnArticle, extract_article
from crawler.record import ARC_ID_RE, FIELDS, parse_utc, validate

REAL_PAGES = Path(__file__).resolve().parents[2] / "shared" / "real-pages"
PAGES = sorted(REAL_PAGES.glob("*.html")) if REAL_PAGES.is_dir() else []
NOISE = ("Advertisement", "Share this article", "Subscribe to listen", "Photo /", "Discover more")
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

pytestmark = pytest.mark.skipif(not PAGES, reason="../shared/real-pages is not available")


def _page(path: Path) -> tuple[str, str]:
    html = path.read_text(encoding="utf-8")
    canonical = Selector(text=html).css("link[rel=canonical]::attr(href)").get()
    return canonical, html


def _without_ans(html: str) -> str:
    # Hide the Fusion object so the JSON-LD, meta and DOM fallbacks have to do the work.
    return html.replace("Fusion.globalContent=", "Fusion.hiddenContent=", 1)


@pytest.fixture(params=PAGES, ids=[p.name for p in PAGES])
def real_page(request: pytest.FixtureRequest) -> tuple[str, str]:
    return _page(request.param)


@pytest.mark.parametrize("hide_ans", [False, True], ids=["ans", "fallbacks"])
def test_real_page_properties(real_page: tuple[str, str], hide_ans: bool) -> None:
    url, html = real_page
    page = _without_ans(html) if hide_ans else html
    record = validate(extract_article(url + "?ref=rss", page))
    assert ARC_ID_RE.match(record["id"])
    assert record["url"].rstrip("/").rsplit("/", 1)[-1] == record["id"]
    heading = Selector(text=html).xpath("//h1")[0]
    assert record["title"] == " ".join("".join(heading.xpath(".//text()").getall()).split())
    assert record["section"] == "Sport"
    assert record["premium"] is True
    assert ISO_UTC.match(record["published"])
    assert ISO_UTC.match(record["updated"])
    assert parse_utc(record["updated"]) >= parse_utc(record["published"])
    assert record["authors"]
    assert all(name.strip() for name in record["authors"])
    paragraphs = record["body"].split("\n\n")
    assert len(paragraphs) >= 15
    assert all(p.strip() == p and p for p in paragraphs)
    for noise in NOISE:
        assert noise not in record["body"]
    assert record["standfirst"]
    assert record["standfirst"] not in record["body"]


def test_real_page_sources_agree(real_page: tuple[str, str]) -> None:
    """The ANS and the fallbacks (JSON-LD, meta, DOM) describe the same article."""
    url, html = real_page
    assert extract_article(url, html) == extract_article(url, _without_ans(html))


def test_real_page_truncated_never_crashes(real_page: tuple[str, str]) -> None:
    url, html = real_page
    for cut in range(0, len(html), max(1, len(html) // 40)):
        try:
            record = extract_article(url, html[:cut])
        except NotAnArticle:
            continue
        assert tuple(record) == FIELDS
