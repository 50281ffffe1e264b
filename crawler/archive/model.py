"""The archive's plain data: outcomes counted, versions, histories, and its errors.

Shared by the interface (base.py), every backend and the JSON Lines module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from crawler.archive.rules import Outcome, Seen
from crawler.record import Article, to_utc_iso

# Where an article sits in oldest-first order: (published, id).
OrderKey = tuple[str, str]


class ArchiveError(Exception):
    """The archive cannot be used: missing, not an archive, or its storage failed."""


class ArchiveMissing(ArchiveError, FileNotFoundError):
    """There is no archive where one was to be read (read commands never create one)."""


class ArchiveStorageError(ArchiveError):
    """Reading or writing an open archive failed (damaged, read-only, full or locked)."""


@dataclass
class UpsertCounts:
    """How many incoming records had each outcome, and each record's outcome in order."""

    inserted: int = 0
    updated: int = 0
    revised: int = 0
    unchanged: int = 0
    older: int = 0
    restored: int = 0
    outcomes: list[Outcome] = field(default_factory=list, repr=False)

    def add(self, outcome: Outcome | str) -> None:
        outcome = Outcome(outcome)
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)
        self.outcomes.append(outcome)

    def merge(self, other: UpsertCounts) -> None:
        for outcome in other.outcomes:
            self.add(outcome)

    def summary(self) -> str:
        """'3 new, 1 updated, 2 unchanged, 0 older (kept archived)' (+ revised/restored)."""
        parts = [
            f"{self.inserted} new",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{self.older} older (kept archived)",
        ]
        if self.revised:
            parts.append(f"{self.revised} revised (same updated, new content)")
        if self.restored:
            parts.append(f"{self.restored} restored (forced)")
        return ", ".join(parts)


@dataclass(frozen=True)
class Stored:
    """An archived article as the rules see it: its current record and seen times."""

    article: Article
    seen: Seen


@dataclass(frozen=True)
class Version:
    """One version of an article: the record, and when a newer one replaced it."""

    article: Article
    replaced: str | None = None  # None: the current version

    @property
    def updated(self) -> str:
        return self.article["updated"]

    @property
    def fetched(self) -> str | None:
        return self.article.get("fetched")


@dataclass(frozen=True)
class History:
    """An article's provenance: when it was first and last seen, and every version."""

    first_seen: str | None
    last_seen: str | None
    versions: list[Version]  # oldest first, the current one last

    @property
    def current(self) -> Article:
        return self.versions[-1].article

    @property
    def times_updated(self) -> int:
        """How often a newer version replaced an archived one."""
        return len(self.versions) - 1


def utc_now() -> str:
    return to_utc_iso(datetime.now(UTC))
