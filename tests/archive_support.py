"""Helpers for the archive CLI tests: run `python -m crawler.archive` on a data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from crawler.record import Article

REPO = Path(__file__).resolve().parents[1]


def run_archive(
    args: list[str],
    data_dir: Path,
    *,
    stdin: bytes | None = None,
    preexec_fn: Callable[[], object] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """`python -m crawler.archive ARGS` with HERALD_DATA_DIR=data_dir; text output."""
    env = {**os.environ, "HERALD_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "crawler.archive", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def jsonl(records: Iterable[Article | dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def assert_one_line_failure(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, no traceback, and a `python -m crawler.archive:` line saying `words`."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("python -m crawler")]
    assert len(errors) == 1, done.stderr
    for word in words:
        assert word in errors[0], errors[0]
