"""The Scrapy add-on that turns the shared frontier on when HERALD_FRONTIER names a Redis.

An add-on reads the final settings (the project's, the environment's via crawler.config,
and `-s` on the command line), so `-s HERALD_FRONTIER=redis://…` switches the scheduler,
the duplicate filter and the download handlers for that run only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import redis
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.config import redacted
from crawler.frontier.store import Keys

_HANDLER = "crawler.frontier.politeness.PoliteDownloadHandler"
SCHEMES = ("redis", "rediss", "unix")


def check_frontier_url(url: str) -> str:
    """`url` if it names a Redis server; UsageError saying what is expected otherwise."""
    if urlsplit(url).scheme not in SCHEMES:
        raise UsageError(
            f"HERALD_FRONTIER={redacted(url)!r} is not a Redis URL: use redis://[:password@]host:port/db"
        )
    return url


class FrontierUnavailable(RuntimeError):
    """The Redis server named by HERALD_FRONTIER does not answer."""


def check_reachable(url: str) -> None:
    """Raise FrontierUnavailable, saying why, unless the Redis at `url` answers a PING."""
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=10) as server:
            server.ping()
    except redis.RedisError as exc:
        raise FrontierUnavailable(
            f"cannot reach the shared frontier {redacted(url)}: {exc}"
        ) from None


class FrontierAddon:
    """ADDONS entry: with HERALD_FRONTIER set, scrapy-redis's scheduler and dupefilter
    (crawler.frontier.scheduler, .dupefilter) and the shared politeness budget (.politeness)."""

    def __repr__(self) -> str:  # Scrapy lists the enabled add-ons in its log
        return "crawler.frontier.FrontierAddon"

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("HERALD_FRONTIER")
        if not url:
            return
        if settings.get("JOBDIR"):
            raise UsageError(
                "HERALD_FRONTIER keeps the crawl's state in Redis; JOBDIR is for a crawl on "
                "its own: use one or the other"
            )
        check_reachable(check_frontier_url(url))
        keys = Keys()
        for name, value in {
            "REDIS_URL": url,
            "SCHEDULER": "crawler.frontier.scheduler.SharedScheduler",
            "SCHEDULER_QUEUE_CLASS": "crawler.frontier.scheduler.ClaimingQueue",
            "SCHEDULER_QUEUE_KEY": keys.requests,
            "SCHEDULER_DUPEFILTER_KEY": keys.seen,
            "DUPEFILTER_CLASS": "crawler.frontier.dupefilter.ArcDupeFilter",
        }.items():
            settings.set(name, value, "addon")
        handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": _HANDLER, "https": _HANDLER}
        settings.set("DOWNLOAD_HANDLERS", handlers, "addon")
