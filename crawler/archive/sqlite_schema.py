"""The SQLite archive's tables and rows, and the in-place migration of archives written by older
versions (`PRAGMA user_version` records the schema; 0 is the first one).

Version 2 adds provenance: `fetched`, `first_seen` and `last_seen` on each article, and a
`versions` table holding every record a newer one replaced. Migration only adds (columns
are NULL for what was archived before: unknown), in one transaction, so it loses nothing
and a killed migration leaves the old schema intact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from crawler.archive.model import ArchiveError
from crawler.record import FIELDS, Article

SCHEMA_VERSION = 2

# The first schema, as every archive before versioning has it; migrations build on it.
_V1 = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    standfirst TEXT NOT NULL,
    body TEXT NOT NULL,
    authors TEXT NOT NULL,      -- JSON array
    source TEXT NOT NULL,
    section TEXT NOT NULL,
    subsection TEXT,
    tags TEXT NOT NULL,         -- JSON array
    published TEXT NOT NULL,
    updated TEXT NOT NULL,
    premium INTEGER NOT NULL,
    seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_seq ON articles (seq);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
"""
PROVENANCE_COLUMNS = ("fetched", "first_seen", "last_seen")
_JSON_FIELDS = ("authors", "tags")
_VERSIONS = """
CREATE TABLE IF NOT EXISTS versions (
    vid INTEGER PRIMARY KEY AUTOINCREMENT,   -- the order versions were archived in
    id TEXT NOT NULL,
    updated TEXT NOT NULL,
    fetched TEXT,
    replaced TEXT NOT NULL,                  -- when a newer record replaced this one
    record TEXT NOT NULL                     -- the whole record, JSON
);
CREATE INDEX IF NOT EXISTS versions_id ON versions (id, vid);
"""


def to_row(article: Article) -> tuple[Any, ...]:
    """The content columns of a record, in FIELDS order."""
    values = dict(article)
    for name in _JSON_FIELDS:
        values[name] = json.dumps(values[name], ensure_ascii=False)
    values["premium"] = int(values["premium"])
    return tuple(values[name] for name in FIELDS)


def from_row(row: Sequence[Any]) -> Article:
    """A record from (content columns…, fetched): `fetched` only when known."""
    values = dict(zip(FIELDS, row, strict=False))
    for name in _JSON_FIELDS:
        values[name] = json.loads(values[name])
    values["premium"] = bool(values["premium"])
    article = Article(**values)  # type: ignore[typeddict-item]
    if row[len(FIELDS)] is not None:
        article["fetched"] = row[len(FIELDS)]
    return article


def table_names(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns_of(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


# What to check, by words in SQLite's message.
_HINTS = (
    (("locked", "busy"), "another process is writing to it (a crawl or an import?)"),
    (("readonly", "read-only"), "the file or its directory is read-only"),
    (("unable to open",), "the directory is missing or read-only"),
    (("full", "i/o error"), "the disk may be full, or failing"),
    (("malformed", "not a database"), "the archive file is damaged: restore it from an export"),
)


def hint(exc: sqlite3.Error) -> str:
    """' (what to check)' for a failure of SQLite, or ''."""
    text = str(exc).lower()
    found = next((h for words, h in _HINTS if any(w in text for w in words)), "")
    return f" ({found})" if found else ""


def check_is_archive(db: sqlite3.Connection, path: object, *, empty_ok: bool) -> None:
    """ArchiveError unless the file holds a herald archive this version can read
    (or nothing at all, when `empty_ok`)."""
    try:
        tables = table_names(db)
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path} is not a readable archive: {exc}{hint(exc)}") from exc
    if "articles" not in tables and not (empty_ok and not tables):
        raise ArchiveError(f"{path} holds no articles table: not a herald archive")
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"{path} was written by a newer herald-search (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION})"
        )


def migrate(db: sqlite3.Connection) -> None:
    """Create or bring the tables up to SCHEMA_VERSION, in one write transaction."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return  # current: no write lock needed to open it
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements(_V1):
            db.execute(statement)
        existing = columns_of(db, "articles")
        for column in PROVENANCE_COLUMNS:
            if column not in existing:
                db.execute(f"ALTER TABLE articles ADD COLUMN {column} TEXT")
        for statement in _statements(_VERSIONS):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _statements(script: str) -> list[str]:
    # executescript() would commit first; one statement at a time keeps one transaction.
    return [s.strip() for s in script.split(";") if s.strip()]
