"""URL heuristics for the herald spider: which links are articles, sitemaps, and which origin.

Small pure functions (no Scrapy imports) so each rule is table-tested on its own
(tests/test_urls.py). The spider decides what to fetch by calling these.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_ARC_ID_RE = re.compile(r"^[A-Z0-9]{26}$")
_DAILY_SITEMAP_RE = re.compile(r"/sitemap\d*/(\d{4}-\d{2}-\d{2})/")
_LEGACY_PATH_RE = re.compile(r"/article\.cfm$", re.IGNORECASE)

# Path segments that mark pages which are never articles even when an id follows them.
_NOT_ARTICLE_SEGMENTS = frozenset(
    {
        "people",
        "author",
        "authors",
        "video",
        "videos",
        "gallery",
        "galleries",
        "photo-gallery",
        "photos",
        "search",
        "topic",
        "topics",
        "tag",
        "tags",
        "arc",
    }
)

# Query parameters that only track where a reader came from; the page is the same without.
_TRACKING_PARAMS = frozenset(
    {"ref", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "cid", "src"}
)

# The real site is reachable with and without "www."; both map onto the configured origin.
_REAL_HOSTS = frozenset({"www.nzherald.co.nz", "nzherald.co.nz"})


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def arc_id_from_url(url: str) -> str | None:
    """The 26-character Arc id that ends an article URL's path, or None."""
    segments = _segments(url)
    if segments and _ARC_ID_RE.match(segments[-1]):
        return segments[-1]
    return None


def is_article_url(url: str) -> bool:
    """True for `/{section}/…/{slug}/{ARC_ID}/`; False for fronts, people, video, tags, search…"""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    segments = _segments(url)
    if len(segments) < 3 or arc_id_from_url(url) is None:
        return False
    return not any(s.lower() in _NOT_ARTICLE_SEGMENTS for s in segments[:-1])


def is_legacy_article_url(url: str) -> bool:
    """True for the pre-Arc `/nz/news/article.cfm?c_id=1&objectid=NNN` links (they redirect)."""
    parts = urlsplit(url)
    if not _LEGACY_PATH_RE.search(parts.path):
        return False
    return any(k.lower() == "objectid" and v.isdigit() for k, v in parse_qsl(parts.query))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith("utm_")


def strip_tracking(url: str) -> str:
    """The URL without tracking query parameters (`?ref=rss`, `utm_*`, …) and fragment."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not _is_tracking(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def to_base(url: str, base_url: str) -> str | None:
    """Map a URL the site published on its real origin onto the configured origin.

    URLs already on the configured origin are returned unchanged; URLs on any other host
    (ads, partner sites) give None: the spider never leaves the configured site.
    """
    parts = urlsplit(url)
    base = urlsplit(base_url.rstrip("/"))
    if parts.netloc.lower() == base.netloc.lower() and parts.scheme in ("http", "https"):
        return url
    if parts.netloc.lower() in _REAL_HOSTS and parts.scheme in ("http", "https"):
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))
    return None


def daily_sitemap_date(url: str) -> date | None:
    """The day a daily sitemap covers (`/sitemap/2024-02-01/`, `/sitemap2/…`), or None."""
    match = _DAILY_SITEMAP_RE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def is_news_sitemap(url: str) -> bool:
    """True for the Google-News sitemap (`/arc/outboundfeeds/sitemap-news/…`)."""
    return "/sitemap-news" in urlsplit(url).path


def is_sitemap_index(url: str) -> bool:
    """True for the sitemap index (`/arc/outboundfeeds/sitemap-index/…`)."""
    return "/sitemap-index" in urlsplit(url).path


def is_video_sitemap(url: str) -> bool:
    """True for sitemaps of video pages, which hold no articles."""
    return "video" in urlsplit(url).path.lower()
