"""Which errors raised while reading the index mean its files are damaged.

Whoosh reads its files with struct, pickle, zlib and plain reads, this package's readers with
numpy: a truncated, overwritten or missing file surfaces as one of many exception types. The
unambiguous ones (I/O, end of file, undecodable bytes, Whoosh's own CorruptIndexError, a bad
meta.json) are always damage. ValueError, KeyError and the like are damage only when raised
inside the code that decodes file bytes (whoosh, index.ondisk, index.layout, the vocabulary
reader): raised anywhere else they are programming errors and stay errors (a 500, a
traceback in the log), never dressed up as "the index is damaged".
"""

from __future__ import annotations

import pickle
import re
import struct
import zlib
from pathlib import Path
from types import TracebackType

from whoosh.index import IndexError as WhooshIndexError
from whoosh.reading import CorruptIndexError

from index.layout import BadMeta, changed_files, current_target, read_meta
from index.model import IndexDamaged

REBUILD = "run `python -m index.rebuild` to build a new one"
_DAMAGE = (
    OSError,
    EOFError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    CorruptIndexError,
    WhooshIndexError,
    UnicodeDecodeError,
    BadMeta,
)
_DAMAGE_IF_DECODING = (ValueError, LookupError, TypeError, AttributeError, OverflowError)
# Modules that turn file bytes into values; the innermost frame of ours (or Whoosh's) in a
# traceback decides, so numpy or the standard library beneath them does not hide it.
_DECODERS = ("whoosh.", "index.ondisk.", "index.layout", "index.engine.vocab")
_OURS = ("whoosh.", "index.", "crawler.", "web.")
_FILE_NAME = re.compile(r"[\w.-]+\.(?:pst|trm|col|toc|seg|json)\b")


def _raised_while_decoding(tb: TracebackType | None) -> bool:
    """Whether the innermost frame of this project or Whoosh in `tb` decodes file bytes."""
    module = ""
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__", "")
        if name.startswith(_OURS):
            module = name
        tb = tb.tb_next
    return module.startswith(_DECODERS)


def is_damage(exc: BaseException) -> bool:
    """Whether `exc`, raised while reading the index, means its files are damaged."""
    if isinstance(exc, _DAMAGE):
        return True
    return isinstance(exc, _DAMAGE_IF_DECODING) and _raised_while_decoding(exc.__traceback__)


def _file_of(exc: BaseException) -> str | None:
    filename = getattr(exc, "filename", None)
    if filename:
        return Path(filename).name
    found = _FILE_NAME.search(str(exc))
    return found.group(0) if found else None


def damaged(build_dir: Path, exc: BaseException) -> IndexDamaged:
    """The error that tells an operator which build (and file) could not be read, and why."""
    name = _file_of(exc)
    where = f"{build_dir / name}" if name else f"{build_dir}"
    reason = str(exc) or type(exc).__name__
    if len(reason) > 200:
        reason = reason[:200] + "…"
    return IndexDamaged(f"the index cannot be read: {where}: {reason}; {REBUILD}")


def checked_build(index_dir: Path) -> tuple[Path, dict[str, object]] | None:
    """The live build and its meta.json, checked: None when no index was ever swapped in;
    IndexDamaged when the build is missing, its meta.json unreadable or an index file not
    the size it was written."""
    target = current_target(index_dir)
    if target is None:
        return None
    build_dir = index_dir / target
    if not build_dir.is_dir():
        raise IndexDamaged(
            f"the index cannot be read: {index_dir / 'current'} names {target}, which is "
            f"missing; {REBUILD}"
        )
    try:
        meta = read_meta(build_dir)
    except BadMeta as exc:
        raise damaged(build_dir, exc) from exc
    check_files(build_dir, meta)
    return build_dir, meta


def check_files(build_dir: Path, meta: dict[str, object]) -> None:
    """Raise IndexDamaged when an index file's size is not the one recorded at writing."""
    problems = changed_files(build_dir, meta)
    if problems:
        raise IndexDamaged(
            f"the index cannot be read: {build_dir}: {'; '.join(problems[:3])} "
            f"(truncated or overwritten); {REBUILD}"
        )
