"""The plain-Python evaluator (no z3): deadlines, breaches, scenario violations and Section 2(c) payments.

It implements docs/SEMANTICS.md; the Z3 encoding and the exposure optimizer implement the same rules and
cross-check against `payment()`. Every number comes from the ParameterSet, so a redraft changes the result.
Amounts are exact Fractions; `to_json()` rounds them to cents.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from rra.solver.calendars import Calendar
from rra.solver.months import add_months, months_between
from rra.solver.scenario import Scenario
from rra.spec.elements import Deadline, Obligation, Offset
from rra.spec.model import CARVE_OUTS, CONDITIONS, DEADLINES, OBLIGATIONS, READINGS
from rra.spec.overrides import DEFAULTS, ParameterSet
from rra.spec.parameters import BY_NAME

from rra.errors import BadInput

COMPONENTS = ("2(c)(i)", "2(c)(ii)", "2(c)(iii)")
READING_NAMES: tuple[str, ...] = tuple(r.name for r in READINGS)
DEFAULT_READING: str = next(r.name for r in READINGS if r.default)
_READING_BY_NAME = {r.name: r for r in READINGS}
_CARVE = {c.id: c for c in CARVE_OUTS}

# Verbatim words of Section 2(c) each component rests on (tests check they are in the clause).
QUOTES: dict[str, str] = {
    "2(c)(i)": "the number of months (prorated for partial months) after the Filing Date or the end of the "
               "aforementioned ninety (90) day period and prior to the date the Registration Statement is declared "
               "effective by the SEC",
    "2(c)(ii)": "the number of months (prorated for partial months) that sales of all of the Registrable Securities "
                "cannot be made pursuant to the Registration Statement after the Registration Statement has been "
                "declared effective",
    "2(c)(iii)": "the number of months (prorated for partial months) that the Common Stock is not listed or included "
                 "for quotation on the OTCBB, Nasdaq, Nasdaq SmallCap, NYSE or AMEX or that trading thereon is halted "
                 "after the Registration Statement has been declared effective",
    "amount": "an amount equal to the then outstanding principal amount of the Debentures",
    "percentage": 'The term "Applicable Percentage" means two hundredths (.02)',
}

# Scenario fields that date each event of the model (spec/model.py EVENTS) a deadline can be anchored on.
ANCHOR_FIELDS: dict[str, str] = {
    "pfed": "prior_financing_effective",
    "rs_filed": "filed",
    "rs_effective": "effective",
    "s3_eligible": "s3_eligible",
    "s3_filed": "s3_filed",
    "s3_effective": "s3_effective",
    "more_shares_needed": "more_shares_needed",
    "need_determined": "need_determined",
    "additional_filed": "additional_filed",
    "additional_effective": "additional_effective",
    "comments_cleared": "comments_cleared",
    "acceleration_requested": "acceleration_requested",
    "effectiveness_order": "effectiveness_order",
    "final_prospectus_filed": "final_prospectus_filed",
    "first_anticipated_filing": "first_anticipated_filing",
}
# Events that happen more than once: (scenario list, item field of the event, item field of the answer).
MULTI_ANCHORS: dict[str, tuple[str, str, str | None]] = {
    "document_filed": ("documents", "filed", "furnished"),
    "sec_comments": ("sec_comments", "received", "answered"),
    "notice_sent": ("notices", "sent", None),
}
# Which scenario field records that an obligation was done (obligation id -> field or "list.item_field").
ACTUALS: dict[str, str] = {
    "2(a).file": "filed",
    "3(a).file": "filed",
    "3(a).effective": "effective",
    "2(e).s3_file": "s3_filed",
    "2(e).s3_effective": "s3_effective",
    "3(b).file_more": "additional_filed",
    "3(b).more_effective": "additional_effective",
    "3(c).acceleration": "acceleration_requested",
    "3(c).final_prospectus": "final_prospectus_filed",
    "4(a).company_notice": "investor_info_notice",
    "3(c).furnish_documents": "documents.furnished",
    "3(c).respond_comments": "sec_comments.answered",
}
# 11(b): a deadline that applies only to some items of a list.
ITEM_FILTERS: dict[str, Callable[[Any], bool]] = {
    "deadline.notice_effective_mail": lambda n: n.method == "mail",
}
_DEADLINES = {d.id: d for d in DEADLINES}
_ONE = timedelta(days=1)
_CALENDARS: dict[str, Calendar] = {}


def calendar(business: str = "us-federal") -> Calendar:
    """A shared Calendar per business-day definition (its day tables are built once)."""
    cal = _CALENDARS.get(business)
    if cal is None:
        cal = _CALENDARS[business] = Calendar(business)
    return cal


def _frac(x: Any) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(str(x))


def cents(x: Fraction) -> Fraction:
    """Round half up to whole cents."""
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


# ------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Run:
    """A maximal run of consecutive days [start, end] and the months it counts for."""

    start: date
    end: date
    days: int
    months: Fraction


@dataclass(frozen=True)
class Component:
    """One of 2(c)(i), (ii), (iii): its months, the dollar amount and the day periods counted."""

    id: str
    clause: str
    quote: str
    months: Fraction
    amount: Fraction
    periods: tuple[Run, ...]
    excluded: tuple[Run, ...] = ()  # days removed by a carve-out (investor delays, Allowed Delays)
    excluded_by: str | None = None  # the carve-out's element id
    note: str = ""


@dataclass(frozen=True)
class ReadingResult:
    """The 2(c) payment under one named reading."""

    name: str
    clause: str
    quote: str
    description: str
    total: Fraction
    uncapped: Fraction
    components: dict[str, Component]


@dataclass(frozen=True)
class DeadlineResult:
    """A due date the scenario triggers."""

    key: str  # the deadline id, with [k] for the k-th occurrence of a repeated event
    id: str
    name: str
    clause: str
    quote: str
    due: date
    basis: str
    anchor: str | None
    anchor_date: date | None
    rule: str


@dataclass(frozen=True)
class Breach:
    """An obligation (or a 2(c) payment trigger) not met by its due date."""

    element: str
    kind: str  # obligation | payment trigger
    clause: str
    quote: str
    deadline: str
    due: date
    actual: date | None  # None: not done by as_of
    late_days: int  # days of the clause's own basis after the due date, up to the actual date (or as_of)
    basis: str
    ongoing: bool
    remedies: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Violation:
    """Something the scenario itself does that the agreement does not allow, or events out of order."""

    section: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class NoticeResult:
    """When a notice took effect under 11(b)."""

    index: int
    sent: date
    method: str
    effective: date | None
    rule: str


@dataclass(frozen=True)
class HolderShare:
    """One holder's Outstanding Principal Amount and its share of the payment (selected reading)."""

    name: str
    base: Fraction
    amount: Fraction


@dataclass(frozen=True)
class Evaluation:
    """Everything `rra damages` reports for one scenario."""

    scenario: Scenario
    reading: str
    total: Fraction
    components: dict[str, Component]
    readings: dict[str, ReadingResult]
    filing_date: date
    effectiveness_deadline: date
    deadlines: tuple[DeadlineResult, ...]
    breaches: tuple[Breach, ...]
    violations: tuple[Violation, ...]
    notices: tuple[NoticeResult, ...]
    allowed_delay_days: tuple[Run, ...]  # the parts of Allowed Delays within the 3(f) caps
    principal: Fraction
    applicable_percentage: Fraction
    cap: Fraction | None
    holders: tuple[HolderShare, ...]
    month_convention: str
    business_calendar: str
    overridden: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The documented `rra damages --json` shape (amounts rounded to cents)."""
        return evaluation_json(self)


# ----------------------------------------------------------------------------------- day-set helpers
# Day sets are lists of inclusive (first, last) ordinals, sorted and disjoint.

Spans = list[tuple[int, int]]


def _merge(spans: Iterable[tuple[int, int]]) -> Spans:
    """Union, merging overlapping and adjacent spans into maximal runs."""
    out: Spans = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _clip(spans: Spans, lo: int, hi: int) -> Spans:
    return [(max(a, lo), min(b, hi)) for a, b in spans if b >= lo and a <= hi]


def _subtract(spans: Spans, cut: Spans) -> tuple[Spans, Spans]:
    """(spans minus cut, the part of spans that was cut), both as maximal runs."""
    if not cut:
        return spans, []
    kept: Spans = []
    removed: Spans = []
    for a, b in spans:
        cur = a
        for c, d in cut:
            if d < cur or c > b:
                continue
            if c > cur:
                kept.append((cur, c - 1))
            removed.append((max(c, cur), min(d, b)))
            cur = d + 1
            if cur > b:
                break
        if cur <= b:
            kept.append((cur, b))
    return _merge(kept), _merge(removed)


# A counted component: the maximal runs of its period before carve-outs, each with the spans kept and cut.
Carved = list[tuple[int, int, Spans, Spans]]


def _carve(runs: Spans, cut: Spans) -> Carved:
    """Split each run into the spans kept and the spans a carve-out removes (the run keeps its anchor)."""
    out: Carved = []
    for a, b in runs:
        inside = _clip(cut, a, b)
        kept, removed = _subtract([(a, b)], inside) if inside else ([(a, b)], [])
        out.append((a, b, kept, removed))
    return out


def _weight(anchor: int, first: int, last: int, convention: str) -> Fraction:
    """Months that the days [first, last] of a run starting on `anchor` count for.

    months_between(anchor, x) is the running total of the run's day weights (each day weighs 1 / the length of
    the month then in progress), so a span's months are the difference of two running totals.
    """
    a = date.fromordinal(anchor)
    end = months_between(a, date.fromordinal(last + 1), convention)
    return end if first == anchor else end - months_between(a, date.fromordinal(first), convention)


def _months(carved: Carved, convention: str) -> Fraction:
    total = Fraction(0)
    for a, _, kept, _ in carved:
        for c, d in kept:
            total += _weight(a, c, d, convention)
    return total


def _runs(carved: Carved, convention: str, which: int = 2) -> tuple[Run, ...]:
    """The kept (which=2) or cut (which=3) spans as Runs with the months they count for."""
    out = []
    for item in carved:
        a = item[0]
        for c, d in item[which]:  # type: ignore[union-attr]
            out.append(Run(date.fromordinal(c), date.fromordinal(d), d - c + 1, _weight(a, c, d, convention)))
    return tuple(out)


def _spans(periods: Iterable[Any]) -> Spans:
    return [(p.start.toordinal(), p.end.toordinal()) for p in periods]


# ----------------------------------------------------------------------------------------- the rules


def _known(d: date | None, as_of: date) -> date | None:
    """An event counts only if it happened by as_of."""
    return d if d is not None and d <= as_of else None


def _basis(offset_param: str | None) -> str:
    if offset_param is None:
        return "calendar"
    return BY_NAME[offset_param].basis or "calendar"


def _term_date(t: Offset, anchors: dict[str, date | None], params: ParameterSet, cal: Calendar) -> date | None:
    if t.fixed is not None:
        fixed: date = params[t.fixed]
        return fixed
    if t.anchor is None or t.offset is None:
        return None
    a = anchors.get(t.anchor)
    if a is None:
        return None
    n = int(params[t.offset])
    return cal.add(a, -n if t.before else n, _basis(t.offset))


def deadline_due(dl: Deadline, anchors: dict[str, date | None], params: ParameterSet,
                 cal: Calendar) -> tuple[date, Offset] | None:
    """The due date of a deadline (earliest/latest/single of its terms whose anchor happened) and the term used."""
    cands = [(d, t) for t in dl.terms if (d := _term_date(t, anchors, params, cal)) is not None]
    if not cands:
        return None
    if dl.combine == "latest":
        return max(cands, key=lambda c: c[0])
    return min(cands, key=lambda c: c[0])


def filing_date(s: Scenario, params: ParameterSet = DEFAULTS) -> date:
    """The Filing Date (2(a)): the earliest of PFED + 30 days and December 15, 2003 (parameters)."""
    anchors = {"pfed": _known(s.prior_financing_effective, s.as_of)}
    due = deadline_due(_DEADLINES["deadline.filing_date"], anchors, params, calendar(s.business_calendar))
    assert due is not None  # a fixed-date term always applies
    return due[0]


def effectiveness_deadline(s: Scenario, params: ParameterSet = DEFAULTS) -> date:
    """The 2(c) effectiveness deadline: the earliest of PFED + 90 days and March 15, 2004 (parameters)."""
    anchors = {"pfed": _known(s.prior_financing_effective, s.as_of)}
    due = deadline_due(_DEADLINES["deadline.effectiveness"], anchors, params, calendar(s.business_calendar))
    assert due is not None
    return due[0]


def allowed_parts(s: Scenario, params: ParameterSet = DEFAULTS) -> tuple[Spans, list[Violation]]:
    """The parts of the Allowed Delays within the 3(f) caps (excluded from 2(c)(ii)), and the 3(f) violations.

    Periods are walked in date order; a period's allowed part runs from its start to its k-th trading day, k the
    largest count that keeps it within max_consecutive and every window of window_months within max_total; a
    period whose trading days all fit is allowed whole.
    """
    if not s.allowed_delays:
        return [], []
    cal = calendar(s.business_calendar)
    max_con = int(params["allowed_delay.max_consecutive"])
    max_tot = int(params["allowed_delay.max_total"])
    window = int(params["allowed_delay.window_months"])
    order = sorted(range(len(s.allowed_delays)), key=lambda i: s.allowed_delays[i].start)
    allowed: list[date] = []  # allowed trading days so far, ascending
    every: list[date] = []  # every Allowed Delay trading day (for the violation check)
    lo = 0
    parts: Spans = []
    violations: list[Violation] = []
    for i in order:
        p = s.allowed_delays[i]
        tdays = cal.days_in(p.start, p.end, "trading")
        every += tdays
        if len(tdays) > max_con:
            violations.append(Violation(
                "3(f)", f"Allowed Delay {p.start.isoformat()} to {p.end.isoformat()} lasts {len(tdays)} trading days, "
                f"more than {max_con} consecutive trading days", f"allowed_delays[{i}]"))
        k = 0
        for t in tdays[:max_con]:
            while lo < len(allowed) and add_months(allowed[lo], window) <= t:
                lo += 1
            if len(allowed) - lo + 1 > max_tot:
                break
            allowed.append(t)
            k += 1
        if k:
            # all trading days fit: the whole period is allowed; otherwise up to the k-th trading day
            parts.append((p.start.toordinal(), (p.end if k == len(tdays) else tdays[k - 1]).toordinal()))
    # the total cap over every window [d, d + window months)
    lo = 0
    for j, t in enumerate(every):
        while add_months(every[lo], window) <= t:
            lo += 1
        if j - lo + 1 > max_tot:
            violations.append(Violation(
                "3(f)", f"Allowed Delays total {j - lo + 1} trading days between {every[lo].isoformat()} and "
                f"{t.isoformat()}, more than {max_tot} trading days in a {window}-month period", "allowed_delays"))
            break
    return _merge(parts), violations


def _convention(s: Scenario, params: ParameterSet) -> str:
    if s.month_convention and "payments.month_convention" not in params.overridden:
        return s.month_convention
    conv: str = params["payments.month_convention"]
    return conv


@dataclass(frozen=True)
class _Prepared:
    as_of: date
    fd: date
    ed: date
    pfed: date | None
    filed: date | None
    effective: date | None
    convention: str
    ii: Carved
    iii: Carved
    investor: Spans
    ad_parts: Spans
    ad_violations: list[Violation]


def _prepare(s: Scenario, params: ParameterSet) -> _Prepared:
    as_of = s.as_of
    fd = filing_date(s, params)
    ed = effectiveness_deadline(s, params)
    eff = _known(s.effective, as_of)
    ad_parts, ad_violations = allowed_parts(s, params)
    ii: Carved = []
    iii: Carved = []
    if eff is not None:
        lo, hi = eff.toordinal(), as_of.toordinal()
        ii = _carve(_clip(_merge(_spans(s.sales_blocked) + _spans(s.stop_orders)), lo, hi), ad_parts)
        iii = _carve(_clip(_merge(_spans(s.not_listed)), lo, hi), [])
    return _Prepared(as_of, fd, ed, _known(s.prior_financing_effective, as_of), _known(s.filed, as_of), eff,
                     _convention(s, params), ii, iii, _merge(_spans(s.investor_delays)), ad_parts, ad_violations)


def _period_i(p: _Prepared, params: ParameterSet, reading: str, cal: Calendar) -> tuple[Carved, str]:
    """The period counted under 2(c)(i) for a reading (investor delays carved out), and why."""
    stop = p.effective or (p.as_of + _ONE)
    late_filing = (p.filed is None and p.as_of > p.fd) or (p.filed is not None and p.filed > p.fd)
    late_eff = (p.effective is None and p.as_of > p.ed) or (p.effective is not None and p.effective > p.ed)
    start: date | None = None
    why = ""
    if reading == "example":
        if stop > p.fd:
            start, why = p.fd, "effectiveness after the Filing Date (the worked example: from the end of the thirty-day period)"
    elif late_filing:
        start, why = p.fd, "filing after the Filing Date"
    elif late_eff:
        if reading == "ninety-day-literal":
            if p.pfed is not None:
                start = cal.add(p.pfed, int(params["effectiveness.days_after_pfed"]), _basis("effectiveness.days_after_pfed"))
                why = "effectiveness after the deadline; counted from the end of the ninety-day period itself"
            else:
                start = params["effectiveness.outside_date"]
                why = "effectiveness after the deadline; no ninety-day period without a PFED, counted from the outside date"
        else:
            start, why = p.ed, "effectiveness after the effectiveness deadline"
    if start is None or start >= stop:
        return [], why if start is not None else ""
    return _carve([(start.toordinal(), (stop - _ONE).toordinal())], p.investor), why


def check_reading(reading: str | None) -> str:
    """The reading name to use (default `text`); BadInput for an unknown one."""
    name = reading or DEFAULT_READING
    if name not in _READING_BY_NAME:
        raise BadInput("--reading", name, f"unknown reading; expected one of {', '.join(READING_NAMES)}")
    return name


def _rate(params: ParameterSet) -> Fraction:
    return _frac(params["payments.applicable_percentage"])


def _cap(params: ParameterSet) -> Fraction | None:
    c = params["payments.cap"]
    return None if c is None else _frac(c)


def payment(s: Scenario, params: ParameterSet = DEFAULTS, reading: str | None = None) -> Fraction:
    """The total Section 2(c) payment under one reading (default `text`), exact, cap applied."""
    name = check_reading(reading)
    p = _prepare(s, params)
    cal = calendar(s.business_calendar)
    i_carved, _ = _period_i(p, params, name, cal)
    months = _months(i_carved, p.convention) + _months(p.ii, p.convention) + _months(p.iii, p.convention)
    total = s.outstanding_principal * _rate(params) * months
    cap = _cap(params)
    return min(total, cap) if cap is not None else total


def _reading_result(s: Scenario, p: _Prepared, params: ParameterSet, name: str, cal: Calendar) -> ReadingResult:
    base = s.outstanding_principal * _rate(params)
    i_carved, why = _period_i(p, params, name, cal)
    conv = p.convention
    comps: dict[str, Component] = {}
    m_i = _months(i_carved, conv)
    i_cut = _runs(i_carved, conv, 3)
    comps["2(c)(i)"] = Component("2(c)(i)", "2(c)", QUOTES["2(c)(i)"], m_i, base * m_i, _runs(i_carved, conv),
                                 i_cut, "2(c).investor_delays" if i_cut else None, why)
    m_ii = _months(p.ii, conv)
    ii_cut = _runs(p.ii, conv, 3)
    comps["2(c)(ii)"] = Component("2(c)(ii)", "2(c)", QUOTES["2(c)(ii)"], m_ii, base * m_ii, _runs(p.ii, conv),
                                  ii_cut, "2(c).allowed_delay" if ii_cut else None,
                                  "sales blocked or stop order after effectiveness" if p.ii else "")
    m_iii = _months(p.iii, conv)
    comps["2(c)(iii)"] = Component("2(c)(iii)", "2(c)", QUOTES["2(c)(iii)"], m_iii, base * m_iii,
                                   _runs(p.iii, conv), (), None,
                                   "not listed or trading halted after effectiveness" if p.iii else "")
    uncapped = base * (m_i + m_ii + m_iii)
    cap = _cap(params)
    r = _READING_BY_NAME[name]
    return ReadingResult(name, r.clause, r.quote, r.description, min(uncapped, cap) if cap is not None else uncapped,
                         uncapped, comps)


def _anchors(s: Scenario) -> dict[str, date | None]:
    out: dict[str, date | None] = {"agreement": None}
    for event, fname in ANCHOR_FIELDS.items():
        out[event] = _known(getattr(s, fname), s.as_of)
    return out


def _rule_text(dl: Deadline, t: Offset, params: ParameterSet) -> str:
    if t.fixed is not None:
        return f"fixed date {t.fixed} = {params[t.fixed]}"
    n = params[t.offset] if t.offset else 0
    return f"{t.anchor} {'-' if t.before else '+'} {n} {_basis(t.offset)} days ({t.offset})"


def deadlines_and_breaches(s: Scenario, params: ParameterSet = DEFAULTS) -> tuple[list[DeadlineResult], list[Breach]]:
    """Every deadline the scenario triggers (generically from spec.model.DEADLINES) and the breaches."""
    cal = calendar(s.business_calendar)
    as_of = s.as_of
    anchors = _anchors(s)
    results: list[DeadlineResult] = []
    by_key: dict[str, tuple[DeadlineResult, Any]] = {}  # key -> (result, the list item it came from)
    for dl in DEADLINES:
        users = [ob for ob in OBLIGATIONS if ob.deadline == dl.id]
        if users and not any(ob.trigger is None or anchors.get(ob.trigger) is not None
                             or any(t.anchor == ob.trigger for t in dl.terms) for ob in users):
            continue  # no obligation that uses this deadline has arisen
        multi = next((t.anchor for t in dl.terms if t.anchor in MULTI_ANCHORS), None)
        if multi is None:
            instances: list[tuple[str, dict[str, date | None], Any]] = [(dl.id, anchors, None)]
        else:
            list_name, item_field, _ = MULTI_ANCHORS[multi]
            keep = ITEM_FILTERS.get(dl.id, lambda _item: True)
            instances = [(f"{dl.id}[{k}]", {**anchors, multi: _known(getattr(item, item_field), as_of)}, item)
                         for k, item in enumerate(getattr(s, list_name)) if keep(item)]
        for key, anc, item in instances:
            due = deadline_due(dl, anc, params, cal)
            if due is None:
                continue
            d, term = due
            res = DeadlineResult(key, dl.id, dl.name, dl.clause, dl.quote, d, _basis(term.offset), term.anchor,
                                 anc.get(term.anchor) if term.anchor else None, _rule_text(dl, term, params))
            results.append(res)
            by_key[key] = (res, item)
    breaches: list[Breach] = []
    for ob in OBLIGATIONS:
        if ob.deadline is None or ob.id not in ACTUALS:
            continue
        if ob.trigger is not None and ob.trigger in ANCHOR_FIELDS and anchors.get(ob.trigger) is None:
            continue
        actual_field = ACTUALS[ob.id]
        for res, item in by_key.values():
            if res.id != ob.deadline:
                continue
            if "." in actual_field:
                actual = _known(getattr(item, actual_field.split(".", 1)[1]), as_of)
            else:
                actual = _known(getattr(s, actual_field), as_of)
            b = _breach(ob, res, actual, as_of, cal, anchors)
            if b is not None:
                breaches.append(b)
    # 2(c) payment trigger: effectiveness after the 2(c) deadline (late filing is 2(a)'s own breach)
    ed = by_key.get("deadline.effectiveness")
    if ed is not None:
        eff = anchors["rs_effective"]
        trigger = next(c for c in CONDITIONS if c.id == "2(c).triggers")
        b = _late(trigger.id, "payment trigger", trigger.clause, trigger.quote, ed[0], eff, as_of, cal, ("remedy.2c_payments",))
        if b is not None:
            breaches.append(b)
    return results, breaches


def _breach(ob: Obligation, res: DeadlineResult, actual: date | None, as_of: date, cal: Calendar,
            anchors: dict[str, date | None]) -> Breach | None:
    b = _late(ob.id, "obligation", ob.clause, ob.quote, res, actual, as_of, cal, ob.remedies)
    if b is None:
        return None
    trig = anchors.get(ob.trigger) if ob.trigger else None
    if trig is not None and trig > res.due and not any(t.anchor == ob.trigger for t in _DEADLINES[res.id].terms):
        b = Breach(**{**b.__dict__, "note": f"due before the obligation arose ({ob.trigger} on {trig.isoformat()})"})
    return b


def _late(element: str, kind: str, clause: str, quote: str, res: DeadlineResult, actual: date | None, as_of: date,
          cal: Calendar, remedies: tuple[str, ...]) -> Breach | None:
    until = actual if actual is not None else as_of
    if until <= res.due:
        return None
    late = cal.count(res.due + _ONE, until, res.basis)
    return Breach(element, kind, clause, quote, res.key, res.due, actual, late, res.basis, actual is None, remedies)


def _order_violations(s: Scenario) -> list[Violation]:
    out: list[Violation] = []
    filed = s.filed
    for k, c in enumerate(s.sec_comments):
        if filed is None or c.received < filed:
            out.append(Violation("3(c)", f"SEC comments received on {c.received.isoformat()} before the Registration "
                                 "Statement was filed", f"sec_comments[{k}].received"))
    for name, what in (("comments_cleared", "SEC comments cleared"), ("acceleration_requested", "acceleration requested")):
        d = getattr(s, name)
        if d is not None and (filed is None or d < filed):
            out.append(Violation("3(c)", f"{what} on {d.isoformat()} before the Registration Statement was filed", name))
    if s.acceleration_requested and s.comments_cleared and s.acceleration_requested < s.comments_cleared:
        out.append(Violation("3(c)", f"acceleration requested on {s.acceleration_requested.isoformat()} before the SEC "
                             f"comments were cleared ({s.comments_cleared.isoformat()})", "acceleration_requested"))
    if s.effectiveness_order and (s.effective is None or s.effectiveness_order < s.effective):
        out.append(Violation("3(c)", f"order declaring effectiveness received on {s.effectiveness_order.isoformat()} "
                             "before the Registration Statement was declared effective", "effectiveness_order"))
    if s.final_prospectus_filed and (s.effective is None or s.final_prospectus_filed < s.effective):
        out.append(Violation("3(c)", f"final prospectus filed on {s.final_prospectus_filed.isoformat()} before the "
                             "Registration Statement was declared effective", "final_prospectus_filed"))
    if s.investor_info_notice and s.first_anticipated_filing is None:
        out.append(Violation("4(a)", "notice of the information required from the Investors given, but no first "
                             "anticipated filing date", "investor_info_notice"))
    for k, n in enumerate(s.notices):
        if n.method == "email":
            out.append(Violation("11(b)", f"notice sent on {n.sent.isoformat()} by email, which 11(b) does not allow "
                                 "(certified or registered mail, personal delivery, courier or facsimile)",
                                 f"notices[{k}].method"))
    return out


def _notices(s: Scenario, params: ParameterSet, cal: Calendar) -> list[NoticeResult]:
    out = []
    for k, n in enumerate(s.notices):
        if n.method == "mail":
            days = int(params["notice.mail_days"])
            out.append(NoticeResult(k, n.sent, n.method, cal.add(n.sent, days, _basis("notice.mail_days")),
                                    f"regular mail: effective {days} days after mailing (11(b))"))
        elif n.method in ("personal", "courier", "overnight-courier", "facsimile"):
            out.append(NoticeResult(k, n.sent, n.method, n.received, "effective upon receipt (11(b))"))
        elif n.method == "email":
            out.append(NoticeResult(k, n.sent, n.method, None, "email is not a method 11(b) allows"))
        else:
            out.append(NoticeResult(k, n.sent, n.method, n.received,
                                    "11(b) allows certified or registered mail but does not say when it takes effect; "
                                    "the receipt date is shown"))
    return out


def evaluate(s: Scenario, params: ParameterSet = DEFAULTS, reading: str | None = None) -> Evaluation:
    """Deadlines, breaches, violations and the 2(c) payment under every reading (the selected one first)."""
    name = check_reading(reading)
    cal = calendar(s.business_calendar)
    p = _prepare(s, params)
    readings = {r: _reading_result(s, p, params, r, cal) for r in READING_NAMES}
    sel = readings[name]
    deadlines, breaches = deadlines_and_breaches(s, params)
    violations = p.ad_violations + _order_violations(s)
    base = s.outstanding_principal
    holders = tuple(HolderShare(h.name, h.base, sel.total * h.base / base if base else Fraction(0)) for h in s.holders)
    return Evaluation(
        scenario=s, reading=name, total=sel.total, components=sel.components, readings=readings,
        filing_date=p.fd, effectiveness_deadline=p.ed, deadlines=tuple(deadlines), breaches=tuple(breaches),
        violations=tuple(violations), notices=tuple(_notices(s, params, cal)), allowed_delay_days=_runs(_carve(p.ad_parts, []), p.convention),
        principal=base, applicable_percentage=_rate(params), cap=_cap(params), holders=holders,
        month_convention=p.convention, business_calendar=s.business_calendar, overridden=tuple(params.overridden))


# ----------------------------------------------------------------------------------------------- JSON


def money(x: Fraction) -> float:
    """An amount rounded to cents, as a JSON number."""
    c = cents(x)
    return float(c)


def _months_json(m: Fraction) -> float:
    return round(float(m), 6)


def _run_json(r: Run) -> dict[str, Any]:
    return {"start": r.start.isoformat(), "end": r.end.isoformat(), "days": r.days, "months": _months_json(r.months),
            "months_exact": str(r.months)}


def _component_json(c: Component) -> dict[str, Any]:
    out: dict[str, Any] = {
        "clause": c.clause, "quote": c.quote, "months": _months_json(c.months), "months_exact": str(c.months),
        "amount": money(c.amount), "periods": [_run_json(r) for r in c.periods], "note": c.note,
    }
    if c.excluded:
        carve = _CARVE[c.excluded_by] if c.excluded_by else None
        out["excluded"] = {"element": c.excluded_by, "clause": carve.clause if carve else c.clause,
                           "quote": carve.quote if carve else "", "periods": [_run_json(r) for r in c.excluded]}
    return out


def evaluation_json(e: Evaluation) -> dict[str, Any]:
    """The `rra damages --json` document."""
    s = e.scenario
    deadlines = {d.key: {"id": d.id, "name": d.name, "clause": d.clause, "quote": d.quote, "due": d.due.isoformat(),
                         "basis": d.basis, "anchor": d.anchor,
                         "anchor_date": d.anchor_date.isoformat() if d.anchor_date else None, "rule": d.rule}
                 for d in e.deadlines}
    return {
        "scenario": s.name,
        "as_of": s.as_of.isoformat(),
        "reading": e.reading,
        "total": money(e.total),
        "components": {k: money(c.amount) for k, c in e.components.items()},
        "months": {k: _months_json(c.months) for k, c in e.components.items()},
        "details": {k: _component_json(c) for k, c in e.components.items()},
        "readings": {k: money(r.total) for k, r in e.readings.items()},
        "readings_detail": {k: {"clause": r.clause, "quote": r.quote, "description": r.description,
                                "total": money(r.total), "uncapped": money(r.uncapped),
                                "components": {c: money(v.amount) for c, v in r.components.items()},
                                "months": {c: _months_json(v.months) for c, v in r.components.items()}}
                            for k, r in e.readings.items()},
        "filing_date": e.filing_date.isoformat(),
        "effectiveness_deadline": e.effectiveness_deadline.isoformat(),
        "deadlines": deadlines,
        "breaches": [{"element": b.element, "kind": b.kind, "clause": b.clause, "quote": b.quote, "deadline": b.deadline,
                      "due": b.due.isoformat(), "actual": b.actual.isoformat() if b.actual else None,
                      "late_days": b.late_days, "basis": b.basis, "ongoing": b.ongoing, "remedies": list(b.remedies),
                      "note": b.note} for b in e.breaches],
        "violations": [{"section": v.section, "message": v.message, "field": v.field} for v in e.violations],
        "notices": [{"index": n.index, "sent": n.sent.isoformat(), "method": n.method,
                     "effective": n.effective.isoformat() if n.effective else None, "rule": n.rule} for n in e.notices],
        "allowed_delay_days": [_run_json(r) for r in e.allowed_delay_days],
        "principal": money(e.principal),
        "applicable_percentage": float(e.applicable_percentage),
        "cap": money(e.cap) if e.cap is not None else None,
        "holders": [{"name": h.name, "principal": money(h.base), "amount": money(h.amount)} for h in e.holders],
        "month_convention": e.month_convention,
        "business_calendar": e.business_calendar,
        "overridden": list(e.overridden),
        "quotes": {"amount": {"clause": "2(c)", "quote": QUOTES["amount"]},
                   "applicable_percentage": {"clause": "2(c)", "quote": QUOTES["percentage"]}},
    }
