"""The herald spider's decisions, without a crawl: what to fetch in each mode, and when."""

from __future__ import annotations

import pytest
from scrapy.exceptions import UsageError

from crawler.spiders.herald import HeraldSpider, is_newer, parse_day

SITE = "https://www.nzherald.co.nz/arc/outboundfeeds"
INDEX = f"{SITE}/sitemap-index/?outputType=xml&_website=nzh"
NEWS = f"{SITE}/sitemap-news/?outputType=xml&_website=nzh"
JAN31 = f"{SITE}/sitemap/2024-01-31/?outputType=xml&_website=nzh"
FEB01 = f"{SITE}/sitemap/2024-02-01/?outputType=xml&_website=nzh"
FEB29 = f"{SITE}/sitemap2/2024-02-29/?outputType=xml&_website=nzh"
MAR01 = f"{SITE}/sitemap3/2024-03-01/?outputType=xml&_website=nzh"
VIDEO = f"{SITE}/sitemap-video/?outputType=xml&_website=nzh"
ALL = (INDEX, NEWS, JAN31, FEB01, FEB29, MAR01, VIDEO)


@pytest.mark.parametrize(
    ("arguments", "wanted"),
    [
        ({}, {INDEX, NEWS, JAN31, FEB01, FEB29, MAR01}),
        ({"latest": "1"}, {NEWS}),
        ({"since": "2024-02-01", "until": "2024-02-29"}, {INDEX, FEB01, FEB29}),
        ({"since": "2024-02-01"}, {INDEX, FEB01, FEB29, MAR01}),
        ({"until": "2024-02-01"}, {INDEX, JAN31, FEB01}),
        ({"since": "2024-02-29", "until": "2024-02-29"}, {INDEX, FEB29}),
    ],
)
def test_sitemaps_read_in_each_mode(arguments: dict[str, str], wanted: set[str]) -> None:
    spider = HeraldSpider(**arguments)
    assert {url for url in ALL if spider._wanted_sitemap(url)} == wanted


@pytest.mark.parametrize(
    "arguments",
    [
        {"since": "2024-02-30"},
        {"until": "01/02/2024"},
        {"since": "2024-03-01", "until": "2024-02-01"},
        {"latest": "1", "since": "2024-02-01"},
    ],
)
def test_bad_arguments_are_usage_errors(arguments: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        HeraldSpider(**arguments)


def test_parse_day() -> None:
    assert str(parse_day("since", "2024-02-01")) == "2024-02-01"
    assert parse_day("since", None) is None
    assert parse_day("since", "") is None


@pytest.mark.parametrize(
    ("lastmod", "archived", "fetch"),
    [
        ("2024-02-01T10:00:00Z", None, True),  # not archived yet
        (None, None, True),
        ("2024-02-01T10:00:00Z", "2024-02-01T10:00:00Z", False),  # unchanged
        ("2024-02-01T10:00:00.000Z", "2024-02-01T10:00:00Z", False),
        ("2024-02-01T23:00:00+13:00", "2024-02-01T10:00:00Z", False),  # same instant
        ("2024-02-01T10:00:01Z", "2024-02-01T10:00:00Z", True),  # changed since
        ("2024-01-31T10:00:00Z", "2024-02-01T10:00:00Z", False),  # older than archived
        ("2024-02-02", "2024-02-01T10:00:00Z", True),  # a date-only lastmod
        (None, "2024-02-01T10:00:00Z", False),  # no sign of change
        ("not a date", "2024-02-01T10:00:00Z", True),  # can't tell: fetch
    ],
)
def test_is_newer(lastmod: str | None, archived: str | None, fetch: bool) -> None:
    assert is_newer(lastmod, archived) is fetch
