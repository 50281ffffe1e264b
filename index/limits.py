"""What one search may ask for and cost: the one place these limits are set.

The index enforces them (a request over a limit is an InvalidRequest, which the web answers
with a 400 naming the limit, never a silently different query); the web's parameter
parsing, its /help page and its OpenAPI document read the same numbers from here.

The work budget bounds what a single query can make the server do, so that no request holds
the searcher for long: every figure is checked before the work it limits is done.
"""

from __future__ import annotations

# -- the query text --------------------------------------------------------------------------
MAX_QUERY_CHARS = 1000  # characters of `q`
MAX_QUERY_TERMS = 100  # words, phrase words and wildcards in one query
MAX_NESTING = 20  # brackets inside brackets

# -- wildcards ---------------------------------------------------------------------------------
# The indexed words all the wildcards of one query may stand for (each is searched exactly:
# a wildcard matching more is refused, never cut short).
MAX_WILDCARD_TERMS = 1000
# Dictionary words the wildcards of one query may look at to find those (a pattern's
# candidates come from the vocabulary's sorted order or its letter-pair index, so this is
# what the pattern matches plus what its letters cannot rule out).
MAX_WILDCARD_CANDIDATES = 300_000

# -- the work budget ---------------------------------------------------------------------------
# Postings (article, word) read to match one query, counted from the dictionary's document
# frequencies before any list is read. Decoding runs at ~20 million postings a second on
# one core of the 2-core benchmark machine (3.3 M/s measured while it was 7× oversubscribed),
# so this bounds a query's reading to about 0.6 s.
MAX_POSTINGS = 12_000_000

# -- filters and compared queries --------------------------------------------------------------
MAX_FILTER_CHARS = 200  # characters of one section, source, author, tag … value
MAX_FILTER_VALUES = 10  # repeats of `author` or `tag` (all must hold)
MAX_COMPARE = 3  # queries compared with the main one on its timeline

# -- pages ---------------------------------------------------------------------------------------
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Every page up to the last result is served (ranking partitions; it never sorts the whole
# match set), so this only rejects page numbers no archive could reach.
MAX_PAGE = 10_000_000


def describe() -> dict[str, int]:
    """The limits by name, as /help and the OpenAPI document quote them."""
    return {
        "max_query_chars": MAX_QUERY_CHARS,
        "max_query_terms": MAX_QUERY_TERMS,
        "max_nesting": MAX_NESTING,
        "max_wildcard_terms": MAX_WILDCARD_TERMS,
        "max_wildcard_candidates": MAX_WILDCARD_CANDIDATES,
        "max_postings": MAX_POSTINGS,
        "max_filter_chars": MAX_FILTER_CHARS,
        "max_filter_values": MAX_FILTER_VALUES,
        "max_compare": MAX_COMPARE,
        "max_page_size": MAX_PAGE_SIZE,
        "max_page": MAX_PAGE,
    }
