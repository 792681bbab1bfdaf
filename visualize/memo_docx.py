"""The review memo as a Word document, and a copy of a lawyer's own .docx draft with each entry as a Word comment
on its clause (python-docx). Both are written atomically and are the same bytes for the same input (fixed
document properties and zip timestamps)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from rra.solver.memo import Area, Issue, RedlineCheck, Severity
from rra.solver.memo_build import Memo, entry_labels, summary
from rra.solver.memo_text import apply_with, favours_line
from rra.spec.agreement import Agreement
from rra.spec.clauses import readable_ids

from rra.output import write_atomic

AUTHOR = "rra review"
FIXED = datetime(2000, 1, 1)

HEADINGS = {Severity.HIGH: "High: changes who pays, how much or when, or makes a duty impossible or unenforceable",
            Severity.MEDIUM: "Medium: ambiguous rights, conflicting procedures", Severity.LOW: "Low: drafting"}


def _stable(doc: Any) -> bytes:
    """The document's bytes with fixed properties and zip entry times."""
    cp = doc.core_properties
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.created = FIXED
    cp.modified = FIXED
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _comment_text(i: Issue, n: int | str) -> str:
    parts = [f"[{i.severity}] {n}. {i.title}"]
    if i.explanation:
        parts.append(i.explanation)
    if i.example:
        parts.append("Example: " + i.example)
    for r in i.redlines:
        parts.append(f"Redline {r.clause}: replace \"{r.replace}\" with \"{r.with_}\"" if r.with_ else
                     f"Redline {r.clause}: delete \"{r.replace}\"")
    if i.redlines:
        parts.append(f"Check: {i.redline_check}" + (f" ({i.redline_note})" if i.redline_note else ""))
    return readable_ids("\n".join(parts))


def memo_document(m: Memo, agreement: Agreement) -> Any:
    """The memo as a python-docx Document."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.size = Pt(10)
    d.add_heading(m.title, 0)
    d.add_paragraph(f"Text reviewed: {agreement.source.name} (sha256 {agreement.source.sha256[:12]})")
    s = summary(m)
    labels = entry_labels(m)
    sev = s["by_severity"]
    c = s["redline_checks"]
    d.add_paragraph(f"{s['entries']} points ({sev['high']} high, {sev['medium']} medium) and {s['appendix']} appendix "
                    f"items. Suggested redlines checked on the redlined text: {c['checked']} checked, "
                    f"{c['problem remains']} with the problem remaining, {c['new problems']} with new problems, "
                    f"{c['not checked']} not checked.")
    if m.basis:
        d.add_paragraph(m.basis)
    n = 0
    for severity in (Severity.HIGH, Severity.MEDIUM, Severity.LOW):
        items = [i for i in m.body if i.severity == severity]
        if not items:
            continue
        d.add_heading(HEADINGS[severity], 1)
        for i in items:
            n += 1
            _entry(d, i, str(n), labels)
    for area, title, letter in ((Area.PROOFREADING, "Appendix A. Proofreading", "A"),
                                (Area.DOCUMENTS, "Appendix B. Documents needed", "B")):
        items = [i for i in m.issues if i.area == area]
        if items:
            d.add_heading(title, 1)
            for k, i in enumerate(items, 1):
                _entry(d, i, f"{letter}{k}", labels)
    for note in m.notes:
        d.add_paragraph("Note: " + note)
    cells = [p for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    for para in [*d.paragraphs, *cells]:  # the ids of repeated clauses written for a reader (readable_ids)
        for run in para.runs:
            if "#" in run.text:
                run.text = readable_ids(run.text)
    return d


def _entry(d: Any, i: Issue, n: str, labels: dict[str, str]) -> None:
    d.add_heading(f"{n}. {i.title}", 2)
    if not i.area.appendix:
        d.add_paragraph(f"{str(i.area).capitalize()} | clauses {', '.join(i.sections)} | {favours_line(i)}")
    if i.severity_reason:
        p = d.add_paragraph()
        p.add_run("Why high: ").bold = True
        p.add_run(f"{i.severity_reason}.")
    if i.quotes:
        t = d.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        for q in i.quotes:
            row = t.add_row().cells
            row[0].text = q.clause
            row[1].text = q.words
    if i.explanation and not i.area.appendix:
        d.add_paragraph(i.explanation)
    if i.example:
        p = d.add_paragraph()
        p.add_run("Example. ").bold = True
        p.add_run(i.example)
    for r in i.redlines:
        p = d.add_paragraph()
        p.add_run(f"Redline {r.clause}: ").bold = True
        p.add_run("replace ")
        p.add_run(f"\u201c{r.replace}\u201d").italic = True
        p.add_run(" with " if r.with_ else " with nothing")
        if r.with_:
            p.add_run(f"\u201c{r.with_}\u201d").italic = True
    if together := apply_with(i.relies_on, labels):
        d.add_paragraph(together)
    if i.redlines:
        mark = "Checked" if i.redline_check == RedlineCheck.CHECKED else str(i.redline_check).capitalize()
        d.add_paragraph(f"Redline check: {mark}" + (f": {i.redline_note}" if i.redline_note else ""))


def write_memo(m: Memo, path: str | Path, agreement: Agreement, field: str = "--docx") -> None:
    """Write the memo as a Word document (`field`: the option that named the path, for a write that fails)."""
    write_atomic(path, _stable(memo_document(m, agreement)), field)


def paragraph_of_line(paragraphs: list[str]) -> list[int]:
    """For each source line (0-based) of the text a .docx draft is read as, the paragraph it comes from: the reader
    joins paragraphs with one blank line (rra.spec.text.read_agreement)."""
    out: list[int] = []
    for k, text in enumerate(paragraphs):
        out += [k] * (text.count("\n") + 1)
        out.append(k)  # the blank line after it
    return out


def anchor_clause(i: Issue) -> str:
    """The clause an entry's comment goes on: its redline's, else its first quote's, else its first clause."""
    if i.redlines:
        return i.redlines[0].clause
    if i.quotes:
        return i.quotes[0].clause
    return i.sections[0] if i.sections else "preamble"


def annotate(m: Memo, agreement: Agreement, out: str | Path) -> dict[str, int]:
    """A copy of the .docx draft with each entry as a Word comment on the first paragraph of its clause; returns
    {issue id: paragraph index}."""
    import docx

    src = Path(agreement.source.name)
    d = docx.Document(str(src))
    paras = d.paragraphs
    line_para = paragraph_of_line([p.text for p in paras])
    where: dict[str, int] = {}
    body = m.body
    numbers = {i.id: str(k) for k, i in enumerate(body, 1)}
    for area, letter in ((Area.PROOFREADING, "A"), (Area.DOCUMENTS, "B")):
        items = [i for i in m.issues if i.area == area]
        numbers.update({i.id: f"{letter}{k}" for k, i in enumerate(items, 1)})
    for i in m.issues:
        clause = agreement.document.by_id.get(anchor_clause(i))
        if clause is None:
            continue
        line = (clause.lines[0] if clause.lines else clause.start) - 1
        if not 0 <= line < len(line_para):
            continue
        k = line_para[line]
        runs = paras[k].runs
        if not runs:
            runs = [paras[k].add_run("")]
        d.add_comment(runs, text=_comment_text(i, numbers.get(i.id, "")), author=AUTHOR, initials="rra")
        where[i.id] = k
    write_atomic(out, _stable(d), "--annotate")
    return where
