"""A model of a small NZ-Herald-like site: articles (each with a page layout) plus the
awkward extras a crawler meets on the real one.

`standard_site(articles)` builds the site the crawl tests and the demo serve: the articles
in rotating layouts, the handwritten fixture pages, and one of each special case (a 404
listed in a sitemap, a 503 that succeeds on retry, a legacy redirect, a `?ref=rss`
duplicate, a robots-disallowed article, non-article pages). The server (server.py) and
the sitemaps (sitemaps.py) render whatever the model holds at request time, so a test can
change an article between crawls with `update_article`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from crawler.config import REAL_ORIGIN
from crawler.record import FIELDS, Article, InvalidRecord, validate
from crawler.urls import is_article_url
from tests.sample_site.render import (
    LAYOUTS,
    expected_record,
    render_article,
    render_non_article,
)

FIXTURE_PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
FIXTURE_DAY = "2023-06-01T00:00:00Z"  # sitemap day of fixture pages that carry no record
LEGACY_PATH = "/nz/news/article.cfm?c_id=1&objectid=12314559"
MISSING_ID = "ZZ404MISSINGARTICLE0000001"
BROKEN_ID = "ZZBR0KENPAGEWITHN0B0DY0001"
NON_ARTICLE_PAGES = {
    "/sport/": ("section", "Sport"),
    "/people/aroha-mcdonald/": ("people", "Aroha McDonald"),
    "/video/news/flood-waters-rise-in-the-north/VIDE0PAGE00000000000000001/": ("video", "Floods"),
    "/gallery/nz/photos-of-the-week/GA11ERYPAGE000000000000001/": ("gallery", "Photos"),
    "/topic/rugby-world-cup/": ("tag", "Rugby World Cup"),
}


def path_of(url: str) -> str:
    """The path of a URL (what the local server matches on)."""
    return urlsplit(url).path


@dataclass
class SitePage:
    """One article-shaped page: the record it shows and how it is served and listed."""

    article: Article
    layout: str = ""  # render layout; "" when `html` is a fixture page served verbatim
    html: str = ""
    expected: Article | None = None  # what the archive should hold (None: must be dropped)
    sitemap: int = 1  # 1 → /sitemap/DAY/, 2 → /sitemap2/DAY/
    listed_on_real_origin: bool = False

    @property
    def lastmod(self) -> str:
        """The sitemap <lastmod>: the modified time the page itself shows."""
        return (self.expected or self.article)["updated"]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.article["published"][:10])

    def render(self) -> str:
        return self.html or render_article(self.article, self.layout)


@dataclass
class Site:
    """The articles by path, plus the special cases; safe to read while a test edits it."""

    pages: dict[str, SitePage] = field(default_factory=dict)
    non_articles: dict[str, tuple[str, str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # path?query → absolute URL
    flaky: dict[str, int] = field(default_factory=dict)  # path → 503s still to answer
    disallowed: list[str] = field(default_factory=list)  # robots.txt Disallow paths
    extra_listed: list[tuple[date, str]] = field(default_factory=list)  # (day, URL) in sitemaps
    news_extra: list[str] = field(default_factory=list)  # extra URLs in the news sitemap
    news_size: int = 4
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, page: SitePage) -> SitePage:
        self.pages[path_of(page.article["url"])] = page
        return page

    def page_for(self, article_id: str) -> SitePage:
        return next(p for p in self.pages.values() if p.article["id"] == article_id)

    def update_article(self, article_id: str, *, body: str, updated: str) -> Article:
        """Change an article's body and `updated` (its sitemap lastmod follows)."""
        with self.lock:
            page = self.page_for(article_id)
            page.article = Article(**{**page.article, "body": body, "updated": updated})
            page.expected = expected_record(page.article, page.layout)
            return page.expected

    def expected_records(self) -> dict[str, Article]:
        """Every record a complete crawl must archive, by id."""
        out: dict[str, Article] = {}
        for path, page in self.pages.items():
            if page.expected is not None and path not in self.disallowed:
                out[page.expected["id"]] = page.expected
        return out

    def news_pages(self) -> list[SitePage]:
        """The newest articles: what the news sitemap lists."""
        rendered = [p for p in self.pages.values() if p.layout and p.expected]
        return sorted(rendered, key=lambda p: p.article["published"])[-self.news_size :]


def _fixture_pages() -> Iterable[tuple[str, str, dict]]:
    for html_path in sorted(FIXTURE_PAGES.glob("*.html")):
        json_path = html_path.with_suffix(".json")
        expected = json.loads(json_path.read_text("utf-8")) if json_path.exists() else {}
        yield html_path.stem, html_path.read_text("utf-8"), expected


def _fixture_page(name: str, html: str, expected: dict) -> SitePage:
    """A fixture page served at its record's URL; expected None when it must not be archived."""
    try:
        record: Article | None = validate(expected)
    except InvalidRecord:
        record = None
    if record is not None:
        return SitePage(article=record, html=html, expected=record)
    url = expected.get("url") if isinstance(expected, dict) else None
    if not url or not is_article_url(url):
        digest = base64.b32encode(hashlib.sha1(name.encode()).digest()).decode()[:26]
        url = f"{REAL_ORIGIN}/nz/{name}/{digest}/"
    # Only the URL and a day (for the sitemaps) matter for a page that is never archived.
    stub = {**dict.fromkeys(FIELDS, ""), "url": url, "published": FIXTURE_DAY, "updated": ""}
    return SitePage(article=Article(**stub), html=html, expected=None)


def standard_site(articles: Iterable[Article], *, fixtures: bool = True) -> Site:
    """The articles in rotating layouts, the fixture pages, and one of each special case."""
    site = Site()
    pages = []
    for n, article in enumerate(articles):
        layout = LAYOUTS[n % len(LAYOUTS)]
        pages.append(
            site.add(
                SitePage(
                    article=article,
                    layout=layout,
                    expected=expected_record(article, layout),
                    sitemap=2 if n % 4 == 3 else 1,
                    listed_on_real_origin=n % 3 == 0,
                )
            )
        )
    if fixtures:
        for name, html, expected in _fixture_pages():
            site.add(_fixture_page(name, html, expected))
    if len(pages) >= 6:
        _add_specials(site, pages)
    return site


def _add_specials(site: Site, pages: list[SitePage]) -> None:
    day = pages[0].day
    # A 503 on first asking: the retry must succeed and archive it.
    site.flaky[path_of(pages[1].article["url"])] = 1
    # A legacy link that redirects (on the real origin) to an article also listed canonically.
    site.redirects[LEGACY_PATH] = pages[2].article["url"]
    site.extra_listed.append((day, REAL_ORIGIN + LEGACY_PATH))
    # The same article again under a tracking query string, in a daily and the news sitemap.
    site.extra_listed.append((day, pages[3].article["url"] + "?ref=rss"))
    newest = site.news_pages()[-1].article["url"]
    site.news_extra.append(newest + "?ref=rss")
    # robots.txt disallows one article that the sitemaps still list.
    site.disallowed.append(path_of(pages[4].article["url"]))
    # A page that renders without any body text: extracted, then dropped by validation.
    broken = Article(
        **{
            **pages[5].article,
            "id": BROKEN_ID,
            "body": "",
            "url": f"{REAL_ORIGIN}/nz/a-page-with-no-body/{BROKEN_ID}/",
        }
    )
    site.add(SitePage(article=broken, layout=LAYOUTS[0], expected=None))
    # A listed article that is gone.
    site.extra_listed.append((day, f"{REAL_ORIGIN}/nz/a-story-that-was-taken-down/{MISSING_ID}/"))
    # Pages that are not articles, listed but never to be fetched.
    site.non_articles.update(NON_ARTICLE_PAGES)
    site.extra_listed.extend((day, REAL_ORIGIN + path) for path in NON_ARTICLE_PAGES)


def render_non_article_page(site: Site, path: str) -> str | None:
    """The HTML of a non-article page, or None when the path is not one."""
    found = site.non_articles.get(path)
    return render_non_article(*found) if found else None
