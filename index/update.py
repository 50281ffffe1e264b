"""Incremental index update: `python -m index.update` (the same as `index.rebuild --incremental`).

Indexes the articles archived or changed since the last build or update
(index.maintain.incremental), with a progress bar on stderr (`--quiet` turns it off). Exits 2
with one line when it cannot.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crawler.config import load_config
from index.commands import archive_missing, no_archive, run, say, update_summary
from index.maintain.incremental import update

PROG = "index.update"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.update",
        description="Index the articles archived or changed since the last build or update.",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = load_config()
    if archive_missing(config):
        say(PROG, no_archive(config))
        return 2

    def command() -> int:
        report = update(config.archive, config.index_dir, progress=not args.quiet)
        print(update_summary(report))  # noqa: T201 - the CLI's summary
        return 0

    return run(PROG, config, command)


if __name__ == "__main__":
    sys.exit(main())
