"""Index statistics: documents, counts by section and New Zealand year, size on disk and
bytes per article, the last build/update time, and the build's watermark against the
archive's (pending changes). Reading them writes nothing; a damaged build raises
IndexDamaged, an unreadable archive ArchiveError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from crawler.archive import ArchiveLocation, open_archive
from index.engine.facets import Columns
from index.faults import checked_build, damaged, is_damage
from index.layout import FORMAT, dir_bytes
from index.model import IndexDamaged


class OlderFormat(RuntimeError):
    """The live build was written by an older version and cannot be read by this one."""


def _counts(build_dir: Path) -> tuple[int, dict[str, int], dict[str, int]]:
    """(documents, by section, by NZ year) of the build."""
    ix = whoosh_index.open_dir(build_dir)
    with ix.searcher() as searcher:
        cols = Columns(searcher)
        live = np.flatnonzero(cols.live)
        docs = searcher.doc_count()
        by_section = {f.value: f.count for f in cols.section.count(live)}
        by_year = {f.value: f.count for f in cols.years(live)}
    ix.close()
    return docs, by_section, by_year


def collect(archive_path: ArchiveLocation, index_dir: Path) -> dict[str, object] | None:
    """The statistics as a dict, or None when there is no index."""
    found = checked_build(index_dir)
    if found is None:
        return None
    build_dir, meta = found
    try:
        if meta.get("format", 1) != FORMAT:
            raise OlderFormat(
                f"the index at {index_dir} was built by an older version (format "
                f"{meta.get('format', 1)}, this version reads {FORMAT}): run "
                "`python -m index.rebuild`"
            )
        docs, by_section, by_year = _counts(build_dir)
    except (OlderFormat, IndexDamaged):
        raise
    except Exception as exc:
        if not is_damage(exc):
            raise
        raise damaged(build_dir, exc) from exc
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
