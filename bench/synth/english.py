"""Real English words for the open slots of bench.synth's templates, at their real frequencies.

The words and their frequencies come from wordfreq's "large" English list (about 320,000
words with their frequency across Wikipedia, subtitles, news, books and the web, down to one
in 10^8), so `{noun}` gives "government" far more often than "annihilation", and the rare
words arrive at the rate real text brings them. Templates need a part of speech, which the
list does not give, so words are sorted by their endings (-tion, -ment → noun; -ous, -ive →
adjective; -ed, -ing, -ly); the rest — names, brands, rare and foreign words — fill `{Word}`,
capitalised, where a proper name reads naturally ("the Hawthorne report", "Platter Holdings").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import re
from dataclasses import dataclass

from wordfreq import get_frequency_dict

_NOUN = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism", "hood", "ogy", "ure")
_NOUNS = tuple(s + "s" for s in _NOUN if s not in ("ness", "ity", "ism", "ogy")) + (
    "nesses",
    "ities",
    "isms",
    "ogies",
    "ists",
    "ers",
)
_ADJ = ("ous", "tive", "sive", "ful", "less", "ical", "ic", "al", "ary")
_LONG_ADJ = ("able", "ible")  # longer than "table", "cable", "stable"
# Words with those endings that would read wrongly in the slot.
_EXCEPTIONS = frozenset(
    [
        "sure",
        "pure",
        "cure",
        "secure",
        "mature",
        "obscure",
        "ensure",
        "insure",
        "assure",
        "endure",
        "unless",
        "january",
        "february",
        "mary",
        "gary",
        "rosemary",
        "hundred",
        "kindred",
        "alfred",
        "mildred",
        "jared",
        "during",
        "morning",
        "evening",
        "ceiling",
        "wedding",
        "pudding",
        "sibling",
        "sterling",
        "italy",
        "july",
        "emily",
        "kelly",
        "molly",
        "sally",
        "billy",
        "lily",
        "holly",
        "family",
    ]
)
# Kept out of generated text: they would make a demo page read badly, not like news.
_OFFENSIVE_PARTS = re.compile(
    "fuck|shit|cunt|nigg|slut|whore|bitch|porn|pussy|dildo|orgasm|masturb|wank|twat|retard|"
    "tranny|rapist|molest|paedo|pedophil|incest|boob|tits|horny"
)
_OFFENSIVE_WORDS = frozenset(
    [
        "fag",
        "fags",
        "faggot",
        "rape",
        "raped",
        "raping",
        "sex",
        "sexy",
        "anal",
        "cock",
        "cocks",
        "dick",
        "dicks",
        "penis",
        "vagina",
        "nazi",
        "nazis",
        "spic",
        "chink",
        "kike",
        "gook",
        "coon",
        "dyke",
        "homo",
        "piss",
        "pissed",
        "bastard",
        "bastards",
    ]
)
_PLAIN = re.compile(r"[a-z]{4,}")
_COMMON_RANK = 3000  # a {Word} is a rare word: no "Because Holdings"


@dataclass(frozen=True)
class WordList:
    """Words with their cumulative real frequencies, drawn in proportion to them."""

    words: tuple[str, ...]
    cum: tuple[float, ...]

    def draw(self, rnd: random.Random) -> str:
        return self.words[bisect.bisect(self.cum, rnd.random() * self.cum[-1])]

    def __len__(self) -> int:
        return len(self.words)


def part_of_speech(word: str) -> str | None:
    """The slot a plain lowercase word can fill, guessed from its ending (None: only `Word`)."""
    if word in _EXCEPTIONS:
        return None
    if word.endswith(_NOUNS):
        return "nouns"
    if word.endswith(_NOUN):
        return "noun"
    if word.endswith(_ADJ) or (word.endswith(_LONG_ADJ) and len(word) > 6):
        return "adj"
    if word.endswith("ed") and not word.endswith("eed") and len(word) > 4:
        return "ved"
    if word.endswith("ing") and len(word) > 5 and not word.endswith("thing"):
        return "ing"
    ly_ok = not word.endswith("lly") or word.endswith(("ally", "fully"))
    if word.endswith("ly") and len(word) > 4 and ly_ok:
        return "adv"
    return None


def _offensive(word: str) -> bool:
    return word in _OFFENSIVE_WORDS or _OFFENSIVE_PARTS.search(word) is not None


@functools.cache
def word_lists() -> dict[str, WordList]:
    """{slot: WordList} for noun, nouns, adj, ved, ing, adv and Word (loaded once, ~2 s)."""
    ranked = get_frequency_dict("en", "large").items()  # most frequent first
    found: dict[str, list[tuple[str, float]]] = {}
    for rank, (word, freq) in enumerate(ranked):
        if not _PLAIN.fullmatch(word) or _offensive(word):
            continue
        slot = part_of_speech(word)
        if slot is None:
            if rank < _COMMON_RANK:
                continue
            slot, word = "Word", word.capitalize()
        found.setdefault(slot, []).append((word, freq))
    return {
        slot: WordList(tuple(w for w, _ in pairs), tuple(itertools.accumulate(f for _, f in pairs)))
        for slot, pairs in found.items()
    }
