"""Error answers: one JSON shape under /api/ (and /healthz), an HTML page everywhere else."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from crawler.archive import ArchiveError
from index.model import IndexUnavailable, InvalidRequest
from web.params import BadParameter
from web.resources import ArchiveUnavailable

logger = logging.getLogger(__name__)


def wants_json() -> bool:
    """API paths answer errors as JSON; everything else as an HTML page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_answer(status: int, title: str, message: str) -> Any:
    if wants_json():
        return jsonify(error=message), status
    # Keep the words in the header's search box so a bad search is easy to fix.
    words = (request.args.get("q") or "")[:1000]
    page = render_template("error.html", status=status, title=title, message=message, q=words)
    return page, status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    @app.errorhandler(InvalidRequest)
    def bad_request(exc: Exception) -> Any:
        return error_answer(400, "That search could not be understood", str(exc))

    @app.errorhandler(IndexUnavailable)
    def no_index(exc: Exception) -> Any:
        logger.warning("search index unavailable: %s", exc)
        return error_answer(
            503,
            "Search is not available yet",
            "The search index has not been built yet. Please try again later.",
        )

    @app.errorhandler(ArchiveUnavailable)
    @app.errorhandler(ArchiveError)
    def no_archive(exc: Exception) -> Any:
        logger.warning("archive unavailable: %s", exc)
        return error_answer(
            503,
            "The archive is not available",
            "The article archive cannot be read right now. Please try again later.",
        )

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
