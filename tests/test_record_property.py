"""Property: every record `validate` accepts goes through the whole system without an error:
archive import, a full rebuild, an incremental update, the search and article pages, the
JSON API and the Atom feed of the real Flask app.

Records are generated hostile but valid: any Unicode text (control characters, macrons,
right-to-left marks, markup, noncharacters), huge and empty optional fields, timestamps
at both ends of the accepted range in any offset, duplicate authors and tags.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.archive import Archive
from crawler.record import EARLIEST, InvalidRecord, latest_allowed, validate
from index.maintain.build import rebuild
from index.maintain.incremental import update
from web import close_searcher, create_app

HOSTILE = [
    '<script>alert("x")</script>',
    "Whangārei & Ōtautahi “quoted” ‘single’",
    "\x00\x01\x08\x0b\x0c\x1f\x7f control",
    "\ufffe\uffff\ufeff noncharacters",
    "\u202e right-to-left \u200f mark \u2028 line \u2029 para",
    "]]> <![CDATA[ &amp; &#0; &lt;",
    'tag:"x" OR -y *wild* (paren',
    "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "a\n\nb\n\n\n\nc",
]
text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map(" ".join),
)
required_text = text.filter(lambda s: s.strip() != "")
optional_text = st.one_of(text, st.just(""), st.just("x " * 15_000))  # empty or 30 kB

# Instants: mostly valid ones, with the boundaries themselves likely, and some from the
# whole calendar (which validate must either reject or make safe); in any UTC offset.
_LAST = latest_allowed() - timedelta(minutes=5)  # still valid when the test validates it
instants = st.one_of(
    st.sampled_from([EARLIEST, EARLIEST + timedelta(hours=13), _LAST]),
    st.datetimes(
        min_value=EARLIEST.replace(tzinfo=None) + timedelta(days=1),
        max_value=_LAST.replace(tzinfo=None) - timedelta(days=1),
        timezones=st.just(UTC),
    ),
    st.sampled_from([datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC)]),
    st.datetimes(timezones=st.just(UTC)),
)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    when = draw(instants)
    with contextlib.suppress(OverflowError):  # no such local time: written in UTC
        when = when.astimezone(draw(offsets))
    text = when.isoformat(timespec=draw(st.sampled_from(["seconds", "microseconds"])))
    return text.replace("+00:00", "Z") if draw(st.booleans()) else text


@st.composite
def records(draw: st.DrawFn, article_id: str) -> dict[str, object]:
    return {
        "id": article_id,
        "url": "https://" + draw(text),
        "title": draw(required_text),
        "standfirst": draw(optional_text),
        "body": draw(st.one_of(required_text, st.just("Para one.\n\n" + "word " * 6_000))),
        "authors": draw(st.lists(text, max_size=3)),
        "source": draw(required_text),
        "section": draw(required_text),
        "subsection": draw(st.one_of(st.none(), text)),
        "tags": draw(st.lists(text, max_size=3)),
        "published": draw(timestamps()),
        "updated": draw(st.one_of(st.none(), timestamps())),
        "premium": draw(st.booleans()),
        "fetched": draw(st.one_of(st.none(), timestamps())),
    }


IDS = [f"PROP{n:022d}" for n in range(4)]
batches = st.tuples(*(records(i) for i in IDS[:3]), records(IDS[3]), records(IDS[0]))


def _validated(candidates: tuple[dict[str, object], ...]) -> list:
    valid = []
    for candidate in candidates:
        try:
            valid.append(validate(candidate))
        except InvalidRecord:
            continue  # not the property's business: only what validate accepts
    return valid


def _lines(articles: list) -> list[bytes]:
    return [json.dumps(a, ensure_ascii=False).encode("utf-8") + b"\n" for a in articles]


def _check_app(data_dir: Path, articles: list) -> None:
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    client = app.test_client()
    try:
        for url in ("/", "/?sort=oldest", "/api/search"):
            assert client.get(url).status_code == 200, url
        latest = {a["id"]: a for a in articles}  # the forced later version replaces the first
        for article in latest.values():
            word = quote(article["title"][:60])
            for url in (f"/?q={word}", f"/api/search?q={word}"):
                answer = client.get(url)
                assert answer.status_code < 500, (url, answer.status_code)
            feed = client.get(f"/search.atom?q={word}")
            assert feed.status_code < 500
            if feed.status_code == 200:
                ET.fromstring(feed.data)  # well-formed XML
            page = client.get(f"/article/{article['id']}")
            assert page.status_code == 200, page.status_code
            api = client.get(f"/api/articles/{article['id']}")
            assert api.status_code == 200
            assert api.json["title"] == article["title"]
            assert api.json["fetched"] == article.get("fetched")
        ET.fromstring(client.get("/search.atom").data)
    finally:
        close_searcher(app)


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batches)
def test_every_valid_record_is_archived_indexed_and_shown(
    candidates: tuple[dict[str, object], ...],
) -> None:
    # Three distinct ids are imported and indexed first; then a fourth and a second version
    # of the first one, forced (so it replaces the first whatever its dates), are imported
    # and picked up by an incremental update.
    first, later = _validated(candidates[:3]), _validated(candidates[3:])
    articles = first + later
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        archive_path, index_dir = data_dir / "archive.sqlite3", data_dir / "index"
        with Archive(archive_path) as archive:
            report = archive.import_jsonl(_lines(first))
            assert report.rejected == []
        rebuild(archive_path, index_dir, procs=1)
        with Archive(archive_path) as archive:
            report = archive.import_jsonl(_lines(later), force=True)
            assert report.rejected == []
        update(archive_path, index_dir)
        if articles:
            _check_app(data_dir, articles)
