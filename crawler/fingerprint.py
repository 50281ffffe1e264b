"""Request fingerprints keyed on the article's Arc id, so each article is fetched once.

The same article is published under several URLs (`?ref=rss`, other tracking strings,
redirected legacy links, the real and the local origin); all of them end in its Arc id.
Every other request keeps Scrapy's default fingerprint.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.utils.request import fingerprint

from crawler.urls import arc_id_from_url, is_article_url


class ArticleFingerprinter:
    """REQUEST_FINGERPRINTER_CLASS: article requests fingerprint on their Arc id."""

    def fingerprint(self, request: Request) -> bytes:
        if is_article_url(request.url):
            arc_id = arc_id_from_url(request.url)
            if arc_id:
                return hashlib.sha1(f"herald-article:{arc_id}".encode()).digest()
        return fingerprint(request)
