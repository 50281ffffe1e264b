"""A segment's posting lists read back as whole arrays, for merging it into a new one.

Whoosh merges a segment by stepping through `iter_postings`, one posting per Python call
(~1,000 articles/s). Here each term's list is read with one call and decoded by numpy
(index.ondisk.blocks.decode_list), its documents renumbered (deleted ones dropped), and
every field's postings become one `PostingTable` for the bulk writer to join with its own.

Private Whoosh APIs (whoosh3 3.54, see index.ondisk): the segment reader's `_terms` and
its `_postfile`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from index.ondisk.blocks import decode_list
from index.ondisk.inversion import PostingTable, empty_table

_MAGIC = len(WHOOSH3_HEADER_MAGIC)


def doc_map(reader: Any, startdoc: int, docmap: dict[int, int] | None) -> np.ndarray:
    """Each old document number's new one (-1 for a deleted document)."""
    count = reader.doc_count_all()
    if docmap is None:
        return np.arange(startdoc, startdoc + count, dtype=np.int64)
    mapping = np.full(count, -1, np.int64)
    if docmap:
        mapping[np.fromiter(docmap.keys(), np.int64)] = np.fromiter(docmap.values(), np.int64)
    return mapping


def _posting_list(postfile: Any, terminfo: Any, values: bool) -> tuple[np.ndarray, ...]:
    if terminfo.is_inlined():
        ids, weights, vals = terminfo.inlined_postings()
        sizes = np.fromiter((len(v or b"") for v in vals), np.int64, len(vals))
        return (
            np.array(ids, np.int64),
            np.array(weights, np.float32),
            sizes,
            b"".join(v or b"" for v in vals),
        )
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # whoosh3's TermInfo.from_bytes leaves it a 1-tuple
        length = length[0]
    return decode_list(postfile.get(offset + _MAGIC, length - _MAGIC), values)


def segment_tables(reader: Any, schema: Any, mapping: np.ndarray) -> dict[str, PostingTable]:
    """Every indexed field of the segment `reader` as a table, documents renumbered by
    `mapping` (index.ondisk.inversion)."""
    terms = reader._terms  # noqa: SLF001 - the segment's W3TermsReader
    postfile = terms._postfile  # noqa: SLF001
    found: dict[str, dict[str, list]] = {}
    for (fieldname, text), terminfo in terms.items():
        if fieldname not in schema:
            continue
        values = schema[fieldname].format.fixed_value_size() != 0
        ids, weights, sizes, blob = _posting_list(postfile, terminfo, values)
        parts = found.setdefault(fieldname, {"terms": [], "lists": []})
        parts["terms"].append(text)
        parts["lists"].append((ids, weights, sizes, blob))
    return {
        name: _table(parts["terms"], parts["lists"], mapping, schema[name])
        for name, parts in found.items()
    }


def _table(texts: list[bytes], lists: list[tuple], mapping: np.ndarray, field: Any) -> PostingTable:
    values = field.format.fixed_value_size() != 0
    counts = np.fromiter((ids.size for ids, *_ in lists), np.int64, len(lists))
    term = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
    doc = mapping[np.concatenate([ids for ids, *_ in lists])]
    weight = np.concatenate([w for _, w, _, _ in lists]).astype(np.float32)
    live = doc >= 0
    if not live.any():
        return empty_table(values)
    table = PostingTable(texts, term, doc, weight, None, None)
    if values:
        table.vsize = np.concatenate([s for _, _, s, _ in lists])
        table.blob = np.frombuffer(b"".join(b for *_, b in lists), np.uint8)
    if not live.all():
        table = _without(table, live)
    return table


def _without(table: PostingTable, live: np.ndarray) -> PostingTable:
    """The table without the postings of deleted documents (and terms left with none)."""
    if table.vsize is not None:
        keep_bytes = np.repeat(live, table.vsize)
        table.blob = table.blob[keep_bytes]  # type: ignore[index]
        table.vsize = table.vsize[live]
    term = table.term[live]
    used = np.unique(term)
    renumber = np.full(len(table.terms), -1, np.int64)
    renumber[used] = np.arange(used.size)
    return PostingTable(
        [table.terms[i] for i in used.tolist()],
        renumber[term],
        table.doc[live],
        table.weight[live],
        table.vsize,
        table.blob,
    )
