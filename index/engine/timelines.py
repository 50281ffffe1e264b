"""Timelines: counts per period at the drill-down's level, normalised and compared.

The level is the deepest the request chose: years (nothing chosen), the chosen year's
months, or the chosen month's days. A normalised bar divides the query's count by the
period's volume: every article published in it that passes the same filters, without the
query. Compared queries share one list of periods (the union of theirs, zeros filled), so
their bars line up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from index.model import FacetValue, SearchRequest, SearchResult, Series, TimelineBar

if TYPE_CHECKING:
    from index.engine.facets import Columns
    from index.engine.requests import Period


def level_counts(cols: Columns, docs: np.ndarray, period: Period) -> list[FacetValue]:
    """How many of `docs` fall in each period of the timeline's level (chronological)."""
    if period.month is not None:
        return cols.days(docs[cols.month_of(docs) == period.month])
    if period.year is not None:
        return cols.months(docs[cols.year_of(docs) == period.year])
    return cols.years(docs)


def bars(
    counts: list[FacetValue],
    volumes: dict[str, int] | None = None,
    periods: list[str] | None = None,
) -> list[TimelineBar]:
    """Timeline bars of `counts`, over `periods` when given (missing ones are zero), with
    volume and share when `volumes` is given."""
    by_period = {c.value: c.count for c in counts}
    laid = []
    for period in periods if periods is not None else list(by_period):
        count = by_period.get(period, 0)
        bar = TimelineBar(period, count)
        if volumes is not None:
            bar.volume = volumes.get(period, 0)
            bar.share = count / bar.volume if bar.volume else 0.0
        laid.append(bar)
    return laid


def compared(
    named_counts: list[tuple[str, int, list[FacetValue]]],
    volumes: dict[str, int] | None,
) -> list[Series]:
    """One Series per (query, total, counts), all over the same periods: every period with
    a match, and when normalised every period with an article (shares of 0 included)."""
    periods = {c.value for _, _, counts in named_counts for c in counts}
    periods = sorted(periods | {p for p, n in (volumes or {}).items() if n})
    return [
        Series(query, total, bars(counts, volumes, periods))
        for query, total, counts in named_counts
    ]


def fill_timelines(
    result: SearchResult,
    cols: Columns,
    req: SearchRequest,
    period: Period,
    mask: np.ndarray,
    matching: Callable[[str], np.ndarray],
) -> None:
    """Set `result.timeline` (the deepest date facet already in `result.facets`, with
    volumes for norm="share") and, for compared queries or a normalised timeline,
    `result.series` (the web API shows it when queries are compared).

    `mask` passes every filter but the query and the drill-down; `matching(words)` gives
    the sorted doc numbers a query matches under that mask (its full match set: counting
    needs no ranking, hits or snippets).
    """
    facets = result.facets
    level = "day" if "day" in facets else "month" if "month" in facets else "year"
    counts = facets[level]
    volumes = None
    if req.norm == "share":  # the same filters without the query
        volumes = {f.value: f.count for f in level_counts(cols, np.flatnonzero(mask), period)}
    result.timeline = bars(counts, volumes)
    if req.compare or volumes is not None:
        named = [(req.q, result.total, counts)]
        for words in req.compare:
            docs = matching(words)
            total = int(period.mask(cols, docs).sum()) if period.level else int(docs.size)
            named.append((words, total, level_counts(cols, docs, period)))
        result.series = compared(named, volumes)
        # The main timeline is the first series: the same periods, the periods with no
        # match included when normalised (a share of 0 is a figure, not a gap).
        result.timeline = result.series[0].timeline
