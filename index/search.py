"""The search API of the index: the only module that runs Whoosh queries.

One `Searcher` per process, shared by threads. Whoosh readers are not thread-safe, so the
work on the open index is serialised by a lock; that work is bounded by the query's
WorkBudget (index.limits), and what needs no reader runs outside the lock: reading the
query text, and filling the page's hits from the archive with their snippets. The
Searcher keeps one Whoosh searcher open, notices at most once a second when a rebuild
swapped in a new index (or an update committed) and switches without a restart.
Parsing, matching, ranking, facets and snippets are index.engine's.

Date drill-down: the year facet counts over all years (so another year can be picked),
the month facet over the chosen year, the day facet over the chosen month; every other
facet counts over the final filtered match set. The timeline is the deepest of those.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.searching import Searcher as WhooshSearcher

from crawler.archive import ArchiveLocation, ArchiveStore, open_archive
from index.engine.budget import WorkBudget
from index.engine.cache import PostingsCache
from index.engine.docsets import query_docs
from index.engine.explain import explain, machine_form
from index.engine.facets import Columns
from index.engine.query import ParsedQuery, positive_terms, resolve
from index.engine.ranking import Ranker, top_pages
from index.engine.requests import Period, validate_request
from index.engine.setops import union
from index.engine.suggest import Speller, Texts, article_text
from index.engine.syntax import parse_syntax
from index.engine.vocab import Vocabulary
from index.hits import make_hit
from index.layout import FORMAT, current_build, current_target, format_of
from index.model import Hit, IndexUnavailable, SearchRequest, SearchResult, TimelineBar
from index.ondisk.analysis import value_key
from index.ondisk.schema import CONTENT

logger = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0  # seconds between checks for a newly swapped-in index
RELATED_TERMS = 5  # key terms of an article that find related ones (Whoosh's more_like: 5)
RANKED_FIELDS = (CONTENT, "title", "standfirst")


@dataclass(frozen=True)
class Generation:
    """One open index generation: everything a query reads, replaced together."""

    searcher: WhooshSearcher
    columns: Columns
    ranker: Ranker
    vocab: Vocabulary


class Searcher:
    """Answers SearchRequests from the live index under `index_dir`."""

    def __init__(
        self, index_dir: Path, archive_path: ArchiveLocation, *, show_premium_text: bool = False
    ) -> None:
        self.index_dir = Path(index_dir)
        self.archive_path = archive_path  # a SQLite file, or a postgresql:// URL
        self.show_premium_text = show_premium_text
        self._lock = threading.RLock()
        self._archive_lock = threading.Lock()
        self._target: str | None = None
        self._ix: whoosh_index.Index | None = None
        self._gen: Generation | None = None
        self._checked = 0.0
        self._archive: ArchiveStore | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._drop()
            with self._archive_lock:
                if self._archive is not None:
                    self._archive.close()
                    self._archive = None

    def _drop(self) -> None:
        if self._gen is not None:
            self._gen.searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._ix = self._gen = self._target = None

    def _open(self, build_dir: Path) -> None:
        found = format_of(build_dir)
        if found != FORMAT:
            # Older builds pickled classes this version no longer has: never unpickle them.
            raise IndexUnavailable(
                f"the index at {self.index_dir} was built by an older version (format {found}, "
                f"this version reads {FORMAT}): run `python -m index.rebuild`"
            )
        ix = whoosh_index.open_dir(build_dir)
        searcher = ix.searcher()
        cache = PostingsCache(searcher)
        vocab = Vocabulary(searcher.reader(), build_dir)
        gen = Generation(searcher, Columns(searcher), Ranker(searcher, cache), vocab)
        self._drop()
        self._ix, self._gen, self._target = ix, gen, build_dir.name
        logger.info("opened index %s (%d documents)", build_dir, searcher.doc_count())

    def _current(self) -> Generation:
        """The open generation, switching to a newer index when one appeared (under the lock)."""
        now = time.monotonic()
        if self._gen is None or now - self._checked >= CHECK_INTERVAL:
            self._checked = now
            target = current_target(self.index_dir)
            if target is None or current_build(self.index_dir) is None:
                if self._gen is None:
                    raise IndexUnavailable(f"no index at {self.index_dir}; run index.rebuild")
            elif target != self._target or not self._gen.searcher.up_to_date():
                # a rebuild swapped in a new build, or an incremental update committed
                self._open(self.index_dir / target)
        assert self._gen is not None
        return self._gen

    def _articles(self, ids: list[str]) -> dict[str, dict]:
        with self._archive_lock:
            if self._archive is None:
                self._archive = open_archive(self.archive_path, readonly=True)
            return self._archive.get_many(ids)  # type: ignore[return-value]

    def drop_caches(self) -> None:
        """Forget cached postings (benchmarks use this to measure cold queries)."""
        with self._lock:
            if self._gen is not None:
                self._gen.ranker.cache.clear()

    def doc_count(self) -> int:
        with self._lock:
            return self._current().searcher.doc_count()

    # -- search ----------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Answer one request (raises InvalidRequest or IndexUnavailable)."""
        period = validate_request(request)
        tree = parse_syntax(request.q)  # no reader needed: outside the lock
        with self._lock:
            gen = self._current()
            reader = gen.searcher.reader()
            parsed = resolve(tree, gen.searcher.schema, gen.vocab, reader, WorkBudget())
            base = self._matching(gen, parsed, request)
            final = base[period.mask(gen.columns, base)] if period.level else base
            result = SearchResult(
                query=request.q,
                total=int(final.size),
                page=request.page,
                page_size=request.page_size,
                interpreted=explain(parsed, request, gen.vocab, reader),
                parsed=machine_form(parsed),
            )
            ranked = self._page(gen, parsed, request, final)
            ids = [gen.searcher.stored_fields(d)["id"] for d in ranked]
            self._facets(result, gen.columns, base, final, period)
            if parsed is not None:
                speller = Speller(reader, gen.vocab, self._spelling_source(gen))
                result.suggestion = speller.suggest(request.q, parsed, result.total)
        result.hits = self._hits(ids, _highlight_terms(parsed))
        return result

    def _matching(
        self, gen: Generation, parsed: ParsedQuery | None, req: SearchRequest
    ) -> np.ndarray:
        """Sorted doc numbers matching the query and all filters but the date drill-down."""
        mask = gen.columns.base_mask(req)
        if req.author:
            allowed = gen.ranker.cache.get("author_key", value_key(req.author))[0]
            author_mask = np.zeros(gen.columns.size, bool)
            author_mask[allowed] = True
            mask &= author_mask
        if parsed is None:
            return np.flatnonzero(mask)
        docs = query_docs(gen.searcher, parsed.match, gen.ranker.cache)
        return docs[mask[docs]]

    def _page(
        self, gen: Generation, parsed: ParsedQuery | None, req: SearchRequest, docs: np.ndarray
    ) -> list[int]:
        """The doc numbers of the requested page, in the requested order."""
        start, stop = (req.page - 1) * req.page_size, req.page * req.page_size
        if start >= docs.size:
            return []
        terms = _rank_terms(parsed)
        if terms and req.sort == "relevance":
            assert parsed is not None
            return gen.ranker.top(docs, terms, start, stop, parsed.content_frequencies())
        # Newest first unless "oldest"; ties broken by document number for stable paging.
        published = gen.columns.published[docs]
        return top_pages(docs, published if req.sort == "oldest" else -published, start, stop)

    def _hits(self, ids: list[str], terms: set[str]) -> list[Hit]:
        articles = self._articles(ids)
        # Indexed but no longer archived: skipped rather than failed.
        return [make_hit(articles[i], terms, self.show_premium_text) for i in ids if i in articles]

    def _spelling_source(self, gen: Generation) -> Texts:
        """Texts of articles holding a word in a dictionary field, to read its spelling."""

        def texts(dictionary: str, folded: str, limit: int) -> list[str]:
            docs = gen.ranker.cache.get(dictionary, folded)[0][:limit]
            ids = [gen.searcher.stored_fields(int(d))["id"] for d in docs]
            return [article_text(a, dictionary) for a in self._articles(ids).values()]

        return texts

    def _facets(
        self,
        result: SearchResult,
        cols: Columns,
        base: np.ndarray,
        final: np.ndarray,
        period: Period,
    ) -> None:
        result.facets = {
            "section": cols.section.count(final),
            "subsection": cols.subsection.count(final),
            "source": cols.source.count(final),
            "premium": cols.premium_counts(final),
            "year": cols.years(base),
        }
        if period.year is not None:
            in_year = base[cols.year_of(base) == period.year]
            result.facets["month"] = cols.months(in_year)
        if period.month is not None:
            in_month = base[cols.month_of(base) == period.month]
            result.facets["day"] = cols.days(in_month)
        level = "day" if "day" in result.facets else "month" if "month" in result.facets else "year"
        result.timeline = [TimelineBar(f.value, f.count) for f in result.facets[level]]

    # -- the words of a search, for the article page ---------------------------------------

    def highlight_terms(self, q: str) -> set[str]:
        """The analysed words a query asks for (not those it excludes), to mark in a text;
        empty for an empty query. Raises InvalidRequest as search() would."""
        tree = parse_syntax(q)
        with self._lock:
            gen = self._current()
            reader = gen.searcher.reader()
            parsed = resolve(tree, gen.searcher.schema, gen.vocab, reader, WorkBudget())
        return _highlight_terms(parsed)

    # -- more like this --------------------------------------------------------------------

    def related(self, article_id: str, limit: int = 5) -> list[Hit]:
        """Articles most like `article_id`, best first: BM25F over its key terms (the words
        Whoosh's Bo1 model picks from its text, as Whoosh's more_like does)."""
        with self._lock:
            gen = self._current()
            docnum = gen.searcher.document_number(id=article_id)
            article = self._articles([article_id]).get(article_id)
            if docnum is None or article is None:
                return []
            text = f"{article['title']}\n{article['standfirst']}\n{article['body']}"
            searcher = gen.searcher
            terms = [t for t, _ in searcher.key_terms_from_text(CONTENT, text, RELATED_TERMS)]
            cache, cols = gen.ranker.cache, gen.columns
            docs = union([cache.get(CONTENT, t)[0] for t in terms], cols.size)
            docs = docs[cols.live[docs] & (docs != docnum)]
            ranked = gen.ranker.top(docs, terms, 0, limit)
            ids = [searcher.stored_fields(d)["id"] for d in ranked]
        return self._hits(ids, set())


def _rank_terms(parsed: ParsedQuery | None) -> list[str]:
    if parsed is None:
        return []
    return list(dict.fromkeys(positive_terms(parsed.match, RANKED_FIELDS)))


def _highlight_terms(parsed: ParsedQuery | None) -> set[str]:
    if parsed is None:
        return set()
    return set(positive_terms(parsed.match, RANKED_FIELDS))
