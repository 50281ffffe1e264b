"""Story paragraphs from a body's blocks: embeds out, and the caption lines written beside them.

Both body readers (ANS elements and the rendered DOM, crawler.extract.body) turn a body into
the same sequence of blocks: text, headings, list items, and the places of embeds. A video's
"Watch: …" line or a photo's "… Photo / Supplied" credit is often plain text right before or
after the embed, with nothing in the markup to say so. Such a line is dropped when it is
(1) next to an embed, or next to another caption line that is, and (2) shaped like a caption:
short, and led by a label ("Watch: …") or by "Watch"/"Listen", or ending in a credit
("Video / NZ Herald"), or a sentence set wholly in bold or italics. A heading beside an embed
is its title only when led by a label ("Watch: …"). Text far from any embed is never dropped,
whatever it says, and list items are never captions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

BlockKind = Literal["text", "heading", "item", "embed"]


class Block(NamedTuple):
    """One piece of a body in reading order."""

    kind: BlockKind
    text: str = ""
    emphasized: bool = False  # the whole text is one <strong>/<b>/<em>/<i> run


EMBED = Block("embed")

_CAPTION_MAX_WORDS = 40
# A caption line may be a title and a credit: at most this many lines on each side of an embed.
_CAPTION_LINES = 2
# "Watch: …", "WATCH | …", "Video highlights: …" (a one- or two-word label, then the caption;
# not "Q: …" or "A: …" of an interview).
_LABEL_LEAD = re.compile(r"^([A-Z][\w’'&-]+(?: [\w’'&-]+)?) ?[:|] *\S")
# Quoted speech is story text, not a label: "Seumaselo said: “It's a goal…”".
_SPEECH_VERBS = frozenset(
    {"said", "says", "told", "tells", "asked", "asks", "added", "adds", "wrote", "writes"}
)
_OPENING_QUOTES = ('"', "“", "‘", "'")
# A line that tells the reader to play the embed beside it: "Watch the moment …", "Listen: …".
_PLAY_LEAD = re.compile(r"^(?:watch|listen)\b(?!-)", re.IGNORECASE)
# Leads that label the story itself (DESIGN: an "OPINION:" lead is a paragraph).
_STORY_LABELS = frozenset(
    {
        "opinion",
        "analysis",
        "editorial",
        "comment",
        "review",
        "exclusive",
        "breaking",
        "update",
        "updated",
        "warning",
        "correction",
    }
)
# "… Photo / Supplied", "Video / NZ Herald", "(Image / Getty Images)", "… Video: Supplied".
_CREDIT_TAIL = re.compile(
    r"(?:^|[\s.(])[A-Z][\w’'.&-]*(?: [\w’'.&-]+){0,2} / \S[^/]{0,60}$"
    r"|[.!?)] [A-Z][\w’'-]*: [A-Z][\w’'.& -]{0,40}$"
)
_SENTENCE_END = tuple('.!?…"”’)')
# Prompts that are sometimes written into the body as plain text; compared case-insensitively.
_PROMPT_PREFIXES = (
    "advertisement",
    "advertise with nzme",
    "share this article",
    "subscribe to listen",
    "listening to articles is free",
    "discover more",
)


def is_prompt(paragraph: str) -> bool:
    """True for a site prompt (ad label, audio or share prompt) rather than story text."""
    lowered = paragraph.lower()
    return lowered.startswith(_PROMPT_PREFIXES) and len(lowered) < 160


def is_caption_shaped(block: Block) -> bool:
    """True for a text line shaped like an embed's caption, title or credit."""
    text = block.text
    if block.kind not in ("text", "heading") or len(text.split()) > _CAPTION_MAX_WORDS:
        return False
    lead = _LABEL_LEAD.match(text)
    if lead and _is_caption_label(lead.group(1), text[lead.end() - 1 :]):
        return True
    if block.kind == "heading":
        return False
    if _PLAY_LEAD.match(text):
        return True
    if _CREDIT_TAIL.search(text):
        return True
    return block.emphasized and text.endswith(_SENTENCE_END)


def _is_caption_label(label: str, rest: str) -> bool:
    """Whether a "Label: …" lead labels an embed (not the story, and not someone's words)."""
    words = label.lower().split()
    if words[0] in _STORY_LABELS or words[-1] in _SPEECH_VERBS:
        return False
    return not rest.startswith(_OPENING_QUOTES)


def _captions(blocks: list[Block]) -> set[int]:
    """Positions of the caption lines beside the embeds."""
    found: set[int] = set()
    for at, block in enumerate(blocks):
        if block.kind != "embed":
            continue
        for step in (-1, 1):
            near = at + step
            for _ in range(_CAPTION_LINES):
                if not 0 <= near < len(blocks) or not is_caption_shaped(blocks[near]):
                    break
                found.add(near)
                near += step
    return found


def story_paragraphs(blocks: Iterable[Block]) -> list[str]:
    """The paragraphs of a body's blocks: no embeds, captions beside them, prompts or blanks."""
    kept = [b for b in blocks if b.kind == "embed" or (b.text and not is_prompt(b.text))]
    captions = _captions(kept)
    return [b.text for at, b in enumerate(kept) if b.kind != "embed" and at not in captions]
