"""An archived article for the article page and the API, cut by the premium rule, and its
provenance (when fetched, first archived, and its versions).

The rule itself (unless the deployment is licensed, SHOW_PREMIUM_TEXT, a premium article
shows only its standfirst and opening paragraphs) is crawler.preview's, shared with the
index's snippets; it holds for diffs between versions too.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from flask import abort
from markupsafe import Markup

from crawler.archive import History, Version
from crawler.preview import PREVIEW_PARAGRAPHS, paragraphs, visible_paragraphs
from crawler.record import ARC_ID_RE, FIELDS, Article
from web.diffs import BodyDiff, body_diff, word_diff
from web.resources import get_archive

# Fields whose change a diff names but does not show word by word.
_OTHER_FIELDS = (
    "url",
    "authors",
    "source",
    "section",
    "subsection",
    "tags",
    "published",
    "premium",
)


def archived_or_404(article_id: str) -> Article:
    """The archived article with this id; a 404 for anything else (malformed ids included)."""
    record = get_archive().get(article_id) if ARC_ID_RE.match(article_id) else None
    if record is None:
        abort(404)
    return record


def history_or_404(article_id: str) -> History:
    """The archived article's history (its current record last); a 404 when not archived."""
    history = get_archive().history(article_id) if ARC_ID_RE.match(article_id) else None
    if history is None:
        abort(404)
    return history


def article_json(
    article: Article, show_premium_text: bool, history: History | None = None
) -> dict[str, Any]:
    """The API's article: the record's fields, the body cut for premium, a flag saying so,
    and its provenance (`fetched`, `first_seen`, `last_seen`, `versions` oldest first)."""
    shown, truncated = visible_paragraphs(article, show_premium_text)
    answer: dict[str, Any] = {name: article[name] for name in FIELDS}  # type: ignore[literal-required]
    answer.update(body="\n\n".join(shown), truncated=truncated, fetched=article.get("fetched"))
    if history is not None:
        answer.update(
            first_seen=history.first_seen,
            last_seen=history.last_seen,
            versions=[{"updated": v.updated, "fetched": v.fetched} for v in history.versions],
        )
    return answer


@dataclass(frozen=True)
class Change:
    """What changed from one version to the next, as far as it may be shown."""

    before: Version
    after: Version
    title: Markup | None  # a word diff, or None when unchanged
    standfirst: Markup | None
    body: BodyDiff
    other: list[str]  # other fields that changed, by name
    cut: bool  # premium: only the opening paragraphs were compared


def _compared(article: Article, cut: bool) -> list[str]:
    paras = paragraphs(article["body"])
    return paras[:PREVIEW_PARAGRAPHS] if cut else paras


def _change(before: Version, after: Version, cut: bool) -> Change:
    old, new = before.article, after.article
    title = word_diff(old["title"], new["title"]) if old["title"] != new["title"] else None
    standfirst = None
    if old["standfirst"] != new["standfirst"]:
        standfirst = word_diff(old["standfirst"], new["standfirst"])
    return Change(
        before=before,
        after=after,
        title=title,
        standfirst=standfirst,
        body=body_diff(_compared(old, cut), _compared(new, cut)),
        other=[name for name in _OTHER_FIELDS if old[name] != new[name]],  # type: ignore[literal-required]
        cut=cut,
    )


def changes(history: History, show_premium_text: bool) -> list[Change]:
    """Each change between consecutive versions, newest first."""
    found = []
    for before, after in pairwise(history.versions):
        # Hidden premium text never reaches a diff: when the current version or either of
        # the two is premium, only the opening paragraphs of both are compared.
        premium = (history.current, before.article, after.article)
        cut = not show_premium_text and any(a["premium"] for a in premium)
        found.append(_change(before, after, cut))
    return found[::-1]
