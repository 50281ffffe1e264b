"""The archive: the source of truth, one current record per article id, with its history.

    rules.py          the rules every backend keeps, as pure functions: newer wins, seen times
    base.py           the interface (ArchiveStore): the guarantees, the rules applied once,
                      and the storage primitives a backend provides
    model.py          plain data: outcome counts, versions, histories, errors
    sqlite.py         the SQLite backend (one WAL file; the default) and
    sqlite_schema.py  its tables and in-place migrations
    postgres.py       the PostgreSQL backend (HERALD_ARCHIVE_URL=postgresql://…) and
    postgres_schema.py  its tables
    jsonl.py          JSON Lines import (line by line) and export, for any backend
    cli.py            `python -m crawler.archive import|export` (__main__.py)

`open_archive(config.archive)` opens the configured backend (`Archive(path)` the SQLite
file); `readonly=True` never writes or creates anything.
Every insert or change of a current record takes the next `seq`, so the index can update
incrementally from a watermark (`changed_since`).
"""

from crawler.archive.base import ArchiveStore
from crawler.archive.cli import main
from crawler.archive.jsonl import ImportInterrupted, ImportReport
from crawler.archive.location import ArchiveLocation, is_postgres_url, open_archive
from crawler.archive.model import (
    ArchiveError,
    ArchiveMissing,
    ArchiveStorageError,
    History,
    OrderKey,
    UpsertCounts,
    Version,
)
from crawler.archive.rules import Outcome
from crawler.archive.sqlite import SQLiteArchive

# The default backend.
Archive = SQLiteArchive

__all__ = [
    "Archive",
    "ArchiveError",
    "ArchiveLocation",
    "ArchiveMissing",
    "ArchiveStorageError",
    "ArchiveStore",
    "History",
    "ImportInterrupted",
    "ImportReport",
    "OrderKey",
    "Outcome",
    "SQLiteArchive",
    "UpsertCounts",
    "Version",
    "is_postgres_url",
    "main",
    "open_archive",
]
