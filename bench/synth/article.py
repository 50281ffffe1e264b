"""One synthetic article record: section, desk, text, byline, dates, tags and flags.

The text is written by a Story from the desk's templates: a lead paragraph, then facts,
quotes and background until the article reaches its length (about 600 words on average,
from a 100-word brief to a 2,000-word feature), crossheads in long pieces, a closing line;
the headline and standfirst last, so they name people by surname as headlines do.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta

from bench.synth.story import Story, person_name
from crawler.config import REAL_ORIGIN
from crawler.record import Article

# (section, slug, weight, [(subsection, slug, desk, weight)], tags)
SECTIONS: list[tuple[str, str, int, list[tuple[str | None, str, str, int]], str]] = [
    (
        "Sport",
        "sport",
        22,
        [
            ("Rugby", "rugby", "rugby", 10),
            ("Cricket", "cricket", "cricket", 4),
            ("Netball", "netball", "netball", 2),
            (None, "", "sport", 6),
        ],
        "Sport|Rugby|All Blacks|Super Rugby|Cricket|Black Caps|Netball|Silver Ferns|Olympics",
    ),
    (
        "New Zealand",
        "nz",
        25,
        [
            ("Politics", "politics", "politics", 8),
            ("Crime", "crime", "crime", 8),
            (None, "", "nz", 9),
        ],
        "Politics|Crime|Courts|Housing|Health|Weather|Transport|Education|Environment|Māori",
    ),
    (
        "World",
        "world",
        14,
        [(None, "", "world", 1)],
        "United States|Ukraine|Australia|China|Pacific",
    ),
    (
        "Business",
        "business",
        12,
        [("Economy", "economy", "business", 1), (None, "", "business", 2)],
        "Economy|Property|Sharemarket|Banking|Small business",
    ),
    (
        "Entertainment",
        "entertainment",
        8,
        [(None, "", "entertainment", 1)],
        "Music|Movies|TV|Books",
    ),
    ("Lifestyle", "lifestyle", 6, [(None, "", "lifestyle", 1)], "Food|Wellbeing|Parenting|Garden"),
    ("Travel", "travel", 5, [(None, "", "travel", 1)], "Travel|Destinations|Airlines"),
    ("Technology", "technology", 4, [(None, "", "technology", 1)], "Technology|Apps|Cybersecurity"),
    ("Opinion", "opinion", 3, [(None, "", "opinion", 1)], "Opinion|Politics"),
    ("Viva", "viva", 1, [(None, "", "viva", 1)], "Fashion|Food|Beauty"),
]
_SECTION_CUM = list(itertools.accumulate(s[2] for s in SECTIONS))
_WIRES = ("AP", "Reuters", "Washington Post")
_YEARS = list(range(1998, 2027))
_YEAR_WEIGHTS = [(y - 1996) ** 2 for y in _YEARS]
_LAST_DAY = datetime(2026, 11, 20, tzinfo=UTC)
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Body length in words: log-normal, median ~520, mean ~600, cut to 100..2,400.
_LENGTH_MU, _LENGTH_SIGMA = 6.25, 0.55


@functools.cache
def staff(seed: int) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The newsroom's bylines over the years: 600 reporters, a few of them prolific."""
    rnd = random.Random(f"staff-{seed}")
    names = tuple(dict.fromkeys(" ".join(person_name(rnd)) for _ in range(600)))
    return names, tuple(itertools.accumulate(1 / (rank + 8) for rank in range(len(names))))


def _byline(rnd: random.Random, seed: int) -> list[str]:
    names, cum = staff(seed)
    count = 1 if rnd.random() < 0.9 else 2
    picks = [names[bisect.bisect(cum, rnd.random() * cum[-1])] for _ in range(count)]
    return list(dict.fromkeys(picks))


def _published(rnd: random.Random) -> datetime:
    year = rnd.choices(_YEARS, weights=_YEAR_WEIGHTS)[0]
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = min(datetime(year + 1, 1, 1, tzinfo=UTC), _LAST_DAY)
    moment = start + timedelta(seconds=rnd.randrange(int((end - start).total_seconds())))
    roll = rnd.random()
    if roll < 0.04:  # near the UTC day boundary
        moment = moment.replace(hour=rnd.choice((23, 0)), minute=rnd.randrange(60))
    elif roll < 0.08:  # near New Zealand midnight (11:00Z NZDT, 12:00Z NZST)
        moment = moment.replace(hour=rnd.choice((10, 11, 12)), minute=rnd.randrange(60))
    return moment


def _capital(text: str) -> str:
    first = text[:1]
    if first.isupper():
        return text
    if first in "“‘'\"" and len(text) > 1:
        return first + text[1].upper() + text[2:]
    return first.upper() + text[1:]


def _body(story: Story, opinion: bool) -> list[str]:
    rnd = story.rnd
    target = min(max(int(rnd.lognormvariate(_LENGTH_MU, _LENGTH_SIGMA)), 100), 2400)
    paragraphs = ["OPINION:"] if opinion else []
    paragraphs.append(_capital(story.pick("lead")))
    words, since_crosshead = paragraphs[-1].count(" ") + 1, 0
    while words < target:
        roll = rnd.random()
        if roll < 0.45:
            text = story.pick("body")
            if rnd.random() < 0.35:
                text += " " + _capital(story.pick("body"))
        elif roll < 0.75:
            text = story.pick("quotepara")
        elif roll < 0.95 or since_crosshead < 8 or target - words < 150:
            text = story.pick("background")
        else:
            text, since_crosshead = story.pick("crosshead"), -1
        paragraphs.append(_capital(text))
        words += text.count(" ") + 1
        since_crosshead += 1
    if rnd.random() < 0.5:
        paragraphs.append(_capital(story.pick("close")))
    return paragraphs


@functools.cache
def _fold_slug(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _slug(title: str) -> str:
    words = (_fold_slug(w) for w in re.split(r"[\s\-–]+", title))
    return "-".join(w for w in words if w)[:90].strip("-") or "story"


def make_article(rnd: random.Random, seed: int) -> Article:
    """One article drawn with `rnd` (`seed` picks the newsroom's staff)."""
    label, slug, _, subs, tags = rnd.choices(SECTIONS, cum_weights=_SECTION_CUM)[0]
    sub_label, sub_slug, desk_name, _ = rnd.choices(subs, weights=[s[3] for s in subs])[0]
    published = _published(rnd)
    story = Story(desk_name, rnd, published.year)
    body = _body(story, opinion=label == "Opinion")
    title = _capital(story.pick("headline").rstrip("."))
    standfirst = _capital(story.pick("standfirst")) if rnd.random() < 0.9 else ""
    wire = rnd.random() < (0.7 if label == "World" else 0.04)
    source = rnd.choice(_WIRES) if wire else "NZ Herald"
    if not wire:
        authors = _byline(rnd, seed)
    elif source == "Washington Post" and rnd.random() < 0.5:
        authors = [" ".join(person_name(rnd))]
    else:
        authors = []
    article_id = "".join(rnd.choices(_ID_CHARS, k=26))
    path = "/".join(p for p in (slug, sub_slug, _slug(title)) if p)
    tag_list = tags.split("|")
    chosen = rnd.sample(tag_list, k=min(len(tag_list), rnd.randint(1, 3)))
    if "place" in story.sticky and rnd.random() < 0.3:
        chosen.append(story.sticky["place"])
    updated = published + timedelta(minutes=rnd.randrange(600)) if rnd.random() < 0.3 else published
    return Article(
        id=article_id,
        url=f"{REAL_ORIGIN}/{path}/{article_id}/",
        title=title,
        standfirst=standfirst,
        body="\n\n".join(body),
        authors=authors,
        source=source,
        section=label,
        subsection=sub_label,
        tags=list(dict.fromkeys(chosen)),
        published=published.isoformat()[:19] + "Z",
        updated=updated.isoformat()[:19] + "Z",
        premium=rnd.random() < 0.3,
    )
