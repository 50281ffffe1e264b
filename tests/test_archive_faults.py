"""The archive CLI under storage faults: read-only, full, damaged, locked or missing
archives and a reader that goes away. Each is one line and exit 2 (141 for the pipe),
never a traceback, and the archive is left as it was."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.archive import Archive
from crawler.record import Article
from tests.archive_support import REPO, assert_one_line_failure, jsonl, run_archive


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return list(generate_articles(300, seed=9))


def _filled(data_dir: Path, articles: list[Article]) -> Path:
    path = data_dir / "archive.sqlite3"
    with Archive(path) as archive:
        archive.upsert_many(articles)
    with sqlite3.connect(path) as db:  # fold the WAL in, so the file alone is the archive
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _holds(path: Path) -> bool:
    """Is `path` (a file, or a directory) really read-only for this process?"""
    try:
        if path.is_dir():
            (path / ".probe").touch()
            (path / ".probe").unlink()
        else:
            with path.open("ab"):
                pass
    except OSError:
        return True
    return False


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """Make `path` read-only in a way that holds for this process, root included; yields
    how. Root ignores file modes, so as root: a read-only bind mount (as an operator would
    mount it), else the immutable attribute; skips when nothing holds here."""
    undo: list[list[str]] = []
    how = ""
    if os.geteuid() != 0:
        path.chmod(0o555 if path.is_dir() else 0o444)
        how = "chmod"
    else:
        for setup, teardown, name in (
            (
                [
                    ["mount", "--bind", str(path), str(path)],
                    ["mount", "-o", "remount,bind,ro", str(path)],
                ],
                [["umount", str(path)]],
                "read-only bind mount",
            ),
            ([["chattr", "+i", str(path)]], [["chattr", "-i", str(path)]], "chattr +i"),
        ):
            done = [subprocess.run(c, capture_output=True, check=False).returncode for c in setup]
            if all(rc == 0 for rc in done) and _holds(path):
                undo, how = teardown, name
                break
            for command in teardown:  # a half-applied mechanism
                subprocess.run(command, capture_output=True, check=False)
    try:
        if not how or not _holds(path):
            pytest.skip("no way to make a path read-only for root here (needs mount or chattr)")
        yield how
    finally:
        for command in undo:
            subprocess.run(command, capture_output=True, check=True)
        if how == "chmod":
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("target", ["file", "directory"])
def test_import_into_a_read_only_archive(
    tmp_path: Path, articles: list[Article], target: str
) -> None:
    path = _filled(tmp_path, articles[:50])
    before = path.read_bytes()
    source = tmp_path.parent / f"{tmp_path.name}-in.jsonl"
    source.write_bytes(jsonl(articles[50:60]))
    with read_only(path if target == "file" else tmp_path):
        done = run_archive(["import", str(source)], tmp_path)
    assert_one_line_failure(done, str(path), "read-only")
    assert path.read_bytes() == before


def _fsize_limit(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_import_onto_a_full_disk_keeps_the_archive_whole(
    tmp_path: Path, articles: list[Article]
) -> None:
    # The child may not grow any file beyond 64 KiB: its write-ahead log fills up like a
    # full disk (RLIMIT_FSIZE works unprivileged; Python ignores the SIGXFSZ it sends).
    path = _filled(tmp_path, articles[:20])
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(articles))
    done = run_archive(["import", str(source)], tmp_path, preexec_fn=_fsize_limit(64 * 1024))
    assert_one_line_failure(done, "import stopped at line 1", str(path), "disk")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone() == (20,)
    again = run_archive(["import", str(source)], tmp_path)  # once there is room
    assert again.returncode == 0, again.stderr
    assert "280 new, 0 updated, 20 unchanged" in again.stderr


def test_import_into_a_file_that_is_not_an_archive(tmp_path: Path, articles: list[Article]) -> None:
    path = tmp_path / "archive.sqlite3"
    path.write_bytes(b"this is not a database " * 500)
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(articles[:3]))
    done = run_archive(["import", str(source)], tmp_path)
    assert_one_line_failure(done, str(path), "not a readable archive")
    assert path.read_bytes() == b"this is not a database " * 500


@pytest.mark.slow
def test_import_into_a_locked_archive(tmp_path: Path, articles: list[Article]) -> None:
    path = _filled(tmp_path, articles[:5])
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(articles[5:10]))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock (for longer than we wait)
    try:
        done = run_archive(["import", str(source)], tmp_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_line_failure(done, str(path), "locked", "another process")
    assert run_archive(["import", str(source)], tmp_path).returncode == 0


def _damage(path: Path) -> None:
    """Overwrite the middle of the file (not its header) with garbage."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 3)
        f.write(b"\xa5" * (size // 3))


@pytest.mark.parametrize("to_file", [False, True])
def test_export_of_a_damaged_archive(tmp_path: Path, articles: list[Article], to_file: bool):
    path = _filled(tmp_path, articles)
    _damage(path)
    target = tmp_path / "out.jsonl"
    done = run_archive(["export", *([str(target)] if to_file else [])], tmp_path)
    assert_one_line_failure(done, str(path), "damaged")
    assert not target.exists()  # never a half-written export under the real name
    assert not Path(f"{target}.partial").exists()


def test_export_without_an_archive_creates_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "nothing-here"
    done = run_archive(["export"], data_dir)
    assert_one_line_failure(
        done, f"no archive at {data_dir / 'archive.sqlite3'}", "HERALD_DATA_DIR"
    )
    assert not data_dir.exists()
    data_dir.mkdir()
    done = run_archive(["export", str(tmp_path / "out.jsonl")], data_dir)
    assert_one_line_failure(done, "no archive at", "HERALD_DATA_DIR")
    assert list(data_dir.iterdir()) == []
    assert not (tmp_path / "out.jsonl").exists()


def test_export_into_head_ends_quietly(tmp_path: Path, articles: list[Article]) -> None:
    _filled(tmp_path, articles)  # ~1 MB of JSON: far more than a pipe holds
    shell = shutil.which("sh")
    assert shell is not None
    done = subprocess.run(
        [shell, "-c", f'"{sys.executable}" -m crawler.archive export | head -n 2'],
        cwd=REPO,
        env={**os.environ, "HERALD_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert len(done.stdout.splitlines()) == 2
    assert "Traceback" not in done.stderr, done.stderr
    assert "Error" not in done.stderr, done.stderr
    # The exporter itself, run directly with its stdout closed early:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.archive", "export"],
        cwd=REPO,
        env={**os.environ, "HERALD_DATA_DIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 141)
    assert "Traceback" not in stderr, stderr
    assert "BrokenPipe" not in stderr, stderr
