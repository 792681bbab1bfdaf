"""Scenario files: what happened (or might happen), as dated events and inclusive periods.

A scenario is YAML or JSON. `load_scenario(path)` reads and validates one; `scenario_from_dict(data, source)`
validates an already-parsed mapping. Every problem is a BadInput naming the field path
(`sales_blocked[1].end`), the value and what is wrong, so `rra damages` prints one line and exits 2.

Dates dated after `as_of` are kept as written; the evaluator treats them as not (yet) happened.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import yaml
from rra.solver.calendars import BUSINESS_CALENDARS, FIRST_YEAR, LAST_YEAR
from rra.solver.months import CONVENTIONS
from rra.spec.overrides import ParameterSet

from rra.datafile import read_data
from rra.errors import BadInput
from rra.limits import MAX_AMOUNT, MAX_ITEMS, decimal

# The calendars end in LAST_YEAR; keep a year free so that deadlines computed from scenario dates fit.
LAST_DATE = date(LAST_YEAR - 1, 12, 31)
NOTICE_METHODS = ("certified-mail", "registered-mail", "personal", "courier", "overnight-courier", "facsimile",
                  "mail", "email")


@dataclass(frozen=True)
class Period:
    """An inclusive period of days [start, end]."""

    start: date
    end: date

    def days(self) -> int:
        """Calendar days in the period."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class SecComment:
    """An SEC comment letter and the Company's answer (3(c): answer within ten days)."""

    received: date
    answered: date | None = None


@dataclass(frozen=True)
class FiledDocument:
    """A filing or SEC correspondence and when a copy reached the Investors (3(c)(i): two business days)."""

    filed: date
    furnished: date | None = None


@dataclass(frozen=True)
class Notice:
    """A notice under the agreement, how it was sent and when it was received (11(b))."""

    sent: date
    method: str = "courier"
    received: date | None = None


@dataclass(frozen=True)
class Holder:
    """One holder: outstanding principal of its Debentures and the principal it converted into
    Registrable Securities (both count toward its Outstanding Principal Amount under 2(c))."""

    name: str
    principal: Fraction
    converted: Fraction = Fraction(0)

    @property
    def base(self) -> Fraction:
        """This holder's Outstanding Principal Amount for 2(c)."""
        return self.principal + self.converted


def _frac(x: Any) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(str(x))


@dataclass(frozen=True)
class Scenario:
    """What happened, up to `as_of`. Dates are None when the event did not happen."""

    as_of: date
    principal: Fraction = Fraction(0)
    name: str = ""
    prior_financing_effective: date | None = None
    filed: date | None = None
    effective: date | None = None
    allowed_delays: tuple[Period, ...] = ()
    sales_blocked: tuple[Period, ...] = ()
    not_listed: tuple[Period, ...] = ()
    stop_orders: tuple[Period, ...] = ()
    investor_delays: tuple[Period, ...] = ()
    s3_eligible: date | None = None
    s3_filed: date | None = None
    s3_effective: date | None = None
    more_shares_needed: date | None = None
    need_determined: date | None = None
    additional_filed: date | None = None
    additional_effective: date | None = None
    sec_comments: tuple[SecComment, ...] = ()
    comments_cleared: date | None = None
    acceleration_requested: date | None = None
    effectiveness_order: date | None = None
    final_prospectus_filed: date | None = None
    documents: tuple[FiledDocument, ...] = ()
    first_anticipated_filing: date | None = None
    investor_info_notice: date | None = None
    notices: tuple[Notice, ...] = ()
    holders: tuple[Holder, ...] = ()
    business_calendar: str = "us-federal"
    month_convention: str | None = None  # None: the parameter payments.month_convention
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "principal", _frac(self.principal))
        for f in ("allowed_delays", "sales_blocked", "not_listed", "stop_orders", "investor_delays", "sec_comments",
                  "documents", "notices", "holders"):
            v = getattr(self, f)
            if not isinstance(v, tuple):
                object.__setattr__(self, f, tuple(v))

    @property
    def outstanding_principal(self) -> Fraction:
        """The Outstanding Principal Amount: the holders' total when holders are listed, else `principal`."""
        if self.holders:
            return sum((h.base for h in self.holders), Fraction(0))
        return self.principal


# ---------------------------------------------------------------------------------------------- parsing

PERIOD_KEYS = ("start", "end")
PERIOD_FIELDS = ("allowed_delays", "sales_blocked", "not_listed", "stop_orders", "investor_delays")
DATE_FIELDS = ("prior_financing_effective", "filed", "effective", "as_of", "s3_eligible", "s3_filed", "s3_effective",
               "more_shares_needed", "need_determined", "additional_filed", "additional_effective", "comments_cleared",
               "acceleration_requested", "effectiveness_order", "final_prospectus_filed", "first_anticipated_filing",
               "investor_info_notice")
KEYS: tuple[str, ...] = tuple(f.name for f in fields(Scenario) if f.name != "source")
ITEM_KEYS = {
    "sec_comments": ("received", "answered"),
    "documents": ("filed", "furnished"),
    "notices": ("sent", "method", "received"),
    "holders": ("name", "principal", "converted"),
}

T = TypeVar("T")


def _suggest(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(sorted(names))})"


def _show(value: Any) -> Any:
    """A value as the user wrote it (dates back to ISO text) for an error message."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_show(v) for v in value]
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    return value


def _check_keys(data: Mapping[Any, Any], allowed: Iterable[str], where: str) -> None:
    allowed = tuple(allowed)
    for k in data:
        if not isinstance(k, str) or k not in allowed:
            path = f"{where}.{k}" if where else str(k)
            raise BadInput(path, _show(data[k]), "unknown key" + _suggest(str(k), allowed))


def _date(value: Any, path: str, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise BadInput(path, value, "required: a date as YYYY-MM-DD")
        return None
    if isinstance(value, datetime):
        raise BadInput(path, value.isoformat(), "expected a date as YYYY-MM-DD, not a date and time")
    if isinstance(value, date):
        d = value
    elif isinstance(value, str):
        try:
            d = date.fromisoformat(value.strip())
        except ValueError:
            raise BadInput(path, value, "expected a date as YYYY-MM-DD") from None
    else:
        raise BadInput(path, value, "expected a date as YYYY-MM-DD")
    if not date(FIRST_YEAR, 1, 1) <= d <= LAST_DATE:
        raise BadInput(path, d.isoformat(), f"outside the calendars' range {FIRST_YEAR}-01-01 to {LAST_DATE.isoformat()}")
    return d


def _money(value: Any, path: str) -> Fraction:
    amount = decimal(value, path, "an amount in USD")
    if amount < 0:
        raise BadInput(path, value, "must not be negative")
    if amount > MAX_AMOUNT:
        raise BadInput(path, value, f"more than {MAX_AMOUNT:,} USD")
    return amount


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput(key, _show(value), "expected a list")
    if len(value) > MAX_ITEMS:
        raise BadInput(key, f"{len(value):,} items", f"at most {MAX_ITEMS:,} (each is evaluated, and drawn month by month)")
    return value


def _items(data: Mapping[str, Any], key: str, keys: tuple[str, ...], make: Callable[[Mapping[str, Any], str], T]) -> tuple[T, ...]:
    out = []
    for i, item in enumerate(_list(data, key)):
        path = f"{key}[{i}]"
        if keys == PERIOD_KEYS and isinstance(item, (list, tuple)) and len(item) == 2:
            item = dict(zip(PERIOD_KEYS, item, strict=True))  # a [start, end] pair
        if not isinstance(item, dict):
            raise BadInput(path, _show(item), f"expected a mapping with keys {', '.join(keys)}")
        _check_keys(item, keys, path)
        out.append(make(item, path))
    return tuple(out)


def _period(item: Mapping[str, Any], path: str) -> Period:
    start = _date(item.get("start"), f"{path}.start", required=True)
    end = _date(item.get("end"), f"{path}.end", required=True)
    assert start is not None and end is not None
    if end < start:
        raise BadInput(f"{path}.end", end.isoformat(), f"ends before it starts ({start.isoformat()})")
    return Period(start, end)


def _comment(item: Mapping[str, Any], path: str) -> SecComment:
    received = _date(item.get("received"), f"{path}.received", required=True)
    answered = _date(item.get("answered"), f"{path}.answered")
    assert received is not None
    if answered is not None and answered < received:
        raise BadInput(f"{path}.answered", answered.isoformat(), f"before the comments were received ({received.isoformat()})")
    return SecComment(received, answered)


def _document(item: Mapping[str, Any], path: str) -> FiledDocument:
    filed = _date(item.get("filed"), f"{path}.filed", required=True)
    furnished = _date(item.get("furnished"), f"{path}.furnished")
    assert filed is not None
    if furnished is not None and furnished < filed:
        raise BadInput(f"{path}.furnished", furnished.isoformat(), f"before the document was filed ({filed.isoformat()})")
    return FiledDocument(filed, furnished)


def _notice(item: Mapping[str, Any], path: str) -> Notice:
    sent = _date(item.get("sent"), f"{path}.sent", required=True)
    method = item.get("method", "courier")
    if method not in NOTICE_METHODS:
        raise BadInput(f"{path}.method", method, "unknown method" + _suggest(str(method), NOTICE_METHODS))
    received = _date(item.get("received"), f"{path}.received")
    assert sent is not None
    if received is not None and received < sent:
        raise BadInput(f"{path}.received", received.isoformat(), f"before the notice was sent ({sent.isoformat()})")
    return Notice(sent, str(method), received)


def _holder(item: Mapping[str, Any], path: str) -> Holder:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadInput(f"{path}.name", name, "expected the holder's name")
    principal = _money(item.get("principal", 0), f"{path}.principal")
    converted = _money(item.get("converted", 0), f"{path}.converted")
    return Holder(name.strip(), principal, converted)


def scenario_from_dict(data: Any, source: str, params: ParameterSet) -> Scenario:
    """Validate a parsed scenario mapping and build the Scenario (BadInput on the first problem)."""
    if not isinstance(data, dict):
        raise BadInput(source, type(data).__name__ if data is not None else None, "expected a mapping of scenario fields")
    _check_keys(data, KEYS, "")
    kw: dict[str, Any] = {"source": source}
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        raise BadInput("name", name, "expected a text")
    kw["name"] = name or Path(source).stem
    for key in DATE_FIELDS:
        kw[key] = _date(data.get(key), key, required=(key == "as_of"))
    for key in PERIOD_FIELDS:
        kw[key] = _items(data, key, PERIOD_KEYS, _period)
    kw["sec_comments"] = _items(data, "sec_comments", ITEM_KEYS["sec_comments"], _comment)
    kw["documents"] = _items(data, "documents", ITEM_KEYS["documents"], _document)
    kw["notices"] = _items(data, "notices", ITEM_KEYS["notices"], _notice)
    kw["holders"] = _items(data, "holders", ITEM_KEYS["holders"], _holder)
    explicit = "principal" in data and data["principal"] is not None
    if explicit:
        kw["principal"] = _money(data["principal"], "principal")
    elif kw["holders"]:
        kw["principal"] = sum((h.base for h in kw["holders"]), Fraction(0))
    else:
        raise BadInput("principal", data.get("principal"), "required (the Outstanding Principal Amount in USD) unless holders are listed")
    cal = data.get("business_calendar", "us-federal")
    if cal not in BUSINESS_CALENDARS:
        raise BadInput("business_calendar", cal, "unknown calendar" + _suggest(str(cal), BUSINESS_CALENDARS))
    kw["business_calendar"] = cal
    conv = data.get("month_convention")
    if conv is not None and conv not in CONVENTIONS:
        raise BadInput("month_convention", conv, "unknown convention" + _suggest(str(conv), CONVENTIONS))
    kw["month_convention"] = conv
    if kw["need_determined"] is None:
        # 3(b): "reasonably first determines (or reasonably should have determined)": by default, when the need arose
        kw["need_determined"] = kw["more_shares_needed"]
    scenario = Scenario(**kw)
    check_scenario(scenario, params)
    return scenario


def check_scenario(s: Scenario, params: ParameterSet) -> None:
    """Checks that need the agreement's parameters or several fields: BadInput on the first problem."""
    agreement_date: date = params["agreement.date"]
    max_principal = _frac(params["debentures.max_principal"])
    for path, d in _all_dates(s):
        if d < agreement_date:
            raise BadInput(path, d.isoformat(), f"before the agreement date ({agreement_date.isoformat()})")
    if s.holders:
        total = s.outstanding_principal
        if s.principal not in (0, total):
            raise BadInput("principal", _num(s.principal), f"differs from the holders' total ({_num(total)})")
        names = [h.name for h in s.holders]
        for i, n in enumerate(names):
            if n in names[:i]:
                raise BadInput(f"holders[{i}].name", n, "listed twice")
        if total > max_principal:
            raise BadInput("holders", _num(total), f"holders' total principal exceeds the Debentures' maximum ({_num(max_principal)})")
    if s.principal > max_principal:
        raise BadInput("principal", _num(s.principal), f"exceeds the Debentures' maximum principal ({_num(max_principal)})")
    pairs = (("effective", s.effective, "filed", s.filed, "the Registration Statement was filed"),
             ("s3_effective", s.s3_effective, "s3_filed", s.s3_filed, "the Form S-3 was filed"),
             ("additional_effective", s.additional_effective, "additional_filed", s.additional_filed,
              "the amendment or new Registration Statement was filed"))
    for later_name, later, earlier_name, earlier, what in pairs:
        if later is None:
            continue
        if earlier is None:
            raise BadInput(later_name, later.isoformat(), f"effective but never filed ({earlier_name} is missing)")
        if later < earlier:
            raise BadInput(later_name, later.isoformat(), f"before {what} ({earlier_name}: {earlier.isoformat()})")
    if s.need_determined and s.more_shares_needed and s.need_determined < s.more_shares_needed:
        raise BadInput("need_determined", s.need_determined.isoformat(),
                       f"before more shares became necessary (more_shares_needed: {s.more_shares_needed.isoformat()})")
    ads = sorted(enumerate(s.allowed_delays), key=lambda x: x[1].start)
    for (_, a), (j, b) in zip(ads, ads[1:], strict=False):
        if b.start <= a.end:
            raise BadInput(f"allowed_delays[{j}].start", b.start.isoformat(),
                           f"overlaps another Allowed Delay ({a.start.isoformat()} to {a.end.isoformat()})")


def _num(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


def _all_dates(s: Scenario) -> list[tuple[str, date]]:
    out: list[tuple[str, date]] = []
    for key in DATE_FIELDS:
        d = getattr(s, key)
        if d is not None:
            out.append((key, d))
    for key in PERIOD_FIELDS:
        for i, p in enumerate(getattr(s, key)):
            out += [(f"{key}[{i}].start", p.start), (f"{key}[{i}].end", p.end)]
    for key, names in ITEM_KEYS.items():
        for i, item in enumerate(getattr(s, key)):
            for n in names:
                v = getattr(item, n)
                if isinstance(v, date):
                    out.append((f"{key}[{i}].{n}", v))
    return out


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves an impossible date (2003-09-31) as text, so validation can name its field."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_scenario(path: str | Path, params: ParameterSet) -> Scenario:
    """Read a YAML or JSON scenario file and validate it."""
    data = read_data(path, "scenario", _Loader)
    return scenario_from_dict(data, str(path), params)


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as a plain mapping in the file schema (round-trips through scenario_from_dict)."""
    out: dict[str, Any] = {"name": s.name, "principal": _num(s.principal), "business_calendar": s.business_calendar}
    if s.month_convention:
        out["month_convention"] = s.month_convention
    for key in DATE_FIELDS:
        d = getattr(s, key)
        if d is not None:
            out[key] = d.isoformat()
    for key in PERIOD_FIELDS:
        if getattr(s, key):
            out[key] = [{"start": p.start.isoformat(), "end": p.end.isoformat()} for p in getattr(s, key)]
    for key, names in ITEM_KEYS.items():
        items = getattr(s, key)
        if items:
            out[key] = [{n: (v.isoformat() if isinstance(v, date) else _num(v) if isinstance(v, Fraction) else v)
                         for n in names if (v := getattr(it, n)) is not None} for it in items]
    if s.holders:
        out.pop("principal")
    return out
