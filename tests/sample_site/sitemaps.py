"""robots.txt and the sitemap XML of the sample site, in the shapes Arc XP serves them.

Some entries use the real origin (https://www.nzherald.co.nz), as the real site's
sitemaps do, so the spider has to map them onto the origin it was pointed at. The server
sends the `/sitemap2/` days as gzip files.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from xml.sax.saxutils import escape

from tests.sample_site.site import REAL_ORIGIN, Site, path_of

INDEX_PATH = "/arc/outboundfeeds/sitemap-index/"
NEWS_PATH = "/arc/outboundfeeds/sitemap-news/"
VIDEO_PATH = "/arc/outboundfeeds/sitemap-video/"
QUERY = "?outputType=xml&_website=nzh"
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def daily_path(variant: int, day: date) -> str:
    """`/arc/outboundfeeds/sitemap/2024-02-01/` (variant 1) or `/sitemap2/…` (variant 2)."""
    suffix = "" if variant == 1 else str(variant)
    return f"/arc/outboundfeeds/sitemap{suffix}/{day.isoformat()}/"


def robots_txt(site: Site, origin: str) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in site.disallowed]
    lines += ["", f"Sitemap: {origin}{INDEX_PATH}{QUERY}", f"Sitemap: {origin}{NEWS_PATH}{QUERY}"]
    return "\n".join(lines) + "\n"


def daily_entries(site: Site, origin: str) -> dict[tuple[int, date], list[tuple[str, str]]]:
    """(variant, day) → [(loc, lastmod)] for every daily sitemap the site has."""
    out: dict[tuple[int, date], list[tuple[str, str]]] = defaultdict(list)
    with site.lock:
        for page in site.pages.values():
            url = page.article["url"]
            loc = url if page.listed_on_real_origin else origin + path_of(url)
            out[(page.sitemap, page.day)].append((loc, page.lastmod))
        for day, url in site.extra_listed:
            out[(1, day)].append((url, ""))
    return out


def sitemap_index(site: Site, origin: str) -> str:
    entries = []
    for n, (variant, day) in enumerate(sorted(daily_entries(site, origin))):
        host = REAL_ORIGIN if n % 2 else origin
        entries.append(f"{host}{daily_path(variant, day)}{QUERY}")
    entries.append(f"{origin}{VIDEO_PATH}{QUERY}")
    body = "".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in entries)
    return f"{_XML}<sitemapindex {_NS}>\n{body}</sitemapindex>\n"


def urlset(entries: list[tuple[str, str]], *, news: bool = False) -> str:
    rows = []
    for loc, lastmod in entries:
        extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        if news:
            extra += "<news:news><news:publication><news:name>NZ Herald</news:name>"
            extra += "<news:language>en</news:language></news:publication></news:news>"
        rows.append(f"<url><loc>{escape(loc)}</loc>{extra}</url>\n")
    namespaces = f"{_NS} {_NEWS_NS}" if news else _NS
    return f"{_XML}<urlset {namespaces}>\n{''.join(rows)}</urlset>\n"


def daily_sitemap(site: Site, origin: str, variant: int, day: date) -> str | None:
    entries = daily_entries(site, origin).get((variant, day))
    return urlset(entries) if entries else None


def news_sitemap(site: Site, origin: str) -> str:
    with site.lock:
        entries = [(p.article["url"], p.lastmod) for p in site.news_pages()]
        entries += [(url, "") for url in site.news_extra]
    return urlset(entries, news=True)
