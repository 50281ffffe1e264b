"""Table tests for the spider's URL heuristics (crawler.urls)."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.urls import (
    arc_id_from_url,
    daily_sitemap_date,
    is_article_url,
    is_legacy_article_url,
    is_news_sitemap,
    is_sitemap_index,
    is_video_sitemap,
    strip_tracking,
    to_base,
)

REAL = "https://www.nzherald.co.nz"
ID = "HUX4EPPPNKJUBVOMZ5BZRC7Z44"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{REAL}/world/a-summit-of-sorts/{ID}/", True),
        (f"{REAL}/sport/rugby/all-blacks-name-squad/{ID}/", True),
        (f"{REAL}/sport/rugby/all-blacks-name-squad/{ID}", True),
        (f"http://127.0.0.1:8000/nz/politics/budget-day/{ID}/?ref=rss", True),
        (f"{REAL}/viva/fashion/what-to-wear/{ID}/", True),
        (f"{REAL}/sport/", False),
        (f"{REAL}/sport/rugby/", False),
        (f"{REAL}/people/gregor-paul/", False),
        (f"{REAL}/video/news/a-clip/{ID}/", False),
        (f"{REAL}/nz/gallery/photos-of-the-day/{ID}/", False),
        (f"{REAL}/search/?q=rugby", False),
        (f"{REAL}/topic/rugby-world-cup/", False),
        (f"{REAL}/tag/rugby/{ID}/", False),
        (f"{REAL}/{ID}/", False),
        (f"{REAL}/world/a-story/hux4epppnkjubvomz5bzrc7z44/", False),
        (f"{REAL}/world/a-story/HUX4EPPPNKJUBVOMZ5BZRC7Z4/", False),
        (f"{REAL}/nz/news/article.cfm?c_id=1&objectid=12314559", False),
        (f"mailto:someone@example.com/{ID}/", False),
    ],
)
def test_is_article_url(url: str, expected: bool) -> None:
    assert is_article_url(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{REAL}/world/a-story/{ID}/", ID),
        (f"{REAL}/world/a-story/{ID}/?ref=rss", ID),
        (f"{REAL}/world/a-story/{ID}", ID),
        (f"{REAL}/world/", None),
        (f"{REAL}/world/a-story/not-an-id/", None),
    ],
)
def test_arc_id_from_url(url: str, expected: str | None) -> None:
    assert arc_id_from_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{REAL}/nz/news/article.cfm?c_id=1&objectid=12314559", True),
        (f"{REAL}/business/news/article.cfm?c_id=3&objectid=10001", True),
        (f"{REAL}/nz/news/article.cfm?c_id=1", False),
        (f"{REAL}/nz/news/article.cfm?objectid=abc", False),
        (f"{REAL}/nz/a-story/{ID}/", False),
    ],
)
def test_is_legacy_article_url(url: str, expected: bool) -> None:
    assert is_legacy_article_url(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{REAL}/nz/a/{ID}/?ref=rss", f"{REAL}/nz/a/{ID}/"),
        (f"{REAL}/nz/a/{ID}/?utm_source=x&utm_medium=y#top", f"{REAL}/nz/a/{ID}/"),
        (f"{REAL}/nz/a/{ID}/?ref=rss&page=2", f"{REAL}/nz/a/{ID}/?page=2"),
        (
            f"{REAL}/arc/outboundfeeds/sitemap/2024-02-01/?outputType=xml&_website=nzh",
            f"{REAL}/arc/outboundfeeds/sitemap/2024-02-01/?outputType=xml&_website=nzh",
        ),
        (f"{REAL}/nz/a/{ID}/", f"{REAL}/nz/a/{ID}/"),
    ],
)
def test_strip_tracking(url: str, expected: str) -> None:
    assert strip_tracking(url) == expected


LOCAL = "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (f"{REAL}/nz/a/{ID}/", LOCAL, f"{LOCAL}/nz/a/{ID}/"),
        (f"https://nzherald.co.nz/nz/a/{ID}/?ref=rss", LOCAL, f"{LOCAL}/nz/a/{ID}/?ref=rss"),
        ("http://www.nzherald.co.nz/robots.txt", LOCAL + "/", f"{LOCAL}/robots.txt"),
        (f"{LOCAL}/nz/a/{ID}/", LOCAL, f"{LOCAL}/nz/a/{ID}/"),
        (f"{REAL}/nz/a/{ID}/", REAL, f"{REAL}/nz/a/{ID}/"),
        ("https://www.example.com/nz/a/", LOCAL, None),
        ("https://ads.nzherald.co.nz/x/", REAL, None),
        ("ftp://www.nzherald.co.nz/x/", LOCAL, None),
    ],
)
def test_to_base(url: str, base: str, expected: str | None) -> None:
    assert to_base(url, base) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"{REAL}/arc/outboundfeeds/sitemap/2024-02-01/?outputType=xml&_website=nzh",
            date(2024, 2, 1),
        ),
        (f"{REAL}/arc/outboundfeeds/sitemap2/1999-12-31/?outputType=xml", date(1999, 12, 31)),
        (f"{REAL}/arc/outboundfeeds/sitemap3/2026-01-05/", date(2026, 1, 5)),
        (f"{REAL}/arc/outboundfeeds/sitemap/2024-02-30/", None),
        (f"{REAL}/arc/outboundfeeds/sitemap-index/?outputType=xml&_website=nzh", None),
        (f"{REAL}/arc/outboundfeeds/sitemap-news/?outputType=xml&_website=nzh", None),
    ],
)
def test_daily_sitemap_date(url: str, expected: date | None) -> None:
    assert daily_sitemap_date(url) == expected


def test_sitemap_kinds() -> None:
    index = f"{REAL}/arc/outboundfeeds/sitemap-index/?outputType=xml&_website=nzh"
    news = f"{REAL}/arc/outboundfeeds/sitemap-news/?outputType=xml&_website=nzh"
    daily = f"{REAL}/arc/outboundfeeds/sitemap/2024-02-01/?outputType=xml&_website=nzh"
    video = f"{REAL}/arc/outboundfeeds/sitemap-video/2024-02-01/?outputType=xml"
    assert [is_sitemap_index(u) for u in (index, news, daily)] == [True, False, False]
    assert [is_news_sitemap(u) for u in (index, news, daily)] == [False, True, False]
    assert [is_video_sitemap(u) for u in (index, news, daily, video)] == [
        False,
        False,
        False,
        True,
    ]
