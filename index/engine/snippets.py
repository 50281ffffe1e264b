"""Highlighted snippets of archived text: escaped HTML where only <mark> is markup.

A snippet costs what it shows. Whoosh's highlighter analysed each hit's whole body (~90%
of a warm query's time); here the text is split on whitespace (one C call), each distinct
chunk ("Whangārei’s," "said.") is looked up once in a memo of what the index's analyzer
makes of it, and only the window around the first matching word is analysed again, with
character offsets, to mark its words. Matching is the index's own analysis, so stems and
folded macrons match as they do in search ("elections" marks "Election", "whangarei"
marks "Whangārei"); stop words are never marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import escape

from index.ondisk.analysis import STOP_MARK, FoldStemFilter, text_analyzer, words

SNIPPET_CHARS = 240
LEAD_IN = 60  # characters shown before the first match
_MEMO_LIMIT = 200_000
_ANALYZER = text_analyzer()
_STEM = FoldStemFilter()
_CHUNK_TERMS: dict[str, frozenset[str]] = {}
_SPACE = re.compile(r"\s")


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first `limit` characters of text, cut at a word, escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return str(escape(text))


def _chunk_terms(chunk: str) -> frozenset[str]:
    """The indexed terms of one whitespace-separated chunk of text (memoised)."""
    found = _CHUNK_TERMS.get(chunk)
    if found is None:
        if len(_CHUNK_TERMS) > _MEMO_LIMIT:
            _CHUNK_TERMS.clear()
        found = _CHUNK_TERMS[chunk] = frozenset(filter(None, map(_STEM.term, words(chunk))))
    return found


def first_match(text: str, terms: frozenset[str]) -> int | None:
    """The character offset of the first chunk of `text` holding one of `terms`."""
    chunks = text.split()
    matching = {c for c in set(chunks) if not terms.isdisjoint(_chunk_terms(c))}
    if not matching:
        return None
    chunk = chunks[list(map(matching.__contains__, chunks)).index(True)]
    # Its first occurrence as a whole chunk is this one (an earlier one would match too).
    found = re.search(rf"(?<!\S){re.escape(chunk)}(?!\S)", text)
    return found.start() if found else None


def _window(text: str, at: int, limit: int) -> tuple[int, int]:
    """[start, end) of a window of about `limit` characters from LEAD_IN before `at`, both
    ends at whitespace (or the text's ends)."""
    start = max(0, at - LEAD_IN)
    if start:
        space = _SPACE.search(text, start, at)
        start = space.end() if space else at
    end = min(len(text), start + limit)
    if end < len(text):
        spaces = [m.start() for m in _SPACE.finditer(text, at, end)]
        end = spaces[-1] if spaces else end
    return start, end


def mark(text: str, terms: frozenset[str]) -> str:
    """`text` escaped, with every word whose indexed term is one of `terms` in <mark>."""
    parts: list[str] = []
    done = 0
    for token in _ANALYZER(text, chars=True):
        if token.text in terms:
            parts.append(str(escape(text[done : token.startchar])))
            parts.append(f"<mark>{escape(text[token.startchar : token.endchar])}</mark>")
            done = token.endchar
    parts.append(str(escape(text[done:])))
    return "".join(parts)


def fragment(text: str, terms: frozenset[str], limit: int = SNIPPET_CHARS) -> str | None:
    """About `limit` characters of `text` from just before its first match, marked; None
    when no word of `text` is one of `terms`."""
    at = first_match(text, terms)
    if at is None:
        return None
    start, end = _window(text, at, limit)
    window = " ".join(text[start:end].split())
    return f"{'… ' if start else ''}{mark(window, terms)}{' …' if end < len(text) else ''}"


def snippet(body: str, standfirst: str, terms: Iterable[str]) -> str:
    """A highlighted fragment of `body` (else of `standfirst`) around the first of the query
    terms (analysed, as index.engine.query gives them); the lead when none is there."""
    wanted = frozenset(t for t in terms if not t.startswith(STOP_MARK))
    if wanted:
        for text in (body, standfirst):
            found = fragment(text, wanted)
            if found is not None:
                return found
    return lead(standfirst or body)
