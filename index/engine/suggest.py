"""“Did you mean”: replace query words the index does not know by close, frequent words.

The dictionary is the `spell` field (folded, unstemmed words of titles and standfirsts);
a word is corrected when its stem is absent from (or very rare in) the content and a word
one or two edits away is frequent. Candidates at distance 1 win over distance 2; among
equals the most frequent wins (Whoosh's ReaderCorrector ranks by frequency only).
"""

from __future__ import annotations

import re

from whoosh.reading import IndexReader

from index.ondisk.analysis import FoldStemFilter
from index.ondisk.schema import CONTENT

RARE = 1  # a word in at most this many documents may be a misspelling
MIN_FREQUENCY = 3  # a correction must be in at least this many documents
_WORD = re.compile(r"(?<![\w:])([^\W\d_][\w’']*)", re.UNICODE)
_FOLD = FoldStemFilter(stem=False, stops=())
_STEM = FoldStemFilter()
_OPERATORS = {"AND", "OR", "NOT"}


def _correct(word: str, reader: IndexReader) -> str | None:
    folded = _FOLD.term(word)
    stemmed = _STEM.term(word)
    if not stemmed or len(folded) < 3:
        return None
    if reader.doc_frequency(CONTENT, stemmed) > RARE:
        return None
    for distance in (1, 2):
        found = [
            (reader.doc_frequency("spell", cand), cand)
            for cand in reader.terms_within("spell", folded, distance, prefix=1)
            if cand != folded
        ]
        found = [fc for fc in found if fc[0] >= MIN_FREQUENCY]
        if found:
            return max(found, key=lambda fc: (fc[0], fc[1]))[1]
    return None


def suggest(text: str, reader: IndexReader) -> str | None:
    """The corrected query text, or None when every word is known (or nothing is close)."""
    changed = False

    def repl(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(1)
        if word in _OPERATORS or match.string.startswith(":", match.end()):
            return word  # an operator or a field name (title:…), not a word to correct
        fixed = _correct(word, reader)
        if fixed is None:
            return word
        changed = True
        return fixed

    corrected = _WORD.sub(repl, text)
    return corrected if changed else None
