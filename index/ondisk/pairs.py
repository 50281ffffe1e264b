"""Which common words get their adjacent pairs indexed (the `pairs` field, see
index.engine.phrases): chosen at build time from a sample, kept inside the stored schema."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import numpy as np
from whoosh.fields import Schema

from crawler.record import Article
from index.ondisk.analysis import STOP_WORDS, FoldStemFilter, PairFilter
from index.ondisk.schema import PAIRS
from index.ondisk.streams import WORD, TokenStore

SAMPLE_ARTICLES = 1000  # ~0.5 s of analysis at build start
COMMON_SHARE = 0.1  # a word in at least 10% of articles is common ...
MAX_COMMON = 150  # ... up to this many of the most frequent words


def common_words(articles: Iterable[Article], sample: int = SAMPLE_ARTICLES) -> list[str]:
    """The analysed words in at least COMMON_SHARE of the first `sample` articles. A sample
    only decides speed, never results (phrases check positions where pairs don't say)."""
    store = TokenStore(FoldStemFilter())
    seen = 0  # (the shared analysis also warms the vocabulary for the indexing to come)
    for article in islice(articles, sample):
        store.run(seen, f"{article['title']}\n{article['standfirst']}\n{article['body']}")
        seen += 1
    ids = store.id_array().astype(np.int64)
    docs = np.repeat(np.arange(seen), store.run_lengths())
    vocabulary = store.vocabulary
    words = vocabulary.kind_array()[ids] == WORD
    pairs = np.sort(docs[words] * len(vocabulary.texts) + ids[words])
    pairs = pairs[np.diff(pairs, prepend=-1) != 0]  # each word once per article
    df = np.bincount(pairs % len(vocabulary.texts), minlength=len(vocabulary.texts))
    threshold = max(2, int(seen * COMMON_SHARE))
    # Most frequent first (ties: first seen); a term spelt like a stop word ("her", from
    # "hers") stays out, so a pair's words say by themselves which is the stop word.
    order = np.lexsort((np.arange(df.size), -df))
    found = [vocabulary.texts[i].decode() for i in order.tolist() if df[i] >= threshold]
    return sorted([w for w in found if w not in STOP_WORDS][:MAX_COMMON])


def indexed_common(schema: Schema) -> frozenset[str]:
    """The common words whose pairs this index holds (empty for indexes without pairs)."""
    if PAIRS not in schema:
        return frozenset()
    analyzer = schema[PAIRS].analyzer
    chain = getattr(analyzer, "chain", analyzer)  # a FastAnalyzer's plain Whoosh chain
    items = getattr(chain, "items", [chain])
    return next((f.common for f in items if isinstance(f, PairFilter)), frozenset())
