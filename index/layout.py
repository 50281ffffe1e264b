"""The index directory's layout, shared by the code that writes builds and the code that reads them.

    index_dir/current          symlink → the live build (replaced with os.replace)
    index_dir/build-<stamp>/   one complete Whoosh index + meta.json (format, watermark, times,
                               and the size of every index file as written)
    index_dir/index.lock       fcntl lock held by a rebuild or update (released on death)

`FORMAT` is the on-disk format this version writes and reads (meta.json "format"). Builds of
another format are not opened: class paths of index.ondisk are pickled into every segment, so
an older build may not even unpickle. They get a message asking for `python -m index.rebuild`.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CURRENT = "current"
LOCK_NAME = "index.lock"
META_NAME = "meta.json"
BUILD_PREFIX = "build-"
# 1: Whoosh's own postings; 2: packed blocks (index.ondisk.codec); 3: the same blocks, with the
# pickled classes moved to index.ondisk; 4: id, tag and author columns (tag/author facets, exports);
# 5: positions count stop words and line breaks, the stops field, pairs with stop words,
# 1-byte position gaps (exact phrases).
FORMAT = 5


class IndexBusy(RuntimeError):
    """Another rebuild or update holds the index lock."""


class BadMeta(ValueError):
    """A build's meta.json is missing, unreadable or not what a build writes."""


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


def current_target(index_dir: Path) -> str | None:
    """The name the `current` link points at, or None when there is no link."""
    try:
        return os.readlink(index_dir / CURRENT)
    except OSError:
        return None


def current_build(index_dir: Path) -> Path | None:
    """The live build directory, or None when no index was ever swapped in."""
    target = current_target(index_dir)
    if target is None:
        return None
    path = index_dir / target
    return path if (path / META_NAME).exists() else None


def read_meta(build_dir: Path) -> dict[str, object]:
    """The build's meta.json (raises BadMeta when it cannot be read or is not a build's)."""
    path = build_dir / META_NAME
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or not JSON
        raise BadMeta(f"{path} cannot be read ({exc})") from exc
    if not isinstance(meta, dict) or not isinstance(meta.get("watermark"), int):
        raise BadMeta(f"{path} is not a build's meta.json (no watermark)")
    return meta


def format_of(build_dir: Path) -> int:
    """The on-disk format a build was written in (1 for builds from before meta recorded it)."""
    found = read_meta(build_dir).get("format", 1)
    return found if isinstance(found, int) else 1


def is_current_format(build_dir: Path) -> bool:
    """Whether `build_dir` was written in this version's FORMAT."""
    return format_of(build_dir) == FORMAT


def write_meta(build_dir: Path, meta: dict[str, object]) -> None:
    """Replace meta.json atomically (write a temporary file, fsync, rename)."""
    tmp = build_dir / f"{META_NAME}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(meta, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, build_dir / META_NAME)


def swap_in(index_dir: Path, build_dir: Path) -> None:
    """Point `current` at `build_dir` in one atomic step, durably."""
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    os.symlink(build_dir.name, tmp_link)
    os.replace(tmp_link, index_dir / CURRENT)
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def file_sizes(build_dir: Path) -> dict[str, int]:
    """The size of every index file of a build, by path inside it (meta.json "files").

    Index files never change once written (a commit writes new segment, TOC and vocabulary
    files), so a file whose size differs from this record was truncated or replaced.
    Temporary files and directories (".tmp", hidden ones) and Whoosh's lock are left out.
    """
    found = {}
    for path in sorted(build_dir.rglob("*")):
        name = path.relative_to(build_dir).as_posix()
        transient = ".tmp" in name or "/." in f"/{name}" or name.endswith("LOCK")
        if path.is_file() and name != META_NAME and not transient:
            found[name] = path.stat().st_size
    return found


def changed_files(build_dir: Path, meta: dict[str, object]) -> list[str]:
    """Index files recorded in `meta` whose size on disk is not the recorded one, with how.

    Files that are gone are not reported here: a merge removes the segments it replaces,
    and opening a segment whose file is missing fails on its own.
    """
    recorded = meta.get("files")
    problems = []
    for name, size in (recorded if isinstance(recorded, dict) else {}).items():
        try:
            found = (build_dir / name).stat().st_size
        except FileNotFoundError:
            continue
        if found != size:
            problems.append(f"{name} is {found:,} bytes, written as {size:,}")
    return problems
