"""What a Searcher reads, kept open and current: the live index build and the archive.

`LiveIndex` holds one open generation (a Whoosh searcher with its columns, ranker and
vocabulary) on the build the `current` link names. At most once a second it looks at the
disk again: a swapped link or an update's commit opens the new build; a missing build, an
unreadable meta.json or an index file whose size is not the one recorded when it was
written raises IndexDamaged, on every request until it is fixed (a good look is what buys
the next second without looking).

`LiveArchive` holds the read-only archive connection and reopens it when another file was
moved over the archive's path (`mv new.sqlite3 archive.sqlite3`), also within a second.

Neither is thread-safe: the Searcher serialises calls. `storage_faults` is the one place
where an error raised while reading the index becomes IndexDamaged (see index.faults).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.searching import Searcher as WhooshSearcher

from crawler.archive import (
    ArchiveError,
    ArchiveLocation,
    ArchiveStore,
    is_postgres_url,
    open_archive,
)
from index.engine.cache import PostingsCache
from index.engine.facets import Columns
from index.engine.ranking import Ranker
from index.engine.vocab import Vocabulary
from index.faults import checked_build, damaged, is_damage
from index.layout import FORMAT, read_meta
from index.model import IndexUnavailable, SearchError
from index.ondisk.postings import postings
from index.ondisk.schema import CONTENT

logger = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0  # default seconds between looks at the disk
_Method = TypeVar("_Method", bound=Callable[..., Any])


def storage_faults(method: _Method) -> _Method:
    """Index damage raised by a method of an object with a `live` LiveIndex becomes
    IndexDamaged (archive faults already are ArchiveErrors); anything else, a programming
    error, passes unchanged."""

    @functools.wraps(method)
    def mapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (SearchError, ArchiveError):
            raise
        except Exception as exc:
            if not is_damage(exc):
                raise
            logger.error("the index could not be read", exc_info=exc)
            raise damaged(self.live.build_dir, exc) from exc

    return mapped  # type: ignore[return-value]


@dataclass(frozen=True)
class Generation:
    """One open index generation: everything a query reads, replaced together."""

    searcher: WhooshSearcher
    columns: Columns
    ranker: Ranker
    vocab: Vocabulary


class LiveIndex:
    """The open generation of the live build of `index_dir`, switched when the build changes."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.target: str | None = None
        self.gen: Generation | None = None
        self._ix: whoosh_index.Index | None = None
        self._checked = 0.0

    @property
    def build_dir(self) -> Path:
        """The open build (the index directory before any is open)."""
        return self.index_dir / self.target if self.target else self.index_dir

    def close(self) -> None:
        if self.gen is not None:
            self.gen.searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._ix = self.gen = self.target = None

    def current(self, interval: float = CHECK_INTERVAL) -> Generation:
        """The open generation, switching to a newer build when one has appeared (the disk
        is looked at when `interval` seconds have passed since)."""
        now = time.monotonic()
        if self.gen is None or now - self._checked >= interval:
            build_dir, meta = self._live_build()
            if build_dir.name != self.target or not self.gen.searcher.up_to_date():
                # a rebuild swapped in a new build, or an incremental update committed
                self._open(build_dir, meta)
            self._checked = now  # only after a good look: a fault answers every request
        assert self.gen is not None
        return self.gen

    def _live_build(self) -> tuple[Path, dict[str, object]]:
        """The build `current` names and its meta.json, checked (raises IndexUnavailable)."""
        found = checked_build(self.index_dir)
        if found is None:
            raise IndexUnavailable(
                f"no index in {self.index_dir}: run `python -m index.rebuild`, or set "
                "HERALD_DATA_DIR to the data directory that has one"
            )
        return found

    def _open(self, build_dir: Path, meta: dict[str, object]) -> None:
        found = meta.get("format", 1)
        if found != FORMAT:
            # Older builds pickled classes this version no longer has: never unpickle them.
            raise IndexUnavailable(
                f"the index at {self.index_dir} was built by an older version (format {found}, "
                f"this version reads {FORMAT}): run `python -m index.rebuild`"
            )
        try:
            ix = whoosh_index.open_dir(build_dir)
            searcher = ix.searcher()
            ranker = Ranker(searcher, PostingsCache(searcher))
            vocab = Vocabulary(searcher.reader(), build_dir)
            gen = Generation(searcher, Columns(searcher), ranker, vocab)
        except Exception as exc:
            if not is_damage(exc):
                raise
            logger.error("the index could not be read", exc_info=exc)
            raise damaged(build_dir, exc) from exc
        self.close()
        self._ix, self.gen, self.target = ix, gen, build_dir.name
        logger.info("opened index %s (%d documents)", build_dir, searcher.doc_count())

    def health(self) -> dict[str, object]:
        """Read the live build for real: meta.json and every file's size, the document count,
        a posting list and the last stored document (raises what reading raises)."""
        searcher = self.current(interval=0.0).searcher
        meta = read_meta(self.build_dir)
        total = searcher.doc_count_all()
        if total:
            searcher.stored_fields(total - 1)
        first_term = next(iter(searcher.reader().lexicon(CONTENT)), None)
        if first_term is not None:
            postings(searcher, CONTENT, first_term.decode("utf-8"))
        return {
            "articles": searcher.doc_count(),
            "build": self.target,
            "watermark": meta["watermark"],
        }


def _file_identity(path: ArchiveLocation) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`: a file moved over it has another (None for a
    PostgreSQL URL)."""
    if not isinstance(path, Path):
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class LiveArchive:
    """The read-only archive at `path`, reopened when another file replaced it (a
    PostgreSQL archive is never replaced: its connection reopens itself)."""

    def __init__(self, path: ArchiveLocation) -> None:
        self.path: ArchiveLocation = path if is_postgres_url(path) else Path(path)
        self._archive: ArchiveStore | None = None
        self._identity: tuple[int, int] | None = None
        self._checked = 0.0

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def archive(self, interval: float = CHECK_INTERVAL) -> ArchiveStore:
        """The open archive, reopened when the file at its path is another one now (looked
        at when `interval` seconds have passed since)."""
        now = time.monotonic()
        if self._archive is not None and now - self._checked >= interval:
            if _file_identity(self.path) != self._identity:
                logger.info("the archive %s was replaced: reopening it", self.path)
                self.close()
            else:
                self._checked = now
        if self._archive is None:
            identity = _file_identity(self.path)  # before opening: never newer than the file
            self._archive = open_archive(self.path, readonly=True)
            self._identity, self._checked = identity, now
        return self._archive

    def get_many(self, ids: list[str], interval: float = CHECK_INTERVAL) -> dict[str, Any]:
        """The archived articles among `ids` (storage faults raise ArchiveError)."""
        return self.archive(interval).get_many(ids)
