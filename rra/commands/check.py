"""`rra check`: every analysis's findings (consistency, conflicts, remedies, readings, drafting review, consent)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from rra.commands.common import add_json, add_model_options, emit, params_from
from rra.errors import BadInput
from rra.limits import MAX_AGREEMENT_BYTES, read_text
from rra.output import progress, table


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--agreement", metavar="FILE", default=None,
                   help="check another draft in the same numbering style instead of the bundled agreement")
    p.add_argument("--only", action="append", default=[], metavar="ANALYSIS",
                   help="run only these analyses (model, text, z3, consent); repeatable")


def _run_analysis(name: str, ctx: Any) -> list[Any]:
    """Run one registered analysis (in a worker process)."""
    from rra.solver.analyses import load

    fn = load(name)
    return fn(ctx) if fn is not None else []


def gather(agreement_file: str | None = None, params: Any = None, only: list[str] | None = None) -> dict[str, Any]:
    """Run the analyses and return {"findings": [...], "analyses": {...}} (the `--json` shape)."""
    from rra.solver.analyses import ANALYSES, load
    from rra.solver.findings import CheckContext, sort_findings
    from rra.solver.staleness import stale_elements
    from rra.spec.clauses import agreement, parse
    from rra.spec.overrides import DEFAULTS

    unknown = sorted(set(only or []) - set(ANALYSES))
    if unknown:
        raise BadInput("--only", unknown[0], f"unknown analysis; expected one of {', '.join(ANALYSES)}")
    if agreement_file is None:
        ctx = CheckContext(agreement(), params or DEFAULTS)
    else:
        text = read_text(agreement_file, "--agreement", MAX_AGREEMENT_BYTES)
        doc = parse(text, strict=False, source=agreement_file)
        ctx = CheckContext(doc, params or DEFAULTS, bundled=False, stale_elements=stale_elements(doc))
    names = [n for n in ANALYSES if not only or n in only]
    findings = []
    ran: dict[str, str] = {}
    # The consent analysis is the slowest and shares nothing with the others: on a machine with a spare core
    # it runs in a forked worker while the rest run here. Findings are sorted afterwards, so order is stable.
    pending = None
    if "consent" in names and len(names) > 1 and (os.cpu_count() or 1) > 1 and load("consent") is not None:
        from rra.workers import Background

        pending = Background(_run_analysis, "consent", ctx)
        names = [n for n in names if n != "consent"]
    try:
        for name in progress(names, "check"):
            fn = load(name)
            if fn is None:
                ran[name] = "not available"
                continue
            found = fn(ctx)
            findings.extend(found)
            ran[name] = f"{len(found)} finding(s)"
        if pending is not None:
            found = pending.result()
            findings.extend(found)
            ran["consent"] = f"{len(found)} finding(s)"
            ran = {n: ran[n] for n in ANALYSES if n in ran}
    finally:
        if pending is not None:
            pending.close()
    return {"findings": [f.to_json() for f in sort_findings(findings)], "analyses": ran,
            "agreement": agreement_file or "bundled", "stale_elements": sorted(ctx.stale_elements)}


def render(data: dict[str, Any]) -> str:
    rows = [[f["severity"], ", ".join(f["sections"]), f["kind"], f["title"]] for f in data["findings"]]
    out = table(["severity", "sections", "kind", "finding"], rows)
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    out += "\n" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    out += "; analyses: " + ", ".join(f"{k}: {v}" for k, v in data["analyses"].items()) + "\n"
    return out


def run(args: argparse.Namespace) -> int:
    data = gather(args.agreement, params_from(args), args.only)
    emit(args, data, render)
    return 0
