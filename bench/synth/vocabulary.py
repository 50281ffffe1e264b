"""How the synthetic corpus's vocabulary grows: distinct analysed terms per corpus size.

"Terms" are what the index stores for the searchable text (title, standfirst, body): the
words of index.ondisk.analysis's text analyzer (case and macrons folded, stop words
dropped, Porter2-stemmed). Chunks of articles are analysed by worker processes; this
process takes the union in order and reports at each requested size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from index.ondisk.analysis import FoldStemFilter, words

_CHUNK = 5000


def _terms(args: tuple[int, int, int]) -> set[str]:
    from bench.synth import generate_articles

    n, seed, start = args
    stem = FoldStemFilter()  # the text fields' terms: index.ondisk.analysis.text_analyzer's
    found: set[str] = set()
    for article in generate_articles(n, seed=seed, start=start):
        for field in ("title", "standfirst", "body"):
            found.update(map(stem.term, words(article[field])))
    found.discard("")  # stop words
    return found


def _jobs(sizes: list[int], seed: int) -> list[tuple[int, int, int]]:
    bounds = sorted({*range(0, max(sizes), _CHUNK), *sizes})
    return [(b - a, seed, a) for a, b in zip(bounds, bounds[1:], strict=False)]


def growth(sizes: list[int], seed: int = 0, procs: int | None = None) -> Iterator[tuple[int, int]]:
    """(articles, distinct terms) at each of `sizes`, smallest first."""
    wanted = set(sizes)
    jobs = _jobs(sizes, seed)
    seen: set[str] = set()
    procs = procs or os.cpu_count() or 1
    with ProcessPoolExecutor(procs) as pool:
        for (n, _, start), terms in zip(jobs, pool.map(_terms, jobs), strict=True):
            seen |= terms
            if start + n in wanted:
                yield start + n, len(seen)
