"""Index benchmark: build speed, index size and whole-answer query latency.

    python -m bench.index --articles 20000 [--queries 200] [--procs 2] [--reuse-index]

Generates N synthetic articles (bench.synth) into an archive cached under --cache-dir
(keyed by N), rebuilds the index (articles/s, bytes/article), then runs a fixed,
deterministic mix of queries through `index.search.Searcher` — common and rare words, AND,
phrases, OR, section/year filters, date sorts, the empty query; page_size 10, so every
answer includes 10 snippets, the exact total, facets and the timeline — and prints
p50/p95/p99 latency, once with the searcher's postings cache emptied before every query
(cold) and once as a long-running server sees it (warm), and the process RSS.
Targets: ≥ 1,000 articles/s, ≤ 4 KB/article, p95 ≤ 50 ms at 200,000 articles and ≤ 250 ms
at 2,000,000 (`--articles 2000000`: ~8.4 GB of archive, 3.6 GB of index, ~20 minutes).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.synth import synthetic_archive
from index.layout import current_build, is_current_format
from index.maintain.build import rebuild
from index.model import SearchRequest
from index.search import Searcher

COMMON = [
    "police",
    "government",
    "rugby",
    "council",
    "health",
    "housing",
    "court",
    "election",
    "Auckland",
    "weather",
    "prices",
    "school",
    "minister",
    "water",
]
RARE = [
    "Whangārei",
    "Taupō",
    "kererū",
    "pounamu",
    "Karangahape",
    "recycling",
    "verdict",
    "ferry",
    "kiwifruit",
    "athletics",
    "Tairāwhiti",
    "hāngī",
]
SECTIONS = ["Sport", "New Zealand", "World", "Business", "Entertainment"]


def query_mix(n: int, seed: int = 0) -> list[SearchRequest]:
    """A deterministic mix of realistic requests."""
    rnd = random.Random(seed)
    kinds = [
        lambda: SearchRequest(q=rnd.choice(COMMON)),
        lambda: SearchRequest(q=rnd.choice(RARE)),
        lambda: SearchRequest(q=f"{rnd.choice(COMMON)} {rnd.choice(COMMON)}"),
        lambda: SearchRequest(q=f"{rnd.choice(COMMON)} {rnd.choice(RARE)}"),
        lambda: SearchRequest(
            q=rnd.choice(['"prime minister"', '"police said"', '"the government"', '"All Blacks"'])
        ),
        lambda: SearchRequest(q=f"{rnd.choice(RARE)} OR {rnd.choice(COMMON)}"),
        lambda: SearchRequest(q=rnd.choice(COMMON), section=rnd.choice(SECTIONS)),
        lambda: SearchRequest(q=rnd.choice(COMMON), year=rnd.randint(2010, 2026)),
        lambda: SearchRequest(q=rnd.choice(COMMON), sort=rnd.choice(["newest", "oldest"])),
        lambda: SearchRequest(q="", section=rnd.choice([None, *SECTIONS])),
        lambda: SearchRequest(q=f"{rnd.choice(COMMON)} -{rnd.choice(COMMON)}"),
    ]
    return [kinds[i % len(kinds)]() for i in range(n)]


def _rss_mb() -> tuple[float, float, float]:
    """Resident MB: total, anonymous (this process's own) and file-backed (mapped index
    files: page cache shared by every worker process), from /proc/self/status."""
    fields = {"VmRSS": 0.0, "RssAnon": 0.0, "RssFile": 0.0}
    for line in Path("/proc/self/status").read_text().splitlines():
        name = line.split(":", 1)[0]
        if name in fields:
            fields[name] = int(line.split()[1]) / 1024
    return fields["VmRSS"], fields["RssAnon"], fields["RssFile"]


def prepare_archive(path: Path, n: int) -> None:
    started = time.monotonic()
    if synthetic_archive(path, n):
        print(f"archive: {n:,} synthetic articles in {time.monotonic() - started:.1f} s")


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run_queries(
    searcher: Searcher, requests: list[SearchRequest], *, cold: bool = False
) -> list[float]:
    times = []
    for req in requests:
        if cold:
            searcher.drop_caches()
        started = time.perf_counter()
        searcher.search(SearchRequest(**{**req.__dict__, "page_size": 10}))
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.index",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/herald-bench-index"))
    parser.add_argument("--reuse-index", action="store_true", help="skip the rebuild")
    args = parser.parse_args(argv)
    base = args.cache_dir / f"n{args.articles}"
    base.mkdir(parents=True, exist_ok=True)
    archive_path, index_dir = base / "archive.sqlite3", base / "index"
    prepare_archive(archive_path, args.articles)
    live = current_build(index_dir)
    if not (args.reuse_index and live is not None and is_current_format(live)):
        shutil.rmtree(index_dir, ignore_errors=True)
        report = rebuild(archive_path, index_dir, procs=args.procs)
        print(
            f"build: {report.articles:,} articles in {report.seconds:.1f} s = "
            f"{report.rate:,.0f} articles/s; index {report.index_bytes / 1e6:,.1f} MB = "
            f"{report.index_bytes / report.articles:,.0f} bytes/article"
        )
    started = time.perf_counter()
    searcher = Searcher(index_dir, archive_path)
    searcher.doc_count()
    opened = (time.perf_counter() - started) * 1000
    requests = query_mix(args.queries)
    first = run_queries(searcher, requests[:1])[0]
    print(f"open: {opened:,.0f} ms; first query {first:,.1f} ms")
    print(f"queries: {len(requests)} whole answers (10 hits + snippets, total, facets, timeline)")
    for label, cold in (("cold postings cache", True), ("warm (the mix repeats words)", False)):
        times = run_queries(searcher, requests, cold=cold)
        print(
            f"latency ms, {label}: p50 {pct(times, 50):.1f}  p95 {pct(times, 95):.1f}  "
            f"p99 {pct(times, 99):.1f}  max {max(times):.1f}"
        )
    total, own, mapped = _rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"RSS: {total:,.0f} MB (peak {peak:,.0f} MB) = {own:,.0f} MB own "
        f"+ {mapped:,.0f} MB mapped index/archive files (shared page cache)"
    )
    searcher.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
