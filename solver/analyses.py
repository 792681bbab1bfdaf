"""The analyses whose findings `rra check` gathers, in the order they run."""

from __future__ import annotations

from rra.solver import consent_analysis, draft, proofs, provisions, review
from rra.solver.findings import Analysis

ANALYSES: dict[str, Analysis] = {
    "draft": draft.findings,  # what a draft changes: values read from its words, words changed, words vs figures
    "text": review.findings,  # drafting review of the text (defined terms, references, numbers)
    "z3": provisions.z3_analysis,  # consistency, impossibility, conflicts, remedies, readings (solver/checks.py)
    "provisions": provisions.findings,  # remedies, payees, caps, deadlines, notices, votes, indemnities (the memo)
    "proofs": proofs.findings,  # the invariant catalogue: refuted invariants with dated counterexamples
    "exposure": proofs.exposure_findings,  # the worst case under the default assumption set
    "consent": consent_analysis.findings,  # consent and voting rules
}
