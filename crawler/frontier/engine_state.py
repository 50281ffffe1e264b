"""The one reach into Scrapy's private engine state, fenced here.

A shared frontier may forget a request only when the engine is completely done with it:
downloaded, its callback's output all processed (child requests queued, items through the
pipelines). Scrapy tracks exactly that set (a request leaves it after its scrape finished)
but has no public way to read it or a signal when a request leaves it.
Tested with Scrapy 2.19 (pyproject pins the range); the frontier tests (a killed process
loses nothing) fail if a release moves it.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler


def requests_in_progress(crawler: Crawler) -> set[Request]:
    """The requests the engine has taken and not yet finished with."""
    slot = getattr(crawler.engine, "_slot", None)
    if slot is None:
        return set()
    return slot.inprogress
