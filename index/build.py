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
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.multiproc import MpWriter, _run_subwriter

from crawler.archive import Archive
from index.phrases import common_words
from index.schema import make_schema, to_document

logger = logging.getLogger(__name__)

CURRENT = "current"
LOCK_NAME = "index.lock"
META_NAME = "meta.json"
# Pool memory per indexing process before it spills a sorted run to disk.
LIMIT_MB = 512


class IndexBusy(RuntimeError):
    """Another rebuild or update holds the index lock."""


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


def _run_guarded_subwriter(parent_pid: int, *args: object) -> None:
    """A Whoosh sub-writer that exits when its parent dies (e.g. a SIGKILLed rebuild).

    Whoosh's sub-writers block on their job queue forever once the parent is gone; this
    watchdog stops them from lingering as orphans.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    _run_subwriter(*args)


class _GuardedMpWriter(MpWriter):
    def _new_task(self) -> object:
        args = (
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        task = self._mpctx.Process(
            target=_run_guarded_subwriter, args=(os.getpid(), *args), daemon=True
        )
        self.tasks.append(task)
        task.start()
        return task


def _index_articles(archive: Archive, build_dir: Path, procs: int, bar: object | None) -> int:
    # The common words (whose pairs get indexed) from the oldest articles: a sample only
    # decides speed, never results (index.phrases checks positions for other phrases).
    ix = whoosh_index.create_in(build_dir, make_schema(common_words(archive)))
    if procs > 1:
        # "spawn": forking a process that has threads (a web app, a test) can deadlock.
        writer = _GuardedMpWriter(
            ix, procs=procs, multisegment=True, limitmb=LIMIT_MB, start_method="spawn"
        )
    else:
        writer = ix.writer(limitmb=LIMIT_MB)
    count = 0
    try:
        for article in archive:
            writer.add_document(**to_document(article))
            count += 1
            if bar is not None and count % 500 == 0:
                bar.update(500)  # type: ignore[attr-defined]
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    if bar is not None:
        bar.update(count % 500)  # type: ignore[attr-defined]
    ix.close()
    return count


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
                count = _index_articles(archive, build_dir, procs, bar)
            finally:
                if bar is not None:
                    bar.close()
        seconds = time.monotonic() - started
        write_meta(
            build_dir,
            {
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
