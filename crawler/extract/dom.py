"""The rendered page (data-test-ui hooks): headline, byline, date, body and paywall marker."""

from __future__ import annotations

from typing import Any

from parsel import Selector

from crawler.extract import noise
from crawler.extract.body import dom_paragraphs
from crawler.extract.text import clean, iso_utc, nz_local_to_utc

_HEADING = "h1[data-test-ui='article__heading']"
_VIVA_HEADING = "h1[data-test-ui='viva-article__heading']"
# Body containers. One article's body can be spread over several, of one kind or more: the
# 2024-25 premium split has two halves, and a body often continues in raw HTML blocks.
_BODY = "section[data-test-ui='article__body']"
_SPLIT_BODY = "[data-test-ui='article-top-body'], [data-test-ui='article-bottom-body']"
_VIVA_BODY = "section.article-viva__body"
_RAW_BODY = "div.article__raw-html"
_CONTAINERS = f"{_BODY}, {_SPLIT_BODY}, {_VIVA_BODY}, {_RAW_BODY}"
# Byline links: 2024-25 design, then the 2022 design.
_AUTHORS = "a[data-test-ui='author--link'], a[data-test-ui='author__name__link']"
_DISTRIBUTOR = "span[data-test-ui='distributor--name']"
_DATE = "time[data-test-ui='author-display--date'], [data-test-ui='author'] time"
_PAYWALL = "header.article__header-premium, [data-test-ui='paywall']"


def _position(element: Any) -> float:
    """The element's place in document order."""
    return element.xpath("count(preceding::*) + count(ancestor::*)")


def _body_containers(selector: Selector, heading: Any | None) -> list[Any]:
    """Every body container of the article in document order, each once: none nested in
    another, none inside noise (a sidebar, a story card), none before the headline."""
    found = [node.root for node in selector.css(_CONTAINERS)]
    chosen = set(found)
    containers = [
        element
        for element in found
        if not any(a in chosen or noise.kind_of(a) == "noise" for a in element.iterancestors())
    ]
    if heading is None or not containers:
        return containers
    start, around = _position(heading), set(heading.iterancestors())
    return [e for e in containers if e in around or _position(e) > start]


def _published(selector: Selector) -> str | None:
    node = selector.css(_DATE)
    if not node:
        return None
    # The machine-readable attribute is UTC; the visible text is New Zealand local time.
    stamp = node[0].attrib.get("datetime") or node[0].attrib.get("dateTime")
    return iso_utc(stamp) or nz_local_to_utc(" ".join(node[0].css("::text").getall()))


def is_viva(selector: Selector) -> bool:
    """True on the Viva lifestyle site's article layout."""
    return bool(selector.css(f"{_VIVA_HEADING}, {_VIVA_BODY}"))


def fields(selector: Selector) -> dict[str, Any]:
    """Record fields the rendered page shows; None marks what it does not show."""
    heading = selector.css(f"{_HEADING}, {_VIVA_HEADING}")
    title = clean(" ".join(heading[0].css("::text").getall())) if heading else ""
    paragraphs = dom_paragraphs(_body_containers(selector, heading[0].root if heading else None))
    authors = [clean(" ".join(a.css("::text").getall())) for a in selector.css(_AUTHORS)]
    split = bool(selector.css(_SPLIT_BODY))
    return {
        "title": title or None,
        "body": "\n\n".join(paragraphs) or None,
        "authors": [a for a in authors if a] if title else None,
        "source": clean(selector.css(f"{_DISTRIBUTOR}::text").get()) or None,
        "published": _published(selector),
        "premium": bool(split or selector.css(_PAYWALL)) if title else None,
    }
