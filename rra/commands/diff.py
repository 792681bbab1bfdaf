"""`rra diff OLD NEW`: what a redraft changes, in words, days, dollars and votes.

OLD and NEW are each `bundled` (the agreement shipped with rra), a UTF-8 text file or a Word .docx. Exit status:
0 normally; 1 when NEW has a high-severity problem that OLD did not have (a new high entry of the review memo, an
entry raised to high, or a high entry now also found in a clause where OLD did not have it); 2 for bad input (one
line on stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from rra.commands.common import add_json, emit
from rra.errors import BadInput
from rra.output import table
from rra.visualize.fmt import plural

MARKER = ".rra-diff"  # in every folder `rra diff --out` writes, so it never replaces a folder it did not write
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"  # the example scenarios, in a source checkout
WRAP = 110


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="the earlier text: 'bundled' (the agreement rra ships), a text file or a "
                                              ".docx")
    p.add_argument("new", metavar="NEW", help="the later text (the markup): 'bundled', a text file or a .docx")
    add_json(p)
    p.add_argument("--assumptions", metavar="FILE", default=None,
                   help="compare the worst case under this assumption set (YAML) only; default: every shipped set")
    p.add_argument("--scenario", metavar="FILE", action="append", default=[],
                   help="price this scenario (YAML or JSON) on both texts (repeatable); default: the example "
                        "scenarios in examples/")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="also write the comparison as a self-contained HTML page, DIR/index.html (with diff.json), "
                        "the folder replaced atomically")


# ------------------------------------------------------------------------------------------------ inputs


def load_text(which: str, field: str) -> Any:
    """'bundled' or a file, read, parsed strictly and bound; an error names OLD or NEW."""
    from rra.spec.agreement import load_agreement

    try:
        return load_agreement(None if which == "bundled" else which)
    except BadInput as exc:
        if exc.field != "--agreement":
            raise
        raise BadInput(field, exc.value, exc.problem) from None


def assumption_sets(path: str | None, agreement: Any) -> list[Any]:
    """The set given, or every set the agreement's package ships (its default first)."""
    from rra.solver.assumptions import ASSUMPTIONS_DIR, load

    if path is not None:
        return [load(path)]
    return [load(ASSUMPTIONS_DIR / f"{name}.yaml") for name in agreement.package.assumption_sets]


def example_scenarios() -> list[str]:
    """The example scenarios of a source checkout (examples/scenario*.yaml|json), none elsewhere."""
    if not EXAMPLES.is_dir():
        return []
    return sorted(str(p) for p in EXAMPLES.iterdir() if p.name.startswith("scenario") and
                  p.suffix in (".yaml", ".yml", ".json"))


def check_scenarios(paths: list[str], old: Any, new: Any) -> None:
    """A scenario given on the command line must be valid on at least one of the texts (else it is bad input)."""
    from rra.solver.scenario import load_scenario

    for p in paths:
        try:
            load_scenario(p, old.params)
        except BadInput:
            try:
                load_scenario(p, new.params)
            except BadInput as exc:
                raise BadInput(f"--scenario {p}: {exc.field}", exc.value, exc.problem) from None


# ------------------------------------------------------------------------------------------------ JSON


def shown_path(path: str) -> str:
    """A file of the repository (a shipped assumption set, an example scenario) by its path in the repository, so
    the JSON does not depend on where the checkout is; any other file as given."""
    p = Path(path)
    root = EXAMPLES.parent
    try:
        return p.resolve().relative_to(root).as_posix() if p.is_absolute() else path
    except ValueError:
        return path


def _usd(x: Fraction | None) -> float | None:
    return None if x is None else round(float(x), 2)


def _value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _issue(i: Any) -> dict[str, Any]:
    return {"id": i.id, "severity": str(i.severity), "area": str(i.area), "appendix": i.area.appendix,
            "title": i.title, "sections": list(i.sections), "explanation": i.explanation,
            "quotes": [{"clause": q.clause, "words": q.words} for q in i.quotes]}


def _amount(a: Any) -> dict[str, Any]:
    return {"value": _usd(a.value), "status": a.status, "reason": a.reason, "bound": _usd(a.bound)}


def comparison_json(c: Any) -> dict[str, Any]:
    """The documented `rra diff --json` shape (docs/cli/diff.md)."""
    from rra.solver.diff import value_words, withheld_in_words

    words = [{"status": w.status, "old_clause": w.old, "new_clause": w.new, "similarity": w.similarity,
              "inserted_words": w.inserted_words, "deleted_words": w.deleted_words, "redline": w.redline(None),
              "ops": [list(op) for op in w.ops]} for w in c.words.changes]
    numbers = [{"id": n.id, "description": n.description, "unit": n.unit, "status": n.status,
                "old": _value(n.old), "new": _value(n.new), "old_words": value_words(n.old, n.unit, n.basis),
                "new_words": value_words(n.new, n.unit, n.basis), "old_clause": n.old_clause, "new_clause": n.new_clause,
                "old_quote": n.old_quote, "new_quote": n.new_quote, "unread_in": n.unread_in or None,
                "left_behind": [{"clause": c, "words": w} for c, w in n.left_behind]}
               for n in c.numbers]
    problems = [{"status": p.status, "old": _issue(p.old) if p.old else None, "new": _issue(p.new) if p.new else None,
                 "matched_by": p.matched_by, "reason": p.reason or None, "new_high": p in c.problems.new_high}
                for p in c.problems.changes]
    proofs = [{"id": p.id, "statement": p.statement, "sections": list(p.sections), "old": p.old, "new": p.new,
               "counterexample": p.counterexample, "old_counterexample": p.old_counterexample, "reason": p.reason}
              for p in c.proofs]
    money = [{"assumptions": m.set, "source": shown_path(m.source), "as_of": m.as_of.isoformat(), "principal": m.principal,
              "figure": m.figure, "title": m.title, "old": _amount(m.old), "new": _amount(m.new),
              "difference": _usd(m.difference), "difference_proved": m.proved, "changed": m.changed} for m in c.money]
    damages = [{"scenario": d.new.scenario, "file": shown_path(d.new.file), "changed": d.changed, "difference": _usd(d.difference),
                **{side: {"status": s.status, "total": _usd(s.total), "reason": s.reason or None,
                          "readings": {k: _usd(v) for k, v in s.readings}} for side, s in (("old", d.old), ("new", d.new))}}
               for d in c.damages]
    votes = [{"rule": v.rule, "old_clause": v.clause, "new_clause": v.new_clause, "decision": v.decision,
              "status": v.status, "old_rule": v.old_rule or None, "new_rule": v.new_rule or None, "example": v.example,
              "powers": [{"who": p.who, "old": p.old, "new": p.new, "change": p.words, "veto": p.veto} for p in v.powers],
              "reason": v.reason or None} for v in c.votes.changes]
    top = c.top()
    return {
        "old": c.old.describe(), "new": c.new.describe(),
        "summary": {"top": [{"kind": h.kind, "text": h.text} for h in top],
                    "changes": [{"kind": h.kind, "text": h.text} for h in c.headlines()],
                    "empty": c.empty, "words_changed": len(c.words.changes), "new_high_problem": c.new_high,
                    "exit_status": 1 if c.new_high else 0},
        "words": words,
        "numbers": numbers,
        "problems": {"changes": problems, "unchanged": c.problems.unchanged,
                     "matched": {o: {"new": n, "by": how} for o, (n, how) in c.problems.matched.items()},
                     "regrouped": dict(c.problems.regrouped)},
        "proofs": proofs,
        "money": money,
        "damages": damages,
        "votes": votes,
        "withheld": {"old_only": list(c.old_withheld), "new_only": list(c.new_withheld),
                     "in_words": {"old_only": withheld_in_words(c.old_withheld),
                                  "new_only": withheld_in_words(c.new_withheld)}},
    }


# ------------------------------------------------------------------------------------------------ the terminal


def _wrap(text: str, indent: str = "  ", width: int = WRAP) -> str:
    import textwrap

    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False)


def _money_cell(a: dict[str, Any]) -> str:
    if a["value"] is None:
        return a["status"]
    words = {"proved": "proved", "bound": f"best found, at most ${a['bound']:,.0f}" if a["bound"] else "best found",
             "found": "best found"}.get(a["status"], a["status"])
    return f"${a['value']:,.0f} ({words})"


def _name(d: dict[str, Any]) -> str:
    return "the bundled agreement" if d["bundled"] and d["source"] == "bundled" else f"{d['source']}"


def render(d: dict[str, Any]) -> str:
    """The readable comparison: what matters most, then each part."""
    out = [f"CHANGES FROM {_name(d['old'])} TO {_name(d['new'])}", ""]
    s = d["summary"]
    if not s["changes"]:
        out.append("No differences: the two texts have the same words (up to layout) and the same analyses.")
        return "\n".join(out) + "\n"
    out.append("What matters most:")
    out += [_wrap(f"{k}. {h['text']}", "  ") for k, h in enumerate(s["top"], 1)]
    if s["empty"]:
        out.append(_wrap("Nothing the model reads changed: the numbers, problems, proofs, money, damages and votes "
                         "are the same.", "  "))
    out.append("")
    out.append(f"WORDS ({plural(len(d['words']), 'clause')})")
    for w in d["words"]:
        if w["status"] == "renumbered":
            out.append(f"  {w['old_clause']} is now {w['new_clause']} (same words)")
        elif w["status"] == "deleted":
            out.append(_wrap(f"{w['old_clause']} deleted: \"{_short(w['ops'][0][1])}\"", "  "))
        elif w["status"] == "inserted":
            out.append(_wrap(f"{w['new_clause']} inserted: \"{_short(w['ops'][0][2])}\"", "  "))
        else:
            where = w["new_clause"] if w["old_clause"] == w["new_clause"] else f"{w['old_clause']} (now {w['new_clause']})"
            out.append(_wrap(f"{where}: {_redline_short(w)}", "  "))
    if not d["words"]:
        out.append("  no clause changed its words (layout aside)")
    out.append("")
    out.append(f"NUMBERS ({len(d['numbers'])})")
    for n in d["numbers"]:
        if n["status"] == "changed":
            out.append(_wrap(f"{n['description'].rstrip('.')} ({n['new_clause']}): {n['old_words']} -> {n['new_words']}; "
                             f"now \"{_short(n['new_quote'], 140)}\"", "  "))
            if n["left_behind"]:
                out.append(_wrap(f"still {n['old_words']} for a period from the same event (a conforming change the "
                                 "markup may have missed): " + "; ".join(f"{x['clause']} \"{_short(x['words'], 100)}\""
                                                                         for x in n["left_behind"]), "    "))
        else:
            out.append(_wrap(f"{n['description'].rstrip('.')} ({n['new_clause']}): not read from the {n['unread_in']} "
                             "text's words (analyses that need it are withheld there)", "  "))
    if not d["numbers"]:
        out.append("  no value changed")
    out.append("")
    p = d["problems"]
    n = len(p["changes"])
    out.append(f"PROBLEMS (review memo: {n} {'entry differs' if n == 1 else 'entries differ'}, {p['unchanged']} the same)")
    labels = {"new": "new", "resolved": "resolved", "severity": "severity changed", "changed": "changed",
              "withheld": "cannot tell"}
    gone = {w["old_clause"] for w in d["words"] if w["status"] == "deleted"}
    for ch in p["changes"]:
        i = ch["new"] or ch["old"]
        sev = i["severity"] if ch["status"] != "severity" else f"{ch['old']['severity']} -> {ch['new']['severity']}"
        label = labels[ch["status"]]
        with_ = [c for c in i["sections"] if c in gone]
        if ch["status"] == "resolved" and with_:  # the problem went with the words: not cured
            label = f"no longer found, with {', '.join(with_)} deleted"
        line = f"[{label}, {sev}] {i['title']} ({', '.join(i['sections'])})"
        if ch["status"] in ("withheld", "changed"):
            line += f": {ch['reason']}"
        out.append(_wrap(line, "  "))
    out.append("")
    out.append(f"PROOFS ({plural(len(d['proofs']), 'verdict')} changed)")
    for pr in d["proofs"]:
        line = f"{pr['old']} -> {pr['new']}: {pr['statement']}"
        if pr["counterexample"]:
            line += " Counterexample: " + "; ".join(f"{r['date']} {r['event']}" for r in pr["counterexample"][:6])
        if pr["reason"]:
            line += f" ({pr['reason']})"
        out.append(_wrap(line, "  "))
    out.append("")
    changed = [m for m in d["money"] if m["changed"]]
    out.append(f"MONEY (worst-case 2(c) exposure per assumption set; {len(changed)} of {len(d['money'])} figures changed)")
    rows = [[m["assumptions"], "no Allowed Delays" if m["figure"] == "worst_case" else "best Allowed Delays",
             _money_cell(m["old"]), _money_cell(m["new"]),
             "-" if m["difference"] is None else (f"{m['difference']:+,.0f}" if m["changed"] else "0")
             + ("" if m["difference_proved"] or not m["changed"] or m["difference"] is None else " *")]
            for m in d["money"]]
    out.append(_indent(table(["assumptions", "figure", "old", "new", "difference"], rows)))
    if any(m["changed"] and m["difference"] is not None and not m["difference_proved"] for m in d["money"]):
        out.append("  * not both figures are proved optima, so the difference is between best-found figures")
    for m in d["money"]:
        for side in ("old", "new"):
            if m[side]["value"] is None and m[side]["reason"] and m["figure"] == "worst_case":
                out.append(_wrap(f"{m['assumptions']} on the {side} text: {m[side]['status']}: {m[side]['reason']}", "  "))
    out.append("")
    out.append(f"DAMAGES (example scenarios; {sum(x['changed'] for x in d['damages'])} changed)")
    if d["damages"]:
        rows = [[x["scenario"], _dmg(x["old"]), _dmg(x["new"]),
                 "-" if x["difference"] is None else f"{x['difference']:+,.2f}"] for x in d["damages"]]
        out.append(_indent(table(["scenario", "old", "new", "difference"], rows)))
    else:
        out.append("  no scenarios (give --scenario FILE)")
    out.append("")
    out.append(f"VOTES ({plural(len(d['votes']), 'consent rule')} changed)")
    for v in d["votes"]:
        head = f"The decision to {v['decision']} ({v['new_clause']}): "
        if v["status"] == "withheld":
            out.append(_wrap(head + v["reason"], "  "))
            continue
        if v["status"] == "same answers":
            out.append(_wrap(head + "worded differently, but no holdings give a different answer", "  "))
            continue
        out.append(_wrap(head + f"now {v['new_rule']}; was {v['old_rule']}", "  "))
        ex = v["example"]
        if ex:
            old_a, new_a = ("allowed" if ex[k]["allowed"] else "not allowed" for k in ("old", "new"))
            out.append(_wrap(f"For example, with {'; '.join(ex['holdings'])}, and {', '.join(ex['consenting']) or 'no one'} "
                             f"consenting: {old_a} under the old text, {new_a} under the new "
                             f"({'; '.join(why for why in ex['new']['why'])}).", "    "))
        for pw in v["powers"]:
            out.append(_wrap(f"{pw['who']}: {pw['change']}", "    "))
        if v["reason"]:
            out.append(_wrap(v["reason"], "    "))
    wo, wn = d["withheld"]["in_words"]["old_only"], d["withheld"]["in_words"]["new_only"]
    if wo or wn:
        out.append("")
        out.append("WITHHELD (a text changed words the model rests on)")
        out += [_wrap(f"new text: {line}", "  ") for line in wn]
        out += [_wrap(f"old text only: {line}", "  ") for line in wo]
    out.append("")
    out.append("Exit status 1: the new text has a high-severity problem the old did not." if s["new_high_problem"]
               else "No new high-severity problem.")
    return "\n".join(out) + "\n"


def _indent(t: str) -> str:
    return "\n".join("  " + line if line else line for line in t.rstrip("\n").split("\n"))


def _dmg(side: dict[str, Any]) -> str:
    return f"${side['total']:,.2f}" if side["total"] is not None else f"{side['status']}"


def _short(text: str, n: int = 160) -> str:
    from rra.limits import cut

    return cut(text, n)


def _redline_short(w: dict[str, Any]) -> str:
    from rra.spec.textdiff import redline

    return redline((op, a, b) for op, a, b in w["ops"])


# ------------------------------------------------------------------------------------------------ run


def compute(old: Any, new: Any, sets: list[Any], scenarios: list[str]) -> Any:
    """Both sides analysed (once when the two texts are the same), and compared."""
    from rra.commands.check import gather
    from rra.output import Bar
    from rra.solver.diff import compare, side

    same = old.source.sha256 == new.source.sha256 and dict(old.params.values) == dict(new.params.values)
    steps = 4 + len(sets)
    total = steps if same else 2 * steps
    bar = Bar()
    done = [0]

    def step(label: str) -> Any:
        def say(what: str) -> None:
            bar(f"diff: {label}: {what:<40}", done[0] / total)
            done[0] += 1
        return say

    try:
        s_old = side(old, gather, sets, scenarios, step("old text"))
        s_new = s_old if same else side(new, gather, sets, scenarios, step("new text"))
        bar("diff: comparing" + " " * 40, 1.0)
        return compare(s_old, s_new)
    finally:
        bar.close()


def run(args: argparse.Namespace) -> int:
    """Exit status 1 when NEW has a high-severity problem OLD did not have, 0 otherwise (2 for bad input)."""
    from rra.limits import check_output_dir
    from rra.output import dumps, write_folder

    target = check_output_dir(os.fspath(args.out), "--out", MARKER, "rra diff") if args.out else None
    old = load_text(args.old, "OLD")
    new = load_text(args.new, "NEW")
    sets = assumption_sets(args.assumptions, new)
    check_scenarios(args.scenario, old, new)
    scenarios = list(args.scenario) or example_scenarios()
    c = compute(old, new, sets, scenarios)
    data = comparison_json(c)
    if target is not None:
        from rra.visualize.diff_html import page

        write_folder(target, {"index.html": page(data), "diff.json": dumps(data), MARKER: "written by rra diff\n"},
                     "--out")
    emit(args, data, render)
    if target is not None and not args.json and sys.stdout.isatty():
        sys.stderr.write(f"rra diff: wrote {target / 'index.html'}\n")
    return 1 if c.new_high else 0


__all__ = ["add_arguments", "comparison_json", "compute", "render", "run"]
