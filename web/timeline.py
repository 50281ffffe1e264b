"""Geometry for the server-drawn pieces of the results page: the timeline chart and the pager.

Pure functions over plain values so they are easy to test and cheap to run per request.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass

from index.model import TimelineBar

CHART_WIDTH = 720
CHART_HEIGHT = 88
LABEL_SPACE = 30  # below the bars, for the period labels (larger on phones)
MIN_BAR_HEIGHT = 2  # a non-empty period stays visible next to a huge one


@dataclass(frozen=True)
class Bar:
    period: str
    count: int
    x: float
    y: float
    width: float
    height: float
    label: bool  # whether this bar's label is drawn (thinned out when crowded)
    minor: bool  # a label hidden on narrow screens, where the chart is drawn smaller


def _all_periods(bars: Sequence[TimelineBar]) -> list[str]:
    """Every period the chart should show: gaps filled, so time runs evenly left to right."""
    first = bars[0].period
    if first.count("-") == 2:  # days: the whole month
        year, month = int(first[:4]), int(first[5:7])
        days = calendar.monthrange(year, month)[1]
        return [f"{first[:7]}-{d:02d}" for d in range(1, days + 1)]
    if first.count("-") == 1:  # months: the whole year
        return [f"{first[:4]}-{m:02d}" for m in range(1, 13)]
    years = [int(bar.period) for bar in bars if bar.period.isdigit()]
    return [str(y) for y in range(min(years), max(years) + 1)] if years else []


def fill_gaps(bars: Sequence[TimelineBar]) -> list[TimelineBar]:
    """The bars with empty periods added as zero bars (the search layer omits them)."""
    if not bars:
        return []
    try:
        periods = _all_periods(bars)
    except ValueError:  # an unexpected period format: draw what we were given
        return list(bars)
    counts = {bar.period: bar.count for bar in bars}
    if not set(counts) <= set(periods):
        return list(bars)
    return [TimelineBar(period, counts.get(period, 0)) for period in periods]


def timeline_bars(given: Sequence[TimelineBar]) -> list[Bar]:
    """Lay the timeline's bars out left to right in a CHART_WIDTH × CHART_HEIGHT box."""
    bars = fill_gaps(given)
    if not bars:
        return []
    slot = CHART_WIDTH / len(bars)
    gap = min(4.0, slot * 0.2)
    peak = max(bar.count for bar in bars) or 1
    # Label roughly every n-th bar so labels (about 34 px wide) never overlap.
    step = max(1, round(36 / slot + 0.49))
    laid_out = []
    for i, bar in enumerate(bars):
        height = CHART_HEIGHT * bar.count / peak
        if bar.count and height < MIN_BAR_HEIGHT:
            height = MIN_BAR_HEIGHT
        laid_out.append(
            Bar(
                period=bar.period,
                count=bar.count,
                x=round(i * slot + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                label=i % step == 0,
                minor=i % (2 * step) != 0,
            )
        )
    return laid_out


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None is a gap ("…")
    current: bool = False


def pager(page: int, last: int, around: int = 2) -> list[PageLink]:
    """Page numbers to show: the first, the last, and `around` either side of the current one."""
    if last <= 1:
        return []
    wanted = {1, last, *range(max(1, page - around), min(last, page + around) + 1)}
    links: list[PageLink] = []
    previous = 0
    for number in sorted(wanted):
        if number - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, current=number == page))
        previous = number
    return links
