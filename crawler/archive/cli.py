"""The archive's command line: JSON Lines of article records in and out.

    python -m crawler.archive import [--force] FILE     # '-' reads stdin
    python -m crawler.archive export [--versions] [FILE] # stdout without FILE

Exit codes: 0 done; 1 import finished but some lines were rejected (each reported with its
line number); 2 usage or storage error (one line, never a traceback); 130 interrupted;
141 export stopped because its reader went away (`export | head`). Read commands never
create files: export of a missing archive is an error, and a FILE is written beside its
target and renamed into place only when complete.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, BinaryIO

from crawler.archive.base import ArchiveStore
from crawler.archive.jsonl import ImportInterrupted, ImportReport
from crawler.archive.location import open_archive
from crawler.archive.model import ArchiveError, ArchiveMissing
from crawler.config import Config, load_config

logger = logging.getLogger("crawler.archive")
PROG = "python -m crawler.archive"
EXIT_REJECTED, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PIPE = 1, 2, 130, 141


class UsageProblem(Exception):
    """A foreseeable failure outside the archive (an unreadable FILE, say)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Import or export the archive as JSON Lines of article records."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="validate and upsert records from FILE ('-': stdin)")
    imp.add_argument("file")
    imp.add_argument(
        "--force",
        action="store_true",
        help="let older records replace newer archived ones (a deliberate restore; "
        "the replaced ones are kept as versions)",
    )
    exp = commands.add_parser("export", help="write every record to FILE (default: stdout)")
    exp.add_argument("file", nargs="?")
    exp.add_argument(
        "--versions",
        action="store_true",
        help="also write every earlier version, before the current records",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = load_config()
    try:
        if args.command == "import":
            return _import(config, args.file, force=args.force)
        return _export(config, args.file, versions=args.versions)
    except ArchiveMissing:
        return _fail(
            f"no archive at {config.archive_path} (set HERALD_DATA_DIR to the directory "
            f"that holds archive.sqlite3; it is now {config.data_dir})"
            if config.archive_url is None
            else f"no archive in {config.archive_name}: import into it, or crawl, first"
        )
    except (ArchiveError, UsageProblem) as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        # The reader went away (`export | head`): stop quietly, as Unix tools do. Later
        # flushes of stdout go to /dev/null instead of raising again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)  # noqa: T201 - the CLI's error line
    return code


def _open_source(name: str) -> BinaryIO:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")  # noqa: SIM115 - closed by the caller's `with`
    except OSError as exc:
        raise UsageProblem(f"cannot read {name}: {exc.strerror}") from exc


def _import(config: Config, name: str, *, force: bool) -> int:
    source = _open_source(name)  # first: a missing FILE must not create an archive
    with source, open_archive(config.archive) as archive:
        try:
            report = archive.import_jsonl(
                source,
                force=force,
                on_reject=lambda line, reason: logger.warning("line %d rejected: %s", line, reason),
            )
        except ImportInterrupted as exc:
            _summarise(config, exc.report)
            raise ArchiveError(
                f"import stopped at line {exc.line}: {exc}; the lines before it are imported, "
                "run the same import again once this is fixed"
            ) from exc
        except OSError as exc:
            raise UsageProblem(f"reading {name} failed: {exc.strerror or exc}") from exc
    _summarise(config, report)
    return EXIT_REJECTED if report.rejected else 0


def _summarise(config: Config, report: ImportReport) -> None:
    for line, article_id in report.revised:
        logger.warning(
            "line %d: %s has the archived `updated` but different content: replaced "
            "(the archived copy is kept as a version)",
            line,
            article_id,
        )
    logger.info(
        "imported into %s: %s, %d rejected",
        config.archive_name,
        report.counts.summary(),
        len(report.rejected),
    )


def _export(config: Config, name: str | None, *, versions: bool) -> int:
    with open_archive(config.archive, readonly=True) as archive:
        if name:
            n = _export_to_file(archive, Path(name), versions)
        else:
            out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)  # noqa: SIM115
            with out:
                n = archive.export_jsonl(out, versions=versions)
    logger.info("exported %d records from %s", n, config.archive_name)
    return 0


def _export_to_file(archive: ArchiveStore, target: Path, versions: bool) -> int:
    partial = target.with_name(target.name + ".partial")
    try:
        out: IO[str] = open(partial, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as exc:
        raise UsageProblem(f"cannot write {target}: {exc.strerror}") from exc
    try:
        with out:
            n = archive.export_jsonl(out, versions=versions)
        os.replace(partial, target)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageProblem(f"writing {target} failed: {exc.strerror or exc}") from exc
        raise
    return n
