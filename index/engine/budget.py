"""The work budget of one query: counted before the work it pays for, refused when over.

Each figure is checked before the work is done (words a wildcard must look at, the words it
stands for, postings to read), so a query over the budget is refused at once with a message
naming the limit (index.limits), instead of holding the searcher for seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.limits import MAX_POSTINGS, MAX_WILDCARD_CANDIDATES, MAX_WILDCARD_TERMS
from index.model import QueryTooCostly


@dataclass
class WorkBudget:
    """What one query has spent so far, and its limits."""

    max_candidates: int = MAX_WILDCARD_CANDIDATES
    max_terms: int = MAX_WILDCARD_TERMS
    max_postings: int = MAX_POSTINGS
    candidates: int = 0
    terms: int = 0
    postings: int = 0

    def look_at(self, words: int) -> None:
        """Pay for `words` dictionary words a wildcard is about to test."""
        self.candidates += words
        if self.candidates > self.max_candidates:
            raise QueryTooCostly(
                f"the wildcards in this query would have to test more than "
                f"{self.max_candidates:,} words of the dictionary; give them more letters "
                f"(e.g. elect* rather than e*)"
            )

    def expand(self, pattern: str, words: int) -> None:
        """Pay for `words` more indexed words that `pattern` stands for."""
        self.terms += words
        if self.terms > self.max_terms:
            raise QueryTooCostly(
                f"the wildcards in this query match more than {self.max_terms:,} different "
                f"words (“{pattern}” alone matches {words:,}); give them more letters"
            )

    def read(self, postings: int) -> None:
        """Pay for reading `postings` (article, word) entries of the index."""
        self.postings += postings
        if self.postings > self.max_postings:
            raise QueryTooCostly(
                f"this query would read more than {self.max_postings:,} index entries "
                f"(its words and wildcard matches appear in too many articles); use fewer "
                f"or rarer words, or fewer OR alternatives"
            )
