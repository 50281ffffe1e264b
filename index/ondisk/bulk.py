"""Writing one Whoosh segment from many documents, inverted in memory.

Whoosh's SegmentWriter sends every posting through a pool of Python tuples that is
sorted (spilling runs to disk) and then written one posting at a time; with the field
analysis, that was over half of a build. `BulkSegmentWriter` keeps Whoosh's per-document
writer (stored id, field lengths, columns), its fields' own `word_values` (so terms,
frequencies and positions are exactly what Whoosh's writer would index) and its codec's
term dictionary, but appends each term's postings to compact arrays as documents arrive
and writes every posting list whole (index.ondisk.codec.ArrayPostingsWriter.add_arrays) when the
segment is finished. Memory grows with the postings held: callers start a new segment
when `postings_held` passes their budget.
"""

from __future__ import annotations

import shutil
from array import array
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.fields import FieldType
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from index.ondisk.codec import ArrayPostingsWriter, HeraldCodec
from index.ondisk.columns import BYTE_TO_LENGTH, numeric_column


class PrivateTempStorage(FileStorage):
    """An index directory whose writers each get their own temporary directory.

    Whoosh names a writer's temporary directory after the index ("MAIN.tmp"), and a
    finishing writer empties it: writers in several processes at once would delete each
    other's column files. `remove_temp` removes every temporary directory made here.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__(str(path))
        self._made: list[str] = []

    def temp_storage(self, name: str | None = None) -> FileStorage:
        storage = super().temp_storage(f"{random_name()}.tmp")
        self._made.append(storage.folder)
        return storage

    def remove_temp(self) -> None:
        for folder in self._made:
            shutil.rmtree(folder, ignore_errors=True)
        self._made.clear()


def open_for_writing(path: Path) -> FileIndex:
    """The index in `path`, for BulkSegmentWriters in several processes at once."""
    return PrivateTempStorage(path).open_index()


class _Postings:
    """One term's postings so far: doc numbers, weights, value lengths and value bytes."""

    __slots__ = ("blob", "docs", "sizes", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.sizes = array("I")
        self.blob = bytearray()

    def add(self, docnum: int, weight: float, vbytes: bytes | None) -> None:
        self.docs.append(docnum)
        self.weights.append(weight)
        if vbytes:
            self.sizes.append(len(vbytes))
            self.blob += vbytes


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter (whoosh.writing) that inverts in memory and writes lists whole."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        # Not compound: Whoosh copies every file it opens inside a compound segment into
        # memory (a BytesIO of the mapped bytes), so a searcher held the whole index in RAM.
        super().__init__(ix, codec=HeraldCodec(), compound=False, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r}: term vectors and spelling fields unsupported")
        self._inverted: dict[str, dict[Any, _Postings]] = {}
        self.postings_held = 0

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, name, docboost)
                terms = self._inverted.setdefault(name, {})
                for term, freq, weight, vbytes in _word_values(field, value):
                    postings = terms.get(term)
                    if postings is None:
                        postings = terms[term] = _Postings()
                    postings.add(docnum, weight * boost, vbytes)
                    length += freq
                    self.postings_held += 1
                if not field.scorable:
                    length = 0  # Whoosh records lengths of scorable fields only
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        """Whoosh's merge step (add_reader): a merged segment's postings, renumbered and
        without its deleted documents, join the in-memory lists."""
        schema = self.schema
        for name, btext, docnum, weight, vbytes in self._process_posts(
            reader.iter_postings(), startdoc, docmap
        ):
            term = btext.decode("utf-8") if _str_terms(schema[name]) else btext
            terms = self._inverted.setdefault(name, {})
            postings = terms.get(term)
            if postings is None:
                postings = terms[term] = _Postings()
            postings.add(docnum, weight, vbytes)
            self.postings_held += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()  # the per-document lengths just written
        try:
            self._write_postings(lengths)
        finally:
            lengths.close()

    def _write_postings(self, lengths: Any) -> None:
        fieldwriter = self.fieldwriter
        for name in sorted(self._inverted):
            terms = self._inverted[name]
            if not terms:
                continue
            doc_lengths = _doc_lengths(lengths, name, self.docnum)
            fieldwriter.start_field(name, self.schema[name])
            # str terms sort by code point, which is the order of their UTF-8 bytes.
            for term in sorted(terms):
                postings = terms[term]
                fieldwriter.start_term(term.encode("utf-8") if isinstance(term, str) else term)
                writer: ArrayPostingsWriter = fieldwriter._postwriter  # noqa: SLF001
                ids = np.frombuffer(postings.docs, np.uint32).astype(np.int64)
                values = (
                    (np.frombuffer(postings.sizes, np.uint32), bytes(postings.blob))
                    if postings.sizes
                    else None
                )
                writer.add_arrays(
                    ids,
                    np.frombuffer(postings.weights, np.float32),
                    values,
                    doc_lengths[ids] if doc_lengths is not None else None,
                )
                fieldwriter.finish_term()
            fieldwriter.finish_field()
            terms.clear()  # free each field's postings once written
        fieldwriter.close()

    def finish(self) -> Any | None:
        """Write the segment and release this writer; the segment (None if empty)."""
        self._check_state()
        segment = self._finalize_segment() if self._added else None
        if segment is None:
            self._close_segment()
        self._finish()
        return segment


def _str_terms(field: FieldType) -> bool:
    """Whether the field's terms are kept as str (its bytes are FieldType's UTF-8)."""
    return type(field).index is FieldType.index


def _doc_lengths(lengths: Any, name: str, doccount: int) -> np.ndarray | None:
    """Each document's length of field `name` as Whoosh stored it (None if unrecorded)."""
    column = f"_{name}_len"
    if not lengths.has_column(column):
        return None
    codes = numeric_column(lengths.column_reader(column, LENGTHS_COLUMN), doccount)
    return BYTE_TO_LENGTH[codes.astype(np.uint8)].astype(np.int64)


def _word_values(field: FieldType, value: Any) -> Any:
    """(term, freq, weight, value bytes) of one field value, as `field.index` gives them
    but with str terms when the field uses FieldType's own UTF-8 `index` (cheaper)."""
    if _str_terms(field):
        if not isinstance(value, (str, list, tuple)):
            raise ValueError(f"{value!r} is not text or a sequence")
        return field.format.word_values(value, field.analyzer, mode="index")
    return field.index(value)
