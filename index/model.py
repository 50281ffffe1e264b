"""Plain request and result types of the search layer: what the web app sends and gets back.

No Whoosh types cross this boundary; everything here serialises to the JSON of DESIGN.md
with `dataclasses.asdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Re-exported for callers that import it from here; index.limits owns every limit.
from index.limits import MAX_COMPARE as MAX_COMPARE
from index.limits import MAX_PAGE_SIZE as MAX_PAGE_SIZE

SORTS = ("relevance", "newest", "oldest")
NORMS = ("share",)  # timeline normalisations: "share" = count / articles in the period

FACET_TOP = 50  # values of the tag and author facets in an answer (all: Searcher.facet_values)


class SearchError(Exception):
    """Base of the search layer's named errors."""


class InvalidRequest(SearchError, ValueError):
    """A request that cannot be answered as asked (e.g. `from` after `to`); the web answers 400."""


class InvalidQuery(InvalidRequest):
    """Query text that cannot be read without guessing; the message says how to fix it."""


class QueryTooCostly(InvalidRequest):
    """A query over the work budget of index.limits; the message names the limit."""


class IndexUnavailable(SearchError):
    """There is no readable index yet (never built, or the directory is missing)."""


class IndexDamaged(IndexUnavailable):
    """The live index's files cannot be read (truncated, overwritten, missing); the message
    names the build and file and says to rebuild."""


@dataclass(frozen=True)
class SearchRequest:
    """Everything a person or program can ask; all filters are ANDed."""

    q: str = ""
    section: str | None = None
    subsection: str | None = None
    source: str | None = None
    author: tuple[str, ...] = ()  # every one must be an author (a str is one author)
    tag: tuple[str, ...] = ()  # every one must be a tag
    premium: bool | None = None
    date_from: date | None = None  # New Zealand calendar days, inclusive
    date_to: date | None = None
    year: int | None = None  # NZ calendar year
    month: str | None = None  # "YYYY-MM" (NZ)
    day: str | None = None  # "YYYY-MM-DD" (NZ)
    sort: str = "relevance"  # one of SORTS; an empty q browses newest first
    page: int = 1
    page_size: int = 20
    norm: str | None = None  # "share": timeline bars also carry volume and share
    compare: tuple[str, ...] = ()  # other queries drawn on the same timeline

    def __post_init__(self) -> None:
        for name in ("author", "tag", "compare"):
            value = getattr(self, name)
            if value is None or isinstance(value, str):
                object.__setattr__(self, name, (value,) if value else ())
            else:
                object.__setattr__(self, name, tuple(value))


@dataclass
class Hit:
    id: str
    title: str
    url: str
    section: str
    subsection: str | None
    authors: list[str]
    source: str
    published: str  # ISO 8601 UTC
    premium: bool
    snippet: str  # safe HTML: text is escaped, only <mark> is markup
    standfirst: str = ""
    # "matches in the full article" when the words are only in premium text not shown
    note: str | None = None


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class TimelineBar:
    period: str  # "2022", "2022-10" or "2022-10-11", at the current drill-down level
    count: int
    # With norm="share": articles published in the period (same filters, no query), and
    # count / volume. None otherwise (the API leaves them out).
    volume: int | None = None
    share: float | None = None


@dataclass
class Series:
    """One query's line on a compared timeline: every series has the same periods."""

    query: str
    total: int
    timeline: list[TimelineBar] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)
    # keys: section, subsection, source, premium, year, month (once a year is chosen),
    # day (once a month is chosen); values sorted by count (dates: chronologically)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    timeline: list[TimelineBar] = field(default_factory=list)
    suggestion: str | None = None  # "did you mean" query text
    interpreted: str = ""  # what was searched, in plain words
    parsed: str = ""  # the same as a machine form: the analysed query tree
    series: list[Series] = field(default_factory=list)  # when compared: the main query first
