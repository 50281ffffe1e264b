"""Linear-time doc-number set operations agree with numpy's sorting ones at every size mix."""

from __future__ import annotations

import numpy as np
import pytest

from index.engine.setops import difference, intersect, union

SIZE = 100_000


@pytest.mark.parametrize(
    ("na", "nb"), [(0, 0), (0, 50), (3, 5), (40, 90_000), (5_000, 60_000), (80_000, 90_000)]
)
def test_set_operations_match_numpy(na, nb) -> None:
    rng = np.random.default_rng(na * 7 + nb)
    a = np.sort(rng.choice(SIZE, na, replace=False)).astype(np.int64)
    b = np.sort(rng.choice(SIZE, nb, replace=False)).astype(np.int64)
    for x, y in ((a, b), (b, a)):
        assert intersect(x, y, SIZE).tolist() == np.intersect1d(x, y).tolist()
        assert difference(x, y, SIZE).tolist() == np.setdiff1d(x, y).tolist()
    assert union([a, b], SIZE).tolist() == np.union1d(a, b).tolist()
    assert union([a, b, a[:3]], SIZE).tolist() == np.union1d(a, b).tolist()
    assert union([], SIZE).tolist() == []
