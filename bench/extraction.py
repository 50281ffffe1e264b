"""Extraction throughput on one core: `python -m bench.extraction [--seconds N] [--page FILE]`.

Runs extract_article over one page in a loop and prints pages/s, ms/page and the page size.
The page is the real saved article in ../shared/real-pages when present, else the largest
fixture page. The target is at least 200 pages/s per core.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from crawler.extract import extract_article

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGES = ROOT.parent / "shared" / "real-pages"
FIXTURE_PAGES = ROOT / "tests" / "fixtures" / "pages"
TARGET_PAGES_PER_SECOND = 200


def default_page() -> Path:
    """The real saved page when available, else the largest fixture page."""
    real = sorted(REAL_PAGES.glob("*.html")) if REAL_PAGES.is_dir() else []
    if real:
        return real[0]
    return max(FIXTURE_PAGES.glob("*.html"), key=lambda p: p.stat().st_size)


def measure(html: str, seconds: float) -> tuple[int, float, float]:
    """(pages, wall seconds, CPU seconds) for at least `seconds` of back-to-back extraction.

    The rate per core is pages / CPU seconds: on a shared machine the wall clock also counts
    time spent waiting for the CPU.
    """
    url = "https://www.nzherald.co.nz/bench/"
    extract_article(url, html)  # warm caches (imports, lxml) outside the timing
    count, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            extract_article(url, html)
        count += 10
    return count, elapsed, time.process_time() - cpu_start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to run (5)")
    parser.add_argument("--page", type=Path, default=None, help="an HTML page to extract")
    args = parser.parse_args(argv)
    page = args.page or default_page()
    html = page.read_text(encoding="utf-8")
    count, elapsed, cpu = measure(html, args.seconds)
    rate = count / cpu
    print(f"page: {page.name} ({len(html.encode('utf-8')) / 1024:.0f} KiB)")
    print(
        f"{rate:.0f} pages/s on one core, {1000 / rate:.2f} ms/page ({count} pages in "
        f"{cpu:.1f} s of CPU, {elapsed:.1f} s wall); target {TARGET_PAGES_PER_SECOND} pages/s"
    )
    return 0 if rate >= TARGET_PAGES_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
