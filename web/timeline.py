"""The results page's pager: which page numbers to show (the timeline chart is web.chart's).

Pure functions over plain values so they are easy to test and cheap to run per request.
"""

from __future__ import annotations

from dataclasses import dataclass


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
