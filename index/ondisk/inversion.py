"""Inverting a segment's words into posting lists with numpy, all terms at once.

A field's postings are held as one `PostingTable`: parallel arrays (term, document,
weight, value size) over every posting of the field, sorted by term then document, with
the postings' values (encoded positions or frequencies) joined in one byte array. Tables
are made from the token ids the bulk writer collected (`from_tokens`, `from_pairs`), from
the few postings of untokenised fields (`from_postings`), or from a merged segment's lists
(index.ondisk.readback), and joined (`join`). The result is what Whoosh's own writer
would index, posting for posting (tests/test_index_codec.py checks it against stock
whoosh3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.ondisk.formats import encode_many

_KEY_BITS = 40  # a sort key is (term rank << 40) | token index


@dataclass
class PostingTable:
    """Every posting of one field, sorted by term then document."""

    terms: list[bytes]  # ascending, unique; `term` indexes it
    term: np.ndarray  # int64 per posting, non-decreasing
    doc: np.ndarray  # int64, ascending within a term
    weight: np.ndarray  # float32
    vsize: np.ndarray | None  # int64 byte size of each posting's value (None: no values)
    blob: np.ndarray | None  # uint8: the values joined, in posting order

    def __len__(self) -> int:
        return int(self.doc.size)


def empty_table(values: bool) -> PostingTable:
    none = np.zeros(0, np.int64)
    return PostingTable(
        [],
        none,
        none,
        np.zeros(0, np.float32),
        none if values else None,
        np.zeros(0, np.uint8) if values else None,
    )


def sort_terms(texts: list[bytes], used: np.ndarray) -> tuple[list[bytes], np.ndarray]:
    """The `used` ids' texts in ascending order, and each id's rank among them (-1 unused)."""
    ids = np.flatnonzero(used)
    order = sorted(ids.tolist(), key=texts.__getitem__)
    rank = np.full(len(texts), -1, np.int64)
    rank[np.array(order, np.int64)] = np.arange(len(order))
    return [texts[i] for i in order], rank


def _sorted_by_term(rank: np.ndarray) -> np.ndarray:
    """The stable order of items by `rank` (items are already in document order)."""
    keys = rank << _KEY_BITS
    keys |= np.arange(rank.size, dtype=np.int64)
    keys.sort()
    keys &= (1 << _KEY_BITS) - 1
    return keys


def from_tokens(
    texts: list[bytes],
    tids: np.ndarray,
    docs: np.ndarray,
    positions: np.ndarray,
    *,
    values: str,
    boost: float = 1.0,
) -> PostingTable:
    """Postings of tokens (term id, document, position; in document then position order).

    `values` is the field format's kind: "positions" (PackedPositions), "frequency"
    (Whoosh's Frequency: a big-endian u4) or "none" (Existence: weight = boost).
    """
    if not tids.size:
        return empty_table(values != "none")
    terms, rank = sort_terms(texts, np.bincount(tids, minlength=len(texts)) > 0)
    ranked = rank[tids]
    order = _sorted_by_term(ranked)
    term = ranked[order]
    del ranked
    doc = docs[order].astype(np.int64, copy=False)
    new = np.empty(term.size, bool)
    new[0] = True
    np.not_equal(term[1:], term[:-1], out=new[1:])
    new[1:] |= doc[1:] != doc[:-1]
    starts = np.flatnonzero(new)
    del new
    counts = np.diff(starts, append=term.size)
    term, doc = term[starts], doc[starts]
    if values == "none":
        return PostingTable(terms, term, doc, np.full(term.size, boost, np.float32), None, None)
    weight = (counts * boost).astype(np.float32)
    if values == "frequency":
        blob = counts.astype(">u4").view(np.uint8)
        return PostingTable(terms, term, doc, weight, np.full(term.size, 4, np.int64), blob)
    sizes, blob = encode_many(positions[order], counts)
    return PostingTable(terms, term, doc, weight, sizes, blob)


def from_postings(rows: list[tuple[bytes, int, float, bytes]], values: bool) -> PostingTable:
    """A table of (term, document, weight, value) rows in document order."""
    if not rows:
        return empty_table(values)
    texts = list(dict.fromkeys(r[0] for r in rows))
    index = {t: i for i, t in enumerate(texts)}
    tids = np.fromiter((index[r[0]] for r in rows), np.int64, len(rows))
    terms, rank = sort_terms(texts, np.ones(len(texts), bool))
    order = _sorted_by_term(rank[tids])
    table = PostingTable(
        terms,
        rank[tids][order],
        np.fromiter((r[1] for r in rows), np.int64, len(rows))[order],
        np.fromiter((r[2] for r in rows), np.float32, len(rows))[order],
        None,
        None,
    )
    if values:
        vals = [rows[i][3] for i in order.tolist()]
        table.vsize = np.fromiter(map(len, vals), np.int64, len(vals))
        table.blob = np.frombuffer(b"".join(vals), np.uint8)
    return table


def join(tables: list[PostingTable]) -> PostingTable:
    """One table of several whose documents do not overlap, in document-range order."""
    tables = [t for t in tables if len(t)]
    if len(tables) <= 1:
        return tables[0] if tables else empty_table(False)
    texts = list(dict.fromkeys(t for table in tables for t in table.terms))
    index = {t: i for i, t in enumerate(texts)}
    terms, rank = sort_terms(texts, np.ones(len(texts), bool))
    ranks = [rank[np.array([index[t] for t in table.terms], np.int64)] for table in tables]
    term = np.concatenate([r[table.term] for r, table in zip(ranks, tables, strict=True)])
    order = _sorted_by_term(term)
    joined = PostingTable(
        terms,
        term[order],
        np.concatenate([t.doc for t in tables])[order],
        np.concatenate([t.weight for t in tables])[order],
        None,
        None,
    )
    if tables[0].vsize is not None:
        sizes = np.concatenate([t.vsize for t in tables])  # type: ignore[misc]
        blob = np.concatenate([t.blob for t in tables])  # type: ignore[misc]
        joined.vsize, joined.blob = sizes[order], gather(blob, sizes, order)
    return joined


def gather(blob: np.ndarray, sizes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The values (joined in `blob`, `sizes` bytes each) rejoined in `order`: one copy per
    run of values that stay neighbours."""
    if not order.size:
        return blob[:0]
    starts = np.cumsum(sizes) - sizes
    breaks = np.flatnonzero(np.diff(order) != 1) + 1
    first = np.concatenate([[0], breaks])
    last = np.concatenate([breaks, [order.size]]) - 1
    lo = starts[order[first]]
    hi = starts[order[last]] + sizes[order[last]]
    return np.concatenate([blob[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])


def token_pairs(
    tids: np.ndarray,
    docs: np.ndarray,
    positions: np.ndarray,
    pairable: np.ndarray,
    stop: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(first word's id, second word's id, document) of every two neighbouring tokens that
    the pairs field joins: both pairable, not both stop words, in consecutive positions of
    one document."""
    a, b = tids[:-1], tids[1:]
    keep = (docs[:-1] == docs[1:]) & (positions[1:] == positions[:-1] + 1)
    keep &= pairable[a] & pairable[b] & ~(stop[a] & stop[b])
    at = np.flatnonzero(keep)
    return np.stack([a[at], b[at]]), docs[at]


def from_pairs(
    texts: list[bytes], pairs: np.ndarray, docs: np.ndarray, separator: bytes
) -> PostingTable:
    """Existence postings of word pairs (two rows of term ids) per document."""
    if not docs.size:
        return empty_table(False)
    width = np.int64(len(texts))
    codes = pairs[0].astype(np.int64) * width + pairs[1]
    unique, inverse = np.unique(codes, return_inverse=True)
    pair_texts = [
        texts[c // len(texts)] + separator + texts[c % len(texts)] for c in unique.tolist()
    ]
    table = from_tokens(pair_texts, inverse.astype(np.int64), docs, docs, values="none")
    return table
