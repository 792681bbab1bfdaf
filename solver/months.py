"""Month counting for Section 2(c): "the number of months (prorated for partial months)".

The agreement does not say how a partial month is prorated, so the convention is a parameter
(`payments.month_convention`) with three choices, each returning an exact Fraction:

- `calendar-month` (default): whole calendar months from the start date (python-dateutil relativedelta,
  end-of-month clamped), then the remaining days divided by the length of the month then in progress.
- `30-day`: days / 30.
- `actual-365`: days / (365 / 12).
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from rra.errors import BadInput

CONVENTIONS = ("calendar-month", "30-day", "actual-365")
_THIRTY = Fraction(30)
_ACTUAL = Fraction(365, 12)
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=65536)
def add_months(d: date, n: int) -> date:
    """d plus n calendar months, clamped to the end of a shorter month (2004-01-31 + 1 = 2004-02-29)."""
    result: date = d + relativedelta(months=n)
    return result


@lru_cache(maxsize=65536)
def _calendar_months(start: date, stop: date) -> Fraction:
    m = (stop.year - start.year) * 12 + (stop.month - start.month)
    # the estimate can be one too high (stop's day of month before start's); never too low
    while m > 0 and add_months(start, m) > stop:
        m -= 1
    while add_months(start, m + 1) <= stop:
        m += 1
    base = add_months(start, m)
    rest = (stop - base).days
    if rest == 0:
        return Fraction(m)
    length = (add_months(start, m + 1) - base).days
    return m + Fraction(rest, length)


def months_between(start: date, stop: date, convention: str = "calendar-month") -> Fraction:
    """Months from `start` (counted) to `stop` (not counted): the half-open period [start, stop)."""
    if stop <= start:
        return Fraction(0)
    if convention == "calendar-month":
        return _calendar_months(start, stop)
    if convention == "30-day":
        return Fraction((stop - start).days) / _THIRTY
    if convention == "actual-365":
        return Fraction((stop - start).days) / _ACTUAL
    raise BadInput("month_convention", convention, f"expected one of {', '.join(CONVENTIONS)}")


def months_in_run(first: date, last: date, convention: str = "calendar-month") -> Fraction:
    """Months in an inclusive run of days [first, last]."""
    return months_between(first, last + _ONE_DAY, convention)
