"""Numbers, amounts and dates as a New Zealand newsroom writes them, for bench.synth's slots.

"$4.7 million", "12 per cent", "7.30pm", "March 14", "three weeks": the style of the NZ
Herald (numbers under ten in words, "per cent", a dot in times). Each function takes the
article's random generator and the year it is published in.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from crawler.record import MONTH_NAMES as MONTHS

_SMALL = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_UNITS = ("days", "weeks", "months", "years")


def small(rnd: random.Random, _: int) -> str:
    return rnd.choice(_SMALL)


def tens(rnd: random.Random, _: int) -> str:
    return str(rnd.randint(10, 99))


def hundreds(rnd: random.Random, _: int) -> str:
    """100 to 99,999, most of them small, with a thousands comma."""
    return f"{int(10 ** rnd.uniform(2, 5)):,}"


def decimal(rnd: random.Random, _: int) -> str:
    return f"{rnd.uniform(0.1, 20):.2f}" if rnd.random() < 0.3 else f"{rnd.uniform(0.1, 20):.1f}"


def money(rnd: random.Random, _: int) -> str:
    roll = rnd.random()
    if roll < 0.45:
        amount = rnd.uniform(1, 999)
        return f"${amount:.1f} million" if amount < 100 else f"${amount:.0f} million"
    if roll < 0.6:
        return f"${rnd.uniform(1, 60):.1f} billion"
    return f"${int(10 ** rnd.uniform(3, 6)) // 50 * 50:,}"


def price(rnd: random.Random, _: int) -> str:
    """What a thing costs a person: "$2.89", "$45", "$640"."""
    amount = 10 ** rnd.uniform(0.3, 3)
    return f"${amount:.2f}" if amount < 10 else f"${amount:.0f}"


def ordinal(rnd: random.Random, _: int) -> str:
    return rnd.choice(("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"))


def minute(rnd: random.Random, _: int) -> str:
    """A minute of a game, as an ordinal: "3rd", "51st", "72nd"."""
    value = rnd.randint(2, 80)
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th") if value // 10 != 1 else "th"
    return f"{value}{suffix}"


def percent(rnd: random.Random, _: int) -> str:
    value = rnd.uniform(0.5, 60)
    return f"{value:.1f} per cent" if value < 10 else f"{value:.0f} per cent"


def age(rnd: random.Random, _: int) -> str:
    return str(rnd.randint(16, 92))


def past_year(rnd: random.Random, year: int) -> str:
    return str(year - min(int(rnd.expovariate(0.25)) + 1, 40))


def next_year(rnd: random.Random, year: int) -> str:
    return str(year + rnd.randint(1, 4))


def month(rnd: random.Random, _: int) -> str:
    return rnd.choice(MONTHS)


def weekday(rnd: random.Random, _: int) -> str:
    return rnd.choice(_WEEKDAYS)


def date(rnd: random.Random, _: int) -> str:
    return f"{rnd.choice(MONTHS)} {rnd.randint(1, 28)}"


def clock(rnd: random.Random, _: int) -> str:
    hour, minute = rnd.randint(1, 12), rnd.choice((0, 0, 5, 10, 15, 20, 30, 30, 40, 45, 50))
    half = rnd.choice(("am", "pm"))
    return f"{hour}{half}" if minute == 0 else f"{hour}.{minute:02d}{half}"


def score(rnd: random.Random, _: int) -> str:
    winner = rnd.randint(8, 52)
    return f"{winner}-{rnd.randint(0, winner - 1)}"


def distance(rnd: random.Random, _: int) -> str:
    return f"{rnd.randint(2, 400)}mm" if rnd.random() < 0.4 else f"{rnd.randint(1, 250)}km"


def duration(rnd: random.Random, _: int) -> str:
    unit = rnd.choice(_UNITS)
    count = rnd.randint(2, 30)
    return f"{_SMALL[count - 2] if count <= 12 else count} {unit}"


def file_number(rnd: random.Random, year: int) -> str:
    """A police file number: the date and a serial ("240312/4567")."""
    day = f"{year % 100:02d}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
    return f"{day}/{rnd.randint(1000, 9999)}"


def registration(rnd: random.Random, _: int) -> str:
    letters = "".join(rnd.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=3))
    return f"{letters}{rnd.randint(1, 999)}"


NUMBERS: dict[str, Callable[[random.Random, int], str]] = {
    "n": small,
    "num": tens,
    "big": hundreds,
    "dec": decimal,
    "money": money,
    "price": price,
    "nth": ordinal,
    "minute": minute,
    "pct": percent,
    "age": age,
    "year": past_year,
    "nextyear": next_year,
    "month": month,
    "weekday": weekday,
    "date": date,
    "time": clock,
    "score": score,
    "dist": distance,
    "dur": duration,
    "fileno": file_number,
    "rego": registration,
}
