"""The shared crawl frontier on a real Redis: its state changes one by one, and real
`scrapy crawl herald` processes sharing it against the sample site (one queue, each URL
fetched once, one politeness budget). A killed process losing nothing is shown end to end,
with PostgreSQL, in test_scale_out.py."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.utils.test import get_crawler

from bench.synth import generate_articles
from crawler.frontier.__main__ import main as frontier_command
from crawler.frontier.dupefilter import ArcDupeFilter
from crawler.frontier.store import FrontierStore, Keys
from tests.crawl_support import (
    REPO,
    archived,
    crawl_command,
    page_fetches,
    sample_site,
)
from tests.frontier_support import (
    fetched_twice,
    finish,
    start_shared_crawl,
    stat,
)
from tests.sample_site.server import SampleServer
from tests.sample_site.site import standard_site

KEYS = Keys()


def _store(url: str, worker: str, lease: float = 30.0) -> FrontierStore:
    return FrontierStore(redis.Redis.from_url(url), worker, lease)


# -- the state in Redis, one change at a time -------------------------------------------------


def test_a_claimed_request_is_in_flight_until_acknowledged(redis_url) -> None:
    a = _store(redis_url, "a")
    assert a.join()  # an empty frontier: a new crawl
    a.server.zadd(KEYS.requests, {b"r1": 0, b"r2": 1})
    assert a.claim() == b"r1"
    assert a.server.zrange(KEYS.requests, 0, -1) == [b"r2"]
    assert a.server.hkeys(KEYS.inflight) == [b"r1"]
    assert a.ack([b"r1"]) == 1
    assert a.server.hlen(KEYS.inflight) == 0


def test_a_dead_workers_requests_go_back_on_the_queue(redis_url) -> None:
    dead, live = _store(redis_url, "dead", lease=0.3), _store(redis_url, "live")
    dead.join()
    live.join()
    dead.server.zadd(KEYS.requests, {b"r1": -5, b"r2": 0})
    assert dead.claim() == b"r1"
    assert live.reap() == 0  # its lease still runs
    assert live.pending()  # another worker is fetching r1: not done yet
    time.sleep(0.5)  # the dead worker stops renewing
    assert live.reap() == 1
    assert live.server.zrange(KEYS.requests, 0, -1, withscores=True) == [(b"r1", -5.0), (b"r2", 0)]
    assert live.server.zscore(KEYS.workers, "dead") is None
    assert dead.ack([b"r1"]) == 0  # too late: it is no longer the dead worker's to settle


def test_done_requests_of_a_live_worker_are_not_pending_work(redis_url) -> None:
    a, b = _store(redis_url, "a"), _store(redis_url, "b")
    a.join()
    b.join()
    a.server.zadd(KEYS.requests, {b"r1": 0})
    a.claim()
    assert b.pending()
    a.mark_done([b"r1"])  # fetched; its items wait for the archive's next commit
    assert not b.pending()  # b may finish; a acknowledges r1 when it commits
    assert a.requeue([b"r1"]) == 1
    assert b.pending()


def test_the_first_to_join_an_empty_frontier_starts_a_new_crawl(redis_url) -> None:
    a, b = _store(redis_url, "a"), _store(redis_url, "b")
    a.server.sadd(KEYS.seen, "from-yesterday")
    assert a.join()
    assert a.server.scard(KEYS.seen) == 0
    a.server.sadd(KEYS.seen, "fp1")
    a.server.zadd(KEYS.requests, {b"r1": 0})
    assert not b.join()  # a crawl is running: b joins it, `seen` stays
    assert a.server.scard(KEYS.seen) == 1
    b.claim()
    assert not a.leave()  # b still has r1
    b.ack([b"r1"])
    assert b.leave()  # the last one out of a finished crawl
    assert not a.server.exists(KEYS.seen, KEYS.workers)


def test_the_dupefilter_fingerprints_articles_by_arc_id(redis_url) -> None:
    crawler = get_crawler(
        settings_dict={
            "REDIS_URL": redis_url,
            "REQUEST_FINGERPRINTER_CLASS": "crawler.fingerprint.ArticleFingerprinter",
        }
    )
    crawler.spider = crawler._create_spider("herald")
    dupefilter = ArcDupeFilter.from_spider(crawler.spider)
    arc_id = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    first = Request(f"https://www.nzherald.co.nz/nz/one-headline/{arc_id}/")
    again = Request(f"http://127.0.0.1:8000/sport/rugby/another-headline/{arc_id}/?ref=rss")
    assert not dupefilter.request_seen(first)
    assert dupefilter.request_seen(again)  # another URL, the same article
    expected = hashlib.sha1(f"herald-article:{arc_id}".encode()).hexdigest()
    assert redis.Redis.from_url(redis_url).smembers(KEYS.seen) == {expected.encode()}


# -- crawl processes sharing a frontier ------------------------------------------------------


def test_two_processes_share_the_queue_and_fetch_every_url_once(tmp_path, redis_url) -> None:
    site = sample_site(40)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with SampleServer(site, delay=0.1) as server:
        first = start_shared_crawl(server, tmp_path, logs[0], redis_url)
        second = start_shared_crawl(server, tmp_path, logs[1], redis_url)
        finish(first, second)
        paths = server.paths()
    assert first.returncode == second.returncode == 0, logs[0].read_text()[-2000:]
    assert archived(tmp_path) == site.expected_records()
    assert set(page_fetches(site, paths)) == set(site.pages) - set(site.disallowed)
    assert not fetched_twice(paths, next(iter(site.flaky)))
    # Both did part of the work.
    assert all(stat(log, "herald/pages/article") > 0 for log in logs)


def test_all_processes_share_one_politeness_budget(tmp_path, redis_url) -> None:
    site = standard_site(generate_articles(12, seed=3), fixtures=False)  # ~40 requests
    spacing = 0.15
    polite = {"HERALD_SITE_DELAY": str(spacing), "DOWNLOAD_DELAY": "0"}
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with SampleServer(site) as server:
        first = start_shared_crawl(server, tmp_path, logs[0], redis_url, **polite)
        second = start_shared_crawl(server, tmp_path, logs[1], redis_url, **polite)
        finish(first, second)
        arrivals = [t for t, _ in server.arrivals()]
    assert first.returncode == second.returncode == 0, logs[1].read_text()[-2000:]
    assert len(arrivals) > 20
    # Each process alone would ask as fast as the server answers (DOWNLOAD_DELAY=0); together
    # they start at most one request per `spacing` seconds. Any 10 consecutive requests span
    # at least 8 spacings (two are allowed to start late after reserving their time).
    window = 10
    spans = [b - a for a, b in zip(arrivals, arrivals[window:], strict=False)]
    assert min(spans) >= (window - 2) * spacing, min(spans)


# -- configuration ---------------------------------------------------------------------------


def _run(tmp_path: Path, *settings: str, env: dict[str, str] | None = None):
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "herald",
        "-s",
        f"HERALD_DATA_DIR={tmp_path}",
        "-s",
        "HERALD_BASE_URL=http://127.0.0.1:9",
    ]
    for setting in settings:
        command += ["-s", setting]
    return subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (["HERALD_FRONTIER=http://frontier:6379"], "is not a Redis URL"),
        (["HERALD_FRONTIER=redis://:s3cret@127.0.0.1:9/0"], "cannot reach the shared frontier"),
        (["HERALD_FRONTIER=redis://127.0.0.1:9/0", "JOBDIR=job"], "use one or the other"),
    ],
)
def test_a_bad_frontier_is_a_clear_error(tmp_path, settings, message) -> None:
    done = _run(tmp_path, *settings)
    assert done.returncode != 0
    assert message in done.stderr
    assert "s3cret" not in done.stderr


def test_the_frontier_can_come_from_the_environment(tmp_path, redis_url) -> None:
    site = sample_site(6)
    with SampleServer(site) as server:
        done = subprocess.run(
            crawl_command(server, tmp_path, LOG_LEVEL="INFO"),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "HERALD_FRONTIER": redis_url},
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "shared frontier: starting a new crawl" in done.stderr
    assert archived(tmp_path) == site.expected_records()


def test_the_frontier_command_shows_and_clears_the_crawl(redis_url, capsys) -> None:
    store = _store(redis_url, "a")
    store.join()
    store.server.zadd(KEYS.requests, {b"r1": 0, b"r2": 0})
    store.server.sadd(KEYS.seen, "fp1", "fp2", "fp3")
    store.claim()

    def run(*args: str) -> tuple[int, str, str]:
        code = frontier_command(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    assert run("status", redis_url) == (0, "1 queued, 1 in flight, 3 seen, 1 crawl processes\n", "")
    assert run("clear", redis_url)[0] == 0
    assert run("status", redis_url)[1].startswith("0 queued, 0 in flight, 0 seen")
    code, _, err = run("status", "redis://127.0.0.1:9/0")
    assert code == 2
    assert err.startswith("crawler.frontier: redis://127.0.0.1:9/0:")
