"""Reading a Word .docx draft as text (with python-docx): the body's paragraphs, table cells included, in
document order, one block each, separated by blank lines; Word's automatic list numbering rendered into the
label text ("2.", "(c)", "(iv)") so that a list-numbered draft reads like one whose numbers are typed.

Numbering follows numbering.xml: a paragraph's `w:numPr` (or its style's, through `w:basedOn`) names a list
(`numId`) and a level (`ilvl`); each list counts its levels on its own, a level restarts when a higher one is
used (unless `w:lvlRestart` says otherwise), `w:startOverride` and `w:start` set the first value, and
`w:lvlText` ("%1.", "(%2)") with `w:numFmt` (decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, ...)
gives the label. Tracked deletions are left out and tracked insertions kept (the draft as it would read if
every change were accepted); text boxes, headers, footers and footnotes are not part of the agreement's text.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, cast

from docx.exceptions import PythonDocxError
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.opc.part import XmlPart
from docx.package import Package
from docx.parts.document import DocumentPart
from lxml import etree
from rra.spec.text import cut

from rra.errors import BadInput

# Bounds on what a .docx may unpack to: its parts are read into memory whole.
MAX_DOCX_UNPACKED = 25 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RUNS = (".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)"
         " and not(ancestor::w:pPr)]")
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _tag(name: str) -> str:
    return f"{{{_W}}}{name}"


def _val(el: Any, child: str) -> str | None:
    """The w:val attribute of a child element, if there is one."""
    c = el.find(_tag(child)) if el is not None else None
    return c.get(_tag("val")) if c is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def roman(n: int) -> str:
    """Lower-case Roman numeral of a positive number."""
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (unknown formats, and letters or Roman numerals for
    numbers too large to write that way, as decimal)."""
    if fmt in ("lowerLetter", "upperLetter") and n <= 780:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and n <= 3999:
        r = roman(n) if n > 0 else str(n)
        return r.upper() if fmt == "upperRoman" else r
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True)
class _Level:
    """One level of a list definition."""

    fmt: str
    text: str
    start: int
    suffix: str
    legal: bool
    restart: int | None
    style: str | None


def _level(lvl: Any) -> _Level:
    """A w:lvl element as a _Level."""
    suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(_val(lvl, "suff") or "tab", "\t")
    restart = _val(lvl, "lvlRestart")
    return _Level(fmt=_val(lvl, "numFmt") or "decimal", text=_val(lvl, "lvlText") or "",
                  start=_int(_val(lvl, "start"), 1), suffix=suffix, legal=lvl.find(_tag("isLgl")) is not None,
                  restart=_int(restart, 0) if restart is not None else None, style=_val(lvl, "pStyle"))


class Numbering:
    """The lists of numbering.xml and their counters, advanced paragraph by paragraph in document order."""

    def __init__(self, root: Any | None) -> None:
        abstract: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, dict[int, _Level]] = {}
        if root is None:
            return
        for a in root.findall(_tag("abstractNum")):
            abstract[a.get(_tag("abstractNumId"), "")] = {
                _int(lvl.get(_tag("ilvl")), 0): _level(lvl) for lvl in a.findall(_tag("lvl"))}
        for num in root.findall(_tag("num")):
            levels = dict(abstract.get(_val(num, "abstractNumId") or "", {}))
            for o in num.findall(_tag("lvlOverride")):
                ilvl = _int(o.get(_tag("ilvl")), 0)
                lvl = o.find(_tag("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _val(o, "startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(old.fmt, old.text, _int(start, 1), old.suffix, old.legal, old.restart,
                                          old.style)
            self._lists[num.get(_tag("numId"), "")] = levels
        self._counters: dict[str, list[int | None]] = {}

    def level_for_style(self, num_id: str, style: str) -> int | None:
        """The level of a list that is linked to a paragraph style, if any."""
        for ilvl, lvl in self._lists.get(num_id, {}).items():
            if lvl.style == style:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list's counter at this level and return the label with its suffix ("2.\\t", "(c)\\t")."""
        levels = self._lists.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [None] * 10)
        if not 0 <= ilvl < len(counters):
            return ""
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, len(counters)):
            lvl = levels.get(deeper)
            if lvl is None or lvl.restart is None or (lvl.restart != 0 and ilvl + 1 <= lvl.restart):
                counters[deeper] = None
        me = levels[ilvl]
        if me.fmt == "bullet":
            return me.text + me.suffix if me.text else ""

        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            n = counters[k] if k < len(counters) and counters[k] is not None else lvl.start
            return format_number(n or 0, "decimal" if me.legal and lvl.fmt != "none" else lvl.fmt)

        text = re.sub(r"%([1-9])", value, me.text)
        return text + me.suffix if text else ""


class _Styles:
    """Numbering inherited from paragraph styles (through w:basedOn)."""

    def __init__(self, root: Any | None) -> None:
        self._styles: dict[str, Any] = {}
        if root is not None:
            for s in root.findall(_tag("style")):
                if s.get(_tag("type")) in (None, "paragraph"):
                    self._styles[s.get(_tag("styleId"), "")] = s

    def num_pr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) from the style or the styles it is based on."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            s = self._styles[style_id]
            num_pr = s.find(f"{_tag('pPr')}/{_tag('numPr')}")
            if num_pr is not None and _val(num_pr, "numId") is not None:
                ilvl = _val(num_pr, "ilvl")
                return _val(num_pr, "numId"), _int(ilvl, 0) if ilvl is not None else None
            style_id = _val(s, "basedOn")
        return None, None


def _paragraph(p: Any, numbering: Numbering, styles: _Styles) -> str:
    """One paragraph's text, prefixed by its rendered list label."""
    text = "".join(r.text for r in p.xpath(_RUNS))
    ppr = p.find(_tag("pPr"))
    num_pr = ppr.find(_tag("numPr")) if ppr is not None else None
    style = _val(ppr, "pStyle")
    num_id: str | None = None
    ilvl: int | None = None
    if num_pr is not None and _val(num_pr, "numId") is not None:
        num_id = _val(num_pr, "numId")
        ilvl = _int(_val(num_pr, "ilvl"), 0)
    else:
        num_id, ilvl = styles.num_pr(style)
        if num_id is not None and ilvl is None:
            ilvl = numbering.level_for_style(num_id, style or "")
    label = ""
    if num_id is not None and num_id != "0":
        label = numbering.label(num_id, ilvl or 0)
    text = _BLANK_LINES.sub("\n", text).strip("\n")
    if not text.strip():
        return label.strip()
    return label + text


def _blocks(parent: Any, numbering: Numbering, styles: _Styles, out: list[str]) -> None:
    """Paragraph texts under a body, cell or content control, in document order."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _tag("p"):
            text = _paragraph(child, numbering, styles)
            if text.strip():
                out.append(text)
        elif tag == _tag("tbl"):
            for tr in child.findall(_tag("tr")):
                for tc in tr.findall(_tag("tc")):
                    _blocks(tc, numbering, styles, out)
        elif tag in (_tag("sdt"), _tag("customXml"), _tag("sdtContent")):
            content = child.find(_tag("sdtContent")) if tag == _tag("sdt") else child
            if content is not None:
                _blocks(content, numbering, styles, out)


def _check_zip(data: bytes, name: str, field: str) -> None:
    """Refuse an archive that is not a zip, has too many members or would unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError) as exc:
        raise BadInput(field, cut(name), f"not a .docx file: not a readable zip archive ({cut(str(exc), 80)})") from None
    if len(infos) > MAX_DOCX_MEMBERS:
        raise BadInput(field, cut(name), f"not a .docx file: {len(infos)} members in the archive "
                                         f"(at most {MAX_DOCX_MEMBERS})")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_DOCX_UNPACKED:
        raise BadInput(field, cut(name), f"the .docx would unpack to {unpacked:,} bytes "
                                         f"(at most {MAX_DOCX_UNPACKED:,})")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise BadInput(field, cut(name), "not a .docx file: the archive has no [Content_Types].xml")


def _unreadable(exc: Exception, name: str, field: str) -> BadInput:
    """The one-line refusal of a .docx that python-docx could not read."""
    reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BadInput(field, cut(name), f"not a readable .docx file ({cut(reason, 80)})")


def docx_text(data: bytes, name: str, field: str = "agreement") -> str:
    """The text of a .docx draft: one block per paragraph (list labels rendered), blank lines between."""
    if not data.startswith(b"PK\x03\x04"):
        what = ("an encrypted (password-protected) or old-format Word file; save it as .docx without a password"
                if data.startswith(b"\xd0\xcf\x11\xe0") else "not a zip archive")
        raise BadInput(field, cut(name), f"not a .docx file: {what}")
    _check_zip(data, name, field)
    # python-docx reports a damaged package in many ways (its XML classes assume well-formed OOXML), so every
    # exception it raises while opening the package means "not a readable .docx"; the walk over the body that
    # follows is this module's own code and only lets python-docx's value errors through.
    try:
        main = Package.open(io.BytesIO(data)).main_document_part
        if main.content_type != CT.WML_DOCUMENT_MAIN:
            raise BadInput(field, cut(name), f"not a Word .docx document: its main part is {cut(main.content_type, 70)}")
        body = cast(DocumentPart, main).document.element.body
        related: dict[str, Any] = {}
        for reltype in (RT.NUMBERING, RT.STYLES):
            with contextlib.suppress(KeyError):
                part = main.part_related_by(reltype)
                if isinstance(part, XmlPart):
                    related[reltype] = part.element
    except KeyError:
        raise BadInput(field, cut(name), "not a .docx file: the archive has no main document part "
                                         "(word/document.xml)") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, TypeError,
            AttributeError, etree.XMLSyntaxError, OpcError, PythonDocxError) as exc:
        raise _unreadable(exc, name, field) from None
    blocks: list[str] = []
    try:
        _blocks(body, Numbering(related.get(RT.NUMBERING)), _Styles(related.get(RT.STYLES)), blocks)
    except (ValueError, PythonDocxError) as exc:
        raise _unreadable(exc, name, field) from None
    return "\n\n".join(blocks) + "\n"
