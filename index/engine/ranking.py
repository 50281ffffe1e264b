"""BM25F relevance over the exact match set, computed with numpy.

Whoosh's collector scores one posting at a time through its matcher tree (most of a
query's time at scale). Here each query word's postings (doc numbers and term
frequencies) are read as whole arrays (index.ondisk.postings) for the content, title and standfirst
fields and combined as BM25F: per-field length-normalised frequencies, weighted
(title > standfirst > body), summed, saturated once, times the word's IDF.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh.searching import Searcher as WhooshSearcher

from index.engine.cache import PostingsCache
from index.ondisk.columns import field_lengths
from index.ondisk.schema import CONTENT, STANDFIRST_BOOST, TITLE_BOOST

K1, B = 1.2, 0.75
# Score match sets smaller than 1/SPARSE_SHARE of the index document by document.
SPARSE_SHARE = 16
FIELDS = {CONTENT: 1.0, "title": TITLE_BOOST, "standfirst": STANDFIRST_BOOST}


class Ranker:
    """BM25F over one searcher generation (field lengths are read once)."""

    def __init__(self, searcher: WhooshSearcher, cache: PostingsCache) -> None:
        reader = searcher.reader()
        self.searcher = searcher
        self.cache = cache
        self.size = reader.doc_count_all()
        self.docs = max(1, reader.doc_count())
        # Per field and document: the field's weight over its length normalisation, so a
        # posting's contribution is one multiplication.
        self.scale = {}
        for field, weight in FIELDS.items():
            lengths = field_lengths(searcher, field)
            average = max(reader.field_length(field) / max(1, self.size), 1e-6)
            self.scale[field] = (weight / (1 - B + B * lengths / average)).astype(np.float32)

    def scores(
        self,
        terms: list[str],
        docs: np.ndarray | None = None,
        frequencies: dict[str, int] | None = None,
    ) -> np.ndarray:
        """BM25F scores for the query words `terms` (analysed): of every document, or of
        `docs` (sorted doc numbers), in their order. `frequencies`: content document
        frequencies already looked up (each lookup in Whoosh's dictionary costs ~50 µs).

        A small `docs` is scored on its own (each document looked up in each posting list,
        never an array as long as the index); a large one through index-long arrays.
        """
        sparse = docs is not None and docs.size * SPARSE_SHARE < self.size
        n = docs.size if sparse else self.size
        total = np.zeros(n, np.float32)
        reader = self.searcher.reader()
        known = frequencies or {}
        for term in terms:
            df = known[term] if term in known else reader.doc_frequency(CONTENT, term)
            if not df:
                continue
            idf = math.log(1 + (self.docs - df + 0.5) / (df + 0.5))
            tf = np.zeros(n, np.float32)
            for field in FIELDS:
                ids, freqs = self.cache.get(field, term)
                if not ids.size:
                    continue
                if sparse:
                    at = np.searchsorted(ids, docs).clip(max=ids.size - 1)
                    hit = ids[at] == docs
                    tf[hit] += freqs[at[hit]] * self.scale[field][docs[hit]]
                else:
                    tf[ids] += freqs * self.scale[field][ids]
            total += idf * tf / (K1 + tf)
        return total if docs is None or sparse else total[docs]

    def top(
        self,
        docs: np.ndarray,
        terms: list[str],
        start: int,
        stop: int,
        frequencies: dict[str, int] | None = None,
    ) -> list[int]:
        """The doc numbers at ranks start..stop of `docs`, best first (ties: lower docnum)."""
        if not docs.size:
            return []
        return top_pages(docs, -self.scores(terms, docs, frequencies), start, stop)


def ordered(
    docs: np.ndarray,
    terms: list[str],
    ranker: Ranker | None,
    published: np.ndarray,
    sort: str,
    start: int,
    stop: int,
) -> np.ndarray:
    """Positions start..stop of `docs` in `sort` order: by BM25F when a `ranker` is given
    (relevance with query words), else newest first unless `sort` is "oldest"."""
    if start >= docs.size:
        return np.zeros(0, np.int64)
    if ranker is not None:
        keys = -ranker.scores(terms, docs)
    else:
        keys = published[docs] if sort == "oldest" else -published[docs]
    return np.asarray(top_pages(docs, keys, start, stop), np.int64)


def top_pages(docs: np.ndarray, keys: np.ndarray, start: int, stop: int) -> list[int]:
    """`docs[start:stop]` in ascending `keys` order (ties: lower doc number first).

    Nothing is sorted but the page: a linear-time partition finds the key at position
    `stop - 1`, a second one among the `stop` keys before it the key at `start` (one
    partition with both positions costs several times more), and only the documents between
    those keys (the page, plus any ties at its edges) are sorted, so the last page costs
    what the first does.
    """
    stop = min(stop, docs.size)
    if start >= stop:
        return []
    first = np.partition(keys, stop - 1)[:stop]  # the `stop` smallest keys, the last largest
    high = first[-1]
    low = np.partition(first, start)[start] if start else first.min()
    before = int(np.count_nonzero(keys < low))  # all of these rank above the page
    keep = np.flatnonzero((keys >= low) & (keys <= high))
    order = keep[np.lexsort((docs[keep], keys[keep]))]
    return docs[order[start - before : stop - before]].tolist()
