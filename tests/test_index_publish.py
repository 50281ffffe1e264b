"""`python -m index.publish DEST`: a replica's web app answers exactly as the source's, a
publish killed part-way leaves DEST serving its previous build, and a running replica
picks up a publish without a restart."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synth import generate_articles
from crawler.archive import Archive
from index.layout import CURRENT, current_build, read_meta
from index.maintain.build import rebuild
from index.maintain.incremental import update
from index.maintain.publish import publish
from tests.index_support import article, fill_archive
from web import close_searcher, create_app

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "",
    "zorblat",
    "quorvex harbour",
    '"prime minister"',
    "rugby OR election",
    "zorblat -running",
    "title:zorblat",
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One source data directory (archive + live index) built once for the module."""
    data = tmp_path_factory.mktemp("publish") / "source"
    fill_archive(data / "archive.sqlite3", synth=150)
    rebuild(data / "archive.sqlite3", data / "index", procs=1)
    return data


@pytest.fixture
def source(pristine: Path, tmp_path: Path) -> Path:
    """This test's own copy of the source data directory (`current` stays a relative link)."""
    return Path(shutil.copytree(pristine, tmp_path / "source", symlinks=True))


def _replica_app(source: Path, dest: Path):
    """A web app serving DEST's index with the shared (source's) archive."""
    return create_app(
        {"ARCHIVE_PATH": source / "archive.sqlite3", "INDEX_DIR": dest / "index", "TESTING": True}
    )


def _answers(app) -> list[object]:
    client = app.test_client()
    found = []
    for q in QUERIES:
        for sort in ("relevance", "newest"):
            response = client.get("/api/search", query_string={"q": q, "sort": sort})
            assert response.status_code == 200, response.get_json()
            found.append(response.get_json())
    return found


def _cli(source: Path, *args: str, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "HERALD_DATA_DIR": str(source), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "index.publish", *args],
        env=env,
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,  # type: ignore[arg-type]
    )


def _run(source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = _cli(source, *args)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _builds(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("build-*"))


def _add_articles(source: Path, n: int, seed: int) -> None:
    with Archive(source / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(n, seed=seed))
        archive.upsert(article("PUBLISHNEW", title="Xylophrax arrives at the replica"))


def test_replica_answers_exactly_as_the_source(source, tmp_path) -> None:
    dest = tmp_path / "replica"
    done = _run(source, str(dest))
    assert done.returncode == 0, done.stderr
    assert "published" in done.stdout
    build = current_build(dest / "index")
    assert build is not None
    assert read_meta(build)["published_from"].endswith(current_build(source / "index").name)
    origin, replica = create_app({"DATA_DIR": source, "TESTING": True}), _replica_app(source, dest)
    try:
        first = _answers(origin)
        assert first[0]["total"] > 150  # the browse answer holds every article
        assert _answers(replica) == first
    finally:
        close_searcher(origin)
        close_searcher(replica)


def test_serving_a_replica_writes_nothing_under_it(source, tmp_path) -> None:
    dest = tmp_path / "replica"
    publish(source / "index", dest)

    def tree() -> dict[str, tuple[int, int]]:
        return {
            str(p.relative_to(dest)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in dest.rglob("*")
        }

    before = tree()
    replica = _replica_app(source, dest)
    try:
        _answers(replica)
    finally:
        close_searcher(replica)
    assert tree() == before


def test_republish_after_an_update_moves_only_new_files(source, tmp_path, monkeypatch) -> None:
    # Updates fold segments under MERGE_BELOW documents into a new one; at the size of this
    # test's index that would be every segment, so nothing could be left in place.
    monkeypatch.setattr("index.ondisk.segments.MERGE_BELOW", 100)
    dest = tmp_path / "replica"
    first = publish(source / "index", dest)
    assert first.linked_bytes == 0
    _add_articles(source, 40, seed=99)
    update(source / "archive.sqlite3", source / "index")
    second = publish(source / "index", dest)
    # Whoosh never rewrites a file: the first publish's segments are hard-linked, not copied.
    assert second.linked_bytes > second.copied_bytes > 0
    third = publish(source / "index", dest)
    assert third.copied_bytes == 0
    # The previous build stays for searchers that still hold it; older ones go.
    assert _builds(dest / "index") == sorted([second.build_dir.name, third.build_dir.name])
    replica = _replica_app(source, dest)
    try:
        hits = replica.test_client().get("/api/search?q=xylophrax").get_json()
        assert [h["id"] for h in hits["hits"]] == [article("PUBLISHNEW")["id"]]
    finally:
        close_searcher(replica)


def _wait_for_partial_copy(index_dir: Path, live: str, proc: subprocess.Popen[str]) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        for build in index_dir.glob("build-*"):
            if build.name != live and any(build.iterdir()):
                return build
        time.sleep(0.02)
    proc.kill()
    proc.communicate()
    pytest.fail(f"no partial copy appeared (publish exited {proc.poll()})")


def test_killed_publish_leaves_the_replica_serving_and_republish_finishes(source, tmp_path) -> None:
    dest = tmp_path / "replica"
    publish(source / "index", dest)
    served = current_build(dest / "index").name
    replica = _replica_app(source, dest)
    try:
        before = _answers(replica)
        _add_articles(source, 30, seed=5)
        rebuild(source / "archive.sqlite3", source / "index", procs=1)

        # 64 KB/s: the copy takes several seconds, so the kill lands in the middle of it.
        proc = _cli(source, str(dest), "--bwlimit", "64")
        partial = _wait_for_partial_copy(dest / "index", served, proc)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        assert not (partial / "meta.json").exists()  # it really was half-copied
        assert os.readlink(dest / "index" / CURRENT) == served
        time.sleep(1.1)  # past the searcher's check interval: it must still see `served`
        assert _answers(replica) == before

        done = _run(source, str(dest))
        assert done.returncode == 0, done.stderr
        assert not partial.exists()  # the abandoned copy is removed
        origin = create_app({"DATA_DIR": source, "TESTING": True})
        try:
            expected = _answers(origin)
            assert expected != before
            # The running replica switches without a restart (it checks once a second).
            deadline = time.monotonic() + 30
            while _answers(replica) != expected and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _answers(replica) == expected
        finally:
            close_searcher(origin)
    finally:
        close_searcher(replica)


def test_cli_failures_are_one_line_and_non_zero(source, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _run(empty, str(tmp_path / "replica"))
    assert done.returncode == 2
    assert done.stderr.startswith("index.publish: no index at")
    assert "Traceback" not in done.stderr
    assert current_build(tmp_path / "replica" / "index") is None

    done = _run(source, str(source))
    assert done.returncode == 2
    assert "is the data directory being published from" in done.stderr

    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    done = _run(source, str(not_a_dir))
    assert done.returncode == 2
    assert done.stderr.startswith("index.publish: cannot write to")
    assert "Traceback" not in done.stderr

    done = _run(source, str(tmp_path / "replica"), "--bwlimit", "0")
    assert done.returncode == 2
    assert "--bwlimit" in done.stderr


def test_a_destination_that_is_a_mistake_is_refused_and_nothing_is_written(source, tmp_path):
    before = sorted(p.name for p in (source / "index").iterdir())
    mistakes = {
        "": "DEST is empty",  # an unset $DEST
        str(tmp_path / "no" / "such" / "replica"): "does not exist",  # a typo in a parent
        str(source / "index"): "inside the index being published",
    }
    for dest, says in mistakes.items():
        done = _run(source, dest)
        assert done.returncode == 2, dest
        assert says in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "no").exists()
    assert sorted(p.name for p in (source / "index").iterdir()) == before


def test_no_source_index_writes_nothing_anywhere(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _run(empty, str(tmp_path / "replica"))
    assert done.returncode == 2
    assert "no index at" in done.stderr
    assert list(empty.iterdir()) == []  # no index directory or lock file made
    assert not (tmp_path / "replica").exists()
