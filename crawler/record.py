"""The article record: the one record type from extraction to JSON, and its validation.

The same field names are used by the spider's items, the archive's columns, the index and
the web API (see DESIGN.md, "The article record"). `FIELDS` are the 13 content fields a
page yields; `fetched` (when the crawler fetched this version) is provenance, set by the
spider and optional on import, so a record carries it only when it is known.

Timestamps are normalised to `YYYY-MM-DDTHH:MM:SSZ` with a four-digit year and must lie
between 1800-01-01 and two days from now: everything downstream (the index's New Zealand
days, sorting by string, the pages) relies on that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, NotRequired, TypedDict
from zoneinfo import ZoneInfo

ARC_ID_RE = re.compile(r"^[A-Z0-9]{26}$")
# Stored dates are UTC; people read and search by New Zealand calendar days.
NZ_TZ = ZoneInfo("Pacific/Auckland")
# English month names for dates shown to people (calendar.month_name follows the locale).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The range of dates a record may carry: before 1800 or in the future is a parsing error
# somewhere upstream, and a year < 1000 or near 9999 breaks date arithmetic downstream.
EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)

FIELDS: tuple[str, ...] = (
    "id",
    "url",
    "title",
    "standfirst",
    "body",
    "authors",
    "source",
    "section",
    "subsection",
    "tags",
    "published",
    "updated",
    "premium",
)
# Provenance: about this copy of the article, not its content.
PROVENANCE_FIELDS: tuple[str, ...] = ("fetched",)
RECORD_FIELDS: tuple[str, ...] = (*FIELDS, *PROVENANCE_FIELDS)


class Article(TypedDict):
    id: str
    url: str
    title: str
    standfirst: str
    body: str
    authors: list[str]
    source: str
    section: str
    subsection: str | None
    tags: list[str]
    published: str
    updated: str
    premium: bool
    fetched: NotRequired[str]


class InvalidRecord(ValueError):
    """A record that must not reach the archive; the message says why."""


def to_utc_iso(value: datetime) -> str:
    """Format a datetime (naive: taken as UTC) as `YYYY-MM-DDTHH:MM:SSZ`, to the second.

    ValueError when it has no UTC representation (an offset that crosses year 1 or 9999).
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} is out of range in UTC") from None
    # Not strftime: its %Y does not pad years below 1000 on every platform.
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )


def parse_utc(value: str) -> datetime:
    """Parse an ISO 8601 timestamp (Z or offset; naive is taken as UTC) to an aware datetime.

    ValueError for anything that is not one, or has no UTC representation.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value!r} is out of range in UTC") from None


def latest_allowed(now: datetime | None = None) -> datetime:
    """The latest timestamp a record may carry: two days from `now` (default: the clock)."""
    return (now or datetime.now(UTC)) + FUTURE_SLACK


def _check_unicode(name: str, value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidRecord(
            f"{name} is not valid Unicode text: a lone surrogate at character {exc.start}"
        ) from None
    return value


def _text(record: Mapping[str, Any], name: str, *, required: bool) -> str:
    value = record.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidRecord(f"{name} must be a string, not {type(value).__name__}")
    value = _check_unicode(name, value).strip()
    if required and not value:
        raise InvalidRecord(f"missing {name}")
    return value


def _str_list(record: Mapping[str, Any], name: str) -> list[str]:
    value = record.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidRecord(f"{name} must be a list of strings")
    seen: dict[str, None] = {}
    for item in value:
        item = _check_unicode(name, item).strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def _timestamp(record: Mapping[str, Any], name: str, now: datetime | None) -> str:
    raw = _text(record, name, required=True)
    try:
        when = parse_utc(raw)
    except ValueError:
        raise InvalidRecord(f"{name} is not an ISO 8601 date: {raw[:40]!r}") from None
    if when < EARLIEST:
        raise InvalidRecord(f"{name} is before 1800: {raw[:40]!r}")
    if when > latest_allowed(now):
        raise InvalidRecord(f"{name} is more than two days in the future: {raw[:40]!r}")
    return to_utc_iso(when)


def _check_fields(record: Mapping[str, Any]) -> None:
    if not isinstance(record, Mapping):
        raise InvalidRecord("a record must be a JSON object")
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        names = ", ".join(sorted(repr(name)[:40] for name in unknown))
        raise InvalidRecord(f"unknown fields: {names}")


def validate(record: Mapping[str, Any], *, now: datetime | None = None) -> Article:
    """Return the record normalised to the contract, or raise InvalidRecord with the reason.

    `now` (default: the clock) bounds how far in the future a timestamp may be.
    """
    _check_fields(record)
    article_id = _text(record, "id", required=True)
    if not ARC_ID_RE.match(article_id):
        raise InvalidRecord(f"id is not a 26-character Arc id: {article_id[:40]!r}")
    url = _text(record, "url", required=True)
    if not url.startswith(("http://", "https://")):
        raise InvalidRecord(f"url is not absolute: {url[:80]!r}")
    published = _timestamp(record, "published", now)
    updated = _timestamp(record, "updated", now) if record.get("updated") else published
    premium = record.get("premium", False)
    if not isinstance(premium, bool):
        raise InvalidRecord("premium must be true or false")
    subsection = record.get("subsection")
    if subsection is not None and not isinstance(subsection, str):
        raise InvalidRecord("subsection must be a string or null")
    article = Article(
        id=article_id,
        url=url,
        title=_text(record, "title", required=True),
        standfirst=_text(record, "standfirst", required=False),
        body=_text(record, "body", required=True),
        authors=_str_list(record, "authors"),
        source=_text(record, "source", required=True),
        section=_text(record, "section", required=True),
        subsection=_text(record, "subsection", required=False) or None,
        tags=_str_list(record, "tags"),
        published=published,
        updated=max(updated, published),  # one format: strings compare as times
        premium=premium,
    )
    if record.get("fetched"):
        article["fetched"] = _timestamp(record, "fetched", now)
    return article


def content_of(article: Mapping[str, Any]) -> dict[str, Any]:
    """The record's content fields only (no provenance): what a version is compared by."""
    return {name: article.get(name) for name in FIELDS}
