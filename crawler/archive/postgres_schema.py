"""The PostgreSQL archive's tables, rows and schema version.

The columns are the record's fields with PostgreSQL's own types where a reader (a notebook,
a BI tool) expects them: `authors` and `tags` are text arrays, `premium` a boolean. Times stay
the record's `YYYY-MM-DDTHH:MM:SSZ` text, and ids and times sort bytewise (COLLATE "C"), so
order keys and comparisons are exactly the SQLite archive's.

`seq` comes from the sequence `articles_change_seq` (see crawler.archive.postgres for why a
sequence with gaps is still a safe watermark). `archive_schema` records the version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg

from crawler.archive.model import ArchiveError
from crawler.record import FIELDS, Article

SCHEMA_VERSION = 1
# Advisory lock held while creating or migrating the tables (two crawlers may start at once).
MIGRATION_LOCK = 0x68657261  # "hera"

TABLES = """
CREATE TABLE IF NOT EXISTS articles (
    id text COLLATE "C" PRIMARY KEY,
    url text NOT NULL,
    title text NOT NULL,
    standfirst text NOT NULL,
    body text NOT NULL,
    authors text[] NOT NULL,
    source text NOT NULL,
    section text NOT NULL,
    subsection text,
    tags text[] NOT NULL,
    published text COLLATE "C" NOT NULL,
    updated text COLLATE "C" NOT NULL,
    premium boolean NOT NULL,
    fetched text,
    first_seen text,
    last_seen text,
    seq bigint NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_seq ON articles (seq);
CREATE INDEX IF NOT EXISTS articles_order ON articles (published, id);
CREATE SEQUENCE IF NOT EXISTS articles_change_seq;
CREATE TABLE IF NOT EXISTS versions (
    vid bigserial PRIMARY KEY,
    id text COLLATE "C" NOT NULL,
    updated text NOT NULL,
    fetched text,
    replaced text NOT NULL,
    record json NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_id ON versions (id, vid);
CREATE TABLE IF NOT EXISTS archive_schema (version integer NOT NULL);
"""

CONTENT = ", ".join(FIELDS)
PROVENANCE = "fetched, first_seen, last_seen"


def to_params(article: Article) -> tuple[Any, ...]:
    """The content columns of a record, in FIELDS order (lists and booleans as they are)."""
    return tuple(article[name] for name in FIELDS)  # type: ignore[literal-required]


def from_row(row: Sequence[Any]) -> Article:
    """A record from (content columns…, fetched): `fetched` only when known."""
    article = Article(**dict(zip(FIELDS, row, strict=False)))  # type: ignore[typeddict-item]
    if row[len(FIELDS)] is not None:
        article["fetched"] = row[len(FIELDS)]
    return article


def version_json(article: Article) -> str:
    return json.dumps(article, ensure_ascii=False)


def schema_version(conn: psycopg.Connection, name: str) -> int | None:
    """The archive schema version in this database, or None when it holds no archive;
    ArchiveError when it holds another application's `articles` table."""
    row = conn.execute("SELECT to_regclass('archive_schema'), to_regclass('articles')").fetchone()
    stamped, articles = row if row else (None, None)
    if stamped is None:
        if articles is not None:
            raise ArchiveError(f"{name} holds an articles table that is not a herald archive")
        return None
    found = conn.execute("SELECT max(version) FROM archive_schema").fetchone()
    return int(found[0]) if found and found[0] is not None else None


def check_readable(version: int | None, name: str) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise ArchiveError(
            f"{name} was written by a newer herald-search (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION})"
        )


def migrate(conn: psycopg.Connection, name: str) -> None:
    """Create the tables when the database has none, in one transaction under a lock."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        version = schema_version(conn, name)
        check_readable(version, name)
        if version == SCHEMA_VERSION:
            return
        conn.execute(TABLES)
        conn.execute("DELETE FROM archive_schema")
        conn.execute("INSERT INTO archive_schema VALUES (%s)", (SCHEMA_VERSION,))
