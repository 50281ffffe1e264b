"""The synthetic article generator: valid, deterministic, realistic enough to test search."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.synth import generate_articles, synthetic_archive
from bench.synth.article import SECTIONS
from bench.synth.story import compiled
from bench.synth.vocabulary import growth
from crawler.archive import Archive
from crawler.record import validate
from index.ondisk.schema import nz_day

ROOT = Path(__file__).resolve().parents[1]


def test_records_are_valid_deterministic_and_varied() -> None:
    articles = list(generate_articles(600, seed=3))
    assert [validate(a) for a in articles] == articles
    assert list(generate_articles(600, seed=3)) == articles
    assert list(generate_articles(5, seed=4)) != articles[:5]
    assert len({a["id"] for a in articles}) == 600
    assert all(a["url"].endswith(f"/{a['id']}/") for a in articles)
    sections = Counter(a["section"] for a in articles)
    assert len(sections) >= 8
    assert {"Rugby", "Cricket", "Politics", "Crime"} <= {a["subsection"] for a in articles}
    assert 0.2 < sum(a["premium"] for a in articles) / 600 < 0.4
    wires = [a for a in articles if a["source"] != "NZ Herald"]
    assert {a["source"] for a in wires} == {"AP", "Reuters", "Washington Post"}
    assert any(a["authors"] == [] for a in wires)
    text = " ".join(a["body"] for a in articles)
    assert "ā" in text
    assert "’" in text
    assert "“" in text
    words = sum(len(a["body"].split()) for a in articles) / 600
    assert 450 < words < 750
    years = Counter(a["published"][:4] for a in articles)
    assert years["2025"] > years["2005"]
    # some articles fall on a different calendar day in New Zealand than in UTC
    assert any(nz_day(a["published"]).isoformat() != a["published"][:10] for a in articles)


def test_cli_writes_json_lines() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.synth", "25", "--seed", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=True,
    )
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert records == list(generate_articles(25, seed=2))


def test_synthetic_archive_is_made_once_and_remade_when_the_size_differs(tmp_path) -> None:
    path = tmp_path / "archive.sqlite3"
    assert synthetic_archive(path, 30) is True
    assert synthetic_archive(path, 30) is False  # the benchmark reuses it
    assert synthetic_archive(path, 12) is True
    with Archive(path, readonly=True) as archive:
        assert [a["id"] for a in archive] == [
            a["id"] for a in sorted(generate_articles(12), key=lambda a: (a["published"], a["id"]))
        ]
    assert not list(tmp_path.glob("*.partial*"))


def test_articles_read_like_news() -> None:
    articles = list(generate_articles(300, seed=5))
    for a in articles:
        assert "{" not in a["title"] + a["standfirst"] + a["body"]  # every slot filled
        assert not a["title"].endswith(".")
        assert not a["title"][0].islower()
        for paragraph in a["body"].split("\n\n"):
            # sentences end in punctuation; a short line without it is a crosshead
            assert paragraph.endswith((".", "?", "!", "”", ":")) or len(paragraph) < 80
    bodies = "\n".join(a["body"] for a in articles)
    assert not re.search(r"\b[Aa] [aeioAEIOĀŌ]\w", bodies)  # "an Ōtara", never "a Ōtara"
    # People are introduced by full name, then called by surname.
    introduced = re.findall(r"(?:Detective Inspector|Coach|Mayor) \w+ (\w+)", bodies)
    assert any(re.search(rf"\n{surname} said", bodies) for surname in introduced)
    assert any(a["body"].startswith("OPINION:\n\n") for a in articles if a["section"] == "Opinion")
    places = {"Whangārei", "Taupō", "Tāmaki Makaurau", "Ōtāhuhu", "Kāpiti Coast"}
    assert len({p for p in places if p in bodies}) >= 3


def test_slices_are_the_same_articles_and_every_desk_compiles() -> None:
    assert list(generate_articles(4, seed=2, start=6)) == list(generate_articles(10, seed=2))[6:]
    desks = {sub[2] for section in SECTIONS for sub in section[3]}
    assert len(desks) >= 14
    assert all(compiled(name)["body"] for name in desks)  # undefined slots raise here


def test_vocabulary_keeps_growing_like_news() -> None:
    (small, few), (large, many) = list(growth([500, 2000], seed=1, procs=1))
    assert (small, large) == (500, 2000)
    assert many > 15_000  # the old word-salad corpus had ~6,000 terms at 5,000 articles
    assert many / few > 2.0  # Heaps' law with β ≈ 0.6, far from saturating


def test_cli_prints_vocabulary_growth() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.synth", "--vocabulary", "40", "120"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    ).stdout.splitlines()
    rows = [line.split() for line in out[1:]]
    assert [r[0] for r in rows] == ["40", "120"]
    assert int(rows[1][1].replace(",", "")) > int(rows[0][1].replace(",", ""))


def test_an_archive_from_another_generator_is_made_again(tmp_path) -> None:
    path = tmp_path / "archive.sqlite3"
    assert synthetic_archive(path, 10) is True
    path.with_name("archive.sqlite3.synth").unlink()  # e.g. left by the old generator
    assert synthetic_archive(path, 10) is True
    assert synthetic_archive(path, 10) is False
