"""Atom feeds of searches and the OpenSearch description, parsed as real XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.web_support import HOSTILE_ID, HOSTILE_TITLE

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def test_atom_feed_of_a_search_is_newest_first_with_ids_and_self_link(client):
    response = client.get("/search.atom?section=Sport&q=government")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    self_link = next(e for e in feed.findall(f"{ATOM}link") if e.get("rel") == "self")
    assert self_link.get("href").startswith("http://localhost/search.atom?")
    assert "section=Sport" in self_link.get("href")
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    published = [e.findtext(f"{ATOM}published") for e in entries]
    assert published == sorted(published, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == published[0]
    assert {e.find(f"{ATOM}category").get("term") for e in entries} == {"Sport"}


def test_atom_feed_escapes_hostile_titles(client):
    feed = ET.fromstring(client.get("/search.atom?q=zebracorn").data)
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
    assert entry.findtext(f"{ATOM}id").endswith(f"/article/{HOSTILE_ID}")


def test_atom_feed_of_nothing_is_still_a_feed(client):
    feed = ET.fromstring(client.get("/search.atom?q=zzqxjvkw").data)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated")


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    doc = ET.fromstring(response.data)
    templates = {u.get("type"): u.get("template") for u in doc.findall(f"{OPENSEARCH}Url")}
    assert "{searchTerms}" in templates["text/html"]
    assert "/search.atom" in templates["application/atom+xml"]
