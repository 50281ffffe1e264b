"""Rows that cannot be indexed: skipped with a warning naming the article, never fatal.

Validation keeps bad records out of the archive, but a row written by other tools, an older
version or a later bug must not stop every rebuild and update for good. A row whose document
cannot be made (to_document raises) is simply left out. A row whose analysis fails half-way
through `add_document` has spoilt the writer's unfinished segment: that segment is discarded
and its earlier documents are added again to a fresh one. Either way the article's id goes
on the skipped list the build and update summaries report, and the watermark moves past it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from crawler.archive import ArchiveStore
from crawler.record import Article
from index.ondisk.schema import to_document
from index.ondisk.segments import discard_segment

logger = logging.getLogger(__name__)
# More skipped rows than this, and more than were indexed, is a bug rather than bad rows.
SKIP_LIMIT = 100


def _skip(article_id: str, exc: Exception, skipped: list[str]) -> None:
    logger.warning(
        "article %s skipped: it cannot be indexed (%s: %s)", article_id, type(exc).__name__, exc
    )
    skipped.append(article_id)


def document_or_none(article: Article, skipped: list[str]) -> dict[str, object] | None:
    """The article's index document, or None (and the id on `skipped`) when it has none."""
    try:
        return to_document(article)
    except Exception as exc:  # noqa: BLE001 - whatever the row's fault, only it is left out
        _skip(article["id"], exc, skipped)
        return None


def add_or_redo(
    writer: Any,
    new_writer: Callable[[], Any],
    article_id: str,
    document: dict[str, object],
    in_segment: list[str],
    archive: ArchiveStore,
    skipped: list[str],
    *,
    replace: bool = False,
) -> Any:
    """Add `document` to `writer` (`replace`: update it by id); the writer to carry on with.

    `in_segment` holds the ids of the articles in the writer's unfinished segment, in order;
    the article joins them. If adding fails, the article is skipped instead and the segment,
    spoilt half-way through the document, is discarded: a fresh writer from `new_writer`
    gets the articles of `in_segment` again.
    """
    try:
        (writer.update_document if replace else writer.add_document)(**document)
        in_segment.append(article_id)
        return writer
    except Exception as exc:  # noqa: BLE001 - whatever the row's fault, only it is left out
        _skip(article_id, exc, skipped)
    discard_segment(writer)
    writer = new_writer()
    again = archive.get_many(in_segment)
    for done_id in in_segment:
        (writer.update_document if replace else writer.add_document)(**to_document(again[done_id]))
    if replace:  # nor the older versions of the articles skipped (again: the discarded
        for skipped_id in skipped:  # writer held their deletions)
            writer.delete_by_term("id", skipped_id)
    return writer


def too_many(skipped: Sequence[str], indexed: int) -> str | None:
    """Why skipping this many rows means a bug, not bad rows (None when it does not)."""
    if len(skipped) > SKIP_LIMIT and len(skipped) > indexed:
        return (
            f"{len(skipped)} articles could not be indexed, more than were indexed ({indexed}): "
            f"that is a bug, not bad rows (the first: {', '.join(skipped[:3])})"
        )
    return None
