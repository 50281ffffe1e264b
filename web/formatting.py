"""Presentation helpers shared by the templates: NZ dates, numbers and link building.

Registered on the app as Jinja filters and globals by `register(app)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import Flask, g, url_for

from crawler.record import MONTH_NAMES as _LONG_MONTHS
from crawler.record import NZ_TZ, parse_utc
from index import limits
from web.chart_scale import percent
from web.params import arg_pairs

_MONTHS = tuple(name[:3] for name in _LONG_MONTHS)  # "Jan" … "Dec"

# Removing a coarser filter removes the finer ones that depend on it.
_DEPENDENTS = {"section": ("subsection",), "year": ("month", "day"), "month": ("day",)}


def nz_time(value: str) -> datetime:
    """An ISO 8601 UTC timestamp as an aware datetime in New Zealand time."""
    return parse_utc(value).astimezone(NZ_TZ)


def nz_datetime(value: str) -> str:
    """'11 Oct 2022, 12:30 PM' in New Zealand time."""
    when = nz_time(value)
    hour = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}, {hour}:{when.minute:02d} {ampm}"


def nz_date(value: str) -> str:
    """'11 Oct 2022' in New Zealand time."""
    when = nz_time(value)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def period_label(period: str, *, short: bool = False) -> str:
    """'2022' → '2022'; '2022-10' → 'October 2022' (or 'Oct'); '2022-10-11' → '11 Oct 2022'."""
    parts = period.split("-")
    try:
        if len(parts) == 2:
            month = int(parts[1])
            return _MONTHS[month - 1] if short else f"{_LONG_MONTHS[month - 1]} {parts[0]}"
        if len(parts) == 3:
            day, month = int(parts[2]), int(parts[1])
            return str(day) if short else f"{day} {_MONTHS[month - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return period
    return period


def number(value: int) -> str:
    return f"{value:,}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 article', '1,234 articles'."""
    word = singular if count == 1 else (many or singular + "s")
    return f"{count:,} {word}"


def search_url(changes: Mapping[str, object] | None = None, /, **more: object) -> str:
    """This page's search with some parameters changed (None removes one); page resets to 1.

    `changes` is a mapping so that parameters named like Python keywords ('from') can be set.
    """
    args = dict(getattr(g, "search_args", {}))
    updates = {**(changes or {}), **more}
    if "page" not in updates:
        args.pop("page", None)
    for name, value in updates.items():
        for dependent in _DEPENDENTS.get(name, ()):
            args.pop(dependent, None)
        if value is None or value in ("", []) or (name == "page" and str(value) == "1"):
            args.pop(name, None)
        elif isinstance(value, list | tuple):
            args[name] = [str(v) for v in value]
        else:
            args[name] = str(value)
    return url_for("pages.search", **args)


def selected_values(name: str) -> list[str]:
    """The values of a repeatable parameter (tag, author, compare) on this page."""
    value = getattr(g, "search_args", {}).get(name)
    return [] if value is None else value if isinstance(value, list) else [value]


def toggle_value_url(name: str, value: str) -> str:
    """This search with `value` added to the repeatable parameter `name`, or removed from
    it when already there."""
    values = selected_values(name)
    changed = [v for v in values if v != value] if value in values else [*values, value]
    return search_url({name: changed or None})


def drill_param(period: str) -> str:
    """The parameter a timeline period sets: year, month or day."""
    return {1: "year", 2: "month", 3: "day"}.get(period.count("-") + 1, "year")


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        percent=percent,
        nz_datetime=nz_datetime,
        nz_date=nz_date,
        number=number,
        period_label=period_label,
    )
    app.jinja_env.globals.update(
        limits=limits,  # the query limits the forms and /help quote
        search_url=search_url,
        arg_pairs=arg_pairs,
        selected_values=selected_values,
        toggle_value_url=toggle_value_url,
        plural=plural,
        drill_param=drill_param,
        period_label=period_label,
    )
