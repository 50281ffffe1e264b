"""A cached archive of synthetic articles for the benchmarks (`synthetic_archive`).

Large archives are generated in chunks by worker processes (every article has its own
random generator, so chunks are independent) while this process writes them in order.
A stamp file beside the archive names the generator version, seed and size, so an archive
left by an older generator is made again rather than measured by mistake.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.archive import Archive, ArchiveError
from crawler.record import Article

# Bump when the generated text changes, so cached benchmark archives are remade.
GENERATOR_VERSION = 3
_CHUNK = 5000


def _chunk(args: tuple[int, int, int]) -> list[Article]:
    from bench.synth import generate_articles

    n, seed, start = args
    return list(generate_articles(n, seed=seed, start=start))


def _chunks(n: int, seed: int, procs: int) -> Iterator[list[Article]]:
    jobs = [(min(_CHUNK, n - s), seed, s) for s in range(0, n, _CHUNK)]
    if procs <= 1 or len(jobs) == 1:
        yield from map(_chunk, jobs)
        return
    with ProcessPoolExecutor(procs) as pool:
        yield from pool.map(_chunk, jobs)


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".synth")


def _is_made(path: Path, expected: str, n: int) -> bool:
    stamp = _stamp(path)
    if not (path.exists() and stamp.exists() and stamp.read_text() == expected):
        return False
    try:
        with Archive(path, readonly=True) as archive:
            return archive.count() == n
    except ArchiveError:
        return False  # not an archive: made again


def synthetic_archive(path: Path, n: int, seed: int = 0, procs: int | None = None) -> bool:
    """Make `path` an archive of the first `n` synthetic articles; False if it already was one.

    Written beside the target and renamed into place, so an interrupted run leaves no
    half-filled archive for the next benchmark to trust. `procs` generating processes
    (default: the machine's cores, for archives of more than one chunk).
    """
    expected = f"bench.synth {GENERATOR_VERSION} seed={seed} n={n}\n"
    if _is_made(path, expected, n):
        return False
    partial = path.with_name(path.name + ".partial")
    _stamp(path).unlink(missing_ok=True)
    for stale in (partial, path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
    with Archive(partial) as archive:
        for chunk in _chunks(n, seed, procs or os.cpu_count() or 1):
            for at in range(0, len(chunk), 1000):
                archive.upsert_many(chunk[at : at + 1000])
    partial.rename(path)
    _stamp(path).write_text(expected)
    return True
