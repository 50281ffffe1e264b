"""Text analysis shared by indexing and querying: tokenise, fold, stop, stem.

One chain for both sides, so a query word finds what the same word indexed: case folded,
curly quotes and apostrophes normalised (rugby’s → rugby), macrons and other diacritics
folded (Whangārei → whangarei), English (Porter2) stemming from PyStemmer. Each distinct
raw token is processed once and memoised.

Positions are the words' own places in the text, stop words and line breaks included (a
line break takes a position of its own, so no phrase spans a title, a standfirst or a
paragraph): "refugees of troops" has "refug" at 0 and "troop" at 2. Stop words are not
terms of the text fields (plain queries ignore them); the `stops` field indexes them, in
their plain form, at their places, and the `pairs` field joins neighbouring words, so that
phrases are exact, stop words included (index.engine.phrases).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import Stemmer
from whoosh.analysis import Analyzer, Filter, RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

# A word: letters/digits (combining marks allowed inside, for decomposed macrons), with
# inner apostrophes or dots kept together ("rugby’s", "don't", "u.s").
TOKEN_PATTERN = r"\w[\w\u0300-\u036f]*(?:['’‘.][\w\u0300-\u036f]+)*"
LINE_BREAK = "\n"
# What the tokenizer matches: words, and line breaks (each takes a position, never a term).
SCAN_PATTERN = f"{TOKEN_PATTERN}|{LINE_BREAK}"
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
    if text.isascii() and "`" not in text:
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain_word(raw: str) -> str:
    """A raw token folded, without possessive and inner punctuation ("Rugby’s" → "rugby"):
    what stop words are recognised by, and how the stops field spells them."""
    word = fold(raw)
    if word.endswith("'s"):
        word = word[:-2]  # possessive: "rugby's" → "rugby"
    return word.replace("'", "").replace(".", "")


class FoldStemFilter(Filter):
    """Lowercase + fold + possessive/apostrophe cleanup + stop words + optional stemming.

    Line breaks are dropped (their positions stay empty). Stop words are dropped too, or,
    when the token asks to keep them (`removestops=False`) or `keep_stops` is set, passed on
    flagged `stopped` in their plain form; `keep_stops` passes line breaks on as well (the
    pairs chain needs both to know which words are neighbours).
    """

    def __init__(
        self, *, stem: bool = True, stops: Iterable[str] = STOP_WORDS, keep_stops: bool = False
    ) -> None:
        self.stem = stem
        self.stops = frozenset(stops)
        self.keep_stops = keep_stops
        self._cache: dict[str, str] = {}
        self._stemmer: Stemmer.Stemmer | None = None

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__getstate__() == other.__getstate__()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.stem, self.stops, self.keep_stops))

    def __getstate__(self) -> dict[str, object]:
        # The memo and the C stemmer are per process (multiprocess indexing pickles this).
        return {"stem": self.stem, "stops": self.stops, "keep_stops": self.keep_stops}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(**state)  # type: ignore[misc,arg-type]

    def term(self, raw: str) -> str:
        """The indexed term for one raw token ("" when it is a stop word)."""
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        word = plain_word(raw)
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
        term, keep = self.term, self.keep_stops
        for t in tokens:
            raw = t.text
            if raw == LINE_BREAK:
                if keep:
                    t.stopped = True
                    yield t
                continue
            text = term(raw)
            if not text:
                plain = plain_word(raw)
                if plain not in self.stops:  # nothing left of it (no term, no stop word)
                    if keep:
                        t.text, t.stopped = LINE_BREAK, True
                        yield t
                    continue
                if t.removestops and not keep:
                    continue
                t.text, t.stopped = plain, True
                yield t
                continue
            t.text, t.stopped = text, False
            yield t


class StopWordFilter(Filter):
    """Only the stop words, in their plain form, at their own positions: the stops field.
    And the text's first line break (term LINE_BREAK), which says where a title ends."""

    def __init__(self, stops: Iterable[str] = STOP_WORDS) -> None:
        self.stops = frozenset(stops)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.stops == other.stops  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.stops)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        first_break = True
        for t in tokens:
            if t.text == LINE_BREAK:
                if first_break:
                    first_break, t.stopped = False, False
                    yield t
                continue
            word = plain_word(t.text)
            if word in self.stops:
                t.text, t.stopped = word, False
                yield t


def pairable(word: str, stopped: bool, common: frozenset[str]) -> bool:
    """Whether a word joins its neighbours in the pairs field: a stop word or a common word."""
    return stopped or word in common


class PairFilter(Filter):
    """Each two neighbouring words that are both common or stop words, but not both stop
    words, joined ("prime minist", "the govern", "state of"): the pairs field's terms.

    Those are the phrases whose position checks are slow (both words in many documents);
    pairs of rarer words would multiply the term dictionary for no gain, and phrases of
    stop words alone are rare. Neighbours are words at consecutive positions: stop words
    count, line breaks part them. Needs `FoldStemFilter(keep_stops=True)` before it.
    """

    def __init__(self, common: Iterable[str] = ()) -> None:
        self.common = frozenset(common)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        common = self.common
        previous: str | None = None
        previous_stop = False
        for t in tokens:
            text, stopped = t.text, t.stopped
            if text == LINE_BREAK or not pairable(text, stopped, common):
                previous = None
                continue
            if previous is not None and not (stopped and previous_stop):
                t.text, t.stopped = f"{previous}{PAIR_SEPARATOR}{text}", False
                yield t
            previous, previous_stop = text, stopped


def pair_terms(words: list[tuple[str, bool]], common: frozenset[str]) -> list[str | None]:
    """For each two neighbouring phrase words (word, is stop word), their pair term, or None
    when the pairs field does not index that pair."""
    found: list[str | None] = []
    for (a, a_stop), (b, b_stop) in zip(words, words[1:], strict=False):
        both = pairable(a, a_stop, common) and pairable(b, b_stop, common)
        found.append(f"{a}{PAIR_SEPARATOR}{b}" if both and not (a_stop and b_stop) else None)
    return found


class FastAnalyzer(Analyzer):
    """`chain` (tokenizer | FoldStemFilter) run as one loop for the plain calls.

    Gives exactly the chain's tokens (text, positions, character offsets, stopped flags)
    without passing each token through Whoosh's generator pipeline; every other call
    (untokenised values, other chains) goes to the chain itself.
    """

    def __init__(self, chain: CompositeAnalyzer) -> None:
        self.chain = chain

    def __repr__(self) -> str:
        return f"FastAnalyzer({self.chain!r})"

    def fold_stem(self) -> FoldStemFilter | None:
        """The chain's FoldStemFilter when the fast loop covers the chain, else None."""
        items = self.chain.items
        if len(items) == 2 and isinstance(items[1], FoldStemFilter) and not items[1].keep_stops:
            return items[1]
        return None

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
        stem = self.fold_stem()
        if stem is None or not (tokenize and isinstance(value, str)):
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
        return _words(value, stem, token, keeporiginal, start_pos, start_char)


def _words(
    value: str, stem: FoldStemFilter, t: Token, keep: bool, start_pos: int, start_char: int
) -> Iterator[Token]:
    """RegexTokenizer(SCAN_PATTERN) | FoldStemFilter as one loop."""
    chars, positions, removestops = t.chars, t.positions, t.removestops
    term, stops = stem.term, stem.stops
    matches = SCAN_RE.finditer(value) if chars else SCAN_RE.findall(value)
    for pos, match in enumerate(matches):
        raw = match.group(0) if chars else match
        if raw == LINE_BREAK:
            continue
        text = term(raw)
        if not text and (removestops or plain_word(raw) not in stops):
            continue
        if keep:
            t.original = raw
        if chars:
            t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
        if positions:
            t.pos = start_pos + pos
        t.text, t.stopped = (text, False) if text else (plain_word(raw), True)
        yield t


def _tokenizer() -> RegexTokenizer:
    return RegexTokenizer(SCAN_PATTERN)


def text_analyzer() -> FastAnalyzer:
    """The analyzer of the searchable text fields (stemmed, stop words dropped)."""
    return FastAnalyzer(_tokenizer() | FoldStemFilter())


def stops_analyzer() -> CompositeAnalyzer:
    """The analyzer of the stops field: the text's stop words, at their positions."""
    return _tokenizer() | StopWordFilter()


def pair_analyzer(common: Iterable[str] = ()) -> CompositeAnalyzer:
    """The analyzer of the pairs field: neighbouring common or stop words, paired."""
    return _tokenizer() | FoldStemFilter(keep_stops=True) | PairFilter(common)


def name_analyzer() -> FastAnalyzer:
    """The analyzer of author/section/tag/source fields: folded words, no stemming or stops."""
    return FastAnalyzer(_tokenizer() | FoldStemFilter(stem=False, stops=()))


# A stop word among a phrase's terms is marked (no indexed term starts with "~"), so that a
# phrase is a list of strings like any other, and says which of its words are stop words.
STOP_MARK = "~"


def phrase_terms(text: str) -> list[str]:
    """The words of a quoted phrase as the index holds them, in order: terms of the text
    fields, and stop words in their plain form marked with STOP_MARK ("~the")."""
    stem = FoldStemFilter()
    found = []
    for raw in words(text):
        term = stem.term(raw)
        if term:
            found.append(term)
        elif (plain := plain_word(raw)) in STOP_WORDS:
            found.append(STOP_MARK + plain)
    return found


def split_phrase_term(term: str) -> tuple[str, bool]:
    """(the word, whether it is a stop word) of one of phrase_terms' terms."""
    if term.startswith(STOP_MARK):
        return term[len(STOP_MARK) :], True
    return term, False


def value_key(value: str) -> str:
    """The exact-match key of a facet value: folded, whitespace collapsed."""
    return " ".join(fold(value).split())


_WORD_RE = re.compile(TOKEN_PATTERN)
SCAN_RE = re.compile(SCAN_PATTERN)


def words(text: str) -> list[str]:
    """The raw word tokens of `text` (for the spelling suggester and query fallback)."""
    return _WORD_RE.findall(text)
