"""The Flask application factory: configuration, shared resources, headers and error pages.

One `Searcher` per process (created lazily, shared by every request thread) and one
read-only archive connection per request (opened lazily, closed at teardown).

    flask --app web run                       # development
    gunicorn 'web:create_app()'               # production
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from crawler.archive import Archive, ArchiveError
from crawler.config import load_config
from index.model import IndexUnavailable, InvalidRequest
from web import formatting
from web.params import BadParameter

logger = logging.getLogger(__name__)

_SEARCHER_KEY = "herald.searcher"
_searcher_lock = threading.Lock()

# No inline script or style anywhere: everything the page needs comes from /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


class ArchiveUnavailable(RuntimeError):
    """The archive file is missing or unreadable."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides values read by `crawler.config.load_config()`."""
    app = Flask(__name__)
    config = load_config()
    app.config.from_mapping(
        DATA_DIR=config.data_dir,
        SHOW_PREMIUM_TEXT=config.show_premium_text,
    )
    if test_config:
        app.config.update(test_config)
    data_dir = Path(app.config["DATA_DIR"])
    app.config.setdefault("ARCHIVE_PATH", data_dir / "archive.sqlite3")
    app.config.setdefault("INDEX_DIR", data_dir / "index")
    app.json.sort_keys = False  # keep the documented key order in API answers

    from web import api, feeds, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    formatting.register(app)
    app.teardown_appcontext(_close_archive)
    app.after_request(_add_security_headers)
    _register_error_handlers(app)
    return app


def get_searcher(app: Flask | None = None) -> Any:
    """The process-wide Searcher, created on first use (thread-safe)."""
    from flask import current_app

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    searcher = app.extensions.get(_SEARCHER_KEY)
    if searcher is None:
        with _searcher_lock:
            searcher = app.extensions.get(_SEARCHER_KEY)
            if searcher is None:
                from index.search import Searcher

                searcher = Searcher(Path(app.config["INDEX_DIR"]), Path(app.config["ARCHIVE_PATH"]))
                app.extensions[_SEARCHER_KEY] = searcher
    return searcher


def get_archive() -> Archive:
    """This request's read-only archive connection, opened on first use."""
    if "archive" not in g:
        from flask import current_app

        try:
            g.archive = Archive(current_app.config["ARCHIVE_PATH"], readonly=True)
        except (FileNotFoundError, OSError, ArchiveError) as exc:
            raise ArchiveUnavailable(str(exc)) from exc
    return g.archive


def _close_archive(_exc: BaseException | None) -> None:
    archive = g.pop("archive", None)
    if archive is not None:
        archive.close()


def _add_security_headers(response: Any) -> Any:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def wants_json() -> bool:
    """API paths answer errors as JSON; everything else as an HTML page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def _error(status: int, title: str, message: str) -> Any:
    if wants_json():
        return jsonify(error=message), status
    # Keep the words in the header's search box so a bad search is easy to fix.
    words = (request.args.get("q") or "")[:1000]
    page = render_template("error.html", status=status, title=title, message=message, q=words)
    return page, status


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    @app.errorhandler(InvalidRequest)
    def bad_request(exc: Exception) -> Any:
        return _error(400, "That search could not be understood", str(exc))

    @app.errorhandler(IndexUnavailable)
    def no_index(exc: Exception) -> Any:
        logger.warning("search index unavailable: %s", exc)
        return _error(
            503,
            "Search is not available yet",
            "The search index has not been built yet. Please try again later.",
        )

    @app.errorhandler(ArchiveUnavailable)
    @app.errorhandler(ArchiveError)
    def no_archive(exc: Exception) -> Any:
        logger.warning("archive unavailable: %s", exc)
        return _error(
            503,
            "The archive is not available",
            "The article archive cannot be read right now. Please try again later.",
        )

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> Any:
        logger.error("unhandled error on %s", request.path, exc_info=exc.original_exception)
        return _error(500, "Something went wrong", "Something went wrong on our side.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        titles = {404: "Page not found", 405: "Method not allowed"}
        messages = {
            404: "There is nothing at this address.",
            405: f"{request.method} is not allowed here.",
        }
        message = messages.get(status, exc.description or exc.name)
        return _error(status, titles.get(status, exc.name), message)


def close_searcher(app: Flask) -> None:
    """Release the process's Searcher (tests and orderly shutdowns)."""
    searcher = app.extensions.pop(_SEARCHER_KEY, None)
    if searcher is not None:
        searcher.close()
