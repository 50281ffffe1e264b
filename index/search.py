"""The search API of the index: the only module that runs Whoosh queries.

One `Searcher` per process, shared by threads (Whoosh readers are not thread-safe, so calls
are serialised by a lock). It keeps one Whoosh searcher open, notices at most once a second
when a rebuild swapped in a new index (or an update committed) and switches without a
restart. Parsing, matching, ranking, facets and snippets are index.engine's; this module
holds the open index and puts one answer together; hits are filled from the archive by id.

Date drill-down: the year facet counts over all years (so another year can be picked),
the month facet over the chosen year, the day facet over the chosen month; every other
facet counts over the final filtered match set. The timeline is the deepest of those.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.searching import Searcher as WhooshSearcher

from crawler.archive import ArchiveLocation, ArchiveStore, open_archive
from index.engine.cache import PostingsCache
from index.engine.docsets import query_docs
from index.engine.facets import Columns
from index.engine.query import ParsedQuery, make_parser, parse, positive_terms
from index.engine.ranking import Ranker, top_pages
from index.engine.requests import Period, validate_request
from index.engine.setops import union
from index.engine.snippets import lead, snippet
from index.engine.suggest import suggest
from index.layout import FORMAT, current_build, current_target, format_of
from index.model import Hit, IndexUnavailable, SearchRequest, SearchResult, TimelineBar
from index.ondisk.analysis import value_key
from index.ondisk.schema import CONTENT

logger = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0  # seconds between checks for a newly swapped-in index
SUGGEST_MAX_WORDS = 10
RELATED_TERMS = 5  # key terms of an article that find related ones (Whoosh's more_like: 5)


class Searcher:
    """Answers SearchRequests from the live index under `index_dir`."""

    def __init__(self, index_dir: Path, archive_path: ArchiveLocation) -> None:
        self.index_dir = Path(index_dir)
        self.archive_path = archive_path
        self._lock = threading.RLock()
        self._parser = make_parser()
        self._target: str | None = None
        self._ix: whoosh_index.Index | None = None
        self._searcher: WhooshSearcher | None = None
        self._columns: Columns | None = None
        self._ranker: Ranker | None = None
        self._checked = 0.0
        self._archive: ArchiveStore | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._drop()
            if self._archive is not None:
                self._archive.close()
                self._archive = None

    def _drop(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._searcher = self._ix = self._columns = self._ranker = None
        self._target = None

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
        columns, ranker = Columns(searcher), Ranker(searcher, cache)
        self._drop()
        self._ix, self._searcher, self._columns, self._ranker = ix, searcher, columns, ranker
        self._target = build_dir.name
        logger.info("opened index %s (%d documents)", build_dir, searcher.doc_count())

    def _current(self) -> tuple[WhooshSearcher, Columns]:
        """The open searcher, switching to a newer index when one appeared."""
        now = time.monotonic()
        if self._searcher is None or now - self._checked >= CHECK_INTERVAL:
            self._checked = now
            target = current_target(self.index_dir)
            if target is None or current_build(self.index_dir) is None:
                if self._searcher is None:
                    raise IndexUnavailable(f"no index at {self.index_dir}; run index.rebuild")
            elif target != self._target or not self._searcher.up_to_date():
                # a rebuild swapped in a new build, or an incremental update committed
                self._open(self.index_dir / target)
        assert self._searcher is not None
        assert self._columns is not None
        return self._searcher, self._columns

    def _archive_db(self) -> ArchiveStore:
        if self._archive is None:
            self._archive = open_archive(self.archive_path, readonly=True)
        return self._archive

    def drop_caches(self) -> None:
        """Forget cached postings (benchmarks use this to measure cold queries)."""
        with self._lock:
            if self._ranker is not None:
                self._ranker.cache.clear()

    def doc_count(self) -> int:
        with self._lock:
            return self._current()[0].doc_count()

    # -- search ----------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Answer one request (raises InvalidRequest or IndexUnavailable)."""
        period = validate_request(request)
        with self._lock:
            searcher, cols = self._current()
            parsed = parse(request.q, self._parser, searcher)
            base = self._matching(searcher, cols, parsed, request)
            final = base[period.mask(cols, base)] if period.level else base
            result = SearchResult(
                query=request.q,
                total=int(final.size),
                page=request.page,
                page_size=request.page_size,
                interpreted=parsed.interpreted if parsed else "",
            )
            ranked = self._page(cols, parsed, request, final)
            result.hits = self._hits(searcher, ranked, parsed)
            self._facets(result, cols, base, final, period)
            if parsed and len(parsed.words) <= SUGGEST_MAX_WORDS:
                result.suggestion = suggest(request.q, searcher.reader())
            return result

    def _matching(
        self,
        searcher: WhooshSearcher,
        cols: Columns,
        parsed: ParsedQuery | None,
        req: SearchRequest,
    ) -> np.ndarray:
        """Sorted doc numbers matching the query and all filters but the date drill-down."""
        mask = cols.base_mask(req)
        if req.author:
            assert self._ranker is not None
            allowed = self._ranker.cache.get("author_key", value_key(req.author))[0]
            author_mask = np.zeros(cols.size, bool)
            author_mask[allowed] = True
            mask &= author_mask
        if parsed is None:
            return np.flatnonzero(mask)
        assert self._ranker is not None
        docs = query_docs(searcher, parsed.match, self._ranker.cache)
        return docs[mask[docs]]

    def _page(
        self,
        cols: Columns,
        parsed: ParsedQuery | None,
        req: SearchRequest,
        docs: np.ndarray,
    ) -> list[int]:
        """The doc numbers of the requested page, in the requested order."""
        start, stop = (req.page - 1) * req.page_size, req.page * req.page_size
        if start >= docs.size:
            return []
        terms = _rank_terms(parsed)
        if terms and req.sort == "relevance":
            assert self._ranker is not None
            return self._ranker.top(docs, terms, start, stop)
        # Newest first unless "oldest"; ties broken by document number for stable paging.
        published = cols.published[docs]
        return top_pages(docs, published if req.sort == "oldest" else -published, start, stop)

    def _hits(
        self, searcher: WhooshSearcher, docnums: list[int], parsed: ParsedQuery | None
    ) -> list[Hit]:
        ids = [searcher.stored_fields(d)["id"] for d in docnums]
        articles = self._archive_db().get_many(ids)
        terms = _highlight_terms(parsed)
        hits = []
        for article_id in ids:
            a = articles.get(article_id)
            if a is None:  # indexed but no longer archived: skip rather than fail
                continue
            text = (
                snippet(a["body"], a["standfirst"], terms)
                if terms
                else lead(a["standfirst"] or a["body"])
            )
            hits.append(
                Hit(
                    id=a["id"],
                    title=a["title"],
                    url=a["url"],
                    section=a["section"],
                    subsection=a["subsection"],
                    authors=a["authors"],
                    source=a["source"],
                    published=a["published"],
                    premium=a["premium"],
                    snippet=text,
                    standfirst=a["standfirst"],
                )
            )
        return hits

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

    # -- more like this --------------------------------------------------------------------

    def related(self, article_id: str, limit: int = 5) -> list[Hit]:
        """Articles most like `article_id`, best first: BM25F over its key terms (the words
        Whoosh's Bo1 model picks from its text, as Whoosh's more_like does)."""
        with self._lock:
            searcher, cols = self._current()
            docnum = searcher.document_number(id=article_id)
            article = self._archive_db().get(article_id)
            if docnum is None or article is None:
                return []
            assert self._ranker is not None
            text = f"{article['title']}\n{article['standfirst']}\n{article['body']}"
            terms = [t for t, _ in searcher.key_terms_from_text(CONTENT, text, RELATED_TERMS)]
            cache = self._ranker.cache
            docs = union([cache.get(CONTENT, t)[0] for t in terms], cols.size)
            docs = docs[cols.live[docs] & (docs != docnum)]
            return self._hits(searcher, self._ranker.top(docs, terms, 0, limit), None)


def _rank_terms(parsed: ParsedQuery | None) -> list[str]:
    if parsed is None:
        return []
    return list(dict.fromkeys(positive_terms(parsed.match, (CONTENT, "title", "standfirst"))))


def _highlight_terms(parsed: ParsedQuery | None) -> set[str]:
    if parsed is None:
        return set()
    return set(positive_terms(parsed.match, (CONTENT, "title", "standfirst")))
