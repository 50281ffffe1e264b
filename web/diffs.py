"""Readable word diffs between two versions of an article, as safe HTML.

Paragraphs are aligned first (difflib over whole paragraphs), then each changed pair is
diffed word by word, so a diff stays readable and cheap on long bodies. All text is
escaped; the only markup is <ins> and <del>.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from markupsafe import Markup, escape


def _run(words: list[str], tag: str | None) -> Markup:
    text = escape(" ".join(words))
    return Markup(f"<{tag}>{text}</{tag}>") if tag else text


def word_diff(old: str, new: str) -> Markup:
    """`old` → `new` word by word: removed words in <del>, added ones in <ins>."""
    a, b = old.split(), new.split()
    parts: list[Markup] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_run(a[i1:i2], None))
            continue
        if i2 > i1:
            parts.append(_run(a[i1:i2], "del"))
        if j2 > j1:
            parts.append(_run(b[j1:j2], "ins"))
    return Markup(" ").join(parts)


@dataclass
class BodyDiff:
    """The changed paragraphs of a body, in reading order, and how many stayed the same."""

    paragraphs: list[Markup] = field(default_factory=list)
    unchanged: int = 0


def body_diff(old: list[str], new: list[str]) -> BodyDiff:
    """Paragraph lists `old` → `new`: each changed, added or removed paragraph as a diff."""
    diff = BodyDiff()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            diff.unchanged += i2 - i1
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                diff.paragraphs.append(word_diff(olds[k], news[k]))
            elif k < len(olds):
                diff.paragraphs.append(_run(olds[k].split(), "del"))
            else:
                diff.paragraphs.append(_run(news[k].split(), "ins"))
    return diff
