"""`rra check`: every analysis's findings (what a draft changes, drafting review, Z3 checks, consent), and what was
withheld because a draft changed the words an analysis rests on."""

from __future__ import annotations

import argparse
import os
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.errors import BadInput
from rra.output import progress, table


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--only", action="append", default=[], metavar="ANALYSIS",
                   help="run only these analyses (draft, text, z3, consent); repeatable")


def _run_analysis(name: str, ctx: Any) -> Any:
    """Run one registered analysis (in a worker process)."""
    from rra.solver.analyses import ANALYSES

    return ANALYSES[name](ctx)


def gather(agreement: Any, only: list[str] | None = None) -> dict[str, Any]:
    """Run the analyses and return {"findings": [...], "withheld": [...], "analyses": {...}, "agreement": {...}}
    (the `--json` shape)."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext, sort_findings

    ctx = CheckContext(agreement)
    unknown = sorted(set(only or []) - set(ANALYSES))
    if unknown:
        raise BadInput("--only", unknown[0], f"unknown analysis; expected one of {', '.join(ANALYSES)}")
    names = [n for n in ANALYSES if not only or n in only]
    findings = []
    withheld = []
    ran: dict[str, str] = {}
    # The consent analysis is the slowest and shares nothing with the others: on a machine with a spare core
    # it runs in a forked worker while the rest run here. Findings are sorted afterwards, so order is stable.
    pending = None
    if "consent" in names and len(names) > 1 and (os.cpu_count() or 1) > 1:
        from rra.workers import Background

        pending = Background(_run_analysis, "consent", ctx)
        names = [n for n in names if n != "consent"]
    try:
        for name in progress(names, "check"):
            out = ANALYSES[name](ctx)
            findings.extend(out.findings)
            withheld.extend(out.withheld)
            ran[name] = f"{len(out.findings)} finding(s)" + (f", {len(out.withheld)} withheld" if out.withheld else "")
        if pending is not None:
            out = pending.result()
            findings.extend(out.findings)
            withheld.extend(out.withheld)
            ran["consent"] = f"{len(out.findings)} finding(s)" + (f", {len(out.withheld)} withheld" if out.withheld else "")
            ran = {n: ran[n] for n in ANALYSES if n in ran}
    finally:
        if pending is not None:
            pending.close()
    return {"findings": [f.to_json() for f in sort_findings(findings)], "analyses": ran,
            "withheld": [w.to_json() for w in sorted(withheld, key=lambda w: (w.analysis, w.what, w.element))],
            "agreement": agreement.describe()}


def render(data: dict[str, Any]) -> str:
    rows = [[f["severity"], ", ".join(f["sections"]), f["kind"], f["title"]] for f in data["findings"]]
    out = table(["severity", "sections", "kind", "finding"], rows)
    if data["withheld"]:
        out += "\nWithheld (the draft changed the words they rest on):\n"
        out += table(["analysis", "what", "rests on", "because"],
                     [[w["analysis"], w["what"], f"{w['element']} ({w['clause']})" if w["clause"] else w["element"],
                       w["reason"]] for w in data["withheld"]])
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    out += "\n" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    out += "; analyses: " + ", ".join(f"{k}: {v}" for k, v in data["analyses"].items()) + "\n"
    return out


def run(args: argparse.Namespace) -> int:
    agreement = agreement_from(args)
    data = gather(agreement, args.only)
    emit(args, data, lambda d: header(agreement) + render(d))
    return 0
