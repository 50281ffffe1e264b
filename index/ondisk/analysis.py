"""Text analysis shared by indexing and querying: tokenise, fold, stop, stem.

One chain for both sides, so a query word finds what the same word indexed: case folded,
curly quotes and apostrophes normalised (rugby’s → rugby), macrons and other diacritics
folded (Whangārei → whangarei), English (Porter2) stemming from PyStemmer. Each distinct
raw token is processed once and memoised, which keeps the chain fast when building.
`FastAnalyzer` runs that same chain as one loop for the plain calls indexing makes (about
half of the build was Whoosh's token-by-token filter pipeline) and hands every other call
(character offsets for highlighting, kept stop words for the query parser) to the chain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise

import Stemmer
from whoosh.analysis import Analyzer, Filter, RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

# A word: letters/digits (combining marks allowed inside, for decomposed macrons), with
# inner apostrophes or dots kept together ("rugby’s", "don't", "u.s").
TOKEN_PATTERN = r"\w[\w\u0300-\u036f]*(?:['’‘.][\w\u0300-\u036f]+)*"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_CACHE_LIMIT = 400_000
PAIR_SEPARATOR = " "  # never inside an analysed word

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


class PairFilter(Filter):
    """Each common word joined to the next common word ("prime minist"): phrase-field terms.

    Only pairs of two `common` words are emitted: those are the phrases whose position
    checks are slow (both words in many documents); pairs of rarer words would multiply
    the term dictionary for no gain. Stop words are already gone, so pairs span them
    exactly as phrase positions do ("a bit of give and take" → "bit give", "give take").
    """

    def __init__(self, common: Iterable[str] = ()) -> None:
        self.common = frozenset(common)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        common = self.common
        previous = None
        for t in tokens:
            if t.stopped:
                continue
            text = t.text
            if previous is not None and text in common:
                t.text = f"{previous}{PAIR_SEPARATOR}{text}"
                yield t
            previous = text if text in common else None


def pair_terms(phrase_words: list[str]) -> list[str]:
    """The pair terms of analysed phrase words, in order (none for fewer than two)."""
    return [f"{a}{PAIR_SEPARATOR}{b}" for a, b in pairwise(phrase_words)]


class FastAnalyzer(Analyzer):
    """`chain` (tokenizer | FoldStemFilter [| PairFilter]) run as one loop.

    Gives exactly the chain's tokens (text, positions, character offsets, stopped flags)
    without passing each token through Whoosh's generator pipeline; only calls the loop
    does not cover (untokenised values, a pairs chain asked for offsets) go to the chain.
    """

    def __init__(self, chain: CompositeAnalyzer) -> None:
        self.chain = chain

    def __repr__(self) -> str:
        return f"FastAnalyzer({self.chain!r})"

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        items = self.chain.items
        pairs = items[2].common if len(items) > 2 else None
        plain_pairs = not (chars or keeporiginal or start_pos) and removestops
        if not (tokenize and isinstance(value, str)) or (pairs is not None and not plain_pairs):
            return self.chain(
                value,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=tokenize,
                mode=mode,
                **kwargs,
            )
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost, token.stopped = 1.0, False
        if pairs is not None:
            return _pairs(value, items[1].term, token, pairs)
        return _words(value, items[1].term, token, keeporiginal, start_pos, start_char)


def term_positions(analyzer: Analyzer, value: object) -> dict[str, list[int]] | None:
    """{term: positions} of `value` exactly as `analyzer(value, positions=True)` gives them,
    in one loop without Token objects; None when `analyzer` has no such fast path."""
    items = getattr(getattr(analyzer, "chain", None), "items", ())
    if not isinstance(analyzer, FastAnalyzer) or len(items) != 2 or not isinstance(value, str):
        return None
    term = items[1].term
    found: dict[str, list[int]] = {}
    pos = -1
    for raw_pos, raw in enumerate(_WORD_RE.findall(value)):
        text = term(raw)
        if not text:
            continue
        pos = raw_pos if pos < 0 else pos + 1  # as _words renumbers around stop words
        seen = found.get(text)
        if seen is None:
            found[text] = [pos]
        else:
            seen.append(pos)
    return found


def _words(
    value: str, term: Callable[[str], str], t: Token, keep: bool, start_pos: int, start_char: int
) -> Iterator[Token]:
    """RegexTokenizer | FoldStemFilter as one loop: stop words dropped or flagged, kept
    words' positions renumbered after the first (as FoldStemFilter does)."""
    chars, positions, removestops = t.chars, t.positions, t.removestops
    pos = None
    matches = _WORD_RE.finditer(value) if chars else _WORD_RE.findall(value)
    for raw_pos, match in enumerate(matches):
        raw = match.group(0) if chars else match
        text = term(raw)
        if not text and removestops:
            continue
        if keep:
            t.original = raw
        if chars:
            t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
        if not text:
            t.text, t.stopped = raw, True
            if positions:
                t.pos = start_pos + raw_pos
            yield t
            continue
        pos = start_pos + raw_pos if pos is None else pos + 1
        t.text, t.stopped = text, False
        if positions:
            t.pos = pos
        yield t


def _pairs(
    value: str, term: Callable[[str], str], t: Token, common: frozenset[str]
) -> Iterator[Token]:
    """RegexTokenizer | FoldStemFilter | PairFilter as one loop."""
    positions = t.positions
    pos = -1
    previous = None
    for raw_pos, raw in enumerate(_WORD_RE.findall(value)):
        text = term(raw)
        if not text:
            continue
        pos = raw_pos if pos < 0 else pos + 1
        if previous is not None and text in common:
            t.text = f"{previous}{PAIR_SEPARATOR}{text}"
            if positions:
                t.pos = pos
            yield t
        previous = text if text in common else None


def text_analyzer() -> FastAnalyzer:
    """The analyzer of the searchable text fields (stemmed, stop words dropped)."""
    return FastAnalyzer(RegexTokenizer(TOKEN_PATTERN) | FoldStemFilter())


def pair_analyzer(common: Iterable[str] = ()) -> FastAnalyzer:
    """The analyzer of the phrase field: consecutive analysed `common` words, paired."""
    return FastAnalyzer(RegexTokenizer(TOKEN_PATTERN) | FoldStemFilter() | PairFilter(common))


def name_analyzer() -> FastAnalyzer:
    """The analyzer of author/section/tag/source fields: folded words, no stemming or stops."""
    return FastAnalyzer(RegexTokenizer(TOKEN_PATTERN) | FoldStemFilter(stem=False, stops=()))


def value_key(value: str) -> str:
    """The exact-match key of a facet value: folded, whitespace collapsed."""
    return " ".join(fold(value).split())


_WORD_RE = re.compile(TOKEN_PATTERN)


def words(text: str) -> list[str]:
    """The raw word tokens of `text` (for the spelling suggester and query fallback)."""
    return _WORD_RE.findall(text)
