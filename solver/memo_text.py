"""The memo as text for a terminal: grouped, ranked, wrapped to the terminal width, clause ids in natural order;
`verbose` adds the technical appendix (finding ids, what each entry groups, what is not carried and why)."""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import Any

from rra.solver.memo import Area, Issue, RedlineCheck, Severity
from rra.solver.memo_build import Memo, summary

HEADINGS = {Severity.HIGH: "HIGH: changes who pays, how much or when, or makes a duty impossible or unenforceable",
            Severity.MEDIUM: "MEDIUM: ambiguous rights, conflicting procedures"}
APPENDIX = {Area.PROOFREADING: "APPENDIX A. PROOFREADING (low)", Area.DOCUMENTS: "APPENDIX B. DOCUMENTS NEEDED (low)"}
AREA_LABEL = {Area.MONEY: "Money", Area.DEADLINES: "Deadlines", Area.CONSENT: "Consent and voting",
              Area.PARTIES: "Parties and definitions", Area.OTHER: "Other"}


def width() -> int:
    """The terminal's width (100 when the output is not a terminal, so that files and tests are stable)."""
    if sys.stdout.isatty():
        return max(60, min(160, shutil.get_terminal_size((100, 24)).columns))
    return 100


def _wrap(text: str, w: int, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=w, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def _check_line(i: Issue) -> str:
    if i.redline_check == RedlineCheck.CHECKED:
        return "Redline check: checked: " + (i.redline_note or "the problem no longer arises and nothing new appears")
    return f"Redline check: {i.redline_check}" + (f": {i.redline_note}" if i.redline_note else "")


def render_issue(i: Issue, n: int | str, w: int, verbose: bool = False) -> list[str]:
    """One entry: title, clauses and whose side it favours, the words quoted, two sentences, the example, the
    redline and its check."""
    pad = " " * 5
    out = _wrap(i.title, w, pad, f"{str(n) + '.':>4} ")
    meta = f"{AREA_LABEL.get(i.area, str(i.area))} | {', '.join(i.sections)} | favours {i.favours}" if not i.area.appendix \
        else ", ".join(i.sections)
    out += _wrap(meta, w, pad)
    for q in i.quotes:
        out += _wrap(f"{q.clause}: \"{q.words}\"", w, pad + "  ", pad)
    if i.explanation and not i.area.appendix:
        out += _wrap(i.explanation, w, pad)
    if i.example:
        out += _wrap("Example: " + i.example, w, pad + "  ", pad)
    for r in i.redlines:
        times = f" (each of the {r.count} places)" if r.count > 1 else ""
        out += _wrap(f"Redline {r.clause}{times}: replace \"{r.replace}\"", w, pad + "  ", pad)
        out += _wrap(f"with \"{r.with_}\"" if r.with_ else "with nothing (delete)", w, pad + "  ", pad + "  ")
    if i.redlines:
        out += _wrap(_check_line(i), w, pad + "  ", pad)
    elif not i.area.appendix:
        out += _wrap("Redline: " + (i.redline_note or "none suggested"), w, pad + "  ", pad)
    if not i.area.appendix:
        out += _wrap("Found by: " + ", ".join(_found(i)), w, pad + "  ", pad)
    if verbose:
        out += _wrap(f"[{i.id}] findings: {', '.join(i.findings)}", w, pad + "  ", pad)
    return out


def _found(i: Issue) -> list[str]:
    from rra.solver.memo_build import FOUND_BY

    return [FOUND_BY.get(x, x) for x in i.found_by]


def render(m: Memo, verbose: bool = False, w: int | None = None) -> str:
    """The memo as text."""
    w = w or width()
    s = summary(m)
    lines = [m.title.upper(), ""]
    sev = s["by_severity"]
    checks = s["redline_checks"]
    lines += _wrap(
        f"{s['entries']} points ({sev['high']} high, {sev['medium']} medium) and {s['appendix']} appendix items. "
        f"{s['with_redline']} of the {s['high_and_medium']} high and medium points carry a suggested redline; checked on "
        f"the redlined text: {checks['checked']} checked, {checks['problem remains']} with the problem remaining, "
        f"{checks['new problems']} with new problems, {checks['not checked']} not checked.", w, "")
    lines.append("")
    body = m.body
    n = 0
    for severity in (Severity.HIGH, Severity.MEDIUM, Severity.LOW):
        items = [i for i in body if i.severity == severity]
        if not items:
            continue
        lines += [HEADINGS.get(severity, "LOW: drafting"), ""]
        for i in items:
            n += 1
            lines += render_issue(i, n, w, verbose) + [""]
    for area, heading in APPENDIX.items():
        items = [i for i in m.issues if i.area == area]
        if not items:
            continue
        lines += [heading, ""]
        letter = "A" if area == Area.PROOFREADING else "B"
        for k, i in enumerate(items, 1):
            lines += render_issue(i, f"{letter}{k}", w, verbose) + [""]
    for note in m.notes:
        lines += _wrap("Note: " + note, w, "  ", "")
    if m.dropped:
        lines += [""] + _wrap(f"{len(m.dropped)} findings of the analyses are not carried into the memo (passes, solver "
                              "internals, lists of references, logical relations between rules, different decisions "
                              "taken by different people)" + ("; they follow." if verbose else "; --verbose lists them, "
                                                              "--json keeps them all."), w, "")
    if verbose and m.dropped:
        lines += ["", "TECHNICAL APPENDIX: FINDINGS NOT IN THE MEMO", ""]
        for fid, why in m.dropped:
            lines += _wrap(f"{fid}: {why}", w, "    ", "  ")
    return "\n".join(lines).rstrip() + "\n"


def counts_line(data: dict[str, Any]) -> str:
    """The analyses' finding counts, as `rra check` printed them before the memo."""
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return (", ".join(f"{counts.get(x, 0)} {x}" for x in ("error", "warning", "info")) + " findings; analyses: "
            + ", ".join(f"{k}: {v}" for k, v in data["analyses"].items()))
