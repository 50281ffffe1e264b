"""“Did you mean”: a close, much more frequent word for each word the archive hardly knows.

Only for queries with fewer than PLENTY results, and never for wildcards. A typed word is
a candidate for correction when fewer than KNOWN articles hold it (in its field: `title:`
words among headlines, `author:` words among bylines, …). Corrections are words of the
field's dictionary (`spell`, the unstemmed words of titles and standfirsts, for text; the
field's own words for names) within a Damerau–Levenshtein distance of 2 (1 for words of
up to 5 letters, and for words the archive has at all; a transposition is one edit:
Whangarie → Whangārei), found through the vocabulary's letter-pair
index (index.engine.vocab): a word within k edits shares all but 3k of its letter pairs.
The nearest wins, then the most frequent; it must be in at least GAIN times as many
articles as the typed word. The suggestion is written as the archive writes it (macrons
included: read from an article that holds it) in the user's capitalisation, and replaces
only that word in the query as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein
from whoosh.reading import IndexReader

from crawler.record import Article
from index.engine.query import ParsedQuery
from index.engine.vocab import SegmentWords, Vocabulary
from index.ondisk.analysis import TOKEN_PATTERN, FoldStemFilter
from index.ondisk.schema import CONTENT
from index.ondisk.vocab import BOUNDARY, pair_code

PLENTY = 10  # a query with this many results gets no suggestion
KNOWN = 3  # a word in this many articles (of its field) is taken as spelt right
GAIN = 10  # a correction is in at least GAIN times as many articles as the typed word
MIN_LENGTH = 4  # shorter words are too often other words one edit away
MAX_CANDIDATES = 4000  # dictionary words compared with one typed word, at most
MAX_WORDS = 10  # words of one query looked at
_WORD = re.compile(TOKEN_PATTERN)
_FOLD = FoldStemFilter(stem=False, stops=())
_STEM = FoldStemFilter()
_TEXT_FIELDS = (CONTENT, "title")

# (field, folded word, how many articles) → the texts of up to that many articles holding
# it in that field: where the archive's own spelling of the word is read.
Texts = Callable[[str, str, int], list[str]]


def max_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _pairs(word: str) -> list[int]:
    points = [BOUNDARY, *(ord(c) for c in word), BOUNDARY]
    return sorted({pair_code(a, b) for a, b in pairwise(points)})


def in_case_of(typed: str, spelling: str) -> str:
    """`spelling` in the capitalisation of `typed` (AUKLAND → AUCKLAND, aukland → auckland)."""
    if typed.isupper() and len(typed) > 1:
        return spelling.upper()
    if typed.islower():
        return spelling.lower()
    if typed[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling


class Speller:
    """Did-you-mean over one open index generation."""

    def __init__(self, reader: IndexReader, vocab: Vocabulary, texts: Texts) -> None:
        self.reader = reader
        self.vocab = vocab
        self.texts = texts

    def suggest(self, q: str, parsed: ParsedQuery, total: int) -> str | None:
        """The query as typed with its misspelt words corrected, or None."""
        if total >= PLENTY:
            return None
        typed = [
            (leaf, match)
            for leaf in parsed.words
            if leaf.kind != "pattern"
            for match in _WORD.finditer(leaf.text)
        ]
        if len(typed) > MAX_WORDS:
            return None
        edits = []
        for leaf, match in typed:
            fixed = self.correct(match.group(0), leaf.field)
            if fixed is not None:
                start = leaf.span[0] + match.start()
                edits.append((start, start + len(match.group(0)), fixed))
        for start, end, fixed in sorted(edits, reverse=True):
            q = q[:start] + fixed + q[end:]
        return q if edits else None

    def frequency(self, fieldname: str, word: str) -> int:
        """Articles holding `word` (folded, unstemmed) in `fieldname`."""
        term = _STEM.term(word) if fieldname in _TEXT_FIELDS else word
        return self.reader.doc_frequency(fieldname, term) if term else 0

    def correct(self, typed: str, fieldname: str) -> str | None:
        """The correction of one typed word, as the archive spells it, or None."""
        folded = _FOLD.term(typed)
        if len(folded) < MIN_LENGTH or not folded.isalpha():
            return None
        known = self.frequency(fieldname, folded)
        if known >= KNOWN:
            return None
        dictionary = "spell" if fieldname in _TEXT_FIELDS else fieldname
        best: tuple[int, int, str] | None = None
        # A word the archive has (if rarely) is more likely right: only one edit away then.
        limit = max_distance(folded) if known == 0 else 1
        for distance, word in self.candidates(dictionary, folded, limit):
            if fieldname in _TEXT_FIELDS and _STEM.term(word) == _STEM.term(folded):
                continue  # another form of the same word, not a correction
            count = self.frequency(fieldname, word)
            if count < max(KNOWN, GAIN * known):
                continue
            key = (distance, -count, word)
            if best is None or key < best:
                best = key
        return None if best is None else in_case_of(typed, self.spelling(dictionary, best[2]))

    def candidates(self, dictionary: str, word: str, limit: int) -> list[tuple[int, str]]:
        """(distance, word) of the dictionary's words within `limit` edits of `word`."""
        found: set[str] = set()
        for words in self.vocab.field(dictionary):
            if isinstance(words, SegmentWords):
                found.update(_near_in_files(words, word, limit))
            elif dictionary in self.reader.schema:  # no vocabulary files: Whoosh's automaton
                found.update(
                    t.decode() if isinstance(t, bytes) else t
                    for t in words.reader.terms_within(dictionary, word, limit)
                )
        scored = ((DamerauLevenshtein.distance(word, w), w) for w in found if w != word)
        return sorted((d, w) for d, w in scored if d <= limit)

    def spelling(self, dictionary: str, folded: str) -> str:
        """How the archive writes a folded word: its most frequent form in a few articles."""
        forms: Counter[str] = Counter()
        for text in self.texts(dictionary, folded, 5):
            forms.update(t for t in _WORD.findall(text) if _FOLD.term(t) == folded)
        if not forms:
            return folded
        return max(forms, key=lambda form: (forms[form], form.islower()))


def article_text(article: Article, dictionary: str) -> str:
    """The text of an article that a dictionary's words come from."""
    if dictionary == "spell":
        return f"{article['title']}\n{article['standfirst']}"
    if dictionary == "section":
        return f"{article['section']}\n{article['subsection'] or ''}"
    if dictionary in ("author", "tag"):
        return "\n".join(article["authors" if dictionary == "author" else "tags"])
    return str(article.get(dictionary, ""))


def _near_in_files(words: SegmentWords, word: str, limit: int) -> list[str]:
    """Words sharing enough letter pairs with `word` to be within `limit` edits of it (each
    edit changes at most 3 pairs), nearest-looking first, at most MAX_CANDIDATES."""
    codes = _pairs(word)
    lists = [words.pair_words(code) for code in codes]
    if not any(len(ids) for ids in lists):
        return []
    ordered = np.sort(np.concatenate(lists).astype(np.int64))  # (np.unique is slow: see vocab)
    first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ids, shared = ordered[first], np.diff(np.r_[first, len(ordered)])
    keep = shared >= max(1, len(codes) - 3 * limit)
    ids, shared = ids[keep], shared[keep]
    lengths = words.lengths(ids)
    keep = np.abs(lengths - len(word.encode("utf-8"))) <= limit
    ids, shared = ids[keep], shared[keep]
    best = ids[np.argsort(-shared, kind="stable")[:MAX_CANDIDATES]]
    return words.pick(np.sort(best)).split("\n")[:-1]
