"""`python -m crawler.archive import`: each line on its own, every good line kept, every bad
one reported with its number; newer wins; `fetched` and versions in and out. Each test that
takes `backend` runs against the SQLite file and against PostgreSQL (HERALD_ARCHIVE_URL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.record import Article
from tests.archive_support import Backend, assert_one_line_failure, jsonl, run_archive


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return list(generate_articles(8, seed=5))


def _run(backend: Backend, args: list[str], name: str = "main", **options: object):
    """`python -m crawler.archive ARGS` on the backend's archive `name`."""
    return run_archive(args, backend.data_dir(name), env=backend.env(name), **options)


def _line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def _hostile_file(articles: list[Article]) -> tuple[bytes, dict[int, str], list[Article]]:
    """A file mixing good records with every kind of bad line: (content, {line: reason
    words}, the good records)."""
    good = articles[:6]
    lines: list[bytes] = [
        b"\xef\xbb\xbf" + _line(good[0]),  # 1: a BOM on the first line is fine
        _line(good[1])[:20] + b"\xff" + _line(good[1])[20:],  # 2: a raw byte that is not UTF-8
        _line(good[1]),  # 3
        json.dumps({**articles[6], "title": "\ud800 lone"}).encode("ascii"),  # 4: an escape
        b"[" * 100_000,  # 5: pathological nesting
        b"[1, 2, 3]",  # 6: JSON, but not an object
        _line(good[2]),  # 7
        _line({**articles[6], "published": "0001-01-01T00:00:00+05:00"}),  # 8
        _line({**articles[7], "published": "9999-12-31T23:00:00Z"}),  # 9
        b"",  # 10: blank lines are skipped
        _line({**articles[7], "published": "0999-06-01T00:00:00Z"}),  # 11
        b"{not json",  # 12
        _line(good[3]),  # 13
        _line({**articles[6], "id": "short"}),  # 14
        _line(good[4]),  # 15
        b"\xef\xbb\xbf" + _line(good[5]),  # 16: a BOM anywhere else is not JSON
        _line(good[5]),  # 17
    ]
    reasons = {
        2: "not UTF-8: byte 0xff",
        4: "title is not valid Unicode text: a lone surrogate",
        5: "nested too deeply",
        6: "a record must be a JSON object",
        8: "published is not an ISO 8601 date",
        9: "published is more than two days in the future",
        11: "published is before 1800",
        12: "not JSON",
        14: "id is not a 26-character Arc id",
        16: "not JSON",
    }
    return b"\n".join(lines) + b"\n", reasons, good


def test_every_good_line_is_kept_and_every_bad_one_reported(
    tmp_path: Path, articles: list[Article], backend: Backend
) -> None:
    content, reasons, good = _hostile_file(articles)
    assert b'"\\ud800 lone"' in content  # the JSON escape of a lone surrogate, as written
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    done = _run(backend, ["import", str(source)])
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for number, words in reasons.items():
        assert any(
            line.startswith(f"line {number} rejected: ") and words in line
            for line in done.stderr.splitlines()
        ), (number, words, done.stderr)
    assert done.stderr.count(" rejected: ") == len(reasons)
    assert (
        f"{len(good)} new, 0 updated, 0 unchanged, 0 older (kept archived), "
        f"{len(reasons)} rejected" in done.stderr
    )
    with backend.open(readonly=True) as archive:
        assert archive.get_many([a["id"] for a in articles]) == {a["id"]: a for a in good}
    again = _run(backend, ["import", "-"], stdin=content)  # the same, from stdin
    assert again.returncode == 1
    assert f"0 new, 0 updated, {len(good)} unchanged" in again.stderr


def test_a_rejected_line_never_costs_its_batch(backend: Backend, articles: list[Article]) -> None:
    content, reasons, good = _hostile_file(articles)
    with backend.open() as archive:
        report = archive.import_jsonl(content.splitlines(keepends=True), batch=2)
        assert sorted(line for line, _ in report.rejected) == sorted(reasons)
        assert report.counts.inserted == len(good)
        assert archive.count() == len(good)


def test_a_clean_file_exits_0_and_a_re_import_changes_nothing(
    tmp_path: Path, articles: list[Article], backend: Backend
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(articles))
    first = _run(backend, ["import", str(source)])
    assert first.returncode == 0, first.stderr
    assert f"{len(articles)} new" in first.stderr
    second = _run(backend, ["import", str(source)])
    assert second.returncode == 0
    assert f"0 new, 0 updated, {len(articles)} unchanged" in second.stderr
    with backend.open(readonly=True) as archive:
        assert archive.max_seq() == len(articles)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["import", "missing.jsonl"], ["cannot read missing.jsonl"]),
        (["import", "."], ["cannot read ."]),
    ],
)
def test_an_unreadable_file_is_a_usage_error_and_creates_no_archive(
    backend: Backend, args: list[str], words: list[str]
) -> None:
    done = _run(backend, args)
    assert_one_line_failure(done, *words)
    assert not backend.holds_archive()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in ([], ["import"], ["export", "a", "b"], ["frobnicate"]):
        done = run_archive(args, tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert "usage:" in done.stderr
        assert "Traceback" not in done.stderr


def _export(backend: Backend, *args: str, name: str = "main") -> list[dict]:
    done = _run(backend, ["export", *args], name)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_newer_wins_on_import_and_force_restores(
    tmp_path: Path, articles: list[Article], backend: Backend
) -> None:
    base = articles[0]
    old = {**base, "updated": "2024-01-01T00:00:00Z", "published": "2023-12-01T00:00:00Z"}
    new = {**old, "updated": "2024-02-01T00:00:00Z", "body": "The corrected story."}
    (tmp_path / "new.jsonl").write_bytes(jsonl([new]))
    (tmp_path / "old.jsonl").write_bytes(jsonl([old]))
    assert _run(backend, ["import", str(tmp_path / "new.jsonl")]).returncode == 0
    # An old backup does not roll the article back.
    rolled = _run(backend, ["import", str(tmp_path / "old.jsonl")])
    assert rolled.returncode == 0, rolled.stderr
    assert "0 new, 0 updated, 0 unchanged, 1 older (kept archived)" in rolled.stderr
    assert _export(backend) == [new]
    # Same `updated`, different content: replaced, and said so with the line number.
    revised = {**new, "title": "A better headline"}
    (tmp_path / "revised.jsonl").write_bytes(jsonl([articles[1], revised]))
    done = _run(backend, ["import", str(tmp_path / "revised.jsonl")])
    assert done.returncode == 0, done.stderr
    assert f"line 2: {base['id']} has the archived `updated` but different content" in done.stderr
    assert "1 revised" in done.stderr
    # --force restores deliberately; nothing is lost: every copy is a version.
    forced = _run(backend, ["import", "--force", str(tmp_path / "old.jsonl")])
    assert forced.returncode == 0, forced.stderr
    assert "1 restored" in forced.stderr
    with backend.open(readonly=True) as archive:
        history = archive.history(base["id"])
    assert history is not None
    assert [v.article for v in history.versions] == [new, revised, old]


def test_fetched_and_versions_go_out_and_come_back(
    tmp_path: Path, articles: list[Article], backend: Backend
) -> None:
    first = {
        **articles[0],
        "published": "2024-01-01T00:00:00Z",
        "updated": "2024-01-01T00:00:00Z",
        "fetched": "2024-01-01T02:00:00Z",
    }
    second = {
        **first,
        "updated": "2024-01-03T00:00:00Z",
        "title": "Headline, revised",
        "fetched": "2024-01-03T02:00:00+00:00",
    }
    third = {**second, "updated": "2024-01-05T00:00:00Z", "body": "Third.", "fetched": None}
    legacy = dict(articles[1])  # an export made before `fetched` existed
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl([first, second, third, legacy]))
    assert _run(backend, ["import", str(source)], "a").returncode == 0
    second["fetched"] = "2024-01-03T02:00:00Z"  # normalised to UTC with a Z
    del third["fetched"]  # unknown: left out
    assert sorted(_export(backend, name="a"), key=lambda r: r["id"]) == sorted(
        [third, legacy], key=lambda r: r["id"]
    )
    with_versions = _export(backend, "--versions", name="a")
    assert with_versions[:2] == [first, second]  # earlier versions first, as archived
    # Importing that export into an empty archive rebuilds the same history.
    dump = tmp_path / "dump.jsonl"
    assert _run(backend, ["export", "--versions", str(dump)], "a").returncode == 0
    assert _run(backend, ["import", str(dump)], "b").returncode == 0
    histories = []
    for name in ("a", "b"):
        with backend.open(name, readonly=True) as archive:
            history = archive.history(first["id"])
            assert history is not None
            histories.append(history)
    assert [v.article for v in histories[0].versions] == [first, second, third]
    assert [v.article for v in histories[1].versions] == [first, second, third]
    assert histories[1].first_seen == "2024-01-01T02:00:00Z"


def test_export_round_trips_through_import(
    tmp_path: Path, articles: list[Article], backend: Backend
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(articles))
    assert _run(backend, ["import", str(source)], "a").returncode == 0
    exported = _run(backend, ["export"], "a")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert sorted(records, key=lambda a: a["id"]) == sorted(articles, key=lambda a: a["id"])
    dump = tmp_path / "dump.jsonl"
    assert _run(backend, ["export", str(dump)], "a").returncode == 0
    assert dump.read_text("utf-8") == exported.stdout
    assert not (tmp_path / "dump.jsonl.partial").exists()
    assert _run(backend, ["import", str(dump)], "b").returncode == 0
    assert _run(backend, ["export"], "b").stdout == exported.stdout
