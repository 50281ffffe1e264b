"""The article page's provenance and versions in real Chromium, at desktop and phone widths:
the diff is readable (ins/del styled, nothing overflows), no console errors; screenshots in
test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser_support import CHROMIUM, PHONE, served, shoot
from tests.test_web_versions import FREE_ID, PREMIUM_ID, data_dir  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def versions_url(data_dir):  # noqa: F811 - the imported fixture
    with served(data_dir) as url:
        yield url


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_versions_are_readable_at_both_widths(page, versions_url, width: str) -> None:  # noqa: F811
    if width == "phone":
        page.set_viewport_size(PHONE)
    page.goto(f"{versions_url}/article/{FREE_ID}")
    assert "Updated 2 times since first archived" in page.inner_text(".story-provenance")
    page.click(".story-provenance a")  # the summary links to the changes
    assert page.evaluate("location.hash") == "#versions-title"
    section = page.locator(".story-versions")
    assert section.locator(".version-change").count() == 2
    added = section.locator("ins").first
    removed = section.locator("del").first
    assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert added.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the page scrolls sideways"
    section.scroll_into_view_if_needed()
    shoot(page, f"article-versions-{width}")
    page.goto(f"{versions_url}/article/{PREMIUM_ID}")
    assert "premium article are compared" in page.inner_text(".story-versions")
    shoot(page, f"article-versions-premium-{width}")
