"""Citations of an archived article: APA 7, Chicago, RIS, BibTeX, CSL-JSON and Highwire tags.

Pure functions of the article record. The article is cited as published: its headline, the
original URL on nzherald.co.nz, and its New Zealand publication date. Named authors are
cited by name ("Tester, A." / "Tester, Aroha"); wire copy without a named reporter cites its
source as the author organisation (e.g. "Associated Press"), as APA 7 (group authors) and
Chicago (14.68, organisations as authors) say; unsigned staff copy has no author, so APA
moves the title to the author position and Chicago's bibliography starts with the paper.

Chicago here is the 17th edition's notes-and-bibliography style, bibliography entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from crawler.record import MONTH_NAMES as _MONTHS
from crawler.record import Article
from web.formatting import nz_time

NEWSPAPER = "The New Zealand Herald"
NEWSPAPER_CHICAGO = "New Zealand Herald"  # Chicago drops an initial "The" (CMOS 14.170)
STAFF_SOURCE = "NZ Herald"
# Agencies as they are named when cited as an organisation.
ORGANISATIONS = {
    "AP": "Associated Press",
    "AAP": "Australian Associated Press",
    "AFP": "Agence France-Presse",
    "RNZ": "Radio New Zealand",
}
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter"}


@dataclass(frozen=True)
class Name:
    """A person (family and given names) or an organisation (`literal`)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def inverted(self) -> str:
        """'Tester, Aroha' (or the organisation's name)."""
        return self.literal or ", ".join(p for p in (self.family, self.given) if p)

    @property
    def natural(self) -> str:
        return self.literal or " ".join(p for p in (self.given, self.family) if p)

    @property
    def initials(self) -> str:
        """'Tester, A. M.' as APA writes names (hyphenated given names: 'J.-P.')."""
        if self.literal:
            return self.literal
        parts = [
            "-".join(f"{piece[0]}." for piece in word.split("-") if piece)
            for word in self.given.split()
        ]
        return f"{self.family}, {' '.join(parts)}" if parts else self.family


def person(name: str) -> Name:
    """A byline name split into family and given names ('Jan van der Berg' → family
    'van der Berg'); a single word stays whole."""
    words = name.split()
    if len(words) < 2:
        return Name(literal=name.strip())
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]))


def authors_of(article: Article) -> list[Name]:
    """The people to cite, or the wire source as an organisation; [] for unsigned staff copy."""
    if article["authors"]:
        return [person(name) for name in article["authors"]]
    source = (article["source"] or "").strip()
    if not source or source == STAFF_SOURCE:
        return []
    return [Name(literal=ORGANISATIONS.get(source, source))]


def published_on(article: Article) -> date:
    """The New Zealand calendar day the article was published."""
    return nz_time(article["published"]).date()


def _long_date(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _sentence(text: str) -> str:
    """Text ending in punctuation: a full stop added unless it ends in . ? or !"""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _listed(names: list[str], *, ampersand: bool) -> str:
    """'A', 'A and B' / 'A, & B', 'A, B, and C' (serial comma, as both styles use)."""
    joiner = "&" if ampersand else "and"
    if len(names) == 1:
        return names[0]
    if len(names) == 2 and not ampersand:
        return f"{names[0]} {joiner} {names[1]}"
    return f"{', '.join(names[:-1])}, {joiner} {names[-1]}"


def apa(article: Article) -> Markup:
    """APA 7 reference of a newspaper article online (the paper's name in italics)."""
    names = authors_of(article)
    day = published_on(article)
    when = f"({day.year}, {_MONTHS[day.month - 1]} {day.day})."
    title = escape(_sentence(article["title"]))
    paper = Markup("<i>{}</i>.").format(NEWSPAPER)
    url = escape(article["url"])
    if not names:  # no author: the title takes the author's place
        return Markup(f"{title} {when} {paper} {url}")
    cited = [n.initials for n in names]
    if len(cited) > 20:  # APA: the first 19, an ellipsis, the last
        cited = [*cited[:19], "…", cited[-1]]
        byline = f"{', '.join(cited[:-1])} {cited[-1]}"
    else:
        byline = _listed(cited, ampersand=True)
    return Markup(f"{escape(_sentence(byline))} {when} {title} {paper} {url}")


def chicago(article: Article) -> Markup:
    """Chicago 17 notes-and-bibliography: the bibliography entry of a newspaper article."""
    names = authors_of(article)
    title = escape(_sentence(article["title"]))
    quoted = Markup("“{}”").format(title)
    paper = Markup("<i>{}</i>").format(NEWSPAPER_CHICAGO)
    rest = Markup(f"{paper}, {_long_date(published_on(article))}. {escape(article['url'])}.")
    if not names:  # unsigned: the newspaper stands in the author's place (CMOS 14.207)
        return Markup(f"{paper}. {quoted} {rest}")
    cited = [names[0].inverted, *(n.natural for n in names[1:])]
    if len(cited) > 10:  # CMOS 14.76: the first seven, then et al.
        cited = [*cited[:7], "et al"]
        byline = ", ".join(cited)
    else:
        byline = _listed(cited, ampersand=False)
    return Markup(f"{escape(_sentence(byline))} {quoted} {rest}")


def plain(html: Markup) -> str:
    """A citation's text without markup (for the copy button and downloads)."""
    return html.striptags()


def citation_key(article: Article) -> str:
    """'tester2022quokka-okwt': first author's family name, year, first long word of the
    title, and the first letters of the Arc id, so that two stories of one agency, year and
    headline word never share a key in one library."""
    names = authors_of(article)
    if not names:
        who = "herald"
    else:  # a person's family name (its last word), or an organisation's first word
        who = names[0].family.split()[-1] if names[0].family else names[0].literal.split()[0]
    words = [w for w in re.findall(r"\w+", _ascii(article["title"]).lower()) if len(w) > 3]
    stem = re.sub(r"[^a-z0-9]", "", f"{_ascii(who).lower()}{published_on(article).year}")
    return f"{stem}{words[0] if words else ''}-{article['id'][:4].lower()}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
