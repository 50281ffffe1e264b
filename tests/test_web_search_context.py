"""What the pages say about a search: what was searched, which results these are, paging to
the very last one, the suggestion shown once, and the article page keeping the search
(a link back, the searched words marked)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from index import limits
from tests.web_support import PREMIUM_ID, PREMIUM_PARAGRAPHS, links


def params(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def api(client, **args):
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ({"q": "-rugby"}, "all articles except those containing “rugby”"),
        ({"q": "government -rugby"}, "articles containing “government”"),
        ({"q": "government -rugby"}, "but not “rugby”"),
        ({"q": "kiwi", "year": "2021"}, "in 2021"),
        ({"q": "title:quokka"}, "“quokka” in the headline"),
        ({"section": "Sport"}, "all articles, in Sport"),
        ({"q": "kiwi", "author": "Jane Smith"}, "(also kiwis), by Jane Smith"),
        ({"author": ["Jane Smith", "Ana Lee"]}, "all articles, by Jane Smith and Ana Lee"),
        ({"q": "kiwi", "tag": ["Politics", "Auckland"]}, "tagged Politics and Auckland"),
    ],
)
def test_what_was_searched_is_said_in_plain_words(client, args, said):
    assert said in api(client, **args)["interpreted"]
    assert said in text_of(client.get("/", query_string=args).get_data(as_text=True))


def test_the_machine_form_is_kept_apart(client):
    data = api(client, q="government -rugby")
    assert data["parsed"] == "content:govern AND NOT content:rugbi"
    assert "content:" not in data["interpreted"]


def test_every_page_says_which_results_it_shows(client, corpus):
    total = len(corpus.articles)
    html = client.get("/?page=2&page_size=20").get_data(as_text=True)
    assert f"21–40 of {total:,}" in text_of(html)
    last = -(-total // 20)
    html = client.get(f"/?page={last}&page_size=20").get_data(as_text=True)
    assert f"{(last - 1) * 20 + 1}–{total} of {total:,}" in text_of(html)


def test_every_page_to_the_last_result_is_served(client, corpus):
    seen: list[str] = []
    html = client.get("/?page_size=25").get_data(as_text=True)
    while True:
        seen += [
            link.href.split("?")[0].rsplit("/", 1)[1]
            for link in links(html)
            if link.href.startswith("/article/")
        ]
        following = [link for link in links(html) if link.attrs.get("rel") == "next"]
        if not following:
            break
        response = client.get(following[0].href)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
    assert sorted(seen) == sorted(corpus.articles)


def test_a_page_past_the_old_depth_limit_is_no_trap(client, corpus):
    # (page - 1) * page_size beyond 100,000: once a 400, now "past the end" like any other.
    data = api(client, page="1002", page_size="100")
    assert data["hits"] == []
    assert data["total"] == len(corpus.articles)
    page = client.get("/?page=1002&page_size=100")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No more results" in html
    back = next(link for link in links(html) if "last page" in link.text)
    assert client.get(back.href).status_code == 200


def test_the_suggestion_is_shown_once(client):
    data = api(client, q="governmnet")
    assert data["suggestion"] == "government"
    assert data["total"] == 0
    html = client.get("/?q=governmnet").get_data(as_text=True)
    assert html.count("Did you mean") == 1


def test_results_lead_to_the_article_and_back(client):
    html = client.get("/?q=quokka&sort=newest").get_data(as_text=True)
    hit = next(link for link in links(html) if link.href.startswith(f"/article/{PREMIUM_ID}"))
    assert params(hit.href) == {"q": "quokka", "sort": "newest"}
    article = client.get(hit.href).get_data(as_text=True)
    back = next(link for link in links(article) if link.text.startswith("‹ Back to the results"))
    assert params(back.href) == {"q": "quokka", "sort": "newest"}
    assert urlsplit(back.href).path == "/"
    # The searched word is marked wherever the page shows it (stems and case folded).
    assert "<mark>Quokka</mark> premium investigation" in article
    assert "premium <mark>quokka</mark> story" in article  # the standfirst
    assert PREMIUM_PARAGRAPHS[0] in article  # another word: not marked


def test_article_highlighting_follows_stems_and_never_hidden_text(client):
    article = client.get(f"/article/{PREMIUM_ID}?q=quokkaparagraph").get_data(as_text=True)
    for n in (1, 2, 3):
        assert f"<mark>Quokkaparagraph</mark> number {n} of" in article
    for hidden in PREMIUM_PARAGRAPHS[3:]:
        assert hidden.split(" ", 1)[1] not in article


def test_an_article_without_a_search_or_with_a_bad_one_still_shows(client):
    plain = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    assert "Back to the results" not in plain
    assert "<mark>" not in plain
    odd = client.get(f"/article/{PREMIUM_ID}?q=title:&page=zero")
    assert odd.status_code == 200
    assert "<mark>" not in odd.get_data(as_text=True)


def test_result_links_keep_every_search_parameter(client):
    html = client.get("/?q=government&section=Sport&page_size=5&page=2").get_data(as_text=True)
    hits = [link for link in links(html) if link.href.startswith("/article/")]
    assert hits
    for link in hits:
        assert params(link.href) == {
            "q": "government",
            "section": "Sport",
            "page": "2",
            "page_size": "5",
        }


def test_help_and_the_openapi_document_quote_the_limits(client):
    html = client.get("/help").get_data(as_text=True)
    for value in (
        f"{limits.MAX_QUERY_CHARS:,} characters",
        f"{limits.MAX_QUERY_TERMS} words",
        f"{limits.MAX_WILDCARD_TERMS:,} different words",
        f"{limits.MAX_POSTINGS:,} index entries",
    ):
        assert value in html
    doc = client.get("/api/openapi.json").get_json()
    assert doc["info"]["x-limits"] == limits.describe()
    q = next(p for p in doc["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q")
    assert f"{limits.MAX_WILDCARD_TERMS:,} different indexed words" in q["description"]
    assert q["schema"]["maxLength"] == limits.MAX_QUERY_CHARS
