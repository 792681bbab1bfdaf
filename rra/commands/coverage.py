"""`rra coverage`: every numbered clause, formalized or not (and why), with its elements."""

from __future__ import annotations

import argparse
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.output import table
from rra.spec.elements import kind_count


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--elements", action="store_true", help="list every element under its clause in the table")


def render(data: dict[str, Any], with_elements: bool = False) -> str:
    rows = []
    for c in data["clauses"]:
        kinds: dict[str, int] = {}
        for e in c["elements"]:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        summary = ", ".join(kind_count(n, k) for k, n in sorted(kinds.items())) or "-"
        rows.append([c["id"], c["status"].replace("-", " "), summary if c["status"] == "formalized" else c["reason"]])
        if with_elements:
            for e in c["elements"]:
                rows.append(["", e["kind"], f'{e["id"]}: "{e["quote"][:70]}"'])
    s = data["summary"]
    out = table(["clause", "status", "elements / reason"], rows)
    out += (
        f"\n{s['numbered']} numbered clauses: {s['formalized']} formalized, {s['not_formalized']} not formalized "
        f"(with reasons); {s['elements']} elements.\n"
    )
    out += f"Quote problems: {len(s['quote_problems'])}. Parameters no rule reads: {', '.join(s['unread_parameters']) or 'none'}.\n"
    if s["overridden"]:
        out += f"Overridden parameters: {', '.join(s['overridden'])}.\n"
    return out


def run(args: argparse.Namespace) -> int:
    from rra.spec.coverage import coverage

    agreement = agreement_from(args)
    data = {**coverage(agreement), "agreement": agreement.describe()}
    emit(args, data, lambda d: header(agreement) + render(d, args.elements))
    return 1 if data["summary"]["quote_problems"] else 0
