"""The full set of documents a query matches, as a sorted numpy array of doc numbers.

Counting every match (exact totals and facets) is where Whoosh spends its time: its
matchers step through postings one document at a time in Python. Here a term's postings
are read as whole numpy arrays (index.engine.ranking.PostingsCache) and AND / OR / NOT are
linear-time set operations (index.engine.setops); phrases are index.engine.phrases' job; anything
else falls back to Whoosh's own matcher. Deleted documents may be included: callers mask
them out with the live-document array.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index.engine.cache import PostingsCache
from index.engine.phrases import phrase_docs
from index.engine.setops import difference, intersect, union

_EMPTY = np.zeros(0, np.int64)


def _all_docs(searcher: WhooshSearcher) -> np.ndarray:
    return np.arange(searcher.doc_count_all(), dtype=np.int64)


def query_docs(searcher: WhooshSearcher, q: wq.Query, cache: PostingsCache) -> np.ndarray:
    """Sorted, unique doc numbers matching `q` (possibly including deleted documents)."""
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return _EMPTY
    if isinstance(q, wq.Term):
        return cache.get(q.fieldname, q.text)[0]
    if isinstance(q, wq.Every):
        return _all_docs(searcher)
    size = searcher.doc_count_all()
    if isinstance(q, wq.Not):
        return difference(_all_docs(searcher), query_docs(searcher, q.query, cache), size)
    if isinstance(q, wq.And):
        positive = [s for s in q.subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in q.subqueries if isinstance(s, wq.Not)]
        if positive:
            # Smallest sets first keeps the intersections cheap.
            sets = sorted((query_docs(searcher, s, cache) for s in positive), key=len)
            docs = sets[0]
            for other in sets[1:]:
                docs = intersect(docs, other, size)
        else:
            docs = _all_docs(searcher)
        for neg in negative:
            docs = difference(docs, query_docs(searcher, neg, cache), size)
        return docs
    if isinstance(q, wq.Or) and not isinstance(q, wq.DisjunctionMax):
        parts = [query_docs(searcher, s, cache) for s in q.subqueries]
        return union(parts, size)
    if isinstance(q, wq.Phrase):
        return phrase_docs(searcher, q, cache)
    return _whoosh_docs(searcher, q)


def _whoosh_docs(searcher: WhooshSearcher, q: wq.Query) -> np.ndarray:
    docs = np.fromiter(searcher.docs_for_query(q), np.int64)
    docs.sort()
    return docs
