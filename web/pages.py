"""HTML pages: the search page, the article page and the help page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, g, render_template, request

from index.model import SearchError, SearchResult
from web.articles import changes, history_or_404, visible_paragraphs
from web.formatting import period_label
from web.params import canonical_args, parse_search_args
from web.resources import get_searcher
from web.timeline import CHART_HEIGHT, CHART_WIDTH, LABEL_SPACE, pager, timeline_bars

logger = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

# Filters shown as removable chips, in this order: (parameter, label).
CHIP_PARAMS = (
    ("section", "Section"),
    ("subsection", "Subsection"),
    ("source", "Source"),
    ("author", "Author"),
    ("premium", "Access"),
    ("from", "From"),
    ("to", "To"),
    ("year", "Year"),
    ("month", "Month"),
    ("day", "Day"),
)


def _chips(args: dict[str, str]) -> list[dict[str, str]]:
    chips = []
    for name, label in CHIP_PARAMS:
        if name in args:
            value = args[name]
            if name == "premium":
                value = "Premium" if value == "true" else "Free"
            elif name in ("month", "day"):
                value = period_label(value)
            chips.append({"name": name, "label": label, "value": value})
    return chips


def _last_page(result: SearchResult) -> int:
    return max(1, -(-result.total // result.page_size))


@bp.get("/")
def search() -> Any:
    req = parse_search_args(request.args)
    g.search_args = canonical_args(req)
    result = get_searcher().search(req)
    last = _last_page(result)
    return render_template(
        "search.html",
        req=req,
        args=g.search_args,
        result=result,
        chips=_chips(g.search_args),
        facets=result.facets,
        bars=timeline_bars(result.timeline),
        chart={"width": CHART_WIDTH, "height": CHART_HEIGHT, "label_space": LABEL_SPACE},
        pages=pager(result.page, last),
        last_page=last,
    )


@bp.get("/article/<article_id>")
def article(article_id: str) -> Any:
    history = history_or_404(article_id)
    record = history.current
    show_premium_text = current_app.config["SHOW_PREMIUM_TEXT"]
    shown, truncated = visible_paragraphs(record, show_premium_text)
    try:
        related = get_searcher().related(article_id, limit=5)
    except SearchError as exc:
        # The article is still worth showing without its neighbours.
        logger.warning("related articles unavailable for %s: %s", article_id, exc)
        related = []
    return render_template(
        "article.html",
        article=record,
        paragraphs=shown,
        truncated=truncated,
        related=related,
        history=history,
        changes=changes(history, show_premium_text),
    )


@bp.get("/help")
def help_page() -> Any:
    return render_template("help.html")
