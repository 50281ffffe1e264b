"""The term dictionary: which indexed terms a wildcard or prefix pattern names.

Whoosh enumerates a pattern's terms through the private `_btexts` of its Wildcard and
Prefix queries; this is the one place that calls it.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import query as wq
from whoosh.reading import IndexReader


def pattern_terms(reader: IndexReader, pattern: wq.Wildcard | wq.Prefix) -> Iterator[str]:
    """The terms of `pattern`'s field that it matches, in term order."""
    for term in pattern._btexts(reader):  # noqa: SLF001 - Whoosh's own expansion
        yield term.decode("utf-8") if isinstance(term, bytes) else term
