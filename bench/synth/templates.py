"""The sentence templates of bench.synth: one text file per desk under text/, parsed once.

A desk file (common.txt, shared by all, plus one per section or subsection) holds:

- `## kind` and one template per line after it: a template of that kind is drawn afresh
  each time `{kind}` is used. The article is built from `lead`, `body`, `quotepara`,
  `background`, `crosshead` and `close` paragraphs, a `headline` and a `standfirst`;
  a desk's lines of a kind that common.txt also has are added to common's.
- `@name = a | b | c`: drawn once per article, so `{name}` reads the same everywhere in it
  (the article's party, team, crime); `{name2}` is a second, different value. A desk's list
  replaces common's of the same name. `@P1title` gives the cast member P1 a title
  ("Detective Inspector") on first mention.
- `# comment` lines.

Any template or list value may use slots: kinds, lists and the built-ins of story.py
(people, places, real English words, numbers, dates). `check` names unknown slots.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.synth.lexicon import TEXT

_SLOT = re.compile(r"\{(\w+)\}")
_CLOSING_QUOTE = re.compile(r"(?<=\S)'")  # an apostrophe, or a quote closing after a word

# A template as (literal, slot, literal, slot, ..., literal): slot names at odd indices.
Template = tuple[str, ...]


def compile_template(text: str) -> Template:
    """Split `text` at its `{slot}`s; straight quotes become curly ones, as the site prints."""
    curly = _CLOSING_QUOTE.sub("’", text).replace("'", "‘")
    return tuple(_SLOT.split(curly))


@dataclass
class Desk:
    """The templates one kind of story is written from."""

    name: str
    kinds: dict[str, list[Template]] = field(default_factory=dict)
    lists: dict[str, list[Template]] = field(default_factory=dict)

    def slots(self) -> set[str]:
        """Every slot name its templates use."""
        every = [*self.kinds.values(), *self.lists.values()]
        return {t[i] for group in every for t in group for i in range(1, len(t), 2)}


def _parse(path: Path) -> Desk:
    desk = Desk(path.stem)
    current: list[Template] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            current = desk.kinds.setdefault(line[3:].strip(), [])
        elif line.startswith("@"):
            name, sep, values = line[1:].partition("=")
            if not sep:
                raise ValueError(f"{path.name}:{number}: a list needs '@name = a | b'")
            desk.lists[name.strip()] = [compile_template(v.strip()) for v in values.split("|")]
        elif current is None:
            raise ValueError(f"{path.name}:{number}: a template before any '## kind'")
        else:
            current.append(compile_template(line))
    return desk


@functools.cache
def desk(name: str) -> Desk:
    """The desk `name` (text/<name>.txt) merged with common.txt."""
    common, own = _parse(TEXT / "common.txt"), _parse(TEXT / f"{name}.txt")
    merged = Desk(name, {k: list(v) for k, v in common.kinds.items()}, dict(common.lists))
    for kind, templates in own.kinds.items():
        merged.kinds[kind] = templates + merged.kinds.get(kind, [])
    merged.lists.update(own.lists)
    return merged


def check(d: Desk, builtins: set[str]) -> list[str]:
    """Slots `d` uses that nothing defines (`{x2}` is defined by a list or built-in `x`)."""
    known = set(d.kinds) | set(d.lists) | builtins
    return sorted(
        s for s in d.slots() if s not in known and not (s.endswith("2") and s[:-1] in known)
    )
