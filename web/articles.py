"""An archived article for the article page and the API, cut by the premium rule.

The rule itself (which paragraphs of a premium article may be shown) is crawler.preview's,
shared with the index's snippets.
"""

from __future__ import annotations

from typing import Any

from flask import abort

from crawler.preview import visible_paragraphs
from crawler.record import ARC_ID_RE, Article
from web.resources import get_archive


def archived_or_404(article_id: str) -> Article:
    """The archived article with this id; a 404 for anything else (malformed ids included)."""
    record = get_archive().get(article_id) if ARC_ID_RE.match(article_id) else None
    if record is None:
        abort(404)
    return record


def article_json(article: Article, show_premium_text: bool) -> dict[str, Any]:
    """The API's article: the record's fields, the body cut for premium, and a flag saying so."""
    shown, truncated = visible_paragraphs(article, show_premium_text)
    return {**article, "body": "\n\n".join(shown), "truncated": truncated}
