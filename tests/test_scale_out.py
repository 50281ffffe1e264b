"""The scaled-out topology on one machine, end to end, with real servers and processes:

sample site ◀── 2 × `scrapy crawl herald` ──▶ PostgreSQL archive
                  (one SIGKILLed, restarted)        │
                  shared Redis frontier             ▼
                                      `python -m index.rebuild` (node 1)
                                      `python -m index.publish node2`
                                      two web apps, one per node: the same answers
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.archive import ArchiveMissing, open_archive
from tests.crawl_support import REPO, page_fetches, sample_site
from tests.frontier_support import fetched_twice, finish, in_flight_of, start_shared_crawl, stat
from tests.sample_site.server import SampleServer
from web import close_searcher, create_app

pytestmark = pytest.mark.slow


def _archived(url: str) -> dict[str, dict]:
    """The archive's records by id, without `fetched` (when the crawl fetched them)."""
    try:
        with open_archive(url, readonly=True) as archive:
            return {a["id"]: {k: v for k, v in a.items() if k != "fetched"} for a in archive}
    except ArchiveMissing:  # the first crawl has not created the tables yet
        return {}


def _wait_for(url: str, n: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(_archived(url)) < n:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the crawl did not archive {n} articles (exit {process.poll()})")
        time.sleep(0.2)


def _command(module: str, env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _answers(data_dir: Path, archive: str, queries: list[str]) -> list[object]:
    app = create_app({"DATA_DIR": data_dir, "ARCHIVE_PATH": archive, "TESTING": True})
    try:
        client = app.test_client()
        answers = []
        for q in queries:
            response = client.get("/api/search", query_string={"q": q, "page_size": 50})
            assert response.status_code == 200, response.get_json()
            answers.append(response.get_json())
        return answers
    finally:
        close_searcher(app)


def test_two_crawlers_one_killed_postgresql_rebuild_publish_two_web_nodes(
    tmp_path, redis_url, postgres_url
) -> None:
    site = sample_site(60)
    expected = site.expected_records()
    archive = {"HERALD_ARCHIVE_URL": postgres_url}
    crawl_env = {**archive, "HERALD_FRONTIER_LEASE": "2"}
    lease = {"HERALD_FRONTIER_LEASE": "2", "CONCURRENT_REQUESTS": "1"}
    logs = [tmp_path / f"{name}.log" for name in ("a", "b", "a2")]
    with SampleServer(site, delay=0.3) as server:
        # One process is told the frontier with -s, the other by its environment.
        a = start_shared_crawl(server, tmp_path / "a", logs[0], redis_url, env=archive, **lease)
        b = start_shared_crawl(
            server,
            tmp_path / "b",
            logs[1],
            None,
            env={**crawl_env, "HERALD_FRONTIER": redis_url},
            CONCURRENT_REQUESTS="1",
        )
        _wait_for(postgres_url, 12, a)
        a.send_signal(signal.SIGKILL)
        a.wait(timeout=10)
        held = in_flight_of(redis_url, a.pid)
        a2 = start_shared_crawl(server, tmp_path / "a", logs[2], redis_url, env=archive, **lease)
        finish(b, a2)
        paths = server.paths()
    assert b.returncode == a2.returncode == 0, logs[1].read_text()[-3000:]
    assert "shared frontier: joining a crawl" in logs[2].read_text()

    # Every article exactly once in the archive; no URL fetched twice but what the killed
    # process had in flight.
    assert _archived(postgres_url) == expected
    assert set(page_fetches(site, paths)) == set(site.pages) - set(site.disallowed)
    assert fetched_twice(paths, next(iter(site.flaky))) <= held
    assert sum(stat(log, "herald/frontier/reclaimed") for log in logs[1:]) == len(held)

    node1, node2 = tmp_path / "node1", tmp_path / "node2"
    _command("index.rebuild", {**archive, "HERALD_DATA_DIR": str(node1)}, "--quiet")
    _command("index.publish", {**archive, "HERALD_DATA_DIR": str(node1)}, str(node2))

    titles = [record["title"] for record in list(expected.values())[:5]]
    queries = ["", "rugby", "election OR harbour", *(f'"{title}"' for title in titles)]
    first = _answers(node1, postgres_url, queries)
    assert first[0]["total"] == len(expected)  # browsing: every article, once
    for answer, title in zip(first[3:], titles, strict=True):
        assert title in [hit["title"] for hit in answer["hits"]]
    assert _answers(node2, postgres_url, queries) == first
