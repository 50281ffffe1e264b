"""Geometry of the results page's timeline: bars for one query, lines for compared ones.

Pure functions over plain values (the search layer's Series and TimelineBars), drawn by
templates/_timeline.html as SVG inside a CHART_WIDTH × chart_height viewBox:

- periods run evenly left to right (empty ones filled in), at the drill-down's level; more
  than DECADE_YEARS years are grouped into decades, whose bars drill into a from/to range
  of ten years (then the years show);
- the y-axis has round ticks of counts, or of shares when normalised (norm=share: each
  value is the query's count over all articles published in the period);
- each period carries count, volume and share for the tooltip and the table.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from index.model import Series, TimelineBar
from web.chart_scale import axis_ticks, tick_label, value_label
from web.formatting import drill_param, period_label

CHART_WIDTH = 720
PLOT_LEFT = 64  # the y-axis labels (drawn twice as large on phones, where the chart shrinks)
PLOT_TOP = 18  # value labels over the tallest bar
PLOT_HEIGHT = 130
LABEL_SPACE = 40  # the period labels under the plot (22 units high on phones)
DECADE_YEARS = 30  # more years than this are drawn as decades
MAX_RANGE_YEARS = 200  # a from–to range up to this long is drawn whole, empty years too
VALUE_LABELS_UP_TO = 16  # bars per chart that each show their value
MIN_BAR_HEIGHT = 2  # a non-empty period stays visible next to a huge one


@dataclass(frozen=True)
class Slot:
    """One period along the x-axis, and the parameters that drill into it."""

    period: str  # "1990s", "2022", "2022-10" or "2022-10-11"
    short: str
    title: str
    drill: dict[str, str]
    x: float
    width: float
    label: bool  # this slot's period label is drawn (thinned out when crowded)
    minor: bool  # a label hidden on narrow screens

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Mark:
    """One series' value in one slot."""

    count: int
    volume: int | None
    share: float | None
    y: float
    height: float
    text: str


@dataclass
class Line:
    """One query's values over the chart's slots."""

    query: str
    total: int
    style: int  # 0..3: colour, marker and dash pattern (CSS classes series-0..3)
    cells: list[tuple[Slot, Mark]]

    @property
    def points(self) -> str:
        return " ".join(f"{slot.center},{mark.y}" for slot, mark in self.cells)


@dataclass
class Chart:
    level: str  # "decade", "year", "month" or "day"
    share: bool
    slots: list[Slot]
    lines: list[Line]
    ticks: list[tuple[float, str]]  # (y, label)
    value_labels: bool
    width: int = CHART_WIDTH
    left: int = PLOT_LEFT
    top: int = PLOT_TOP
    bottom: int = PLOT_TOP + PLOT_HEIGHT
    height: int = PLOT_TOP + PLOT_HEIGHT + LABEL_SPACE

    @property
    def compared(self) -> bool:
        return len(self.lines) > 1


def _all_periods(periods: Sequence[str]) -> list[str]:
    """Every period from the first to the last at the same level, so time runs evenly."""
    first = periods[0]
    if first.count("-") == 2:  # days: the whole month
        year, month = int(first[:4]), int(first[5:7])
        days = calendar.monthrange(year, month)[1]
        return [f"{first[:7]}-{d:02d}" for d in range(1, days + 1)]
    if first.count("-") == 1:  # months: the whole year
        return [f"{first[:4]}-{m:02d}" for m in range(1, 13)]
    years = [int(p) for p in periods]
    return [str(y) for y in range(min(years), max(years) + 1)]


def _summed(
    bars: list[TimelineBar], groups: list[tuple[str, list[str]]], share: bool
) -> list[TimelineBar]:
    """Bars summed over groups of periods (missing periods count 0); shares recomputed
    from the sums."""
    by_period = {bar.period: bar for bar in bars}
    summed = []
    for name, members in groups:
        found = [by_period[p] for p in members if p in by_period]
        bar = TimelineBar(name, sum(b.count for b in found))
        if share:
            bar.volume = sum(b.volume or 0 for b in found)
            bar.share = bar.count / bar.volume if bar.volume else 0.0
        summed.append(bar)
    return summed


def _decades(years: list[str]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for year in years:
        groups.setdefault(f"{year[:3]}0s", []).append(year)
    return list(groups.items())


def _decade_drill(decade: str, date_from: date | None, date_to: date | None) -> dict[str, str]:
    """The from/to range of a decade, kept inside the range already chosen."""
    first, last = date(int(decade[:4]), 1, 1), date(int(decade[:4]) + 9, 12, 31)
    if date_from:
        first = max(first, date_from)
    if date_to:
        last = min(last, date_to)
    return {"from": first.isoformat(), "to": last.isoformat()}


def _slots(periods: list[str], level: str, date_range: tuple) -> list[Slot]:
    plot = CHART_WIDTH - PLOT_LEFT
    slot = plot / len(periods)
    step = max(1, round(40 / slot + 0.49))  # labels (about 36 px wide) never overlap
    slots = []
    for i, period in enumerate(periods):
        if level == "decade":
            short = title = period
            drill = _decade_drill(period, *date_range)
        else:
            short, title = period_label(period, short=True), period_label(period)
            drill = {drill_param(period): period}
        slots.append(
            Slot(
                period=period,
                short=short,
                title=title,
                drill=drill,
                x=round(PLOT_LEFT + i * slot, 2),
                width=round(slot, 2),
                label=i % step == 0,
                minor=i % (2 * step) != 0,
            )
        )
    return slots


def _mark(bar: TimelineBar, share: bool, top: float, labelled: bool) -> Mark:
    value = (bar.share or 0.0) if share else bar.count
    height = PLOT_HEIGHT * value / top if top else 0.0
    if bar.count and height < MIN_BAR_HEIGHT:
        height = MIN_BAR_HEIGHT
    return Mark(
        count=bar.count,
        volume=bar.volume,
        share=bar.share if share else None,
        y=round(PLOT_TOP + PLOT_HEIGHT - height, 2),
        height=round(height, 2),
        text=value_label(bar.count, bar.share if share else None) if labelled else "",
    )


def _groups(
    periods: list[str], date_range: tuple[date | None, date | None]
) -> tuple[str, list[tuple[str, list[str]]]]:
    """The chart's level and its slots as (name, periods summed into it). Years cover a
    chosen from–to range whole (a decade's bar drills into all ten of its years)."""
    first, last = date_range
    if periods[0].isdigit() and first and last and last.year - first.year <= MAX_RANGE_YEARS:
        periods = sorted({*periods, str(first.year), str(last.year)})
    with suppress(ValueError):  # an unexpected period format: draw what we were given
        periods = _all_periods(periods)
    level = {0: "year", 1: "month", 2: "day"}.get(periods[0].count("-"), "year")
    if level == "year" and len(periods) > DECADE_YEARS:
        return "decade", _decades(periods)
    return level, [(p, [p]) for p in periods]


def build_chart(
    series: Sequence[Series],
    *,
    share: bool,
    date_range: tuple[date | None, date | None] = (None, None),
) -> Chart | None:
    """The chart of one or more series (the main query first); None when nothing to draw."""
    periods = sorted({bar.period for s in series for bar in s.timeline})
    if not periods:
        return None
    level, groups = _groups(periods, date_range)
    timelines = [_summed(s.timeline, groups, share) for s in series]
    peak = max(((b.share or 0.0) if share else b.count) for t in timelines for b in t)
    ticks = axis_ticks(peak, share=share)
    top = ticks[-1]
    slots = _slots([name for name, _ in groups], level, date_range)
    labelled = len(series) == 1 and len(slots) <= VALUE_LABELS_UP_TO
    lines = [
        Line(
            s.query,
            s.total,
            i,
            [(x, _mark(b, share, top, labelled)) for x, b in zip(slots, t, strict=True)],
        )
        for i, (s, t) in enumerate(zip(series, timelines, strict=True))
    ]
    scale = PLOT_HEIGHT / top
    axis = [
        (round(PLOT_TOP + PLOT_HEIGHT - v * scale, 2), tick_label(v, share=share)) for v in ticks
    ]
    return Chart(level, share, slots, lines, axis, labelled)
