"""Which common words get their adjacent pairs indexed (the `pairs` field, see
index.engine.phrases): chosen at build time from a sample, kept inside the stored schema."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import islice

from whoosh.fields import Schema

from crawler.record import Article
from index.ondisk.analysis import PairFilter, text_analyzer
from index.ondisk.schema import PAIRS

SAMPLE_ARTICLES = 2000  # ~1.5 s of analysis at build start
COMMON_SHARE = 0.1  # a word in at least 10% of articles is common ...
MAX_COMMON = 150  # ... up to this many of the most frequent words


def common_words(articles: Iterable[Article], sample: int = SAMPLE_ARTICLES) -> list[str]:
    """The analysed words in at least COMMON_SHARE of the first `sample` articles. A sample
    only decides speed, never results (phrases check positions where pairs don't say)."""
    analyzer = text_analyzer()
    df: Counter[str] = Counter()
    seen = 0
    for article in islice(articles, sample):
        text = f"{article['title']}\n{article['standfirst']}\n{article['body']}"
        df.update({t.text for t in analyzer(text)})
        seen += 1
    threshold = max(2, int(seen * COMMON_SHARE))
    return sorted(w for w, n in df.most_common(MAX_COMMON) if n >= threshold)


def indexed_common(schema: Schema) -> frozenset[str]:
    """The common words whose pairs this index holds (empty for indexes without pairs)."""
    if PAIRS not in schema:
        return frozenset()
    analyzer = schema[PAIRS].analyzer
    chain = getattr(analyzer, "chain", analyzer)  # a FastAnalyzer's plain Whoosh chain
    items = getattr(chain, "items", [chain])
    return next((f.common for f in items if isinstance(f, PairFilter)), frozenset())
