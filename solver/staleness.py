"""Which formal elements are out of date for a draft: their quoted words no longer appear in it."""

from __future__ import annotations

from rra.solver.findings import CheckContext, Finding
from rra.spec.clauses import Document
from rra.spec.coverage import all_elements
from rra.spec.model import ALL_ELEMENTS
from rra.spec.overrides import DEFAULTS
from rra.spec.text import normalize


def stale_elements(doc: Document) -> frozenset[str]:
    """Ids of elements (rules and parameters, not derived terms) whose quote is not in the draft's clause."""
    out = set()
    for e in [*DEFAULTS.parameters(), *ALL_ELEMENTS]:
        q = normalize(e.quote)
        if e.clause not in doc.by_id or q not in doc.normalized(e.clause):
            out.add(e.id)
    return frozenset(out)


def findings(ctx: CheckContext) -> list[Finding]:
    """One finding per clause with elements out of date for this draft."""
    if ctx.bundled or not ctx.stale_elements:
        return []
    by_clause: dict[str, list[str]] = {}
    for e in all_elements(ctx.doc):
        if e.id in ctx.stale_elements:
            by_clause.setdefault(e.clause, []).append(e.id)
    return [
        Finding(
            id=f"model.out-of-date.{clause}",
            kind="model",
            severity="warning",
            sections=(clause,),
            title=f"{clause}: {len(ids)} formal element(s) out of date for this draft",
            explanation="The words these elements formalize no longer appear in this clause of the draft, so the "
            "model-based checks that rest on them were not run against the draft.",
            evidence={"elements": sorted(ids)},
        )
        for clause, ids in sorted(by_clause.items())
    ]
