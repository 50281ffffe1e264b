"""Posting formats of the text fields: Whoosh's, with a faster path and leaner positions.

Whoosh's `Positions` stores each posting's word positions as a 4-byte count plus a pickled
list (~14 bytes for one position) and builds them token by token. `PackedPositions` stores
them as one width byte plus 2-byte (or 4-byte) absolute positions, and both formats take
their words from `index.ondisk.analysis.term_positions` (one loop, no Token objects) when the
field's analyzer offers it, which is every text field here. Results are identical to
Whoosh's own formats; only the bytes and the time differ.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from index.ondisk.analysis import term_positions

_SWAP = sys.byteorder != "little"  # stored little-endian


def _plain(kwargs: dict[str, Any]) -> bool:
    """Whether word_values was asked for the plain indexing call the fast path covers."""
    return set(kwargs) <= {"mode"}


class _FastWordValues:
    """word_values from the analyzer's fast path (index.ondisk.analysis.term_positions), with
    each posting's value made by `_value(positions)`; Whoosh's own loop otherwise."""

    field_boost: float

    def _value(self, poslist: list[int]) -> bytes:
        raise NotImplementedError

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        found = term_positions(analyzer, value) if _plain(kwargs) else None
        if found is None:
            yield from super().word_values(value, analyzer, **kwargs)  # type: ignore[misc]
            return
        boost = self.field_boost
        make_value = self._value
        for word, poslist in found.items():
            yield word, len(poslist), len(poslist) * boost, make_value(poslist)


class PackedPositions(_FastWordValues, Positions):
    """Word positions as a width byte (2 or 4) and little-endian unsigned ints."""

    def _value(self, poslist: list[int]) -> bytes:
        return self.encode(poslist)

    def encode(self, poslist: Any) -> bytes:
        wide = max(poslist, default=0) > 0xFFFF
        packed = array("I" if wide else "H", poslist)
        if _SWAP:
            packed.byteswap()
        return (b"\x04" if wide else b"\x02") + packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
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
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        blob = np.frombuffer(b"".join(values), np.uint8)
        sizes = np.fromiter(map(len, values), np.int64, len(values))
        starts = np.cumsum(sizes) - sizes
        if _SWAP or not (blob[starts] == 2).all():  # wide positions somewhere: one by one
            decoded = [self.decode_positions(v) for v in values]
            counts = np.array([len(d) for d in decoded], np.int64)
            return counts, np.array([p for d in decoded for p in d], np.int64)
        payload = np.ones(blob.size, bool)
        payload[starts] = False  # drop the width bytes: what is left is u2 after u2
        return (sizes - 1) // 2, blob[payload].view("<u2").astype(np.int64)


class FastFrequency(_FastWordValues, Frequency):
    """Whoosh's Frequency format, counting words through the analyzer's fast path."""

    def _value(self, poslist: list[int]) -> bytes:
        return pack_uint(len(poslist))
