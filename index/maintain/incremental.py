"""Incremental update: index only what the archive changed since the build's watermark.

Runs under the same lock as a rebuild, updates the live build in place (update_document
by id through index.ondisk.bulk's writer; one atomic Whoosh commit, or one per
SEGMENT_POSTINGS postings for a big backfill), then advances the watermark in meta.json.
Killed before the watermark moves, the next update simply re-indexes the same articles
(idempotent). A row that cannot be indexed is skipped with a warning (index.maintain.skipping)
and the watermark moves past it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.archive import ArchiveLocation, ArchiveStore, open_archive
from index.faults import checked_build
from index.layout import FORMAT, file_sizes, index_lock, read_meta, write_meta
from index.maintain.build import SEGMENT_POSTINGS, BuildFailed
from index.maintain.cleanup import failure_reason, storage_message
from index.maintain.skipping import add_or_redo, document_or_none, too_many
from index.ondisk.bulk import BulkSegmentWriter, open_for_writing
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
    skipped: list[str] = field(default_factory=list)  # ids of articles that could not be indexed


def _live_build(index_dir: Path) -> Path:
    """The live build, checked (raises NoIndex, or IndexDamaged: never update a damaged one)."""
    found = checked_build(index_dir)
    if found is None:
        raise NoIndex(f"no index in {index_dir}: run `python -m index.rebuild` first")
    build_dir, meta = found
    if meta.get("format", 1) != FORMAT:
        raise NoIndex(
            f"the index at {index_dir} was built by an older version (format "
            f"{meta.get('format', 1)}, this version writes {FORMAT}): "
            "run a full `python -m index.rebuild`"
        )
    return build_dir


def update(
    archive_path: ArchiveLocation, index_dir: Path, *, progress: bool = False
) -> UpdateReport:
    """Index the articles inserted or changed since the live build's watermark
    (`progress`: a progress bar on stderr). Raises NoIndex, IndexBusy or BuildFailed."""
    index_dir = Path(index_dir)
    _live_build(index_dir)  # before locking: no lock file where there is no index
    try:
        with index_lock(index_dir):
            return _update_locked(archive_path, index_dir, progress)
    except OSError as exc:  # the lock: a read-only or full directory
        raise BuildFailed(storage_message(exc, index_dir)) from exc


def _update_locked(archive_path: ArchiveLocation, index_dir: Path, progress: bool) -> UpdateReport:
    build_dir = _live_build(index_dir)
    started = time.monotonic()
    meta = read_meta(build_dir)
    before = int(meta["watermark"])  # type: ignore[call-overload]
    try:
        with open_archive(archive_path, readonly=True) as archive:
            after, count, skipped = _index_changes(archive, build_dir, before, progress)
        write_vocabularies(build_dir)  # new segments' word lists (and any still missing)
        if after != before:
            meta.update(
                watermark=after,
                updated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                files=file_sizes(build_dir),
            )
            write_meta(build_dir, meta)
    except Exception as exc:
        reason = failure_reason(exc, index_dir, build_dir=build_dir)
        raise BuildFailed(
            f"{reason or f'indexing failed: {type(exc).__name__}: {exc}'}; "
            f"the watermark stays at {before}, so nothing is skipped"
        ) from exc
    seconds = time.monotonic() - started
    logger.debug("updated %d articles in %.1f s (watermark %d → %d)", count, seconds, before, after)
    return UpdateReport(count, seconds, before, after, skipped)


def _index_changes(
    archive: ArchiveStore, build_dir: Path, before: int, progress: bool
) -> tuple[int, int, list[str]]:
    """Index the changes after watermark `before`: (new watermark, articles, skipped ids)."""
    total = archive.changed_count(before)
    if not total:
        return before, 0, []
    after, seen, skipped = before, 0, []
    bar = _progress_bar(total) if progress else None
    ix = open_for_writing(build_dir)
    writer = BulkSegmentWriter(ix)
    in_segment: list[str] = []
    try:
        for seq, article in archive.changed_since(before):
            after, seen = max(after, seq), seen + 1  # past skipped rows too: never stuck
            document = document_or_none(article, skipped)
            if document is None:
                writer.delete_by_term("id", article["id"])  # nor its older version
            else:
                writer = add_or_redo(
                    writer, lambda: BulkSegmentWriter(ix), article["id"], document,
                    in_segment, archive, skipped, replace=True,
                )  # fmt: skip
            if writer.postings_held >= SEGMENT_POSTINGS:  # a big backfill
                writer.commit(mergetype=merge_small_updates)
                writer, in_segment = BulkSegmentWriter(ix), []
            if bar is not None:
                bar.update(1)
        bug = too_many(skipped, seen - len(skipped))
        if bug:
            raise RuntimeError(bug)
        writer.commit(mergetype=merge_small_updates)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        ix.storage.remove_temp()
        if bar is not None:
            bar.close()
    ix.close()
    return after, seen - len(skipped), skipped


def _progress_bar(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="articles", desc="updating")
