"""The synthetic article generator: valid, deterministic, realistic enough to test search."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.synth import generate_articles, synthetic_archive
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
