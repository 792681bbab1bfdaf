"""The memo as text for a terminal: grouped, ranked, wrapped to the terminal width, clause ids in natural order, in
plain words (no analysis names, no internal ids); `verbose` adds the technical appendix, keyed by entry number:
what each entry groups and which analyses found it, what its redline check re-ran, the findings not in the memo
and why, and the analyses' raw counts."""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import Any

from rra.solver.memo import NO_LONGER_FOUND, NOTHING_NEW, Area, Issue, RedlineCheck, Severity
from rra.solver.memo_build import FOUND_BY, Memo, entry_labels, summary

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


def _entries(ids: tuple[str, ...], labels: dict[str, str]) -> str:
    got = [labels[x] for x in ids if x in labels]
    return ("entries " + ", ".join(got[:-1]) + " and " + got[-1]) if len(got) > 1 else "entry " + ", ".join(got)


def apply_with(ids: tuple[str, ...] | list[str], labels: dict[str, str]) -> str:
    """"Apply together with the redline(s) of entries ..." for the entries an entry's cure needs ("" for none): they
    complete its cure, or its cure presupposes theirs."""
    if not any(x in labels for x in ids):
        return ""
    many = sum(1 for x in ids if x in labels) > 1
    return f"Apply together with the redline{'s' * many} of {_entries(tuple(ids), labels)}."


def check_line(i: Issue) -> str:
    """The redline check in words."""
    note = i.redline_note or (f"{NO_LONGER_FOUND}; {NOTHING_NEW}"
                              if i.redline_check == RedlineCheck.CHECKED else "")
    return f"Redline check: {i.redline_check}" + (f": {note}" if note else "")


def favours_line(i: Issue) -> str:
    """Whose side the entry favours (each reading's side when they differ)."""
    return f"favours {i.favours_note}" if i.favours_note else f"favours {i.favours}"


def render_issue(i: Issue, n: int | str, w: int, labels: dict[str, str] | None = None) -> list[str]:
    """One entry: title, clauses and whose side it favours, the words quoted, the explanation, the example, the
    redline and its check."""
    labels = labels or {}
    pad = " " * 5
    out = _wrap(i.title, w, pad, f"{str(n) + '.':>4} ")
    meta = f"{AREA_LABEL.get(i.area, str(i.area))} | {', '.join(i.sections)} | {favours_line(i)}" \
        if not i.area.appendix else ", ".join(i.sections)
    out += _wrap(meta, w, pad)
    if i.severity_reason:
        out += _wrap(f"Why high: {i.severity_reason}.", w, pad + "  ", pad)
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
    if together := apply_with(i.relies_on, labels):
        out += _wrap(together, w, pad + "  ", pad)
    if i.cured_by and any(x in labels for x in i.cured_by):
        out += _wrap(f"Cured by the redline of {_entries(i.cured_by, labels)}.", w, pad + "  ", pad)
    if i.redlines or (i.cured_by and i.redline_check != RedlineCheck.NOT_CHECKED):
        out += _wrap(check_line(i), w, pad + "  ", pad)
    elif not i.area.appendix:
        out += _wrap("Redline: " + (i.redline_note or "none suggested"), w, pad + "  ", pad)
    return out


def _technical(m: Memo, labels: dict[str, str], w: int) -> list[str]:
    """The technical appendix, keyed by entry number: ids, analyses, what each redline check re-ran."""
    lines = ["", "TECHNICAL APPENDIX: WHAT EACH ENTRY GROUPS AND HOW ITS REDLINE WAS CHECKED", ""]
    lines += _wrap("For whoever maintains or audits the analysis: the tool's own ids and words, by entry number.", w, "")
    lines += [""]
    for i in m.issues:
        n = labels.get(i.id, "?")
        found = ", ".join(FOUND_BY.get(x, x) for x in i.found_by)
        lines += _wrap(f"[{i.id}] {i.certainty}; found by {found}; findings: {', '.join(i.findings)}", w, "      ",
                       f"{n + '.':>5} "[:6])
        rc = i.detail.get("redline_check") or {}
        parts = []
        # a formal check that still reports on the redlined text the memo calls "not checked": it reads the old meaning
        combined = ("still found with all redlines, by checks that cannot read the new words" if rc.get("beyond_checks")
                    else "still found with all redlines")
        for key, label in (("reran", "re-ran"), ("with", "with the redlines of"), ("withheld", "withheld"),
                           ("unread", "new words not read"), ("beyond_model", "new words beyond the model"),
                           ("still", "still found"),
                           ("still_combined", combined), ("new", "new with all redlines"),
                           ("lint", "wording"), ("skipped", "skipped"), ("error", "error")):
            v = rc.get(key)
            if v:
                vs = [labels.get(x, x) for x in v] if key == "with" else v
                parts.append(f"{label}: {'; '.join(map(str, vs)) if isinstance(vs, list) else vs}")
        if parts:
            lines += _wrap("redline check: " + " | ".join(parts), w, "      ")
        for mg in i.detail.get("merged", []):
            lines += _wrap(f"merged into it: [{mg['id']}] {mg['title']}", w, "      ")
    for note in m.tech_notes:
        lines += _wrap("Note: " + note, w, "  ", "")
    if m.dropped:
        lines += ["", "FINDINGS NOT IN THE MEMO", ""]
        for fid, why in m.dropped:
            lines += _wrap(f"{fid}: {why}", w, "    ", "  ")
    return lines


def render(m: Memo, verbose: bool = False, w: int | None = None, counts: str = "") -> str:
    """The memo as text (`counts`: the analyses' raw counts, printed in the technical appendix)."""
    w = w or width()
    s = summary(m)
    labels = entry_labels(m)
    lines = [m.title.upper(), ""]
    sev = s["by_severity"]
    checks = s["redline_checks"]
    lines += _wrap(
        f"{s['entries']} points ({sev['high']} high, {sev['medium']} medium) and {s['appendix']} appendix items. "
        f"{s['with_redline']} of the {s['high_and_medium']} high and medium points carry a suggested redline; checked on "
        f"the redlined text: {checks['checked']} checked, {checks['problem remains']} with the problem remaining, "
        f"{checks['new problems']} with new problems, {checks['not checked']} not checked.", w, "")
    if m.basis:
        lines += [""] + _wrap(m.basis, w, "")
    lines.append("")
    body = m.body
    for severity in (Severity.HIGH, Severity.MEDIUM, Severity.LOW):
        items = [i for i in body if i.severity == severity]
        if not items:
            continue
        lines += [HEADINGS.get(severity, "LOW: drafting"), ""]
        for i in items:
            lines += render_issue(i, labels[i.id], w, labels) + [""]
    for area, heading in APPENDIX.items():
        items = [i for i in m.issues if i.area == area]
        if not items:
            continue
        lines += [heading, ""]
        for i in items:
            lines += render_issue(i, labels[i.id], w, labels) + [""]
    for note in m.notes:
        lines += _wrap("Note: " + note, w, "  ", "")
    if m.dropped:
        lines += [""] + _wrap(f"{len(m.dropped)} further results of the automatic checks were considered and left out; "
                              + ("the technical appendix below lists each with the reason." if verbose else
                                 "the list, with the reason for each, is available on request."), w, "")
    if verbose:
        lines += _technical(m, labels, w)
        if counts:
            lines += [""] + _wrap("Raw results of the analyses: " + counts, w, "  ", "")
    return "\n".join(lines).rstrip() + "\n"


def closing_line(m: Memo) -> str:
    """The memo's own counts, for the last line of `rra check`."""
    s = summary(m)
    sev, area = s["by_severity"], s["by_area"]
    return (f"{s['entries']} points: {sev['high']} high, {sev['medium']} medium; appendices: "
            f"{area['proofreading']} proofreading, {area['documents needed']} documents needed.")


def counts_line(data: dict[str, Any]) -> str:
    """The analyses' finding counts (for the technical appendix)."""
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return (", ".join(f"{counts.get(x, 0)} {x}" for x in ("error", "warning", "info")) + " findings; analyses: "
            + ", ".join(f"{k}: {v}" for k, v in data["analyses"].items()))
