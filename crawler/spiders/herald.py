"""The `herald` spider: robots.txt → sitemaps → article pages → candidate article records.

    scrapy crawl herald                                    # everything the sitemaps list
    scrapy crawl herald -a since=2024-02-01 -a until=2024-02-29   # daily sitemaps in range
    scrapy crawl herald -a latest=1                        # the news sitemap only

It decides what to fetch and nothing else: extraction is `crawler.extract`, validation
and storage are the pipelines. Sitemaps outside the date range are never fetched, and
neither are articles whose sitemap `<lastmod>` is not newer than the archived `updated`.
Every callback is a spider method with plain-data arguments, so JOBDIR can persist requests.
A fetch that fails after its retries is counted by kind (`herald/failed/<kind>`) for the
crawl's verdict (crawler.outcome); an article that is gone (404/410) is not a failure.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, UsageError
from scrapy.http import Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.archive import ArchiveLocation, ArchiveMissing, ArchiveStore, open_archive
from crawler.config import from_settings
from crawler.extract import NotAnArticle, extract_article
from crawler.record import parse_utc, to_utc_iso
from crawler.urls import (
    arc_id_from_url,
    daily_sitemap_date,
    is_article_url,
    is_legacy_article_url,
    is_news_sitemap,
    is_video_sitemap,
    strip_tracking,
    to_base,
)

logger = logging.getLogger(__name__)

SITEMAP_INDEX_PATH = "/arc/outboundfeeds/sitemap-index/?outputType=xml&_website=nzh"
NEWS_SITEMAP_PATH = "/arc/outboundfeeds/sitemap-news/?outputType=xml&_website=nzh"
_REDIRECTS = [301, 302, 303, 307, 308]
_GONE = (404, 410)
# What each callback fetches, for counting failed fetches by kind.
_KINDS = {
    "parse_robots": "robots",
    "parse_sitemap": "sitemap",
    "parse_article": "article",
    "parse_legacy": "article",
}


def parse_day(name: str, value: str | None) -> date | None:
    """A `-a since/until` value as a date; UsageError with the expected format otherwise."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"-a {name}={value!r} is not a date: use YYYY-MM-DD") from None


def is_newer(lastmod: str | None, archived: str | None) -> bool:
    """Should an article be fetched, given its sitemap <lastmod> and the archived `updated`?"""
    if archived is None:
        return True
    if not lastmod:
        # Without a lastmod there is no sign of change; the archived copy stands.
        return False
    try:
        return parse_utc(lastmod) > parse_utc(archived)
    except ValueError:
        return True


class HeraldSpider(scrapy.Spider):
    name = "herald"

    def __init__(
        self,
        since: str | None = None,
        until: str | None = None,
        latest: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.since = parse_day("since", since)
        self.until = parse_day("until", until)
        if self.since and self.until and self.since > self.until:
            raise UsageError(f"-a since={since} is after -a until={until}")
        self.latest = str(latest or "").lower() in {"1", "true", "yes"}
        if self.latest and (self.since or self.until):
            raise UsageError("-a latest=1 reads the news sitemap; it takes no since/until")
        self.base_url = ""
        self.archive: ArchiveLocation = Path()
        self._archive: ArchiveStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> HeraldSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        config = from_settings(settings)
        spider.base_url = config.base_url.rstrip("/")
        spider.archive = config.archive
        return spider

    @property
    def ranged(self) -> bool:
        return self.since is not None or self.until is not None

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"herald/{key}")

    # -- discovery -----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        # robots.txt names the sitemaps; a missing one falls back to the known locations.
        yield scrapy.Request(
            f"{self.base_url}/robots.txt",
            callback=self.parse_robots,
            errback=self.fetch_failed,
            meta={"handle_httpstatus_list": list(_GONE)},
        )

    def parse_robots(self, response: Response | None) -> Iterator[scrapy.Request]:
        """The sitemaps robots.txt names; the known locations when it names none or fails."""
        urls = []
        if response is not None and response.status == 200:
            urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not urls:
            urls = [self.base_url + SITEMAP_INDEX_PATH, self.base_url + NEWS_SITEMAP_PATH]
        if self.latest and not any(is_news_sitemap(url) for url in urls):
            urls.append(self.base_url + NEWS_SITEMAP_PATH)
        for url in urls:
            yield from self._sitemap_requests(url)

    def _sitemap_requests(self, loc: str) -> Iterator[scrapy.Request]:
        url = to_base(loc, self.base_url)
        if url is None or not self._wanted_sitemap(url):
            self._count("sitemaps/skipped")
            return
        yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.fetch_failed)

    def _wanted_sitemap(self, url: str) -> bool:
        """Which sitemaps this run reads: by mode, and by day for the daily ones."""
        if is_video_sitemap(url):
            return False
        if self.latest:
            return is_news_sitemap(url)
        if is_news_sitemap(url):
            return not self.ranged
        day = daily_sitemap_date(url)
        if day is None:
            return True  # an index, or a sitemap without a day: it may hold anything
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = self._sitemap_body(response)
        if body is None:
            logger.warning("ignoring %s: not a sitemap", response.url)
            self._count("sitemaps/invalid")
            return
        sitemap = Sitemap(body)
        self._count("sitemaps/read")
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                yield from self._sitemap_requests(entry["loc"])
        elif sitemap.type == "urlset":
            for entry in sitemap:
                yield from self._article_requests(entry["loc"], entry.get("lastmod"))
        else:
            logger.warning("ignoring %s: unknown sitemap type %r", response.url, sitemap.type)
            self._count("sitemaps/invalid")

    def _sitemap_body(self, response: Response) -> bytes | None:
        if isinstance(response, XmlResponse):
            return response.body
        if gzip_magic_number(response):
            try:
                # Bounded like any download, so a gzip bomb cannot exhaust memory.
                limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
                return gunzip(response.body, max_size=limit)
            except ValueError:  # too large once decompressed
                return None
        if response.body.lstrip().startswith(b"<?xml"):
            return response.body
        return None

    # -- articles ------------------------------------------------------------------------

    def _article_requests(self, loc: str, lastmod: str | None) -> Iterator[scrapy.Request]:
        url = to_base(loc, self.base_url)
        if url is None:
            self._count("urls/offsite")
            return
        if is_legacy_article_url(url):
            # Follow the redirect here, so the target is checked like any sitemap entry.
            yield scrapy.Request(
                url,
                callback=self.parse_legacy,
                errback=self.fetch_failed,
                meta={"dont_redirect": True, "handle_httpstatus_list": _REDIRECTS},
                cb_kwargs={"lastmod": lastmod},
            )
            return
        url = strip_tracking(url)
        if not is_article_url(url):
            self._count("urls/not_article")
            return
        if not is_newer(lastmod, self._archived_updated(arc_id_from_url(url) or "")):
            self._count("urls/unchanged")
            return
        yield scrapy.Request(url, callback=self.parse_article, errback=self.fetch_failed)

    def _archived_updated(self, arc_id: str) -> str | None:
        if self._archive is None:
            if isinstance(self.archive, Path) and not self.archive.exists():
                return None
            try:
                self._archive = open_archive(self.archive, readonly=True)
            except ArchiveMissing:  # nothing archived yet
                return None
        return self._archive.updated_of(arc_id)

    def parse_legacy(self, response: Response, lastmod: str | None) -> Iterator[Any]:
        location = response.headers.get("Location")
        if response.status in _REDIRECTS and location:
            target = response.urljoin(location.decode("latin-1"))
            yield from self._article_requests(target, lastmod)
        elif response.status == 200:
            yield from self.parse_article(response)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        try:
            record = extract_article(response.url, response.body)
        except NotAnArticle as exc:
            logger.info("not an article: %s (%s)", response.url, exc)
            self._count("not_article")
            return
        self._count("pages/article")
        # Provenance: when this version was fetched (the response has just arrived).
        record["fetched"] = to_utc_iso(datetime.now(UTC))
        yield record

    # -- failures ------------------------------------------------------------------------

    def fetch_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A fetch failed after its retries (HTTP error or download error): count and log it."""
        request = failure.request  # type: ignore[attr-defined]
        kind = _KINDS.get(getattr(request.callback, "__name__", ""), "other")
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self._count("urls/ignored")  # not fetched on purpose (robots.txt disallows it)
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            self._count(f"errors/http/{status}")
            problem, gone = f"HTTP {status}", status in _GONE
        else:
            self._count(f"errors/download/{type(failure.value).__name__}")
            problem, gone = failure.getErrorMessage() or type(failure.value).__name__, False
        if gone:
            logger.info("gone (%s): %s", problem, request.url)
        else:
            self._count(f"failed/{kind}")
            stats = self.crawler.stats
            assert stats is not None
            stats.set_value(f"herald/failed_example/{kind}", f"{request.url}: {problem}")
            logger.warning("could not fetch %s %s: %s", kind, request.url, problem)
        if kind == "robots":
            yield from self.parse_robots(None)  # the sitemaps' known locations

    def closed(self, reason: str) -> None:
        if self._archive is not None:
            self._archive.close()
