"""Whoosh's per-document columns read whole into numpy arrays.

Whoosh's column readers hand out one value per Python call: reading the seven columns the
searcher needs took ~1 s at 200,000 articles and would take ~10 s at 2,000,000, on every
worker start and after every index update. A NumericColumn is a big-endian array and a
RefBytesColumn an array of codes into a list of distinct values, a FixedBytesColumn an
array of equal-length strings, and a LabelListColumn (index.ondisk.multicolumn) counts and
codes, so each is read with one or two `numpy.frombuffer` per segment; any other column
falls back to Whoosh's iteration.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.columns import Column, FixedBytesColumn, NumericColumn, RefBytesColumn
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length

from index.ondisk.multicolumn import LabelListColumn


def _segments(reader: IndexReader) -> list[tuple[Any, int]]:
    return reader.leaf_readers()


def _has_column(segment: Any, name: str, column: Column | None) -> bool:
    if column is not None:
        return segment._perdoc.has_column(name)  # noqa: SLF001
    return segment.has_column(name)


def _raw_reader(segment: Any, name: str, column: Column | None) -> Any:
    if column is not None:  # a column of Whoosh's own (e.g. field lengths)
        return segment._perdoc.column_reader(name, column)  # noqa: SLF001
    return segment.column_reader(name, translate=False)


# Whoosh stores a field length as one byte on a lossy log scale; this decodes all 256.
BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], np.float32)


def numeric_column(col: Any, doccount: int) -> np.ndarray:
    """One segment's column reader as int64 values for its `doccount` documents."""
    if not isinstance(col, NumericColumn.Reader):
        return np.fromiter((int(v or 0) for v in col), np.int64, doccount)
    stored = np.frombuffer(
        col._dbfile.get(col._basepos, col._count * col._fixedlen),  # noqa: SLF001
        np.dtype(col._typecode).newbyteorder(">"),  # noqa: SLF001
    ).astype(np.int64)
    if stored.size < doccount:  # documents past the last stored value: the default
        pad = np.full(doccount - stored.size, col._default, np.int64)  # noqa: SLF001
        stored = np.concatenate([stored, pad])
    return stored[:doccount]


def numbers(reader: IndexReader, name: str, column: Column | None = None) -> np.ndarray:
    """The numeric column `name` for every document (global doc numbers), as int64.

    `column` reads one of Whoosh's internal columns (such as a field's lengths) instead of
    a schema field's.
    """
    parts = []
    for segment, _ in _segments(reader):
        doccount = segment.doc_count_all()
        if not _has_column(segment, name, column):
            parts.append(np.zeros(doccount, np.int64))
            continue
        parts.append(numeric_column(_raw_reader(segment, name, column), doccount))
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def labels(reader: IndexReader, name: str) -> tuple[np.ndarray, list[str]]:
    """The text column `name` as (a code per document, the label of each code)."""
    lut: dict[str, int] = {}
    parts = []
    for segment, _ in _segments(reader):
        doccount = segment.doc_count_all()
        if not _has_column(segment, name, None):
            parts.append(np.full(doccount, lut.setdefault("", len(lut)), np.int32))
            continue
        col = _raw_reader(segment, name, None)
        if isinstance(col, RefBytesColumn.Reader):
            # This segment's codes mapped onto the codes of all segments.
            local = np.array([lut.setdefault(_text(u), len(lut)) for u in col._uniques])  # noqa: SLF001
            refs = np.frombuffer(
                col._dbfile.get(col._basepos, doccount * col._itemsize),  # noqa: SLF001
                np.dtype(col._typecode).newbyteorder(">"),  # noqa: SLF001
            )
            parts.append(local[refs].astype(np.int32) if local.size else np.zeros(0, np.int32))
        else:
            parts.append(
                np.fromiter((lut.setdefault(_text(v), len(lut)) for v in col), np.int32, doccount)
            )
    codes = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    return codes, list(lut)


def fixed_bytes(reader: IndexReader, name: str, width: int) -> np.ndarray:
    """The fixed-width bytes column `name` for every document, as a numpy `S<width>` array
    (documents without a value: empty bytes)."""
    parts = []
    for segment, _ in _segments(reader):
        doccount = segment.doc_count_all()
        values = np.zeros(doccount, f"S{width}")
        if _has_column(segment, name, None):
            col = _raw_reader(segment, name, None)
            if isinstance(col, FixedBytesColumn.Reader):
                count = min(col._count, doccount)  # noqa: SLF001
                raw = col._dbfile.get(col._basepos, count * width)  # noqa: SLF001
                values[:count] = np.frombuffer(raw, f"S{width}")
            else:
                values[:] = [bytes(v) for v in col]
        parts.append(values)
    return np.concatenate(parts) if parts else np.zeros(0, f"S{width}")


def label_lists(reader: IndexReader, name: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The label-list column `name` (index.ondisk.multicolumn) of every document, as CSR
    arrays: (offsets, codes, labels), document d's labels being
    `labels[codes[offsets[d]:offsets[d + 1]]]`; codes are shared by all segments."""
    lut: dict[str, int] = {}
    counts, codes = [], []
    for segment, _ in _segments(reader):
        doccount = segment.doc_count_all()
        col = _raw_reader(segment, name, None) if _has_column(segment, name, None) else None
        if not isinstance(col, LabelListColumn.Reader):
            counts.append(np.zeros(doccount, np.int64))
            continue
        seg_counts, seg_codes, seg_labels = col.arrays()
        local = np.array([lut.setdefault(label, len(lut)) for label in seg_labels], np.int32)
        counts.append(seg_counts.astype(np.int64))
        codes.append(local[seg_codes] if seg_codes.size else np.zeros(0, np.int32))
    offsets = np.zeros(sum(map(len, counts)) + 1, np.int64)
    if counts:
        np.cumsum(np.concatenate(counts), out=offsets[1:])
    all_codes = np.concatenate(codes) if codes else np.zeros(0, np.int32)
    return offsets, all_codes.astype(np.int32, copy=False), list(lut)


def live(reader: IndexReader) -> np.ndarray:
    """A boolean per document: True unless deleted (one step per deletion, not per document)."""
    mask = np.ones(reader.doc_count_all(), bool)
    for segment, offset in _segments(reader):
        if segment.has_deletions():
            deleted = np.fromiter(segment.deleted_docs_set, np.int64)
            mask[deleted + offset] = False
    return mask


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""  # type: ignore[return-value]


def field_lengths(searcher: WhooshSearcher, fieldname: str) -> np.ndarray:
    """The indexed length (in words) of `fieldname` for every document."""
    # Whoosh stores each length as one byte (a lossy log scale), as its own scorer reads it.
    codes = numbers(searcher.reader(), f"_{fieldname}_len", LENGTHS_COLUMN)
    return BYTE_TO_LENGTH[codes.astype(np.uint8)]
