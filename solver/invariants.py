"""The invariant catalogue of an agreement (rra.spec.invariants, data), each proved, refuted (with a dated
counterexample), unknown (with Z3's reason) or withheld (it rests on words a draft changed).

Each catalogue entry names a kind; this module has one interpreter per kind, which builds the claim from the
Z3 encoding of the agreement given, so a draft or a redraft changes the verdicts. `proved` is given only after
the assumptions are found satisfiable ("vacuous": false); unknown is never a pass. Users add their own in a YAML
file (solver/expr.py explains the language).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import z3
from rra.solver.encoding import Encoding
from rra.solver.encoding import name as var_name
from rra.solver.z3util import MemoSolver, Result, Status, lex_minimize, prove, session
from rra.spec.agreement import Agreement
from rra.spec.invariants import InvariantSpec
from rra.spec.process import PRESUPPOSITIONS

from rra.errors import Withheld

if TYPE_CHECKING:
    from rra.solver.assumptions import Assumptions


@dataclass(frozen=True)
class Verdict:
    """The outcome for one invariant (the `rra prove --json` record)."""

    id: str
    statement: str
    sections: tuple[str, ...]
    status: str
    vacuous: bool | None
    counterexample: list[dict[str, Any]] | None = None
    reason: str | None = None
    assumptions: tuple[str, ...] = ()
    source: str = "catalogue"
    rests_on: tuple[str, str | None] | None = None  # withheld: the element's id and its clause (the reason says it in words)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON record (a withheld verdict also names the element it rests on by its id)."""
        out: dict[str, Any] = {
            "id": self.id, "statement": self.statement, "sections": list(self.sections), "status": self.status,
            "vacuous": self.vacuous, "counterexample": self.counterexample, "reason": self.reason,
            "assumptions": list(self.assumptions), "source": self.source}
        if self.rests_on is not None:
            out["rests_on"] = {"element": self.rests_on[0], "clause": self.rests_on[1]}
        return out


def _verdict(inv_id: str, statement: str, sections: tuple[str, ...], assumptions: tuple[str, ...],
             vac: Result, res: Result, timeline: Callable[[z3.ModelRef], list[dict[str, Any]]], source: str = "catalogue"
             ) -> Verdict:
    if vac.status == Status.REFUTED:
        return Verdict(inv_id, statement, sections, "unknown", True, None,
                       "the assumptions are unsatisfiable: the statement would hold vacuously", assumptions, source)
    if vac.status == Status.UNKNOWN:
        return Verdict(inv_id, statement, sections, "unknown", None, None, vac.reason, assumptions, source)
    if res.status == Status.PROVED:
        return Verdict(inv_id, statement, sections, "proved", False, None, None, assumptions, source)
    if res.status == Status.REFUTED:
        assert res.model is not None
        return Verdict(inv_id, statement, sections, "refuted", False, timeline(res.model), None, assumptions, source)
    return Verdict(inv_id, statement, sections, "unknown", False, None, res.reason, assumptions, source)


def prove_on(enc: Encoding, inv_id: str, statement: str, sections: tuple[str, ...], assumptions: tuple[str, ...],
             claim: z3.BoolRef, assume: list[z3.BoolRef], deadlines: tuple[str, ...] = (), source: str = "catalogue",
             extra: Callable[[z3.ModelRef], list[dict[str, Any]]] | None = None) -> Verdict:
    """Prove `assume => claim` over the encoding (with the cone of its definitions and process facts). A
    counterexample is made canonical: the fewest events and periods, then the earliest dates, so the same
    invariant gets the same counterexample wherever it is proved."""
    background = enc.base(claim, *assume)
    constraints = [*background, *assume]
    with session():  # the proof and its canonical counterexample: one question
        vac, res = prove(claim, constraints, refine=lambda s, m: _minimize(enc, s, [*constraints, z3.Not(claim)], m))

    def timeline(m: z3.ModelRef) -> list[dict[str, Any]]:
        rows = enc.timeline(m, deadlines)
        if extra is not None:
            rows = sorted(rows + extra(m), key=lambda r: (r["date"], r["id"]))
        return rows

    return _verdict(inv_id, statement, sections, assumptions, vac, res, timeline, source)


@lru_cache(maxsize=1)
def _default_assumptions() -> Assumptions:
    """The shipped default assumption set, read once per process (it is a file of the package)."""
    from rra.solver.assumptions import load

    return load(None)


def realism(enc: Encoding, names: set[str]) -> list[z3.BoolRef]:
    """What a reader expects of a dated example, from the default assumption set: the SEC takes at least its
    shortest review time to declare a filing effective, and nothing is filed or made effective before the
    earliest dates the set allows. Preferred, never required: a counterexample stays valid without them."""
    a = _default_assumptions()
    m = enc.measure
    out: list[z3.BoolRef] = []

    def has(*evs: str) -> bool:
        return all(e in enc.days and var_name(enc.days[e]) in names for e in evs)

    for filed, effective in ((m.filed, m.effective), ("s3_filed", "s3_effective"),
                             ("additional_filed", "additional_effective")):
        if has(filed, effective):
            out.append(z3.Implies(enc.happened(effective), enc.event(effective) >= enc.event(filed) + a.review_min_days))
    if has(m.filed):
        out.append(z3.Implies(enc.happened(m.filed), enc.event(m.filed) >= enc.day_of(a.filing_earliest)))
    if has("pfed"):
        out.append(z3.Implies(enc.happened("pfed"), enc.event("pfed") >= enc.day_of(a.pfed_earliest)))
    # an event after the one it presupposes (rra.spec.process), or, when that one is not in the counterexample, after
    # the earliest day the assumptions allow it
    floors = {m.filed: enc.day_of(a.filing_earliest), m.effective: enc.day_of(a.filing_earliest) + a.review_min_days}
    for q in PRESUPPOSITIONS:
        if has(q.event) and has(q.after):
            out.append(z3.Implies(enc.happened(q.event), z3.And(enc.happened(q.after),
                                                                   enc.event(q.after) <= enc.event(q.event))))
        elif has(q.event) and q.after in floors:
            out.append(z3.Implies(enc.happened(q.event), enc.event(q.event) >= floors[q.after]))
    if has(m.effective):
        # a period the measure counts only after effectiveness (and the delays cut out of it) starts once the
        # statement is effective: an Allowed Delay or a stop in sales before there is a statement is no example
        after = {c.family for c in m.components if c.counts == "after-effectiveness"}
        after |= {c.excluded for c in m.components if c.counts == "after-effectiveness" and c.excluded}
        for fam in sorted(f for f in after if f):
            for sl in enc.periods.get(fam, []):
                if var_name(sl.used) in names:
                    out.append(z3.Implies(sl.used, z3.And(enc.happened(m.effective),
                                                          sl.start >= enc.event(m.effective))))
    return out


def canonical_objectives(enc: Encoding, names: set[str]) -> tuple[list[z3.ArithRef], list[z3.ArithRef]]:
    """What makes a counterexample one a reader can follow, most important first (minimised lexicographically):
    as realistic as the assumptions allow (`realism`: fewest unmet), the fewest events and periods, the earliest
    events, the shortest periods. Ties (two events either of which would do, or the same total spread
    differently) are broken by name, not by the solver's internal order, which depends on what else the context
    has built: so `rra prove --only` and a full run agree. The events that happen are chosen by name (the last in
    name order avoided first), then each date and each period's start and end, so every date shown is fixed.
    After minimising, `_minimize` moves an act of the Company or the SEC that falls on a weekend or a federal
    closure to the next business day when the timeline is still a counterexample (`acts_on_business_days`).
    `names`: the variables of the counterexample's constraints. Returned as (the four totals, the tie-breakers
    after them)."""
    events = [v for v in enc.days.values() if var_name(v) in names]
    slots = [s for fam in enc.periods.values() for s in fam if var_name(s.used) in names]
    ranked = sorted(events, key=str)
    zero = [z3.IntVal(0)]
    totals = [z3.Sum([z3.If(r, 0, 1) for r in realism(enc, names)] or zero),
              z3.Sum([z3.If(v < enc.NEVER, 1, 0) for v in events] + [z3.If(s.used, 1, 0) for s in slots] or zero),
              z3.Sum([z3.If(v < enc.NEVER, v, 0) for v in events] + [z3.If(s.used, s.start, 0) for s in slots] or zero),
              z3.Sum([z3.If(s.used, s.end - s.start, 0) for s in slots] or zero)]
    ties = [z3.If(v < enc.NEVER, 1, 0) for v in reversed(ranked)]
    ties += [z3.If(v < enc.NEVER, v, 0) for v in ranked]
    for s in sorted(slots, key=lambda s: str(s.used)):
        ties += [z3.If(s.used, s.start, 0), z3.If(s.used, s.end, 0)]
    return totals, ties


def _minimize(enc: Encoding, s: MemoSolver, constraints: list[z3.BoolRef], found: z3.ModelRef) -> z3.ModelRef:
    names: set[str] = set()
    for c in constraints:
        names |= enc.vars_of(c)
    totals, ties = canonical_objectives(enc, names)
    s.push()  # lex_minimize asserts each objective's minimum; moving a date afterwards must not be held to them
    m = lex_minimize(s, [*totals, *ties], found, settled_from=len(totals))
    s.pop()
    return acts_on_business_days(enc, s, names, m)


def acts_on_business_days(enc: Encoding, s: MemoSolver, names: set[str], m: z3.ModelRef) -> z3.ModelRef:
    """The canonical counterexample with each act of the Company or the SEC that falls on a weekend or a federal
    closure moved to the next business day, every other event and period kept, when that is still a
    counterexample (one check with everything pinned); else the counterexample as it is. (Preferring business
    days inside the minimisation puts weekday terms into each of its steps: 0.6 s -> 1.0 s for rra prove; trying
    the day before as well costs it 0.2 s and moves none of its counterexamples.)"""
    acts = acts_of(enc)
    dated = [(e, v, enc.value(m, v)) for e, v in sorted(enc.days.items()) if var_name(v) in names]
    off = [e for e, _, n in dated if e in acts and n < enc.NEVER and not enc.calendar.is_business_day(enc.date_of(n))]
    if not off:
        return m
    pins = [v == (enc.day_of(enc.calendar.add(enc.date_of(n), 1, "business")) if e in off else n) for e, v, n in dated]
    s.push()
    s.add(*pins, *enc.pinned_slots(m, names))
    better = s.model() if s.check() == z3.sat else m
    s.pop()
    return better


def acts_of(enc: Encoding) -> set[str]:
    """The encoding's events that are dated acts of the Company or the SEC (filings, declarations of
    effectiveness...: events with a scenario record), and the Prior Financing Effective Date, an SEC declaration."""
    out = {e.id for e in enc.agreement.model.events if e.controlled_by in ("company", "sec") and e.record is not None}
    return (out | {"pfed"}) & set(enc.days)


# ---------------------------------------------------------------------------------------- interpreters

Interpreter = Callable[[Agreement, InvariantSpec, str, dict[str, Any]], Verdict]


def statement_of(spec: InvariantSpec, agreement: Agreement, unread: str | None = None) -> str:
    """The statement with the agreement's values in place of "{parameter}"; with `unread`, that in place of a value
    the draft's words do not give (for a withheld verdict), which otherwise raises Withheld."""
    def value(m: re.Match[str]) -> str:
        try:
            return str(agreement.params[m.group(1)])
        except Withheld:
            if unread is None:
                raise
            return unread
    return re.sub(r"\{([\w.()]+)\}", value, spec.statement)


_SHARED: list[tuple[Agreement, dict[tuple[Any, ...], Encoding]]] = []  # the last agreement's encodings


def _encoding(agreement: Agreement, kw: dict[str, Any], **more: Any) -> Encoding:
    """The encoding of the agreement with these options (`kw` and `more` go to Encoding), shared by the invariants
    that ask for the same, for one agreement at a time: its deadlines, calendar terms and variable walks are built
    once. Sharing changes no question: each proof takes only its own expressions and the cone of definitions
    connected to them, and a definition is reached only through the auxiliary variable it defines."""
    opts = {**kw, **more}
    key = tuple(sorted((k, tuple(sorted(v.items())) if isinstance(v, dict) else v) for k, v in opts.items()))
    if not _SHARED or _SHARED[0][0] is not agreement:
        _SHARED[:] = [(agreement, {})]
    cache = _SHARED[0][1]
    if key not in cache:
        cache[key] = Encoding(agreement, **opts)
    return cache[key]


def _assumed(enc: Encoding, spec: InvariantSpec) -> list[z3.BoolRef]:
    return [*[enc.happened(e) for e in spec.given], *[enc.event(e) > 0 for e in spec.after_signing]]


def _deadline_order(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = _encoding(agreement, kw)
    a, b = (enc.deadline(d) for d in spec.args)
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, a.day <= b.day, _assumed(enc, spec),
                    spec.args)


def _deadline_equal(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = _encoding(agreement, kw)
    a, b = (enc.deadline(d) for d in spec.args)
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, a.day == b.day, _assumed(enc, spec),
                    spec.args)


def _later_costs_more(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    a, b = _encoding(agreement, kw, prefix="a."), _encoding(agreement, kw, prefix="b.")
    m = agreement.model.payment_measure()
    reading = spec.args[0] if spec.args else None
    same = [a.event(n) == b.event(n) for n in ("pfed", m.filed)]
    claim = b.days_i(reading) >= a.days_i(reading)
    assume = [*b.base(claim), *same, a.happened(m.effective), b.event(m.effective) >= a.event(m.effective)]
    return prove_on(a, spec.id, statement, spec.sections, spec.assumptions, claim, assume)


def _reading_within(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = _encoding(agreement, kw)
    inner, outer = spec.args
    m = agreement.model.payment_measure()
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions,
                    enc.days_i(inner) <= enc.days_i(outer), [], (m.filing_deadline, m.effectiveness_deadline))


def _component_needs_trigger(agreement: Agreement, spec: InvariantSpec, statement: str,
                             kw: dict[str, Any]) -> Verdict:
    c = agreement.model.payment_measure().component(spec.args[0])
    enc = _encoding(agreement, kw, slots={c.family: 1})
    trig = z3.Or([enc.happened(t) for t in c.triggers if t not in c.periods] or [z3.BoolVal(False)])
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions,
                    z3.Implies(enc.days_after(c.id) > 0, trig), [])


def _designated_delay(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    c = agreement.model.payment_measure().component(spec.args[0])
    enc = _encoding(agreement, kw, slots={c.family: 1, "allowed_delays": 1})
    b, d = enc.periods[c.family][0], enc.periods["allowed_delays"][0]
    assume = [b.used, d.used, b.start == d.start, b.end == d.end, enc.is_day(d.start, "trading")]
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, enc.days_after(c.id) == 0, assume)


def _allowed_not_counted(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    c = agreement.model.payment_measure().component(spec.args[0])
    enc = _encoding(agreement, kw, slots={c.family: 1, "allowed_delays": 1})
    x = z3.Int("x")
    (u, a, b), = enc.allowed_parts()
    blk = enc.periods[c.family][0]
    eff = enc.event(agreement.measure.effective)
    counted = z3.And(blk.used, blk.start <= x, x <= blk.end, eff <= x, x <= enc.asof, z3.Not(z3.And(u, a <= x, x <= b)))
    claim = z3.And(z3.Implies(z3.And(u, a <= x, x <= b), z3.Not(counted)),
                   z3.Implies(z3.Not(u), enc.days_after(c.id) == enc.overlap(blk.start, blk.end, eff, z3.IntVal(enc.asof))))
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, claim, [z3.And(x >= 0, x <= enc.H)])


def _blackout(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = _encoding(agreement, kw)
    n, r = enc.event("suspension_notice"), enc.event("amended_prospectus_received")
    cap = int(agreement.params[agreement.model.payment_measure().allowed_delay[0]])
    # 4(d): from the notice of a 3(f) or 3(g) event until the amended prospectus arrives. 3(f) bounds only the
    # Allowed Delay; 3(g) asks best efforts to lift a stop order, with no time limit. The model sets no bound.
    stop = enc.event("stop_order")
    assume = [enc.happened("suspension_notice"), r > n, z3.Or(enc.happened("stop_order"), enc.happened("material_event")),
              z3.Implies(enc.happened("stop_order"), stop <= n)]
    blackout = enc.days_between(n, r - 1, "trading")
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, blackout <= cap, assume)


def _liability_cap(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    indemnity, contribution, proceeds, proceeds_all = z3.Reals("indemnity_6b contribution_7 net_proceeds_rs net_proceeds_all")
    model = agreement.model
    caps = {c.id for c in model.carve_outs if model.usable(c.id)}
    cap_6b, cap_7 = spec.args
    assume: list[z3.BoolRef] = [indemnity >= 0, contribution >= 0, proceeds >= 0, proceeds_all >= proceeds]
    if cap_6b in caps:  # "liable under this Agreement (including this Section 6(b) and Section 7) for only ..."
        assume.append(indemnity + contribution <= proceeds)
    if cap_7 in caps:  # 7(iii): contribution together with indemnification limited to net proceeds
        assume.append(indemnity + contribution <= proceeds_all)
    vac, res = prove(indemnity + contribution <= proceeds, assume)
    day0 = agreement.params["agreement.date"].isoformat()

    def timeline(m: z3.ModelRef) -> list[dict[str, Any]]:
        return [{"date": day0, "event": f"{v} = {m.eval(v, model_completion=True)}", "id": str(v),
                 "clause": spec.sections[0]} for v in (indemnity, contribution, proceeds)]

    return _verdict(spec.id, statement, spec.sections, spec.assumptions, vac, res, timeline)


def _allowed_delay_caps(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    from rra.solver.adproof import cap_proof

    return _as_entry(cap_proof(agreement), spec, statement)


def _allowed_delay_blackout(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    from rra.solver.adproof import blackout_proof

    return _as_entry(blackout_proof(agreement), spec, statement)


def _as_entry(v: Verdict, spec: InvariantSpec, statement: str) -> Verdict:
    """A count-free proof's verdict under the catalogue entry's id, statement and clauses (its own assumptions,
    which name the calendar facts it checked, are kept)."""
    return Verdict(spec.id, statement, spec.sections, v.status, v.vacuous, v.counterexample, v.reason, v.assumptions)


INTERPRETERS: dict[str, Interpreter] = {
    "deadline-order": _deadline_order,
    "deadline-equal": _deadline_equal,
    "later-costs-more": _later_costs_more,
    "reading-within": _reading_within,
    "component-needs-trigger": _component_needs_trigger,
    "designated-delay": _designated_delay,
    "allowed-delay-not-counted": _allowed_not_counted,
    "blackout": _blackout,
    "liability-cap": _liability_cap,
    "allowed-delay-caps": _allowed_delay_caps,
    "allowed-delay-blackout": _allowed_delay_blackout,
}


def check(agreement: Agreement, spec: InvariantSpec, **kw: Any) -> Verdict:
    """The verdict on one catalogue entry (withheld if it rests on words a draft changed)."""
    try:
        statement = statement_of(spec, agreement)
        return INTERPRETERS[spec.kind](agreement, spec, statement, kw)
    except Withheld as w:
        return Verdict(spec.id, statement_of(spec, agreement, "(a number the draft's words do not give)"),
                       spec.sections, "withheld", None, None,
                       f"{w.rests_on}: {w.reason}", spec.assumptions, rests_on=(w.element, w.clause))


def check_all(agreement: Agreement, only: list[str] | None = None, **kw: Any) -> list[Verdict]:
    """Verdicts for the agreement's catalogue (or the named invariants); `kw` goes to Encoding."""
    return [check(agreement, spec, **kw) for spec in agreement.invariants if not only or spec.id in only]
