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

from index.ondisk.analysis import LINE_BREAK
from index.ondisk.codec import ArrayLeafMatcher
from index.ondisk.formats import PackedPositions
from index.ondisk.schema import STOPS

_EMPTY = np.zeros(0, np.int64)


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
        return _EMPTY, np.zeros(0, np.float32)
    return np.concatenate(ids), np.concatenate(tfs)


def term_positions(
    reader: IndexReader, fieldname: str, word: str, docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(those of `docs` holding the term, positions per doc found, the positions joined),
    for sorted doc numbers `docs` of this segment's `reader`."""
    if not docs.size or (fieldname, word) not in reader:
        return _EMPTY, _EMPTY, _EMPTY
    m = _leaf(reader.postings(fieldname, word))
    if isinstance(m, ArrayLeafMatcher) and isinstance(
        reader.schema[fieldname].format, PackedPositions
    ):
        return m.positions_for(docs)
    found, counts, positions = [], [], []
    for doc in docs.tolist():  # another codec or format: one posting at a time
        if m.is_active() and m.id() < doc:
            m.skip_to(doc)
        if m.is_active() and m.id() == doc:
            got = m.value_as("positions")
            found.append(doc)
            counts.append(len(got))
            positions.extend(got)
    return np.array(found, np.int64), np.array(counts, np.int64), np.array(positions, np.int64)


def _in(keys: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Which of `keys` are in `others` (both sorted)."""
    if not others.size:
        return np.zeros(keys.size, bool)
    at = np.searchsorted(others, keys).clip(max=others.size - 1)
    return others[at] == keys


def _unique_sorted(values: np.ndarray) -> np.ndarray:
    return values[np.diff(values, prepend=-1) != 0] if values.size else values


def consecutive_docs(
    reader: IndexReader,
    fieldname: str,
    words: list[tuple[str, bool]],
    docs: np.ndarray,
    *,
    first_line: bool = False,
) -> np.ndarray:
    """Those of `docs` (sorted doc numbers of this segment's `reader`) where `words`
    (word, is stop word) sit at consecutive positions: words of `fieldname`, stop words
    from the stops field (the positions of the whole text, which a title starts). With
    `first_line`, only where the phrase ends before the text's first line break."""
    keys: np.ndarray | None = None
    # Words first (their lists are short), stop words last and only where still possible.
    for k in sorted(range(len(words)), key=lambda i: words[i][1]):
        word, stop = words[k]
        found, counts, positions = term_positions(reader, STOPS if stop else fieldname, word, docs)
        starts = positions - k
        ok = starts >= 0  # a phrase cannot start before the text does
        word_keys = (np.repeat(found, counts)[ok] << 32) + starts[ok]  # ascending
        keys = word_keys if keys is None else keys[_in(keys, word_keys)]
        docs = _unique_sorted(keys >> 32)
        if not keys.size:
            return _EMPTY
    if keys is None:
        return _EMPTY
    if first_line:
        found, counts, positions = term_positions(reader, STOPS, LINE_BREAK, docs)
        limit = np.full(keys.size, np.iinfo(np.int64).max)
        at = np.searchsorted(found, keys >> 32)
        has = (at < found.size) & (found[at.clip(max=max(found.size - 1, 0))] == keys >> 32)
        firsts = positions[np.cumsum(counts) - counts] if found.size else _EMPTY
        limit[has] = firsts[at[has]]
        keys = keys[(keys & 0xFFFFFFFF) + len(words) <= limit]
    return _unique_sorted(keys >> 32)
