"""JSON-LD (schema.org) blocks: the story object's headline, people, dates and paywall flag.

Not the body: articleBody, where a page has it, is flat text in which a caption or an embed's
title cannot be told from a paragraph; the ANS and the DOM carry the same text with its
structure (crawler.extract.body).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from parsel import Selector

from crawler.extract.text import clean, html_to_text, iso_utc

log = logging.getLogger(__name__)

_SCRIPTS = "script[type='application/ld+json']::text"
STORY_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "OpinionNewsArticle",
        "AnalysisNewsArticle",
        "BlogPosting",
        "Report",
    }
)
MEDIA_TYPES = frozenset({"VideoObject", "ImageGallery", "MediaGallery"})


def _flatten(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        yield value
        yield from _flatten(value.get("@graph"))


def types_of(obj: Any) -> set[str]:
    """The schema.org @type names of an object (a string or a list of them)."""
    kind = obj.get("@type") if isinstance(obj, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    return {k for k in kinds if isinstance(k, str)}


def objects(selector: Selector) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page (lists and @graph flattened); broken blocks skipped."""
    found: list[dict[str, Any]] = []
    for raw in selector.css(_SCRIPTS).getall():
        try:
            found.extend(_flatten(json.loads(raw)))
        except (ValueError, RecursionError) as exc:
            log.debug("skipping a JSON-LD block that is not JSON: %s", exc)
    return found


def _people(value: Any, wanted: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict) and wanted in types_of(item) and clean(item.get("name")):
            names.append(clean(item["name"]))
    return names


def _premium(story: dict[str, Any]) -> bool | None:
    free = story.get("isAccessibleForFree")
    if isinstance(free, str):
        free = {"true": True, "false": False}.get(free.strip().lower())
    return (not free) if isinstance(free, bool) else None


def fields(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Record fields of the page's story object; None marks what JSON-LD does not say."""
    story = next((obj for obj in found if types_of(obj) & STORY_TYPES), None)
    if story is None:
        return {}
    author = story.get("author")
    organizations = _people(author, "Organization")
    publisher = _people(story.get("publisher"), "Organization")
    return {
        "title": html_to_text(story.get("headline")) or None,
        "standfirst": html_to_text(story.get("description")) or None,
        # An Organization as author is the source (wire copy), never an author.
        "authors": _people(author, "Person") if author is not None else None,
        "source": organizations[0] if organizations else None,
        "publisher": publisher[0] if publisher else None,
        "published": iso_utc(story.get("datePublished")),
        "updated": iso_utc(story.get("dateModified")),
        "premium": _premium(story),
    }
