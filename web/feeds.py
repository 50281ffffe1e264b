"""Feeds: an Atom feed of any search (newest first) and the OpenSearch description."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, render_template, request

from web.links import absolute_url
from web.params import canonical_args, parse_search_args
from web.resources import get_searcher

bp = Blueprint("feeds", __name__)
FEED_SIZE = 20
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text safe to put in XML once autoescaped: illegal control characters removed."""
    return _XML_ILLEGAL.sub("", str(value))


@bp.app_template_filter("xml_text")
def _xml_text_filter(value: object) -> str:
    return xml_text(value)


@bp.get("/search.atom")
def atom() -> Any:
    req = parse_search_args(request.args)
    req = dataclasses.replace(req, sort="newest", page=1, page_size=FEED_SIZE)
    result = get_searcher().search(req)
    args = canonical_args(req)
    newest = max((hit.published for hit in result.hits), default=None)
    body = render_template(
        "atom.xml",
        result=result,
        req=req,
        self_url=absolute_url("feeds.atom", **args),
        page_url=absolute_url("pages.search", **args),
        updated=newest or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.get("/opensearch.xml")
def opensearch() -> Any:
    body = render_template("opensearch.xml")
    return body, 200, {"Content-Type": "application/opensearchdescription+xml; charset=utf-8"}
