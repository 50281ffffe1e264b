"""Helpers for the crawl tests: run `scrapy crawl herald` against a sample site, read results."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.archive import Archive, ArchiveError
from crawler.record import Article
from tests.sample_site.server import SampleServer
from tests.sample_site.site import Site, standard_site

REPO = Path(__file__).resolve().parents[1]
# Fast settings for a local site. The project's own settings decide everything else (the
# Telnet console and remote control among them: tests must see what users get).
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "RETRY_TIMES": "2",
    "LOGSTATS_INTERVAL": "5",
}


@dataclass
class Crawl:
    returncode: int
    log: str
    paths: list[str]  # what the server was asked during this crawl

    def stat(self, key: str) -> int:
        match = re.search(rf"'{re.escape(key)}': (\d+)", self.log)
        return int(match.group(1)) if match else 0

    @property
    def last_line(self) -> str:
        """The last line the crawl wrote to stderr (its verdict, when it failed)."""
        lines = self.log.strip().splitlines()
        return lines[-1] if lines else ""


def crawl_command(server: SampleServer, data_dir: Path, *args: str, **settings: str) -> list[str]:
    """`python -m scrapy crawl herald` against `server`, fast settings for a local site."""
    options = {**FAST, "HERALD_BASE_URL": server.url, "HERALD_DATA_DIR": str(data_dir), **settings}
    command = [sys.executable, "-m", "scrapy", "crawl", "herald", *args]
    for name, value in options.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl(
    server: SampleServer,
    data_dir: Path,
    *args: str,
    preexec_fn: Callable[[], None] | None = None,
    **settings: str,
) -> Crawl:
    """Run one crawl to the end; its log, exit code and the paths the server was asked."""
    before = len(server.paths())
    done = subprocess.run(
        crawl_command(server, data_dir, *args, **settings),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=preexec_fn,
    )
    return Crawl(done.returncode, done.stderr, server.paths()[before:])


def archived(data_dir: Path) -> dict[str, Article]:
    """The archive's records by id, without `fetched` (when this crawl fetched them)."""
    with Archive(data_dir / "archive.sqlite3", readonly=True) as archive:
        return {a["id"]: _without_fetched(a) for a in archive}


def _without_fetched(article: Article) -> Article:
    return Article(**{k: v for k, v in article.items() if k != "fetched"})  # type: ignore[typeddict-item]


def page_fetches(site: Site, paths: list[str]) -> Counter[str]:
    """How often each article-shaped page of the site was fetched (query strings ignored)."""
    return Counter(p.split("?")[0] for p in paths if p.split("?")[0] in site.pages)


def sample_site(n: int = 18) -> Site:
    """The standard sample site with `n` synthetic articles (same every time)."""
    return standard_site(generate_articles(n, seed=7))


def committed(data_dir: Path) -> int:
    """How many articles a (possibly running) crawl has committed to the archive so far."""
    try:
        return len(archived(data_dir))
    except (FileNotFoundError, sqlite3.OperationalError, ArchiveError):
        return 0  # the crawl has not created the archive (or its table) yet


def wait_until(
    process: subprocess.Popen, ready: Callable[[], bool], limit: float, what: str
) -> None:
    """Poll until `ready()` holds while `process` runs; kill it and fail when it never does."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if ready():
            return
        time.sleep(0.02)
    process.kill()  # leave no crawl running behind a failed test
    process.wait(timeout=10)
    pytest.fail(f"the crawl never got to the point where {what} (or ended early)")


def wait_for_articles(data_dir: Path, n: int, process: subprocess.Popen, limit: float) -> None:
    """Wait until a running crawl has committed at least `n` articles."""
    wait_until(process, lambda: committed(data_dir) >= n, limit, f"{n} articles were archived")


def start_crawl(
    server: SampleServer, data_dir: Path, log: Path | None = None, **settings: str
) -> subprocess.Popen:
    """Start a crawl in the background that commits every 3 articles, 2 requests at a time;
    its stderr goes to `log` when given."""
    options = {"HERALD_ARCHIVE_BATCH": "3", "CONCURRENT_REQUESTS": "2", **settings}
    stderr = log.open("w") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(
            crawl_command(server, data_dir, **options),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    finally:
        if log:
            stderr.close()
