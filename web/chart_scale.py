"""Numbers on the timeline chart: a y-axis of round steps, and compact value labels.

Pure functions, so the chart's figures can be tested without drawing it.
"""

from __future__ import annotations

import math


def nice_step(peak: float, ticks: int = 4, *, whole: bool = True) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) so that about `ticks` steps reach `peak`;
    at least 1 when the values are whole numbers (article counts)."""
    if peak <= 0:
        return 1.0 if whole else 0.01
    raw = peak / ticks
    if whole and raw <= 1:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    # 2.5 is a round step only when it stays a whole number (25, 250, …) for counts.
    multiples = (1, 2, 5, 10) if whole and magnitude < 10 else (1, 2, 2.5, 5, 10)
    return float(next(m * magnitude for m in multiples if m * magnitude >= raw))


def axis_ticks(peak: float, *, share: bool) -> list[float]:
    """Tick values from 0 to the first step at or above `peak` (which is the axis top)."""
    step = nice_step(peak, whole=not share)
    count = max(1, math.ceil(peak / step - 1e-9))
    return [round(step * i, 10) for i in range(count + 1)]


def compact_count(value: float) -> str:
    """'950', '9,500', '95k', '1.2M': at most five characters, for axis and bar labels."""
    value = round(value)
    if value < 10_000:
        return f"{value:,}"
    if value < 1_000_000:
        return f"{value / 1000:.0f}k"
    millions = value / 1_000_000
    return f"{millions:.1f}M" if millions < 10 else f"{millions:.0f}M"


def percent(share: float, *, digits: int | None = None) -> str:
    """A share as a percentage: '12%', '5.9%', '0.42%' (more digits for small shares)."""
    pct = share * 100
    if digits is None:
        digits = 0 if pct >= 10 or pct == 0 else 1 if pct >= 1 else 2
    text = f"{pct:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def tick_label(value: float, *, share: bool) -> str:
    if share:
        return percent(value, digits=2)
    return compact_count(value)


def value_label(count: int, share: float | None) -> str:
    """The label over one bar: its share when normalised, else its count."""
    return percent(share) if share is not None else compact_count(count)
