"""People's names and New Zealand places for bench.synth (data in text/names.txt, places.txt).

Names grow the way a news archive's do: a person's first and last name are each drawn by a
power law of their rank (`zipf_rank`), so Smith and Ngata come up often and most draws reuse
a few thousand names, while the unbounded tail keeps bringing names never seen before.
Rank k maps to one name: the listed common names first, then English-style compounds
(Ashford, Kingsley), then names composed from Māori, Pacific and European syllables
(Tāwhirimako, Faleolosi, Kelmarovic), longer as k grows. Places are drawn by population.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

TEXT = Path(__file__).with_name("text")


def read_lists(path: Path) -> dict[str, list[tuple[str, float]]]:
    """`## kind` sections of `name | weight` lines (weight 5 when absent); `#` comments."""
    lists: dict[str, list[tuple[str, float]]] = {}
    current: list[tuple[str, float]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            current = lists.setdefault(line[3:].strip(), [])
        elif line and not line.startswith("#"):
            if current is None:
                raise ValueError(f"{path.name}: {line!r} comes before any '## kind'")
            name, _, weight = line.partition("|")
            current.append((name.strip(), float(weight) if weight.strip() else 5.0))
    return lists


@dataclass(frozen=True)
class Weighted:
    """Names drawn in proportion to their weights."""

    names: tuple[str, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, pairs: list[tuple[str, float]]) -> Weighted:
        return cls(tuple(n for n, _ in pairs), tuple(itertools.accumulate(w for _, w in pairs)))

    def draw(self, rnd: random.Random) -> str:
        return self.names[bisect.bisect(self.cum, rnd.random() * self.cum[-1])]


@functools.cache
def places() -> dict[str, Weighted]:
    """{kind: Weighted} for town, region, feature, world, country and street_kind."""
    return {kind: Weighted.of(pairs) for kind, pairs in read_lists(TEXT / "places.txt").items()}


@functools.cache
def _parts() -> dict[str, tuple[str, ...]]:
    return {k: tuple(n for n, _ in v) for k, v in read_lists(TEXT / "names.txt").items()}


def zipf_rank(rnd: random.Random, exponent: float, scale: float) -> int:
    """A rank k >= 1 with P(k) falling as (k + scale)^-exponent: a smooth head of about
    `scale` common values and a tail without end (exponent near 1: a heavy tail)."""
    u = 1.0 - rnd.random()  # (0, 1]
    return int(scale * (u ** (-1.0 / (exponent - 1.0)) - 1.0)) + 1


def _syllables(n: int, alphabet: tuple[str, ...], least: int) -> str:
    """`n` written in base len(alphabet) with syllables as digits, at least `least` long."""
    out = []
    while n or len(out) < least:
        n, digit = divmod(n, len(alphabet))
        out.append(alphabet[digit])
    return "".join(out)


# The tail is capped (names of up to about six syllables); past it ranks wrap around.
_TAIL_CAP = 10**10


@functools.lru_cache(maxsize=200_000)
def surname(rank: int) -> str:
    """The surname of popularity rank `rank` (1: the most common)."""
    p = _parts()
    listed, starts, ends = p["last"], p["english_start"], p["english_end"]
    if rank <= len(listed):
        return listed[rank - 1]
    j = rank - len(listed) - 1
    if j < len(starts) * len(ends):
        return starts[j % len(starts)] + ends[j // len(starts)]
    j = (j - len(starts) * len(ends)) % _TAIL_CAP
    style, j = j % 3, j // 3
    if style == 0:
        name = _syllables(j, p["syllable"], 2).capitalize()
        return f"Te {name}" if j % 9 == 4 else name
    if style == 1:
        start, j = p["pacific_start"][j % len(p["pacific_start"])], j // len(p["pacific_start"])
        return start + _syllables(j, p["pacific_syllable"], 1)
    stem = starts[j % len(starts)]
    j //= len(starts)
    end = p["slavic_end"][j % len(p["slavic_end"])]
    return stem + _syllables(j // len(p["slavic_end"]), p["european_syllable"], 0) + end


@functools.lru_cache(maxsize=50_000)
def first_name(rank: int) -> str:
    """The first name of popularity rank `rank`."""
    p = _parts()
    listed = p["first"]
    if rank <= len(listed):
        return listed[rank - 1]
    j = (rank - len(listed) - 1) % _TAIL_CAP
    if j % 2:
        return _syllables(j // 2, p["syllable"], 2).capitalize()
    j //= 2
    end = p["first_end"][j % len(p["first_end"])]
    return (_syllables(j // len(p["first_end"]), p["european_syllable"], 1) + end).capitalize()
