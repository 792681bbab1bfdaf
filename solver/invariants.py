"""A catalogue of invariants of the agreement, each proved, refuted (with a dated counterexample) or unknown.

Each invariant is built from the Z3 encoding (solver/encoding.py) for a ParameterSet, so a redraft changes the
verdicts. `proved` is given only after the assumptions are found satisfiable ("vacuous": false); unknown carries
Z3's reason and is never a pass. Users add their own in a YAML file (solver/expr.py explains the language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import z3
from rra.solver.calendars import from_day
from rra.solver.encoding import AllowedDelayModel, Encoding, allowed_delay_model
from rra.solver.z3util import Result, Status, make_solver, prove
from rra.spec.overrides import DEFAULTS, ParameterSet


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


@dataclass(frozen=True)
class Invariant:
    """An invariant: statement, sections, assumptions in words, and how to check it."""

    id: str
    statement: str
    sections: tuple[str, ...]
    assumptions: tuple[str, ...]
    check: Callable[[ParameterSet, dict[str, Any]], Verdict] = field(compare=False)


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
    """Prove `assume => claim` over the encoding (with the cone of its definitions and process facts)."""
    background = enc.base(claim, *assume)
    vac, res = prove(claim, [*background, *assume])

    def timeline(m: z3.ModelRef) -> list[dict[str, Any]]:
        rows = enc.timeline(m, deadlines)
        if extra is not None:
            rows = sorted(rows + extra(m), key=lambda r: (r["date"], r["id"]))
        return rows

    return _verdict(inv_id, statement, sections, assumptions, vac, res, timeline, source)


# ---------------------------------------------------------------------------------------- catalogue


def _filing_before_effectiveness(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    fd, ed = enc.deadline("deadline.filing_date"), enc.deadline("deadline.effectiveness")
    return prove_on(enc, "filing-before-effectiveness-deadline",
                    "The Filing Date never falls after the 2(c) effectiveness deadline.", ("2(a)", "2(c)"),
                    ("any Prior Financing Effective Date on or after the agreement date, or none",),
                    fd.day <= ed.day, [], ("deadline.filing_date", "deadline.effectiveness"))


def _filing_before_3a(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    fd, ed = enc.deadline("deadline.filing_date"), enc.deadline("deadline.effectiveness_3a")
    return prove_on(enc, "filing-before-3a-deadline",
                    "Once the PFED has occurred, the Filing Date never falls after 3(a)'s effectiveness deadline.",
                    ("2(a)", "3(a)"), ("the Prior Financing Effective Date occurs",),
                    fd.day <= ed.day, [enc.happened("pfed")], ("deadline.filing_date", "deadline.effectiveness_3a"))


def _effectiveness_deadlines_agree(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    a, b = enc.deadline("deadline.effectiveness"), enc.deadline("deadline.effectiveness_3a")
    return prove_on(enc, "effectiveness-deadlines-agree",
                    "2(c) and 3(a) set the same effectiveness deadline whenever the PFED occurs.", ("2(c)", "3(a)"),
                    ("the Prior Financing Effective Date occurs",), a.day == b.day, [enc.happened("pfed")],
                    ("deadline.effectiveness", "deadline.effectiveness_3a"))


def _s3_deadlines_ordered(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    f, e = enc.deadline("deadline.s3_filing"), enc.deadline("deadline.s3_effective")
    return prove_on(enc, "s3-filing-before-s3-effectiveness",
                    "2(e)'s Form S-3 filing deadline never falls after its effectiveness deadline.", ("2(e)",),
                    ("the PFED occurs", "the Company becomes eligible for Form S-3 after the agreement date"),
                    f.day <= e.day, [enc.happened("pfed"), enc.happened("s3_eligible"), enc.event("s3_eligible") > 0],
                    ("deadline.s3_filing", "deadline.s3_effective"))


def _additional_ordered(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    f, e = enc.deadline("deadline.additional_filing"), enc.deadline("deadline.additional_effective")
    return prove_on(enc, "additional-filing-before-effectiveness",
                    "3(b)'s deadline to file for more shares never falls after the deadline for that filing to be "
                    "effective.", ("3(b)",),
                    ("more shares become necessary", "the Company determines (or should have) the need, not before it arises"),
                    f.day <= e.day, [enc.happened("more_shares_needed"), enc.happened("need_determined")],
                    ("deadline.additional_filing", "deadline.additional_effective"))


def _later_effectiveness_costs_more(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    a, b = Encoding(params, prefix="a.", **kw), Encoding(params, prefix="b.", **kw)
    same = [a.event(n) == b.event(n) for n in ("pfed", "rs_filed")]
    claim = b.days_i("text") >= a.days_i("text")
    assume = [*b.base(claim), *same, a.happened("rs_effective"), b.event("rs_effective") >= a.event("rs_effective")]
    return prove_on(a, "later-effectiveness-never-costs-less",
                    "Under 2(c)(i), a later effective date never counts fewer days (same PFED and filing date).",
                    ("2(c)",), ("two timelines with the same PFED and filing date", "the second is effective no earlier"),
                    claim, assume)


def _text_within_example(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    return prove_on(enc, "text-reading-within-example-reading",
                    "The text reading of 2(c)(i) never counts more days than the worked example's reading.", ("2(c)",),
                    ("any timeline",), enc.days_i("text") <= enc.days_i("example"), [],
                    ("deadline.filing_date", "deadline.effectiveness"))


def _measure_needs_trigger(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw, slots={"not_listed": 1})
    trig = z3.Or(enc.happened("delisted_major"), enc.happened("otcbb_ceased"))
    return prove_on(enc, "listing-months-need-a-trigger",
                    "2(c)(iii) counts months only after a listing trigger of 2(c) ((iii) delisting from a major market "
                    "or (iv) OTCBB cessation) has occurred.", ("2(c)",), ("any timeline with one not-listed period",),
                    z3.Implies(enc.days_iii() > 0, trig), [])


def _designated_delay_never_counted(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw, slots={"blocked": 1, "allowed_delays": 1})
    b, d = enc.periods["blocked"][0], enc.periods["allowed_delays"][0]
    assume = [b.used, d.used, b.start == d.start, b.end == d.end, enc.is_day(d.start, "trading")]
    return prove_on(enc, "designated-allowed-delay-never-counted",
                    "A stop in sales that the Company designates as an Allowed Delay never counts under 2(c)(ii).",
                    ("2(c)", "3(f)"), ("sales are blocked exactly during one period the Company calls an Allowed Delay, starting on a trading day",),
                    enc.days_ii() == 0, assume)


def _allowed_day_not_counted(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw, slots={"blocked": 1, "allowed_delays": 1})
    x = z3.Int("x")
    (u, a, b), = enc.allowed_parts()
    blk = enc.periods["blocked"][0]
    eff = enc.event("rs_effective")
    counted = z3.And(blk.used, blk.start <= x, x <= blk.end, eff <= x, x <= enc.asof, z3.Not(z3.And(u, a <= x, x <= b)))
    return prove_on(enc, "allowed-delay-days-not-counted",
                    "No day inside the part of an Allowed Delay within the 3(f) caps is counted under 2(c)(ii), and "
                    "2(c)(ii) counts exactly the blocked days after effectiveness outside it.", ("2(c)", "3(f)"),
                    ("one blocked period and one Allowed Delay",),
                    z3.And(z3.Implies(z3.And(u, a <= x, x <= b), z3.Not(counted)),
                           z3.Implies(z3.Not(u), enc.days_ii() == enc.overlap(blk.start, blk.end, eff, z3.IntVal(enc.asof)))),
                    [z3.And(x >= 0, x <= enc.H)])


def _blackout_bounded(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    enc = Encoding(params, **kw)
    n, r = enc.event("suspension_notice"), enc.event("amended_prospectus_received")
    cap = int(params["allowed_delay.max_consecutive"])
    # 4(d): from the notice of a 3(f) or 3(g) event until the amended prospectus arrives. 3(f) bounds only the
    # Allowed Delay; 3(g) asks best efforts to lift a stop order, with no time limit. The model sets no bound.
    stop = enc.event("stop_order")
    assume = [enc.happened("suspension_notice"), r > n, z3.Or(enc.happened("stop_order"), enc.happened("material_event")),
              z3.Implies(enc.happened("stop_order"), stop <= n)]
    blackout = enc.days_between(n, r - 1, "trading")
    return prove_on(enc, "investor-blackout-bounded",
                    f"An Investor's blackout under 4(d) never lasts more than {cap} trading days (the Allowed Delay cap).",
                    ("4(d)", "3(f)", "3(g)"), ("an Investor receives a 3(f) or 3(g) notice",), blackout <= cap, assume)


def _liability_cap(params: ParameterSet, kw: dict[str, Any]) -> Verdict:
    from rra.spec.model import CARVE_OUTS

    indemnity, contribution, proceeds, proceeds_all = z3.Reals("indemnity_6b contribution_7 net_proceeds_rs net_proceeds_all")
    caps = {c.id for c in CARVE_OUTS}
    assume: list[z3.BoolRef] = [indemnity >= 0, contribution >= 0, proceeds >= 0, proceeds_all >= proceeds]
    if "6(b).cap" in caps:  # "liable under this Agreement (including this Section 6(b) and Section 7) for only ..."
        assume.append(indemnity + contribution <= proceeds)
    if "7.limits" in caps:  # 7(iii): contribution together with indemnification limited to net proceeds
        assume.append(indemnity + contribution <= proceeds_all)
    vac, res = prove(indemnity + contribution <= proceeds, assume)

    def timeline(m: z3.ModelRef) -> list[dict[str, Any]]:
        return [{"date": from_day(0).isoformat(), "event": f"{v} = {m.eval(v, model_completion=True)}", "id": str(v),
                 "clause": "6(b)"} for v in (indemnity, contribution, proceeds)]

    return _verdict("investor-liability-within-net-proceeds",
                    "An Investor's liability under 6(b) and 7 together never exceeds its net proceeds from the sale of "
                    "Registrable Securities under the Registration Statement.", ("6(b)", "7"),
                    ("any losses, any indemnity and contribution claims",), vac, res, timeline)


def allowed_delay_caps(params: ParameterSet = DEFAULTS, n: int = 10, years: int = 10,
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

    m = model or allowed_delay_model(n, years, params)
    sid = "allowed-delay-caps"
    statement = (f"The days excluded as Allowed Delays never exceed {m.cap} consecutive trading days, nor {m.total} "
                 f"trading days in any {params['allowed_delay.window_months']}-month period ({n} delays, {years} years "
                 "of trading days).")
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
        return _ad_result(sid, statement, sections, assumptions, s.check(), s, m)
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
        return _ad_result(sid, statement, sections, assumptions, s.check(), s, m)
    return Verdict(sid, statement, sections, "proved", False, None, None, assumptions)


def _ad_result(sid: str, statement: str, sections: tuple[str, ...], assumptions: tuple[str, ...],
               r: z3.CheckSatResult, s: z3.Solver, m: AllowedDelayModel) -> Verdict:
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
        rows.append({"date": trading_date(st), "event": f"Allowed Delay of {ln} trading days, {al} within the caps",
                     "id": f"allowed_delays[{i}]", "clause": "3(f)"})
    return Verdict(sid, statement, sections, "refuted", False, rows, None, assumptions)


def trading_date(index: int) -> str:
    """ISO date of the trading day with this index (0 = the first trading day on or after the agreement date)."""
    from rra.solver.calendars import DEFAULT_CALENDAR

    first = from_day(0)
    days = DEFAULT_CALENDAR.days_in(first, first.replace(year=first.year + 40 if first.year + 40 <= 2040 else 2040),
                                    "trading")
    return days[index].isoformat() if 0 <= index < len(days) else f"trading day {index}"


CATALOGUE: tuple[Invariant, ...] = (
    Invariant("filing-before-effectiveness-deadline", "The Filing Date never falls after the 2(c) effectiveness deadline.",
              ("2(a)", "2(c)"), (), _filing_before_effectiveness),
    Invariant("filing-before-3a-deadline", "", ("2(a)", "3(a)"), (), _filing_before_3a),
    Invariant("effectiveness-deadlines-agree", "", ("2(c)", "3(a)"), (), _effectiveness_deadlines_agree),
    Invariant("s3-filing-before-s3-effectiveness", "", ("2(e)",), (), _s3_deadlines_ordered),
    Invariant("additional-filing-before-effectiveness", "", ("3(b)",), (), _additional_ordered),
    Invariant("allowed-delay-caps", "", ("3(f)", "2(c)"), (), lambda p, kw: allowed_delay_caps(p)),
    Invariant("allowed-delay-days-not-counted", "", ("2(c)", "3(f)"), (), _allowed_day_not_counted),
    Invariant("designated-allowed-delay-never-counted", "", ("2(c)", "3(f)"), (), _designated_delay_never_counted),
    Invariant("later-effectiveness-never-costs-less", "", ("2(c)",), (), _later_effectiveness_costs_more),
    Invariant("text-reading-within-example-reading", "", ("2(c)",), (), _text_within_example),
    Invariant("listing-months-need-a-trigger", "", ("2(c)",), (), _measure_needs_trigger),
    Invariant("investor-liability-within-net-proceeds", "", ("6(b)", "7"), (), _liability_cap),
    Invariant("investor-blackout-bounded", "", ("4(d)", "3(f)", "3(g)"), (), _blackout_bounded),
)


def check_all(params: ParameterSet = DEFAULTS, only: list[str] | None = None, **kw: Any) -> list[Verdict]:
    """Verdicts for the catalogue (or the named invariants); `kw` goes to Encoding (e.g. deadline_terms)."""
    return [inv.check(params, kw) for inv in CATALOGUE if not only or inv.id in only]
