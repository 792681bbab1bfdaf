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
from typing import Any

import z3
from rra.solver.encoding import AllowedDelayModel, Encoding, allowed_delay_model
from rra.solver.z3util import Result, Status, make_optimize, make_solver, prove
from rra.spec.agreement import Agreement
from rra.spec.invariants import InvariantSpec

from rra.errors import Withheld


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

    def to_json(self) -> dict[str, Any]:
        """The documented JSON record."""
        return {"id": self.id, "statement": self.statement, "sections": list(self.sections), "status": self.status,
                "vacuous": self.vacuous, "counterexample": self.counterexample, "reason": self.reason,
                "assumptions": list(self.assumptions), "source": self.source}


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
    vac, res = prove(claim, [*background, *assume])
    if res.status == Status.REFUTED:
        res = Result(Status.REFUTED, model=canonical_model(enc, [*background, *assume, z3.Not(claim)], res.model))

    def timeline(m: z3.ModelRef) -> list[dict[str, Any]]:
        rows = enc.timeline(m, deadlines)
        if extra is not None:
            rows = sorted(rows + extra(m), key=lambda r: (r["date"], r["id"]))
        return rows

    return _verdict(inv_id, statement, sections, assumptions, vac, res, timeline, source)


def realism(enc: Encoding, names: set[str]) -> list[z3.BoolRef]:
    """What a reader expects of a dated example, from the default assumption set: the SEC takes at least its
    shortest review time to declare a filing effective, and nothing is filed or made effective before the
    earliest dates the set allows. Preferred, never required: a counterexample stays valid without them."""
    from rra.solver.assumptions import load

    a = load(None)
    m = enc.measure
    out: list[z3.BoolRef] = []

    def has(*evs: str) -> bool:
        return all(e in enc.days and str(enc.days[e]) in names for e in evs)

    for filed, effective in ((m.filed, m.effective), ("s3_filed", "s3_effective"),
                             ("additional_filed", "additional_effective")):
        if has(filed, effective):
            out.append(z3.Implies(enc.happened(effective), enc.event(effective) >= enc.event(filed) + a.review_min_days))
    if has(m.filed):
        out.append(z3.Implies(enc.happened(m.filed), enc.event(m.filed) >= enc.day_of(a.filing_earliest)))
    if has("pfed"):
        out.append(z3.Implies(enc.happened("pfed"), enc.event("pfed") >= enc.day_of(a.pfed_earliest)))
    return out


def canonical_model(enc: Encoding, constraints: list[z3.BoolRef], found: z3.ModelRef | None) -> z3.ModelRef | None:
    """The counterexample a reader can follow: as realistic as the assumptions allow (`realism`), then the fewest
    events and periods, then the earliest events, then the shortest periods (lexicographic); the one found when
    the optimizer cannot finish within its timeout."""
    names: set[str] = set()
    for c in constraints:
        names |= enc.vars_of(c)
    events = [v for v in enc.days.values() if str(v) in names]
    slots = [s for fam in enc.periods.values() for s in fam if str(s.used) in names]
    o = make_optimize()
    o.add(*constraints)
    for r in realism(enc, names):
        o.add_soft(r, 1, "realism")
    o.minimize(z3.Sum([z3.If(v < enc.NEVER, 1, 0) for v in events] + [z3.If(s.used, 1, 0) for s in slots]
                      or [z3.IntVal(0)]))
    o.minimize(z3.Sum([z3.If(v < enc.NEVER, v, 0) for v in events] + [z3.If(s.used, s.start, 0) for s in slots]
                      or [z3.IntVal(0)]))
    o.minimize(z3.Sum([z3.If(s.used, s.end - s.start, 0) for s in slots] or [z3.IntVal(0)]))
    return o.model() if o.check() == z3.sat else found


# ---------------------------------------------------------------------------------------- interpreters

Interpreter = Callable[[Agreement, InvariantSpec, str, dict[str, Any]], Verdict]


def statement_of(spec: InvariantSpec, agreement: Agreement) -> str:
    """The statement with the agreement's values in place of "{parameter}"."""
    return re.sub(r"\{([\w.()]+)\}", lambda m: str(agreement.params[m.group(1)]), spec.statement)


def _assumed(enc: Encoding, spec: InvariantSpec) -> list[z3.BoolRef]:
    return [*[enc.happened(e) for e in spec.given], *[enc.event(e) > 0 for e in spec.after_signing]]


def _deadline_order(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(agreement, **kw)
    a, b = (enc.deadline(d) for d in spec.args)
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, a.day <= b.day, _assumed(enc, spec),
                    spec.args)


def _deadline_equal(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(agreement, **kw)
    a, b = (enc.deadline(d) for d in spec.args)
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, a.day == b.day, _assumed(enc, spec),
                    spec.args)


def _later_costs_more(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    a, b = Encoding(agreement, prefix="a.", **kw), Encoding(agreement, prefix="b.", **kw)
    m = agreement.model.payment_measure()
    reading = spec.args[0] if spec.args else None
    same = [a.event(n) == b.event(n) for n in ("pfed", m.filed)]
    claim = b.days_i(reading) >= a.days_i(reading)
    assume = [*b.base(claim), *same, a.happened(m.effective), b.event(m.effective) >= a.event(m.effective)]
    return prove_on(a, spec.id, statement, spec.sections, spec.assumptions, claim, assume)


def _reading_within(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(agreement, **kw)
    inner, outer = spec.args
    m = agreement.model.payment_measure()
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions,
                    enc.days_i(inner) <= enc.days_i(outer), [], (m.filing_deadline, m.effectiveness_deadline))


def _component_needs_trigger(agreement: Agreement, spec: InvariantSpec, statement: str,
                             kw: dict[str, Any]) -> Verdict:
    c = agreement.model.payment_measure().component(spec.args[0])
    enc = Encoding(agreement, **kw, slots={c.family: 1})
    trig = z3.Or([enc.happened(t) for t in c.triggers if t not in c.periods] or [z3.BoolVal(False)])
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions,
                    z3.Implies(enc.days_after(c.id) > 0, trig), [])


def _designated_delay(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    c = agreement.model.payment_measure().component(spec.args[0])
    enc = Encoding(agreement, **kw, slots={c.family: 1, "allowed_delays": 1})
    b, d = enc.periods[c.family][0], enc.periods["allowed_delays"][0]
    assume = [b.used, d.used, b.start == d.start, b.end == d.end, enc.is_day(d.start, "trading")]
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, enc.days_after(c.id) == 0, assume)


def _allowed_not_counted(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    c = agreement.model.payment_measure().component(spec.args[0])
    enc = Encoding(agreement, **kw, slots={c.family: 1, "allowed_delays": 1})
    x = z3.Int("x")
    (u, a, b), = enc.allowed_parts()
    blk = enc.periods[c.family][0]
    eff = enc.event(agreement.measure.effective)
    counted = z3.And(blk.used, blk.start <= x, x <= blk.end, eff <= x, x <= enc.asof, z3.Not(z3.And(u, a <= x, x <= b)))
    claim = z3.And(z3.Implies(z3.And(u, a <= x, x <= b), z3.Not(counted)),
                   z3.Implies(z3.Not(u), enc.days_after(c.id) == enc.overlap(blk.start, blk.end, eff, z3.IntVal(enc.asof))))
    return prove_on(enc, spec.id, statement, spec.sections, spec.assumptions, claim, [z3.And(x >= 0, x <= enc.H)])


def _blackout(agreement: Agreement, spec: InvariantSpec, statement: str, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(agreement, **kw)
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
    v = allowed_delay_caps(agreement)
    return Verdict(spec.id, statement + f" ({v.assumptions[0]})" if v.assumptions else statement, spec.sections,
                   v.status, v.vacuous, v.counterexample, v.reason, v.assumptions)


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
}


def check(agreement: Agreement, spec: InvariantSpec, **kw: Any) -> Verdict:
    """The verdict on one catalogue entry (withheld if it rests on words a draft changed)."""
    try:
        statement = statement_of(spec, agreement)
        return INTERPRETERS[spec.kind](agreement, spec, statement, kw)
    except Withheld as w:
        return Verdict(spec.id, spec.statement, spec.sections, "withheld", None, None,
                       f"{w.element}{f' ({w.clause})' if w.clause else ''}: {w.reason}", spec.assumptions)


def check_all(agreement: Agreement, only: list[str] | None = None, **kw: Any) -> list[Verdict]:
    """Verdicts for the agreement's catalogue (or the named invariants); `kw` goes to Encoding."""
    return [check(agreement, spec, **kw) for spec in agreement.invariants if not only or spec.id in only]


def allowed_delay_caps(agreement: Agreement, n: int = 10, years: int = 10,
                       model: AllowedDelayModel | None = None) -> Verdict:
    """The 3(f) truncation keeps the excluded days within the caps: each allowed part is at most max_consecutive
    trading days, and every 12-month window holds at most max_total of them.

    Modular proof, every step by Z3: (1) the assumptions hold with delays longer than the cap (not vacuous);
    (2) the rule never allows more than max_consecutive days of one delay; three lemmas about one delay, proved
    once for symbolic values and used for every delay, since each delay's terms have that very shape: (A) the
    days of a delay inside a window starting at w are at most its days from any earlier day lo on, (B) a delay
    whose last day inside the window is its (k+1)-th has at most k+1 days inside, (C) a delay with nothing
    allowed, or starting after the window, has none inside; (3) for each possible last allowed day (i, k) inside
    the window, the rule for that day and the lemmas bound the window's count by max_total; (4) the cases cover
    every window that holds an allowed day.
    """
    from rra.solver.encoding import allowed_from, window_overlap

    m = model or allowed_delay_model(n, years, agreement)
    params = agreement.params
    sid = "allowed-delay-caps"
    window = params[agreement.model.payment_measure().allowed_delay[2]]
    statement = (f"The days excluded as Allowed Delays never exceed {m.cap} consecutive trading days, nor {m.total} "
                 f"trading days in any {window}-month period ({n} delays, {years} years of trading days).")
    sections = ("3(f)", "2(c)")
    assumptions = (f"up to {n} requested delays of any length over {years} years of trading days",)

    def unsat(*fs: z3.BoolRef) -> tuple[bool, z3.Solver]:
        s = make_solver()
        s.add(*fs)
        return s.check() == z3.unsat, s

    struct: list[z3.BoolRef] = []
    for i in range(m.n):
        struct += [m.starts[i] >= 0, m.lengths[i] >= 1, m.starts[i] + m.lengths[i] <= m.horizon,
                   m.allowed[i] >= 0, m.allowed[i] <= m.lengths[i], m.allowed[i] <= m.cap]  # the cap: step (2)
        if i:
            struct.append(m.starts[i] >= m.starts[i - 1] + m.lengths[i - 1])
    vs = make_solver()
    vs.add(*m.facts, *m.window_facts, *[ln > m.cap for ln in m.lengths], m.allowed[0] == m.cap)
    r = vs.check()
    if r != z3.sat:
        return Verdict(sid, statement, sections, "unknown", r == z3.unsat, None,
                       "assumptions unsatisfiable" if r == z3.unsat else vs.reason_unknown(), assumptions)
    ok, s = unsat(*m.facts, z3.Not(z3.And([a <= m.cap for a in m.allowed])))
    if not ok:
        return _ad_result(sid, statement, sections, assumptions, s.check(), s, m, agreement)
    S, A, W, E, L, K = z3.Ints("lemma.s lemma.a lemma.w lemma.e lemma.lo lemma.k")
    ov = window_overlap(S, A, W, E)
    lemmas = {
        "A": [A >= 0, L <= W, z3.Not(ov <= allowed_from(S, A, L))],
        "B": [K >= 0, A >= K + 1, S + K >= W, S + K < E, z3.Or(A == K + 1, S + K + 1 >= E), z3.Not(ov <= K + 1)],
        "C": [A >= 0, z3.Or(A == 0, S >= E), z3.Not(ov == 0)],
    }
    for name, fs in lemmas.items():
        ok, s = unsat(*fs)
        if not ok:
            return Verdict(sid, statement, sections, "unknown", False, None, f"lemma {name} not proved: {s.check()}",
                           assumptions)
    cases = []
    cs = make_solver()
    for i in range(m.n):
        for k in range(m.cap):
            inside = z3.And(m.allowed[i] >= k + 1, m.starts[i] + k >= m.w, m.starts[i] + k < m.e)
            later = [z3.Or(m.allowed[j] == 0, m.starts[j] >= m.e) for j in range(i + 1, m.n)]
            cases.append(z3.And(inside, z3.Or(m.allowed[i] == k + 1, m.starts[i] + k + 1 >= m.e), *later))
            # opaque names for the terms the lemmas speak about, each tied to its lemma's conclusion
            o = [z3.Int(f"case.ov[{j}]") for j in range(m.n)]
            e_ = [z3.Int(f"case.from[{j}]") for j in range(i)]
            lo_le_w = z3.Int("case.lo") <= m.w
            facts = [z3.Int("case.lo") == m.lo[i][k], cases[-1], m.window_at(i, k), m.allowed[i] >= k + 1,
                     z3.Implies(m.starts[i] + k < m.e, lo_le_w)]
            facts += [z3.Implies(lo_le_w, o[j] <= e_[j]) for j in range(i)]  # lemma A
            facts += [o[i] <= k + 1] + [o[j] == 0 for j in range(i + 1, m.n)]  # lemmas B, C (their premises: the case)
            facts.append(z3.Sum(e_) + (k + 1) <= m.total if e_ else z3.BoolVal(k + 1 <= m.total))  # the rule at (i, k)
            cs.push()
            cs.add(*facts, z3.Not(z3.Sum(o) <= m.total))
            r = cs.check()
            cs.pop()
            if r != z3.unsat:
                return Verdict(sid, statement, sections, "unknown", False, None, f"case ({i}, {k}) not proved: {r}",
                               assumptions)
    ok, s = unsat(*struct, z3.Not(z3.Or(cases)), m.in_window() > 0)
    if not ok:
        return _ad_result(sid, statement, sections, assumptions, s.check(), s, m, agreement)
    return Verdict(sid, statement, sections, "proved", False, None, None, assumptions)


def _ad_result(sid: str, statement: str, sections: tuple[str, ...], assumptions: tuple[str, ...],
               r: z3.CheckSatResult, s: z3.Solver, m: AllowedDelayModel, agreement: Agreement) -> Verdict:
    if r == z3.unsat:
        return Verdict(sid, statement, sections, "proved", False, None, None, assumptions)
    if r == z3.unknown:
        return Verdict(sid, statement, sections, "unknown", False, None, s.reason_unknown(), assumptions)
    mod = s.model()
    rows = []
    for i in range(m.n):
        st = mod.eval(m.starts[i], model_completion=True).as_long()
        ln = mod.eval(m.lengths[i], model_completion=True).as_long()
        al = mod.eval(m.allowed[i], model_completion=True).as_long()
        rows.append({"date": trading_date(st, agreement), "event": f"Allowed Delay of {ln} trading days, {al} within the caps",
                     "id": f"allowed_delays[{i}]", "clause": "3(f)"})
    return Verdict(sid, statement, sections, "refuted", False, rows, None, assumptions)


def trading_date(index: int, agreement: Agreement) -> str:
    """ISO date of the trading day with this index (0 = the first trading day on or after the agreement date)."""
    from rra.solver.calendars import DEFAULT_CALENDAR, LAST_YEAR

    first = agreement.params["agreement.date"]
    days = DEFAULT_CALENDAR.days_in(first, first.replace(year=min(first.year + 40, LAST_YEAR)), "trading")
    return days[index].isoformat() if 0 <= index < len(days) else f"trading day {index}"
