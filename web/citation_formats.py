"""Reference-manager formats of an archived article: RIS, BibTeX, CSL-JSON, Highwire tags.

- RIS: the tagged format every reference manager imports (`TY  - NEWS` … `ER  - `),
  lines ending CRLF as the specification shows.
- BibTeX: an @article with the newspaper as journal; LaTeX's special characters escaped,
  an organisation in double braces so it is never split into first and last names.
- CSL-JSON: the input format of citeproc (Zotero, Pandoc): type article-newspaper.
- Highwire Press `citation_*` meta tags: what Zotero's generic translator reads from a page.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.record import Article
from web.citations import NEWSPAPER, authors_of, citation_key, published_on

ARCHIVE_NAME = "Herald Archive Search"
_BIBTEX_MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
_LINE_BREAKS = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


def ris(article: Article) -> str:
    """One RIS record (ending with `ER  - ` and a blank line)."""
    day = published_on(article)
    lines = [("TY", "NEWS"), ("TI", article["title"])]
    lines += [("AU", name.inverted) for name in authors_of(article)]
    lines += [
        ("PY", str(day.year)),
        ("DA", f"{day:%Y/%m/%d}/"),
        ("T2", NEWSPAPER),
        ("SE", article["section"]),
    ]
    if article["standfirst"]:
        lines.append(("AB", article["standfirst"]))
    lines += [("KW", tag) for tag in article["tags"]]
    lines += [("UR", article["url"]), ("LA", "en"), ("DB", ARCHIVE_NAME)]
    body = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if value)
    return f"{body}ER  - \r\n\r\n"


def _latex(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], _one_line(text))


def bibtex(article: Article) -> str:
    """One BibTeX @article entry."""
    day = published_on(article)
    names = [
        f"{{{_latex(n.literal)}}}" if n.literal else _latex(n.inverted) for n in authors_of(article)
    ]
    fields = [f"author = {{{' and '.join(names)}}}"] if names else []
    fields += [
        f"title = {{{{{_latex(article['title'])}}}}}",  # inner braces keep its capitals
        f"journal = {{{_latex(NEWSPAPER)}}}",
        f"year = {{{day.year}}}",
        f"month = {_BIBTEX_MONTHS[day.month - 1]}",  # the month macros every style defines
        f"date = {{{day.isoformat()}}}",
        f"url = {{{article['url'].replace('{', '%7B').replace('}', '%7D')}}}",
        f"note = {{Section: {_latex(article['section'])}}}",
    ]
    if article["standfirst"]:
        fields.append(f"abstract = {{{_latex(article['standfirst'])}}}")
    if article["tags"]:
        fields.append(f"keywords = {{{_latex(', '.join(article['tags']))}}}")
    body = ",\n".join(f"  {field}" for field in fields)
    return f"@article{{{citation_key(article)},\n{body}\n}}\n"


def csl_item(article: Article) -> dict[str, Any]:
    """One CSL-JSON item (only variables the CSL data schema defines)."""
    day = published_on(article)
    item: dict[str, Any] = {
        "id": article["id"],
        "type": "article-newspaper",
        "title": article["title"],
        "container-title": NEWSPAPER,
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "URL": article["url"],
        "section": article["section"],
        "language": "en-NZ",
        "source": ARCHIVE_NAME,
    }
    names = authors_of(article)
    if names:
        item["author"] = [
            {"literal": n.literal} if n.literal else {"family": n.family, "given": n.given}
            for n in names
        ]
    if article["standfirst"]:
        item["abstract"] = article["standfirst"]
    if article["tags"]:
        item["keyword"] = ", ".join(article["tags"])
    return item


def highwire_tags(article: Article) -> list[tuple[str, str]]:
    """(name, content) of the Highwire Press meta tags Zotero and Google Scholar read."""
    day = published_on(article)
    tags = [("citation_title", article["title"])]
    tags += [("citation_author", name.inverted) for name in authors_of(article)]
    tags += [
        ("citation_publication_date", f"{day:%Y/%m/%d}"),
        ("citation_date", f"{day:%Y/%m/%d}"),
        ("citation_journal_title", NEWSPAPER),
        ("citation_publisher", NEWSPAPER),
        ("citation_public_url", article["url"]),
        ("citation_language", "en"),
    ]
    if article["tags"]:
        tags.append(("citation_keywords", "; ".join(article["tags"])))
    if article["standfirst"]:
        tags.append(("citation_abstract", article["standfirst"]))
    return tags
