"""Text analysis shared by indexing and querying: tokenise, fold, stop, stem.

One chain for both sides, so a query word finds what the same word indexed: case folded,
curly quotes and apostrophes normalised (rugby’s → rugby), macrons and other diacritics
folded (Whangārei → whangarei), English (Porter2) stemming from PyStemmer. Each distinct
raw token is processed once and memoised, which keeps the chain fast when building.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer, Token

# A word: letters/digits (combining marks allowed inside, for decomposed macrons), with
# inner apostrophes or dots kept together ("rugby’s", "don't", "u.s").
TOKEN_PATTERN = r"\w[\w\u0300-\u036f]*(?:['’‘.][\w\u0300-\u036f]+)*"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_CACHE_LIMIT = 400_000

# Short and function words that carry no meaning for news search.
_STOP_TEXT = (
    "a an and are as at be but by for from had has have he her his if in into is it its "
    "of on or our she that the their them they this to was we were which will with you your"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


def fold(text: str) -> str:
    """Lowercase and strip diacritics: "Whangārei" → "whangarei" (used for exact values too)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _normalise_word(raw: str) -> str:
    word = fold(raw)
    if word.endswith("'s"):
        word = word[:-2]  # possessive: "rugby's" → "rugby"
    return word.replace("'", "").replace(".", "")


class FoldStemFilter(Filter):
    """Lowercase + fold + possessive/apostrophe cleanup + stop words + optional stemming."""

    def __init__(self, *, stem: bool = True, stops: Iterable[str] = STOP_WORDS) -> None:
        self.stem = stem
        self.stops = frozenset(stops)
        self._cache: dict[str, str] = {}
        self._stemmer: Stemmer.Stemmer | None = None

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.stem == other.stem  # type: ignore[attr-defined]
            and self.stops == other.stops  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((self.stem, self.stops))

    def __getstate__(self) -> dict[str, object]:
        # The memo and the C stemmer are per process (multiprocess indexing pickles this).
        return {"stem": self.stem, "stops": self.stops}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(stem=state["stem"], stops=state["stops"])  # type: ignore[misc,arg-type]

    def term(self, raw: str) -> str:
        """The indexed term for one raw token ("" when it is a stop word)."""
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        word = _normalise_word(raw)
        if word in self.stops or not word:
            result = ""
        elif self.stem:
            if self._stemmer is None:
                self._stemmer = Stemmer.Stemmer("english")
            result = self._stemmer.stemWord(word)
        else:
            result = word
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[raw] = result
        return result

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        term = self.term
        pos = None
        for t in tokens:
            text = term(t.text)
            if not text:
                if t.removestops:
                    continue
                t.stopped = True
                yield t
                continue
            t.text = text
            t.stopped = False
            if t.positions:
                # Renumber around removed stop words, as Whoosh's StopFilter does.
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            yield t


def text_analyzer() -> RegexTokenizer:
    """The analyzer of the searchable text fields (stemmed, stop words dropped)."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldStemFilter()


def name_analyzer() -> RegexTokenizer:
    """The analyzer of author/section/tag/source fields: folded words, no stemming or stops."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldStemFilter(stem=False, stops=())


def value_key(value: str) -> str:
    """The exact-match key of a facet value: folded, whitespace collapsed."""
    return " ".join(fold(value).split())


_WORD_RE = re.compile(TOKEN_PATTERN)


def words(text: str) -> list[str]:
    """The raw word tokens of `text` (for the spelling suggester and query fallback)."""
    return _WORD_RE.findall(text)
