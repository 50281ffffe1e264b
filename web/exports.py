"""Exports of a whole search: /search.csv, /search.jsonl (every match) and /search.ris.

They take exactly the search page's parameters and list the matches in the page's order
(page and page_size are ignored). Memory stays flat however many match: the ordered ids
are taken from the index in one step (under the Searcher's lock, 26 bytes per match), then
the archive is read EXPORT_CHUNK records at a time, outside that lock, while the response
streams. Only record metadata is exported: never an article's body, so never premium text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import numpy as np
from flask import Blueprint, Response, current_app, request

from crawler.archive import ArchiveLocation, ArchiveStore, open_archive
from crawler.record import Article
from index.model import SearchRequest
from web.citation_formats import ris
from web.params import parse_search_args
from web.resources import get_searcher

bp = Blueprint("exports", __name__)

EXPORT_FIELDS = (
    "id",
    "url",
    "title",
    "standfirst",
    "published",
    "updated",
    "section",
    "subsection",
    "source",
    "authors",
    "tags",
    "premium",
)
EXPORT_CHUNK = 500  # archive records read (and held) at a time
RIS_LIMIT = 1000  # a reference manager's import, not a data export
# Spreadsheet apps run a cell starting with these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """`text`, prefixed with ' when a spreadsheet app would read it as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def attachment_name(req: SearchRequest, kind: str, extension: str) -> str:
    """'herald-rugby-world-cup-results.csv': the query in ASCII, cut short."""
    folded = unicodedata.normalize("NFKD", req.q).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:40].strip("-")
    return f"herald-{words or 'all'}-{kind}.{extension}"


def _records(ids: np.ndarray, archive_path: ArchiveLocation) -> Iterator[Article]:
    """The archived records of `ids`, in order, read EXPORT_CHUNK at a time (an id
    indexed but no longer archived is skipped). The archive is opened and the first chunk
    read now, before the answer starts: a missing or damaged archive is a 503 with its
    reason, not a 200 cut short or a 500 from inside the stream."""
    archive = open_archive(archive_path, readonly=True)
    try:
        first = _chunk(archive, ids, 0)
    except BaseException:
        archive.close()
        raise
    return _rest(archive, ids, first)


def _chunk(archive: ArchiveStore, ids: np.ndarray, start: int) -> list[Article]:
    chunk = [value.decode("ascii") for value in ids[start : start + EXPORT_CHUNK]]
    found = archive.get_many(chunk)
    return [found[article_id] for article_id in chunk if article_id in found]


def _rest(archive: ArchiveStore, ids: np.ndarray, first: list[Article]) -> Iterator[Article]:
    with archive:
        yield from first
        for start in range(EXPORT_CHUNK, len(ids), EXPORT_CHUNK):
            yield from _chunk(archive, ids, start)


def _csv_row(article: Article) -> list[str]:
    row = []
    for name in EXPORT_FIELDS:
        value: Any = article[name]  # type: ignore[literal-required]
        if isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        row.append(spreadsheet_safe(value or ""))
    return row


def _csv_lines(records: Iterator[Article]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    for n, article in enumerate(records, start=1):
        writer.writerow(_csv_row(article))
        if n % EXPORT_CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _jsonl_lines(records: Iterator[Article]) -> Iterator[str]:
    for article in records:
        record = {name: article[name] for name in EXPORT_FIELDS}  # type: ignore[literal-required]
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _ris_lines(records: Iterator[Article], total: int) -> Iterator[str]:
    # Header lines before the first record, as database exports write them; importers
    # skip them. They say when the file holds only the first RIS_LIMIT matches.
    yield 'Provider: Herald Archive Search\r\nContent: text/plain; charset="UTF-8"\r\n'
    if total > RIS_LIMIT:
        yield (
            f"Note: the first {RIS_LIMIT:,} of {total:,} matching articles, in the search's "
            "order; narrow the search, or use the CSV or JSON Lines export for all of them\r\n"
        )
    yield "\r\n"
    for article in records:
        yield ris(article)


def _streamed(lines: Iterator[str], mimetype: str, filename: str) -> Response:
    response = Response(lines, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _matches() -> tuple[SearchRequest, np.ndarray, ArchiveLocation]:
    """This request's search, the ids of all its matches in order, and the archive."""
    req = parse_search_args(request.args)
    return req, get_searcher().ordered_ids(req), current_app.config["ARCHIVE_PATH"]


@bp.get("/search.csv")
def search_csv() -> Response:
    req, ids, archive = _matches()
    lines = _csv_lines(_records(ids, archive))
    return _streamed(lines, "text/csv", attachment_name(req, "results", "csv"))


@bp.get("/search.jsonl")
def search_jsonl() -> Response:
    req, ids, archive = _matches()
    lines = _jsonl_lines(_records(ids, archive))
    return _streamed(lines, "application/x-ndjson", attachment_name(req, "results", "jsonl"))


@bp.get("/search.ris")
def search_ris() -> Response:
    req, ids, archive = _matches()
    lines = _ris_lines(_records(ids[:RIS_LIMIT], archive), len(ids))
    name = attachment_name(req, "references", "ris")
    return _streamed(lines, "application/x-research-info-systems", name)
