"""Item pipelines: validate each candidate record, then upsert it into the archive in batches.

Invalid records are dropped with their reason (logged, and counted in the crawl stats as
`herald/dropped/<reason>`); they never reach the archive. The archive commits every
HERALD_ARCHIVE_BATCH items and at close, so a killed crawl keeps every committed batch
and the next crawl fetches the rest (they are not archived, so they count as changed).

Crawled items follow the archive's rule, newer wins (crawler.archive.rules): an item
replaces the archived copy only when its `updated` is newer (or, with the same `updated`,
its content differs: "revised", logged); an older one is kept out ("older, kept
archived"). Each outcome is counted as `herald/archive/<outcome>`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.archive import ArchiveError, ArchiveLocation, ArchiveStore, Outcome, open_archive
from crawler.config import from_settings, redacted
from crawler.guard import stop_on_archive_failure
from crawler.record import Article, InvalidRecord, validate
from crawler.signals import archive_committed

logger = logging.getLogger(__name__)


def reason_kind(reason: str) -> str:
    """A short stats key for a validation failure: "missing body" → "missing_body"."""
    head = reason.split(":", 1)[0].strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", head).strip("_")[:40] or "invalid"


def _stats(crawler: Crawler) -> StatsCollector:
    assert crawler.stats is not None
    return crawler.stats


class ValidatePipeline:
    """Normalise each item to the article contract, or drop it with the reason."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(_stats(crawler))

    def process_item(self, item: Any) -> Article:
        try:
            return validate(dict(item))
        except InvalidRecord as exc:
            url = item.get("url") if isinstance(item, dict) else None
            logger.warning("dropped %s: %s", url or "an item without url", exc)
            self.stats.inc_value("herald/dropped")
            self.stats.inc_value(f"herald/dropped/{reason_kind(str(exc))}")
            raise DropItem(f"invalid record: {exc}") from exc


class ArchivePipeline:
    """Upsert validated articles into the archive at HERALD_DATA_DIR, in batches."""

    def __init__(self, where: ArchiveLocation, batch_size: int, crawler: Crawler) -> None:
        self.where = where
        self.name = redacted(where) if isinstance(where, str) else str(where)  # for messages
        self.batch_size = max(1, batch_size)
        self.crawler = crawler
        self.stats = _stats(crawler)
        self.pending: list[Article] = []
        self.archive: ArchiveStore | None = None
        self.failed = False  # a batch could not be written: nothing more counts as stored

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        config = from_settings(settings)
        batch_size = settings.getint("HERALD_ARCHIVE_BATCH", 50)
        return cls(config.archive, batch_size, crawler)

    def open_spider(self) -> None:
        self.archive = open_archive(self.where)
        logger.info("archiving into %s (%d articles so far)", self.name, self.archive.count())

    def process_item(self, item: Article) -> Article:
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self._commit()
        return item

    def close_spider(self) -> None:
        if self.archive is None:
            return
        self._commit()
        self._tell_committed()  # also when the last batch was empty
        try:
            logger.info("archive now holds %d articles", self.archive.count())
        except ArchiveError as exc:  # already reported as the crawl's failure
            logger.debug("archive unreadable at close: %s", exc)
        self.archive.close()
        self.archive = None

    def _commit(self) -> None:
        if not self.pending or self.archive is None:
            return
        # The batch leaves `pending` before the write: a failed write stops the crawl, told in
        # one line (its items count as unarchived), and is not retried by every later item.
        batch, self.pending = self.pending, []
        try:
            counts = self.archive.upsert_many(batch)
        except ArchiveError as exc:
            self.failed = True
            stop_on_archive_failure(self.crawler, str(exc), self.name)
            return
        for item, outcome in zip(batch, counts.outcomes, strict=True):
            self.stats.inc_value(f"herald/archive/{outcome}")
            if outcome is Outcome.REVISED:
                logger.info("revised (same updated, new content; previous kept): %s", item["url"])
            elif outcome is Outcome.OLDER:
                logger.info("older than the archived copy, kept archived: %s", item["url"])
        get = self.stats.get_value
        # Progress as the crawl runs: one line per committed batch.
        logger.info(
            "archived: %d new, %d updated, %d revised, %d unchanged, %d older (kept archived);"
            " %d article pages, %d dropped",
            get("herald/archive/inserted", 0),
            get("herald/archive/updated", 0),
            get("herald/archive/revised", 0),
            get("herald/archive/unchanged", 0),
            get("herald/archive/older", 0),
            get("herald/pages/article", 0),
            get("herald/dropped", 0),
        )
        self._tell_committed()

    def _tell_committed(self) -> None:
        """Every item given so far is stored (a shared frontier may now forget its request;
        after a failed batch, nothing is said: the frontier puts its requests back)."""
        if not self.failed:
            self.crawler.signals.send_catch_log(archive_committed)
