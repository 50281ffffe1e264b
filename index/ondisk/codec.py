"""A whoosh3 codec whose posting blocks are packed arrays instead of pickles.

`HeraldCodec` keeps everything else of whoosh3 (term dictionary, block framing used for
skipping, per-document columns) and changes only the block payload (index.ondisk.blocks):
`ArrayPostingsWriter` writes it when postings go through Whoosh's own writer, and
`ArrayLeafMatcher` reads it. Whoosh's matcher API (id/weight/value/skip_to) keeps working
on the same data; `all_arrays` gives a whole posting list as numpy arrays from one read
and `positions_for` the positions of chosen documents. index.ondisk.lists writes whole
fields of these blocks at once. Segments pickle their codec, so an index built with this
codec is read with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

from index.ondisk.blocks import (
    BLOCK_LIMIT,
    ZLIB_LEVEL,
    RawBlock,
    block_values,
    encode_block,
    ids_and_weights,
    iter_blocks,
    join_ids,
    parse_data,
    value_starts,
)
from index.ondisk.positions import chosen_positions

_EMPTY = np.zeros(0, np.int64)


class ArrayPostingsWriter(W3PostingsWriter):
    """whoosh3's postings writer with packed-array blocks (Whoosh's own writer path)."""

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors (unused here) keep whoosh3's format
            super()._write_block(last)
            return
        self._terminfo.add_block(self)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        values = self._values
        ids = np.frombuffer(self._ids, np.uint32).astype(np.int64)
        data = encode_block(
            ids,
            np.frombuffer(self._weights, np.float32),
            (np.fromiter(map(len, values), np.int64, len(values)), b"".join(values))
            if values
            else None,
            self._format.fixed_value_size(),
            getattr(self._format, "compress", True),
        )
        # The block info whoosh3's reader expects (pickled, as whoosh3 writes it).
        info = dumps(
            (
                len(ids),
                int(ids[-1]),
                float(self._maxweight),
                0,
                length_to_byte(self._minlength or 0),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        size = len(info) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class ArrayLeafMatcher(W3LeafMatcher):
    """whoosh3's on-disk matcher reading packed-array blocks."""

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = parse_data(raw)

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The current block's (doc numbers as int64, weights as float32)."""
        if self._data is None:
            self._read_data()
        width, wkind, _, _, section_a, _ = self._data
        deltas, weights = ids_and_weights(section_a, self._blocklength, width, wkind)
        return np.cumsum(deltas, dtype=np.int64), weights.astype(np.float32, copy=False)

    def raw_list(self) -> bytes:
        """This posting list's bytes after its magic, from one read."""
        length = self._length
        if isinstance(length, tuple):  # whoosh3's TermInfo.from_bytes leaves it a 1-tuple
            length = length[0]
        end = self._startoffset + length
        return self._postfile.get(self._baseoffset, end - self._baseoffset)

    def _raw_blocks(self) -> Iterator[RawBlock]:
        """Every block of this posting list from one read of its bytes (stepping through
        Whoosh's _goto costs ~15 µs a block). Leaves the matcher exhausted."""
        self._atend = True
        return iter_blocks(self.raw_list())

    def all_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The whole posting list as (doc numbers as int64, weights as float32).
        Call on a fresh matcher; it is left exhausted."""
        deltas: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        last_ids: list[int] = []
        for block in self._raw_blocks():
            d, w = ids_and_weights(block.section_a, block.n, block.width, block.wkind)
            deltas.append(d)
            weights.append(w)
            last_ids.append(block.last_id)
        if not deltas:
            return _EMPTY, np.zeros(0, np.float32)
        return join_ids(deltas, last_ids), np.concatenate(weights).astype(np.float32, copy=False)

    def positions_for(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The PackedPositions of those of `docs` (sorted doc numbers of this segment) in
        this list: (the docs found, positions per doc found, the positions joined), from
        the blocks holding one of them (index.ondisk.positions). Call on a fresh matcher;
        it is left exhausted."""
        return chosen_positions(self._raw_blocks(), docs)

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
        data, ends = block_values(section_b, n, vkind, flags)
        starts = value_starts(ends, n, vkind)
        self._values = tuple(data[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True))


class HeraldCodec(W3Codec):
    """whoosh3 with packed-array posting blocks (see the module docstring)."""

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = ZLIB_LEVEL) -> None:
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
