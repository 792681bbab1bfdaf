"""Calendars: NYSE sessions from `holidays` agree with exchange-calendars; business days; special closures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rra.solver.calendars import CLOSURES, Calendar, closures_from_holidays

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


def test_the_closures_table_is_what_the_holidays_package_gives_for_every_year_it_covers() -> None:
    # the table spares every command the import of `holidays` (all its countries and markets); when a new release
    # of `holidays` changes a date, this fails: write the table again with `python -m rra.solver.calendars`
    import json
    from importlib import resources

    table = json.loads(resources.files("rra.solver").joinpath(CLOSURES).read_text(encoding="utf-8"))
    fresh = closures_from_holidays()
    for key in ("years", "nyse", "us-federal"):
        assert table[key] == fresh[key], key


def test_the_days_of_each_basis_are_the_weekdays_less_its_closures_day_by_day() -> None:
    cal, weekdays = Calendar(), Calendar("weekdays")
    d, end = date(2003, 1, 1), date(2040, 12, 31)
    while d <= end:
        assert cal.is_day(d, "trading") == (d.weekday() < 5 and cal.count(d, d, "trading") == 1), d
        assert cal.is_day(d, "business") == (cal.count(d, d, "business") == 1), d
        assert weekdays.count(d, d, "business") == (d.weekday() < 5), d
        d += timedelta(days=7 if d.year > 2006 else 1)


def test_2004_06_11_national_day_of_mourning_is_neither_a_trading_day_nor_a_business_day() -> None:
    # the NYSE and the federal government, the SEC with it, were closed by executive order (a securities
    # lawyer's review counted a business-day example across it as one day too many)
    cal = Calendar()
    assert not cal.is_trading_day(date(2004, 6, 11))
    assert not cal.is_business_day(date(2004, 6, 11))
    assert Calendar("weekdays").is_business_day(date(2004, 6, 11))
    assert cal.count(date(2004, 6, 7), date(2004, 6, 11), "trading") == 4
    assert cal.count(date(2004, 6, 7), date(2004, 6, 11), "business") == 4


def test_closures_of_the_federal_government_by_executive_order_are_not_business_days() -> None:
    cal = Calendar()
    assert not cal.is_business_day(date(2003, 12, 26))  # the day after Christmas 2003
    assert not cal.is_business_day(date(2007, 1, 2))  # national day of mourning, President Ford
    assert not cal.is_business_day(date(2018, 12, 5))  # national day of mourning, President G. H. W. Bush
    assert cal.is_trading_day(date(2003, 12, 26))  # the NYSE was open


def test_business_days_are_weekdays_other_than_us_federal_holidays_and_closures() -> None:
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
        (date(2003, 12, 23), 5, "business", date(2004, 1, 2)),  # skips Christmas, 26 Dec (closed) and New Year
        (date(2003, 12, 31), 1, "business", date(2004, 1, 2)),  # skips New Year's Day
        (date(2004, 6, 10), 1, "trading", date(2004, 6, 14)),  # skips the 2004-06-11 closure and a weekend
        (date(2004, 6, 10), 1, "business", date(2004, 6, 14)),  # the federal government was closed too
        (date(2004, 6, 10), 1, "business-weekdays", date(2004, 6, 11)),
        (date(2003, 9, 30), -5, "business", date(2003, 9, 23)),
        (date(2003, 8, 1), 30, "calendar", date(2003, 8, 31)),
    ],
)
def test_adding_days_of_a_basis_never_counts_the_start_day(start: date, n: int, basis: str, expected: date) -> None:
    basis, _, business = basis.partition("-")
    assert Calendar(business or "us-federal").add(start, n, basis) == expected
