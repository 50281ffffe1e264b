"""Hits: a page's articles as the search answer shows them, snippets cut by the premium rule.

A snippet quotes only text the article page would show (crawler.preview): for a premium
article in an unlicensed deployment, its standfirst and opening paragraphs. When the words
searched for are only in the hidden rest, the hit quotes the visible opening and says
FULL_ARTICLE_NOTE instead of quoting what the paywall hides.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.preview import hidden_text, visible_paragraphs
from crawler.record import Article
from index.engine.ellipses import with_ellipses
from index.engine.snippets import lead, snippet
from index.model import Hit
from index.ondisk.analysis import text_analyzer

FULL_ARTICLE_NOTE = "matches in the full article"
_ANALYZER = text_analyzer()


def _mentions(text: str, terms: frozenset[str]) -> bool:
    return any(t.text in terms for t in _ANALYZER(text))


def quote(
    article: Article, terms: Iterable[str], show_premium_text: bool
) -> tuple[str, str | None]:
    """The snippet of `article` for the query words `terms` (analysed), and a note when the
    match is only in text that may not be shown."""
    termset = frozenset(terms)
    shown, truncated = visible_paragraphs(article, show_premium_text)
    body = "\n\n".join(shown)
    if not termset:
        return lead(article["standfirst"] or body), None
    text = with_ellipses(snippet(body, article["standfirst"], termset), body, article["standfirst"])
    if (
        truncated
        and "<mark>" not in text
        and not _mentions(article["title"], termset)
        and _mentions(hidden_text(article, show_premium_text), termset)
    ):
        return lead(article["standfirst"] or body), FULL_ARTICLE_NOTE
    return text, None


def make_hit(article: Article, terms: Iterable[str], show_premium_text: bool) -> Hit:
    """The hit of one archived article."""
    text, note = quote(article, terms, show_premium_text)
    return Hit(
        id=article["id"],
        title=article["title"],
        url=article["url"],
        section=article["section"],
        subsection=article["subsection"],
        authors=article["authors"],
        source=article["source"],
        published=article["published"],
        premium=article["premium"],
        snippet=text,
        standfirst=article["standfirst"],
        note=note,
    )
