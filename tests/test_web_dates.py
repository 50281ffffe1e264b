"""Every combination of the date parameters (year, month, day, from, to) is a valid search
or a clear 400, the same in the page and the API; a valid one counts exactly the articles
of those New Zealand days, and its date trail names the chosen year, month and day, each
step a link that works."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.ondisk.schema import nz_day
from tests.web_support import links

YEARS = [None, "2022", "2021", "22", "1700", "2022 "]
MONTHS = [None, "2022-10", "2022-09", "2021-10", "2022-13", "10", "1700-01"]
DAYS = [None, "2022-10-11", "2022-10-12", "2022-09-11", "2021-10-11", "2022-02-30", "1700-01-01"]
FROMS = [None, "2022-01-01", "2022-10-11", "2023-01-01", "someday"]
TOS = [None, "2022-12-31", "2022-10-11", "2021-06-01", "2022-13-01"]


def _day(raw: str | None) -> date | None | str:
    """The date, None when absent, "bad" when it is not a date of 1800–2999."""
    if raw is None:
        return None
    try:
        value = date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        value = None
    return value if value and 1800 <= value.year <= 2999 else "bad"


def expected(args: dict[str, str]) -> tuple[bool, dict]:
    """Whether the combination is valid, and the (year, month, day, from, to) it selects."""
    year = args.get("year")
    year_ok = year is None or (re.fullmatch(r"\d{4}", year.strip()) and 1800 <= int(year) <= 2999)
    month = args.get("month")
    month_ok = month is None or (
        re.fullmatch(r"\d{4}-\d{2}", month)
        and 1 <= int(month[5:]) <= 12
        and 1800 <= int(month[:4]) <= 2999
    )
    day, start, end = _day(args.get("day")), _day(args.get("from")), _day(args.get("to"))
    if not (year_ok and month_ok) or "bad" in (day, start, end):
        return False, {}
    y = int(year) if year else None
    if month and y and int(month[:4]) != y:
        return False, {}
    if day and (month and f"{day:%Y-%m}" != month or y and day.year != y):
        return False, {}
    if start and end and start > end:
        return False, {}
    return True, {"year": y, "month": month, "day": day, "from": start, "to": end}


def count(corpus, chosen: dict) -> int:
    def keep(article) -> bool:
        d = nz_day(article["published"])
        return (
            (chosen["year"] is None or d.year == chosen["year"])
            and (chosen["month"] is None or f"{d:%Y-%m}" == chosen["month"])
            and (chosen["day"] is None or d == chosen["day"])
            and (chosen["from"] is None or d >= chosen["from"])
            and (chosen["to"] is None or d <= chosen["to"])
        )

    return sum(1 for a in corpus.articles.values() if keep(a))


def trail_of(html: str) -> str:
    found = re.search(r'<p class="facet-trail">(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


combos = st.fixed_dictionaries(
    {
        name: st.sampled_from(values)
        for name, values in {
            "year": YEARS,
            "month": MONTHS,
            "day": DAYS,
            "from": FROMS,
            "to": TOS,
        }.items()
    }
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(combo=combos)
def test_every_date_combination_is_valid_or_a_clear_400(client, corpus, combo):
    args = {k: v for k, v in combo.items() if v is not None}
    valid, chosen = expected(args)
    api = client.get("/api/search", query_string={**args, "page_size": 1})
    page = client.get("/", query_string={**args, "page_size": 1})
    assert api.status_code == page.status_code == (200 if valid else 400), args
    if not valid:
        message = api.get_json()["error"]
        assert re.search(r"\b(year|month|day|from|to)\b", message), message
        return
    data = api.get_json()
    assert data["total"] == count(corpus, chosen), args
    picked = chosen["year"] or chosen["month"] or chosen["day"]
    assert ("month" in data["facets"]) == bool(picked)
    assert ("day" in data["facets"]) == bool(chosen["month"] or chosen["day"])
    html = page.get_data(as_text=True)
    trail = trail_of(html)
    if not picked:
        assert trail == ""
        return
    year = chosen["year"] or int((chosen["month"] or f"{chosen['day']:%Y}")[:4])
    assert trail.startswith(f"All years › {year}"), trail
    if chosen["month"] or chosen["day"]:
        month = chosen["month"] or f"{chosen['day']:%Y-%m}"
        label = f"{date(int(month[:4]), int(month[5:]), 1):%B %Y}"
        assert f"All years › {year} › {label}" in trail, trail
    if chosen["day"]:
        d = chosen["day"]
        assert trail.endswith(f"{d.day} {d:%b %Y}"), trail
    assert not trail.endswith("›")
    for link in links(html[html.index('class="facet-trail"') :].split("</p>", 1)[0]):
        assert client.get(link.href).status_code == 200, link.href


def test_a_day_alone_is_a_search_with_its_whole_trail(client):
    page = client.get("/?q=kiwi&day=2021-03-02")
    assert page.status_code == 200
    assert trail_of(page.get_data(as_text=True)) == "All years › 2021 › March 2021 › 2 Mar 2021"


def test_a_month_alone_shows_its_year(client):
    page = client.get("/?month=2022-10")
    assert trail_of(page.get_data(as_text=True)) == "All years › 2022 › October 2022"
