"""Queries mean exactly what they say: the engine agrees with a brute-force oracle
(tests/query_oracle.py) on pure exclusions, AND / OR / NOT in any nesting, field-scoped
exclusions and wildcards, up to the documented term limit; past it, a 400 naming the limit."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS
from index.maintain.build import rebuild
from index.model import InvalidRequest, SearchRequest
from index.ondisk.analysis import STOP_WORDS, words
from index.search import Searcher
from tests.index_support import fill_archive
from tests.query_oracle import And, Not, Or, Oracle, Word, render

# Words of several frequencies in the test archive (and one it lacks), per field.
WORDS = [
    Word("content", w)
    for w in ("rugby", "police", "court", "election", "zorblat", "quorvex", "harbour", "kererū")
] + [
    Word("content", "nosuchwordatall"),
    Word("title", "zorblat"),
    Word("title", "election"),
    Word("section", "sport"),
    Word("section", "zealand"),
    Word("author", "quillfeather"),
    Word("tag", "quillsport"),
    Word("source", "ap"),
    Word("content", "zorbl*"),
    Word("content", "elect*"),
    Word("content", "*arbour"),
    Word("content", "pol?c*"),
    Word("title", "zor*"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    data = tmp_path_factory.mktemp("query-semantics")
    articles = fill_archive(data / "archive.sqlite3")
    rebuild(data / "archive.sqlite3", data / "index", procs=1)
    searcher = Searcher(data / "index", data / "archive.sqlite3")
    yield searcher, Oracle(articles), articles
    searcher.close()


def found(searcher: Searcher, q: str) -> set[str]:
    """Every article the engine answers for `q` (all pages)."""
    ids: set[str] = set()
    page = 1
    while True:
        result = searcher.search(SearchRequest(q=q, sort="newest", page=page, page_size=100))
        ids |= {h.id for h in result.hits}
        if page * 100 >= result.total:
            assert len(ids) == result.total
            return ids
        page += 1


R, P, C, E = (Word("content", w) for w in ("rugby", "police", "court", "election"))
EXAMPLES = [
    ("-rugby", Not(R)),
    ("NOT rugby", Not(R)),
    ("-rugby -police", And((Not(R), Not(P)))),
    ("NOT rugby NOT police", And((Not(R), Not(P)))),
    ("election -rugby", And((E, Not(R)))),
    ("(police OR court) -rugby", And((Or((P, C)), Not(R)))),
    ("-section:sport", Not(Word("section", "sport"))),
    ("-title:zorblat", Not(Word("title", "zorblat"))),
    ("police -section:sport", And((P, Not(Word("section", "sport"))))),
    ("rugby OR -police", Or((R, Not(P)))),
    ("-(rugby police)", Not(And((R, P)))),
    ("rugby police OR court", And((R, Or((P, C))))),
    ("rugby AND police OR court", And((R, Or((P, C))))),
    ("NOT NOT rugby", R),
    ("--(rugby police)", And((R, P))),  # each `-` counts before a bracket too
    ("---(rugby police)", Not(And((R, P)))),
    (
        "title:(zorblat OR election) -police",
        And((Or((Word("title", "zorblat"), Word("title", "election"))), Not(P))),
    ),
    ("-zorbl*", Not(Word("content", "zorbl*"))),
]


@pytest.mark.parametrize(("q", "tree"), EXAMPLES, ids=[q for q, _ in EXAMPLES])
def test_examples_agree_with_the_oracle(corpus, q: str, tree: object) -> None:
    searcher, oracle, _ = corpus
    expected = oracle.evaluate(tree)
    assert 0 < len(expected) < len(oracle.everything) or q.startswith("-title")
    assert found(searcher, q) == expected


def test_signs_before_a_phrase_count_like_before_a_word(corpus) -> None:
    searcher, oracle, _ = corpus
    phrase = found(searcher, '"police said"')
    assert 0 < len(phrase) < len(oracle.everything)
    assert found(searcher, '--"police said"') == phrase
    assert found(searcher, '-"police said"') == oracle.everything - phrase


trees = st.recursive(
    st.sampled_from(WORDS),
    lambda children: st.one_of(
        st.builds(lambda c: And(tuple(c)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda c: Or(tuple(c)), st.lists(children, min_size=2, max_size=3)),
        st.builds(Not, children),
    ),
    max_leaves=6,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=trees, style=st.integers(0, 2**16))
def test_any_tree_agrees_with_the_oracle(corpus, tree: object, style: int) -> None:
    searcher, oracle, _ = corpus
    q = render(tree, random.Random(style))
    assert found(searcher, q) == oracle.evaluate(tree), q


def _raw_words(articles, n: int, skip: set[str]) -> list[str]:
    seen: dict[str, None] = {}
    for article in articles:
        for word in words(article["body"]):
            low = word.lower()
            if low.isalpha() and low not in STOP_WORDS and low not in skip and 3 < len(low) < 8:
                seen.setdefault(low)
    return list(seen)[:n]


def test_queries_up_to_the_term_limit_are_exact(corpus) -> None:
    searcher, oracle, articles = corpus
    rare = [f"zzq{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(64)]  # in no article
    police = oracle.evaluate(P)
    assert found(searcher, "police " + " ".join(f"-{w}" for w in rare)) == police
    many = _raw_words(articles, 65, set())
    union = oracle.evaluate(Or(tuple(Word("content", w) for w in many)))
    assert found(searcher, " OR ".join(many)) == union
    assert len(union) > len(oracle.evaluate(Word("content", many[0])))


def test_past_the_term_limit_is_a_400_naming_it(corpus) -> None:
    searcher, _, articles = corpus
    many = _raw_words(articles, MAX_QUERY_TERMS + 1, set())
    q = " ".join(many)
    assert len(q) <= MAX_QUERY_CHARS
    with pytest.raises(InvalidRequest, match=f"at most {MAX_QUERY_TERMS} can be searched"):
        searcher.search(SearchRequest(q=q))


def test_common_words_are_left_out_and_said_so(corpus) -> None:
    searcher, oracle, _ = corpus
    result = searcher.search(SearchRequest(q="the rugby"))
    assert result.total == len(oracle.evaluate(R))
    assert "“the”" in result.interpreted


@pytest.mark.parametrize(
    ("q", "reason"),
    [
        ("OR", "no words to search for"),
        ("-", "no words to search for"),
        ("()", "no words to search for"),
        ("the of", "no words to search for"),
        ("title:", "needs a word after it"),
        ("rugby author:", "needs a word after it"),
        ("*", "cannot be looked up"),
        ("?e*", "cannot be looked up"),
        ("covid-*", "within one word"),
        ('"counc*"', "wildcards do not work inside a quoted phrase"),
        ('title:"prime minist?r"', "wildcards do not work inside a quoted phrase"),
        ("(" * 30 + "rugby", "nested too deeply"),
        ("-(" * 30 + "rugby", "nested too deeply"),
        ("x" * 1001, "too long"),
    ],
)
def test_what_cannot_be_read_as_typed_is_a_400_saying_why(corpus, q: str, reason: str) -> None:
    searcher, _, _ = corpus
    with pytest.raises(InvalidRequest, match=reason):
        searcher.search(SearchRequest(q=q))


@pytest.mark.parametrize(
    ("q", "same_as"),
    [
        ('"prime minister zorblat', '"prime minister zorblat"'),  # an open quote closes at the end
        ("(police OR court", "(police OR court)"),  # so does an open bracket
        ("rugby))", "rugby"),  # a bracket closing nothing is ignored
        ("rugby OR", "rugby"),  # as is an OR with nothing after it
        ("AND rugby", "rugby"),
        ("rugby -", "rugby"),  # a lone dash is punctuation
        ("rugby NOT", "rugby"),
        ("club:zorblat running", "club zorblat running"),  # an unknown field is a word
        ("NOT NOT rugby", "rugby"),
        ("-" * 900 + "rugby", "rugby"),  # an even number of negations, however many
        ("NOT " * 199 + "rugby", "-rugby"),
        ("title:" * 150 + "zorblat", "title:zorblat"),
        ("zorblat:" * 40 + "rugby", "zorblat rugby"),
    ],
)
def test_lenient_readings_keep_the_meaning(corpus, q: str, same_as: str) -> None:
    searcher, _, _ = corpus
    assert found(searcher, q) == found(searcher, same_as)
