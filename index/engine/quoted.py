"""How a quoted phrase becomes a Whoosh query: its words in order, stop words kept and
marked (index.ondisk.analysis.phrase_terms: "the refugees" → ~the refug).

Whoosh analysed a phrase like any text, so its stop words vanished and `"the refugees"`
meant `refugees`; index.engine.phrases matches these phrases exactly.
"""

from __future__ import annotations

from whoosh import query as wq

from index.ondisk.analysis import STOP_MARK


class ExactPhrase(wq.Phrase):
    """A Phrase that stays one when it is a single stop word (`"the"` searches "the")."""

    def normalize(self) -> wq.Query:
        if len(self.words) == 1 and self.words[0].startswith(STOP_MARK):
            return self
        return super().normalize()


def phrase_query(fieldname: str, terms: list[str], slop: int = 1, boost: float = 1.0) -> wq.Query:
    """The query of a phrase's terms (phrase_terms): a Term for one word, else a phrase."""
    if not terms:
        return wq.NullQuery
    if len(terms) == 1 and not terms[0].startswith(STOP_MARK):
        return wq.Term(fieldname, terms[0], boost=boost)
    return ExactPhrase(fieldname, list(terms), slop=slop, boost=boost)
