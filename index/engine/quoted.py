"""How a quoted phrase becomes a query: its words in order, stop words kept and marked.

Whoosh's phrase parser analyses a phrase like any text, so its stop words vanished and
`"the refugees"` meant `refugees`. Here a phrase of the text fields (content, title)
keeps them (index.ondisk.analysis.phrase_terms) and index.engine.phrases matches it
exactly; phrases of the name fields (author, section, ...) have no stop words and stay
Whoosh's.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.qparser import PhrasePlugin
from whoosh.qparser.common import attach

from index.engine.phrases import EXACT_FIELDS
from index.ondisk.analysis import STOP_MARK, phrase_terms


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


class ExactPhrasePlugin(PhrasePlugin):
    """Whoosh's PhrasePlugin ("words"~slop), with phrases of the text fields exact."""

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser: Any) -> wq.Query:
            fieldname = self.fieldname or parser.fieldname
            if fieldname not in EXACT_FIELDS:
                return super().query(parser)
            q = phrase_query(fieldname, phrase_terms(self.text), self.slop, self.boost)
            return attach(q, self)

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser: Any, match: Any) -> Any:
            plain = super().create(parser, match)
            node = ExactPhrasePlugin.PhraseNode(plain.text, plain.textstartchar, plain.slop)
            node.degrade = plain.degrade
            return node

    def taggers(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self.PhraseTagger(self.expr, degrade=self.degrade), 0)]
