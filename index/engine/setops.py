"""Set operations on sorted arrays of doc numbers, in time linear in the sets' sizes.

numpy's intersect1d / setdiff1d / unique sort (or hash) their whole input: ~9 ms to OR two
common words at 200,000 articles. Marking one set in a boolean array as long as the
index (`size` = doc_count_all) and reading the other through it is a few hundred µs.
"""

from __future__ import annotations

import numpy as np


def _mask(docs: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, bool)
    mask[docs] = True
    return mask


def intersect(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Doc numbers in both `a` and `b` (sorted, unique)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a) or not len(b):
        return a[:0]
    if len(a) * 64 < len(b):  # a small set: a binary search per member is cheaper
        at = np.searchsorted(b, a).clip(max=len(b) - 1)
        return a[b[at] == a]
    return a[_mask(b, size)[a]]


def difference(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Doc numbers in `a` but not in `b` (sorted, unique)."""
    if not len(a) or not len(b):
        return a
    return a[~_mask(b, size)[a]]


def union(parts: list[np.ndarray], size: int) -> np.ndarray:
    """Doc numbers in any of `parts` (sorted, unique)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros(0, np.int64)
    if len(parts) == 1:
        return parts[0]
    if sum(map(len, parts)) * 64 < size:  # small sets: sorting them beats a full mask
        return np.unique(np.concatenate(parts))
    mask = np.zeros(size, bool)
    for part in parts:
        mask[part] = True
    return np.flatnonzero(mask)
