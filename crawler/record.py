"""The article record: the one record type from extraction to JSON, and its validation.

The same 13 field names are used by the spider's items, the archive's columns, the index
and the web API (see DESIGN.md, "The article record").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

ARC_ID_RE = re.compile(r"^[A-Z0-9]{26}$")
# Stored dates are UTC; people read and search by New Zealand calendar days.
NZ_TZ = ZoneInfo("Pacific/Auckland")

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


class InvalidRecord(ValueError):
    """A record that must not reach the archive; the message says why."""


def to_utc_iso(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with a Z suffix, to the second."""
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: str) -> datetime:
    """Parse an ISO 8601 timestamp (Z or offset; naive is taken as UTC) to an aware datetime."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _text(record: Mapping[str, Any], name: str, *, required: bool) -> str:
    value = record.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidRecord(f"{name} must be a string, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise InvalidRecord(f"missing {name}")
    return value


def _str_list(record: Mapping[str, Any], name: str) -> list[str]:
    value = record.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidRecord(f"{name} must be a list of strings")
    seen: dict[str, None] = {}
    for item in value:
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def _timestamp(record: Mapping[str, Any], name: str) -> str:
    raw = _text(record, name, required=True)
    try:
        return to_utc_iso(parse_utc(raw))
    except ValueError:
        raise InvalidRecord(f"{name} is not an ISO 8601 date: {raw[:40]!r}") from None


def validate(record: Mapping[str, Any]) -> Article:
    """Return the record normalised to the contract, or raise InvalidRecord with the reason."""
    if not isinstance(record, Mapping):
        raise InvalidRecord("a record must be a JSON object")
    unknown = set(record) - set(FIELDS)
    if unknown:
        raise InvalidRecord(f"unknown fields: {', '.join(sorted(unknown))}")
    article_id = _text(record, "id", required=True)
    if not ARC_ID_RE.match(article_id):
        raise InvalidRecord(f"id is not a 26-character Arc id: {article_id[:40]!r}")
    url = _text(record, "url", required=True)
    if not url.startswith(("http://", "https://")):
        raise InvalidRecord(f"url is not absolute: {url[:80]!r}")
    published = _timestamp(record, "published")
    updated = _timestamp(record, "updated") if record.get("updated") else published
    if updated < published:
        updated = published
    premium = record.get("premium", False)
    if not isinstance(premium, bool):
        raise InvalidRecord("premium must be true or false")
    subsection = record.get("subsection")
    if subsection is not None and not isinstance(subsection, str):
        raise InvalidRecord("subsection must be a string or null")
    return Article(
        id=article_id,
        url=url,
        title=_text(record, "title", required=True),
        standfirst=_text(record, "standfirst", required=False),
        body=_text(record, "body", required=True),
        authors=_str_list(record, "authors"),
        source=_text(record, "source", required=True),
        section=_text(record, "section", required=True),
        subsection=(subsection or "").strip() or None,
        tags=_str_list(record, "tags"),
        published=published,
        updated=updated,
        premium=premium,
    )
