"""Bounded query cost: wildcards are looked up in per-segment vocabulary files written by
every build and update (and still answered exactly without them); a query over a limit of
the work budget is refused with a message naming it, before the work is done."""

from __future__ import annotations

import shutil

import pytest
from whoosh import index as whoosh_index

from crawler.archive import Archive
from index.engine.budget import WorkBudget
from index.engine.query import resolve
from index.engine.syntax import parse_syntax
from index.engine.vocab import Vocabulary
from index.layout import current_build
from index.limits import MAX_WILDCARD_TERMS
from index.maintain.build import rebuild
from index.maintain.incremental import update
from index.model import InvalidRequest, QueryTooCostly, SearchRequest
from index.ondisk.vocab import VOCAB_DIR
from index.search import Searcher
from tests.index_support import article, fill_archive
from tests.query_oracle import Oracle, Word

PATTERNS = ["zorbl*", "*blat", "*orbla*", "z?rblat", "quix*", "*xotron", "harb*", "*arbour"]


def segment_ids(build_dir) -> set[str]:
    ix = whoosh_index.open_dir(build_dir)
    try:
        with ix.reader() as reader:
            return {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
    finally:
        ix.close()


def vocab_dirs(build_dir) -> set[str]:
    return {p.name for p in (build_dir / VOCAB_DIR).iterdir()}


def all_ids(searcher: Searcher, q: str) -> set[str]:
    result = searcher.search(SearchRequest(q=q, page_size=100, sort="newest"))
    assert result.total <= 100
    return {h.id for h in result.hits}


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    """An index built from the test archive, then updated with one more article."""
    tmp_path = tmp_path_factory.mktemp("updated")
    archive_path, index_dir = tmp_path / "archive.sqlite3", tmp_path / "index"
    articles = fill_archive(archive_path, synth=150)
    rebuild(archive_path, index_dir, procs=1)
    build_dir = current_build(index_dir)
    before = vocab_dirs(build_dir)
    assert before == segment_ids(build_dir)
    extra = article("QUIXOTRON", title="Quixotron harbour", body="A quixotron zorblat arrives.")
    with Archive(archive_path) as archive:
        archive.upsert(extra)
    update(archive_path, index_dir)
    return tmp_path, [*articles, extra], before


def test_every_segment_gets_its_vocabulary_files(updated) -> None:
    tmp_path, _, before = updated
    build_dir = current_build(tmp_path / "index")
    assert vocab_dirs(build_dir) == segment_ids(build_dir)
    assert vocab_dirs(build_dir) - before  # the update's segment has its own


def test_wildcards_find_the_words_of_every_segment(updated) -> None:
    tmp_path, articles, _ = updated
    oracle = Oracle(articles)
    searcher = Searcher(tmp_path / "index", tmp_path / "archive.sqlite3")
    try:
        for pattern in PATTERNS:
            assert all_ids(searcher, pattern) == oracle.evaluate(Word("content", pattern)), pattern
    finally:
        searcher.close()


def test_without_vocabulary_files_wildcards_are_still_exact(updated, tmp_path) -> None:
    source, articles, _ = updated
    shutil.copytree(source / "index", tmp_path / "index", symlinks=True)
    shutil.rmtree(current_build(tmp_path / "index") / VOCAB_DIR)
    oracle = Oracle(articles)
    searcher = Searcher(tmp_path / "index", source / "archive.sqlite3")
    try:
        for pattern in PATTERNS:
            assert all_ids(searcher, pattern) == oracle.evaluate(Word("content", pattern)), pattern
    finally:
        searcher.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = tmp_path_factory.mktemp("limits")
    fill_archive(data / "archive.sqlite3")
    rebuild(data / "archive.sqlite3", data / "index", procs=1)
    return data


def test_a_wildcard_matching_too_many_words_is_refused(built) -> None:
    searcher = Searcher(built / "index", built / "archive.sqlite3")
    try:
        with pytest.raises(InvalidRequest, match=f"more than {MAX_WILDCARD_TERMS:,} different"):
            searcher.search(SearchRequest(q="*a OR t* OR k*"))  # ~3,000 words here
        assert searcher.search(SearchRequest(q="zorbl*")).total == 4  # and then it goes on
    finally:
        searcher.close()


@pytest.mark.parametrize(
    ("q", "budget", "says"),
    [
        # "police" is in fewer than 50 of the test articles: allow 10 entries.
        ("police", WorkBudget(max_postings=10), "more than 10 index entries"),
        ("zorblat OR police", WorkBudget(max_postings=10), "more than 10 index entries"),
        ("*ar*", WorkBudget(max_candidates=10), "more than 10 words of the dictionary"),
        ("zor* OR que* OR ha*", WorkBudget(max_terms=3), "more than 3 different words"),
    ],
)
def test_the_work_budget_refuses_before_reading(built, q, budget, says) -> None:
    build_dir = current_build(built / "index")
    ix = whoosh_index.open_dir(build_dir)
    with ix.searcher() as searcher:
        vocab = Vocabulary(searcher.reader(), build_dir)
        assert searcher.doc_frequency("content", "polic") > 10  # the budget is really exceeded
        with pytest.raises(QueryTooCostly, match=says):
            resolve(parse_syntax(q), searcher.schema, vocab, searcher.reader(), budget)
    ix.close()
