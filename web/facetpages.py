"""Every value of a tag or author facet: /facets/<name> (a page) and /api/facets/<name>.

The results page lists the first FACET_LIMIT values of each; these list all of them, with
counts over the same search (the same parameters), so a value beyond the top can be chosen
without JavaScript.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, abort, g, jsonify, render_template, request

from web.params import canonical_args, parse_search_args
from web.resources import get_searcher

bp = Blueprint("facetpages", __name__)
FACETS = {"tag": "Topics", "author": "People"}
FACET_LIMIT = 15  # values shown on the results page before "more…"


def _values(name: str) -> tuple[Any, list[Any]]:
    if name not in FACETS:
        abort(404)
    req = parse_search_args(request.args)
    return req, get_searcher().facet_values(req, name)


@bp.get("/facets/<name>")
def facet_page(name: str) -> Any:
    req, values = _values(name)
    g.search_args = canonical_args(req)
    return render_template(
        "facet_values.html",
        req=req,
        args=g.search_args,
        name=name,
        title=FACETS[name],
        values=values,
    )


@bp.get("/api/facets/<name>")
def facet_api(name: str) -> Any:
    req, values = _values(name)
    return jsonify(
        {"facet": name, "query": req.q, "values": [dataclasses.asdict(v) for v in values]}
    )
