"""Arc XP "Fusion" pages: find Fusion.globalContent (ANS JSON) and read the record's fields.

Works on the raw page text, without parsing the DOM: the object is located by string search
and decoded with json.JSONDecoder.raw_decode, which stops at the end of the object.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from crawler.extract.body import ans_paragraphs
from crawler.extract.text import SITE_ORIGIN, absolute_url, clean, html_to_text, iso_utc
from crawler.record import ARC_ID_RE

log = logging.getLogger(__name__)

_MARKER = "Fusion.globalContent"
_SCRIPT_ID = 'id="fusion-metadata"'
_DECODER = json.JSONDecoder()


def global_content(page: str) -> dict[str, Any] | None:
    """The decoded Fusion.globalContent object of a page, or None when absent or malformed."""
    start = page.find(_SCRIPT_ID)
    at = page.find(_MARKER, max(start, 0))
    if at < 0:
        return None
    pos = at + len(_MARKER)
    while pos < len(page) and page[pos] in " \t\r\n=":
        pos += 1
    if not page.startswith("{", pos):
        return None
    try:
        value, _end = _DECODER.raw_decode(page, pos)
    except (ValueError, RecursionError) as exc:
        log.debug("Fusion.globalContent is not valid JSON: %s", exc)
        return None
    return value if isinstance(value, dict) else None


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _first(ans: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = ans.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _text_or_basic(value: Any) -> str:
    """ANS strings come either plain or as {"basic": "…"} (headlines, description)."""
    if isinstance(value, dict):
        value = value.get("basic")
    return html_to_text(value)


def story_type(ans: dict[str, Any]) -> str:
    """The ANS content type ("story", "video", "gallery", …), lower case; "" when unknown."""
    return clean(ans.get("type")).lower()


def _authors(ans: dict[str, Any]) -> list[str] | None:
    credits = ans.get("credits")
    if not isinstance(credits, dict):
        return None
    people = credits.get("by")
    if not isinstance(people, list):
        return []
    # Organizations and unnamed credits are sources, not authors (wire copy has none).
    return [
        clean(person.get("name"))
        for person in people
        if isinstance(person, dict)
        and person.get("type", "author") == "author"
        and clean(person.get("name"))
    ]


def _source(ans: dict[str, Any]) -> str | None:
    distributor = ans.get("distributor")
    if not isinstance(distributor, dict):
        return None
    name = clean(distributor.get("name"))
    if name:
        return name
    return "NZ Herald" if clean(distributor.get("category")) == "staff" else None


def _section_of(section: Any, sections: Any) -> tuple[str, str] | None:
    """(section, subsection) from an ANS section object, looking its parent up in sections."""
    name = clean(_get(section, "name"))
    if not name:
        return None
    parent_id = clean(_get(section, "parent_id")) or clean(_get(section, "parent", "default"))
    if parent_id in ("", "/"):
        return name, ""
    for candidate in sections if isinstance(sections, list) else []:
        if clean(_get(candidate, "_id")) == parent_id and clean(_get(candidate, "name")):
            return clean(candidate["name"]), name
    return parent_id.strip("/").split("/")[-1].replace("-", " ").title(), name


def _sections(ans: dict[str, Any]) -> tuple[str, str] | None:
    label = clean(ans.get("sectionLabel"))
    if label:
        return label, clean(ans.get("subSectionLabel"))
    taxonomy = ans.get("taxonomy")
    primary = _get(taxonomy, "primary_section")
    return _section_of(primary, _get(taxonomy, "sections"))


def _tags(ans: dict[str, Any]) -> list[str] | None:
    tags = _get(ans, "taxonomy", "tags")
    if not isinstance(tags, list):
        tags = ans.get("tags")
    if not isinstance(tags, list):
        return None
    texts = [clean(tag.get("text")) for tag in tags if isinstance(tag, dict)]
    return [text for text in texts if text]


def _premium(ans: dict[str, Any]) -> bool | None:
    if isinstance(ans.get("isPremium"), bool):
        return ans["isPremium"]
    code = clean(_get(ans, "content_restrictions", "content_code") or ans.get("contentCode"))
    return code.lower() == "premium" if code else None


def fields(ans: dict[str, Any]) -> dict[str, Any]:
    """Record fields an ANS story carries; None marks a field the ANS does not know."""
    arc_id = clean(_first(ans, "id", "_id"))
    canonical = _first(ans, "canonicalUrl", "canonical_url", "websiteUrl", "website_url")
    section = _sections(ans)
    elements = _first(ans, "elements", "content_elements")
    body = "\n\n".join(ans_paragraphs(elements)) if isinstance(elements, list) else ""
    return {
        "id": arc_id if ARC_ID_RE.match(arc_id) else None,
        "url": absolute_url(canonical, SITE_ORIGIN),
        "title": _text_or_basic(ans.get("headlines")) or html_to_text(ans.get("headline")) or None,
        "standfirst": _text_or_basic(ans.get("description"))
        or _text_or_basic(ans.get("subheadlines"))
        or None,
        "body": body or None,
        "authors": _authors(ans),
        "source": _source(ans),
        "section": section[0] if section else None,
        "subsection": section[1] if section else None,
        "tags": _tags(ans),
        "published": iso_utc(
            _first(
                ans,
                "displayDate",
                "display_date",
                "first_publish_date",
                "createdDate",
                "created_date",
            )
        ),
        "updated": iso_utc(_first(ans, "lastUpdatedDate", "last_updated_date")),
        "premium": _premium(ans),
        "site": clean(_first(ans, "canonicalWebsite", "canonical_website", "website")),
    }
