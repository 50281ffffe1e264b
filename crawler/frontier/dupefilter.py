"""The shared duplicate filter: scrapy-redis's, on our Arc-id fingerprints.

scrapy-redis fingerprints by canonical URL; an article published under several URLs
(tracking strings, legacy links, the real and the local origin) must be one request, so
the fingerprints are the crawler's REQUEST_FINGERPRINTER_CLASS (crawler.fingerprint).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.frontier.store import Keys


class ArcDupeFilter(RFPDupeFilter):
    """DUPEFILTER_CLASS with a shared frontier: one Redis set of fingerprints per crawl."""

    def __init__(self, server: Any, key: str, fingerprinter: Any, debug: bool = False) -> None:
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_spider(cls, spider: Spider) -> ArcDupeFilter:
        settings = spider.crawler.settings
        server = get_redis_from_settings(settings)
        debug = settings.getbool("DUPEFILTER_DEBUG")
        return cls(server, Keys().seen, spider.crawler.request_fingerprinter, debug)

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()
