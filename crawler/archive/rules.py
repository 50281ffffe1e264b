"""The rules every archive backend keeps, as pure functions: which copy of an article wins,
and when an article counts as seen.

**Newer wins.** An incoming record replaces the archived one only when its `updated` is
newer. With the same `updated` it replaces it only when the content differs (a correction
without a new timestamp, or better extraction), and that is reported. An older record is
kept out: the archived one stays, unless the import is forced (`import --force`, a
deliberate restore). Whenever a record replaces another, the replaced one is kept as a
version, so nothing archived is ever lost.

**Seen.** Each article has `first_seen` and `last_seen`: the earliest and latest time any
copy of it arrived, taken from the record's `fetched` when it has one (when the crawler
fetched it) and the archive's clock otherwise (an import of a record without `fetched`).
An older record that is kept out changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from crawler.record import Article, content_of


class Outcome(StrEnum):
    """What happened to one incoming record."""

    INSERTED = "inserted"  # a new article
    UPDATED = "updated"  # newer `updated`: replaced; the previous version is kept
    REVISED = "revised"  # same `updated`, different content: replaced and reported
    UNCHANGED = "unchanged"  # same `updated`, same content: only `last_seen` moves
    OLDER = "older"  # older `updated`: kept out, the archived copy stays
    RESTORED = "restored"  # older, but forced: replaced; the newer one is kept as a version


# Outcomes that make the incoming record the current one (and take a new change number).
WRITES = frozenset({Outcome.INSERTED, Outcome.UPDATED, Outcome.REVISED, Outcome.RESTORED})
# Outcomes that move the current record into the versions.
REPLACES = WRITES - {Outcome.INSERTED}


def same_content(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Do two records say the same thing? (`fetched` is provenance, not content.)"""
    return content_of(a) == content_of(b)


def decide(incoming: Article, archived: Article | None, *, force: bool = False) -> Outcome:
    """Newer wins: what to do with `incoming`, given the archived copy (None: not archived).

    Timestamps are validated `YYYY-MM-DDTHH:MM:SSZ` strings, so they compare as times.
    """
    if archived is None:
        return Outcome.INSERTED
    if incoming["updated"] > archived["updated"]:
        return Outcome.UPDATED
    if incoming["updated"] == archived["updated"]:
        return Outcome.UNCHANGED if same_content(incoming, archived) else Outcome.REVISED
    return Outcome.RESTORED if force else Outcome.OLDER


@dataclass(frozen=True)
class Seen:
    """When an article was first and last seen (None: before the archive recorded it)."""

    first: str | None
    last: str | None


def seen_at(incoming: Article, now: str) -> str:
    """When this copy was seen: its `fetched` time, or `now` when it has none."""
    return incoming.get("fetched") or now


def seen_after(previous: Seen | None, when: str, outcome: Outcome) -> Seen | None:
    """The seen times after a copy seen at `when` had `outcome` (None: nothing to write).

    A first sighting sets both; later ones widen the range. An article archived before the
    archive recorded sightings keeps `first` unknown: it was first seen before that.
    """
    if outcome is Outcome.OLDER:
        return None
    if previous is None:
        return Seen(when, when)
    first = min(previous.first, when) if previous.first else previous.first
    last = max(previous.last, when) if previous.last else when
    return Seen(first, last)
