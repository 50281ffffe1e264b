"""Phrase search is exact: the same documents as reading every article word by word.

Common-word pairs are answered from the pairs field, other phrases by checking positions
in a narrowed candidate set (index.engine.phrases); both must agree with a brute-force reading.
"""

from __future__ import annotations

import pytest

from crawler.archive import Archive
from index.maintain.build import rebuild
from index.model import MAX_PAGE_SIZE, SearchRequest
from index.ondisk.analysis import pair_analyzer, pair_terms, text_analyzer, words
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
]


def analysed(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text)]


def has_phrase(doc_words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(doc_words[i : i + n] == phrase for i in range(len(doc_words) - n + 1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    data = tmp_path_factory.mktemp("index-phrases")
    articles = [*fill_archive(data / "archive.sqlite3", synth=SYNTH, seed=3), *TRAPS]
    with Archive(data / "archive.sqlite3") as archive:
        archive.upsert_many(TRAPS)
    rebuild(data / "archive.sqlite3", data / "index", procs=1)
    searcher = Searcher(data / "index", data / "archive.sqlite3")
    texts = {a["id"]: analysed(f"{a['title']}\n{a['standfirst']}\n{a['body']}") for a in articles}
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


def expected(texts: dict[str, list[str]], phrase: str) -> set[str]:
    wanted = analysed(phrase)
    return {doc_id for doc_id, doc_words in texts.items() if has_phrase(doc_words, wanted)}


def sample_phrases(articles: list) -> list[str]:
    """Runs of 2-4 words as written in the synthetic bodies (stop words and all)."""
    found = []
    for a in articles[:12]:
        raw = words(a["body"])
        for n, start in ((2, 5), (2, 40), (3, 20), (4, 60)):
            phrase = " ".join(raw[start : start + n])
            if analysed(phrase):  # all stop words: no query at all
                found.append(phrase)
    return found


def test_phrases_match_a_word_by_word_reading(corpus) -> None:
    searcher, texts, articles = corpus
    common = set(common_words(articles))
    phrases = sample_phrases(articles)
    terms = [analysed(p) for p in phrases]
    # The sample covers both ways of answering: a common pair, and a checked phrase.
    assert any(len(t) == 2 and set(t) <= common for t in terms)
    assert any(len(t) > 2 or not set(t) <= common for t in terms)
    assert any(len(analysed(p)) < len(words(p)) for p in phrases)  # some hold stop words
    for phrase in phrases:
        assert all_ids(searcher, f'"{phrase}"') == expected(texts, phrase), phrase


def test_both_pairs_apart_are_not_the_phrase(corpus) -> None:
    searcher, texts, articles = corpus
    assert {"govern", "said", "council"} <= set(common_words(articles))  # the pair route
    found = all_ids(searcher, '"government said council"')
    assert "PHRASEHIT" + "0" * 17 in found
    assert not any(i.startswith("PHRASEPAIRS") for i in found)
    assert found == expected(texts, "government said council")


def test_stop_words_inside_a_phrase(corpus) -> None:
    searcher, texts, _ = corpus
    found = all_ids(searcher, '"a bit of give and take"')
    assert {i.rstrip("0") for i in found} == {"GIVETAKE"}
    assert found == expected(texts, "a bit of give and take")


def test_pairs_follow_the_words_without_stop_words() -> None:
    pairs = [t.text for t in pair_analyzer({"bit", "give", "take"})("a bit of give and take")]
    assert pairs == ["bit give", "give take"]
    assert pair_terms(["bit", "give", "take"]) == pairs
    # A pair needs both words common: "visit" breaks the chain.
    assert [t.text for t in pair_analyzer({"prime", "minist"})("Prime minister visits")] == [
        "prime minist"
    ]
