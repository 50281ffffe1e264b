"""One politeness budget per site for every crawl process sharing a frontier.

Scrapy's DOWNLOAD_DELAY, AutoThrottle and CONCURRENT_REQUESTS_PER_DOMAIN act within one
process: N processes would hit a site N times as hard. With a shared frontier, every
request to a site also reserves the next free start time on a timeline kept in Redis
(one key per host; the spacing is HERALD_SITE_DELAY seconds, by default DOWNLOAD_DELAY):

    next = max(now, herald:budget:<host>);  herald:budget:<host> = next + delay;  wait next - now

The reservation is one Lua script on Redis's clock, so processes on different hosts agree;
the wait happens in the download handler, just before the request goes on the wire (after
Scrapy's own per-process delays and concurrency limits, which still apply on top). All
processes together therefore start at most one request per `delay` seconds per site.
"""

from __future__ import annotations

import asyncio

import redis
from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings

from crawler.frontier.store import PREFIX

_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.6f', start + delay), 'PX',
           math.floor((start + delay - now) * 1000) + 60000)
return string.format('%.6f', start - now)
"""


class SiteBudget:
    """The shared start-time timeline of each site (see the module docstring)."""

    def __init__(self, server: redis.Redis, delay: float) -> None:
        self.delay = delay
        self._reserve = server.register_script(_RESERVE)

    def reserve(self, host: str) -> float:
        """Reserve the next start time for a request to `host`; seconds until it."""
        if self.delay <= 0:
            return 0.0
        return float(self._reserve(keys=[f"{PREFIX}:budget:{host}"], args=[self.delay]))


class PoliteDownloadHandler(HTTP11DownloadHandler):
    """DOWNLOAD_HANDLERS for http and https with a shared frontier: Scrapy's HTTP/1.1
    handler, started no earlier than the site's shared budget allows."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        delay = settings.getfloat("HERALD_SITE_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
        self.budget = SiteBudget(get_redis_from_settings(settings), delay)

    async def download_request(self, request: Request) -> Response:
        wait = self.budget.reserve(urlparse_cached(request).netloc)
        if wait > 0:
            await asyncio.sleep(wait)
        return await super().download_request(request)
