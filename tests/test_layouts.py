"""Drafts in the layouts lawyers use (tests/corpus/drafts/): each parses to the bundled agreement's tree, keeps
every quote in its clause and gives the same `rra check` findings; drafts the parser cannot read are refused
with the line and the reason; the corpus is what its script writes."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import re
import sys
import threading
import zipfile
from pathlib import Path
from types import ModuleType

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver.review import review
from rra.spec.clauses import Clause, Document, agreement, parse, parse_source
from rra.spec.model import ALL_ELEMENTS
from rra.spec.parameters import PARAMETERS
from rra.spec.text import AgreementSource, agreement_text, normalize, read_agreement
from rra.spec.wordfile import MAX_DOCX_UNPACKED, Numbering, docx_text, format_number

from rra.errors import BadInput, ParseError, RraError

from .conftest import ROOT, run_rra

DRAFTS = ROOT / "tests" / "corpus" / "drafts"
TEXT_LAYOUTS = sorted(p.name for p in DRAFTS.glob("layout-*.txt"))
LAYOUTS = sorted(p.name for p in DRAFTS.glob("layout-*"))
REFUSED: dict[str, dict[str, object]] = yaml.safe_load((DRAFTS / "refused.yaml").read_text(encoding="utf-8"))


def _make_layouts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_layouts", DRAFTS / "make_layouts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_layouts"] = module
    spec.loader.exec_module(module)
    return module


MAKE = _make_layouts()


def _draft(name: str) -> Document:
    source = read_agreement(DRAFTS / name)
    return parse(source.text, source=name)


def _body(c: Clause) -> str:
    """A clause's normalized text without its number (and, for a section, without its heading line's words)."""
    text = normalize(c.text)
    label = normalize(c.label)
    if label and text.startswith(label):
        text = text[len(label):].lstrip()
    if c.kind == "section" and c.heading and text.lower().startswith(c.heading.lower()):
        text = text[len(c.heading):].lstrip(".").lstrip()
    return text


def _same_tree(doc: Document) -> None:
    base = agreement()
    assert [c.id for c in doc.clauses] == [c.id for c in base.clauses]
    assert [(c.heading or "").lower() for c in doc.clauses] == [(c.heading or "").lower() for c in base.clauses]
    assert [c.parent for c in doc.clauses] == [c.parent for c in base.clauses]
    for a, b in zip(base.clauses, doc.clauses, strict=True):
        assert _body(b) == _body(a), a.id


# ---------------------------------------------------------------- the layouts the parser reads


def test_the_corpus_has_every_layout_the_issue_asks_for() -> None:
    assert {"layout-parenthesized.txt", "layout-title-case.txt", "layout-section-word.txt",
            "layout-no-page-markers.txt", "layout-crlf-nbsp-curly.txt", "layout-word.docx"} <= set(LAYOUTS)


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_variant_parses_strictly_to_the_bundled_clause_ids_headings_and_texts(name: str) -> None:
    _same_tree(_draft(name))


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_model_and_parameter_quote_that_the_bundled_text_holds_is_in_the_same_clause_of_every_variant(
        name: str) -> None:
    base, doc = agreement(), _draft(name)
    quotes = [(e.id, e.clause, e.quote) for e in ALL_ELEMENTS if getattr(e, "quote", "")]
    quotes += [(p.id, p.clause, p.quote) for p in PARAMETERS]
    held = [(i, c, q) for i, c, q in quotes if c in base.by_id and normalize(q) in base.normalized(c)]
    assert len(held) > 200
    missing = [i for i, c, q in held if normalize(q) not in doc.normalized(c)]
    assert missing == []


@pytest.mark.parametrize(("name", "sections", "headings", "subsections", "page_breaks", "line_ends"), [
    ("layout-parenthesized.txt", "2.", "upper", "(a)", ("<PAGE>", "page number"), "LF"),
    ("layout-title-case.txt", "2.", "title", "a.", ("<PAGE>", "page number"), "LF"),
    ("layout-section-word.txt", "Section 2", "upper", "a.", ("<PAGE>", "page number"), "LF"),
    ("layout-no-page-markers.txt", "2.", "upper", "a.", ("page number",), "LF"),
    ("layout-crlf-nbsp-curly.txt", "2.", "upper", "a.", ("<PAGE>", "page number"), "CRLF"),
    ("layout-mixed.txt", "Section 2", "upper", "a)", ("form feed", "page number"), "CR"),
    ("layout-word.docx", "2.", "upper", "(a)", (), "LF"),
])
def test_the_layout_each_variant_is_written_in_is_detected(name: str, sections: str, headings: str, subsections: str,
                                                            page_breaks: tuple[str, ...], line_ends: str) -> None:
    layout = _draft(name).layout
    assert layout is not None
    assert (layout.sections, layout.headings, layout.subsections, layout.items, layout.page_breaks,
            layout.line_ends) == (sections, headings, subsections, "(i)", page_breaks, line_ends)
    assert layout.bom == (name == "layout-mixed.txt")


def test_the_word_draft_has_no_typed_numbers_only_word_list_numbering() -> None:
    d = docx.Document(str(DRAFTS / "layout-word.docx"))
    numbered = [p for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) == len([c for c in agreement().clauses if c.kind in ("section", "subsection", "item",
                                                                              "recital")])
    assert not any(re.match(r"\s*(\d{1,2}\.|[a-z]\.|\([a-z]+\))\s", p.text) for p in d.paragraphs)
    assert "\u201c" in d.paragraphs[3].text + d.paragraphs[4].text


def test_parsing_a_variant_is_the_same_as_parsing_the_bundled_text_where_the_lines_are_the_same() -> None:
    base = agreement()
    doc = _draft("layout-crlf-nbsp-curly.txt")
    assert [(c.id, c.start, c.end, c.lines) for c in doc.clauses] == [(c.id, c.start, c.end, c.lines) for c in base.clauses]
    assert doc.artifacts == base.artifacts


# ---------------------------------------------------------------- any mixture of the transforms

_GROUPED = {n for g in MAKE.EXCLUSIVE for n in g}


@st.composite
def _mixtures(draw: st.DrawFn) -> tuple[list[str], str, bool]:
    names = [draw(st.sampled_from(sorted(g) + [""])) for g in MAKE.EXCLUSIVE]
    names += [n for n in sorted(MAKE.TRANSFORMS) if n not in _GROUPED and draw(st.booleans())]
    names = [n for n in names if n]
    order = draw(st.permutations(names))
    return list(order), draw(st.sampled_from(sorted(MAKE.LINE_ENDS))), draw(st.booleans())


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mixture=_mixtures())
def test_any_mixture_of_the_layout_transforms_still_parses_to_the_bundled_tree(
        mixture: tuple[list[str], str, bool]) -> None:
    names, line_end, bom = mixture
    doc = parse(MAKE.variant(names, line_end, bom))
    _same_tree(doc)
    assert doc.layout is not None and doc.layout.line_ends == line_end and doc.layout.bom == bom
    expected_sub = "(a)" if "parenthesized" in names else "a)" if "right-paren" in names else "a."
    assert doc.layout.subsections == expected_sub


# ---------------------------------------------------------------- the bundled parse is unchanged

# sha256 of the (id, start, end, lines, text, heading, parent) of every clause and the artifact lines, as the
# parser before layouts gave them for the bundled text.
BUNDLED_PARSE_SHA256 = "7619d42b6ed0b4824d1db9056e8b16b440429486d74c5610b61dcc65e74d3c08"


def _parse_digest(doc: Document) -> str:
    rows = [[c.id, c.kind, c.number, c.heading, c.start, c.end, list(c.lines), c.parent, list(c.children), c.text]
            for c in doc.clauses]
    return hashlib.sha256(json.dumps([rows, doc.artifacts, doc.lines]).encode()).hexdigest()


def test_the_bundled_parse_is_unchanged_ids_lines_and_texts() -> None:
    doc = agreement()
    assert _parse_digest(doc) == BUNDLED_PARSE_SHA256
    assert doc.problems == []


def test_normalizing_the_bundled_text_is_only_whitespace_collapsing() -> None:
    text = agreement_text()
    assert text.isascii()
    assert normalize(text) == re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("fancy", "plain"), [
    ("the \u201cAgreement\u201d", 'the "Agreement"'),
    ("the Company\u2019s option", "the Company's option"),
    ("two\u00a0(2)\u00a0business days", "two (2) business days"),
    ("Form S\u20133 or S\u20143", "Form S-3 or S-3"),
    ("Piggy\u2011Back", "Piggy-Back"),
    ("regis\u00adtration", "registration"),
    ("\ufb01ling de\ufb01ned \ufb02oor", "filing defined floor"),
    ("\ufeffthe\u200b text", "the text"),
])
def test_curly_quotes_nbsp_dashes_soft_hyphens_and_ligatures_compare_equal_to_their_plain_forms(
        fancy: str, plain: str) -> None:
    assert normalize(fancy) == normalize(plain)


# ---------------------------------------------------------------- refused drafts


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_every_refused_draft_is_refused_with_its_line_and_reason(name: str) -> None:
    expected = REFUSED[name]
    with pytest.raises(RraError) as info:
        _draft(name)
    err = info.value
    assert type(err).__name__ == expected["error"]
    assert str(expected["message"]) in str(err)
    if isinstance(err, ParseError):
        assert err.line == expected["line"]
        assert f"line {err.line}:" in str(err)
    elif expected.get("offset") is not None:
        assert f"byte offset {expected['offset']}" in str(err)


def test_every_refused_file_in_the_corpus_has_an_expected_refusal() -> None:
    assert {p.name for p in DRAFTS.glob("refused-*")} == set(REFUSED)


@pytest.mark.parametrize("name", sorted(n for n in REFUSED if REFUSED[n]["error"] == "ParseError"))
def test_a_lenient_parse_of_a_refused_draft_reports_the_same_problem_or_refuses_it_too(name: str) -> None:
    text = read_agreement(DRAFTS / name).text
    try:
        doc = parse(text, strict=False)
    except ParseError as err:
        assert err.line == REFUSED[name]["line"]
        return
    assert doc.problems[0].line == REFUSED[name]["line"]
    assert str(REFUSED[name]["message"]) in doc.problems[0].message
    first = doc.problems[0]
    ident = first.clause if first.kind.startswith("numbering") and first.clause else f"line-{first.line}"
    assert f"text.{first.kind}.{ident}" in {f.id for f in review(doc)}


# ---------------------------------------------------------------- the corpus is what the script writes


def test_rerunning_make_layouts_reproduces_the_committed_corpus_byte_for_byte(tmp_path: Path) -> None:
    written = MAKE.build(tmp_path)
    assert {p.name for p in written} == {p.name for p in DRAFTS.iterdir() if p.name.startswith(("layout-", "refused-"))}
    for p in written:
        assert p.read_bytes() == (DRAFTS / p.name).read_bytes(), p.name


# ---------------------------------------------------------------- rra check on the variants


def _findings(*args: str) -> list[dict[str, object]]:
    r = run_rra("check", "--json", *args)
    assert r.returncode in (0, 1), r.stderr  # 1: the memo has a high-severity entry
    findings: list[dict[str, object]] = json.loads(r.stdout)["findings"]
    return findings


def _text_findings(path: Path) -> list[dict[str, object]]:
    """The findings `rra check --only draft --only text --json` prints for a text, computed in this process (one
    process: the check's worker is not started)."""
    from rra.spec.agreement import load_agreement

    from rra.commands.check import gather
    from rra.output import dumps

    findings: list[dict[str, object]] = json.loads(dumps(gather(load_agreement(str(path)), ["draft", "text"])))[
        "findings"]
    return findings


def test_rra_check_gives_every_text_variant_the_findings_of_the_bundled_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The drafting review and the draft analysis read the words of every variant; the Z3 and consent analyses
    read the model bound to them, which is the same for every variant (the conformance suite checks the binding;
    the full check runs once, below, and the command line reads a draft in the next test)."""
    monkeypatch.setenv("RRA_SERIAL", "1")
    base = _text_findings(ROOT / "spec" / "registration-rights-agreement-2003-05-09.txt")
    assert len(base) > 20
    for name in TEXT_LAYOUTS:
        assert _text_findings(DRAFTS / name) == base, name


def _without_lines(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def test_rra_check_gives_the_word_draft_the_findings_of_the_bundled_text_apart_from_line_numbers() -> None:
    only = ("--only", "draft", "--only", "text", "--no-redline-check")  # findings only: the memo is not compared
    base = _findings(*only, "--agreement", str(ROOT / "spec" / "registration-rights-agreement-2003-05-09.txt"))
    assert _without_lines(_findings(*only, "--agreement", str(DRAFTS / "layout-word.docx"))) == _without_lines(base)


def test_the_full_rra_check_of_the_mixed_layout_equals_that_of_the_bundled_text() -> None:
    # every analysis, findings only (the memo's redline checks do not change them)
    base = _findings("--no-redline-check", "--agreement",
                     str(ROOT / "spec" / "registration-rights-agreement-2003-05-09.txt"))
    assert {str(f["id"]).split(".")[0] for f in base} >= {"text", "z3", "consent"}
    assert _findings("--no-redline-check", "--agreement", str(DRAFTS / "layout-mixed.txt")) == base


@pytest.mark.parametrize("name", ["refused-binary.txt", "refused-not-a-zip.docx", "refused-latin1.txt"])
def test_rra_check_refuses_an_unreadable_draft_in_one_line_with_status_2(name: str) -> None:
    r = run_rra("check", "--only", "text", "--agreement", str(DRAFTS / name))
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("rra check: --agreement: ")


# ---------------------------------------------------------------- reading a file


def test_read_agreement_returns_the_name_hash_text_and_format(tmp_path: Path) -> None:
    raw = "\ufeffline one\r\nline two\r\n".encode()
    p = tmp_path / "draft.txt"
    p.write_bytes(raw)
    src = read_agreement(p)
    assert src == AgreementSource(str(p), hashlib.sha256(raw).hexdigest(), raw.decode("utf-8"), "text")
    word = read_agreement(DRAFTS / "layout-word.docx")
    assert word.format == "docx" and word.sha256 == hashlib.sha256((DRAFTS / "layout-word.docx").read_bytes()).hexdigest()
    with pytest.raises(AttributeError):
        word.text = ""  # type: ignore[misc]


def test_read_agreement_leaves_nothing_behind(tmp_path: Path) -> None:
    p = tmp_path / "draft.docx"
    p.write_bytes((DRAFTS / "layout-word.docx").read_bytes())
    before = sorted(os.listdir(tmp_path))
    read_agreement(p)
    assert sorted(os.listdir(tmp_path)) == before


def test_a_file_larger_than_the_limit_is_refused_after_reading_at_most_one_byte_more(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 1001)
    with pytest.raises(BadInput, match="larger than 1,000 bytes"):
        read_agreement(p, limit=1000)
    assert read_agreement(p, limit=1001).text == "x" * 1001


def test_an_endless_device_is_refused_as_too_large_without_reading_it_all() -> None:
    with pytest.raises(BadInput, match="larger than"):
        read_agreement("/dev/zero", limit=10_000)


def test_a_fifo_with_no_writer_is_refused_as_empty_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "draft.fifo"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def read() -> None:
        try:
            read_agreement(fifo)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            result.append(exc)

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(30)
    assert not t.is_alive(), "reading a FIFO with no writer hung"
    assert isinstance(result[0], BadInput) and "empty" in str(result[0])


@pytest.mark.parametrize(("data", "message"), [
    (b"Section 1.\n\xe9t\xe9\n", "not UTF-8 text: byte 0xe9 at byte offset 11"),
    (b"ok\x07bell\n", "control character U+0007 at byte offset 2"),
    (b"%PDF-1.4 ...", "a PDF file"),
    (b"\xff\xfeS\x00", "UTF-16 text"),
    (b"  \n\n", "the file is empty"),
])
def test_bad_text_files_are_refused_with_the_reason_and_the_byte_offset(tmp_path: Path, data: bytes,
                                                                       message: str) -> None:
    p = tmp_path / "draft.txt"
    p.write_bytes(data)
    with pytest.raises(BadInput, match=re.escape(message)):
        read_agreement(p, field="--agreement")


def test_a_missing_file_and_a_directory_are_refused_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"^--agreement: '.*': cannot read file \(No such file"):
        read_agreement(tmp_path / "nope.txt", field="--agreement")
    with pytest.raises(BadInput, match="is a directory"):
        read_agreement(tmp_path, field="--agreement")


def test_a_long_file_name_is_cut_in_the_message(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as info:
        read_agreement(tmp_path / ("x" * 300 + ".txt"))
    assert len(str(info.value)) < 200


# ---------------------------------------------------------------- .docx


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_docx_that_would_unpack_to_too_much_is_refused_before_it_is_unpacked() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (MAX_DOCX_UNPACKED + 1)})
    assert len(bomb) < 100_000
    with pytest.raises(BadInput, match="would unpack to"):
        docx_text(bomb, "bomb.docx")


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.integers(0, 10**9), junk=st.binary(min_size=1, max_size=8))
def test_a_damaged_docx_is_read_or_refused_in_one_line_never_crashes(at: int, junk: bytes) -> None:
    data = bytearray((DRAFTS / "layout-word.docx").read_bytes())
    k = at % len(data)
    data[k:k + len(junk)] = junk
    try:
        docx_text(bytes(data), "damaged.docx")
    except BadInput as err:
        assert "\n" not in str(err)


_MEMBERS = ["word/document.xml", "word/numbering.xml", "word/styles.xml", "[Content_Types].xml",
            "word/_rels/document.xml.rels", "_rels/.rels"]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(member=st.sampled_from(_MEMBERS), at=st.integers(0, 10**6), cut=st.integers(0, 12), drop=st.booleans(),
       junk=st.sampled_from([b"", b"<", b">", b'"', b'w:val="x"', b"-1", b"99999999999999999999", b'w:type="bogus"',
                             b"<w:p/>", b"</w:body>"]))
def test_a_docx_with_damaged_xml_inside_a_sound_zip_is_read_or_refused_in_one_line(
        member: str, at: int, cut: int, drop: bool, junk: bytes) -> None:
    with zipfile.ZipFile(DRAFTS / "layout-word.docx") as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    data = members[member]
    k = at % len(data)
    members[member] = data[:k] + junk + data[k + cut:]
    if drop:
        members.pop(_MEMBERS[at % len(_MEMBERS)])
    try:
        docx_text(_zip(members), "damaged.docx")
    except BadInput as err:
        assert "\n" not in str(err) and " at 0x" not in str(err)


def _document(paragraphs: list[tuple[str, int | None, int | None]], numbering_xml: str = "",
              nums: str = "") -> bytes:
    """A small .docx: paragraphs (text, numId, ilvl) and extra numbering definitions."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    first = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    for xml in filter(None, [numbering_xml]):
        el = parse_xml(xml.replace("{ns}", nsdecls("w")))
        if first is not None:
            first.addprevious(el)
        else:
            numbering.append(el)
    for xml in filter(None, [nums]):
        for el in parse_xml(f"<w:x {nsdecls('w')}>{xml}</w:x>"):
            numbering.append(el)
    for text, num_id, ilvl in paragraphs:
        p = d.add_paragraph(text)
        if num_id is not None:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = ilvl or 0
            num_pr.get_or_add_numId().val = num_id
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


_LEVELS = """<w:abstractNum {ns} w:abstractNumId="70">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/>
    <w:suff w:val="space"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1.%2.%4"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%2.%5"/></w:lvl>
</w:abstractNum>"""


def test_word_list_numbering_is_rendered_into_the_labels_counting_per_list_and_level() -> None:
    nums = ('<w:num w:numId="70"><w:abstractNumId w:val="70"/></w:num>'
            '<w:num w:numId="71"><w:abstractNumId w:val="70"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>')
    data = _document([("DEFINITIONS.", 70, 0), ("As used.", 70, 1), ("One.", 70, 2), ("Two.", 70, 2),
                      ("Then.", 70, 1), ("Again.", 70, 2), ("REGISTRATION.", 70, 0), ("First.", 70, 1),
                      ("Deep.", 70, 3), ("Legal.", 70, 4), ("Other list.", 71, 0), ("Plain.", None, None)],
                     _LEVELS, nums)
    blocks = docx_text(data, "t.docx").split("\n\n")
    assert blocks == ["1.\tDEFINITIONS.", "(a) As used.", "(i)\tOne.", "(ii)\tTwo.", "(b) Then.", "(i)\tAgain.",
                      "2.\tREGISTRATION.", "(a) First.", "2.a.A\tDeep.", "2.1.1\tLegal.", "7.\tOther list.",
                      "Plain.\n"]


def test_numbering_inherited_from_a_paragraph_style_is_rendered_like_direct_numbering() -> None:
    d = docx.Document()
    w = nsdecls("w")
    numbering = d.part.numbering_part.element
    first = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    abstract = parse_xml(f'<w:abstractNum {w} w:abstractNumId="80"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                         '<w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="%1."/></w:lvl>'
                         '</w:abstractNum>')
    if first is not None:
        first.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {w} w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    heading = d.styles["Heading 1"].element
    heading.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="80"/></w:numPr>'))
    d.add_paragraph("DEFINITIONS.", style="Heading 1")
    d.add_paragraph("Body text.")
    d.add_paragraph("REGISTRATION.", style="Heading 1")
    buf = io.BytesIO()
    d.save(buf)
    assert docx_text(buf.getvalue(), "t.docx") == "1.\tDEFINITIONS.\n\nBody text.\n\n2.\tREGISTRATION.\n"


def test_numbering_counts_levels_and_restarts_deeper_ones() -> None:
    root = parse_xml(f"<w:numbering {nsdecls('w')}>{_LEVELS.replace('{ns}', '')}"
                     '<w:num w:numId="5"><w:abstractNumId w:val="70"/></w:num></w:numbering>')
    n = Numbering(root)
    labels = [n.label("5", lvl) for lvl in (0, 1, 1, 2, 2, 1, 0, 2)]
    assert [x.rstrip("\t ") for x in labels] == ["1.", "(a)", "(b)", "(i)", "(ii)", "(c)", "2.", "(i)"]
    assert n.label("99", 0) == "" and n.label("5", 8) == ""


def test_a_docx_reads_table_cells_in_document_order_and_leaves_out_tracked_deletions() -> None:
    d = docx.Document()
    d.add_paragraph("Before the table.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Left cell.")
    table.cell(0, 1).paragraphs[0].add_run("Right cell.")
    p = d.add_paragraph("Kept ")
    w = nsdecls("w")
    p._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="x"><w:r><w:delText>deleted </w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="x"><w:r><w:t>inserted</w:t></w:r></w:ins>'))
    buf = io.BytesIO()
    d.save(buf)
    assert docx_text(buf.getvalue(), "t.docx") == "Before the table.\n\nLeft cell.\n\nRight cell.\n\nKept inserted\n"


# ---------------------------------------------------------------- what the parser reads and refuses

_MINI = """PREAMBLE of a draft.

NOW, THEREFORE, the parties agree:

{s1}

{a} First subsection.

{b} Second subsection. It
goes on.

{s2}

{a} Only subsection.

IN WITNESS WHEREOF, signed.
"""


@pytest.mark.parametrize(("s1", "s2", "heading"), [
    ("1. DEFINITIONS.", "2. REGISTRATION.", "DEFINITIONS"),
    ("1. Definitions.", "2. Registration", "Definitions"),
    ("Section 1.", "Section 2.", None),
    ("SECTION 1 - DEFINITIONS", "SECTION 2 - REGISTRATION", "DEFINITIONS"),
    ("Section 1: Definitions", "Section 2: Registration", "Definitions"),
    ("Section 1 \u2014 Definitions.", "Section 2 \u2014 Registration.", "Definitions"),
])
@pytest.mark.parametrize("style", ["a.", "(a)", "a)"])
def test_every_heading_and_subsection_style_read_gives_the_same_ids(s1: str, s2: str, heading: str | None,
                                                                     style: str) -> None:
    a, b = style.replace("a", "a"), style.replace("a", "b")
    doc = parse(_MINI.format(s1=s1, s2=s2, a=a, b=b))
    assert [c.id for c in doc.clauses] == ["preamble", "consideration", "1", "1(a)", "1(b)", "2", "2(a)", "signatures"]
    assert doc.get("1").heading == heading
    assert doc.get("1(b)").label == b


@pytest.mark.parametrize(("line", "reason"), [
    ("Article II", "looks like a clause marker, but not in a numbering style read here"),
    ("2.1 Mandatory Registration. The Company", "looks like a clause marker"),
    ("Sec. 3 The Company", "looks like a clause marker"),
    ("(1) The Company shall", "looks like a clause marker"),
    ("ii. The Company shall", "looks like a clause marker"),
    ("B. The Company shall", "looks like a clause marker"),
])
def test_a_paragraph_numbered_in_a_style_not_read_is_refused_with_its_line_and_recorded_when_lenient(
        line: str, reason: str) -> None:
    text = _MINI.format(s1="1. DEFINITIONS.", s2="2. REGISTRATION.", a="a.", b="b.").replace(
        "{a} Only subsection.".format(a="a."), f"a. Only subsection.\n\n{line} more words.")
    with pytest.raises(ParseError, match=re.escape(reason)) as info:
        parse(text)
    assert info.value.line == 16
    doc = parse(text, strict=False)
    assert [(p.line, p.kind, p.clause) for p in doc.problems] == [(16, "unrecognized-marker", "2(a)")]


def test_prose_that_starts_a_paragraph_with_a_word_like_mr_or_no_is_not_taken_for_a_marker() -> None:
    text = _MINI.format(s1="1. DEFINITIONS.", s2="2. REGISTRATION.", a="a.", b="b.").replace(
        "a. Only subsection.", "a. Only subsection.\n\nMr. Smith signs.\n\nNo. 5 of the series.\n\n"
                               "Section 4(c) of the Securities Purchase Agreement applies.")
    assert parse(text).problems == []


def test_a_subsection_without_a_blank_line_before_it_is_still_read_when_it_is_the_next_letter() -> None:
    text = _MINI.format(s1="1. DEFINITIONS.", s2="2. REGISTRATION.", a="a.", b="b.").replace(
        "First subsection.\n\nb.", "First subsection.\nb.")
    assert [c.id for c in parse(text).clauses][3:5] == ["1(a)", "1(b)"]


def test_in_a_parenthesized_draft_i_after_h_is_a_subsection_and_i_after_a_is_an_item() -> None:
    doc = _draft("layout-parenthesized.txt")
    assert doc.get("3(i)").kind == "subsection" and doc.get("3(i)").label == "(i)"
    assert doc.get("1(a)(i)").kind == "item" and doc.get("11(i)").kind == "subsection"
    assert doc.get("1(a)(v)").kind == "item"


@pytest.mark.parametrize("page", ["4", "- 4 -", "Page 4", "Page 4 of 18", "PAGE 4 OF 18", "-4-"])
def test_a_page_number_in_any_common_style_between_paragraphs_is_a_page_break(page: str) -> None:
    lines = agreement_text().split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.strip() == "4")
    lines[i] = "       " + page
    lines[i + 1] = ""
    doc = parse("\n".join(lines))
    assert i + 1 in doc.artifacts
    _same_tree(doc)


def test_a_form_feed_is_a_page_break_and_the_page_number_before_it_an_artifact() -> None:
    text = agreement_text().replace("\n<PAGE>\n", "\n\f")
    doc = parse(text)
    _same_tree(doc)
    assert doc.layout is not None and "form feed" in doc.layout.page_breaks


def test_an_item_directly_under_a_section_stays_in_the_sections_text_as_in_the_agreement() -> None:
    text = agreement_text().replace("that\n(i) no contribution", "that\n\n(i) no contribution")
    doc = parse(text)
    assert [c.id for c in doc.clauses] == [c.id for c in agreement().clauses]
    assert "(i) no contribution" in doc.get("7").text


def test_clause_at_and_find_agree_with_a_scan_of_every_clause() -> None:
    doc = _draft("layout-mixed.txt")
    for line in range(1, len(doc.lines) + 1):
        holding = [c for c in doc.clauses if c.start <= line <= c.end]
        expected = max(holding, key=lambda c: (c.start, doc.clauses.index(c))) if holding else None
        assert doc.clause_at(line) == expected
    assert doc.clause_at(0) is None and doc.clause_at(len(doc.lines) + 5) is None
    assert doc.find("\u201cApplicable Percentage\u201d means two hundredths (.02)") == ["2(c)"]


def test_a_docx_draft_that_cannot_be_parsed_is_refused_naming_the_line_and_the_paragraph(tmp_path: Path) -> None:
    d = docx.Document()
    for text in ["A draft.", "NOW, THEREFORE, the parties agree:", "1. DEFINITIONS.", "a. Terms.\nMore terms.",
                 "Article II", "IN WITNESS WHEREOF"]:
        d.add_paragraph(text)
    p = tmp_path / "draft.docx"
    d.save(str(p))
    with pytest.raises(ParseError, match=r"draft.docx line 10: 'Article II' .* \(paragraph 5 of the document\)"):
        parse_source(read_agreement(p))
    assert [c.id for c in parse_source(read_agreement(p), strict=False).clauses][-2:] == ["1(a)", "signatures"]


def test_a_zip_whose_main_part_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(DRAFTS / "layout-word.docx") as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
    p = tmp_path / "book.docx"
    p.write_bytes(_zip(members))
    with pytest.raises(BadInput, match=r"not a Word \.docx document: its main part is application/vnd"):
        read_agreement(p)


@pytest.mark.parametrize(("n", "fmt", "text"), [(3, "lowerLetter", "c"), (27, "lowerLetter", "aa"),
                                                (2, "upperLetter", "B"), (14, "lowerRoman", "xiv"),
                                                (4, "upperRoman", "IV"), (7, "decimal", "7"),
                                                (10**9, "lowerLetter", "1000000000"), (10**9, "lowerRoman", "1000000000")])
def test_word_number_formats_are_written_as_word_writes_them_and_huge_ones_in_figures(n: int, fmt: str,
                                                                                      text: str) -> None:
    assert format_number(n, fmt) == text


def test_a_section_whose_subsections_run_on_without_paragraph_breaks_is_refused_not_folded_into_one_clause() -> None:
    text = ("Preamble.\n\nNOW, THEREFORE, agreed:\n\n1. DEFINITIONS.\n\nThe terms are these and\n"
            "a. the first term and\nb. the second term and\nc. the third.\n\nIN WITNESS WHEREOF\n")
    with pytest.raises(ParseError, match=r"line 8: Section 1 has no subsections, but lines 8 and 9 start like its "
                                         r"subsections a\. and b\."):
        parse(text)
    assert [p.kind for p in parse(text, strict=False).problems] == ["unrecognized-marker"]
