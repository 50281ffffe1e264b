"""Phrase search is exact: the words in that order with nothing between them, stop words
included, the same documents as reading every article word by word.

Pairs of common and stop words are answered from the pairs field, other phrases by
checking positions (stop words in the stops field) in a narrowed candidate set
(index.engine.phrases); both must agree with a brute-force reading of the texts, analysed
the same way (folded, stemmed) but matched here without the index.
"""

from __future__ import annotations

import random

import pytest

import index.ondisk.blocks
from crawler.archive import Archive
from index.maintain.build import rebuild
from index.model import MAX_PAGE_SIZE, SearchRequest
from index.ondisk.analysis import STOP_WORDS, FoldStemFilter, plain_word, words
from index.ondisk.pairs import common_words
from index.search import Searcher
from tests.index_support import article, fill_archive

SYNTH = 300
TRAPS = [
    article("PHRASEHIT", body="Late on Friday the government said council staff had gone home."),
    # Both pairs of "government said council", never the three words in a row:
    article("PHRASEPAIRS", body="The government said little. Later he said council staff left."),
    article("GIVETAKE", body="In the end it was a bit of give and take."),
    article("TAKEGIVE", body="A bit more give, and a take of sorts."),
    article("REFUGEESOF", body="Zorblat refugees of troops crossed.", title="Zorblat border"),
    article("REFUGEESTHE", body="Zorblat saw the refugees arrive.", title="Zorblat camp"),
    article("REFUGEESBARE", body="Zorblat refugees troops crossed.", title="Zorblat news"),
    article("STATEOF", body="A state of emergency was declared in Zorblat."),
    article("STATEBARE", body="The state emergency services of Zorblat were called."),
    article("LINEBREAK", body="Zorblat quorvex refugees\n\ntroops arrived later."),
    article(
        "TITLETHE",
        title="The quorvex refugees",
        standfirst="Of the camps",
        body="Zorblat news of the day.",
    ),
    article("FOLDED", body="Whangārei’s Elections were held in Zorblat."),
]
_STEM = FoldStemFilter()


def tokens(text: str) -> list[list[tuple[str, bool] | None]]:
    """Each line's words as the index holds them: (term, False), (stop word, True), or
    None for a token that is neither."""
    lines = []
    for line in text.split("\n"):
        found: list[tuple[str, bool] | None] = []
        for raw in words(line):
            term = _STEM.term(raw)
            plain = plain_word(raw)
            found.append((term, False) if term else (plain, True) if plain in STOP_WORDS else None)
        lines.append(found)
    return lines


def has_phrase(lines: list[list], phrase: list) -> bool:
    n = len(phrase)
    return any(line[i : i + n] == phrase for line in lines for i in range(len(line) - n + 1))


# Positions are zlib'd per block where that saves enough (index.ondisk.blocks), else
# stored as they are: both must read back alike, so the corpus is built both ways.
@pytest.fixture(scope="module", params=["zlib where it pays", "never zlib"])
def corpus(tmp_path_factory, request):
    data = tmp_path_factory.mktemp("index-phrases")
    articles = [*fill_archive(data / "archive.sqlite3", synth=SYNTH, seed=3), *TRAPS]
    with Archive(data / "archive.sqlite3") as archive:
        archive.upsert_many(TRAPS)
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "never zlib":
            patch.setattr(index.ondisk.blocks, "COMPRESS_SAVING", 1.0)
        rebuild(data / "archive.sqlite3", data / "index", procs=1)
    searcher = Searcher(data / "index", data / "archive.sqlite3")
    texts = {
        a["id"]: {
            "content": tokens(f"{a['title']}\n{a['standfirst']}\n{a['body']}"),
            "title": tokens(a["title"]),
        }
        for a in articles
    }
    yield searcher, texts, articles
    searcher.close()


def all_ids(searcher: Searcher, q: str) -> set[str]:
    found: set[str] = set()
    page = 1
    while True:
        result = searcher.search(SearchRequest(q=q, page=page, page_size=MAX_PAGE_SIZE))
        found |= {h.id for h in result.hits}
        if page * MAX_PAGE_SIZE >= result.total:
            assert len(found) == result.total
            return found
        page += 1


def expected(texts: dict, phrase: str, field: str = "content") -> set[str]:
    wanted = tokens(phrase)[0]
    return {doc_id for doc_id, by_field in texts.items() if has_phrase(by_field[field], wanted)}


def short(ids: set[str]) -> set[str]:
    return {i.rstrip("0") for i in ids}


def sample_phrases(articles: list, seed: int = 5) -> list[str]:
    """Runs of 1-5 words as written in the synthetic texts (stop words and all), some
    starting or ending with stop words, some of stop words only."""
    rnd = random.Random(seed)
    found = []
    for a in articles[:40]:
        for text in (a["body"], a["title"]):
            raw = words(text)
            for _ in range(4):
                n = rnd.randint(1, 5)
                start = rnd.randrange(max(1, len(raw) - n))
                found.append(" ".join(raw[start : start + n]))
    return found


def test_phrases_match_a_word_by_word_reading(corpus) -> None:
    searcher, texts, articles = corpus
    common = set(common_words(articles))
    phrases = sample_phrases(articles)
    shapes = [tokens(p)[0] for p in phrases]
    # The sample covers every way of answering: one pair, pairs and positions, stop words
    # leading, inside and trailing, and phrases of stop words alone.
    assert any(len(s) == 2 and all(stop or w in common for w, stop in s) for s in shapes)
    assert any(len(s) > 2 for s in shapes)
    assert any(s[0][1] for s in shapes if len(s) > 1)
    assert any(s[-1][1] for s in shapes if len(s) > 1)
    assert any(any(stop for _, stop in s[1:-1]) for s in shapes if len(s) > 2)
    assert any(all(stop for _, stop in s) for s in shapes if len(s) > 1)
    for phrase in phrases:
        assert all_ids(searcher, f'"{phrase}"') == expected(texts, phrase), phrase


def test_title_phrases_match_a_word_by_word_reading_of_titles(corpus) -> None:
    searcher, texts, articles = corpus
    phrases = [p for p in sample_phrases(articles, seed=9) if len(words(p)) > 1][:40]
    phrases += ["the quorvex", "refugees of", "the", "of the"]
    for phrase in phrases:
        found = all_ids(searcher, f'title:"{phrase}"')
        assert found == expected(texts, phrase, "title"), phrase


def test_stop_words_are_part_of_a_phrase(corpus) -> None:
    searcher, _, _ = corpus
    the_refugees = short(all_ids(searcher, '"the refugees"'))
    assert "REFUGEESTHE" in the_refugees
    assert not the_refugees & {"REFUGEESOF", "REFUGEESBARE", "TITLETHE"}
    assert "REFUGEESOF" not in short(all_ids(searcher, '"refugees troops"'))
    assert "REFUGEESBARE" in short(all_ids(searcher, '"refugees troops"'))
    assert "REFUGEESOF" in short(all_ids(searcher, '"refugees of troops"'))
    assert short(all_ids(searcher, '"state of emergency"')) == {"STATEOF"}
    assert short(all_ids(searcher, '"state emergency"')) == {"STATEBARE"}
    # Plain words still ignore stop words: "the refugees" unquoted is refugees.
    assert all_ids(searcher, "the refugees zorblat") == all_ids(searcher, "refugees zorblat")


def test_no_phrase_spans_a_line(corpus) -> None:
    searcher, _, _ = corpus
    assert "LINEBREAK" not in short(all_ids(searcher, '"refugees troops"'))
    assert "LINEBREAK" in short(all_ids(searcher, '"quorvex refugees"'))
    assert "TITLETHE" not in short(all_ids(searcher, '"refugees of the camps"'))
    # A title ends where its line does: its last words and the standfirst's first are apart.
    assert "TITLETHE" not in short(all_ids(searcher, 'title:"refugees of"'))
    assert "TITLETHE" in short(all_ids(searcher, 'title:"the"'))
    assert "REFUGEESTHE" not in short(all_ids(searcher, 'title:"the"'))


def test_folding_and_stemming_apply_inside_phrases(corpus) -> None:
    searcher, _, _ = corpus
    assert "FOLDED" in short(all_ids(searcher, '"whangarei election"'))
    assert "FOLDED" in short(all_ids(searcher, '"WHANGĀREI’S ELECTIONS were"'))


def test_both_pairs_apart_are_not_the_phrase(corpus) -> None:
    searcher, texts, articles = corpus
    assert {"govern", "said", "council"} <= set(common_words(articles))  # the pair route
    found = all_ids(searcher, '"government said council"')
    assert "PHRASEHIT" + "0" * 17 in found
    assert not any(i.startswith("PHRASEPAIRS") for i in found)
    assert found == expected(texts, "government said council")


def test_a_bit_of_give_and_take(corpus) -> None:
    searcher, texts, _ = corpus
    found = all_ids(searcher, '"a bit of give and take"')
    assert short(found) == {"GIVETAKE"}
    assert found == expected(texts, "a bit of give and take")
