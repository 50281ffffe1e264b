"""The words of a segment's documents as term ids: what the bulk writer keeps per article.

Analysis has to run per article, but only once per distinct raw token: a `Vocabulary` maps
each raw token (as the tokenizer matched it) to a term id, folding and stemming it the
first time it is seen, so an article costs one regular-expression scan and one dictionary
look-up per word. Each analysed value becomes a run of term ids in one growing array; the
fields that index the same text (content, stops and pairs) share its run. What a field
makes of its runs (which ids it keeps, positions, pairs) is decided once per segment, on
whole arrays (index.ondisk.bulk, index.ondisk.inversion).
"""

from __future__ import annotations

from array import array
from itertools import repeat

import numpy as np

from index.ondisk.analysis import LINE_BREAK, SCAN_RE, FoldStemFilter, plain_word

WORD, STOP, BREAK, NOTHING = 0, 1, 2, 3
_UNSEEN = -(1 << 62)  # below every code
_MARK = "\x00"  # stands for a line break (never a token, nor whitespace)
_SPACED_MARK = f" {_MARK} "
_SHORT = 80  # values this long or shorter (names, sections, titles) are memoised whole
_SHORT_LIMIT = 100_000
_CHUNK_LIMIT = 1_000_000  # chunks a process remembers per analysis (~110 bytes each)


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
    """Where each (document, field)'s term ids sit in a vocabulary's token array."""

    def __init__(self) -> None:
        self.docs = array("q")
        self.starts = array("q")
        self.lengths = array("q")

    def add(self, doc: int, start: int, length: int) -> None:
        self.docs.append(doc)
        self.starts.append(start)
        self.lengths.append(length)

    def tokens(
        self, ids: np.ndarray, first_doc: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term ids, documents, positions) of the runs of documents from `first_doc` on,
        in document then position order."""
        docs = np.frombuffer(self.docs, np.int64)
        keep = docs >= first_doc
        lengths = np.frombuffer(self.lengths, np.int64)[keep]
        starts = np.frombuffer(self.starts, np.int64)[keep]
        total = int(lengths.sum())
        before = np.cumsum(lengths) - lengths
        positions = np.arange(total, dtype=np.int64) - np.repeat(before, lengths)
        index = np.repeat(starts, lengths) + positions
        return ids[index], np.repeat(docs[keep], lengths), positions


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
        if _MARK in value:  # the marker is taken: one line at a time
            found: list[int] = []
            for number, line in enumerate(value.split(LINE_BREAK)):
                if number:
                    found.append(self.line_break)
                found += self.chunks.ids(line)
            return found
        # Line breaks as chunks of their own, so one split does the whole value.
        return self.chunks.ids(value.replace(LINE_BREAK, _SPACED_MARK))


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
    """One vocabulary's term ids of every value analysed in this segment."""

    def __init__(self, fold_stem: FoldStemFilter) -> None:
        self.analysis = shared_analysis(fold_stem)
        self.vocabulary = self.analysis.vocabulary
        self.ids = array("i")
        self._doc = -1
        self._seen: dict[str, tuple[int, int]] = {}
        self._lengths: list[int] = []

    def run(self, doc: int, value: str) -> tuple[int, int]:
        """(start, length) of `value`'s term ids (analysed once per document)."""
        if doc != self._doc:
            self._doc, self._seen = doc, {}
        found = self._seen.get(value)
        if found is None:
            start = len(self.ids)
            self.ids.extend(self.analysis.ids(value))
            found = self._seen[value] = (start, len(self.ids) - start)
            self._lengths.append(found[1])
        return found

    def run_lengths(self) -> list[int]:
        """The length of each run, in order (each value analysed once per document)."""
        return self._lengths

    def id_array(self) -> np.ndarray:
        return np.frombuffer(self.ids, np.int32) if self.ids else np.zeros(0, np.int32)

    def __len__(self) -> int:
        return len(self.ids)
