"""Index benchmark: build speed, index size and whole-answer latency, beside SQLite FTS5.

    python -m bench.index --articles 20000 [--queries 200] [--procs 2] [--reuse-index] [--no-fts5]
                          [--slowest 10]

Generates N synthetic articles (bench.synth: news-like text whose vocabulary keeps growing)
into an archive cached under --cache-dir (keyed by N and the generator version), rebuilds
the index (articles/s, bytes/article), then runs bench.queries' deterministic mix — common
and rare words, names, AND, phrases, OR, exclusion, section/year filters, date sorts, the
empty query; page_size 10, so every answer includes 10 snippets, the exact total, facets
and the timeline — through `index.search.Searcher`, and prints p50/p95/p99 latency, once
with the searcher's postings cache emptied before every query (cold) and once as a
long-running server sees it (warm), and the process RSS; with --slowest N, the N slowest
warm queries (what the tail percentiles are made of).

Then it runs the SQLite FTS5 baseline (bench.fts5) in its own process on the same archive
and query mix, and prints both engines' figures side by side with the ratio ours / FTS5
(for a rate, above 1 is better; for times and sizes, below 1), so a figure from this
shared 2-core machine can be read against a baseline measured in the same run.
A 2M run (`--articles 2000000`) needs the archive (~9 GB), the index and FTS5's copy on disk.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from bench.measure import percentiles, rss_mb
from bench.queries import query_mix
from bench.synth import synthetic_archive
from index.layout import current_build, is_current_format
from index.maintain.build import rebuild
from index.model import SearchRequest
from index.search import Searcher


def prepare_archive(path: Path, n: int) -> None:
    started = time.monotonic()
    if synthetic_archive(path, n):
        print(f"archive: {n:,} synthetic articles generated in {time.monotonic() - started:.1f} s")


def run_queries(
    searcher: Searcher, requests: list[SearchRequest], *, cold: bool = False
) -> list[float]:
    times = []
    for req in requests:
        if cold:
            searcher.drop_caches()
        started = time.perf_counter()
        searcher.search(replace(req, page_size=10))
        times.append((time.perf_counter() - started) * 1000)
    return times


def ours(archive_path: Path, index_dir: Path, args: argparse.Namespace) -> dict[str, object]:
    """Build (unless reused) and query herald-search; print and return its figures."""
    figures: dict[str, object] = {}
    live = current_build(index_dir)
    if not (args.reuse_index and live is not None and is_current_format(live)):
        shutil.rmtree(index_dir, ignore_errors=True)
        # In a process of its own: a one-process build would otherwise leave its analysis
        # caches in this one, and the RSS below is the query process's.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            report = pool.submit(rebuild, archive_path, index_dir, procs=args.procs).result()
        figures["build"] = {
            "rate": report.rate,
            "bytes_per_article": report.index_bytes / report.articles,
        }
        print(
            f"build: {report.articles:,} articles in {report.seconds:.1f} s = "
            f"{report.rate:,.0f} articles/s ({args.procs} processes); index "
            f"{report.index_bytes / 1e6:,.1f} MB = {report.index_bytes / report.articles:,.0f}"
            " bytes/article"
        )
    started = time.perf_counter()
    searcher = Searcher(index_dir, archive_path)
    searcher.doc_count()
    opened = (time.perf_counter() - started) * 1000
    requests = query_mix(args.queries)
    first = run_queries(searcher, requests[:1])[0]
    print(f"open: {opened:,.0f} ms; first query {first:,.1f} ms")
    print(f"queries: {len(requests)} whole answers (10 hits + snippets, total, facets, timeline)")
    for label, cold in (("cold", True), ("warm", False)):
        times = run_queries(searcher, requests, cold=cold)
        p = figures[label] = percentiles(times)
        print(
            f"latency ms, {label}: p50 {p['p50']:.1f}  p95 {p['p95']:.1f}  "
            f"p99 {p['p99']:.1f}  max {p['max']:.1f}"
        )
    if args.slowest:
        print_slowest(requests, times, args.slowest)
    rss = figures["rss_mb"] = rss_mb()
    print(
        f"RSS: {rss['total']:,.0f} MB (peak {rss['peak']:,.0f} MB) = {rss['own']:,.0f} MB own "
        f"+ {rss['mapped']:,.0f} MB mapped index/archive files (shared page cache)"
    )
    searcher.close()
    return figures


def print_slowest(requests: list[SearchRequest], times: list[float], n: int) -> None:
    """The `n` slowest queries of the last run, slowest first."""
    print(f"slowest {n} warm queries:")
    for ms, req in sorted(zip(times, requests, strict=True), key=lambda x: -x[0])[:n]:
        filters = {k: v for k, v in req.__dict__.items() if k in ("section", "year") and v}
        sort = f" sort={req.sort}" if req.sort != "relevance" else ""
        print(f"  {ms:8.1f} ms  {req.q!r}{sort}{' ' + str(filters) if filters else ''}")


def fts5(archive_path: Path, queries: int) -> dict[str, object]:
    """The FTS5 baseline's figures, measured in its own process."""
    print("SQLite FTS5 on the same archive and queries (python -m bench.fts5) …", flush=True)
    cmd = [sys.executable, "-m", "bench.fts5", "--archive", str(archive_path)]
    done = subprocess.run(
        [*cmd, "--queries", str(queries), "--json"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench.fts5 failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(label: str, mine: float | None, theirs: float, fmt: str) -> str:
    ratio = f"{mine / theirs:.2f}" if mine is not None and theirs else "–"
    shown = format(mine, fmt) if mine is not None else "(reused)"
    return f"{label:<34}{shown:>14}{format(theirs, fmt):>14}{ratio:>12}"


def compare(ours_: dict[str, object], theirs: dict[str, object], procs: int) -> None:
    """Both engines' figures side by side, with ours / FTS5."""
    build, their_build = ours_.get("build"), theirs["build"]
    print(f"\n{'':<34}{'herald-search':>14}{'SQLite FTS5':>14}{'ours/FTS5':>12}")
    print(_row(f"build, articles/s ({procs} procs / 1)", build and build["rate"],
               their_build["rate"], ",.0f"))  # fmt: skip
    their_bytes = their_build["index_bytes"] / their_build["articles"]
    print(_row("index bytes/article", build and build["bytes_per_article"], their_bytes, ",.0f"))
    for label in ("cold", "warm"):
        for p in ("p50", "p95", "p99"):
            print(_row(f"whole answer {p} ms, {label}", ours_[label][p], theirs[label][p], ".1f"))
    print(_row("query process RSS MB", ours_["rss_mb"]["total"], theirs["rss_mb"]["total"], ",.0f"))
    print(
        "cold: ours with its postings cache emptied, FTS5 with a new connection (empty page "
        "cache), before every query; the OS page cache stays warm for both."
    )


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
    parser.add_argument("--no-fts5", action="store_true", help="skip the SQLite FTS5 baseline")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest warm queries")
    args = parser.parse_args(argv)
    base = args.cache_dir / f"n{args.articles}"
    base.mkdir(parents=True, exist_ok=True)
    archive_path, index_dir = base / "archive.sqlite3", base / "index"
    prepare_archive(archive_path, args.articles)
    mine = ours(archive_path, index_dir, args)
    if not args.no_fts5:
        compare(mine, fts5(archive_path, args.queries), args.procs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
