"""Tag and author facets benchmark: whole answers with them against without them.

    python -m bench.facets --articles 20000 [--queries 200]

Uses bench.index's cached synthetic archive and index (--cache-dir, keyed by N; built when
missing) and its deterministic query mix. Two Searchers over the same index answer every
request, one counting the tag and author facets (the CSR label columns) and one not,
interleaved request by request so that both see the same machine load; both cold (postings
cache emptied before each request) and warm. Prints p50/p95 latency of each and what the
facets add, and the one-off cost of reading the label columns when a searcher opens.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.export import prepare
from bench.index import query_mix
from bench.measure import percentiles
from index.model import SearchRequest
from index.search import Searcher


def _timed(searcher: Searcher, req: SearchRequest, cold: bool) -> float:
    if cold:
        searcher.drop_caches()
    started = time.perf_counter()
    searcher.search(req)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.facets", description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/herald-research-bench"))
    args = parser.parse_args(argv)
    base = prepare(args.cache_dir / f"n{args.articles}", args.articles)
    index_dir, archive = base / "index", base / "archive.sqlite3"
    with_facets = Searcher(index_dir, archive, label_facets=True)
    without = Searcher(index_dir, archive, label_facets=False)
    started = time.perf_counter()
    with_facets.doc_count()
    opened = (time.perf_counter() - started) * 1000
    without.doc_count()
    labels = with_facets.live.gen.columns.labels  # the open generation's label columns
    sizes = ", ".join(f"{k}: {len(v.labels):,} values" for k, v in labels.items())
    print(f"{args.articles:,} articles; searcher open {opened:,.0f} ms; {sizes}")
    requests = [SearchRequest(**{**r.__dict__, "page_size": 10}) for r in query_mix(args.queries)]
    for label, cold in (("cold", True), ("warm", False)):
        times: dict[bool, list[float]] = {True: [], False: []}
        for req in requests:
            times[True].append(_timed(with_facets, req, cold))
            times[False].append(_timed(without, req, cold))
        on, off = percentiles(times[True]), percentiles(times[False])
        print(
            f"{label}: with tag+author facets p50 {on['p50']:.1f} ms p95 {on['p95']:.1f} ms; "
            f"without p50 {off['p50']:.1f} ms p95 {off['p95']:.1f} ms; "
            f"difference p50 {on['p50'] - off['p50']:+.1f} ms p95 {on['p95'] - off['p95']:+.1f} ms"
        )
    with_facets.close()
    without.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
