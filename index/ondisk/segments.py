"""Whole segments: committing a set of them as the index, and merging small ones away.

A parallel build writes segments in several processes, outside any Whoosh writer, so the
index becomes those segments by writing a new table of contents (whoosh.index.TOC) by
hand. Incremental updates fold small update segments into the next one, because Whoosh's
MERGE_SMALL policy only ever merges segments of a few dozen documents. A writer spoilt
half-way through a document is discarded with its segment's files.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from whoosh.index import TOC, FileIndex
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

logger = logging.getLogger(__name__)
# Update segments smaller than this are merged into the next update's segment, so daily
# updates leave a few segments rather than one a day (merging this many takes seconds).
MERGE_BELOW = 5000


def commit_segments(ix: FileIndex, segments: Sequence[Any]) -> None:
    """Make `segments` the whole index in one step: a new table of contents."""
    TOC(ix.schema, list(segments), ix.latest_generation() + 1).write(ix.storage, ix.indexname)


def doc_count(segments: Sequence[Any]) -> int:
    return sum(segment.doc_count_all() for segment in segments)


def merge_small_updates(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: fold segments under MERGE_BELOW documents into the new one."""
    small = [s for s in segments if s.doc_count_all() < MERGE_BELOW]
    if not small:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() >= MERGE_BELOW]


def discard_segment(writer: SegmentWriter) -> None:
    """Cancel `writer` and delete the files of the segment it had begun (none is kept)."""
    segment = writer.newsegment
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - a writer spoilt half-way may not close cleanly
        logger.debug("cancelling a spoilt writer failed", exc_info=True)
    for name in segment.list_files(writer.storage):
        writer.storage.delete_file(name)
