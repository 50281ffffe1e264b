"""What was searched, in plain words: the `interpreted` of an answer, and its machine form.

    election -rugby, section Sport, year 2019  →
    articles containing “election” (also elections, elected…) but not “rugby”, in Sport, in 2019

A word stands for its stem, so the other forms the archive has of it are named (from the
`spell` dictionary of title and standfirst words); a wildcard names what it matched; words
left out as too common are said to be. A reader can check from this alone that the search
meant what they meant (a query of only exclusions reads "all articles except …").
"""

from __future__ import annotations

from datetime import date

from whoosh.reading import IndexReader

from crawler.record import MONTH_NAMES as _MONTHS
from index.engine.query import ParsedQuery
from index.engine.syntax import AllOf, AnyOf, Leaf, Node, Not
from index.engine.vocab import Vocabulary
from index.engine.wildcards import normalise_pattern
from index.model import SearchRequest
from index.ondisk.analysis import FoldStemFilter, split_phrase_term

VARIANTS_SHOWN = 3
VARIANTS_LOOKED_AT = 200  # words sharing the stem's letters, per word
VARIANTS_FOR = 10  # the first words of a query get their other forms named
PATTERN_WORDS_SHOWN = 4
_STEM = FoldStemFilter()
_FOLD = FoldStemFilter(stem=False, stops=())
# How a word searched in a field reads: "{q}" is the quoted word or phrase.
_IN_FIELD = {
    "title": "{q} in the headline",
    "author": "{q} in the byline",
    "section": "{q} in the section name",
    "tag": "{q} in a topic tag",
    "source": "{q} as the source",
}


def _quote(text: str) -> str:
    return f"“{text}”"


def _all_of(values: tuple[str, ...]) -> str:
    """'Jane Smith', 'Jane Smith and Ana Lee', 'A, B and C' (repeated filters all hold)."""
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]


class _Describer:
    def __init__(self, vocab: Vocabulary, reader: IndexReader) -> None:
        self.vocab = vocab
        self.reader = reader
        self.looked_up = 0

    def variants(self, typed: str, stem: str) -> list[str]:
        """Other words of the archive with the same stem, most frequent first."""
        self.looked_up += 1
        if self.looked_up > VARIANTS_FOR:
            return []
        folded = _FOLD.term(typed)
        found = [
            w
            for w in self.vocab.starting_with("spell", stem, VARIANTS_LOOKED_AT)
            if w != folded and _STEM.term(w) == stem
        ]
        return sorted(found, key=lambda w: -self.reader.doc_frequency("spell", w))

    def leaf(self, leaf: Leaf) -> str:
        if leaf.kind == "pattern":
            shown = ", ".join(leaf.terms[:PATTERN_WORDS_SHOWN])
            more = "…" if len(leaf.terms) > PATTERN_WORDS_SHOWN else ""
            count = f"{len(leaf.terms):,} word{'s' if len(leaf.terms) > 1 else ''}"
            matched = f"{count}: {shown}{more}" if leaf.terms else "no words"
            text = f"words matching {leaf.text} ({matched})"
        elif leaf.kind == "phrase" or len(leaf.terms) > 1:
            text = f"the phrase {_quote(leaf.text)}"
        else:
            text = _quote(leaf.text)
            if leaf.field in ("content", "title"):
                others = self.variants(leaf.text, leaf.terms[0])
                if others:
                    more = "…" if len(others) > VARIANTS_SHOWN else ""
                    text += f" (also {', '.join(others[:VARIANTS_SHOWN])}{more})"
        template = _IN_FIELD.get(leaf.field)
        return template.format(q=text) if template else text

    def node(self, node: Node, nested: bool = False) -> str:
        if isinstance(node, Leaf):
            return self.leaf(node)
        if isinstance(node, Not):
            return f"not {self.node(node.child, nested=True)}"
        parts = [self.node(c, nested=True) for c in node.children]
        if isinstance(node, AnyOf):
            return "either " + " or ".join(parts)
        text = " and ".join(parts)
        return f"({text})" if nested else text

    def query(self, tree: Node) -> str:
        children = tree.children if isinstance(tree, AllOf) else (tree,)
        wanted = [c for c in children if not isinstance(c, Not)]
        unwanted = [c.child for c in children if isinstance(c, Not)]
        left_out = " or ".join(self.node(c, nested=True) for c in unwanted)
        if not wanted:
            return f"all articles except those containing {left_out}"
        text = "articles containing " + " and ".join(self.node(c, nested=True) for c in wanted)
        return f"{text} but not {left_out}" if unwanted else text


def _day(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _dates(req: SearchRequest) -> list[str]:
    found = []
    if req.day:
        found.append(f"on {_day(date.fromisoformat(req.day))}")
    elif req.month:
        year, month = req.month.split("-")
        found.append(f"in {_MONTHS[int(month) - 1]} {year}")
    elif req.year is not None:
        found.append(f"in {req.year}")
    if req.date_from and req.date_to:
        found.append(f"from {_day(req.date_from)} to {_day(req.date_to)}")
    elif req.date_from:
        found.append(f"from {_day(req.date_from)} on")
    elif req.date_to:
        found.append(f"up to {_day(req.date_to)}")
    return found


def _filters(req: SearchRequest) -> list[str]:
    found = []
    if req.section and req.subsection:
        found.append(f"in {req.section} › {req.subsection}")
    elif req.section or req.subsection:
        found.append(f"in {req.section or req.subsection}")
    if req.source:
        found.append(f"from {req.source}")
    if req.author:
        found.append("by " + _all_of(req.author))
    if req.tag:
        found.append("tagged " + _all_of(req.tag))
    if req.premium is not None:
        found.append("premium articles only" if req.premium else "free articles only")
    return found + _dates(req)


def explain(
    parsed: ParsedQuery | None, req: SearchRequest, vocab: Vocabulary, reader: IndexReader
) -> str:
    """The search in plain words."""
    text = _Describer(vocab, reader).query(parsed.tree) if parsed else "all articles"
    parts = [text, *_filters(req)]
    if parsed and parsed.ignored:
        common = ", ".join(_quote(w) for w in dict.fromkeys(parsed.ignored))
        parts.append(f"leaving out {common} (too common to search for)")
    return ", ".join(parts)


def machine_form(parsed: ParsedQuery | None) -> str:
    """The analysed query tree, e.g. `content:elect AND NOT content:rugbi` ("" for none)."""
    return _machine(parsed.tree) if parsed else ""


def _machine(node: Node, nested: bool = False) -> str:
    if isinstance(node, Leaf):
        if node.kind == "pattern":
            return f"{node.field}:{normalise_pattern(node.text)}"
        words = [split_phrase_term(t) for t in node.terms]  # stop words: their plain form
        if len(words) > 1 or words[0][1]:
            return f'{node.field}:"{" ".join(w for w, _ in words)}"'
        return f"{node.field}:{node.terms[0]}"
    if isinstance(node, Not):
        return f"NOT {_machine(node.child, nested=True)}"
    joiner = " OR " if isinstance(node, AnyOf) else " AND "
    text = joiner.join(_machine(c, nested=True) for c in node.children)
    return f"({text})" if nested else text
