"""The article record: timestamps in one ISO 8601 form within 1800 … now + 2 days, text that
is valid Unicode, and `fetched` as optional provenance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.record import InvalidRecord, parse_utc, to_utc_iso, validate
from index.ondisk.schema import nz_day
from tests.web_support import make_article

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _with(**fields: object) -> dict[str, object]:
    record = dict(make_article("DATE000000000000000000000A"))
    record.update(fields)
    return record


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2022-10-11T01:00:00Z", "2022-10-11T01:00:00Z"),
        ("2022-10-11T14:00:00+13:00", "2022-10-11T01:00:00Z"),
        ("2022-10-11T01:00:00.999999", "2022-10-11T01:00:00Z"),
        ("2022-10-11", "2022-10-11T00:00:00Z"),
        ("1800-01-01T00:00:00Z", "1800-01-01T00:00:00Z"),
        ("1800-01-01T12:59:59+12:59", "1800-01-01T00:00:59Z"),
        ("2026-03-03T12:00:00Z", "2026-03-03T12:00:00Z"),  # now + 2 days, exactly
        ("2026-03-04T00:30:00+13:00", "2026-03-03T11:30:00Z"),
    ],
)
def test_timestamps_are_stored_in_one_form_and_round_trip(given: str, stored: str) -> None:
    article = validate(_with(published=given, updated=given), now=NOW)
    assert article["published"] == article["updated"] == stored
    assert to_utc_iso(parse_utc(stored)) == stored
    assert nz_day(stored).year >= 1800  # the index's New Zealand day works for every one


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("9999-12-31T23:00:00Z", "more than two days in the future"),
        ("2026-03-03T12:00:01Z", "more than two days in the future"),
        ("0001-01-01T00:00:00+05:00", "not an ISO 8601 date"),  # no UTC representation
        ("9999-12-31T23:00:00-05:00", "not an ISO 8601 date"),
        ("0999-06-01T00:00:00Z", "before 1800"),
        ("1799-12-31T23:59:59Z", "before 1800"),
        ("1800-01-01T00:00:00+00:01", "before 1800"),
        ("yesterday", "not an ISO 8601 date"),
    ],
)
@pytest.mark.parametrize("field", ["published", "updated", "fetched"])
def test_dates_outside_the_range_are_rejected_with_the_reason(
    given: str, reason: str, field: str
) -> None:
    with pytest.raises(InvalidRecord, match=f"{field} (is|is not an) .*") as caught:
        validate(_with(**{field: given}), now=NOW)
    assert reason in str(caught.value)


def test_to_utc_iso_pads_the_year_and_takes_naive_times_as_utc() -> None:
    assert to_utc_iso(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05Z"
    assert to_utc_iso(datetime(2022, 1, 2, 3, 4, 5)) == "2022-01-02T03:04:05Z"
    with pytest.raises(ValueError, match="out of range"):
        to_utc_iso(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))))
    with pytest.raises(ValueError, match="out of range"):
        parse_utc("0001-01-01T00:00:00+05:00")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "Broken \ud800 text"}, "title is not valid Unicode text: a lone surrogate"),
        ({"body": "ok\udfff"}, "body is not valid Unicode text"),
        ({"authors": ["A \udc80 B"]}, "authors is not valid Unicode text"),
        ({"subsection": "\ud83d"}, "subsection is not valid Unicode text"),
        ({"subsection": 3}, "must be a string"),
        ({"fetched": 17}, "fetched must be a string"),
        ({"seen": "2022-01-01"}, "unknown fields: 'seen'"),
    ],
)
def test_text_must_be_valid_unicode(fields: dict[str, object], reason: str) -> None:
    with pytest.raises(InvalidRecord, match=reason):
        validate(_with(**fields))


def test_fetched_is_optional_provenance() -> None:
    assert "fetched" not in validate(_with())
    assert "fetched" not in validate(_with(fetched=None))
    assert "fetched" not in validate(_with(fetched=""))
    fetched = validate(_with(fetched="2022-10-11T14:00:00+13:00"))["fetched"]
    assert fetched == "2022-10-11T01:00:00Z"
    # Hostile but valid text passes as it is (control characters, macrons, markup).
    text = "Whangārei\x00\x1f <b>&amp;</b> \u2028 ✓"
    assert validate(_with(title=text))["title"] == text
