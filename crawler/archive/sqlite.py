"""The SQLite backend: one file in WAL mode (readers never block the writer), the default.

Writes take the write lock at the start of each transaction (BEGIN IMMEDIATE), so two
writers queue instead of failing on a stale snapshot; a busy archive is waited for up to
BUSY_TIMEOUT_MS. Every sqlite3 failure leaves here as an ArchiveError with a message that
says what to check (crawler.archive.base lists the guarantees).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

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
from crawler.archive.rules import Seen
from crawler.archive.sqlite_schema import (
    PROVENANCE_COLUMNS,
    check_is_archive,
    columns_of,
    from_row,
    hint,
    migrate,
    table_names,
    to_row,
)
from crawler.record import FIELDS, Article

BUSY_TIMEOUT_MS = 10_000
_CONTENT = ", ".join(FIELDS)
_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


def describe(path: Path, action: str, exc: sqlite3.Error) -> str:
    """'writing to data/archive.sqlite3 failed: database is locked (another process …)'."""
    return f"{action} {path} failed: {exc}{hint(exc)}"


class SQLiteArchive(ArchiveStore):
    """The archive in one SQLite file. One writer at a time; readers never block."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._seq: int | None = None  # the next seq, while a transaction writes
        if readonly:
            self._db = self._open_readonly()
        else:
            self._db = self._open_for_writing()
        names = table_names(self._db)
        provenance = set(PROVENANCE_COLUMNS) <= columns_of(self._db, "articles")
        # A read-only connection cannot migrate: an older schema is read as it is.
        self._fetched = "fetched" if provenance else "NULL"
        self._seen = "first_seen, last_seen" if provenance else "NULL, NULL"
        self._has_versions = "versions" in names
        self._select = f"SELECT {_CONTENT}, {self._fetched} FROM articles"

    def _connect(self, target: str, *, uri: bool) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(target, uri=uri, check_same_thread=False, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            raise ArchiveError(describe(self.path, "opening", exc)) from exc
        return db

    def _open_readonly(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise ArchiveMissing(f"no archive at {self.path}")
        db = self._connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            check_is_archive(db, self.path, empty_ok=False)
        except ArchiveError:
            db.close()
            raise
        return db

    def _open_for_writing(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"cannot create {self.path.parent}: {exc.strerror}") from exc
        db = self._connect(str(self.path), uri=False)
        try:
            check_is_archive(db, self.path, empty_ok=True)
            with self._guard("opening"):
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                migrate(db)
        except ArchiveError:
            db.close()
            raise
        return db

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn SQLite's failures into ArchiveStorageError (records' IntegrityError aside)."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            raise ArchiveStorageError(describe(self.path, action, exc)) from exc

    def close(self) -> None:
        self._db.close()

    # -- storage primitives ----------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._guard("writing to"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            finally:
                self._seq = None

    def _lock_states(self, ids: Sequence[str]) -> dict[str, Stored]:
        # BEGIN IMMEDIATE holds the archive's write lock: nothing else changes these rows.
        states: dict[str, Stored] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(
                f"SELECT {_CONTENT}, {self._fetched}, {self._seen} FROM articles "
                f"WHERE id IN ({marks})",
                chunk,
            )
            for row in rows:
                article = from_row(row)
                states[article["id"]] = Stored(article, Seen(row[-2], row[-1]))
        return states

    def _next_seq(self) -> int:
        if self._seq is None:
            (self._seq,) = self._db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM articles"
            ).fetchone()
        seq, self._seq = self._seq, self._seq + 1
        return seq

    def _write_current(self, article: Article, seen: Seen, *, new: bool) -> None:
        marks = ", ".join("?" for _ in range(len(FIELDS) + 4))
        self._db.execute(
            f"INSERT OR REPLACE INTO articles ({_CONTENT}, seq, fetched, first_seen, last_seen) "
            f"VALUES ({marks})",
            (*to_row(article), self._next_seq(), article.get("fetched"), seen.first, seen.last),
        )

    def _keep_version(self, article: Article, *, replaced: str) -> None:
        self._db.execute(
            "INSERT INTO versions (id, updated, fetched, replaced, record) VALUES (?, ?, ?, ?, ?)",
            (
                article["id"],
                article["updated"],
                article.get("fetched"),
                replaced,
                json.dumps(article, ensure_ascii=False),
            ),
        )

    def _write_seen(self, article_id: str, seen: Seen) -> None:
        self._db.execute(
            "UPDATE articles SET first_seen = ?, last_seen = ? WHERE id = ?",
            (seen.first, seen.last, article_id),
        )

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        with self._guard("reading"):
            return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def get(self, article_id: str) -> Article | None:
        with self._guard("reading"):
            row = self._db.execute(f"{self._select} WHERE id = ?", (article_id,)).fetchone()
        return from_row(row) if row else None

    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        with self._guard("reading"):
            for start in range(0, len(ids), _CHUNK):
                chunk = list(ids[start : start + _CHUNK])
                marks = ", ".join("?" for _ in chunk)
                for row in self._db.execute(f"{self._select} WHERE id IN ({marks})", chunk):
                    found[row[0]] = from_row(row)
        return found

    def updated_of(self, article_id: str) -> str | None:
        with self._guard("reading"):
            row = self._db.execute(
                "SELECT updated FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return row[0] if row else None

    def max_seq(self) -> int:
        with self._guard("reading"):
            return self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def changed_count(self, seq: int = 0) -> int:
        with self._guard("reading"):
            return self._db.execute(
                "SELECT COUNT(*) FROM articles WHERE seq > ?", (seq,)
            ).fetchone()[0]

    def changed_since(self, seq: int = 0, *, batch: int = 1000) -> Iterator[tuple[int, Article]]:
        last = seq
        while True:
            with self._guard("reading"):
                rows = self._db.execute(
                    f"SELECT seq, {_CONTENT}, {self._fetched} FROM articles "
                    "WHERE seq > ? ORDER BY seq LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row[0], from_row(row[1:])
            last = rows[-1][0]

    def articles(
        self, start: OrderKey | None = None, stop: OrderKey | None = None
    ) -> Iterator[Article]:
        where, args = [], []
        if start is not None:
            where.append("(published, id) >= (?, ?)")
            args.extend(start)
        if stop is not None:
            where.append("(published, id) < (?, ?)")
            args.extend(stop)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._guard("reading"):
            for row in self._db.execute(f"{self._select}{clause} ORDER BY published, id", args):
                yield from_row(row)

    def key_at(self, offset: int) -> OrderKey | None:
        with self._guard("reading"):
            row = self._db.execute(
                "SELECT published, id FROM articles ORDER BY published, id LIMIT 1 OFFSET ?",
                (offset,),
            ).fetchone()
        return (row[0], row[1]) if row else None

    def history(self, article_id: str) -> History | None:
        with self._guard("reading"):
            row = self._db.execute(
                f"SELECT {_CONTENT}, {self._fetched}, {self._seen} FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return None
            earlier = []
            if self._has_versions:
                earlier = self._db.execute(
                    "SELECT record, replaced FROM versions WHERE id = ? ORDER BY vid",
                    (article_id,),
                ).fetchall()
        versions = [Version(json.loads(record), replaced) for record, replaced in earlier]
        versions.append(Version(from_row(row)))
        return History(row[-2], row[-1], versions)

    def previous_versions(self) -> Iterator[Article]:
        if not self._has_versions:
            return
        with self._guard("reading"):
            for (record,) in self._db.execute("SELECT record FROM versions ORDER BY vid"):
                yield json.loads(record)
