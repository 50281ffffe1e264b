"""A JOBDIR is resumed only from a clean pause; anything else starts the crawl over.

Scrapy persists a job as three things written at different times: `requests.seen` (each
request's fingerprint, appended as it is scheduled), the disk queue (its index is written
only at a clean close) and nothing about the items (our archive commits in batches). After
a SIGKILL, an OOM kill or a power cut the seen-list holds requests whose responses were
never archived and whose children were never queued, so a resumed crawl filters them out
as duplicates and ends at once with articles missing. A finished job has the same flaw:
everything is "seen", so the next run with the same JOBDIR fetches nothing, not even an
updated article.

So the job's state is trusted only when this extension wrote `herald-job.json` at a clean
close that left nothing unarchived (Ctrl-C, a CLOSESPIDER_* limit). In every other case the
saved state is removed and the crawl starts from robots.txt again; the archive, which
commits atomically, decides what is fetched: articles archived with the sitemap's
`<lastmod>` are not fetched again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

from crawler.outcome import CrawlOutcome

logger = logging.getLogger(__name__)

MARKER = "herald-job.json"
# What Scrapy keeps in a JOBDIR: the seen-list, the disk queue, SpiderState's pickle.
SAVED_STATE = ("requests.seen", "requests.queue", "spider.state")


def saved_state(path: Path) -> list[Path]:
    """The Scrapy job files present in the JOBDIR at `path`."""
    return [path / name for name in SAVED_STATE if (path / name).exists()]


def forget_job(path: Path) -> None:
    """Remove a job's saved state (and its marker), so the next crawl starts over."""
    for item in [*saved_state(path), path / MARKER]:
        if item.is_dir():
            shutil.rmtree(item)
        else:
            item.unlink(missing_ok=True)


def mark_paused(path: Path, reason: str) -> None:
    """Record that the job in `path` was closed cleanly and can be resumed."""
    temporary = path / f"{MARKER}.tmp"
    temporary.write_text(json.dumps({"paused": True, "reason": reason}) + "\n", "utf-8")
    os.replace(temporary, path / MARKER)


def prepare_job(path: Path) -> bool:
    """Before a crawl: keep a cleanly paused job (True), or clear an untrusted one (False).

    The marker is removed either way, so a crawl killed from now on is noticed next time.
    """
    paused = (path / MARKER).exists()
    leftovers = saved_state(path)
    if paused:
        logger.info("JOBDIR %s holds a paused crawl: resuming it", path)
        (path / MARKER).unlink()
        return True
    if leftovers:
        logger.warning(
            "JOBDIR %s was not closed cleanly (the crawl was killed): its saved queue and "
            "seen-list cannot be trusted, so the crawl starts over from robots.txt; "
            "articles already archived and unchanged are not fetched again",
            path,
        )
        forget_job(path)
    return False


class JobDirGuard:
    """Extension: trust a JOBDIR only after a clean pause; clear a finished job."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        # Runs before the scheduler and the dupefilter read the JOBDIR (they open with the engine).
        prepare_job(path)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobDirGuard:
        path = job_dir(crawler.settings)
        if not path:
            raise NotConfigured  # no JOBDIR: nothing to guard
        return cls(crawler, Path(path))

    def spider_closed(self, reason: str) -> None:
        # Connected after Scrapy's SpiderState (higher order), so it runs after the scheduler
        # saved its queue and SpiderState its pickle.
        assert self.crawler.stats is not None
        outcome = CrawlOutcome(self.crawler.stats.get_stats())
        if reason == "finished":
            forget_job(self.path)  # nothing left to resume: the next run is a new crawl
        elif outcome.unarchived:
            logger.warning(
                "JOBDIR %s is not kept: %d fetched articles were not archived, "
                "so the next crawl starts over",
                self.path,
                outcome.unarchived,
            )
            forget_job(self.path)
        else:
            mark_paused(self.path, reason)
            logger.info("crawl paused: run the same command with JOBDIR=%s to resume", self.path)
