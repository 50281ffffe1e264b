"""Full rebuild of the index from the archive, swapped in atomically.

A rebuild writes a new build directory beside the live one (index.layout) and only then
points `current` at it, so a rebuild killed at any moment leaves the live index untouched.
The previous build is kept (searchers that still hold it keep answering until they
switch); older builds are removed by the next rebuild. A rebuild that fails removes its
partial build (index.maintain.cleanup); a row that cannot be indexed is skipped and
reported (index.maintain.skipping).

The archive is split into order-key ranges, each indexed by a spawned process that writes
whole segments with index.ondisk.bulk; then one new table of contents commits them all.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from crawler.archive import ArchiveLocation, ArchiveStore, OrderKey, open_archive
from crawler.record import Article
from index.layout import (
    BUILD_PREFIX,
    FORMAT,
    current_build,
    dir_bytes,
    file_sizes,
    index_lock,
    swap_in,
    write_meta,
)
from index.maintain.cleanup import (
    failure_reason,
    remove_abandoned,
    remove_build,
    space_needed,
    storage_message,
)
from index.maintain.skipping import add_or_redo, document_or_none, too_many
from index.ondisk.bulk import BulkSegmentWriter, open_for_writing
from index.ondisk.pairs import SAMPLE_ARTICLES, common_words
from index.ondisk.schema import make_schema
from index.ondisk.segments import commit_segments, doc_count
from index.ondisk.vocab import write_vocabularies

logger = logging.getLogger(__name__)

# Postings an indexing process holds in memory (~12 bytes each) before it writes a segment.
SEGMENT_POSTINGS = 30_000_000
# Below this many articles one process indexes: starting another costs more than it saves,
# and one segment is smaller (5,000 articles: 4,012 bytes/article vs 4,510 in two).
PARALLEL_MIN = 10_000
PROGRESS_EVERY = 500
SAMPLE_RUNS = 10  # places in the archive the common-word sample is read from


class BuildFailed(RuntimeError):
    """Indexing stopped part-way (the live index is untouched)."""


@dataclass
class BuildReport:
    articles: int
    seconds: float
    index_bytes: int
    build_dir: Path
    watermark: int
    skipped: list[str] = field(default_factory=list)  # ids of articles that could not be indexed

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def _remove_old_builds(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.glob(f"{BUILD_PREFIX}*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            logger.info("removed old build %s", path.name)


def spread_sample(
    archive: ArchiveStore, count: int, size: int = SAMPLE_ARTICLES
) -> Iterator[Article]:
    """About `size` articles read from SAMPLE_RUNS places spread over the archive's order:
    the oldest alone made the words of their years common ("1997" at 200,000 articles) and
    missed words of every year ("police", in 12 % of them)."""
    if count <= size:
        yield from archive.articles()
        return
    for k in range(SAMPLE_RUNS):
        start = archive.key_at(count * k // SAMPLE_RUNS)
        # Closed at once: a PostgreSQL scan holds a connection of its own until then.
        with closing(archive.articles(start)) as rows:
            yield from islice(rows, size // SAMPLE_RUNS)


def _slices(archive: ArchiveStore, count: int, procs: int) -> list[tuple[OrderKey | None, ...]]:
    """Consecutive (start, stop) order-key ranges of about count/procs articles each."""
    if procs <= 1 or count < PARALLEL_MIN:
        return [(None, None)]
    keys = [archive.key_at(count * k // procs) for k in range(1, procs)]
    return list(pairwise([None, *keys, None]))


@dataclass
class SliceResult:
    segments: list[Any]  # in article order
    skipped: list[str]  # ids of the articles that could not be indexed


def index_slice(
    build_dir: Path,
    archive_path: ArchiveLocation,
    start: OrderKey | None,
    stop: OrderKey | None,
    segment_postings: int = SEGMENT_POSTINGS,
    progress: Callable[[int], object] | None = None,
) -> SliceResult:
    """Index the archive's articles from `start` to `stop` into new segments of the index
    in `build_dir` (not yet in its table of contents); the segments, in article order, and
    the articles skipped because they could not be indexed.

    A segment is written whenever `segment_postings` postings are held in memory.
    `progress(n)` is called as every n more articles are indexed.
    """
    ix = open_for_writing(build_dir)
    segments: list[Any] = []
    skipped: list[str] = []

    def new_writer() -> BulkSegmentWriter:
        return BulkSegmentWriter(ix, _lk=False)

    writer = new_writer()
    in_segment: list[str] = []  # ids in the unfinished segment, to redo it without a bad one
    pending = 0
    try:
        with open_archive(archive_path, readonly=True) as archive:
            for article in archive.articles(start, stop):
                document = document_or_none(article, skipped)
                if document is not None:
                    writer = add_or_redo(
                        writer, new_writer, article["id"], document, in_segment, archive, skipped
                    )
                if writer.postings_held >= segment_postings:
                    segments.append(writer.finish())
                    writer, in_segment = new_writer(), []
                pending += 1
                if progress is not None and pending == PROGRESS_EVERY:
                    progress(pending)
                    pending = 0
        last = writer.finish()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        ix.storage.remove_temp()
    if progress is not None and pending:
        progress(pending)
    ix.close()
    return SliceResult([*segments, last] if last is not None else segments, skipped)


# In an indexing process: the parent's shared count of indexed articles.
_done: Any = None


def _init_worker(parent_pid: int, done: Any) -> None:
    """Share the progress counter, and exit when the parent dies (e.g. a SIGKILLed
    rebuild) instead of indexing on as an orphan."""
    global _done
    _done = done

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _count_done(n: int) -> None:
    with _done.get_lock():
        _done.value += n


def _index_slice_in_worker(*args: Any) -> SliceResult:
    return index_slice(*args, progress=_count_done)


def _failure(exc: BaseException) -> BuildFailed:
    """What a rebuild that stopped on `exc` tells its user (the traceback goes to debug)."""
    if isinstance(exc, BrokenProcessPool):
        reason = "an indexing process died (out of memory, or killed)"
    else:
        logger.debug("indexing failed", exc_info=exc)
        reason = f"indexing failed: {type(exc).__name__}: {exc}"
    return BuildFailed(f"{reason}; the live index is unchanged")


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop running tasks: terminate its processes
    # (before shutdown, which forgets them).
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _index_articles(
    archive: ArchiveStore, archive_path: ArchiveLocation, build_dir: Path, procs: int, bar: Any
) -> tuple[int, list[str]]:
    # The common words (whose pairs get indexed) from a sample: it only decides speed,
    # never results (index.engine.phrases checks positions for other phrases).
    count = archive.count()
    ix = whoosh_index.create_in(build_dir, make_schema(common_words(spread_sample(archive, count))))
    slices = _slices(archive, count, procs)
    if len(slices) == 1:
        try:
            parts = [
                index_slice(
                    build_dir, archive_path, None, None, SEGMENT_POSTINGS, bar and bar.update
                )
            ]
        except Exception as exc:
            raise _failure(exc) from exc
    else:
        # "spawn": forking a process that has threads (a web app, a test) can deadlock.
        context = multiprocessing.get_context("spawn")
        done = context.Value("q", 0)
        with ProcessPoolExecutor(
            len(slices),
            mp_context=context,
            initializer=_init_worker,
            initargs=(os.getpid(), done),
        ) as pool:
            futures = [
                pool.submit(_index_slice_in_worker, build_dir, archive_path, a, b, SEGMENT_POSTINGS)
                for a, b in slices
            ]
            shown = 0
            try:
                while not all(f.done() for f in futures):
                    wait(futures, timeout=0.5, return_when=FIRST_EXCEPTION)
                    if any(f.done() and f.exception() for f in futures):
                        break
                    if bar is not None and done.value > shown:
                        bar.update(done.value - shown)
                        shown = done.value
            except BaseException:  # Ctrl-C or a signal to this process alone
                _stop_workers(pool)  # not wait for them to index their whole share
                raise
            failed = next((f.exception() for f in futures if f.done() and f.exception()), None)
            if failed is not None:
                _stop_workers(pool)  # rather than wait for the others to finish for nothing
                raise _failure(failed) from failed
            parts = [f.result() for f in futures]
        if bar is not None:
            bar.update(done.value - shown)
    segments = [segment for part in parts for segment in part.segments]
    skipped = [article_id for part in parts for article_id in part.skipped]
    commit_segments(ix, segments)
    ix.close()
    write_vocabularies(build_dir)  # the word lists wildcards and did-you-mean read
    return doc_count(segments), skipped


def rebuild(
    archive_path: ArchiveLocation, index_dir: Path, *, procs: int = 2, progress: bool = False
) -> BuildReport:
    """Build a complete new index from the archive and swap it in atomically.

    Raises BuildFailed (the partial build removed, the live index untouched) when indexing
    or writing fails, IndexBusy when another rebuild or update runs.
    """
    index_dir = Path(index_dir)
    try:
        with index_lock(index_dir):
            return _rebuild_locked(archive_path, index_dir, procs, progress)
    except OSError as exc:  # creating the directory or the lock: read-only, full
        raise BuildFailed(storage_message(exc, index_dir, 0)) from exc


def _rebuild_locked(
    archive_path: ArchiveLocation, index_dir: Path, procs: int, progress: bool
) -> BuildReport:
    started = time.monotonic()
    remove_abandoned(index_dir)
    previous = current_build(index_dir)
    needed = space_needed(index_dir, archive_path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    build_dir = index_dir / f"{BUILD_PREFIX}{stamp}-{os.getpid()}"
    try:
        build_dir.mkdir()
        watermark, count, skipped = _build(archive_path, build_dir, procs, progress)
        bug = too_many(skipped, count)
        if bug:
            raise BuildFailed(f"{bug}; the live index is unchanged")
        seconds = time.monotonic() - started
        write_meta(
            build_dir,
            {
                "format": FORMAT,
                "watermark": watermark,
                "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "build_seconds": round(seconds, 2),
                "articles": count,
                "skipped": len(skipped),
                "files": file_sizes(build_dir),
            },
        )
        swap_in(index_dir, build_dir)
    except BaseException as exc:  # disk full, Ctrl-C, SIGTERM, a dead worker: no partial build
        remove_build(index_dir, build_dir)
        cause = exc.__cause__ if isinstance(exc, BuildFailed) and exc.__cause__ else exc
        reason = failure_reason(cause, index_dir, needed)
        if reason:
            raise BuildFailed(
                f"{reason}; the partial build was removed and the live index is unchanged"
            ) from exc
        raise
    keep = {build_dir.name} | ({previous.name} if previous else set())
    _remove_old_builds(index_dir, keep)
    report = BuildReport(count, seconds, dir_bytes(build_dir), build_dir, watermark, skipped)
    # The CLI prints its own summary; library callers can turn this on.
    logger.debug("indexed %d articles in %.1f s (%.0f/s)", count, seconds, report.rate)
    return report


def _build(
    archive_path: ArchiveLocation, build_dir: Path, procs: int, progress: bool
) -> tuple[int, int, list[str]]:
    """Index the whole archive into `build_dir`: (watermark, articles, skipped ids)."""
    with open_archive(archive_path, readonly=True) as archive:
        watermark = archive.max_seq()  # before reading rows: later changes stay pending
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=archive.count(), unit="articles", desc="indexing")
        try:
            count, skipped = _index_articles(archive, archive_path, build_dir, procs, bar)
        finally:
            if bar is not None:
                bar.close()
    return watermark, count, skipped
