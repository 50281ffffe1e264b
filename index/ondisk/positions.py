"""The word positions of chosen documents in one posting list, its blocks decoded together.

A phrase check reads the positions of a few thousand documents spread over every block of
a common word ("said": ~400 blocks at 200,000 articles). Decoding block by block cost
~150 µs a block in numpy calls on small arrays; here the loop over blocks only slices and
decompresses, and finding the documents, their values and the positions in them is done
once over all the blocks' arrays.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

from index.ondisk.blocks import LENGTH_TYPES, RawBlock, ids_and_weights, join_ids
from index.ondisk.formats import byte_ranges, decode_blob

_EMPTY = np.zeros(0, np.int64)


def chosen_positions(
    blocks: Iterable[RawBlock], docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The PackedPositions of those of `docs` (sorted doc numbers) in the posting list of
    `blocks`: (the docs found, positions per doc found, the positions joined). Only blocks
    holding one of `docs` are decompressed."""
    kept, asked = _blocks_asked(blocks, docs)
    if not kept:
        return _EMPTY, _EMPTY, _EMPTY
    deltas = [ids_and_weights(b.section_a, b.n, b.width, 0)[0] for b in kept]
    # Kept blocks follow each other in the list, so the running sum still gives the ids.
    ids = join_ids(deltas, [b.last_id for b in kept])
    at = np.searchsorted(ids, asked).clip(max=ids.size - 1)
    hit = ids[at] == asked
    if not hit.any():
        return _EMPTY, _EMPTY, _EMPTY
    sizes = np.array([b.n for b in kept], np.int64)
    used = np.zeros(len(kept), bool)
    used[np.repeat(np.arange(len(kept)), sizes)[at[hit]]] = True
    blob, value_sizes, value_starts = _values([kept[k] for k in np.flatnonzero(used).tolist()])
    # Rows of the hits among the used blocks' postings.
    row_of = np.full(sizes.sum(), -1, np.int64)
    row_of[np.repeat(used, sizes)] = np.arange(value_sizes.size)
    rows = row_of[at[hit]]
    found_sizes = value_sizes[rows]
    found_counts, positions = decode_blob(
        byte_ranges(blob, value_starts[rows], found_sizes), found_sizes
    )
    return asked[hit], found_counts, positions


def _blocks_asked(
    blocks: Iterable[RawBlock], docs: np.ndarray
) -> tuple[list[RawBlock], np.ndarray]:
    """The blocks with values whose id range holds one of `docs`, and those docs."""
    kept: list[RawBlock] = []
    wanted: list[np.ndarray] = []
    first = 0
    for block in blocks:
        if first >= docs.size:
            break
        stop = int(np.searchsorted(docs, block.last_id, side="right"))
        if stop > first and block.vkind:
            kept.append(block)
            wanted.append(docs[first:stop])
        first = stop
    return kept, np.concatenate(wanted) if wanted else _EMPTY


def _values(blocks: list[RawBlock]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The blocks' values sections decompressed and joined, and each value's size and start
    in them (after its block's lengths and the values before it in its block)."""
    sections, lengths, bases, headers = [], [], [], []
    base = 0
    for block in blocks:
        data = zlib.decompress(block.section_b) if block.flags & 2 else block.section_b
        sections.append(data)
        bases.append(base)
        if block.vkind == 1:  # fixed size, no lengths stored
            lengths.append(np.full(block.n, len(data) // block.n, np.int64))
            headers.append(0)
        else:
            kind = LENGTH_TYPES[block.vkind]
            lengths.append(np.frombuffer(data, kind, block.n).astype(np.int64))
            headers.append(block.n * kind.itemsize)
        base += len(data)
    sizes = np.concatenate(lengths)
    counts = np.array([b.n for b in blocks], np.int64)
    before = np.cumsum(sizes) - sizes  # over every block
    offset = (
        np.array(bases, np.int64) + np.array(headers, np.int64) - before[np.cumsum(counts) - counts]
    )
    return np.frombuffer(b"".join(sections), np.uint8), sizes, before + np.repeat(offset, counts)
