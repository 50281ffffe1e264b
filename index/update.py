"""Incremental update: index only what the archive changed since the build's watermark.

    python -m index.update

Runs under the same lock as a rebuild, updates the live build in place (update_document
by id through index.bulk's writer; one atomic Whoosh commit, or one per SEGMENT_POSTINGS
postings for a big backfill), then advances the watermark in meta.json. Killed before
the watermark moves, the next update simply re-indexes the same articles (idempotent).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from crawler.archive import Archive, ArchiveError
from crawler.config import load_config
from index.build import (
    SEGMENT_POSTINGS,
    BuildFailed,
    IndexBusy,
    current_build,
    index_lock,
    read_meta,
    write_meta,
)
from index.bulk import BulkSegmentWriter, open_for_writing
from index.schema import to_document

logger = logging.getLogger(__name__)


# Update segments smaller than this are merged into the next update's segment, so daily
# updates leave a few segments rather than one a day (merging this many takes seconds).
MERGE_BELOW = 5000


def merge_small_updates(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: fold segments under MERGE_BELOW documents into the new one
    (Whoosh's MERGE_SMALL only ever merges segments of a few dozen documents)."""
    small = [s for s in segments if s.doc_count_all() < MERGE_BELOW]
    if not small:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() >= MERGE_BELOW]


class NoIndex(RuntimeError):
    """There is no live index to update (run a full rebuild first)."""


@dataclass
class UpdateReport:
    articles: int
    seconds: float
    watermark_before: int
    watermark_after: int


def update(archive_path: Path, index_dir: Path) -> UpdateReport:
    """Index the articles inserted or changed since the live build's watermark."""
    index_dir = Path(index_dir)
    with index_lock(index_dir):
        build_dir = current_build(index_dir)
        if build_dir is None:
            raise NoIndex(f"no index at {index_dir}: run `python -m index.rebuild` first")
        started = time.monotonic()
        meta = read_meta(build_dir)
        before = int(meta["watermark"])  # type: ignore[call-overload]
        after, count = before, 0
        with Archive(archive_path, readonly=True) as archive:
            changes = archive.changed_since(before)
            first = next(changes, None)
            if first is not None:
                ix = open_for_writing(build_dir)
                writer = BulkSegmentWriter(ix)
                try:
                    for seq, article in chain([first], changes):
                        doc = to_document(article)
                        # A build older than a new field (e.g. pairs) keeps its own schema.
                        writer.update_document(**{k: v for k, v in doc.items() if k in ix.schema})
                        after, count = max(after, seq), count + 1
                        if writer.postings_held >= SEGMENT_POSTINGS:  # a big backfill
                            writer.commit(mergetype=merge_small_updates)
                            writer = BulkSegmentWriter(ix)
                    writer.commit(mergetype=merge_small_updates)
                except BaseException as exc:
                    if not writer.is_closed:
                        writer.cancel()
                    if isinstance(exc, Exception):
                        raise BuildFailed(
                            f"indexing failed: {type(exc).__name__}: {exc}; "
                            f"the watermark stays at {before}, so nothing is skipped"
                        ) from exc
                    raise
                finally:
                    ix.storage.remove_temp()
                ix.close()
        if after != before:
            meta.update(
                watermark=after,
                updated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            write_meta(build_dir, meta)
        seconds = time.monotonic() - started
        logger.info(
            "updated %d articles in %.1f s (watermark %d → %d)", count, seconds, before, after
        )
        return UpdateReport(count, seconds, before, after)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.update",
        description="Index the articles archived or changed since the last build or update.",
    )
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = load_config()
    try:
        report = update(config.archive_path, config.index_dir)
    except (IndexBusy, NoIndex, ArchiveError, BuildFailed) as exc:
        print(f"index.update: {exc}", file=sys.stderr)  # noqa: T201 - CLI output
        return 2
    print(f"updated {report.articles} articles (watermark {report.watermark_after})")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
