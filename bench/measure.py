"""Shared measuring helpers of the benchmarks: latency percentiles and resident memory."""

from __future__ import annotations

import statistics
from pathlib import Path


def percentiles(times_ms: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of `times_ms` (inclusive method, as the README's figures)."""
    cuts = statistics.quantiles(times_ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(times_ms)}


def rss_mb() -> dict[str, float]:
    """Resident MB of this process: total, anonymous (its own) and file-backed (mapped
    index/archive files: page cache shared with other processes), from /proc/self/status."""
    fields = {"VmRSS": 0.0, "RssAnon": 0.0, "RssFile": 0.0, "VmHWM": 0.0}
    for line in Path("/proc/self/status").read_text().splitlines():
        name = line.split(":", 1)[0]
        if name in fields:
            fields[name] = int(line.split()[1]) / 1024
    return {
        "total": fields["VmRSS"],
        "own": fields["RssAnon"],
        "mapped": fields["RssFile"],
        "peak": fields["VmHWM"],
    }
