"""Render Article records as realistic NZ Herald pages, one of six layouts, for test sites.

Layouts (what each page carries, richest first):
- fusion-2022: Fusion.globalContent (camelCase ANS, as saved in 2022), JSON-LD, meta, 2022 DOM.
- arc-2025: snake_case ANS (taxonomy, content_restrictions), JSON-LD, 2024-25 DOM whose premium
  body is split into article-top-body / article-bottom-body around a paywall prompt.
- jsonld-dom: no Fusion data; JSON-LD NewsArticle, meta tags and the 2024-25 DOM.
- meta-dom: only meta tags and the DOM. The byline shows New Zealand time to the minute and
  no modified time, so published loses its seconds and updated equals published.
- viva: the Viva lifestyle layout (viva-article__heading, article-viva__body), meta tags with
  times; staff copy ("NZ Herald") is credited to "Viva" there.
- raw-html: ANS whose body is raw_html blocks, and div.article__raw-html in the DOM.
- dom-2025-split: no Fusion data; JSON-LD, meta and a 2024-25 DOM whose body starts in
  section[data-test-ui=article__body] (or the premium top/bottom halves) and continues in
  div.article__raw-html blocks after it, with a share bar, a promo and story cards between.

Every layout embeds a video in the body with a "Watch: …" caption line (dom-2025-split: a
"Watch the …" line in a bare wrapper) and a credit beside it (a video element and caption
text in the ANS), which is embed furniture, never article text.

A body is split on blank lines. Paragraph shapes are inferred so crossheads and lists appear:
an "OPINION:" first paragraph is a bold lead, a run of two or more short paragraphs without
closing punctuation is a bulleted list, and a single such paragraph is a crosshead. Tags go
through article:tag comma-joined where no richer source carries them, so tags must not
contain commas in the jsonld-dom, meta-dom and viva layouts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.record import Article
from tests.sample_site import render_data as data
from tests.sample_site import render_parts as parts
from tests.sample_site.render_parts import esc, script_json

LAYOUTS: tuple[str, ...] = (
    "fusion-2022",
    "arc-2025",
    "jsonld-dom",
    "meta-dom",
    "viva",
    "raw-html",
    "dom-2025-split",
)
NON_ARTICLE_KINDS: tuple[str, ...] = ("video", "gallery", "section", "people", "tag")


# --- the DOM --------------------------------------------------------------------------------


def _body_html(
    article: Article, cards_hook: str, cards_heading: str, *, split_layout: bool = False
) -> list[str]:
    """Body blocks as HTML with noise between them: a captioned video, an ad, a photo, a
    tweet, story cards."""
    video = parts.video_with_caption(
        data.VIDEO_TITLE,
        data.VIDEO_PLAY_CAPTION if split_layout else data.VIDEO_CAPTION,
        data.VIDEO_CREDIT,
        hooked=not split_layout,
    )
    noise = {
        2: video,
        3: parts.advert("ContentRect"),
        4: parts.figure(data.CAPTION),
        5: parts.tweet(),
        6: parts.story_cards(article["section"], cards_heading, cards_hook),
    }
    out = []
    for n, (kind, content) in enumerate(data.blocks(article["body"])):
        out.append(data.block_html(kind, content))
        if n + 1 in noise:
            out.append(noise[n + 1])
    return out


def _split_at(items: list[str]) -> int:
    return max(1, len(items) // 3)


def _byline(article: Article, link_hook: str, date_hook: str, *, with_datetime: bool) -> str:
    links = " and ".join(
        f'<a href="/author/{parts.slug(name)}/" data-test-ui="{link_hook}">{esc(name)}</a>'
        for name in article["authors"]
    )
    stamp = f' dateTime="{article["published"]}"' if with_datetime else ""
    return (
        f'<div class="author" data-test-ui="author"><div class="author__name">'
        f'{"By " + links if links else ""}</div><span data-test-ui="author--role">'
        f'{"Reporter" if links else ""}</span><span data-test-ui="distributor--name">'
        f'{esc(article["source"])}</span><time data-test-ui="{date_hook}"{stamp}>'
        f"{parts.nz_display(article['published'])}</time>"
        '<span data-test-ui="author-read-time">3 mins to read</span></div>'
    )


def _heading(article: Article, hook: str, premium_class: bool) -> str:
    """The header's opening: kickers, headline and standfirst (the caller closes it)."""
    extra = " article__header-premium" if premium_class and article["premium"] else ""
    kicker = (
        f'<a data-test-ui="article__kicker" href="/{parts.slug(article["section"])}/">'
        f"{esc(article['section'])}</a>"
    )
    if article["subsection"]:
        kicker += f'<a data-test-ui="article__subkicker" href="#">{esc(article["subsection"])}</a>'
    standfirst = (
        f'<p class="article__standfirst">{esc(article["standfirst"])}</p>'
        if article["standfirst"]
        else ""
    )
    return (
        f'<header class="article__header{extra}" data-test-ui="article__header">{kicker}'
        f'<h1 class="article__heading" data-test-ui="{hook}">{esc(article["title"])}</h1>'
        f"{standfirst}"
    )


def _dom_2022(article: Article) -> str:
    body = "".join(_body_html(article, "related-articles", "Related articles"))
    return (
        f'<div class="article" data-test-ui="article">{_heading(article, "article__heading", True)}'
        f"{_byline(article, 'author__name__link', 'meta-data__time-stamp', with_datetime=True)}"
        f"{parts.share_bar()}</header>"
        f'<section class="article__body" data-test-ui="article__body">{body}'
        f'<div class="article__action-bar" data-test-ui="article__action-bar">'
        f"{parts.share_bar()}</div></section></div>"
    )


def _dom_2025(article: Article, *, with_datetime: bool = True) -> str:
    items = _body_html(article, "discover-more", "Discover more")
    if article["premium"]:
        cut = _split_at(items)
        body = (
            f'<section data-test-ui="article-top-body">{"".join(items[:cut])}</section>'
            f"{parts.paywall_prompt()}"
            f'<section data-test-ui="article-bottom-body">{"".join(items[cut:])}</section>'
        )
    else:
        body = f'<section data-test-ui="article__body">{"".join(items)}</section>'
    byline = _byline(article, "author--link", "author-display--date", with_datetime=with_datetime)
    heading = _heading(article, "article__heading", False)
    return (
        f'<div class="article" data-test-ui="article">{heading}'
        f"{byline}{parts.share_bar()}</header>{parts.audio_prompt()}{body}{parts.share_bar()}</div>"
    )


def _dom_viva(article: Article) -> str:
    body = "".join(_body_html(article, "discover-more", "Discover more"))
    byline = _byline(article, "author--link", "author-display--date", with_datetime=True)
    paywall = parts.paywall_prompt() if article["premium"] else ""
    return (
        f'<article class="article-viva">{_heading(article, "viva-article__heading", False)}'
        f'{byline}</header><section class="article-viva__body">{body}</section>{paywall}'
        f"{parts.share_bar()}</article>"
    )


def _dom_raw(article: Article) -> str:
    chunks = data.chunks(
        [data.block_html(kind, content) for kind, content in data.blocks(article["body"])]
    )
    raw_blocks = [f'<div class="article__raw-html">{chunk}</div>' for chunk in chunks]
    if len(raw_blocks) >= 2:
        # Where the ANS puts its raw video block: after the second element (render_data).
        raw_blocks.insert(2, f'<div class="article__raw-html">{data.raw_video_html()}</div>')
    raw = "".join(raw_blocks)
    byline = _byline(article, "author__name__link", "meta-data__time-stamp", with_datetime=True)
    return (
        f'<div class="article" data-test-ui="article">{_heading(article, "article__heading", True)}'
        f'{byline}</header><section class="article__content">{parts.advert("Top")}{raw}'
        f'<div class="article__raw-html">{parts.tweet()}</div>{parts.share_bar()}</section></div>'
    )


def _dom_2025_split(article: Article) -> str:
    """A 2024-25 body split over containers: section(s) first, then raw HTML blocks."""
    items = _body_html(article, "discover-more", "Discover more", split_layout=True)
    cut = _split_at(items)
    if article["premium"]:
        cut2 = max(cut + 1, 2 * len(items) // 3)
        head = (
            f'<section data-test-ui="article-top-body">{"".join(items[:cut])}</section>'
            f"{parts.paywall_prompt()}"
            f'<section data-test-ui="article-bottom-body">{"".join(items[cut:cut2])}</section>'
        )
        tail = items[cut2:]
    else:
        head = f'<section data-test-ui="article__body">{"".join(items[:cut])}</section>'
        tail = items[cut:]
    raw = f"{parts.share_bar()}{parts.app_promo()}".join(
        f'<div class="article__raw-html">{chunk}</div>' for chunk in data.chunks(tail, 3)
    )
    byline = _byline(article, "author--link", "author-display--date", with_datetime=True)
    heading = _heading(article, "article__heading", False)
    return (
        f'<div class="article" data-test-ui="article">{heading}'
        f"{byline}{parts.share_bar()}</header>{parts.audio_prompt()}{head}{parts.share_bar()}"
        f"{parts.app_promo()}{raw}{parts.share_bar()}</div>"
    )


def expected_record(article: Article, layout: str) -> Article:
    """The record extraction gives for `article` rendered in `layout` (what it can carry)."""
    expected = dict(article)
    if layout == "meta-dom":
        # The byline shows minutes and no modified time.
        expected["published"] = expected["published"][:17] + "00Z"
        expected["updated"] = expected["published"]
    # Staff copy on the Viva site (its layout, or a /viva/ address in any layout) is Viva's.
    on_viva = layout == "viva" or urlsplit(article["url"]).path.startswith("/viva/")
    if on_viva and expected["source"] == "NZ Herald":
        expected["source"] = "Viva"
    return Article(**expected)


def render_article(article: Article, layout: str) -> str:
    """A whole article page in one of LAYOUTS, with the site's furniture around the story."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    ld = data.jsonld(article)
    scripts, times, main = {
        "fusion-2022": (
            lambda: (ld + data.fusion_script(data.ans_2022(article)), False, _dom_2022(article))
        ),
        "arc-2025": lambda: (
            ld + data.fusion_script(data.ans_2025(article)),
            True,
            _dom_2025(article),
        ),
        "jsonld-dom": lambda: (ld + data.fusion_script(None), False, _dom_2025(article)),
        "meta-dom": lambda: ("", False, _dom_2025(article, with_datetime=False)),
        "viva": lambda: ("", True, _dom_viva(article)),
        "raw-html": lambda: (
            ld + data.fusion_script(data.ans_2022(article, raw=True)),
            False,
            _dom_raw(article),
        ),
        "dom-2025-split": lambda: (ld + data.fusion_script(None), False, _dom_2025_split(article)),
    }[layout]()
    head = parts.head(article["title"], data.metas(article, times=times), article["url"], scripts)
    return parts.page(head, main, article["section"], body_class=f"layout-{layout}")


def _non_article_main(kind: str, title: str) -> str:
    cards = parts.story_cards("Latest", f"More from {title}", "story-list")
    if kind == "video":
        return (
            f'<div class="video-page" data-test-ui="video-page"><h1 class="video__heading">'
            f'{esc(title)}</h1><div class="video-player" data-brightcove-id="6300000000001">'
            f'</div><p class="video__description">Watch the full clip.</p>{cards}</div>'
        )
    if kind == "gallery":
        figures = "".join(
            parts.figure(f"Picture {n} of the week. Photo / Supplied") for n in range(1, 4)
        )
        return (
            f'<div class="gallery" data-test-ui="gallery"><h1 class="gallery__heading">'
            f"{esc(title)}</h1>{figures}{cards}</div>"
        )
    if kind == "people":
        return (
            f'<section class="author-page"><h1 class="author-page__name">{esc(title)}</h1>'
            f'<p class="author-page__bio">Writes about the regions and the people in them.'
            f"</p>{cards}</section>"
        )
    # section fronts and topic (tag) pages: a heading over lists of story cards
    return (
        f'<section class="section-front" data-test-ui="section-front"><h1 '
        f'class="section-front__heading">{esc(title)}</h1>{cards}'
        f"{parts.advert('Section_banner')}{parts.story_cards(title, 'Top stories', 'top')}"
        "</section>"
    )


def _non_article_scripts(kind: str, title: str) -> str:
    arc_id = "VIDE0" if kind == "video" else "GA11E"
    if kind not in ("video", "gallery"):
        return data.fusion_script(None)
    ans = {
        "_id": (arc_id + "RENDERED" + "0" * 26)[:26],
        "type": kind,
        "headlines": {"basic": title},
        "description": {"basic": f"{title}."},
        "display_date": "2022-10-10T00:00:00Z",
    }
    schema = "VideoObject" if kind == "video" else "ImageGallery"
    ld = {
        "@context": "http://schema.org",
        "@type": schema,
        "name": title,
        "uploadDate": "2022-10-10T00:00:00Z",
    }
    return f'<script type="application/ld+json">{script_json(ld)}</script>{data.fusion_script(ans)}'


def render_non_article(kind: str, title: str) -> str:
    """A page that is not an article: "video", "gallery", "section", "people" or "tag"."""
    if kind not in NON_ARTICLE_KINDS:
        raise ValueError(f"unknown page kind {kind!r}; expected one of {NON_ARTICLE_KINDS}")
    metas = [
        ("property", "og:title", title),
        ("property", "og:type", "website"),
        ("name", "description", f"The latest on {title} from the NZ Herald."),
    ]
    head = parts.head(title, metas, None, _non_article_scripts(kind, title))
    return parts.page(head, _non_article_main(kind, title), "Latest", body_class=f"page-{kind}")
