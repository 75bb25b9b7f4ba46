"""Time expressions resolved against a fixed publication date (summarizer.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.dates import ResolvedDate, resolve_when, tense_of

WED = dt.date(2018, 9, 26)  # a Wednesday
SUN = dt.date(2018, 10, 7)


@pytest.mark.parametrize(
    ("when", "published", "tense", "value", "granularity"),
    [
        ("next month", WED, "future", "2018-10", "month"),
        ("this weekend", WED, "future", "2018-09-29/2018-09-30", "range"),
        ("this weekend", WED, "past", "2018-09-22/2018-09-23", "range"),
        ("this weekend", dt.date(2018, 9, 29), "future", "2018-09-29/2018-09-30", "range"),
        ("on Sunday", WED, "future", "2018-09-30", "day"),
        ("Sunday", WED, "past", "2018-09-23", "day"),
        ("on Sunday", SUN, "past", "2018-10-07", "day"),
        ("Sunday", SUN, "future", "2018-10-07", "day"),
        ("Thursday night", WED, None, "2018-09-27", "day"),
        ("July 5", WED, "past", "2018-07-05", "day"),
        ("on July 5", WED, "future", "2019-07-05", "day"),
        ("July 5", WED, None, "2018-07-05", "day"),
        ("Oct. 7", WED, "future", "2018-10-07", "day"),
        ("October", WED, "future", "2018-10", "month"),
        ("in August", SUN, None, "2018-08", "month"),
        ("at the end of February", dt.date(2019, 2, 20), "future", "2019-02", "month"),
        ("last June", dt.date(2019, 2, 20), "past", "2018-06", "month"),
        ("mid-October", WED, "future", "2018-10", "month"),
        ("in the fall", WED, "future", "2018", "year"),
        ("next spring", WED, None, "2019", "year"),
        ("early next year", WED, "future", "2019", "year"),
        ("later this year", WED, None, "2018", "year"),
        ("the end of the year", WED, None, "2018", "year"),
        ("last week", WED, None, "2018-09-17/2018-09-23", "range"),
        ("next week", WED, None, "2018-10-01/2018-10-07", "range"),
        ("earlier this week", WED, None, "2018-09-24/2018-09-25", "range"),
        ("later this week", WED, None, "2018-09-27/2018-09-30", "range"),
        ("Sept. 12-13", WED, "past", "2018-09-12/2018-09-13", "range"),
        ("between Oct. 5 and Oct. 7", WED, None, "2018-10-05/2018-10-07", "range"),
        ("on Friday and again on Saturday", dt.date(2018, 7, 8), "past", "2018-07-06/2018-07-07", "range"),
        ("two days ago", WED, None, "2018-09-24", "day"),
        ("June 12, 2018", WED, None, "2018-06-12", "day"),
        ("1999", dt.date(2016, 11, 15), "past", "1999", "year"),
    ],
)
def test_expressions_resolve_against_the_publication_date(
    when: str, published: dt.date, tense: str | None, value: str, granularity: str
) -> None:
    assert resolve_when(when, published, tense=tense) == ResolvedDate(value, granularity)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "when", ["soon", "in the coming weeks", "after the summit", "this winter", "at the earliest possible date", ""]
)
def test_what_cannot_be_placed_stays_null(when: str) -> None:
    assert resolve_when(when, WED, tense="future") is None


def test_no_publication_date_no_guess() -> None:
    assert resolve_when("next month", None) is None
    assert resolve_when("on Sunday", None) is None
    assert resolve_when("July 5", None) is None
    assert resolve_when("June 12, 2018", None) == ResolvedDate("2018-06-12", "day")


def test_a_range_of_days_keeps_its_year_near_publication() -> None:
    # dateparser alone reads "Sept. 12-13" as 2113-09-12 when told to prefer the future
    assert resolve_when("Sept. 12-13", dt.date(2018, 8, 1), tense="future") == ResolvedDate(
        "2018-09-12/2018-09-13", "range"
    )


def test_a_reading_far_from_publication_yields_to_one_near_it() -> None:
    # a record called completed three days before its "July 5": that July 5, not last year's
    assert resolve_when("July 5", dt.date(2018, 7, 2), tense="past") == ResolvedDate("2018-07-05", "day")
    # a plan for "Sept. 12-13" in a paper two weeks later: the nearer reading, not a year on
    assert resolve_when("Sept. 12-13", WED, tense="future") == ResolvedDate("2018-09-12/2018-09-13", "range")
    # nothing near: the status decides ("on July 5" planned in a September paper is next July)
    assert resolve_when("on July 5", WED, tense="future") == ResolvedDate("2019-07-05", "day")


def test_tense_follows_status() -> None:
    assert tense_of("completed") == "past"
    assert tense_of("planned") == tense_of("proposed") == tense_of("postponed") == "future"
    assert tense_of("underway") is None and tense_of("cancelled") is None and tense_of(None) is None


@given(st.text(max_size=60), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_never_raises(when: str, published: dt.date) -> None:
    r = resolve_when(when, published)
    assert r is None or r.granularity in ("day", "month", "year", "range")
