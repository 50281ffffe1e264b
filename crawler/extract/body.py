"""Article text as paragraphs: from ANS content elements, or from the body's DOM containers.

Both readers turn the body into blocks (crawler.extract.captions.Block) in reading order:
every text-bearing element is text, wherever it sits (an ANS raw_html block carrying
paragraphs, a second body container after the first); every embed is the place of an embed.
Then captions.story_paragraphs keeps the story: no captions, embeds, ads, related cards, share
bars, audio or paywall prompts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree
from lxml.html import fragment_fromstring

from crawler.extract import noise
from crawler.extract.captions import EMBED, Block, story_paragraphs
from crawler.extract.text import clean, html_to_text

# ANS element types whose HTML `content` is one paragraph of story text.
_TEXT_TYPES = frozenset({"text", "paragraph", "correction"})
# ANS element types that are neither text nor an embed: nothing to read, nothing to caption.
_SILENT_TYPES = frozenset({"interstitial_link", "divider", "link_list", "table_of_contents"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = frozenset({"p", "li", "blockquote", "pre", *_HEADING_TAGS})
_LIST_TAGS = frozenset({"ul", "ol"})
_EMPHASIS_TAGS = frozenset({"strong", "b", "em", "i"})
# Tags that make an element a container of paragraphs rather than a paragraph itself.
_CONTAINER_TAGS = (*_BLOCK_TAGS, *_LIST_TAGS, "div", "section", "article", "table", "main")
# Markup of an embed inside an ANS text element, which is then read like raw HTML.
_EMBED_MARKUP = re.compile(r"<(?:iframe|video|audio|embed|object|img|figure|blockquote)\b", re.I)
# A box holding an embed and at most this many words of its own is the embed with its caption.
_EMBED_BOX_WORDS = 40


# --- the DOM ----------------------------------------------------------------------------


def _text_of(element: etree._Element) -> str:
    """Text of a block, skipping noise, embeds and nested lists (their items are paragraphs)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append(" ")
        elif noise.kind_of(child) is None and child.tag not in _LIST_TAGS:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _emphasized(element: etree._Element) -> bool:
    """True when all of the element's text sits in one bold or italic run."""
    if len(element) != 1 or (element.text or "").strip() or (element[0].tail or "").strip():
        return False
    inner = element[0]
    return inner.tag in _EMPHASIS_TAGS or (inner.tag in ("span", "a") and _emphasized(inner))


def _nested_lists(element: etree._Element) -> Iterator[Block]:
    """Items of lists nested in a list item, each its own paragraph."""
    for child in element:
        if child.tag in _LIST_TAGS:
            yield from _walk(child)
        elif noise.kind_of(child) is None:
            yield from _nested_lists(child)


def _has_blocks(element: etree._Element) -> bool:
    return len(element) > 0 and next(element.iterdescendants(*_CONTAINER_TAGS), None) is not None


def _is_embed_box(element: etree._Element, tags: frozenset[str] = noise.EMBED_TAGS) -> bool:
    """An embed in a small box of its own: the box's text is its caption, title or credit."""
    if not noise.contains_embed(element, tags):
        return False
    return len(clean(_text_of(element)).split()) <= _EMBED_BOX_WORDS


def _block(element: etree._Element) -> Iterator[Block]:
    if element.tag in _HEADING_TAGS:
        yield Block("heading", clean(_text_of(element)))
    elif _is_embed_box(element, noise.BLOCK_EMBED_TAGS):
        yield EMBED
    else:
        kind = "item" if element.tag == "li" else "text"
        yield Block(kind, clean(_text_of(element)), _emphasized(element))
    yield from _nested_lists(element)


def _walk(element: etree._Element) -> Iterator[Block]:
    for child in element:
        kind = noise.kind_of(child)
        if kind == "embed":
            yield EMBED
        elif kind == "noise":
            continue
        elif child.tag in _BLOCK_TAGS:
            yield from _block(child)
        elif _is_embed_box(child):
            yield EMBED
        elif _has_blocks(child):
            yield from _walk(child)
        else:
            # A container holding only inline text (a <div> written as a paragraph).
            yield Block("text", clean(_text_of(child)), _emphasized(child))


def container_blocks(container: etree._Element) -> list[Block]:
    """Blocks of one body container (a div.article__raw-html, an ANS raw_html block, …)."""
    if _has_blocks(container):
        blocks = list(_walk(container))
    elif _is_embed_box(container):
        return [EMBED]  # an embed with its caption written around it as bare text
    else:
        blocks = [Block("text", clean(_text_of(container)), _emphasized(container))]
    if not any(b.text for b in blocks) and next(container.iter("script"), None) is not None:
        return [EMBED]  # a script-driven embed (a player, a chart) and nothing else
    return blocks


def dom_paragraphs(containers: Iterable[etree._Element]) -> list[str]:
    """Story paragraphs under the given body containers, in document order."""
    blocks: list[Block] = []
    for container in containers:
        blocks.extend(container_blocks(container))
    return story_paragraphs(blocks)


# --- ANS --------------------------------------------------------------------------------


def _raw_html_blocks(html: Any) -> list[Block]:
    """A raw_html element read like a div.article__raw-html container."""
    if not isinstance(html, str) or not html.strip():
        return []
    try:
        wrapper = fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return container_blocks(wrapper)


def _list_items(items: Any) -> Iterator[Block]:
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "list":
            yield from _list_items(item.get("items"))
        else:
            yield Block("item", html_to_text(item.get("content")))


def _has_embed_markup(content: Any) -> bool:
    return isinstance(content, str) and "<" in content and bool(_EMBED_MARKUP.search(content))


def _emphasized_html(content: Any) -> bool:
    if not isinstance(content, str) or not content.lstrip().startswith("<"):
        return False
    try:
        return _emphasized(fragment_fromstring(content, create_parent="p"))
    except (etree.ParserError, ValueError):
        return False


def _element_blocks(element: dict[str, Any]) -> Iterator[Block]:
    kind = element.get("type")
    content = element.get("content")
    if kind in _TEXT_TYPES and _has_embed_markup(content):
        yield from _raw_html_blocks(f"<p>{content}</p>")
    elif kind in _TEXT_TYPES:
        yield Block("text", html_to_text(content), _emphasized_html(content))
    elif kind == "header":
        yield Block("heading", html_to_text(content))
    elif kind == "list":
        yield from _list_items(element.get("items"))
    elif kind == "quote":
        yield from ans_blocks(element.get("content_elements"))
    elif kind == "raw_html":
        yield from _raw_html_blocks(content)
    elif kind not in _SILENT_TYPES:
        # image, video, gallery, oembed_*, custom_embed and any type not known to hold text.
        yield EMBED


def ans_blocks(elements: Any) -> list[Block]:
    """Blocks of ANS content elements, in order."""
    out: list[Block] = []
    for element in elements if isinstance(elements, list) else []:
        if isinstance(element, dict):
            out.extend(_element_blocks(element))
    return out


def ans_paragraphs(elements: Any) -> list[str]:
    """Story paragraphs of ANS content elements, in order."""
    return story_paragraphs(ans_blocks(elements))
