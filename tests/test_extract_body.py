"""The body rules, one small page each: which containers are read, and which lines beside an
embed are its caption rather than story text (DESIGN: no captions, no embeds)."""

from __future__ import annotations

import json

import pytest

from crawler.extract import extract_article

URL = "https://www.nzherald.co.nz/nz/a-story/ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
IFRAME = '<iframe src="https://players.brightcove.net/1/x.html?videoId=2" title="Clip"></iframe>'
STORY = "The council met on Tuesday to discuss the plan for the harbour."
MORE = "A decision is expected next month."


def dom_body(main: str) -> list[str]:
    page = (
        '<html><body><main><h1 data-test-ui="article__heading">A story</h1>'
        f"{main}</main></body></html>"
    )
    return extract_article(URL, page)["body"].split("\n\n")


def ans_body(elements: list[dict]) -> list[str]:
    ans = {"type": "story", "headlines": {"basic": "A story"}, "content_elements": elements}
    page = f'<script id="fusion-metadata">Fusion.globalContent={json.dumps(ans)};</script>'
    return extract_article(URL, page)["body"].split("\n\n")


def section(inner: str) -> str:
    return f'<section data-test-ui="article__body">{inner}</section>'


def text(content: str) -> dict:
    return {"type": "text", "content": content}


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        # A bold "Watch:" line, the player, a credit: the video's furniture.
        (
            f"<p>{STORY}</p><p><strong>Watch: Crowds at the wharf.</strong></p>"
            f"<div>{IFRAME}</div><p>Video / NZ Herald</p><p>{MORE}</p>",
            [STORY, MORE],
        ),
        # A caption after the embed, in a plain wrapper of its own.
        (
            f"<p>{STORY}</p><div>{IFRAME}<div>Crowds at the wharf</div></div><p>{MORE}</p>",
            [STORY, MORE],
        ),
        # A line telling the reader to play the embed, and a custom player element.
        (
            f"<p>{STORY}</p><p>Watch the moment the slip came down</p>"
            '<video-js data-account="1"></video-js>'
            f"<p>{MORE}</p>",
            [STORY, MORE],
        ),
        # A credit after a colon ends the caption line.
        (
            f"<p>{STORY}</p><div>{IFRAME}</div><p>Crowds at the wharf. Video: Supplied</p>",
            [STORY],
        ),
        # A photo's credit written as a paragraph after the image.
        (
            f'<p>{STORY}</p><div class="pic"><img src="/a.jpg"/></div>'
            f"<p>The wharf at dawn. Photo / Supplied</p><p>{MORE}</p>",
            [STORY, MORE],
        ),
        # A whole italic sentence beside an embedded post is its caption.
        (
            f'<p>{STORY}</p><blockquote class="instagram-media"><p>A post</p></blockquote>'
            f"<p><em>The wharf, as posted by the council.</em></p><p>{MORE}</p>",
            [STORY, MORE],
        ),
        # Story text beside an embed stays: it is not shaped like a caption.
        (f"<p>{STORY}</p><div>{IFRAME}</div><p>{MORE}</p>", [STORY, MORE]),
        (
            f"<p>The minister posted a video:</p><div>{IFRAME}</div>",
            ["The minister posted a video:"],
        ),
        # Someone's quoted words beside an embed are story text, not a "Label: …" caption.
        (
            f"<p>{STORY}</p><div>{IFRAME}</div><p>Seumaselo said: “It’s a good result.”</p>",
            [STORY, "Seumaselo said: “It’s a good result.”"],
        ),
        (
            f"<div>{IFRAME}</div><p>The coach: “We were never in it.”</p><p>{MORE}</p>",
            ["The coach: “We were never in it.”", MORE],
        ),
        # An OPINION lead, crossheads and list items stay next to an embed; a heading led by
        # a label there is the embed's title.
        (f"<p><strong>OPINION:</strong> {STORY}</p><div>{IFRAME}</div>", [f"OPINION: {STORY}"]),
        (f"<div>{IFRAME}</div><h2>The final</h2><p>{MORE}</p>", ["The final", MORE]),
        (f"<h3>Watch: the final</h3><div>{IFRAME}</div><p>{MORE}</p>", [MORE]),
        (f"<div>{IFRAME}</div><ul><li>Watch: the final</li></ul>", ["Watch: the final"]),
        # A label-led line far from any embed is story text.
        (
            f"<p>Watch list: three streets.</p><p>{STORY}</p><div>{IFRAME}</div><p>{MORE}</p>",
            ["Watch list: three streets.", STORY, MORE],
        ),
        # A long paragraph with an inline image is text.
        (f'<p>{STORY} <img src="/icon.png"/> {MORE}</p>', [f"{STORY} {MORE}"]),
        # Paragraphs in a wrapper whose class names media are read when they are the story.
        (
            f'<div class="article__media-layout"><p>{STORY} {STORY}</p><p>{STORY} {MORE}</p>'
            f"<div>{IFRAME}</div></div>",
            [f"{STORY} {STORY}", f"{STORY} {MORE}"],
        ),
        # Class words are whole words: QxPaywalled is not a paywall, a header no ad.
        (f'<p class="QxPaywalled">{STORY}</p><p class="subheader">{MORE}</p>', [STORY, MORE]),
    ],
    ids=[
        "watch-line-player-credit",
        "caption-in-player-box",
        "play-line-custom-player",
        "colon-credit",
        "photo-credit-line",
        "italic-caption-of-post",
        "story-beside-embed",
        "intro-line-beside-embed",
        "speech-beside-embed",
        "quote-after-name-beside-embed",
        "opinion-lead-beside-embed",
        "crosshead-beside-embed",
        "label-heading-is-title",
        "list-item-beside-embed",
        "label-line-far-from-embed",
        "inline-image-in-paragraph",
        "media-named-story-wrapper",
        "class-words-are-whole-words",
    ],
)
def test_captions_beside_embeds_are_dropped_and_story_text_kept(
    inner: str, expected: list[str]
) -> None:
    assert dom_body(section(inner)) == expected


@pytest.mark.parametrize(
    ("main", "expected"),
    [
        # A body that continues in raw HTML blocks after its section, with noise between.
        (
            f"{section(f'<p>{STORY}</p>')}"
            '<div data-test-ui="share-bar"><p>Share this article</p></div>'
            '<div class="promo"><p>Download the app for alerts.</p></div>'
            f'<div class="article__raw-html"><h2>Next</h2><ul><li>One</li><li>Two</li></ul></div>'
            f'<aside><div class="article__raw-html"><p>Not this story.</p></div></aside>'
            f'<div class="article__raw-html"><p>{MORE}</p></div>',
            [STORY, "Next", "One", "Two", MORE],
        ),
        # A raw block nested in the section is read once, in its place.
        (
            section(
                f'<p>{STORY}</p><div class="article__raw-html"><p>Middle.</p></div><p>{MORE}</p>'
            ),
            [STORY, "Middle.", MORE],
        ),
        # Premium halves, then a raw tail.
        (
            f'<section data-test-ui="article-top-body"><p>{STORY}</p></section>'
            '<div data-test-ui="paywall"><p>Subscribe now to keep reading.</p></div>'
            f'<section data-test-ui="article-bottom-body"><p>Middle.</p></section>'
            f'<div class="article__raw-html"><p>{MORE}</p></div>',
            [STORY, "Middle.", MORE],
        ),
        # Viva body, then a raw block with an embed and its inline caption, then more text.
        (
            f'<section class="article-viva__body"><p>{STORY}</p></section>'
            f'<div class="article__raw-html">{IFRAME}Watch: the studio at work.</div>'
            f'<div class="article__raw-html">The end of the story.</div>',
            [STORY, "The end of the story."],
        ),
    ],
    ids=["section-then-raw-tail", "nested-raw-block", "premium-halves-raw-tail", "viva-raw-embed"],
)
def test_every_body_container_is_read_in_document_order(main: str, expected: list[str]) -> None:
    assert dom_body(main) == expected


def test_raw_html_before_the_headline_is_not_the_article() -> None:
    page = (
        '<html><body><div class="article__raw-html"><p>Live: the count continues.</p></div>'
        f'<h1 data-test-ui="article__heading">A story</h1>{section(f"<p>{STORY}</p>")}'
        f'<div class="article__raw-html"><p>{MORE}</p></div></body></html>'
    )
    assert extract_article(URL, page)["body"] == f"{STORY}\n\n{MORE}"


VIDEO = {"type": "video", "headlines": {"basic": "Crowds at the wharf"}}


@pytest.mark.parametrize(
    ("elements", "expected"),
    [
        (
            [text(STORY), text("<b>Watch: Crowds at the wharf.</b>"), VIDEO, text(MORE)],
            [STORY, MORE],
        ),
        ([text(STORY), VIDEO, text("Video / NZ Herald"), text(MORE)], [STORY, MORE]),
        (
            [text(STORY), {"type": "raw_html", "content": f"{IFRAME}<p>Watch: Crowds.</p>"}],
            [STORY],
        ),
        # Only a script: the place of an embed, so its caption line goes too.
        (
            [{"type": "raw_html", "content": '<script src="//e.js"></script>'}, text("Watch: A.")],
            [],
        ),
        # Raw HTML carrying paragraphs and plain text is article text, in order.
        (
            [
                text(STORY),
                {"type": "raw_html", "content": "<p>Middle.</p><ul><li>One</li></ul>"},
                {"type": "raw_html", "content": "Plain text in a raw block."},
                text(MORE),
            ],
            [STORY, "Middle.", "One", "Plain text in a raw block.", MORE],
        ),
        # An embed written into a text element is an embed; a long paragraph with an inline
        # image is text.
        (
            [text("<b>Watch: Crowds.</b>"), text(IFRAME), text(MORE)],
            [MORE],
        ),
        ([text(f'{STORY} <img src="/i.png"/> {MORE}')], [f"{STORY} {MORE}"]),
        # An interview's "Q:" beside a photo is story text.
        (
            [{"type": "image", "caption": "A photo."}, text("Q: Why now?"), text("A: Why not?")],
            ["Q: Why now?", "A: Why not?"],
        ),
        # Any element type not known to carry text is an embed's place.
        ([{"type": "social_media", "html": "x"}, text("Photo / Instagram"), text(MORE)], [MORE]),
        # Elements that are neither: a link card or a divider do not make captions.
        (
            [{"type": "interstitial_link", "content": "Read more"}, text("Watch: the final.")],
            ["Watch: the final."],
        ),
        ([text("Watch: the final."), text(STORY), VIDEO], ["Watch: the final.", STORY]),
    ],
    ids=[
        "watch-text-video",
        "video-credit-text",
        "raw-iframe-caption",
        "script-only-raw",
        "raw-text-blocks",
        "embed-in-text-element",
        "inline-image-in-text",
        "interview-beside-photo",
        "unknown-type-is-embed",
        "link-card-is-no-embed",
        "label-text-far-from-video",
    ],
)
def test_ans_captions_beside_embeds_are_dropped(elements: list[dict], expected: list[str]) -> None:
    body = ans_body([*elements, text("The last paragraph.")])
    assert body == [*expected, "The last paragraph."]
