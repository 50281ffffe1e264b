"""Exact phrases: the words in that order with nothing between them, stop words included.

A phrase's words are terms of the text fields and stop words marked as such
(index.ondisk.analysis.phrase_terms: "the refugees" → ["~the", "refug"]); positions count
every word, so "refugees troops" does not match "refugees of troops", and the stop words
are checked at their places in the stops field, so "state of emergency" does not match
"state emergency" and `"the refugees"` is not `refugees`. Folding and stemming apply as
everywhere. No phrase spans a line break (title, standfirst, paragraph).

Whoosh's position check reads the positions of the phrase's words in every document that
holds them all: for two common words ("police said") that was ~150,000 documents and over
a second at 200,000 articles. So the build indexes each two neighbouring common or stop
words in the `pairs` field (index.ondisk.pairs). A two-word phrase of such words is one
pair lookup (exact: pairs follow the same word sequence as positions). Any other phrase
narrows its candidates to the documents holding all its indexed pairs and all its less
common words, then checks positions in those documents only, words first and stop words
last (index.ondisk.postings), so its cost grows with its rarest part, not with "the".
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index.engine.cache import PostingsCache
from index.engine.setops import intersect
from index.ondisk.analysis import pair_terms, split_phrase_term
from index.ondisk.pairs import indexed_common
from index.ondisk.postings import consecutive_docs, segments
from index.ondisk.schema import CONTENT, PAIRS, STOPS

# Fields whose phrases keep their stop words (their positions are the content's: a title
# comes first in the content text).
EXACT_FIELDS = (CONTENT, "title")
_EMPTY = np.zeros(0, np.int64)


def phrase_docs(searcher: WhooshSearcher, q: wq.Phrase, cache: PostingsCache) -> np.ndarray:
    """Sorted doc numbers holding the phrase `q` (remembered per index generation)."""
    key = ("phrase", q.fieldname, tuple(q.words), q.slop)
    common = indexed_common(searcher.schema)
    return cache.remember(key, lambda: (_phrase_docs(searcher, q, cache, common), _EMPTY))[0]


def _phrase_docs(
    searcher: WhooshSearcher, q: wq.Phrase, cache: PostingsCache, common: frozenset[str]
) -> np.ndarray:
    words = [split_phrase_term(w) for w in q.words]
    if q.fieldname not in EXACT_FIELDS or q.slop != 1 or STOPS not in searcher.schema:
        # Another field, or "words"~N (near each other): Whoosh's own check, stop words out.
        plain = [w for w, stop in words if not stop]
        if not plain:
            return _EMPTY
        near = wq.Phrase(q.fieldname, plain, slop=q.slop) if len(plain) > 1 else None
        return _whoosh_docs(searcher, near or wq.Term(q.fieldname, plain[0]))
    candidates = _candidates(searcher, q.fieldname, words, cache, common)
    pairs = [p for p in pair_terms(words, common) if p is not None]
    if q.fieldname == CONTENT and len(words) == 2 and pairs:
        return candidates  # the pair is the phrase
    if q.fieldname == CONTENT and len(words) == 1:
        return candidates  # one word (a stop word: its list is the answer)
    return _verify(searcher, q.fieldname, words, candidates)


def _candidates(
    searcher: WhooshSearcher,
    fieldname: str,
    words: list[tuple[str, bool]],
    cache: PostingsCache,
    common: frozenset[str],
) -> np.ndarray:
    """The documents holding the phrase's indexed pairs and its less common words; when it
    has neither, all its words; when it has only stop words, all of those."""
    pairs = [p for p in pair_terms(words, common) if p is not None] if common else []
    unique = list(dict.fromkeys(words))
    rare = [w for w, stop in unique if not stop and w not in common]
    lists = [cache.get(PAIRS, p)[0] for p in pairs] + [cache.get(fieldname, w)[0] for w in rare]
    if not lists:
        lists = [cache.get(fieldname, w)[0] for w, stop in unique if not stop]
    if not lists:
        lists = [cache.get(STOPS, w)[0] for w, _ in unique]
    return _intersect(lists, searcher.doc_count_all())


def _intersect(sets: list[np.ndarray], size: int) -> np.ndarray:
    sets = sorted(sets, key=len)  # smallest first keeps every step cheap
    docs = sets[0]
    for other in sets[1:]:
        docs = intersect(docs, other, size)
    return docs


def _verify(
    searcher: WhooshSearcher,
    fieldname: str,
    words: list[tuple[str, bool]],
    candidates: np.ndarray,
) -> np.ndarray:
    """The candidates where `words` occur at consecutive positions of the field."""
    # A title phrase of stop words alone must end where the title does.
    first_line = fieldname != CONTENT and all(stop for _, stop in words)
    found: list[np.ndarray] = []
    for seg, offset in segments(searcher):
        reader = seg.reader()
        local = candidates[(candidates >= offset) & (candidates < offset + reader.doc_count_all())]
        if local.size:
            docs = consecutive_docs(reader, fieldname, words, local - offset, first_line=first_line)
            found.append(docs + offset)
    return np.concatenate(found) if found else _EMPTY


def _whoosh_docs(searcher: WhooshSearcher, q: wq.Query) -> np.ndarray:
    docs = np.fromiter(searcher.docs_for_query(q), np.int64)
    docs.sort()
    return docs
