"""Article text as paragraphs: from ANS content elements, or from the body's DOM subtree.

Everything that is not the story's own words is left out: captions, embeds, ads, related
cards, share bars, audio and paywall prompts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree
from lxml.html import fragments_fromstring

from crawler.extract.text import clean, html_to_text

# ANS element types whose HTML `content` is one paragraph of story text.
_TEXT_TYPES = frozenset({"text", "paragraph", "header", "correction"})
# Elements whose whole subtree is never story text.
_NOISE_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "figure",
        "figcaption",
        "aside",
        "nav",
        "button",
        "svg",
        "form",
        "video",
        "audio",
        "picture",
        "img",
        "template",
        "object",
        "embed",
        "footer",
    ]
)
# data-test-ui hooks of noise inside the body: the exact value, or it followed by - or _.
_NOISE_HOOKS = tuple(
    [
        "ad",
        "share-bar",
        "social-link",
        "story-card",
        "related-articles",
        "article-media",
        "figure",
        "article__action-bar",
        "audio",
        "article-sidebar",
        "paywall",
        "newsletter",
        "discover-more",
        "video",
        "gallery",
    ]
)
# Class names of noise: embeds (tweets, Instagram, TikTok), ads, popups.
_NOISE_CLASSES = frozenset(
    [
        "twitter-tweet",
        "instagram-media",
        "tiktok-embed",
        "ad-container",
        "social-popup",
        "article-media__caption",
        "story-card",
        "embed",
    ]
)
_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})
_LIST_TAGS = frozenset({"ul", "ol"})
# Tags that make an element a container of paragraphs rather than a paragraph itself.
_CONTAINER_TAGS = (*_BLOCK_TAGS, *_LIST_TAGS, "div", "section", "article", "table", "main")
# Prompts that are sometimes written into the body as plain text; compared case-insensitively.
_PROMPT_PREFIXES = (
    "advertisement",
    "advertise with nzme",
    "share this article",
    "subscribe to listen",
    "listening to articles is free",
    "discover more",
)


def is_prompt(paragraph: str) -> bool:
    """True for a site prompt (ad label, audio or share prompt) rather than story text."""
    lowered = paragraph.lower()
    return lowered.startswith(_PROMPT_PREFIXES) and len(lowered) < 160


def _keep(paragraphs: Iterable[str]) -> list[str]:
    return [p for p in paragraphs if p and not is_prompt(p)]


def _list_items(items: Any) -> Iterator[str]:
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "list":
            yield from _list_items(item.get("items"))
        else:
            yield html_to_text(item.get("content"))


def _element_paragraphs(element: dict[str, Any]) -> Iterator[str]:
    kind = element.get("type")
    if kind in _TEXT_TYPES:
        yield html_to_text(element.get("content"))
    elif kind == "list":
        yield from _list_items(element.get("items"))
    elif kind == "quote":
        yield from ans_paragraphs(element.get("content_elements"))
    elif kind == "raw_html":
        yield from raw_html_paragraphs(element.get("content"))
    # image, video, gallery, oembed_*, interstitial_link, custom_embed, divider: not text.


def ans_paragraphs(elements: Any) -> list[str]:
    """Story paragraphs of ANS content elements, in order."""
    out: list[str] = []
    for element in elements if isinstance(elements, list) else []:
        if isinstance(element, dict):
            out.extend(_element_paragraphs(element))
    return _keep(out)


def raw_html_paragraphs(html: Any) -> list[str]:
    """Paragraph text of a raw HTML block; embeds (tweets, iframes, scripts) give nothing."""
    if not isinstance(html, str) or not html.strip():
        return []
    try:
        nodes = fragments_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    elements = [node for node in nodes if isinstance(node, etree._Element)]
    return dom_paragraphs(elements)


def _is_noise(element: etree._Element) -> bool:
    if not isinstance(element.tag, str) or element.tag in _NOISE_TAGS:
        return True
    hook = element.get("data-test-ui") or ""
    if hook and any(
        hook == h or hook.startswith(h + "-") or hook.startswith(h + "_") for h in _NOISE_HOOKS
    ):
        return True
    classes = (element.get("class") or "").split()
    return any(c in _NOISE_CLASSES for c in classes)


def _text_of(element: etree._Element) -> str:
    """Text of a block, skipping noise and nested lists (their items are paragraphs too)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append(" ")
        elif not _is_noise(child) and child.tag not in _LIST_TAGS:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _nested_lists(element: etree._Element) -> Iterator[str]:
    """Items of lists nested in a list item, each its own paragraph."""
    for child in element:
        if child.tag in _LIST_TAGS:
            yield from _walk(child)
        elif not _is_noise(child):
            yield from _nested_lists(child)


def _has_blocks(element: etree._Element) -> bool:
    return len(element) > 0 and next(element.iterdescendants(*_CONTAINER_TAGS), None) is not None


def _walk(element: etree._Element) -> Iterator[str]:
    for child in element:
        if _is_noise(child):
            continue
        if child.tag in _BLOCK_TAGS:
            yield clean(_text_of(child))
            yield from _nested_lists(child)
        elif _has_blocks(child):
            yield from _walk(child)
        else:
            # A container holding only inline text (a <div> written as a paragraph).
            yield clean(_text_of(child))


def dom_paragraphs(containers: Iterable[etree._Element]) -> list[str]:
    """Story paragraphs under the given body containers, in document order."""
    out: list[str] = []
    for container in containers:
        if _is_noise(container):
            continue
        if container.tag in _BLOCK_TAGS or not _has_blocks(container):
            out.append(clean(_text_of(container)))
        else:
            out.extend(_walk(container))
    return _keep(out)
