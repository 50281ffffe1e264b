"""The archive interface: what every backend offers, and the rules it applies for them.

`ArchiveStore` implements the writing rules once (newer wins, versions, seen times;
crawler.archive.rules) on top of a few storage primitives that a backend provides
(`_transaction`, `_lock_states`, `_write_current`, `_keep_version`, `_write_seen`), plus
the reads. A second backend subclasses it and writes only those.

What each method guarantees, whatever the backend:
- `upsert_many` is one transaction: all of its records are applied, or none. Records of
  one batch are applied in order (a later copy of the same id sees the earlier one).
  Concurrent writers never lose an update: `_lock_states` must lock the rows it returns
  (or the whole archive) until the transaction ends.
- The change watermark `seq`: every write of a current record (insert or replacement)
  takes a `seq` greater than every `seq` committed before it, atomically with the row;
  nothing else changes `seq` (seen times, versions). `changed_since(w)` yields, in `seq`
  order, every current record whose `seq` is above `w`; `max_seq()` is the highest
  committed. A reader that has seen `seq` s never later finds a new row below s, so an
  index that stored watermark s misses nothing.
- Order keys: `articles(start, stop)` yields current records by (published, id) from key
  `start` (inclusive) to `stop` (exclusive); `key_at(k)` is the key of the k-th one.
- Versions: a replaced record is kept, with when it was replaced; `history(id)` lists
  them oldest first (in the order they were archived), the current record last.
- Errors: a storage failure (unreadable, damaged, read-only, full, locked) raises
  ArchiveError (ArchiveStorageError for failures after opening) with a message for a
  person; nothing else leaks the backend's exception types, except IntegrityError-like
  errors for records that bypassed `crawler.record.validate`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import IO, Any

from crawler.archive import jsonl
from crawler.archive.model import History, OrderKey, Stored, UpsertCounts, utc_now
from crawler.archive.rules import REPLACES, WRITES, Seen, decide, seen_after, seen_at
from crawler.record import Article


class ArchiveStore(ABC):
    """An archive of article records, one current record per id, with earlier versions."""

    readonly: bool = False

    # -- writing: the rules, once for every backend ----------------------------------------

    def upsert_many(self, articles: Iterable[Article], *, force: bool = False) -> UpsertCounts:
        """Apply newer-wins to each record, in one transaction; the outcome of each."""
        batch = list(articles)
        counts = UpsertCounts()
        now = utc_now()
        with self._transaction():
            states = self._lock_states(list(dict.fromkeys(a["id"] for a in batch)))
            for article in batch:
                state = states.get(article["id"])
                outcome = decide(article, state.article if state else None, force=force)
                seen = seen_after(state.seen if state else None, seen_at(article, now), outcome)
                if outcome in REPLACES:
                    assert state is not None
                    self._keep_version(state.article, replaced=now)
                if outcome in WRITES:
                    assert seen is not None
                    self._write_current(article, seen, new=state is None)
                    states[article["id"]] = Stored(article, seen)
                elif seen is not None and state is not None and seen != state.seen:
                    self._write_seen(article["id"], seen)
                    states[article["id"]] = Stored(state.article, seen)
                counts.add(outcome)
        return counts

    def upsert(self, article: Article, *, force: bool = False) -> str:
        """Upsert one article; returns its outcome ("inserted", "updated", "unchanged", …)."""
        return self.upsert_many([article], force=force).outcomes[0].value

    def import_jsonl(
        self,
        lines: Iterable[bytes | str],
        *,
        batch: int = jsonl.BATCH,
        force: bool = False,
        on_reject: jsonl.Reject | None = None,
    ) -> jsonl.ImportReport:
        """Validate and upsert JSON Lines, each line on its own (crawler.archive.jsonl)."""
        return jsonl.import_jsonl(self, lines, batch=batch, force=force, on_reject=on_reject)

    def export_jsonl(self, out: IO[str], *, versions: bool = False) -> int:
        """Write every record as one JSON line (replaced versions first, with `versions`)."""
        return jsonl.export_jsonl(self, out, versions=versions)

    # -- storage primitives a backend provides ---------------------------------------------

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Any]:
        """A write transaction: committed on normal exit, rolled back on an exception."""

    @abstractmethod
    def _lock_states(self, ids: Sequence[str]) -> dict[str, Stored]:
        """The archived state of each of `ids` that is archived, locked for this transaction."""

    @abstractmethod
    def _write_current(self, article: Article, seen: Seen, *, new: bool) -> None:
        """Store `article` as its id's current record under the next `seq`."""

    @abstractmethod
    def _keep_version(self, article: Article, *, replaced: str) -> None:
        """Keep `article` (about to be replaced at `replaced`) as a version."""

    @abstractmethod
    def _write_seen(self, article_id: str, seen: Seen) -> None:
        """Record new seen times for an article whose current record stays."""

    # -- reading -----------------------------------------------------------------------------

    @abstractmethod
    def count(self) -> int:
        """How many articles (current records) the archive holds."""

    @abstractmethod
    def get(self, article_id: str) -> Article | None:
        """The current record of an article, or None."""

    @abstractmethod
    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        """The current records among `ids`, keyed by id."""

    @abstractmethod
    def updated_of(self, article_id: str) -> str | None:
        """The archived `updated` of an article, or None when it is not archived."""

    @abstractmethod
    def max_seq(self) -> int:
        """The change watermark: the highest `seq` committed (0 for an empty archive)."""

    @abstractmethod
    def changed_since(self, seq: int = 0, *, batch: int = 1000) -> Iterator[tuple[int, Article]]:
        """(seq, record) for every current record written after watermark `seq`, in order."""

    @abstractmethod
    def changed_count(self, seq: int = 0) -> int:
        """How many current records were written after watermark `seq`."""

    @abstractmethod
    def articles(
        self, start: OrderKey | None = None, stop: OrderKey | None = None
    ) -> Iterator[Article]:
        """Current records oldest first, from order key `start` up to (not including) `stop`."""

    @abstractmethod
    def key_at(self, offset: int) -> OrderKey | None:
        """The order key (published, id) of the offset-th article oldest first, or None."""

    @abstractmethod
    def history(self, article_id: str) -> History | None:
        """The article's seen times and versions (oldest first, current last), or None."""

    @abstractmethod
    def previous_versions(self) -> Iterator[Article]:
        """Every replaced version of every article, in the order they were archived."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __iter__(self) -> Iterator[Article]:
        """Every current record, oldest first."""
        return self.articles()

    def __enter__(self) -> ArchiveStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
