"""Rendered pages read back: every layout of the sample site's renderer yields the article.

What a layout cannot carry is compared accordingly (render.expected_record): meta-dom shows
the time to the minute and no modified time, viva credits staff copy to Viva.
"""

from __future__ import annotations

import pytest

from crawler.extract import NotAnArticle, extract_article
from crawler.record import Article, validate
from tests.sample_site.render import (
    LAYOUTS,
    NON_ARTICLE_KINDS,
    expected_record,
    render_article,
    render_non_article,
)

ARTICLES: dict[str, Article] = {
    "premium-opinion": Article(
        id="RT0PREM1UM0P1N10N000000001",
        url="https://www.nzherald.co.nz/sport/rugby/coach-calls-time-on-old-habits/RT0PREM1UM0P1N10N000000001/",
        title="Coach calls time on old habits as the new season nears",
        standfirst="A new approach to training has the squad talking.",
        body="OPINION:\n\nThe first week of camp was louder than anyone expected.\n\n"
        "Players arrived early and stayed late, which says plenty about the mood.\n\n"
        "What changed\n\n"
        "The coaching group rewrote the schedule over the summer.\n\n"
        "Shorter sessions\n\nMore video review\n\nRest days that are actually rest\n\n"
        "Whether it works will be clear by the first away game.\n\n"
        "For now the signs are good, and the squad is buying in.",
        authors=["Mere Tāwhiri"],
        source="NZ Herald",
        section="Sport",
        subsection="Rugby",
        tags=["Premium Sport", "Rugby"],
        published="2023-03-02T04:30:00Z",
        updated="2023-03-02T06:12:45Z",
        premium=True,
    ),
    "wire": Article(
        id="RTW1RE0C0PY000000000000002",
        url="https://www.nzherald.co.nz/world/storm-cuts-power-to-thousands/RTW1RE0C0PY000000000000002/",
        title="Storm cuts power to thousands along the coast",
        standfirst="",
        body="A winter storm knocked out power to thousands of homes on Tuesday.\n\n"
        "Crews worked through the night to restore supply, the utility said.\n\n"
        "Schools in three counties were closed as a precaution.",
        authors=[],
        source="AP",
        section="World",
        subsection=None,
        tags=[],
        published="2024-07-09T21:05:00Z",
        updated="2024-07-09T21:05:00Z",
        premium=False,
    ),
    "macrons": Article(
        id="RTMACR0NS00000000000000003",
        url="https://www.nzherald.co.nz/nz/whangarei-market-reopens/RTMACR0NS00000000000000003/",
        title="Whangārei market reopens – “better than ever”, stallholders say",
        standfirst="Tāmaki Makaurau visitors are expected at the weekend.",
        body="The market in Whangārei reopened on Saturday after a month of repairs.\n\n"
        "“It’s better than ever,” one stallholder said, pointing to the new roof.\n\n"
        "Organisers expect visitors from Taupō and Tāmaki Makaurau & beyond.\n\n"
        "Parking <for now> remains limited near the wharf.",
        authors=["Aroha McDonald", "Sam O'Neill"],
        source="NZ Herald",
        section="New Zealand",
        subsection=None,
        tags=["Northland", "Māori"],
        published="2021-11-20T00:00:00Z",
        updated="2021-11-20T00:00:00Z",
        premium=False,
    ),
    "wire-with-reporter": Article(
        id="RTWAP0ST000000000000000004",
        url="https://www.nzherald.co.nz/world/us-politics/senate-passes-budget/RTWAP0ST000000000000000004/",
        title="Senate passes budget after late-night session",
        standfirst="The vote ends weeks of negotiation.",
        body="The Senate passed the budget just before midnight.\n\n"
        "Leaders from both parties said the compromise was imperfect.\n\n"
        "The bill now goes to the House, where its fate is less certain.\n\n"
        "Analysts expect a close vote next week.",
        authors=["Jordan Lee"],
        source="Washington Post",
        section="World",
        subsection="US Politics",
        tags=["United States"],
        published="2022-05-14T02:00:00Z",
        updated="2022-05-15T08:30:00Z",
        premium=False,
    ),
    "premium-lists": Article(
        id="RTL1STS0000000000000000005",
        url="https://www.nzherald.co.nz/business/what-the-rate-rise-means/RTL1STS0000000000000000005/",
        title="What the rate rise means for your mortgage",
        standfirst="Three things to check before you refix.",
        body="The Reserve Bank lifted the official cash rate by half a point on Wednesday.\n\n"
        "Before refixing, borrowers should check:\n\n"
        "The break fee on their current loan\n\nWhether a split loan suits them\n\n"
        "How long they expect to stay in the house\n\n"
        "Economists expect at least one more rise before the end of the year.\n\n"
        "Banks are likely to pass the increase on within days.",
        authors=["Priya Patel"],
        source="NZ Herald",
        section="Business",
        subsection="Personal Finance",
        tags=["Interest rates", "Property"],
        published="2023-08-16T02:00:00Z",
        updated="2023-08-16T03:00:00Z",
        premium=True,
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(ARTICLES))
def test_render_then_extract_gives_the_article(name: str, layout: str) -> None:
    article = validate(ARTICLES[name])
    page = render_article(article, layout)
    assert validate(extract_article(article["url"] + "?ref=rss", page)) == expected_record(
        article, layout
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rendered_page_carries_the_noise(layout: str) -> None:
    page = render_article(validate(ARTICLES["premium-opinion"]), layout)
    for noise in ("Advertisement", "Share this article", "Photo / Supplied", "twitter-tweet"):
        assert noise in page
    record = extract_article(ARTICLES["premium-opinion"]["url"], page)
    for noise in ("Advertisement", "Share this article", "Photo /", "crowd never stopped"):
        assert noise not in record["body"]


@pytest.mark.parametrize("kind", NON_ARTICLE_KINDS)
def test_non_article_pages_are_rejected(kind: str) -> None:
    with pytest.raises(NotAnArticle):
        extract_article(f"https://www.nzherald.co.nz/{kind}/", render_non_article(kind, "Floods"))
