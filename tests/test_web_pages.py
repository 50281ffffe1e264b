"""The HTML pages over a real archive and index: search states, links, article page, escaping."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web_support import (
    FREE_ID,
    FREE_PARAGRAPHS,
    HOSTILE_ID,
    KIWI_ID,
    PREMIUM_ID,
    PREMIUM_PARAGRAPHS,
    links,
    links_with_class,
)
from web import close_searcher, create_app
from web.formatting import nz_datetime
from web.timeline import pager


def params(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def api(client, **args):
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_empty_query_browses_everything_newest_first(client, corpus):
    html = client.get("/").get_data(as_text=True)
    assert f"{len(corpus.articles):,} articles" in html
    data = api(client)
    published = [hit["published"] for hit in data["hits"]]
    assert published == sorted(published, reverse=True)
    # The page lists the same hits in the same order as the API.
    hit_links = [link.href for link in links(html) if link.href.startswith("/article/")]
    assert hit_links[: len(data["hits"])] == [f"/article/{h['id']}" for h in data["hits"]]


def test_query_is_kept_and_hits_show_dates_sections_and_badges(client, corpus):
    html = client.get("/?q=quokka").get_data(as_text=True)
    assert 'value="quokka"' in html
    assert "1 article for" in html
    premium = corpus.articles[PREMIUM_ID]
    assert nz_datetime(premium["published"]) in html
    assert "11 Oct 2022, 12:30 PM" in html  # 23:30 UTC is the next day in NZ
    assert 'Sport <span aria-hidden="true">›</span>' in html
    assert 'class="badge badge-premium"' in html
    assert "<mark>" in html  # the highlighted snippet is rendered as markup


def test_section_facet_link_filters_and_shows_a_removable_chip(client):
    html = client.get("/").get_data(as_text=True)
    facet = next(
        link for link in links_with_class(html, "facet-link") if params(link.href).get("section")
    )
    section = params(facet.href)["section"]
    count = int(re.sub(r"\D", "", facet.text.rsplit(" ", 1)[-1]))
    filtered = client.get(facet.href).get_data(as_text=True)
    assert f"{count:,} article" in filtered
    assert {h["section"] for h in api(client, section=section)["hits"]} == {section}
    chip = links_with_class(filtered, "chip")[0]
    assert "section" not in params(chip.href)
    assert section in chip.text


def test_chip_removal_keeps_the_query_and_other_filters(client):
    html = client.get("/?q=kiwi&source=AP&year=2021&sort=newest").get_data(as_text=True)
    chips = {link.text.split(":")[0]: params(link.href) for link in links_with_class(html, "chip")}
    assert chips["Source"] == {"q": "kiwi", "year": "2021", "sort": "newest"}
    assert chips["Year"] == {"q": "kiwi", "source": "AP", "sort": "newest"}


def test_year_month_day_drill_down(client):
    html = client.get("/").get_data(as_text=True)
    year_link = next(
        link for link in links_with_class(html, "facet-link") if "year" in params(link.href)
    )
    year_page = client.get(year_link.href).get_data(as_text=True)
    month_links = [
        link for link in links_with_class(year_page, "facet-link") if "month" in params(link.href)
    ]
    assert month_links, "choosing a year offers its months"
    month = params(month_links[0].href)
    assert month["year"] == params(year_link.href)["year"]
    assert month["month"].startswith(month["year"] + "-")
    month_page = client.get(month_links[0].href).get_data(as_text=True)
    day_links = [
        link for link in links_with_class(month_page, "facet-link") if "day" in params(link.href)
    ]
    assert day_links
    assert params(day_links[0].href)["day"].startswith(month["month"] + "-")


def test_timeline_bars_link_to_drill_downs_and_have_a_text_alternative(client):
    html = client.get("/").get_data(as_text=True)
    timeline = api(client)["timeline"]
    years = [str(y) for y in range(int(timeline[0]["period"]), int(timeline[-1]["period"]) + 1)]
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="timeline-bar') == len(years)  # empty years drawn as gaps
    bar_links = re.findall(r'<a href="([^"]+)" tabindex="-1">', svg)
    assert [params(h.replace("&amp;", "&"))["year"] for h in bar_links] == years
    for bar in timeline:
        noun = "article" if bar["count"] == 1 else "articles"
        assert f"<title>{bar['period']}: {bar['count']:,} {noun}</title>" in svg
    table = html[html.index('<table class="timeline-table">') :]
    table = table[: table.index("</table>")]
    assert f'<th scope="row">{timeline[0]["period"]}</th><td>{timeline[0]["count"]:,}</td>' in table


def test_month_timeline_covers_the_whole_year(client):
    year = api(client)["timeline"][-1]["period"]
    html = client.get(f"/?year={year}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    months = re.findall(r'<a href="[^"]*month=(\d{4}-\d{2})[^"]*" tabindex="-1">', svg)
    assert months == [f"{year}-{m:02d}" for m in range(1, 13)]


def test_pages_run_to_the_last_result_and_past_it_says_so(client, corpus):
    total = len(corpus.articles)
    # page_size 1: the last page is the oldest article, however many pages that takes.
    last = api(client, page_size=1, page=total)
    oldest = api(client, sort="oldest", page_size=1)
    assert [h["id"] for h in last["hits"]] == [h["id"] for h in oldest["hits"]]
    html = client.get(f"/?page_size=1&page={total}").get_data(as_text=True)
    assert any(link.text.strip() == f"{total:,}" for link in links_with_class(html, "pager-num"))

    past = client.get(f"/?page_size=1&page={total + 5}")
    assert past.status_code == 200
    text = past.get_data(as_text=True)
    assert "No more results" in text
    back = next(link for link in links(text) if "last page" in link.text)
    assert params(back.href) == {"page_size": "1", "page": str(total)}


def test_pager_shows_first_last_and_neighbours():
    numbers = [link.number for link in pager(7, 40)]
    assert numbers == [1, None, 5, 6, 7, 8, 9, None, 40]
    assert [link.current for link in pager(7, 40)].count(True) == 1
    assert pager(1, 1) == []


def test_pagination_links_keep_state_and_pages_differ(client):
    html = client.get("/?section=Sport&page_size=5").get_data(as_text=True)
    nums = links_with_class(html, "pager-num")
    current = [link for link in nums if link.attrs.get("aria-current") == "page"]
    assert [link.text for link in current] == ["1"]
    nxt = next(link for link in links(html) if link.attrs.get("rel") == "next")
    assert params(nxt.href) == {"section": "Sport", "page_size": "5", "page": "2"}
    first = {h["id"] for h in api(client, section="Sport", page_size=5)["hits"]}
    second = {h["id"] for h in api(client, section="Sport", page_size=5, page=2)["hits"]}
    assert first
    assert second
    assert not first & second
    page2 = client.get(nxt.href).get_data(as_text=True)
    prev = next(link for link in links(page2) if link.attrs.get("rel") == "prev")
    assert "page" not in params(prev.href)


def test_sort_links(client):
    html = client.get("/?q=government").get_data(as_text=True)
    sorts = {link.text: link for link in links_with_class(html, "sort-link")}
    assert sorts["Relevance"].attrs.get("aria-current") == "true"
    oldest = client.get(sorts["Oldest"].href)
    assert oldest.status_code == 200
    hits = api(client, q="government", sort="oldest")["hits"]
    assert [h["published"] for h in hits] == sorted(h["published"] for h in hits)


def test_empty_state_offers_ways_out(client):
    html = client.get("/?q=zzqxjvkw&section=Sport").get_data(as_text=True)
    assert "No articles found" in html
    hrefs = [link.href for link in links(html)]
    assert "/?q=zzqxjvkw" in hrefs  # drop the filters, keep the words


def test_did_you_mean_links_to_the_corrected_query(client):
    data = api(client, q="governmnet")
    assert data["suggestion"]
    html = client.get("/?q=governmnet").get_data(as_text=True)
    assert "Did you mean" in html
    assert any(params(link.href).get("q") == data["suggestion"] for link in links(html))


def test_hostile_text_is_escaped_everywhere(client):
    for url in ("/?q=zebracorn", f"/article/{HOSTILE_ID}", "/?q=%3Cscript%3Ealert(1)%3C/script%3E"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        assert "<i>tag</i>" not in html
    html = client.get("/?q=zebracorn").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/?q=kiwi&year=2021", f"/article/{PREMIUM_ID}", "/help", "/nope"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"\sstyle=", html), url
        assert "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_premium_article_shows_only_the_opening(client, corpus):
    html = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    for para in PREMIUM_PARAGRAPHS[:3]:
        assert para in html
    for para in PREMIUM_PARAGRAPHS[3:]:
        assert para not in html
    assert "premium article" in html
    assert corpus.articles[PREMIUM_ID]["url"] in html
    assert "The standfirst of the premium quokka story." in html
    assert "Updated" in html  # updated differs from published


def test_licensed_deployment_shows_premium_text(corpus):
    app = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True, "SHOW_PREMIUM_TEXT": True})
    html = app.test_client().get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    close_searcher(app)
    for para in PREMIUM_PARAGRAPHS:
        assert para in html


def test_free_article_page(client, corpus):
    html = client.get(f"/article/{FREE_ID}").get_data(as_text=True)
    for para in FREE_PARAGRAPHS:
        assert para in html
    assert "Read the original" in html
    assert "Updated" not in html  # never updated
    related = [link for link in links(html) if link.href.startswith("/article/")]
    assert related
    assert all(link.href != f"/article/{FREE_ID}" for link in related)


def test_article_tags_and_byline_link_to_searches(client, corpus):
    html = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    tag = next(link for link in links_with_class(html, "tag") if link.text == "All Blacks")
    assert params(tag.href) == {"tag": "All Blacks"}  # the exact tag, as its facet filters
    tagged = sum("All Blacks" in a["tags"] for a in corpus.articles.values())
    assert f"{tagged:,} article" in client.get(tag.href).get_data(as_text=True)
    assert any(params(link.href).get("author") == "Aroha Tester" for link in links(html))
    wire = client.get(f"/article/{KIWI_ID}").get_data(as_text=True)
    assert "AP" in wire


@pytest.mark.parametrize("article_id", ["NOSUCHARTICLE0000000000000", "not-an-id", "x" * 300])
def test_unknown_article_is_a_404_page(client, article_id):
    response = client.get(f"/article/{article_id}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_help_page_and_opensearch_link(client):
    html = client.get("/help").get_data(as_text=True)
    assert "How to search" in html
    assert 'rel="search"' in html
    assert client.get("/?q=kiwi").status_code == 200


def test_macron_folding_reaches_the_page(client):
    html = client.get("/?q=Whangarei").get_data(as_text=True)
    assert f"/article/{KIWI_ID}" in html
