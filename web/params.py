"""Request parameters → SearchRequest, with a clear message for every bad value.

The page, the JSON API and the Atom feed all take the same parameters (DESIGN.md, "The
search API"); `canonical_args` gives the parsed state back as URL parameters so links can
change one thing and keep the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from index.limits import (
    DEFAULT_PAGE_SIZE,
    MAX_COMPARE,
    MAX_FILTER_CHARS,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
)
from index.model import NORMS, SORTS, SearchRequest

# The years a date parameter may name (the archive holds nothing before 1800).
FIRST_YEAR, LAST_YEAR = 1800, 2999
FILTER_PARAMS = ("section", "subsection", "source")
# Filters that may be given several times (all must hold), and how many times at most.
MULTI_PARAMS = ("author", "tag")
MAX_MULTI = MAX_FILTER_VALUES
# Parameters whose value in `canonical_args` is a list (repeated in URLs).
LIST_PARAMS = (*MULTI_PARAMS, "compare")
# In URL order; what a shareable link carries.
PARAM_ORDER = (
    "q",
    "section",
    "subsection",
    "source",
    "author",
    "tag",
    "premium",
    "from",
    "to",
    "year",
    "month",
    "day",
    "sort",
    "norm",
    "compare",
    "page",
    "page_size",
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR_RE = re.compile(r"^\d{4}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


class BadParameter(ValueError):
    """A request parameter with a value we cannot use; the message says which and why."""


def _text(args: Mapping[str, str], name: str, limit: int = MAX_FILTER_CHARS) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if _CONTROL_RE.search(value):
        raise BadParameter(f"{name} contains control characters")
    if len(value) > limit:
        raise BadParameter(f"{name} is too long (at most {limit:,} characters)")
    return value


def _texts(
    args: Mapping[str, str], name: str, most: int, limit: int = MAX_FILTER_CHARS
) -> tuple[str, ...]:
    """Every non-blank value of a repeatable parameter (blank form fields are ignored)."""
    raw = args.getlist(name) if hasattr(args, "getlist") else [args.get(name) or ""]
    values = tuple(v for v in (_text({name: r}, name, limit) for r in raw) if v)
    if len(values) > most:
        raise BadParameter(f"{name} may be given at most {most} times, not {len(values)}")
    return tuple(dict.fromkeys(values))


def _norm(args: Mapping[str, str]) -> str | None:
    raw = _text(args, "norm")
    if raw is not None and raw not in NORMS:
        raise BadParameter(f"norm must be {' or '.join(NORMS)}, not {raw[:40]!r}")
    return raw


def _int(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise BadParameter(f"{name} must be a whole number from {low:,} to {high:,}")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"{name} must be from {low:,} to {high:,}, not {value:,}")
    return value


def _day(args: Mapping[str, str], name: str) -> date | None:
    raw = _text(args, name)
    if raw is None:
        return None
    try:
        if not _DAY_RE.match(raw):
            raise ValueError(raw)
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a date like 2022-10-11, not {raw[:40]!r}") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise BadParameter(f"{name} must be a date in {FIRST_YEAR}–{LAST_YEAR}, not {raw!r}")
    return value


def _year(args: Mapping[str, str]) -> int | None:
    raw = _text(args, "year")
    if raw is None:
        return None
    if not _YEAR_RE.match(raw):
        raise BadParameter(f"year must be a year like 2022, not {raw[:40]!r}")
    if not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise BadParameter(f"year must be a year in {FIRST_YEAR}–{LAST_YEAR}, not {raw!r}")
    return int(raw)


def _month(args: Mapping[str, str]) -> str | None:
    raw = _text(args, "month")
    if raw is None:
        return None
    match = _MONTH_RE.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadParameter(f"month must be a month like 2022-10, not {raw[:40]!r}")
    if not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise BadParameter(f"month must be a month in {FIRST_YEAR}–{LAST_YEAR}, not {raw!r}")
    return raw


def _premium(args: Mapping[str, str]) -> bool | None:
    raw = (_text(args, "premium") or "").lower()
    if not raw:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadParameter(f"premium must be true or false, not {raw[:40]!r}")


def _sort(args: Mapping[str, str], q: str) -> str:
    raw = _text(args, "sort")
    if raw is None:
        return "relevance" if q else "newest"
    if raw not in SORTS:
        raise BadParameter(f"sort must be one of {', '.join(SORTS)}, not {raw[:40]!r}")
    return raw


def parse_search_args(args: Mapping[str, str]) -> SearchRequest:
    """Parse URL parameters into a SearchRequest; raises BadParameter with a clear message."""
    q = _text(args, "q", limit=MAX_QUERY_CHARS) or ""
    date_from, date_to = _day(args, "from"), _day(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter(f"from ({date_from}) is after to ({date_to})")
    day = _day(args, "day")
    year, month = _year(args), _month(args)
    if month and year and not month.startswith(f"{year}-"):
        raise BadParameter(f"month {month} is not in year {year}")
    if day and month and not day.isoformat().startswith(month):
        raise BadParameter(f"day {day} is not in month {month}")
    if day and year and day.year != year:
        raise BadParameter(f"day {day} is not in year {year}")
    return SearchRequest(
        q=q,
        **{name: _text(args, name) for name in FILTER_PARAMS},
        author=_texts(args, "author", MAX_MULTI),
        tag=_texts(args, "tag", MAX_MULTI),
        premium=_premium(args),
        date_from=date_from,
        date_to=date_to,
        year=year,
        month=month,
        day=day.isoformat() if day else None,
        sort=_sort(args, q),
        page=_int(args, "page", 1, 1, MAX_PAGE),
        page_size=_int(args, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        norm=_norm(args),
        compare=_texts(args, "compare", MAX_COMPARE, limit=MAX_QUERY_CHARS),
    )


def canonical_args(req: SearchRequest) -> dict[str, str | list[str]]:
    """The request as URL parameters, defaults left out, in a stable order; the repeatable
    ones (LIST_PARAMS) as lists."""
    values: dict[str, object] = {
        "q": req.q,
        **{name: getattr(req, name) for name in FILTER_PARAMS},
        **{name: list(getattr(req, name)) or None for name in LIST_PARAMS},
        "premium": None if req.premium is None else str(req.premium).lower(),
        "from": req.date_from.isoformat() if req.date_from else None,
        "to": req.date_to.isoformat() if req.date_to else None,
        "year": req.year,
        "month": req.month,
        "day": req.day,
        "sort": req.sort if req.sort != ("relevance" if req.q else "newest") else None,
        "page": req.page if req.page != 1 else None,
        "page_size": req.page_size if req.page_size != DEFAULT_PAGE_SIZE else None,
        "norm": req.norm,
    }
    return {
        name: value if isinstance(value, list) else str(value)
        for name in PARAM_ORDER
        if (value := values[name]) not in (None, "")
    }


def arg_pairs(args: Mapping[str, str | list[str]], *skip: str) -> list[tuple[str, str]]:
    """(name, value) of every parameter in `args` but `skip`, lists flattened: the hidden
    fields that carry a search's state through a form."""
    pairs = []
    for name, value in args.items():
        if name not in skip:
            pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return pairs
