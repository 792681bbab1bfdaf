"""Numbers and words as people write them on the report page: dollars with separators and cents, dates as
"15 Dec 2003", months to two decimals with the days in brackets, plural forms, "none" for an absent value, and
the agreement's parameters in words. Formatting only: every value comes from a result."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from rra.spec.elements import Parameter

Number = int | float | Fraction


def money(x: Number | None) -> str:
    """$1,234.00: separators and cents, always ("none" when there is no amount)."""
    if x is None:
        return "none"
    v = round(float(x), 2)
    return f"-${-v:,.2f}" if v < 0 else f"${v:,.2f}"


def money_tick(x: Number) -> str:
    """An axis tick: $50,000 (round numbers, so no cents)."""
    return f"${float(x):,.0f}"


def day(d: date | str | None) -> str:
    """15 Dec 2003 (a date as a reader writes it; "none" for no date)."""
    if d is None:
        return "none"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.day} {d.strftime('%b %Y')}"


def span(a: date | str, b: date | str) -> str:
    """15 Dec 2003 to 14 Jan 2004 (or one date when a period is one day)."""
    return day(a) if day(a) == day(b) else f"{day(a)} to {day(b)}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """1 error, 2 errors, 1,000 entries (`many` for an irregular plural)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def months(m: Number, days: int | None = None) -> str:
    """3.97 months (119 days): months to two decimals, the calendar days they count in brackets."""
    v = f"{float(m):.2f}"
    unit = "month" if v == "1.00" else "months"
    return f"{v} {unit}" + ("" if days is None else f" ({plural(days, 'day')})")


def sentence(text: str) -> str:
    """Text with a capital first letter and a full stop."""
    t = text.strip()
    if not t:
        return t
    t = t[0].upper() + t[1:]
    return t if t.endswith((".", "?", "!")) else t + "."


def percent(r: Number) -> str:
    """2% (a ratio as a percentage, without trailing zeros)."""
    return f"{float(r) * 100:.4f}".rstrip("0").rstrip(".") + "%"


SHARE_WORDS = {"majority": "a majority", "all": "all", "2/3": "two-thirds", "3/4": "three-quarters"}


def parameter_name(p: Parameter) -> str:
    """A parameter named by what the agreement says it is (its description's first sentence)."""
    first = p.description.split(". ")[0].rstrip(".")
    return first or p.id


def parameter_value(p: Parameter, value: Any) -> str:
    """A parameter's value in words: 30 calendar days, 15 Dec 2003, $1,000,000.00, 2%, none."""
    if value is None:
        return "none"
    if p.unit == "date" or isinstance(value, date):
        return day(value)
    if p.unit == "USD":
        return money(value)
    if p.unit == "ratio":
        return f"{value:g} ({percent(value)})"
    if p.unit == "days":
        basis = f"{p.basis} " if p.basis else ""
        return plural(int(value), f"{basis}day")
    if p.unit == "months":
        return plural(int(value), "month")
    if p.unit == "shares":
        return plural(int(value), "share")
    if p.unit == "count":
        return f"{int(value):,}"
    if p.unit == "share":
        return SHARE_WORDS.get(str(value), str(value))
    return str(value).replace("-", " ")


__all__ = ["day", "money", "money_tick", "months", "parameter_name", "parameter_value", "percent", "plural",
           "sentence", "span"]
