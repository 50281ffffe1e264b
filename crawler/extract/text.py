"""Small text helpers shared by the extractors: HTML fragments to plain text, URLs, dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.html import remove_comments, remove_tags, replace_entities

from crawler.config import REAL_ORIGIN as SITE_ORIGIN
from crawler.record import NZ_TZ, parse_utc, to_utc_iso

# Tags that separate words even though they carry no text (a <br> inside a paragraph).
_BREAK_TAGS = re.compile(r"<(?:br|/?p|/?div|/?li|/?h[1-6])\b[^>]*>", re.IGNORECASE)
# The site's displayed dates, New Zealand local time: "1 Jun, 2018 05:00 PM".
_LOCAL_FORMATS = ("%d %b, %Y %I:%M %p", "%d %b %Y %I:%M %p", "%d %B, %Y %I:%M %p")


def clean(value: object) -> str:
    """Collapse whitespace (including non-breaking spaces), compose macrons; non-strings: ""."""
    if not isinstance(value, str):
        return ""
    # NFC: a macron typed as a combining mark (a + U+0304) is stored as the single letter ā.
    return unicodedata.normalize("NFC", " ".join(value.split()))


def html_to_text(fragment: object) -> str:
    """Plain text of an HTML fragment: tags stripped, entities decoded, whitespace collapsed."""
    if not isinstance(fragment, str) or not fragment:
        return ""
    text = _BREAK_TAGS.sub(" ", remove_comments(fragment))
    return clean(replace_entities(remove_tags(text)))


def absolute_url(url: object, base: str = SITE_ORIGIN) -> str | None:
    """An absolute http(s) URL, resolving a relative one against base; None when unusable."""
    text = clean(url)
    if not text:
        return None
    resolved = urljoin(base, text)
    return resolved if resolved.startswith(("http://", "https://")) else None


def strip_query(url: str) -> str:
    """The URL without its query string and fragment (tracking parameters such as ?ref=rss)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def path_segments(url: str) -> list[str]:
    """The non-empty path segments of a URL."""
    return [segment for segment in urlsplit(url).path.split("/") if segment]


def iso_utc(value: object) -> str | None:
    """An ISO 8601 timestamp normalised to UTC "…Z"; None when missing or unparsable."""
    text = clean(value)
    if not text:
        return None
    try:
        return to_utc_iso(parse_utc(text))
    except (ValueError, OverflowError):
        return None


def nz_local_to_utc(value: object) -> str | None:
    """A displayed New Zealand date ("1 Jun, 2018 05:00 PM") as ISO 8601 UTC; None if unknown."""
    text = clean(value)
    for fmt in _LOCAL_FORMATS:
        try:
            local = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return to_utc_iso(local.replace(tzinfo=NZ_TZ))
    return None
