"""Normalised and compared timelines, tag and author facets, over the real app and index.

Every figure is checked against the archive's own records or against the API's answer to
the separate search it should equal; API answers are validated against the OpenAPI document.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from index.ondisk.analysis import value_key
from index.ondisk.schema import nz_day
from tests.web_support import check_schema, links, links_with_class, make_article, make_corpus
from web import close_searcher, create_app
from web.chart_scale import percent


def api(client, path="/api/search", **args):
    response = client.get(path, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def year_of(article) -> str:
    return str(nz_day(article["published"]).year)


# -- normalised timeline -------------------------------------------------------------------


@pytest.mark.parametrize("filters", [{}, {"section": "Sport"}, {"source": "NZ Herald"}])
def test_share_is_the_count_over_the_same_filters_without_the_query(client, openapi, filters):
    data = api(client, q="government", norm="share", **filters)
    check_schema(openapi, "SearchResult", data)
    assert data["timeline"]
    for bar in data["timeline"]:
        everything = api(client, year=bar["period"], page_size=1, **filters)["total"]
        assert bar["volume"] == everything
        assert bar["share"] == pytest.approx(bar["count"] / bar["volume"])
    plain = api(client, q="government", **filters)
    assert [(b["period"], b["count"]) for b in plain["timeline"]] == [
        (b["period"], b["count"]) for b in data["timeline"] if b["count"]
    ]
    # Every period with an article is a bar when normalised, a share of 0 included.
    every_year = [b["period"] for b in api(client, **filters)["timeline"]]
    assert [b["period"] for b in data["timeline"]] == every_year
    assert all(set(b) == {"period", "count"} for b in plain["timeline"])
    assert "series" not in plain


def test_share_at_the_month_level(client, openapi, corpus):
    data = api(client, q="police", year="2022", norm="share")
    check_schema(openapi, "SearchResult", data)
    months = Counter(
        f"{nz_day(a['published']):%Y-%m}"
        for a in corpus.articles.values()
        if nz_day(a["published"]).year == 2022
    )
    assert data["timeline"]
    for bar in data["timeline"]:
        assert bar["period"].startswith("2022-")
        assert bar["volume"] == months[bar["period"]]


def test_norm_must_be_share(client):
    response = client.get("/api/search", query_string={"q": "police", "norm": "percent"})
    assert response.status_code == 400
    assert "norm must be share" in response.get_json()["error"]


def test_page_draws_shares_with_an_axis_and_the_same_figures_in_the_table(client):
    data = api(client, q="government", norm="share")
    html = client.get("/?q=government&norm=share").get_data(as_text=True)
    svg = html[
        html.index('<svg class="timeline-chart') : html.index(
            "</svg>", html.index("timeline-chart")
        )
    ]
    ticks = re.findall(r'<text class="timeline-tick"[^>]*>([^<]+)</text>', svg)
    assert ticks[0] == "0%"
    assert all(t.endswith("%") for t in ticks)
    assert len(ticks) >= 3
    table = html[html.index('<table class="timeline-table">') :]
    table = table[: table.index("</table>")]
    for bar in data["timeline"]:
        row = (
            f'<th scope="row">{bar["period"]}</th><td>{bar["count"]:,}</td>'
            f"<td>{percent(bar['share'])}</td><td>{bar['volume']:,}</td>"
        )
        assert row in table
        title = f"{bar['count']:,} of {bar['volume']:,} article"
        assert f"<title>{bar['period']}: {title}" in svg
    current = links_with_class(html, "measure-link")
    assert [link.text for link in current if link.attrs.get("aria-current")] == [
        "Share of all articles"
    ]
    counts = next(link for link in current if link.text == "Number of articles")
    assert "norm" not in params(counts.href)


def test_few_bars_show_their_counts_on_the_chart(client):
    year = api(client)["timeline"][-1]["period"]
    months = api(client, year=year)["timeline"]
    html = client.get(f"/?year={year}").get_data(as_text=True)
    values = re.findall(r'<text class="timeline-value"[^>]*>([^<]+)</text>', html)
    assert values == [str(bar["count"]) for bar in months]  # every month with articles


# -- compared queries ----------------------------------------------------------------------


def test_compared_series_share_periods_and_equal_their_own_searches(client, openapi):
    queries = ["government", "police", "rugby", "kiwi"]
    data = api(client, q=queries[0], compare=queries[1:], norm="share")
    check_schema(openapi, "SearchResult", data)
    assert [s["query"] for s in data["series"]] == queries
    periods = [b["period"] for b in data["series"][0]["timeline"]]
    assert data["timeline"] == data["series"][0]["timeline"]  # the main query's, same periods
    for series in data["series"]:
        alone = api(client, q=series["query"], norm="share")
        assert series["total"] == alone["total"]
        assert [b["period"] for b in series["timeline"]] == periods
        own = {b["period"]: b for b in alone["timeline"]}
        for bar in series["timeline"]:
            assert bar["count"] == own.get(bar["period"], {"count": 0})["count"]
            assert bar["volume"] == api(client, year=bar["period"], page_size=1)["total"]


def test_compare_raw_counts_and_limits(client, openapi):
    data = api(client, q="government", compare="police")
    check_schema(openapi, "SearchResult", data)
    assert all(set(b) == {"period", "count"} for s in data["series"] for b in s["timeline"])
    too_many = client.get("/api/search", query_string={"q": "a", "compare": ["b", "c", "d", "e"]})
    assert too_many.status_code == 400
    assert "at most 3" in too_many.get_json()["error"]
    blank = api(client, q="government", compare=["", " "])  # empty form fields are ignored
    assert "series" not in blank


def test_compared_page_has_a_legend_linking_each_search_and_a_csv(client):
    html = client.get("/?q=government&compare=police&compare=rugby&section=Sport").get_data(
        as_text=True
    )
    legend = html[
        html.index('class="timeline-legend"') : html.index("</ul>", html.index("timeline-legend"))
    ]
    legend_links = links(legend)
    assert [params(link.href)["q"] for link in legend_links] == [
        ["government"],
        ["police"],
        ["rugby"],
    ]
    assert all(params(link.href)["section"] == ["Sport"] for link in legend_links)
    assert all("compare" not in params(link.href) for link in legend_links)
    for style in range(3):
        assert f'<g class="timeline-series series-{style}">' in html
    assert 'class="timeline-series series-3"' not in html
    csv_link = next(link for link in links(html) if link.href.startswith("/timeline.csv"))
    assert params(csv_link.href)["compare"] == ["police", "rugby"]


def test_timeline_csv_has_the_apis_figures(client):
    args = {"q": "government", "compare": ["police"], "norm": "share"}
    data = api(client, **args)
    response = client.get("/timeline.csv", query_string=args)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "period",
        "government: articles",
        "government: share",
        "police: articles",
        "police: share",
        "all articles",
    ]
    main, other = data["series"]
    assert len(rows) - 1 == len(main["timeline"])
    for row, a, b in zip(rows[1:], main["timeline"], other["timeline"], strict=True):
        assert row[0] == a["period"]
        assert [int(row[1]), int(row[3]), int(row[5])] == [a["count"], b["count"], a["volume"]]
        assert float(row[2]) == pytest.approx(a["share"], abs=1e-6)


def test_compare_queries_are_spreadsheet_safe_in_the_csv(client):
    response = client.get("/timeline.csv", query_string={"q": "kiwi", "compare": "-police"})
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert "'-police: articles" in header


# -- decades -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_archive(tmp_path_factory):
    articles = [
        make_article(
            f"DECADE{year}{n}".ljust(26, "0"),
            title=f"Harbour bridge story {n}",
            published=f"{year}-06-0{n + 1}T00:00:00Z",
            updated=f"{year}-06-0{n + 1}T00:00:00Z",
        )
        for year in (1955, 1961, 1968, 1979, 1990, 1999, 2004, 2015, 2024)
        for n in range(1 + year % 3)
    ]
    corpus = make_corpus(tmp_path_factory.mktemp("decades"), articles)
    app = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True})
    yield app.test_client(), corpus
    close_searcher(app)


def test_a_long_span_is_drawn_in_decades_that_drill_into_years(long_archive):
    client, corpus = long_archive
    html = client.get("/").get_data(as_text=True)
    assert "Articles per decade" in html
    decades = Counter(f"{year_of(a)[:3]}0s" for a in corpus.articles.values())
    table = html[html.index('<table class="timeline-table">') :]
    for decade in [f"{d}0s" for d in range(195, 203)]:  # empty decades drawn as gaps
        assert f'<th scope="row">{decade}</th><td>{decades[decade]:,}</td>' in table
    bar = re.search(r'<a href="([^"]+)" tabindex="-1">(?:(?!</a>).)*?<title>1960s', html, re.S)
    drill = bar.group(1).replace("&amp;", "&")
    assert params(drill) == {"from": ["1960-01-01"], "to": ["1969-12-31"]}
    years = client.get(drill).get_data(as_text=True)
    assert "Articles per year" in years
    per_year = Counter(year_of(a) for a in corpus.articles.values())
    for year in range(1960, 1970):
        assert f'<th scope="row">{year}</th><td>{per_year[str(year)]}</td>' in years
    within = client.get("/?from=1965-01-01&to=2030-01-01").get_data(as_text=True)
    assert "Articles per decade" in within  # 1968-2024: still more than thirty years
    first = re.search(r'<a href="([^"]+)" tabindex="-1">', within).group(1).replace("&amp;", "&")
    assert params(first) == {"from": ["1965-01-01"], "to": ["1969-12-31"]}  # kept in range


# -- tag and author facets -----------------------------------------------------------------


def _counts(articles, field: str) -> Counter:
    counts: Counter = Counter()
    for a in articles:
        counts.update({value_key(v) for v in a[field]})
    return counts


def test_tag_and_author_facets_are_exact_and_complete_in_the_facet_api(client, openapi, corpus):
    data = api(client, q="")
    check_schema(openapi, "SearchResult", data)
    for facet, field in (("tag", "tags"), ("author", "authors")):
        everything = api(client, f"/api/facets/{facet}")
        check_schema(openapi, "FacetValues", everything)
        got = {value_key(v["value"]): v["count"] for v in everything["values"]}
        assert got == _counts(corpus.articles.values(), field)
        top = data["facets"][facet]
        assert top == everything["values"][: len(top)]


def test_tag_and_author_filters_repeat_and_narrow(client, openapi, corpus):
    tags = next(a["tags"][:2] for a in corpus.articles.values() if len(a["tags"]) >= 2)
    both = api(client, tag=tags, page_size=100)
    check_schema(openapi, "SearchResult", both)
    keys = {value_key(t) for t in tags}
    expected = [a for a in corpus.articles.values() if keys <= {value_key(t) for t in a["tags"]}]
    assert both["total"] == len(expected) > 0
    one = [a for a in corpus.articles.values() if value_key(tags[0]) in map(value_key, a["tags"])]
    assert api(client, tag=tags[0])["total"] == len(one) >= len(expected)
    author = api(client)["facets"]["author"][0]["value"]
    by = api(client, author=author, tag=tags[0])
    assert by["total"] == sum(
        1
        for a in corpus.articles.values()
        if author in a["authors"] and value_key(tags[0]) in {value_key(t) for t in a["tags"]}
    )
    assert client.get("/api/facets/colour").status_code == 404


def test_facet_panel_lists_fifteen_then_a_page_of_all_values(client, corpus):
    html = client.get("/").get_data(as_text=True)
    people = html[html.index('id="facet-author"') :]
    people = people[: people.index("</section>")]
    shown = links_with_class(people, "facet-link")
    assert len(shown) == 15
    more = next(link for link in links(people) if link.href.startswith("/facets/author"))
    page = client.get(more.href).get_data(as_text=True)
    listed = links_with_class(page, "facet-link")
    assert len(listed) == len(_counts(corpus.articles.values(), "authors"))
    first = listed[0]
    assert params(first.href)["author"] == [api(client, "/api/facets/author")["values"][0]["value"]]
    chosen = client.get(first.href).get_data(as_text=True)
    chip = next(link for link in links_with_class(chosen, "chip") if "Author" in link.text)
    assert "author" not in params(chip.href)


def test_selected_values_add_up_and_each_chip_removes_its_own(client, corpus):
    tags = next(a["tags"][:2] for a in corpus.articles.values() if len(a["tags"]) >= 2)
    html = client.get("/", query_string={"tag": tags}).get_data(as_text=True)
    chips = [link for link in links_with_class(html, "chip") if "Topic" in link.text]
    assert len(chips) == 2
    assert [params(chip.href).get("tag") for chip in chips] == [[tags[1]], [tags[0]]]
    selected = [
        link for link in links_with_class(html, "facet-link") if link.attrs.get("aria-current")
    ]
    assert {re.sub(r"[\d,]+$", "", link.text) for link in selected} >= set(tags)


def test_openapi_describes_the_new_parameters_and_files(openapi):
    names = {p["name"] for p in openapi["paths"]["/api/search"]["get"]["parameters"]}
    assert {"tag", "author", "norm", "compare"} <= names
    for path in (
        "/search.csv",
        "/search.jsonl",
        "/search.ris",
        "/timeline.csv",
        "/api/facets/{name}",
        "/article/{id}.bib",
    ):
        assert path in openapi["paths"]
