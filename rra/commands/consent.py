"""`rra consent`: can these parties together do this? And how do the agreement's consent rules fit together?"""

from __future__ import annotations

import argparse
from typing import Any

from rra.commands.common import add_json, add_model_options, emit, params_from
from rra.errors import BadInput
from rra.limits import MAX_ANALYZE_PARTIES
from rra.output import table


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--holdings", metavar="FILE", help="YAML or JSON holdings file (see examples/holdings.yaml)")
    p.add_argument("--action", metavar="NAME", help="the decision: an action name (--list-actions) or a clause id such as 10")
    p.add_argument("--consenting", metavar="A,B", help="comma-separated parties that consent (ids or names; 'company')")
    p.add_argument("--party", metavar="NAME", help="the Investor a rule concerns (3(f), 6(b))")
    p.add_argument("--reading", action="append", default=[], metavar="NAME",
                   help="read ambiguous words another way (repeatable; one per axis; see --list-actions)")
    p.add_argument("--analyze", action="store_true",
                   help="compare the rules with Z3: disagreements, implications, vetoes, dead ends, readings")
    p.add_argument("--list-actions", action="store_true", help="list the actions, their rules and the readings")


def list_actions() -> dict[str, Any]:
    """Every action with its rules, and every reading (the --list-actions --json shape)."""
    from rra.solver.consent import ACTIONS, DEFAULT_READINGS, READING_AXES, READING_BY_NAME, RULES, limbs

    actions = []
    for name, ids in ACTIONS.items():
        actions.append({"action": name, "rules": [
            {"rule": rid, "clause": RULES[rid].clause, "decision": RULES[rid].decision, "quote": RULES[rid].quote,
             "limbs": [lb.__dict__ for lb in limbs(RULES[rid], DEFAULT_READINGS)]} for rid in ids]})
    readings = [{"axis": axis, "name": n, "default": i == 0, "clause": READING_BY_NAME[n].clause,
                 "description": READING_BY_NAME[n].description} for axis, names in READING_AXES.items()
                for i, n in enumerate(names)]
    return {"actions": actions, "readings": readings}


def _limb_text(lb: dict[str, Any]) -> str:
    if lb["kind"] == "majority":
        who = "Investors" if lb["voters"] == "investors" else "holders"
        of = ", of Investors' holdings" if lb["denominator"] == "investors" else ""
        return f"{who}: majority of {lb['basis']}{of}"
    if lb["kind"] == "each":
        return f"each {lb['voters'][:-1]} with {lb['basis']}"
    if lb["kind"] == "party":
        return {"company": "the Company", "party": "the Investor concerned"}.get(lb["who"], f"the {lb['who']}")
    return {"owner": "the registered owner", "any": "any one Investor", "conditions": "conditions of 9"}[lb["kind"]]


def render_list(data: dict[str, Any]) -> str:
    rows = []
    for a in data["actions"]:
        for r in a["rules"]:
            rows.append([a["action"], r["rule"].removeprefix("consent."), r["decision"],
                         " + ".join(_limb_text(lb) for lb in r["limbs"])])
    out = table(["action", "rule", "decision", "needs (default readings)"], rows)
    out += "\n" + table(["axis", "reading", "default", "clause", "meaning"],
                        [[r["axis"], r["name"], "yes" if r["default"] else "", r["clause"], r["description"]]
                         for r in data["readings"]])
    return out


def render_decision(d: dict[str, Any]) -> str:
    from rra.solver.consent import DEFAULT_READINGS

    changed = {k: v for k, v in d["readings"].items() if DEFAULT_READINGS[k] != v}
    head = (f"{d['action']}: {'YES' if d['allowed'] else 'NO'}   consenting: {', '.join(d['consenting']) or 'nobody'}"
            f"   readings: {', '.join(changed.values()) if changed else 'default'}\n")
    lines = [head]
    for r in d["rules"]:
        lines.append(f"{r['clause']} {r['decision']}: {'allowed' if r['allowed'] else 'refused'}\n")
        lines.append(f"  \"{r['quote']}\"\n")
        for lb in r["limbs"]:
            lines.append(f"  [{'met' if lb['met'] else 'NOT met'}] {lb['why']}\n")
    return "".join(lines)


_POWER_COLUMNS = ("company", "an Investor with one share of record", "an Investor holding Debentures only",
                  "an Investor holding Warrants only", "a holder who is not an Investor")


def render_analysis(data: dict[str, Any]) -> str:
    rows = []
    for r in data["rules"]:
        pw = r["power"]
        dead = r["dead_ends"]
        rows.append([r["id"].removeprefix("consent."), r["decision"][:48],
                     *[pw.get(col, {}).get("power", "-") for col in _POWER_COLUMNS],
                     "yes" if dead["before_conversion"]["impossible"] else "",
                     "possible" if dead["blocked"]["status"] == "found" else ""])
    out = "Who can block what (proved with Z3 over all valid holdings; readings: "
    out += ", ".join(f"{k}={v}" for k, v in sorted(data["readings"].items())) + ")\n"
    out += table(["rule", "decision", "Company", "1-share Investor", "Debentures-only", "Warrants-only", "non-Investor",
                  "impossible before conversion", "dead end"], rows)
    out += "\n" + table(["severity", "sections", "finding"],
                        [[f["severity"], ", ".join(f["sections"]), f["title"]] for f in data["findings"]])
    if "holdings" in data:
        hrows = []
        for h in data["holdings"]:
            if "skipped" in h:
                hrows.append([h["rule"].removeprefix("consent."), "-", f"skipped: {h['skipped']}"])
                continue
            mins = "; ".join("+".join(m) for m in h["minimal_coalitions"][:6])
            more = f" (+{len(h['minimal_coalitions']) - 6} more)" if len(h["minimal_coalitions"]) > 6 else ""
            hrows.append([h["rule"].removeprefix("consent."), ", ".join(h["vetoes"]) or "-",
                          (mins + more) if h["possible"] else "impossible"])
        out += "\nWith these holdings\n" + table(["rule", "vetoes", "smallest coalitions that can decide"], hrows)
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    out += "\n" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info")) + \
        "; details and examples with --json\n"
    return out


def run(args: argparse.Namespace) -> int:
    from rra.output import progress
    from rra.solver.consent import decide, readings_for
    from rra.solver.holdings import load_holdings

    params = params_from(args)
    reading = readings_for(args.reading)
    if args.list_actions:
        emit(args, list_actions(), render_list)
        return 0
    holdings = load_holdings(args.holdings, params) if args.holdings else None
    if args.analyze and holdings is not None and len(holdings.parties) > MAX_ANALYZE_PARTIES:
        raise BadInput("--holdings", args.holdings, f"{len(holdings.parties)} parties: --analyze lists every smallest "
                       f"coalition, which grows exponentially; at most {MAX_ANALYZE_PARTIES} (--action takes any number)")
    if args.analyze:
        from rra.solver.consent_analysis import analyze

        emit(args, analyze(params, holdings, reading, progress), render_analysis)
        return 0
    if args.action is None:
        raise BadInput("--action", None, "required (or --analyze, or --list-actions)")
    if holdings is None:
        raise BadInput("--holdings", None, "required with --action")
    if args.consenting is None:
        raise BadInput("--consenting", None, "required with --action (use --consenting '' for nobody)")
    d = decide(args.action, holdings, args.consenting, reading, args.party)
    emit(args, d.to_json(), render_decision)
    return 0
