"""Publish the live index to a read-only web replica: `python -m index.publish DEST`.

    python -m index.publish /srv/web2/data               # DEST is the replica's data directory
    python -m index.publish /mnt/web3/data --bwlimit 20000   # at most 20,000 KB/s

DEST is a data directory, as HERALD_DATA_DIR is: the build is copied into DEST/index/ and
DEST/index/current is switched to it atomically; web apps running with HERALD_DATA_DIR=DEST
(and the shared archive, HERALD_ARCHIVE_URL) pick it up within a second. The source is this
host's data directory (HERALD_DATA_DIR). A publish killed at any moment leaves DEST serving
what it served before; running it again finishes the job (index.maintain.publish).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from crawler.config import load_config
from index.layout import IndexBusy
from index.maintain.publish import PublishFailed, publish


def _say(message: str) -> None:
    print(message, file=sys.stderr)  # noqa: T201 - the CLI's messages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.publish",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dest", help="the replica's data directory (it must exist)")
    parser.add_argument(
        "--bwlimit", type=int, metavar="KBPS", help="copy at most KBPS kilobytes per second"
    )
    args = parser.parse_args(argv)
    if not args.dest.strip():  # an unset $DEST: never "here"
        parser.error("DEST is empty: give the replica's data directory")
    args.dest = Path(args.dest)
    if args.bwlimit is not None and args.bwlimit <= 0:
        parser.error("--bwlimit must be a positive number of KB/s")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    source = load_config().index_dir
    try:
        report = publish(source, args.dest, bwlimit=args.bwlimit and args.bwlimit * 1024)
    except IndexBusy as exc:
        _say(f"index.publish: {exc}; try again when it has finished")
        return 2
    except PublishFailed as exc:
        _say(f"index.publish: {exc}")
        return 2
    except OSError as exc:  # reading the source (its lock, its files)
        _say(f"index.publish: cannot read the index at {source}: {exc.strerror or exc}")
        return 2
    except KeyboardInterrupt:
        _say(f"index.publish: interrupted; {args.dest} still serves the build it served before")
        return 130
    print(  # noqa: T201 - the CLI's summary
        f"published {report.source_build} → {report.build_dir} in {report.seconds:.1f} s: "
        f"{report.files} files, {report.copied_bytes:,} bytes copied, "
        f"{report.linked_bytes:,} already there"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
