"""What the index commands (rebuild, update, stats) share: where they looked, and one line,
never a traceback, for every foreseeable failure.

Each command reads the data directory from HERALD_DATA_DIR (default ./data); when it finds
no archive or no index it says which directory it looked in and how to point it elsewhere.
Ctrl-C and SIGTERM stop a command cleanly (a rebuild removes its partial build first); a
closed pipe (`python -m index.stats | head -3`) ends it quietly.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

from crawler.archive import ArchiveError, ArchiveMissing
from crawler.config import Config
from index.layout import IndexBusy
from index.maintain.build import BuildFailed
from index.maintain.cleanup import storage_message
from index.maintain.incremental import NoIndex, UpdateReport
from index.maintain.report import OlderFormat
from index.model import IndexUnavailable

# Failures of the files or of the setup, which the message explains; anything else is a bug.
FORESEEABLE = (IndexBusy, NoIndex, BuildFailed, OlderFormat, IndexUnavailable, ArchiveError)


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that it cleans up as for Ctrl-C."""


def looked_in(config: Config) -> str:
    """Which data directory a command used, and how to use another."""
    return f"(data directory {config.data_dir}: set HERALD_DATA_DIR to use another)"


def archive_missing(config: Config) -> bool:
    """Whether the SQLite archive file is absent (a PostgreSQL archive is checked on use)."""
    return config.archive_url is None and not config.archive_path.exists()


def no_archive(config: Config) -> str:
    return (
        f"no archive at {config.archive_name} {looked_in(config)}; crawl one "
        "(`scrapy crawl herald`) or import one (`python -m crawler.archive import FILE`)"
    )


def update_summary(report: UpdateReport) -> str:
    """The line index.update and rebuild --incremental end with."""
    return (
        f"updated {report.articles} articles in {report.seconds:.1f} s "
        f"(watermark {report.watermark_before} → {report.watermark_after})"
        + skipped_note(report.skipped)
    )


def skipped_note(skipped: list[str]) -> str:
    """The summary's note on articles that could not be indexed ("" when none)."""
    if not skipped:
        return ""
    shown = ", ".join(skipped[:5]) + (", …" if len(skipped) > 5 else "")
    return f"; {len(skipped)} skipped, they cannot be indexed (see the warnings): {shown}"


def say(prog: str, message: str) -> None:
    print(f"{prog}: {message}", file=sys.stderr)  # noqa: T201 - the commands' one line


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


def run(prog: str, config: Config, command: Callable[[], int]) -> int:
    """Run `command`, turning every foreseeable failure into one line and exit status 2."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        status = command()
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except NoIndex as exc:
        say(prog, f"{exc} {looked_in(config)}")
    except ArchiveMissing as exc:
        say(prog, f"{exc} {looked_in(config)}")
    except FORESEEABLE as exc:
        say(prog, str(exc))
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more to say to it; 141 as other tools
        # cut off by their reader (128 + SIGPIPE), and as `crawler.archive export`.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        say(prog, storage_message(exc, config.index_dir))
    except KeyboardInterrupt:
        say(prog, "interrupted; the live index is unchanged")
        return 130
    except Terminated:
        say(prog, "terminated; the live index is unchanged")
        return 143
    return 2
