"""The index commands under faults: one line and a non-zero exit, never a traceback, and a
failed rebuild leaves nothing behind.

Real subprocesses of `python -m index.rebuild / index.update / index.stats` against a real
archive and index, on a full disk (a tmpfs the tests mount, or a file-size limit), a
read-only one, a damaged or locked archive, a damaged index, and no data at all.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.archive import Archive
from index.layout import current_build
from index.maintain.build import rebuild
from tests.fault_support import (
    builds,
    can_mount,
    cli,
    command,
    environment,
    file_size_limit,
    fill,
    one_line,
    remount,
    tmpfs,
)
from tests.index_support import fill_archive

pytestmark = pytest.mark.slow
WRITERS = (("index.rebuild", "--quiet"), ("index.update",), ("index.rebuild", "--incremental"))


@pytest.fixture(scope="module")
def mountable(tmp_path_factory) -> bool:
    return can_mount(tmp_path_factory.mktemp("probe") / "mnt")


def _needs_mount(mountable: bool) -> None:
    if not mountable:
        pytest.skip("mounting a tmpfs needs root with CAP_SYS_ADMIN (CI runs as root)")


def _indexed(data_dir: Path, synth: int = 300) -> Path:
    fill_archive(data_dir / "archive.sqlite3", synth=synth)
    return rebuild(data_dir / "archive.sqlite3", data_dir / "index", procs=1).build_dir


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "parallel"])
def test_a_rebuild_on_a_full_disk_cleans_up_and_says_what_it_needs(tmp_path, mountable, parallel):
    _needs_mount(mountable)
    with tmpfs(tmp_path / "disk", 12 * 1024) as disk:
        data = disk / "data"
        live = _indexed(data)
        assert cli(data, "index.stats").returncode == 0  # SQLite's -wal/-shm now exist
        filler = fill(disk, leave=int(sum(p.stat().st_size for p in live.iterdir()) * 0.4))
        free = shutil.disk_usage(disk).free
        for _attempt in range(2):  # and a retry after the failure gives the same one line
            done = cli(data, "index.rebuild", "--quiet", parallel=parallel)
            assert done.returncode == 2
            line = one_line(done.stderr)
            assert "the disk is full" in line
            assert "a rebuild needs about" in line
            assert "three builds" in line
            assert "the partial build was removed" in line
            assert builds(data / "index") == [live.name]
            assert current_build(data / "index") == live
            assert shutil.disk_usage(disk).free >= free - 64 * 1024
        # A rebuild killed outright (SIGKILL) leaves a partial build; the next one clears it
        # before writing, or this disk could never hold a new build again.
        abandoned = data / "index" / "build-20000101T000000000000-1"
        abandoned.mkdir()
        filler.unlink()
        fill(disk, leave=int(sum(p.stat().st_size for p in live.iterdir()) * 1.6))
        (abandoned / "MAIN_x.pst").write_bytes(b"\0" * int(live.stat().st_size + 10**6))
        done = cli(data, "index.rebuild", "--quiet", parallel=parallel)
        assert done.returncode == 0, done.stderr
        assert abandoned.name not in builds(data / "index")
        assert len(builds(data / "index")) == 2  # the new build and the previous one


def test_a_file_size_limit_fails_the_rebuild_cleanly_without_privileges(tmp_path):
    live = _indexed(tmp_path)
    done = cli(tmp_path, "index.rebuild", "--quiet", preexec_fn=file_size_limit(200_000))
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "file-size limit" in line
    assert "a rebuild needs about" in line
    assert builds(tmp_path / "index") == [live.name]
    assert current_build(tmp_path / "index") == live


def _slow_archive(data_dir: Path) -> Path:
    live = _indexed(data_dir, synth=20)
    with Archive(data_dir / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(6000, seed=12))
    return live


@pytest.mark.parametrize(
    ("sig", "status", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_an_interrupted_rebuild_removes_its_partial_build(tmp_path, sig, status, word):
    live = _slow_archive(tmp_path)
    proc = subprocess.Popen(
        command("index.rebuild", "--quiet"),
        env=environment(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while len(builds(tmp_path / "index")) < 2:  # the new build has begun
        assert time.monotonic() < deadline
        assert proc.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)  # into indexing
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status
    assert f"{word}; the live index is unchanged" in one_line(stderr)
    assert builds(tmp_path / "index") == [live.name]
    assert current_build(tmp_path / "index") == live


def test_on_a_read_only_disk_writes_fail_in_one_line_and_reads_work(tmp_path, mountable):
    _needs_mount(mountable)
    with tmpfs(tmp_path / "disk", 16 * 1024) as disk:
        data = disk / "data"
        _indexed(data)
        with Archive(data / "archive.sqlite3") as archive:
            archive.upsert_many(generate_articles(3, seed=13))
        assert cli(data, "index.stats").returncode == 0  # SQLite's -wal/-shm now exist
        remount(disk, "ro")
        try:
            for args in WRITERS:
                done = cli(data, *args)
                assert done.returncode == 2
                line = one_line(done.stderr)
                assert "Read-only file system" in line
                assert "must be writable" in line
            stats = cli(data, "index.stats")
            assert stats.returncode == 0, stats.stderr
            assert "3 changes pending" in stats.stdout
        finally:
            remount(disk, "rw")


def _damage_archive(data_dir: Path, how: str) -> None:
    path = data_dir / "archive.sqlite3"
    with open(path, "r+b") as f:
        if how == "header":
            f.write(b"\xa5" * 100)
        else:
            f.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("how", ["header", "truncated"])
def test_a_damaged_archive_is_one_line_for_every_command(tmp_path, how):
    live = _indexed(tmp_path)
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(3, seed=14))
    _damage_archive(tmp_path, how)
    for args in (("index.rebuild", "--quiet"), ("index.update", "--quiet"), ("index.stats",)):
        done = cli(tmp_path, *args)
        assert done.returncode == 2, done.stdout
        line = one_line(done.stderr)
        assert str(tmp_path / "archive.sqlite3") in line
        assert "the archive file is damaged" in line
    assert builds(tmp_path / "index") == [live.name]


def test_a_locked_archive_is_one_line(tmp_path):
    _indexed(tmp_path, synth=20)
    locker = sqlite3.connect(tmp_path / "archive.sqlite3", timeout=0)
    try:
        locker.execute("PRAGMA journal_mode=DELETE")  # a writer that blocks readers
        locker.execute("BEGIN EXCLUSIVE")
        for args in (("index.stats",), ("index.rebuild", "--quiet")):
            done = cli(tmp_path, *args)
            assert done.returncode == 2
            assert "another process is writing to it" in one_line(done.stderr)
    finally:
        locker.rollback()
        locker.execute("PRAGMA journal_mode=WAL")
        locker.close()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda b: [p.write_bytes(p.read_bytes()[:100]) for p in b.glob("*.pst")], ".pst"),
        (lambda b: (b / "meta.json").write_text("{"), "meta.json"),
        (lambda b: shutil.rmtree(b), "missing"),
    ],
    ids=["postings truncated", "meta.json broken", "build removed"],
)
def test_a_damaged_index_is_one_line_and_a_rebuild_repairs_it(tmp_path, damage, named):
    live = _indexed(tmp_path)
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(3, seed=15))
    damage(live)
    for args in (("index.stats",), ("index.update", "--quiet")):
        done = cli(tmp_path, *args)
        assert done.returncode == 2
        line = one_line(done.stderr)
        assert named in line
        assert "python -m index.rebuild" in line
    assert cli(tmp_path, "index.rebuild", "--quiet").returncode == 0
    stats = cli(tmp_path, "index.stats")
    assert stats.returncode == 0
    assert "documents        310" in stats.stdout


def test_without_data_every_command_says_where_it_looked_and_creates_nothing(tmp_path):
    data = tmp_path / "nowhere"
    for args in (("index.stats",), *WRITERS):
        done = cli(data, *args)
        assert done.returncode == 2
        line = one_line(done.stderr)
        assert str(data) in line
        assert "HERALD_DATA_DIR" in line
    assert not data.exists()
    fill_archive(data / "archive.sqlite3", synth=5)
    before = sorted(p.name for p in data.iterdir())
    for args in (("index.stats",), ("index.update",), ("index.rebuild", "--incremental")):
        done = cli(data, *args)
        assert done.returncode == 2
        line = one_line(done.stderr)
        assert f"no index in {data / 'index'}" in line
        assert "HERALD_DATA_DIR" in line
    assert not (data / "index").exists()
    assert sorted(p.name for p in data.iterdir() if not p.name.endswith(("-wal", "-shm"))) == before


def test_stats_reads_without_writing_anything(tmp_path):
    _indexed(tmp_path, synth=20)
    (tmp_path / "archive.sqlite3").unlink()
    index_files = sorted(str(p) for p in (tmp_path / "index").rglob("*"))
    done = cli(tmp_path, "index.stats")
    assert done.returncode == 0
    assert "documents        27" in done.stdout
    assert sorted(str(p) for p in (tmp_path / "index").rglob("*")) == index_files
    assert not (tmp_path / "archive.sqlite3").exists()


def test_updates_show_progress_unless_quiet(tmp_path):
    _indexed(tmp_path, synth=20)
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(30, seed=16))
    shown = cli(tmp_path, "index.update")
    assert shown.returncode == 0
    assert "updating" in shown.stderr
    assert "30/30" in shown.stderr
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(5, seed=17))
    shown = cli(tmp_path, "index.rebuild", "--incremental")
    assert "5/5" in shown.stderr
    assert "updated 5 articles" in shown.stdout
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(4, seed=18))
    quiet = cli(tmp_path, "index.update", "--quiet")
    assert "updated 4 articles" in quiet.stdout
    assert "updating" not in quiet.stderr


def test_stats_into_a_closed_pipe_ends_quietly(tmp_path):
    _indexed(tmp_path, synth=20)
    proc = subprocess.Popen(
        command("index.stats", "--json"),
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # the reader is gone before the command writes (`| head -0`)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 141
    assert stderr == ""
