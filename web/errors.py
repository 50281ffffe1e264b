"""Error answers: one JSON shape under /api/ (and /healthz), an HTML page everywhere else.

Storage faults (no index yet, a damaged index, an unreadable or locked archive) answer 503:
the page says so in plain words and adds the operator's line (which file, what to run); the
JSON error is that operator's line. Absolute paths of the data directory never reach a
response: they read `$HERALD_DATA_DIR` (the log line has the real path).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from crawler.archive import ArchiveError, ArchiveMissing
from index.model import IndexDamaged, IndexUnavailable, InvalidRequest
from web.links import UntrustedHost
from web.params import BadParameter

logger = logging.getLogger(__name__)
SET_DATA_DIR = "set HERALD_DATA_DIR to the data directory that has one"


# Files a program or `curl -o` saves: an error is a line of text, never an HTML page.
DATA_FILES = (".csv", ".jsonl", ".ris", ".bib", ".csl.json")


def wants_json() -> bool:
    """API paths answer errors as JSON (data files as a line of text, pages as HTML)."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_answer(status: int, title: str, message: str, operator: str | None = None) -> Any:
    """The error as JSON ({"error": …}: the operator's line when there is one) or a page."""
    if wants_json():
        return jsonify(error=_sentence(operator) if operator else message), status
    if request.path.endswith(DATA_FILES):
        line = _sentence(operator) if operator else message
        return Response(f"error: {line}\n", status, mimetype="text/plain")
    # Keep the words in the header's search box so a bad search is easy to fix.
    words = (request.args.get("q") or "")[:1000]
    page = render_template(
        "error.html", status=status, title=title, message=message, operator=operator, q=words
    )
    return page, status


def operator_text(message: str) -> str:
    """`message` with the data directory's absolute path written as $HERALD_DATA_DIR
    (or as configured, when that is a relative path)."""
    data_dir = Path(current_app.config["DATA_DIR"])
    shown = "$HERALD_DATA_DIR" if data_dir.is_absolute() else str(data_dir)
    for form in sorted({str(data_dir.resolve()), str(data_dir.absolute())}, key=len)[::-1]:
        message = message.replace(form, shown)
    return message.replace(str(data_dir), shown) if data_dir.is_absolute() else message


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unavailable(title: str, public: str, exc: BaseException) -> Any:
    logger.warning("%s: %s", title, exc)
    return error_answer(503, title, public, operator_text(str(exc)))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    @app.errorhandler(InvalidRequest)
    def bad_request(exc: Exception) -> Any:
        return error_answer(400, "That search could not be understood", str(exc))

    @app.errorhandler(IndexUnavailable)
    def no_index(exc: IndexUnavailable) -> Any:
        if isinstance(exc, IndexDamaged):
            return _unavailable(
                "Search is not available right now",
                "The search index cannot be read. Please try again later.",
                exc,
            )
        return _unavailable(
            "Search is not available yet",
            "The search index has not been built yet. Please try again later.",
            exc,
        )

    @app.errorhandler(ArchiveError)
    def no_archive(exc: ArchiveError) -> Any:
        if isinstance(exc, ArchiveMissing):
            exc = ArchiveMissing(f"{exc}: crawl or import one, or {SET_DATA_DIR}")
        return _unavailable(
            "The archive is not available",
            "The article archive cannot be read right now. Please try again later.",
            exc,
        )

    @app.errorhandler(UntrustedHost)
    def untrusted_host(exc: UntrustedHost) -> Any:
        logger.warning("absolute URL refused for untrusted Host %r", str(exc))
        return error_answer(
            400,
            "Unknown site address",
            "This page is not served under this address.",
            "the Host header is not a trusted host: set HERALD_PUBLIC_URL to the site's "
            "public URL (or Flask's TRUSTED_HOSTS)",
        )

    @app.errorhandler(SecurityError)
    def host_refused(exc: SecurityError) -> Any:
        # Flask's TRUSTED_HOSTS refused the Host before routing: no URL can be built, so
        # no page either; a line of text.
        logger.warning("request refused: %s", exc.description)
        return "This site is not served under this address.\n", 400, {"Content-Type": "text/plain"}

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> Any:
        logger.error("unhandled error on %s", request.path, exc_info=exc.original_exception)
        return error_answer(500, "Something went wrong", "Something went wrong on our side.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        titles = {404: "Page not found", 405: "Method not allowed"}
        messages = {
            404: "There is nothing at this address.",
            405: f"{request.method} is not allowed here.",
        }
        message = messages.get(status, exc.description or exc.name)
        return error_answer(status, titles.get(status, exc.name), message)
