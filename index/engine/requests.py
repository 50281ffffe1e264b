"""Validation of a SearchRequest and the date drill-down period it selects.

Every check raises InvalidRequest with a message a person can act on (the web answers 400).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from index.limits import MAX_PAGE, MAX_PAGE_SIZE
from index.model import SORTS, InvalidRequest, SearchRequest

if TYPE_CHECKING:
    from index.engine.facets import Columns


@dataclass(frozen=True)
class Period:
    """The chosen NZ year / month (year*12 + month-1) / day (ordinal), deepest set last."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def level(self) -> str | None:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year" if self.year is not None else None

    def mask(self, cols: Columns, docs: np.ndarray) -> np.ndarray:
        """Which of `docs` fall in the period."""
        if self.day is not None:
            return cols.nzday[docs] == self.day
        if self.month is not None:
            return cols.month_of(docs) == self.month
        return cols.year_of(docs) == self.year


def _parse_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise InvalidRequest(f"month must look like 2022-10, not {text[:20]!r}") from None
    return year, month


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(f"day must look like 2022-10-11, not {text[:20]!r}") from None


def period_of(req: SearchRequest) -> Period:
    """The drill-down period of `req`; year, month and day must agree with each other."""
    year = req.year
    if year is not None and not 1 <= year <= 9999:
        raise InvalidRequest(f"year {year} is out of range")
    month = _parse_month(req.month) if req.month else None
    day = _parse_day(req.day) if req.day else None
    if month and year is not None and month[0] != year:
        raise InvalidRequest(f"month {req.month} is not in year {year}")
    if day and year is not None and day.year != year:
        raise InvalidRequest(f"day {req.day} is not in year {year}")
    if day and month and (day.year, day.month) != month:
        raise InvalidRequest(f"day {req.day} is not in month {req.month}")
    if day:
        month = (day.year, day.month)
    if month:
        year = month[0]
    return Period(
        year=year,
        month=month[0] * 12 + month[1] - 1 if month else None,
        day=day.toordinal() if day else None,
    )


def validate_request(req: SearchRequest) -> Period:
    """Raise InvalidRequest when `req` cannot be answered; else return its period."""
    if req.sort not in SORTS:
        raise InvalidRequest(f"sort must be one of {', '.join(SORTS)}, not {req.sort!r}")
    if not isinstance(req.page, int) or not 1 <= req.page <= MAX_PAGE:
        raise InvalidRequest(f"page must be a whole number from 1 to {MAX_PAGE:,}")
    if not isinstance(req.page_size, int) or not 1 <= req.page_size <= MAX_PAGE_SIZE:
        raise InvalidRequest(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise InvalidRequest("the 'from' date is after the 'to' date")
    return period_of(req)
