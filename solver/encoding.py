"""The agreement in Z3: events as integer day variables, deadlines, obligations and the 2(c) measure.

Day 0 is the agreement date (the `agreement.date` parameter of the agreement given). An event is one Int `day`
in [0, NEVER]; `NEVER = horizon + 1` means "did not happen (by the horizon)". Deadlines are compiled generically
from the agreement's model (their terms, combine rule and the parameters they name) and the payment measure from
`agreement.measure`, so a draft or a redraft (`--set`, replaced deadlines) changes the constraints, and the
evaluator and the exposure optimizer read the same data. Business and trading days are exact: a day count over [0, x) is 5 * (x div 7) + a weekday table
minus the weekday holidays before x (a sum over the calendar's few closures), so "N business days after X" for a
symbolic X is a fresh day r with X < r, r a business day and count(r + 1) - count(X + 1) = N.

Each obligation's constraint ("its event happens by its deadline, once the obligation has arisen") is kept under
its clause id; `solver()` asserts them with `assert_and_track`, so unsat cores name clauses. Process facts that
are not the agreement's (the SEC cannot declare a statement effective before it is filed) are named
`process:<what>` and asserted plainly. `timeline(model)` turns a model back into dated events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import z3
from rra.solver.calendars import DEFAULT_CALENDAR, Calendar, day, from_day
from rra.solver.deadlines import basis_of
from rra.solver.z3util import TIMEOUT_MS, MemoSolver, memo_solver
from rra.spec.agreement import Agreement
from rra.spec.elements import Deadline, MeasureComponent, Obligation
from rra.spec.overrides import ParameterSet
from rra.spec.process import PREREQUISITES

from rra.memory import Bounded


@lru_cache(maxsize=32)
def _closed_weekdays(business: str, basis: str, n: int, epoch: date) -> tuple[int, ...]:
    cal = Calendar(business)
    return tuple(k for k in range(-60, n) if from_day(k, epoch).weekday() < 5
                 and not cal.is_day(from_day(k, epoch), basis))


# Calendar terms (a count of business or trading days before a term, whether a term is such a day) by the term, the
# weekday of day 0 and the closed weekdays: the same for every encoding that asks them, so built once per process
# (about 1.5 ms each in Python; most of an encoding's on a redlined text, whose deadlines are mostly the same terms).
# The term is kept with its result so that its id is never reused while the entry lives.
_CALENDAR_TERMS: Bounded[tuple[Any, ...], tuple[z3.ExprRef, Any]] = Bounded(4096)


def _remembered(key: tuple[Any, ...], term: z3.ExprRef, make: Callable[[], Any]) -> Any:
    hit = _CALENDAR_TERMS.get(key)
    if hit is not None:
        return hit[1]
    return _CALENDAR_TERMS.put(key, (term, make()))[1]


def families(agreement: Agreement) -> tuple[str, ...]:
    """The period families of the measure: the days each after-effectiveness component counts, and the days its
    carve-outs exclude (e.g. blocked, not_listed, investor_delays, allowed_delays)."""
    m = agreement.measure
    out = [c.family for c in m.components if c.counts == "after-effectiveness"]
    out += [c.excluded for c in m.components if c.excluded]
    return tuple(dict.fromkeys(out))


def default_horizon(agreement: Agreement) -> int:
    """Day number two years after the latest fixed date of the deadlines."""
    epoch = agreement.params["agreement.date"]
    fixed = [agreement.params[t.fixed] for d in agreement.model.deadlines for t in d.terms if t.fixed]
    return day(max(fixed), epoch) + 730 if fixed else 3 * 365


@dataclass(frozen=True)
class DL:
    """A compiled deadline: whether it exists (its anchor happened) and its day."""

    id: str
    exists: z3.BoolRef
    day: z3.ArithRef


@dataclass
class Slot:
    """One period slot of a family: used, start and end (inclusive)."""

    used: z3.BoolRef
    start: z3.ArithRef
    end: z3.ArithRef


@dataclass
class Encoding:
    """An agreement compiled into Z3.

    horizon: last day number modelled; as_of: day up to which things are counted (default: the horizon);
    slots: number of period slots per family; dropped: obligation ids or clause ids left out (the obligations
    whose words a draft changed are left out too); pfed_min: earliest PFED day (the agreement date).
    """

    agreement: Agreement
    calendar: Calendar = DEFAULT_CALENDAR
    horizon: int | None = None
    as_of: int | None = None
    slots: dict[str, int] = field(default_factory=dict)
    dropped: frozenset[str] = frozenset()
    pfed_min: int = 0
    prefix: str = ""
    process_facts: bool = True  # False when evaluating a given scenario: it says what happened, in any order

    @property
    def params(self) -> ParameterSet:
        """The agreement's parameter values."""
        return self.agreement.params

    def day_of(self, d: date) -> int:
        """Day number of a date (0 = the agreement date)."""
        return day(d, self.epoch)

    def date_of(self, n: int) -> date:
        """The date of a day number."""
        return from_day(n, self.epoch)

    def iso(self, n: int) -> str:
        """ISO date of a day number."""
        return self.date_of(n).isoformat()

    def __post_init__(self) -> None:
        model = self.agreement.model
        self.epoch: date = self.params["agreement.date"]
        self._events = {e.id: e for e in model.events}
        self._obligations = {o.id: o for o in model.obligations}
        self._deadlines = {d.id: d for d in model.deadlines}
        self.measure = self.agreement.measure
        self.H: int = self.horizon if self.horizon is not None else default_horizon(self.agreement)
        self.NEVER = self.H + 1
        self.asof: int = self.as_of if self.as_of is not None else self.H
        self.defs: list[z3.BoolRef] = []  # domains and definitions of auxiliary terms: always asserted
        self.defines: dict[int, str] = {}  # index in defs -> the auxiliary variable it defines
        self.process: dict[str, list[z3.BoolRef]] = {}
        self.days: dict[str, z3.ArithRef] = {}
        self.periods: dict[str, list[Slot]] = {}
        self._fresh = 0
        self._bg_vars: list[frozenset[str]] = []
        self._vcache: dict[int, tuple[z3.ExprRef | None, frozenset[str]]] = {}
        self._by_var: dict[str, list[int]] = {}
        self._model_names: tuple[Any, set[str]] = (None, set())
        self._holidays: dict[str, tuple[int, ...]] = {}
        self._dl_cache: dict[str, DL] = {}
        self._w0 = self.date_of(0).weekday()
        for e in model.events:
            self.event(e.id)
        for ob in self.obligations():
            self.event(self.performance_event(ob))
        for fam in families(self.agreement):
            self._family(fam, self.slots.get(fam, 0))
        if self.process_facts:
            self._process_facts()
        # deadlines are compiled on first use: a query's expressions are built (and their auxiliary definitions
        # added to `defs`) before the solver for it takes the cone of those expressions
        self._parts = self._allowed_parts()

    # ------------------------------------------------------------------------------------------ events

    def event(self, name: str) -> z3.ArithRef:
        """The day variable of an event (created on first use), in [0, NEVER]."""
        if name not in self.days:
            v = z3.Int(f"{self.prefix}{name}")
            self.days[name] = v
            lo = self.pfed_min if name == "pfed" else 0
            self._define(f"{self.prefix}{name}", z3.And(v >= lo, v <= self.NEVER),
                         uses=frozenset([f"{self.prefix}{name}"]))
        return self.days[name]

    def happened(self, name: str) -> z3.BoolRef:
        """The event happened by as_of (an event after as_of counts as not yet happened)."""
        return self.event(name) <= self.asof

    def controller(self, name: str) -> str:
        """Who controls an event: the model's `controlled_by`, the obligor for a performance event."""
        if name in self._events:
            return self._events[name].controlled_by
        ob = self._obligations.get(name.removesuffix(".done"))
        return ob.bearer if ob else "external"

    def _family(self, fam: str, n: int) -> None:
        slots: list[Slot] = []
        for k in range(n):
            s = Slot(z3.Bool(f"{self.prefix}{fam}[{k}].used"), z3.Int(f"{self.prefix}{fam}[{k}].start"),
                     z3.Int(f"{self.prefix}{fam}[{k}].end"))
            mine = frozenset(name(v) for v in (s.used, s.start, s.end))
            self.defs.append(self._known(z3.Implies(s.used, z3.And(0 <= s.start, s.start <= s.end, s.end <= self.H)), mine))
            self.defs.append(self._known(z3.Implies(z3.Not(s.used), z3.And(s.start == self.NEVER, s.end == self.NEVER)),
                                         mine))
            if slots:  # used slots first, sorted, disjoint and not adjacent (maximal runs)
                prev = slots[-1]
                both = mine | {name(prev.used), name(prev.end)}
                self.defs.append(self._known(z3.Implies(s.used, z3.And(prev.used, prev.end + 1 < s.start)), both))
            slots.append(s)
        self.periods[fam] = slots

    def _process_facts(self) -> None:
        """Facts of SEC practice (rra.spec.process) and of the market, named process:<event>."""
        for pre in PREREQUISITES:
            if pre.event not in self._events:
                continue
            e = self.event(pre.event)
            facts = [self._known(z3.Implies(e < self.NEVER, z3.And(self.event(p) < self.NEVER, self.event(p) <= e)),
                                 frozenset([name(e), name(self.event(p))])) for p in pre.requires]
            facts += [self._known(z3.Implies(z3.And(e < self.NEVER, self.event(p) < self.NEVER), self.event(p) <= e),
                                  frozenset([name(e), name(self.event(p))])) for p in pre.after]
            facts += [z3.Implies(e < self.NEVER, e == self.event(p)) for p in pre.same_day]
            self.process[f"process:{pre.event}"] = facts
        # an event trigger of an after-effectiveness component happens on a day that component counts (the stock
        # ceasing to trade on the OTCBB is a day it is not listed)
        for c in self.measure.components:
            if c.counts != "after-effectiveness" or c.family not in self.periods:
                continue
            for t in c.triggers:
                if t == self._period_trigger(c):
                    continue
                oc = self.event(t)
                fam = self.periods[c.family]
                self.process[f"process:{t}"] = [
                    z3.Implies(self.happened(t), z3.Or([z3.And(s.used, s.start <= oc, oc <= s.end) for s in fam]))]

    @staticmethod
    def _period_trigger(c: MeasureComponent) -> str | None:
        """The trigger that is the component's period itself (blocked sales), if any: the first trigger of a
        component whose days are its own periods."""
        return c.triggers[0] if c.triggers and c.triggers[0] in c.periods else None

    # ---------------------------------------------------------------------------------------- calendars

    def _nondays(self, basis: str) -> tuple[int, ...]:
        """Weekday day numbers in [-60, horizon + 120) that are not days of the basis (holidays, closures)."""
        if basis not in self._holidays:
            self._holidays[basis] = _closed_weekdays(self.calendar.business, basis, self.H + 120, self.epoch)
        return self._holidays[basis]

    def count_before(self, x: z3.ArithRef, basis: str) -> z3.ArithRef:
        """Number of `basis` days among day numbers [0, x) (minus those in [x, 0) when x < 0); exact on
        [-60, horizon + 120)."""
        if basis == "calendar":
            return x
        return _remembered(("count", x.get_id(), self._w0, self._nondays(basis)), x,
                           lambda: self._count_before(x, basis))

    def _count_before(self, x: z3.ArithRef, basis: str) -> z3.ArithRef:
        table = [0]
        for k in range(7):
            table.append(table[-1] + (1 if (self._w0 + k) % 7 < 5 else 0))
        r = x % 7
        part: z3.ArithRef = z3.IntVal(table[6])
        for k in range(5, -1, -1):
            part = z3.If(r == k, table[k], part)
        weekdays = 5 * (x / 7) + part
        closed = self._nondays(basis)
        return weekdays - z3.Sum([z3.If(x > h, 1, 0) for h in closed]) if closed else weekdays

    def is_day(self, x: z3.ArithRef, basis: str) -> z3.BoolRef:
        """x is a day of the basis."""
        if basis == "calendar":
            return z3.BoolVal(True)
        closed = self._nondays(basis)
        return _remembered(("day", x.get_id(), self._w0, closed), x,
                           lambda: z3.And((x + self._w0) % 7 < 5, *[x != h for h in closed]))

    def add(self, x: z3.ArithRef | int, n: int, basis: str) -> z3.ArithRef:
        """The day n days of `basis` after x (before, for negative n); x itself never counts."""
        if basis == "calendar" or n == 0:
            return x + n if not isinstance(x, int) else z3.IntVal(x + n)
        if isinstance(x, int) or z3.is_int_value(x):
            xv = x if isinstance(x, int) else x.as_long()
            return z3.IntVal(self.day_of(self.calendar.add(self.date_of(xv), n, basis)))
        self._fresh += 1
        r = z3.Int(f"{self.prefix}aux{self._fresh}.{basis}{n:+d}")
        if n > 0:
            self._define(name(r), r > x, self.is_day(r, basis),
                         self.count_before(r + 1, basis) - self.count_before(x + 1, basis) == n,
                         uses=self.vars_of(x) | {name(r)})
        else:
            self._define(name(r), r < x, r >= -60, self.is_day(r, basis),
                         self.count_before(x, basis) - self.count_before(r, basis) == -n,
                         uses=self.vars_of(x) | {name(r)})
        return r

    def days_between(self, a: z3.ArithRef, b: z3.ArithRef, basis: str) -> z3.ArithRef:
        """Days of `basis` in the inclusive period [a, b] (0 when b < a); a >= 0."""
        c = self.count_before(b + 1, basis) - self.count_before(a, basis)
        return z3.If(b < a, 0, c)

    # ---------------------------------------------------------------------------------------- deadlines

    def terms(self, deadline_id: str) -> tuple[Any, ...]:
        """The deadline's terms."""
        return self.agreement.model.deadline(deadline_id).terms

    def deadline(self, deadline_id: str) -> DL:
        """The compiled deadline: earliest (or latest, single, first available) of its terms whose anchor
        happened. Withheld if the text changed the deadline's words."""
        if deadline_id in self._dl_cache:
            return self._dl_cache[deadline_id]
        dl: Deadline = self.agreement.model.deadline(deadline_id)
        cands: list[tuple[z3.BoolRef, z3.ArithRef]] = []
        for t in dl.terms:
            if t.fixed is not None:
                cands.append((z3.BoolVal(True), z3.IntVal(self.day_of(self.params[t.fixed]))))
            elif t.anchor is not None and t.offset is not None:
                n = int(self.params[t.offset])
                a = self.event(t.anchor)
                cands.append((self.happened(t.anchor),
                              self.add(a, -n if t.before else n, basis_of(self.agreement, t.offset))))
        exists = z3.Or([c for c, _ in cands]) if cands else z3.BoolVal(False)
        value: z3.ArithRef = z3.IntVal(self.NEVER + 10_000)
        if dl.combine == "first":
            for ok, v in reversed(cands):
                value = z3.If(ok, v, value)
            out = DL(deadline_id, exists, value)
            self._dl_cache[deadline_id] = out
            return out
        pick_max = dl.combine == "latest"
        for ok, v in cands:
            better = v > value if pick_max else v < value
            value = z3.If(z3.And(ok, z3.Or(better, value == self.NEVER + 10_000)), v, value)
        out = DL(deadline_id, exists, value)
        self._dl_cache[deadline_id] = out
        return out

    # -------------------------------------------------------------------------------------- obligations

    def obligations(self) -> list[str]:
        """Ids of the obligations with a deadline that the encoding compiles (bearer: the Company), minus dropped
        and minus those whose words (or whose deadline's words) the text changed."""
        model = self.agreement.model
        return [o.id for o in model.obligations if o.deadline is not None and o.bearer == "company"
                and o.id not in self.dropped and o.clause not in self.dropped
                and model.usable(o.id) and model.usable(o.deadline)]

    def obligation(self, obligation_id: str) -> Obligation:
        """An obligation of the model."""
        return self._obligations[obligation_id]

    def is_obligation(self, name: str) -> bool:
        """The name is an obligation's id."""
        return name in self._obligations

    def event_name(self, name: str) -> str:
        """An event's name in words (its id when it is no event of the model)."""
        ev = self._events.get(name)
        return ev.name if ev else name

    def deadline_element(self, deadline_id: str) -> Deadline:
        """A deadline of the model."""
        return self.agreement.model.deadline(deadline_id)

    def performance_event(self, obligation_id: str) -> str:
        """The event whose date performs an obligation."""
        ob = self._obligations.get(obligation_id)
        return ob.performs if ob is not None and ob.performs else f"{obligation_id}.done"

    def arisen(self, obligation_id: str) -> z3.BoolRef:
        """The obligation has arisen: its trigger happened, its timed conditions hold, its deadline exists."""
        ob = self._obligations[obligation_id]
        parts = [self.deadline(ob.deadline).exists] if ob.deadline else []
        if ob.trigger:
            parts.append(self.happened(ob.trigger))
        for c in self.agreement.model.conditions:
            if obligation_id in c.applies_to and c.after_signing and self.agreement.model.usable(c.id):
                parts.append(self.event(c.after_signing) > 0)  # "not currently ...": it comes after day 0
        return z3.And(parts) if parts else z3.BoolVal(True)

    def breach(self, obligation_id: str) -> z3.BoolRef:
        """Breached by as_of: arisen, its deadline passed by as_of, and not performed by the deadline."""
        ob = self._obligations[obligation_id]
        assert ob.deadline is not None
        d = self.deadline(ob.deadline)
        perf = self.event(self.performance_event(obligation_id))
        return z3.And(self.arisen(obligation_id), d.day < self.asof, perf > d.day)

    def met(self, obligation_id: str) -> z3.BoolRef:
        """The obligation is not breached (or has not arisen)."""
        return z3.Not(self.breach(obligation_id))

    def clause_constraints(self) -> dict[str, z3.BoolRef]:
        """clause id -> conjunction of its compiled obligations being met (the tracked constraints)."""
        out: dict[str, list[z3.BoolRef]] = {}
        for oid in self.obligations():
            out.setdefault(self._obligations[oid].clause, []).append(self.met(oid))
        return {k: z3.And(v) for k, v in sorted(out.items())}

    def prompt(self, controllers: Iterable[str], near: Iterable[z3.ExprRef] = ()) -> list[z3.BoolRef]:
        """Constraints: events with prerequisites controlled by these parties happen as early as they can.

        With `near`, only events connected to those expressions are constrained (the rest are independent)."""
        ctl = set(controllers)
        names: set[str] | None = None
        near = list(near)
        if near:
            names = set()
            for f in [*self.cone(near), *near]:
                names |= self.vars_of(f)
        out = []
        for pre in PREREQUISITES:
            ev, req, opt = pre.event, pre.requires, pre.after
            if ev not in self._events or self.controller(ev) not in ctl or (
                    names is not None and f"{self.prefix}{ev}" not in names):
                continue
            e = self.event(ev)
            ready = z3.And([self.event(p) < self.NEVER for p in req])
            lb: z3.ArithRef = z3.IntVal(0)
            for p in req:
                lb = z3.If(self.event(p) > lb, self.event(p), lb)
            for p in opt:
                pe = self.event(p)
                lb = z3.If(z3.And(pe < self.NEVER, pe > lb), pe, lb)
            out.append(z3.If(ready, e == lb, e == self.NEVER))
        prereq_events = {pre.event for pre in PREREQUISITES}
        for oid in self.obligations():
            ev = self.performance_event(oid)
            if ev in prereq_events or self.controller(ev) not in ctl or (
                    names is not None and f"{self.prefix}{ev}" not in names):
                continue
            ob = self._obligations[oid]
            if ob.trigger is None:  # due from signing: done on day 0
                out.append(self.event(ev) == 0)
            elif ob.trigger:
                tr = self.event(ob.trigger)
                out.append(z3.If(tr < self.NEVER, self.event(ev) == tr, self.event(ev) == self.NEVER))
        return out

    # ---------------------------------------------------------------------------------- payment measure

    def late_filing(self) -> z3.BoolRef:
        """The measure's late-filing limb: not filed by its filing deadline (as of as_of)."""
        m = self.agreement.model.payment_measure()
        fd = self.deadline(m.filing_deadline).day
        f = self.event(m.filed)
        return z3.Or(z3.And(f > self.asof, self.asof > fd), z3.And(f <= self.asof, f > fd))

    def late_effectiveness(self) -> z3.BoolRef:
        """The measure's late-effectiveness limb: not declared effective by its effectiveness deadline."""
        m = self.agreement.model.payment_measure()
        ed = self.deadline(m.effectiveness_deadline).day
        e = self.event(m.effective)
        return z3.Or(z3.And(e > self.asof, self.asof > ed), z3.And(e <= self.asof, e > ed))

    def reading_names(self) -> tuple[str, ...]:
        """The measure's readings, the default first."""
        return tuple(r.name for r in sorted(self.measure.readings, key=lambda r: not r.default))

    def period_i(self, reading: str | None = None) -> tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]:
        """(counted, start, stop) of the late component under a reading: the half-open day period [start, stop)."""
        m = self.agreement.model.payment_measure()
        r = self.agreement.model.reading(reading or self.reading_names()[0])
        eff = self.event(m.effective)
        stop = z3.If(eff <= self.asof, eff, self.asof + 1)
        if r.counts_from is not None:
            d = self.deadline(r.counts_from)
            return z3.And(d.exists, stop > d.day), d.day, stop
        lf, le = self.late_filing(), self.late_effectiveness()
        start: z3.ArithRef = z3.IntVal(self.NEVER)
        on: list[z3.BoolRef] = []
        if r.late_effectiveness_from is not None:
            start = self.deadline(r.late_effectiveness_from).day
            on.append(le)
        if r.late_filing_from is not None:
            start = z3.If(lf, self.deadline(r.late_filing_from).day, start)
            on.append(lf)
        return z3.Or(on) if on else z3.BoolVal(False), start, stop

    @staticmethod
    def overlap(a1: z3.ArithRef, b1: z3.ArithRef, a2: z3.ArithRef, b2: z3.ArithRef) -> z3.ArithRef:
        """Days in the intersection of inclusive periods [a1, b1] and [a2, b2]."""
        lo = z3.If(a1 > a2, a1, a2)
        hi = z3.If(b1 < b2, b1, b2)
        return z3.If(hi >= lo, hi - lo + 1, 0)

    def late_component(self) -> MeasureComponent:
        """The component counting late filing or effectiveness."""
        return next(c for c in self.agreement.model.payment_measure().components if c.counts == "late")

    def days_i(self, reading: str | None = None) -> z3.ArithRef:
        """Days counted by the late component: its period less the days its carve-out excludes."""
        on, start, stop = self.period_i(reading)
        total = z3.If(z3.And(on, stop > start), stop - start, 0)
        fam = self.late_component().excluded
        cut = z3.Sum([z3.If(s.used, self.overlap(s.start, s.end, start, stop - 1), 0)
                      for s in self.periods.get(fam or "", [])] or [z3.IntVal(0)])
        return z3.If(z3.And(on, stop > start), total - cut, 0)

    def allowed_parts(self) -> list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]]:
        """The parts of Allowed Delay slots within the caps: (used, start, end of part)."""
        return self._parts

    def _allowed_parts(self) -> list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]]:
        """The parts of Allowed Delay slots within the caps: (used, start, end of part).

        With one slot this is exact (its first min(max_consecutive, max_total) trading days); several symbolic
        slots are only supported by `allowed_delay_model` (trading-day index) and `evaluate_scenario` (concrete days).
        """
        out: list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]] = []
        slots = self.periods.get("allowed_delays", [])
        if not slots:
            return out
        con_p, tot_p, _ = self.agreement.model.payment_measure().allowed_delay
        cap = min(int(self.params[con_p]), int(self.params[tot_p]))
        for k, s in enumerate(slots):
            if k > 0:
                raise ValueError("symbolic Allowed Delays: use one slot, or evaluate_scenario for concrete periods")
            self._fresh += 1
            e = z3.Int(f"{self.prefix}aux{self._fresh}.allowed_end")
            n = self.days_between(s.start, e, "trading")
            full = self.days_between(s.start, s.end, "trading")
            # all its trading days fit: the whole period; otherwise up to its cap-th trading day
            self._define(name(e), z3.Implies(s.used, z3.And(s.start <= e, e <= s.end,
                                                           z3.If(full <= cap, e == s.end,
                                                                 z3.And(n == cap, self.is_day(e, "trading"))))),
                         z3.Implies(z3.Not(s.used), e == self.NEVER),
                         uses=frozenset(name(v) for v in (s.used, s.start, s.end, e)))
            # a part with no trading day excludes nothing
            out.append((z3.And(s.used, full > 0, cap > 0), s.start, e))
        return out

    def component(self, component_id: str) -> MeasureComponent:
        """A component of the measure."""
        return self.agreement.model.payment_measure().component(component_id)

    def blocked_component(self) -> MeasureComponent:
        """The after-effectiveness component whose days an Allowed Delay excludes."""
        return next(c for c in self.agreement.model.payment_measure().components if c.excluded == "allowed_delays")

    def days_after(self, component_id: str,
                   parts: list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]] | None = None) -> z3.ArithRef:
        """Days counted by an after-effectiveness component: its family's days in [effective, as_of], less the
        allowed parts of the Allowed Delays if it is the component they exclude from."""
        c = self.component(component_id)
        eff = self.event(self.measure.effective)
        top = z3.IntVal(self.asof)
        if c.excluded == "allowed_delays":
            parts = self.allowed_parts() if parts is None else parts
        else:
            parts = []
        terms = []
        for s in self.periods.get(c.family, []):
            inside = self.overlap(s.start, s.end, eff, top)
            cut = [z3.If(u, self.overlap(z3.If(s.start > a, s.start, a), z3.If(s.end < b, s.end, b), eff, top), 0)
                   for u, a, b in parts]
            terms.append(z3.If(s.used, inside - z3.Sum(cut) if cut else inside, 0))
        return z3.If(eff <= self.asof, z3.Sum(terms), 0) if terms else z3.IntVal(0)

    def days_ii(self, parts: list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]] | None = None) -> z3.ArithRef:
        """Days counted by the component the Allowed Delays exclude from (2(c)(ii): blocked sales)."""
        return self.days_after(self.blocked_component().id, parts)

    def days_iii(self) -> z3.ArithRef:
        """Days counted by the other after-effectiveness components (2(c)(iii): not listed)."""
        others = [c.id for c in self.agreement.model.payment_measure().components
                  if c.counts == "after-effectiveness" and c.excluded != "allowed_delays"]
        return z3.Sum([self.days_after(c) for c in others]) if others else z3.IntVal(0)

    def total_days(self, reading: str | None = None) -> z3.ArithRef:
        """Days counted by every component under a reading."""
        return self.days_i(reading) + self.days_ii() + self.days_iii()

    def event_triggers(self) -> dict[str, str]:
        """Payment triggers that are events rather than breaches, each with the family its days are counted in."""
        return {t: c.family for c in self.agreement.model.payment_measure().components
                if c.counts == "after-effectiveness" for t in c.triggers}

    def event_trigger(self, name: str) -> z3.BoolRef:
        """A payment trigger that is an event: for a component's own periods (blocked sales), a period of its
        family after effectiveness; otherwise the event happened."""
        for c in self.agreement.model.payment_measure().components:
            if name == self._period_trigger(c):
                eff = self.event(self.measure.effective)
                return z3.And(eff <= self.asof, z3.Or([z3.And(s.used, s.end >= eff, s.start <= self.asof)
                                                        for s in self.periods.get(c.family, [])] or [z3.BoolVal(False)]))
        return self.happened(name)

    # ----------------------------------------------------------------------------------------- solving

    def vars_of(self, e: z3.ExprRef) -> frozenset[str]:
        """Names of the variables of an expression. Memoized per AST node (Z3 shares equal subterms, so the
        many calendar terms are walked once). The walk reads Z3's ASTs through the C API (no Python object per
        node); the memo keeps each expression it was asked about alive, and with it every node below, so the ids
        it records stay valid."""
        memo = self._vcache
        root = e.get_id()
        hit = memo.get(root)
        if hit is not None:
            return hit[1]
        ctx = e.ctx_ref()
        stack: list[tuple[Any, list[Any] | None]] = [(e.as_ast(), None)]
        while stack:
            a, kids = stack.pop()
            i = z3.Z3_get_ast_id(ctx, a)
            if kids is not None:  # its children are done
                acc: frozenset[str] = frozenset()
                for k in kids:
                    acc = acc | memo[z3.Z3_get_ast_id(ctx, k)][1]
                memo[i] = (None, acc)
                continue
            if i in memo:
                continue
            n = z3.Z3_get_app_num_args(ctx, a) if z3.Z3_get_ast_kind(ctx, a) == z3.Z3_APP_AST else 0
            if n == 0:
                d = z3.Z3_get_app_decl(ctx, a) if z3.Z3_get_ast_kind(ctx, a) == z3.Z3_APP_AST else None
                own = d is not None and z3.Z3_get_decl_kind(ctx, d) == z3.Z3_OP_UNINTERPRETED
                memo[i] = (None, frozenset([z3.Z3_get_symbol_string(ctx, z3.Z3_get_decl_name(ctx, d))])
                           if own else frozenset())
                continue
            kids = [z3.Z3_get_app_arg(ctx, a, k) for k in range(n)]
            stack.append((a, kids))
            stack.extend((k, None) for k in kids if z3.Z3_get_ast_id(ctx, k) not in memo)
        out = memo[root][1]
        memo[root] = (e, out)  # keeps the expression, and every node the memo names below it, alive
        return out

    def _known(self, c: z3.BoolRef, uses: frozenset[str]) -> z3.BoolRef:
        """Record the variables of a background constraint as it is built (no walk over it later)."""
        self._vcache[c.get_id()] = (c, uses)
        return c

    def _define(self, var: str, *constraints: z3.BoolRef, uses: frozenset[str] | None = None) -> None:
        """Definitions of one auxiliary variable: needed by a query only when the variable is."""
        for c in constraints:
            self.defines[len(self.defs)] = var
            self.defs.append(self._known(c, uses) if uses is not None else c)

    def _background(self) -> list[z3.BoolRef]:
        return [*self.defs, *[f for fs in self.process.values() for f in fs]]

    def cone(self, exprs: Iterable[z3.ExprRef]) -> list[z3.BoolRef]:
        """The definitions and process facts connected (through shared variables) to the given expressions.

        The others are satisfiable on their own (every event "never" satisfies them), so leaving them out keeps
        satisfiability and the values of the connected variables: the queries stay exact and small.
        """
        bg = self._background()
        if len(self._bg_vars) != len(bg):
            self._bg_vars = [self.vars_of(f) for f in bg]
            self._by_var = {}
            for k, vs in enumerate(self._bg_vars):
                owner = self.defines.get(k)
                for v in ([owner] if owner is not None else vs):
                    self._by_var.setdefault(v, []).append(k)
        todo: list[str] = []
        for e in exprs:
            todo += self.vars_of(e)
        seen: set[str] = set()
        chosen: set[int] = set()
        while todo:
            v = todo.pop()
            if v in seen:
                continue
            seen.add(v)
            for k in self._by_var.get(v, ()):
                if k not in chosen:
                    chosen.add(k)
                    todo += self._bg_vars[k]
        return [bg[k] for k in sorted(chosen)]

    def solver(self, *exprs: z3.BoolRef, track: bool = False, cores: bool = False, timeout_ms: int | None = None,
               minimal_core: bool = True) -> MemoSolver:
        """A fresh solver (z3util, answers remembered) asserting `exprs` with their cone of definitions and process
        facts; with track=True every compiled clause is asserted with `assert_and_track` under its clause id (see
        z3util.memo_solver for `minimal_core`)."""
        s = memo_solver(TIMEOUT_MS if timeout_ms is None else timeout_ms, cores=cores, minimal_core=minimal_core)
        tracked = self.clause_constraints() if track else {}
        s.add(*self.cone([*exprs, *tracked.values()]))
        s.add(*exprs)
        for clause, c in tracked.items():
            s.assert_and_track(c, f"{self.prefix}{clause}")
        return s

    def base(self, *exprs: z3.ExprRef) -> list[z3.BoolRef]:
        """The cone of definitions and process facts for these expressions (all of them when none is given)."""
        return self.cone(exprs) if exprs else self._background()

    # ---------------------------------------------------------------------------------------- timelines

    def _decls(self, m: z3.ModelRef) -> set[str]:
        if self._model_names[0] is not m:
            self._model_names = (m, {d.name() for d in m.decls()})
        return self._model_names[1]

    def value(self, m: z3.ModelRef, e: z3.ExprRef) -> int:
        """An integer value in a model; an event the model does not mention did not happen."""
        if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED and e.decl().name() not in self._decls(m):
            return self.NEVER
        v = m.eval(e, model_completion=True)
        return v.as_long() if z3.is_int_value(v) else 0

    def is_set(self, m: z3.ModelRef, b: z3.BoolRef) -> bool:
        """A Boolean true in a model (a slot the model does not mention is unused)."""
        if z3.is_const(b) and b.decl().kind() == z3.Z3_OP_UNINTERPRETED and b.decl().name() not in self._decls(m):
            return False
        return z3.is_true(m.eval(b, model_completion=True))

    def pinned_slots(self, m: z3.ModelRef, names: set[str] | None = None) -> list[z3.BoolRef]:
        """Constraints fixing which period slots are used, and their days, to the model's values (only the slots
        whose use variable is among `names`, when given)."""
        out: list[z3.BoolRef] = []
        for slots in self.periods.values():
            for sl in slots:
                if names is not None and name(sl.used) not in names:
                    continue
                if self.is_set(m, sl.used):
                    out += [sl.used, sl.start == self.value(m, sl.start), sl.end == self.value(m, sl.end)]
                else:
                    out.append(z3.Not(sl.used))
        return out

    def timeline(self, m: z3.ModelRef, deadlines: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The model as a dated timeline: events that happened, periods, and the given deadlines."""
        rows: list[dict[str, Any]] = []
        for name, v in self.days.items():
            d = self.value(m, v)
            if d <= self.H:
                ev = self._events.get(name)
                ob = self._obligations.get(name.removesuffix(".done"))
                label = ev.name if ev else (f"{ob.action} ({ob.id})" if ob else name)
                clause = ev.clause if ev else (ob.clause if ob else "")
                rows.append({"date": self.iso(d), "event": label, "id": name, "clause": clause})
        clauses = self._family_clauses()
        for fam, slots in self.periods.items():
            for s in slots:
                if self.is_set(m, s.used):
                    a, b = self.value(m, s.start), self.value(m, s.end)
                    rows.append({"date": self.iso(a), "event": f"{fam.replace('_', ' ')} from", "id": fam,
                                 "clause": clauses.get(fam, "")})
                    rows.append({"date": self.iso(b), "event": f"{fam.replace('_', ' ')} until", "id": fam,
                                 "clause": clauses.get(fam, "")})
        for did in deadlines:
            dl = self.deadline(did)
            if z3.is_true(m.eval(dl.exists, model_completion=True)):
                d = self.value(m, dl.day)
                el = self._deadlines[did]
                rows.append({"date": self.iso(d), "event": f"deadline: {el.name}", "id": did, "clause": el.clause})
        return sorted(rows, key=lambda r: (r["date"], r["id"]))

    def _family_clauses(self) -> dict[str, str]:
        """The clause each period family comes from: a component's, or its carve-out's."""
        out: dict[str, str] = {}
        model = self.agreement.model
        for c in self.measure.components:
            if c.counts == "after-effectiveness":
                out[c.family] = c.clause
            if c.excluded and c.excludes:
                carve = model.get(c.excludes)
                out[c.excluded] = carve.clause
                if c.excluded == "allowed_delays":
                    con = self.agreement.measure.allowed_delay[0]
                    out[c.excluded] = self.params.by_name[con].clause
        return out


def name(v: z3.ExprRef) -> str:
    """The name of a variable (what `str` gives, without Z3's pretty printer, which is slow)."""
    return v.decl().name()  # type: ignore[no-any-return]


def _vars(e: z3.ExprRef) -> set[str]:
    """Names of the uninterpreted constants in an expression."""
    out: set[str] = set()
    seen: set[int] = set()
    stack = [e]
    while stack:
        x = stack.pop()
        i = x.get_id()
        if i in seen:
            continue
        seen.add(i)
        if z3.is_const(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.add(x.decl().name())
        else:
            stack.extend(x.children())
    return out


# ------------------------------------------------------------------------------- Allowed Delays (3(f))


@dataclass
class AllowedDelayModel:
    """Allowed Delays as (start, length) pairs over a trading-day index, with the 3(f) truncation rule.

    starts[i], lengths[i]: the i-th requested delay (trading-day index, trading days), in date order;
    allowed[i]: trading days of it within the caps (its allowed part is its first `allowed[i]` days);
    lo[i][k]: the first trading-day index of the binding 12-month window for the (k+1)-th day of delay i,
    i.e. the earliest day t' with t' + 12 months > that day. lo is any non-decreasing function within the
    calendar's bounds (fewest/most trading days in 12 months over the horizon), so a property proved here
    holds for the real calendar too. `facts` bound each allowed count by the rule; `maximal` adds that it is the
    largest such count; `w`, `e` are a symbolic window [w, e) with e tied to w by the same lo (every 12-month
    window lies within one such window).
    """

    n: int
    horizon: int
    cap: int
    total: int
    wmin: int
    wmax: int
    starts: list[z3.ArithRef]
    lengths: list[z3.ArithRef]
    allowed: list[z3.ArithRef]
    lo: list[list[z3.ArithRef]]
    facts: list[z3.BoolRef]
    w: z3.ArithRef
    e: z3.ArithRef
    window_facts: list[z3.BoolRef]
    maximal: list[z3.BoolRef]  # "k is the largest count": needed for exact values, not for upper bounds
    rule: list[list[z3.BoolRef]]  # rule[i][k]: the window rule for the (k+1)-th day of delay i
    galois: list[list[z3.BoolRef]]  # galois[i][k]: that day is before e exactly when its window starts by w

    def facts_at(self, i: int, k: int) -> z3.BoolRef:
        """The window rule for the (k+1)-th day of delay i, with the bounds of its window start."""
        t = self.starts[i] + k
        return z3.And(self.rule[i][k], self.lo[i][k] >= t - self.wmax + 1, self.lo[i][k] <= t - self.wmin + 1)

    def window_at(self, i: int, k: int) -> z3.BoolRef:
        """How the symbolic window [w, e) relates to the window of the (k+1)-th day of delay i."""
        return self.galois[i][k]

    def in_window(self, upto: int | None = None) -> z3.ArithRef:
        """Allowed trading days inside the symbolic window [w, e) (of delays 0..upto)."""
        pairs = list(zip(self.starts, self.allowed, strict=True))[: None if upto is None else upto + 1]
        return z3.Sum([window_overlap(s, a, self.w, self.e) for s, a in pairs])


def window_overlap(s: z3.ArithRef, a: z3.ArithRef, w: z3.ArithRef, e: z3.ArithRef) -> z3.ArithRef:
    """Days of the allowed part [s, s + a) inside the window [w, e)."""
    hi = z3.If(s + a < e, s + a, e)
    lo = z3.If(s > w, s, w)
    return z3.If(hi > lo, hi - lo, 0)


def allowed_from(s: z3.ArithRef, a: z3.ArithRef, lo: z3.ArithRef) -> z3.ArithRef:
    """Days of the allowed part [s, s + a) on or after trading day lo."""
    return z3.If(lo <= s, a, z3.If(lo < s + a, s + a - lo, 0))


@lru_cache(maxsize=16)
def window_bounds(years: int, months: int = 12, business: str = "us-federal",
                  epoch: date = date(2003, 5, 9)) -> tuple[int, int]:
    """Fewest and most trading days in a window of `months` months starting on a day of the first `years` years
    from `epoch`."""
    from datetime import timedelta

    from rra.solver.months import add_months

    cal = Calendar(business)
    lo, hi = 10**9, 0
    for k in range(0, 365 * years + 1):
        d = from_day(k, epoch)
        n = cal.count(d, add_months(d, months) - timedelta(days=1), "trading")
        lo, hi = min(lo, n), max(hi, n)
    return lo, hi


def allowed_delay_model(n: int, years: int, agreement: Agreement, prefix: str = "ad") -> AllowedDelayModel:
    """The Allowed Delay truncation rule for n requested delays over `years` years of trading days (about 252 a
    year), with the caps of the agreement's measure."""
    con_p, tot_p, win_p = agreement.model.payment_measure().allowed_delay
    params = agreement.params
    cap = int(params[con_p])
    total = int(params[tot_p])
    wmin, wmax = window_bounds(years, int(params[win_p]), epoch=params["agreement.date"])
    T = 252 * years
    starts = [z3.Int(f"{prefix}.start[{i}]") for i in range(n)]
    lengths = [z3.Int(f"{prefix}.length[{i}]") for i in range(n)]
    allowed = [z3.Int(f"{prefix}.allowed[{i}]") for i in range(n)]
    lo = [[z3.Int(f"{prefix}.lo[{i}][{k}]") for k in range(cap)] for i in range(n)]
    facts: list[z3.BoolRef] = []
    sound: list[z3.BoolRef] = []
    maximal: list[z3.BoolRef] = []
    rule: list[list[z3.BoolRef]] = [[z3.BoolVal(True)] * cap for _ in range(n)]
    galois: list[list[z3.BoolRef]] = [[z3.BoolVal(True)] * cap for _ in range(n)]
    prev_lo: z3.ArithRef | None = None
    for i in range(n):
        s, ln, a = starts[i], lengths[i], allowed[i]
        facts += [s >= 0, ln >= 1, s + ln <= T]
        if i:
            facts.append(s >= starts[i - 1] + lengths[i - 1])
        for k in range(cap):
            t = s + k
            facts += [lo[i][k] >= t - wmax + 1, lo[i][k] <= t - wmin + 1]
            if prev_lo is not None:
                facts.append(prev_lo <= lo[i][k])
            prev_lo = lo[i][k]
        # the (k+1)-th day of delay i is allowed exactly when the k before it are, the delay lasts that long,
        # and the binding window (earlier allowed days from lo on, plus these k+1) stays within the total
        sound += [a >= 0, a <= cap]
        for k in range(cap):
            earlier = [allowed_from(starts[j], allowed[j], lo[i][k]) for j in range(i)]
            fits = z3.And(ln >= k + 1, (z3.Sum(earlier) if earlier else 0) + (k + 1) <= total)
            rule[i][k] = z3.Implies(a >= k + 1, fits)
            sound.append(rule[i][k])  # never more than the rule allows
            maximal.append(z3.Implies(a == k, z3.Not(fits)) if k < cap else z3.BoolVal(True))  # never less
    w, e = z3.Int(f"{prefix}.w"), z3.Int(f"{prefix}.e")
    window_facts: list[z3.BoolRef] = [e >= w + wmin, e <= w + wmax]
    for i in range(n):
        for k in range(cap):
            galois[i][k] = z3.Implies(allowed[i] >= k + 1, (starts[i] + k < e) == (lo[i][k] <= w))
            window_facts.append(galois[i][k])
    return AllowedDelayModel(n, T, cap, total, wmin, wmax, starts, lengths, allowed, lo, facts + sound, w, e,
                             window_facts, maximal, rule, galois)


# ----------------------------------------------------------------------------- evaluating a scenario


@dataclass
class Z3Evaluation:
    """What the encoding computes for a concrete scenario (compare with solver.evaluator.evaluate)."""

    filing_date: date
    effectiveness_deadline: date
    deadlines: dict[str, date]
    breaches: set[str]
    days: dict[str, int]
    months: dict[str, Any]
    total: Any


def _merged(periods: Iterable[Any], epoch: date) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted((day(p.start, epoch), day(p.end, epoch)) for p in periods):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _allowed_parts_concrete(enc: Encoding, periods: list[tuple[int, int]]
                            ) -> tuple[list[z3.BoolRef], list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]]]:
    """The Allowed Delay truncation for concrete periods, solved by Z3: each delay's allowed count is a variable
    fixed by the window rule day by day (the window bounds come from the calendar as constants)."""
    from rra.solver.months import add_months

    con_p, tot_p, win_p = enc.agreement.model.payment_measure().allowed_delay
    cap = int(enc.params[con_p])
    total = int(enc.params[tot_p])
    months = int(enc.params[win_p])
    facts: list[z3.BoolRef] = []
    parts: list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]] = []
    tdays: list[list[date]] = []
    counts: list[z3.ArithRef] = []
    for i, (a, b) in enumerate(sorted(periods)):
        days = enc.calendar.days_in(enc.date_of(a), enc.date_of(b), "trading")
        tdays.append(days)
        cnt = z3.Int(f"{enc.prefix}allowed_count[{i}]")
        counts.append(cnt)
        prev: z3.BoolRef = z3.BoolVal(True)
        steps = []
        for k, t in enumerate(days[:cap]):
            # earlier allowed days t' still in the window of t: add_months(t', months) > t
            earlier = []
            for j in range(i):
                m0 = sum(1 for u in tdays[j] if add_months(u, months) <= t)  # j's days already out of the window
                earlier.append(z3.If(counts[j] > m0, counts[j] - m0, 0))
            p = z3.Bool(f"{enc.prefix}allowed_day[{i}][{k}]")
            facts.append(p == z3.And(prev, (z3.Sum(earlier) if earlier else 0) + k + 1 <= total))
            steps.append(z3.If(p, 1, 0))
            prev = p
        facts.append(cnt == (z3.Sum(steps) if steps else 0))
        end: z3.ArithRef = z3.IntVal(enc.NEVER)
        for k, t in enumerate(days[:cap]):
            # all its trading days fit: the whole period is allowed; otherwise up to the k-th trading day
            end = z3.If(cnt == k + 1, b if k + 1 == len(days) else enc.day_of(t), end)
        parts.append((cnt > 0, z3.IntVal(a), end))
    return facts, parts


def single_date_obligations(agreement: Agreement) -> set[str]:
    """Obligations whose performance a scenario records as one date (not one per item of a list)."""
    out = set()
    for ob in agreement.model.obligations:
        rec = ob.record or (agreement.model.event(ob.performs).record if ob.performs else None)
        if rec and "[]." not in rec:
            out.add(ob.id)
    return out


def payment_triggers(agreement: Agreement) -> set[str]:
    """The elements that make missing a deadline a payment trigger (2(c)'s effectiveness limb, 3(b)'s payments)."""
    return {d.trigger for d in agreement.model.deadlines if d.bounds and d.trigger}


def evaluate_scenario(scenario: Any, agreement: Agreement, reading: str | None = None) -> Z3Evaluation:
    """Deadlines, breaches and the payment components of a concrete scenario, computed through the Z3 encoding.

    Events are pinned to the scenario's dates (an event after as_of did not happen); periods are pinned as slots;
    Z3 computes the deadlines, breaches, the Allowed Delay parts and the counted days. Months are then taken
    from the counted periods with solver.months (the shared month convention), by weight within each run.
    """
    from fractions import Fraction

    from rra.solver.months import months_between

    epoch = agreement.params["agreement.date"]
    measure = agreement.model.payment_measure()
    as_of = day(scenario.as_of, epoch)
    fam_spans: dict[str, list[tuple[int, int]]] = {}
    for c in measure.components:
        if c.counts == "after-effectiveness":
            fam_spans[c.family] = _merged([p for f in c.periods for p in getattr(scenario, f)], epoch)
    late = next(c for c in measure.components if c.counts == "late")
    investor = _merged(getattr(scenario, late.excluded), epoch) if late.excluded else []
    if late.excluded:
        fam_spans[late.excluded] = investor
    ad_field = next((c.excluded for c in measure.components if c.excluded == "allowed_delays"), None)
    ad_periods = list(getattr(scenario, ad_field)) if ad_field else []
    last = max([as_of, *[b for spans in fam_spans.values() for _, b in spans],
                *[day(p.end, epoch) for p in ad_periods]])
    enc = Encoding(agreement, Calendar(scenario.business_calendar), horizon=last + 1, as_of=as_of,
                   slots={fam: len(spans) for fam, spans in fam_spans.items()}, process_facts=False)
    pins: list[z3.BoolRef] = []
    for e in agreement.model.events:
        if e.record and "[]." not in e.record:
            d = getattr(scenario, e.record)
            v = day(d, epoch) if d is not None and d <= scenario.as_of else enc.NEVER
            pins.append(enc.event(e.id) == v)
    single_records: dict[str, str] = {}  # performance event of an obligation recorded outside the events
    for ob in agreement.model.obligations:
        if ob.record and "[]." not in ob.record and ob.id in enc.obligations():
            single_records[enc.performance_event(ob.id)] = ob.record
    for ev, rec in single_records.items():
        d = getattr(scenario, rec)
        pins.append(enc.event(ev) == (day(d, epoch) if d is not None and d <= scenario.as_of else enc.NEVER))
    for fam, spans in fam_spans.items():
        for sl, (a, b) in zip(enc.periods[fam], spans, strict=True):
            pins += [sl.used, sl.start == a, sl.end == b]
    ad_facts, parts = _allowed_parts_concrete(enc, [(day(p.start, epoch), day(p.end, epoch)) for p in ad_periods])
    dls = {d.id: enc.deadline(d.id) for d in agreement.model.deadlines if agreement.model.usable(d.id)}
    on_i, start_i, stop_i = enc.period_i(reading)
    after = [c.id for c in measure.components if c.counts == "after-effectiveness"]
    terms: dict[str, z3.ExprRef] = {late.id: enc.days_i(reading), "on_i": on_i, "start_i": start_i, "stop_i": stop_i}
    for cid in after:
        terms[cid] = enc.days_after(cid, parts)
    recorded = single_date_obligations(agreement)
    breach = {o: enc.breach(o) for o in enc.obligations() if o in recorded}
    for dl in agreement.model.deadlines:
        if dl.bounds and dl.trigger and dl.id in dls and not any(o.deadline == dl.id for o in agreement.model.obligations):
            ev = enc.event(dl.bounds)
            d = dls[dl.id]
            breach[dl.trigger] = z3.Or(z3.And(ev > enc.asof, enc.asof > d.day), z3.And(ev <= enc.asof, ev > d.day))
    s = enc.solver(*pins, *ad_facts)
    s.add(*enc.base(*[d.day for d in dls.values()], *[d.exists for d in dls.values()], *terms.values(), *breach.values()))
    if s.check() != z3.sat:
        raise RuntimeError(f"the encoding cannot evaluate scenario {scenario.name!r}: {s.check()}")
    m = s.model()
    val = enc.value
    deadlines = {k: enc.date_of(val(m, d.day)) for k, d in dls.items() if z3.is_true(m.eval(d.exists, model_completion=True))}
    breaches = {k for k, b in breach.items() if z3.is_true(m.eval(b, model_completion=True))}
    conv_p = measure.convention
    conv = scenario.month_convention if scenario.month_convention and conv_p not in agreement.params.overridden \
        else str(agreement.params[conv_p])

    def weight(anchor: int, first: int, last: int) -> Fraction:
        a = enc.date_of(anchor)
        return months_between(a, enc.date_of(last + 1), conv) - months_between(a, enc.date_of(first), conv)

    def carved(runs: list[tuple[int, int]], cut: list[tuple[int, int]]) -> Fraction:
        total = Fraction(0)
        for a, b in runs:
            total += weight(a, a, b)
            for c, d in cut:
                lo, hi = max(a, c), min(b, d)
                if lo <= hi:
                    total -= weight(a, lo, hi)
        return total

    eff = val(m, enc.event(measure.effective))
    months: dict[str, Any] = {late.id: Fraction(0)}
    if z3.is_true(m.eval(on_i, model_completion=True)):
        a, b = val(m, start_i), val(m, stop_i) - 1
        if b >= a:
            months[late.id] = carved([(a, b)], investor)
    cut = []
    for u, a, e in parts:
        if z3.is_true(m.eval(u, model_completion=True)):
            cut.append((val(m, a), val(m, e)))
    for c in measure.components:
        if c.counts != "after-effectiveness":
            continue
        months[c.id] = Fraction(0)
        if eff <= as_of:
            runs = [(max(a, eff), min(b, as_of)) for a, b in fam_spans[c.family] if b >= eff and a <= as_of]
            months[c.id] = carved(runs, cut if c.excluded == "allowed_delays" else [])
    rate = Fraction(str(agreement.params[measure.rate]))
    amount = scenario.outstanding_principal * rate * sum(months.values(), Fraction(0))
    cap = agreement.params[measure.cap]
    if cap is not None:
        amount = min(amount, Fraction(str(cap)))
    days = {cid: val(m, terms[cid]) for cid in [late.id, *after]}
    return Z3Evaluation(deadlines[measure.filing_deadline], deadlines[measure.effectiveness_deadline], deadlines,
                        breaches, days, months, amount)
