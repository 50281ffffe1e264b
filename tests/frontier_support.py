"""Helpers for tests that run several `scrapy crawl herald` processes on a shared frontier."""

from __future__ import annotations

import os
import pickle
import subprocess
from collections import Counter
from pathlib import Path

import redis

from crawler.frontier.store import Keys
from tests.crawl_support import REPO, crawl_command
from tests.sample_site.server import SampleServer


def start_shared_crawl(
    server: SampleServer,
    data_dir: Path,
    log: Path,
    frontier: str | None,
    env: dict[str, str] | None = None,
    **settings: str,
) -> subprocess.Popen:
    """A crawl in the background on the frontier (None: only from `env`), committing every
    3 articles, 2 requests at a time; its log (INFO) goes to `log`."""
    options = {"HERALD_ARCHIVE_BATCH": "3", "CONCURRENT_REQUESTS": "2", "LOG_LEVEL": "INFO"}
    if frontier:
        options["HERALD_FRONTIER"] = frontier
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            crawl_command(server, data_dir, **{**options, **settings}),
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=out,
        )


def finish(*processes: subprocess.Popen, timeout: float = 180) -> None:
    """Wait for every process; kill any still running after `timeout` seconds."""
    for process in processes:
        try:
            process.wait(timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def stat(log: Path, key: str) -> int:
    """A number from the crawl's closing stats in its log (0 when absent)."""
    text = log.read_text()
    marker = f"'{key}': "
    return int(text.split(marker, 1)[1].split(",", 1)[0].split("}", 1)[0]) if marker in text else 0


def fetched_twice(paths: list[str], flaky: str) -> set[str]:
    """Paths asked for more than once, but robots.txt (each process reads the site's rules)
    and the flaky page (a 503, then its retry)."""
    counts = Counter(p for p in paths if p not in ("/robots.txt", flaky))
    return {path for path, n in counts.items() if n > 1}


def in_flight_of(url: str, pid: int) -> set[str]:
    """The paths of the requests a crawl process holds in flight (claimed, not yet acked)."""
    held = set()
    with redis.Redis.from_url(url) as server:
        for raw, value in server.hgetall(Keys().inflight).items():
            if f":{pid}:" in value.decode():
                held.add("/" + pickle.loads(raw)["url"].split("/", 3)[3])
    return held
