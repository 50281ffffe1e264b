"""Incremental index update: `python -m index.update` (the same as `index.rebuild --incremental`).

Indexes the articles archived or changed since the last build or update
(index.maintain.incremental). Exits 2 with one line when it cannot.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crawler.archive import ArchiveError
from crawler.config import load_config
from index.layout import IndexBusy
from index.maintain.build import BuildFailed
from index.maintain.incremental import NoIndex, update


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.update",
        description="Index the articles archived or changed since the last build or update.",
    )
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = load_config()
    try:
        report = update(config.archive, config.index_dir)
    except (IndexBusy, NoIndex, ArchiveError, BuildFailed) as exc:
        print(f"index.update: {exc}", file=sys.stderr)  # noqa: T201 - CLI output
        return 2
    print(f"updated {report.articles} articles (watermark {report.watermark_after})")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
