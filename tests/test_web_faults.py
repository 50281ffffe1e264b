"""Storage faults answer 503 with a reason, never 500, and /healthz reads for real.

Each test copies the session's real archive and index, damages real files (truncates,
overwrites, empties, removes, replaces), and asks the real app. A programming error still
answers 500: only faults of the files become 503s.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import index.search
from crawler.archive import Archive
from index.layout import current_build, read_meta
from tests.web_support import FREE_ID, Corpus, links
from web import close_searcher, create_app

PAGES = [
    "/?q=zebracorn",
    "/?q=wombat+OR+kiwi",
    "/?q=gov*",
    "/?q=",
    "/api/search?q=quokka",
    "/api/search?q=&sort=oldest&page=3",
    "/search.atom?q=kiwi",
    f"/article/{FREE_ID}",
    f"/api/articles/{FREE_ID}",
    "/search.csv?q=kiwi",
    "/search.jsonl?q=",
    "/search.ris?q=kiwi",
    "/healthz",
]


@pytest.fixture
def data_dir(corpus: Corpus, tmp_path: Path) -> Path:
    """A private copy of the session's archive and index, to damage."""
    copy = tmp_path / "data"
    shutil.copytree(corpus.data_dir, copy, symlinks=True)
    return copy


def _live(data_dir: Path) -> Path:
    build = current_build(data_dir / "index")
    assert build is not None
    return build


def _truncate(path: Path, share: float) -> None:
    os.truncate(path, int(path.stat().st_size * share))


def _overwrite(path: Path, at: float, size: int) -> None:
    with open(path, "r+b") as f:
        f.seek(int(path.stat().st_size * at))
        f.write(b"\xa5" * size)


def _files(data_dir: Path, pattern: str) -> list[Path]:
    found = sorted(_live(data_dir).glob(pattern))
    assert found, pattern
    return found


FAULTS: dict[str, Callable[[Path], object]] = {
    "archive truncated": lambda d: _truncate(d / "archive.sqlite3", 0.5),
    "archive header overwritten": lambda d: _overwrite(d / "archive.sqlite3", 0, 100),
    "archive pages overwritten": lambda d: _overwrite(d / "archive.sqlite3", 0.3, 64 * 1024),
    "archive missing": lambda d: (d / "archive.sqlite3").unlink(),
    "postings truncated": lambda d: [_truncate(p, 0.5) for p in _files(d, "*.pst")],
    "postings emptied": lambda d: [_truncate(p, 0) for p in _files(d, "*.pst")],
    "terms truncated": lambda d: [_truncate(p, 0.5) for p in _files(d, "*.trm")],
    "columns truncated": lambda d: [_truncate(p, 0.5) for p in _files(d, "*.col")],
    "table of contents truncated": lambda d: [_truncate(p, 0.5) for p in _files(d, "*.toc")],
    "meta.json emptied": lambda d: (_live(d) / "meta.json").write_text(""),
    "meta.json garbage": lambda d: (_live(d) / "meta.json").write_bytes(b"\x9d\x00{[garbage"),
    "build directory missing": lambda d: shutil.rmtree(_live(d)),
}


def _status(client, page: str) -> int:
    answer = client.get(page)
    answer.get_data()  # the whole body: a streamed export fails while it is read
    return answer.status_code


def _statuses(client, pages=PAGES) -> dict[str, int]:
    return {page: _status(client, page) for page in pages}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_a_storage_fault_is_a_503_never_a_500(data_dir, fault, warm, monkeypatch):
    """Damaged before the app starts (cold) or under a running app that has its searcher
    and archive open (warm): no 500 anywhere, and /healthz reports it."""
    monkeypatch.setattr(index.search, "CHECK_INTERVAL", 0.0)
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    client = app.test_client()
    try:
        if warm:
            assert set(_statuses(client).values()) == {200}
        FAULTS[fault](data_dir)
        statuses = _statuses(client)
        assert 500 not in statuses.values(), statuses
        assert set(statuses.values()) <= {200, 503}, statuses
        if "pages overwritten" in fault:  # only requests reading those pages (not cached) fail
            assert warm or 503 in statuses.values()
            return
        assert statuses["/healthz"] == 503
        if not (warm and fault.startswith("archive")):
            # (an open archive connection may still read intact rows of a damaged file)
            assert statuses["/api/search?q=quokka"] == 503
    finally:
        close_searcher(app)


@pytest.mark.parametrize(
    ("fault", "names"),
    [
        ("postings truncated", [".pst", "python -m index.rebuild"]),
        ("meta.json emptied", ["meta.json", "python -m index.rebuild"]),
        ("build directory missing", ["missing", "python -m index.rebuild"]),
        ("archive truncated", ["archive.sqlite3", "damaged"]),
        ("archive missing", ["no archive", "HERALD_DATA_DIR"]),
    ],
)
def test_the_503_says_which_file_and_what_to_run(data_dir, fault, names):
    FAULTS[fault](data_dir)
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    client = app.test_client()
    try:
        api = client.get("/api/search?q=quokka")
        health = client.get("/healthz")
        page = client.get("/?q=quokka")
        assert (api.status_code, health.status_code, page.status_code) == (503, 503, 503)
        error = api.get_json()["error"]
        html = page.get_data(as_text=True)
        body = health.get_json()
        health_errors = [body["archive"].get("error") or "", body["index"].get("error") or ""]
        for name in names:
            assert name.lower() in error.lower()
            assert name.lower() in html.lower()
            assert any(name.lower() in e.lower() for e in health_errors)
        assert "$HERALD_DATA_DIR" in error
        for text in (error, html, health.get_data(as_text=True)):
            assert str(data_dir) not in text  # no absolute server paths in answers
        assert "Please try again later" in html
    finally:
        close_searcher(app)


def test_healthz_reads_both_for_real(client, corpus):
    body = client.get("/healthz").get_json()
    build = current_build(corpus.index_dir)
    with Archive(corpus.archive_path, readonly=True) as archive:
        seq = archive.max_seq()
        newest = next(archive.changed_since(seq - 1))[1]["id"]
    assert body == {
        "status": "ok",
        "archive": {
            "readable": True,
            "articles": len(corpus.articles),
            "newest": newest,
            "seq": seq,
        },
        "index": {
            "readable": True,
            "articles": len(corpus.articles),
            "build": build.name,
            "watermark": read_meta(build)["watermark"],
        },
    }


def test_a_programming_error_is_still_a_500(corpus, monkeypatch):
    """Only faults of the files are 503s: a bug (here a ValueError in the query path) stays
    a 500 with its traceback in the log."""

    def broken(_request):
        raise ValueError("a bug, not a damaged file")

    monkeypatch.setattr(index.search, "validate_request", broken)
    app = create_app({"DATA_DIR": corpus.data_dir, "PROPAGATE_EXCEPTIONS": False})
    client = app.test_client()
    try:
        assert client.get("/api/search?q=kiwi").status_code == 500
        assert client.get("/healthz").status_code == 200
    finally:
        close_searcher(app)


def test_a_locked_archive_is_a_503_that_says_so(data_dir):
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    locker = sqlite3.connect(data_dir / "archive.sqlite3", timeout=0)
    try:
        locker.execute("PRAGMA journal_mode=DELETE")  # a writer that blocks readers
        locker.execute("BEGIN EXCLUSIVE")
        client = app.test_client()
        response = client.get(f"/api/articles/{FREE_ID}")
        assert response.status_code == 503
        assert "locked" in response.get_json()["error"]
    finally:
        locker.rollback()
        locker.execute("PRAGMA journal_mode=WAL")
        locker.close()
        close_searcher(app)


def _hit_titles(client, q: str) -> list[str]:
    return [h["title"] for h in client.get("/api/search", query_string={"q": q}).get_json()["hits"]]


def test_a_replaced_archive_is_read_without_a_restart(data_dir):
    """`mv new.sqlite3 archive.sqlite3` under a running app: hits come from the new file."""
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    client = app.test_client()
    try:
        assert _hit_titles(client, "wombat") == ["Wombat free feature"]
        new = data_dir / "new.sqlite3"
        shutil.copy(data_dir / "archive.sqlite3", new)
        with sqlite3.connect(new) as db:  # the same articles, one retitled
            db.execute(
                "UPDATE articles SET title = 'Wombat feature, corrected' WHERE id = ?", (FREE_ID,)
            )
        db.close()
        os.replace(new, data_dir / "archive.sqlite3")
        deadline = time.monotonic() + 10
        while _hit_titles(client, "wombat") != ["Wombat feature, corrected"]:
            assert time.monotonic() < deadline, "the replaced archive was never read"
            time.sleep(0.1)
        page = client.get(f"/article/{FREE_ID}").get_data(as_text=True)
        assert "Wombat feature, corrected" in page
        assert "Wombat feature, corrected" in [
            link.text for link in links(client.get("/?q=wombat").get_data(as_text=True))
        ]
    finally:
        close_searcher(app)
