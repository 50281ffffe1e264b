"""The resources requests share: one Searcher per process, one archive connection per request.

The Searcher is created on first use and shared by every request thread; the read-only
archive connection is opened lazily per request and closed at teardown (as flaskr's db.py),
so an archive file moved over the old one is read by the next request.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, g

from crawler.archive import ArchiveStore, open_archive
from index.search import Searcher

_SEARCHER_KEY = "herald.searcher"
_searcher_lock = threading.Lock()


def get_searcher(app: Flask | None = None) -> Searcher:
    """The process-wide Searcher, created on first use (thread-safe)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    searcher = app.extensions.get(_SEARCHER_KEY)
    if searcher is None:
        with _searcher_lock:
            searcher = app.extensions.get(_SEARCHER_KEY)
            if searcher is None:
                searcher = Searcher(
                    Path(app.config["INDEX_DIR"]),
                    app.config["ARCHIVE_PATH"],  # a SQLite file, or a postgresql:// URL
                    # snippets follow the same premium rule as the article page
                    show_premium_text=bool(app.config.get("SHOW_PREMIUM_TEXT")),
                )
                app.extensions[_SEARCHER_KEY] = searcher
    return searcher


def close_searcher(app: Flask) -> None:
    """Release the process's Searcher (tests and orderly shutdowns)."""
    searcher = app.extensions.pop(_SEARCHER_KEY, None)
    if searcher is not None:
        searcher.close()


def get_archive() -> ArchiveStore:
    """This request's read-only archive connection, opened on first use."""
    if "archive" not in g:  # ArchiveError (a 503) when it cannot be read
        g.archive = open_archive(current_app.config["ARCHIVE_PATH"], readonly=True)
    return g.archive


def close_archive(_exc: BaseException | None) -> None:
    """Teardown: close this request's archive connection, if one was opened."""
    archive = g.pop("archive", None)
    if archive is not None:
        archive.close()
