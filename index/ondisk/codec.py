"""A whoosh3 codec whose posting blocks are packed arrays instead of pickles.

whoosh3 writes each block of postings as a zlib-compressed pickle of (id deltas, weights,
values). Decoding that pickle was most of a query's time at 200,000 articles (~0.5 µs per
posting for the body field, where each posting also carries a pickled bytes object of word
positions). `HeraldCodec` keeps everything else of whoosh3 (term dictionary, block headers
used for skipping, per-document columns) and changes only the block payload:

    header   <BBBBII   id width (1/2/4 bytes), weight kind, values kind, flags,
                       len(section A), len(section B)
    A        id deltas as little-endian unsigned ints, then weights (absent when all 1.0;
             u1/u2 when integral; else f4); written uncompressed (read zlib'd if flags & 1)
    B        values (word positions): their lengths, then the bytes back to back;
             zlib-compressed when flags & 2

so ids and weights decode with `numpy.frombuffer` and a cumulative sum, without touching
the positions. `all_arrays` gives a whole posting list as numpy arrays from one read,
`block_arrays` the current block; Whoosh's own matcher API
(id/weight/value/skip_to) keeps working on top of the same data, and `add_arrays` writes a
whole posting list at once (index.ondisk.bulk). Segments pickle their codec, so an index built
with this codec is read with it.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from io import BytesIO
from pickle import dumps, load
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
)
from whoosh.util.numeric import length_to_byte

BLOCK_LIMIT = 512  # postings per block (whoosh3: 128); numpy decoding favours fewer, larger
COMPRESS_MIN = 64  # smaller sections grow under zlib
_ZLIB_LEVEL = 3
_HEADER = struct.Struct("<BBBBII")
_BLOCK_SIZE = struct.Struct("!i")  # whoosh3's block length prefix (StructFile.write_int)
_ID_TYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
# Weight kinds: 0 = all 1.0 (nothing stored), 1 = u1 integers, 2 = u2 integers, 3 = f4.
_WEIGHT_TYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 3: np.dtype("<f4")}
# Value kinds: 0 = none, 1 = fixed size (no lengths), 2 = u2 lengths, 4 = u4 lengths.
_LENGTH_TYPES = {2: np.dtype("<u2"), 4: np.dtype("<u4")}

# A block's (or posting list's) values: each posting's byte length, and the bytes joined.
Values = tuple[np.ndarray, bytes]


def _id_width(max_delta: int) -> int:
    return 1 if max_delta < 1 << 8 else 2 if max_delta < 1 << 16 else 4


def encode_block(
    ids: np.ndarray, weights: np.ndarray, values: Values | None, fixedsize: int | None
) -> bytes:
    """One block's payload (see the module docstring); `ids` ascending."""
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
        vkind = 2 if lengths.max() < 1 << 16 else 4
        section_b = lengths.astype(_LENGTH_TYPES[vkind]).tobytes() + blob
    # Ids and weights stay uncompressed (flag 1 unset): zlib took a third of decoding them
    # and saved ~0.7 bytes a posting. Positions, rarely read, are compressed.
    flags = 0
    if len(section_b) >= COMPRESS_MIN:
        section_b, flags = zlib.compress(section_b, _ZLIB_LEVEL), flags | 2
    header = _HEADER.pack(width, wkind, vkind, flags, len(section_a), len(section_b))
    return header + section_a + section_b


class ArrayPostingsWriter(W3PostingsWriter):
    """whoosh3's postings writer with packed-array blocks and a whole-list `add_arrays`."""

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors (unused here) keep whoosh3's format
            super()._write_block(last)
            return
        self._terminfo.add_block(self)
        values = self._values
        self._emit(
            np.frombuffer(self._ids, np.uint32).astype(np.int64),
            np.frombuffer(self._weights, np.float32),
            (np.fromiter(map(len, values), np.int64, len(values)), b"".join(values))
            if values
            else None,
            float(self._maxweight),
            self._minlength,
            self._maxlength,
            last,
        )
        self._new_block()

    def _emit(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        values: Values | None,
        maxweight: float,
        minlength: int | None,
        maxlength: int,
        last: bool,
    ) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        data = encode_block(ids, weights, values, self._format.fixed_value_size())
        # The block info whoosh3's reader expects (pickled, as whoosh3 writes it).
        info = dumps(
            (
                len(ids),
                int(ids[-1]),
                maxweight,
                0,
                length_to_byte(minlength or 0),
                length_to_byte(maxlength),
            ),
            2,
        )
        size = len(info) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1

    def add_arrays(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        values: Values | None,
        lengths: np.ndarray | None,
    ) -> None:
        """Write a whole posting list between start_postings and finish_postings.

        `ids` ascending doc numbers (int64), `weights` float32, `values` the postings'
        values (None for formats without values), `lengths` the field length of each
        posting's document (or None).
        """
        if self._ids or self._blockcount:
            raise RuntimeError("add_arrays needs a fresh posting list")
        info = self._terminfo
        n = len(ids)
        limit = self._blocklimit
        if values is not None:
            value_ends = np.cumsum(values[0])
        info._weight += float(weights.sum())  # noqa: SLF001 - whoosh3 keeps these private
        info._df += n  # noqa: SLF001
        info._minid = int(ids[0])  # noqa: SLF001
        info._maxid = int(ids[-1])  # noqa: SLF001
        for start in range(0, n, limit):
            stop = min(n, start + limit)
            block_w = weights[start:stop]
            maxweight = float(block_w.max())
            if lengths is not None:
                block_l = lengths[start:stop]
                minlength, maxlength = int(block_l.min()), int(block_l.max())
            else:
                minlength, maxlength = 0, 0
            if info._minlength is None or minlength < info._minlength:  # noqa: SLF001
                info._minlength = minlength  # noqa: SLF001
            info._maxlength = max(info._maxlength, maxlength)  # noqa: SLF001
            info._maxweight = max(info._maxweight, maxweight)  # noqa: SLF001
            self._emit(
                ids[start:stop],
                block_w,
                _slice_values(values, value_ends, start, stop) if values is not None else None,
                maxweight,
                minlength,
                maxlength,
                stop == n,
            )
        # finish_postings sees an empty buffer and records the extent written here.

    def written(self) -> bool:
        return self._blockcount > 0


def _slice_values(values: Values, ends: np.ndarray, start: int, stop: int) -> Values:
    lengths, blob = values
    first = int(ends[start - 1]) if start else 0
    return lengths[start:stop], blob[first : int(ends[stop - 1])]


class _RawBlock(NamedTuple):
    n: int
    last_id: int
    width: int
    wkind: int
    vkind: int
    flags: int
    section_a: bytes  # decompressed
    section_b: bytes  # as stored


class ArrayLeafMatcher(W3LeafMatcher):
    """whoosh3's on-disk matcher reading packed-array blocks."""

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        width, wkind, vkind, flags, len_a, len_b = _HEADER.unpack_from(raw, 0)
        start = _HEADER.size
        section_a = raw[start : start + len_a]
        section_b = raw[start + len_a : start + len_a + len_b]
        if flags & 1:
            section_a = zlib.decompress(section_a)
        self._data = (width, wkind, vkind, flags, section_a, section_b)

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The current block's (doc numbers as int64, weights as float32)."""
        if self._data is None:
            self._read_data()
        width, wkind, _, _, section_a, _ = self._data
        deltas, weights = _ids_and_weights(section_a, self._blocklength, width, wkind)
        return np.cumsum(deltas, dtype=np.int64), weights.astype(np.float32, copy=False)

    def _raw_blocks(self) -> Iterator[_RawBlock]:
        """Every block of this posting list from one read of its bytes (stepping through
        Whoosh's _goto costs ~15 µs a block). Leaves the matcher exhausted."""
        length = self._length
        if isinstance(length, tuple):  # whoosh3's TermInfo.from_bytes leaves it a 1-tuple
            length = length[0]
        end = self._startoffset + length
        raw = self._postfile.get(self._baseoffset, end - self._baseoffset)
        stream = BytesIO(raw)
        pos = 0
        self._atend = True
        while pos < len(raw):
            (size,) = _BLOCK_SIZE.unpack_from(raw, pos)
            stream.seek(pos + _BLOCK_SIZE.size)
            n, last_id = load(stream)[:2]  # whoosh3's block info: (count, last id, ...)
            start = stream.tell() + _HEADER.size
            width, wkind, vkind, flags, len_a, len_b = _HEADER.unpack_from(
                raw, start - _HEADER.size
            )
            section_a = raw[start : start + len_a]
            if flags & 1:
                section_a = zlib.decompress(section_a)
            yield _RawBlock(
                n,
                last_id,
                width,
                wkind,
                vkind,
                flags,
                section_a,
                raw[start + len_a : start + len_a + len_b],
            )
            pos += _BLOCK_SIZE.size + abs(size)
            if size < 0:  # whoosh3 marks the last block with a negative size
                break

    def all_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The whole posting list as (doc numbers as int64, weights as float32).
        Call on a fresh matcher; it is left exhausted."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        last_ids: list[int] = []
        for block in self._raw_blocks():
            deltas, block_weights = _ids_and_weights(
                block.section_a, block.n, block.width, block.wkind
            )
            ids.append(deltas)
            weights.append(block_weights)
            last_ids.append(block.last_id)
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        deltas = np.concatenate(ids).astype(np.int64)
        # Each block's first delta is from 0: make it relative to the previous block's end.
        starts = np.cumsum([0, *map(len, ids[:-1])])
        deltas[starts[1:]] -= np.array(last_ids[:-1], np.int64)
        return np.cumsum(deltas), np.concatenate(weights).astype(np.float32, copy=False)

    def values_for(self, docs: np.ndarray) -> dict[int, bytes]:
        """{doc: value bytes (e.g. encoded positions)} for those of `docs` (sorted doc
        numbers of this segment) in this list; only blocks holding one are decompressed.
        Call on a fresh matcher; it is left exhausted."""
        found: dict[int, bytes] = {}
        first = 0
        for block in self._raw_blocks():
            if first >= docs.size:
                break
            stop = int(np.searchsorted(docs, block.last_id, side="right"))
            if stop == first or block.vkind == 0:
                first = stop
                continue
            ids = np.cumsum(_ids_and_weights(block.section_a, block.n, block.width, 0)[0])
            wanted = docs[first:stop]
            at = np.searchsorted(ids, wanted).clip(max=block.n - 1)
            hit = ids[at] == wanted
            first = stop
            if not hit.any():
                continue
            values, starts, ends = _values(block.section_b, block.n, block.vkind, block.flags)
            for doc, j in zip(wanted[hit].tolist(), at[hit].tolist(), strict=True):
                found[doc] = values[starts[j] : ends[j]]
        return found

    def _read_ids(self) -> None:
        self._ids = tuple(self.block_arrays()[0].tolist())

    def _read_weights(self) -> None:
        self._weights = tuple(self.block_arrays()[1].tolist())

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        _, _, vkind, flags, _, section_b = self._data
        n = self._blocklength
        if vkind == 0:
            self._values = (None,) * n
            return
        values, starts, ends = _values(section_b, n, vkind, flags)
        self._values = tuple(values[s:e] for s, e in zip(starts, ends, strict=True))


def _ids_and_weights(
    section_a: bytes, n: int, width: int, wkind: int
) -> tuple[np.ndarray, np.ndarray]:
    """A block's id deltas (as stored) and weights (ones when none are stored)."""
    deltas = np.frombuffer(section_a, _ID_TYPES[width], n)
    if not wkind:
        return deltas, np.ones(n, np.float32)
    return deltas, np.frombuffer(section_a, _WEIGHT_TYPES[wkind], n, n * width)


def _values(section_b: bytes, n: int, vkind: int, flags: int) -> tuple[bytes, list, list]:
    """A block's values section (decompressed) and each posting's value's start and end
    offsets in it (vkind 1 or more)."""
    if flags & 2:
        section_b = zlib.decompress(section_b)
    if vkind == 1:  # fixed size, no lengths stored
        size = len(section_b) // n
        return section_b, list(range(0, n * size, size)), list(range(size, (n + 1) * size, size))
    ends = (np.cumsum(np.frombuffer(section_b, _LENGTH_TYPES[vkind], n)) + n * vkind).tolist()
    return section_b, [n * vkind, *ends[:-1]], ends


class HeraldCodec(W3Codec):
    """whoosh3 with packed-array posting blocks (see the module docstring)."""

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = _ZLIB_LEVEL) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=1)

    def postings_writer(self, dbfile: object, byteids: bool = False) -> ArrayPostingsWriter:
        return ArrayPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self,
        dbfile: object,
        terminfo: object,
        format_: object,
        term: object = None,
        scorer: object = None,
    ) -> object:
        if terminfo.is_inlined():  # type: ignore[attr-defined]
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()  # type: ignore[attr-defined]
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
