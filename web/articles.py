"""What of an archived article may be shown: the premium rule shared by the page and the API.

Premium (paywalled) text is searchable but not republished: unless the deployment is
licensed (SHOW_PREMIUM_TEXT), only the standfirst and the opening paragraphs are shown.
"""

from __future__ import annotations

from typing import Any

from flask import abort

from crawler.record import ARC_ID_RE, Article
from web.resources import get_archive

PREVIEW_PARAGRAPHS = 3


def archived_or_404(article_id: str) -> Article:
    """The archived article with this id; a 404 for anything else (malformed ids included)."""
    record = get_archive().get(article_id) if ARC_ID_RE.match(article_id) else None
    if record is None:
        abort(404)
    return record


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (separated by one blank line in the record)."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def visible_paragraphs(article: Article, show_premium_text: bool) -> tuple[list[str], bool]:
    """The paragraphs that may be shown, and whether the body was cut short."""
    paras = paragraphs(article["body"])
    if article["premium"] and not show_premium_text and len(paras) > PREVIEW_PARAGRAPHS:
        return paras[:PREVIEW_PARAGRAPHS], True
    return paras, False


def article_json(article: Article, show_premium_text: bool) -> dict[str, Any]:
    """The API's article: the record's fields, the body cut for premium, and a flag saying so."""
    shown, truncated = visible_paragraphs(article, show_premium_text)
    return {**article, "body": "\n\n".join(shown), "truncated": truncated}
