"""Ellipses that say a snippet was cut out of a longer text.

A highlighted fragment usually starts and ends mid-sentence; shown bare, it reads as if
the article began in lower case mid-thought. `with_ellipses` compares the fragment's plain
text with the texts it may have been cut from (body, standfirst) and adds "… " in front
when it does not start where one of them starts, and " …" after it when it does not end
where that text ends. Kept apart from index.engine.snippets so the way fragments are
chosen can change without touching this.
"""

from __future__ import annotations

import html
import re

ELLIPSIS = "…"
_TAGS = re.compile(r"</?mark>")


def _plain(fragment: str) -> str:
    """A snippet's text without its <mark> tags and entities, whitespace collapsed."""
    return " ".join(html.unescape(_TAGS.sub("", fragment)).split())


def _starts_with(text: str, words: str) -> bool:
    """Whether `text`, whitespace collapsed, starts with `words` (collapsed): only as many
    words of `text` as `words` has are split off, not the whole body."""
    n = words.count(" ") + 1
    return " ".join(text.split(None, n)[:n]).startswith(words)


def _ends_with(text: str, words: str) -> bool:
    """Whether `text`, whitespace collapsed, ends with `words` (collapsed)."""
    n = words.count(" ") + 1
    return " ".join(text.rsplit(None, n)[-n:]).endswith(words)


def with_ellipses(snippet: str, *sources: str) -> str:
    """`snippet` (safe HTML) with an ellipsis wherever it was cut from its source text."""
    if not snippet:
        return snippet
    texts = [t for t in sources if t and t.strip()]
    first = _plain(snippet.split(f" {ELLIPSIS} ", 1)[0])
    last = _plain(snippet.rsplit(f" {ELLIPSIS} ", 1)[-1])
    starts = not first or any(_starts_with(t, first) for t in texts)
    ends = not last or last.endswith(ELLIPSIS) or any(_ends_with(t, last) for t in texts)
    if not starts and not snippet.startswith(ELLIPSIS):
        snippet = f"{ELLIPSIS} {snippet}"
    if not ends:
        snippet = f"{snippet} {ELLIPSIS}"
    return snippet
