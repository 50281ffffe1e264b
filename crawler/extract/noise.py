"""What an element inside an article body is when it is not story text: noise or an embed.

Noise (ads, share bars, prompts, promos, story cards) is dropped and forgotten. An embed (a
video, an iframe, a photo, a tweet, a caption box) is dropped too, but remembered as a place
in the body, because the line written beside it may be its caption (crawler.extract.captions).

Elements are recognised by tag, and by the words of their class names and data-test-ui hooks
(`article__ad-wrapper` reads as article, ad, wrapper; BEM modifiers after `--` are left out),
never by substrings, so that `QxPaywalled` or `header` do not read as paywall or ad. A
word-matched element that holds several story-length paragraphs is a wrapper of the story,
not noise: it is walked into.
"""

from __future__ import annotations

import re
from typing import Literal

from lxml import etree

Kind = Literal["noise", "embed"]

# Elements whose whole subtree is never story text.
NOISE_TAGS = frozenset(
    ["script", "style", "noscript", "template", "aside", "nav", "button", "svg", "form", "footer"]
)
# Media and embedded documents: the place of an embed.
EMBED_TAGS = frozenset(
    ["iframe", "figure", "figcaption", "video", "audio", "picture", "img", "object", "embed"]
)
# Embeds that may sit inside a paragraph's own markup (an inline <img> is not one of them).
BLOCK_EMBED_TAGS = EMBED_TAGS - {"img", "picture"}
_NOISE_WORDS = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "advertisement",
        "advertising",
        "share",
        "sharing",
        "social",
        "promo",
        "promotion",
        "newsletter",
        "newsletters",
        "subscribe",
        "subscription",
        "paywall",
        "sidebar",
        "related",
        "recommended",
        "popup",
        "modal",
        "outbrain",
        "taboola",
        "card",
        "cards",
        "discover",
        "audio",
        "prompt",
        "signup",
        "comments",
        "breadcrumb",
        "breadcrumbs",
    }
)
_EMBED_WORDS = frozenset(
    {
        "embed",
        "embedded",
        "iframe",
        "oembed",
        "video",
        "videos",
        "player",
        "media",
        "gallery",
        "figure",
        "image",
        "photo",
        "caption",
        "captions",
        "credit",
        "credits",
        "tweet",
        "twitter",
        "instagram",
        "tiktok",
        "youtube",
        "vimeo",
        "brightcove",
        "podcast",
        "instgrm",
    }
)
# Two-word names of noise whose words are harmless alone.
_NOISE_PAIRS = frozenset([("action", "bar"), ("read", "more"), ("sign", "up")])
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
# A wrapper of the story holds this many paragraphs of at least _STORY_WORDS words.
_STORY_PARAGRAPHS = 2
_STORY_WORDS = 15


def _words(element: etree._Element) -> list[str]:
    names = f"{element.get('class') or ''} {element.get('data-test-ui') or ''}".lower().split()
    # A BEM modifier says how a thing looks, not what it is: `article--sidebar-hidden` is an
    # article, `story-card---default-headline-` a story card.
    return [w for name in names for w in _WORD_SPLIT.split(name.split("--")[0]) if w]


def _holds_story(element: etree._Element) -> bool:
    """True when the element wraps story paragraphs (so it is not a box of furniture)."""
    found = 0
    for paragraph in element.iter("p"):
        if len(paragraph.text_content().split()) >= _STORY_WORDS:
            found += 1
            if found >= _STORY_PARAGRAPHS:
                return True
    return False


def _attribute_words(element: etree._Element) -> list[str]:
    # Players carry their kind in attribute names: data-brightcove-id, data-instgrm-permalink.
    return [w for name in element.attrib if name.startswith("data-") for w in name.split("-")]


def _named_kind(element: etree._Element) -> Kind | None:
    if not element.attrib:
        return None
    words = _words(element)
    kind: Kind | None = None
    if not _NOISE_WORDS.isdisjoint(words) or not _NOISE_PAIRS.isdisjoint(
        zip(words, words[1:], strict=False)
    ):
        kind = "noise"
    elif not _EMBED_WORDS.isdisjoint(words) or not _EMBED_WORDS.isdisjoint(
        _attribute_words(element)
    ):
        kind = "embed"
    if kind is not None and _holds_story(element):
        return None
    return kind


def kind_of(element: etree._Element) -> Kind | None:
    """The element's kind: noise, an embed, or None when it may hold story text."""
    tag = element.tag
    if not isinstance(tag, str) or tag in NOISE_TAGS:
        return "noise"
    if tag in EMBED_TAGS or ("-" in tag and not _EMBED_WORDS.isdisjoint(tag.split("-"))):
        return "embed"  # custom players too: <video-js>, <lite-youtube>
    return _named_kind(element)


def contains_embed(element: etree._Element, tags: frozenset[str] = EMBED_TAGS) -> bool:
    """True when an embed tag (or an embedded-post blockquote) is inside the element."""
    if next(element.iter(*tags), None) is not None:
        return True
    return any(_named_kind(quote) == "embed" for quote in element.iter("blockquote"))
