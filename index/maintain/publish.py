"""Publish: ship the live build to another data directory, for read-only web replicas.

    SRC/index/current → build-A          DEST/index/current → build-P   (what DEST serves)
                                          DEST/index/build-Q/             ← A copied here, fsynced
                                          DEST/index/current → build-Q   (one atomic rename)

The copy goes into a new build directory that nothing reads until `current` points at it,
so a publish killed at any moment leaves DEST serving what it served before; the next
publish removes the abandoned copy. The previous build stays for searchers still holding
it (as after a rebuild); older ones are removed.

Whoosh never changes a file once written (a commit writes new segment and TOC files and
unlinks old ones), which gives two things:
- the source is read from files opened under its index lock, held only while opening them:
  an update or rebuild that starts during the copy cannot tear it;
- a file already published (same name, size and modification time: rsync's quick check)
  is hard-linked from DEST's current build, so publishing after an incremental update
  moves only the new segments.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from index.layout import (
    BUILD_PREFIX,
    META_NAME,
    current_build,
    index_lock,
    read_meta,
    swap_in,
    write_meta,
)

logger = logging.getLogger(__name__)
CHUNK = 1 << 20


class PublishFailed(RuntimeError):
    """The build could not be published (DEST still serves what it served before)."""


@dataclass
class PublishReport:
    build_dir: Path  # the new live build under DEST
    source_build: str  # the name of the build it copies
    files: int
    copied_bytes: int
    linked_bytes: int  # already at DEST: hard-linked, not copied
    seconds: float


@dataclass
class _Source:
    name: str
    handle: BinaryIO
    size: int
    mtime_ns: int


@contextmanager
def _open_live_build(index_dir: Path) -> Iterator[tuple[str, dict[str, object], list[_Source]]]:
    """The live build's name, meta and open files: a consistent snapshot, whatever a later
    update does (the lock is held only while the files are opened)."""
    if current_build(index_dir) is None:  # before locking: no lock file where no index is
        raise PublishFailed(f"no index at {index_dir}: run `python -m index.rebuild` first")
    with ExitStack() as stack:
        with index_lock(index_dir):
            build = current_build(index_dir)
            if build is None:
                raise PublishFailed(f"no index at {index_dir}: run `python -m index.rebuild` first")
            meta = read_meta(build)
            sources = []
            for path in sorted(build.iterdir()):
                if path.is_file() and path.name != META_NAME and not path.name.endswith(".tmp"):
                    handle = stack.enter_context(open(path, "rb"))  # noqa: SIM115 - kept open
                    info = os.fstat(handle.fileno())
                    sources.append(_Source(path.name, handle, info.st_size, info.st_mtime_ns))
        yield build.name, meta, sources


class _Throttle:
    """Sleeps so that copying stays under `limit` bytes per second (None: no limit)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.started = time.monotonic()
        self.sent = 0

    def add(self, n: int) -> None:
        if not self.limit:
            return
        self.sent += n
        ahead = self.sent / self.limit - (time.monotonic() - self.started)
        if ahead > 0:
            time.sleep(ahead)


def _copy(source: _Source, target: Path, throttle: _Throttle) -> None:
    source.handle.seek(0)
    with open(target, "xb") as out:
        while chunk := source.handle.read(CHUNK):
            out.write(chunk)
            throttle.add(len(chunk))
        out.flush()
        os.fsync(out.fileno())
    # The source's modification time, so the next publish's quick check recognises the file.
    os.utime(target, ns=(source.mtime_ns, source.mtime_ns))


def _already_published(previous: Path | None, source: _Source) -> Path | None:
    """DEST's copy of `source` from the previous publish, when rsync's quick check says so."""
    if previous is None:
        return None
    candidate = previous / source.name
    try:
        info = candidate.stat()
    except FileNotFoundError:
        return None
    same = info.st_size == source.size and info.st_mtime_ns == source.mtime_ns
    return candidate if same else None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_space(dest_index: Path, needed: int) -> None:
    free = shutil.disk_usage(dest_index).free
    if free < needed:
        raise PublishFailed(
            f"{dest_index} has {free:,} bytes free; the build needs {needed:,} more"
        )


def _fill(
    build_dir: Path, sources: list[_Source], previous: Path | None, bwlimit: int | None
) -> tuple[int, int]:
    """Copy (or hard-link) every source file into `build_dir`; (copied, linked) bytes."""
    throttle = _Throttle(bwlimit)
    copied = linked = 0
    for source in sources:
        target = build_dir / source.name
        published = _already_published(previous, source)
        if published is not None:
            try:
                os.link(published, target)
                linked += source.size
                continue
            except OSError:  # a filesystem without hard links: copy instead
                pass
        _copy(source, target, throttle)
        copied += source.size
    return copied, linked


def _remove_builds_except(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.glob(f"{BUILD_PREFIX}*"):
        if path.name not in keep and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            logger.info("removed old build %s", path.name)


def publish(source_index: Path, dest_data: Path, *, bwlimit: int | None = None) -> PublishReport:
    """Copy the live build of `source_index` into the data directory `dest_data` (its
    `index/`), then make it DEST's live build in one atomic step."""
    source_index, dest_index = Path(source_index), Path(dest_data) / "index"
    _check_places(source_index, Path(dest_data))
    started = time.monotonic()
    # The source first: a missing or locked source index is its fault, not DEST's.
    with _open_live_build(source_index) as (name, meta, sources), ExitStack() as stack:
        try:
            dest_index.mkdir(parents=True, exist_ok=True)  # DEST's parent exists
            stack.enter_context(index_lock(dest_index))
        except OSError as exc:  # read-only, full, not a directory
            raise PublishFailed(f"cannot write to {dest_index}: {exc.strerror or exc}") from exc
        return _publish_locked(source_index, dest_index, name, meta, sources, bwlimit, started)


def _check_places(source_index: Path, dest_data: Path) -> None:
    """DEST is a data directory, or a new one in an existing directory (a typo in a parent
    must not make a replica somewhere new), neither the source's nor inside its index."""
    if dest_data.exists() and not dest_data.is_dir():
        raise PublishFailed(f"cannot write to {dest_data}: not a directory")
    if not dest_data.exists() and not dest_data.parent.is_dir():
        raise PublishFailed(
            f"cannot write to {dest_data}: {dest_data.parent} does not exist (create the "
            "replica's data directory first, or mount it)"
        )
    source, dest = source_index.resolve(), (dest_data / "index").resolve()
    if dest == source:
        raise PublishFailed(f"{dest_data} is the data directory being published from")
    if dest.is_relative_to(source) or source.is_relative_to(dest):
        raise PublishFailed(f"{dest_data} is inside the index being published ({source_index})")


def _publish_locked(
    source_index: Path,
    dest_index: Path,
    name: str,
    meta: dict[str, object],
    sources: list[_Source],
    bwlimit: int | None,
    started: float,
) -> PublishReport:
    previous = current_build(dest_index)
    pending = [s for s in sources if _already_published(previous, s) is None]
    _check_space(dest_index, sum(s.size for s in pending))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    build_dir = dest_index / f"{BUILD_PREFIX}{stamp}-{os.getpid()}"
    try:
        build_dir.mkdir()
        copied, linked = _fill(build_dir, sources, previous, bwlimit)
        meta = {
            **meta,
            "published_from": f"{socket.gethostname()}:{source_index.resolve() / name}",
            "published_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        write_meta(build_dir, meta)
        _fsync_dir(build_dir)
    except BaseException as exc:
        shutil.rmtree(build_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise PublishFailed(
                f"copying into {dest_index} failed ({exc.strerror or exc}); "
                "it still serves the build it served before"
            ) from exc
        raise
    swap_in(dest_index, build_dir)
    keep = {build_dir.name} | ({previous.name} if previous else set())
    _remove_builds_except(dest_index, keep)
    seconds = time.monotonic() - started
    logger.debug("published %s to %s in %.2f s", name, build_dir, seconds)
    return PublishReport(build_dir, name, len(sources) + 1, copied, linked, seconds)
