"""Day counts on real calendars: calendar days, business days and trading days.

- Trading days are NYSE sessions, from the `holidays` package's NYSE financial calendar (it includes the
  special closures, e.g. 2004-06-11, the national day of mourning for President Reagan). Tests check it
  against exchange-calendars' XNYS for every day 2003-2026.
- Business days are weekdays on which the US federal government, and so the SEC, is open: not a federal holiday
  (`holidays.US`, observed dates included) nor a closure of the federal government by executive order (its
  "government" category: national days of mourning such as 2004-06-11 for President Reagan, Christmas Eve
  closures). The definition can be changed with `business_calendar="us-federal"|"weekdays"|"nyse"`.
- Any other "days" are calendar days.

The closures (NYSE holidays and special closures, US federal holidays as observed and federal closures by
executive order) for 2003-2040 are read from
`calendar_closures.json`, which `python -m rra.solver.calendars` writes from the `holidays` package: loading
`holidays` imports every country's and market's module (about 0.3 s per command), the table is a few hundred
dates. A test checks the table against the installed `holidays` for every year it covers.

Dates map to integer day numbers. `day()` and `from_day()` count from DAY_ZERO, the calendars' first day
(FIRST_YEAR-01-01): a property of these calendars, not a fact of any agreement, chosen so that every date the
calendars cover has a day number of 0 or more (the exposure optimizer's tables index arrays by day number). An
engine that counts from the agreement's own date passes it as `epoch` (the Z3 encoding uses the
`agreement.date` parameter); `Calendar.tables()` gives exact lookup tables for a horizon.
"""

from __future__ import annotations

import bisect
import json
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from rra.errors import BadInput

BUSINESS_CALENDARS = ("us-federal", "weekdays", "nyse")
FIRST_YEAR, LAST_YEAR = 2003, 2040
DAY_ZERO = date(FIRST_YEAR, 1, 1)  # day 0 of day numbers unless an epoch is given: the calendars' first day


def day(d: date, epoch: date = DAY_ZERO) -> int:
    """Day number of a date (0 = DAY_ZERO, or the epoch given)."""
    return (d - epoch).days


def from_day(n: int, epoch: date = DAY_ZERO) -> date:
    """The date of a day number."""
    return epoch + timedelta(days=n)


CLOSURES = "calendar_closures.json"


def closures_from_holidays() -> dict[str, Any]:
    """The closures table from the `holidays` package: NYSE closures, and the days the US federal government is
    closed (federal holidays with their observed dates, and closures by executive order), FIRST_YEAR to
    LAST_YEAR, as ISO dates."""
    import holidays

    years = range(FIRST_YEAR, LAST_YEAR + 1)
    return {"source": f"holidays {holidays.__version__}", "years": [FIRST_YEAR, LAST_YEAR],
            "nyse": sorted(d.isoformat() for d in holidays.financial_holidays("NYSE", years=years)),
            "us-federal": sorted(d.isoformat() for d in holidays.US(years=years, categories=("public", "government")))}


@lru_cache(maxsize=1)
def _closures() -> dict[str, frozenset[date]]:
    data = json.loads(resources.files("rra.solver").joinpath(CLOSURES).read_text(encoding="utf-8"))
    return {k: frozenset(date.fromisoformat(d) for d in data[k]) for k in ("nyse", "us-federal")}


def _nyse_closed() -> frozenset[date]:
    return _closures()["nyse"]


def _federal() -> frozenset[date]:
    return _closures()["us-federal"]


def _check_range(d: date) -> None:
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise BadInput("date", d.isoformat(), f"outside the calendars' range {FIRST_YEAR}-{LAST_YEAR}")


@dataclass(frozen=True)
class Calendar:
    """Which days count as business days and trading days."""

    business: str = "us-federal"
    _cache: dict[str, list[date]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.business not in BUSINESS_CALENDARS:
            raise BadInput("business_calendar", self.business, f"expected one of {', '.join(BUSINESS_CALENDARS)}")

    def is_trading_day(self, d: date) -> bool:
        """An NYSE session."""
        _check_range(d)
        return d.weekday() < 5 and d not in _nyse_closed()

    def is_business_day(self, d: date) -> bool:
        """A business day under this calendar's definition."""
        _check_range(d)
        if d.weekday() >= 5:
            return False
        if self.business == "weekdays":
            return True
        if self.business == "nyse":
            return d not in _nyse_closed()
        return d not in _federal()

    def is_day(self, d: date, basis: str) -> bool:
        """Whether a date counts as a day in a basis (calendar, business, trading)."""
        if basis == "calendar":
            return True
        if basis == "business":
            return self.is_business_day(d)
        if basis == "trading":
            return self.is_trading_day(d)
        raise ValueError(f"unknown day basis {basis!r}")

    def _days(self, basis: str) -> list[date]:
        if basis not in self._cache:
            first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
            days = [date.fromordinal(k) for k in range(first, last + 1)]
            if basis == "calendar":
                self._cache[basis] = days
                return days
            if basis not in ("business", "trading"):
                raise ValueError(f"unknown day basis {basis!r}")
            closed = _nyse_closed() if basis == "trading" or self.business == "nyse" else (
                frozenset() if self.business == "weekdays" else _federal())
            self._cache[basis] = [d for d in days if d.weekday() < 5 and d not in closed]
        return self._cache[basis]

    def add(self, d: date, n: int, basis: str) -> date:
        """The date n days of a basis after d (before, for negative n). d itself never counts."""
        if basis == "calendar":
            return d + timedelta(days=n)
        _check_range(d)
        days = self._days(basis)
        if n >= 0:
            i = bisect.bisect_right(days, d)  # first counted day strictly after d
            idx = i + n - 1
        else:
            i = bisect.bisect_left(days, d)  # first counted day on/after d
            idx = i + n
        if n == 0:
            return d
        if not 0 <= idx < len(days):
            raise BadInput("date", d.isoformat(), f"{n} {basis} days from it fall outside the calendars' range")
        return days[idx]

    def count(self, start: date, end: date, basis: str) -> int:
        """Days of a basis in the inclusive period [start, end] (0 if end < start)."""
        if end < start:
            return 0
        if basis == "calendar":
            return (end - start).days + 1
        days = self._days(basis)
        return bisect.bisect_right(days, end) - bisect.bisect_left(days, start)

    def days_in(self, start: date, end: date, basis: str) -> list[date]:
        """The days of a basis in the inclusive period [start, end]."""
        if basis == "calendar":
            return [start + timedelta(days=i) for i in range((end - start).days + 1)] if end >= start else []
        days = self._days(basis)
        return days[bisect.bisect_left(days, start):bisect.bisect_right(days, end)]

    def tables(self, horizon_days: int, basis: str, epoch: date = DAY_ZERO) -> list[int]:
        """Exact table for a horizon: cumulative count of `basis` days on day numbers 0..n-1 (prefix sums).

        table[k] = number of counted days among day numbers 0..k-1, so days in [a, b] = table[b+1] - table[a].
        """
        out = [0]
        for k in range(horizon_days):
            out.append(out[-1] + (1 if self.is_day(from_day(k, epoch), basis) else 0))
        return out


DEFAULT_CALENDAR = Calendar()


@lru_cache(maxsize=4)
def window_ends(window_months: int) -> tuple[int, ...]:
    """For every day the calendars cover (day k from FIRST_YEAR-01-01), the day number of k + window_months
    months (`months.add_months`, the evaluator's windows): the end of the window [k, end). add_months is asked
    once a month: within a month, day d's end is the first day's end plus d - 1 days, clamped to the end of the
    month it falls in, as add_months clamps."""
    from rra.solver.months import add_months

    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    out: list[int] = []
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        for m in range(1, 13):
            start = add_months(date(y, m, 1), window_months)
            base = day(start, first)
            room = monthrange(start.year, start.month)[1]
            out += [base + min(d, room) - 1 for d in range(1, monthrange(y, m)[1] + 1)]
    assert len(out) == day(last, first) + 1
    return tuple(out)


if __name__ == "__main__":  # python -m rra.solver.calendars: write the closures table from `holidays`
    from pathlib import Path

    out = Path(__file__).with_name(CLOSURES)
    out.write_text(json.dumps(closures_from_holidays(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
