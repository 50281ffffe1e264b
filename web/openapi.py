"""The OpenAPI 3.1 document of the JSON API; tests validate real answers against its schemas."""

from __future__ import annotations

from typing import Any

from crawler.record import FIELDS
from index import limits
from index.limits import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS
from index.model import MAX_COMPARE, NORMS, SORTS
from web.params import MAX_MULTI

_STR = {"type": "string"}
_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_STR_LIST = {"type": "array", "items": _STR}
_FACET_LIST = {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}


def _param(
    name: str, description: str, schema: dict[str, Any], *, explode: bool = False
) -> dict[str, Any]:
    param = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    if explode:  # repeated: ?tag=a&tag=b
        param.update(style="form", explode=True)
    return param


_DATE = {"type": "string", "format": "date"}
LIMITS_TEXT = (
    f"Limits (a query over one is answered 400 with a message naming it, never cut short): "
    f"{limits.MAX_QUERY_CHARS:,} characters; {limits.MAX_QUERY_TERMS} words (phrase words "
    f"and wildcards included); brackets nested {limits.MAX_NESTING} deep; the wildcards of "
    f"one query may match {limits.MAX_WILDCARD_TERMS:,} different indexed words and test "
    f"{limits.MAX_WILDCARD_CANDIDATES:,} dictionary words to find them; a query may read "
    f"{limits.MAX_POSTINGS:,} index entries (articles × words)."
)
SEARCH_PARAMETERS = [
    _param(
        "q",
        'Query: words are ANDed; "phrases", OR (binds tighter than AND), NOT or -exclude '
        "(only exclusions: everything except them), (groups), field:term (title, author, "
        "section, tag, source), wildcards * and ? (they need letters before the * or two "
        "letters side by side). Empty browses newest first. " + LIMITS_TEXT,
        {"type": "string", "maxLength": MAX_QUERY_CHARS},
    ),
    _param("section", "Section name, e.g. Sport", _STR),
    _param("subsection", "Subsection name, e.g. Rugby", _STR),
    _param("source", "Distributor, e.g. NZ Herald, AP", _STR),
    _param(
        "author",
        f"A named author; repeat for articles by all of them (at most {MAX_MULTI})",
        {"type": "array", "items": _STR, "maxItems": MAX_MULTI},
        explode=True,
    ),
    _param(
        "tag",
        f"A topic tag; repeat for articles with all of them (at most {MAX_MULTI})",
        {"type": "array", "items": _STR, "maxItems": MAX_MULTI},
        explode=True,
    ),
    _param(
        "premium",
        "Only premium (true) or free (false) articles",
        {"type": "string", "enum": ["true", "false"]},
    ),
    _param("from", "First New Zealand day, inclusive", _DATE),
    _param("to", "Last New Zealand day, inclusive", _DATE),
    _param("year", "New Zealand calendar year", {"type": "integer"}),
    _param("month", "New Zealand month, YYYY-MM", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}),
    _param("day", "New Zealand day, YYYY-MM-DD", _DATE),
    _param("sort", "Order of hits", {"type": "string", "enum": list(SORTS)}),
    _param(
        "page",
        "Page number; every page up to the last result is served",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    ),
    _param(
        "page_size",
        "Hits per page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
    _param(
        "norm",
        "share: each timeline bar also gives the period's volume (articles published in it "
        "with the same filters, without the query) and share = count / volume",
        {"type": "string", "enum": list(NORMS)},
    ),
    _param(
        "compare",
        f"Another query to draw on the same timeline (repeat, at most {MAX_COMPARE}); "
        "adds `series`, the main query first",
        {
            "type": "array",
            "items": {"type": "string", "maxLength": MAX_QUERY_CHARS},
            "maxItems": MAX_COMPARE,
        },
        explode=True,
    ),
]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {"error": {"type": "string", "description": "What went wrong"}},
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": _STR, "count": {"type": "integer", "minimum": 0}},
    },
    "TimelineBar": {
        "type": "object",
        "required": ["period", "count"],
        "additionalProperties": False,
        "properties": {
            "period": {"type": "string", "pattern": r"^\d{4}(-\d{2}){0,2}$"},
            "count": {"type": "integer", "minimum": 0},
            "volume": {
                "type": "integer",
                "minimum": 0,
                "description": "With norm=share: articles published in the period that pass "
                "the same filters, whatever the query",
            },
            "share": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "With norm=share: count / volume (0 when volume is 0)",
            },
        },
    },
    "Series": {
        "type": "object",
        "required": ["query", "total", "timeline"],
        "additionalProperties": False,
        "properties": {
            "query": _STR,
            "total": {"type": "integer", "minimum": 0},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineBar"}},
        },
    },
    "FacetValues": {
        "type": "object",
        "required": ["facet", "query", "values"],
        "properties": {"facet": {"enum": ["tag", "author"]}, "query": _STR, "values": _FACET_LIST},
    },
    "Hit": {
        "type": "object",
        "required": [
            "id",
            "title",
            "url",
            "section",
            "subsection",
            "authors",
            "source",
            "published",
            "premium",
            "snippet",
        ],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z0-9]{26}$"},
            "title": _STR,
            "url": {"type": "string", "format": "uri"},
            "section": _STR,
            "subsection": _NULLABLE_STR,
            "authors": _STR_LIST,
            "source": _STR,
            "published": {"type": "string", "format": "date-time"},
            "premium": {"type": "boolean"},
            "snippet": {
                "type": "string",
                "description": "Safe HTML: only <mark> is markup. For premium articles, cut "
                "only from the text the article page shows",
            },
            "standfirst": _STR,
            "note": {
                "type": ["string", "null"],
                "description": '"matches in the full article" when the words are only in '
                "premium text that is not shown (the snippet then quotes the opening)",
            },
        },
    },
    "SearchResult": {
        "type": "object",
        "required": [
            "query",
            "total",
            "page",
            "page_size",
            "hits",
            "facets",
            "timeline",
            "suggestion",
        ],
        "properties": {
            "query": _STR,
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "required": ["section", "subsection", "source", "year"],
                "properties": {
                    name: _FACET_LIST
                    for name in (
                        "section",
                        "subsection",
                        "source",
                        "premium",
                        "year",
                        "month",
                        "day",
                        "tag",
                        "author",
                    )
                },
                "additionalProperties": _FACET_LIST,
            },
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineBar"}},
            "suggestion": {
                "type": ["string", "null"],
                "description": "Did you mean: the query with misspelt words corrected",
            },
            "interpreted": {
                "type": "string",
                "description": "What was searched, in plain words (filters included)",
            },
            "parsed": {
                "type": "string",
                "description": "The same as a machine form: the analysed query tree",
            },
            "series": {
                "type": "array",
                "description": "With compare: one per query, the main query first, all over "
                "the same periods",
                "items": {"$ref": "#/components/schemas/Series"},
            },
        },
    },
    "Article": {
        "type": "object",
        "required": [*FIELDS, "truncated", "fetched", "first_seen", "last_seen", "versions"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z0-9]{26}$"},
            "url": {"type": "string", "format": "uri"},
            "title": _STR,
            "standfirst": _STR,
            "body": {
                "type": "string",
                "description": "Paragraphs separated by a blank line; "
                "for premium articles only the opening ones unless licensed",
            },
            "authors": _STR_LIST,
            "source": _STR,
            "section": _STR,
            "subsection": _NULLABLE_STR,
            "tags": _STR_LIST,
            "published": {"type": "string", "format": "date-time"},
            "updated": {"type": "string", "format": "date-time"},
            "premium": {"type": "boolean"},
            "truncated": {"type": "boolean", "description": "The body was cut short"},
            "fetched": {
                **_NULLABLE_TIME,
                "description": "When the crawler fetched this version (null: not recorded)",
            },
            "first_seen": {
                **_NULLABLE_TIME,
                "description": "When the archive first saw the article "
                "(null: archived before this was recorded)",
            },
            "last_seen": {**_NULLABLE_TIME, "description": "When the archive last saw it"},
            "versions": {
                "type": "array",
                "description": "Every archived version, oldest first, the current one last",
                "minItems": 1,
                "items": {"$ref": "#/components/schemas/ArticleVersion"},
            },
        },
    },
    "ArticleVersion": {
        "type": "object",
        "required": ["updated", "fetched"],
        "properties": {
            "updated": {"type": "string", "format": "date-time"},
            "fetched": _NULLABLE_TIME,
        },
    },
}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


_ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Z0-9]{26}$"},
}
PATHS = {
    "/api/search": {
        "get": {
            "summary": "Search articles",
            "operationId": "search",
            "parameters": SEARCH_PARAMETERS,
            "responses": {
                "200": _json("SearchResult", "Hits, facets, timeline and suggestion"),
                "400": _json(
                    "Error", "A parameter could not be used, or the query is over a limit"
                ),
                "503": _json(
                    "Error", "The index or archive cannot be read (which file, what to run)"
                ),
            },
        }
    },
    "/api/facets/{name}": {
        "get": {
            "summary": "Every value of the tag or author facet over a search, with counts",
            "operationId": "facetValues",
            "parameters": [
                {
                    "name": "name",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": ["tag", "author"]},
                },
                *SEARCH_PARAMETERS,
            ],
            "responses": {
                "200": _json("FacetValues", "Values, most articles first"),
                "400": _json("Error", "A parameter could not be used"),
                "404": _json("Error", "No such facet"),
            },
        }
    },
    "/api/articles/{id}": {
        "get": {
            "summary": "One article",
            "operationId": "getArticle",
            "parameters": [_ID_PARAMETER],
            "responses": {
                "200": _json("Article", "The article (premium bodies cut short)"),
                "404": _json("Error", "No such article"),
                "503": _json("Error", "The archive cannot be read (which file, what to run)"),
            },
        }
    },
}


def _download(summary: str, mimetype: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """A path that answers a file (exports and references) rather than JSON."""
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": summary, "content": {mimetype: {"schema": _STR}}},
                "400": {"description": "A parameter could not be used (an HTML page)"},
            },
        }
    }


PATHS.update(
    {
        "/search.csv": _download(
            "Every match as CSV, in the search's order (no body text)",
            "text/csv",
            SEARCH_PARAMETERS,
        ),
        "/search.jsonl": _download(
            "Every match as JSON Lines, in the search's order (no body text)",
            "application/x-ndjson",
            SEARCH_PARAMETERS,
        ),
        "/search.ris": _download(
            "The first 1,000 matches as RIS references",
            "application/x-research-info-systems",
            SEARCH_PARAMETERS,
        ),
        "/timeline.csv": _download(
            "The timeline's figures (every compared query, shares when normalised)",
            "text/csv",
            SEARCH_PARAMETERS,
        ),
        "/article/{id}.ris": _download(
            "One article as a RIS reference", "application/x-research-info-systems", [_ID_PARAMETER]
        ),
        "/article/{id}.bib": _download(
            "One article as a BibTeX entry", "application/x-bibtex", [_ID_PARAMETER]
        ),
        "/article/{id}.csl.json": _download(
            "One article as CSL-JSON", "application/vnd.citationstyles.csl+json", [_ID_PARAMETER]
        ),
    }
)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the JSON API and its error shape."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "herald-search API",
            "version": "1.0.0",
            "description": "Search the NZ Herald news archive. " + LIMITS_TEXT,
            "x-limits": limits.describe(),
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
