"""The search API of the index: the only module that runs Whoosh queries.

One `Searcher` per process, shared by threads. Whoosh readers are not thread-safe, so the
work on the open index is serialised by a lock; that work is bounded by the query's
WorkBudget (index.limits), and what needs no reader runs outside the lock: reading the
query text, and filling the page's hits from the archive with their snippets. The
Searcher keeps one index generation and the archive open (index.live): within a second it
notices a swapped-in index, an update's commit or an archive file moved over the old one,
and switches without a restart; a damaged index or archive raises IndexDamaged or
ArchiveError (the web's 503s). Parsing, matching, ranking, facets and snippets are
index.engine's.

Date drill-down: the year facet counts over all years (so another year can be picked),
the month facet over the chosen year, the day facet over the chosen month; every other
facet counts over the final filtered match set (tags and authors too: the first FACET_TOP
of them; `facet_values` gives all). The timeline is the deepest of the date facets,
normalised and compared with other queries when asked (index.engine.timelines). Exports
take every match's id in order (`ordered_ids`) and read the archive themselves.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from crawler.archive import ArchiveLocation
from index.engine.budget import WorkBudget
from index.engine.docsets import query_docs
from index.engine.explain import explain, machine_form
from index.engine.facets import Columns
from index.engine.query import ParsedQuery, positive_terms, resolve
from index.engine.ranking import ordered, top_pages
from index.engine.requests import Period, validate_request
from index.engine.setops import union
from index.engine.suggest import Speller, Texts, article_text
from index.engine.syntax import parse_syntax
from index.engine.timelines import fill_timelines
from index.hits import make_hit
from index.live import Generation, LiveArchive, LiveIndex, storage_faults
from index.model import (
    FACET_TOP,
    FacetValue,
    Hit,
    InvalidRequest,
    SearchRequest,
    SearchResult,
)
from index.ondisk.schema import CONTENT

logger = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0  # seconds between looks for a swapped-in index or a replaced archive
RELATED_TERMS = 5  # key terms of an article that find related ones (Whoosh's more_like: 5)
RANKED_FIELDS = (CONTENT, "title", "standfirst")


class Searcher:
    """Answers SearchRequests from the live index under `index_dir`."""

    def __init__(
        self,
        index_dir: Path,
        archive_path: ArchiveLocation,
        *,
        show_premium_text: bool = False,
        label_facets: bool = True,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.label_facets = label_facets  # tag and author facets (off: bench.facets' baseline)
        self.archive_path = archive_path  # a SQLite file, or a postgresql:// URL
        self.show_premium_text = show_premium_text
        self._lock = threading.RLock()
        self._archive_lock = threading.Lock()
        self.live = LiveIndex(self.index_dir)
        self._archive = LiveArchive(self.archive_path)

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self.live.close()
            with self._archive_lock:
                self._archive.close()

    def _current(self) -> Generation:
        """The open generation, switching to a newer index when one appeared (under the lock)."""
        return self.live.current(CHECK_INTERVAL)

    def _articles(self, ids: list[str]) -> dict[str, dict]:
        with self._archive_lock:
            return self._archive.get_many(ids, CHECK_INTERVAL)  # type: ignore[return-value]

    def drop_caches(self) -> None:
        """Forget cached postings (benchmarks use this to measure cold queries)."""
        with self._lock:
            if self.live.gen is not None:
                self.live.gen.ranker.cache.clear()

    @storage_faults
    def doc_count(self) -> int:
        with self._lock:
            return self._current().searcher.doc_count()

    @storage_faults
    def health(self) -> dict[str, object]:
        """Read the live index for real (see LiveIndex.health); raises IndexUnavailable."""
        with self._lock:
            return self.live.health()

    # -- search ----------------------------------------------------------------------------

    @storage_faults
    def search(self, request: SearchRequest) -> SearchResult:
        """Answer one request (raises InvalidRequest or IndexUnavailable)."""
        period = validate_request(request)
        trees = [parse_syntax(q) for q in (request.q, *request.compare)]  # outside the lock
        with self._lock:
            gen = self._current()
            reader = gen.searcher.reader()
            parsed = self._resolve(gen, trees[0])
            mask = gen.columns.base_mask(request)
            base = self._matching(gen, parsed, mask)
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
            compared = dict(zip(request.compare, trees[1:], strict=True))
            fill_timelines(
                result,
                gen.columns,
                request,
                period,
                mask,
                lambda words: self._matching(gen, self._resolve(gen, compared[words]), mask),
            )
            if parsed is not None:
                speller = Speller(reader, gen.vocab, self._spelling_source(gen))
                result.suggestion = speller.suggest(request.q, parsed, result.total)
        result.hits = self._hits(ids, _highlight_terms(parsed))
        return result

    @storage_faults
    def facet_values(self, request: SearchRequest, facet: str) -> list[FacetValue]:
        """Every value of the multi-valued `facet` ("tag" or "author") over the request's
        matches, most frequent first (the answer of `search` has the first FACET_TOP)."""
        period = validate_request(request)
        tree = parse_syntax(request.q)
        with self._lock:
            gen = self._current()
            if facet not in gen.columns.labels:
                raise InvalidRequest(f"no facet {facet!r}: one of {', '.join(gen.columns.labels)}")
            final = self._final(gen, self._resolve(gen, tree), request, period)
            return gen.columns.labels[facet].count(gen.columns.docset(final))

    @storage_faults
    def ordered_ids(self, request: SearchRequest) -> np.ndarray:
        """The ids of every match (page and page_size ignored), in the request's order, as
        an array of 26-byte ASCII strings: what an export streams, taken in one step under
        the lock so the archive can then be read without it."""
        period = validate_request(request)
        tree = parse_syntax(request.q)
        with self._lock:
            gen = self._current()
            parsed = self._resolve(gen, tree)
            final = self._final(gen, parsed, request, period)
            terms = _rank_terms(parsed)
            ranker = gen.ranker if terms and request.sort == "relevance" else None
            order = ordered(
                final, terms, ranker, gen.columns.published, request.sort, 0, final.size
            )
            return gen.columns.ids[order]

    def _resolve(self, gen: Generation, tree: object) -> ParsedQuery | None:
        reader = gen.searcher.reader()
        return resolve(tree, gen.searcher.schema, gen.vocab, reader, WorkBudget())

    def _final(
        self, gen: Generation, parsed: ParsedQuery | None, req: SearchRequest, period: Period
    ) -> np.ndarray:
        """Sorted doc numbers matching the query, every filter and the drill-down period."""
        base = self._matching(gen, parsed, gen.columns.base_mask(req))
        return base[period.mask(gen.columns, base)] if period.level else base

    def _matching(
        self, gen: Generation, parsed: ParsedQuery | None, mask: np.ndarray
    ) -> np.ndarray:
        """Sorted doc numbers matching the query among those `mask` lets through (every
        filter but the date drill-down: Columns.base_mask)."""
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
        counted = cols.docset(final)
        result.facets = cols.single_facets(counted)
        if base is not final:  # the year facet counts over every year
            result.facets["year"] = cols.years(cols.docset(base))
        if period.year is not None:
            in_year = base[cols.year_of(base) == period.year]
            result.facets["month"] = cols.months(in_year)
        if period.month is not None:
            in_month = base[cols.month_of(base) == period.month]
            result.facets["day"] = cols.days(in_month)
        for facet, coded in cols.labels.items() if self.label_facets else ():
            result.facets[facet] = coded.count(counted, limit=FACET_TOP)

    # -- the words of a search, for the article page ---------------------------------------

    @storage_faults
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

    @storage_faults
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
