"""The PostgreSQL backend: HERALD_ARCHIVE_URL=postgresql://… (psycopg 3), for an archive that
several crawler hosts write and other tools read while it is written.

The same rules as every backend (crawler.archive.base applies them); what this module adds
is how they hold with several writers at once:

- No lost updates. Each write transaction first takes a transaction-level advisory lock per
  article id it touches (all of them at once, in one order, so two writers cannot deadlock),
  then reads their states: two writers of one article take turns, writers of different
  articles do not wait for each other. (Row locks alone would not cover new ids.)
- The watermark. `seq` comes from a sequence: unique and increasing in the order it is
  handed out, with gaps (rolled-back transactions), but NOT in commit order: a writer that
  took seq 10 may commit after one that took 11. A reader that saw 11 and stored it as its
  watermark would never see 10. So every write transaction also holds the writers' lock
  (shared: writers do not block each other) from before it takes any seq until it ends,
  and `max_seq()` reads how far the sequence has gone, then takes that lock exclusively for
  an instant: once it has it, every transaction that holds a seq up to there has committed
  or rolled back. `changed_since` never reads past that horizon.
- Flat memory. `articles()` and `previous_versions()` stream through a server-side cursor
  on a connection of their own.

Writes are pipelined (psycopg's pipeline mode), so a batch of inserts costs one round trip.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict

from crawler.archive.base import ArchiveStore
from crawler.archive.model import (
    ArchiveError,
    ArchiveMissing,
    ArchiveStorageError,
    History,
    OrderKey,
    Stored,
    Version,
)
from crawler.archive.postgres_schema import (
    CONTENT,
    PROVENANCE,
    check_readable,
    from_row,
    migrate,
    schema_version,
    to_params,
    version_json,
)
from crawler.archive.rules import Seen
from crawler.config import redacted
from crawler.record import FIELDS, Article

WRITERS = (0x68657261, 1)  # the writers' lock (two-key form: apart from the per-id locks)
SCAN_ROWS = 2000  # rows per fetch from a server-side cursor
CONNECT = {"connect_timeout": 10, "application_name": "herald-search"}  # unless the URL says
READ_ONLY = "-c default_transaction_read_only=on"
WAIT_FOR_WRITERS = "60s"  # longest max_seq() waits for in-flight writes
_SELECT = f"SELECT {CONTENT}, fetched FROM articles"
_HINTS = (
    (("password authentication",), "check the user and password in HERALD_ARCHIVE_URL"),
    (("does not exist",), "check the database name, or create it (createdb)"),
    (("connection failed", "could not connect"), "is the server running, at that host and port?"),
    (("read-only",), "the archive was opened read-only"),
    (("could not extend", "no space"), "the database server's disk may be full"),
    (("permission denied",), "the database user may not do this"),
    (("lock timeout", "canceling statement due to lock"), "a write did not finish in time"),
    (("connection", "server closed", "terminating"), "the database server went away"),
)


def describe(name: str, action: str, exc: psycopg.Error) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    hint = next((h for words, h in _HINTS if any(w in text.lower() for w in words)), "")
    return f"{action} {name} failed: {text}" + (f" ({hint})" if hint else "")


def id_lock(article_id: str) -> int:
    """A stable 64-bit advisory lock key for an article id."""
    digest = hashlib.blake2b(article_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresArchive(ArchiveStore):
    """The archive in a PostgreSQL database; any number of writers and readers at once."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url, self.readonly = url, readonly
        self.name = redacted(url)
        self._conn = self._connect(autocommit=True)
        try:
            if readonly:
                version = schema_version(self._conn, self.name)
                if version is None:
                    raise ArchiveMissing(f"no archive in {self.name}: it holds no herald tables")
                check_readable(version, self.name)
            else:
                migrate(self._conn, self.name)
        except psycopg.Error as exc:
            self._conn.close()
            raise ArchiveError(describe(self.name, "opening", exc)) from exc
        except ArchiveError:
            self._conn.close()
            raise

    def _connect(self, *, autocommit: bool) -> psycopg.Connection:
        try:
            params = {**CONNECT, **conninfo_to_dict(self.url)}
            if self.readonly:
                params["options"] = f"{params.get('options', '')} {READ_ONLY}".strip()
            return psycopg.connect(autocommit=autocommit, **params)
        except psycopg.Error as exc:
            raise ArchiveError(describe(self.name, "connecting to", exc)) from exc

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """psycopg's failures as ArchiveStorageError (records' IntegrityError aside)."""
        try:
            yield
        except errors.IntegrityError:
            raise
        except psycopg.Error as exc:
            raise ArchiveStorageError(describe(self.name, action, exc)) from exc

    def close(self) -> None:
        self._conn.close()

    def _db(self) -> psycopg.Connection:
        """The connection, opened again when the server dropped it (a restart, a failover):
        the call that met the failure raised ArchiveStorageError; the next one works."""
        if self._conn.broken:
            self._conn = self._connect(autocommit=True)
        return self._conn

    # -- storage primitives ----------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        conn = self._db()
        with self._guard("writing to"), conn.pipeline(), conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", WRITERS)
            yield

    def _lock_states(self, ids: Sequence[str]) -> dict[str, Stored]:
        keys = sorted({id_lock(i) for i in ids})
        self._conn.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", (keys,)
        )
        rows = self._conn.execute(
            f"SELECT {CONTENT}, {PROVENANCE} FROM articles WHERE id = ANY(%s)", (list(ids),)
        ).fetchall()
        return {row[0]: Stored(from_row(row), Seen(row[-2], row[-1])) for row in rows}

    def _write_current(self, article: Article, seen: Seen, *, new: bool) -> None:
        columns = f"{CONTENT}, {PROVENANCE}, seq"
        marks = ", ".join(["%s"] * (len(FIELDS) + 3))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns.split(", ") if c != "id")
        self._conn.execute(
            f"INSERT INTO articles ({columns}) VALUES ({marks}, nextval('articles_change_seq')) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            (*to_params(article), article.get("fetched"), seen.first, seen.last),
        )

    def _keep_version(self, article: Article, *, replaced: str) -> None:
        self._conn.execute(
            "INSERT INTO versions (id, updated, fetched, replaced, record) "
            "VALUES (%s, %s, %s, %s, %s::json)",
            (
                article["id"],
                article["updated"],
                article.get("fetched"),
                replaced,
                version_json(article),
            ),
        )

    def _write_seen(self, article_id: str, seen: Seen) -> None:
        self._conn.execute(
            "UPDATE articles SET first_seen = %s, last_seen = %s WHERE id = %s",
            (seen.first, seen.last, article_id),
        )

    # -- reading ---------------------------------------------------------------------------

    def _one(self, query: str, args: Sequence[Any] = ()) -> Any:
        with self._guard("reading"):
            return self._db().execute(query, args).fetchone()

    def count(self) -> int:
        return self._one("SELECT count(*) FROM articles")[0]

    def get(self, article_id: str) -> Article | None:
        row = self._one(f"{_SELECT} WHERE id = %s", (article_id,))
        return from_row(row) if row else None

    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        with self._guard("reading"):
            rows = self._db().execute(f"{_SELECT} WHERE id = ANY(%s)", (list(ids),)).fetchall()
        return {row[0]: from_row(row) for row in rows}

    def updated_of(self, article_id: str) -> str | None:
        row = self._one("SELECT updated FROM articles WHERE id = %s", (article_id,))
        return row[0] if row else None

    def _horizon(self) -> int:
        """A seq such that every transaction holding a seq up to it has ended."""
        with self._guard("reading"):
            conn = self._db()
            (handed_out,) = conn.execute(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM articles_change_seq"
            ).fetchone()
            conn.execute(f"SET lock_timeout = '{WAIT_FOR_WRITERS}'")
            conn.execute("SELECT pg_advisory_lock(%s, %s)", WRITERS)
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", WRITERS)
            conn.execute("RESET lock_timeout")
        return handed_out

    def max_seq(self) -> int:
        horizon = self._horizon()
        return self._one("SELECT COALESCE(max(seq), 0) FROM articles WHERE seq <= %s", (horizon,))[
            0
        ]

    def changed_count(self, seq: int = 0) -> int:
        # Up to the same horizon as changed_since: rows of writers still in flight wait.
        horizon = self._horizon()
        query = "SELECT COUNT(*) FROM articles WHERE seq > %s AND seq <= %s"
        return self._one(query, (seq, horizon))[0]

    def changed_since(self, seq: int = 0, *, batch: int = 1000) -> Iterator[tuple[int, Article]]:
        horizon, last = self._horizon(), seq
        while True:
            with self._guard("reading"):
                rows = (
                    self._db()
                    .execute(
                        f"SELECT seq, {CONTENT}, fetched FROM articles "
                        "WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT %s",
                        (last, horizon, batch),
                    )
                    .fetchall()
                )
            if not rows:
                return
            for row in rows:
                yield row[0], from_row(row[1:])
            last = rows[-1][0]

    def _scan(self, query: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of `query` through a server-side cursor on a connection of its own."""
        with (
            self._connect(autocommit=False) as conn,
            conn.cursor(name=f"herald_{uuid.uuid4().hex[:12]}") as cursor,
        ):
            with self._guard("reading"):
                cursor.execute(query, args)
            while True:
                with self._guard("reading"):
                    rows = cursor.fetchmany(SCAN_ROWS)
                if not rows:
                    return
                yield from rows

    def articles(
        self, start: OrderKey | None = None, stop: OrderKey | None = None
    ) -> Iterator[Article]:
        where, args = [], []
        if start is not None:
            where.append("(published, id) >= (%s, %s)")
            args.extend(start)
        if stop is not None:
            where.append("(published, id) < (%s, %s)")
            args.extend(stop)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        for row in self._scan(f"{_SELECT}{clause} ORDER BY published, id", args):
            yield from_row(row)

    def key_at(self, offset: int) -> OrderKey | None:
        row = self._one(
            "SELECT published, id FROM articles ORDER BY published, id LIMIT 1 OFFSET %s",
            (offset,),
        )
        return (row[0], row[1]) if row else None

    def history(self, article_id: str) -> History | None:
        # One statement: the current record and its versions from one snapshot.
        row = self._one(
            f"SELECT {CONTENT}, fetched, (SELECT json_agg(json_build_array(record, replaced) "
            "ORDER BY vid) FROM versions v WHERE v.id = a.id), first_seen, last_seen "
            "FROM articles a WHERE id = %s",
            (article_id,),
        )
        if row is None:
            return None
        versions = [Version(record, replaced) for record, replaced in row[-3] or []]
        versions.append(Version(from_row(row)))
        return History(row[-2], row[-1], versions)

    def previous_versions(self) -> Iterator[Article]:
        for (record,) in self._scan("SELECT record FROM versions ORDER BY vid"):
            yield record
