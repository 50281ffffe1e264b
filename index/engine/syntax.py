"""Query syntax: the text a person types → a tree of words, phrases, wildcards, AND, OR, NOT.

Pure: it knows the field names but nothing of the index (index.engine.query analyses the
words and looks them up). The grammar, loosest binding first:

    query     := item ( [AND] item )*          words side by side are all required
    item      := unary ( OR unary )*           OR binds tighter: `a b OR c` = a AND (b OR c)
    unary     := ( NOT | -  | + ) unary | primary
    primary   := ( query ) | "phrase" | word | pattern | field:unary

`-` and `+` are operators only at the start of a word (`covid-19` is one word); a lone `-`
is punctuation. Operators are the upper-case words AND, OR, NOT. `field:` is one of
QUERY_FIELDS and applies to the unary that follows (a group: to every word in it). A word
with `*` or `?` is a wildcard pattern. An unknown `name:word` is the two words.

Lenient readings that keep the meaning (each documented in /help): an unclosed quote or
bracket closes at the end of the query; a `)` that closes nothing, an AND or OR with
nothing on one side, and a NOT or `-` with nothing after it are ignored. What cannot be
read without guessing is an InvalidQuery (a 400 that says why): a field name with nothing
after it, a wildcard inside a quoted phrase, brackets nested deeper than MAX_NESTING, a
query longer than MAX_QUERY_CHARS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.limits import MAX_NESTING, MAX_QUERY_CHARS
from index.model import InvalidQuery
from index.ondisk.schema import CONTENT, QUERY_FIELDS

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# One character for one, so positions in the cleaned text are positions in what was typed.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "’": "'", "‘": "'"})
_FIELD_PREFIX = re.compile(r"^([A-Za-z]+):")
_OPERATORS = {"AND", "OR", "NOT"}
_WORD_END = set('()"')
# The rest of a run of signs before a bracket or a quote: each `-` of it negates.
_SIGNS_THEN_GROUP = re.compile(r'[-+]*[("]')


@dataclass(frozen=True)
class Leaf:
    """A word, "phrase" or wild*card as typed; `terms` are filled in by index.engine.query
    (the analysed words, or the indexed words a pattern stands for)."""

    kind: str  # "word", "phrase" or "pattern"
    text: str
    field: str = CONTENT
    span: tuple[int, int] = (0, 0)  # where it was typed (for did-you-mean)
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Leaf | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "-", "field", "word", "phrase", "pattern"
    text: str = ""
    span: tuple[int, int] = (0, 0)


def clean_text(text: str) -> str:
    """Control characters to spaces and curly quotes straightened, one character for one."""
    return _CONTROL.sub(" ", text).translate(_QUOTES)


def tokens(text: str) -> list[Token]:
    """The tokens of (cleaned) query text."""
    found: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            found.append(Token(c, c, (i, i + 1)))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end  # an unclosed quote closes at the end
            inside = text[i + 1 : end]
            if "*" in inside or "?" in inside:  # a phrase is exact: never a silent literal
                raise InvalidQuery(
                    f'wildcards do not work inside a quoted phrase ("{inside}"): '
                    "take the quotes away, or the * and ?"
                )
            found.append(Token("phrase", inside, (i + 1, end)))
            i = end + 1
        elif c in "-+" and _SIGNS_THEN_GROUP.match(text, i + 1):  # `-(`, `--(`, `-"`
            if c == "-":  # `+` (required) is what every item already is
                found.append(Token("-", c, (i, i + 1)))
            i += 1
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] not in _WORD_END:
                end += 1
            _word_tokens(text[i:end], i, found)
            i = end
    return found


def _word_tokens(word: str, start: int, found: list[Token]) -> None:
    """The tokens of one run of non-space characters (a loop: a query may hold 1,000)."""
    while word:
        if word[0] in "-+":
            if word[0] == "-" and len(word) > 1:
                found.append(Token("-", "-", (start, start + 1)))
            # a lone `-` or `+` is punctuation; `+` (required) is what every word is
            word, start = word[1:], start + 1
            continue
        if word in _OPERATORS:
            found.append(Token(word, word, (start, start + len(word))))
            return
        prefix = _FIELD_PREFIX.match(word)
        if prefix is None:
            kind = "pattern" if ("*" in word or "?" in word) else "word"
            found.append(Token(kind, word, (start, start + len(word))))
            return
        at = start + prefix.end()
        name = QUERY_FIELDS.get(prefix.group(1).lower())
        if name is not None:
            found.append(Token("field", name, (start, at)))
        else:  # an unknown `name:word` is the two words
            found.append(Token("word", prefix.group(1), (start, at - 1)))
        word, start = word[prefix.end() :], at


_CANNOT_START = {"AND", "OR", ")"}
_EXAMPLES = {"author": "smith", "section": "sport", "tag": "housing", "source": "reuters"}


@dataclass
class _Parser:
    items: list[Token]
    at: int = 0

    def peek(self) -> Token | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self) -> Token:
        self.at += 1
        return self.items[self.at - 1]

    def starts_item(self) -> bool:
        token = self.peek()
        return token is not None and token.kind not in _CANNOT_START

    def sequence(self, depth: int, fieldname: str, closing: bool) -> Node | None:
        """Items until the end (or the `)` that closes this group), all required."""
        children: list[Node] = []
        while (token := self.peek()) is not None:
            if token.kind == ")":
                if closing:
                    break
                self.take()  # closes nothing: ignored
            elif token.kind in ("AND", "OR"):
                self.take()  # nothing on its left: ignored (AND is what a space means)
            else:
                node = self.disjunction(depth, fieldname)
                if node is not None:
                    children.append(node)
        return _combine(AllOf, children)

    def disjunction(self, depth: int, fieldname: str) -> Node | None:
        options = [self.unary(depth, fieldname)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if self.starts_item():
                options.append(self.unary(depth, fieldname))
            # else: nothing on its right: ignored
        return _combine(AnyOf, [o for o in options if o is not None])

    def unary(self, depth: int, fieldname: str) -> Node | None:
        """NOTs, `-`s and field names (in any order), then what they apply to."""
        negated = False
        while (token := self.peek()) is not None and token.kind in ("NOT", "-", "field"):
            self.take()
            if not self.starts_item():
                if token.kind == "field":
                    name, example = token.text, _EXAMPLES.get(token.text, "budget")
                    raise InvalidQuery(
                        f"“{name}:” needs a word after it, e.g. {name}:{example} "
                        f'or {name}:"two words"'
                    )
                return None  # nothing to leave out: ignored
            if token.kind == "field":
                fieldname = token.text
            else:
                negated = not negated  # NOT NOT x is x
        node = self.primary(depth, fieldname)
        return Not(node) if negated and node is not None else node

    def primary(self, depth: int, fieldname: str) -> Node | None:
        token = self.take()
        if token.kind == "(":
            if depth >= MAX_NESTING:
                raise InvalidQuery(f"brackets are nested too deeply (at most {MAX_NESTING})")
            node = self.sequence(depth + 1, fieldname, closing=True)
            if self.peek() is not None:
                self.take()  # the `)`; at the end of the query an unclosed group just closes
            return node
        return Leaf(token.kind, token.text, fieldname, token.span)


def _combine(kind: type[AllOf] | type[AnyOf], children: list[Node]) -> Node | None:
    if not children:
        return None
    return children[0] if len(children) == 1 else kind(tuple(children))


NOTHING_TO_SEARCH = (
    "the query has no words to search for (operators, punctuation and very common words "
    "such as “the” and “of” are not searched on their own)"
)


def parse_syntax(text: str) -> Node | None:
    """The tree of `text`: None for an empty query (browse everything); raises InvalidQuery
    for text that is not empty but holds nothing to search for (only operators, `()`, …)."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidQuery(f"the query is too long (at most {MAX_QUERY_CHARS:,} characters)")
    cleaned = clean_text(text)
    tree = _Parser(tokens(cleaned)).sequence(0, CONTENT, closing=False)
    if tree is None and cleaned.strip():
        raise InvalidQuery(NOTHING_TO_SEARCH)
    return tree


def leaves(node: Node | None) -> list[Leaf]:
    """Every leaf of the tree, in the order typed."""
    if node is None:
        return []
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return leaves(node.child)
    return [leaf for child in node.children for leaf in leaves(child)]
