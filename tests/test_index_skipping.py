"""Rows that cannot be indexed are skipped, named and counted; they never stop a rebuild,
an update or the watermark.

The bad rows are written straight into a real archive, behind its validation, as other
tools or older versions could: a timestamp that does not parse, one whose New Zealand day
overflows (to_document fails), and a title stored as bytes (the analysis fails half-way
through a document, spoiling the writer's segment). The real CLIs index them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import index.search
from bench.synth import generate_articles
from crawler.archive import Archive
from index.layout import current_build, read_meta
from index.maintain.build import BuildFailed, rebuild
from index.model import SearchRequest
from index.search import Searcher
from tests.fault_support import cli
from tests.index_support import article, fill_archive

BAD = {
    "published = 'not a time'": "BADTIME",
    "published = '9999-12-31T23:00:00Z'": "BADYEAR",
    "title = x'ff'": "BADTITLE",  # a BLOB: not text to analyse
}


@pytest.fixture(autouse=True)
def instant_swap_checks(monkeypatch):
    monkeypatch.setattr(index.search, "CHECK_INTERVAL", 0.0)


def _padded(name: str) -> str:
    return (name + "0" * 26)[:26]


def _spoil(archive_path: Path, changes: dict[str, str]) -> None:
    """Edit rows behind the archive's validation, each as a change (a new seq)."""
    with sqlite3.connect(archive_path) as db:
        for change, name in changes.items():
            db.execute(
                f"UPDATE articles SET {change}, seq = (SELECT MAX(seq) + 1 FROM articles) "
                "WHERE id = ?",
                (_padded(name),),
            )
    db.close()


def _cli(data_dir: Path, module: str, *args: str, parallel: bool = False):
    return cli(data_dir, module, *args, parallel=parallel, segment_postings=2000)


def _indexed_ids(data_dir: Path) -> set[str]:
    searcher = Searcher(data_dir / "index", data_dir / "archive.sqlite3")
    try:
        ids: set[str] = set()
        page = 1
        while True:
            result = searcher.search(SearchRequest(page=page, page_size=100))
            ids |= {hit.id for hit in result.hits}
            if page * 100 >= result.total:
                return ids
            page += 1
    finally:
        searcher.close()


def _archive(data_dir: Path) -> set[str]:
    articles = [
        *generate_articles(120, seed=21),
        *(article(name, title=f"Spoilable {name.lower()} story") for name in BAD.values()),
    ]
    with Archive(data_dir / "archive.sqlite3") as archive:
        archive.upsert_many(articles)
    return {a["id"] for a in articles}


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "parallel"])
def test_a_rebuild_skips_rows_that_cannot_be_indexed(tmp_path, parallel):
    every = _archive(tmp_path)
    _spoil(tmp_path / "archive.sqlite3", BAD)
    done = _cli(tmp_path, "index.rebuild", "--quiet", parallel=parallel)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    bad = {_padded(name) for name in BAD.values()}
    assert f"indexed {len(every) - 3} articles" in done.stdout
    assert "3 skipped" in done.stdout
    for article_id in bad:
        assert article_id in done.stdout  # the summary names them
        assert f"article {article_id} skipped" in done.stderr  # and so does a warning
    # Every other article is indexed, including those that shared a segment with the title
    # whose analysis failed half-way (small segments: SEGMENT_POSTINGS = 2000).
    assert _indexed_ids(tmp_path) == every - bad
    meta = read_meta(current_build(tmp_path / "index"))
    with Archive(tmp_path / "archive.sqlite3", readonly=True) as archive:
        assert meta["watermark"] == archive.max_seq()


def test_an_update_skips_them_and_moves_the_watermark_on(tmp_path):
    every = _archive(tmp_path)
    assert _cli(tmp_path, "index.rebuild", "--quiet").returncode == 0
    fresh = list(generate_articles(6, seed=22))
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(fresh[:3])
    _spoil(tmp_path / "archive.sqlite3", BAD)  # changed between fresh articles, by seq
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert_many(fresh[3:])
    for command in (("index.update", "--quiet"), ("index.rebuild", "--incremental", "--quiet")):
        done = _cli(tmp_path, *command)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        if command[0] == "index.update":
            assert "updated 6 articles" in done.stdout
            assert "3 skipped" in done.stdout
        else:
            assert "updated 0 articles" in done.stdout  # the watermark moved past them
    bad = {_padded(name) for name in BAD.values()}
    assert _indexed_ids(tmp_path) == (every | {a["id"] for a in fresh}) - bad
    searcher = Searcher(tmp_path / "index", tmp_path / "archive.sqlite3")
    try:  # their older, indexable versions are gone too
        assert searcher.search(SearchRequest(q="spoilable")).total == 0
    finally:
        searcher.close()


def test_a_rebuild_that_skips_nearly_everything_is_a_bug_and_fails(tmp_path):
    fill_archive(tmp_path / "archive.sqlite3", synth=150)
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:
        db.execute("UPDATE articles SET published = 'broken' WHERE rowid > 20")
    db.close()
    with pytest.raises(BuildFailed, match="that is a bug, not bad rows"):
        rebuild(tmp_path / "archive.sqlite3", tmp_path / "index", procs=1)
    assert list((tmp_path / "index").glob("build-*")) == []  # no partial build left
