"""`rra damages SCENARIO`: deadlines, breaches, scenario violations and Section 2(c) payments for a scenario."""

from __future__ import annotations

import argparse
import re
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.errors import BadInput
from rra.limits import cut
from rra.output import cents_note, table


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file (YAML or JSON); see docs/cli/damages.md")
    add_json(p)
    add_model_options(p)
    p.add_argument("--reading", metavar="NAME", default=None,
                   help="which reading of 2(c) gives the headline total (text, ninety-day-literal, example); "
                        "every reading is reported anyway (default: text)")


def _usd(x: float) -> str:
    return f"${x:,.2f}"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _named(agreement: Any, element_id: str) -> str:
    """An element as the tables name it: its name or action (a deadline's name, a duty's action), else its words;
    the id where there is no such element (--json keeps the ids)."""
    repeated = re.fullmatch(r"(.+)\[(\d+)\]", element_id)  # a deadline that recurs, one entry per occurrence
    if repeated:
        return f"{_named(agreement, repeated[1])} (the {_ordinal(int(repeated[2]) + 1)} in the scenario)"
    e = agreement.model.by_id.get(element_id) if agreement is not None else None
    if e is None:
        return element_id
    return e.named() or e.words()


def _event_names(agreement: Any) -> dict[str, str]:
    """Each event's name by its id (none without an agreement: the ids are shown)."""
    return {e.id: e.name for e in agreement.model.events if e.name} if agreement is not None else {}


def _rule(names: dict[str, str], rule: str) -> str:
    """A deadline's rule with each event by its name ("Registration Statement declared effective + 2 business days
    (furnish.prospectus_business_days)"); the parameter keeps the name --set takes."""
    formula, paren, param = rule.partition(" (")
    # a whole word only: not a part of a parameter's dotted name ("agreement.date")
    return re.sub(r"(?<![\w.])[a-z][a-z0-9_]*(?![\w.])", lambda m: names.get(m[0], m[0]), formula) + paren + param


def _note(names: dict[str, str], note: str) -> str:
    """A breach's note with the event that made the obligation arise by its name: "(the Company first eligible for
    Form S-3 on 2004-05-03)" (the evaluator writes the event's id there; --json keeps it)."""
    return re.sub(r"\(([a-z][a-z0-9_]*) on (\d{4}-\d{2}-\d{2})\)",
                  lambda m: f"({names.get(m[1], m[1])} on {m[2]})", note)


def render(data: dict[str, Any], agreement: Any = None) -> str:
    """The readable report: payment by component with its clause, then readings, deadlines, breaches, violations
    (each element by its name when the agreement is given)."""
    events = _event_names(agreement)
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
                         + f" ({_named(agreement, ex['element'])})"])
    rows.append(["total", "2(c)", f"{sum(d['months'] for d in data['details'].values()):.4f}", _usd(data["total"]),
                 "capped at " + _usd(data["cap"]) if data["cap"] is not None else ""])
    out.append(table(["component", "clause", "months", "amount", "periods counted"], rows))
    out += cents_note([d["amount"] for d in data["details"].values()], data["total"])
    # a run's days weigh as parts of the months counted from the run's own first day, the excluded days included
    cut_out = {cid: d for cid, d in data["details"].items() if "excluded" in d and d["periods"]}
    if data["month_convention"] == "calendar-month" and cut_out:
        for cid, d in cut_out.items():
            first = min(r["start"] for r in [*d["periods"], *d["excluded"]["periods"]])
            out.append(f"{cid}: its months run from the first day of each unbroken period, excluded days included "
                       f"(from {first}), and the excluded days' share of those months is taken off.")
        out.append("")
    out.append(table(["reading", "total", "rests on"],
                     [[k, _usd(v), '"' + cut(data["readings_detail"][k]["quote"], 83, words=True) + '"']
                      for k, v in data["readings"].items()]))
    if data["holders"]:
        out.append(table(["holder", "principal", "amount"],
                         [[h["name"], _usd(h["principal"]), _usd(h["amount"])] for h in data["holders"]]))
    out.append(table(["deadline", "clause", "due", "basis", "rule"],
                     [[_named(agreement, k), d["clause"], d["due"], d["basis"], _rule(events, d["rule"])]
                      for k, d in data["deadlines"].items()]))
    if data["breaches"]:
        out.append(table(["breach", "clause", "due", "actual", "late", "remedy"],
                         [[_named(agreement, b["element"]), b["clause"], b["due"], b["actual"] or f"not by {data['as_of']}",
                           f"{b['late_days']} {b['basis']} days",
                           ", ".join(_named(agreement, r) for r in b["remedies"]) or "-"]
                          for b in data["breaches"]]))
        out += [f"  {_named(agreement, b['element'])}: {_note(events, b['note'])}" for b in data["breaches"]
                if b["note"]]
        if any(b["note"] for b in data["breaches"]):
            out.append("")
    else:
        out.append("No breaches.\n")
    if data["violations"]:
        out.append(table(["section", "violation by the scenario"], [[v["section"], v["message"]] for v in data["violations"]]))
    else:
        out.append("No violation by the scenario itself: its own facts break no rule of the agreement and come in "
                   "order" + ("; the breaches above are deadlines missed" if data["breaches"] else "") + ".\n")
    if data["notices"]:
        out.append(table(["notice", "sent", "method", "effective", "rule"],
                         [[n["index"], n["sent"], n["method"], n["effective"], n["rule"]] for n in data["notices"]]))
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from rra.results import evaluation_json
    from rra.solver.evaluator import check_reading, evaluate
    from rra.solver.scenario import load_scenario

    if args.reading is not None and not args.reading.strip():
        raise BadInput("--reading", args.reading, "expected a reading name (text, ninety-day-literal, example)")
    agreement = agreement_from(args)
    reading = check_reading(agreement, args.reading)  # an unknown reading is refused before the file is read
    scenario = load_scenario(args.scenario, agreement.params)
    data = evaluation_json(evaluate(scenario, agreement, reading), agreement)
    emit(args, data, lambda d: header(agreement) + render(d, agreement))
    return 0
