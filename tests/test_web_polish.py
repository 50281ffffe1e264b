"""What a demanding reader notices: snippets marked as cut, the words kept in the article
page's search box, a skip link to the filters, the phone masthead and pager rules."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from index.engine.ellipses import with_ellipses
from tests.web_support import FREE_ID, PREMIUM_ID, links

STYLE = Path(__file__).resolve().parents[1] / "web" / "static" / "style.css"


def _plain(snippet: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"</?mark>", "", snippet)).split())


def test_snippets_cut_from_the_middle_start_with_an_ellipsis(client, corpus):
    hits = client.get("/api/search", query_string={"q": "police", "page_size": 50}).get_json()
    cut = 0
    for hit in hits["hits"]:
        article = corpus.articles[hit["id"]]
        texts = [" ".join(t.split()) for t in (article["body"], article["standfirst"]) if t]
        first = _plain(hit["snippet"]).removeprefix("… ").removesuffix(" …").split(" … ")[0]
        starts_a_text = any(t.startswith(first) for t in texts)
        assert hit["snippet"].startswith("… ") is not starts_a_text, hit["snippet"]
        cut += not starts_a_text
    assert cut  # the synthetic corpus has mid-text matches


def test_ellipses_mark_both_cut_ends_only():
    body = "The council met on Tuesday. Rates will rise, the mayor said. Nobody was happy."
    assert with_ellipses("Rates will <mark>rise</mark>, the mayor", body) == (
        "… Rates will <mark>rise</mark>, the mayor …"
    )
    assert with_ellipses("The <mark>council</mark> met", body) == "The <mark>council</mark> met …"
    assert with_ellipses("Nobody was <mark>happy</mark>.", body) == (
        "… Nobody was <mark>happy</mark>."
    )
    assert with_ellipses("A &amp; B", "A & B") == "A &amp; B"


def test_article_page_keeps_the_searched_words(client):
    results = client.get("/?q=wombat").get_data(as_text=True)
    link = next(link for link in links(results) if link.href.startswith(f"/article/{FREE_ID}"))
    assert link.href == f"/article/{FREE_ID}?q=wombat"
    page = client.get(link.href).get_data(as_text=True)
    assert 'id="mini-q" name="q" maxlength="1000" value="wombat"' in page
    plain = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    assert 'id="mini-q" name="q" maxlength="1000" value=""' in plain


def test_a_skip_link_leads_to_the_filters(client):
    html = client.get("/?q=government").get_data(as_text=True)
    skips = [link for link in links(html) if "skip-link" in link.attrs.get("class", "")]
    assert [(s.href, s.text) for s in skips] == [
        ("#content", "Skip to content"),
        ("#facets", "Skip to the filters"),
    ]
    assert '<aside class="facets" id="facets" tabindex="-1"' in html


def test_phone_rules_keep_the_mastheads_padding_and_next_beside_previous():
    css = STYLE.read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 760px)") :]
    assert re.search(r"\.wrap \{ padding-left: 1rem; padding-right: 1rem; \}", phone)
    assert not re.search(r"\.wrap \{ padding: 0 1rem; \}", phone)  # zeroed the masthead's
    assert ".pager-step { white-space: nowrap; }" in css
