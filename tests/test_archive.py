"""The SQLite archive: upsert semantics, the change watermark, and JSON Lines in and out."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.archive import Archive, ArchiveError
from crawler.record import Article

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def articles() -> list[Article]:
    return list(generate_articles(6, seed=3))


@pytest.fixture
def archive(tmp_path: Path):
    with Archive(tmp_path / "archive.sqlite3") as opened:
        yield opened


def _changed(article: Article, **changes: object) -> Article:
    return Article(**{**article, **changes})


def test_upsert_inserts_updates_and_ignores_identical(
    archive: Archive, articles: list[Article]
) -> None:
    first = articles[0]
    assert archive.upsert(first) == "inserted"
    assert archive.upsert(dict(first)) == "unchanged"
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
    assert list(archive.changed_since(mark)) == []
    archive.upsert(articles[1])  # unchanged: no new seq
    archive.upsert(_changed(articles[2], title="A new headline"))
    archive.upsert(articles[5])
    later = [(seq, a["id"]) for seq, a in archive.changed_since(mark)]
    assert [i for _, i in later] == [articles[2]["id"], articles[5]["id"]]
    assert all(seq > mark for seq, _ in later)
    assert archive.max_seq() == later[-1][0]


def test_a_batch_is_all_or_nothing(archive: Archive, articles: list[Article]) -> None:
    archive.upsert(articles[0])
    broken = _changed(articles[2], title=None)  # NOT NULL violation mid-batch
    with pytest.raises(sqlite3.IntegrityError):
        archive.upsert_many([articles[1], broken])
    assert archive.count() == 1


def test_readonly_archive_refuses_writes(tmp_path: Path, articles: list[Article]) -> None:
    path = tmp_path / "archive.sqlite3"
    with pytest.raises(FileNotFoundError):
        Archive(path, readonly=True)
    with Archive(path) as writer:
        writer.upsert(articles[0])
    with Archive(path, readonly=True) as reader:
        assert reader.get(articles[0]["id"]) == articles[0]
        with pytest.raises(sqlite3.OperationalError):
            reader.upsert(articles[1])


def _cli(args: list[str], data_dir: Path, stdin: str | None = None):
    env = {**os.environ, "HERALD_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "crawler.archive", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_import_reports_rejects_and_is_idempotent(
    tmp_path: Path, articles: list[Article]
) -> None:
    good = [json.dumps(a, ensure_ascii=False) for a in articles[:3]]
    lines = [
        good[0],
        "{not json",
        good[1],
        json.dumps({**articles[3], "id": "short"}),
        "",
        json.dumps({**articles[4], "body": "   "}),
        good[2],
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = _cli(["import", str(source)], tmp_path)
    assert first.returncode == 1, first.stderr
    assert "3 new, 0 changed, 0 unchanged, 3 rejected" in first.stderr
    assert "line 2 rejected: not JSON" in first.stderr
    assert "line 4 rejected: id is not a 26-character Arc id" in first.stderr
    assert "line 6 rejected: missing body" in first.stderr
    second = _cli(["import", str(source)], tmp_path)
    assert "0 new, 0 changed, 3 unchanged, 3 rejected" in second.stderr
    with Archive(tmp_path / "archive.sqlite3", readonly=True) as archive:
        assert archive.count() == 3
        assert archive.max_seq() == 3


def test_cli_export_round_trips_through_import(tmp_path: Path, articles: list[Article]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    assert _cli(["import", str(source)], tmp_path / "a").returncode == 0
    exported = _cli(["export"], tmp_path / "a")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert sorted(records, key=lambda a: a["id"]) == sorted(articles, key=lambda a: a["id"])
    # The export imports cleanly into a fresh archive, and exports identically from there.
    dump = tmp_path / "dump.jsonl"
    assert _cli(["export", str(dump)], tmp_path / "a").returncode == 0
    assert dump.read_text("utf-8") == exported.stdout
    assert _cli(["import", str(dump)], tmp_path / "b").returncode == 0
    assert _cli(["export"], tmp_path / "b").stdout == exported.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all" * 200, "not a readable archive"), (None, "no articles table")],
)
def test_a_file_that_is_not_an_archive_is_refused_with_a_message(tmp_path, content, message):
    path = tmp_path / "archive.sqlite3"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE other (x)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    with pytest.raises(ArchiveError, match=message):
        Archive(path, readonly=True)
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
    assert message in rebuild.stderr
    assert "Traceback" not in rebuild.stderr
