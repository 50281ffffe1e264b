"""Highlighted snippets of archived text: escaped HTML where only <mark> is markup.

A snippet costs what it shows. Whoosh's highlighter analysed each hit's whole body (~90%
of a warm query's time); here the text is split on whitespace (one C call) and its chunks
("Whangārei’s," "said.") are looked up, a few hundred at a time until one matches, in a
memo of what the index's analyzer makes of each; only the window around the first match
is read again, with character offsets, to mark its words. Matching is the index's own
analysis, so stems and folded macrons match as they do in search ("elections" marks
"Election", "whangarei"
marks "Whangārei"); stop words are never marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import escape

from index.ondisk.analysis import STOP_MARK, TOKEN_PATTERN, FoldStemFilter, words

SNIPPET_CHARS = 240
LEAD_IN = 60  # characters shown before the first match
_MEMO_LIMIT = 200_000
_STEM = FoldStemFilter()
_CHUNK_TERMS: dict[str, str | frozenset[str]] = {}
_SEVERAL: set[str] = set()  # chunks of several words
FIRST_STEP = 40  # chunks looked at first
STEP = 200  # chunks looked at at once after those
_SPACE = re.compile(r"\s")
_CHUNK = re.compile(r"\S+")
_WORD = re.compile(TOKEN_PATTERN)


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first `limit` characters of text, cut at a word, escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return str(escape(text))


def _chunk_terms(chunk: str) -> str | frozenset[str]:
    """The indexed term of one whitespace-separated chunk of text ("" for none; a set for
    a chunk of several, "U.S.-based"), memoised."""
    found = _CHUNK_TERMS.get(chunk)
    if found is None:
        if len(_CHUNK_TERMS) > _MEMO_LIMIT:
            _CHUNK_TERMS.clear()
            _SEVERAL.clear()
        terms = [t for t in map(_STEM.term, words(chunk)) if t]
        found = _CHUNK_TERMS[chunk] = terms[0] if len(terms) == 1 else frozenset(terms)
        if len(terms) > 1:
            _SEVERAL.add(chunk)
    return found


def _first_hit(chunks: list[str], terms: frozenset[str]) -> int | None:
    """The index of the first chunk holding one of `terms` (in C loops but for chunks
    not seen before and chunks of several words)."""
    found = list(map(_CHUNK_TERMS.get, chunks))
    if None in found:
        found = list(map(_chunk_terms, chunks))
    hits = list(map(terms.__contains__, found))  # False for the sets of several
    several = _SEVERAL.intersection(chunks)
    if several:
        matching = {c for c in several if not terms.isdisjoint(_CHUNK_TERMS[c])}
        hits = [a or b for a, b in zip(hits, map(matching.__contains__, chunks), strict=True)]
    return hits.index(True) if True in hits else None


def first_match(text: str, terms: frozenset[str]) -> int | None:
    """The character offset of the first chunk of `text` holding one of `terms`, looking
    at FIRST_STEP chunks, then STEP at a time: most matches are early, and the text is split
    only as far as it is looked at (splitting a whole body costs more than the look-ups)."""
    rest, step = text, FIRST_STEP
    while rest:
        chunks = rest.split(None, step)
        # Past `step` chunks, the last item is the rest of the text, not yet split.
        rest = chunks.pop() if len(chunks) > step else ""
        step = STEP
        at = _first_hit(chunks, terms)
        if at is not None:
            chunk = chunks[at]
            # Its first occurrence as a whole chunk is this one (an earlier one would
            # have matched too).
            found = re.search(rf"(?<!\S){re.escape(chunk)}(?!\S)", text)
            return found.start() if found else None
    return None


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
    for chunk in _CHUNK.finditer(text):
        found = _chunk_terms(chunk.group())
        if isinstance(found, str) and found not in terms:
            continue
        if isinstance(found, frozenset) and terms.isdisjoint(found):
            continue
        for word in _WORD.finditer(text, chunk.start(), chunk.end()):
            if _STEM.term(word.group()) in terms:
                parts.append(str(escape(text[done : word.start()])))
                parts.append(f"<mark>{escape(word.group())}</mark>")
                done = word.end()
    parts.append(str(escape(text[done:])))
    return "".join(parts)


def fragment(text: str, terms: frozenset[str], limit: int = SNIPPET_CHARS) -> str | None:
    """About `limit` characters of `text` from just before its first match, marked; None
    when no word of `text` is one of `terms`. Without ellipses: index.engine.ellipses adds
    them where the fragment was cut."""
    at = first_match(text, terms)
    if at is None:
        return None
    start, end = _window(text, at, limit)
    return mark(" ".join(text[start:end].split()), terms)


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
