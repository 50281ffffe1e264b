"""Scaling-out figures: crawl throughput with 1 and 2 processes on a shared Redis frontier,
and the time to publish an index to a replica.

    python -m bench.scaleout crawl [--articles 300] [--latency 0.1]
    python -m bench.scaleout archive [--articles 20000]
    python -m bench.scaleout publish [--articles 200000]

`crawl` serves the sample site in this process (each article page answered after
`--latency` seconds, like a remote site) and times, from the first request the site sees
to the last: one process on Scrapy's own scheduler, then 1 and 2 processes sharing a
frontier on a Redis server this command starts (tests/services.py), first with no delay
(each process's own CONCURRENT_REQUESTS_PER_DOMAIN is the limit), then with a shared
politeness budget (HERALD_SITE_DELAY=--site-delay), which 2 processes must not exceed.

`archive` imports the same synthetic articles (JSON Lines) into a SQLite file and into a
PostgreSQL server this command starts, rebuilds the index from each (`python -m
index.rebuild`), and reads every article back through `articles()` in a process of its own,
reporting that process's peak RSS: the rows stream through a server-side cursor, so it does
not grow with the archive.

`publish` times `index.publish` of the index bench.index builds (reused from its cache
when there: `python -m bench.index --articles N` makes it), to an empty replica and then
again (every file already there).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.synth import generate_articles
from crawler.archive import open_archive
from index.layout import current_build
from index.maintain.publish import publish
from tests.crawl_support import crawl_command
from tests.sample_site.server import SampleServer
from tests.sample_site.site import standard_site
from tests.services import fresh_database, postgres_server, redis_server

REPO = Path(__file__).resolve().parents[1]
CRAWL = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": "0",
    "HERALD_ARCHIVE_BATCH": "50",
}


def _crawl(
    server: SampleServer, processes: int, frontier: str | None, extra: dict[str, str]
) -> tuple[float, int, int]:
    """Seconds from the site's first request to its last, requests, articles archived."""
    data = Path(tempfile.mkdtemp(prefix="herald-bench-crawl-"))
    settings = {**CRAWL, **extra, **({"HERALD_FRONTIER": frontier} if frontier else {})}
    before = len(server.arrivals())
    running = [
        subprocess.Popen(
            crawl_command(server, data, **settings),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(processes)
    ]
    codes = [p.wait() for p in running]
    if any(codes):
        raise SystemExit(f"a crawl failed: exit codes {codes}")
    times = [t for t, _ in server.arrivals()[before:]]
    with open_archive(data / "archive.sqlite3", readonly=True) as archive:
        count = archive.count()
    shutil.rmtree(data, ignore_errors=True)
    return times[-1] - times[0], len(times), count


def crawl(articles: int, latency: float, site_delay: float) -> None:
    site = standard_site(generate_articles(articles, seed=1))
    print(f"sample site: {len(site.pages)} article pages, {latency * 1000:.0f} ms per page")
    budget = {"HERALD_SITE_DELAY": str(site_delay)}
    runs = [
        ("1 process, Scrapy's scheduler", 1, False, {}),
        ("1 process, shared frontier", 1, True, {}),
        ("2 processes, shared frontier", 2, True, {}),
        (f"1 process, budget {site_delay:g} s/request", 1, True, budget),
        (f"2 processes, budget {site_delay:g} s/request", 2, True, budget),
    ]
    with redis_server() as url, SampleServer(site, delay=latency) as server:
        for label, processes, shared, extra in runs:
            redis.Redis.from_url(url).flushall()
            seconds, requests, count = _crawl(server, processes, url if shared else None, extra)
            print(
                f"{label:36} {count:5d} articles, {requests:5d} requests in {seconds:6.1f} s = "
                f"{count / seconds:6.1f} articles/s, {requests / seconds:6.1f} requests/s"
            )


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds, and the peak RSS (MB) of the largest process `command` ran."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command[:4])} failed (exit {process.returncode})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


_SCAN = (
    "import sys; from crawler.archive import open_archive\n"
    "with open_archive(sys.argv[1], readonly=True) as a:\n"
    "    n = sum(len(r['body']) > -1 for r in a.articles())\n"
    "assert n == int(sys.argv[2]), n"
)


def archive_rates(articles: int, rebuild: bool = True) -> None:
    work = Path(tempfile.mkdtemp(prefix="herald-bench-archive-"))
    source = work / "articles.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for article in generate_articles(articles, seed=3):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    print(f"{articles:,} synthetic articles, {source.stat().st_size / 1e6:,.0f} MB of JSON Lines")
    try:
        with postgres_server() as server:
            places = {
                "SQLite": str(work / "sqlite" / "archive.sqlite3"),
                "PostgreSQL": fresh_database(server, "bench"),
            }
            for label, where in places.items():
                env = {"HERALD_DATA_DIR": str(work / label)}
                if label == "PostgreSQL":
                    env["HERALD_ARCHIVE_URL"] = where
                else:
                    env["HERALD_DATA_DIR"] = str(Path(where).parent)
                imported, _ = _timed(
                    [sys.executable, "-m", "crawler.archive", "import", str(source)], env
                )
                built, rss = float("nan"), float("nan")
                if rebuild:
                    built, rss = _timed([sys.executable, "-m", "index.rebuild", "--quiet"], env)
                scanned, scan_rss = _timed([sys.executable, "-c", _SCAN, where, str(articles)], env)
                print(
                    f"{label:10} import {articles / imported:7,.0f} articles/s   "
                    f"rebuild {articles / built:6,.0f} articles/s (peak RSS {rss:,.0f} MB)   "
                    f"read all {articles / scanned:,.0f} articles/s (peak RSS {scan_rss:,.0f} MB)"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def publish_time(articles: int, cache: Path) -> None:
    index_dir = cache / f"n{articles}" / "index"
    build = current_build(index_dir)
    if build is None:
        raise SystemExit(
            f"no index at {index_dir}: run `python -m bench.index --articles {articles}` first"
        )
    size = sum(p.stat().st_size for p in build.iterdir() if p.is_file())
    dest = Path(tempfile.mkdtemp(prefix="herald-bench-publish-"))
    try:
        for label in ("to an empty replica", "again (all files already there)"):
            report = publish(index_dir, dest)
            print(
                f"publish {articles:,} articles ({size / 1e6:,.0f} MB) {label}: "
                f"{report.seconds:.2f} s, {report.copied_bytes / 1e6:,.0f} MB copied, "
                f"{report.linked_bytes / 1e6:,.0f} MB linked"
            )
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scaleout",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("crawl")
    c.add_argument("--articles", type=int, default=300)
    c.add_argument("--latency", type=float, default=0.1)
    c.add_argument("--site-delay", type=float, default=0.05, help="HERALD_SITE_DELAY to show")
    a = commands.add_parser("archive")
    a.add_argument("--articles", type=int, default=20000)
    a.add_argument("--no-rebuild", action="store_true", help="only import and read back")
    p = commands.add_parser("publish")
    p.add_argument("--articles", type=int, default=200000)
    p.add_argument("--cache-dir", type=Path, default=Path("/tmp/herald-bench-index"))
    args = parser.parse_args(argv)
    if args.command == "crawl":
        crawl(args.articles, args.latency, args.site_delay)
    elif args.command == "archive":
        archive_rates(args.articles, rebuild=not args.no_rebuild)
    else:
        publish_time(args.articles, args.cache_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
