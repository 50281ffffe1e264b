"""Deterministic synthetic NZ-Herald-like article records for tests and benchmarks.

    python -m bench.synth N [--seed S] > articles.jsonl    # then: python -m crawler.archive import

Records pass `crawler.record.validate`. Text is drawn from a Zipf vocabulary of real English
words plus New Zealand words with macrons, with curly quotes and apostrophes. Speed comes from
building a pool of sentences once per seed and assembling each article from the pool.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.archive import Archive, ArchiveError
from crawler.config import REAL_ORIGIN
from crawler.record import Article


def _split(text: str) -> list[str]:
    return text.split()


_COMMON = _split("""
the of and to a in is that for it was on with as he she at by be this had from not are but
have they his her were an which one their said all has will would there been more when who
year new people first last two three time government police council week day month years
after over about up out into than also could some other them what its only just our back
told made make says say team game season coach players minister party election vote people's
prime city country world home school family community children water house housing market
price prices rate rates bank business company companies staff work workers jobs money cost
costs million billion dollars health hospital doctors nurses patients report court judge
charged charges trial sentence prison officers crash road driver car traffic fire weather
rain storm flooding wind snow summer winter spring autumn beach coast island north south
east west central region regional local national international support plan plans policy
change changes climate energy power electricity petrol fuel food farmers farm dairy milk
export exports trade deal deals growth economy inflation interest budget tax taxes spending
public private sector services service review inquiry decision decisions leader leaders
member members group groups board chief executive director manager officer spokesperson
statement according believe expected announced confirmed revealed warned called asked
wanted needed started finished won lost played scored win loss draw match final series
test tests cup championship tournament league club clubs fans crowd stadium ground field
ball try tries wicket wickets runs innings batting bowling captain squad selection injury
injured recovery return returns history historic record records best worst high low early
late long short big small large major minor key important important good bad great little
old young man woman men women boy girl son daughter mother father parents friends friend
night morning evening afternoon today yesterday tomorrow hours minutes moment times place
places area areas street streets town towns village rural urban land sea river lake mountain
forest park parks airport flight flights travel tourists tourism hotel visitors holiday
music film show shows festival artist artists band album song songs star stars actor actress
television streaming series episode audience fashion designer style food restaurant chef
wine coffee menu dish recipe garden kitchen technology phone phones app apps internet online
data software computer security hackers privacy digital company's startup investors shares
sharemarket property mortgage mortgages buyers sellers rent renters landlords homes building
construction project projects infrastructure transport rail bus buses cycling ferry
university students teachers schools education learning research scientists study studies
science space ocean marine birds species conservation environment pollution emissions
carbon waste plastic recycling protest protesters rally march campaign campaigns candidate
candidates parliament debate bill law laws legislation select committee opposition coalition
labour national greens act first mayor councillors ratepayers funding grant grants charity
volunteers rescue emergency ambulance firefighters search missing body investigation
detectives arrested arrest stolen robbery assault murder homicide victim victims witness
witnesses evidence jury verdict guilty appeal lawyer lawyers hearing bail custody
running runner elections electoral polls polling voters stopped stopping cricket rugby
netball football soccer basketball rowing sailing cycling athletics olympics commonwealth
""")

_NZ = _split("""
Auckland Wellington Christchurch Hamilton Tauranga Dunedin Napier Nelson Rotorua Invercargill
Whangārei Taupō Māori Ōtautahi Tāmaki Makaurau Aotearoa Pākehā whānau hapū iwi marae kōrero
tamariki mahi kai Ōamaru Whakatāne Kāpiti Waitematā Ngāti Tūhoe Ōrākei Ōhope Mātauranga
Paraparaumu Whanganui Kirikiriroa Pōneke Taranaki Waikato Manawatū Hawke's Otago Southland
Canterbury Northland Coromandel Wairarapa Marlborough Gisborne Tairāwhiti Ruapehu Karangahape
All Blacks Black Caps Silver Ferns Warriors Blues Crusaders Chiefs Hurricanes Highlanders
Beehive kiwi kiwis kiwifruit pōhutukawa kererū tūī haka waka hāngī pounamu tikanga
""")

_NAMES_FIRST = _split(
    "Anna Ben Claire David Emma Finn Grace Hemi Isla James Kate Liam Mere Nikau "
    "Olivia Paul Rawiri Sarah Tom Wiremu Aroha Mei Priya"
)
_NAMES_LAST = _split(
    "Smith Ngata Brown Williams Taylor Walker Cooper Tane Harris Clarke Parata "
    "Jones Martin Wilson Thompson Kingi Robinson Young Hall Rangi Chen Patel"
)

# (label, url slug, [(subsection label or None, slug)], weight, topical words, tags)
_SECTIONS: list[tuple[str, str, list[tuple[str | None, str]], int, str, str]] = [
    (
        "Sport",
        "sport",
        [("Rugby", "rugby"), ("Cricket", "cricket"), ("Netball", "netball"), (None, "")],
        22,
        "rugby cricket netball All Blacks Black Caps Silver Ferns try wicket coach captain squad",
        "Rugby|All Blacks|Cricket|Black Caps|Netball|Super Rugby|Olympics",
    ),
    (
        "New Zealand",
        "nz",
        [("Politics", "politics"), ("Crime", "crime"), (None, "")],
        25,
        "government minister election police court Beehive parliament Māori iwi council",
        "Politics|Crime|Election 2023|Housing|Health|Māori|Weather",
    ),
    (
        "World",
        "world",
        [(None, "")],
        14,
        "president war talks border election summit troops refugees United Nations",
        "United States|Ukraine|Australia|China|Climate change",
    ),
    (
        "Business",
        "business",
        [("Economy", "economy"), (None, "")],
        12,
        "economy inflation interest rates sharemarket property mortgage exports dairy bank",
        "Economy|Property|Sharemarket|Banking|Small business",
    ),
    (
        "Entertainment",
        "entertainment",
        [(None, "")],
        8,
        "music film show festival artist album star streaming television",
        "Music|Movies|TV|Celebrity",
    ),
    (
        "Lifestyle",
        "lifestyle",
        [(None, "")],
        6,
        "food recipe garden kitchen wine coffee health family",
        "Food|Wellbeing|Parenting",
    ),
    (
        "Travel",
        "travel",
        [(None, "")],
        5,
        "flight flights airport tourists hotel holiday beach island Taupō Rotorua",
        "Travel|Destinations|Airlines",
    ),
    (
        "Technology",
        "technology",
        [(None, "")],
        4,
        "phone app apps internet software data hackers privacy digital startup",
        "Technology|Apps|Cybersecurity",
    ),
    (
        "Opinion",
        "opinion",
        [(None, "")],
        3,
        "government policy debate coalition leader voters",
        "Opinion|Politics",
    ),
    (
        "Viva",
        "viva",
        [(None, "")],
        1,
        "fashion designer style restaurant chef menu",
        "Fashion|Food|Beauty",
    ),
]
_WIRES = ("AP", "Reuters", "Washington Post")
_YEARS = list(range(1998, 2027))
_YEAR_WEIGHTS = [(y - 1996) ** 2 for y in _YEARS]
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LAST_DAY = datetime(2026, 11, 20, tzinfo=UTC)


_SYLLABLES = _split("ka ko ma mo ta to ra ro wa whe nga ha hi ki ti pu ru ne te wai rua tai mā tō")


def _proper_noun(rnd: random.Random) -> str:
    return "".join(rnd.choices(_SYLLABLES, k=rnd.randint(3, 4))).capitalize()


@functools.cache
def _fold_slug(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    plain = "".join(c for c in decomposed if c.isalnum() or c == " ")
    return plain.replace(" ", "-")


class _Pool:
    """Sentences and titles built once per seed; articles are assembled from them."""

    def __init__(self, seed: int) -> None:
        rnd = random.Random(f"pool-{seed}")
        # Function words lead the Zipf ranks; NZ words are spread through the middle; a long
        # tail of generated te reo-like place and family names gives realistic term counts.
        vocab = list(dict.fromkeys(_COMMON))
        for i, word in enumerate(dict.fromkeys(_NZ)):
            vocab.insert(40 + i * 7, word)
        real = len(vocab)
        vocab += sorted({_proper_noun(rnd) for _ in range(6000)})
        # The generated names are damped so they stay about 8% of running text.
        weights = (1.0 / (r + 1) ** 1.05 * (1.0 if r < real else 0.25) for r in range(len(vocab)))
        self.cum = list(itertools.accumulate(weights))
        self.vocab = vocab
        general = [self._sentence(rnd, None) for _ in range(40000)]
        # About 30% of an article's sentences come from its section's topical sentences.
        self.mixed = {
            s[0]: general + [self._sentence(rnd, s[4].split()) for _ in range(2000)] * 8
            for s in _SECTIONS
        }

    def words(self, rnd: random.Random, n: int, topic: list[str] | None) -> list[str]:
        out = rnd.choices(self.vocab, cum_weights=self.cum, k=n)
        if topic:
            for _ in range(max(1, n // 6)):
                out[rnd.randrange(n)] = rnd.choice(topic)
        return out

    def _sentence(self, rnd: random.Random, topic: list[str] | None) -> str:
        words = self.words(rnd, rnd.randint(8, 24), topic)
        roll = rnd.random()
        if roll < 0.12:  # a possessive with a curly apostrophe
            i = rnd.randrange(len(words))
            words[i] = words[i] + "’s"
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if roll > 0.85:  # quoted speech in curly quotes
            name = f"{rnd.choice(_NAMES_FIRST)} {rnd.choice(_NAMES_LAST)}"
            return f"“{text},” {name} said."
        return text + "."


_POOLS: dict[int, _Pool] = {}


def _pool(seed: int) -> _Pool:
    if seed not in _POOLS:
        _POOLS[seed] = _Pool(seed)
    return _POOLS[seed]


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


def _article(pool: _Pool, rnd: random.Random) -> Article:
    label, slug, subs, _, topic, tags = rnd.choices(_SECTIONS, cum_weights=_SECTION_CUM)[0]
    sub_label, sub_slug = rnd.choice(subs)
    tag_list = tags.split("|")
    article_id = "".join(rnd.choices(_ID_CHARS, k=26))
    title_words = pool.words(rnd, rnd.randint(6, 12), topic.split())
    title = " ".join(title_words)
    title = title[0].upper() + title[1:]
    path = "/".join(p for p in (slug, sub_slug, "-".join(map(_fold_slug, title_words))) if p)
    mixed = pool.mixed[label]
    picks = rnd.choices(mixed, k=36)
    cuts = sorted(rnd.sample(range(1, 36), k=rnd.randint(8, 13)))
    paragraphs = [" ".join(picks[a:b]) for a, b in zip([0, *cuts], [*cuts, 36], strict=True)]
    wire = rnd.random() < 0.15
    if wire:
        source = rnd.choice(_WIRES)
        authors = (
            [f"{rnd.choice(_NAMES_FIRST)} {rnd.choice(_NAMES_LAST)}"]
            if (source == "Washington Post" and rnd.random() < 0.5)
            else []
        )
    else:
        source = "NZ Herald"
        authors = [
            f"{rnd.choice(_NAMES_FIRST)} {rnd.choice(_NAMES_LAST)}"
            for _ in range(1 if rnd.random() < 0.9 else 2)
        ]
    published = _published(rnd)
    updated = published + timedelta(minutes=rnd.randrange(600)) if rnd.random() < 0.3 else published
    return Article(
        id=article_id,
        url=f"{REAL_ORIGIN}/{path}/{article_id}/",
        title=title,
        standfirst=mixed[-1 - rnd.randrange(16000)],
        body="\n\n".join(paragraphs),
        authors=list(dict.fromkeys(authors)),
        source=source,
        section=label,
        subsection=sub_label,
        tags=rnd.sample(tag_list, k=min(len(tag_list), rnd.randint(1, 3))),
        published=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        updated=updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        premium=rnd.random() < 0.3,
    )


_SECTION_CUM = list(itertools.accumulate(s[3] for s in _SECTIONS))


def generate_articles(n: int, seed: int = 0) -> Iterator[Article]:
    """`n` deterministic synthetic articles (same `n` and `seed` → the same records)."""
    pool = _pool(seed)
    rnd = random.Random(f"articles-{seed}")
    for _ in range(n):
        yield _article(pool, rnd)


def synthetic_archive(path: Path, n: int, seed: int = 0) -> bool:
    """Make `path` an archive of the first `n` synthetic articles; False if it already was one.

    Written beside the target and renamed into place, so an interrupted run leaves no
    half-filled archive for the next benchmark to trust.
    """
    if path.exists():
        try:
            with Archive(path, readonly=True) as archive:
                if archive.count() == n:
                    return False
        except ArchiveError:
            pass  # not an archive: replaced below
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
    articles = generate_articles(n, seed=seed)
    with Archive(partial) as archive:
        while batch := list(itertools.islice(articles, 5000)):
            archive.upsert_many(batch)
    partial.rename(path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = sys.stdout
    for article in generate_articles(args.n, args.seed):
        out.write(json.dumps(article, ensure_ascii=False))
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
