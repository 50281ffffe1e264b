"""Properties of the extracted body on every fixture page and every sample-site layout.

The page's body containers, their paragraphs and the captions beside its embeds are found
here by rules of this test's own (XPath and regular expressions, not the extractor's
helpers), so that a mistake in the extractor's walk or its caption rule shows as a difference:

1. no paragraph of the body is a caption, credit or embed title present in the page;
2. every <p>, <li> and crosshead inside any body container of the page (minus noise: ads,
   share bars, prompts, cards, embeds and their captions) is in the body, in document order;
   the same for every text element of the page's ANS;
3. every paragraph of the body is text of the page's body containers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree, html

from bench.synth import generate_articles
from crawler.extract import extract_article
from tests.sample_site.render import LAYOUTS, render_article

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"

CONTAINERS = (
    "//section[@data-test-ui='article__body']"
    " | //*[@data-test-ui='article-top-body' or @data-test-ui='article-bottom-body']"
    " | //section[contains(concat(' ', @class, ' '), ' article-viva__body ')]"
    " | //div[contains(concat(' ', @class, ' '), ' article__raw-html ')]"
)
TEXT_BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6")
EMBED_XPATH = (
    ".//iframe | .//video | .//img | .//figure | .//object | .//embed"
    " | .//blockquote[contains(@class, 'tweet') or contains(@class, 'instagram')"
    " or contains(@class, 'tiktok')]"
    " | .//*[@data-brightcove-id]"
)
FURNITURE_TAGS = {"aside", "nav", "footer", "form", "button", "figure", "figcaption", "script"}
# Class names and hooks of furniture: a whole word, letters on neither side.
FURNITURE_NAME = re.compile(
    r"(?<![a-z])(ad|share|social|promo|newsletter|paywall|related|discover|card|audio|caption"
    r"|credit|video|embed|gallery|media|player|oembed|image|tweet|instagram)(?![a-z])"
)
# Caption lines: "Label: …" (not a story's own OPINION: lead) or "Watch …", "… Kind / Credit"
# or "… Kind: Credit"; a heading beside an embed only in the first form.
LABEL_LINE = re.compile(r"^(?!OPINION)[A-Z]\w*(?: \w+)?: \S")
PLAY_LINE = re.compile(r"^(?:Watch|Listen) ")
CREDIT_LINE = re.compile(r"\b[A-Z]\w* / [A-Z][^/]*$|\. [A-Z]\w+: [A-Z][\w ]*$")
ANS_TEXT_TYPES = {"text", "header", "list", "raw_html", "quote"}
ANS_SILENT_TYPES = {"interstitial_link", "divider"}


def norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def text_of(element: etree._Element, *, nested_lists: bool = True) -> str:
    """An element's text, a <br> read as a space; without nested lists when asked (a list
    item's sub-items are paragraphs of their own)."""
    copy = html.fromstring(etree.tostring(element, encoding="unicode", with_tail=False))
    for br in copy.iter("br"):
        br.tail = " " + (br.tail or "")
    if not nested_lists:
        for nested in copy.xpath(".//ul | .//ol"):
            nested.getparent().remove(nested)
    return norm(copy.text_content())


def is_furniture(element: etree._Element) -> bool:
    if element.tag in FURNITURE_TAGS:
        return True
    names = f"{element.get('class', '')} {element.get('data-test-ui', '')}".lower()
    return bool(FURNITURE_NAME.search(names))


def containers(doc: etree._Element) -> list[etree._Element]:
    found = doc.xpath(CONTAINERS)
    return [c for c in found if not any(a in found for a in c.iterancestors())]


def embed_boxes(container: etree._Element) -> list[etree._Element]:
    """Each embed with the small wrapper around it (40 words of text at most)."""
    boxes = []
    for embed in container.xpath(EMBED_XPATH):
        box = embed
        while (
            box.getparent() is not None
            and box.getparent() is not container
            and len(box.getparent().xpath("string()").split()) <= 40
        ):
            box = box.getparent()
        boxes.append(box)
    return boxes


def emphasized(element: etree._Element) -> bool:
    kids = list(element)
    return (
        len(kids) == 1
        and kids[0].tag in ("strong", "b", "em", "i")
        and not (element.text or "").strip()
        and not (kids[0].tail or "").strip()
    )


def caption_like(element: etree._Element) -> bool:
    text = norm(element.xpath("string()"))
    if not text or len(text.split()) > 40:
        return False
    if element.tag in ("h2", "h3", "h4", "h5", "h6"):
        return bool(LABEL_LINE.search(text))
    if element.tag not in ("p", "div"):
        return False
    if LABEL_LINE.search(text) or PLAY_LINE.search(text) or CREDIT_LINE.search(text):
        return True
    return emphasized(element) and text[-1] in ".!?”"


def dom_captions(container: etree._Element) -> set[str]:
    """Texts of the container's embed boxes, and the caption-like lines beside them."""
    found: set[str] = set()
    for box in embed_boxes(container):
        found.add(norm(box.xpath("string()")))
        found.update(norm(t) for t in box.xpath(".//@title | .//@alt"))
        found.add(norm(box.tail or ""))
        # Nearest first on both sides (XPath returns node-sets in document order).
        before = box.xpath("preceding-sibling::*[not(self::script)][position() <= 2]")[::-1]
        after = box.xpath("following-sibling::*[not(self::script)][position() <= 2]")
        for side in (before, after):
            for sibling in side:
                if not caption_like(sibling):
                    break
                found.add(norm(sibling.xpath("string()")))
    for node in container.xpath(".//figcaption | .//*[contains(@class, 'caption')]"):
        found.add(norm(node.xpath("string()")))
    if container.xpath(EMBED_XPATH) and not container.xpath(".//p | .//li | .//div"):
        found.add(norm(container.xpath("string()")))
    return found - {""}


def in_furniture(element: etree._Element, container: etree._Element, boxes: list) -> bool:
    for node in (element, *element.iterancestors()):
        if node is container:
            return False
        if node in boxes or is_furniture(node):
            return True
    return False


def nested_block(element: etree._Element, container: etree._Element) -> bool:
    """True for a block inside another block (a list item's sub-list items are their own)."""
    for node in element.iterancestors():
        if node is container:
            return False
        if node.tag in TEXT_BLOCKS and not (node.tag == "li" and element.tag == "li"):
            return True
    return False


def dom_blocks(container: etree._Element, captions: set[str]) -> Iterator[str]:
    boxes = embed_boxes(container)
    for element in container.iter(*TEXT_BLOCKS):
        if nested_block(element, container) or in_furniture(element, container, boxes):
            continue
        text = text_of(element, nested_lists=False)
        if text and text not in captions:
            yield text


# --- ANS ----------------------------------------------------------------------------------


def ans_of(page: str) -> dict[str, Any] | None:
    at = page.find("Fusion.globalContent={")
    if at < 0:
        return None
    decoded, _ = json.JSONDecoder().raw_decode(page, at + len("Fusion.globalContent="))
    return decoded


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if not value.lstrip().startswith("<") and len(value.split()) >= 2:
            yield norm(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def raw_root(content: str) -> etree._Element:
    return html.fragment_fromstring(content, create_parent="div")


def ans_paragraph(content: str) -> etree._Element:
    return html.fragment_fromstring(content, create_parent="p")


def ans_captions(elements: list[dict[str, Any]]) -> set[str]:
    """Caption, credit and title strings of non-text elements, and caption-like text beside
    them."""
    found: set[str] = set()
    for at, element in enumerate(elements):
        kind = element.get("type")
        if kind == "raw_html":
            found |= dom_captions(raw_root(element["content"]))
        if kind in ANS_TEXT_TYPES or kind in ANS_SILENT_TYPES:
            continue
        found.update(strings({k: v for k, v in element.items() if k != "_id"}))
        for step in (-1, 1):
            for near in (at + step, at + 2 * step):
                if not 0 <= near < len(elements):
                    break
                if elements[near].get("type") not in ("text", "header"):
                    break
                paragraph = ans_paragraph(elements[near]["content"])
                if elements[near]["type"] == "header":
                    paragraph.tag = "h2"
                if not caption_like(paragraph):
                    break
                found.add(norm(paragraph.text_content()))
    return found


def list_items(items: list[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        if item.get("type") == "list":
            yield from list_items(item["items"])
        else:
            yield norm(ans_paragraph(item["content"]).text_content())


def ans_blocks(elements: list[dict[str, Any]], captions: set[str]) -> Iterator[str]:
    for element in elements:
        kind = element.get("type")
        if kind in ("text", "header"):
            text = norm(ans_paragraph(element["content"]).text_content())
            if text and text not in captions:
                yield text
        elif kind == "list":
            yield from list_items(element["items"])
        elif kind == "raw_html":
            yield from dom_blocks(raw_root(element["content"]), captions)


# --- the pages --------------------------------------------------------------------------


def _fixture_cases() -> Iterator[tuple[str, str, str]]:
    """Every fixture page with a body; those with Fusion data also without it (the DOM path)."""
    for path in sorted(PAGES.glob("*.html")):
        expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
        if "body" not in expected:
            continue
        text = path.read_text("utf-8")
        yield f"fixture-{path.stem}", expected["url"], text
        if "Fusion.globalContent={" in text:
            hidden = text.replace("Fusion.globalContent=", "Fusion.hiddenContent=", 1)
            yield f"fixture-{path.stem}-dom", expected["url"], hidden


def _sample_cases() -> Iterator[tuple[str, str, str]]:
    for n, article in enumerate(generate_articles(4, seed=11)):
        for layout in LAYOUTS:
            yield f"sample-{layout}-{n}", article["url"], render_article(article, layout)


CASES = [*_fixture_cases(), *_sample_cases()]


@pytest.fixture(params=CASES, ids=[case[0] for case in CASES])
def page(request: pytest.FixtureRequest) -> tuple[str, list[str], etree._Element, dict | None]:
    _name, url, text = request.param
    record = extract_article(url, text)
    return record["standfirst"], record["body"].split("\n\n"), html.fromstring(text), ans_of(text)


def is_subsequence(wanted: list[str], got: list[str]) -> bool:
    remaining = iter(got)
    return all(any(w == g for g in remaining) for w in wanted)


def page_captions(doc: etree._Element, ans: dict | None) -> set[str]:
    found: set[str] = set()
    for container in containers(doc):
        found |= dom_captions(container)
    if ans:
        found |= ans_captions(ans.get("elements") or ans.get("content_elements") or [])
    return found


def test_no_body_paragraph_is_a_caption_credit_or_embed_title(page) -> None:
    _standfirst, body, doc, ans = page
    captions = page_captions(doc, ans)
    for paragraph in body:
        assert paragraph not in captions
        assert not [c for c in captions if len(c.split()) >= 4 and c in paragraph], paragraph


def test_every_paragraph_of_every_body_container_is_in_the_body_in_order(page) -> None:
    standfirst, body, doc, _ans = page
    captions = page_captions(doc, None)
    wanted = [t for c in containers(doc) for t in dom_blocks(c, captions)]
    if wanted and wanted[0] == standfirst:
        wanted = wanted[1:]
    assert wanted
    assert is_subsequence(wanted, body), (wanted, body)


def test_every_text_element_of_the_ans_is_in_the_body_in_order(page) -> None:
    standfirst, body, _doc, ans = page
    if not ans:
        pytest.skip("no Fusion data on this page")
    elements = ans.get("elements") or ans.get("content_elements")
    wanted = list(ans_blocks(elements, ans_captions(elements)))
    if wanted and wanted[0] == standfirst:
        wanted = wanted[1:]
    assert is_subsequence(wanted, body), (wanted, body)


def test_every_body_paragraph_is_text_of_a_body_container(page) -> None:
    _standfirst, body, doc, _ans = page
    text = " ".join(text_of(c) for c in containers(doc))
    for paragraph in body:
        assert paragraph in text


# --- the rules above find what they must (so the properties are not vacuous) --------------


def _captions_of(name: str) -> set[str]:
    text = (PAGES / f"{name}.html").read_text("utf-8")
    return page_captions(html.fromstring(text), ans_of(text))


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("arc-2025-dom-video-embeds", "Watch: Divers bring the bell to the surface off Tutukākā."),
        ("arc-2025-dom-video-embeds", "Video / NZ Herald"),
        ("arc-2025-dom-video-embeds", "Curator explains how the bell will be conserved"),
        ("arc-2025-dom-video-embeds", "The full survey dive, filmed by the club"),
        ("arc-2025-dom-video-embeds", "Watch: The survey dive"),
        (
            "arc-2025-dom-video-embeds",
            "A sonar image of the hull on the seabed. Image / Northland Dive Club",
        ),
        ("arc-2025-ans-video-embeds", "Watch: Helicopters drop water on the fire at dusk."),
        ("arc-2025-ans-video-embeds", "Helicopters fight coastal scrub fire"),
        ("arc-2025-ans-video-embeds", "Video / Coast TV"),
        ("arc-2025-ans-video-embeds", "Watch: The fire chief speaks to reporters on Saturday."),
        ("arc-2025-ans-video-embeds", "Watch: How the fire spread overnight."),
        ("viva-split-raw-embed", "The finished kitchen, as posted by the studio."),
    ],
)
def test_the_caption_rules_find_the_captions_beside_embeds(name: str, caption: str) -> None:
    assert caption in _captions_of(name)


@pytest.mark.parametrize(
    ("name", "story_line"),
    [
        ("arc-2025-dom-split-raw-tail", "Watch list: the council has named 14 streets"),
        ("arc-2025-dom-video-embeds", "The bell was found in 38 metres of water"),
        ("arc-2025-ans-video-embeds", "Watch out: conditions are expected to stay hot"),
    ],
)
def test_the_caption_rules_leave_story_lines_alone(name: str, story_line: str) -> None:
    assert not [c for c in _captions_of(name) if c.startswith(story_line)]
