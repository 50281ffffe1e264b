"""The archive: the SQLite file that is the source of truth, one row per article id.

WAL mode, upserts in batches (a killed writer keeps every batch it committed), and JSON
Lines import/export of article records:

    python -m crawler.archive import FILE      # validate and upsert; reports rejected lines
    python -m crawler.archive export [FILE]    # every article, oldest first; stdout without FILE

Every insert or change takes the next value of `seq`, so the index can update
incrementally from a watermark (`changed_since`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from crawler.config import load_config
from crawler.record import FIELDS, Article, InvalidRecord, validate

logger = logging.getLogger(__name__)

_SCHEMA = """
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

_COLUMNS = ", ".join(FIELDS)
# Where an article sits in oldest-first order: (published, id).
OrderKey = tuple[str, str]
_JSON_FIELDS = ("authors", "tags")


def _to_row(article: Article) -> tuple[Any, ...]:
    values = dict(article)
    for name in _JSON_FIELDS:
        values[name] = json.dumps(values[name], ensure_ascii=False)
    values["premium"] = int(values["premium"])
    return tuple(values[name] for name in FIELDS)


def _from_row(row: Sequence[Any]) -> Article:
    values = dict(zip(FIELDS, row, strict=False))
    for name in _JSON_FIELDS:
        values[name] = json.loads(values[name])
    values["premium"] = bool(values["premium"])
    return Article(**values)  # type: ignore[typeddict-item]


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class ImportReport:
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejected: list[tuple[int, str]] = field(default_factory=list)


class ArchiveError(Exception):
    """The file is not a readable herald archive."""


class Archive:
    """The SQLite archive of article records. One writer at a time; readers never block."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"no archive at {self.path}")
            self._db = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
            )
            self._check_readable()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        self._db.execute("PRAGMA busy_timeout=10000")

    def _check_readable(self) -> None:
        try:
            found = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ArchiveError(f"{self.path} is not a readable archive: {exc}") from exc
        if found is None:
            self._db.close()
            raise ArchiveError(f"{self.path} holds no articles table: not a herald archive")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def _upsert_one(self, article: Article) -> str:
        new_row = _to_row(article)
        old = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article["id"],)
        ).fetchone()
        if old is not None and tuple(old) == new_row:
            return "unchanged"
        (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()
        placeholders = ", ".join("?" for _ in FIELDS)
        self._db.execute(
            f"INSERT OR REPLACE INTO articles ({_COLUMNS}, seq) VALUES ({placeholders}, ?)",
            (*new_row, seq),
        )
        return "inserted" if old is None else "updated"

    def upsert_many(self, articles: Iterable[Article]) -> UpsertCounts:
        """Insert new articles and replace changed ones, in one transaction."""
        counts = UpsertCounts()
        with self._db:
            for article in articles:
                counts.add(self._upsert_one(article))
        return counts

    def upsert(self, article: Article) -> str:
        """Upsert one article; returns "inserted", "updated" or "unchanged"."""
        with self._db:
            return self._upsert_one(article)

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def get(self, article_id: str) -> Article | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _from_row(row) if row else None

    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        """The archived articles among `ids`, keyed by id."""
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id IN ({marks})", chunk)
            for row in rows:
                found[row[0]] = _from_row(row)
        return found

    def updated_of(self, article_id: str) -> str | None:
        """The archived `updated` timestamp of an article, or None when it is not archived."""
        row = self._db.execute(
            "SELECT updated FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def max_seq(self) -> int:
        """The change counter's current value: the watermark of everything archived so far."""
        return self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def changed_count(self, seq: int = 0) -> int:
        """How many articles were inserted or changed after watermark `seq`."""
        return self._db.execute("SELECT COUNT(*) FROM articles WHERE seq > ?", (seq,)).fetchone()[0]

    def changed_since(self, seq: int = 0, *, batch: int = 1000) -> Iterator[tuple[int, Article]]:
        """(seq, article) for every article inserted or changed after watermark `seq`."""
        last = seq
        while True:
            rows = self._db.execute(
                f"SELECT seq, {_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row[0], _from_row(row[1:])
            last = rows[-1][0]

    def __iter__(self) -> Iterator[Article]:
        """Every article, oldest first."""
        return self.articles()

    def articles(
        self, start: OrderKey | None = None, stop: OrderKey | None = None
    ) -> Iterator[Article]:
        """Articles oldest first, from the one at order key `start` up to (not including)
        the one at `stop` (see `key_at`); None is the open end."""
        where, args = [], []
        if start is not None:
            where.append("(published, id) >= (?, ?)")
            args.extend(start)
        if stop is not None:
            where.append("(published, id) < (?, ?)")
            args.extend(stop)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles {clause}ORDER BY published, id", args
        )
        for row in rows:
            yield _from_row(row)

    def key_at(self, offset: int) -> OrderKey | None:
        """The order key (published, id) of the offset-th article oldest first, or None."""
        row = self._db.execute(
            "SELECT published, id FROM articles ORDER BY published, id LIMIT 1 OFFSET ?",
            (offset,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    # -- JSON Lines ----------------------------------------------------------------------

    def import_jsonl(self, lines: Iterable[str], *, batch: int = 1000) -> ImportReport:
        """Validate and upsert JSON Lines of article records; idempotent."""
        report = ImportReport()
        pending: list[Article] = []

        def flush() -> None:
            counts = self.upsert_many(pending)
            for name in ("inserted", "updated", "unchanged"):
                setattr(report.counts, name, getattr(report.counts, name) + getattr(counts, name))
            pending.clear()

        for lineno, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                pending.append(validate(json.loads(line)))
            except json.JSONDecodeError as exc:
                report.rejected.append((lineno, f"not JSON: {exc.msg}"))
            except InvalidRecord as exc:
                report.rejected.append((lineno, str(exc)))
            if len(pending) >= batch:
                flush()
        flush()
        return report

    def export_jsonl(self, out: IO[str]) -> int:
        """Write every article as one JSON line; returns how many."""
        n = 0
        for article in self:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            n += 1
        return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.archive",
        description="Import or export the archive as JSON Lines of article records.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="validate and upsert records from FILE ('-': stdin)")
    imp.add_argument("file")
    exp = commands.add_parser("export", help="write every record to FILE (default: stdout)")
    exp.add_argument("file", nargs="?")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    config = load_config()
    with Archive(config.archive_path) as archive:
        if args.command == "import":
            source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
            with source:
                report = archive.import_jsonl(source)
            c = report.counts
            logger.info(
                "imported into %s: %d new, %d changed, %d unchanged, %d rejected",
                config.archive_path,
                c.inserted,
                c.updated,
                c.unchanged,
                len(report.rejected),
            )
            for lineno, reason in report.rejected:
                logger.warning("line %d rejected: %s", lineno, reason)
            return 1 if report.rejected else 0
        if args.file:
            with open(args.file, "w", encoding="utf-8") as out:
                n = archive.export_jsonl(out)
        else:
            n = archive.export_jsonl(sys.stdout)
        logger.info("exported %d articles from %s", n, config.archive_path)
        return 0


if __name__ == "__main__":
    sys.exit(main())
