"""Reading the vocabulary files (index.ondisk.vocab): the words of a field, per segment.

`SegmentWords` answers, for one segment and field, the two questions a wildcard asks: which
words start with a prefix (a binary search in the sorted words) and which words hold a pair
of letters (a slice of the pair index). Arrays are memory-mapped: opening costs nothing
until a pattern reads them. A segment whose files are missing (written just after the
update that committed it, or an index from before they existed) is read through Whoosh's
own dictionary instead, by `WhooshWords`, whose cost the caller's budget counts.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from index.ondisk.vocab import PARTS, segment_dir


class SegmentWords:
    """One segment's sorted words of one field, from its vocabulary files."""

    def __init__(self, directory: Path, fieldname: str) -> None:
        arrays = {
            part: np.load(directory / f"{fieldname}.{part}.npy", mmap_mode="r") for part in PARTS
        }
        self._blob = arrays["words"]
        self._starts = arrays["starts"]
        self._grams = arrays["grams"]
        self._gramstarts = arrays["gramstarts"]
        self._gramwords = arrays["gramwords"]
        # Plain views for reading one word at a time: indexing a memmap costs ~3 µs in
        # Python (a prefix's binary search reads ~40 words per segment), a memoryview ~0.1.
        self._blob_view = memoryview(np.asarray(self._blob))
        self._starts_view = memoryview(np.asarray(self._starts))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _word_bytes(self, i: int) -> bytes:
        starts = self._starts_view
        return self._blob_view[starts[i] : starts[i + 1] - 1].tobytes()

    def word(self, i: int) -> str:
        return self._word_bytes(i).decode("utf-8")

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        """The ids [lo, hi) of the words starting with `prefix` (byte order = code point order)."""
        key = prefix.encode("utf-8")

        def cut(i: int) -> bytes:  # a word's first len(key) bytes: in the same order as words
            return self._word_bytes(i)[: len(key)]

        lo = bisect.bisect_left(range(len(self)), key, key=cut)
        return lo, bisect.bisect_right(range(len(self)), key, lo=lo, key=cut)

    def run(self, lo: int, hi: int) -> str:
        """The words with ids lo..hi-1, each ending in "\\n" (one slice of the file)."""
        return self._blob[self._starts[lo] : self._starts[hi]].tobytes().decode("utf-8")

    def pick(self, ids: np.ndarray) -> str:
        """The words with these ids, each ending in "\\n" (gathered by one numpy indexing)."""
        if not len(ids):
            return ""
        ids = np.asarray(ids, np.int64)
        starts = self._starts[ids]
        lengths = self._starts[ids + 1] - starts
        placed = np.cumsum(lengths) - lengths  # where each word starts in the result
        at = np.arange(int(lengths.sum())) - np.repeat(placed - starts, lengths)
        return self._blob[at].tobytes().decode("utf-8")

    def pair_size(self, code: int) -> int:
        """How many words hold the letter pair `code`."""
        at = int(np.searchsorted(self._grams, code))
        if at >= len(self._grams) or self._grams[at] != code:
            return 0
        return int(self._gramstarts[at + 1] - self._gramstarts[at])

    def pair_words(self, code: int) -> np.ndarray:
        """The ids (ascending) of the words holding the letter pair `code`."""
        at = int(np.searchsorted(self._grams, code))
        if at >= len(self._grams) or self._grams[at] != code:
            return np.zeros(0, np.uint32)
        return np.asarray(self._gramwords[self._gramstarts[at] : self._gramstarts[at + 1]])

    def lengths(self, ids: np.ndarray) -> np.ndarray:
        """The UTF-8 length in bytes of each word in `ids`."""
        return (self._starts[ids + 1] - self._starts[ids] - 1).astype(np.int64)


class WhooshWords:
    """One segment's words of one field read from Whoosh's dictionary (no vocabulary files)."""

    def __init__(self, reader: IndexReader, fieldname: str) -> None:
        self.reader = reader
        self.fieldname = fieldname

    def from_prefix(self, prefix: str) -> Iterator[str]:
        """The words starting with `prefix`, in order (a range seek in the dictionary)."""
        if self.fieldname not in self.reader.schema:
            return
        for term in self.reader.expand_prefix(self.fieldname, prefix):
            yield term.decode("utf-8") if isinstance(term, bytes) else term

    def every(self) -> Iterator[str]:
        """Every word of the field, in order (the whole dictionary: callers count the cost)."""
        if self.fieldname not in self.reader.schema:
            return
        for term in self.reader.lexicon(self.fieldname):
            yield term.decode("utf-8") if isinstance(term, bytes) else term


class Vocabulary:
    """Every segment's words, per field, of one open index generation."""

    def __init__(self, reader: IndexReader, build_dir: Path) -> None:
        self._segments: list[tuple[IndexReader, Path | None]] = []
        for leaf, _offset in reader.leaf_readers():
            segment = leaf.segment()
            directory = segment_dir(build_dir, segment.segment_id()) if segment else None
            self._segments.append((leaf, directory if directory and directory.is_dir() else None))
        self._opened: dict[tuple[int, str], SegmentWords | WhooshWords] = {}

    def field(self, fieldname: str) -> list[SegmentWords | WhooshWords]:
        """The words of `fieldname` in each segment."""
        found = []
        for n, (leaf, directory) in enumerate(self._segments):
            key = (n, fieldname)
            words = self._opened.get(key)
            if words is None:
                words = self._open(leaf, directory, fieldname)
                self._opened[key] = words
            found.append(words)
        return found

    def starting_with(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        """Up to `limit` words of each segment's `fieldname` that start with `prefix`, sorted."""
        found: set[str] = set()
        for words in self.field(fieldname):
            if isinstance(words, SegmentWords):
                lo, hi = words.prefix_range(prefix)
                found.update(words.run(lo, min(hi, lo + limit)).split("\n")[:-1])
            else:
                found.update(islice(words.from_prefix(prefix), limit))
        return sorted(found)

    @staticmethod
    def _open(
        leaf: IndexReader, directory: Path | None, fieldname: str
    ) -> SegmentWords | WhooshWords:
        if directory is not None and (directory / f"{fieldname}.words.npy").exists():
            return SegmentWords(directory, fieldname)
        return WhooshWords(leaf, fieldname)
