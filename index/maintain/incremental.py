"""Incremental update: index only what the archive changed since the build's watermark.

Runs under the same lock as a rebuild, updates the live build in place (update_document
by id through index.ondisk.bulk's writer; one atomic Whoosh commit, or one per
SEGMENT_POSTINGS postings for a big backfill), then advances the watermark in meta.json.
Killed before the watermark moves, the next update simply re-indexes the same articles
(idempotent).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from crawler.archive import ArchiveLocation, open_archive
from index.layout import FORMAT, current_build, format_of, index_lock, read_meta, write_meta
from index.maintain.build import SEGMENT_POSTINGS, BuildFailed
from index.ondisk.bulk import BulkSegmentWriter, open_for_writing
from index.ondisk.schema import to_document
from index.ondisk.segments import merge_small_updates
from index.ondisk.vocab import write_vocabularies

logger = logging.getLogger(__name__)


class NoIndex(RuntimeError):
    """There is no live index to update (run a full rebuild first)."""


@dataclass
class UpdateReport:
    articles: int
    seconds: float
    watermark_before: int
    watermark_after: int


def update(archive_path: ArchiveLocation, index_dir: Path) -> UpdateReport:
    """Index the articles inserted or changed since the live build's watermark."""
    index_dir = Path(index_dir)
    with index_lock(index_dir):
        build_dir = current_build(index_dir)
        if build_dir is None:
            raise NoIndex(f"no index at {index_dir}: run `python -m index.rebuild` first")
        if format_of(build_dir) != FORMAT:
            raise NoIndex(
                f"the index at {index_dir} was built by an older version (format "
                f"{format_of(build_dir)}, this version writes {FORMAT}): "
                "run a full `python -m index.rebuild`"
            )
        started = time.monotonic()
        meta = read_meta(build_dir)
        before = int(meta["watermark"])  # type: ignore[call-overload]
        after, count = before, 0
        with open_archive(archive_path, readonly=True) as archive:
            changes = archive.changed_since(before)
            first = next(changes, None)
            if first is not None:
                ix = open_for_writing(build_dir)
                writer = BulkSegmentWriter(ix)
                try:
                    for seq, article in chain([first], changes):
                        writer.update_document(**to_document(article))
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
        write_vocabularies(build_dir)  # new segments' word lists (and any still missing)
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
