"""Build the layout-variant drafts in this folder from the bundled agreement (deterministic: same bytes every run).

    python tests/corpus/drafts/make_layouts.py [--out DIR]

Each `layout-*` file says the same words as the bundled agreement in another layout lawyers use; each
`refused-*` file is a draft the parser must refuse (README.md says what each is, refused.yaml what the
refusal says). The text transforms are plain functions on the agreement's lines that keep the number of
lines, so a line number in one variant is the same line in the others; they are found here by their own
patterns, not by the parser under test. The tests import TRANSFORMS to mix them at random.
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import docx.document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from rra.spec.text import agreement_text

HERE = Path(__file__).resolve().parent
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_SECTION = re.compile(r"^(?P<indent>\s*)(?P<num>\d{1,2})\.(?P<gap>\s+)(?P<h>[A-Z][A-Z0-9 ,;'&\-]*[A-Z0-9])\.\s*$")
_SUBSECTION = re.compile(r"^(?P<indent>\s*)(?P<x>[a-z])\.(?P<gap>\s+)\S")
_ITEM = re.compile(r"^(?P<indent>\s*)\((?P<x>[ivx]+)\)(?P<gap>\s+)\S")
_RECITAL = re.compile(r"^(?P<indent>\s*)(?P<x>[A-Z])\.(?P<gap>\s+)\S")
_PAGE_NUMBER = re.compile(r"^(?P<indent>\s*)(?P<n>\d{1,3})\s*$")
_SMALL = {"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to"}

Lines = list[str]


def _lines() -> Lines:
    return agreement_text().split("\n")


def _body(lines: Lines) -> tuple[int, int]:
    """Index of the first section heading and of the signatures' first line."""
    first = next(i for i, ln in enumerate(lines) if _SECTION.match(ln))
    last = next(i for i, ln in enumerate(lines) if "IN WITNESS" in ln)
    return first, last


def _paragraph_starts(lines: Lines) -> list[int]:
    """Lines that start a paragraph in the body (after a blank line or a <PAGE> marker)."""
    first, last = _body(lines)
    return [i for i in range(first, last) if lines[i].strip() and (not lines[i - 1].strip() or lines[i - 1].strip() == "<PAGE>")]


def _kind(lines: Lines, i: int) -> str | None:
    if _SECTION.match(lines[i]):
        return "section"
    if _ITEM.match(lines[i]):
        return "item"
    if _SUBSECTION.match(lines[i]):
        return "subsection"
    return None


def _page_breaks(lines: Lines) -> list[tuple[int, int]]:
    """(page number line, <PAGE> line) pairs."""
    out = []
    for i, ln in enumerate(lines):
        if ln.strip() == "<PAGE>":
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and _PAGE_NUMBER.match(lines[j]):
                out.append((j, i))
    return out


# Where the numbers and page breaks of the bundled text are. The transforms edit these lines of whatever text
# they are given, so they compose in any order.
_BUNDLED = _lines()
SECTIONS = [i for i, ln in enumerate(_BUNDLED) if _SECTION.match(ln)]
SUBSECTIONS = [i for i in _paragraph_starts(_BUNDLED) if _kind(_BUNDLED, i) == "subsection"]
PAGE_BREAKS = _page_breaks(_BUNDLED)
PAGE_MARKERS = [i for i, ln in enumerate(_BUNDLED) if ln.strip() == "<PAGE>"]
_LABEL = re.compile(r"^(?P<indent>\s*)(?P<x>[a-z])\.")
_NUMBER = re.compile(r"^(?P<indent>\s*)(?P<num>\d{1,2})\.(?P<gap>\s+)(?P<h>.*?)\.?\s*$")


# ---------------------------------------------------------------- numbering and headings


def _relabel(lines: Lines, form: str) -> Lines:
    out = list(lines)
    for i in SUBSECTIONS:
        m = _LABEL.match(out[i])
        assert m is not None, out[i]
        out[i] = m.group("indent") + form.format(x=m.group("x")) + out[i][m.end():]
    return out


def parenthesized(lines: Lines) -> Lines:
    """Subsections written "(c)" instead of "c."."""
    return _relabel(lines, "({x})")


def right_paren(lines: Lines) -> Lines:
    """Subsections written "c)"."""
    return _relabel(lines, "{x})")


def _title(heading: str) -> str:
    words = heading.lower().split(" ")
    return " ".join(w if (w in _SMALL and k) else w[:1].upper() + w[1:] for k, w in enumerate(words))


def title_case(lines: Lines) -> Lines:
    """Section headings in title case: "2. Registration.", "3. Obligations of the Company."."""
    out = list(lines)
    for i in SECTIONS:
        m = _SECTION.match(_BUNDLED[i])
        assert m is not None
        out[i] = out[i].replace(m.group("h"), _title(m.group("h")))
    return out


def _section_word(lines: Lines, pattern: str) -> Lines:
    out = list(lines)
    for i in SECTIONS:
        m = _NUMBER.match(out[i])
        assert m is not None, out[i]
        out[i] = m.group("indent") + pattern.format(n=m.group("num"), h=m.group("h"))
    return out


def section_word(lines: Lines) -> Lines:
    """Section headings "Section 2. REGISTRATION."."""
    return _section_word(lines, "Section {n}. {h}.")


def section_word_dash(lines: Lines) -> Lines:
    """Section headings "SECTION 2 \u2013 REGISTRATION" (an en dash, no final period)."""
    return _section_word(lines, "SECTION {n} \u2013 {h}")


# ---------------------------------------------------------------- page breaks


def no_page_markers(lines: Lines) -> Lines:
    """Page numbers without <PAGE> markers (each marker line left blank); every third page number written
    "- 4 -", every third "Page 4 of 18"."""
    out = list(lines)
    for k, (j, _) in enumerate(PAGE_BREAKS):
        m = _PAGE_NUMBER.match(out[j])
        assert m is not None
        n = m.group("n")
        out[j] = m.group("indent") + (n if k % 3 == 0 else f"- {n} -" if k % 3 == 1 else f"Page {n} of 18")
    for i in PAGE_MARKERS:
        out[i] = ""
    return out


def form_feeds(lines: Lines) -> Lines:
    """Page breaks as form feeds: each <PAGE> marker line becomes a form feed."""
    out = list(lines)
    for i in PAGE_MARKERS:
        out[i] = "\f"
    return out


# ---------------------------------------------------------------- characters


def curly_quotes(lines: Lines) -> Lines:
    """Straight quotes and apostrophes replaced by curly ones (opening after a space or parenthesis)."""
    out = []
    for ln in lines:
        chars = list(ln)
        for k, ch in enumerate(chars):
            before = chars[k - 1] if k else " "
            if ch == '"':
                chars[k] = "\u201c" if before.isspace() or before in "([" else "\u201d"
            elif ch == "'":
                chars[k] = "\u2019"
        out.append("".join(chars))
    return out


def nbsp(lines: Lines) -> Lines:
    """Non-breaking spaces: in every double space after a word, after "Section" before its number, and after
    subsection letters."""
    out = []
    for ln in lines:
        ln = re.sub(r"(?<=\S)  ", "\u00a0 ", ln)
        ln = re.sub(r"\bSection (?=\d)", "Section\u00a0", ln)
        out.append(ln)
    return out


def tabs(lines: Lines) -> Lines:
    """Indentation written with tabs (one per eight spaces)."""
    out = []
    for ln in lines:
        body = ln.lstrip(" ")
        n = len(ln) - len(body)
        out.append("\t" * (n // 8) + " " * (n % 8) + body)
    return out


def dashes(lines: Lines) -> Lines:
    """En dashes in form names ("S\u20133") and non-breaking hyphens in "Piggy-Back"."""
    return [re.sub(r"\b(S|SB)-(\d)", "\\1\u2013\\2", ln).replace("Piggy-Back", "Piggy\u2011Back") for ln in lines]


def ligatures(lines: Lines) -> Lines:
    """The "fi" and "fl" ligatures of a PDF export, in words of the body."""
    return [re.sub(r"(?<=[a-z])fi|fi(?=[a-z])", "\ufb01", ln).replace("fl", "\ufb02") if ln.startswith(" ") else ln
            for ln in lines]


def soft_hyphens(lines: Lines) -> Lines:
    """Soft hyphens inside long words ("regis\u00adtration")."""
    return [re.sub(r"\b(regis)(tration)", "\\1\u00ad\\2", ln) for ln in lines]


TRANSFORMS: dict[str, Callable[[Lines], Lines]] = {
    "parenthesized": parenthesized,
    "right-paren": right_paren,
    "title-case": title_case,
    "section-word": section_word,
    "section-word-dash": section_word_dash,
    "no-page-markers": no_page_markers,
    "form-feeds": form_feeds,
    "curly-quotes": curly_quotes,
    "nbsp": nbsp,
    "tabs": tabs,
    "dashes": dashes,
    "ligatures": ligatures,
    "soft-hyphens": soft_hyphens,
}
# Transforms that rewrite the same lines in incompatible ways: at most one of each group applies.
EXCLUSIVE = ({"parenthesized", "right-paren"}, {"section-word", "section-word-dash"},
             {"no-page-markers", "form-feeds"})
LINE_ENDS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}


def render(lines: Lines, line_end: str = "LF", bom: bool = False) -> str:
    """The lines as one text with the given line ends (and a byte order mark)."""
    return ("\ufeff" if bom else "") + LINE_ENDS[line_end].join(lines)


def variant(names: list[str], line_end: str = "LF", bom: bool = False) -> str:
    """The bundled text with these transforms applied in the order given."""
    lines = _lines()
    for n in names:
        lines = TRANSFORMS[n](lines)
    return render(lines, line_end, bom)


TEXT_LAYOUTS: dict[str, tuple[list[str], str, bool]] = {
    "layout-parenthesized.txt": (["parenthesized"], "LF", False),
    "layout-title-case.txt": (["title-case"], "LF", False),
    "layout-section-word.txt": (["section-word"], "LF", False),
    "layout-no-page-markers.txt": (["no-page-markers"], "LF", False),
    "layout-crlf-nbsp-curly.txt": (["nbsp", "curly-quotes"], "CRLF", False),
    "layout-mixed.txt": (["right-paren", "section-word-dash", "form-feeds", "tabs", "dashes", "ligatures",
                          "soft-hyphens", "curly-quotes", "nbsp"], "CR", True),
}


# ---------------------------------------------------------------- drafts that must be refused


def _article_style() -> str:
    """Sections as "ARTICLE II REGISTRATION" and subsections as "2.1"."""
    lines = _lines()
    out = list(lines)
    roman = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]
    section = 0
    for i in _paragraph_starts(lines):
        if m := _SECTION.match(lines[i]):
            section = int(m.group("num"))
            out[i] = f"{m.group('indent')}ARTICLE {roman[section]}{m.group('gap')}{m.group('h')}"
        elif _kind(lines, i) == "subsection" and (m := _SUBSECTION.match(lines[i])):
            out[i] = f"{m.group('indent')}{section}.{ord(m.group('x')) - ord('a') + 1}{m.group('gap')}{lines[i][m.end('gap'):]}"
    return "\n".join(out)


def _decimal_subsections() -> str:
    """Sections as typed, subsections "2.1" (a numbering style not read)."""
    lines = _lines()
    out = list(lines)
    section = 0
    for i in _paragraph_starts(lines):
        if m := _SECTION.match(lines[i]):
            section = int(m.group("num"))
        elif _kind(lines, i) == "subsection" and (m := _SUBSECTION.match(lines[i])):
            out[i] = f"{m.group('indent')}{section}.{ord(m.group('x')) - ord('a') + 1}{m.group('gap')}{lines[i][m.end('gap'):]}"
    return "\n".join(out)


def _style_change() -> str:
    """Subsections "c." up to Section 3, "(c)" from Section 4 on."""
    lines = _lines()
    start = next(i for i, ln in enumerate(lines) if (m := _SECTION.match(ln)) and m.group("num") == "4")
    changed = parenthesized(lines)
    return "\n".join(lines[:start] + changed[start:])


def _no_sections() -> str:
    """The agreement with every section heading's number removed ("REGISTRATION." alone)."""
    lines = _lines()
    return "\n".join(m.group("indent") + m.group("h") + "." if (m := _SECTION.match(ln)) else ln for ln in lines)


def _uppercase_subsections() -> str:
    """Subsections "A." instead of "a." (not read: capitals are recitals)."""
    lines = _lines()
    out = list(lines)
    for i in _paragraph_starts(lines):
        if _kind(lines, i) == "subsection" and (m := _SUBSECTION.match(lines[i])):
            out[i] = f"{m.group('indent')}{m.group('x').upper()}.{m.group('gap')}{lines[i][m.end('gap'):]}"
    return "\n".join(out)


def _stray_page_number() -> str:
    """A page number "7" pasted inside Section 2(d), between pages 3 and 4."""
    lines = _lines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith(" Investor who is entitled to registration rights"))
    return "\n".join(lines[:i] + ["                                       7"] + lines[i:])


def _binary() -> bytes:
    """Deterministic binary junk (a linear congruential generator), with NUL bytes."""
    out = bytearray()
    x = 12345
    for _ in range(4096):
        x = (1103515245 * x + 12345) % 2**31
        out.append((x >> 16) & 0xFF)
    return bytes(out)


def _latin1() -> bytes:
    """The agreement in Windows-1252 with curly quotes (bytes 0x93/0x94): not UTF-8."""
    return variant(["curly-quotes"]).encode("cp1252")


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip archive with fixed dates and stored (uncompressed) members, so its bytes never change."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def _not_a_zip() -> bytes:
    return b"This is plain text saved with a .docx name.\n"


def _no_document() -> bytes:
    types = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="xml" ContentType="application/xml"/></Types>')
    return _zip({"[Content_Types].xml": types, "word/styles.xml": b"<w:styles/>"})


REFUSED_TEXT: dict[str, Callable[[], str]] = {
    "refused-article-numbering.txt": _article_style,
    "refused-decimal-subsections.txt": _decimal_subsections,
    "refused-style-change.txt": _style_change,
    "refused-no-sections.txt": _no_sections,
    "refused-uppercase-subsections.txt": _uppercase_subsections,
    "refused-stray-page-number.txt": _stray_page_number,
}
REFUSED_BYTES: dict[str, Callable[[], bytes]] = {
    "refused-binary.txt": _binary,
    "refused-latin1.txt": _latin1,
    "refused-not-a-zip.docx": _not_a_zip,
    "refused-no-document.docx": _no_document,
}


# ---------------------------------------------------------------- the Word draft

_NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="1440" w:hanging="720"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="2160" w:hanging="720"/></w:pPr></w:lvl>
</w:abstractNum>"""
_RECITALS = """
<w:abstractNum {ns} w:abstractNumId="91">
  <w:multiLevelType w:val="singleLevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>
    <w:suff w:val="space"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>"""
_NUM = '<w:num {ns} w:numId="{id}"><w:abstractNumId w:val="{id}"/></w:num>'


def _blocks(lines: Lines) -> list[tuple[list[str], str | None]]:
    """The agreement's paragraphs (lines without page artifacts) with what numbers them: "section",
    "subsection", "item", "recital" or None. A paragraph split by a page break in mid-sentence is one paragraph."""
    first, last = _body(lines)
    starts = set(_paragraph_starts(lines))
    artifact = {i for i, ln in enumerate(lines) if ln.strip() == "<PAGE>" or "INTENTIONALLY" in ln}
    artifact |= {j for j, _ in _page_breaks(lines)}
    artifact |= {len(lines) - 1} if _PAGE_NUMBER.match(lines[-1]) else set()
    blocks: list[tuple[list[str], str | None, bool]] = []  # lines, kind, follows a page break
    current: list[str] = []
    after_break = False
    broke = False

    def flush() -> None:
        nonlocal current
        if current:
            kind = None
            idx = current_start[0]
            if idx in starts:
                kind = _kind(lines, idx)
            elif idx < first and _RECITAL.match(lines[idx]) and "WHEREAS" not in lines[idx]:
                kind = "recital"
            blocks.append((current, kind, after_break))
        current = []

    current_start = [0]
    for i, ln in enumerate(lines):
        if i in artifact:
            flush()
            broke = True
            continue
        if not ln.strip():
            flush()
            continue
        if not current:
            current_start[0] = i
            after_break = broke
            broke = False
        current.append(ln)
    flush()
    merged: list[tuple[list[str], str | None]] = []
    for block, kind, after in blocks:
        prev = merged[-1][0] if merged else None
        if prev is not None and after and kind is None and re.search(r"[a-z,]$", prev[-1].rstrip()):
            prev.extend(block)
        else:
            merged.append((block, kind))
    return merged


def _strip_label(text: str, kind: str | None) -> str:
    pat = {"section": r"^\s*\d{1,2}\.\s+", "subsection": r"^\s*[a-z]\.\s+", "item": r"^\s*\([ivx]+\)\s+",
           "recital": r"^\s*[A-Z]\.\s+"}.get(kind or "")
    return re.sub(pat, "", text, count=1) if pat else text


_KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


def _prune(document: docx.document.Document) -> None:
    """Drop what the default template carries but a draft does not need (a thumbnail, styles with effects,
    custom XML, latent and unused styles), to keep the stored file small."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "customXml"):
            part.drop_rel(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] == "thumbnail":
            package_rels.pop(rid)
    styles = document.styles.element
    w = styles.nsmap["w"]
    for child in list(styles):
        tag = child.tag.split("}")[1]
        if tag == "latentStyles" or (tag == "style" and child.get(f"{{{w}}}styleId") not in _KEEP_STYLES):
            styles.remove(child)


def word_draft() -> bytes:
    """The agreement as a Word document: sections, subsections and items numbered by one multi-level Word list
    ("1.", "(a)", "(i)"), recitals by another ("A."), curly quotes, the signature blocks in a table, and no typed
    numbers; fixed core properties and zip dates, so the bytes never change."""
    lines = curly_quotes(_lines())
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    for xml in (_NUMBERING, _RECITALS):
        el = parse_xml(xml.format(ns=nsdecls("w")))
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for num_id in (90, 91):
        numbering.append(parse_xml(_NUM.format(ns=nsdecls("w"), id=num_id)))
    _prune(document)
    core = document.core_properties
    core.author = "rra tests"
    core.title = "Registration Rights Agreement (layout variant)"
    core.last_modified_by = "rra tests"
    core.revision = 1
    signatures = next(i for i, (b, _) in enumerate(_blocks(lines)) if "IN WITNESS" in b[0])
    blocks = _blocks(lines)
    for block, kind in blocks[: signatures + 1]:
        stripped = [ln.strip() for ln in block]
        prose = all(len(s) >= 60 for s in stripped[:-1])
        text = _strip_label(" ".join(re.sub(r"\s+", " ", s) for s in stripped) if prose else "\n".join(stripped), kind)
        p = document.add_paragraph()
        for k, piece in enumerate(text.split("\n")):
            run = p.add_run(piece)
            if k + 1 < len(text.split("\n")):
                run.add_break()
        if kind is not None:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = {"section": 0, "subsection": 1, "item": 2, "recital": 0}[kind]
            num_pr.get_or_add_numId().val = 91 if kind == "recital" else 90
    # the signature blocks, two to a row
    rest = [b for b, _ in blocks[signatures + 1:]]
    parties: list[list[str]] = []
    for block in rest:
        if parties and (block[0].strip().startswith("_") or block[0].strip().startswith(("Name:", "Title:"))):
            parties[-1].extend(block)
        else:
            parties.append(list(block))
    table = document.add_table(rows=(len(parties) + 1) // 2, cols=2)
    for k, party in enumerate(parties):
        cell = table.cell(k // 2, k % 2)
        cell.paragraphs[0].add_run(party[0].strip())
        p = cell.add_paragraph()
        body = [ln.strip() for ln in party[1:]]
        for j, piece in enumerate(body):
            run = p.add_run(piece)
            if j + 1 < len(body):
                run.add_break()
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    return _zip(members)


def build(out: Path) -> list[Path]:
    """Write every variant into a folder; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (names, line_end, bom) in TEXT_LAYOUTS.items():
        (out / name).write_bytes(variant(names, line_end, bom).encode("utf-8"))
        written.append(out / name)
    (out / "layout-word.docx").write_bytes(word_draft())
    written.append(out / "layout-word.docx")
    for name, make in REFUSED_TEXT.items():
        (out / name).write_bytes(make().encode("utf-8"))
        written.append(out / name)
    for name, make_bytes in REFUSED_BYTES.items():
        (out / name).write_bytes(make_bytes())
        written.append(out / name)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: this folder)")
    args = ap.parse_args()
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
