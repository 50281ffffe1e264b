"""The benchmark query mix, shared by bench.index (herald-search) and bench.fts5 (SQLite FTS5).

Queries a person would type into a news archive: common topics, rare place names with and
without macrons, people's surnames, phrases, OR, exclusion, section and year filters, date
sorts and the empty query (browsing). Every word occurs in bench.synth's corpus (from a
few thousand articles up); the mix is deterministic for a given size and seed.
"""

from __future__ import annotations

import random

from index.model import SearchRequest

COMMON = [
    "police",
    "government",
    "rugby",
    "council",
    "health",
    "housing",
    "court",
    "election",
    "Auckland",
    "weather",
    "prices",
    "school",
    "minister",
    "water",
    "flooding",
    "inflation",
]
RARE = [
    "Whangārei",
    "Taupō",
    "Whangarei",
    "Kaikōura",
    "Ōpōtiki",
    "Tairāwhiti",
    "Karangahape",
    "kererū",
    "kiwifruit",
    "hāngī",
    "pavlova",
    "ransomware",
    "athletics",
    "verdict",
    "ferry",
    "Ngata",
    "Parata",
    "Faleolo",
    "Tuilagi",
]
PHRASES = [
    '"prime minister"',
    '"police said"',
    '"the government"',
    '"All Blacks"',
    '"Reserve Bank"',
    '"Civil Defence"',
    '"cost of living"',
]
SECTIONS = ["Sport", "New Zealand", "World", "Business", "Entertainment"]


def query_mix(n: int, seed: int = 0) -> list[SearchRequest]:
    """`n` requests cycling through eleven kinds of search, 10 hits a page."""
    rnd = random.Random(seed)
    kinds = [
        lambda: SearchRequest(q=rnd.choice(COMMON)),
        lambda: SearchRequest(q=rnd.choice(RARE)),
        lambda: SearchRequest(q=f"{rnd.choice(COMMON)} {rnd.choice(COMMON)}"),
        lambda: SearchRequest(q=f"{rnd.choice(COMMON)} {rnd.choice(RARE)}"),
        lambda: SearchRequest(q=rnd.choice(PHRASES)),
        lambda: SearchRequest(q=f"{rnd.choice(RARE)} OR {rnd.choice(COMMON)}"),
        lambda: SearchRequest(q=rnd.choice(COMMON), section=rnd.choice(SECTIONS)),
        lambda: SearchRequest(q=rnd.choice(COMMON), year=rnd.randint(2010, 2026)),
        lambda: SearchRequest(q=rnd.choice(COMMON), sort=rnd.choice(["newest", "oldest"])),
        lambda: SearchRequest(q="", section=rnd.choice([None, *SECTIONS])),
        lambda: SearchRequest(q=f"{rnd.choice(COMMON)} -{rnd.choice(COMMON)}"),
    ]
    return [
        SearchRequest(**{**kinds[i % len(kinds)]().__dict__, "page_size": 10}) for i in range(n)
    ]
