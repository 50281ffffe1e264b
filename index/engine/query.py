"""Query text → the Whoosh query the engine evaluates, meaning exactly what was typed.

index.engine.syntax reads the text into a tree of words, phrases, wildcards, AND, OR and
NOT. Here each leaf is analysed as its field is when indexing (folded, stemmed in text
fields), each wildcard becomes the OR of every indexed word it stands for
(index.engine.wildcards), and the tree becomes Whoosh query objects (And, Or, Not, Term,
Phrase) that index.engine.docsets evaluates as exact set operations: a query of only
exclusions means everything except them. Words too common to index (the, of, …) are left
out where they stand alone and reported in `ignored`. A query over a limit of index.limits
raises an InvalidRequest that names the limit: nothing is cut short or silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from index.engine.budget import WorkBudget
from index.engine.phrases import EXACT_FIELDS
from index.engine.quoted import phrase_query
from index.engine.syntax import NOTHING_TO_SEARCH, AllOf, AnyOf, Leaf, Node, Not, leaves
from index.engine.vocab import Vocabulary
from index.engine.wildcards import expand
from index.limits import MAX_QUERY_TERMS
from index.model import InvalidQuery
from index.ondisk.analysis import STOP_MARK, phrase_terms
from index.ondisk.schema import CONTENT


@dataclass
class ParsedQuery:
    """`match` selects documents (ranking is index.engine.ranking's job); `tree` is what was
    typed, its leaves carrying their analysed words (or a pattern's matching words)."""

    match: wq.Query
    tree: Node
    ignored: list[str] = field(default_factory=list)  # words left out as too common
    # Articles holding each (field, word) read, counted for the budget (ranking reuses them).
    frequencies: dict[tuple[str, str], int] = field(default_factory=dict)

    def content_frequencies(self) -> dict[str, int]:
        return {t: n for (f, t), n in self.frequencies.items() if f == CONTENT}

    @property
    def words(self) -> list[Leaf]:
        return leaves(self.tree)


@dataclass
class _Resolver:
    schema: Schema
    vocab: Vocabulary
    budget: WorkBudget
    ignored: list[str] = field(default_factory=list)

    def resolve(self, node: Node) -> Node | None:
        """The node with its leaves analysed; None where nothing searchable is left."""
        if isinstance(node, Leaf):
            return self.leaf(node)
        if isinstance(node, Not):
            child = self.resolve(node.child)
            return Not(child) if child is not None else None
        children = [c for c in (self.resolve(c) for c in node.children) if c is not None]
        if not children:
            return None
        return children[0] if len(children) == 1 else type(node)(tuple(children))

    def leaf(self, leaf: Leaf) -> Leaf | None:
        if leaf.kind == "pattern":
            matched = expand(leaf.text, leaf.field, self.vocab, self.budget)
            return replace(leaf, terms=tuple(matched))
        terms = (
            phrase_words(self.schema, leaf.field, leaf.text)
            if leaf.kind == "phrase"
            else word_terms(self.schema, leaf.field, leaf.text)
        )
        if not terms:
            if leaf.text.strip():
                self.ignored.append(leaf.text)
            return None
        return replace(leaf, terms=tuple(terms))


def word_terms(schema: Schema, fieldname: str, text: str) -> list[str]:
    """The indexed words of one typed word; several (covid-19) are searched as a phrase."""
    found = [t.text for t in schema[fieldname].analyzer(text, mode="query")]
    return found if len(found) < 2 else phrase_words(schema, fieldname, text)


def phrase_words(schema: Schema, fieldname: str, text: str) -> list[str]:
    """The words of a phrase in order (index.engine.phrases matches them exactly): in the
    text fields its stop words are kept, marked ("the refugees" → ~the refug); in the
    name fields they are analysed as when indexing."""
    if fieldname in EXACT_FIELDS:
        return phrase_terms(text)
    return [t.text for t in schema[fieldname].tokenize(text, mode="query")]


def to_whoosh(node: Node) -> wq.Query:
    """The Whoosh query of a resolved tree (exact: no normalising, which drops negations)."""
    if isinstance(node, Not):
        return wq.Not(to_whoosh(node.child))
    if isinstance(node, AllOf):
        return wq.And([to_whoosh(c) for c in node.children])
    if isinstance(node, AnyOf):
        return wq.Or([to_whoosh(c) for c in node.children])
    if node.kind == "pattern":
        if not node.terms:
            return wq.NullQuery  # matches no word: matches nothing
        return wq.Or([wq.Term(node.field, t) for t in node.terms])
    return phrase_query(node.field, list(node.terms))


def count_terms(node: Node) -> int:
    """Words, phrase words and wildcards of a resolved tree (what MAX_QUERY_TERMS limits)."""
    return sum(1 if leaf.kind == "pattern" else len(leaf.terms) for leaf in leaves(node))


def resolve(
    tree: Node | None, schema: Schema, vocab: Vocabulary, reader: IndexReader, budget: WorkBudget
) -> ParsedQuery | None:
    """Analyse and expand a syntax tree (None: an empty query, browse everything); raises
    InvalidQuery or QueryTooCostly when it cannot be answered as typed."""
    if tree is None:
        return None
    resolver = _Resolver(schema, vocab, budget)
    resolved = resolver.resolve(tree)
    if resolved is None:
        raise InvalidQuery(NOTHING_TO_SEARCH)
    terms = count_terms(resolved)
    if terms > MAX_QUERY_TERMS:
        raise InvalidQuery(
            f"the query has {terms} words; at most {MAX_QUERY_TERMS} can be searched at once"
        )
    frequencies = {(f, t): reader.doc_frequency(f, t) for f, t in query_terms(resolved)}
    budget.read(sum(frequencies.values()))
    return ParsedQuery(to_whoosh(resolved), resolved, resolver.ignored, frequencies)


def query_terms(node: Node) -> set[tuple[str, str]]:
    """Every (field, indexed word) the tree reads, negated or not."""
    return {(leaf.field, t) for leaf in leaves(node) for t in leaf.terms}


def positive_terms(q: wq.Query, fields: tuple[str, ...] = (CONTENT,)) -> list[str]:
    """Words of `fields` the query asks for (not those under NOT): ranking, highlighting."""
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.Term) and q.fieldname in fields:
        return [q.text]
    if isinstance(q, wq.Phrase) and q.fieldname in fields:
        return [w for w in q.words if not w.startswith(STOP_MARK)]  # stop words: unranked
    if q.is_leaf():
        return []
    found: list[str] = []
    for sub in q.children():
        found.extend(positive_terms(sub, fields))
    return found
