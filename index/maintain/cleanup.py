"""What a failed rebuild leaves behind (nothing), and what it tells its user.

A rebuild writes its new build beside the live one and keeps the previous build for
searchers that still hold it, so up to three builds sit side by side: the live one, the
previous one and the new one. A rebuild that fails (disk full, Ctrl-C, SIGTERM, a dead
worker) removes its partial build before it exits; one killed outright (SIGKILL, power loss)
leaves a build without meta.json, which the next rebuild removes before it starts.
"""

from __future__ import annotations

import errno
import logging
import shutil
import time
from pathlib import Path

from crawler.archive import ArchiveError, ArchiveLocation
from index.faults import damaged, is_damage
from index.layout import BUILD_PREFIX, META_NAME, current_build, current_target, dir_bytes

logger = logging.getLogger(__name__)
# Index bytes per archive byte, for the first build (measured: ~1.9 KB of index for ~4.5 KB
# of archive per article); later builds go by the size of the live one.
INDEX_PER_ARCHIVE_BYTE = 0.6
MARGIN = 1.2  # segments written while the previous ones are merged or still open
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # EFBIG: the file-size limit (ulimit -f)


def remove_build(index_dir: Path, build_dir: Path) -> None:
    """Remove a build that never went live (never the one `current` names).

    Workers that were just stopped may still be closing files in it, so removal is retried.
    """
    if current_target(index_dir) == build_dir.name:
        return
    for _ in range(20):
        shutil.rmtree(build_dir, ignore_errors=True)
        if not build_dir.exists():
            logger.debug("removed the partial build %s", build_dir)
            return
        time.sleep(0.1)
    logger.warning("could not remove the partial build %s: remove it by hand", build_dir)


def remove_abandoned(index_dir: Path) -> None:
    """Remove builds a killed rebuild left behind (no meta.json: never completed)."""
    live = current_target(index_dir)
    for path in index_dir.glob(f"{BUILD_PREFIX}*"):
        if path.is_dir() and path.name != live and not (path / META_NAME).exists():
            shutil.rmtree(path, ignore_errors=True)
            logger.info("removed %s, left behind by a rebuild that was killed", path.name)


def space_needed(index_dir: Path, archive_path: ArchiveLocation) -> int:
    """About how many free bytes a rebuild needs beside the builds already there."""
    live = current_build(index_dir)
    if live is not None:
        return int(dir_bytes(live) * MARGIN)
    if not isinstance(archive_path, Path):  # PostgreSQL: no file to size the build by
        return 0
    try:
        return int(archive_path.stat().st_size * INDEX_PER_ARCHIVE_BYTE * MARGIN)
    except OSError:  # no archive: the rebuild says so itself
        return 0


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"


def storage_message(exc: OSError, index_dir: Path, needed: int = 0) -> str:
    """One line saying why writing the index failed and what to do (`needed`: the free
    bytes a rebuild needs; 0 for an update)."""
    where = exc.filename or index_dir
    if exc.errno in _FULL:
        full = (
            "a file reached the file-size limit" if exc.errno == errno.EFBIG else "the disk is full"
        )
        if not needed:
            return f"{full} (writing {where}): free some space and run it again"
        found = index_dir if index_dir.exists() else index_dir.parent
        return (
            f"{full} (writing {where}); a rebuild needs about {_size(needed)} free "
            f"in {index_dir} (now {_size(shutil.disk_usage(found).free)}): up to three builds "
            "sit side by side there (the live one, the previous one, the new one)"
        )
    if exc.errno in _NOT_WRITABLE:
        return f"cannot write {where} ({exc.strerror}): the index directory must be writable"
    return f"cannot write {where}: {exc.strerror or exc}"


def failure_reason(
    exc: BaseException, index_dir: Path, needed: int = 0, build_dir: Path | None = None
) -> str | None:
    """Why a rebuild or update stopped on `exc`, in one line, for a fault of the files
    (archive unreadable, disk full, directory read-only, `build_dir` damaged); None for
    anything else (an interruption, a bug), which the caller reports as it is."""
    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, OSError) and (exc.errno in _FULL | _NOT_WRITABLE or build_dir is None):
        return storage_message(exc, index_dir, needed)
    if build_dir is not None and isinstance(exc, Exception) and is_damage(exc):
        return str(damaged(build_dir, exc))
    return None
