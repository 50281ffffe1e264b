"""The archive: newer wins, versions and seen times, the change watermark, read-only use,
and newer schemas, against each backend (the `backend` fixture: SQLite and PostgreSQL);
then the SQLite file's own cases: migration of archives written by older versions, and
files that are not archives."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.archive import (
    Archive,
    ArchiveError,
    ArchiveMissing,
    ArchiveStorageError,
    Outcome,
)
from crawler.archive.rules import decide
from crawler.record import Article
from tests.archive_support import Backend

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def articles() -> list[Article]:
    return list(generate_articles(6, seed=3))


@pytest.fixture
def archive(backend: Backend):
    with backend.open() as opened:
        yield opened


def _changed(article: Article, **changes: object) -> Article:
    return Article(**{**article, **changes})  # type: ignore[typeddict-item]


def test_upsert_inserts_updates_and_ignores_identical(
    archive: Archive, articles: list[Article]
) -> None:
    first = articles[0]
    assert archive.upsert(first) == "inserted"
    assert archive.upsert(dict(first)) == "unchanged"  # type: ignore[arg-type]
    newer = _changed(
        first, body=first["body"] + "\n\nA late correction.", updated="2026-01-01T00:00:00Z"
    )
    assert archive.upsert(newer) == "updated"
    assert archive.count() == 1
    assert archive.get(first["id"]) == newer
    assert archive.updated_of(first["id"]) == "2026-01-01T00:00:00Z"
    assert archive.updated_of("NOTARCHIVED000000000000000") is None


def test_upsert_many_counts_and_round_trips_every_field(
    archive: Archive, articles: list[Article]
) -> None:
    counts = archive.upsert_many(articles)
    assert (counts.inserted, counts.updated, counts.unchanged) == (len(articles), 0, 0)
    again = archive.upsert_many(articles)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(articles))
    stored = archive.get_many([a["id"] for a in articles])
    assert stored == {a["id"]: a for a in articles}
    assert [a["id"] for a in archive] == [
        a["id"] for a in sorted(articles, key=lambda a: (a["published"], a["id"]))
    ]


def test_watermark_yields_only_changes_after_it(archive: Archive, articles: list[Article]) -> None:
    archive.upsert_many(articles[:4])
    mark = archive.max_seq()
    everything = [a["id"] for _, a in archive.changed_since(0, batch=2)]
    assert everything == [a["id"] for a in articles[:4]]
    assert archive.changed_count(0) == 4  # the update's progress total
    assert list(archive.changed_since(mark)) == []
    assert archive.changed_count(mark) == 0
    archive.upsert(articles[1])  # unchanged: no new seq
    archive.upsert(_changed(articles[2], title="A new headline"))  # revised: a new seq
    archive.upsert(_changed(articles[3], updated="1999-01-01T00:00:00Z"))  # older: kept out
    archive.upsert(articles[5])
    later = [(seq, a["id"]) for seq, a in archive.changed_since(mark)]
    assert [i for _, i in later] == [articles[2]["id"], articles[5]["id"]]
    assert archive.changed_count(mark) == 2
    assert all(seq > mark for seq, _ in later)
    assert archive.max_seq() == later[-1][0]


BASE = "2024-05-01T00:00:00Z"


@pytest.mark.parametrize(
    ("incoming_updated", "new_text", "force", "outcome", "current"),
    [
        ("2024-05-02T00:00:00Z", True, False, Outcome.UPDATED, "incoming"),
        ("2024-05-02T00:00:00Z", False, False, Outcome.UPDATED, "incoming"),
        (BASE, True, False, Outcome.REVISED, "incoming"),
        (BASE, False, False, Outcome.UNCHANGED, "archived"),
        ("2024-04-30T00:00:00Z", True, False, Outcome.OLDER, "archived"),
        ("2024-04-30T00:00:00Z", False, False, Outcome.OLDER, "archived"),
        ("2024-04-30T00:00:00Z", True, True, Outcome.RESTORED, "incoming"),
        (BASE, False, True, Outcome.UNCHANGED, "archived"),
    ],
)
def test_newer_wins(
    archive: Archive,
    articles: list[Article],
    incoming_updated: str,
    new_text: bool,
    force: bool,
    outcome: Outcome,
    current: str,
) -> None:
    archived = _changed(articles[0], published="2024-04-01T00:00:00Z", updated=BASE)
    archive.upsert(archived)
    seq = archive.max_seq()
    body = "Rewritten." if new_text else archived["body"]
    incoming = _changed(archived, updated=incoming_updated, body=body)
    assert decide(incoming, archived, force=force) is outcome
    assert archive.upsert(incoming, force=force) == outcome.value
    kept = archive.get(archived["id"])
    assert kept == (incoming if current == "incoming" else archived)
    history = archive.history(archived["id"])
    assert history is not None
    replaced = current == "incoming"
    # The replaced copy is never lost: it is the previous version.
    assert [v.article for v in history.versions] == (
        [archived, incoming] if replaced else [archived]
    )
    assert archive.max_seq() == (seq + 1 if replaced else seq)


def test_versions_seen_times_and_fetched(archive: Archive, articles: list[Article]) -> None:
    first = _changed(
        articles[0],
        published="2024-05-01T00:00:00Z",
        updated="2024-05-01T00:00:00Z",
        fetched="2024-05-01T01:00:00Z",
    )
    second = _changed(
        first,
        updated="2024-05-02T00:00:00Z",
        fetched="2024-05-02T01:00:00Z",
        title="Second headline",
    )
    third = _changed(
        second, updated="2024-05-03T00:00:00Z", fetched="2024-05-03T01:00:00Z", body="Third body."
    )
    for version in (first, second, third):
        archive.upsert(version)
    archive.upsert(_changed(third, fetched="2024-05-04T01:00:00Z"))  # fetched again, unchanged
    archive.upsert(_changed(first, fetched="2024-05-05T01:00:00Z"))  # an older copy: kept out
    history = archive.history(first["id"])
    assert history is not None
    assert history.first_seen == "2024-05-01T01:00:00Z"
    assert history.last_seen == "2024-05-04T01:00:00Z"
    assert history.times_updated == 2
    assert [v.updated for v in history.versions] == [
        "2024-05-01T00:00:00Z",
        "2024-05-02T00:00:00Z",
        "2024-05-03T00:00:00Z",
    ]
    # `fetched` is the time this version was fetched, not the latest sighting.
    assert [v.fetched for v in history.versions] == [
        "2024-05-01T01:00:00Z",
        "2024-05-02T01:00:00Z",
        "2024-05-03T01:00:00Z",
    ]
    assert history.versions[0].replaced is not None
    assert history.versions[-1].replaced is None
    assert history.current == third == archive.get(first["id"])
    assert list(archive.previous_versions()) == [first, second]
    assert archive.history("NOTARCHIVED000000000000000") is None


def test_a_record_without_fetched_is_seen_by_the_archive_clock(
    archive: Archive, articles: list[Article]
) -> None:
    archive.upsert(articles[0])
    history = archive.history(articles[0]["id"])
    assert history is not None
    assert "fetched" not in history.current
    assert history.first_seen is not None
    assert history.first_seen == history.last_seen
    assert history.first_seen[:4] >= "2025"


def test_a_batch_is_all_or_nothing(
    archive: Archive, articles: list[Article], backend: Backend
) -> None:
    archive.upsert(articles[0])
    broken = _changed(articles[2], title=None)  # NOT NULL violation mid-batch
    with pytest.raises(backend.integrity_error):
        archive.upsert_many([articles[1], broken])
    assert archive.count() == 1
    assert archive.upsert(articles[1]) == "inserted"  # the archive is still writable


def test_readonly_archive_refuses_writes_and_creates_nothing(
    backend: Backend, articles: list[Article]
) -> None:
    with pytest.raises(ArchiveMissing, match="no archive (at|in)"):
        backend.open(readonly=True)
    with pytest.raises(FileNotFoundError):  # what callers caught before
        backend.open(readonly=True)
    assert not backend.holds_archive()
    with backend.open() as writer:
        writer.upsert(articles[0])
    with backend.open(readonly=True) as reader:
        assert reader.get(articles[0]["id"]) == articles[0]
        with pytest.raises(ArchiveStorageError, match="read-?only"):
            reader.upsert(articles[1])
        assert reader.count() == 1


def test_a_newer_schema_is_refused(backend: Backend, articles: list[Article]) -> None:
    with backend.open() as writer:
        writer.upsert(articles[0])
    backend.set_schema_version(99)
    for readonly in (True, False):
        with pytest.raises(ArchiveError, match="written by a newer herald-search"):
            backend.open(readonly=readonly)


# The archive's schema as every release before provenance created it (a fixed copy, so
# this test keeps checking the migration whatever the code's schema becomes).
OLD_SCHEMA = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL, standfirst TEXT NOT NULL,
    body TEXT NOT NULL, authors TEXT NOT NULL, source TEXT NOT NULL, section TEXT NOT NULL,
    subsection TEXT, tags TEXT NOT NULL, published TEXT NOT NULL, updated TEXT NOT NULL,
    premium INTEGER NOT NULL, seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX articles_seq ON articles (seq);
CREATE INDEX articles_published ON articles (published);
"""


def _old_archive(path: Path, articles: list[Article]) -> None:
    import json

    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(OLD_SCHEMA)
    for seq, a in enumerate(articles, start=1):
        db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a["id"],
                a["url"],
                a["title"],
                a["standfirst"],
                a["body"],
                json.dumps(a["authors"]),
                a["source"],
                a["section"],
                a["subsection"],
                json.dumps(a["tags"]),
                a["published"],
                a["updated"],
                int(a["premium"]),
                seq * 10,
            ),
        )
    db.commit()
    db.close()


def test_an_archive_of_the_old_schema_is_read_as_is_and_migrated_in_place(
    tmp_path: Path, articles: list[Article]
) -> None:
    path = tmp_path / "archive.sqlite3"
    _old_archive(path, articles)
    with Archive(path, readonly=True) as reader:  # the web app, before any write
        assert list(reader.changed_since(0)) == [(10 * (i + 1), a) for i, a in enumerate(articles)]
        history = reader.history(articles[0]["id"])
        assert history is not None
        assert (history.first_seen, history.last_seen) == (None, None)
        assert [v.article for v in history.versions] == [articles[0]]
        assert list(reader.previous_versions()) == []
    with sqlite3.connect(path) as db:  # reading changed nothing
        assert db.execute("PRAGMA user_version").fetchone() == (0,)
    with Archive(path) as writer:  # the first writer migrates
        assert list(writer.changed_since(0)) == [(10 * (i + 1), a) for i, a in enumerate(articles)]
        newer = _changed(
            articles[0], updated="2026-01-01T00:00:00Z", fetched="2026-01-02T00:00:00Z"
        )
        assert writer.upsert(newer) == "updated"
        history = writer.history(articles[0]["id"])
    assert history is not None
    assert [v.article for v in history.versions] == [articles[0], newer]
    # Archived before sightings were recorded: first seen stays unknown, never invented.
    assert history.first_seen is None
    assert history.last_seen == "2026-01-02T00:00:00Z"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone() == (len(articles),)
        assert db.execute("SELECT MAX(seq) FROM articles").fetchone() == (10 * len(articles) + 1,)
    with Archive(path) as again:  # migrating twice is a no-op
        assert again.count() == len(articles)


def _other_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all" * 200, "not a readable archive"), (None, "no articles table")],
)
@pytest.mark.parametrize("readonly", [True, False])
def test_a_file_that_is_not_an_archive_is_refused_and_left_alone(
    tmp_path: Path, content: bytes | None, message: str, readonly: bool
) -> None:
    path = tmp_path / "archive.sqlite3"
    if content is None:
        _other_database(path)
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match=message):
        Archive(path, readonly=readonly)
    assert path.read_bytes() == before  # someone else's database is never written to
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.sqlite3"]


def test_rebuild_names_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    _other_database(tmp_path / "archive.sqlite3")
    rebuild = subprocess.run(
        [sys.executable, "-m", "index.rebuild", "--quiet"],
        cwd=REPO,
        env={**os.environ, "HERALD_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert rebuild.returncode == 2
    assert "no articles table" in rebuild.stderr
    assert "Traceback" not in rebuild.stderr
