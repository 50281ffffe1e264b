"""Compared and normalised timelines: the page's chart of a search, and its figures as CSV.

`chart_of` picks what to draw: the compared series (main query first) or the main query's
timeline, as counts or as shares (norm=share). `/timeline.csv` takes the search page's
parameters and gives the same figures at the API's level (years, a year's months or a
month's days), one row per period.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

from flask import Blueprint, request

from index.model import SearchRequest, SearchResult, Series
from web.chart import Chart, build_chart
from web.exports import attachment_name, spreadsheet_safe
from web.params import parse_search_args
from web.resources import get_searcher

bp = Blueprint("compare", __name__)


def series_of(req: SearchRequest, result: SearchResult) -> list[Series]:
    """The series to draw or list: compared ones, or the main query alone."""
    if result.series:
        return result.series
    return [Series(req.q, result.total, result.timeline)]


def chart_of(req: SearchRequest, result: SearchResult) -> Chart | None:
    return build_chart(
        series_of(req, result),
        share=req.norm == "share",
        date_range=(req.date_from, req.date_to),
    )


def _rows(series: list[Series], share: bool) -> list[list[Any]]:
    names = [s.query or "all articles" for s in series]
    header = ["period"]
    for name in names:
        header += [f"{name}: articles"] + ([f"{name}: share"] if share else [])
    if share:
        header.append("all articles")
    rows = [header]
    for i, first in enumerate(series[0].timeline):
        row: list[Any] = [first.period]
        for s in series:
            bar = s.timeline[i]
            row += [bar.count] + ([f"{bar.share or 0:.6f}"] if share else [])
        if share:
            row.append(first.volume or 0)
        rows.append(row)
    return rows


@bp.get("/timeline.csv")
def timeline_csv() -> Any:
    """The timeline's figures (every series, counts and, normalised, shares and volumes)."""
    req = parse_search_args(request.args)
    share = req.norm == "share"
    result = get_searcher().search(dataclasses.replace(req, page=1, page_size=1))
    series = series_of(req, result)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _rows(series, share):
        writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
    name = attachment_name(req, "timeline", "csv")
    return (
        out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )
