"""Provenance on the article page and in the API: when this version was fetched, when the
article was first archived, how often it was updated, and a word diff of each change that
never shows hidden premium text."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from bench.synth import generate_articles
from crawler.archive import Archive
from crawler.record import Article
from index.maintain.build import rebuild
from tests.web_support import make_article
from web import close_searcher, create_app

FREE_ID = "VERS10NFREE000000000000001"
PREMIUM_ID = "VERS10NPREM1UM000000000001"
TURNED_ID = "VERS10NTURNEDPREM1UM000001"
PLAIN_ID = "VERS10NPLA1N00000000000001"
FREE_PARAS = ["Kākāpō counted on Whenua Hou.", "Rangers found twelve chicks.", "More soon."]
PREMIUM_PARAS = [f"Premium paragraph {n} zyxopen{n}." for n in range(1, 7)]


def _versions() -> list[Article]:
    free1 = make_article(
        FREE_ID,
        title="Kākāpō count begins",
        body="\n\n".join(FREE_PARAS),
        published="2024-03-01T00:00:00Z",
        fetched="2024-03-01T00:10:00Z",
    )
    free2 = make_article(
        FREE_ID,
        title="Kākāpō count finds record chicks",
        body="\n\n".join(
            [
                FREE_PARAS[0],
                "Rangers found <script>alert(1)</script> sixteen chicks.",
                FREE_PARAS[2],
            ]
        ),
        published="2024-03-01T00:00:00Z",
        updated="2024-03-02T00:00:00Z",
        fetched="2024-03-02T00:10:00Z",
    )
    free3 = make_article(
        FREE_ID,
        title=free2["title"],
        body=free2["body"] + "\n\nA new closing line.",
        published="2024-03-01T00:00:00Z",
        updated="2024-03-03T00:00:00Z",
        fetched="2024-03-03T00:10:00Z",
        section="Environment",
    )
    changed = [*PREMIUM_PARAS]
    changed[1] = "Premium paragraph 2 zyxopen2, now corrected."
    changed[4] = "Premium paragraph 5 zyxhiddennew."  # beyond the preview: never shown
    premium1 = make_article(
        PREMIUM_ID,
        title="Premium story",
        body="\n\n".join(PREMIUM_PARAS),
        premium=True,
        published="2024-04-01T00:00:00Z",
    )
    premium2 = make_article(
        PREMIUM_ID,
        title="Premium story",
        body="\n\n".join(changed),
        premium=True,
        published="2024-04-01T00:00:00Z",
        updated="2024-04-02T00:00:00Z",
    )
    # Free at first, premium now: its old full text is now premium text, so it is hidden too.
    turned1 = make_article(
        TURNED_ID,
        title="Turned premium",
        published="2024-05-01T00:00:00Z",
        body="\n\n".join([*PREMIUM_PARAS[:5], "Paragraph six zyxwasfree."]),
    )
    turned2 = make_article(
        TURNED_ID,
        title="Turned premium",
        premium=True,
        published="2024-05-01T00:00:00Z",
        updated="2024-05-02T00:00:00Z",
        body="\n\n".join([*PREMIUM_PARAS[:5], "Paragraph six zyxnowpaid."]),
    )
    plain = make_article(PLAIN_ID, title="Never updated", published="2024-06-01T00:00:00Z")
    return [free1, free2, free3, premium1, premium2, turned1, turned2, plain]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("versions")
    with Archive(data_dir / "archive.sqlite3") as archive:
        archive.upsert_many(generate_articles(20, seed=4))
        for version in _versions():  # one at a time, as successive crawls would
            archive.upsert(version)
    rebuild(data_dir / "archive.sqlite3", data_dir / "index", procs=1)
    return data_dir


def _client(data_dir: Path, **config: object):
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, **config})
    return app, app.test_client()


@pytest.fixture(scope="module")
def client(data_dir: Path):
    app, client = _client(data_dir)
    yield client
    close_searcher(app)


def _validate(client, instance: dict) -> None:
    document = client.get("/api/openapi.json").get_json()
    schema = {"$ref": "#/components/schemas/Article", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_api_gives_fetched_first_seen_and_versions_oldest_first(client) -> None:
    data = client.get(f"/api/articles/{FREE_ID}").get_json()
    _validate(client, data)
    assert data["fetched"] == "2024-03-03T00:10:00Z"
    assert data["first_seen"] == "2024-03-01T00:10:00Z"
    assert data["last_seen"] == "2024-03-03T00:10:00Z"
    assert data["versions"] == [
        {"updated": "2024-03-01T00:00:00Z", "fetched": "2024-03-01T00:10:00Z"},
        {"updated": "2024-03-02T00:00:00Z", "fetched": "2024-03-02T00:10:00Z"},
        {"updated": "2024-03-03T00:00:00Z", "fetched": "2024-03-03T00:10:00Z"},
    ]
    plain = client.get(f"/api/articles/{PLAIN_ID}").get_json()
    _validate(client, plain)
    assert plain["fetched"] is None
    assert plain["versions"] == [{"updated": "2024-06-01T00:00:00Z", "fetched": None}]
    assert plain["first_seen"] is not None  # archived now, by the archive's clock


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_article_page_shows_provenance_and_a_readable_word_diff(client) -> None:
    html = client.get(f"/article/{FREE_ID}").get_data(as_text=True)
    text = _text(html)
    assert "This version fetched 3 Mar 2024, 1:10 PM" in text  # New Zealand time
    assert "First archived 1 Mar 2024, 1:10 PM" in text
    assert "Updated 2 times since first archived" in text
    assert "Headline: Kākāpō count begins finds record chicks" in text
    assert "Kākāpō count <del>begins</del> <ins>finds record chicks</ins>" in html
    assert "<del>twelve</del> <ins>&lt;script&gt;alert(1)&lt;/script&gt; sixteen</ins>" in html
    assert "<ins>A new closing line.</ins>" in html
    assert "Also changed: section." in text
    assert "<script>alert(1)" not in html
    # Newest change first.
    assert html.index("<ins>A new closing line") < html.index("<ins>finds record chicks")
    plain = _text(client.get(f"/article/{PLAIN_ID}").get_data(as_text=True))
    assert "First archived" in plain
    assert "Updated" not in plain
    assert "This version fetched" not in plain


@pytest.mark.parametrize("article_id", [PREMIUM_ID, TURNED_ID])
def test_diffs_never_show_hidden_premium_text(client, data_dir: Path, article_id: str) -> None:
    html = client.get(f"/article/{article_id}").get_data(as_text=True)
    assert "Updated 1 time since first archived" in _text(html)
    assert "Only the opening paragraphs of this premium article are compared." in html
    for hidden in ("zyxopen4", "zyxopen5", "zyxhiddennew", "zyxwasfree", "zyxnowpaid"):
        assert hidden not in html
    if article_id == PREMIUM_ID:
        # A change within the preview is shown.
        assert "<del>zyxopen2.</del> <ins>zyxopen2, now corrected.</ins>" in html
    app, licensed = _client(data_dir, SHOW_PREMIUM_TEXT=True)
    try:
        full = licensed.get(f"/article/{article_id}").get_data(as_text=True)
    finally:
        close_searcher(app)
    hidden_change = "zyxhiddennew" if article_id == PREMIUM_ID else "zyxnowpaid"
    assert hidden_change in full  # a licensed deployment sees the whole diff


def test_an_archive_of_the_old_schema_is_served_with_empty_provenance(tmp_path: Path) -> None:
    article = make_article(PLAIN_ID, title="From an old archive")
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert(article)
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:  # as an old release wrote it
        db.execute("DROP TABLE versions")
        for column in ("fetched", "first_seen", "last_seen"):
            db.execute(f"ALTER TABLE articles DROP COLUMN {column}")
        db.execute("PRAGMA user_version = 0")
    rebuild(tmp_path / "archive.sqlite3", tmp_path / "index", procs=1)
    app, client = _client(tmp_path)
    try:
        data = client.get(f"/api/articles/{PLAIN_ID}").get_json()
        page = client.get(f"/article/{PLAIN_ID}")
    finally:
        close_searcher(app)
    _validate(client, data)
    assert (data["fetched"], data["first_seen"], data["last_seen"]) == (None, None, None)
    assert data["versions"] == [{"updated": article["updated"], "fetched": None}]
    assert page.status_code == 200
    assert "First archived" not in page.get_data(as_text=True)
