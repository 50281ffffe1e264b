"""The analyzer: the same words match however they are typed (case, macrons, quotes, stems)."""

from __future__ import annotations

import pytest

from index.ondisk.analysis import fold, name_analyzer, text_analyzer


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


def test_stop_words_removed_but_positions_follow() -> None:
    tokens = [
        (t.text, t.pos)
        for t in text_analyzer()("the prime minister of the country", positions=True)
    ]
    assert tokens == [("prime", 1), ("minist", 2), ("countri", 3)]


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
