"""Did-you-mean benchmark: how many realistic misspellings are corrected, and how often a
correctly spelt word gets a suggestion it should not.

    python -m bench.spelling [--articles 600]

Builds a small archive of news-like articles from a fixed vocabulary (NZ places with
macrons, names, news words, and some rare but correct words), then searches every
misspelling in bench/misspellings.tsv (typed → what the archive writes) and every
correctly spelt vocabulary word, and prints the shares. tests/test_did_you_mean.py holds
the same measurement to a floor.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from crawler.archive import Archive
from crawler.record import Article, validate
from index.maintain.build import rebuild
from index.model import InvalidRequest, SearchRequest
from index.search import Searcher

MISSPELLINGS = Path(__file__).with_name("misspellings.tsv")


def _split(text: str) -> list[str]:
    return text.split()


PLACES = _split(
    "Auckland Wellington Christchurch Hamilton Tauranga Dunedin Napier Nelson Rotorua "
    "Invercargill Whangārei Taupō Whakatāne Kāpiti Paraparaumu Whanganui Gisborne Blenheim "
    "Queenstown Timaru Masterton Ōamaru Taranaki Waikato Manawatū Otago Southland Canterbury "
    "Northland Coromandel Wairarapa Marlborough Tairāwhiti Ruapehu Karangahape Ōtautahi"
)
NAMES = _split(
    "Jacinda Ardern Christopher Luxon Chris Hipkins Winston Peters David Seymour Nicola Willis "
    "Chlöe Swarbrick Grant Robertson Wayne Brown Tory Whanau Phil Mauger Ashley Bloomfield "
    "Siouxsie Wiles Kane Williamson Richie McCaw Beauden Barrett Ardie Savea Sam Whitelock"
)
NEWS = _split(
    "government parliament minister election council police hospital school teachers "
    "students university weather flooding earthquake cyclone housing mortgage inflation "
    "economy business company workers union strike budget taxes transport railway ferry "
    "airport tourism environment climate emissions farmers dairy exports court judge trial "
    "sentence prison murder robbery investigation detectives community families children "
    "health doctors nurses patients vaccine pandemic rugby cricket netball football coach "
    "captain championship tournament stadium festival concert museum library restaurant "
    "beach harbour motorway bridge infrastructure protest referendum coalition opposition "
    "spokesperson announcement committee inquiry report research scientists technology "
    "software security privacy digital property landlords tenants renters building "
    "construction council's mayor councillors ratepayers volunteers rescue emergency "
    "ambulance firefighters missing accident crash driver traffic highway road"
)
FILLER = _split("the of and to a in is that for on with as at by from said says was were")
# Correctly spelt words in one article each: a suggestion for one of these is a false one.
RARE = _split(
    "albatross kākāpō pōhutukawa kererū tuatara gumboot jandals pavlova lamington hokey "
    "pokey marmite vegemite bach crib dairy chilly bin togs scroggin tramping swanndri "
    "pūtangitangi karakia whakapapa tikanga kaitiaki mātauranga rangatahi kaumātua hīkoi"
)


def _sentence(rnd: random.Random, n: int) -> str:
    pool = PLACES + NAMES + NEWS
    words = [rnd.choice(pool) if rnd.random() < 0.6 else rnd.choice(FILLER) for _ in range(n)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def spelling_articles(n: int, seed: int = 4) -> list[Article]:
    """`n` deterministic articles over the vocabulary (the rare words once each)."""
    rnd = random.Random(seed)
    articles = []
    for i in range(n):
        body = "\n\n".join(_sentence(rnd, 30) for _ in range(3))
        if i < len(RARE):
            body += f"\n\nA word of its own: {RARE[i]}."
        article_id = f"SP{i:024d}"
        articles.append(
            validate(
                {
                    "id": article_id,
                    "url": f"https://www.nzherald.co.nz/nz/story/{article_id}/",
                    "title": _sentence(rnd, 8)[:-1],
                    "standfirst": _sentence(rnd, 14),
                    "body": body,
                    "authors": [f"{rnd.choice(NAMES)} {rnd.choice(NAMES)}"],
                    "source": "NZ Herald",
                    "section": rnd.choice(["New Zealand", "Sport", "Business", "World"]),
                    "subsection": None,
                    "tags": [rnd.choice(PLACES)],
                    "published": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9}T01:00:00Z",
                    "premium": False,
                }
            )
        )
    return articles


def load_misspellings(path: Path = MISSPELLINGS) -> list[tuple[str, str]]:
    """(typed, expected suggestion) pairs, one per line, tab-separated; # starts a comment."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            typed, expected = line.split("\t")
            pairs.append((typed.strip(), expected.strip()))
    return pairs


@dataclass
class Measure:
    corrected: list[str] = field(default_factory=list)
    missed: list[tuple[str, str, str | None]] = field(default_factory=list)
    false: list[tuple[str, str]] = field(default_factory=list)
    spelt_right: int = 0

    @property
    def corrected_share(self) -> float:
        return len(self.corrected) / max(1, len(self.corrected) + len(self.missed))

    @property
    def false_share(self) -> float:
        return len(self.false) / max(1, self.spelt_right)


def suggestion(searcher: Searcher, q: str) -> str | None:
    try:
        return searcher.search(SearchRequest(q=q, page_size=1)).suggestion
    except InvalidRequest:
        return None


def measure(searcher: Searcher) -> Measure:
    """Every misspelling and every correctly spelt word of the vocabulary, searched."""
    result = Measure()
    for typed, expected in load_misspellings():
        got = suggestion(searcher, typed)
        if got == expected:
            result.corrected.append(typed)
        else:
            result.missed.append((typed, expected, got))
    for word in dict.fromkeys(PLACES + NAMES + NEWS + RARE):
        result.spelt_right += 1
        got = suggestion(searcher, word)
        if got is not None:
            result.false.append((word, got))
    return result


def build(data_dir: Path, n: int) -> Searcher:
    archive_path, index_dir = data_dir / "archive.sqlite3", data_dir / "index"
    with Archive(archive_path) as archive:
        archive.upsert_many(spelling_articles(n))
    rebuild(archive_path, index_dir, procs=1)
    return Searcher(index_dir, archive_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spelling", description=__doc__)
    parser.add_argument("--articles", type=int, default=600)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        searcher = build(Path(tmp), args.articles)
        result = measure(searcher)
        searcher.close()
    total = len(result.corrected) + len(result.missed)
    print(f"misspellings corrected: {len(result.corrected)}/{total} ({result.corrected_share:.0%})")
    for typed, expected, got in result.missed:
        print(f"  missed: {typed!r} → {got!r} (wanted {expected!r})")
    print(
        f"false suggestions on correctly spelt words: {len(result.false)}/{result.spelt_right} "
        f"({result.false_share:.1%})"
    )
    for word, got in result.false:
        print(f"  false: {word!r} → {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
