"""Deterministic synthetic NZ-Herald-like article records for tests, the demo and benchmarks.

    python -m bench.synth N [--seed S] > articles.jsonl    # then: python -m crawler.archive import
    python -m bench.synth --vocabulary 5000 20000 200000   # distinct analysed terms per size

Articles read like news: headlines, standfirsts and paragraphs are written from sentence
templates per desk (text/*.txt: politics, crime, rugby, business, …) with a cast of people
introduced by title and full name then by surname, real New Zealand places with their
macrons (Whangārei, Taupō, Tāmaki Makaurau), organisations, quotes in curly quotes, numbers
and dates in newsroom style. No text comes from any publisher.

The vocabulary grows the way a news archive's does (Heaps' law): the templates' words and
real English words at their real frequencies (wordfreq) come with a long tail of people's
names composed without end, rare words, places and numbers, so an index built from it has
the term dictionary and posting-list shapes of a real archive, not a saturated one.

Article i of seed s is drawn from its own random generator, so any slice of the sequence
can be generated alone (`start`), in any process, with the same result. Records pass
`crawler.record.validate`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from bench.synth.archive import synthetic_archive
from bench.synth.article import make_article
from crawler.record import Article

__all__ = ["generate_articles", "synthetic_archive"]


def generate_articles(n: int, seed: int = 0, start: int = 0) -> Iterator[Article]:
    """Articles `start` .. `start + n - 1` of seed `seed` (the same every time)."""
    for i in range(start, start + n):
        yield make_article(random.Random(f"{seed}:{i}"), seed)
