"""Wildcards: every indexed word a pattern stands for, at a cost that follows the pattern.

`*` is any run of characters, `?` one character, matched against the field's indexed words
(folded, and stemmed in text fields: `elect*` finds elect, election, electr…). The search
is exact: a pattern stands for all its words or the query is refused (index.limits).

Candidates come from index.engine.vocab: the words under a literal prefix (a binary search
in the sorted words) or the words holding the pattern's rarest pair of letters (the pair
index; "\\0" pairs anchor the start or end, so `*ing` starts from words ending "g"), then
each candidate is tested with one regular expression over the candidates' text. Their
number is paid for in the WorkBudget before they are read. A pattern with neither a
prefix nor two letters side by side (`*`, `?e*`) cannot be looked up and is refused.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np

from index.engine.budget import WorkBudget
from index.engine.vocab import SegmentWords, Vocabulary, WhooshWords
from index.model import InvalidQuery
from index.ondisk.analysis import fold
from index.ondisk.vocab import BOUNDARY, pair_code

WILDCARDS = "*?"
_WORD_CHARS = re.compile(r"^[\w*?]+$")
_CHECK_EVERY = 4096  # words read from Whoosh's dictionary between budget payments


def normalise_pattern(text: str) -> str:
    """The pattern as indexed words are written: folded, apostrophes and dots dropped."""
    pattern = fold(text).replace("'", "").replace(".", "")
    if not _WORD_CHARS.match(pattern):
        raise InvalidQuery(
            f"“{text}” mixes a wildcard with punctuation; a wildcard matches within one word"
        )
    return pattern


def literal_prefix(pattern: str) -> str:
    """The letters before the first wildcard."""
    cut = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=len(pattern))
    return pattern[:cut]


def pair_codes(pattern: str) -> list[int]:
    """The letter pairs every match holds: consecutive non-wildcard characters of
    "\\0pattern\\0" (\\0 = the start or the end of the word)."""
    points = [BOUNDARY, *(ord(c) for c in pattern), BOUNDARY]
    wild = {ord(c) for c in WILDCARDS}
    return sorted(
        {pair_code(a, b) for a, b in pairwise(points) if a not in wild and b not in wild}
        - {pair_code(BOUNDARY, BOUNDARY)}
    )


def _regex(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{''.join(parts)}$", re.MULTILINE)


def expand(text: str, fieldname: str, vocab: Vocabulary, budget: WorkBudget) -> list[str]:
    """The indexed words of `fieldname` that the pattern `text` matches, sorted."""
    pattern = normalise_pattern(text)
    prefix = literal_prefix(pattern)
    codes = pair_codes(pattern)
    if not prefix and not codes:
        raise InvalidQuery(
            f"“{text}” cannot be looked up: a wildcard needs letters before the * or two "
            f"letters side by side (e.g. elect*, *ington)"
        )
    regex = _regex(pattern)
    found: set[str] = set()
    for words in vocab.field(fieldname):
        if isinstance(words, SegmentWords):
            found.update(_from_files(words, prefix, codes, regex, budget))
        else:
            found.update(_from_whoosh(words, prefix, regex, budget))
    budget.expand(text, len(found))  # (each segment's candidates were paid for as read)
    return sorted(found)


def _from_files(
    words: SegmentWords, prefix: str, codes: list[int], regex: re.Pattern[str], budget: WorkBudget
) -> list[str]:
    sizes = sorted((words.pair_size(code), code) for code in codes)
    if sizes and sizes[0][0] == 0:
        return []  # a pair every match holds is in no word
    lo, hi = words.prefix_range(prefix) if prefix else (0, len(words))
    if prefix and (not sizes or hi - lo <= sizes[0][0]):
        budget.look_at(hi - lo)
        return regex.findall(words.run(lo, hi))
    budget.look_at(sizes[0][0])
    ids = words.pair_words(sizes[0][1])
    for _size, code in sizes[1:]:
        other = words.pair_words(code)  # memory-mapped: only the probed entries are read
        at = np.searchsorted(other, ids).clip(max=max(len(other) - 1, 0))
        ids = ids[other[at] == ids] if len(other) else ids[:0]
    if prefix:
        ids = ids[(ids >= lo) & (ids < hi)]
    return regex.findall(words.pick(ids))


def _from_whoosh(
    words: WhooshWords, prefix: str, regex: re.Pattern[str], budget: WorkBudget
) -> list[str]:
    source = words.from_prefix(prefix) if prefix else words.every()
    matched, unpaid = [], 0
    for word in source:
        unpaid += 1
        if unpaid == _CHECK_EVERY:
            budget.look_at(unpaid)
            unpaid = 0
        if regex.match(word):
            matched.append(word)
    budget.look_at(unpaid)
    return matched
