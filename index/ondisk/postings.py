"""Posting lists read whole: a term's documents and frequencies, a phrase's positions.

Reads go through index.ondisk.codec's ArrayLeafMatcher (packed blocks decoded by numpy). Whoosh
wraps a segment's matcher in a FilterMatcher when the segment has deletions; its private
`child` is unwrapped here, because callers mask deleted documents out themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from index.ondisk.codec import ArrayLeafMatcher
from index.ondisk.formats import PackedPositions


def segments(searcher: WhooshSearcher) -> list[tuple[WhooshSearcher, int]]:
    """(segment searcher, offset of its first global doc number) for every segment."""
    return searcher.subsearchers or [(searcher, 0)]


def _leaf(m: Any) -> Any:
    return m.child if isinstance(m, FilterMatcher) else m


def postings(searcher: WhooshSearcher, fieldname: str, text: str) -> tuple[np.ndarray, ...]:
    """(doc numbers, term frequencies) of one term, whole blocks at a time."""
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    for seg, offset in segments(searcher):
        reader = seg.reader()
        if (fieldname, text) not in reader:
            continue
        m = _leaf(reader.postings(fieldname, text))
        if isinstance(m, ArrayLeafMatcher):
            list_ids, list_tfs = m.all_arrays()
            list_ids += offset
            ids.append(list_ids)
            tfs.append(list_tfs)
            continue
        # Postings of another codec: one at a time (slow but right).
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


def consecutive_docs(
    reader: IndexReader, fieldname: str, words: list[str], docs: np.ndarray
) -> np.ndarray:
    """Those of `docs` (sorted doc numbers of this segment's `reader`) where `words` sit at
    consecutive positions of `fieldname`."""
    if not docs.size or any((fieldname, w) not in reader for w in words):
        return np.zeros(0, np.int64)
    matchers = [_leaf(reader.postings(fieldname, w)) for w in words]
    fmt = reader.schema[fieldname].format
    if isinstance(fmt, PackedPositions) and all(isinstance(m, ArrayLeafMatcher) for m in matchers):
        # Each word's positions in the candidates only, a posting list read at once.
        return _consecutive_keys([m.values_for(docs) for m in matchers], fmt)
    return np.array([d for d in docs.tolist() if _consecutive(matchers, d)], np.int64)


def _consecutive_keys(values: list[dict[int, bytes]], fmt: PackedPositions) -> np.ndarray:
    """The documents where word k sits at position p + k for some p: every (document,
    p) that word k allows, as one int64 key each, intersected across the words."""
    keys: np.ndarray | None = None
    for k, by_doc in enumerate(values):
        docs = np.fromiter(by_doc, np.int64, len(by_doc))
        counts, positions = fmt.decode_many(list(by_doc.values()))
        starts = positions - k
        ok = starts >= 0  # a phrase cannot start before the text does
        word_keys = np.unique((np.repeat(docs, counts)[ok] << 32) + starts[ok])
        keys = word_keys if keys is None else np.intersect1d(keys, word_keys, assume_unique=True)
        if not keys.size:
            break
    return np.zeros(0, np.int64) if keys is None else np.unique(keys >> 32)


def _consecutive(matchers: list[Any], doc: int) -> bool:
    """Whether word k sits at position p + k in `doc` for some p (matchers move forward)."""
    starts: set[int] | None = None
    for k, m in enumerate(matchers):
        if m.is_active() and m.id() < doc:
            m.skip_to(doc)
        if not m.is_active() or m.id() != doc:
            return False
        shifted = {p - k for p in m.value_as("positions")}
        starts = shifted if starts is None else starts & shifted
        if not starts:
            return False
    return True
