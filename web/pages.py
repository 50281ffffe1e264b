"""HTML pages: the search page, the article page and the help page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, g, render_template, request, url_for

from crawler.preview import visible_paragraphs
from index import limits
from index.engine.marking import mark_words
from index.model import MAX_COMPARE, SearchError, SearchRequest
from web.articles import changes, history_or_404
from web.citation_formats import highwire_tags
from web.citations import apa, chicago
from web.compare import chart_of
from web.exports import RIS_LIMIT
from web.facetpages import FACET_LIMIT
from web.formatting import period_label
from web.params import BadParameter, canonical_args, parse_search_args
from web.resources import get_searcher
from web.results import date_trail, last_page, pages_cut_short, shown
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


@bp.get("/")
def search() -> Any:
    req = parse_search_args(request.args)
    g.search_args = canonical_args(req)
    result = get_searcher().search(req)
    last = last_page(result)
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
        pages_cut_short=pages_cut_short(result),
        max_page=limits.MAX_PAGE,
        shown=shown(result),
        trail=date_trail(req),
    )


def _search_it_came_from() -> SearchRequest | None:
    """The search an article was opened from (its parameters ride on the article's URL);
    None when there is none, or it cannot be read (the article is shown all the same)."""
    if not request.args:
        return None
    try:
        return parse_search_args(request.args)
    except BadParameter:
        return None


def _searched_words(req: SearchRequest | None) -> set[str]:
    if req is None or not req.q:
        return set()
    try:
        return get_searcher().highlight_terms(req.q)
    except SearchError as exc:  # a query that cannot be searched has nothing to mark
        logger.info("no highlighting for %r: %s", req.q, exc)
        return set()


@bp.get("/article/<article_id>")
def article(article_id: str) -> Any:
    history = history_or_404(article_id)
    record = history.current
    show_premium_text = current_app.config["SHOW_PREMIUM_TEXT"]
    shown_paras, truncated = visible_paragraphs(record, show_premium_text)
    came_from = _search_it_came_from()
    words = _searched_words(came_from)
    try:
        related = get_searcher().related(article_id, limit=5)
    except SearchError as exc:
        # The article is still worth showing without its neighbours.
        logger.warning("related articles unavailable for %s: %s", article_id, exc)
        related = []
    return render_template(
        "article.html",
        article=record,
        title=mark_words(record["title"], words),
        standfirst=mark_words(record["standfirst"], words),
        paragraphs=[mark_words(p, words) for p in shown_paras],
        truncated=truncated,
        related=related,
        history=history,
        changes=changes(history, show_premium_text),
        back_url=url_for("pages.search", **canonical_args(came_from)) if came_from else None,
        back_query=came_from.q if came_from else "",
        marked=bool(words),
        q=came_from.q if came_from else "",  # the words searched stay in the search box
        citations={"APA 7": apa(record), "Chicago (17th ed., bibliography)": chicago(record)},
        highwire=highwire_tags(record),
    )


@bp.get("/help")
def help_page() -> Any:
    return render_template("help.html")
