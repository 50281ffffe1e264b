"""Extraction benchmark: throughput, and body quality per page layout.

`python -m bench.extraction [--seconds N] [--page FILE]` runs extract_article over one page in
a loop and prints pages/s, ms/page and the page size. The page is the real saved article in
../shared/real-pages when present, else the largest fixture page; `--dom` hides the page's
Fusion data so the DOM path is timed. The target is at least 200 pages/s per core.

`python -m bench.extraction --quality [--articles N]` scores extracted bodies against the
expected ones: every fixture page with an expected record (tests/fixtures/pages), and N
synthetic articles rendered in each layout of the sample site (tests/sample_site). Per
layout it prints body F1 (word multisets, the worst page), exact bodies, noise leaks
(paragraphs that are not in the expected body) and lost paragraphs. Exit 1 when a layout's F1
is below 0.99 or anything leaks.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from crawler.extract import NotAnArticle, extract_article

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGES = ROOT.parent / "shared" / "real-pages"
FIXTURE_PAGES = ROOT / "tests" / "fixtures" / "pages"
TARGET_PAGES_PER_SECOND = 200
TARGET_F1 = 0.99


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


def body_f1(got: str, expected: str) -> float:
    """F1 of the two bodies' word multisets (1.0 when both are empty)."""
    got_words, expected_words = Counter(got.split()), Counter(expected.split())
    overlap = sum((got_words & expected_words).values())
    if not got_words and not expected_words:
        return 1.0
    if not overlap:
        return 0.0
    precision = overlap / sum(got_words.values())
    recall = overlap / sum(expected_words.values())
    return 2 * precision * recall / (precision + recall)


def _cases(articles: int) -> Iterator[tuple[str, str, str, str]]:
    """(layout, url, html, expected body) for every page scored."""
    for path in sorted(FIXTURE_PAGES.glob("*.html")):
        expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
        if not expected.get("body"):
            continue
        html = path.read_text("utf-8")
        yield f"fixture {path.stem}", expected["url"], html, expected["body"]
        if "Fusion.globalContent={" in html:
            hidden = html.replace("Fusion.globalContent=", "Fusion.hiddenContent=", 1)
            yield f"fixture {path.stem} (DOM)", expected["url"], hidden, expected["body"]
    # The sample site's renderer lives with the tests; only this mode needs it.
    from bench.synth import generate_articles
    from tests.sample_site.render import LAYOUTS, render_article

    stories = list(generate_articles(articles, seed=13))
    for layout in LAYOUTS:
        for story in stories:
            yield f"sample {layout}", story["url"], render_article(story, layout), story["body"]


def quality(articles: int) -> int:
    """Print body quality per layout; 0 when every layout meets the targets."""
    rows: dict[str, list[tuple[float, bool, int, int]]] = {}
    for layout, url, html, expected in _cases(articles):
        try:
            got = extract_article(url, html)["body"]
        except NotAnArticle:
            got = ""
        want, have = expected.split("\n\n"), got.split("\n\n") if got else []
        leaks = sum(1 for p in have if p not in want)
        lost = sum(1 for p in want if p not in have)
        rows.setdefault(layout, []).append((body_f1(got, expected), got == expected, leaks, lost))
    failed = False
    print(f"{'layout':48} pages  mean F1  worst F1  exact  leaks  lost")
    for layout, scores in rows.items():
        f1s = [s[0] for s in scores]
        leaks, lost = sum(s[2] for s in scores), sum(s[3] for s in scores)
        exact = sum(s[1] for s in scores)
        failed |= min(f1s) < TARGET_F1 or leaks > 0
        print(
            f"{layout:48} {len(scores):5}  {sum(f1s) / len(f1s):7.4f}  {min(f1s):8.4f}  "
            f"{exact:5}  {leaks:5}  {lost:4}"
        )
    print(f"target: F1 >= {TARGET_F1} on every page, 0 leaks: {'FAIL' if failed else 'ok'}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to run (5)")
    parser.add_argument("--page", type=Path, default=None, help="an HTML page to extract")
    parser.add_argument("--dom", action="store_true", help="hide Fusion data: time the DOM path")
    parser.add_argument("--quality", action="store_true", help="score bodies per layout")
    parser.add_argument("--articles", type=int, default=20, help="articles per layout (20)")
    args = parser.parse_args(argv)
    if args.quality:
        return quality(args.articles)
    page = args.page or default_page()
    html = page.read_text(encoding="utf-8")
    if args.dom:
        html = html.replace("Fusion.globalContent=", "Fusion.hiddenContent=", 1)
    count, elapsed, cpu = measure(html, args.seconds)
    rate = count / cpu
    print(f"page: {page.name} ({len(html.encode('utf-8')) / 1024:.0f} KiB){' DOM' * args.dom}")
    print(
        f"{rate:.0f} pages/s on one core, {1000 / rate:.2f} ms/page ({count} pages in "
        f"{cpu:.1f} s of CPU, {elapsed:.1f} s wall); target {TARGET_PAGES_PER_SECOND} pages/s"
    )
    return 0 if rate >= TARGET_PAGES_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
