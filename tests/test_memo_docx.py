"""The memo as a Word document and the lawyer's own .docx annotated with a comment per entry: real Word files that
python-docx reads back (and LibreOffice converts, where it is installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from rra.solver.memo_check import review_memo
from rra.spec.agreement import Agreement, load_agreement
from rra.visualize.memo_docx import anchor_clause, annotate, write_memo


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Agreement:
    """The bundled text as a lawyer's Word file (the layout corpus's Word draft: one paragraph per clause,
    headings, numbering typed in)."""
    path = tmp_path_factory.mktemp("draft") / "draft.docx"
    shutil.copyfile(Path(__file__).parent / "corpus" / "drafts" / "layout-word.docx", path)
    return load_agreement(str(path))


@pytest.fixture(scope="module")
def memo(draft: Agreement) -> Any:
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext

    found = [f.to_json() for name in ("text", "provisions") for f in ANALYSES[name](CheckContext(draft)).findings]
    return review_memo(draft, found, check_redlines=False)


def test_the_memo_is_a_word_document_with_every_entry(memo: Any, draft: Agreement, tmp_path: Path) -> None:
    out = tmp_path / "memo.docx"
    write_memo(memo, out, draft)
    d = docx.Document(str(out))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for n, i in enumerate(memo.body, 1):
        assert f"{n}. {i.title}" in headings
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    assert all(q.words in cells for i in memo.body for q in i.quotes)


def test_the_memo_document_is_the_same_bytes_for_the_same_memo(memo: Any, draft: Agreement, tmp_path: Path) -> None:
    write_memo(memo, tmp_path / "a.docx", draft)
    write_memo(memo, tmp_path / "b.docx", draft)
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def _anchored(d: Any) -> dict[str, int]:
    """Comment id -> index of the paragraph where its range starts."""
    out: dict[str, int] = {}
    for k, p in enumerate(d.paragraphs):
        for el in p._p.iter(qn("w:commentRangeStart")):
            out[el.get(qn("w:id"))] = k
    return out


def test_each_entry_is_a_comment_on_the_paragraph_of_its_clause(memo: Any, draft: Agreement, tmp_path: Path) -> None:
    out = tmp_path / "annotated.docx"
    where = annotate(memo, draft, out)
    d = docx.Document(str(out))
    comments = list(d.comments)
    assert len(comments) == len(where) == len(memo.issues)
    anchors = _anchored(d)
    by_text = {c.text.split("\n", 1)[0]: str(c.comment_id) for c in comments}
    for i in memo.issues:
        head = next(t for t in by_text if t.endswith(i.title))
        para = d.paragraphs[anchors[by_text[head]]].text
        clause = draft.document.by_id[anchor_clause(i)]
        first_line = draft.document.lines[(clause.lines[0] if clause.lines else clause.start) - 1].strip()
        head_line = para.strip().split("\n")[0].strip()  # the numbering may be automatic, the lines soft breaks
        assert head_line and first_line.endswith(head_line), (i.id, para, first_line)


def test_annotating_needs_a_word_draft(tmp_path: Path) -> None:
    from .conftest import run_rra

    r = run_rra("check", "--only", "text", "--annotate", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "--annotate" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_both_files(memo: Any, draft: Agreement, tmp_path: Path) -> None:
    write_memo(memo, tmp_path / "memo.docx", draft)
    annotate(memo, draft, tmp_path / "annotated.docx")
    for name in ("memo.docx", "annotated.docx"):
        r = subprocess.run([str(shutil.which("soffice")), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                            str(tmp_path / name)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        pdf = tmp_path / name.replace(".docx", ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
