"""Writing one Whoosh segment from many documents, inverted with numpy.

Whoosh's SegmentWriter sends every posting through a pool of Python tuples, sorted and
written one posting at a time, after analysing each field token by token. The
`BulkSegmentWriter` keeps Whoosh's per-document writer (stored id, columns, field
lengths) and its segment bookkeeping, but:

- analyses each text value once per article into term ids (index.ondisk.streams); the
  fields that index the same text (content, its stop words, its pairs) share them;
- inverts a whole segment at once when it is written: term ids, documents and positions
  sorted by numpy into every field's posting lists (index.ondisk.inversion);
- writes every list and term entry of a field in one pass (index.ondisk.lists);
- merges segments (Whoosh's add_reader) from their lists read back as arrays
  (index.ondisk.readback), not one posting at a time.

Postings, positions, weights and lengths are exactly what Whoosh's own writer indexes for
the same schema (tests/test_index_codec.py checks it against stock whoosh3). Memory grows
with the words held: callers start a new segment when `postings_held` passes their budget.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.analysis import IDTokenizer, RegexTokenizer, StripFilter
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.fields import FieldType
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Existence, Frequency
from whoosh.index import FileIndex
from whoosh.system import pack_uint
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from index.ondisk.analysis import (
    PAIR_SEPARATOR,
    SCAN_PATTERN,
    FastAnalyzer,
    FoldStemFilter,
    PairFilter,
    StopWordFilter,
)
from index.ondisk.codec import HeraldCodec
from index.ondisk.columns import numeric_column
from index.ondisk.formats import PackedPositions
from index.ondisk.inversion import (
    PostingTable,
    empty_table,
    from_pairs,
    from_postings,
    from_tokens,
    join,
    token_pairs,
)
from index.ondisk.lists import length_bytes, write_field
from index.ondisk.readback import doc_map, segment_tables
from index.ondisk.streams import BREAK, STOP, WORD, Runs, TokenStore

_COMMA_PARTS = re.compile("[^,]+")


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


@dataclass(frozen=True)
class _Plan:
    """How a field is indexed: from a token store ("words", "stops", "pairs") or through
    Whoosh's own `field.index` ("generic")."""

    mode: str
    store: tuple[bool, frozenset[str]] | None = None  # the FoldStemFilter's (stem, stops)
    values: str = "none"  # "positions", "frequency" or "none"
    common: frozenset[str] = frozenset()


def _values_kind(field: FieldType) -> str | None:
    fmt = field.format
    if type(fmt) is PackedPositions:
        return "positions"
    if isinstance(fmt, Frequency) and not fmt.options:
        return "frequency"
    if type(fmt) is Existence:
        return "none"
    return None


def _plan(field: FieldType) -> _Plan:
    """What the writer can do for `field` itself, by its analyzer chain and format."""
    values = _values_kind(field)
    analyzer = field.analyzer
    if type(analyzer) is IDTokenizer and values == "none":
        return _Plan("whole")  # the value is the term (ID)
    if _comma_keywords(analyzer) and values == "frequency":
        return _Plan("commas", values=values)  # comma-separated terms (KEYWORD)
    chain = analyzer.chain if isinstance(analyzer, FastAnalyzer) else analyzer
    items = getattr(chain, "items", [])
    scans = bool(items) and type(items[0]) is RegexTokenizer
    if values is None or not scans or items[0].expression.pattern != SCAN_PATTERN:
        return _Plan("generic")
    rest = items[1:]
    if len(rest) == 1 and type(rest[0]) is FoldStemFilter and not rest[0].keep_stops:
        return _Plan("words", (rest[0].stem, rest[0].stops), values)
    if len(rest) == 1 and type(rest[0]) is StopWordFilter:
        return _Plan("stops", (True, rest[0].stops), values)
    if (
        len(rest) == 2
        and type(rest[0]) is FoldStemFilter
        and rest[0].keep_stops
        and type(rest[1]) is PairFilter
        and values == "none"
    ):
        return _Plan("pairs", (rest[0].stem, rest[0].stops), values, rest[1].common)
    return _Plan("generic")


def _comma_keywords(analyzer: Any) -> bool:
    """Whether `analyzer` is KEYWORD(commas=True)'s: comma-separated, stripped, as typed."""
    items = getattr(analyzer, "items", [])
    return (
        len(items) == 2
        and type(items[0]) is RegexTokenizer
        and items[0].expression.pattern == "[^,]+"
        and not items[0].gaps
        and type(items[1]) is StripFilter
    )


def _keyword_rows(plan: _Plan, value: Any, docnum: int, boost: float) -> list[tuple]:
    """(term, document, weight, value) of an ID or comma-keyword value, as Whoosh's
    Existence and Frequency formats index them."""
    if plan.mode == "whole":
        return [(value.encode("utf-8"), docnum, boost, b"")]
    counts = Counter(part.strip() for part in _COMMA_PARTS.findall(value))
    return [(t.encode("utf-8"), docnum, n * boost, pack_uint(n)) for t, n in counts.items()]


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter (whoosh.writing) that inverts with numpy and writes fields whole."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        # Not compound: Whoosh copies every file it opens inside a compound segment into
        # memory (a BytesIO of the mapped bytes), so a searcher held the whole index in RAM.
        super().__init__(ix, codec=HeraldCodec(), compound=False, **kwargs)
        self._plans: dict[str, _Plan] = {}
        self._stores: dict[tuple[bool, frozenset[str]], TokenStore] = {}
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r}: term vectors and spelling fields unsupported")
            if field.indexed:
                plan = self._plans[name] = _plan(field)
                if plan.store is not None and plan.store not in self._stores:
                    stem, stops = plan.store
                    self._stores[plan.store] = TokenStore(FoldStemFilter(stem=stem, stops=stops))
        self._runs = {name: Runs() for name, plan in self._plans.items() if plan.store}
        self._rows: dict[str, list[tuple[bytes, int, float, bytes]]] = {}
        self._merged: dict[str, list[PostingTable]] = {}
        self._lengths_from = 0  # new documents from here on have lengths still to write
        self.postings_held = 0

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        if any(name.startswith("_") and name.endswith("boost") for name in fields):
            raise ValueError("document and field boosts are not supported")
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        held = sum(len(store) for store in self._stores.values())
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = self._index_value(name, field, value, docnum) if field.indexed else 0
            stored = fields.get(f"_stored_{name}", value)
            if field.stored or length:
                perdoc.add_field(name, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        perdoc.finish_doc()
        self.postings_held += sum(len(store) for store in self._stores.values()) - held
        self._added = True
        self.docnum += 1

    def _index_value(self, name: str, field: FieldType, value: Any, docnum: int) -> int:
        """Keep one value's words; its length when the writer records it now (the
        lengths of token-store fields are written in bulk, see _write_lengths)."""
        plan = self._plans[name]
        if plan.mode in ("whole", "commas"):
            if not isinstance(value, str):
                raise ValueError(f"field {name!r}: {value!r} is not text")
            rows = _keyword_rows(plan, value, docnum, field.format.field_boost)
            self._rows.setdefault(name, []).extend(rows)
            self.postings_held += len(rows)
            return 0
        if plan.store is None:
            rows = self._rows.setdefault(name, [])
            length = 0
            for term, freq, weight, vbytes in field.index(value):
                rows.append((term, docnum, weight, vbytes))
                length += freq
                self.postings_held += 1
            return length if field.scorable else 0
        if not isinstance(value, str):
            raise ValueError(f"field {name!r}: {value!r} is not text")
        self._runs[name].add(docnum, self._stores[plan.store].run(docnum, value))
        return 0

    def add_reader(self, reader: Any) -> None:
        # Merged documents' lengths follow the new ones' in each length column.
        self._write_lengths()
        super().add_reader(reader)
        self._lengths_from = self.docnum

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        """Whoosh's merge step (add_reader): a merged segment's lists, renumbered and
        without its deleted documents, read as whole arrays."""
        mapping = doc_map(reader, startdoc, docmap)
        for name, table in segment_tables(reader, self.schema, mapping).items():
            self._merged.setdefault(name, []).append(table)
            self.postings_held += len(table)

    def _store_tokens(
        self, name: str, first_doc: int = 0
    ) -> tuple[TokenStore, np.ndarray, np.ndarray, np.ndarray]:
        store = self._stores[self._plans[name].store]  # type: ignore[index]
        return (store, *self._runs[name].tokens(store, first_doc))

    def _write_lengths(self) -> None:
        """Write the field lengths of the new documents not yet written (all at once)."""
        first, stop = self._lengths_from, self.docnum
        if stop <= first:
            return
        perdoc = self.perdocwriter
        for name, plan in self._plans.items():
            if plan.mode != "words" or not self.schema[name].scorable:
                continue
            store, tids, docs, _ = self._store_tokens(name, first)
            words = docs[store.vocabulary.kind_array()[tids] == WORD] - first
            lengths = np.bincount(words, minlength=stop - first)
            used = np.flatnonzero(lengths)
            if not used.size:
                continue
            column = f"_{name}_len"
            if not perdoc._has_column(column):  # noqa: SLF001
                perdoc._create_column(column, LENGTHS_COLUMN)  # noqa: SLF001
            writer = perdoc._get_column(column)  # noqa: SLF001
            writer.fill(first)
            # As NumericColumn.Writer.add writes them: every byte up to the last non-zero.
            writer._dbfile.write(length_bytes(lengths[: used[-1] + 1]).tobytes())  # noqa: SLF001
            writer._count = first + int(used[-1]) + 1  # noqa: SLF001
            perdoc._fieldlengths[name] += int(lengths.sum())  # noqa: SLF001
        self._lengths_from = stop

    def _flush_segment(self) -> None:
        self._write_lengths()
        self.perdocwriter.close()
        lengths = self.per_document_reader()  # the per-document lengths just written
        try:
            for name in sorted(self._plans):
                field = self.schema[name]
                table = self._table(name)
                write_field(
                    self.fieldwriter, name, field, table, _lengths(lengths, name, self.docnum)
                )
                self._merged.pop(name, None)  # free each field's postings once written
                self._rows.pop(name, None)
        finally:
            lengths.close()
        self.fieldwriter.close()

    def _table(self, name: str) -> PostingTable:
        """Every posting of field `name` in this segment, new and merged documents."""
        plan = self._plans[name]
        if plan.store is None:
            has_values = self.schema[name].format.fixed_value_size() != 0
            own = from_postings(self._rows.get(name, []), has_values)
        elif plan.mode == "pairs":
            own = self._pairs(name, plan)
        else:
            store, tids, docs, positions = self._store_tokens(name)
            kinds = store.vocabulary.kind_array()[tids]
            keep = kinds == (WORD if plan.mode == "words" else STOP)
            if plan.mode == "stops":  # and each text's first line break (StopWordFilter)
                breaks = np.flatnonzero(kinds == BREAK)
                keep[breaks[np.diff(docs[breaks], prepend=-1) != 0]] = True
            boost = self.schema[name].format.field_boost
            own = from_tokens(
                store.vocabulary.texts,
                tids[keep],
                docs[keep],
                positions[keep],
                values=plan.values,
                boost=boost,
            )
        return join([own, *self._merged.get(name, [])]) if name in self._merged else own

    def _pairs(self, name: str, plan: _Plan) -> PostingTable:
        store, tids, docs, positions = self._store_tokens(name)
        if not tids.size:
            return empty_table(False)
        vocabulary = store.vocabulary
        kinds = vocabulary.kind_array()
        common = {w.encode("utf-8") for w in plan.common}
        in_common = np.fromiter((t in common for t in vocabulary.texts), bool, len(kinds))
        stop = kinds == STOP
        pairable = stop | ((kinds == WORD) & in_common)
        pairs, pair_docs = token_pairs(tids, docs, positions, pairable, stop)
        return from_pairs(vocabulary.texts, pairs, pair_docs, PAIR_SEPARATOR.encode())

    def finish(self) -> Any | None:
        """Write the segment and release this writer; the segment (None if empty)."""
        self._check_state()
        segment = self._finalize_segment() if self._added else None
        if segment is None:
            self._close_segment()
        self._finish()
        return segment


def _lengths(reader: Any, name: str, doccount: int) -> np.ndarray | None:
    """Each document's stored length byte of field `name` (None if unrecorded)."""
    column = f"_{name}_len"
    if not reader.has_column(column):
        return None
    return numeric_column(reader.column_reader(column, LENGTHS_COLUMN), doccount).astype(np.uint8)
