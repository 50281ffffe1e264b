"""The analyzer: the same words match however they are typed (case, macrons, quotes, stems)."""

from __future__ import annotations

import pytest

from index.ondisk.analysis import (
    fold,
    name_analyzer,
    pair_analyzer,
    phrase_terms,
    split_phrase_term,
    stops_analyzer,
    text_analyzer,
)


def terms(text: str, **kwargs: object) -> list[str]:
    return [t.text for t in text_analyzer()(text, **kwargs)]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Whangārei", "Whangarei"),
        ("WHANGAREI", "whangārei"),
        ("Taupō", "taupo"),
        ("Māori", "Ma\u0304ori"),  # decomposed macron
        ("rugby’s", "rugby"),
        ("rugby's", "Rugby"),
        ("elections", "election"),
        ("running", "run"),
        ("stopped", "stop"),
        ("don’t", "don't"),
    ],
)
def test_same_term_both_ways(left: str, right: str) -> None:
    assert terms(left) == terms(right)
    assert terms(left, mode="query") == terms(right, mode="query")
    assert terms(left) != []


def test_different_words_stay_different() -> None:
    assert terms("rugby") != terms("cricket")
    assert terms("Whangārei") != terms("Whanganui")


def test_positions_count_stop_words_and_line_breaks() -> None:
    text = "the prime minister of the country\nNew line"
    tokens = [(t.text, t.pos) for t in text_analyzer()(text, positions=True)]
    # "of the" keep their places (3, 4), and the line break takes position 6.
    assert tokens == [("prime", 1), ("minist", 2), ("countri", 5), ("new", 7), ("line", 8)]
    stops = [(t.text, t.pos) for t in stops_analyzer()(text, positions=True)]
    # ... and the first line break, which says where a title ends.
    assert stops == [("the", 0), ("of", 3), ("the", 4), ("\n", 6)]


def test_pairs_join_neighbours_stop_words_included_but_not_across_lines() -> None:
    common = {"prime", "minist", "countri", "state"}
    pairs = [t.text for t in pair_analyzer(common)("The Prime Minister of the country\nstate")]
    # Not "of the" (two stop words), not "countri state" (a line apart).
    assert pairs == ["the prime", "prime minist", "minist of", "the countri"]
    # A rare word breaks the chain.
    assert [t.text for t in pair_analyzer(common)("prime zorblat minister")] == []


def test_phrase_terms_keep_stop_words_marked() -> None:
    assert phrase_terms("State of the Emergency’s") == ["state", "~of", "~the", "emergenc"]
    # "hers" is no stop word, though its stem is spelt like one.
    assert phrase_terms("hers her") == ["her", "~her"]
    assert [split_phrase_term(t) for t in phrase_terms("hers her")] == [
        ("her", False),
        ("her", True),
    ]


def test_query_side_can_keep_stop_words_marked() -> None:
    analyzer = text_analyzer()
    tokens = [(t.text, t.stopped) for t in analyzer("the rugby", mode="query", removestops=False)]
    assert tokens == [("the", True), ("rugbi", False)]


def test_curly_quotes_do_not_join_words() -> None:
    assert terms("“Rugby” ‘cricket’") == terms("rugby cricket")


def test_name_analyzer_folds_without_stemming() -> None:
    assert [t.text for t in name_analyzer()("Tāmaki Makaurau Elections")] == [
        "tamaki",
        "makaurau",
        "elections",
    ]


def test_fold() -> None:
    assert fold("Ōtautahi’s") == "otautahi's"
