"""The real app in real Chromium: the paths people click, no console errors, screenshots.

The fixtures (tests/browser_support.py, through conftest) start the Flask app on 127.0.0.1
over the shared test corpus and drive Debian's Chromium through Playwright. Screenshots go
to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import pytest

from tests.browser_support import CHROMIUM, DESKTOP, PHONE, args_of, shoot
from tests.web_support import PREMIUM_ID

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


def test_search_facets_drill_down_sort_and_article(page, base_url):
    page.goto(base_url + "/")
    page.fill("#q", "government")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=government*")
    assert "for" in page.inner_text("#results-title")
    shoot(page, "search-desktop")

    page.click("#facet-section ~ ul .facet-link >> nth=0")
    page.wait_for_url("**section=*")
    section = args_of(page.url)["section"]
    assert section in page.inner_text(".chips")

    page.click("#facet-date ~ ul .facet-link >> nth=0")
    page.wait_for_url("**year=*")
    assert "month" not in args_of(page.url)
    page.click("#facet-date ~ ul .facet-link >> nth=0")
    page.wait_for_url("**month=*")
    state = args_of(page.url)
    assert state["month"].startswith(state["year"] + "-")
    assert state["section"] == section
    shoot(page, "drilled-desktop")

    page.click(".sort-link:has-text('Oldest')")
    page.wait_for_url("**sort=oldest*")
    assert page.get_attribute(".sort-link.is-current", "aria-current") == "true"

    page.click(".hit-title a >> nth=0")
    page.wait_for_url("**/article/*")
    assert page.inner_text("h1")


def test_pagination_and_chip_removal(page, base_url):
    page.goto(base_url + "/?q=government&section=Sport&page_size=5")
    page.click("a[rel=next]")
    page.wait_for_url("**page=2*")
    assert page.inner_text(".pager-num[aria-current=page]") == "2"
    page.click(".chip")
    page.wait_for_load_state()
    state = args_of(page.url)
    assert "section" not in state
    assert state["q"] == "government"
    assert "page" not in state


def test_timeline_bar_drills_in(page, base_url):
    page.goto(base_url + "/")
    page.click(".timeline-chart a >> nth=-1")
    page.wait_for_url("**year=*")
    assert page.locator(".timeline-chart .timeline-bar").count() >= 1


def test_keyboard_reaches_skip_link_and_search_box(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_phone_layout_screenshots(browser, base_url):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + "/?q=government")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "no sideways scrolling on a phone"
    shoot(page, "search-phone")
    page.goto(base_url + f"/article/{PREMIUM_ID}")
    shoot(page, "article-phone")
    page.set_viewport_size(DESKTOP)
    shoot(page, "article-desktop")
    context.close()
