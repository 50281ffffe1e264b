"""What only the PostgreSQL archive has to show: several writers at once (newer wins whatever
the interleaving; the change watermark never skips a change that commits late with a lower
`seq`), another application's tables left alone, connection failures in one line, and the
index rebuilt and updated from it answering exactly as from the SQLite file."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from bench.synth import generate_articles
from crawler.archive import ArchiveError, ArchiveStorageError, open_archive
from crawler.record import Article
from index.maintain.build import rebuild
from index.maintain.incremental import update
from tests.archive_support import assert_one_line_failure, run_archive
from tests.index_support import article, hand_made
from web import close_searcher, create_app

WRITERS = 4
ROUNDS = 15


def _at(minutes: int) -> str:
    when = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _version(article: Article, minutes: int) -> Article:
    return Article(**{**article, "updated": _at(minutes), "body": f"Version {minutes}."})


def test_concurrent_writers_never_lose_the_newest_version(postgres_url) -> None:
    articles = [
        Article(**{**a, "published": _at(0), "updated": _at(0)})
        for a in generate_articles(10, seed=4)
    ]
    with open_archive(postgres_url) as archive:
        archive.upsert_many(articles)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with open_archive(postgres_url) as archive:
                for n in range(ROUNDS):
                    minutes = 1 + n * WRITERS + writer  # every (writer, round) a distinct time
                    archive.upsert_many(_version(a, minutes) for a in articles)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    newest = _at(WRITERS * ROUNDS)
    with open_archive(postgres_url, readonly=True) as archive:
        for article in articles:
            history = archive.history(article["id"])
            assert history is not None
            assert history.current["updated"] == newest
            updates = [v.updated for v in history.versions]
            assert updates == sorted(updates)  # each replacement was newer than the last
            assert len(set(updates)) == len(updates)


def _waiting(conn: psycopg.Connection, application: str, event_type: str) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
        "AND wait_event_type = %s",
        (application, event_type),
    ).fetchone()
    return bool(row and row[0])


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_the_watermark_waits_for_a_write_that_commits_late(postgres_url) -> None:
    first, blocked, late, other = generate_articles(4, seed=9)
    with open_archive(postgres_url) as archive:
        archive.upsert(blocked)
    holder = psycopg.connect(postgres_url, autocommit=False)
    watcher = psycopg.connect(postgres_url, autocommit=True)
    slow = open_archive(f"{postgres_url}?application_name=slow-writer")
    reader = open_archive(f"{postgres_url}?application_name=reader", readonly=True)
    try:
        # Another session holds `blocked`'s row: the slow writer takes its seq for `late`,
        # then waits on that row before it can commit.
        holder.execute("SELECT 1 FROM articles WHERE id = %s FOR UPDATE", (blocked["id"],))
        newer = Article(**{**blocked, "updated": "2030-01-01T00:00:00Z", "body": "Newer."})
        writer = threading.Thread(target=slow.upsert_many, args=([late, newer],))
        writer.start()
        _wait_until(lambda: _waiting(watcher, "slow-writer", "Lock"), "the slow writer to block")
        with open_archive(postgres_url) as fast:
            fast.upsert(other)  # a higher seq, committed first
        seen: list[tuple[int, str]] = []
        reading = threading.Thread(
            target=lambda: seen.extend((s, a["id"]) for s, a in reader.changed_since(0))
        )
        reading.start()
        # Correct: the reader waits for the slow writer. Wrong: it returns without `late`.
        _wait_until(
            lambda: not reading.is_alive() or _waiting(watcher, "reader", "Lock"),
            "the reader to finish or wait",
        )
        holder.commit()
        writer.join(timeout=60)
        reading.join(timeout=60)
        watermark = max(s for s, _ in seen)
        ids = {i for _, i in seen} | {a["id"] for _, a in reader.changed_since(watermark)}
        assert {late["id"], newer["id"], other["id"], first["id"]} - ids == {first["id"]}
        assert reader.max_seq() == watermark
    finally:
        holder.close()
        watcher.close()
        slow.close()
        reader.close()


def test_another_applications_articles_table_is_refused_and_left_alone(postgres_url) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE articles (id int PRIMARY KEY, note text)")
        conn.execute("INSERT INTO articles VALUES (1, 'theirs')")
    for readonly in (True, False):
        with pytest.raises(ArchiveError, match="not a herald archive"):
            open_archive(postgres_url, readonly=readonly)
    with psycopg.connect(postgres_url) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert [t for (t,) in tables] == ["articles"]
        assert conn.execute("SELECT * FROM articles").fetchall() == [(1, "theirs")]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "postgresql://herald:s3cret@127.0.0.1:9/archive",
            "connecting to postgresql://herald:***@",
        ),
        ("mysql://herald:s3cret@db/archive", "is not an archive URL"),
    ],
)
def test_an_unreachable_or_unknown_archive_url_is_one_line(tmp_path, url, words) -> None:
    done = run_archive(["export"], tmp_path, env={"HERALD_ARCHIVE_URL": url})
    assert_one_line_failure(done, words)
    assert "s3cret" not in done.stderr
    assert not tmp_path.joinpath("archive.sqlite3").exists()


def _answers(data_dir, archive) -> list[object]:
    app = create_app({"DATA_DIR": data_dir, "ARCHIVE_PATH": archive, "TESTING": True})
    try:
        client = app.test_client()
        return [
            client.get("/api/search", query_string={"q": q, "sort": "newest"}).get_json()
            for q in ("", "zorblat", "quorvex harbour", "rugby OR election")
        ] + [_without_seen_times(client.get(f"/api/articles/{ARTICLE}").get_json())]
    finally:
        close_searcher(app)


ARTICLE = article("HMPHRASE1")["id"]


def _without_seen_times(answer: dict) -> dict:
    """An article answer without first/last seen: the archive's clock at import time."""
    return {k: v for k, v in answer.items() if k not in ("first_seen", "last_seen")}


def test_rebuild_and_update_from_postgresql_answer_as_from_sqlite(tmp_path, postgres_url) -> None:
    records = [*generate_articles(40, seed=21), *hand_made()]
    first, later = records[:30], records[30:]
    places = {"sqlite": tmp_path / "sqlite" / "archive.sqlite3", "postgresql": postgres_url}
    for name, where in places.items():
        with open_archive(where) as archive:
            archive.upsert_many(first)
        rebuild(where, tmp_path / name / "index", procs=2)
        with open_archive(where) as archive:
            archive.upsert_many(later)
        assert update(where, tmp_path / name / "index").articles == len(later)
    sqlite_answers = _answers(tmp_path / "sqlite", places["sqlite"])
    assert sqlite_answers[0]["total"] == len(records)
    assert _answers(tmp_path / "postgresql", postgres_url) == sqlite_answers


def test_a_dropped_connection_fails_one_call_and_the_next_reconnects(postgres_url) -> None:
    article = next(generate_articles(1, seed=2))
    with open_archive(postgres_url) as archive:
        archive.upsert(article)
    reader = open_archive(f"{postgres_url}?application_name=dropped", readonly=True)
    try:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'dropped'"
            )
        with pytest.raises(ArchiveStorageError, match="reading"):
            reader.count()
        assert reader.count() == 1
        assert reader.get(article["id"]) == article
    finally:
        reader.close()
