"""The research benchmarks run end to end on a small archive and print their figures (the
figures themselves are the README's; here only that the commands work and count right)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_facet_benchmark_prints_both_latencies(tmp_path: Path) -> None:
    out = _run("bench.facets", "--articles", "300", "--queries", "20", "--cache-dir", str(tmp_path))
    assert re.search(r"300 articles; searcher open .* tag: [\d,]+ values", out), out
    for label in ("cold", "warm"):
        assert re.search(rf"{label}: with tag\+author facets p50 [\d.]+ ms", out), out


def test_export_benchmark_streams_every_row(tmp_path: Path) -> None:
    out = _run(
        "bench.export", "--articles", "300", "--counts", "50,300", "--cache-dir", str(tmp_path)
    )
    rows = [int(line.split()[0].replace(",", "")) for line in out.splitlines()[-2:]]
    assert 50 <= rows[0] < 300, out  # every article from the cut-off day on
    assert rows[1] == 300, out  # the whole archive
