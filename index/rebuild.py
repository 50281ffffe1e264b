"""The index rebuild script: a fresh index from the archive, swapped in atomically.

    python -m index.rebuild                 # full rebuild beside the live index, then swap
    python -m index.rebuild --incremental   # only what changed since the last build/update

Reads the data directory from `crawler.config.load_config()` (HERALD_DATA_DIR). A progress
bar (articles, rate, ETA) goes to stderr. Exits non-zero with a message when another rebuild
or update holds the lock.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crawler.archive import ArchiveError
from crawler.config import load_config
from index.layout import IndexBusy
from index.maintain.build import BuildFailed, rebuild
from index.maintain.incremental import NoIndex, update


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.rebuild",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="index only articles changed since the last build or update",
    )
    parser.add_argument("--procs", type=int, default=2, help="indexing processes (default 2)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = load_config()
    if config.archive_url is None and not config.archive_path.exists():
        print(f"index.rebuild: no archive at {config.archive_path}", file=sys.stderr)  # noqa: T201
        return 2
    try:
        if args.incremental:
            done = update(config.archive, config.index_dir)
            print(f"updated {done.articles} articles (watermark {done.watermark_after})")  # noqa: T201
            return 0
        report = rebuild(
            config.archive, config.index_dir, procs=max(1, args.procs), progress=not args.quiet
        )
    except (IndexBusy, NoIndex, ArchiveError, BuildFailed) as exc:
        print(f"index.rebuild: {exc}", file=sys.stderr)  # noqa: T201 - CLI output
        return 2
    except KeyboardInterrupt:
        print("index.rebuild: interrupted; the live index is unchanged", file=sys.stderr)  # noqa: T201
        return 130
    print(  # noqa: T201 - the CLI's summary
        f"indexed {report.articles} articles in {report.seconds:.1f} s "
        f"({report.rate:.0f}/s), {report.index_bytes / max(1, report.articles):.0f} bytes/article"
        f" → {report.build_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
