"""Real storage faults for the command tests, and the commands run as real subprocesses.

A full or read-only disk is a real tmpfs (mounted by the tests, which needs root and
mount(2), as in CI); a full disk is also simulated without privilege by a file-size limit
(RLIMIT_FSIZE) on the command's process, whose writes then fail with EFBIG.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


def can_mount(scratch: Path) -> bool:
    """Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    scratch.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(scratch)):
        return False
    subprocess.run(["umount", str(scratch)], check=True)
    return True


@contextmanager
def tmpfs(path: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` KiB mounted at `path` for the duration."""
    path.mkdir(parents=True, exist_ok=True)
    assert _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, mode: str) -> None:
    """Remount the tmpfs at `path` "ro" or "rw"."""
    assert _mount("-o", f"remount,{mode}", str(path))


def fill(path: Path, leave: int) -> Path:
    """A file in `path` that leaves about `leave` bytes free on its filesystem."""
    filler = path / "filler.bin"
    free = shutil.disk_usage(path).free
    with open(filler, "wb") as out:
        out.truncate(0)
        remaining = max(0, free - leave)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            out.write(block[: min(len(block), remaining)])
            remaining -= len(block)
    return filler


def file_size_limit(limit: int) -> Callable[[], None]:
    """A preexec_fn: writes past `limit` bytes in any one file fail with EFBIG."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def cli(
    data_dir: Path,
    module: str,
    *args: str,
    parallel: bool = False,
    segment_postings: int | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m module args` on `data_dir`, indexing in worker processes when `parallel`."""
    return subprocess.run(
        command(module, *args, parallel=parallel, segment_postings=segment_postings),
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=240,
        preexec_fn=preexec_fn,  # noqa: PLW1509 - a resource limit for this child only
        check=False,
    )


def command(
    module: str, *args: str, parallel: bool = False, segment_postings: int | None = None
) -> list[str]:
    """The command line running `module` as __main__ with the build's knobs set."""
    code = "import sys, runpy, index.maintain.build as b; "
    code += f"b.PARALLEL_MIN = {0 if parallel else 10**9}; "
    if segment_postings:
        code += f"b.SEGMENT_POSTINGS = {segment_postings}; "
    code += f"sys.argv = [{module!r}, *{list(args)!r}]; "
    code += f"runpy.run_module({module!r}, run_name='__main__')"
    return [sys.executable, "-c", code]


def environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "HERALD_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def builds(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("build-*"))


def one_line(stderr: str) -> str:
    """The command's own message (progress bars and log lines aside), checked to be one line
    without a traceback."""
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    own = [line for line in stderr.splitlines() if line.startswith("index.")]
    assert len(own) == 1, stderr
    return own[0]
