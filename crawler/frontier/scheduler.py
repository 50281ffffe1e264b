"""The shared scheduler: scrapy-redis's, with leases, so a killed process loses nothing.

scrapy-redis pops a request from Redis and forgets it: a process killed with requests in
flight loses them (and the dupefilter has marked them seen, so no process fetches them
again). Here a request is claimed (moved to `inflight`, crawler.frontier.store) as it is
handed to the engine, and acknowledged only once the engine is done with it and the
archive has committed the items it yielded (the ArchivePipeline's `archive_committed`
signal). Requests of a process that stops renewing its lease go back on the queue.

The scheduler reports pending work while the queue holds requests or another process is
still fetching, so every process stays until the crawl is done rather than leaving as soon
as the queue is momentarily empty.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.frontier.engine_state import requests_in_progress
from crawler.frontier.store import FrontierStore
from crawler.signals import archive_committed

logger = logging.getLogger(__name__)
REAP_EVERY = 1.0  # seconds between looks for dead processes' requests


class ClaimingQueue(PriorityQueue):
    """SCHEDULER_QUEUE_CLASS: scrapy-redis's priority queue; requests are taken with
    `claim` (atomically recorded as in flight) rather than popped."""

    def claim(self, store: FrontierStore) -> tuple[Request, bytes] | None:
        raw = store.claim()
        return None if raw is None else (self._decode_request(raw), raw)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class SharedScheduler(Scheduler):
    """SCHEDULER with HERALD_FRONTIER (see the module docstring)."""

    crawler: Crawler
    store: FrontierStore
    lease: float

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claimed: dict[Request, bytes] = {}  # handed to the engine, not yet acknowledged
        self.marked: set[Request] = set()  # of those: recorded in Redis as done
        self.awaiting: set[bytes] = set()  # fingerprints whose items are not yet committed
        self.reaped_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.lease = crawler.settings.getfloat("HERALD_FRONTIER_LEASE", 30.0)
        return instance

    # -- lifecycle -------------------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.store = FrontierStore(self.server, worker_name(), self.lease)
        if self.store.join():
            logger.info("shared frontier: starting a new crawl")
        else:
            # Another process started this crawl (and read its sitemaps): this one need not.
            self.stats.set_value("herald/frontier/joined", 1)
            status = self.store.status()
            logger.info(
                "shared frontier: joining a crawl (%d queued, %d in flight, %d processes)",
                status.queued,
                status.in_flight,
                status.workers - 1,
            )
        self._reap(force=True)
        self.heartbeat = task.LoopingCall(self._renew)
        self.heartbeat.start(max(0.5, self.lease / 3), now=False)
        self.fingerprinter = self.crawler.request_fingerprinter
        connect = self.crawler.signals.connect
        connect(self._item_scraped, signal=signals.item_scraped)
        connect(self._committed, signal=archive_committed)

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        self._checkpoint()
        # Still held: items the archive did not commit, or requests the engine dropped
        # unfinished. Another process (or the next run) takes them.
        if self.claimed:
            returned = self.store.requeue(self.claimed.values())
            logger.info("shared frontier: %d unfinished requests back on the queue", returned)
        if self.store.leave():
            logger.info("shared frontier: the crawl is complete")

    # -- the scheduler interface -----------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        self._checkpoint()
        self._reap()
        taken = self.queue.claim(self.store)
        if taken is None:
            return None
        request, raw = taken
        self.claimed[request] = raw
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        self._checkpoint()
        self._reap()
        return self.store.pending()

    # -- bookkeeping -----------------------------------------------------------------------

    def _item_scraped(self, item: Any, response: Any, spider: Spider) -> None:
        request = getattr(response, "request", None)
        if request is not None:
            self.awaiting.add(self.fingerprinter.fingerprint(request))

    def _committed(self) -> None:
        self.awaiting.clear()
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Acknowledge the requests the engine is done with and whose items are stored."""
        active = requests_in_progress(self.crawler)
        finished = [r for r in self.claimed if r not in active]
        if not finished:
            return
        stored = [r for r in finished if self.fingerprinter.fingerprint(r) not in self.awaiting]
        self.store.ack(self.claimed.pop(r) for r in stored)
        self.marked.difference_update(stored)
        waiting = [r for r in finished if r not in self.marked and r in self.claimed]
        self.store.mark_done(self.claimed[r] for r in waiting)
        self.marked.update(waiting)

    def _reap(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.reaped_at < REAP_EVERY:
            return
        self.reaped_at = now
        returned = self.store.reap()
        if returned:
            logger.info(
                "shared frontier: %d requests of a stopped process back on the queue", returned
            )
            self.stats.inc_value("herald/frontier/reclaimed", returned)

    def _renew(self) -> None:
        if not self.store.renew():
            logger.warning(
                "shared frontier: this process missed its lease (%.0f s); its requests "
                "were handed to others",
                self.lease,
            )
