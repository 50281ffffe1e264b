"""A crawl SIGKILLed at any moment, with or without JOBDIR, is completed by the same command.

Each test starts the real `scrapy crawl herald` against the sample site, kills it when the
test can see it is at a given point (the server has answered the sitemap index; the archive
has committed batches; the log shows articles fetched but not yet committed), runs the same
command again, and compares the archive with the site's expected records and the server's
fetch counts with what was archived before the kill.

With JOBDIR the site has enough daily sitemaps (200 articles) that Scrapy writes its
seen-list to disk (it appends through a 4 KiB file buffer) while still discovering, and the
kill waits for that: it is the state in which a killed job used to resume into nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.crawl_support import (
    archived,
    committed,
    crawl,
    page_fetches,
    sample_site,
    start_crawl,
    wait_until,
)
from tests.sample_site import sitemaps
from tests.sample_site.server import SampleServer
from tests.sample_site.site import Site, path_of

pytestmark = pytest.mark.slow


# Scrapy appends 22 bytes per request to JOBDIR/requests.seen through a buffer of the file
# system's block size; the sitemap index lists about one daily sitemap per article, so this
# many articles get the seen-list onto the disk as soon as the index is read.
def _articles(jobdir: bool, where: Path) -> int:
    return max(200, os.stat(where).st_blksize // 22 + 30) if jobdir else 60


# The re-run goes fast: many requests at once against the slowed-down article pages.
QUICK = {"CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}


def _scraped(log: Path) -> int:
    """Articles the running crawl has passed to the archive pipeline (its DEBUG log says so)."""
    try:
        return log.read_text("utf-8", errors="replace").count("Scraped from <")
    except FileNotFoundError:
        return 0


def _seen_saved(jobdir: Path | None) -> bool:
    """Has Scrapy written part of its seen-list to the JOBDIR (always true without one)?"""
    return jobdir is None or (
        (jobdir / "requests.seen").exists() and (jobdir / "requests.seen").stat().st_size > 0
    )


# Where to kill: a description and the condition, given (server, data_dir, log, jobdir).
Moment = Callable[[SampleServer, Path, Path, Path | None], bool]
MOMENTS: dict[str, Moment] = {
    # The sitemap index is read, nothing is archived yet.
    "discovery": lambda server, data, log, jobdir: (
        any(p.startswith(sitemaps.INDEX_PATH) for p in server.paths())
        and committed(data) == 0
        and _seen_saved(jobdir)
    ),
    # Two batches are committed, more articles are being fetched.
    "articles": lambda server, data, log, jobdir: committed(data) >= 6 and _seen_saved(jobdir),
    # Articles fetched and handed to the archive, but their batch is not committed yet.
    "pending batch": lambda server, data, log, jobdir: (
        committed(data) >= 5 and _scraped(log) >= committed(data) + 2 and _seen_saved(jobdir)
    ),
}


def _kill_at(moment: str, server: SampleServer, data: Path, jobdir: Path | None) -> None:
    log = data / "killed-crawl.log"
    settings = {"JOBDIR": str(jobdir)} if jobdir else {}
    process = start_crawl(
        server, data, log, LOG_LEVEL="DEBUG", HERALD_ARCHIVE_BATCH="5", **settings
    )
    ready = MOMENTS[moment]
    wait_until(process, lambda: ready(server, data, log, jobdir), 60, f"'{moment}' was reached")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def _assert_complete_once(site: Site, data: Path) -> None:
    assert archived(data) == site.expected_records()
    with sqlite3.connect(data / "archive.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        total, distinct = db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone()
    assert total == distinct == len(site.expected_records())


def _assert_no_refetch(site: Site, kept: dict, first: list[str], second: list[str]) -> None:
    """Nothing archived before the kill is fetched again; nothing is fetched twice after it."""
    kept_paths = {path_of(article["url"]) for article in kept.values()}
    again = page_fetches(site, second)
    assert not kept_paths & set(again), sorted(kept_paths & set(again))[:3]
    flaky = next(iter(site.flaky))
    assert {path: n for path, n in again.items() if n > 1 and path != flaky} == {}
    total: Counter[str] = page_fetches(site, first) + again
    assert all(total[path] == 1 for path in kept_paths)


@pytest.mark.parametrize("jobdir", [True, False], ids=["JOBDIR", "no-JOBDIR"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_killed_crawl_is_completed_by_the_same_command(
    tmp_path: Path, moment: str, jobdir: bool
) -> None:
    site = sample_site(_articles(jobdir, tmp_path))
    job = tmp_path / "job" if jobdir else None
    settings = {"JOBDIR": str(job)} if job else {}
    with SampleServer(site, delay=0.2) as server:
        _kill_at(moment, server, tmp_path, job)
        kept = archived(tmp_path) if (tmp_path / "archive.sqlite3").exists() else {}
        first = server.paths()
        result = crawl(server, tmp_path, **QUICK, **settings)
    assert result.returncode == 0, result.log[-3000:]
    assert len(kept) < len(site.expected_records())
    _assert_complete_once(site, tmp_path)
    _assert_no_refetch(site, kept, first, result.paths)
    if job:
        assert "was not closed cleanly" in result.log
        # A finished job leaves nothing behind: the next run is a new crawl.
        assert not any(job.iterdir())


def test_a_finished_job_does_not_hide_changes_from_the_next_run(tmp_path: Path) -> None:
    site = sample_site()
    job = str(tmp_path / "job")
    with SampleServer(site) as server:
        first = crawl(server, tmp_path, JOBDIR=job)
        assert first.returncode == 0, first.log[-3000:]
        target = next(p for p in site.pages.values() if p.layout and p.expected)
        changed = site.update_article(
            target.article["id"],
            body="A corrected story.\n\nIn full.",
            updated="2026-11-01T00:00:00Z",
        )
        second = crawl(server, tmp_path, JOBDIR=job)
    assert second.returncode == 0, second.log[-3000:]
    assert path_of(changed["url"]) in page_fetches(site, second.paths)
    assert archived(tmp_path)[changed["id"]] == changed
    assert second.stat("herald/archive/updated") == 1
