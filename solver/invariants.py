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
from rra.solver.encoding import Encoding
from rra.solver.z3util import Result, Status, prove
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


CATALOGUE: tuple[Invariant, ...] = (
    Invariant("filing-before-effectiveness-deadline", "The Filing Date never falls after the 2(c) effectiveness deadline.",
              ("2(a)", "2(c)"), (), _filing_before_effectiveness),
    Invariant("filing-before-3a-deadline", "", ("2(a)", "3(a)"), (), _filing_before_3a),
    Invariant("effectiveness-deadlines-agree", "", ("2(c)", "3(a)"), (), _effectiveness_deadlines_agree),
    Invariant("s3-filing-before-s3-effectiveness", "", ("2(e)",), (), _s3_deadlines_ordered),
    Invariant("additional-filing-before-effectiveness", "", ("3(b)",), (), _additional_ordered),
    Invariant("allowed-delay-caps", "", ("3(f)", "2(c)"), (), lambda p, kw: _adproof("cap_proof", p)),
    Invariant("allowed-delay-blackout", "", ("3(f)", "2(c)"), (), lambda p, kw: _adproof("blackout_proof", p)),
    Invariant("allowed-delay-days-not-counted", "", ("2(c)", "3(f)"), (), _allowed_day_not_counted),
    Invariant("designated-allowed-delay-never-counted", "", ("2(c)", "3(f)"), (), _designated_delay_never_counted),
    Invariant("later-effectiveness-never-costs-less", "", ("2(c)",), (), _later_effectiveness_costs_more),
    Invariant("text-reading-within-example-reading", "", ("2(c)",), (), _text_within_example),
    Invariant("listing-months-need-a-trigger", "", ("2(c)",), (), _measure_needs_trigger),
    Invariant("investor-liability-within-net-proceeds", "", ("6(b)", "7"), (), _liability_cap),
    Invariant("investor-blackout-bounded", "", ("4(d)", "3(f)", "3(g)"), (), _blackout_bounded),
)


def _adproof(name: str, params: ParameterSet) -> Verdict:
    """The count-free Allowed Delay proofs of solver/adproof.py (imported when asked for)."""
    from rra.solver import adproof

    result: Verdict = getattr(adproof, name)(params)
    return result


def check_all(params: ParameterSet = DEFAULTS, only: list[str] | None = None, **kw: Any) -> list[Verdict]:
    """Verdicts for the catalogue (or the named invariants); `kw` goes to Encoding (e.g. deadline_terms)."""
    return [inv.check(params, kw) for inv in CATALOGUE if not only or inv.id in only]
