"""Which backend holds the archive: `open_archive(where)` for a location from the config.

A postgresql:// URL (HERALD_ARCHIVE_URL) opens the PostgreSQL backend; a path, the SQLite
file. psycopg is imported only when PostgreSQL is asked for.
"""

from __future__ import annotations

from pathlib import Path

from crawler.archive.base import ArchiveStore
from crawler.archive.model import ArchiveError
from crawler.archive.sqlite import SQLiteArchive
from crawler.config import redacted

# Where an archive is, as open_archive takes it: a postgresql:// URL or a SQLite file path.
ArchiveLocation = str | Path
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(where: ArchiveLocation) -> bool:
    return isinstance(where, str) and where.split(":", 1)[0] in POSTGRES_SCHEMES


def open_archive(where: ArchiveLocation, *, readonly: bool = False) -> ArchiveStore:
    """The archive at `where`: PostgreSQL for a postgresql:// URL, else the SQLite file."""
    if is_postgres_url(where):
        from crawler.archive.postgres import PostgresArchive  # psycopg only when asked for

        return PostgresArchive(str(where), readonly=readonly)
    if isinstance(where, str) and "://" in where:
        raise ArchiveError(f"{redacted(where)} is not an archive URL: use postgresql://…")
    return SQLiteArchive(where, readonly=readonly)
