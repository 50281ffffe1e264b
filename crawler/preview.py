"""What of a premium article may be shown: the one rule the article page, the API, the
search snippets and the feeds all follow.

Premium (paywalled) text is searchable, as the site serves it to crawlers, but it is not
republished: unless the deployment is licensed (HERALD_SHOW_PREMIUM_TEXT), only the
standfirst and the opening PREVIEW_PARAGRAPHS paragraphs are shown.
"""

from __future__ import annotations

from crawler.record import Article

PREVIEW_PARAGRAPHS = 3


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (separated by one blank line in the record)."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def visible_paragraphs(article: Article, show_premium_text: bool) -> tuple[list[str], bool]:
    """The paragraphs that may be shown, and whether the body was cut short."""
    paras = paragraphs(article["body"])
    if article["premium"] and not show_premium_text and len(paras) > PREVIEW_PARAGRAPHS:
        return paras[:PREVIEW_PARAGRAPHS], True
    return paras, False


def hidden_text(article: Article, show_premium_text: bool) -> str:
    """The body text that may not be shown ("" when everything may)."""
    paras = paragraphs(article["body"])
    shown, truncated = visible_paragraphs(article, show_premium_text)
    return "\n\n".join(paras[len(shown) :]) if truncated else ""
