"""Searching a real index: query syntax, leniency, filters, facets, sorts, pages, snippets."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import numpy as np
import pytest
from whoosh import index as whoosh_index

from index.engine.cache import PostingsCache
from index.engine.ranking import SPARSE_SHARE, Ranker
from index.maintain.build import rebuild
from index.model import IndexUnavailable, InvalidRequest, SearchRequest
from index.ondisk.analysis import text_analyzer
from index.ondisk.schema import nz_day
from index.search import Searcher
from tests.index_support import article, fill_archive

ZORBLAT = {"HMPHRASE1", "HMPHRASE2", "HMRUNNING", "HMHOSTILE"}
HOSTILE_QUERIES = [
    '"unbalanced quote',
    "((rugby",
    "rugby))",
    "AND",
    "OR OR",
    "NOT",
    "-",
    "title:",
    ":",
    "foo:bar",
    "section:",
    "*",
    "?",
    "a*",
    "**",
    '""',
    "rugby^^2",
    "[a TO",
    "{}",
    "\\",
    "x" * 10_000,
    "rugby " * 2000,
    "\x00\x01\x02 rugby \x7f",
    "‘’“”",
    "AND OR NOT (",
    "~~~",
    "rugby AND",
    "OR cricket",
    "title:(rugby",
    'author:"',
    "tag:*",
    "-(-(-(",
    "🏉 rugby",
]


def short(article_id: str) -> str:
    return article_id.rstrip("0")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    data = tmp_path_factory.mktemp("index-search")
    articles = fill_archive(data / "archive.sqlite3")
    rebuild(data / "archive.sqlite3", data / "index", procs=1)
    searcher = Searcher(data / "index", data / "archive.sqlite3")
    yield searcher, {a["id"]: a for a in articles}
    searcher.close()


def ids(searcher: Searcher, q: str, **kw: object) -> set[str]:
    result = searcher.search(SearchRequest(q=q, page_size=100, **kw))
    assert result.total <= 100
    return {short(h.id) for h in result.hits}


def test_stemming_finds_other_forms(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "zorblat run") == {"HMRUNNING"}
    assert ids(searcher, "quorvex elections") == ids(searcher, "quorvex election") == {"HMELECT"}


def test_macrons_and_case_fold_both_ways(corpus) -> None:
    searcher, _ = corpus
    assert "HMWHANGAREI" in ids(searcher, "WHANGAREI flooding")
    assert ids(searcher, "whangarei flooding closes") == ids(searcher, "Whangārei flooding closes")
    assert ids(searcher, "rugby’s residents") == ids(searcher, "rugby residents") != set()


def test_phrases_and_curly_quotes(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "prime minister zorblat") == {"HMPHRASE1", "HMPHRASE2"}
    assert ids(searcher, '"prime minister" zorblat') == {"HMPHRASE1"}
    assert ids(searcher, "“prime minister” zorblat") == {"HMPHRASE1"}


def test_or_and_exclusion(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "zorblat OR quorvex") == ZORBLAT | {"HMELECT", "HMTITLE"}
    assert ids(searcher, "zorblat -reversed") == ZORBLAT - {"HMPHRASE2"}
    assert ids(searcher, "zorblat NOT reversed") == ZORBLAT - {"HMPHRASE2"}


def test_field_queries(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "title:running zorblat") == {"HMRUNNING"}
    assert ids(searcher, "title:reversed") == {"HMPHRASE2"}
    assert ids(searcher, "author:quillfeather") == {"HMRUNNING"}
    assert ids(searcher, "tag:Quillsport") == {"HMRUNNING"}
    assert ids(searcher, "zorblat section:rugby") == {"HMRUNNING"}
    assert ids(searcher, "zorblat source:ap") == {"HMRUNNING"}
    assert ids(searcher, "club:zorblat running") == {"HMRUNNING"}  # unknown field: a word


def test_wildcards_are_folded(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "Zorbl*") == ZORBLAT
    assert ids(searcher, "ZÖRBL*") == ZORBLAT


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_queries_get_an_answer_or_a_reason(corpus, q: str) -> None:
    searcher, _ = corpus
    try:
        result = searcher.search(SearchRequest(q=q, page_size=5))
    except InvalidRequest as exc:
        reason = str(exc)
    else:
        reason = "answered"
        assert result.total >= 0
        assert len(result.hits) <= 5
    assert len(reason) > 20 or reason == "answered"  # a reason a person can act on


def _content_terms(a) -> set[str]:
    text = f"{a['title']}\n{a['standfirst']}\n{a['body']}"
    return {t.text for t in text_analyzer()(text)}


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("", {}),
        ("rugby", {}),
        ("police court", {"section": "New Zealand"}),
        ("", {"premium": True, "year": 2024}),
        ("government", {"source": "Reuters", "date_from": date(2015, 1, 1)}),
        ("", {"month": "2022-10"}),
        ("minister", {"section": "sport", "subsection": "Rugby", "date_to": date(2023, 12, 31)}),
    ],
)
def test_totals_and_facets_equal_a_brute_force_count(corpus, q: str, filters: dict) -> None:
    searcher, articles = corpus
    wanted = {t.text for t in text_analyzer()(q)}
    lo, hi = filters.get("date_from", date.min), filters.get("date_to", date.max)

    def keep(a) -> bool:
        day = nz_day(a["published"])
        return (
            wanted <= _content_terms(a)
            and filters.get("section", a["section"]).lower() == a["section"].lower()
            and filters.get("subsection", a["subsection"]) == a["subsection"]
            and filters.get("source", a["source"]) == a["source"]
            and filters.get("premium", a["premium"]) == a["premium"]
            and lo <= day <= hi
            and filters.get("year", day.year) == day.year
            and filters.get("month", f"{day:%Y-%m}") == f"{day:%Y-%m}"
        )

    expected = [a for a in articles.values() if keep(a)]
    result = searcher.search(SearchRequest(q=q, page_size=10, **filters))
    assert result.total == len(expected)
    assert {f.value: f.count for f in result.facets["section"]} == Counter(
        a["section"] for a in expected
    )
    assert {f.value: f.count for f in result.facets["source"]} == Counter(
        a["source"] for a in expected
    )
    if "month" in filters:
        days = Counter(nz_day(a["published"]).isoformat() for a in expected)
        assert {f.value: f.count for f in result.facets["day"]} == days
        assert [bar.period for bar in result.timeline] == sorted(days)


def test_year_facet_and_timeline_drill_down(corpus) -> None:
    searcher, articles = corpus
    years = Counter(str(nz_day(a["published"]).year) for a in articles.values())
    result = searcher.search(SearchRequest())
    assert {f.value: f.count for f in result.facets["year"]} == years
    assert [(b.period, b.count) for b in result.timeline] == sorted(years.items())
    assert "month" not in result.facets
    in_year = searcher.search(SearchRequest(year=2022))
    assert in_year.total == years["2022"]
    assert sum(f.count for f in in_year.facets["month"]) == years["2022"]
    assert all(b.period.startswith("2022-") for b in in_year.timeline)


def test_nz_day_at_the_utc_boundary(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "zorblat", day="2022-10-11") == {"HMPHRASE1", "HMRUNNING"}
    assert ids(searcher, "zorblat", day="2022-10-10") == {"HMPHRASE2"}
    assert ids(searcher, "quorvex", year=2023, month="2023-07") == {"HMELECT"}
    assert ids(searcher, "zorblat", date_from=date(2022, 10, 11), date_to=date(2022, 10, 11)) == {
        "HMPHRASE1",
        "HMRUNNING",
    }


def test_author_and_premium_filters(corpus) -> None:
    searcher, _ = corpus
    assert ids(searcher, "zorblat", author="mere quillfeather") == {"HMRUNNING"}
    assert ids(searcher, "zorblat", premium=True) == {"HMRUNNING"}
    assert ids(searcher, "zorblat", section="No such section") == set()


def test_did_you_mean(corpus) -> None:
    searcher, _ = corpus
    assert searcher.search(SearchRequest(q="zorblatt running")).suggestion == "zorblat running"
    assert searcher.search(SearchRequest(q="zorblat running")).suggestion is None
    # Field names are syntax, not misspelt words ("title:" once became "time:").
    assert searcher.search(SearchRequest(q="title:zorblat")).suggestion is None
    assert searcher.search(SearchRequest(q="tag:zorblat zorblatt")).suggestion == (
        "tag:zorblat zorblat"
    )


def test_relevance_ranks_title_matches_first(corpus) -> None:
    searcher, _ = corpus
    result = searcher.search(SearchRequest(q="quorvex"))
    assert short(result.hits[0].id) == "HMTITLE"
    assert result.total == 4


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts(corpus, sort: str) -> None:
    searcher, _ = corpus
    hits = searcher.search(SearchRequest(q="minister", sort=sort, page_size=50)).hits
    stamps = [h.published for h in hits]
    assert len(stamps) > 5
    assert stamps == sorted(stamps, reverse=(sort == "newest"))


def test_empty_query_browses_newest_first_with_lead_snippets(corpus) -> None:
    searcher, articles = corpus
    result = searcher.search(SearchRequest(page_size=5))
    assert result.total == len(articles)
    newest = sorted(articles.values(), key=lambda a: a["published"], reverse=True)[0]
    assert result.hits[0].published == newest["published"]
    assert all("<mark>" not in h.snippet and h.snippet for h in result.hits)


def test_pages_are_disjoint_and_cover_everything(corpus) -> None:
    searcher, articles = corpus
    seen: list[str] = []
    for page in range(1, 100):
        result = searcher.search(SearchRequest(q="", page=page, page_size=97))
        if not result.hits:
            break
        seen += [h.id for h in result.hits]
    assert len(seen) == len(set(seen)) == len(articles)
    first = searcher.search(SearchRequest(q="rugby", page_size=10))
    second = searcher.search(SearchRequest(q="rugby", page=2, page_size=10))
    assert first.total == second.total > 20
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_snippets_mark_words_and_escape_html(corpus) -> None:
    searcher, _ = corpus
    hit = searcher.search(SearchRequest(q="bold zorblat")).hits[0]
    assert "<mark>bold</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert hit.title.startswith("Zorblat <script>")  # raw text; escaping is the page's job
    whanga = searcher.search(SearchRequest(q="whangarei residents")).hits[0]
    assert "<mark>Whangārei</mark>" in whanga.snippet


@pytest.mark.parametrize(
    "request_kw",
    [
        {"date_from": date(2022, 1, 2), "date_to": date(2022, 1, 1)},
        {"sort": "random"},
        {"page": 0},
        {"page_size": 0},
        {"page_size": 101},
        {"year": 2022, "month": "2021-05"},
        {"month": "2022-13"},
        {"month": "2022-10", "day": "2022-11-01"},
        {"day": "yesterday"},
    ],
)
def test_invalid_requests_say_why(corpus, request_kw: dict) -> None:
    searcher, _ = corpus
    with pytest.raises(InvalidRequest, match=r"\w+"):
        searcher.search(SearchRequest(**request_kw))


def test_related_articles(corpus) -> None:
    searcher, articles = corpus
    some_id = next(i for i in articles if not i.startswith("HM"))
    related = searcher.related(some_id, limit=3)
    assert 0 < len(related) <= 3
    assert some_id not in {h.id for h in related}
    assert searcher.related(article("NOPE")["id"]) == []
    # The made-up words of the "zorblat" articles are their key terms: they find each other.
    zorblat = searcher.related(article("HMPHRASE1")["id"], limit=3)
    assert {short(h.id) for h in zorblat} <= {"HMPHRASE2", "HMRUNNING", "HMTITLE", "HMELECT"}
    assert len(zorblat) == 3


def test_concurrent_searches_agree(corpus) -> None:
    searcher, _ = corpus
    expected = searcher.search(SearchRequest(q="rugby", page_size=20))
    outcomes: list[bool] = []

    def work() -> None:
        for _ in range(5):
            got = searcher.search(SearchRequest(q="rugby", page_size=20))
            outcomes.append(got.total == expected.total and got.hits == expected.hits)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [True] * 20


def test_no_index_is_unavailable(tmp_path) -> None:
    searcher = Searcher(tmp_path / "index", tmp_path / "archive.sqlite3")
    with pytest.raises(IndexUnavailable):
        searcher.search(SearchRequest(q="rugby"))
    searcher.close()


def test_small_match_sets_score_exactly_like_the_whole_index(tmp_path) -> None:
    fill_archive(tmp_path / "archive.sqlite3", synth=400)
    report = rebuild(tmp_path / "archive.sqlite3", tmp_path / "index", procs=1)
    with whoosh_index.open_dir(report.build_dir).searcher() as searcher:
        ranker = Ranker(searcher, PostingsCache(searcher))
        terms = ["polic", "rugbi", "zorblat", "nosuchword"]
        whole = ranker.scores(terms)
        assert whole.size == searcher.doc_count_all()
        assert whole.max() > 0
        for docs in (np.arange(0, whole.size, 37), np.flatnonzero(whole)[:10], np.arange(3)):
            assert docs.size * SPARSE_SHARE < whole.size  # the document-by-document path
            assert np.array_equal(ranker.scores(terms, docs), whole[docs])
        everything = np.arange(whole.size)
        assert np.array_equal(ranker.scores(terms, everything), whole)
