"""The JSON API: /api/search, /api/articles/<id>, /api/openapi.json, and /healthz."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from crawler.archive import ArchiveError
from index.model import SearchError
from web.articles import article_json, history_or_404
from web.openapi import openapi_document
from web.params import parse_search_args
from web.resources import ArchiveUnavailable, get_archive, get_searcher

logger = logging.getLogger(__name__)
bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search() -> Any:
    req = parse_search_args(request.args)
    result = get_searcher().search(req)
    answer = dataclasses.asdict(result)
    return jsonify(answer)


@bp.get("/api/articles/<article_id>")
def article(article_id: str) -> Any:
    history = history_or_404(article_id)
    show_premium_text = current_app.config["SHOW_PREMIUM_TEXT"]
    return jsonify(article_json(history.current, show_premium_text, history))


@bp.get("/api/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())


def _archive_health() -> dict[str, Any]:
    try:
        return {"readable": True, "articles": get_archive().count()}
    except (ArchiveUnavailable, ArchiveError, sqlite3.Error) as exc:
        logger.warning("healthz: archive unreadable: %s", exc)
        return {"readable": False, "articles": None}


def _index_health() -> dict[str, Any]:
    try:
        return {"readable": True, "articles": get_searcher().doc_count()}
    except (SearchError, OSError) as exc:
        logger.warning("healthz: index unreadable: %s", exc)
        return {"readable": False, "articles": None}


@bp.get("/healthz")
def healthz() -> Any:
    archive, index = _archive_health(), _index_health()
    healthy = archive["readable"] and index["readable"]
    body = {"status": "ok" if healthy else "unavailable", "archive": archive, "index": index}
    return jsonify(body), 200 if healthy else 503
