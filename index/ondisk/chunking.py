"""Many texts split into whitespace-separated chunks at once, by pyarrow's C kernels.

Splitting every article body in Python (`str.split`, then a dictionary look-up per chunk)
was ~40 % of a rebuild. pyarrow splits a whole batch of texts and encodes its chunks as
indexes into their distinct values in C, so Python only looks up each distinct chunk of a
batch (~50,000 for 500 articles of ~700 words), not every occurrence.

Only ASCII whitespace separates chunks here, where `str.split` also splits on Unicode
spaces (a no-break space, say): a chunk is only ever a place to look tokens up, and the
tokenizer finds the same tokens in "New\u00a0Zealand" as in "New" and "Zealand", since no
whitespace character belongs to a token (index.ondisk.analysis.TOKEN_PATTERN).
"""

from __future__ import annotations

import numpy as np


def chunk_many(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(the distinct chunks, each chunk's index into them in text order, the number of
    chunks of each text). Raises ValueError for text pyarrow cannot hold (lone
    surrogates, which no archived text has)."""
    # Imported here: only indexing splits texts, and pyarrow adds ~0.4 s and ~40 MB to
    # the start of any process (the web app's included) that imports it.
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = pa.array(texts, pa.large_string())
    except (pa.ArrowException, UnicodeError) as exc:
        raise ValueError(f"text pyarrow cannot encode: {exc}") from exc
    lists = pc.ascii_split_whitespace(array)
    encoded = pc.dictionary_encode(lists.flatten())
    per_text = np.diff(lists.offsets.to_numpy())
    index = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return encoded.dictionary.to_pylist(), index, per_text
