"""JSON Lines in and out of any archive backend: one article record per line.

Import takes every line on its own: it is decoded (UTF-8; a byte-order mark on the first
line is allowed), parsed and validated alone, so a bad line is reported with its number and
reason and never costs a good one. Good records are upserted in batches under the
newer-wins rule (crawler.archive.rules); a storage failure stops the import with every
earlier batch committed (ImportInterrupted says where).

Export writes each current record (with `fetched` when known); `versions=True` first writes
every replaced version in the order it was archived, so importing that file into an empty
archive rebuilds the same versions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from crawler.archive.model import ArchiveError, UpsertCounts
from crawler.archive.rules import Outcome
from crawler.record import Article, InvalidRecord, validate

if TYPE_CHECKING:
    from crawler.archive.base import ArchiveStore

BOM = b"\xef\xbb\xbf"
BATCH = 1000


@dataclass
class ImportReport:
    """What an import did: outcomes, rejected lines and revised records by line number."""

    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    revised: list[tuple[int, str]] = field(default_factory=list)  # (line, id)


class ImportInterrupted(ArchiveError):
    """Storage failed part-way: every line before `line` was committed or rejected
    (`report` says which); `line` and everything after it were not imported."""

    def __init__(self, message: str, report: ImportReport, line: int) -> None:
        super().__init__(message)
        self.report = report
        self.line = line


def decode_line(raw: bytes | str, lineno: int) -> Article:
    """One line as a validated record, or InvalidRecord saying why not."""
    if isinstance(raw, str):
        # Text given by a caller: checked like bytes, so lone surrogates are caught.
        raw = raw.encode("utf-8", "surrogatepass")
    if lineno == 1 and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRecord(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidRecord(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise InvalidRecord("not a record: JSON nested too deeply") from None
    return validate(data)


Reject = Callable[[int, str], object]


class _Importer:
    """Collects good records into batches and commits them; remembers each one's line."""

    def __init__(self, store: ArchiveStore, batch: int, force: bool, on_reject: Reject | None):
        self.store, self.batch, self.force = store, max(1, batch), force
        self.on_reject = on_reject
        self.report = ImportReport()
        self.pending: list[tuple[int, Article]] = []

    def reject(self, lineno: int, reason: str) -> None:
        self.report.rejected.append((lineno, reason))
        if self.on_reject is not None:
            self.on_reject(lineno, reason)

    def add(self, lineno: int, raw: bytes | str) -> None:
        if raw.strip():
            try:
                self.pending.append((lineno, decode_line(raw, lineno)))
            except InvalidRecord as exc:
                self.reject(lineno, str(exc))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        first_line = self.pending[0][0]
        try:
            counts = self.store.upsert_many([a for _, a in self.pending], force=self.force)
        except ArchiveError as exc:
            raise ImportInterrupted(str(exc), self.report, first_line) from exc
        for (lineno, article), outcome in zip(self.pending, counts.outcomes, strict=True):
            if outcome is Outcome.REVISED:
                self.report.revised.append((lineno, article["id"]))
        self.report.counts.merge(counts)
        self.pending.clear()


def import_jsonl(
    store: ArchiveStore,
    lines: Iterable[bytes | str],
    *,
    batch: int = BATCH,
    force: bool = False,
    on_reject: Reject | None = None,
) -> ImportReport:
    """Validate and upsert JSON Lines (bytes or text) into `store`; idempotent.

    `on_reject(line, reason)` is called as each bad line is found.
    """
    importer = _Importer(store, batch, force, on_reject)
    for lineno, raw in enumerate(lines, start=1):
        importer.add(lineno, raw)
    importer.flush()
    return importer.report


def export_jsonl(store: ArchiveStore, out: IO[str], *, versions: bool = False) -> int:
    """Write every current record (after every replaced version, with `versions`) as one
    JSON line each; returns how many lines."""
    n = 0
    if versions:
        for article in store.previous_versions():
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            n += 1
    for article in store.articles():
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        n += 1
    return n
