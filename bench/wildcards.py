"""Hostile-query benchmark: wildcard attacks on an index with over a million distinct words.

    python -m bench.wildcards [--articles 40000] [--rare 30] [--seconds 30]

Builds (or reuses) an archive of synthetic articles, each carrying `--rare` made-up words
of its own (names and codes, as a real archive's vocabulary grows), so the content field
holds over 1,000,000 distinct words; then

1. in process: times the 64-pattern query `*ae* OR *ai* OR …`, 16 `*xy*` patterns, short
   prefixes, and the most expensive wildcard query that stays within the budget, each
   answered or refused (index.limits), and prints what happened and how long it took;
2. under gunicorn (2 workers, as bench.load): the normal request mix's latency alone, then
   again while two clients send the 64-pattern query in a loop.

Target (issue #8): the attack answered or refused in ≤ 1 s; normal p50 within 2× of alone.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.load import free_port, percentile, request_mix, run, start_gunicorn, wait_ready
from bench.synth import generate_articles
from crawler.archive import Archive
from index.layout import current_build, is_current_format
from index.maintain.build import rebuild
from index.model import InvalidRequest, SearchRequest
from index.search import Searcher

LETTERS = "abcdefghijklmnoprstuvwy"
PAIRS = [a + b for a in "aeiou" for b in "aeioubcdfghklmnprstvwy" if a != b]
ATTACK_64 = " OR ".join(f"*{p}*" for p in PAIRS[:64])
ATTACK_16 = " OR ".join(f"*{c}{v}*" for c, v in zip("kmptrwhsnglbdfvc", "aeiou" * 4, strict=False))


def _made_up(rnd: random.Random) -> str:
    return "".join(rnd.choices(LETTERS, k=rnd.randint(6, 11)))


def prepare(data_dir: Path, n: int, rare: int) -> None:
    """An archive of `n` articles with `rare` made-up words each, and its index."""
    archive_path, index_dir = data_dir / "archive.sqlite3", data_dir / "index"
    data_dir.mkdir(parents=True, exist_ok=True)
    if not archive_path.exists():
        print(f"writing {n:,} articles with {rare} made-up words each …", flush=True)
        rnd = random.Random(5)
        partial = archive_path.with_name("partial.sqlite3")
        articles = generate_articles(n, seed=3)
        with Archive(partial) as archive:
            while batch := list(itertools.islice(articles, 2000)):
                for article in batch:
                    names = " ".join(_made_up(rnd) for _ in range(rare))
                    article["body"] += f"\n\nAlso named: {names}."
                archive.upsert_many(batch)
        partial.rename(archive_path)
    live = current_build(index_dir)
    if live is None or not is_current_format(live) or not (live / "vocab").is_dir():
        print("building the index …", flush=True)
        report = rebuild(archive_path, index_dir, procs=2, progress=True)
        print(f"indexed {report.articles:,} articles in {report.seconds:.0f} s", flush=True)


def time_query(searcher: Searcher, label: str, q: str) -> None:
    started = time.perf_counter()
    try:
        result = searcher.search(SearchRequest(q=q, page_size=10))
        outcome = f"{result.total:,} hits"
    except InvalidRequest as exc:
        outcome = f"refused: {exc}"
    took = (time.perf_counter() - started) * 1000
    print(f"{label:<34}{took:>9.1f} ms  {outcome[:150]}")


def in_process(data_dir: Path) -> None:
    searcher = Searcher(data_dir / "index", data_dir / "archive.sqlite3")
    reader_terms = sum(1 for _ in searcher._current().searcher.reader().lexicon("content"))  # noqa: SLF001
    print(f"\ndistinct words in the content field: {reader_terms:,}")
    print(f"{'query':<34}{'time':>12}  outcome")
    time_query(searcher, "warm-up: rugby", "rugby")
    time_query(searcher, "64 patterns *ae* OR *ai* OR …", ATTACK_64)
    time_query(searcher, "16 patterns *ka* OR *me* OR …", ATTACK_16)
    time_query(searcher, "a*", "a*")
    time_query(searcher, "*e", "*e")
    time_query(searcher, "*ing", "*ing")
    time_query(searcher, "elect*", "elect*")
    time_query(searcher, "*ington", "*ington")
    time_query(searcher, "pol?ce", "pol?ce")
    # Many narrow patterns: over the budget, and just within it (the most wildcards may cost).
    rnd = random.Random(9)
    narrow = " OR ".join(f"*{''.join(rnd.choices(LETTERS, k=3))}*" for _ in range(60))
    time_query(searcher, "60 patterns *xyz* OR …", narrow)
    within = " OR ".join(f"*{''.join(rnd.choices(LETTERS, k=4))}*" for _ in range(14))
    time_query(searcher, "14 patterns *wxyz* OR …", within)
    common = " OR ".join(["said", "police", "government", "people", "year", "new", "time"] * 1)
    time_query(searcher, "7 common words ORed", common)
    searcher.close()


def attack(base: str, stop: threading.Event, outcomes: list[tuple[int, float]]) -> None:
    url = f"{base}/api/search?{urllib.parse.urlencode({'q': ATTACK_64})}"
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, TimeoutError):
            status = 0
        outcomes.append((status, time.perf_counter() - started))


def p50(timings: dict[str, list[float]]) -> tuple[float, int]:
    values = [v for route in timings.values() for v in route]
    return (percentile(values, 50) * 1000 if len(values) > 1 else float("nan")), len(values)


def under_load(data_dir: Path, seconds: float, clients: int) -> None:
    port = free_port()
    server = start_gunicorn(data_dir, port, 2)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        mix = request_mix(base)
        for _route, url in mix:
            urllib.request.urlopen(url, timeout=60).read()
        alone, n_alone = p50(run(mix, seconds, clients))
        stop, outcomes = threading.Event(), []
        attackers = [threading.Thread(target=attack, args=(base, stop, outcomes)) for _ in range(2)]
        for thread in attackers:
            thread.start()
        attacked, n_attacked = p50(run(mix, seconds, clients))
        stop.set()
        for thread in attackers:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = {s: sum(1 for code, _ in outcomes if code == s) for s, _ in outcomes}
    attack_ms = statistics.median(t for _, t in outcomes) * 1000 if outcomes else float("nan")
    print(f"\nnormal traffic ({clients} clients, gunicorn 2 workers, {seconds:.0f} s each):")
    print(f"  alone:                  p50 {alone:7.1f} ms  ({n_alone / seconds:.1f} req/s)")
    print(f"  with 2 attack clients:  p50 {attacked:7.1f} ms  ({n_attacked / seconds:.1f} req/s)")
    print(f"  ratio: {attacked / alone:.2f}×")
    print(f"  attack requests: {len(outcomes):,}, statuses {statuses}, median {attack_ms:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wildcards", description=__doc__)
    parser.add_argument("--articles", type=int, default=40000)
    parser.add_argument("--rare", type=int, default=30, help="made-up words per article")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--skip-load", action="store_true", help="only the in-process timings")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path("/tmp/herald-bench") / f"wildcards-{args.articles}"
    prepare(data_dir, args.articles, args.rare)
    in_process(data_dir)
    if not args.skip_load:
        under_load(data_dir, args.seconds, args.clients)
    return 0


if __name__ == "__main__":
    sys.exit(main())
