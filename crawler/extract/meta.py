"""<head> metadata: Open Graph and article:* meta tags and the canonical link."""

from __future__ import annotations

from typing import Any

from parsel import Selector

from crawler.extract.text import absolute_url, clean, iso_utc

_META = "//meta[@property or @name]"
_CANONICAL = "//link[@rel='canonical']/@href"


def tags_by_name(selector: Selector) -> dict[str, list[str]]:
    """Meta tag contents keyed by property (or name), in page order."""
    found: dict[str, list[str]] = {}
    # Plain lxml elements: wrapping each of the page's many meta tags in a Selector is slow.
    for node in selector.root.xpath(_META):
        key = node.get("property") or node.get("name") or ""
        value = clean(node.get("content"))
        if value:
            found.setdefault(key.strip().lower(), []).append(value)
    return found


def _one(metas: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if metas.get(key):
            return metas[key][0]
    return None


def _split(values: list[str]) -> list[str]:
    # The site writes several values into one tag: article:section "Sport, Rugby".
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def fields(selector: Selector, page_url: str) -> dict[str, Any]:
    """Record fields the meta tags carry; None marks what they do not say."""
    metas = tags_by_name(selector)
    sections = _split(metas.get("article:section", []))
    tags = _split(metas.get("article:tag", []))
    canonical = selector.xpath(_CANONICAL).get()
    return {
        "url": absolute_url(canonical, page_url) or absolute_url(_one(metas, "og:url"), page_url),
        "title": _one(metas, "og:title"),
        "standfirst": _one(metas, "og:description", "description"),
        "section": sections[0] if sections else None,
        "subsection": (sections[1] if len(sections) > 1 else "") if sections else None,
        "tags": tags or None,
        "published": iso_utc(_one(metas, "article:published_time")),
        "updated": iso_utc(_one(metas, "article:modified_time")),
    }
