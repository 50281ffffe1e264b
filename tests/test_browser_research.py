"""The research features in real Chromium: normalised and compared timelines, exports,
citations, tag/author facets, the follow link, phone polish, and accessibility measured
with axe-core. Screenshots go to test-artifacts/ (look at them after any UI change).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, DESKTOP, PHONE, args_of, shoot
from tests.web_support import KIWI_ID, PREMIUM_ID

AXE = Path(__file__).resolve().parents[1] / ".cache/axe/node_modules/axe-core/axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]

CONTRAST = """([fg, bg]) => {
  const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def contrast(page, fg: str, bg: str) -> float:
    return page.evaluate(CONTRAST, [fg, bg])


def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    return context, context.new_page()


# -- timelines -----------------------------------------------------------------------------


def test_normalised_timeline_has_a_visible_axis_and_table(page, base_url):
    page.goto(base_url + "/?q=government")
    page.click(".measure-link:has-text('Share of all articles')")
    page.wait_for_url("**norm=share*")
    ticks = page.locator(".timeline-tick")
    assert ticks.count() >= 3
    assert all(t.endswith("%") for t in ticks.all_text_contents())
    assert sum(bar.is_visible() for bar in page.locator(".timeline-bar").all()) >= 5
    page.click(".timeline-figures summary")
    rows = page.locator(".timeline-table tbody tr")
    assert rows.count() >= 5
    assert re.fullmatch(r"\d{4}\s+\d+\s+\d+(\.\d+)?%\s+[\d,]+", rows.first.inner_text().strip())
    shoot(page, "timeline-normalised-desktop")


def test_normalised_timeline_on_a_phone(browser, base_url):
    context, page = phone(browser)
    page.goto(base_url + "/?q=government&norm=share")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tick = page.locator(".timeline-tick").last.bounding_box()
    assert tick["height"] >= 9  # axis labels stay legible on the shrunken chart
    shoot(page, "timeline-normalised-phone")
    context.close()


def test_compare_queries_from_the_page(page, base_url):
    page.goto(base_url + "/?q=government")
    page.click("details.compare summary")
    page.fill("#compare-0", "police")
    page.fill("#compare-1", "rugby")
    page.fill("#compare-2", "kiwi")
    page.click(".compare-form button")
    page.wait_for_url("**compare=*")
    assert args_of(page.url)["q"] == "government"
    legend = page.locator(".timeline-legend li")
    assert legend.count() == 4
    assert page.locator(".timeline-series polyline").count() == 4
    shapes = {
        page.locator(f".series-{i} .timeline-marker").first.evaluate("e => e.tagName")
        for i in range(4)
    }
    assert len(shapes) == 3  # circle, rect, polygon (a triangle and a diamond)
    colours = set()
    for i in range(4):
        stroke = page.locator(f".timeline-series.series-{i} polyline").evaluate(
            "e => getComputedStyle(e).stroke"
        )
        colours.add(stroke)
        assert contrast(page, stroke, "rgb(251, 250, 247)") >= 3
    assert len(colours) == 4
    page.click(".measure-link:has-text('Share of all articles')")
    page.wait_for_url("**norm=share*")
    shoot(page, "timeline-compared-desktop")
    page.click(".timeline-legend a:has-text('rugby')")
    page.wait_for_load_state()
    state = args_of(page.url)
    assert state["q"] == "rugby"
    assert "compare" not in state


def test_compared_timeline_on_a_phone(browser, base_url):
    context, page = phone(browser)
    page.goto(base_url + "/?q=government&compare=police&compare=rugby&compare=kiwi&norm=share")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".timeline-legend li").count() == 4
    shoot(page, "timeline-compared-phone")
    context.close()


# -- exports, follow, citations ------------------------------------------------------------


def test_export_links_download_every_result(page, base_url, tmp_path):
    page.goto(base_url + "/?q=government&section=Sport")
    total = int(re.sub(r"\D", "", page.inner_text("#results-title").split(" ")[0]))
    assert page.locator(".follow-link").is_visible()
    assert page.inner_text(".follow-link") == "Follow this search (Atom)"
    with page.expect_download() as info:
        page.click(".export-links a:has-text('CSV')")
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    assert info.value.suggested_filename == "herald-government-results.csv"
    with path.open(encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert len(rows) == total
    assert {row["section"] for row in rows} == {"Sport"}


def test_cite_an_article(page, base_url):
    page.goto(base_url + f"/article/{KIWI_ID}")
    text = page.locator(".cite-text").first.inner_text()
    assert text.startswith("Associated Press. (2021, March 2). Whangārei kiwi crossing opens.")
    copy = page.locator(".cite-copy").first
    assert copy.is_visible()  # enhanced: the browser can copy
    assert page.locator("meta[name=citation_author]").get_attribute("content") == (
        "Associated Press"
    )
    page.locator(".cite").scroll_into_view_if_needed()
    shoot(page, "article-cite-desktop")
    with page.expect_download() as info:
        page.click(".cite-downloads a:has-text('BibTeX')")
    assert info.value.suggested_filename == f"{KIWI_ID}.bib"


def test_citation_text_is_there_without_javascript(browser, base_url):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + f"/article/{PREMIUM_ID}")
    assert page.locator(".cite-text").count() == 2
    assert not page.locator(".cite-copy").first.is_visible()
    context.close()


# -- facets --------------------------------------------------------------------------------


def test_all_people_page_and_back(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("#facet-author ~ ul .facet-link").count() == 15
    page.click("#facet-author ~ .facet-more a")
    page.wait_for_url("**/facets/author*")
    shoot(page, "facet-people-desktop")
    name = page.locator(".facet-link .facet-name").nth(20).inner_text()
    page.click(f".facet-link:has-text('{name}')")
    page.wait_for_url("**author=*")
    assert args_of(page.url)["author"] == name
    assert name in page.inner_text(".chips")


# -- polish --------------------------------------------------------------------------------


def test_phone_masthead_pager_snippets_and_article_search_box(browser, base_url):
    context, page = phone(browser)
    page.goto(base_url + "/?q=police&page=3&page_size=5")
    masthead = page.locator(".masthead-inner")
    assert float(masthead.evaluate("e => parseFloat(getComputedStyle(e).paddingTop)")) >= 12
    assert page.locator(".brand-name").bounding_box()["y"] >= 12
    previous, following = (
        page.locator(f".pager li:{n}-child").bounding_box() for n in ("first", "last")
    )
    numbers = page.locator(".pager-num").all()
    assert following["y"] == previous["y"]  # Next sits beside Previous, not alone
    assert all(n.bounding_box()["y"] < following["y"] for n in numbers)
    shoot(page, "pager-phone")
    snippets = page.locator(".hit-snippet").all_inner_texts()
    assert any(s.startswith("… ") for s in snippets)
    page.click(".hit-title a >> nth=0")
    page.wait_for_url("**/article/*")
    assert page.input_value("#mini-q") == "police"
    shoot(page, "article-phone-search-box")
    context.close()


def test_facets_are_reachable_before_the_results_by_keyboard(page, base_url):
    page.goto(base_url + "/?q=government")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the filters"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#facets') !== null")
    assert focused, "the first Tab after the skip link lands in the filters"


def test_non_text_contrast_of_bars_and_focus_ring(page, base_url):
    page.goto(base_url + "/?q=government")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    bar = page.locator(".timeline-bar").first.evaluate("e => getComputedStyle(e).fill")
    assert contrast(page, bar, background) >= 3
    page.focus("#q")
    page.keyboard.press("Tab")  # a keyboard focus: :focus-visible applies
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert width >= 2
    assert contrast(page, ring, background) >= 3
    assert contrast(page, ring, "rgb(255, 255, 255)") >= 3


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `make axe`")
@pytest.mark.parametrize(
    "path",
    [
        "/?q=government",
        "/?q=government&compare=police&norm=share",
        f"/article/{PREMIUM_ID}",
        "/help",
        "/facets/tag",
    ],
)
def test_no_serious_accessibility_violations(browser, base_url, path):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(base_url + path)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
          .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    context.close()
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
