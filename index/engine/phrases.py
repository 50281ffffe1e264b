"""Phrase matching that stays fast when the phrase's words are everywhere.

Whoosh checks a phrase by reading the positions of its words in every document that holds
them all: for two common words ("police said") that was ~150,000 documents and over a
second at 200,000 articles. So the build picks the index's common words (`common_words`)
and indexes each pair of consecutive common words in the `pairs` field (index.ondisk.pairs).

A two-word phrase of common words is then one pair lookup (exact: pairs follow the same
stop-word-free word sequence as positions). Any other phrase narrows its candidates to
the documents holding all its common pairs and all its less common words and checks
positions in those documents only (index.ondisk.postings), so the answer is always exactly Whoosh's
phrase semantics; its cost grows with its rarest part, not with its most common word.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index.engine.cache import PostingsCache
from index.engine.setops import intersect
from index.ondisk.analysis import pair_terms
from index.ondisk.pairs import indexed_common
from index.ondisk.postings import consecutive_docs, segments
from index.ondisk.schema import CONTENT, PAIRS


def phrase_docs(searcher: WhooshSearcher, q: wq.Phrase, cache: PostingsCache) -> np.ndarray:
    """Sorted doc numbers holding the phrase `q` (remembered per index generation)."""
    key = ("phrase", q.fieldname, tuple(q.words), q.slop)
    common = indexed_common(searcher.schema)
    return cache.remember(key, lambda: (_phrase_docs(searcher, q, cache, common), _EMPTY))[0]


_EMPTY = np.zeros(0, np.int64)


def _phrase_docs(
    searcher: WhooshSearcher, q: wq.Phrase, cache: PostingsCache, common: frozenset[str]
) -> np.ndarray:
    words = list(q.words)
    if q.fieldname != CONTENT or q.slop != 1 or len(words) < 2 or not common:
        return _whoosh_docs(searcher, q)
    pairs = [
        p
        for p, (a, b) in zip(pair_terms(words), pairwise(words), strict=True)
        if a in common and b in common
    ]
    rare = [w for w in dict.fromkeys(words) if w not in common]
    lists = [cache.get(PAIRS, p)[0] for p in pairs] + [cache.get(CONTENT, w)[0] for w in rare]
    candidates = _intersect(lists, searcher.doc_count_all())
    if len(words) == 2 and pairs:
        return candidates  # the pair is the phrase
    return _verify(searcher, words, candidates)


def _intersect(sets: list[np.ndarray], size: int) -> np.ndarray:
    sets = sorted(sets, key=len)  # smallest first keeps every step cheap
    docs = sets[0]
    for other in sets[1:]:
        docs = intersect(docs, other, size)
    return docs


def _verify(searcher: WhooshSearcher, words: list[str], candidates: np.ndarray) -> np.ndarray:
    """The candidates where `words` occur at consecutive positions of the body text."""
    found: list[np.ndarray] = []
    for seg, offset in segments(searcher):
        reader = seg.reader()
        local = candidates[(candidates >= offset) & (candidates < offset + reader.doc_count_all())]
        found.append(consecutive_docs(reader, CONTENT, words, local - offset) + offset)
    return np.concatenate(found) if found else _EMPTY


def _whoosh_docs(searcher: WhooshSearcher, q: wq.Query) -> np.ndarray:
    docs = np.fromiter(searcher.docs_for_query(q), np.int64)
    docs.sort()
    return docs
