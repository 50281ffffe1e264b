"""`scrapy crawl herald` exit codes a cron job can trust, each failure with one line saying why.

0 clean (404s and dropped records included), 1 failed (archive full or read-only, site
unreachable, no sitemap readable), 2 usage error, 3 incomplete (pages failed after retries).
Faults are real: a file-size limit in the crawl process (it applies to root as well), a
read-only bind mount (in a user namespace when the tests run as root), a closed port, a
server that answers 503 to everything.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.archive import Archive
from tests.crawl_support import (
    REPO,
    Crawl,
    archived,
    crawl,
    crawl_command,
    page_fetches,
    sample_site,
)
from tests.sample_site.server import SampleServer
from tests.sample_site.site import path_of

pytestmark = pytest.mark.slow


def _limit_file_size() -> None:
    """In the crawl process: no file may grow past 80 kB, as on a nearly full disk."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (80_000, 80_000))


def test_an_archive_that_fills_up_stops_the_crawl_and_exits_1(tmp_path: Path) -> None:
    site = sample_site(60)
    with SampleServer(site) as server:
        result = crawl(server, tmp_path, HERALD_ARCHIVE_BATCH="5", preexec_fn=_limit_file_size)
        fetched = page_fetches(site, result.paths)
        kept = archived(tmp_path)
        assert result.returncode == 1, result.log[-3000:]
        assert "articles could not be archived" in result.last_line
        assert str(tmp_path / "archive.sqlite3") in result.last_line
        # The failed batch is not retried by later items or at close: one failure, told once.
        assert "Traceback" not in result.log
        # It stopped at the first failed commit (within the first few batches) instead of
        # fetching the whole site.
        assert len(kept) < len(fetched) < len(site.pages) // 2
        # Nothing is lost: with room again, the same command completes the archive.
        again = crawl(server, tmp_path)
    assert again.returncode == 0, again.log[-3000:]
    assert archived(tmp_path) == site.expected_records()
    assert not {path_of(a["url"]) for a in kept.values()} & set(page_fetches(site, again.paths))


@pytest.fixture(scope="module")
def read_only_runner() -> Iterator[list[str]]:
    """A command prefix that runs a crawl with its data directory ($RO) read-only, also for
    root: a read-only bind mount in a private user and mount namespace."""
    if os.geteuid() != 0:
        yield []
        return
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount for root: {probe.stderr.decode().strip()}")
    yield ["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$RO" "$RO" && exec "$@"', "sh"]


@pytest.mark.parametrize("existing", [True, False], ids=["archive", "no-archive-yet"])
def test_a_read_only_archive_fails_before_fetching_anything(
    tmp_path: Path, read_only_runner: list[str], existing: bool
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if existing:
        Archive(data / "archive.sqlite3").close()
    if not read_only_runner:  # not root: permissions are enough
        for path in data.iterdir():
            path.chmod(0o444)
        data.chmod(0o555)
    with SampleServer(sample_site()) as server:
        done = subprocess.run(
            [*read_only_runner, *crawl_command(server, data)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "RO": str(data)},
        )
        asked = server.paths()
    data.chmod(0o755)
    result = Crawl(done.returncode, done.stderr, asked)
    assert result.returncode == 1, result.log[-3000:]
    assert "read-only" in result.last_line or "not writable" in result.last_line
    assert str(data) in result.last_line
    assert asked == []
    assert "Traceback" not in result.log


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_site_exits_1(tmp_path: Path) -> None:
    with SampleServer(sample_site()) as server:  # only for the command line; never asked
        result = crawl(server, tmp_path, HERALD_BASE_URL=f"http://127.0.0.1:{_closed_port()}")
    assert result.returncode == 1, result.log[-3000:]
    assert "the site could not be reached" in result.last_line
    assert "Connection refused" in result.last_line or "refused" in result.last_line


class _Down(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


def test_robots_and_sitemaps_that_cannot_be_fetched_exit_1(tmp_path: Path) -> None:
    down = ThreadingHTTPServer(("127.0.0.1", 0), _Down)
    threading.Thread(target=down.serve_forever, daemon=True).start()
    try:
        with SampleServer(sample_site()) as server:
            result = crawl(server, tmp_path, HERALD_BASE_URL=f"http://127.0.0.1:{down.server_port}")
    finally:
        down.shutdown()
        down.server_close()
    assert result.returncode == 1, result.log[-3000:]
    assert "no sitemap could be read" in result.last_line
    assert "HTTP 503" in result.last_line


def test_pages_failing_after_retries_exit_3_and_the_next_run_fetches_them(tmp_path: Path) -> None:
    site = sample_site()
    broken = next(p for p in site.pages.values() if p.layout and p.expected)
    path = path_of(broken.article["url"])
    site.flaky[path] = 3  # RETRY_TIMES=2: three 503s in a row, then it answers
    with SampleServer(site) as server:
        first = crawl(server, tmp_path)
        after_first = archived(tmp_path)
        second = crawl(server, tmp_path)
    assert first.returncode == 3, first.log[-3000:]
    assert "1 article pages failed after retries" in first.last_line
    assert path in first.last_line
    assert set(after_first) == set(site.expected_records()) - {broken.expected["id"]}
    assert second.returncode == 0, second.log[-3000:]
    assert page_fetches(site, second.paths)[path] == 1
    assert archived(tmp_path) == site.expected_records()
