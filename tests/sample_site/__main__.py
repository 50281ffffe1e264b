"""Serve the demo site: `python -m tests.sample_site --port 8765 [--articles 300] [--seed 0]`.

A few hundred synthetic articles (bench.synth) across sections and 1998-2026, rendered in
rotating page layouts, plus the handwritten fixture pages and the special cases; crawl it
with `scrapy crawl herald -s HERALD_BASE_URL=<the printed URL>`. Runs until killed.
"""

from __future__ import annotations

import argparse
import sys
import threading

from bench.synth import generate_articles
from tests.sample_site.server import SampleServer
from tests.sample_site.site import standard_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sample_site", description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    site = standard_site(generate_articles(args.articles, seed=args.seed))
    with SampleServer(site, port=args.port) as server:
        print(f"sample site with {len(site.pages)} article pages at {server.url}", flush=True)  # noqa: T201
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
