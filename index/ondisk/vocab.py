"""Vocabulary files: each segment's words per field, sorted, with a letter-pair index.

A wildcard must find the indexed words matching its pattern. Whoosh's dictionary can only
be read from a prefix onwards, so `*ae*` meant testing every word of it (30 s on 605,000
words). A build or update therefore writes, beside each segment and per field of
VOCAB_FIELDS, the field's words in sorted order and, for every pair of consecutive
characters of "\\0word\\0", the ids of the words holding it (a k-gram index, k = 2; the \\0
marks the start or end, so "\\0e" means "starts with e"). index.engine.vocab reads them:
a prefix is a binary search in the sorted words, any other pattern starts from the words
holding its rarest letter pair, so the work follows what the pattern can match.

    <build>/vocab/<segment id>/<field>.words.npy       uint8: UTF-8 words, each ending "\\n"
    <build>/vocab/<segment id>/<field>.starts.npy      int64: offset of each word, then the end
    <build>/vocab/<segment id>/<field>.grams.npy       int64: the distinct pair codes, sorted
    <build>/vocab/<segment id>/<field>.gramstarts.npy  int64: offset of each pair's word ids
    <build>/vocab/<segment id>/<field>.gramwords.npy   uint32: word ids per pair, ascending

Segments never change once written, so their files never go stale: `write_vocabularies`
writes the files of segments that have none and removes those of segments merged away.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import IndexReader

from index.ondisk.schema import CONTENT

logger = logging.getLogger(__name__)

VOCAB_DIR = "vocab"
# The fields a query can put a wildcard in, and `spell` (the did-you-mean dictionary).
VOCAB_FIELDS = (CONTENT, "title", "author", "section", "tag", "source", "spell")
PARTS = ("words", "starts", "grams", "gramstarts", "gramwords")
BOUNDARY = 0  # the code of the start/end marker in a pair
_SHIFT = 21  # bits of one Unicode code point


def pair_code(first: str | int, second: str | int) -> int:
    """The code of a pair of characters (an int code point, or 0 for the boundary)."""
    a = first if isinstance(first, int) else ord(first)
    b = second if isinstance(second, int) else ord(second)
    return (a << _SHIFT) | b


def segment_dir(build_dir: Path, segment_id: str) -> Path:
    return Path(build_dir) / VOCAB_DIR / segment_id


def _sorted_words(reader: IndexReader, fieldname: str) -> list[bytes]:
    if fieldname not in reader.schema:
        return []
    # Whoosh's lexicon is in byte order already; words holding a separator cannot occur
    # (the tokenizer keeps only word characters) but would corrupt the file, so skip them.
    return [w for w in reader.lexicon(fieldname) if b"\n" not in w and b"\0" not in w]


def field_arrays(words: list[bytes]) -> dict[str, np.ndarray]:
    """The five arrays of one field's sorted words."""
    blob = b"".join(w + b"\n" for w in words)
    lengths = np.fromiter((len(w) + 1 for w in words), np.int64, len(words))
    starts = np.zeros(len(words) + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    grams, gramstarts, gramwords = _pair_index(blob)
    return {
        "words": np.frombuffer(blob, np.uint8),
        "starts": starts,
        "grams": grams,
        "gramstarts": gramstarts,
        "gramwords": gramwords,
    }


def _pair_index(blob: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (pair, word id) of "\\n"-ended words, as a sorted pair list and word-id lists."""
    if not blob:
        return np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.uint32)
    points = np.frombuffer(("\n" + blob.decode("utf-8")).encode("utf-32-le"), np.uint32)
    points = points.astype(np.int64)
    edge = points == ord("\n")
    points[edge] = BOUNDARY
    # Pair i is (points[i], points[i+1]); its word is the one after the last edge up to i.
    word_of = np.cumsum(edge)[:-1] - 1
    codes = (points[:-1] << _SHIFT) | points[1:]
    inside = ~(edge[:-1] & edge[1:])
    codes, word_of = codes[inside], word_of[inside]
    # Sorting, not np.unique: numpy 2.3's unique took 25 s on 3M int64 where sort takes 0.4 s.
    grams = _distinct(np.sort(codes))
    rank = np.searchsorted(grams, codes)
    keys = _distinct(np.sort((rank << 32) | word_of))  # a word's repeated pairs once
    counts = np.bincount(keys >> 32, minlength=len(grams))
    gramstarts = np.zeros(len(grams) + 1, np.int64)
    np.cumsum(counts, out=gramstarts[1:])
    return grams, gramstarts, (keys & 0xFFFFFFFF).astype(np.uint32)


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array."""
    keep = np.ones(len(ordered), bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _write_segment(reader: IndexReader, target: Path) -> None:
    """Write one segment's files into a fresh directory, then rename it into place."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for fieldname in VOCAB_FIELDS:
        for part, array in field_arrays(_sorted_words(reader, fieldname)).items():
            np.save(tmp / f"{fieldname}.{part}.npy", array)
    os.replace(tmp, target)


def write_vocabularies(build_dir: Path) -> int:
    """Give every segment of the index in `build_dir` its vocabulary files; remove those of
    segments no longer in it. Returns how many segments got new files."""
    vocab_root = Path(build_dir) / VOCAB_DIR
    vocab_root.mkdir(exist_ok=True)
    ix = whoosh_index.open_dir(build_dir)
    written = 0
    try:
        with ix.reader() as reader:
            live = set()
            for leaf, _offset in reader.leaf_readers():
                segment = leaf.segment()
                if segment is None:
                    continue
                live.add(segment.segment_id())
                target = vocab_root / segment.segment_id()
                if not target.is_dir():
                    _write_segment(leaf, target)
                    written += 1
    finally:
        ix.close()
    for old in vocab_root.iterdir():
        if old.name not in live:
            shutil.rmtree(old, ignore_errors=True)
    logger.debug("vocabulary files written for %d segments", written)
    return written
