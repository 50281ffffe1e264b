"""Posting formats of the text fields: Whoosh's, with leaner positions.

Whoosh's `Positions` stores each posting's word positions as a 4-byte count plus a pickled
list (~14 bytes for one position). `PackedPositions` stores them as one width byte and
then either 1-byte gaps (width 1: the first position, then each gap, when all are below
256), or 2- or 4-byte little-endian absolute positions. Positions, frequencies and weights
are exactly what Whoosh's own formats give; only the bytes differ. The bulk writer
(index.ondisk.bulk) encodes whole segments of them at once (`encode_many`), and phrase
checks decode many at once (`decode_many`).

`compress` says whether the codec may zlib-compress a block's positions: the stops field's
are left plain, so a phrase check slices out the few documents it needs instead of
decompressing every block of "the".
"""

from __future__ import annotations

import sys
from array import array
from typing import Any

import numpy as np
from whoosh.formats import Frequency, Positions

_SWAP = sys.byteorder != "little"  # stored little-endian
_EMPTY = np.zeros(0, np.int64)


class PackedPositions(Positions):
    """Word positions as a width byte and 1-byte gaps or 2/4-byte positions."""

    def __init__(self, field_boost: float = 1.0, compress: bool = True, **options: Any) -> None:
        super().__init__(field_boost=field_boost, **options)
        self.compress = compress

    def encode(self, poslist: Any) -> bytes:
        positions = list(poslist)
        gaps = [b - a for a, b in zip([0, *positions], positions, strict=False)]
        if max(gaps, default=0) < 0x100:
            return b"\x01" + bytes(gaps)
        wide = max(positions, default=0) > 0xFFFF
        packed = array("I" if wide else "H", positions)
        if _SWAP:
            packed.byteswap()
        return (b"\x04" if wide else b"\x02") + packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring[0] == 1:
            return np.cumsum(np.frombuffer(valuestring, np.uint8)[1:], dtype=np.int64).tolist()
        packed = array("H" if valuestring[0] == 2 else "I")
        packed.frombytes(valuestring[1:])
        if _SWAP:
            packed.byteswap()
        return packed.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // valuestring[0]

    def decode_many(self, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(positions per value, every value's positions concatenated) in one numpy pass."""
        if not values:
            return _EMPTY, _EMPTY
        blob = np.frombuffer(b"".join(values), np.uint8)
        sizes = np.fromiter(map(len, values), np.int64, len(values))
        return decode_blob(blob, sizes)


def decode_blob(blob: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PackedPositions values joined in `blob` (each `sizes` bytes long): (positions per
    value, every value's positions concatenated)."""
    starts = np.cumsum(sizes) - sizes
    widths = blob[starts].astype(np.int64)
    counts = (sizes - 1) // widths
    if _SWAP or (widths == 4).any():  # rare: long documents; one by one
        fmt = PackedPositions()
        decoded = [
            fmt.decode_positions(blob[s : s + n].tobytes())
            for s, n in zip(starts, sizes, strict=False)
        ]
        return counts, np.array([p for d in decoded for p in d], np.int64)
    one = widths == 1
    if one.all():  # the usual case: every value is 1-byte gaps
        return counts, _running_gaps(blob, starts, counts)
    # Else 1-byte gap values and 2-byte position values, each kind decoded together.
    positions = np.empty(int(counts.sum()), np.int64)
    of_one = np.repeat(one, counts)
    if one.any():
        part = byte_ranges(blob, starts[one], sizes[one])
        part_starts = np.cumsum(sizes[one]) - sizes[one]
        positions[of_one] = _running_gaps(part, part_starts, counts[one])
    two = ~one
    positions[~of_one] = byte_ranges(blob, starts[two] + 1, sizes[two] - 1).view("<u2")
    return counts, positions


def byte_ranges(data: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The byte ranges (start, size) of `data`, joined."""
    offsets = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return data[offsets + np.arange(int(sizes.sum()))]


def _running_gaps(blob: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Positions of values that are all 1-byte gaps: one running sum over the whole blob,
    less its value at each value's width byte, at the bytes that are not width bytes."""
    running = np.cumsum(blob, dtype=np.int64)
    gap = np.ones(blob.size, bool)
    gap[starts] = False
    return running[gap] - np.repeat(running[starts], counts)


def encode_many(
    positions: np.ndarray, counts: np.ndarray, out_sizes: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """PackedPositions values of many postings at once: `positions` (ascending within each
    posting) of postings holding `counts` each. Returns (each value's size, the values
    joined), byte for byte what `PackedPositions.encode` gives one by one."""
    n = counts.size
    ends = np.cumsum(counts)
    starts = ends - counts
    gaps = np.diff(positions, prepend=0)
    gaps[starts] = positions[starts]  # each posting's first position counts from 0
    if n:
        widest_gap = np.maximum.reduceat(gaps, starts)
        last = positions[ends - 1]
    else:
        widest_gap = last = _EMPTY
    widths = np.where(widest_gap < 0x100, 1, np.where(last > 0xFFFF, 4, 2)).astype(np.int64)
    sizes = 1 + widths * counts
    value_starts = np.cumsum(sizes) - sizes
    blob = np.zeros(int(sizes.sum()), np.uint8)
    blob[value_starts] = widths
    owner_width = np.repeat(widths.astype(np.int8), counts)
    first = np.arange(positions.size) - np.repeat(starts, counts)  # index within its posting
    first *= owner_width
    first += np.repeat(value_starts + 1, counts)
    stored = np.where(owner_width == 1, gaps, positions)
    del gaps
    for k in range(4):
        byte = owner_width > k
        blob[first[byte] + k] = (stored[byte] >> (8 * k)) & 0xFF
    return sizes, blob


class FastFrequency(Frequency):
    """Whoosh's Frequency format (a class of this package, as the schema pickles it)."""
