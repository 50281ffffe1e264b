"""The words of a segment's documents as term ids: what the bulk writer keeps per article.

Analysis has to run per article, but only once per distinct raw token: a `Vocabulary` maps
each raw token (as the tokenizer matched it) to a term id, folding and stemming it the
first time it is seen, so an article costs one regular-expression scan and one dictionary
look-up per distinct chunk of text in a batch of values (index.ondisk.chunking splits a
batch in C). Each analysed value becomes a run of term ids in one growing array; the
fields that index the same text (content, stops and pairs) share its run. What a field
makes of its runs (which ids it keeps, positions, pairs) is decided once per segment, on
whole arrays (index.ondisk.bulk, index.ondisk.inversion).
"""

from __future__ import annotations

from array import array
from itertools import repeat

import numpy as np

from index.ondisk.analysis import LINE_BREAK, SCAN_RE, FoldStemFilter, plain_word
from index.ondisk.chunking import chunk_many

WORD, STOP, BREAK, NOTHING = 0, 1, 2, 3
_UNSEEN = -(1 << 62)  # below every code
_MARK = "\x00"  # stands for a line break (never a token, nor whitespace)
_SPACED_MARK = f" {_MARK} "
_SHORT = 80  # values this long or shorter (names, sections, titles) are memoised whole
_SHORT_LIMIT = 100_000
_CHUNK_LIMIT = 1_000_000  # chunks a process remembers per analysis (~110 bytes each)
BATCH_CHARS = 2_000_000  # text a token store gathers before analysing it in one batch
_CHARS_PER_TOKEN = 6  # to count the tokens of text not yet analysed (news: ~5.8)


class Vocabulary(dict[str, int]):
    """raw token → term id, for one FoldStemFilter; `texts` and `kinds` describe each id
    (a term of the text, a stop word in its plain form, a line break, or a token that is
    none of these)."""

    def __init__(self, fold_stem: FoldStemFilter) -> None:
        super().__init__()
        self.term = fold_stem.term
        self.stops = fold_stem.stops
        self.texts: list[bytes] = []
        self.kinds = array("b")
        self._ids: dict[tuple[str, int], int] = {}

    def __missing__(self, raw: str) -> int:
        if raw == LINE_BREAK:
            key = (raw, BREAK)
        else:
            term = self.term(raw)
            plain = "" if term else plain_word(raw)
            # A raw token with no term is a stop word, or (rarely) nothing at all.
            key = (term, WORD) if term else (plain, STOP) if plain in self.stops else ("", NOTHING)
        tid = self._ids.get(key)
        if tid is None:
            tid = self._ids[key] = len(self.texts)
            self.texts.append(key[0].encode("utf-8"))
            self.kinds.append(key[1])
        self[raw] = tid
        return tid

    def kind_array(self) -> np.ndarray:
        return np.frombuffer(self.kinds, np.int8) if self.kinds else np.zeros(0, np.int8)


class Runs:
    """Which run of a token store holds each (document, field)'s term ids."""

    def __init__(self) -> None:
        self.docs = array("q")
        self.runs = array("q")

    def add(self, doc: int, run: int) -> None:
        self.docs.append(doc)
        self.runs.append(run)

    def tokens(
        self, store: TokenStore, first_doc: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term ids, documents, positions) of the runs of documents from `first_doc` on,
        in document then position order."""
        ids = store.id_array()
        run_starts, run_lengths = store.run_table()
        docs = _int64(self.docs)
        keep = docs >= first_doc
        runs = _int64(self.runs)[keep]
        lengths, starts = run_lengths[runs], run_starts[runs]
        total = int(lengths.sum())
        # Per token, 4 bytes where they do: a segment holds far fewer than 2**31 tokens.
        kind = np.int32 if max(total, ids.size) < 1 << 31 else np.int64
        positions = np.arange(total, dtype=kind)
        positions -= np.repeat((np.cumsum(lengths) - lengths).astype(kind), lengths)
        index = np.repeat(starts.astype(kind), lengths)
        index += positions
        token_ids = ids[index]
        del index
        return token_ids, np.repeat(docs[keep].astype(kind), lengths), positions


def _int64(values: array) -> np.ndarray:
    return np.frombuffer(values, np.int64) if values else np.zeros(0, np.int64)


def _marked(value: str) -> str:
    """`value` with each line break a chunk of its own (the marker), so that one split
    does the whole value. A marker character of the text itself is no token's: a space
    stands in for it."""
    if _MARK in value:
        value = value.replace(_MARK, " ")
    return value.replace(LINE_BREAK, _SPACED_MARK)


class _Chunks:
    """Whitespace-separated chunks of text ("“Rugby’s", "said.") → their tokens' term ids.

    Splitting on whitespace and looking chunks up in a plain dict is ~3× faster than a
    regular expression over every word, and gives the same tokens (no token spans
    whitespace). A chunk of one token (most) maps to its term id; any other chunk ("—",
    "U.S.-based") to a negative code for its tuple of ids.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.codes: dict[str, int] = {}
        self.compound: list[tuple[int, ...]] = []

    def code(self, chunk: str) -> int:
        found = self.codes.get(chunk)
        if found is None:
            ids = tuple(map(self.vocabulary.__getitem__, SCAN_RE.findall(chunk)))
            if len(ids) == 1:
                found = ids[0]
            else:
                found = -1 - len(self.compound)
                self.compound.append(ids)
            self.codes[chunk] = found
        return found

    def ids(self, line: str) -> list[int]:
        """The term ids of one line's tokens."""
        chunks = line.split()
        codes = list(map(self.codes.get, chunks, repeat(_UNSEEN, len(chunks))))
        if not codes or min(codes) >= 0:
            return codes
        # A chunk not seen before, or one of no or several tokens.
        if _UNSEEN in codes:
            i = codes.index(_UNSEEN)
            while True:
                codes[i] = self.code(chunks[i])
                try:
                    i = codes.index(_UNSEEN, i + 1)
                except ValueError:
                    break
            if min(codes) >= 0:
                return codes
        found: list[int] = []
        done = 0
        for i in np.flatnonzero(np.array(codes) < 0).tolist():
            found += codes[done:i]
            found += self.compound[-1 - codes[i]]
            done = i + 1
        return found + codes[done:]


class Analysis:
    """What a process has learnt of one FoldStemFilter's text: its vocabulary, its chunks
    and its short values (names, sections), kept from one segment to the next so that only
    words new to the process are analysed. Ids only ever grow: a segment keeps the
    Analysis it started with even after the process moves on to a fresh one."""

    def __init__(self, fold_stem: FoldStemFilter) -> None:
        self.vocabulary = Vocabulary(fold_stem)
        self.chunks = _Chunks(self.vocabulary)
        self.line_break = self.vocabulary[LINE_BREAK]
        self.chunks.codes[_MARK] = self.line_break
        self.short: dict[str, tuple[int, ...]] = {}

    def ids(self, value: str) -> list[int] | tuple[int, ...]:
        """`value`'s term ids: exactly the tokens SCAN_RE finds, a line break being one."""
        if len(value) <= _SHORT:
            found = self.short.get(value)
            if found is None:
                if len(self.short) > _SHORT_LIMIT:
                    self.short.clear()
                found = self.short[value] = tuple(self._ids(value))
            return found
        return self._ids(value)

    def _ids(self, value: str) -> list[int]:
        return self.chunks.ids(_marked(value))

    def ids_many(self, values: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The term ids of `values`, joined (int32), and how many each value has: what
        `ids` gives for each, with one split of the whole batch (index.ondisk.chunking)."""
        try:
            distinct, index, per_value = chunk_many(list(map(_marked, values)))
        except ValueError:
            return self._each(values)
        codes = list(map(self.chunks.codes.get, distinct))
        if None in codes:
            codes = [
                self.chunks.code(chunk) if code is None else code
                for chunk, code in zip(distinct, codes, strict=True)
            ]
        code = np.array(codes, np.int64)
        compound = np.flatnonzero(code < 0)
        if not compound.size:  # every chunk one token: the usual case
            ids, per_chunk = code[index], None
        else:
            ids, per_chunk = self._expand(code, compound, index)
        ends = np.cumsum(per_value)
        if per_chunk is not None:  # tokens, not chunks, per value
            tokens = np.concatenate([[0], np.cumsum(per_chunk)])
            per_value = np.diff(tokens[np.concatenate([[0], ends])])
        return ids.astype(np.int32), per_value.astype(np.int64)

    def _expand(
        self, code: np.ndarray, compound: np.ndarray, index: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The term ids of chunks (`index` into distinct chunks with these codes) where some
        chunks have no token or several (`compound`); and each chunk's number of ids."""
        parts = [self.chunks.compound[-1 - c] for c in code[compound].tolist()]
        sizes = np.ones(code.size, np.int64)
        sizes[compound] = [len(part) for part in parts]
        offsets = np.cumsum(sizes) - sizes
        flat = np.empty(int(sizes.sum()), np.int64)
        single = code >= 0
        flat[offsets[single]] = code[single]
        for at, part in zip(offsets[compound].tolist(), parts, strict=True):
            flat[at : at + len(part)] = part
        per_chunk = sizes[index]
        before = np.cumsum(per_chunk) - per_chunk
        ramp = np.arange(int(per_chunk.sum()), dtype=np.int64) - np.repeat(before, per_chunk)
        return flat[np.repeat(offsets[index], per_chunk) + ramp], per_chunk

    def _each(self, values: list[str]) -> tuple[np.ndarray, np.ndarray]:
        found = [self.ids(value) for value in values]
        joined = np.fromiter((i for ids in found for i in ids), np.int32)
        return joined, np.array([len(ids) for ids in found], np.int64)


_ANALYSES: dict[tuple[bool, frozenset[str]], Analysis] = {}


def shared_analysis(fold_stem: FoldStemFilter) -> Analysis:
    """This process's Analysis for `fold_stem`'s settings (a fresh one once it is big)."""
    key = (fold_stem.stem, fold_stem.stops)
    found = _ANALYSES.get(key)
    if found is None or len(found.chunks.codes) > _CHUNK_LIMIT:
        fresh = FoldStemFilter(stem=fold_stem.stem, stops=fold_stem.stops)
        found = _ANALYSES[key] = Analysis(fresh)
    return found


class TokenStore:
    """One vocabulary's term ids of every value analysed in this segment, in runs (one per
    value and document). Values are gathered and analysed in batches of BATCH_CHARS."""

    def __init__(self, fold_stem: FoldStemFilter) -> None:
        self.analysis = shared_analysis(fold_stem)
        self.vocabulary = self.analysis.vocabulary
        self.ids = array("i")
        self._starts = array("q")  # of each analysed run in `ids`
        self._lengths = array("q")
        self._pending: list[str] = []  # values of the runs not yet analysed, in order
        self._pending_chars = 0
        self._doc = -1
        self._seen: dict[str, int] = {}

    def run(self, doc: int, value: str) -> int:
        """The number of `value`'s run (a value is analysed once per document)."""
        if doc != self._doc:
            self._doc, self._seen = doc, {}
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = len(self._starts) + len(self._pending)
            self._pending.append(value)
            self._pending_chars += len(value)
            if self._pending_chars >= BATCH_CHARS:
                self._analyse_pending()
        return found

    def _analyse_pending(self) -> None:
        if not self._pending:
            return
        ids, counts = self.analysis.ids_many(self._pending)
        starts = np.cumsum(counts) - counts + len(self.ids)
        self.ids.frombytes(ids.tobytes())
        self._starts.frombytes(starts.astype(np.int64).tobytes())
        self._lengths.frombytes(counts.tobytes())
        self._pending, self._pending_chars = [], 0

    def run_table(self) -> tuple[np.ndarray, np.ndarray]:
        """Each run's start in `id_array()` and its length."""
        self._analyse_pending()
        return _int64(self._starts), _int64(self._lengths)

    def run_lengths(self) -> np.ndarray:
        """The length of each run, in order."""
        return self.run_table()[1]

    def id_array(self) -> np.ndarray:
        self._analyse_pending()
        return np.frombuffer(self.ids, np.int32) if self.ids else np.zeros(0, np.int32)

    def __len__(self) -> int:
        """Tokens held (those of values not yet analysed estimated from their length)."""
        return len(self.ids) + self._pending_chars // _CHARS_PER_TOKEN
