"""Marking searched words in a whole text (the article page opened from a search).

The same analysis as the index (folding, stemming), so `elections` marks "election" and
`Whangarei` marks "Whangārei"; the result is escaped HTML where only <mark> is markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from index.ondisk.analysis import text_analyzer

_ANALYZER = text_analyzer()


def mark_words(text: str, terms: Iterable[str]) -> Markup:
    """`text`, escaped, with each word whose analysed form is one of `terms` in <mark>."""
    termset = frozenset(terms)
    if not termset:
        return escape(text)
    parts: list[str] = []
    done = 0
    for token in _ANALYZER(text, chars=True):
        if token.text in termset:
            parts += [escape(text[done : token.startchar]), Markup("<mark>")]
            parts += [escape(text[token.startchar : token.endchar]), Markup("</mark>")]
            done = token.endchar
    parts.append(escape(text[done:]))
    return Markup("").join(parts)
