"""Structured data for the sample site's pages: body shapes, Fusion ANS, JSON-LD, meta tags.

The body's paragraphs are given shapes (see blocks()) so the same story can be written as
ANS elements, raw HTML or DOM markup by the renderer (render.py).
"""

from __future__ import annotations

from typing import Any

from crawler.config import REAL_ORIGIN
from crawler.record import Article
from tests.sample_site import render_parts as parts
from tests.sample_site.render_parts import esc, script_json

_CLOSING = (".", "?", "!", '"', "”", "’", "'", ":", ";", ")")
CAPTION = "Volunteers plant native trees along the stream bank. Photo / Supplied"
# An in-body video's title, its "Watch:" caption line and its credit: embed furniture, not text.
VIDEO_TITLE = "Planting day on the stream bank"
VIDEO_CAPTION = "Watch: Volunteers show how the new trees go in."
VIDEO_PLAY_CAPTION = "Watch the volunteers plant the first trees"
VIDEO_CREDIT = "Video / NZ Herald"


def _short(paragraph: str) -> bool:
    return len(paragraph) < 80 and not paragraph.endswith(_CLOSING)


def blocks(body: str) -> list[tuple[str, Any]]:
    """The body as (kind, content) blocks: opinion, p, header, list (content: its items)."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(paragraphs):
        if i == 0 and paragraphs[0] == "OPINION:":
            out.append(("opinion", paragraphs[0]))
            i += 1
            continue
        end = i
        while end < len(paragraphs) and _short(paragraphs[end]):
            end += 1
        if end - i >= 2:
            out.append(("list", paragraphs[i:end]))
        elif end - i == 1:
            out.append(("header", paragraphs[i]))
        else:
            out.append(("p", paragraphs[i]))
        i = max(end, i + 1)
    return out


def block_html(kind: str, content: Any) -> str:
    """One block as the site's body markup."""
    if kind == "opinion":
        return f"<p><strong>{esc(content)}</strong></p>"
    if kind == "header":
        return f'<h2 class="article__crosshead">{esc(content)}</h2>'
    if kind == "list":
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in content) + "</ul>"
    return f'<p class="">{esc(content)}</p>'


def chunks(items: list[str], size: int = 2) -> list[str]:
    """HTML pieces joined in groups of `size` (raw_html blocks hold several paragraphs)."""
    return ["".join(items[i : i + size]) for i in range(0, len(items), size)]


# --- structured data ------------------------------------------------------------------------


def _relative(url: str) -> str:
    # The site publishes canonicalUrl as a path on its own origin.
    return url[len(REAL_ORIGIN) :] if url.startswith(REAL_ORIGIN + "/") else url


def _ans_element(kind: str, content: Any) -> dict[str, Any]:
    if kind == "opinion":
        return {"type": "text", "content": f"<strong>{esc(content)}</strong>"}
    if kind == "header":
        return {"type": "header", "level": 2, "content": esc(content)}
    if kind == "list":
        items = [{"type": "text", "content": esc(item)} for item in content]
        return {"type": "list", "list_type": "unordered", "items": items}
    return {"type": "text", "content": esc(content)}


def raw_video_html() -> str:
    """A raw HTML block holding only a video and its caption line."""
    return (
        f"{parts.video_player(VIDEO_TITLE, hooked=False)}"
        f"<p>{esc(VIDEO_CAPTION)} {esc(VIDEO_CREDIT)}</p>"
    )


def _ans_video(raw: bool) -> list[dict[str, Any]]:
    """A video with its caption: as a raw HTML block, or a bold text line and a video element."""
    if raw:
        return [{"type": "raw_html", "content": raw_video_html()}]
    return [
        {"type": "text", "content": f"<b>{esc(VIDEO_CAPTION)}</b>"},
        {
            "type": "video",
            "headlines": {"basic": VIDEO_TITLE},
            "description": {"basic": VIDEO_CAPTION},
            "credits": {"by": [{"type": "author", "name": "NZ Herald Video"}]},
        },
        {"type": "text", "content": esc(VIDEO_CREDIT)},
    ]


def _ans_noise(raw: bool) -> dict[int, list[dict[str, Any]]]:
    """Non-text elements (and caption lines) to put after the n-th body element."""
    return {
        1: [{"type": "image", "caption": CAPTION, "url": "https://example.invalid/photo.jpg"}],
        2: _ans_video(raw),
        3: [{"type": "raw_html", "content": parts.tweet()}],
        4: [
            {
                "type": "interstitial_link",
                "content": "Read more: Five things to know",
                "url": "/nz/five-things/",
            }
        ],
        5: [{"type": "oembed_response", "raw_oembed": {"type": "twitter", "html": parts.tweet()}}],
        6: [{"type": "divider"}],
    }


def _ans_elements(article: Article, *, raw: bool) -> list[dict[str, Any]]:
    body = blocks(article["body"])
    if raw:
        grouped = chunks([block_html(kind, content) for kind, content in body])
        elements = [{"type": "raw_html", "content": chunk} for chunk in grouped]
    else:
        elements = [_ans_element(kind, content) for kind, content in body]
    noise = _ans_noise(raw)
    out = []
    for n, element in enumerate(elements):
        out.append({"_id": f"EL{n:024d}", **element})
        out.extend(noise.get(n + 1, []))
    return out


def _people(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "_id": parts.slug(name),
            "type": "author",
            "name": name,
            "url": f"/people/{parts.slug(name)}/",
            "description": "Reporter",
        }
        for name in article["authors"]
    ]


def ans_2022(article: Article, *, raw: bool = False) -> dict[str, Any]:
    staff = article["source"] == "NZ Herald"
    path = _relative(article["url"])
    return {
        "type": "story",
        "subtype": "news",
        "template": "story",
        "canonicalUrl": path,
        "id": article["id"],
        "isPremium": article["premium"],
        "isPublished": True,
        "credits": {"by": _people(article), "byline": []},
        "lastUpdatedDate": article["updated"],
        "distributor": {
            "category": "staff" if staff else "wires",
            "name": article["source"],
            "subcategory": "",
        },
        "tags": [
            {"_id": str(n), "slug": parts.slug(t), "text": t} for n, t in enumerate(article["tags"])
        ],
        "contentCode": "premium" if article["premium"] else "free",
        "description": article["standfirst"],
        "websiteUrl": path,
        "createdDate": article["published"],
        "displayDate": article["published"],
        "canonicalWebsite": "nzh",
        "sectionLabel": article["section"],
        "subSectionLabel": article["subsection"] or "",
        "elements": _ans_elements(article, raw=raw),
        "headline": article["title"],
        "headlines": {"basic": article["title"], "meta_title": ""},
        "readTime": "3 minutes to read",
        "_id": article["id"],
    }


def _taxonomy(article: Article) -> dict[str, Any]:
    top = {
        "_id": f"/{parts.slug(article['section'])}",
        "name": article["section"],
        "parent_id": "/",
        "type": "section",
    }
    sections = [top]
    if article["subsection"]:
        sections.append(
            {
                "_id": f"{top['_id']}/{parts.slug(article['subsection'])}",
                "name": article["subsection"],
                "parent_id": top["_id"],
                "type": "section",
            }
        )
    tags = [{"text": t, "slug": parts.slug(t)} for t in article["tags"]]
    return {"primary_section": sections[-1], "sections": sections, "tags": tags}


def ans_2025(article: Article) -> dict[str, Any]:
    staff = article["source"] == "NZ Herald"
    return {
        "_id": article["id"],
        "type": "story",
        "version": "0.10.9",
        "canonical_url": _relative(article["url"]),
        "canonical_website": "nzh",
        "headlines": {"basic": article["title"]},
        "description": {"basic": article["standfirst"]},
        "credits": {"by": _people(article)},
        # Staff copy often carries only the category; the extractor names it "NZ Herald".
        "distributor": {
            "category": "staff" if staff else "wires",
            "name": "" if staff else article["source"],
        },
        "taxonomy": _taxonomy(article),
        "display_date": article["published"],
        "first_publish_date": article["published"],
        "created_date": article["published"],
        "last_updated_date": article["updated"],
        "content_restrictions": {"content_code": "premium" if article["premium"] else "free"},
        "content_elements": _ans_elements(article, raw=False),
    }


def fusion_script(ans: dict[str, Any] | None) -> str:
    content = f"Fusion.globalContent={script_json(ans)};" if ans is not None else ""
    config = script_json({"source": "content-api", "query": {"website": "nzh"}})
    return (
        '<script id="fusion-metadata" type="application/javascript">window.Fusion=window.Fusion'
        '||{};Fusion.arcSite="nzh";Fusion.contextPath="/pf";Fusion.deployment="421";'
        f"{content}Fusion.globalContentConfig={config};Fusion.lastModified=1665450233853;"
        'Fusion.contentCache={};Fusion.layout="article-right-rail";Fusion.outputType="default";'
        "Fusion.spa=false;</script>"
    )


def jsonld(article: Article) -> str:
    authors = [{"@type": "Person", "name": name} for name in article["authors"]]
    data: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article["url"]},
        "publisher": {"@type": "Organization", "name": "NZ Herald"},
        "author": authors or {"@type": "Organization", "name": article["source"]},
        "datePublished": article["published"],
        "dateModified": article["updated"],
        "headline": article["title"],
        "isAccessibleForFree": "False" if article["premium"] else "True",
    }
    if article["standfirst"]:
        data["description"] = article["standfirst"]
    return f'<script type="application/ld+json">{script_json(data)}</script>'


def metas(article: Article, *, times: bool) -> list[tuple[str, str, str]]:
    sections = [article["section"], article["subsection"] or ""]
    return [
        ("name", "description", article["standfirst"]),
        ("property", "og:title", article["title"]),
        ("property", "og:url", article["url"]),
        ("property", "og:description", article["standfirst"]),
        ("property", "og:type", "article"),
        ("property", "og:site_name", "NZ Herald"),
        ("property", "article:section", ", ".join(s for s in sections if s)),
        ("property", "article:tag", ", ".join(article["tags"])),
        ("property", "article:published_time", article["published"] if times else ""),
        ("property", "article:modified_time", article["updated"] if times else ""),
        ("name", "twitter:card", "summary_large_image"),
    ]
