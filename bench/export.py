"""Export benchmark: peak memory of streaming /search.csv against the number of results.

    python -m bench.export --articles 200000 [--counts 1000,10000,50000,200000]

Uses bench.index's cached synthetic archive and index (--cache-dir, keyed by N; built when
missing). For each count, a fresh process opens the app, warms its searcher up, resets
the kernel's peak-RSS mark (/proc/self/clear_refs), then streams the CSV of the newest
`count` articles (a `from` date chosen so that about that many match) through the real
Flask app and reads every byte; it prints the rows, bytes, seconds and the peak RSS above
the warmed-up process. Flat memory means the growth does not rise with the row count
(what does grow is the ordered id list: 26 bytes per result).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.index import prepare_archive
from index.layout import current_build, is_current_format
from index.maintain.build import rebuild

DEFAULT_COUNTS = "1000,10000,50000,200000"


def _status_kb(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(data_dir: Path, count: int) -> dict[str, float]:
    """Stream one export of about `count` rows (in this process) and measure it."""
    from index.model import SearchRequest
    from web import close_searcher, create_app
    from web.resources import get_searcher

    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    searcher = get_searcher(app)
    newest = searcher.ordered_ids(SearchRequest(sort="newest"))
    nth = newest[min(count, newest.size) - 1].decode()
    with app.app_context():
        from web.resources import get_archive

        since = get_archive().get(nth)["published"][:10]
    del newest
    client = app.test_client()
    client.get("/search.csv", query_string={"q": "kererū"}).close()  # warm up (few rows)
    args = {"from": since, "sort": "newest"}
    base = _status_kb("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    response = client.get("/search.csv", query_string=args, buffered=False)
    rows = size = 0
    for chunk in response.response:
        size += len(chunk)
        rows += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM") if reset else _status_kb("VmRSS")
    close_searcher(app)
    return {
        "rows": rows - 1,  # the header
        "mb": size / 1e6,
        "seconds": seconds,
        "base_mb": base / 1024,
        "peak_mb": peak / 1024,
        "measured_peak": reset,
    }


def prepare(base: Path, n: int) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    archive_path, index_dir = base / "archive.sqlite3", base / "index"
    prepare_archive(archive_path, n)
    live = current_build(index_dir)
    if live is None or not is_current_format(live):
        shutil.rmtree(index_dir, ignore_errors=True)
        report = rebuild(archive_path, index_dir, procs=2)
        print(f"build: {report.articles:,} articles in {report.seconds:.0f} s")
    return base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--counts", default=DEFAULT_COUNTS)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/herald-research-bench"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    base = args.cache_dir / f"n{args.articles}"
    if args.child is not None:  # one measurement, in its own process
        print(json.dumps(measure(base, args.child)))
        return 0
    prepare(base, args.articles)
    print(f"/search.csv streamed through the Flask app, {args.articles:,}-article index")
    print(f"{'rows':>9} {'MB':>8} {'s':>7} {'RSS before':>11} {'peak':>8} {'growth':>8}")
    for count in (int(c) for c in args.counts.split(",")):
        child = [sys.executable, "-m", "bench.export", "--articles", str(args.articles)]
        child += ["--cache-dir", str(args.cache_dir), "--child", str(count)]
        done = subprocess.run(child, capture_output=True, text=True, check=True)
        m = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{m['rows']:>9,} {m['mb']:>8.1f} {m['seconds']:>7.1f} {m['base_mb']:>9.0f} MB "
            f"{m['peak_mb']:>5.0f} MB {m['peak_mb'] - m['base_mb']:>+5.0f} MB"
            + ("" if m["measured_peak"] else "  (peak not measurable: RSS after)")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
