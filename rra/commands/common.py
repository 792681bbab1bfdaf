"""Options and output shared by every subcommand: the agreement to analyse, redrafts, JSON."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from rra.interrupt import acknowledge
from rra.interrupt import check as check_interrupted
from rra.output import dumps, write_out
from rra.spec.agreement import Agreement, load_agreement
from rra.spec.clauses import readable_ids


def add_json(p: argparse.ArgumentParser) -> None:
    """--json: print stable JSON instead of a table."""
    p.add_argument("--json", action="store_true", help="print stable JSON (sorted keys) instead of a table")


def add_model_options(p: argparse.ArgumentParser) -> None:
    """--agreement FILE, --set NAME=VALUE and --overrides FILE: analyse a draft, try a redraft of its values."""
    p.add_argument("--agreement", metavar="FILE", default=None,
                   help="analyse this draft (text or .docx) instead of the bundled agreement; its own values are read "
                        "from its words")
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter, e.g. allowed_delay.max_consecutive=15 (repeatable; applies on top of "
                        "the draft's own values)")
    p.add_argument("--overrides", metavar="FILE", default=None,
                   help="YAML or JSON file mapping parameter names to values")


def agreement_from(args: argparse.Namespace) -> Agreement:
    """The agreement the command's --agreement, --overrides and --set ask for."""
    a = load_agreement(getattr(args, "agreement", None))
    return a.with_overrides(getattr(args, "set_items", []) or [], getattr(args, "overrides", None))


def header(a: Agreement) -> str:
    """Which text was analysed and what differs from the bundled agreement, for the top of a readable output."""
    if a.source.bundled and not a.params.overridden:
        return ""
    lines = [f"Agreement: {a.source.name} (sha256 {a.source.sha256[:12]}, {a.source.format})"
             + (", the bundled text" if a.source.bundled else "")]
    d = a.differences()
    for p in d["parameters"]:
        if p["origin"] == "unread":
            lines.append(f"  {p['id']} ({p['clause']}): not read from the draft ({p['why']}); analyses that need it "
                         "are withheld")
        else:
            came = {"draft": "the draft's words"}.get(p["origin"], p["origin"])
            also = ""
            if p.get("text_value") is not None and p["origin"] != "draft" and p["text_value"] != p["new"]:
                also = f"; the draft says {p['text_value']}"
            decl = a.params.by_name[p["id"]]
            lines.append(f"  {p['id']} ({p['clause']}): {_value(p['old'], decl)} -> {_value(p['new'], decl)} "
                         f"(from {came}{also})")
    for c in d["conflicts"]:
        lines.append(f"  {c['id']} ({c['clause']}): words and figure disagree in \"{c['words']}\"; the words' value "
                     f"{c['used']} is used")
    said = a.model.words_for  # an element in words (its id is for --json)
    for e in d["changed_elements"]:
        if e["redline"]:
            lines.append(f"  {e['clause']}: words changed beyond their numbers ({said(e['id'])}): "
                         f"{_short_redline(e['redline'])}")
        else:
            lines.append(f"  {e['clause']}: {said(e['id'])} not analysed: {e['reason']}")
    for m in d["moved_elements"]:
        lines.append(f"  {said(m['id'])}: now in {m['to']} (was {m['from']})")
    return "\n".join(lines) + "\n\n"


def emit(args: argparse.Namespace, data: Any, render: Callable[[Any], str]) -> None:
    """Print JSON with --json, else the readable rendering (never after an interruption). Once it is printed the
    run's result is out: a later signal is ignored rather than turned into "interrupted" after the result."""
    # the readable form writes the ids of repeated clauses for a reader ("2#2(c)" is internal; --json keeps it)
    text = dumps(data) if getattr(args, "json", False) else readable_ids(render(data))
    check_interrupted()
    write_out(text)  # not under held(): a reader that stops reading must not make Ctrl-C wait
    acknowledge()


def _short_redline(redline: str, n: int = 160) -> str:
    """A redline cut to about `n` characters at a word, its open deletion or insertion closed ("... [-a b-] ...")."""
    if len(redline) <= n:
        return redline
    cut = redline[:n].rsplit(" ", 1)[0]
    if cut.count("[-") > cut.count("-]"):
        cut += "-]"
    if cut.count("{+") > cut.count("+}"):
        cut += "+}"
    return cut + " ..."


def _value(v: Any, decl: Any) -> str:
    """A parameter's value in a reader's words ("15 trading days", "1.5%", "none")."""
    from datetime import date

    from rra.solver.diff import value_words

    if isinstance(v, str) and decl.unit == "date":
        v = date.fromisoformat(v)
    return value_words(v, decl.unit, decl.basis)
