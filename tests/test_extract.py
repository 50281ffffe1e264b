"""Extraction against handwritten fixture pages (tests/fixtures/pages/NAME.html + NAME.json).

NAME.json is the validated record the page must give, or {"url", "not_an_article": reason}
for pages that are no story, or {"url", "invalid": reason} for pages whose record must fail
validation (the spider drops those with the reason).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from crawler.extract import NotAnArticle, extract_article
from crawler.extract.text import html_to_text, iso_utc, nz_local_to_utc
from crawler.record import FIELDS, InvalidRecord, validate

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))


def _load(name: str) -> tuple[str, dict]:
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return html, json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))


def _hide_fusion(html: str) -> str:
    return html.replace("Fusion.globalContent=", "Fusion.hiddenContent=", 1)


def test_there_is_a_fixture_for_every_shape() -> None:
    assert len(NAMES) >= 12
    assert all((PAGES / f"{name}.json").exists() for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_page_gives_its_expected_record(name: str) -> None:
    html, expected = _load(name)
    url = expected["url"] + "?ref=rss"
    if "not_an_article" in expected:
        with pytest.raises(NotAnArticle, match=expected["not_an_article"]):
            extract_article(url, html)
        return
    candidate = extract_article(url, html)
    assert tuple(candidate) == FIELDS
    if "invalid" in expected:
        with pytest.raises(InvalidRecord, match=expected["invalid"]):
            validate(candidate)
        return
    assert validate(candidate) == expected


@pytest.mark.parametrize("name", NAMES)
def test_fallback_sources_agree_with_the_fusion_data(name: str) -> None:
    """Without Fusion.globalContent, JSON-LD + meta + DOM give the same record."""
    html, expected = _load(name)
    if "Fusion.globalContent={" not in html or set(expected) != set(FIELDS):
        pytest.skip("no Fusion data for a valid story on this page")
    url = expected["url"]
    assert validate(extract_article(url, _hide_fusion(html))) == validate(
        extract_article(url, html)
    )


def test_bytes_are_decoded_by_their_declared_charset() -> None:
    html, expected = _load("macrons-curly-quotes")
    assert validate(extract_article(expected["url"], html.encode("utf-8"))) == expected


def test_without_canonical_the_url_loses_its_query_and_the_id_comes_from_the_path() -> None:
    html = (
        '<html><body><h1 data-test-ui="article__heading">Kererū return to the gully</h1>'
        '<section data-test-ui="article__body"><p>Birds are back.</p></section></body></html>'
    )
    url = "https://www.nzherald.co.nz/nz/kereru-return/ABCDEFGHIJKLMNOPQRSTUVWXYZ/?ref=rss#top"
    record = extract_article(url, html)
    assert (
        record["url"] == "https://www.nzherald.co.nz/nz/kereru-return/ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
    )
    assert record["id"] == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert (record["section"], record["subsection"]) == ("New Zealand", None)
    assert (record["title"], record["body"], record["source"]) == (
        "Kererū return to the gully",
        "Birds are back.",
        "NZ Herald",
    )


@pytest.mark.parametrize(
    ("shown", "utc"),
    [
        ("1 Jun, 2018 05:00 PM", "2018-06-01T05:00:00Z"),  # NZST, +12
        ("11 Jan, 2023 09:30 AM", "2023-01-10T20:30:00Z"),  # NZDT, +13
        ("1 June, 2018 05:00 PM", "2018-06-01T05:00:00Z"),
        ("yesterday", None),
    ],
)
def test_displayed_new_zealand_dates_become_utc(shown: str, utc: str | None) -> None:
    assert nz_local_to_utc(shown) == utc


@pytest.mark.parametrize(
    ("raw", "utc"),
    [
        ("2022-10-11T01:03:53.853Z", "2022-10-11T01:03:53Z"),
        ("2022-10-10T11:35:31+13:00", "2022-10-09T22:35:31Z"),
        ("not a date", None),
        ("", None),
    ],
)
def test_iso_dates_are_normalised_to_utc(raw: str, utc: str | None) -> None:
    assert iso_utc(raw) == utc


def test_html_fragments_become_plain_text() -> None:
    fragment = "A <a href='/x'>linked</a>&nbsp;word,<br/>a break &amp; T&#257;maki&rsquo;s <!--c-->"
    assert html_to_text(fragment) == "A linked word, a break & Tāmaki’s"


# --- never raises anything but NotAnArticle ---------------------------------------------------


def _outcome(url: str, html: str | bytes) -> dict | None:
    try:
        record = extract_article(url, html)
    except NotAnArticle:
        return None
    assert tuple(record) == FIELDS
    return record


@pytest.mark.parametrize(
    "junk",
    [
        "",
        " ",
        "\x00\x01\x02",
        b"",
        b"\xff\xfe\x00<\x00h\x001",
        bytes(range(256)) * 4,
        '<html><head><script id="fusion-metadata">Fusion.globalContent={"type":',
        "Fusion.globalContent=" + "[" * 50_000,
        "Fusion.globalContent=" + '{"a":' * 5_000 + "1" + "}" * 5_000,
        'Fusion.globalContent={"type":"story","elements":"nope","credits":[1],'
        '"headlines":7,"taxonomy":{"primary_section":[]},"tags":{"text":1}};',
        '<script type="application/ld+json">{"@type":"NewsArticle","author":7,"headline":[]}'
        "</script>",
        "<h1 data-test-ui='article__heading'>\ud800 lone surrogate</h1>",
        "<html>" + "<div>" * 3_000 + "deep" + "</div>" * 3_000,
    ],
)
def test_garbage_never_raises_other_errors(junk: str | bytes) -> None:
    _outcome("https://www.nzherald.co.nz/nz/", junk)


@pytest.mark.parametrize("name", NAMES)
def test_truncated_fixture_pages_never_raise_other_errors(name: str) -> None:
    html, expected = _load(name)
    for cut in range(0, len(html), max(1, len(html) // 60)):
        _outcome(expected["url"], html[:cut])


def test_randomly_damaged_pages_never_raise_other_errors() -> None:
    rng = random.Random(20221011)
    html, expected = _load("fusion-2022-staff-premium")
    for _ in range(60):
        chars = list(html)
        for _ in range(rng.randint(1, 40)):
            at = rng.randrange(len(chars))
            chars[at] = rng.choice('{}[]",:<>/\\&;x\x00')
        _outcome(expected["url"], "".join(chars))


def test_standfirst_repeated_in_the_body_is_dropped_and_macrons_are_composed() -> None:
    html = (
        '<html><head><meta property="og:description" content="Rain on the way."/></head><body>'
        '<h1 data-test-ui="article__heading">Taupo\u0304 braces for rain</h1>'
        '<section data-test-ui="article__body"><p>Rain on the way.</p><p>Bring a coat.</p>'
        "</section></body></html>"
    )
    record = extract_article("https://www.nzherald.co.nz/nz/rain/ABCDEFGHIJKLMNOPQRSTUVWXYZ/", html)
    assert record["title"] == "Taupō braces for rain"
    assert (record["standfirst"], record["body"]) == ("Rain on the way.", "Bring a coat.")
