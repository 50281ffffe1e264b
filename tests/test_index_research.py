"""The index side of the research features: tag and author facets and filters, normalised
and compared timelines, and the ordered id list exports stream — each checked against a
brute-force count over the archive's own records."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

import index.ondisk.segments
from crawler.archive import Archive
from index.maintain.build import rebuild
from index.maintain.incremental import update
from index.model import FACET_TOP, InvalidRequest, SearchRequest
from index.ondisk.analysis import text_analyzer, value_key
from index.ondisk.schema import nz_day
from index.search import Searcher
from tests.index_support import article, fill_archive

EXTRA = [
    # The same tag spelled two ways, twice in one article: it counts once, under one value.
    article("TAGCASE1", tags=["Quillsport", "quillsport", "Harbour Works"], authors=["Ana Ru"]),
    article("TAGCASE2", tags=["Harbour works"], authors=["Ana Ru", "Bo Tipene"]),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    data = tmp_path_factory.mktemp("index-research")
    articles = fill_archive(data / "archive.sqlite3")
    with Archive(data / "archive.sqlite3") as archive:
        archive.upsert_many(EXTRA)
    rebuild(data / "archive.sqlite3", data / "index", procs=1)
    searcher = Searcher(data / "index", data / "archive.sqlite3")
    yield searcher, {a["id"]: a for a in [*articles, *EXTRA]}
    searcher.close()


def _terms(text: str) -> set[str]:
    return {t.text for t in text_analyzer()(text)}


def _matches(a, q: str) -> bool:
    return _terms(q) <= _terms(f"{a['title']}\n{a['standfirst']}\n{a['body']}")


def _label_counts(records, field: str) -> Counter:
    """Articles per label, labels compared by folded key, each article once per label."""
    counts: Counter = Counter()
    for a in records:
        counts.update({value_key(v) for v in a[field]})
    return counts


def _by_key(values) -> dict[str, int]:
    return {value_key(f.value): f.count for f in values}


@pytest.mark.parametrize("q", ["", "rugby", "police court"])
def test_tag_and_author_facets_count_each_article_once_per_value(corpus, q) -> None:
    searcher, articles = corpus
    expected = [a for a in articles.values() if _matches(a, q)]
    result = searcher.search(SearchRequest(q=q))
    for facet, field in (("tag", "tags"), ("author", "authors")):
        wanted = _label_counts(expected, field)
        top = result.facets[facet]
        assert len(top) == min(FACET_TOP, len(wanted))
        assert [f.count for f in top] == sorted(wanted.values(), reverse=True)[: len(top)]
        assert _by_key(top).items() <= wanted.items()
        assert _by_key(searcher.facet_values(SearchRequest(q=q), facet)) == wanted


def test_spellings_of_one_tag_are_one_value(corpus) -> None:
    searcher, _ = corpus
    values = searcher.facet_values(SearchRequest(q="", date_from=date(2020, 5, 5)), "tag")
    harbour = [f for f in values if value_key(f.value) == "harbour works"]
    assert len(harbour) == 1
    assert harbour[0].count == 2
    result = searcher.search(SearchRequest(tag="HARBOUR WORKS", page_size=100))
    assert {h.id[:8] for h in result.hits} == {"TAGCASE1", "TAGCASE2"}


def test_tag_and_author_filters_repeat_and_are_anded(corpus) -> None:
    searcher, articles = corpus

    def expect(tags=(), authors=()) -> int:
        return sum(
            1
            for a in articles.values()
            if {value_key(t) for t in tags} <= {value_key(t) for t in a["tags"]}
            and {value_key(x) for x in authors} <= {value_key(x) for x in a["authors"]}
        )

    tags = [f.value for f in searcher.search(SearchRequest()).facets["tag"][:2]]
    both = searcher.search(SearchRequest(tag=tuple(tags)))
    assert 0 < both.total == expect(tags)
    assert both.total < searcher.search(SearchRequest(tag=tags[0])).total
    assert searcher.search(SearchRequest(author=("Ana Ru", "Bo Tipene"))).total == 1
    assert searcher.search(SearchRequest(author="ana ru")).total == 2  # a str is one author
    assert searcher.search(SearchRequest(author="Ana Ru", tag="quillsport")).total == 1
    assert searcher.search(SearchRequest(tag=("Quillsport", "No such tag"))).total == 0


def test_facet_values_of_an_unknown_facet_is_an_invalid_request(corpus) -> None:
    searcher, _ = corpus
    with pytest.raises(InvalidRequest, match="no facet"):
        searcher.facet_values(SearchRequest(), "colour")


@pytest.mark.parametrize(
    ("q", "filters"),
    [("rugby", {}), ("police", {"section": "New Zealand"}), ("government", {"year": 2022})],
)
def test_share_is_count_over_the_volume_with_the_same_filters(corpus, q, filters) -> None:
    searcher, articles = corpus
    result = searcher.search(SearchRequest(q=q, norm="share", **filters))
    year = filters.get("year")

    def period(a) -> str:
        day = nz_day(a["published"])
        return f"{day:%Y-%m}" if year else str(day.year)

    def passes(a) -> bool:
        day = nz_day(a["published"])
        return filters.get("section", a["section"]) == a["section"] and year in (None, day.year)

    volume = Counter(period(a) for a in articles.values() if passes(a))
    counts = Counter(period(a) for a in articles.values() if passes(a) and _matches(a, q))
    assert result.timeline
    for bar in result.timeline:
        assert (bar.count, bar.volume) == (counts[bar.period], volume[bar.period])
        assert bar.share == pytest.approx(bar.count / bar.volume)
    # every period with an article, those without a match at a share of 0
    assert [b.period for b in result.timeline] == sorted(volume)
    plain = searcher.search(SearchRequest(q=q, **filters))
    assert all(b.volume is None and b.share is None for b in plain.timeline)


def test_compared_queries_share_periods_and_match_their_own_searches(corpus) -> None:
    searcher, _ = corpus
    queries = ("rugby", "police", "zorblat", "kererū")
    result = searcher.search(SearchRequest(q=queries[0], compare=queries[1:], norm="share"))
    assert [s.query for s in result.series] == list(queries)
    periods = [b.period for b in result.series[0].timeline]
    assert periods == sorted(periods)
    for series in result.series:
        alone = searcher.search(SearchRequest(q=series.query, norm="share"))
        assert series.total == alone.total
        assert [b.period for b in series.timeline] == periods  # the same periods for all
        by_period = {b.period: b for b in alone.timeline}
        for bar in series.timeline:
            own = by_period.get(bar.period)
            assert bar.count == (own.count if own else 0)
            if own:
                assert (bar.volume, bar.share) == (own.volume, own.share)
    assert not searcher.search(SearchRequest(q="rugby")).series


def test_compared_totals_follow_the_drill_down(corpus) -> None:
    searcher, _ = corpus
    result = searcher.search(SearchRequest(q="rugby", compare=("police",), year=2022))
    assert result.series[1].total == searcher.search(SearchRequest(q="police", year=2022)).total
    assert all(b.period.startswith("2022-") for b in result.series[1].timeline)


@pytest.mark.parametrize(
    ("q", "sort"),
    [("rugby", "relevance"), ("rugby", "oldest"), ("", "newest"), ("police", "newest")],
)
def test_ordered_ids_are_every_match_in_the_pages_order(corpus, q, sort) -> None:
    searcher, _ = corpus
    request = SearchRequest(q=q, sort=sort, page_size=100)
    ids = [i.decode() for i in searcher.ordered_ids(request)]
    total = searcher.search(request).total
    assert len(ids) == len(set(ids)) == total
    paged = []
    for page in range(1, -(-total // 100) + 1):
        paged += [
            h.id
            for h in searcher.search(SearchRequest(q=q, sort=sort, page=page, page_size=100)).hits
        ]
    assert ids == paged


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "old versions left deleted"])
def test_facets_survive_updates_and_merges(tmp_path, monkeypatch, merged) -> None:
    if not merged:  # the updates' segments stay apart: replaced versions stay, deleted
        monkeypatch.setattr(index.ondisk.segments, "MERGE_BELOW", 0)
    archive_path = tmp_path / "archive.sqlite3"
    articles = {a["id"]: a for a in fill_archive(archive_path, synth=120)}
    rebuild(archive_path, tmp_path / "index", procs=1)
    oldest = sorted(articles.values(), key=lambda a: a["updated"])[:7]  # newer versions win
    changed = [
        {**a, "tags": ["Plumbix", *a["tags"]], "updated": "2024-01-01T00:00:00Z"} for a in oldest
    ]
    added = article("NEWTAGS", tags=["Plumbix", "Brand new"], authors=["Nu Author"])
    for _ in range(3):  # several small updates: their segments merge
        with Archive(archive_path) as archive:
            archive.upsert_many([*changed, added])
        update(archive_path, tmp_path / "index")
        changed = [{**a, "updated": a["updated"].replace("T00", "T01")} for a in changed]
    articles.update({a["id"]: a for a in [*changed, added]})
    searcher = Searcher(tmp_path / "index", archive_path)
    try:
        for facet, field in (("tag", "tags"), ("author", "authors")):
            got = _by_key(searcher.facet_values(SearchRequest(), facet))
            assert got == _label_counts(articles.values(), field)
        assert searcher.search(SearchRequest(tag="plumbix")).total == 8
        # Sets holding most live documents are counted through the documents outside them
        # (index.engine.counting): the replaced versions, deleted, must count nowhere.
        free = [a for a in articles.values() if not a["premium"]]
        assert len(free) * 2 > len(articles)
        for request, expected in (
            (SearchRequest(), articles.values()),
            (SearchRequest(premium=False), free),
        ):
            result = searcher.search(request)
            assert result.total == len(expected)
            for facet, of in (
                ("section", lambda a: a["section"]),
                ("source", lambda a: a["source"]),
                ("year", lambda a: str(nz_day(a["published"]).year)),
                ("premium", lambda a: str(a["premium"]).lower()),
            ):
                got = {f.value: f.count for f in result.facets[facet]}
                assert got == Counter(map(of, expected)), facet
            tags = _label_counts(expected, "tags")  # the facet shows the top ones
            assert all(n == tags[key] for key, n in _by_key(result.facets["tag"]).items())
    finally:
        searcher.close()
