"""Index statistics: documents, counts by section and New Zealand year, size on disk and
bytes per article, the last build/update time, and the build's watermark against the
archive's (pending changes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from crawler.archive import ArchiveLocation, open_archive
from index.engine.facets import Columns
from index.layout import FORMAT, current_build, dir_bytes, format_of, read_meta


class OlderFormat(RuntimeError):
    """The live build was written by an older version and cannot be read by this one."""


def collect(archive_path: ArchiveLocation, index_dir: Path) -> dict[str, object] | None:
    """The statistics as a dict, or None when there is no index."""
    build_dir = current_build(index_dir)
    if build_dir is None:
        return None
    meta = read_meta(build_dir)
    if format_of(build_dir) != FORMAT:
        raise OlderFormat(
            f"the index at {index_dir} was built by an older version (format "
            f"{format_of(build_dir)}, this version reads {FORMAT}): run `python -m index.rebuild`"
        )
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
    if not isinstance(archive_path, Path) or archive_path.exists():
        with open_archive(archive_path, readonly=True) as archive:
            archive_seq = archive.max_seq()
    watermark = int(meta["watermark"])  # type: ignore[call-overload]
    return {
        "build": build_dir.name,
        "format": meta.get("format", 1),
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
