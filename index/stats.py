"""Index statistics: `python -m index.stats` [--json].

Documents, counts by section and New Zealand year, size on disk and bytes per article, the
last build/update time, and the build's watermark against the archive's (pending changes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from crawler.archive import Archive, ArchiveError
from crawler.config import load_config
from index.build import FORMAT, current_build, dir_bytes, read_meta
from index.facets import Columns


def collect(archive_path: Path, index_dir: Path) -> dict[str, object] | None:
    """The statistics as a dict, or None when there is no index."""
    build_dir = current_build(index_dir)
    if build_dir is None:
        return None
    meta = read_meta(build_dir)
    ix = whoosh_index.open_dir(build_dir)
    with ix.searcher() as searcher:
        cols = Columns(searcher)
        live = np.flatnonzero(cols.live)
        docs = searcher.doc_count()
        by_section = {f.value: f.count for f in cols.section.count(live)}
        by_year = {f.value: f.count for f in cols.years(live)}
    ix.close()
    size = dir_bytes(build_dir)
    archive_seq = None
    if archive_path.exists():
        with Archive(archive_path, readonly=True) as archive:
            archive_seq = archive.max_seq()
    watermark = int(meta["watermark"])  # type: ignore[call-overload]
    return {
        "build": build_dir.name,
        "format": meta.get("format", 1),
        "format_current": meta.get("format", 1) == FORMAT,
        "documents": docs,
        "bytes": size,
        "bytes_per_article": round(size / docs) if docs else 0,
        "built_at": meta.get("built_at"),
        "updated_at": meta.get("updated_at"),
        "watermark": watermark,
        "archive_max_seq": archive_seq,
        "pending_changes": None if archive_seq is None else max(0, archive_seq - watermark),
        "by_section": by_section,
        "by_year": by_year,
    }


def _print_text(stats: dict[str, object]) -> None:
    lines = [
        f"index build      {stats['build']}",
        f"format           {stats['format']}"
        + ("" if stats["format_current"] else " (older: run index.rebuild for full speed)"),
        f"documents        {stats['documents']:,}",
        f"size on disk     {stats['bytes']:,} bytes ({stats['bytes_per_article']:,} per article)",
        f"last build       {stats['built_at']}",
        f"last update      {stats['updated_at'] or '-'}",
        f"watermark        {stats['watermark']} (archive {stats['archive_max_seq']}, "
        f"{stats['pending_changes']} changes pending)",
        "by section:",
    ]
    lines += [f"  {name:<20} {n:>9,}" for name, n in stats["by_section"].items()]  # type: ignore[attr-defined]
    lines.append("by year (NZ):")
    lines += [f"  {year:<20} {n:>9,}" for year, n in stats["by_year"].items()]  # type: ignore[attr-defined]
    print("\n".join(lines))  # noqa: T201 - the CLI's output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.stats", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    config = load_config()
    try:
        stats = collect(config.archive_path, config.index_dir)
    except ArchiveError as exc:
        print(f"index.stats: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    if stats is None:
        print(f"index.stats: no index at {config.index_dir}", file=sys.stderr)  # noqa: T201
        return 2
    if args.json:
        print(json.dumps(stats, indent=1))  # noqa: T201
    else:
        _print_text(stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
