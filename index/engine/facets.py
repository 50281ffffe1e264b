"""Column arrays of an open index: filters as masks, facets as counts over matching docs.

Read once per searcher (generation) from Whoosh's sortable columns into numpy arrays
indexed by global document number; then a filter is a vectorised comparison and a facet is
one `bincount` over the matching document numbers (Whoosh's `groupedby=` would score and
sort every match instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from index.model import FacetValue, SearchRequest
from index.ondisk.analysis import value_key
from index.ondisk.columns import labels as column_labels
from index.ondisk.columns import live as column_live
from index.ondisk.columns import numbers as column_numbers


@dataclass
class Coded:
    """One categorical column: a code per document and the label of each code."""

    codes: np.ndarray
    labels: list[str]
    by_key: dict[str, int]  # folded label → code

    @classmethod
    def read(cls, reader: IndexReader, name: str) -> Coded:
        codes, labels = column_labels(reader, name)
        return cls(codes, labels, {value_key(label): code for code, label in enumerate(labels)})

    def mask(self, wanted: str) -> np.ndarray:
        code = self.by_key.get(value_key(wanted))
        if code is None:
            return np.zeros(len(self.codes), bool)
        return self.codes == code

    def count(self, docs: np.ndarray, *, skip_empty: bool = True) -> list[FacetValue]:
        counts = np.bincount(self.codes[docs], minlength=len(self.labels))
        found = [
            FacetValue(self.labels[c], int(n))
            for c, n in enumerate(counts)
            if n and (self.labels[c] or not skip_empty)
        ]
        return sorted(found, key=lambda f: (-f.count, f.value))


class Columns:
    """The per-document arrays of one searcher generation."""

    def __init__(self, searcher: WhooshSearcher) -> None:
        reader = searcher.reader()
        n = reader.doc_count_all()
        self.size = n
        self.live = column_live(reader)
        self.live_count = int(self.live.sum())
        self.section = Coded.read(reader, "sec")
        self.subsection = Coded.read(reader, "subsec")
        self.source = Coded.read(reader, "src")
        self.premium = column_numbers(reader, "prem").astype(np.int8)
        self.published = column_numbers(reader, "pub")
        self.nzday = column_numbers(reader, "nzday").astype(np.int32)
        first = int(self.nzday.min()) if n else date.today().toordinal()
        last = int(self.nzday.max()) if n else first
        self._day0 = first
        days = [date.fromordinal(d) for d in range(first, last + 1)]
        self._year_of = np.array([d.year for d in days], np.int32)
        self._month_of = np.array([d.year * 12 + d.month - 1 for d in days], np.int32)

    # -- filters ---------------------------------------------------------------------------

    def year_of(self, docs: np.ndarray) -> np.ndarray:
        return self._year_of[self.nzday[docs] - self._day0]

    def month_of(self, docs: np.ndarray) -> np.ndarray:
        return self._month_of[self.nzday[docs] - self._day0]

    def base_mask(self, req: SearchRequest) -> np.ndarray:
        """Live documents passing every filter except year/month/day (the drill-down)."""
        mask = self.live.copy()
        if req.section:
            mask &= self.section.mask(req.section)
        if req.subsection:
            mask &= self.subsection.mask(req.subsection)
        if req.source:
            mask &= self.source.mask(req.source)
        if req.premium is not None:
            mask &= self.premium == int(req.premium)
        if req.date_from:
            mask &= self.nzday >= req.date_from.toordinal()
        if req.date_to:
            mask &= self.nzday <= req.date_to.toordinal()
        return mask

    # -- counting --------------------------------------------------------------------------

    def years(self, docs: np.ndarray) -> list[FacetValue]:
        return [FacetValue(str(y), n) for y, n in _counts(self.year_of(docs))]

    def months(self, docs: np.ndarray) -> list[FacetValue]:
        return [
            FacetValue(f"{m // 12:04d}-{m % 12 + 1:02d}", n)
            for m, n in _counts(self.month_of(docs))
        ]

    def days(self, docs: np.ndarray) -> list[FacetValue]:
        return [
            FacetValue(date.fromordinal(d).isoformat(), n) for d, n in _counts(self.nzday[docs])
        ]

    def premium_counts(self, docs: np.ndarray) -> list[FacetValue]:
        counts = np.bincount(self.premium[docs], minlength=2)
        found = [FacetValue("true", int(counts[1])), FacetValue("false", int(counts[0]))]
        return sorted((f for f in found if f.count), key=lambda f: -f.count)


def _counts(values: np.ndarray) -> list[tuple[int, int]]:
    """(value, count) of each distinct integer, ascending: a bincount, no sorting."""
    if not values.size:
        return []
    low = int(values.min())
    counts = np.bincount(values - low)
    return [(low + int(i), int(counts[i])) for i in np.flatnonzero(counts)]
