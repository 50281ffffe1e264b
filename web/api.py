"""The JSON API: /api/search, /api/articles/<id>, /api/openapi.json, and /healthz."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from crawler.archive import ArchiveError
from index.model import SearchError
from web.articles import article_json, history_or_404
from web.errors import operator_text
from web.openapi import openapi_document
from web.params import parse_search_args
from web.resources import get_archive, get_searcher

logger = logging.getLogger(__name__)
bp = Blueprint("api", __name__)


def _bars(bars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Timeline bars as the API documents them: volume and share only when normalised."""
    return [{k: v for k, v in bar.items() if v is not None} for bar in bars]


@bp.get("/api/search")
def search() -> Any:
    req = parse_search_args(request.args)
    result = get_searcher().search(req)
    answer = dataclasses.asdict(result)
    answer["timeline"] = _bars(answer["timeline"])
    series = answer.pop("series")
    if req.compare:  # the main query first, every series over the same periods
        answer["series"] = [{**s, "timeline": _bars(s["timeline"])} for s in series]
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
    """Read the archive for real: its newest row and its count."""
    try:
        archive = get_archive()
        seq = archive.max_seq()
        newest = next(archive.changed_since(seq - 1), None) if seq else None
        return {
            "readable": True,
            "articles": archive.count(),
            "newest": newest[1]["id"] if newest else None,
            "seq": seq,
        }
    except ArchiveError as exc:
        logger.warning("healthz: archive unreadable: %s", exc)
        return {"readable": False, "articles": None, "error": operator_text(str(exc))}


def _index_health() -> dict[str, Any]:
    """Read the index for real (index.live.LiveIndex.health)."""
    try:
        return {"readable": True, **get_searcher().health()}
    except SearchError as exc:
        logger.warning("healthz: index unreadable: %s", exc)
        return {"readable": False, "articles": None, "error": operator_text(str(exc))}


@bp.get("/healthz")
def healthz() -> Any:
    archive, index = _archive_health(), _index_health()
    healthy = archive["readable"] and index["readable"]
    body = {"status": "ok" if healthy else "unavailable", "archive": archive, "index": index}
    return jsonify(body), 200 if healthy else 503
