"""The index rebuild script: a fresh index from the archive, swapped in atomically.

    python -m index.rebuild                 # full rebuild beside the live index, then swap
    python -m index.rebuild --incremental   # only what changed since the last build/update

Reads the data directory from `crawler.config.load_config()` (HERALD_DATA_DIR). A progress
bar (articles, rate, ETA) goes to stderr (`--quiet` turns it off). Exits 2 with one line when
it cannot (no archive, another rebuild running, disk full, ...), 130 when interrupted; a
failed rebuild removes its partial build and leaves the live index serving.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crawler.config import load_config
from index.commands import archive_missing, no_archive, run, say, skipped_note, update_summary
from index.maintain.build import rebuild
from index.maintain.incremental import update

PROG = "index.rebuild"


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
    if archive_missing(config):
        say(PROG, no_archive(config))
        return 2

    def command() -> int:
        if args.incremental:
            done = update(config.archive, config.index_dir, progress=not args.quiet)
            print(update_summary(done))  # noqa: T201 - the CLI's summary
            return 0
        report = rebuild(
            config.archive, config.index_dir, procs=max(1, args.procs), progress=not args.quiet
        )
        print(  # noqa: T201 - the CLI's summary
            f"indexed {report.articles} articles in {report.seconds:.1f} s "
            f"({report.rate:.0f}/s), {report.index_bytes / max(1, report.articles):.0f} "
            f"bytes/article → {report.build_dir}" + skipped_note(report.skipped)
        )
        return 0

    return run(PROG, config, command)


if __name__ == "__main__":
    sys.exit(main())
