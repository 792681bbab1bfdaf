"""What a draft changes (analysis "draft" of `rra check`): words and figures that disagree in a value the model
reads, and the words the model rests on that the draft changed beyond their numbers."""

from __future__ import annotations

from rra.solver.findings import CheckContext, Finding, Outcome


def findings(ctx: CheckContext) -> Outcome:
    """One finding per words-and-figures disagreement in a bound value and one per clause with changed words."""
    a = ctx.agreement
    if a.binding is None:
        return Outcome([])
    out: list[Finding] = []
    for b in sorted(a.binding.parameters.values(), key=lambda b: b.id):
        if b.found and b.disagree:
            p = a.params.by_name[b.id]
            out.append(Finding(
                id=f"draft.words-figures.{b.id}", kind="draft", severity="error", sections=(b.clause or p.clause,),
                title=f"{b.clause}: \"{b.slot}\": the words say {b.words} but the figure says {b.figure}",
                explanation=f"The words and the figure of the same number disagree. The analyses use the words' value "
                            f"({b.value}), as words usually control figures; correct whichever is wrong.",
                evidence={"parameter": b.id, "words": b.words, "figure": b.figure, "used": b.value,
                          "quote": b.quote}))
    by_clause: dict[str, list[str]] = {}
    for eid, ch in a.model.changed.items():
        e = a.package.model.by_id[eid]
        by_clause.setdefault(ch.clause or e.clause, []).append(eid)
    unread = [b for b in a.binding.parameters.values() if not b.found]
    for b in unread:
        by_clause.setdefault(a.params.by_name[b.id].clause, []).append(b.id)
    for clause, ids in sorted(by_clause.items()):
        diffs = []
        for eid in sorted(ids):
            change = a.model.changed.get(eid)
            bp = a.binding.parameters.get(eid)
            d = change.diff if change is not None else (bp.diff if bp is not None else None)
            if d is not None:
                diffs.append({"element": eid, "redline": d.redline(), "draft_words": d.new})
        first = diffs[0]["redline"] if diffs else ""
        out.append(Finding(
            id=f"draft.changed.{clause}", kind="draft", severity="info", sections=(clause,),
            title=f"{clause}: the draft changes words the model rests on; the analyses that need them are withheld",
            explanation=("The model's reading of this clause no longer matches the draft beyond its numbers, so the "
                         "checks that rest on it are not run on the draft (they are listed as withheld). "
                         + (f"The change: {first[:300]}" if first else "")).strip(),
            evidence={"elements": sorted(ids), "diffs": diffs}))
    return Outcome(out)
