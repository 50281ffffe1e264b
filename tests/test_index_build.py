"""Rebuild, swap, lock, kill and incremental update of a real index, and the index CLIs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import index.maintain.build
import index.maintain.incremental
import index.search
from bench.synth import generate_articles
from crawler.archive import Archive
from crawler.record import parse_utc, to_utc_iso
from index.layout import (
    CURRENT,
    FORMAT,
    IndexBusy,
    current_build,
    index_lock,
    read_meta,
    write_meta,
)
from index.maintain.build import rebuild
from index.maintain.incremental import update
from index.model import IndexUnavailable, SearchRequest
from index.ondisk.columns import field_lengths
from index.ondisk.columns import labels as column_labels
from index.ondisk.columns import numbers as column_numbers
from index.search import Searcher
from tests.index_support import article, fill_archive

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "",
    "rugby",
    "plumbix",
    "zorblat",
    "police court",
    '"prime minister"',
    "elect*",
    "rugby -cricket",
    "title:zorblat",
]


@pytest.fixture(autouse=True)
def instant_swap_checks(monkeypatch):
    monkeypatch.setattr(index.search, "CHECK_INTERVAL", 0.0)


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "HERALD_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def _answers(searcher: Searcher) -> dict[str, tuple[int, list[str]]]:
    out = {}
    for q in QUERIES:
        result = searcher.search(SearchRequest(q=q, sort="newest", page_size=100))
        out[q] = (result.total, [h.id for h in result.hits])
    return out


def test_open_searcher_keeps_answering_across_rebuilds(tmp_path) -> None:
    archive_path, index_dir = tmp_path / "archive.sqlite3", tmp_path / "index"
    fill_archive(archive_path, synth=150)
    rebuild(archive_path, index_dir, procs=1)
    searcher = Searcher(index_dir, archive_path)
    before = searcher.doc_count()
    with Archive(archive_path) as archive:
        archive.upsert_many(generate_articles(40, seed=99))
    failures: list[BaseException] = []
    totals: list[int] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set():
            try:
                totals.append(searcher.search(SearchRequest(q="", page_size=3)).total)
            except BaseException as exc:  # noqa: BLE001 - any failure is the test's finding
                failures.append(exc)

    reader = threading.Thread(target=keep_searching)
    reader.start()
    for _ in range(2):  # the second rebuild deletes the first build while it may be open
        rebuild(archive_path, index_dir, procs=2)
    time.sleep(0.2)
    done.set()
    reader.join()
    assert failures == []
    assert set(totals) <= {before, before + 40}
    assert searcher.doc_count() == before + 40
    assert searcher.search(SearchRequest()).total == before + 40
    assert len(list(index_dir.glob("build-*"))) == 2  # live + previous only
    searcher.close()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent-less entry remains


def _live_index_and_more_articles(
    tmp_path: Path, synth: int, more: int, seed: int
) -> tuple[Path, Path, Path | None]:
    """An archive with a live index over `synth` articles, then `more` not yet indexed:
    (archive, index dir, the live build)."""
    archive_path, index_dir = tmp_path / "archive.sqlite3", tmp_path / "index"
    fill_archive(archive_path, synth=synth)
    rebuild(archive_path, index_dir, procs=1)
    with Archive(archive_path) as archive:
        archive.upsert_many(generate_articles(more, seed=seed))
    return archive_path, index_dir, current_build(index_dir)


def test_killed_rebuild_leaves_live_index_and_next_rebuild_works(tmp_path) -> None:
    archive_path, index_dir, live = _live_index_and_more_articles(
        tmp_path, synth=60, more=6000, seed=5
    )
    code = (
        "import index.maintain.build as b; b.PARALLEL_MIN = 0; "
        f"b.rebuild({str(archive_path)!r}, {str(index_dir)!r}, procs=2)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env=_env(tmp_path))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _children(proc.pid):
        time.sleep(0.05)  # the build samples common words before starting its workers
    time.sleep(1.0)  # well into indexing
    helpers = _children(proc.pid)
    assert proc.poll() is None
    assert helpers  # the indexing processes
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_build(index_dir) == live
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(pid) for pid in helpers):
        time.sleep(0.1)
    assert not any(_running(pid) for pid in helpers)  # no orphaned indexing processes
    searcher = Searcher(index_dir, archive_path)
    assert searcher.search(SearchRequest(q="zorblat")).total == 4
    report = rebuild(archive_path, index_dir, procs=1)
    assert report.articles == 60 + 7 + 6000
    assert searcher.search(SearchRequest()).total == report.articles
    assert sorted(p.name for p in index_dir.glob("build-*")) == sorted(
        [live.name, report.build_dir.name]
    )
    searcher.close()


def test_a_dead_indexing_process_fails_the_rebuild_with_a_message(tmp_path) -> None:
    archive_path, index_dir, live = _live_index_and_more_articles(
        tmp_path, synth=20, more=6000, seed=8
    )
    proc, workers = _start_parallel_rebuild(tmp_path)
    os.kill(workers[0], signal.SIGKILL)  # e.g. the kernel's out-of-memory killer
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "an indexing process died" in stderr
    assert "Traceback" not in stderr
    assert current_build(index_dir) == live
    assert [p.name for p in index_dir.glob("build-*")] == [live.name]  # no partial build


def test_interrupted_rebuild_stops_its_workers_and_says_so(tmp_path) -> None:
    archive_path, index_dir, live = _live_index_and_more_articles(
        tmp_path, synth=20, more=20_000, seed=9
    )  # ~10 s of work per worker
    proc, workers = _start_parallel_rebuild(tmp_path)
    proc.send_signal(signal.SIGINT)  # to the rebuild alone, not its workers
    _, stderr = proc.communicate(timeout=6)  # not after the workers finish their shares
    assert proc.returncode == 130
    assert "interrupted; the live index is unchanged" in stderr
    assert "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)
    assert current_build(index_dir) == live
    assert [p.name for p in index_dir.glob("build-*")] == [live.name]  # no partial build


def _start_parallel_rebuild(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`index.rebuild` in a subprocess, indexing in worker processes whatever the archive
    size; the process and its workers' pids once they run."""
    code = "import sys, index.maintain.build as b; b.PARALLEL_MIN = 0; import index.rebuild as r; "
    code += "sys.exit(r.main(['--quiet']))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=_env(tmp_path), stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:
        workers = [p for p in _children(proc.pid) if b"spawn_main" in _cmdline(p)]
        time.sleep(0.05)
    assert workers
    time.sleep(0.5)  # into indexing
    return proc, workers


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_parallel_build_answers_like_one_process(tmp_path, monkeypatch) -> None:
    archive_path = tmp_path / "archive.sqlite3"
    fill_archive(archive_path, synth=300)
    one = rebuild(archive_path, tmp_path / "one", procs=1)
    monkeypatch.setattr(index.maintain.build, "PARALLEL_MIN", 0)
    monkeypatch.setattr(index.maintain.build, "SEGMENT_POSTINGS", 20_000)  # several segments each
    many = rebuild(archive_path, tmp_path / "many", procs=2)
    assert many.articles == one.articles == 307
    with whoosh_index.open_dir(many.build_dir).searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 2
        # Columns read in bulk per segment equal Whoosh's value-by-value reading.
        for name in ("pub", "nzday", "prem"):
            assert column_numbers(reader, name).tolist() == list(reader.column_reader(name))
        for name in ("sec", "subsec", "src"):
            codes, labels = column_labels(reader, name)
            assert [labels[c].encode() for c in codes] == list(reader.column_reader(name))
        for name in ("content", "title"):
            assert field_lengths(searcher, name).tolist() == [
                reader.doc_field_length(d, name) for d in range(reader.doc_count_all())
            ]
    first, second = (
        Searcher(tmp_path / "one", archive_path),
        Searcher(tmp_path / "many", archive_path),
    )
    assert _answers(second) == _answers(first)
    for q in ("police", "title:zorblat", "rugby court"):
        a = first.search(SearchRequest(q=q, page_size=50))
        b = second.search(SearchRequest(q=q, page_size=50))
        assert [h.id for h in b.hits] == [h.id for h in a.hits]  # same relevance ranking
        assert b.facets == a.facets
    first.close()
    second.close()


def test_second_concurrent_rebuild_exits_non_zero(tmp_path) -> None:
    fill_archive(tmp_path / "archive.sqlite3", synth=5)
    with index_lock(tmp_path / "index"):
        with pytest.raises(IndexBusy):
            rebuild(tmp_path / "archive.sqlite3", tmp_path / "index", procs=1)
        proc = subprocess.run(
            [sys.executable, "-m", "index.rebuild", "--quiet"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode != 0
    assert "another rebuild or update is running" in proc.stderr
    assert not (tmp_path / "index" / CURRENT).exists()


def _later(updated: str) -> str:
    return to_utc_iso(parse_utc(updated) + timedelta(minutes=1))


def test_incremental_update_equals_full_rebuild(tmp_path) -> None:
    archive_path = tmp_path / "archive.sqlite3"
    articles = fill_archive(archive_path, synth=200)
    rebuild(archive_path, tmp_path / "inc", procs=1)
    inc = Searcher(tmp_path / "inc", archive_path)
    old = _answers(inc)
    changed = [dict(a) for a in articles[:5]]
    for a in changed:
        a["title"] = "Plumbix " + a["title"]
        a["updated"] = _later(a["updated"])  # newer wins: a change must be newer
    with Archive(archive_path) as archive:
        archive.upsert_many(
            [
                *changed,
                *generate_articles(30, seed=77),  # type: ignore[list-item]
                article("NEWZORBLAT", title="Zorblat returns"),
            ]
        )
    report = update(archive_path, tmp_path / "inc")
    assert report.articles == 5 + 30 + 1
    assert update(archive_path, tmp_path / "inc").articles == 0
    with Archive(archive_path) as archive:  # two more daily updates
        archive.upsert(article("NEWPLUMBIX", title="Plumbix again"))
    assert update(archive_path, tmp_path / "inc").articles == 1
    with Archive(archive_path) as archive:
        archive.upsert({**changed[0], "updated": _later(changed[0]["updated"])})  # type: ignore[typeddict-item]
    assert update(archive_path, tmp_path / "inc").articles == 1
    with whoosh_index.open_dir(current_build(tmp_path / "inc")).reader() as reader:
        assert len(reader.leaf_readers()) == 1  # small updates merge, not pile up
    rebuild(archive_path, tmp_path / "full", procs=2)
    full = Searcher(tmp_path / "full", archive_path)
    new = _answers(inc)
    assert new == _answers(full)
    assert new["plumbix"][0] == 6
    assert new != old
    inc.close()
    full.close()


def test_big_backfill_commits_in_parts_and_loses_nothing(tmp_path, monkeypatch) -> None:
    archive_path = tmp_path / "archive.sqlite3"
    fill_archive(archive_path, synth=50)
    rebuild(archive_path, tmp_path / "index", procs=1)
    with Archive(archive_path) as archive:
        archive.upsert_many(generate_articles(120, seed=31))
    monkeypatch.setattr(
        index.maintain.incremental, "SEGMENT_POSTINGS", 3000
    )  # a commit every ~10 articles
    assert update(archive_path, tmp_path / "index").articles == 120
    assert whoosh_index.open_dir(current_build(tmp_path / "index")).latest_generation() > 5
    rebuild(archive_path, tmp_path / "full", procs=1)
    inc, full = (
        Searcher(tmp_path / "index", archive_path),
        Searcher(tmp_path / "full", archive_path),
    )
    assert _answers(inc) == _answers(full)
    assert inc.doc_count() == 50 + 7 + 120
    inc.close()
    full.close()


def _cli(module: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_clis(tmp_path) -> None:
    assert _cli("index.stats", tmp_path).returncode != 0  # no index yet: a message, not a trace
    fill_archive(tmp_path / "archive.sqlite3", synth=30)
    built = _cli("index.rebuild", tmp_path)
    assert built.returncode == 0, built.stderr
    assert "indexed 37 articles" in built.stdout
    assert "articles" in built.stderr  # the progress bar
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert(article("CLINEW", title="Fresh one"))
    stats = _cli("index.stats", tmp_path)
    assert "documents        37" in stats.stdout
    assert f"format           {FORMAT}\n" in stats.stdout
    assert "1 changes pending" in stats.stdout
    updated = _cli("index.update", tmp_path, "--quiet")
    assert "updated 1 articles" in updated.stdout
    assert (updated.stdout + updated.stderr).count("updated") == 1  # said once
    assert "updated 0 articles" in _cli("index.rebuild", tmp_path, "--incremental").stdout
    stats = _cli("index.stats", tmp_path, "--json")
    assert '"documents": 38' in stats.stdout
    assert '"pending_changes": 0' in stats.stdout


def test_an_index_of_an_older_format_asks_for_a_rebuild(tmp_path) -> None:
    """Builds of an older format pickled classes this version moved: every reader says
    "run python -m index.rebuild" instead of failing to unpickle them."""
    archive_path = tmp_path / "archive.sqlite3"
    with Archive(archive_path) as archive:
        archive.upsert_many(generate_articles(20, seed=5))
    rebuild(archive_path, tmp_path / "index", procs=1)
    build = current_build(tmp_path / "index")
    write_meta(build, {**read_meta(build), "format": FORMAT - 1})

    searcher = Searcher(tmp_path / "index", archive_path)
    with pytest.raises(IndexUnavailable, match=r"older version.*python -m index\.rebuild"):
        searcher.search(SearchRequest(q="police"))
    searcher.close()
    for command in ("index.stats", "index.update"):
        done = _cli(command, tmp_path)
        assert done.returncode == 2
        assert "older version" in done.stderr
        assert "index.rebuild" in done.stderr
        assert "Traceback" not in done.stderr
    assert _cli("index.rebuild", tmp_path, "--quiet").returncode == 0
    searcher = Searcher(tmp_path / "index", archive_path)
    try:
        assert searcher.search(SearchRequest(q="")).total == 20
    finally:
        searcher.close()


def test_the_common_word_sample_spans_the_archive(tmp_path) -> None:
    # The words whose pairs get indexed come from the whole archive, not its oldest years.
    path = tmp_path / "archive.sqlite3"
    articles = sorted(fill_archive(path), key=lambda a: (a["published"], a["id"]))
    with Archive(path) as archive:
        sample = list(index.maintain.build.spread_sample(archive, len(articles), size=20))
        everything = list(index.maintain.build.spread_sample(archive, len(articles)))
    assert len({a["id"] for a in sample}) == len(sample) == 20
    order = [a["id"] for a in articles]
    places = sorted(order.index(a["id"]) for a in sample)
    assert places[0] == 0
    assert places[-1] >= len(articles) * 0.9  # from the newest tenth too
    assert [a["id"] for a in everything] == order  # a small archive is read whole
