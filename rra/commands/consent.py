"""`rra consent`: can these parties together do this? And how do the agreement's consent rules fit together?"""

from __future__ import annotations

import argparse
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.errors import BadInput
from rra.limits import MAX_ANALYZE_PARTIES, cut
from rra.output import first_few, table
from rra.visualize.fmt import plural


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
                   help="how the rules fit together (Z3): who can block what, dead ends, readings, the memo's consent "
                        "points; with --holdings, vetoes and smallest coalitions for the file")
    p.add_argument("--list-actions", action="store_true", help="list the actions, their rules and the readings")


def list_actions(bk: Any) -> dict[str, Any]:
    """Every action with its rules, and every reading (the --list-actions --json shape)."""
    from rra.solver.consent import ACTIONS, limbs

    actions = []
    for name, ids in ACTIONS.items():
        rules = [bk.rules[rid] for rid in ids if rid in bk.rules]
        actions.append({"action": name, "rules": [
            {"rule": r.id, "clause": r.clause, "decision": r.decision, "quote": r.quote,
             "limbs": [lb.__dict__ for lb in limbs(r, bk.defaults, bk)]} for r in rules],
            "withheld": [rid for rid in ids if rid in bk.withheld]})
    readings = [{"axis": axis, "name": n, "default": i == 0, "clause": bk.by_name[n].clause,
                 "description": bk.by_name[n].description} for axis, names in bk.axes.items()
                for i, n in enumerate(names)]
    return {"actions": actions, "readings": readings}


def _limb_text(lb: dict[str, Any]) -> str:
    if lb["kind"] == "majority":
        from rra.solver.consent import share_words

        who = "Investors" if lb["voters"] == "investors" else "holders"
        of = ", of Investors' holdings" if lb["denominator"] == "investors" else ""
        return f"{who}: {share_words(lb['share'])} of {lb['basis']}{of}"
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
    changed = {k: v for k, v in d["readings"].items() if d["default_readings"][k] != v}
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
SHOWN = 6  # smallest coalitions shown per rule in the table


def render_issues(issues: list[dict[str, Any]]) -> str:
    """The memo's consent entries: severity and title, the explanation, the words, whose side, the redline."""
    out = []
    for n, i in enumerate(issues, 1):
        out.append(f"{n}. [{i['severity'].upper()}] {i['title']}\n")
        out.append(f"   {i['explanation']}\n")
        for q in i["quotes"]:
            out.append(f"   {q['clause']}: \"{q['words']}\"\n")
        out.append(f"   Favours: {i['favours']}.\n")
        for r in i["redlines"]:
            out.append(f"   Redline {r['clause']}: replace \"{r['replace']}\" with \"{r['with']}\"\n")
    return "".join(out)


WIDTH = 160  # characters of coalitions shown per rule (at least one coalition)


def _coalitions(h: dict[str, Any], names: dict[str, str] | None = None) -> str:
    shown: list[str] = []
    for m in h["minimal_coalitions"][:SHOWN]:
        together = " + ".join((names or {}).get(p, p) for p in m)
        if shown and len("; ".join([*shown, together])) > WIDTH:
            break
        shown.append(together)
    more = h["minimal_count"] - len(shown)
    out = "; ".join(shown)
    if more > 0:
        if more >= 10**12:
            out += " (and more than a trillion more)"
        else:
            out += f" (and {'' if h['count_exact'] else 'at least '}{more:,} more)"
    return out


def _vetoes(names: list[str], shown: int = 12) -> str:
    if not names:
        return "-"
    return first_few(names, shown)


def rule_label(rule_id: str) -> str:
    """A consent rule as a reader names it: "2(b) (underwriters)" for consent.2(b).underwriters."""
    clause, _, what = rule_id.removeprefix("consent.").partition(".")
    return f"{clause} ({what.replace('_', ' ')})" if what else clause


def _impossible(rule: dict[str, Any] | None, holdings: Any, names: dict[str, str]) -> str:
    """Why no coalition can decide under these holdings, where the holdings say (the assignment's unmet
    conditions), else "impossible"."""
    a = getattr(holdings, "assignment", None)
    limbs = (rule or {}).get("limbs", [])
    if a is not None and any(lb.get("kind") == "conditions" for lb in limbs):
        unmet = [c for c, ok in a.met().items() if not ok]
        if unmet:
            return (f"impossible: the assignment from {names.get(a.assignor, a.assignor)} to "
                    f"{names.get(a.transferee, a.transferee)} fails condition{'s' if len(unmet) > 1 else ''} "
                    f"{', '.join(f'({c})' for c in unmet)}, so no coalition can make it effective")
    return "impossible"


def render_analysis(data: dict[str, Any], agreement: Any = None, holdings: Any = None) -> str:
    """The readable analysis: each rule's power by kind of holder, then (with holdings) who can veto and the smallest
    coalitions that can decide, by party name, then the memo's points. Ids and reading names are in --json."""
    rows = []
    for r in data["rules"]:
        pw = r["power"]
        dead = r["dead_ends"]
        rows.append([rule_label(r["id"]), cut(r["decision"], 48, words=True),
                     *[pw.get(col, {}).get("power", "-") for col in _POWER_COLUMNS],
                     "yes" if dead["before_conversion"]["impossible"] else "",
                     "possible" if dead["blocked"]["status"] == "found" else ""])
    described = {r.id: r.description for r in agreement.model.consent_readings} if agreement is not None else {}
    readings = [described.get(f"reading.consent.{k}.{v}", f"{k}: {v}") for k, v in sorted(data["readings"].items())]
    out = ("Who can block what (checked over all valid holdings of three Investors and one other holder), on these "
           "readings:\n" + "".join(f"  - {x}\n" for x in readings))
    out += table(["rule", "decision", "Company", "1-share Investor", "Debentures-only", "Warrants-only", "non-Investor",
                  "impossible before conversion", "dead end"], rows)
    out += ("impossible before conversion: while no Debenture is converted, no one can decide under the rule. dead end: "
            "possible when under some valid holdings not even all the parties together can decide.\n")
    if "holdings" in data:
        names = {"company": "the Company", **{p.id: p.name for p in getattr(holdings, "parties", ())}}
        by_id = {r["id"]: r for r in data["rules"]}
        hrows = []
        for h in data["holdings"]:
            rule = by_id.get(h["rule"])
            label = rule_label(h["rule"])
            if "skipped" in h:
                hrows.append([label, "-", f"skipped: {h['skipped']}"])
                continue
            concerned = any(lb.get("kind") == "party" and lb.get("who") == "party" for lb in (rule or {}).get("limbs", []))
            if concerned and h.get("party"):
                # a rule of the Investor concerned: every Investor decides for itself; shown for one of them
                who = names.get(h["party"], h["party"])
                hrows.append([label, f"each Investor for itself (here {who})", f"the Investor concerned (here {who})"])
                continue
            hrows.append([label, _vetoes([names.get(v, v) for v in h["vetoes"]]),
                          _coalitions(h, names) if h["possible"] else _impossible(rule, holdings, names)])
        out += "\nWith these holdings\n" + table(["rule", "vetoes", "smallest coalitions that can decide"], hrows)
    issues = data["issues"]
    out += f"\nConsent and voting: {plural(len(issues), 'point')} for the memo\n" + render_issues(issues)
    for w in data.get("withheld_conclusions", []):
        out += f"Withheld: {w['what']} ({w['reason']})\n"
    counts: dict[str, int] = {}
    for i in issues:
        counts[i["severity"]] = counts.get(i["severity"], 0) + 1
    out += ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low")) + "; evidence and examples with --json\n"
    return out


def run(args: argparse.Namespace) -> int:
    from rra.output import progress
    from rra.solver.consent import book, decide, readings_for
    from rra.solver.holdings import load_holdings

    agreement = agreement_from(args)
    bk = book(agreement)
    top = header(agreement)
    reading = readings_for(args.reading, bk)
    if args.list_actions:
        emit(args, {**list_actions(bk), "agreement": agreement.describe()}, lambda d: top + render_list(d))
        return 0
    holdings = load_holdings(args.holdings, agreement.params) if args.holdings else None
    if args.analyze and holdings is not None and len(holdings.parties) > MAX_ANALYZE_PARTIES:
        raise BadInput("--holdings", args.holdings, f"{len(holdings.parties):,} parties: at most "
                       f"{MAX_ANALYZE_PARTIES:,} for --analyze (--action takes any number)")
    if args.analyze:
        from rra.solver.consent_analysis import analyze

        data = analyze(agreement, holdings, reading, progress)
        data["agreement"] = agreement.describe()
        emit(args, data, lambda d: top + render_analysis(d, agreement, holdings))
        return 0
    if args.action is None:
        raise BadInput("--action", None, "required (or --analyze, or --list-actions)")
    if holdings is None:
        raise BadInput("--holdings", None, "required with --action")
    if args.consenting is None:
        raise BadInput("--consenting", None, "required with --action (use --consenting '' for nobody)")
    d = decide(bk, args.action, holdings, args.consenting, reading, args.party)
    data = {**d.to_json(), "default_readings": bk.defaults, "agreement": agreement.describe()}
    emit(args, data, lambda x: top + render_decision(x))
    return 0
