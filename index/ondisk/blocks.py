"""The packed posting block: its layout, encoding one, and decoding many with numpy.

whoosh3 writes each block of postings as a zlib-compressed pickle of (id deltas, weights,
values); decoding that pickle was most of a query's time at 200,000 articles. A block here
keeps whoosh3's framing (a signed size, then the pickled block info its matcher skips
with: count, last id, max weight, 0, min and max length bytes) and packs the payload:

    header   <BBBBII   id width (1/2/4 bytes), weight kind, values kind, flags,
                       len(section A), len(section B)
    A        id deltas as little-endian unsigned ints (a block's first from 0), then
             weights (absent when all 1.0; u1/u2 when integral; else f4); uncompressed
             (read zlib'd if flags & 1)
    B        values (word positions): their lengths (u1/u2/u4), then the bytes back to
             back; zlib-compressed when flags & 2 (and the format allows it: see
             index.ondisk.formats)

so ids and weights decode with `numpy.frombuffer` and a cumulative sum, without touching
the positions.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from io import BytesIO
from pickle import load
from typing import NamedTuple

import numpy as np

BLOCK_LIMIT = 512  # postings per block (whoosh3: 128); numpy decoding favours fewer, larger
COMPRESS_MIN = 64  # smaller sections grow under zlib
ZLIB_LEVEL = 3
# Values stay compressed only when zlib saves at least this share: the positions of very
# common words ("said") barely shrink (to ~0.86), and decompressing them took ~18 ms of
# a phrase check at 200,000 articles, for ~0.5 % of the index.
COMPRESS_SAVING = 0.2
HEADER = struct.Struct("<BBBBII")
BLOCK_SIZE = struct.Struct("!i")  # whoosh3's block length prefix (StructFile.write_int)
_ID_TYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
# Weight kinds: 0 = all 1.0 (nothing stored), 1 = u1 integers, 2 = u2 integers, 3 = f4.
_WEIGHT_TYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 3: np.dtype("<f4")}
# Value kinds: 0 = none, 1 = fixed size (no lengths), 3 = u1, 2 = u2, 4 = u4 lengths.
LENGTH_TYPES = {2: np.dtype("<u2"), 3: np.dtype("<u1"), 4: np.dtype("<u4")}
_EMPTY = np.zeros(0, np.int64)

# A block's (or posting list's) values: each posting's byte length, and the bytes joined.
Values = tuple[np.ndarray, bytes]


def _id_width(max_delta: int) -> int:
    return 1 if max_delta < 1 << 8 else 2 if max_delta < 1 << 16 else 4


def encode_block(
    ids: np.ndarray,
    weights: np.ndarray,
    values: Values | None,
    fixedsize: int | None,
    compress: bool = True,
) -> bytes:
    """One block's payload (header, A, B); `ids` ascending."""
    deltas = np.diff(ids, prepend=0)
    width = _id_width(int(deltas.max()))
    section_a = deltas.astype(_ID_TYPES[width]).tobytes()
    if (weights == 1.0).all():
        wkind = 0
    else:
        integral = bool((weights == np.round(weights)).all()) and weights.min() >= 0
        top = weights.max()
        wkind = 1 if integral and top < 1 << 8 else 2 if integral and top < 1 << 16 else 3
        section_a += weights.astype(_WEIGHT_TYPES[wkind]).tobytes()
    if values is None or fixedsize == 0:
        vkind, section_b = 0, b""
    elif fixedsize is not None and fixedsize > 0:
        vkind, section_b = 1, values[1]
    else:
        lengths, blob = values
        top = lengths.max()
        vkind = 3 if top < 1 << 8 else 2 if top < 1 << 16 else 4
        section_b = lengths.astype(LENGTH_TYPES[vkind]).tobytes() + blob
    # Ids and weights stay uncompressed (flag 1 unset): zlib took a third of decoding them
    # and saved ~0.7 bytes a posting. Positions, rarely read, are compressed.
    section_b, flags = pack_values(section_b) if compress else (section_b, 0)
    header = HEADER.pack(width, wkind, vkind, flags, len(section_a), len(section_b))
    return header + section_a + section_b


def pack_values(section: bytes) -> tuple[bytes, int]:
    """A block's values section as stored, and its flags: zlib'd (flag 2) when that pays."""
    if len(section) >= COMPRESS_MIN:
        packed = zlib.compress(section, ZLIB_LEVEL)
        if len(packed) <= len(section) * (1 - COMPRESS_SAVING):
            return packed, 2
    return section, 0


class RawBlock(NamedTuple):
    n: int
    last_id: int
    width: int
    wkind: int
    vkind: int
    flags: int
    section_a: bytes  # decompressed
    section_b: bytes  # as stored


def parse_data(raw: bytes, offset: int = 0) -> tuple[int, int, int, int, bytes, bytes]:
    """A block payload's (width, weight kind, values kind, flags, section A, section B)."""
    width, wkind, vkind, flags, len_a, len_b = HEADER.unpack_from(raw, offset)
    start = offset + HEADER.size
    section_a = raw[start : start + len_a]
    if flags & 1:
        section_a = zlib.decompress(section_a)
    return width, wkind, vkind, flags, section_a, raw[start + len_a : start + len_a + len_b]


def iter_blocks(raw: bytes) -> Iterator[RawBlock]:
    """Every block of a posting list's bytes (after its magic)."""
    stream = BytesIO(raw)
    pos = 0
    while pos < len(raw):
        (size,) = BLOCK_SIZE.unpack_from(raw, pos)
        stream.seek(pos + BLOCK_SIZE.size)
        n, last_id = load(stream)[:2]  # whoosh3's block info: (count, last id, ...)
        yield RawBlock(n, last_id, *parse_data(raw, stream.tell()))
        pos += BLOCK_SIZE.size + abs(size)
        if size < 0:  # whoosh3 marks the last block with a negative size
            break


def ids_and_weights(
    section_a: bytes, n: int, width: int, wkind: int
) -> tuple[np.ndarray, np.ndarray]:
    """A block's id deltas (as stored) and weights (ones when none are stored)."""
    deltas = np.frombuffer(section_a, _ID_TYPES[width], n)
    if not wkind:
        return deltas, np.ones(n, np.float32)
    return deltas, np.frombuffer(section_a, _WEIGHT_TYPES[wkind], n, n * width)


def block_values(section_b: bytes, n: int, vkind: int, flags: int) -> tuple[bytes, np.ndarray]:
    """A block's values section (decompressed) and each posting's value's end offset in it
    (each starts where the previous one ends; the first after the lengths)."""
    if flags & 2:
        section_b = zlib.decompress(section_b)
    if vkind == 1:  # fixed size, no lengths stored
        size = len(section_b) // n
        return section_b, np.arange(1, n + 1, dtype=np.int64) * size
    kind = LENGTH_TYPES[vkind]
    lengths = np.frombuffer(section_b, kind, n).astype(np.int64)
    return section_b, np.cumsum(lengths) + n * kind.itemsize


def value_starts(ends: np.ndarray, n: int, vkind: int) -> np.ndarray:
    """Each value's start offset, from block_values' ends."""
    first = 0 if vkind == 1 else n * LENGTH_TYPES[vkind].itemsize
    return np.concatenate([[first], ends[:-1]]).astype(np.int64)


def join_ids(deltas: list[np.ndarray], last_ids: list[int]) -> np.ndarray:
    """Doc numbers from the blocks' id deltas (each block's first delta counts from 0)."""
    if not deltas:
        return _EMPTY
    joined = np.concatenate(deltas).astype(np.int64)
    starts = np.cumsum([0, *map(len, deltas[:-1])])
    joined[starts[1:]] -= np.array(last_ids[:-1], np.int64)
    return np.cumsum(joined)


def decode_list(raw: bytes, values: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes]:
    """A whole posting list's (doc numbers, weights, value sizes, values joined)."""
    deltas, weights, last_ids, sizes, blobs = [], [], [], [], []
    for block in iter_blocks(raw):
        d, w = ids_and_weights(block.section_a, block.n, block.width, block.wkind)
        deltas.append(d)
        weights.append(w.astype(np.float32, copy=False))
        last_ids.append(block.last_id)
        if values and block.vkind:
            data, ends = block_values(block.section_b, block.n, block.vkind, block.flags)
            starts = value_starts(ends, block.n, block.vkind)
            sizes.append(ends - starts)
            blobs.append(data[int(starts[0]) :])
        elif values:
            sizes.append(np.zeros(block.n, np.int64))
    ids = join_ids(deltas, last_ids)
    size = np.concatenate(sizes) if sizes else np.zeros(ids.size, np.int64)
    return ids, np.concatenate(weights), size, b"".join(blobs)
