"""Citing an article: APA 7 and Chicago on the page, Highwire tags, RIS, BibTeX, CSL-JSON."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import bibtexparser
import jsonschema
import pytest

from tests.web_support import HOSTILE_ID, KIWI_ID, PREMIUM_ID, make_article
from web.citation_formats import bibtex, csl_item, ris
from web.citations import apa, chicago, person, plain

PREMIUM_URL = f"https://www.nzherald.co.nz/nz/story/{PREMIUM_ID}/"
KIWI_URL = f"https://www.nzherald.co.nz/nz/story/{KIWI_ID}/"

# The CSL data schema's definitions of the variables these items use (names and types as
# the CSL 1.0.2 specification gives them); no other variable is allowed.
_STRING = {"type": "string"}
_NAME = {
    "type": "object",
    "properties": {"family": _STRING, "given": _STRING, "literal": _STRING},
    "additionalProperties": False,
}
CSL_ITEMS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "id"],
        "additionalProperties": False,
        "properties": {
            "type": {"enum": ["article-newspaper"]},
            "id": {"type": ["string", "number"]},
            "title": _STRING,
            "container-title": _STRING,
            "author": {"type": "array", "items": _NAME},
            "issued": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "date-parts": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 2,
                        "items": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 3,
                            "items": {"type": ["string", "number"]},
                        },
                    }
                },
            },
            "URL": _STRING,
            "abstract": _STRING,
            "section": _STRING,
            "keyword": _STRING,
            "language": _STRING,
            "source": _STRING,
        },
    },
}
RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - .*$")


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.tags.append((values["name"] or "", values.get("content") or ""))


def meta_tags(html: str) -> list[tuple[str, str]]:
    parser = _Meta()
    parser.feed(html)
    return parser.tags


def test_article_page_shows_apa_and_chicago_ready_to_copy(client):
    html = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    assert (
        "Tester, A. (2022, October 11). Quokka premium investigation. "
        f"<i>The New Zealand Herald</i>. {PREMIUM_URL}"
    ) in html
    assert (
        "Tester, Aroha. “Quokka premium investigation.” "
        f"<i>New Zealand Herald</i>, October 11, 2022. {PREMIUM_URL}."
    ) in html
    assert "Chicago (17th ed., bibliography)" in html
    # Selectable text without JavaScript; the copy button only appears with it.
    assert '<p class="cite-text">' in html
    assert re.search(
        r'<button type="button" class="cite-copy[^"]*" data-copy="[^"]+" hidden>', html
    )


def test_wire_copy_cites_its_source_as_the_author(client):
    html = client.get(f"/article/{KIWI_ID}").get_data(as_text=True)
    assert (
        "Associated Press. (2021, March 2). Whangārei kiwi crossing opens. "
        f"<i>The New Zealand Herald</i>. {KIWI_URL}"
    ) in html
    assert "Associated Press. “Whangārei kiwi crossing opens.” <i>New Zealand Herald</i>" in html
    assert ("citation_author", "Associated Press") in meta_tags(html)


def test_highwire_tags_for_reference_managers(client, corpus):
    html = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    tags = meta_tags(html)
    found = dict(tags)
    assert found["citation_title"] == corpus.articles[PREMIUM_ID]["title"]
    assert [v for k, v in tags if k == "citation_author"] == ["Tester, Aroha"]
    assert found["citation_publication_date"] == "2022/10/11"  # the New Zealand day
    assert found["citation_journal_title"] == "The New Zealand Herald"
    assert found["citation_public_url"] == PREMIUM_URL
    hostile = client.get(f"/article/{HOSTILE_ID}").get_data(as_text=True)
    assert '<meta name="citation_title" content="&lt;script&gt;' in hostile


@pytest.mark.parametrize(
    ("suffix", "mimetype"),
    [
        (".ris", "application/x-research-info-systems"),
        (".bib", "application/x-bibtex"),
        (".csl.json", "application/vnd.citationstyles.csl+json"),
    ],
)
def test_downloads_have_their_types_and_names(client, suffix, mimetype):
    response = client.get(f"/article/{PREMIUM_ID}{suffix}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{PREMIUM_ID}{suffix}"'
    )
    assert client.get(f"/article/NOSUCHARTICLE0000000000000{suffix}").status_code == 404
    html = client.get(f"/article/{PREMIUM_ID}").get_data(as_text=True)
    assert f'href="/article/{PREMIUM_ID}{suffix}"' in html


@pytest.mark.parametrize("article_id", [PREMIUM_ID, KIWI_ID, HOSTILE_ID])
def test_ris_follows_the_tag_format(client, corpus, article_id):
    text = client.get(f"/article/{article_id}.ris").get_data(as_text=True)
    lines = text.split("\r\n")
    assert lines[0] == "TY  - NEWS"
    assert lines[-3:] == ["ER  - ", "", ""]
    for line in lines[:-3]:
        assert RIS_LINE.match(line), line
    article = corpus.articles[article_id]
    assert f"TI  - {article['title']}" in lines
    assert "T2  - The New Zealand Herald" in lines
    assert f"UR  - {article['url']}" in lines
    assert [line[6:] for line in lines if line.startswith("KW  - ")] == article["tags"]


@pytest.mark.parametrize("article_id", [PREMIUM_ID, KIWI_ID, HOSTILE_ID])
def test_bibtex_parses_and_keeps_the_fields(client, corpus, article_id):
    text = client.get(f"/article/{article_id}.bib").get_data(as_text=True)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "article"
    fields = entry.fields_dict
    assert fields["journal"].value == "The New Zealand Herald"
    assert fields["url"].value == corpus.articles[article_id]["url"]
    assert fields["year"].value == str(corpus.articles[article_id]["published"][:4])
    if article_id == KIWI_ID:
        assert fields["author"].value == "{Associated Press}"  # one name, never split
    if article_id == HOSTILE_ID:
        assert r"\&" in fields["title"].value  # LaTeX's specials escaped


def test_bibtex_escapes_braces_so_entries_stay_balanced():
    odd = make_article("BRACES0000000000000000001A", title="A {brace} 100% #1 $5 a_b ~ ^ \\ story")
    (entry,) = bibtexparser.parse_string(bibtex(odd)).entries
    assert entry.fields_dict["title"].value == (
        r"{A \{brace\} 100\% \#1 \$5 a\_b \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{} story}"
    )


@pytest.mark.parametrize("article_id", [PREMIUM_ID, KIWI_ID])
def test_csl_json_follows_the_csl_data_schema(client, article_id):
    items = json.loads(client.get(f"/article/{article_id}.csl.json").get_data(as_text=True))
    jsonschema.Draft7Validator(CSL_ITEMS).validate(items)
    (item,) = items
    assert item["issued"] == {
        "date-parts": [[2022, 10, 11] if article_id == PREMIUM_ID else [2021, 3, 2]]
    }
    expected = (
        [{"family": "Tester", "given": "Aroha"}]
        if article_id == PREMIUM_ID
        else [{"literal": "Associated Press"}]
    )
    assert item["author"] == expected


def test_unsigned_staff_copy_moves_the_title_first():
    staff = make_article("STAFF00000000000000000001A", authors=[], title="Rates rise again")
    assert plain(apa(staff)).startswith("Rates rise again. (2022, October 11). The New Zealand")
    assert plain(chicago(staff)).startswith("New Zealand Herald. “Rates rise again.”")
    assert "AU  - " not in ris(staff)
    assert "author" not in csl_item(staff)


def test_names_and_long_author_lists():
    assert person("Jan van der Berg").family == "van der Berg"
    assert person("Jean-Paul Sartre").initials == "Sartre, J.-P."
    assert person("Madonna").literal == "Madonna"
    many = make_article("MANY000000000000000000001A", authors=[f"Ann Writer{n}" for n in range(22)])
    text = plain(apa(many))
    assert text.count("Writer") == 20  # APA 7: the first 19, an ellipsis, the last
    assert "Writer18, A., … Writer21, A." in text
    three = make_article("THREE00000000000000000001A", authors=["Ann One", "Bo Two", "Cy Three"])
    assert plain(apa(three)).startswith("One, A., Two, B., & Three, C. (2022")
    assert plain(chicago(three)).startswith("One, Ann, Bo Two, and Cy Three. “")


def test_two_stories_of_one_agency_year_and_word_get_different_keys():
    first = make_article("AAAA000000000000000000001A", title="Death toll rises", authors=[])
    second = make_article("BBBB000000000000000000001A", title="Death toll rises", authors=[])
    keys = {bibtexparser.parse_string(bibtex(a)).entries[0].key for a in (first, second)}
    assert len(keys) == 2
    assert all(key.startswith("herald2022death") for key in keys)
