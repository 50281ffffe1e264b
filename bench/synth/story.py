"""One article's text being written: templates rendered with its cast, places and numbers.

A Story keeps what must read the same throughout one article: its people (introduced by
title and full name, then by surname), its place, and every `@list` value of its desk.
Everything else is drawn afresh at each use: the real English words of the open slots, new
people, numbers and dates. Built-in slots:

- people: `P1` `P2` `P3` (the cast), `S` (one of them, speaking), `person` (a new full name),
  `first`, `surname`;
- places: `place` `place2` (towns and suburbs, by population), `town` (a fresh one),
  `region`, `feature`, `street`, `world` `world2`, `country` `country2`;
- words: `noun` `nouns` `adj` `ved` `ing` `adv` `Word` (english.py);
- numbers and dates: numbers.NUMBERS.

Each desk's templates are compiled once into literals and slot handlers, so writing an
article is a loop of direct calls (the generator must keep ahead of the index build).
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from bisect import bisect_right
from collections.abc import Callable

from bench.synth.english import word_lists
from bench.synth.lexicon import first_name, places, surname, zipf_rank
from bench.synth.numbers import NUMBERS
from bench.synth.templates import Desk, Template, check, desk

# Surnames: a heavy tail (most names in a big archive are seen once or twice); first names
# repeat far more. (exponent, scale) of zipf_rank, tuned on the vocabulary growth.
SURNAME_LAW = (1.2, 40.0)
FIRST_NAME_LAW = (1.6, 25.0)
_SERIAL = itertools.count()
_SPEAKERS = ("P1", "P1", "P1", "P2", "P2", "P3")
_ARTICLE = re.compile(r"(?:^|(?<= ))([Aa]) $")  # "a " just before a slot: "a"/"an" by its value
# Said with a vowel first: "an Ōtara", "an 18-year-old", "an 8.30pm"; not "a union".
_VOWEL_START = re.compile(r"[AEIOaeioĀŌāō]|u[^n]|un[^i]|8|1[18](?!\d)")

Handler = Callable[["Story"], str]
# A compiled template: a str.format pattern, the handlers of its slots and a serial number.
Compiled = tuple[str, tuple[Handler, ...], int]


def person_name(rnd: random.Random) -> tuple[str, str]:
    """(first name, surname) of someone new."""
    return first_name(zipf_rank(rnd, *FIRST_NAME_LAW)), surname(zipf_rank(rnd, *SURNAME_LAW))


def _street(story: Story) -> str:
    """Streets are named after people and after things (Kowhai St, Victoria Rd)."""
    rnd = story.rnd
    by_person = rnd.random() < 0.5
    name = surname(zipf_rank(rnd, *SURNAME_LAW)) if by_person else _fresh()["Word"](story)
    return f"{name} {places()['street_kind'].draw(rnd)}"


class Story:
    """The state of one article while its paragraphs are written."""

    def __init__(self, desk_name: str, rnd: random.Random, year: int) -> None:
        self.kinds = compiled(desk_name)
        self.rnd, self.random, self.year = rnd, rnd.random, year
        self.sticky: dict[str, str] = {}
        self.people: dict[str, tuple[str, str]] = {}
        self.used: set[int] = set()

    def pick(self, kind: str) -> str:
        """A template of `kind` rendered, avoiding templates this article already used."""
        templates = self.kinds[kind]
        random, used, n = self.random, self.used, len(templates)
        template = templates[int(random() * n)]
        if template[2] in used:
            template = templates[int(random() * n)]
            if template[2] in used:
                template = templates[int(random() * n)]
        used.add(template[2])
        return template[0].format(*[handler(self) for handler in template[1]])

    def another(self, name: str, draw: Handler) -> str:
        """A second value of `name` (a list or place), different from the first if it can."""
        value = self.sticky.get(name + "2")
        if value is None:
            first = self.sticky.get(name)
            if first is None:
                first = self.sticky[name] = draw(self)
            for _ in range(6):
                value = draw(self)
                if value != first:
                    break
            self.sticky[name + "2"] = value
        return value

    def mention(self, who: str, title: Handler | None) -> str:
        """Title and full name the first time, the surname after (news style)."""
        person = self.people.get(who)
        if person is not None:
            return person[1]
        first, last = self.people[who] = person_name(self.rnd)
        label = title(self) if title else ""
        return f"{label} {first} {last}" if label else f"{first} {last}"


def _weighted(names: tuple[str, ...], cum: tuple[float, ...]) -> Handler:
    total = cum[-1]
    return lambda story: names[bisect_right(cum, story.random() * total)]


def _word(slot: str) -> Handler:
    found = word_lists()[slot]
    return _weighted(found.words, found.cum)


def _number(slot: str) -> Handler:
    make = NUMBERS[slot]
    return lambda story: make(story.rnd, story.year)


def _place(kind: str) -> Handler:
    found = places()[kind]
    return _weighted(found.names, found.cum)


def _sticky(name: str, draw: Handler) -> Handler:
    def value(story: Story) -> str:
        found = story.sticky.get(name)
        if found is None:
            found = story.sticky[name] = draw(story)
        return found

    return value


@functools.cache
def _fresh() -> dict[str, Handler]:
    """Slots drawn afresh at every use."""
    return {
        **{slot: _word(slot) for slot in ("noun", "nouns", "adj", "ved", "ing", "adv", "Word")},
        **{slot: _number(slot) for slot in NUMBERS},
        "person": lambda story: " ".join(person_name(story.rnd)),
        "first": lambda story: first_name(zipf_rank(story.rnd, *FIRST_NAME_LAW)),
        "surname": lambda story: surname(zipf_rank(story.rnd, *SURNAME_LAW)),
        "town": _place("town"),
    }


def _render(template: Compiled, story: Story) -> str:
    pattern, handlers, _ = template
    return pattern.format(*[handler(story) for handler in handlers])


def _with_article(handler: Handler, capital: bool) -> Handler:
    """`handler`'s value after "a" or "an", whichever it takes ("an Ōtara", "a union")."""
    a, an = ("A ", "An ") if capital else ("a ", "an ")

    def render(story: Story) -> str:
        value = handler(story)
        return (an if _VOWEL_START.match(value) else a) + value

    return render


class _Compiler:
    """Resolves each slot name of one desk to its handler, once."""

    def __init__(self, d: Desk) -> None:
        self.desk = d
        self.handlers: dict[str, Handler] = {}
        self.drawers: dict[str, Handler] = {
            "place": _place("town"),
            "street": _street,
            **{name: _place(name) for name in ("region", "feature", "world", "country")},
        }

    def template(self, template: Template) -> Compiled:
        literals = [t.replace("{", "{{").replace("}", "}}") for t in template[0::2]]
        handlers = []
        for i, name in enumerate(template[1::2]):
            handler = self.handler(name)
            article = _ARTICLE.search(literals[i])
            if article:  # the slot's value decides between "a" and "an"
                literals[i] = literals[i][: article.start()]
                handler = _with_article(handler, capital=article.group(1) == "A")
            handlers.append(handler)
        return "{}".join(literals), tuple(handlers), next(_SERIAL)

    def drawer(self, name: str) -> Handler:
        """How the sticky `name` is drawn the first time (a desk list, a place, a street)."""
        if name not in self.drawers:
            options: list[Compiled] = []  # filled after, so lists may refer to each other
            self.drawers[name] = lambda story: _render(story.rnd.choice(options), story)
            options.extend(self.template(v) for v in self.desk.lists[name])
        return self.drawers[name]

    def handler(self, name: str) -> Handler:
        if name not in self.handlers:
            self.handlers[name] = self._resolve(name)
        return self.handlers[name]

    def _resolve(self, name: str) -> Handler:
        fresh, lists = _fresh(), self.desk.lists
        if name in fresh:
            return fresh[name]
        if name in self.desk.kinds:
            return lambda story: story.pick(name)
        if name in ("P1", "P2", "P3"):
            title = self.handler(f"{name}title") if f"{name}title" in lists else None
            return lambda story: story.mention(name, title)
        if name == "S":
            speakers = [self.handler(who) for who in _SPEAKERS]
            return lambda story: story.rnd.choice(speakers)(story)
        if name in lists or name in self.drawers:
            return _sticky(name, self.drawer(name))
        base = name[:-1]
        draw = self.drawer(base)
        return lambda story: story.another(base, draw)


@functools.cache
def compiled(desk_name: str) -> dict[str, list[Compiled]]:
    """The desk's kinds of templates, compiled; a slot nothing defines is an error here."""
    d = desk(desk_name)
    unknown = check(d, BUILTINS)
    if unknown:
        raise ValueError(f"text/{desk_name}.txt uses undefined slots: {', '.join(unknown)}")
    compiler = _Compiler(d)
    return {kind: [compiler.template(t) for t in group] for kind, group in d.kinds.items()}


BUILTINS = {
    *NUMBERS,
    "place",
    "street",
    "region",
    "feature",
    "world",
    "country",
    "noun",
    "nouns",
    "adj",
    "ved",
    "ing",
    "adv",
    "Word",
}
BUILTINS |= {"person", "first", "surname", "town", "P1", "P2", "P3", "S"}
