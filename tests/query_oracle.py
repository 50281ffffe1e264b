"""A brute-force oracle for boolean queries: the articles a query tree means, found by
analysing every article's fields and evaluating the tree with Python sets.

Independent of the engine's parser and evaluator: trees are built by the tests (or drawn by
hypothesis) and rendered to query text by `render`, so a test can compare what the engine
answers for the text with what the tree means.
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass

from crawler.record import Article
from index.ondisk.analysis import fold, name_analyzer, text_analyzer

_TEXT = text_analyzer()
_NAMES = name_analyzer()


def field_terms(article: Article) -> dict[str, set[str]]:
    """The analysed words of each queryable field of an article."""

    def words(analyzer, text: str) -> set[str]:
        return {t.text for t in analyzer(text)}

    return {
        "content": words(_TEXT, f"{article['title']}\n{article['standfirst']}\n{article['body']}"),
        "title": words(_TEXT, article["title"]),
        "author": words(_NAMES, " ; ".join(article["authors"])),
        "section": words(_NAMES, f"{article['section']} ; {article['subsection'] or ''}"),
        "tag": words(_NAMES, " ; ".join(article["tags"])),
        "source": words(_NAMES, article["source"]),
    }


@dataclass(frozen=True)
class Word:
    field: str
    text: str  # a single word, or a pattern with * / ?


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


class Oracle:
    """Every article's field words, and the evaluation of trees over them."""

    def __init__(self, articles: list[Article]) -> None:
        self.terms = {a["id"]: field_terms(a) for a in articles}
        self.everything = set(self.terms)

    def leaf(self, word: Word) -> set[str]:
        if "*" in word.text or "?" in word.text:
            pattern = fold(word.text)
            return {
                i
                for i, fields in self.terms.items()
                if any(fnmatch.fnmatchcase(t, pattern) for t in fields[word.field])
            }
        analyzer = _TEXT if word.field in ("content", "title") else _NAMES
        (term,) = [t.text for t in analyzer(word.text)]
        return {i for i, fields in self.terms.items() if term in fields[word.field]}

    def evaluate(self, node: object) -> set[str]:
        if isinstance(node, Word):
            return self.leaf(node)
        if isinstance(node, Not):
            return self.everything - self.evaluate(node.child)
        sets = [self.evaluate(c) for c in node.children]
        return set.intersection(*sets) if isinstance(node, And) else set.union(*sets)


def render(node: object, rnd: random.Random) -> str:
    """Query text for a tree, in one of the ways a person could type it."""
    if isinstance(node, Word):
        return node.text if node.field == "content" else f"{node.field}:{node.text}"
    if isinstance(node, Not):
        inner = _operand(node.child, rnd)
        return f"-{inner}" if rnd.random() < 0.5 else f"NOT {inner}"
    parts = [_operand(c, rnd) for c in node.children]
    if isinstance(node, Or):
        return " OR ".join(parts)
    return (" AND " if rnd.random() < 0.3 else " ").join(parts)


def _operand(node: object, rnd: random.Random) -> str:
    text = render(node, rnd)
    return text if isinstance(node, Word | Not) else f"({text})"
