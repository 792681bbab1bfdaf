"""Which checks read each numbered clause: the drafting review reads every clause; the Z3 checks the clauses with
deadlines, duties tied to a remedy or payment triggers; the consent analysis the clauses with consent rules; the
proofs the clauses their invariants are about; the provisions review the clauses its detectors read on this text.
A clause read only by the drafting review is listed as reviewed with no substantive check, with the reason."""

from __future__ import annotations

from typing import Any

from rra.solver.memo_build import clause_key
from rra.spec.agreement import Agreement


def review_coverage(agreement: Agreement) -> dict[str, Any]:
    """One row per numbered clause: the checks that read it, or why none beyond the drafting review and the
    detectors that scan every clause does; and the list of those scanning detectors."""
    from rra.solver.provisions import clauses_read

    m = agreement.model
    z3 = {o.clause for o in m.obligations if o.deadline} | {d.clause for d in m.deadlines} | {
        o.clause for o in m.obligations if o.remedies}
    consent = {r.clause for r in m.consent_rules}
    proofs = {c for s in agreement.invariants for c in s.sections}
    read = clauses_read(agreement)
    not_formalized = {n.clause: n.reason for n in m.not_formalized}
    rows = []
    for c in sorted((c.id for c in agreement.document.numbered()), key=clause_key):
        checks = ["drafting review"]
        checks += [f"provisions: {k}" for k, cs in sorted(read.items()) if c in cs]
        if c in z3:
            checks.append("Z3 deadline and remedy checks")
        if c in consent:
            checks.append("consent analysis")
        if c in proofs:
            checks.append("proofs")
        why = None
        if checks == ["drafting review"]:
            why = not_formalized.get(c) or ("formalized, but no check reads this clause in particular: it is read by the "
                                            "drafting review and the provisions detectors that scan every clause")
        rows.append({"clause": c, "checks": checks, "reviewed_no_check": why})
    scans = sorted(k for k, cs in read.items() if "*" in cs)
    return {"clauses": rows, "scan_every_clause": scans}
