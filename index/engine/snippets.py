"""Highlighted snippets of archived text: escaped HTML where only <mark> is markup.

Uses Whoosh's highlighter (same analyzer as the index, so stems and folded macrons match)
over the archive body of the page's hits only.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape
from whoosh.highlight import ContextFragmenter, Formatter, get_text, highlight

from index.ondisk.analysis import text_analyzer

SNIPPET_CHARS = 240
HEAD_CHARS = (600, 1500)  # the openings tried before the whole body


class MarkFormatter(Formatter):
    """Escapes text with markupsafe and wraps matched words in <mark>."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"


_ANALYZER = text_analyzer()
_FRAGMENTER = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
_FORMATTER = MarkFormatter()


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first `limit` characters of text, cut at a word, escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return str(escape(text))


def snippet(body: str, standfirst: str, terms: Iterable[str]) -> str:
    """A highlighted fragment of `body` around the query terms (the lead when none match)."""
    termset = frozenset(terms)
    if termset:
        # Most matches show up early: analyse a short opening first, then a longer one, the
        # whole body only if needed (highlighting is most of a warm query's time).
        for text in _openings(body):
            marked = highlight(text, termset, _ANALYZER, _FRAGMENTER, _FORMATTER, top=2)
            if marked:
                return marked
        marked = highlight(standfirst, termset, _ANALYZER, _FRAGMENTER, _FORMATTER, top=1)
        if marked:
            return marked
    return lead(standfirst or body)


def _openings(body: str) -> list[str]:
    """The body's openings (cut at a word) of HEAD_CHARS, then the whole body."""
    cuts = [body[:n].rsplit(" ", 1)[0] for n in HEAD_CHARS if len(body) > n]
    return [*cuts, body]
