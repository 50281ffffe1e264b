"""BM25F relevance over the exact match set, computed with numpy.

Whoosh's collector scores one posting at a time through its matcher tree (most of a
query's time at scale). Here each query word's postings (doc numbers and term
frequencies) are read as whole arrays (index.codec) for the content, title and standfirst
fields and combined as BM25F: per-field length-normalised frequencies, weighted
(title > standfirst > body), summed, saturated once, times the word's IDF.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher as WhooshSearcher

from index.codec import ArrayLeafMatcher
from index.columns import BYTE_TO_LENGTH
from index.columns import numbers as column_numbers
from index.schema import CONTENT, STANDFIRST_BOOST, TITLE_BOOST

K1, B = 1.2, 0.75
# Score match sets smaller than 1/SPARSE_SHARE of the index document by document.
SPARSE_SHARE = 16
FIELDS = {CONTENT: 1.0, "title": TITLE_BOOST, "standfirst": STANDFIRST_BOOST}


def _segments(searcher: WhooshSearcher) -> list[tuple[WhooshSearcher, int]]:
    return searcher.subsearchers or [(searcher, 0)]


def field_lengths(searcher: WhooshSearcher, fieldname: str) -> np.ndarray:
    """The indexed length (in words) of `fieldname` for every document."""
    # Whoosh stores each length as one byte (a lossy log scale), as its own scorer reads it.
    codes = column_numbers(searcher.reader(), f"_{fieldname}_len", LENGTHS_COLUMN)
    return BYTE_TO_LENGTH[codes.astype(np.uint8)]


class PostingsCache:
    """Recently read postings of one searcher generation, bounded by total postings held.

    Popular words recur across queries, and each query reads its words twice (matching,
    then ranking); decoding blocks is the expensive part. Phrase match
    sets (Whoosh's slowest matcher) are kept here too.
    """

    def __init__(self, searcher: WhooshSearcher, limit: int = 4_000_000) -> None:
        self.searcher = searcher
        self.limit = limit
        self._held = 0
        self._entries: OrderedDict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )

    def clear(self) -> None:
        self._entries.clear()
        self._held = 0

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(doc numbers, frequencies) of one term."""
        return self.remember((fieldname, text), lambda: postings(self.searcher, fieldname, text))

    def remember(
        self, key: tuple[object, ...], compute: Callable[[], tuple[np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The cached value for `key`, computing and keeping it when absent."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        found = compute()
        self._entries[key] = found
        self._held += found[0].size
        while self._held > self.limit and len(self._entries) > 1:
            _, (ids, _) = self._entries.popitem(last=False)
            self._held -= ids.size
        return found


def postings(searcher: WhooshSearcher, fieldname: str, text: str) -> tuple[np.ndarray, ...]:
    """(doc numbers, term frequencies) of one term, whole blocks at a time."""
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    for seg, offset in _segments(searcher):
        reader = seg.reader()
        if (fieldname, text) not in reader:
            continue
        m = reader.postings(fieldname, text)
        if isinstance(m, FilterMatcher):
            m = m.child  # deleted documents are never in the match set being ranked
        if isinstance(m, ArrayLeafMatcher):
            list_ids, list_tfs = m.all_arrays()
            list_ids += offset
            ids.append(list_ids)
            tfs.append(list_tfs)
            continue
        # Postings of an index built before index.codec: one at a time (slow but right).
        docs, weights = [], []
        while m.is_active():
            docs.append(m.id())
            weights.append(m.weight())
            m.next()
        ids.append(np.array(docs, np.int64) + offset)
        tfs.append(np.array(weights, np.float32))
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(ids), np.concatenate(tfs)


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

    def scores(self, terms: list[str], docs: np.ndarray | None = None) -> np.ndarray:
        """BM25F scores for the query words `terms` (analysed): of every document, or of
        `docs` (sorted doc numbers), in their order.

        A small `docs` is scored on its own (each document looked up in each posting list,
        never an array as long as the index); a large one through index-long arrays.
        """
        sparse = docs is not None and docs.size * SPARSE_SHARE < self.size
        n = docs.size if sparse else self.size
        total = np.zeros(n, np.float32)
        reader = self.searcher.reader()
        for term in terms:
            df = reader.doc_frequency(CONTENT, term)
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

    def top(self, docs: np.ndarray, terms: list[str], start: int, stop: int) -> list[int]:
        """The doc numbers at ranks start..stop of `docs`, best first (ties: lower docnum)."""
        if not docs.size:
            return []
        return top_pages(docs, -self.scores(terms, docs), start, stop)


def top_pages(docs: np.ndarray, keys: np.ndarray, start: int, stop: int) -> list[int]:
    """`docs[start:stop]` in ascending `keys` order (ties: lower doc number first).

    Only the best `stop` are sorted: everything up to the stop-th key (ties included, so
    pages never overlap or skip), found with a linear-time partition.
    """
    stop = min(stop, docs.size)
    if start >= stop:
        return []
    kth = np.partition(keys, stop - 1)[stop - 1]
    keep = np.flatnonzero(keys <= kth)
    order = keep[np.lexsort((docs[keep], keys[keep]))]
    return docs[order[start:stop]].tolist()
