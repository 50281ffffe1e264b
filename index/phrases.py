"""Phrase matching that stays fast when the phrase's words are everywhere.

Whoosh checks a phrase by reading the positions of its words in every document that holds
them all: for two common words ("police said") that was ~150,000 documents and over a
second at 200,000 articles. So the build picks the index's common words (`common_words`)
and indexes each pair of consecutive common words in the `pairs` field (index.schema).

A two-word phrase of common words is then one pair lookup (exact: pairs follow the same
stop-word-free word sequence as positions). Any other phrase narrows its candidates to
the documents holding all its common pairs and all its less common words and checks
positions in those documents only (`_verify`), so the answer is always exactly Whoosh's
phrase semantics; its cost grows with its rarest part, not with its most common word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import islice, pairwise
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher as WhooshSearcher

from crawler.record import Article
from index.analysis import PairFilter, pair_terms, text_analyzer
from index.codec import ArrayLeafMatcher
from index.formats import PackedPositions
from index.ranking import PostingsCache
from index.schema import CONTENT, PAIRS
from index.setops import intersect

SAMPLE_ARTICLES = 2000  # ~1.5 s of analysis at build start
COMMON_SHARE = 0.1  # a word in at least 10% of articles is common ...
MAX_COMMON = 150  # ... up to this many of the most frequent words


def common_words(articles: Iterable[Article], sample: int = SAMPLE_ARTICLES) -> list[str]:
    """The analysed words in at least COMMON_SHARE of the first `sample` articles."""
    analyzer = text_analyzer()
    df: Counter[str] = Counter()
    seen = 0
    for article in islice(articles, sample):
        text = f"{article['title']}\n{article['standfirst']}\n{article['body']}"
        df.update({t.text for t in analyzer(text)})
        seen += 1
    threshold = max(2, int(seen * COMMON_SHARE))
    return sorted(w for w, n in df.most_common(MAX_COMMON) if n >= threshold)


def indexed_common(searcher: WhooshSearcher) -> frozenset[str]:
    """The common words whose pairs this index holds (empty for indexes without pairs)."""
    if PAIRS not in searcher.schema:
        return frozenset()
    analyzer = searcher.schema[PAIRS].analyzer
    chain = getattr(analyzer, "chain", analyzer)  # a FastAnalyzer's plain Whoosh chain
    items = getattr(chain, "items", [chain])
    return next((f.common for f in items if isinstance(f, PairFilter)), frozenset())


def phrase_docs(searcher: WhooshSearcher, q: wq.Phrase, cache: PostingsCache) -> np.ndarray:
    """Sorted doc numbers holding the phrase `q` (remembered per index generation)."""
    key = ("phrase", q.fieldname, tuple(q.words), q.slop)
    common = indexed_common(searcher)
    return cache.remember(key, lambda: (_phrase_docs(searcher, q, cache, common), _EMPTY))[0]


_EMPTY = np.zeros(0, np.int64)


def _phrase_docs(
    searcher: WhooshSearcher, q: wq.Phrase, cache: PostingsCache, common: frozenset[str]
) -> np.ndarray:
    words = list(q.words)
    if q.fieldname != CONTENT or q.slop != 1 or len(words) < 2 or not common:
        return _whoosh_docs(searcher, q)
    pairs = [
        p
        for p, (a, b) in zip(pair_terms(words), pairwise(words), strict=True)
        if a in common and b in common
    ]
    rare = [w for w in dict.fromkeys(words) if w not in common]
    lists = [cache.get(PAIRS, p)[0] for p in pairs] + [cache.get(CONTENT, w)[0] for w in rare]
    candidates = _intersect(lists, searcher.doc_count_all())
    if len(words) == 2 and pairs:
        return candidates  # the pair is the phrase
    return _verify(searcher, words, candidates)


def _intersect(sets: list[np.ndarray], size: int) -> np.ndarray:
    sets = sorted(sets, key=len)  # smallest first keeps every step cheap
    docs = sets[0]
    for other in sets[1:]:
        docs = intersect(docs, other, size)
    return docs


def _verify(searcher: WhooshSearcher, words: list[str], candidates: np.ndarray) -> np.ndarray:
    """The candidates where `words` occur at consecutive positions of the body text."""
    found: list[int] = []
    for seg, offset in searcher.subsearchers or [(searcher, 0)]:
        reader = seg.reader()
        local = candidates[(candidates >= offset) & (candidates < offset + reader.doc_count_all())]
        if not local.size or any((CONTENT, w) not in reader for w in words):
            continue
        local = local - offset
        matchers = [_leaf(reader.postings(CONTENT, w)) for w in words]
        fmt = reader.schema[CONTENT].format
        if isinstance(fmt, PackedPositions) and all(
            isinstance(m, ArrayLeafMatcher) for m in matchers
        ):
            # Each word's positions in the candidates only, a posting list read at once.
            values = [m.values_for(local) for m in matchers]
            found.extend((_consecutive_docs(values, fmt) + offset).tolist())
        else:  # an index built before index.codec / index.formats
            found.extend(doc + offset for doc in local.tolist() if _consecutive(matchers, doc))
    return np.array(found, np.int64)


def _leaf(m: Any) -> Any:
    return m.child if isinstance(m, FilterMatcher) else m  # deleted docs: not candidates


def _consecutive_docs(values: list[dict[int, bytes]], fmt: PackedPositions) -> np.ndarray:
    """The documents where word k sits at position p + k for some p: every (document,
    p) that word k allows, as one int64 key each, intersected across the words."""
    keys: np.ndarray | None = None
    for k, by_doc in enumerate(values):
        docs = np.fromiter(by_doc, np.int64, len(by_doc))
        counts, positions = fmt.decode_many(list(by_doc.values()))
        starts = positions - k
        ok = starts >= 0  # a phrase cannot start before the text does
        word_keys = np.unique((np.repeat(docs, counts)[ok] << 32) + starts[ok])
        keys = word_keys if keys is None else np.intersect1d(keys, word_keys, assume_unique=True)
        if not keys.size:
            break
    return np.zeros(0, np.int64) if keys is None else np.unique(keys >> 32)


def _consecutive(matchers: list, doc: int) -> bool:
    """Whether word k sits at position p + k in `doc` for some p (matchers move forward)."""
    starts: set[int] | None = None
    for k, m in enumerate(matchers):
        if m.is_active() and m.id() < doc:
            m.skip_to(doc)
        if not m.is_active() or m.id() != doc:
            return False
        shifted = {p - k for p in m.value_as("positions")}
        starts = shifted if starts is None else starts & shifted
        if not starts:
            return False
    return True


def _whoosh_docs(searcher: WhooshSearcher, q: wq.Query) -> np.ndarray:
    docs = np.fromiter(searcher.docs_for_query(q), np.int64)
    docs.sort()
    return docs
