"""Column arrays of an open index: filters as masks, facets as counts over matching docs.

Read once per searcher (generation) from Whoosh's sortable columns into numpy arrays
indexed by global document number; then a filter is a vectorised comparison and a facet is
one `bincount` over the matching document numbers (Whoosh's `groupedby=` would score and
sort every match instead). Tags and authors are several per document: a CSR matrix
(document → label codes) read once per generation, counted with one gather and a bincount.
Each column also holds its counts over every live document (`everywhere`), so a set that
holds most of them is counted through the few outside it (index.engine.counting).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from index.engine.counting import DocSet
from index.engine.joint import Joint
from index.model import FacetValue, SearchRequest
from index.ondisk.analysis import value_key
from index.ondisk.columns import fixed_bytes
from index.ondisk.columns import label_lists as column_label_lists
from index.ondisk.columns import labels as column_labels
from index.ondisk.columns import live as column_live
from index.ondisk.columns import numbers as column_numbers
from index.ondisk.schema import ID_BYTES, LABEL_COLUMNS

# Above this share of the index, the labels of a document set are picked out of the whole
# label array by a mask (a cost that does not grow) rather than gathered document by document.
MASKED_SHARE = 0.5
_NONE = np.zeros(0, np.int64)


@dataclass
class Coded:
    """One categorical column: a code per document and the label of each code."""

    codes: np.ndarray
    labels: list[str]
    by_key: dict[str, int]  # folded label → code
    everywhere: np.ndarray = field(default_factory=lambda: _NONE)  # counts over live docs

    @classmethod
    def read(cls, reader: IndexReader, name: str) -> Coded:
        codes, labels = column_labels(reader, name)
        return cls(codes, labels, {value_key(label): code for code, label in enumerate(labels)})

    def mask(self, wanted: str) -> np.ndarray:
        code = self.by_key.get(value_key(wanted))
        if code is None:
            return np.zeros(len(self.codes), bool)
        return self.codes == code

    def tally(self, docs: np.ndarray) -> np.ndarray:
        """How many of `docs` have each code."""
        return np.bincount(self.codes[docs], minlength=len(self.labels))

    def count(self, docs: np.ndarray | DocSet, *, skip_empty: bool = True) -> list[FacetValue]:
        counts = docs.tally(self) if isinstance(docs, DocSet) else self.tally(docs)
        return self.listed(counts, skip_empty=skip_empty)

    def listed(self, counts: np.ndarray, *, skip_empty: bool = True) -> list[FacetValue]:
        """The labels with a count, most first (ties: by label)."""
        found = [
            FacetValue(self.labels[c], int(n))
            for c, n in enumerate(counts)
            if n and (self.labels[c] or not skip_empty)
        ]
        return sorted(found, key=lambda f: (-f.count, f.value))


@dataclass
class MultiCoded:
    """A column of several labels per document, as CSR arrays: document d holds the codes
    `codes[offsets[d]:offsets[d + 1]]`. Labels that fold to the same key share one code
    (the first spelling seen names it), so "All Blacks" and "all blacks" count as one."""

    offsets: np.ndarray
    codes: np.ndarray
    labels: list[str]
    by_key: dict[str, int]
    everywhere: np.ndarray = field(default_factory=lambda: _NONE)  # counts over live docs

    @classmethod
    def read(cls, reader: IndexReader, name: str) -> MultiCoded:
        offsets, raw_codes, raw_labels = column_label_lists(reader, name)
        by_key: dict[str, int] = {}
        labels: list[str] = []
        remap = np.zeros(len(raw_labels), np.int32)
        for raw, label in enumerate(raw_labels):
            code = by_key.setdefault(value_key(label), len(labels))
            if code == len(labels):
                labels.append(label)
            remap[raw] = code
        codes = remap[raw_codes] if raw_codes.size else raw_codes
        return cls(offsets, codes, labels, by_key)

    def mask(self, wanted: str) -> np.ndarray:
        """Which documents hold the label `wanted` (compared by folded key)."""
        size = len(self.offsets) - 1
        found = np.zeros(size, bool)
        code = self.by_key.get(value_key(wanted))
        if code is not None:
            entries = np.flatnonzero(self.codes == code)
            found[np.searchsorted(self.offsets, entries, side="right") - 1] = True
        return found

    def codes_of(self, docs: np.ndarray) -> np.ndarray:
        """The label codes of `docs`, concatenated (one gather, no Python loop)."""
        starts = self.offsets[docs]
        lengths = self.offsets[docs + 1] - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, np.int32)
        # Position k of the output reads entry starts[i] + (k - first output of doc i).
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return self.codes[shift + np.arange(total)]

    def tally(self, docs: np.ndarray) -> np.ndarray:
        """How many of `docs` (sorted, distinct) hold each code."""
        size = len(self.offsets) - 1
        if docs.size <= MASKED_SHARE * size:
            return np.bincount(self.codes_of(docs), minlength=len(self.labels))
        chosen = np.zeros(size, bool)
        chosen[docs] = True
        entries = np.repeat(chosen, np.diff(self.offsets))
        return np.bincount(self.codes[entries], minlength=len(self.labels))

    def count(self, docs: np.ndarray | DocSet, limit: int | None = None) -> list[FacetValue]:
        """Labels by number of `docs` holding them, most first (ties: by label); the first
        `limit` only (ties at the cut-off are decided by label too)."""
        counts = docs.tally(self) if isinstance(docs, DocSet) else self.tally(docs)
        present = np.flatnonzero(counts)
        if limit is not None and present.size > limit:
            kth = np.partition(counts[present], present.size - limit)[present.size - limit]
            present = present[counts[present] >= kth]
        found = sorted(
            (FacetValue(self.labels[c], int(counts[c])) for c in present.tolist()),
            key=lambda f: (-f.count, f.value),
        )
        return found[:limit] if limit is not None else found


@dataclass
class Derived:
    """A code per document computed from the columns (its year, premium or not), counted as
    a facet is."""

    code: Callable[[np.ndarray], np.ndarray]  # the codes of some documents
    size: int  # codes are 0 .. size - 1
    everywhere: np.ndarray = field(default_factory=lambda: _NONE)  # counts over live docs

    def tally(self, docs: np.ndarray) -> np.ndarray:
        return np.bincount(self.code(docs), minlength=self.size)


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
        self._reader = reader
        self.labels = {
            facet: MultiCoded.read(reader, column) for facet, column in LABEL_COLUMNS.items()
        }
        first = int(self.nzday.min()) if n else date.today().toordinal()
        last = int(self.nzday.max()) if n else first
        self._day0 = first
        days = [date.fromordinal(d) for d in range(first, last + 1)]
        self._year_of = np.array([d.year for d in days], np.int32)
        self._month_of = np.array([d.year * 12 + d.month - 1 for d in days], np.int32)
        self._year0 = int(self._year_of[0])
        year_count = int(self._year_of[-1]) - self._year0 + 1
        # (closures over the arrays, not self: a generation's columns are freed as soon as
        # it is replaced, without waiting for the cycle collector)
        year_index, nzday, day0 = self._year_of - self._year0, self.nzday, first
        self._years = Derived(lambda docs: year_index[nzday[docs] - day0], year_count)
        premium = self.premium
        self._premium = Derived(lambda docs: premium[docs], 2)
        everyone = np.flatnonzero(self.live)
        for column in (self.section, self.subsection, self.source, self._years, self._premium):
            column.everywhere = column.tally(everyone)
        for multi in self.labels.values():
            multi.everywhere = multi.tally(everyone)
        self._joint = self._combined(everyone)

    def _combined(self, everyone: np.ndarray) -> Joint | None:
        """Section, subsection, source, premium and year combined (index.engine.joint)."""
        sizes = [len(self.section.labels), len(self.subsection.labels), len(self.source.labels)]
        sizes += [2, self._years.size]
        if not Joint.fits(sizes):
            return None
        codes = [self.section.codes, self.subsection.codes, self.source.codes, self.premium]
        joint = Joint([*codes, self._years.code(np.arange(self.size))], sizes)
        joint.everywhere = joint.tally(everyone)
        return joint

    def single_facets(self, docs: DocSet) -> dict[str, list[FacetValue]]:
        """The section, subsection, source, premium and year facets of `docs`."""
        if self._joint is None:
            return {
                "section": self.section.count(docs),
                "subsection": self.subsection.count(docs),
                "source": self.source.count(docs),
                "premium": self.premium_counts(docs),
                "year": self.years(docs),
            }
        section, subsection, source, premium, years = self._joint.split(docs.tally(self._joint))
        return {
            "section": self.section.listed(section),
            "subsection": self.subsection.listed(subsection),
            "source": self.source.listed(source),
            "premium": _premium_values(premium),
            "year": self._year_values(years),
        }

    def docset(self, docs: np.ndarray) -> DocSet:
        """`docs` (sorted, distinct, live) to count facets over (index.engine.counting)."""
        return DocSet(docs, self.live, self.live_count)

    @cached_property
    def ids(self) -> np.ndarray:
        """Every document's id (26 bytes each), read on first use: only exports need them,
        and 2,000,000 of them are 52 MB a worker need not hold otherwise."""
        return fixed_bytes(self._reader, "idc", ID_BYTES)

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
        for facet in LABEL_COLUMNS:  # repeated values are ANDed: every one must be there
            for wanted in getattr(req, facet):
                mask &= self.labels[facet].mask(wanted)
        return mask

    # -- counting --------------------------------------------------------------------------

    def years(self, docs: np.ndarray | DocSet) -> list[FacetValue]:
        counts = docs.tally(self._years) if isinstance(docs, DocSet) else self._years.tally(docs)
        return self._year_values(counts)

    def _year_values(self, counts: np.ndarray) -> list[FacetValue]:
        return [
            FacetValue(str(self._year0 + int(i)), int(counts[i])) for i in np.flatnonzero(counts)
        ]

    def months(self, docs: np.ndarray) -> list[FacetValue]:
        return [
            FacetValue(f"{m // 12:04d}-{m % 12 + 1:02d}", n)
            for m, n in _counts(self.month_of(docs))
        ]

    def days(self, docs: np.ndarray) -> list[FacetValue]:
        return [
            FacetValue(date.fromordinal(d).isoformat(), n) for d, n in _counts(self.nzday[docs])
        ]

    def premium_counts(self, docs: np.ndarray | DocSet) -> list[FacetValue]:
        premium = self._premium
        counts = docs.tally(premium) if isinstance(docs, DocSet) else premium.tally(docs)
        return _premium_values(counts)


def _premium_values(counts: np.ndarray) -> list[FacetValue]:
    found = [FacetValue("true", int(counts[1])), FacetValue("false", int(counts[0]))]
    return sorted((f for f in found if f.count), key=lambda f: -f.count)


def _counts(values: np.ndarray) -> list[tuple[int, int]]:
    """(value, count) of each distinct integer, ascending: a bincount, no sorting."""
    if not values.size:
        return []
    low = int(values.min())
    counts = np.bincount(values - low)
    return [(low + int(i), int(counts[i])) for i in np.flatnonzero(counts)]
