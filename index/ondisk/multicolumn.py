"""A per-document column of several text labels (an article's tags, its authors).

Whoosh has no multi-valued column: its VarBytesColumn would hold one joined string per
document, to be split and looked up in Python for every document whenever a searcher opens
(~1 s per million labels). `LabelListColumn` instead writes, per segment, the distinct
labels once and every document's labels as codes into them, so a reader gets the whole
column with two `numpy.frombuffer` calls and one decode of the distinct labels.

Segment layout (all little-endian), at the column's base position:

    codes     uint32 × total     each document's label codes, documents in order
    counts    uint16 × doccount  how many labels each document has
    labels    UTF-8, NUL-separated, the distinct labels in code order
    trailer   3 × uint64         total, number of labels, byte length of `labels`

The class path `index.ondisk.multicolumn.LabelListColumn` is pickled into the schema: it is
part of the on-disk format (see index.ondisk).
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from whoosh.columns import Column, ColumnReader, ColumnWriter

_TRAILER = struct.Struct("<QQQ")
MAX_LABELS_PER_DOC = 65535


def _le(values: array) -> bytes:
    """An array's bytes in little-endian order whatever the machine's."""
    if struct.pack("=H", 1) != struct.pack("<H", 1):  # a big-endian machine
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


class LabelListColumn(Column):
    """A column whose value per document is a sequence of str labels (default: none)."""

    _default: tuple[str, ...] = ()

    def stores_lists(self) -> bool:
        return True

    class Writer(ColumnWriter):
        def __init__(self, dbfile: Any) -> None:
            self._dbfile = dbfile
            self._codes = array("I")
            self._counts = array("H")
            self._by_label: dict[str, int] = {}

        def fill(self, docnum: int) -> None:
            missing = docnum - len(self._counts)
            if missing > 0:
                self._counts.extend([0] * missing)

        def add(self, docnum: int, value: Iterable[str]) -> None:
            self.fill(docnum)
            labels = list(value or ())
            if len(labels) > MAX_LABELS_PER_DOC:
                raise ValueError(f"more than {MAX_LABELS_PER_DOC} labels in one document")
            for label in labels:
                self._codes.append(self._by_label.setdefault(label, len(self._by_label)))
            self._counts.append(len(labels))

        def finish(self, doccount: int) -> None:
            self.fill(doccount)
            blob = b"\x00".join(label.encode("utf-8") for label in self._by_label)
            out = self._dbfile
            out.write(_le(self._codes))
            out.write(_le(self._counts[:doccount]))
            out.write(blob)
            out.write(_TRAILER.pack(len(self._codes), len(self._by_label), len(blob)))

    class Reader(ColumnReader):
        def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int) -> None:
            super().__init__(dbfile, basepos, length, doccount)
            trailer = dbfile.get(basepos + length - _TRAILER.size, _TRAILER.size)
            self._total, self._nlabels, self._blob_len = _TRAILER.unpack(trailer)
            self._arrays: tuple[np.ndarray, np.ndarray, list[str]] | None = None
            self._starts: np.ndarray | None = None

        def arrays(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
            """(label count per document, every label code in document order, the labels)."""
            if self._arrays is None:
                pos, total, n = self._basepos, self._total, self._doccount
                codes = np.frombuffer(self._dbfile.get(pos, 4 * total), "<u4")
                counts = np.frombuffer(self._dbfile.get(pos + 4 * total, 2 * n), "<u2")
                blob = self._dbfile.get(pos + 4 * total + 2 * n, self._blob_len)
                labels = blob.decode("utf-8").split("\x00") if self._nlabels else []
                self._arrays = (counts, codes, labels)
            return self._arrays

        def __getitem__(self, docnum: int) -> tuple[str, ...]:
            # One document at a time is how Whoosh merges segments: offsets computed once.
            counts, codes, labels = self.arrays()
            if self._starts is None:
                self._starts = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
            start, stop = int(self._starts[docnum]), int(self._starts[docnum + 1])
            return tuple(labels[c] for c in codes[start:stop].tolist())

        def __iter__(self) -> Iterator[tuple[str, ...]]:
            counts, codes, labels = self.arrays()
            start = 0
            for count in counts.tolist():
                yield tuple(labels[c] for c in codes[start : start + count].tolist())
                start += count
