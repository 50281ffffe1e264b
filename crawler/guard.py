"""Stop a crawl that cannot archive what it fetches.

`archive_problem` is checked before the crawl starts (a read-only archive or data
directory, an unreachable PostgreSQL: nothing is fetched). `ArchiveGuard` (an extension)
watches the item pipelines during the crawl: the first storage error (disk full, file size
limit, read-only, locked) closes the spider with reason "archive_failed", because every
page fetched after it would be lost too. Both leave the reason where `crawler.outcome` finds it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from crawler.archive import ArchiveError, open_archive
from crawler.config import Config, from_settings
from crawler.outcome import ARCHIVE_ERROR, ITEM_ERRORS

logger = logging.getLogger(__name__)

# The archive reports its storage failures as ArchiveError; raw ones are caught too.
STORAGE_ERRORS = (ArchiveError, sqlite3.Error, OSError)


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def archive_problem(config: Config) -> str | None:
    """Why the configured archive cannot be written, or None when it can: for PostgreSQL,
    whether it can be opened for writing (which creates its tables in an empty database)."""
    if config.archive_url is None:
        return archive_write_problem(config.archive_path)
    try:
        open_archive(config.archive_url).close()
    except ArchiveError as exc:
        return str(exc)
    return None


def archive_write_problem(archive: Path) -> str | None:
    """Why the archive at `archive` cannot be written, or None when it can.

    Creates nothing: a missing archive only needs a writable directory to be created in.
    """
    if not archive.exists():
        parent = _nearest_existing(archive.parent)
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"cannot create the archive {archive}: {parent} is not writable"
        return None
    if not os.access(archive, os.W_OK):
        return f"the archive {archive} is read-only"
    if not os.access(archive.parent, os.W_OK | os.X_OK):
        return f"the archive {archive} cannot be written: {archive.parent} is read-only"
    uri = f"{archive.resolve().as_uri()}?mode=rw"
    try:
        db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=1)
        try:
            db.execute("BEGIN IMMEDIATE")  # takes the write lock, writes nothing
            db.execute("ROLLBACK")
        finally:
            db.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            return None  # another writer right now: the crawl's commits wait their turn
        return f"cannot write the archive {archive}: {exc}"
    return None


class ArchiveGuard:
    """Counts items the pipelines failed on; closes the spider on the first storage error."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.archive = from_settings(settings).archive_name
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveGuard:
        return cls(crawler)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(ITEM_ERRORS)
        if not failure.check(*STORAGE_ERRORS):
            return  # a bug in a pipeline: counted (the item is lost), the crawl goes on
        stop_on_archive_failure(self.crawler, failure.getErrorMessage(), self.archive)


def stop_on_archive_failure(crawler: Crawler, message: str, archive: Path | str) -> None:
    """Record the first storage failure of `archive` and close the spider (once)."""
    stats = crawler.stats
    assert stats is not None
    if stats.get_value(ARCHIVE_ERROR) is not None:
        return  # already stopping: every later failure is the same one
    named = str(archive) in message
    stats.set_value(ARCHIVE_ERROR, message if named else f"{message} ({archive})")
    logger.error("stopping the crawl: the archive failed: %s", message)
    if crawler.engine is not None and crawler.engine.running:
        deferred_from_coro(crawler.engine.close_spider_async(reason="archive_failed"))
