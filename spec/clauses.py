"""The clause tree, parsed from the agreement's text (never typed in).

Ids follow the agreement's own citation style: sections `2`, subsections `2(c)`, items `1(a)(iv)`, plus
`preamble`, `recital(A)`, `recital(B)`, `consideration` and `signatures`. Page breaks (`<PAGE>` lines, form
feeds, page numbers such as "4", "- 4 -" or "Page 4 of 18", "[REMAINDER OF PAGE ...]") are removed; every other
non-blank line belongs to exactly one clause.

The layouts read (`Layout` records which one a text uses):

- sections "2. REGISTRATION.", "2. Registration." or "Section 2." / "SECTION 2 - Registration" on a line of
  their own; subsections "c.", "(c)" or "c)"; items "(i)"; recitals "A." or "(A)"; each at the start of a
  paragraph (after a blank line or a page break, or right after a line ending a sentence when it is the next
  number expected);
- page numbers: a line that is only a page number ("4", "- 4 -", "Page 4 of 18") is a page break when a
  `<PAGE>` marker or a form feed follows it, or when it stands apart (a blank line before or after it) and is
  the next page number (one or two more than the last one; the first at most 3); elsewhere it is a problem;
- LF, CRLF or CR line ends, a UTF-8 byte order mark, tabs, non-breaking spaces, curly quotes, dashes, soft
  hyphens and ligatures (matched in their canonical form, see `rra.spec.text.canonical`; clause texts keep
  the characters as written).

What the parser cannot read is a problem with its line and reason, never silently folded into a clause: a
numbering gap or repeat, a numbering style that changes mid-document, a paragraph that starts like a clause
marker in a style not read here ("Article II", "2.1", "Sec. 3", "(1)"), a page number where no page break
sits. `parse(strict=True)` raises ParseError at the first one; `strict=False` records them on the Document.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rra.spec.text import AgreementSource, agreement_text, canonical, cut, normalize

from rra.errors import ParseError

_PAGE = re.compile(r"^\s*<PAGE>\s*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:(?P<n>\d{1,4})|-\s*(?P<d>\d{1,4})\s*-|page\s+(?P<p>\d{1,4})(?:\s+of\s+(?P<of>\d{1,4}))?)$",
                          re.IGNORECASE)
_PAGE_NOTE = re.compile(r"^\[[^\[\]]*(?:intentionally|signature\s+pages?\s+follows?)[^\[\]]*\]$", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^(?P<num>\d{1,4})\.(?:\s+(?P<h>.*?))?\s*$")
_SECTION_WORD = re.compile(r"^(?:Section|SECTION)\s+(?P<num>\d{1,4})(?!\d)(?!\.\d)(?!\s*\()\s*(?:[.:-]|(?=\s)|$)\s*"
                           r"(?P<h>.*?)\s*$")
_SUBSECTION = (
    ("a.", re.compile(r"^(?P<x>[a-z])\.(?=\s|$)")),
    ("(a)", re.compile(r"^\((?P<x>[a-z])\)(?=\s|$)")),
    ("a)", re.compile(r"^(?P<x>[a-z])\)(?=\s|$)")),
)
_ITEM = re.compile(r"^\((?P<x>[ivxl]{1,6})\)(?=\s|$)")
_RECITAL = re.compile(r"^(?:(?P<a>[A-Z])\.|\((?P<b>[A-Z])\)|(?P<c>[A-Z])\))\s+\S")
_WHEREAS = re.compile(r"^WHEREAS\s*:?$", re.IGNORECASE)
_CONSIDERATION = re.compile(r"^NOW,?\s+THEREFORE", re.IGNORECASE)
_SIGNATURES = re.compile(r"^IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)
# Paragraph starts that look like clause markers in styles this parser does not read.
_OTHER_MARKER = re.compile(
    r"^(?:(?:ARTICLE|Article)\s+(?:[IVXLC]+|\d+)\b"
    r"|(?:SECTION|Section)\s+\d+\.\d"
    r"|(?:Sec|SEC|Sect|SECT)\.\s*\d"
    r"|\u00a7+\s*\d"
    r"|\d{1,4}(?:\.\d{1,4})+\.?(?=\s|$)"
    r"|\(?\d{1,4}[.)](?=\s|$)"
    r"|\(?(?:[A-Za-z]|([A-Za-z])\1|[ivxl]{2,6}|[IVXL]{2,6})[.)](?=\s|$))"
)
_SENTENCE_END = re.compile(r"[.;:]\s*$")
_SUBSECTION_HEADING = re.compile(r"^\s*(?:\(?[a-z]{1,4}[.)]|\([a-z]{1,4}\))\s+(?P<h>[A-Z][^.]{1,90}?)\.\s+\S")
_HEADING_WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9'&/.-]*$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
                "under", "upon", "with"}
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
          "xvii", "xviii", "xix", "xx"]
_READ = "sections '2. HEADING.' or 'Section 2.', subsections 'a.', '(a)' or 'a)', items '(i)'"


@dataclass(frozen=True)
class Clause:
    """One clause: its id, heading, own verbatim text and where it sits in the source."""

    id: str
    kind: str  # preamble | recital | consideration | section | subsection | item | signatures
    number: str
    heading: str | None
    text: str
    start: int  # first source line (1-based) of the clause and its children
    end: int  # last source line (1-based, inclusive) of the clause and its children
    lines: tuple[int, ...]  # the clause's own non-blank source lines
    parent: str | None
    children: tuple[str, ...] = ()
    label: str = ""  # the number as written at the start of `text`: "2.", "Section 2.", "c.", "(c)", "(iv)", "A."

    @property
    def numbered(self) -> bool:
        """A numbered clause is a section, subsection or item with no children (1(a)(i) ... 11(m))."""
        return self.kind in {"section", "subsection", "item"} and not self.children


@dataclass(frozen=True)
class Problem:
    """A structural defect found while parsing (a numbering gap, a repeat, a stray page number, a marker in a
    style not read here, a change of numbering style)."""

    line: int
    clause: str | None
    kind: str
    message: str


@dataclass(frozen=True)
class Layout:
    """How a text writes its numbering, headings, page breaks and line ends (as detected by `parse`)."""

    sections: str  # "2." | "Section 2" | "mixed"
    headings: str  # "upper" | "title" | "mixed" | "none"
    subsections: str  # "a." | "(a)" | "a)" | "mixed" | "" (none found)
    items: str  # "(i)" | "" (none found)
    page_breaks: tuple[str, ...]  # of "<PAGE>", "form feed", "page number"
    line_ends: str  # "LF" | "CRLF" | "CR" | "mixed" | "none"
    bom: bool


@dataclass
class Document:
    """A parsed agreement: its clauses in document order and what was removed or found wrong."""

    source: str
    lines: list[str]
    clauses: list[Clause]
    artifacts: list[int]
    problems: list[Problem] = field(default_factory=list)
    layout: Layout | None = None

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.clauses}
        self._subtree: dict[str, str] = {}
        self._normalized: dict[str, str] = {}
        self._whole: str | None = None
        self._owner: list[int] | None = None

    def get(self, clause_id: str) -> Clause:
        """The clause with this id (KeyError if none)."""
        return self.by_id[clause_id]

    def numbered(self) -> list[Clause]:
        """The numbered (leaf) clauses in document order."""
        return [c for c in self.clauses if c.numbered]

    def subtree_text(self, clause_id: str) -> str:
        """The verbatim text of a clause and all its descendants, page breaks removed."""
        if clause_id not in self._subtree:
            c = self.by_id[clause_id]
            parts = [c.text] + [self.subtree_text(k) for k in c.children]
            self._subtree[clause_id] = "\n".join(p for p in parts if p)
        return self._subtree[clause_id]

    def normalized(self, clause_id: str | None = None) -> str:
        """Whitespace-normalized text of one clause subtree, or of the whole operative text."""
        if clause_id is None:
            if self._whole is None:
                self._whole = normalize(" ".join(c.text for c in self.clauses))
            return self._whole
        if clause_id not in self._normalized:
            self._normalized[clause_id] = normalize(self.subtree_text(clause_id))
        return self._normalized[clause_id]

    def clause_at(self, line: int) -> Clause | None:
        """The clause that owns a source line (by its own lines or span): the innermost clause whose span holds it."""
        if self._owner is None:
            # Clauses are in document order and children follow their parents, so painting spans in order
            # leaves each line with the latest-starting clause that holds it (spans nest: depth <= 3).
            owner = [-1] * (len(self.lines) + 2)
            for n, c in enumerate(self.clauses):
                owner[c.start: c.end + 1] = [n] * (c.end + 1 - c.start)
            self._owner = owner
        if not 0 <= line < len(self._owner) or self._owner[line] < 0:
            return None
        return self.clauses[self._owner[line]]

    def find(self, quote: str) -> list[str]:
        """Ids of the innermost clauses whose text contains the quote (normalized)."""
        q = normalize(quote)
        hits = [c.id for c in self.clauses if q in self.normalized(c.id)]
        hit_set = set(hits)
        return [h for h in hits if not any(k in hit_set for k in self.by_id[h].children)]


# A clause id the parser made unique ("2#2(c)": subsection (c) of the second Section 2; "2(c)#2": the second 2(c)).
# Only the ids with a "#": the first "#" right after the number or letter or after one of its parenthesized parts
# (the same tokens as  (?<![\w#])(?:\d+|[A-Z])(?:#\d+)?(?:\([0-9A-Za-z]+\)(?:#\d+)?)*(?![\w#(])  gives, less the
# ids without one, which a page has by the ten thousand: every number and capital letter).
_REPEATED_ID = re.compile(r"(?<![\w#])(?:\d+|[A-Z])(?:\([0-9A-Za-z]+\))*#\d+(?:\([0-9A-Za-z]+\)(?:#\d+)?)*(?![\w#(])")
_ID_PART = re.compile(r"(\d+|[A-Z]|\([0-9A-Za-z]+\))(?:#(\d+))?")


def readable_ids(text: str) -> str:
    """The text with each clause id the parser made unique for a repeated number written for a reader (ids with
    "#" are internal; --json keeps them): "2(c)#2" -> "2(c) (second copy)", "2#2(c)" -> "2(c) (in the second
    Section 2)", "2#2(c)#2" -> "2(c) (second copy, in the second Section 2)"."""
    if "#" not in text:
        return text
    return _REPEATED_ID.sub(_readable_id, text)


def _readable_id(m: re.Match[str]) -> str:
    from num2words import num2words

    token = m[0]
    parts = _ID_PART.findall(token)
    base = "".join(p for p, _ in parts)
    said: list[str] = []
    for k in range(len(parts) - 1, -1, -1):
        part, n = parts[k]
        if not n:
            continue
        nth = num2words(int(n), to="ordinal")
        if k == len(parts) - 1:
            said.append(f"{nth} copy")
        else:
            prefix = "".join(p for p, _ in parts[:k + 1])
            said.append(f"in the {nth} " + (f"Section {prefix}" if k == 0 and prefix.isdigit() else prefix))
    return f"{base} ({', '.join(said)})"


def _heading_case(words: str) -> str | None:
    """'upper' or 'title' if the words read as a section heading, else None."""
    h = words.strip().rstrip(".").strip()
    if not h or len(h) > 90 or not re.search(r"[A-Za-z]", h):
        return None
    parts = re.split(r"[\s,;]+", h)
    if len(parts) > 12 or not h[0].isupper():
        return None
    if not all(_HEADING_WORD.match(w.strip("()")) for w in parts if w):
        return None
    if h.upper() == h:
        return "upper"
    for w in parts:
        bare = w.strip("()")
        if bare and not (bare[0].isupper() or bare[0].isdigit() or bare.lower() in _SMALL_WORDS):
            return None
    return "title"


def _section(s: str) -> tuple[int, str | None, str, str, str] | None:
    """A section heading line: (number, heading, style, heading case, label) or None."""
    for style, pat in (("2.", _SECTION_NUMBER), ("Section 2", _SECTION_WORD)):
        m = pat.match(s)
        if not m:
            continue
        h = (m.group("h") or "").strip()
        label = s[: m.start("h")].strip() if m.group("h") is not None else s.strip()
        if not h:
            return int(m.group("num")), None, style, "none", label
        case = _heading_case(h)
        if case is not None:
            return int(m.group("num")), normalize(h.rstrip(".").strip()), style, case, label
    return None


def _subsection(s: str) -> tuple[str, str, str] | None:
    """A subsection label: (letter, style, label) or None."""
    for style, pat in _SUBSECTION:
        if m := pat.match(s):
            return m.group("x"), style, m.group(0)
    return None


def _subsection_heading(para: str) -> str | None:
    m = _SUBSECTION_HEADING.match(para)
    if not m:
        return None
    words = normalize(m.group("h")).split(" ")
    if len(words) > 12:
        return None
    for w in words:
        bare = w.strip(",;:()")
        if bare and bare.lower() in _SMALL_WORDS:
            continue
        if bare and not (bare[0].isupper() or bare[0].isdigit()):
            return None
    return normalize(m.group("h"))


def _line_ends(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    return "none" if not kinds else kinds[0] if len(kinds) == 1 else "mixed"


def split_lines(text: str) -> tuple[list[str], str, bool]:
    """The text's lines (LF, CRLF and CR all end a line; a leading BOM dropped), its line-end style and
    whether it had a BOM."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    ends = _line_ends(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n"), ends, bom


def parse(text: str, *, strict: bool = True, source: str = "agreement") -> Document:
    """Parse an agreement into its clause tree.

    strict=True raises ParseError at the first structural problem (gap, repeat, stray page number, a numbering
    style that changes or is not read here); strict=False records problems on the Document so a drafting review
    can report them.
    """
    lines, line_ends, bom = split_lines(text)
    canon = [canonical(ln).strip() for ln in lines]
    if not any(canon):
        raise ParseError(None, "the text is empty", source)
    problems: list[Problem] = []

    def problem(line: int, clause: str | None, kind: str, message: str) -> None:
        if strict:
            raise ParseError(line, message, source)
        problems.append(Problem(line, clause, kind, message))

    # 1. page artifacts
    artifacts: set[int] = set()
    page_breaks: set[str] = set()
    nonblank = [i for i, s in enumerate(canon) if s]
    last_page: int | None = None
    for pos, i in enumerate(nonblank):
        s = canon[i]
        if _PAGE.match(s):
            artifacts.add(i)
            page_breaks.add("<PAGE>")
            continue
        if _PAGE_NOTE.match(s):
            artifacts.add(i)
            continue
        m = _PAGE_NUMBER.match(s)
        if not m:
            continue
        n = int(m.group("n") or m.group("d") or m.group("p"))
        prv = nonblank[pos - 1] if pos else -1
        nxt = nonblank[pos + 1] if pos + 1 < len(nonblank) else len(lines)
        marker = nxt < len(lines) and _PAGE.match(canon[nxt]) is not None
        form_feed = any("\f" in lines[k] for k in range(prv + 1, min(nxt + 1, len(lines))))
        isolated = i == 0 or not canon[i - 1] or i + 1 == len(lines) or not canon[i + 1]
        in_sequence = (n <= 3 if last_page is None else last_page < n <= last_page + 2) and \
            (m.group("of") is None or n <= int(m.group("of")))
        if marker or form_feed or nxt == len(lines) or (in_sequence and isolated):
            artifacts.add(i)
            page_breaks.add("form feed" if form_feed and not marker else "<PAGE>" if marker else "page number")
            last_page = n
        else:
            expected = "" if last_page is None else f" (the last page number was {last_page})"
            problem(i + 1, None, "stray-page-number",
                    f"line {cut(normalize(s))!r} looks like a page number, but no page break follows it and it is not where "
                    f"the next page number would be{expected}")
    if any("\f" in ln for ln in lines):
        page_breaks.add("form feed")

    # 2. markers
    starts: list[tuple[int, str, str, str, str | None, str | None, str]] = []  # line, id, kind, number, heading, parent, label
    section: str | None = None
    sub_id: str | None = None
    expect_section = 1
    expect_sub = "a"
    expect_item = 0
    phase = "preamble"  # preamble -> recitals -> consideration -> body -> signatures
    seen_ids: set[str] = set()
    styles: dict[str, tuple[str, int]] = {}  # level -> (style, line where it began)
    all_styles: dict[str, set[str]] = {}
    heading_cases: set[str] = set()

    repeats: dict[str, int] = {}

    def unique(cid: str) -> str:
        out, n = cid, repeats.get(cid, 1)
        while out in seen_ids:
            n += 1
            out = f"{cid}#{n}"
        repeats[cid] = n
        seen_ids.add(out)
        return out

    def style(level: str, written: str, line: int, cid: str, label: str) -> None:
        current = styles.setdefault(level, (written, line))
        all_styles.setdefault(level, set()).add(written)
        if current[0] != written:
            # reported once per change: the new style is the one expected from here on
            styles[level] = (written, line)
            problem(line, cid, "numbering-style",
                    f"{cid} is numbered {label!r}, but this document numbers its {level} as {current[0]!r} "
                    f"(since line {current[1]}); the numbering style changes here")

    para_start = [False] * len(lines)
    prev_blank = True
    for i, s in enumerate(canon):
        if i in artifacts or not s:
            prev_blank = True
            continue
        para_start[i] = prev_blank
        prev_blank = False

    def next_marker(i: int) -> str | None:
        """The canonical text of the next paragraph start after line i in this section, if it is a marker."""
        for j in range(i + 1, len(lines)):
            if para_start[j] and j not in artifacts:
                return canon[j] if _subsection(canon[j]) or _ITEM.match(canon[j]) else None
        return None

    prev_line = -1
    for i, s in enumerate(canon):
        if i in artifacts or not s:
            continue
        at_para = para_start[i]
        # a marker with no blank line before it still starts a paragraph if the line before ends a sentence
        after_sentence = not at_para and prev_line >= 0 and _SENTENCE_END.search(canon[prev_line]) is not None
        prev_line = i
        if not starts:
            starts.append((i, unique("preamble"), "preamble", "", None, None, ""))
            continue
        if not at_para and not after_sentence:
            continue
        if phase in ("preamble", "recitals") and _WHEREAS.match(s):
            phase = "recitals"
            continue
        if phase == "recitals" and at_para and (m := _RECITAL.match(s)):
            letter = m.group("a") or m.group("b") or m.group("c")
            starts.append((i, unique(f"recital({letter})"), "recital", letter, None, None, s[: m.end() - 1].strip()))
            continue
        if phase in ("preamble", "recitals") and _CONSIDERATION.match(s) and at_para:
            phase = "consideration"
            starts.append((i, unique("consideration"), "consideration", "", None, None, ""))
            continue
        if phase != "signatures" and _SIGNATURES.match(s) and (at_para or after_sentence):
            phase = "signatures"
            starts.append((i, unique("signatures"), "signatures", "", None, None, ""))
            continue
        if phase == "signatures":
            continue
        sec = _section(s)
        if sec is not None and (at_para or sec[0] == expect_section):
            num, heading, sec_style, case, label = sec
            if num != expect_section:
                kind = "numbering-repeat" if num < expect_section else "numbering-gap"
                what = (
                    f"Section {num} repeats an earlier number"
                    if num < expect_section
                    else f"Section {num} follows Section {expect_section - 1}; Section {expect_section} is missing"
                )
                problem(i + 1, str(num), kind, what)
            style("sections", sec_style, i + 1, f"Section {num}", label)
            heading_cases.add(case)
            phase = "body"
            section = unique(str(num))
            sub_id = None
            expect_section = num + 1
            expect_sub = "a"
            expect_item = 0
            starts.append((i, section, "section", str(num), heading, None, label))
            # a heading stands on its own line: what follows it starts a paragraph
            if i + 1 < len(lines):
                para_start[i + 1] = True
            continue
        if section is None:
            if phase in ("consideration", "recitals") and at_para and _OTHER_MARKER.match(s):
                if _subsection(s) or _ITEM.match(s):
                    why = "but no numbered section has started (expected a heading such as '1. DEFINITIONS.' first)"
                else:
                    why = f"but not in a numbering style read here ({_READ})"
                problem(i + 1, None, "unrecognized-marker", f"{cut(normalize(s), 40)!r} looks like a clause marker, {why}")
            continue
        sub = _subsection(s)
        item = _ITEM.match(s)
        as_item = False
        if item and sub:
            # "(i)", "(v)", "(x)" are letters and numerals: decide by the style and what comes next
            numeral = item.group("x")
            idx = _ROMAN.index(numeral) if numeral in _ROMAN else -1
            sub_style = styles.get("subsections", (sub[1], 0))[0]
            following = next_marker(i) if sub_style == "(a)" else None
            successor = f"({_ROMAN[idx + 1]})" if 0 <= idx < len(_ROMAN) - 1 else None
            if sub_style != "(a)":
                as_item = True
            elif following is not None and successor is not None and following.startswith(successor):
                as_item = True
            elif sub[0] == expect_sub:
                as_item = False
            elif sub_id is None:
                as_item = False
            elif idx == expect_item:
                as_item = True
            else:
                as_item = sub[0] < expect_sub
        elif item:
            as_item = True
        if after_sentence:
            # without a blank line, only the very next number is taken as a marker
            wanted = (as_item and item is not None and _ROMAN[min(expect_item, len(_ROMAN) - 1)] == item.group("x")
                      and sub_id is not None) or (not as_item and sub is not None and sub[0] == expect_sub)
            if not wanted:
                continue
        if sub and not as_item:
            letter, sub_style, label = sub
            cid = f"{section}({letter})"
            if letter != expect_sub:
                if letter < expect_sub:
                    problem(i + 1, cid, "numbering-repeat", f"{cid} repeats or goes back: expected {section}({expect_sub})")
                else:
                    problem(
                        i + 1,
                        cid,
                        "numbering-gap",
                        f"{cid} follows {section}({chr(ord(expect_sub) - 1)}); {section}({expect_sub}) is missing",
                    )
            style("subsections", sub_style, i + 1, cid, label)
            sub_id = unique(cid)
            expect_sub = chr(ord(letter) + 1)
            expect_item = 0
            starts.append((i, sub_id, "subsection", letter, _heading_at(lines, i, artifacts), section, label))
            continue
        if item and as_item:
            if sub_id is None:
                continue  # an item directly under a section stays in the section's text, as in the agreement
            numeral = item.group("x")
            if numeral not in _ROMAN:
                continue
            idx = _ROMAN.index(numeral)
            cid = f"{sub_id}({numeral})"
            if idx != expect_item:
                if idx < expect_item:
                    problem(i + 1, cid, "numbering-repeat", f"{cid} repeats or goes back: expected {sub_id}({_ROMAN[expect_item]})")
                else:
                    problem(
                        i + 1,
                        cid,
                        "numbering-gap",
                        f"{cid} follows {sub_id}({_ROMAN[expect_item - 1] if expect_item else '-'}); "
                        f"{sub_id}({_ROMAN[expect_item]}) is missing",
                    )
            style("items", "(i)", i + 1, cid, item.group(0))
            expect_item = idx + 1
            starts.append((i, unique(cid), "item", numeral, None, sub_id, item.group(0)))
            continue
        if at_para and _OTHER_MARKER.match(s):
            where = sub_id or section
            problem(i + 1, where, "unrecognized-marker",
                    f"{cut(normalize(s), 40)!r} in {where if sub_id else 'Section ' + where} looks like a clause "
                    f"marker, but not in a numbering style read here ({_READ})")

    # a section left without subsections whose lines still start with "a." and later "b." (in one style) lost
    # them for want of paragraph breaks: say so rather than fold them into the section's text
    parents = {parent for *_, parent, _ in starts if parent is not None}
    for n, (i, cid, kind, *_) in enumerate(starts):
        if kind != "section" or cid in parents:
            continue
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        first: dict[tuple[str, str], int] = {}
        for j in range(i + 1, stop):
            if j not in artifacts and (sub := _subsection(canon[j])) and sub[0] in "ab":
                first.setdefault((sub[1], sub[0]), j)
        for sub_style, _ in _SUBSECTION:
            a, b = first.get((sub_style, "a")), first.get((sub_style, "b"))
            if a is not None and b is not None and a < b:
                problem(a + 1, cid, "unrecognized-marker",
                        f"Section {cid} has no subsections, but lines {a + 1} and {b + 1} start like its subsections "
                        f"{sub_style} and {sub_style.replace('a', 'b')}; a subsection must start a paragraph")
                break

    if not any(kind == "section" for _, _, kind, _, _, _, _ in starts):
        unread = next((p for p in problems if p.kind == "unrecognized-marker"), None)
        if unread is not None:
            raise ParseError(unread.line, f"no numbered sections found; {unread.message}", source)
        raise ParseError(None, "no numbered sections found (expected lines like '1. DEFINITIONS.' or 'Section 1.')",
                         source)

    # 3. own lines and text of each clause
    clauses = _assemble(lines, canon, artifacts, starts)
    cases = heading_cases - {"none"}

    def written(level: str, default: str) -> str:
        seen = all_styles.get(level, set())
        return "mixed" if len(seen) > 1 else next(iter(seen)) if seen else default

    layout = Layout(
        sections=written("sections", "2."),
        headings="none" if not cases else cases.pop() if len(cases) == 1 else "mixed",
        subsections=written("subsections", ""),
        items=written("items", ""),
        page_breaks=tuple(sorted(page_breaks)),
        line_ends=line_ends,
        bom=bom,
    )
    return Document(source=source, lines=lines, clauses=clauses, artifacts=sorted(a + 1 for a in artifacts),
                    problems=problems, layout=layout)


def _assemble(lines: Sequence[str], canon: Sequence[str], artifacts: set[int] | frozenset[int],
              starts: Sequence[tuple[int, str, str, str, str | None, str | None, str]]) -> list[Clause]:
    """The clauses that begin at `starts` (in line order), each with its own lines and verbatim text (page
    artifacts, the 0-based lines `artifacts`, left out), a parent's span covering its children."""
    clauses: list[Clause] = []
    children: dict[str, list[str]] = {}
    for _, cid, _, _, _, parent, _ in starts:
        if parent is not None:
            children.setdefault(parent, []).append(cid)
    for n, (i, cid, kind, number, heading, parent, label) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        own = [j for j in range(i, stop) if j not in artifacts and canon[j]]
        text = "\n".join(lines[j] for j in range(i, stop) if j not in artifacts).strip("\n")
        clauses.append(
            Clause(
                id=cid,
                kind=kind,
                number=number,
                heading=heading,
                text=text,
                start=i + 1,
                end=(own[-1] + 1) if own else i + 1,
                lines=tuple(j + 1 for j in own),
                parent=parent,
                children=tuple(children.get(cid, ())),
                label=label,
            )
        )
    # spans of parents cover their children
    by_id = {c.id: c for c in clauses}
    for c in reversed(clauses):
        if c.children:
            last = max(by_id[k].end for k in c.children)
            by_id[c.id] = Clause(**{**c.__dict__, "end": max(c.end, last)})
    return [by_id[c.id] for c in clauses]


def rebuilt(doc: Document, text: str, starts: Sequence[int], artifacts: Sequence[int], source: str) -> Document:
    """What `parse(text, strict=True, source=source)` gives when `text` is the text of `doc` (parsed with no
    problem) edited only in ways that keep its clauses (`keeps_clauses`), which now begin on the lines `starts`
    (1-based, one per clause of `doc`, in order) with the page artifacts on the lines `artifacts` (1-based): the
    clauses, their numbering, headings and the layout are those of `doc`; each clause's own lines and text are
    read again from the new lines."""
    if doc.problems or doc.layout is None or len(starts) != len(doc.clauses):
        raise ValueError("rebuilt needs a document parsed with no problem and one start line per clause")
    lines, line_ends, bom = split_lines(text)
    canon = [canonical(ln).strip() for ln in lines]
    at = [(k - 1, c.id, c.kind, c.number, c.heading, c.parent, c.label) for k, c in zip(starts, doc.clauses, strict=True)]
    clauses = _assemble(lines, canon, frozenset(a - 1 for a in artifacts), at)
    layout = replace(doc.layout, line_ends=line_ends, bom=bom)
    return Document(source=source, lines=lines, clauses=clauses, artifacts=sorted(artifacts), problems=[],
                    layout=layout)


# Every pattern by which `parse` reads one line as a clause marker, a heading or a page artifact.
_LINE_PATTERNS = (_PAGE, _PAGE_NUMBER, _PAGE_NOTE, _SECTION_NUMBER, _SECTION_WORD, *(p for _, p in _SUBSECTION), _ITEM,
                  _RECITAL, _WHEREAS, _CONSIDERATION, _SIGNATURES, _OTHER_MARKER)


def _read_as(line: str) -> tuple[Any, ...]:
    """Everything `parse` reads from one line on its own: each line pattern's match (its words and groups)."""
    return tuple((m.group(0), tuple(sorted(m.groupdict().items()))) if (m := p.match(line)) else None
                 for p in _LINE_PATTERNS)


def keeps_clauses(starts: Sequence[int], first: int, old: Sequence[str], new: str, lines: Sequence[str] | None = None,
                  artifacts: Collection[int] = ()) -> bool:
    """Whether `parse` reads the same clauses (ids, headings, and line numbers moved up by `len(old) - 1` after the
    edit) when lines `first`.. (0-based) of a text whose clauses begin on lines `starts` (1-based) are replaced by the
    one line `new` (one line for one, or the lines the words of a redline span joined into one), so a caller may skip
    parsing again. Neither a replaced line nor the new line is blank or holds a line break (LF or CR) or a form feed;
    the new line ends a sentence exactly when the last replaced line did (which decides whether the next line can
    start a clause); no replaced line but the first is a clause's marker line; and either
    - no replaced line is among the first three lines of a clause (its marker, or the words a heading is read from),
      and none of them, nor the new line, could be read as a marker, a heading or a page artifact, or
    - given the text's `lines` (and its page artifacts' lines `artifacts`, 1-based): a replaced marker line is read
      exactly as before (every line pattern matches the same words in the same way), no other replaced line could be
      read as a marker, a heading or a page artifact, and every clause whose first three lines the edit touches
      reads the same heading from its first three lines afterwards.
    False means: parse again."""
    if not old or any("\n" in x or "\r" in x or "\f" in x for x in (*old, new)):
        return False
    last = first + len(old) - 1
    near = [s - 1 for s in starts if first <= s + 1 and s - 1 <= last]  # 0-based marker lines of the clauses touched
    if near and lines is None or any(first < m <= last for m in near):
        return False
    words = [canonical(x).strip() for x in (*old, new)]
    if not all(words):
        return False
    if first in near:  # a marker line: read the same way; the lines joined to it are read as no marker
        if _read_as(words[0]) != _read_as(words[-1]):
            return False
        plain = words[1:-1]
    else:
        plain = words
    if any(p.match(x) for p in _LINE_PATTERNS for x in plain):
        return False
    if (_SENTENCE_END.search(words[-2]) is None) != (_SENTENCE_END.search(words[-1]) is None):
        return False
    if near:
        assert lines is not None
        after = [*lines[:first], new, *lines[last + 1:]]
        before_art = {a - 1 for a in artifacts}  # 0-based, as _heading_at reads them
        after_art = {a if a <= first else a - (last - first) for a in before_art}  # none lies among the joined lines
        for m in near:  # each marker is on the first replaced line or before it, so it does not move
            if _heading_at(lines, m, before_art) != _heading_at(after, m, after_art):
                return False
    return True


def _heading_at(lines: Sequence[str], m: int, artifacts: Collection[int]) -> str | None:
    """The subsection heading read from the three lines from line m (0-based; the 0-based lines `artifacts`, page
    artifacts, left out): how `parse` reads a subsection's heading, and how `keeps_clauses` checks it is kept."""
    return _subsection_heading(normalize(" ".join(lines[j] for j in range(m, min(m + 3, len(lines)))
                                                  if j not in artifacts)))


def parse_source(source: AgreementSource, *, strict: bool = True) -> Document:
    """Parse an agreement as `read_agreement` read it. For a .docx, whose lines are those of its extracted text,
    a ParseError also names the paragraph (counted in reading order, table cells included)."""
    try:
        return parse(source.text, strict=strict, source=source.name)
    except ParseError as err:
        if source.format != "docx" or err.line is None:
            raise
        paragraph = 1 + sum(1 for ln in source.text.split("\n")[: err.line - 1] if not ln.strip())
        raise ParseError(err.line, f"{err.problem} (paragraph {paragraph} of the document)", source.name) from None


@lru_cache(maxsize=1)
def agreement() -> Document:
    """The bundled agreement, parsed strictly."""
    return parse(agreement_text())
