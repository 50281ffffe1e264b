"""Full rebuild of the index from the archive, swapped in atomically.

Layout of the index directory:

    index_dir/current          symlink → the live build (replaced with os.replace)
    index_dir/build-<stamp>/   one complete Whoosh index + meta.json (watermark, build time)
    index_dir/index.lock       fcntl lock held by a rebuild or update (released on death)

A rebuild writes a new build directory beside the live one and only then points `current`
at it, so a rebuild killed at any moment leaves the live index untouched. The previous
build is kept (searchers that still hold it keep answering until they switch); older and
abandoned builds are removed by the next rebuild.
"""

from __future__ import annotations

import fcntl
import json
import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import TOC

from crawler.archive import Archive, OrderKey
from index.bulk import BulkSegmentWriter, open_for_writing
from index.phrases import common_words
from index.schema import make_schema, to_document

logger = logging.getLogger(__name__)

CURRENT = "current"
LOCK_NAME = "index.lock"
META_NAME = "meta.json"
# Postings an indexing process holds in memory (~12 bytes each) before it writes a segment.
SEGMENT_POSTINGS = 30_000_000
# Below this many articles one process indexes: starting another costs more than it saves.
PARALLEL_MIN = 5000
PROGRESS_EVERY = 500
# The on-disk layout builds are written in (meta.json "format"); 2 = index.codec blocks and
# index.formats positions. Older builds are still read, slowly: rebuild them.
FORMAT = 2


class IndexBusy(RuntimeError):
    """Another rebuild or update holds the index lock."""


class BuildFailed(RuntimeError):
    """Indexing stopped part-way (the live index is untouched)."""


@dataclass
class BuildReport:
    articles: int
    seconds: float
    index_bytes: int
    build_dir: Path
    watermark: int

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Hold the exclusive index lock, or raise IndexBusy at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_NAME
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(
                f"another rebuild or update is running on {index_dir} (lock {path})"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build(index_dir: Path) -> Path | None:
    """The live build directory, or None when no index was ever swapped in."""
    link = index_dir / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = index_dir / target
    return path if (path / META_NAME).exists() else None


def read_meta(build_dir: Path) -> dict[str, object]:
    return json.loads((build_dir / META_NAME).read_text(encoding="utf-8"))


def is_current_format(build_dir: Path) -> bool:
    """Whether `build_dir` was written in this version's FORMAT."""
    return read_meta(build_dir).get("format", 1) == FORMAT


def write_meta(build_dir: Path, meta: dict[str, object]) -> None:
    """Replace meta.json atomically (write a temporary file, fsync, rename)."""
    tmp = build_dir / f"{META_NAME}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(meta, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, build_dir / META_NAME)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def _swap_in(index_dir: Path, build_dir: Path) -> None:
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    os.symlink(build_dir.name, tmp_link)
    os.replace(tmp_link, index_dir / CURRENT)
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove_old_builds(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.glob("build-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            logger.info("removed old build %s", path.name)


def _slices(archive: Archive, count: int, procs: int) -> list[tuple[OrderKey | None, ...]]:
    """Consecutive (start, stop) order-key ranges of about count/procs articles each."""
    if procs <= 1 or count < PARALLEL_MIN:
        return [(None, None)]
    keys = [archive.key_at(count * k // procs) for k in range(1, procs)]
    return list(pairwise([None, *keys, None]))


def index_slice(
    build_dir: Path,
    archive_path: Path,
    start: OrderKey | None,
    stop: OrderKey | None,
    segment_postings: int = SEGMENT_POSTINGS,
    progress: Callable[[int], object] | None = None,
) -> list[Any]:
    """Index the archive's articles from `start` to `stop` into new segments of the index
    in `build_dir` (not yet in its table of contents); the segments, in article order.

    A segment is written whenever `segment_postings` postings are held in memory.
    `progress(n)` is called as every n more articles are indexed.
    """
    ix = open_for_writing(build_dir)
    segments = []
    writer = BulkSegmentWriter(ix, _lk=False)
    pending = 0
    try:
        with Archive(archive_path, readonly=True) as archive:
            for article in archive.articles(start, stop):
                writer.add_document(**to_document(article))
                if writer.postings_held >= segment_postings:
                    segments.append(writer.finish())
                    writer = BulkSegmentWriter(ix, _lk=False)
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
    return [*segments, last] if last is not None else segments


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


def _index_slice_in_worker(*args: Any) -> list[Any]:
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
    archive: Archive, archive_path: Path, build_dir: Path, procs: int, bar: Any
) -> int:
    # The common words (whose pairs get indexed) from the oldest articles: a sample only
    # decides speed, never results (index.phrases checks positions for other phrases).
    ix = whoosh_index.create_in(build_dir, make_schema(common_words(archive)))
    slices = _slices(archive, archive.count(), procs)
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
    segments = [segment for part in parts for segment in part]
    # The index becomes these segments in one step: a new table of contents.
    TOC(ix.schema, segments, ix.latest_generation() + 1).write(ix.storage, ix.indexname)
    ix.close()
    return sum(segment.doc_count_all() for segment in segments)


def rebuild(
    archive_path: Path, index_dir: Path, *, procs: int = 2, progress: bool = False
) -> BuildReport:
    """Build a complete new index from the archive and swap it in atomically."""
    index_dir = Path(index_dir)
    with index_lock(index_dir):
        started = time.monotonic()
        previous = current_build(index_dir)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        build_dir = index_dir / f"build-{stamp}-{os.getpid()}"
        build_dir.mkdir()
        with Archive(archive_path, readonly=True) as archive:
            watermark = archive.max_seq()  # before reading rows: later changes stay pending
            bar = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(total=archive.count(), unit="articles", desc="indexing")
            try:
                count = _index_articles(archive, archive_path, build_dir, procs, bar)
            finally:
                if bar is not None:
                    bar.close()
        seconds = time.monotonic() - started
        write_meta(
            build_dir,
            {
                "format": FORMAT,
                "watermark": watermark,
                "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "build_seconds": round(seconds, 2),
                "articles": count,
            },
        )
        _swap_in(index_dir, build_dir)
        keep = {build_dir.name} | ({previous.name} if previous else set())
        _remove_old_builds(index_dir, keep)
        report = BuildReport(count, seconds, dir_bytes(build_dir), build_dir, watermark)
        # The CLI prints its own summary; library callers can turn this on.
        logger.debug("indexed %d articles in %.1f s (%.0f/s)", count, seconds, report.rate)
        return report
