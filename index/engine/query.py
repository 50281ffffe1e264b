"""Query text → Whoosh queries, leniently: whatever a person types gets an answer.

Words are ANDed; "phrases", OR, NOT / -word, field:term (title, author, section, tag,
source), wildcards (expanded to at most WILDCARD_LIMIT most frequent terms). Unknown
fields, unbalanced quotes or brackets, lone operators, control characters and huge queries
never raise: what Whoosh's parser cannot make sense of is answered as plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import (
    FieldsPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    PlusMinusPlugin,
    QueryParser,
    SingleQuotePlugin,
)
from whoosh.qparser.common import QueryParserError
from whoosh.qparser.plugins import BoostPlugin, EveryPlugin, RangePlugin
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from index.engine.quoted import ExactPhrasePlugin
from index.ondisk.analysis import fold, text_analyzer, words
from index.ondisk.schema import CONTENT, QUERY_FIELDS, make_schema
from index.ondisk.terms import pattern_terms

MAX_QUERY_CHARS = 2000
MAX_TERMS = 64
WILDCARD_LIMIT = 100
_SCAN_LIMIT = 20000  # terms looked at when expanding one wildcard
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_FIELD_PREFIX = re.compile(r"(\w+):")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "’": "'", "‘": "'"})
_PARSE_ERRORS = (QueryParserError, ValueError, TypeError, IndexError, KeyError, RecursionError)


@dataclass
class ParsedQuery:
    """`match` selects documents (ranking is index.engine.ranking's job)."""

    match: wq.Query
    interpreted: str
    words: list[str]  # the plain words typed (unanalysed), for did-you-mean


def clean_text(text: str) -> str:
    """Control characters out, curly quotes straightened, length capped."""
    text = _CONTROL.sub(" ", text[:MAX_QUERY_CHARS]).translate(_QUOTES)
    return " ".join(text.split())


def _known_fields_only(text: str) -> str:
    """`by:smith` → `author:smith`; unknown `foo:bar` → plain words `foo bar`."""

    def repl(match: re.Match[str]) -> str:
        name = QUERY_FIELDS.get(match.group(1).lower())
        return f"{name}:" if name else f"{match.group(1)} "

    return _FIELD_PREFIX.sub(repl, text)


def make_parser() -> QueryParser:
    parser = QueryParser(CONTENT, make_schema())
    for plugin in (SingleQuotePlugin, RangePlugin, BoostPlugin, EveryPlugin, FieldsPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(FieldsPlugin(remove_unknown=True))
    parser.add_plugin(PlusMinusPlugin())
    parser.replace_plugin(OperatorsPlugin(AndMaybe=None, Require=None))
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugin(ExactPhrasePlugin())  # phrases keep their stop words
    return parser


_ANALYZER = text_analyzer()


def plain_words_query(text: str) -> wq.Query:
    """The fallback: every analysed word of `text`, ANDed (stop words dropped)."""
    terms = list(dict.fromkeys(t.text for t in _ANALYZER(text, mode="query")))[:MAX_TERMS]
    if not terms:
        return wq.NullQuery
    return (
        wq.And([wq.Term(CONTENT, t) for t in terms])
        if len(terms) > 1
        else wq.Term(CONTENT, terms[0])
    )


def _count_terms(q: wq.Query) -> int:
    return sum(1 for _ in q.leaves())


def _expand(q: wq.Query, reader: IndexReader) -> wq.Query:
    """Wildcards/prefixes → an OR of their most frequent folded expansions; AndNot → And+Not."""
    if isinstance(q, wq.Wildcard | wq.Prefix):
        pattern = fold(q.text)
        probe = type(q)(q.fieldname, pattern)
        found: list[tuple[int, str]] = []
        for n, text in enumerate(pattern_terms(reader, probe)):
            if n >= _SCAN_LIMIT:
                break
            found.append((reader.doc_frequency(q.fieldname, text), text))
        top = sorted(found, key=lambda ft: (-ft[0], ft[1]))[:WILDCARD_LIMIT]
        if not top:
            return wq.NullQuery
        return wq.Or([wq.Term(q.fieldname, text) for _, text in sorted(top, key=lambda x: x[1])])
    if isinstance(q, wq.AndNot):
        # Whoosh's AndNotMatcher let excluded documents through in a multi-segment index
        # (after an incremental update); And + Not (InverseMatcher) answers correctly.
        return wq.And([_expand(q.a, reader), wq.Not(_expand(q.b, reader))])
    if q.is_leaf():
        return q
    return q.apply(lambda sub: _expand(sub, reader))


def positive_terms(q: wq.Query, fields: tuple[str, ...] = (CONTENT,)) -> list[str]:
    """Words of `fields` the query asks for (not those under NOT): ranking, highlighting."""
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.Term) and q.fieldname in fields:
        return [q.text]
    if isinstance(q, wq.Phrase) and q.fieldname in fields:
        return list(q.words)
    if q.is_leaf():
        return []
    found: list[str] = []
    for sub in q.children():
        found.extend(positive_terms(sub, fields))
    return found


def parse(text: str, parser: QueryParser, searcher: WhooshSearcher) -> ParsedQuery | None:
    """Parse `text`; None when it is empty (browse everything)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    plain = [w for w in words(cleaned) if w.upper() not in {"AND", "OR", "NOT"}]
    try:
        q = parser.parse(_known_fields_only(cleaned)).normalize()
        if isinstance(q, wq.NullQuery.__class__) or _count_terms(q) > MAX_TERMS:
            q = plain_words_query(cleaned)
        q = _expand(q, searcher.reader()).normalize()
    except _PARSE_ERRORS:
        q = plain_words_query(cleaned)
    return ParsedQuery(q, str(q), plain)
