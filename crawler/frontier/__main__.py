"""`python -m crawler.frontier status|clear [URL]`: look at, or abandon, the shared crawl.

URL defaults to HERALD_FRONTIER. `status` prints what is queued, in flight and seen and how
many processes hold a live lease; `clear` forgets the crawl (the next process starts anew).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import redis
from scrapy.exceptions import UsageError

from crawler.config import load_config, redacted
from crawler.frontier.addon import check_frontier_url
from crawler.frontier.store import FrontierStore


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.frontier", description=__doc__)
    parser.add_argument("command", choices=["status", "clear"])
    parser.add_argument("url", nargs="?", help="the Redis URL (default: HERALD_FRONTIER)")
    args = parser.parse_args(argv)
    url = args.url or load_config().frontier
    if not url:
        parser.error("no frontier: give its URL or set HERALD_FRONTIER")
    try:
        store = FrontierStore(redis.Redis.from_url(check_frontier_url(url)), "cli", 0)
        if args.command == "clear":
            store.clear()
            print(f"cleared the shared crawl at {redacted(url)}")  # noqa: T201
            return 0
        status = store.status()
    except (redis.RedisError, UsageError, ValueError) as exc:
        print(f"crawler.frontier: {redacted(url)}: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    print(  # noqa: T201 - the CLI's output
        f"{status.queued} queued, {status.in_flight} in flight, {status.seen} seen, "
        f"{status.workers} crawl processes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
