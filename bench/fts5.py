"""SQLite FTS5 baseline: the same archive and query mix as bench.index, in its own process.

    python -m bench.fts5 --archive /tmp/herald-bench-index/n20000/archive.sqlite3 [--queries 200]

Builds an FTS5 table (title, standfirst, body; `porter unicode61 remove_diacritics 2`, so
stemming and macron folding match ours) over an external-content copy of the archive's
text, with section, NZ year and date in a table of their own, then `optimize`s it: the build
rate covers reading the archive and all of that, in one process (SQLite has no parallel
build). Then
it answers bench.queries' mix the way our search answers it — the "whole answer"
equivalent: the top 10 by bm25 with title 3.0 / standfirst 1.5 / body 1.0 (our BM25F
weights) or by date, the exact total and section and year facets over every match (one
GROUP BY pass), and snippet() for the 10 hits — and prints p50/p95/p99 latency cold (a new
connection, so an empty SQLite page cache, before every query) and warm (one connection),
the index size and the process RSS. `--json` prints the figures as one JSON line (read by
bench.index, which runs this beside its own figures).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from pathlib import Path

from bench.measure import percentiles, rss_mb
from bench.queries import query_mix
from crawler.archive import Archive
from crawler.record import NZ_TZ, Article, parse_utc
from index.model import SearchRequest

WEIGHTS = (3.0, 1.5, 1.0)  # title, standfirst, body: index.ondisk.schema's boosts
# Filters, facets and sorts read the small `meta` rows, never the text rows of `docs`.
_SCHEMA = """
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, standfirst TEXT, body TEXT);
CREATE TABLE meta(rowid INTEGER PRIMARY KEY, section TEXT, year INTEGER, published TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, standfirst, body, content='docs',
                  content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
"""
_TOKEN = re.compile(r'-?"[^"]*"|\S+')


def build(archive_path: Path, db_path: Path) -> dict[str, float]:
    """A fresh FTS5 database of the archive: {articles, seconds, rate, index_bytes, file_bytes}."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    count = 0
    with Archive(archive_path, readonly=True) as archive:
        rows = []
        for article in archive:
            count += 1
            rows.append(_row(count, article))
            if len(rows) == 2000:
                _insert(db, rows)
                rows = []
        _insert(db, rows)
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    db.commit()
    seconds = time.perf_counter() - started
    index_bytes = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%'").fetchone()[0]
    db.close()
    return {
        "articles": count,
        "seconds": seconds,
        "rate": count / seconds,
        "index_bytes": index_bytes,
        "file_bytes": db_path.stat().st_size,
    }


def _row(rowid: int, article: Article) -> tuple[object, ...]:
    year = parse_utc(article["published"]).astimezone(NZ_TZ).year
    text = (article["title"], article["standfirst"], article["body"])
    return (rowid, article["id"], *text, article["section"], year, article["published"])


def _insert(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", [r[:5] for r in rows])
    db.executemany("INSERT INTO meta VALUES (?, ?, ?, ?)", [(r[0], *r[5:]) for r in rows])
    db.executemany(
        "INSERT INTO fts(rowid, title, standfirst, body) VALUES (?, ?, ?, ?)",
        [(r[0], r[2], r[3], r[4]) for r in rows],
    )


def match_expression(q: str) -> str | None:
    """Our query syntax as an FTS5 MATCH: words and "phrases" ANDed, OR, -exclusion."""
    positive, negative = [], []
    for token in _TOKEN.findall(q):
        if token == "OR" and positive:
            positive.append("OR")
            continue
        target = negative if token.startswith("-") and len(token) > 1 else positive
        text = token[1:] if target is negative else token
        target.append('"' + text.strip('"').replace('"', "") + '"')
    if not positive:
        return None
    expression = " ".join(positive)
    return " NOT ".join([f"({expression})", *negative]) if negative else expression


def _filters(req: SearchRequest) -> tuple[str, list[object]]:
    where, args = [], []
    if req.section:
        where.append("d.section = ?")
        args.append(req.section)
    if req.year:
        where.append("d.year = ?")
        args.append(req.year)
    return "".join(f" AND {w}" for w in where), args


def answer(db: sqlite3.Connection, req: SearchRequest) -> dict[str, object]:
    """Top 10, exact total, section and year facets, snippets: one whole answer."""
    match = match_expression(req.q)
    extra, args = _filters(req)
    order = {"newest": "d.published DESC", "oldest": "d.published ASC"}.get(req.sort)
    if match is None:
        source, where, args = "meta d", "1" + extra, args
        order = order or "d.published DESC"
    else:
        source, where = "fts f JOIN meta d ON d.rowid = f.rowid", "fts MATCH ?" + extra
        args = [match, *args]
        order = order or "bm25(fts, {}, {}, {})".format(*WEIGHTS)
    top = [r[0] for r in db.execute(
        f"SELECT d.rowid FROM {source} WHERE {where} ORDER BY {order} LIMIT 10", args)]  # fmt: skip
    groups = db.execute(
        f"SELECT d.section, d.year, count(*) FROM {source} WHERE {where} GROUP BY 1, 2", args
    ).fetchall()
    sections: dict[str, int] = {}
    years: dict[int, int] = {}
    for section, year, n in groups:
        sections[section] = sections.get(section, 0) + n
        years[year] = years.get(year, 0) + n
    marks = ",".join("?" * len(top))
    snippets = {}
    if match is not None and top:
        snippets = dict(db.execute(
            "SELECT rowid, snippet(fts, 2, '<mark>', '</mark>', '…', 24) FROM fts "
            f"WHERE fts MATCH ? AND rowid IN ({marks})", [match, *top]))  # fmt: skip
    rows = db.execute(f"SELECT rowid, id, title FROM docs WHERE rowid IN ({marks})", top)
    found = {rowid: (doc_id, title, snippets.get(rowid, "")) for rowid, doc_id, title in rows}
    return {
        "total": sum(sections.values()),
        "hits": [found[rowid] for rowid in top],
        "facets": {"section": sections, "year": years},
    }


def _connect(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def run_queries(db_path: Path, requests: list[SearchRequest], *, cold: bool) -> list[float]:
    """Milliseconds per whole answer; `cold`: a new connection (empty page cache) for each."""
    times = []
    db = _connect(db_path)
    for req in requests:
        if cold:
            db.close()
            db = _connect(db_path)
        started = time.perf_counter()
        answer(db, req)
        times.append((time.perf_counter() - started) * 1000)
    db.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fts5",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--archive", type=Path, required=True, help="a bench.synth archive")
    parser.add_argument("--db", type=Path, help="default: fts5.sqlite3 beside the archive")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print one JSON line of figures")
    args = parser.parse_args(argv)
    if not args.archive.exists():
        parser.error(f"no archive at {args.archive} (make one with python -m bench.index)")
    db_path = args.db or args.archive.with_name("fts5.sqlite3")
    figures: dict[str, object] = {"build": build(args.archive, db_path)}
    requests = query_mix(args.queries)
    for label, cold in (("cold", True), ("warm", False)):
        figures[label] = percentiles(run_queries(db_path, requests, cold=cold))
    figures["rss_mb"] = rss_mb()
    if args.json:
        print(json.dumps(figures))
        return 0
    b = figures["build"]
    print(
        f"FTS5 build: {b['articles']:,} articles in {b['seconds']:.1f} s = {b['rate']:,.0f}/s; "
        f"index {b['index_bytes'] / b['articles']:,.0f} bytes/article "
        f"(file with the text copy: {b['file_bytes'] / 1e6:,.0f} MB)"
    )
    for label in ("cold", "warm"):
        p = figures[label]
        print(
            f"FTS5 latency ms, {label}: p50 {p['p50']:.1f}  p95 {p['p95']:.1f}  p99 {p['p99']:.1f}"
        )
    print(f"FTS5 RSS: {figures['rss_mb']['total']:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
