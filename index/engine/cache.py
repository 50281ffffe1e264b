"""Recently read postings of one searcher generation, kept in memory up to a bound."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from whoosh.searching import Searcher as WhooshSearcher

from index.ondisk.postings import postings


class PostingsCache:
    """Recently read postings of one searcher generation, bounded by total postings held.

    Popular words recur across queries, and each query reads its words twice (matching,
    then ranking); decoding blocks is the expensive part. Phrase match
    sets (Whoosh's slowest matcher) are kept here too.
    """

    def __init__(self, searcher: WhooshSearcher, limit: int = 4_000_000) -> None:
        self.searcher = searcher
        self.limit = limit
        self._held = 0
        self._entries: OrderedDict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )

    def clear(self) -> None:
        self._entries.clear()
        self._held = 0

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(doc numbers, frequencies) of one term."""
        return self.remember((fieldname, text), lambda: postings(self.searcher, fieldname, text))

    def remember(
        self, key: tuple[object, ...], compute: Callable[[], tuple[np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The cached value for `key`, computing and keeping it when absent."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        found = compute()
        self._entries[key] = found
        self._held += found[0].size
        while self._held > self.limit and len(self._entries) > 1:
            _, (ids, _) = self._entries.popitem(last=False)
            self._held -= ids.size
        return found
