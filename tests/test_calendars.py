"""Calendars: NYSE sessions from `holidays` agree with exchange-calendars; business days; special closures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rra.solver.calendars import Calendar

from rra.errors import BadInput


@pytest.mark.filterwarnings("ignore")
def test_holidays_nyse_and_exchange_calendars_xnys_agree_on_every_day_2003_to_2026() -> None:
    xc = pytest.importorskip("exchange_calendars")
    sessions = {ts.date() for ts in xc.get_calendar("XNYS", start="2003-01-01", end="2026-12-31").sessions}
    cal = Calendar()
    d, end = date(2003, 1, 1), date(2026, 12, 31)
    disagree = []
    while d <= end:
        if cal.is_trading_day(d) != (d in sessions):
            disagree.append(d)
        d += timedelta(days=1)
    assert disagree == []


def test_2004_06_11_national_day_of_mourning_is_not_a_trading_day_but_is_a_business_day() -> None:
    cal = Calendar()
    assert not cal.is_trading_day(date(2004, 6, 11))
    assert cal.is_business_day(date(2004, 6, 11))
    assert cal.count(date(2004, 6, 7), date(2004, 6, 11), "trading") == 4


def test_business_days_are_weekdays_other_than_us_federal_holidays() -> None:
    cal = Calendar()
    assert not cal.is_business_day(date(2004, 12, 31))  # New Year's Day 2005, observed
    assert cal.is_trading_day(date(2004, 12, 31))  # the NYSE was open
    assert not cal.is_business_day(date(2003, 11, 11))  # Veterans Day
    assert not cal.is_business_day(date(2003, 12, 13))  # a Saturday
    assert cal.is_business_day(date(2003, 12, 12))


def test_the_business_day_definition_can_be_changed() -> None:
    assert Calendar("weekdays").is_business_day(date(2004, 12, 31))
    assert not Calendar("nyse").is_business_day(date(2004, 6, 11))
    with pytest.raises(BadInput, match="business_calendar"):
        Calendar("bank")


@pytest.mark.parametrize(
    ("start", "n", "basis", "expected"),
    [
        (date(2003, 12, 23), 5, "business", date(2003, 12, 31)),  # skips Christmas
        (date(2003, 12, 31), 1, "business", date(2004, 1, 2)),  # skips New Year's Day
        (date(2004, 6, 10), 1, "trading", date(2004, 6, 14)),  # skips the 2004-06-11 closure and a weekend
        (date(2004, 6, 10), 1, "business", date(2004, 6, 11)),
        (date(2003, 9, 30), -5, "business", date(2003, 9, 23)),
        (date(2003, 8, 1), 30, "calendar", date(2003, 8, 31)),
    ],
)
def test_adding_days_of_a_basis_never_counts_the_start_day(start: date, n: int, basis: str, expected: date) -> None:
    assert Calendar().add(start, n, basis) == expected
