"""`rra damages SCENARIO`: deadlines, breaches, scenario violations and Section 2(c) payments for a scenario."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.output import table


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file (YAML or JSON); see docs/cli/damages.md")
    add_json(p)
    add_model_options(p)
    p.add_argument("--reading", metavar="NAME", default=None,
                   help="which reading of 2(c) gives the headline total (text, ninety-day-literal, example); "
                        "every reading is reported anyway (default: text)")


def _usd(x: float) -> str:
    return f"${x:,.2f}"


def render(data: dict[str, Any]) -> str:
    """The readable report: payment by component with its clause, then readings, deadlines, breaches, violations."""
    out = [f"Scenario: {data['scenario']} (as of {data['as_of']}); reading: {data['reading']}; "
           f"months: {data['month_convention']}; business days: {data['business_calendar']}"]
    if data["overridden"]:
        out.append(f"Redraft: {', '.join(data['overridden'])} overridden")
    out.append(f"Outstanding Principal Amount {_usd(data['principal'])} x Applicable Percentage "
               f"{data['applicable_percentage']:g} per month (2(c))\n")
    rows: list[list[Any]] = []
    for cid, d in data["details"].items():
        periods = "; ".join(f"{r['start']}..{r['end']} ({r['days']}d)" for r in d["periods"]) or "-"
        rows.append([cid, d["clause"], f"{d['months']:.4f}", _usd(d["amount"]), periods])
        if "excluded" in d:
            ex = d["excluded"]
            rows.append(["", ex["clause"], "", "excluded", "; ".join(f"{r['start']}..{r['end']}" for r in ex["periods"])
                         + f" ({ex['element']})"])
    rows.append(["total", "2(c)", f"{sum(d['months'] for d in data['details'].values()):.4f}", _usd(data["total"]),
                 "capped at " + _usd(data["cap"]) if data["cap"] is not None else ""])
    out.append(table(["component", "clause", "months", "amount", "periods counted"], rows))
    out.append(table(["reading", "total", "rests on"],
                     [[k, _usd(v), '"' + data["readings_detail"][k]["quote"][:80] + '..."']
                      for k, v in data["readings"].items()]))
    if data["holders"]:
        out.append(table(["holder", "principal", "amount"],
                         [[h["name"], _usd(h["principal"]), _usd(h["amount"])] for h in data["holders"]]))
    out.append(table(["deadline", "clause", "due", "basis", "rule"],
                     [[k, d["clause"], d["due"], d["basis"], d["rule"]] for k, d in data["deadlines"].items()]))
    if data["breaches"]:
        out.append(table(["breach", "clause", "due", "actual", "late", "remedy"],
                         [[b["element"], b["clause"], b["due"], b["actual"] or f"not by {data['as_of']}",
                           f"{b['late_days']} {b['basis']} days", ", ".join(b["remedies"]) or "-"]
                          for b in data["breaches"]]))
        out += [f"  {b['element']}: {b['note']}" for b in data["breaches"] if b["note"]]
        if any(b["note"] for b in data["breaches"]):
            out.append("")
    else:
        out.append("No breaches.\n")
    if data["violations"]:
        out.append(table(["section", "violation by the scenario"], [[v["section"], v["message"]] for v in data["violations"]]))
    else:
        out.append("No violations by the scenario itself.\n")
    if data["notices"]:
        out.append(table(["notice", "sent", "method", "effective", "rule"],
                         [[n["index"], n["sent"], n["method"], n["effective"], n["rule"]] for n in data["notices"]]))
    return "\n".join(out)


def _money(x: Any) -> float:
    from rra.solver.evaluator import money

    return money(x)


def _months_json(m: Fraction) -> float:
    return round(float(m), 6)


def _run_json(r: Any) -> dict[str, Any]:
    return {"start": r.start.isoformat(), "end": r.end.isoformat(), "days": r.days, "months": _months_json(r.months),
            "months_exact": str(r.months)}


def _component_json(c: Any, agreement: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "clause": c.clause, "quote": c.quote, "months": _months_json(c.months), "months_exact": str(c.months),
        "amount": _money(c.amount), "periods": [_run_json(r) for r in c.periods], "note": c.note,
    }
    if c.excluded:
        carve = agreement.model.get(c.excluded_by) if c.excluded_by else None
        out["excluded"] = {"element": c.excluded_by, "clause": carve.clause if carve else c.clause,
                           "quote": carve.quote if carve else "", "periods": [_run_json(r) for r in c.excluded]}
    return out


def evaluation_json(e: Any, agreement: Any) -> dict[str, Any]:
    """The `rra damages --json` document."""
    from rra.solver.evaluator import money

    s = e.scenario
    m = agreement.measure
    rate = agreement.params.by_name[m.rate]
    deadlines = {d.key: {"id": d.id, "name": d.name, "clause": d.clause, "quote": d.quote, "due": d.due.isoformat(),
                         "basis": d.basis, "anchor": d.anchor,
                         "anchor_date": d.anchor_date.isoformat() if d.anchor_date else None, "rule": d.rule}
                 for d in e.deadlines}
    return {
        "scenario": s.name,
        "as_of": s.as_of.isoformat(),
        "reading": e.reading,
        "total": money(e.total),
        "components": {k: money(c.amount) for k, c in e.components.items()},
        "months": {k: _months_json(c.months) for k, c in e.components.items()},
        "details": {k: _component_json(c, agreement) for k, c in e.components.items()},
        "readings": {k: money(r.total) for k, r in e.readings.items()},
        "readings_detail": {k: {"clause": r.clause, "quote": r.quote, "description": r.description,
                                "total": money(r.total), "uncapped": money(r.uncapped),
                                "components": {c: money(v.amount) for c, v in r.components.items()},
                                "months": {c: _months_json(v.months) for c, v in r.components.items()}}
                            for k, r in e.readings.items()},
        "filing_date": e.filing_date.isoformat(),
        "effectiveness_deadline": e.effectiveness_deadline.isoformat(),
        "deadlines": deadlines,
        "breaches": [{"element": b.element, "kind": b.kind, "clause": b.clause, "quote": b.quote, "deadline": b.deadline,
                      "due": b.due.isoformat(), "actual": b.actual.isoformat() if b.actual else None,
                      "late_days": b.late_days, "basis": b.basis, "ongoing": b.ongoing, "remedies": list(b.remedies),
                      "note": b.note} for b in e.breaches],
        "violations": [{"section": v.section, "message": v.message, "field": v.field} for v in e.violations],
        "notices": [{"index": n.index, "sent": n.sent.isoformat(), "method": n.method,
                     "effective": n.effective.isoformat() if n.effective else None, "rule": n.rule} for n in e.notices],
        "allowed_delay_days": [_run_json(r) for r in e.allowed_delay_days],
        "principal": money(e.principal),
        "applicable_percentage": float(e.applicable_percentage),
        "cap": money(e.cap) if e.cap is not None else None,
        "holders": [{"name": h.name, "principal": money(h.base), "amount": money(h.amount)} for h in e.holders],
        "month_convention": e.month_convention,
        "business_calendar": e.business_calendar,
        "overridden": list(e.overridden),
        "quotes": {"amount": {"clause": m.clause, "quote": m.quote},
                   "applicable_percentage": {"clause": rate.clause, "quote": rate.quote}},
        "accrual": [[day.isoformat(), money(amount)] for day, amount in e.accrual],
        "agreement": agreement.describe(),
    }


def run(args: argparse.Namespace) -> int:
    from rra.solver.evaluator import check_reading, evaluate
    from rra.solver.scenario import load_scenario

    agreement = agreement_from(args)
    reading = check_reading(agreement, args.reading)  # an unknown reading is refused before the file is read
    scenario = load_scenario(args.scenario, agreement.params)
    data = evaluation_json(evaluate(scenario, agreement, reading), agreement)
    emit(args, data, lambda d: header(agreement) + render(d))
    return 0
