"""Which failures of the archive's SQLite file are storage faults, and what to do about them.

A missing, damaged, locked, read-only or full archive is a fault of the file, not of the
program: `archive_fault(path, exc)` turns it into an ArchiveUnreadable (an ArchiveError) that
names the file and what to run, for the web (a 503) and the commands (one line, exit 2).
SQLite's result code tells these apart from programming errors (an SQL syntax error, a wrong
number of bindings), which are left alone.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crawler.archive import ArchiveError

_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_FULL = {sqlite3.SQLITE_FULL}
_NOT_WRITABLE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM}
_STORAGE_CODES = {
    *_BUSY,
    *_FULL,
    *_NOT_WRITABLE,
    sqlite3.SQLITE_NOMEM,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PROTOCOL,
    sqlite3.SQLITE_NOTADB,
}
_NOT_WRITABLE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


class ArchiveUnreadable(ArchiveError):
    """The archive file is missing, damaged, locked, full or not writable (the message says
    which file and what to do)."""


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary result code


def is_storage_fault(exc: BaseException) -> bool:
    """Whether `exc` is a fault of the file (rather than of the program)."""
    if isinstance(exc, sqlite3.Error):
        return _code(exc) in _STORAGE_CODES
    return isinstance(exc, OSError)


def archive_fault(path: Path, exc: BaseException) -> ArchiveUnreadable:
    """What an operator is told when the archive at `path` failed with `exc`."""
    code, err = _code(exc), getattr(exc, "errno", None)
    if isinstance(exc, FileNotFoundError) or (
        code == sqlite3.SQLITE_CANTOPEN and not path.exists()
    ):
        return ArchiveUnreadable(
            f"no archive at {path}: crawl one (`scrapy crawl herald`), import one "
            "(`python -m crawler.archive import FILE`), or set HERALD_DATA_DIR to the data "
            "directory that holds archive.sqlite3"
        )
    if code in _BUSY:
        return ArchiveUnreadable(
            f"the archive {path} is locked by another process (a crawl or an import): "
            "try again when it has finished"
        )
    if code in _FULL or err == errno.ENOSPC:
        return ArchiveUnreadable(f"the disk holding the archive {path} is full: free some space")
    if code == sqlite3.SQLITE_CANTOPEN:
        return ArchiveUnreadable(
            f"the archive {path} cannot be opened ({exc}): check the permissions of the file "
            "and its directory; in a read-only directory SQLite needs the archive's -wal and "
            "-shm files beside it (open it once where it is writable)"
        )
    if code in _NOT_WRITABLE or err in _NOT_WRITABLE_ERRNOS:
        return ArchiveUnreadable(
            f"the archive {path} cannot be written ({exc}): check the permissions of the file "
            "and its directory"
        )
    return ArchiveUnreadable(
        f"the archive {path} cannot be read ({exc}): check it with "
        f"`sqlite3 {path} 'PRAGMA integrity_check'`, then restore it from a backup "
        "(`python -m crawler.archive import BACKUP`) or crawl again"
    )


def explain(path: Path, exc: ArchiveError | sqlite3.Error) -> str | None:
    """What to tell about `exc` from the archive at `path` (None: not a storage fault)."""
    if isinstance(exc, ArchiveUnreadable):
        return str(exc)
    cause = exc.__cause__ if isinstance(exc, ArchiveError) else exc
    if isinstance(cause, sqlite3.Error) and is_storage_fault(cause):
        return str(archive_fault(Path(path), cause))
    return str(exc) if isinstance(exc, ArchiveError) else None


@contextmanager
def reading_archive(path: Path) -> Iterator[None]:
    """Turn storage faults of the archive at `path` into ArchiveUnreadable; others pass."""
    try:
        yield
    except ArchiveUnreadable:
        raise
    except ArchiveError as exc:  # the archive's own open check: say what to do about it
        cause = exc.__cause__
        if not (isinstance(cause, sqlite3.Error) and is_storage_fault(cause)):
            raise
        raise archive_fault(Path(path), cause) from exc
    except (sqlite3.Error, OSError) as exc:
        if not is_storage_fault(exc):
            raise
        raise archive_fault(Path(path), exc) from exc
