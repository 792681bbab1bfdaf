"""Worst-case Section 2(c) exposure under an assumption set, with the optimum proved.

The adversary (the SEC, the market, events) picks the Prior Financing Effective Date, the filing date and the
review time the assumptions allow, and the stop orders, blocked-sale periods and delistings after
effectiveness; the question is the largest 2(c) amount owed by `as_of` (docs/SEMANTICS.md).

Two exact methods on the same model:
- `dp` (fast): the effectiveness date E is the only link between the components. For every candidate E,
  (i) is a closed form in the PFED and the filing date, and the best placement of the (ii) and (iii) periods
  in [E, as_of] is a dynamic program over days whose state is the number of periods of each kind left. One
  backward pass gives the best (ii) and (iii) for every E at once; the optimum is the maximum over E. The
  enumeration is exhaustive, so the maximum is proved (nothing is pruned on a guess).
- `z3` (reference): one Z3 Optimize model of the whole problem, used on small horizons to cross-check.
A brute force (`brute_force`) enumerates every timeline of a coarse grid and prices each with the
plain evaluator; on small horizons all three agree exactly (tests/test_exposure.py).

Months are exact: every month count is an integer multiple of 1/D with D = 27,563,340 (divisible by 28, 29,
30, 31 and 365), so the optimizers compare integers and the amount is a Fraction.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from rra.solver.assumptions import Assumptions, ImpossibleAssumptions, PeriodBound, check_possible
from rra.solver.calendars import DEFAULT_CALENDAR, FIRST_YEAR, LAST_YEAR, day, from_day
from rra.spec.agreement import Agreement
from rra.spec.elements import Element, Measure, PaymentReading
from rra.spec.overrides import ParameterSet

from rra.errors import Withheld
from rra.memory import Bounded

D = 27_563_340  # lcm(28, 29, 30, 31) * 73: every month length and 365/12 divide it
READINGS = ("text", "ninety-day-literal", "example")  # the bundled measure's readings (the CLI's early check)


# ---------------------------------------------------------------------------------------------- months


@lru_cache(maxsize=1)
def _month_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Day number -> (month index, day of month); month index -> (day number of its 1st, its length)."""
    first_month = date(FIRST_YEAR, 1, 1)
    firsts, lens = [], []
    y, m = FIRST_YEAR, 1
    while y <= LAST_YEAR + 6:  # span // 28 + 2 months past any start up to the calendars' last day
        d0 = date(y, m, 1)
        y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
        firsts.append(day(d0))
        lens.append((date(y2, m2, 1) - d0).days)
        y, m = y2, m2
    n_days = day(date(LAST_YEAR, 12, 31)) + 1
    month_idx = np.empty(n_days, dtype=np.int64)
    dom = np.empty(n_days, dtype=np.int64)
    for k, f in enumerate(firsts):
        lo, hi = max(f, 0), min(f + lens[k], n_days)
        if lo < hi:
            month_idx[lo:hi] = k
            dom[lo:hi] = np.arange(lo - f + 1, hi - f + 1)
    del first_month
    return month_idx, dom, np.array(firsts, dtype=np.int64), np.array(lens, dtype=np.int64)


def months_scaled(starts: Any, stops: Any, convention: str) -> np.ndarray:
    """D x the months of the runs [start, stop) (stop exclusive; 0 where stop <= start), elementwise."""
    a, x = np.broadcast_arrays(np.asarray(starts, dtype=np.int64), np.asarray(stops, dtype=np.int64))
    span = np.maximum(x - a, 0)
    if convention == "30-day":
        return span * (D // 30)
    if convention == "actual-365":
        return span * (12 * D // 365)
    if convention != "calendar-month":
        raise ValueError(f"unknown month convention {convention!r}")
    month_idx, dom, firsts, lens = _month_tables()
    if span.size == 0:
        return span.copy()
    x = a + span
    n = int(span.max()) // 28 + 2
    k = month_idx[a][..., None] + np.arange(n + 1)
    ann = firsts[k] + np.minimum(dom[a][..., None], lens[k]) - 1  # a + m months, end-of-month clamped
    m = (ann <= x[..., None]).sum(axis=-1) - 1
    base = np.take_along_axis(ann, m[..., None], axis=-1)[..., 0]
    nxt = np.take_along_axis(ann, (m + 1)[..., None], axis=-1)[..., 0]
    return np.asarray(m * D + (x - base) * (D // (nxt - base)), dtype=np.int64)


@lru_cache(maxsize=8192)
def _row(start: int, last_stop: int, convention: str) -> np.ndarray:
    """D x months of [start, x) for every x in 0..last_stop (0 for x <= start), by binary search on the
    anniversaries of start: one row of the month table, shared by every PFED with the same deadline."""
    x = np.arange(last_stop + 1, dtype=np.int64)
    span = np.maximum(x - start, 0)
    if convention != "calendar-month":
        return months_scaled(np.zeros_like(span), span, convention)
    n = max(last_stop - start, 0) // 28 + 2
    ann = _anniversaries(np.array([start]), n)[0]
    xx = np.maximum(x, start)
    m = np.searchsorted(ann, xx, side="right") - 1
    out = m * D + (xx - ann[m]) * (D // (ann[m + 1] - ann[m]))
    out.setflags(write=False)
    return np.asarray(out, dtype=np.int64)


def months_of(start: int, stop: int, convention: str) -> int:
    """D x the months of one run [start, stop)."""
    return int(months_scaled(start, stop, convention))


# ---------------------------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class Timeline:
    """A dated worst case in day numbers. filed/effective None: not by the horizon (effective may also be a
    day after as_of, which counts the same)."""

    as_of: int
    pfed: int | None
    filed: int | None
    effective: int | None
    periods: tuple[tuple[str, int, int], ...] = ()  # (kind, first day, last day), inclusive

    def effective_by_horizon(self) -> int | None:
        """The effective day if it is on or before as_of."""
        return self.effective if self.effective is not None and self.effective <= self.as_of else None

    def scenario(self, principal: int, allowed_delays: list[tuple[int, int]] | None = None) -> dict[str, Any]:
        """The timeline in the evaluator's Scenario field names (dates as date objects)."""
        def per(kind: str) -> list[tuple[date, date]]:
            return [(from_day(s), from_day(e)) for k, s, e in self.periods if k == kind]

        return {
            "principal": principal,
            "prior_financing_effective": None if self.pfed is None else from_day(self.pfed),
            "filed": None if self.filed is None else from_day(self.filed),
            "effective": None if self.effective is None else from_day(self.effective),
            "as_of": from_day(self.as_of),
            "allowed_delays": [(from_day(x), from_day(y)) for x, y in allowed_delays or []],
            "sales_blocked": per("sales_blocked"),
            "stop_orders": per("stop_orders"),
            "not_listed": per("not_listed"),
            "investor_delays": [],
        }


def to_scenario(t: Timeline, principal: int, allowed_delays: list[tuple[int, int]] | None = None) -> Any:
    """The timeline (and the Company's Allowed Delays, if any) as the plain evaluator's Scenario."""
    from rra.solver.scenario import Period, Scenario

    fields = t.scenario(principal, allowed_delays)
    for k in ("allowed_delays", "sales_blocked", "stop_orders", "not_listed", "investor_delays"):
        fields[k] = tuple(Period(x, y) for x, y in fields[k])
    return Scenario(**fields)


def evaluator_scaled(t: Timeline, agreement: Agreement, reading: str) -> int:
    """D x the months the plain evaluator (rra.solver.evaluator.payment) finds for a timeline (cap ignored)."""
    from rra.solver.evaluator import payment

    m = agreement.measure
    uncapped = agreement.with_values({m.cap: None})
    pay = payment(to_scenario(t, 1), uncapped, reading) / Fraction(str(agreement.params[m.rate]))
    scaled = pay * D
    if scaled.denominator != 1:  # pragma: no cover - every month count is a multiple of 1/D
        raise AssertionError(f"evaluator months {pay} not a multiple of 1/{D}")
    return int(scaled)


# ---------------------------------------------------------------------------------------------- the measure


@dataclass(frozen=True)
class Dues:
    """The deadlines of the measure for one PFED, in day numbers: the Filing Date and the effectiveness deadline
    that make (i) late, and every deadline a reading counts (i) from, by id (None: no term of it applies)."""

    filing: int
    effectiveness: int
    at: Mapping[str, int | None]


@dataclass
class Rules:
    """The Section 2(c) measure of one agreement as the optimizer reads it (spec/model.py MEASURE): the month
    convention, rate, cap and largest principal by the parameter names the measure gives, the Allowed Delay caps
    (`Measure.allowed_delay`), the readings' (i) starts (`PaymentReading`), the period kinds of each component,
    and the deadlines from rra.solver.deadlines (the evaluator's own implementation), cached per PFED day.

    The optimizer's components: "i" is the measure's late component, "ii" the after-effectiveness component the
    Allowed Delays excuse, "iii" the other after-effectiveness component. Deadlines may count from fixed dates
    and from the PFED (any day basis, any combination); a deadline that counts from the filing or effectiveness
    the optimizer chooses is withheld (the optimizer's decomposition by effectiveness date needs deadlines fixed
    by the PFED)."""

    agreement: Agreement
    measure: Measure
    convention: str
    rate: Fraction
    cap: Fraction | None
    max_principal: Fraction
    readings: dict[str, PaymentReading]
    ii_kinds: tuple[str, ...]
    iii_kinds: tuple[str, ...]
    labels: dict[str, str]
    pfed_event: str | None
    max_consecutive: int
    max_total: int
    window_months: int
    _dues: dict[int | None, Dues] = field(default_factory=dict, repr=False)
    # the no-delay optimum and the max-min build the same tables for one assumption set, and a sweep's points
    # share their (iii) table: kept read-only by what they are computed from (`remembered`)
    _tables: Bounded[tuple[Any, ...], Any] = field(default_factory=lambda: Bounded(64), repr=False)

    @property
    def delay_days(self) -> int:
        """K: the most Allowed Delay trading days in any window; none when a delay may hold no trading day
        (max_consecutive 0: each delay's allowed part is then empty, and nothing is excused)."""
        return self.max_total if self.max_consecutive > 0 else 0

    def remembered(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """A table of the optimizer by the inputs it is computed from (bounded; numpy arrays made read-only)."""
        got = self._tables.get(key)
        if got is None:
            got = make()
            for x in _arrays(got):
                x.flags.writeable = False
            self._tables.put(key, got)
        return got

    @staticmethod
    def of(agreement: Agreement) -> Rules:
        """The measure of this agreement, read from its model (Withheld if a draft changed the words it rests on,
        or if the measure has a shape the optimizer does not solve)."""
        m = agreement.model.payment_measure()
        params = agreement.params

        def refuse(element: Element, why: str) -> Withheld:
            return Withheld(element.id, element.clause, f"{why}; the worst-case optimizer does not solve that shape",
                            element.words())

        late = [c for c in m.components if c.counts == "late"]
        after = [c for c in m.components if c.counts == "after-effectiveness"]
        excusable = [c for c in after if c.excluded == "allowed_delays"]
        others = [c for c in after if c.excluded != "allowed_delays"]
        if len(late) != 1 or len(excusable) != 1 or len(others) != 1 or others[0].excluded:
            raise refuse(m, "its components are not one late component, one after-effectiveness "
                         "component the Allowed Delays excuse and one other after-effectiveness component")
        kinds = {f.name for f in fields(Assumptions) if isinstance(f.default, PeriodBound)}
        for c in (*excusable, *others):
            unknown = sorted(set(c.periods) - kinds)
            if unknown or not c.periods or (c in excusable and len(c.periods) > 2):
                raise refuse(c, f"it counts the periods {', '.join(c.periods)} (the assumption sets "
                             f"bound {', '.join(sorted(kinds))}, at most two of them excused by Allowed Delays)")
        events = {e.id: e for e in agreement.model.events}
        pfed = next((e.id for e in agreement.model.events if e.record == TIMELINE_RECORDS["pfed"]), None)
        chosen = {m.filed, m.effective} | {e.id for e in events.values()
                                            if e.record in (TIMELINE_RECORDS["filed"], TIMELINE_RECORDS["effective"])}
        readings = {r.name: agreement.model.reading(r.name) for r in m.readings}
        ids = {m.filing_deadline, m.effectiveness_deadline}
        for r in readings.values():
            ids |= {x for x in (r.late_filing_from, r.late_effectiveness_from, r.counts_from) if x is not None}
        for dl_id in sorted(ids):
            dl = agreement.model.deadline(dl_id)
            for t in dl.terms:
                if t.anchor in chosen:
                    raise refuse(dl, f"it counts from {events[t.anchor].name}, which the optimizer "
                                 "chooses after the deadlines are set")
        con, tot, win = m.allowed_delay
        cap = params[m.cap]
        return Rules(agreement, m, params[m.convention], Fraction(str(params[m.rate])),
                     None if cap is None else Fraction(str(cap)), Fraction(str(params[m.principal])), readings,
                     tuple(excusable[0].periods), tuple(others[0].periods),
                     {"i": late[0].label, "ii": excusable[0].label, "iii": others[0].label}, pfed,
                     int(params[con]), int(params[tot]), int(params[win]))

    def reading(self, name: str) -> PaymentReading:
        """A reading of the measure by name (BadInput naming --reading if there is none)."""
        r = self.readings.get(name)
        if r is None:
            from rra.errors import BadInput

            raise BadInput("--reading", name, f"expected one of {', '.join(self.readings)}")
        return r

    def dues(self, pfed: int | None, as_of: int) -> Dues:
        """The measure's deadlines for a PFED day (None: none). A PFED after as_of has not happened yet
        (SEMANTICS.md), so the deadlines are those without one."""
        key = None if pfed is None or pfed > as_of else pfed
        got = self._dues.get(key)
        if got is not None:
            return got
        from rra.solver.deadlines import due

        ag, m = self.agreement, self.measure
        anchors: dict[str, date | None] = {}
        if self.pfed_event is not None:
            anchors[self.pfed_event] = None if key is None else from_day(key)
        ids = {m.filing_deadline, m.effectiveness_deadline}
        for r in self.readings.values():
            ids |= {x for x in (r.late_filing_from, r.late_effectiveness_from, r.counts_from) if x is not None}
        at: dict[str, int | None] = {}
        for dl_id in sorted(ids):
            d = due(ag, dl_id, anchors, DEFAULT_CALENDAR)
            if d is not None and not FIRST_YEAR <= d.year <= LAST_YEAR:
                dl = ag.model.deadline(dl_id)
                raise Withheld(dl.id, dl.clause, f"it falls on {d.isoformat()}, outside the calendars' range "
                               f"{FIRST_YEAR}-{LAST_YEAR}", dl.words())
            at[dl_id] = None if d is None else day(d)
        fd, ed = at[m.filing_deadline], at[m.effectiveness_deadline]
        for dl_id, v in ((m.filing_deadline, fd), (m.effectiveness_deadline, ed)):
            if v is None:
                dl = ag.model.deadline(dl_id)
                raise Withheld(dl.id, dl.clause, "no term of it applies without a Prior Financing Effective Date; "
                               "the optimizer needs it for every PFED", dl.words())
        assert fd is not None and ed is not None
        got = self._dues[key] = Dues(fd, ed, at)
        return got

    def amount(self, months: Fraction, principal: int, capped: bool = True) -> Fraction:
        """Principal x the measure's rate x months, capped at the measure's cap if it has one (and `capped`)."""
        amt = Fraction(principal) * self.rate * months
        return min(amt, self.cap) if capped and self.cap is not None else amt


TIMELINE_RECORDS = {"pfed": "prior_financing_effective", "filed": "filed", "effective": "effective"}  # -> Scenario
_RULES: dict[int, tuple[Agreement, Rules]] = {}


def rules_of(agreement: Agreement) -> Rules:
    """The measure of an agreement as the optimizer reads it (built once per agreement value)."""
    hit = _RULES.get(id(agreement))
    if hit is not None and hit[0] is agreement:
        return hit[1]
    rules = Rules.of(agreement)
    if len(_RULES) >= 16:
        _RULES.pop(next(iter(_RULES)))
    _RULES[id(agreement)] = (agreement, rules)
    return rules


def _arrays(x: Any) -> Iterator[np.ndarray]:
    """The numpy arrays inside nested tuples, lists and dicts."""
    if isinstance(x, np.ndarray):
        yield x
    elif isinstance(x, tuple | list):
        for y in x:
            yield from _arrays(y)
    elif isinstance(x, dict):
        for y in x.values():
            yield from _arrays(y)


def filed_late(filed: int | None, fd: int, as_of: int) -> bool:
    """Filed after the Filing Date, or not filed by as_of once the Filing Date has passed."""
    return filed > fd if filed is not None and filed <= as_of else as_of > fd


def i_start(pfed: int | None, filed: int | None, effective: int | None, as_of: int, rules: Rules,
            reading: str) -> int | None:
    """First day of the (i) period, or None when (i) does not run (SEMANTICS.md, Section 2(c) (i)): the
    reading's `counts_from` deadline when effectiveness comes after it; else its `late_filing_from` deadline when
    the filing was late; else its `late_effectiveness_from` deadline when effectiveness was late."""
    r = rules.reading(reading)
    dues = rules.dues(pfed, as_of)
    stop = effective if effective is not None and effective <= as_of else as_of + 1
    if r.counts_from is not None:
        d = dues.at[r.counts_from]
        return d if d is not None and stop > d else None
    if filed_late(filed, dues.filing, as_of) and r.late_filing_from is not None:
        return dues.at[r.late_filing_from]
    eff_late = effective > dues.effectiveness if effective is not None and effective <= as_of else as_of > dues.effectiveness
    if eff_late and r.late_effectiveness_from is not None:
        return dues.at[r.late_effectiveness_from]
    return None


def components_scaled(t: Timeline, agreement: Agreement, reading: str) -> dict[str, int]:
    """D x the months of each component of a timeline (periods clipped to [effective, as_of], unioned)."""
    return _components(t, rules_of(agreement), reading)


def _components(t: Timeline, rules: Rules, reading: str) -> dict[str, int]:
    conv = rules.convention
    eff = t.effective_by_horizon()
    start = i_start(t.pfed, t.filed, t.effective, t.as_of, rules, reading)
    stop = eff if eff is not None else t.as_of + 1
    out = {"i": months_of(start, stop, conv) if start is not None else 0, "ii": 0, "iii": 0}
    if eff is None:
        return out
    for comp, kinds in (("ii", rules.ii_kinds), ("iii", rules.iii_kinds)):
        days = sorted({d for k, s, e in t.periods if k in kinds for d in range(max(s, eff), min(e, t.as_of) + 1)})
        for a, b in _runs(days):
            out[comp] += months_of(a, b + 1, conv)
    return out


def _runs(days: list[int]) -> Iterator[tuple[int, int]]:
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1:
            j += 1
        yield days[i], days[j]
        i = j + 1


def amount(months: Fraction, principal: int, agreement: Agreement) -> Fraction:
    """Principal x the measure's rate x months, capped at the measure's cap if set."""
    return rules_of(agreement).amount(months, principal)


# ---------------------------------------------------------------------------------------------- result


@dataclass
class ExposureResult:
    """The worst case found: its amount, whether it is proved optimal, the dated timeline and its parts."""

    optimum: Fraction
    months: Fraction
    proved_optimal: bool
    method: str
    reading: str
    timeline: Timeline | None
    principal: int
    components: dict[str, int] = field(default_factory=dict)  # D x months per component
    readings: dict[str, Fraction] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str | None = None
    capped: bool = False
    bound: Fraction | None = None  # an upper bound when not proved (e.g. Z3 stopped by its timeout)
    figures: tuple[Any, Any] | None = None  # (worst case, max-min) as labelled rra.solver.maxmin.Figure records
    rate: str = ""  # the measure's rate parameter (its name in the agreement's parameters)
    labels: dict[str, str] = field(default_factory=dict)  # component key -> the measure component's label

    def events(self) -> list[dict[str, Any]]:
        """The timeline as dated events, in date order."""
        return self._events(self.timeline)

    @staticmethod
    def events_of(t: Timeline | None) -> list[dict[str, Any]]:
        """A timeline's dated events with ISO dates (the JSON form)."""
        return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in e.items()}
                for e in ExposureResult._events(t)]

    @staticmethod
    def _events(t: Timeline | None) -> list[dict[str, Any]]:
        if t is None:
            return []
        ev: list[dict[str, Any]] = []
        if t.pfed is not None:
            ev.append({"date": from_day(t.pfed), "event": "pfed", "what": "Prior Financing Effective Date"})
        if t.filed is not None and t.filed <= t.as_of:
            ev.append({"date": from_day(t.filed), "event": "filed", "what": "Registration Statement filed"})
        if t.effective is not None and t.effective <= t.as_of:
            ev.append({"date": from_day(t.effective), "event": "effective", "what": "declared effective"})
        labels = {"stop_orders": "stop order", "sales_blocked": "sales blocked", "not_listed": "not listed / halted"}
        for k, s, e in t.periods:
            ev.append({"date": from_day(s), "end": from_day(min(e, t.as_of)), "event": k, "what": labels[k]})
        ev.append({"date": from_day(t.as_of), "event": "as_of", "what": "horizon"})
        return sorted(ev, key=lambda x: (x["date"], x["event"]))

    def component_json(self, params: ParameterSet) -> dict[str, Any]:
        """Each component's months and its contribution in USD (before any cap), at the rate of `params` (the
        parameters of the agreement solved under)."""
        return component_json(self.components, self.labels, self.principal, Fraction(str(params[self.rate])))

    def to_json(self, params: ParameterSet) -> dict[str, Any]:
        """The documented `rra exposure --json` shape (no timings: same input, same bytes)."""
        t = self.timeline
        return {
            "optimum": round(float(self.optimum), 2),
            "proved_optimal": self.proved_optimal,
            "months": round(float(self.months), 6),
            "method": self.method,
            "reading": self.reading,
            "capped": self.capped,
            "timeline": self.events_of(self.timeline),
            "components": self.component_json(params),
            "readings": {k: round(float(v), 2) for k, v in sorted(self.readings.items())},
            "scenario": None if t is None else {
                k: (v.isoformat() if isinstance(v, date) else [[a.isoformat(), b.isoformat()] for a, b in v]
                    if isinstance(v, list) else v)
                for k, v in t.scenario(self.principal).items()},
            "reason": self.reason,
            "bound": None if self.bound is None else round(float(self.bound), 2),
            **({f.key: f.to_json(params) for f in self.figures} if self.figures else {}),
        }


def component_json(components: Mapping[str, int], labels: Mapping[str, str], principal: int,
                   rate: Fraction) -> dict[str, Any]:
    """Each component's label, months and USD amount (before any cap), from D-months per component."""
    out = {}
    for c, scaled in components.items():
        m = Fraction(scaled, D)
        out[c] = {"what": labels[c], "months": round(float(m), 6), "amount": round(float(principal * rate * m), 2)}
    return out


def _result(scaled_total: int, t: Timeline | None, a: Assumptions, rules: Rules, reading: str, method: str,
            proved: bool, started: float, reason: str | None = None, bound_scaled: int | None = None) -> ExposureResult:
    months = Fraction(scaled_total, D)
    uncapped = rules.amount(months, a.principal, capped=False)
    amt = rules.amount(months, a.principal)
    comps = _components(t, rules, reading) if t is not None else {"i": 0, "ii": 0, "iii": 0}
    bound = None if bound_scaled is None else rules.amount(Fraction(bound_scaled, D), a.principal)
    return ExposureResult(amt, months, proved, method, reading, t, a.principal, comps, {reading: amt},
                          time.perf_counter() - started, reason, amt < uncapped, bound, rate=rules.measure.rate,
                          labels=dict(rules.labels))


# ---------------------------------------------------------------------------------------------- choices


def _progression(lo: int, hi: int, step: int, anchor_top: bool = False) -> range:
    """lo..hi in steps, anchored at lo (or at hi when anchor_top)."""
    if hi < lo:
        return range(0)
    if anchor_top:
        first = hi - ((hi - lo) // step) * step
        return range(first, hi + 1, step)
    return range(lo, hi + 1, step)


def pfed_choices(a: Assumptions) -> list[int | None]:
    """The PFEDs the adversary may pick (None: never effective)."""
    out: list[int | None] = list(_progression(day(a.pfed_earliest), day(a.pfed_latest), a.grid_days))
    return [*out, None] if a.pfed_may_never else out


def filing_choices(a: Assumptions, pfed: int | None, rules: Rules) -> range:
    """The filing days the Company may use given a PFED (latest first on the grid)."""
    fd = rules.dues(pfed, day(a.as_of)).filing
    return _progression(day(a.filing_earliest), fd + a.filing_max_days_late, a.grid_days, anchor_top=True)


def review_choices(a: Assumptions) -> range:
    """SEC review times in days."""
    return _progression(a.review_min_days, a.review_max_days, a.grid_days)


def period_lengths(a: Assumptions, kind: str) -> list[int]:
    """Lengths a period of a kind may have on the grid (never longer than the horizon: the rest is cut off)."""
    b = getattr(a, kind)
    longest = min(b.max_days, day(a.as_of) + 1)
    return list(range(a.grid_days, longest + 1, a.grid_days)) if b.max_count else []


# ---------------------------------------------------------------------------------------------- DP method


def _component_dp(a: Assumptions, rules: Rules, kinds: tuple[str, ...],
                  lo: int = 0) -> tuple[np.ndarray, list[tuple[int, ...]], Any]:
    """`_make_component_dp` for the measure's convention, remembered by what it reads of the assumption set."""
    key = ("dp", day(a.as_of), a.grid_days, a.min_gap_days, tuple((k, getattr(a, k)) for k in kinds), lo)
    return rules.remembered(key, lambda: _make_component_dp(a, kinds, rules.convention, lo))  # type: ignore[no-any-return]


def _make_component_dp(a: Assumptions, kinds: tuple[str, ...], conv: str,
                       lo: int = 0) -> tuple[np.ndarray, list[tuple[int, ...]], Any]:
    """Backward DP: V[d, s] = most D-months from periods starting on or after day d (on d's grid residue) with
    s = counts of periods left per kind, for d in lo..as_of (V is 0 before lo). Returns V, the list of states,
    and the per-kind tables."""
    h = day(a.as_of)
    step = a.grid_days
    gap = step * -(-a.min_gap_days // step)  # next start on the grid at least min_gap_days after the end
    counts = [getattr(a, k).max_count for k in kinds]
    states: list[tuple[int, ...]] = [()]
    for c in counts:
        states = [(*s, i) for s in states for i in range(c + 1)]
    index: dict[tuple[int, ...], int] = {s: i for i, s in enumerate(states)}
    lens = {k: np.array(period_lengths(a, k), dtype=np.int64) for k in kinds}
    max_len = max([int(v.max()) for v in lens.values() if v.size] or [0])
    from rra.solver.runs import check_size

    check_size(h + 1, sum(int(v.size) for v in lens.values()) * (max_len // 28 + 2),
               ", ".join(["as_of", *(f"{k}.max_days" for k in kinds)]))
    size = h + 2 + max_len + gap + step
    v = np.zeros((size, len(states)), dtype=np.int64)
    days = np.arange(lo, h + 1)
    tables = {}
    moves = []
    for ci, k in enumerate(kinds):
        ls = lens[k]
        if not ls.size or not counts[ci]:
            continue
        stops = np.minimum(days[:, None] + ls[None, :], h + 1)
        tables[k] = np.zeros((h + 1, ls.size), dtype=np.int64)  # (h+1, n_lengths), rows from lo
        tables[k][lo:] = months_scaled(days[:, None], stops, conv)
        src = np.array([index[s] for s in states if s[ci] > 0])
        dst = np.array([index[(*s[:ci], s[ci] - 1, *s[ci + 1:])] for s in states if s[ci] > 0])
        moves.append((k, ls, src, dst))
    for d in range(h, lo - 1, -1):
        best = v[d + step].copy()
        for k, ls, src, dst in moves:
            nxt = v[d + ls + gap][:, dst] + tables[k][d][:, None]
            best[src] = np.maximum(best[src], nxt.max(axis=0))
        v[d] = best
    return v, states, (tables, moves, gap, step, index)


def _walk_dp(v: np.ndarray, states: list[tuple[int, ...]], extra: Any, start: int, h: int) -> list[tuple[str, int, int]]:
    """Recover the periods of the DP optimum from day `start` with all periods left."""
    tables, moves, gap, step, index = extra
    s = len(states) - 1
    d = start
    out = []
    while d <= h:
        # the days no period starts on, skipped at once: where the value stays that of a step later
        change = np.flatnonzero(v[d:h + 1:step, s] != v[d + step:h + 1 + step:step, s])
        if not change.size:
            break
        d += int(change[0]) * step
        for k, ls, src, dst in moves:
            hit = np.nonzero(src == s)[0]
            if not hit.size:
                continue
            s2 = int(dst[hit[0]])
            vals = tables[k][d] + v[d + ls + gap, s2]
            j = np.nonzero(vals == v[d, s])[0]
            if j.size:
                ln = int(ls[j[0]])
                out.append((k, d, min(d + ln - 1, h)))
                d, s = d + ln + gap, s2
                break
        else:  # pragma: no cover - the DP values always have a witness
            raise AssertionError("no witness for the DP value")
    return out


def _i_table(a: Assumptions, rules: Rules, reading: str) -> tuple[np.ndarray, list[Any]]:
    """`_make_i_table`, remembered by the assumption set and the reading."""
    return rules.remembered(("i", a, reading), lambda: _make_i_table(a, rules, reading))  # type: ignore[no-any-return]


def _make_i_table(a: Assumptions, rules: Rules, reading: str) -> tuple[np.ndarray, list[Any]]:
    """Best D-months of (i) for each effectiveness slot E in 0..as_of (as_of+1 = not effective by as_of), -1
    where no choice of PFED, filing and review leads to that slot; with a witness per slot. The (i) start is the
    reading's (`i_start`), vectorised over the slots for each PFED and each of late / on-time filing."""
    h = day(a.as_of)
    conv = rules.convention
    r = rules.reading(reading)
    best: Any = np.full(h + 2, -1, dtype=np.int64)
    witness: list[Any] = [None] * (h + 2)
    reviews = review_choices(a)
    slots = np.arange(h + 2)
    stop = np.minimum(slots, h + 1)
    for p in pfed_choices(a):
        dues = rules.dues(p, h)
        fd, ed = dues.filing, dues.effectiveness
        fs = filing_choices(a, p, rules)
        for late in (True, False):
            sub = _filings(fs, fd, h, late)
            reach = np.zeros(h + 2, dtype=bool)
            if sub and len(reviews):
                lo, hi = sub[0] + reviews[0], sub[-1] + reviews[-1]
                e = np.arange(lo, hi + 1, a.grid_days)
                reach[e[e <= h]] = True
                if hi > h:
                    reach[h + 1] = True
            if sub and a.sec_may_never_declare:
                reach[h + 1] = True
            if a.filing_may_never and filed_late(None, fd, h) == late:
                reach[h + 1] = True
            if not reach.any():
                continue
            if r.counts_from is not None:
                start, trig = dues.at[r.counts_from], None
            elif late and r.late_filing_from is not None:
                start, trig = dues.at[r.late_filing_from], np.ones(h + 2, dtype=bool)
            elif r.late_effectiveness_from is not None:
                start, trig = dues.at[r.late_effectiveness_from], np.where(slots <= h, slots > ed, h > ed)
            else:
                start, trig = None, None
            if start is None:
                val = np.zeros(h + 2, dtype=np.int64)
            else:
                row = _row(start, h + 1, conv)[stop]
                val = np.where(stop > start if trig is None else trig, row, 0)
            better = reach & (val > best)
            best = np.where(better, val, best)
            for slot in np.nonzero(better)[0]:
                witness[int(slot)] = (p, "late" if late else "on-time")
    return best, witness


def _filings(fs: range, fd: int, h: int, late: bool) -> range:
    """The filing days of `fs` (ascending) that are late (`filed_late`) or on time: a filing after the horizon
    is late exactly when the Filing Date passed by then (h > fd), so the late ones are those after fd when
    h > fd, and none otherwise."""
    k = bisect.bisect_right(fs, fd) if h > fd else len(fs)
    return fs[k:] if late else fs[:k]


def _witness_dates(a: Assumptions, rules: Rules, p: int | None, case: str, e: int) -> tuple[int | None, int | None]:
    """A filing day and an effective day (None: never) for PFED p reaching slot e in the given case."""
    h = day(a.as_of)
    fd = rules.dues(p, h).filing
    fs = _filings(filing_choices(a, p, rules), fd, h, case == "late")
    reviews = review_choices(a)
    for f in reversed(fs):
        for r in reviews:
            if (f + r == e and e <= h) or (e == h + 1 and f + r > h):
                return f, f + r
    if e == h + 1 and fs and a.sec_may_never_declare:
        return fs[-1], None
    if e == h + 1 and a.filing_may_never and filed_late(None, fd, h) == (case == "late"):
        return None, None
    raise AssertionError("no witness for the (i) value")  # pragma: no cover


@dataclass
class _Prepared:
    """The (ii) and (iii) dynamic programs, shared by every reading."""

    h: int
    totals: np.ndarray  # D-months of (ii) + (iii) for each slot
    ii: tuple[Any, np.ndarray] | None  # (ii): the run placement table and its run values (solver/runs.py)
    iii: tuple[np.ndarray, list[tuple[int, ...]], Any]


def earliest_effective(a: Assumptions) -> int:
    """A day no effectiveness the assumption set allows comes before (the earliest filing plus the shortest
    review), kept within [0, as_of]: the dynamic programs after effectiveness start there."""
    return min(max(day(a.filing_earliest) + a.review_min_days, 0), day(a.as_of))


def _prepare(a: Assumptions, rules: Rules) -> _Prepared:
    from rra.solver.maxmin import ii_space
    from rra.solver.runs import placement, tables

    h = day(a.as_of)
    a0 = earliest_effective(a)
    conv = rules.convention
    totals = np.zeros(h + 2, dtype=np.int64)
    sp = ii_space(a, rules)
    ii = None
    lmax = min(sp.lmax(), h - a0 + 1)  # a run is never longer than the horizon
    if lmax:
        rt = tables(a0, h, lmax, None, conv)
        pl, G = placement(rt, sp)
        totals[a0: h + 1] += pl.best_all()
        ii = (pl, G)
    v, states, extra = _component_dp(a, rules, rules.iii_kinds, a0)
    totals[: h + 1] += v[: h + 1, len(states) - 1]
    return _Prepared(h, totals, ii, (v, states, extra))


def _solve_dp(a: Assumptions, rules: Rules, reading: str, prep: _Prepared) -> tuple[int, Timeline]:
    best_i, witness = _i_table(a, rules, reading)
    total = np.where(best_i >= 0, best_i + prep.totals, -1)
    e = int(np.argmax(total))
    if total[e] < 0:
        raise ImpossibleAssumptions(["grid_days", "sec.review_min_days", "sec.review_max_days"],
                                    "no filing and review time on this grid reaches any effectiveness date")
    return int(total[e]), timeline_at(a, rules, e, witness, prep.ii, prep.iii)


def timeline_at(a: Assumptions, rules: Rules, slot: int, witness: list[Any], ii: tuple[Any, np.ndarray] | None,
                iii: tuple[np.ndarray, list[tuple[int, ...]], Any]) -> Timeline:
    """The dated timeline the tables give for an effectiveness slot: the (i) witness's PFED, filing and
    effective days, the (ii) runs of a placement table (with its run values) and the (iii) periods."""
    from rra.solver.runs import walk

    h = day(a.as_of)
    p, case = witness[slot]
    filed, eff = _witness_dates(a, rules, p, case, slot)
    periods: list[tuple[str, int, int]] = []
    if slot <= h:
        if ii is not None:
            pl, G = ii
            for r in walk(pl, G, slot):
                periods += r.periods(pl.space, h)
        v, states, extra = iii
        periods += _walk_dp(v, states, extra, slot, h)
    return Timeline(h, p, filed, eff, tuple(sorted(periods, key=lambda x: (x[1], x[0]))))


def optimize(a: Assumptions, agreement: Agreement, reading: str = "text", method: str = "dp",
             timeout_s: float = 60.0, respond: bool = True, progress: Any = None,
             every_reading: bool = True) -> ExposureResult:
    """The worst-case 2(c) amount under the assumptions, the timeline that reaches it, and the optimum under
    every reading. `method`: "dp" (fast, exact) or "z3" (reference Z3 Optimize model, small horizons).
    With `respond`, also the two labelled figures (`res.figures`): this worst case and the max-min, where the
    adversary anticipates the Company's best Allowed Delays (rra.solver.maxmin.figures), both priced again by the
    plain evaluator. The measure is the agreement's (`Rules`): Withheld if a draft changed the words it rests on.
    With `every_reading=False` (a sweep, which shows one reading), `res.readings` has the asked reading only."""
    rules = rules_of(agreement)
    res = _optimize(a, rules, reading, method, timeout_s, every_reading)
    if respond and res.timeline is not None:
        from rra.solver.maxmin import figures

        res.figures = figures(res, a, agreement, reading, timeout_s, progress)
    return res


def _optimize(a: Assumptions, rules: Rules, reading: str, method: str, timeout_s: float,
              every_reading: bool = True) -> ExposureResult:
    rules.reading(reading)
    check_possible(a, rules.agreement)
    started = time.perf_counter()
    if method == "z3":
        return _solve_z3(a, rules, reading, timeout_s)
    if method != "dp":
        raise ValueError(f"unknown method {method!r}")
    prep = _prepare(a, rules)
    results = {r: _solve_dp(a, rules, r, prep) for r in rules.readings if every_reading or r == reading}
    scaled, t = results[reading]
    check = sum(_components(t, rules, reading).values())
    if check != scaled:  # pragma: no cover - the DP and the plain recount are two codings of one rule
        raise AssertionError(f"DP optimum {scaled} but its timeline recounts to {check}")
    res = _result(scaled, t, a, rules, reading, "dp", True, started)
    res.readings = {r: rules.amount(Fraction(v[0], D), a.principal) for r, v in results.items()}
    res.seconds = time.perf_counter() - started
    return res


# ---------------------------------------------------------------------------------------------- brute force


def enumerate_timelines(a: Assumptions, agreement: Agreement) -> Iterator[Timeline]:
    """Every timeline of the assumption set's grid (only for small horizons and few periods)."""
    rules = rules_of(agreement)
    h = day(a.as_of)
    step = a.grid_days
    for p in pfed_choices(a):
        filings: list[int | None] = list(filing_choices(a, p, rules))
        if a.filing_may_never:
            filings.append(None)
        for f in filings:
            effs: list[int | None] = [] if f is None else [f + r for r in review_choices(a)]
            if f is None or a.sec_may_never_declare:
                effs.append(None)
            seen_never = False
            for e in effs:
                if e is None or e > h:
                    if seen_never:  # every date after the horizon counts the same
                        continue
                    seen_never = True
                    yield Timeline(h, p, f, e)
                    continue
                for periods in _placements(a, (*rules.ii_kinds, *rules.iii_kinds), e, h, step):
                    yield Timeline(h, p, f, e, periods)


def _placements(a: Assumptions, kinds: tuple[str, ...], e: int, h: int,
                step: int) -> Iterator[tuple[tuple[str, int, int], ...]]:
    """Every placement of the periods on the grid from e: periods of one kind at least min_gap_days apart,
    periods of different kinds anywhere (they may touch or overlap)."""
    gap = a.min_gap_days

    def one_kind(k: str, n: int, first: int) -> Iterator[tuple[tuple[str, int, int], ...]]:
        yield ()
        if n <= 0:
            return
        for s in range(first, h + 1, step):
            for ln in period_lengths(a, k):
                nxt = s + ln + gap
                nxt = e + -(-(nxt - e) // step) * step
                for rest in one_kind(k, n - 1, nxt):
                    yield ((k, s, min(s + ln - 1, h)), *rest)

    def combine(kinds: list[str]) -> Iterator[tuple[tuple[str, int, int], ...]]:
        if not kinds:
            yield ()
            return
        for mine in one_kind(kinds[0], getattr(a, kinds[0]).max_count, e):
            for rest in combine(kinds[1:]):
                yield mine + rest

    yield from combine(list(kinds))


Evaluator = Callable[[Timeline, Agreement, str], int]


def brute_force(a: Assumptions, agreement: Agreement, reading: str = "text",
                evaluate: Evaluator | None = None) -> tuple[int, Timeline, int]:
    """(best D-months, a timeline reaching it, timelines tried) by enumerating every timeline of the grid."""
    ev = evaluate or (lambda t, ag, r: sum(components_scaled(t, ag, r).values()))
    best, arg, n = -1, None, 0
    for t in enumerate_timelines(a, agreement):
        n += 1
        v = ev(t, agreement, reading)
        if v > best:
            best, arg = v, t
    if arg is None:
        raise ImpossibleAssumptions(["grid_days"], "no timeline on this grid")
    return best, arg, n


# ---------------------------------------------------------------------------------------------- Z3 reference


def solve_z3(a: Assumptions, agreement: Agreement, reading: str = "text", timeout_s: float = 60.0) -> ExposureResult:
    """The reference: the whole problem as one Z3 Optimize model (small horizons only). proved_optimal is
    False, with Z3's reason and its upper bound, when the timeout stops it."""
    rules = rules_of(agreement)
    rules.reading(reading)
    check_possible(a, agreement)
    return _solve_z3(a, rules, reading, timeout_s)


def _solve_z3(a: Assumptions, rules: Rules, reading: str, timeout_s: float) -> ExposureResult:
    import z3
    from rra.solver.z3util import make_optimize

    kinds_ii = [k for k in rules.ii_kinds if getattr(a, k).max_count]
    if len(kinds_ii) > 1:
        from rra.errors import BadInput

        raise BadInput("--method", "z3", "the Z3 reference counts each 2(c)(ii) period on its own and so cannot merge "
                       f"periods of different kinds that touch; set all but one of {', '.join(f'{k}.max_count' for k in kinds_ii)} "
                       "to 0, or use --method dp")
    started = time.perf_counter()
    h, step, conv = day(a.as_of), a.grid_days, rules.convention
    r_ = rules.reading(reading)
    o = make_optimize(int(timeout_s * 1000))

    def zmin(x: Any, y: Any) -> Any:
        return z3.If(x < y, x, y)

    def grid_var(name: str, lo: Any, count: int, down: bool = False) -> tuple[Any, Any]:
        j = z3.Int(f"{name}_steps")
        o.add(j >= 0)
        if count >= 0:
            o.add(j <= count)
        return (lo - step * j if down else lo + step * j), j

    has_p = z3.Bool("has_pfed")
    p, _ = grid_var("pfed", day(a.pfed_earliest), (day(a.pfed_latest) - day(a.pfed_earliest)) // step)
    if not a.pfed_may_never:
        o.add(has_p)
    if day(a.pfed_latest) < day(a.pfed_earliest):
        o.add(z3.Not(has_p))
    choices = [c for c in pfed_choices(a) if c is not None]

    def table(of: Callable[[Dues], int | None]) -> tuple[Any, Any]:
        """(whether it applies, its day) of a deadline as a function of the PFED: the concrete dates of
        rra.solver.deadlines for each PFED on the grid (the timeline's PFED is one of them)."""
        none = of(rules.dues(None, h))
        ok, val = z3.BoolVal(none is not None), z3.IntVal(none or 0)
        for c in choices:
            x = of(rules.dues(c, h))
            here = z3.And(has_p, p == c)
            ok, val = z3.If(here, z3.BoolVal(x is not None), ok), z3.If(here, z3.IntVal(x or 0), val)
        return ok, val

    def at(dl_id: str | None) -> tuple[Any, Any]:
        return (z3.BoolVal(False), z3.IntVal(0)) if dl_id is None else table(lambda d: d.at[dl_id])

    fd = table(lambda d: d.filing)[1]
    ed = table(lambda d: d.effectiveness)[1]
    has_f = z3.Bool("filed_ever")
    f, _ = grid_var("filed", fd + a.filing_max_days_late, -1, down=True)
    o.add(z3.Implies(has_f, f >= day(a.filing_earliest)))
    if not a.filing_may_never:
        o.add(has_f)
    decl = z3.Bool("declared")
    if not a.sec_may_never_declare:
        o.add(decl)
    r, _ = grid_var("review", z3.IntVal(a.review_min_days), (a.review_max_days - a.review_min_days) // step)
    o.add(r <= a.review_max_days)
    e = f + r
    eff_by = z3.And(has_f, decl, e <= h)
    filed_known = z3.And(has_f, f <= h)
    late_filing = z3.If(filed_known, f > fd, h > fd)
    late_eff = z3.If(eff_by, e > ed, h > ed)
    stop = z3.If(eff_by, e, h + 1)
    if r_.counts_from is not None:  # the same branches as i_start
        ok, start = at(r_.counts_from)
        runs_i = z3.And(ok, stop > start)
    else:
        ok_f, from_f = at(r_.late_filing_from)
        ok_e, from_e = at(r_.late_effectiveness_from)
        branch_f = z3.And(late_filing, z3.BoolVal(r_.late_filing_from is not None))
        branch_e = z3.And(z3.Not(branch_f), late_eff, z3.BoolVal(r_.late_effectiveness_from is not None))
        start = z3.If(branch_f, from_f, from_e)
        runs_i = z3.Or(z3.And(branch_f, ok_f), z3.And(branch_e, ok_e))
    # every run starts at a deadline of (i) or on or after the earliest effectiveness
    firsts = [d for c in [None, *choices] for d in rules.dues(c, h).at.values() if d is not None]
    lo_start = min([*firsts, earliest_effective(a)])
    m_max = (h + 1 - lo_start) // 28 + 2
    ann = z3.Function("anniversary", z3.IntSort(), z3.IntSort(), z3.IntSort())
    if conv == "calendar-month":
        starts = np.arange(lo_start, h + 2)
        ann_table = _anniversaries(starts, m_max + 1)
        for i, s0 in enumerate(starts):
            for m in range(m_max + 2):
                o.add(ann(int(s0), m) == int(ann_table[i, m]))
    count = [0]

    def months_expr(s0: Any, s1: Any) -> Any:
        """D x months of the run [s0, s1) for s0 < s1 (a fresh whole-months variable per run)."""
        if conv == "30-day":
            return (s1 - s0) * (D // 30)
        if conv == "actual-365":
            return (s1 - s0) * (12 * D // 365)
        count[0] += 1
        m = z3.Int(f"whole_months_{count[0]}")
        base, nxt = ann(s0, m), ann(s0, m + 1)
        o.add(m >= 0, m <= m_max, z3.Implies(s0 < s1, z3.And(base <= s1, s1 < nxt)))
        rem, ln = s1 - base, nxt - base
        frac = z3.If(ln == 28, rem * (D // 28), z3.If(ln == 29, rem * (D // 29), z3.If(ln == 30, rem * (D // 30),
                                                                                       rem * (D // 31))))
        return m * D + frac

    val_i = z3.If(z3.And(runs_i, start < stop), months_expr(start, stop), 0)
    terms = [val_i]
    periods: list[tuple[str, Any, Any, Any]] = []
    for kinds in (rules.ii_kinds, rules.iii_kinds):
        comp: list[tuple[str, Any, Any, Any]] = []
        for k in kinds:
            b = getattr(a, k)
            prev = None
            for i in range(b.max_count if period_lengths(a, k) else 0):
                act = z3.Bool(f"{k}_{i}_active")
                s0, _ = grid_var(f"{k}_{i}_start", e, -1)
                ln, q = grid_var(f"{k}_{i}_length", z3.IntVal(0), b.max_days // step)
                o.add(q >= 1, z3.Implies(act, z3.And(eff_by, s0 <= h)))
                if prev is not None:  # symmetry: the i-th period of a kind is used only after the (i-1)-th
                    o.add(z3.Implies(act, z3.And(prev[0], s0 > prev[1])))
                prev = (act, s0)
                comp.append((k, act, s0, ln))
                terms.append(z3.If(act, months_expr(s0, zmin(s0 + ln, h + 1)), 0))
        for x in range(len(comp)):
            for y in range(x + 1, len(comp)):
                _, ax, sx, lx = comp[x]
                _, ay, sy, ly = comp[y]
                o.add(z3.Implies(z3.And(ax, ay), z3.Or(sy >= sx + lx + a.min_gap_days, sx >= sy + ly + a.min_gap_days)))
        periods += comp
    total = z3.Int("total")
    o.add(total == z3.Sum(terms))
    handle = o.maximize(total)
    res = o.check()
    if res == z3.unsat:
        raise ImpossibleAssumptions(["grid_days"], "no timeline satisfies the assumptions (Z3 model unsatisfiable)")
    try:
        mdl = o.model()
    except z3.Z3Exception:
        mdl = None
    if mdl is None or len(mdl) == 0:
        return _result(0, None, a, rules, reading, "z3", False, started, reason=f"z3: {o.reason_unknown()}")

    def iv(x: Any) -> int:
        return int(mdl.eval(x, model_completion=True).as_long())

    def bv(x: Any) -> bool:
        return z3.is_true(mdl.eval(x, model_completion=True))

    t = Timeline(h, iv(p) if bv(has_p) else None, iv(f) if bv(has_f) else None,
                 iv(e) if bv(has_f) and bv(decl) else None,
                 tuple(sorted(((k, iv(s0), min(iv(s0) + iv(ln) - 1, h)) for k, act, s0, ln in periods if bv(act)),
                              key=lambda x: (x[1], x[0]))))
    value = sum(_components(t, rules, reading).values())
    if res == z3.sat:
        if value != iv(total):  # pragma: no cover - the encoding and the plain recount must agree
            raise AssertionError(f"Z3 optimum {iv(total)} but its timeline recounts to {value}")
        return _result(value, t, a, rules, reading, "z3", True, started)
    upper = handle.upper()
    bound = upper.as_long() if z3.is_int_value(upper) else None
    return _result(value, t, a, rules, reading, "z3", False, started, reason=f"z3: {o.reason_unknown()}",
                   bound_scaled=bound)


def _anniversaries(starts: np.ndarray, n: int) -> np.ndarray:
    """Day numbers of start + m months (m = 0..n), end-of-month clamped, one row per start (starts >= 0)."""
    month_idx, dom, firsts, lens = _month_tables()
    k = month_idx[starts][:, None] + np.arange(n + 1)
    return np.asarray(firsts[k] + np.minimum(dom[starts][:, None], lens[k]) - 1)


# ---------------------------------------------------------------------------------------------- Allowed Delays


@dataclass
class AllowedDelayResponse:
    """The Company's best answer to one timeline with Allowed Delays (3(f)): the D-months of (ii) it removes and
    the Allowed Delay periods that do it (day numbers, inclusive)."""

    saved: int
    periods: list[tuple[int, int]]
    proved_optimal: bool
    reason: str | None = None


def company_response(t: Timeline, agreement: Agreement, timeout_s: float = 10.0) -> AllowedDelayResponse:
    """The most (ii) the Company can excuse on this timeline with Allowed Delays, exactly
    (`rra.solver.maxmin.company_answer`: a chain dynamic program when the candidates fit one 12-month window,
    a linear program with a certificate otherwise; the module docstring says why both are exact)."""
    from rra.solver.maxmin import Status, company_answer

    ans = company_answer(t, agreement, timeout_s)
    return AllowedDelayResponse(ans.saved, list(ans.periods), ans.status == Status.PROVED, ans.reason)


__all__ = ["D", "READINGS", "AllowedDelayResponse", "Dues", "ExposureResult", "Rules", "Timeline", "amount",
           "brute_force", "company_response", "components_scaled", "enumerate_timelines", "months_scaled", "optimize",
           "rules_of", "solve_z3"]
