"""Load benchmark of the web app under gunicorn: requests/s and latency percentiles per route.

    python -m bench.load --articles 20000 --seconds 30

Builds (or reuses) an N-article synthetic archive and index, starts gunicorn with 2 workers
on 127.0.0.1, runs a fixed mix of search-page, API and article requests from a bounded pool
of client threads (urllib), prints the figures and stops gunicorn.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from bench.synth import synthetic_archive
from index.layout import current_build, is_current_format
from index.maintain.build import rebuild

REPO = Path(__file__).resolve().parents[1]
QUERIES = [
    "government",
    "rugby",
    "police",
    '"prime minister"',
    "council OR police",
    "water -rain",
    "title:election",
    "elect*",
    "Whangarei",
    "housing market",
    "governmnet",
    "climate change policy",
]
FILTERS = [
    {},
    {"section": "Sport"},
    {"year": "2022"},
    {"year": "2019", "month": "2019-06"},
    {"sort": "newest"},
    {"page": "2"},
    {"premium": "false"},
]


def prepare(data_dir: Path, n: int) -> None:
    """Make sure `data_dir` holds an N-article archive and a built index."""
    archive_path, index_dir = data_dir / "archive.sqlite3", data_dir / "index"
    print(f"checking {n:,} synthetic articles in {archive_path} …", flush=True)
    generated = synthetic_archive(archive_path, n)
    live = current_build(index_dir)
    if generated or live is None or not is_current_format(live):
        print("building the index …", flush=True)
        report = rebuild(archive_path, index_dir, procs=2, progress=True)
        print(f"indexed {report.articles:,} articles at {report.rate:,.0f}/s", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HERALD_DATA_DIR": str(data_dir)}
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "web:create_app()",
    ]
    return subprocess.Popen(cmd, cwd=REPO, env=env)


def wait_ready(base: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not become healthy in time")


def request_mix(base: str) -> list[tuple[str, str]]:
    """The fixed (route, url) mix: search pages and API calls, plus a few article pages."""
    mix = []
    for query, filters in zip(QUERIES * 2, itertools.cycle(FILTERS), strict=False):
        args = urllib.parse.urlencode({"q": query, **filters})
        mix.append(("page /", f"{base}/?{args}"))
        mix.append(("api /api/search", f"{base}/api/search?{args}&page_size=10"))
    mix.append(("page / (browse)", f"{base}/"))
    with urllib.request.urlopen(f"{base}/api/search?page_size=5&q=government") as response:
        ids = [hit["id"] for hit in json.load(response)["hits"]]
    mix += [("page /article", f"{base}/article/{i}") for i in ids]
    return mix


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - started


def run(mix: list[tuple[str, str]], seconds: float, clients: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        for route, url in itertools.islice(itertools.cycle(mix), offset * 7, None):
            if time.monotonic() >= deadline:
                return
            try:
                took = fetch(url)
            except (urllib.error.URLError, RuntimeError, TimeoutError) as exc:
                with lock:
                    errors.append(f"{url}: {exc}")
                continue
            with lock:
                timings[route].append(took)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return timings


def percentile(values: list[float], pct: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def report(timings: dict[str, list[float]], seconds: float) -> None:
    total = sum(len(v) for v in timings.values())
    print(f"\n{total:,} requests in {seconds:.0f} s: {total / seconds:,.1f} requests/s")
    print(f"{'route':<20}{'n':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for route, values in sorted(timings.items()):
        if len(values) < 2:
            continue
        p50, p95, p99 = (percentile(values, p) * 1000 for p in (50, 95, 99))
        print(
            f"{route:<20}{len(values):>7}{len(values) / seconds:>8.1f}"
            f"{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="default: /tmp/herald-bench/load-N (reused between runs)",
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path("/tmp/herald-bench") / f"load-{args.articles}"
    prepare(data_dir, args.articles)
    port = free_port()
    server = start_gunicorn(data_dir, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        mix = request_mix(base)
        for _route, url in mix:  # warm up: every worker opens its searcher and caches
            fetch(url)
        print(
            f"{len(mix)} distinct requests, {args.clients} clients, "
            f"{args.workers} gunicorn workers, {args.articles:,} articles"
        )
        timings = run(mix, args.seconds, args.clients)
        report(timings, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
