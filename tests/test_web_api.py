"""The JSON API, error handling, security headers, /healthz and index hot-swap, over real data."""

from __future__ import annotations

import time

import jsonschema
import pytest
from flask import Flask

from bench.synth import generate_articles
from crawler.archive import Archive
from index.maintain.build import rebuild
from tests.web_support import (
    PREMIUM_ID,
    PREMIUM_PARAGRAPHS,
    check_schema,
    make_article,
    make_corpus,
)
from web import close_searcher, create_app


def test_openapi_document_is_valid_and_describes_the_api(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert {"/api/search", "/api/articles/{id}"} <= set(openapi["paths"])
    for schema in openapi["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    names = {p["name"] for p in openapi["paths"]["/api/search"]["get"]["parameters"]}
    assert names >= {"q", "section", "from", "to", "year", "month", "day", "sort", "page"}


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"q": "government"},
        {"q": "kiwi", "year": "2021"},
        {"section": "Sport", "sort": "oldest", "page": "2", "page_size": "3"},
        {"year": "2022", "month": "2022-10"},
        {"q": "zzqxjvkw"},
    ],
)
def test_search_answers_match_the_openapi_schema(client, openapi, args):
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200
    data = response.get_json()
    check_schema(openapi, "SearchResult", data)
    assert data["page_size"] == int(args.get("page_size", 20))
    for hit in data["hits"]:
        # Snippets are safe HTML: <mark> is the only markup.
        assert "<" not in hit["snippet"].replace("<mark>", "").replace("</mark>", "")


def test_facets_appear_with_the_drill_down(client):
    top = client.get("/api/search").get_json()
    assert "month" not in top["facets"] or not top["facets"]["month"]
    assert all(len(bar["period"]) == 4 for bar in top["timeline"])
    year = top["facets"]["year"][-1]["value"]
    in_year = client.get("/api/search", query_string={"year": year}).get_json()
    assert in_year["facets"]["month"]
    assert all(bar["period"].startswith(year + "-") for bar in in_year["timeline"])
    assert sum(v["count"] for v in in_year["facets"]["month"]) == in_year["total"]


def test_article_api_truncates_premium_unless_licensed(client, openapi, corpus):
    data = client.get(f"/api/articles/{PREMIUM_ID}").get_json()
    check_schema(openapi, "Article", data)
    assert data["truncated"] is True
    assert data["body"] == "\n\n".join(PREMIUM_PARAGRAPHS[:3])
    licensed = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True, "SHOW_PREMIUM_TEXT": True})
    full = licensed.test_client().get(f"/api/articles/{PREMIUM_ID}").get_json()
    assert full["truncated"] is False
    assert full["body"] == corpus.articles[PREMIUM_ID]["body"]


BAD_PARAMS = [
    ({"sort": "sideways"}, "sort must be one of"),
    ({"page": "0"}, "page must be from 1"),
    ({"page": "1000000000"}, "page must be"),
    ({"page": "two"}, "page must be a whole number"),
    ({"page_size": "0"}, "page_size must be from 1"),
    ({"page_size": "101"}, "page_size must be from 1"),
    ({"from": "2022-13-01"}, "from must be a date"),
    ({"to": "yesterday"}, "to must be a date"),
    ({"from": "2022-10-11", "to": "2022-10-01"}, "is after to"),
    ({"year": "22"}, "year must be a year"),
    ({"month": "2022-13"}, "month must be a month"),
    ({"year": "2022", "month": "2021-10"}, "is not in year"),
    ({"day": "2022-02-30"}, "day must be a date"),
    ({"premium": "maybe"}, "premium must be true or false"),
    ({"q": "x" * 1001}, "too long"),
    ({"q": "rugby\x00"}, "control characters"),
    ({"section": "Sport\x07"}, "control characters"),
]


@pytest.mark.parametrize(("args", "message"), BAD_PARAMS)
def test_bad_parameters_are_a_400_with_a_message(client, openapi, args, message):
    api = client.get("/api/search", query_string=args)
    assert api.status_code == 400
    check_schema(openapi, "Error", api.get_json())
    assert message in api.get_json()["error"]
    for path in ("/", "/search.atom"):
        page = client.get(path, query_string=args)
        assert page.status_code == 400
        assert page.mimetype == "text/html"
        assert message in page.get_data(as_text=True).replace("&#39;", "'")


@pytest.mark.parametrize(
    ("q", "status"),
    [
        ('"unbalanced', 200),
        ("((", 400),
        ("OR", 400),
        ("-", 400),
        ("title:", 400),
        ("a*", 200),
        ("*", 400),
        ("AND OR NOT", 400),
        ("🦝" * 50, 400),
    ],
)
def test_hostile_queries_get_an_answer_or_a_reason(client, openapi, q, status):
    api = client.get("/api/search", query_string={"q": q})
    assert api.status_code == status
    if status == 400:
        check_schema(openapi, "Error", api.get_json())
        assert len(api.get_json()["error"]) > 20
    page = client.get("/", query_string={"q": q})
    assert page.status_code == status
    assert page.mimetype == "text/html"


def test_errors_are_json_under_api_and_html_elsewhere(client, openapi):
    for path, status in (("/api/nope", 404), ("/api/articles/NOSUCHARTICLE0000000000000", 404)):
        response = client.get(path)
        assert response.status_code == status
        check_schema(openapi, "Error", response.get_json())
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json() == {"error": "POST is not allowed here."}
    page = client.post("/")
    assert page.status_code == 405
    assert page.mimetype == "text/html"


def test_unexpected_errors_are_a_500_without_a_traceback(corpus):
    app = create_app({"DATA_DIR": corpus.data_dir})

    def explode() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/explode", view_func=explode)
    app.add_url_rule("/explode", "explode_page", explode)
    client = app.test_client()
    api = client.get("/api/explode")
    assert api.status_code == 500
    assert api.get_json() == {"error": "Something went wrong on our side."}
    page = client.get("/explode")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/search",
        f"/article/{PREMIUM_ID}",
        "/nope",
        "/api/nope",
        "/static/style.css",
        "/search.atom",
        "/healthz",
    ],
)
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:  # closes the static file it serves
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"]


def test_healthz_and_search_unhealthy_without_data(tmp_path):
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True})
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["archive"]["readable"] is False
    assert body["index"]["readable"] is False
    assert client.get("/api/search").status_code == 503
    assert "not available" in client.get("/").get_data(as_text=True)
    with Archive(tmp_path / "archive.sqlite3") as archive:
        archive.upsert(make_article("ONLYARCH1VE000000000000001"))
    body = client.get("/healthz").get_json()
    assert (body["archive"]["readable"], body["archive"]["articles"]) == (True, 1)
    assert body["index"]["readable"] is False


def test_serves_a_rebuilt_index_without_restart(tmp_path):
    corpus = make_corpus(tmp_path, list(generate_articles(20, seed=3)))
    app: Flask = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True})
    client = app.test_client()
    assert client.get("/api/search", query_string={"q": "narwhalicious"}).get_json()["total"] == 0
    with Archive(corpus.archive_path) as archive:
        archive.upsert(make_article("NARWHAL0000000000000000001", title="Narwhalicious news"))
    time.sleep(1.1)  # build directories are stamped to the second
    rebuild(corpus.archive_path, corpus.index_dir, procs=1)
    deadline = time.monotonic() + 10
    total = 0
    while time.monotonic() < deadline and total == 0:
        total = client.get("/api/search", query_string={"q": "narwhalicious"}).get_json()["total"]
        time.sleep(0.2)
    assert total == 1
    assert client.get("/healthz").get_json()["index"]["articles"] == 21
    close_searcher(app)


def test_bad_search_page_keeps_the_words_to_fix(client):
    page = client.get("/", query_string={"q": "kiwi <b>", "sort": "sideways"})
    assert page.status_code == 400
    assert 'value="kiwi &lt;b&gt;"' in page.get_data(as_text=True)
