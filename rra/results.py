"""JSON shapes of typed results, made only here at the edge (commands and the report's data file)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any


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
    from rra.solver.evaluator import accrual, money

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
        "accrual": [[day.isoformat(), money(amount)] for day, amount in accrual(s, agreement, e.reading)],
        "agreement": agreement.describe(),
    }
