"""The plain-Python evaluator (no z3): deadlines, breaches, scenario violations and Section 2(c) payments.

It implements docs/SEMANTICS.md for the agreement it is given (rra.spec.agreement.Agreement): the deadlines,
obligations and events of its model, and the payment measure (`agreement.measure`: its deadlines, readings,
components and parameters). The Z3 encoding and the exposure optimizer interpret the same data and cross-check
against `payment()`, so a redraft changes all three alike. Amounts are exact Fractions; `money()` rounds to
cents.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from rra.solver.calendars import Calendar
from rra.solver.deadlines import basis_of, deadline_due, due, rule_text
from rra.solver.months import add_months, months_between
from rra.solver.scenario import Scenario
from rra.spec.agreement import Agreement
from rra.spec.elements import Obligation

from rra.errors import BadInput

_ONE = timedelta(days=1)


def _fields(record: str) -> tuple[str, str | None]:
    """A record "filed" -> ("filed", None); "documents[].filed" -> ("documents", "filed")."""
    if "[]." in record:
        lst, item = record.split("[].", 1)
        return lst, item
    return record, None
_CALENDARS: dict[str, Calendar] = {}


def reading_names(agreement: Agreement) -> tuple[str, ...]:
    """The names of the measure's readings, the default first."""
    rs = agreement.measure.readings
    return tuple(r.name for r in sorted(rs, key=lambda r: not r.default))


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


def _anchor_dates(s: Scenario, event: str, agreement: Agreement) -> date | None:
    """The date of a single-date event in a scenario (None: no such field, or not by as_of)."""
    rec = agreement.model.event(event).record if event in agreement.model.by_id else None
    if rec is None or "[]." in rec:
        return None
    return _known(getattr(s, rec), s.as_of)


def filing_date(s: Scenario, agreement: Agreement) -> date:
    """The Filing Date: the measure's filing deadline (2(a): the earliest of PFED + 30 days and December 15,
    2003) for the scenario's PFED."""
    m = agreement.model.payment_measure()
    anchors = _anchors(s, agreement)
    d = due(agreement, m.filing_deadline, anchors, calendar(s.business_calendar))
    assert d is not None  # a fixed-date term always applies
    return d


def effectiveness_deadline(s: Scenario, agreement: Agreement) -> date:
    """The measure's effectiveness deadline (2(c): the earliest of PFED + 90 days and March 15, 2004)."""
    m = agreement.model.payment_measure()
    d = due(agreement, m.effectiveness_deadline, _anchors(s, agreement), calendar(s.business_calendar))
    assert d is not None
    return d


def allowed_parts(s: Scenario, agreement: Agreement) -> tuple[Spans, list[Violation]]:
    """The parts of the Allowed Delays within the caps (excluded from the blocked-sales component), and the
    violations of the caps.

    Periods are walked in date order; a period's allowed part runs from its start to its k-th trading day, k the
    largest count that keeps it within max_consecutive and every window of window_months within max_total; a
    period whose trading days all fit is allowed whole.
    """
    if not s.allowed_delays:
        return [], []
    cal = calendar(s.business_calendar)
    m = agreement.model.payment_measure()
    con_p, tot_p, win_p = m.allowed_delay
    clause = agreement.params.by_name[con_p].clause
    max_con = int(agreement.params[con_p])
    max_tot = int(agreement.params[tot_p])
    window = int(agreement.params[win_p])
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
                clause, f"Allowed Delay {p.start.isoformat()} to {p.end.isoformat()} lasts {len(tdays)} trading days, "
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
                clause, f"Allowed Delays total {j - lo + 1} trading days between {every[lo].isoformat()} and "
                f"{t.isoformat()}, more than {max_tot} trading days in a {window}-month period", "allowed_delays"))
            break
    return _merge(parts), violations


def _convention(s: Scenario, agreement: Agreement) -> str:
    name = agreement.measure.convention
    if s.month_convention and name not in agreement.params.overridden:
        return s.month_convention
    conv: str = agreement.params[name]
    return conv


@dataclass(frozen=True)
class _Prepared:
    as_of: date
    anchors: dict[str, date | None]
    fd: date
    ed: date
    filed: date | None
    effective: date | None
    convention: str
    counted: dict[str, Carved]  # component id -> its carved runs (after-effectiveness components)
    investor: Spans
    ad_parts: Spans
    ad_violations: list[Violation]


def _prepare(s: Scenario, agreement: Agreement) -> _Prepared:
    m = agreement.model.payment_measure()
    as_of = s.as_of
    anchors = _anchors(s, agreement)
    cal = calendar(s.business_calendar)
    fd = due(agreement, m.filing_deadline, anchors, cal)
    ed = due(agreement, m.effectiveness_deadline, anchors, cal)
    assert fd is not None and ed is not None  # fixed-date terms always apply
    eff = anchors.get(m.effective)
    ad_parts: Spans = []
    ad_violations: list[Violation] = []
    counted: dict[str, Carved] = {}
    excluded: dict[str, Spans] = {}
    for c in m.components:
        if c.excluded == "allowed_delays":
            ad_parts, ad_violations = allowed_parts(s, agreement)
            excluded[c.id] = ad_parts
        elif c.excluded:
            excluded[c.id] = _merge(_spans(getattr(s, c.excluded)))
    for c in m.components:
        if c.counts != "after-effectiveness":
            continue
        counted[c.id] = []
        if eff is not None:
            lo, hi = eff.toordinal(), as_of.toordinal()
            days = _merge([sp for f in c.periods for sp in _spans(getattr(s, f))])
            counted[c.id] = _carve(_clip(days, lo, hi), excluded.get(c.id, []))
    late = next((c for c in m.components if c.counts == "late"), None)
    investor = excluded.get(late.id, []) if late is not None else []
    return _Prepared(as_of, anchors, fd, ed, anchors.get(m.filed), eff, _convention(s, agreement), counted, investor,
                     ad_parts, ad_violations)


def _period_i(p: _Prepared, agreement: Agreement, reading: str, cal: Calendar) -> tuple[Carved, str]:
    """The period counted for late filing or effectiveness under a reading (carve-out removed), and why."""
    r = agreement.model.reading(reading)
    stop = p.effective or (p.as_of + _ONE)
    late_filing = (p.filed is None and p.as_of > p.fd) or (p.filed is not None and p.filed > p.fd)
    late_eff = (p.effective is None and p.as_of > p.ed) or (p.effective is not None and p.effective > p.ed)
    start: date | None = None
    why = ""

    def at(deadline_id: str) -> tuple[date | None, str]:
        dl = agreement.model.deadline(deadline_id)
        return due(agreement, deadline_id, p.anchors, cal), dl.name

    if r.counts_from is not None:
        d, name = at(r.counts_from)
        if d is not None and stop > d:
            start, why = d, f"effectiveness after the {name} (the reading '{r.name}': counted from it)"
    elif late_filing and r.late_filing_from is not None:
        start, name = at(r.late_filing_from)
        why = f"filing after the Filing Date; counted from the {name}"
    elif late_eff and r.late_effectiveness_from is not None:
        start, name = at(r.late_effectiveness_from)
        why = f"effectiveness after the effectiveness deadline; counted from the {name}"
    if start is None or start >= stop:
        return [], why if start is not None else ""
    return _carve([(start.toordinal(), (stop - _ONE).toordinal())], p.investor), why


def check_reading(agreement: Agreement, reading: str | None) -> str:
    """The reading name to use (the measure's default when None); BadInput for an unknown one."""
    names = reading_names(agreement)
    name = names[0] if reading is None else reading
    if name not in names:
        raise BadInput("--reading", name, f"unknown reading; expected one of {', '.join(names)}")
    return name


def _rate(agreement: Agreement) -> Fraction:
    return _frac(agreement.params[agreement.measure.rate])


def _cap(agreement: Agreement) -> Fraction | None:
    c = agreement.params[agreement.measure.cap]
    return None if c is None else _frac(c)


def payment(s: Scenario, agreement: Agreement, reading: str | None = None) -> Fraction:
    """The total payment under the measure and one reading (the default when None), exact, cap applied."""
    name = check_reading(agreement, reading)
    p = _prepare(s, agreement)
    cal = calendar(s.business_calendar)
    i_carved, _ = _period_i(p, agreement, name, cal)
    months = _months(i_carved, p.convention) + sum((_months(c, p.convention) for c in p.counted.values()), Fraction(0))
    total = s.outstanding_principal * _rate(agreement) * months
    cap = _cap(agreement)
    return min(total, cap) if cap is not None else total


def _reading_result(s: Scenario, p: _Prepared, agreement: Agreement, name: str, cal: Calendar) -> ReadingResult:
    m = agreement.model.payment_measure()
    base = s.outstanding_principal * _rate(agreement)
    conv = p.convention
    comps: dict[str, Component] = {}
    total_months = Fraction(0)
    for c in m.components:
        if c.counts == "late":
            carved, why = _period_i(p, agreement, name, cal)
        else:
            carved = p.counted[c.id]
            why = c.label if carved else ""
        months = _months(carved, conv)
        cut = _runs(carved, conv, 3)
        comps[c.id] = Component(c.id, c.clause, c.quote, months, base * months, _runs(carved, conv), cut,
                                c.excludes if cut else None, why)
        total_months += months
    uncapped = base * total_months
    cap = _cap(agreement)
    r = agreement.model.reading(name)
    return ReadingResult(name, r.clause, r.quote, r.description, min(uncapped, cap) if cap is not None else uncapped,
                         uncapped, comps)


def _anchors(s: Scenario, agreement: Agreement) -> dict[str, date | None]:
    """Single-date events of the model, dated from the scenario (None: not by as_of)."""
    out: dict[str, date | None] = {}
    for e in agreement.model.events:
        if e.record and "[]." not in e.record:
            out[e.id] = _known(getattr(s, e.record), s.as_of)
    return out


def _list_event(agreement: Agreement, event: str) -> tuple[str, str] | None:
    """(scenario list, item field) for an event that happens once per item of a list."""
    if event not in agreement.model.by_id:
        return None
    rec = agreement.model.event(event).record
    if rec is None or "[]." not in rec:
        return None
    lst, item = _fields(rec)
    assert item is not None
    return lst, item


def _record_of(agreement: Agreement, ob: Obligation) -> str | None:
    """The scenario field that records an obligation as done."""
    if ob.record:
        return ob.record
    if ob.performs and ob.performs in agreement.model.by_id:
        return agreement.model.event(ob.performs).record
    return None


def deadlines_and_breaches(s: Scenario, agreement: Agreement) -> tuple[list[DeadlineResult], list[Breach]]:
    """Every deadline the scenario triggers (generically from the model's deadlines) and the breaches."""
    cal = calendar(s.business_calendar)
    as_of = s.as_of
    anchors = _anchors(s, agreement)
    model = agreement.model
    results: list[DeadlineResult] = []
    by_key: dict[str, tuple[DeadlineResult, Any]] = {}  # key -> (result, the list item it came from)
    obligations = [o for o in model.obligations if model.usable(o.id)]
    for dl in model.deadlines:
        if not model.usable(dl.id):
            continue
        users = [ob for ob in obligations if ob.deadline == dl.id]
        if users and not any(ob.trigger is None or anchors.get(ob.trigger) is not None
                             or any(t.anchor == ob.trigger for t in dl.terms) for ob in users):
            continue  # no obligation that uses this deadline has arisen
        multi = next((t.anchor for t in dl.terms if t.anchor and _list_event(agreement, t.anchor)), None)
        if multi is None:
            instances: list[tuple[str, dict[str, date | None], Any]] = [(dl.id, anchors, None)]
        else:
            got = _list_event(agreement, multi)
            assert got is not None
            list_name, item_field = got
            only = dl.only
            instances = [(f"{dl.id}[{k}]", {**anchors, multi: _known(getattr(item, item_field), as_of)}, item)
                         for k, item in enumerate(getattr(s, list_name))
                         if only is None or getattr(item, only[0]) == only[1]]
        for key, anc, item in instances:
            got_due = deadline_due(agreement, dl, anc, cal)
            if got_due is None:
                continue
            d, term = got_due
            res = DeadlineResult(key, dl.id, dl.name, dl.clause, dl.quote, d, basis_of(agreement, term.offset),
                                 term.anchor, anc.get(term.anchor) if term.anchor else None, rule_text(agreement, term))
            results.append(res)
            by_key[key] = (res, item)
    breaches: list[Breach] = []
    for ob in obligations:
        record = _record_of(agreement, ob)
        if ob.deadline is None or record is None or not model.usable(ob.deadline):
            continue
        if ob.trigger is not None and ob.trigger in anchors and anchors.get(ob.trigger) is None:
            continue
        lst, rec_field = _fields(record)
        for res, item in by_key.values():
            if res.id != ob.deadline:
                continue
            if rec_field is not None:
                if item is None:
                    continue
                actual = _known(getattr(item, rec_field), as_of)
            else:
                actual = _known(getattr(s, lst), as_of)
            b = _breach(agreement, ob, res, actual, as_of, cal, anchors)
            if b is not None:
                breaches.append(b)
    # payment triggers: an event after a deadline that bounds it (2(c): effectiveness after its deadline)
    for dl in model.deadlines:
        if dl.bounds is None or dl.trigger is None or dl.id not in by_key or not model.usable(dl.trigger):
            continue
        if any(ob.deadline == dl.id for ob in obligations):
            continue
        trig = model.get(dl.trigger)
        actual = anchors.get(dl.bounds)
        remedies = (trig.id,) if trig.kind == "remedy" else tuple(
            r.id for r in model.remedies if trig.id in r.triggers or r.clause == trig.clause and r.triggers)
        b = _late(trig.id, "payment trigger", trig.clause, trig.quote, by_key[dl.id][0], actual, as_of, cal,
                  remedies or ("measure",))
        if b is not None:
            breaches.append(b)
    return results, breaches


def _breach(agreement: Agreement, ob: Obligation, res: DeadlineResult, actual: date | None, as_of: date,
            cal: Calendar, anchors: dict[str, date | None]) -> Breach | None:
    b = _late(ob.id, "obligation", ob.clause, ob.quote, res, actual, as_of, cal, ob.remedies)
    if b is None:
        return None
    trig = anchors.get(ob.trigger) if ob.trigger else None
    dl = agreement.model.deadline(res.id)
    if trig is not None and trig > res.due and not any(t.anchor == ob.trigger for t in dl.terms):
        b = Breach(**{**b.__dict__, "note": f"due before the obligation arose ({ob.trigger} on {trig.isoformat()})"})
    return b


def _late(element: str, kind: str, clause: str, quote: str, res: DeadlineResult, actual: date | None, as_of: date,
          cal: Calendar, remedies: tuple[str, ...]) -> Breach | None:
    until = actual if actual is not None else as_of
    if until <= res.due:
        return None
    late = cal.count(res.due + _ONE, until, res.basis)
    return Breach(element, kind, clause, quote, res.key, res.due, actual, late, res.basis, actual is None, remedies)


def _dated(s: Scenario, agreement: Agreement, event: str) -> list[tuple[date, str]]:
    """Every date of an event in the scenario with the field that gives it."""
    if event not in agreement.model.by_id:
        return []
    rec = agreement.model.event(event).record
    if rec is None:
        return []
    lst, item = _fields(rec)
    if item is None:
        d = getattr(s, lst)
        return [(d, lst)] if d is not None else []
    return [(getattr(it, item), f"{lst}[{k}].{item}") for k, it in enumerate(getattr(s, lst))
            if getattr(it, item) is not None]


def _order_violations(s: Scenario, agreement: Agreement) -> list[Violation]:
    """Events the scenario dates before an event that must come first (rra.spec.process), and notices sent by a
    method the notice clause does not allow."""
    from rra.spec.process import PREREQUISITES

    out: list[Violation] = []
    model = agreement.model
    for pre in PREREQUISITES:
        for d, fld in _dated(s, agreement, pre.event):
            if d > s.as_of:
                continue
            name = model.event(pre.event).name
            for req in pre.requires:
                before = [x for x, _ in _dated(s, agreement, req) if x <= d]
                if not before:
                    out.append(Violation(pre.clause, f"{name} on {d.isoformat()} before "
                                         f"{model.event(req).name.lower()}", fld))
            for req in pre.after:
                later = [x for x, _ in _dated(s, agreement, req) if d < x <= s.as_of]
                if later and not [x for x, _ in _dated(s, agreement, req) if x <= d]:
                    out.append(Violation(pre.clause, f"{name} on {d.isoformat()} before "
                                         f"{model.event(req).name.lower()} ({later[0].isoformat()})", fld))
    if s.investor_info_notice and s.first_anticipated_filing is None:
        out.append(Violation("4(a)", "notice of the information required from the Investors given, but no first "
                             "anticipated filing date", "investor_info_notice"))
    for k, n in enumerate(s.notices):
        if n.method == "email":
            out.append(Violation("11(b)", f"notice sent on {n.sent.isoformat()} by email, which 11(b) does not allow "
                                 "(certified or registered mail, personal delivery, courier or facsimile)",
                                 f"notices[{k}].method"))
    return out


def _notices(s: Scenario, agreement: Agreement, cal: Calendar) -> list[NoticeResult]:
    mail = next((d for d in agreement.model.deadlines if d.only == ("method", "mail")), None)
    out = []
    for k, n in enumerate(s.notices):
        if n.method == "mail" and mail is not None and agreement.model.usable(mail.id):
            got = deadline_due(agreement, mail, {t.anchor: n.sent for t in mail.terms if t.anchor}, cal)
            eff = got[0] if got else None
            days = (eff - n.sent).days if eff else 0
            out.append(NoticeResult(k, n.sent, n.method, eff, f"regular mail: effective {days} days after mailing "
                                                              f"({mail.clause})"))
        elif n.method in ("personal", "courier", "overnight-courier", "facsimile"):
            out.append(NoticeResult(k, n.sent, n.method, n.received, "effective upon receipt (11(b))"))
        elif n.method == "email":
            out.append(NoticeResult(k, n.sent, n.method, None, "email is not a method 11(b) allows"))
        else:
            out.append(NoticeResult(k, n.sent, n.method, n.received,
                                    "11(b) allows certified or registered mail but does not say when it takes effect; "
                                    "the receipt date is shown"))
    return out


def accrual(s: Scenario, agreement: Agreement, reading: str | None = None, limit: int = 240) -> tuple[tuple[date, Fraction], ...]:
    """The payments owed as time goes on: (day, cumulative amount) at the end of each month from the first counted
    day, and at as_of, keeping only the days where the amount changes (at most `limit` months)."""
    from dataclasses import replace

    name = check_reading(agreement, reading)
    ev_total = payment(s, agreement, name)
    if not ev_total:
        return ()
    p = _prepare(s, agreement)
    i_carved, _ = _period_i(p, agreement, name, calendar(s.business_calendar))
    starts = [a for a, *_ in i_carved] + [a for c in p.counted.values() for a, *_ in c]
    if not starts:
        return ()
    first = date.fromordinal(min(starts))
    d = add_months(first.replace(day=1), 1)
    days: list[date] = []
    while d <= s.as_of and len(days) < limit:
        days.append(d - _ONE)
        d = add_months(d, 1)
    days.append(s.as_of)
    out: list[tuple[date, Fraction]] = []
    prev: Fraction | None = None
    for day in days:
        amount = payment(replace(s, as_of=day), agreement, name)
        if amount != prev:
            out.append((day, amount))
            prev = amount
    return tuple(out)


def evaluate(s: Scenario, agreement: Agreement, reading: str | None = None) -> Evaluation:
    """Deadlines, breaches, violations and the payment under every reading (the selected one first)."""
    name = check_reading(agreement, reading)
    cal = calendar(s.business_calendar)
    p = _prepare(s, agreement)
    readings = {r: _reading_result(s, p, agreement, r, cal) for r in reading_names(agreement)}
    sel = readings[name]
    deadlines, breaches = deadlines_and_breaches(s, agreement)
    violations = p.ad_violations + _order_violations(s, agreement)
    base = s.outstanding_principal
    holders = tuple(HolderShare(h.name, h.base, sel.total * h.base / base if base else Fraction(0)) for h in s.holders)
    return Evaluation(
        scenario=s, reading=name, total=sel.total, components=sel.components, readings=readings,
        filing_date=p.fd, effectiveness_deadline=p.ed, deadlines=tuple(deadlines), breaches=tuple(breaches),
        violations=tuple(violations), notices=tuple(_notices(s, agreement, cal)),
        allowed_delay_days=_runs(_carve(p.ad_parts, []), p.convention),
        principal=base, applicable_percentage=_rate(agreement), cap=_cap(agreement), holders=holders,
        month_convention=p.convention, business_calendar=s.business_calendar,
        overridden=tuple(agreement.params.overridden))


def money(x: Fraction) -> float:
    """An amount rounded to cents, as a float."""
    return float(cents(x))
