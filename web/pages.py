"""HTML pages: the search page, the article page and the help page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, g, render_template, request

from index.model import MAX_COMPARE, SearchError, SearchResult
from web.articles import archived_or_404, visible_paragraphs
from web.citation_formats import highwire_tags
from web.citations import apa, chicago
from web.compare import chart_of
from web.exports import RIS_LIMIT
from web.facetpages import FACET_LIMIT
from web.formatting import period_label
from web.params import MAX_QUERY_CHARS, canonical_args, parse_search_args
from web.resources import get_searcher
from web.timeline import pager

logger = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

# Filters shown as removable chips, in this order: (parameter, label).
CHIP_PARAMS = (
    ("section", "Section"),
    ("subsection", "Subsection"),
    ("source", "Source"),
    ("author", "Author"),
    ("tag", "Topic"),
    ("premium", "Access"),
    ("from", "From"),
    ("to", "To"),
    ("year", "Year"),
    ("month", "Month"),
    ("day", "Day"),
)


def _chips(args: dict[str, Any]) -> list[dict[str, Any]]:
    """One removable chip per filter value (`remove`: the value a repeatable one drops)."""
    chips = []
    for name, label in CHIP_PARAMS:
        if name not in args:
            continue
        value = args[name]
        if isinstance(value, list):
            chips += [{"name": name, "label": label, "value": v, "remove": v} for v in value]
            continue
        if name == "premium":
            value = "Premium" if value == "true" else "Free"
        elif name in ("month", "day"):
            value = period_label(value)
        chips.append({"name": name, "label": label, "value": value, "remove": None})
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
        facet_limit=FACET_LIMIT,
        chart=chart_of(req, result),
        max_compare=MAX_COMPARE,
        ris_limit=RIS_LIMIT,
        pages=pager(result.page, last),
        last_page=last,
    )


@bp.get("/article/<article_id>")
def article(article_id: str) -> Any:
    record = archived_or_404(article_id)
    shown, truncated = visible_paragraphs(record, current_app.config["SHOW_PREMIUM_TEXT"])
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
        # The words searched for stay in the search box (links from results carry them).
        q=(request.args.get("q") or "")[:MAX_QUERY_CHARS],
        citations={"APA 7": apa(record), "Chicago (17th ed., bibliography)": chicago(record)},
        highwire=highwire_tags(record),
    )


@bp.get("/help")
def help_page() -> Any:
    return render_template("help.html")
