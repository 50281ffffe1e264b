"""The Whoosh schema and the mapping of an archived article to one index document.

Lean on purpose: only the id is stored (hits are filled from the archive by id). Matching
uses one combined `content` field (title + standfirst + body: one field was ~25% faster than
three); `title` and `standfirst` are indexed again on their own so they can be queried
(`title:`) and add their boosted BM25F score on top. Sortable columns hold what filters,
facets and date sorting read: raw section/subsection/source labels, premium, the UTC
publication time and the New Zealand calendar day, the id (so ordered exports map document
numbers to ids without reading stored fields), and the tags and authors as label lists
(index.ondisk.multicolumn: facets that count an article once in each of its tags).
`spell` holds the folded, unstemmed words of titles and standfirsts: the dictionary of
"did you mean".

Phrases are exact, stop words included (index.engine.phrases): positions count every word,
`stops` holds the stop words the text fields leave out, at their positions, and `pairs`
indexes each two neighbouring common or stop words (the build picks the common words; the
set travels inside the stored schema), without frequencies, because checking positions in
every document holding two common words was the slowest query of all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from whoosh.columns import FixedBytesColumn, NumericColumn, RefBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, TEXT, Schema

from crawler.record import NZ_TZ, Article, parse_utc
from index.ondisk.analysis import (
    name_analyzer,
    pair_analyzer,
    stops_analyzer,
    text_analyzer,
    value_key,
)
from index.ondisk.formats import FastFrequency, PackedPositions
from index.ondisk.multicolumn import LabelListColumn

CONTENT = "content"
PAIRS = "pairs"
STOPS = "stops"
# What a person may type before a colon, and the field it searches.
QUERY_FIELDS = {
    "title": "title",
    "author": "author",
    "by": "author",
    "section": "section",
    "subsection": "section",
    "tag": "tag",
    "tags": "tag",
    "source": "source",
}
ID_BYTES = 26  # every Arc id (crawler.record.ARC_ID_RE)
# The multi-valued facet columns: facet name → column name.
LABEL_COLUMNS = {"tag": "tag_labels", "author": "author_labels"}
# BM25F field weights (index.engine.ranking applies them; stored weights are plain frequencies).
TITLE_BOOST = 3.0
STANDFIRST_BOOST = 1.5


def _text(analyzer: object, *, phrase: bool) -> TEXT:
    """A TEXT field with this package's faster formats (index.ondisk.formats)."""
    field = TEXT(analyzer=analyzer, phrase=phrase)
    field.format = PackedPositions() if phrase else FastFrequency()
    return field


def _stops() -> TEXT:
    """The stops field: positions only for phrases (no lengths, no ranking), and left
    uncompressed so a phrase check reads only the documents it asks about."""
    field = TEXT(analyzer=stops_analyzer(), phrase=True)
    field.format = PackedPositions(compress=False)
    field.scorable = False
    return field


def make_schema(common: Iterable[str] = ()) -> Schema:
    """The schema; `common` words (analysed) get their neighbouring pairs indexed."""
    text = text_analyzer()
    names = name_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        content=_text(text, phrase=True),
        stops=_stops(),
        # ID's format records only which documents hold a term: all a pair lookup needs.
        pairs=ID(analyzer=pair_analyzer(common)),
        title=_text(text, phrase=True),
        standfirst=_text(text, phrase=False),
        author=_text(names, phrase=True),
        section=_text(names, phrase=True),
        tag=_text(names, phrase=True),
        source=_text(names, phrase=True),
        spell=_text(names, phrase=False),
        author_key=KEYWORD(commas=True, scorable=False),
        # Columns only (not indexed): a NUMERIC field's trie terms cost ~700 bytes/article.
        sec=COLUMN(RefBytesColumn()),
        subsec=COLUMN(RefBytesColumn()),
        src=COLUMN(RefBytesColumn()),
        prem=COLUMN(NumericColumn("B")),
        pub=COLUMN(NumericColumn("q")),
        nzday=COLUMN(NumericColumn("i")),
        idc=COLUMN(FixedBytesColumn(ID_BYTES)),
        tag_labels=COLUMN(LabelListColumn()),
        author_labels=COLUMN(LabelListColumn()),
    )


def nz_day(published: str) -> date:
    """The New Zealand calendar day of a UTC timestamp (2022-10-10T23:30Z → 2022-10-11)."""
    return parse_utc(published).astimezone(NZ_TZ).date()


def epoch_seconds(published: str) -> int:
    return int(parse_utc(published).timestamp())


def distinct_labels(values: Iterable[str]) -> list[str]:
    """`values` without blanks and without repeats that fold to the same key (first kept):
    an article counts once under each of its tags however the site spelled them."""
    seen: dict[str, str] = {}
    for value in values:
        label = " ".join(value.split())
        if label:
            seen.setdefault(value_key(label), label)
    return list(seen.values())


def to_document(article: Article) -> dict[str, object]:
    """The index document of one archived article."""
    title, standfirst = article["title"], article["standfirst"]
    subsection = article["subsection"] or ""
    content = f"{title}\n{standfirst}\n{article['body']}"
    return {
        "id": article["id"],
        "content": content,
        "stops": content,
        "pairs": content,
        "title": title,
        "standfirst": standfirst,
        "author": " ; ".join(article["authors"]),
        "section": f"{article['section']} ; {subsection}",
        "tag": " ; ".join(article["tags"]),
        "source": article["source"],
        "spell": f"{title}\n{standfirst}",
        "author_key": ",".join(value_key(a) for a in article["authors"]),
        "sec": article["section"].encode(),
        "subsec": subsection.encode(),
        "src": article["source"].encode(),
        "prem": int(article["premium"]),
        "pub": epoch_seconds(article["published"]),
        "nzday": nz_day(article["published"]).toordinal(),
        "idc": article["id"].encode("ascii"),
        "tag_labels": distinct_labels(article["tags"]),
        "author_labels": distinct_labels(article["authors"]),
    }
