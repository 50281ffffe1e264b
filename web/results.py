"""What the results page shows around the hits: which of them these are ("21–40 of 266"),
how far the pager reaches, and the trail of the date drill-down (All years › 2024 › …).

Pure functions of the request and the answer, so every combination of date parameters
gives a trail whose links are themselves valid searches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from index.limits import MAX_PAGE
from index.model import SearchRequest, SearchResult
from web.formatting import period_label, search_url


@dataclass(frozen=True)
class Shown:
    first: int  # position of the first hit on this page (1-based)
    last: int
    total: int


def shown(result: SearchResult) -> Shown | None:
    """Which results this page shows, or None when it shows none."""
    if not result.hits:
        return None
    first = (result.page - 1) * result.page_size + 1
    return Shown(first, first + len(result.hits) - 1, result.total)


def last_page(result: SearchResult) -> int:
    """The last page the pager links to: where the results end (every page up to it is
    served), or MAX_PAGE for a result set longer than any page number reaches."""
    return min(MAX_PAGE, max(1, -(-result.total // result.page_size)))


def pages_cut_short(result: SearchResult) -> bool:
    """Whether there are more results than the deepest page reaches."""
    return result.total > MAX_PAGE * result.page_size


@dataclass(frozen=True)
class TrailStep:
    label: str
    href: str | None  # None: the step being shown


def _period(req: SearchRequest) -> tuple[int | None, str | None, str | None]:
    """The chosen (year, month, day), each implied by the finer ones."""
    day = date.fromisoformat(req.day) if req.day else None
    month = req.month or (f"{day:%Y-%m}" if day else None)
    year = req.year if req.year is not None else (int(month[:4]) if month else None)
    return year, month, req.day


def date_trail(req: SearchRequest) -> list[TrailStep]:
    """All years › year › month › day, down to what is chosen; [] when no date is."""
    year, month, day = _period(req)
    if year is None:
        return []
    steps = [TrailStep("All years", search_url({"year": None, "month": None, "day": None}))]
    levels = [(str(year), {"year": year, "month": None, "day": None})]
    if month:
        levels.append((period_label(month), {"year": year, "month": month, "day": None}))
    if day:
        levels.append((period_label(day), {}))
    for n, (label, changes) in enumerate(levels):
        current = n == len(levels) - 1
        steps.append(TrailStep(label, None if current else search_url(changes)))
    return steps
