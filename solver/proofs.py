"""The invariant proofs and the worst-case exposure as findings of `rra check` (analyses "proofs" and "exposure"),
so that a refuted invariant (a loophole with a dated counterexample) and the worst case are findings like any
other, grouped into the review memo (rra.solver.memo_build)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from rra.solver.findings import CheckContext, Finding, Outcome, Withholding

if TYPE_CHECKING:
    from rra.solver.invariants import Verdict
    from rra.spec.agreement import Agreement


def findings(ctx: CheckContext) -> Outcome:
    """One finding per refuted invariant (warning) or unknown verdict (warning: unknown is not a pass); proved ones
    are passes, not findings; withheld ones are listed as withheld."""
    from rra.solver.invariants import check_all

    return outcome_of(ctx.agreement, check_all(ctx.agreement))


def outcome_of(agreement: Agreement, verdicts: Sequence[Verdict]) -> Outcome:
    """The findings of verdicts already proved (`findings` without proving again; `rra diff` keeps the verdicts)."""
    out: list[Finding] = []
    withheld: list[Withholding] = []
    kinds = {s.id: s.kind for s in agreement.invariants}
    for v in verdicts:
        if v.status == "withheld":
            withheld.append(Withholding("proofs", v.id, v.id, v.sections[0] if v.sections else None, v.reason or ""))
            continue
        if v.status not in ("refuted", "unknown"):
            continue
        refuted = v.status == "refuted"
        out.append(Finding(
            f"proof.{v.id}", "proof", "warning", tuple(v.sections),
            (f"Does not hold: {v.statement}" if refuted else f"Could not be proved or refuted: {v.statement}"),
            ("A dated timeline in which it fails is in the evidence." if refuted else
             f"The solver gave up ({v.reason}); unknown is not a pass."),
            {"invariant": v.id, "kind": kinds.get(v.id, ""), "status": v.status, "statement": v.statement,
             "counterexample": v.counterexample, "assumptions": list(v.assumptions)}))
    return Outcome(out, withheld)


def exposure_findings(ctx: CheckContext) -> Outcome:
    """The worst-case payment under the default assumption set (rra.solver.exposure.optimize), per $1,000,000."""
    from rra.solver import assumptions
    from rra.solver.exposure import optimize

    from rra.errors import Withheld

    a = assumptions.load(None)
    try:
        res = optimize(a, ctx.agreement, respond=False)
    except Withheld as w:
        return Outcome([], [Withholding("exposure", "worst case", w.element, w.clause, w.reason)])
    per = Fraction(1_000_000, a.principal) if a.principal else Fraction(1)
    worst = res.optimum * per
    clause = ctx.agreement.model.measure.clause
    return Outcome([Finding(
        "exposure.worst-case", "exposure", "info", (clause,),
        f"Worst case under {clause} with the default assumptions: ${round(worst):,} per $1,000,000"
        + (" (proved optimal)" if res.proved_optimal else " (not proved optimal)"),
        f"Over the default assumption set ({a.description.strip()}) the largest amount is ${round(worst):,} per "
        f"$1,000,000 up to {a.as_of.isoformat()}.",
        {"optimum": float(round(worst, 2)), "proved_optimal": res.proved_optimal, "as_of": a.as_of.isoformat(),
         "readings": {k: float(round(v * per, 2)) for k, v in res.readings.items()}})])
