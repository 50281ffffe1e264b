"""`scrapy crawl herald`: Scrapy's crawl command, plus a summary and an exit code that mean it.

Scrapy's own `crawl` exits 1 only when the crawler could not start; a crawl that archived
nothing, or could not reach the site, exits 0. This override (COMMANDS_MODULE) keeps
everything Scrapy's command does and adds three things only a command can do:

- before starting, refuse an archive that cannot be written (nothing is fetched);
- after the crawl, log the human summary (crawler.summary) as the very last output;
- set the exit code from the crawl's verdict (crawler.outcome) with one line saying why,
  and turn a failure to start (a bad `-a` value) into one line instead of a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred

from crawler.config import from_settings
from crawler.guard import archive_problem
from crawler.outcome import FAILED, OK, USAGE, CrawlOutcome
from crawler.summary import summary_text

logger = logging.getLogger("herald")


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # raises Scrapy's own UsageError
            return
        assert self.crawler_process is not None
        assert self.settings is not None
        problem = archive_problem(from_settings(self.settings))
        if problem:
            logger.error("crawl not started: %s", problem)
            self.exitcode = FAILED
            return
        crawler = self._create_crawler(args[0])  # Scrapy's, for its feed warnings
        errors = _errors_of(self.crawler_process.crawl(crawler, **opts.spargs))
        self.crawler_process.start()
        self.exitcode = self._finish(crawler, errors)

    def _finish(self, crawler: Crawler, errors: list[BaseException]) -> int:
        """Log the summary and the verdict's one line; return the exit code."""
        if errors:
            error = errors[0]
            if isinstance(error, UsageError):
                logger.error("%s", error)
                return USAGE
            logger.error("crawl failed to start: %s: %s", type(error).__name__, error)
            return FAILED
        assert self.crawler_process is not None
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            logger.error("crawl failed to start (see the errors above)")
            return FAILED
        outcome = CrawlOutcome(crawler.stats.get_stats())
        logger.info("%s", summary_text(outcome))
        code, why = outcome.verdict()
        if code == FAILED:
            logger.error("crawl failed (exit %d): %s", code, why)
        elif code != OK:
            logger.warning("crawl incomplete (exit %d): %s", code, why)
        return code


def _errors_of(started: Any) -> list[BaseException]:
    """Collect the exception a crawl fails to start with, so it is reported as one line
    (asyncio or Twisted would otherwise print it later as an unretrieved traceback)."""
    errors: list[BaseException] = []

    def task_done(task: asyncio.Future[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            errors.append(task.exception())  # type: ignore[arg-type]

    if isinstance(started, asyncio.Future):
        started.add_done_callback(task_done)
    elif isinstance(started, Deferred):
        started.addErrback(lambda failure: errors.append(failure.value))
    return errors
