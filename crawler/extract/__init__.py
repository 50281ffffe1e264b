"""Article extraction: one page's HTML to a candidate article record (pure, no Scrapy).

Sources, richest first, each field falling back on its own: Fusion.globalContent (ANS),
JSON-LD, <head> meta tags, the rendered DOM. The DOM is only parsed when the ANS leaves a
field open. The result has exactly the fields of crawler.record.FIELDS; validation is the
pipeline's job (crawler.record.validate).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector
from w3lib.encoding import html_to_unicode

from crawler.extract import dom, fusion, jsonld, meta
from crawler.extract.text import clean, path_segments, strip_query
from crawler.record import ARC_ID_RE, FIELDS

__all__ = ["NotAnArticle", "extract_article"]

log = logging.getLogger(__name__)

# Errors a malformed page can provoke inside one source; that source then counts as absent.
_SOURCE_ERRORS = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    RecursionError,
    etree.LxmlError,
)
_DEFAULT_ORDER = ("fusion", "jsonld", "meta", "dom")
# Per-field source order where it differs: the displayed headline beats og:title, and the
# byline's distributor beats JSON-LD's publisher (always the Herald itself).
_ORDER = {
    "title": ("fusion", "dom", "jsonld", "meta"),
    "body": ("fusion", "dom"),
    "source": ("fusion", "jsonld", "dom"),
    "authors": ("fusion", "jsonld", "dom"),
}
_SECTION_NAMES = {"nz": "New Zealand"}


class NotAnArticle(Exception):
    """The page is not a story: a video, gallery, section front, or no article at all."""


class _Page:
    """One page's sources, each parsed on first use."""

    def __init__(self, url: str, html: str | bytes) -> None:
        self.url = url if isinstance(url, str) else ""
        if isinstance(html, bytes):
            html = html_to_unicode(None, html)[1]
        self.text = html if isinstance(html, str) else ""
        self._fields: dict[str, dict[str, Any]] = {}

    @cached_property
    def ans(self) -> dict[str, Any] | None:
        return fusion.global_content(self.text)

    @cached_property
    def selector(self) -> Selector:
        try:
            return Selector(text=self.text)
        except UnicodeEncodeError:
            # Lone surrogates (broken pages) cannot be handed to lxml; replace them.
            return Selector(text=self.text.encode("utf-8", "replace").decode("utf-8"))

    def guarded(self, name: str, read: Callable[[], Any], default: Any) -> Any:
        """read(), or default when the page's data for this source is too broken to read."""
        try:
            return read()
        except _SOURCE_ERRORS as exc:
            log.warning("%s: ignoring unreadable %s data: %r", self.url[:200], name, exc)
            return default

    @cached_property
    def jsonld_objects(self) -> list[dict[str, Any]]:
        return self.guarded("JSON-LD", lambda: jsonld.objects(self.selector), [])

    def fields(self, source: str) -> dict[str, Any]:
        """The record fields one source knows (None or absent: unknown), read on first use."""
        if source not in self._fields:
            self._fields[source] = self.guarded(source, self._readers[source], {})
        return self._fields[source]

    @property
    def _readers(self) -> dict[str, Callable[[], dict[str, Any]]]:
        return {
            "fusion": lambda: fusion.fields(self.ans) if self.ans else {},
            "jsonld": lambda: jsonld.fields(self.jsonld_objects),
            "meta": lambda: meta.fields(self.selector, self.url),
            "dom": lambda: dom.fields(self.selector),
        }

    def first(self, field: str) -> tuple[Any, str | None]:
        """The field's value from the richest source that knows it, and that source's name."""
        for name in _ORDER.get(field, _DEFAULT_ORDER):
            value = self.fields(name).get(field)
            if value is not None:
                return value, name
        return None, None


def _reject_non_story(page: _Page) -> None:
    if page.ans is not None:
        kind = fusion.story_type(page.ans)
        if kind not in ("", "story"):
            raise NotAnArticle(f"Arc content type {kind!r}")
        if kind == "story":
            return
    kinds = set().union(*(jsonld.types_of(obj) for obj in page.jsonld_objects))
    if kinds & jsonld.MEDIA_TYPES and not kinds & jsonld.STORY_TYPES:
        raise NotAnArticle(f"JSON-LD {', '.join(sorted(kinds & jsonld.MEDIA_TYPES))}")


def _url_and_id(page: _Page) -> tuple[str, str]:
    url = page.first("url")[0] or strip_query(page.url)
    arc_id = page.first("id")[0]
    if not arc_id:
        # The Arc id is the last path segment of article URLs, canonical or as fetched.
        candidates = [s[-1] for s in (path_segments(url), path_segments(page.url)) if s]
        fallback = candidates[-1] if candidates else ""
        arc_id = next((c for c in candidates if ARC_ID_RE.match(c)), fallback)
    return url, arc_id


def _sections(page: _Page, url: str) -> tuple[str, str | None]:
    section, origin = page.first("section")
    if origin is not None:
        return section, page.fields(origin).get("subsection") or None
    segments = path_segments(url)
    if not segments:
        return "", None
    first = segments[0].lower()
    return _SECTION_NAMES.get(first, first.replace("-", " ").title()), None


def _is_viva(page: _Page, url: str) -> bool:
    """True for the Viva lifestyle site, whose staff copy is credited to Viva."""
    segments = path_segments(url)
    if "viva." in (urlsplit(url).hostname or "") or segments[:1] == ["viva"]:
        return True
    if page.ans is not None:
        return page.fields("fusion").get("site") == "viva"
    return page.guarded("DOM", lambda: dom.is_viva(page.selector), False)


def _source(page: _Page, viva: bool) -> str:
    source = page.first("source")[0] or page.fields("jsonld").get("publisher") or "NZ Herald"
    return "Viva" if viva and source == "NZ Herald" else source


def _without_standfirst(body: str, standfirst: str) -> str:
    # Some layouts repeat the standfirst as the body's first paragraph; it is not body text.
    first, _sep, rest = body.partition("\n\n")
    return rest if standfirst and first == standfirst else body


def extract_article(url: str, html: str | bytes) -> dict[str, Any]:
    """The candidate article record of a page, or NotAnArticle when the page is no story."""
    page = _Page(url, html)
    _reject_non_story(page)
    title, title_origin = page.first("title")
    standfirst = page.first("standfirst")[0] or ""
    body = _without_standfirst(page.first("body")[0] or "", standfirst)
    if not body and title_origin in (None, "meta"):
        raise NotAnArticle("no headline and no article text")
    record_url, arc_id = _url_and_id(page)
    section, subsection = _sections(page, record_url)
    published = page.first("published")[0] or ""
    updated = page.first("updated")[0] or published
    record = {
        "id": arc_id,
        "url": record_url,
        "title": clean(title),
        "standfirst": standfirst,
        "body": body,
        "authors": page.first("authors")[0] or [],
        "source": _source(page, _is_viva(page, record_url)),
        "section": section,
        "subsection": subsection,
        "tags": page.first("tags")[0] or [],
        "published": published,
        # Never earlier than publication (ISO UTC strings of one format compare as times).
        "updated": max(updated, published),
        "premium": bool(page.first("premium")[0]),
    }
    return {field: record[field] for field in FIELDS}
