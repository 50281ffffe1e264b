"""Page furniture for the sample site's renderer: head tags, navigation, ads, cards, footer.

Everything here is noise the extractor must leave out of an article's text, shaped like the
real site's markup (data-test-ui hooks, story cards, share bars, prompts), with invented text.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from crawler.record import NZ_TZ, parse_utc

NAV_SECTIONS = (
    "New Zealand",
    "World",
    "Business",
    "Sport",
    "Entertainment",
    "Lifestyle",
    "Travel",
    "Viva",
    "Kāhu",
    "Weather",
)
RELATED_HEADLINES = (
    "Council votes to extend harbour ferry timetable",
    "Five things to know before the long weekend",
    "Night market returns to the waterfront after a two-year break",
)


def esc(text: object) -> str:
    """HTML-escape text for element content and attribute values."""
    return escape(str(text), quote=True)


def script_json(value: Any) -> str:
    """JSON safe inside a <script>: no "</" can end the script early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def nz_display(iso: str) -> str:
    """A UTC timestamp as the site shows it: New Zealand time, "1 Jun, 2018 05:00 PM"."""
    local = parse_utc(iso).astimezone(NZ_TZ)
    return f"{local.day} {local:%b, %Y %I:%M %p}"


def slug(text: str) -> str:
    """A URL path segment for a section name."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def head(
    title: str, metas: list[tuple[str, str, str]], canonical: str | None, scripts: str = ""
) -> str:
    """<head> with the given (attribute, key, content) meta tags and optional scripts."""
    tags = "".join(
        f'<meta {attr}="{esc(key)}" content="{esc(value)}"/>' for attr, key, value in metas if value
    )
    link = f'<link rel="canonical" href="{esc(canonical)}"/>' if canonical else ""
    return (
        '<head><meta charset="UTF-8"/><meta http-equiv="X-UA-Compatible" content="IE=edge"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0"/>'
        f"<title>{esc(title)} - NZ Herald</title>{link}{tags}"
        '<link rel="stylesheet" href="/pf/resources/dist/styles/main.css?d=421"/>'
        '<script src="/pf/resources/scripts/utils/local-storage.min.js?d=421"></script>'
        '<script defer src="/pf/resources/dist/scripts/global-ad-script.js?d=421"></script>'
        f"{scripts}</head>"
    )


def navigation() -> str:
    """The site header: logo, section menu, search button."""
    items = "".join(
        f'<li class="navigation__item"><a class="navigation__item-link" '
        f'data-test-ui="navigation__item-link" href="/{slug(name)}/">{esc(name)}</a></li>'
        for name in NAV_SECTIONS
    )
    return (
        '<header class="header" data-test-ui="header"><a class="header__logo" href="/">NZ Herald'
        '</a><nav class="navigation" data-test-ui="navigation"><ul class="navigation__list">'
        f'{items}</ul></nav><button data-test-ui="header_navigation_search_button">Search'
        '</button><a class="header__subscribe" href="/subscribe/">Subscribe</a></header>'
    )


def footer() -> str:
    """The site footer with its link lists and copyright line."""
    links = "".join(
        f'<a class="footer__navigation-link" data-test-ui="footer__navigation-link" '
        f'href="/{slug(name)}/">{esc(name)}</a>'
        for name in NAV_SECTIONS
    )
    return (
        '<footer class="footer" data-test-ui="footer"><div class="footer__navigation" '
        f'data-test-ui="footer__navigation">{links}</div><p class="footer__copyright" '
        'data-test-ui="footer__copyright">© Copyright 2026 NZME Publishing Limited</p>'
        '<a data-test-ui="back-to-top" href="#top">Back to top</a></footer>'
    )


def advert(slot: str) -> str:
    """An in-body advertisement block."""
    return (
        '<div class="ad ad-container has-text ad-rectangle" data-test-ui="ad">'
        '<h4 class="ad__heading" data-test-ui="ad__heading">Advertisement</h4>'
        f'<div id="{esc(slot)}" class="pb-ad-container" data-adtype="rectangle"></div>'
        '<a class="ad__link" data-test-ui="ad__link" href="//advertising.nzme.co.nz/">'
        "Advertise with NZME.</a></div>"
    )


def share_bar() -> str:
    """Save / share links with their popup."""
    links = "".join(
        f'<a href="#" class="social-link social-link--{n}" data-test-ui="social-link--{n}" '
        f'aria-label="{n}">{n}</a>'
        for n in ("facebook", "copy_link", "twitter", "email")
    )
    return (
        '<div class="share-bar" data-test-ui="share-bar"><a href="#" class="social-link '
        'social-link--bookmark" data-test-ui="social-link--bookmark">Save</a>'
        '<div class="social-popup social-popup-hidden"><p class="social-popup__title">'
        f"Share this article</p>{links}</div></div>"
    )


def story_cards(section: str, heading: str, hook: str) -> str:
    """A block of related story cards under a heading ("Related articles", "Discover more")."""
    cards = "".join(
        f'<article class="story-card story-card--headline" data-test-ui="story-card---default-'
        f'headline-"><a class="story-card__kicker" data-test-ui="story-card__kicker" '
        f'href="/{slug(section)}/">{esc(section)}</a><a class="story-card__heading__link" '
        f'data-test-ui="story-card__heading__link" href="/{slug(section)}/card-{n}/">'
        f'<h3 class="story-card__heading">{esc(text)}</h3></a></article>'
        for n, text in enumerate(RELATED_HEADLINES)
    )
    return (
        f'<aside class="{hook}" data-test-ui="{hook}"><h2 class="{hook}__heading">'
        f"{esc(heading)}</h2>{cards}</aside>"
    )


def sidebar(section: str) -> str:
    """The right-hand column: an ad and "Latest from {section}" cards."""
    return (
        f'<aside class="article-sidebar" data-test-ui="article-sidebar">{advert("Side_rect1")}'
        f'<section class="article-sidebar__section" data-test-ui="article-sidebar__section">'
        f'<h2 data-test-ui="article-sidebar__section-LatestFrom">Latest from {esc(section)}</h2>'
        f"{story_cards(section, 'Latest', 'latest-from-articles')}</section></aside>"
    )


def figure(caption: str) -> str:
    """An in-body image with its caption."""
    return (
        '<div class="article-media" data-test-ui="article-media"><figure class="figure" '
        f'data-test-ui="figure"><img src="/resizer/photo.jpg" alt="{esc(caption)}" '
        'class="article-media__image" data-test-ui="article-media__image"/>'
        '<figcaption class="article-media__caption" data-test-ui="figure__caption">'
        f"{esc(caption)}</figcaption></figure></div>"
    )


def tweet() -> str:
    """An embedded tweet as the site serves it (blockquote plus widget script)."""
    return (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">What a night at the stadium, '
        "the crowd never stopped singing</p>— Local Fan (@localfan) "
        '<a href="https://twitter.com/localfan/status/1">October 1, 2022</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )


def video_player(title: str, *, hooked: bool = True) -> str:
    """An in-body video: a Brightcove iframe, in a hooked player box or a bare wrapper."""
    iframe = (
        '<iframe src="https://players.brightcove.net/6093072280001/default_default/index.html'
        f'?videoId=6300000000042" title="{esc(title)}" allowfullscreen="" width="100%"></iframe>'
    )
    if hooked:
        return f'<div class="video-player" data-test-ui="video-player">{iframe}</div>'
    return f"<div>{iframe}</div>"


def video_with_caption(title: str, caption: str, credit: str, *, hooked: bool = True) -> str:
    """A video as the 2024-25 design embeds it: a bold "Watch:" line, the player, a credit."""
    return (
        f"<p><strong>{esc(caption)}</strong></p>{video_player(title, hooked=hooked)}"
        f"<p>{esc(credit)}</p>"
    )


def app_promo() -> str:
    """The app / newsletter promo placed between the parts of a split body."""
    return (
        '<div class="promo promo--app" data-test-ui="app-promo"><h3>Get the news first</h3>'
        "<p>Download the NZ Herald app for breaking news alerts.</p>"
        '<a href="/app/">Download</a></div>'
    )


def audio_prompt() -> str:
    """The listen-to-this-article prompt of the 2024-25 design."""
    return (
        '<div class="audio-player" data-test-ui="audio-player"><button>Listen</button>'
        "<p>Subscribe to listen</p><p>Listening to articles is free for open-access content"
        " – explore other articles or learn more about text-to-speech.</p></div>"
    )


def paywall_prompt() -> str:
    """The subscription prompt shown between the free and premium halves."""
    return (
        '<div class="paywall" data-test-ui="paywall"><h3>Subscribe now to keep reading</h3>'
        "<p>Sign up to Premium for unlimited access to every story.</p></div>"
    )


def page(head_html: str, main: str, section: str, body_class: str = "") -> str:
    """A whole document: navigation, the main column, the sidebar and the footer."""
    return (
        f'<!DOCTYPE html><html lang="en">{head_html}<body class="{body_class}">'
        f'<div id="fusion-app">{navigation()}<main data-test-ui="main">{main}{sidebar(section)}'
        f"</main>{footer()}</div></body></html>"
    )
