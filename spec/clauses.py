"""The clause tree, parsed from the agreement's text (never typed in).

Ids follow the agreement's own citation style: sections `2`, subsections `2(c)`, items `1(a)(iv)`, plus
`preamble`, `recital(A)`, `recital(B)`, `consideration` and `signatures`. Page breaks (`<PAGE>` lines,
page numbers, "[REMAINDER OF PAGE ...]") are removed; every other non-blank line belongs to exactly one clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rra.spec.text import agreement_text, normalize

from rra.errors import ParseError

_PAGE = re.compile(r"^\s*<PAGE>\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_PAGE_NOTE = re.compile(r"^\s*\[[A-Z ]*INTENTIONALLY[A-Z ]*\]\s*$")
_SECTION = re.compile(r"^\s*(\d{1,2})\.\s+([A-Z][A-Z0-9 ,;'&\-]*[A-Z0-9])\.\s*$")
_SUBSECTION = re.compile(r"^\s*([a-z])\.\s+\S")
_ITEM = re.compile(r"^\s*\(([ivxl]+)\)\s+\S")
_RECITAL = re.compile(r"^\s*([A-Z])\.\s+\S")
_WHEREAS = re.compile(r"^\s*WHEREAS\s*:?\s*$")
_CONSIDERATION = re.compile(r"^\s*NOW,\s+THEREFORE")
_SIGNATURES = re.compile(r"^\s*IN\s+WITNESS\s+WHEREOF")
_HEADING = re.compile(r"^\s*[a-z]\.\s+(?P<h>[A-Z][^.]{1,90}?)\.\s+\S")
_SMALL_WORDS = {"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to"}

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


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

    @property
    def numbered(self) -> bool:
        """A numbered clause is a section, subsection or item with no children (1(a)(i) ... 11(m))."""
        return self.kind in {"section", "subsection", "item"} and not self.children


@dataclass(frozen=True)
class Problem:
    """A structural defect found while parsing (a numbering gap, a repeat, a stray page number)."""

    line: int
    clause: str | None
    kind: str
    message: str


@dataclass
class Document:
    """A parsed agreement: its clauses in document order and what was removed or found wrong."""

    source: str
    lines: list[str]
    clauses: list[Clause]
    artifacts: list[int]
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.clauses}
        self._subtree: dict[str, str] = {}

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
            return normalize(" ".join(c.text for c in self.clauses))
        return normalize(self.subtree_text(clause_id))

    def clause_at(self, line: int) -> Clause | None:
        """The clause that owns a source line (by its own lines or span)."""
        best: Clause | None = None
        for c in self.clauses:
            if c.start <= line <= c.end and (best is None or c.start >= best.start):
                best = c
        return best

    def find(self, quote: str) -> list[str]:
        """Ids of the innermost clauses whose text contains the quote (whitespace-normalized)."""
        q = normalize(quote)
        hits = [c.id for c in self.clauses if q in self.normalized(c.id)]
        return [h for h in hits if not any(k in hits for k in self.by_id[h].children)]


def _heading(line: str) -> str | None:
    m = _HEADING.match(line)
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


def _next_letter(letter: str) -> str:
    return chr(ord(letter) + 1)


def parse(text: str, *, strict: bool = True, source: str = "agreement") -> Document:
    """Parse an agreement into its clause tree.

    strict=True raises ParseError at the first structural problem (gap, repeat, stray page number);
    strict=False records problems on the Document so a drafting review can report them.
    """
    raw = text.split("\n")
    lines = [ln.rstrip("\r") for ln in raw]
    if not any(ln.strip() for ln in lines):
        raise ParseError(None, "the text is empty", source)
    problems: list[Problem] = []

    def problem(line: int, clause: str | None, kind: str, message: str) -> None:
        if strict:
            raise ParseError(line, message, source)
        problems.append(Problem(line, clause, kind, message))

    # 1. page artifacts
    artifacts: set[int] = set()
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    for pos, i in enumerate(nonblank):
        ln = lines[i]
        if _PAGE.match(ln) or _PAGE_NOTE.match(ln):
            artifacts.add(i)
        elif _PAGE_NUMBER.match(ln):
            nxt = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
            if nxt is None or _PAGE.match(lines[nxt]):
                artifacts.add(i)
            else:
                problem(
                    i + 1,
                    None,
                    "stray-page-number",
                    f"line {ln.strip()!r} looks like a page number but no <PAGE> marker follows it",
                )

    # 2. markers
    starts: list[tuple[int, str, str, str, str | None, str | None]] = []  # line, id, kind, number, heading, parent
    section: str | None = None
    sub_id: str | None = None
    expect_section = 1
    expect_sub = "a"
    expect_item = 0
    phase = "preamble"  # preamble -> recitals -> consideration -> body -> signatures
    seen_ids: set[str] = set()

    def unique(cid: str) -> str:
        n, out = 2, cid
        while out in seen_ids:
            out, n = f"{cid}#{n}", n + 1
        seen_ids.add(out)
        return out

    prev_blank = True
    for i, ln in enumerate(lines):
        if i in artifacts or not ln.strip():
            prev_blank = True
            continue
        at_para = prev_blank
        prev_blank = False
        if not starts:
            starts.append((i, unique("preamble"), "preamble", "", None, None))
            continue
        if phase in ("preamble", "recitals") and _WHEREAS.match(ln):
            phase = "recitals"
            continue
        if phase == "recitals" and at_para and (m := _RECITAL.match(ln)):
            starts.append((i, unique(f"recital({m.group(1)})"), "recital", m.group(1), None, None))
            continue
        if phase in ("preamble", "recitals") and at_para and _CONSIDERATION.match(ln):
            phase = "consideration"
            starts.append((i, unique("consideration"), "consideration", "", None, None))
            continue
        if phase != "signatures" and at_para and _SIGNATURES.match(ln):
            phase = "signatures"
            starts.append((i, unique("signatures"), "signatures", "", None, None))
            continue
        if phase == "signatures" or not at_para:
            continue
        if m := _SECTION.match(ln):
            num = int(m.group(1))
            if num != expect_section:
                kind = "numbering-repeat" if num < expect_section else "numbering-gap"
                what = (
                    f"Section {num} repeats an earlier number"
                    if num < expect_section
                    else f"Section {num} follows Section {expect_section - 1}; Section {expect_section} is missing"
                )
                problem(i + 1, str(num), kind, what)
            phase = "body"
            section = unique(str(num))
            sub_id = None
            expect_section = num + 1
            expect_sub = "a"
            starts.append((i, section, "section", str(num), normalize(m.group(2)), None))
            continue
        if section is None:
            continue
        if m := _SUBSECTION.match(ln):
            letter = m.group(1)
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
            sub_id = unique(cid)
            expect_sub = _next_letter(letter)
            expect_item = 0
            para = normalize(" ".join(lines[j] for j in range(i, min(i + 3, len(lines))) if j not in artifacts))
            starts.append((i, sub_id, "subsection", letter, _heading(para), section))
            continue
        if sub_id is not None and (m := _ITEM.match(ln)):
            numeral = m.group(1)
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
            expect_item = idx + 1
            starts.append((i, unique(cid), "item", numeral, None, sub_id))

    if not any(kind == "section" for _, _, kind, _, _, _ in starts):
        raise ParseError(None, "no numbered sections found (expected lines like '1. DEFINITIONS.')", source)

    # 3. own lines and text of each clause
    clauses: list[Clause] = []
    children: dict[str, list[str]] = {}
    for _, cid, _, _, _, parent in starts:
        if parent is not None:
            children.setdefault(parent, []).append(cid)
    for n, (i, cid, kind, number, heading, parent) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        own = [j for j in range(i, stop) if j not in artifacts and lines[j].strip()]
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
            )
        )
    # spans of parents cover their children
    by_id = {c.id: c for c in clauses}
    for c in reversed(clauses):
        if c.children:
            last = max(by_id[k].end for k in c.children)
            by_id[c.id] = Clause(**{**c.__dict__, "end": max(c.end, last)})
    clauses = [by_id[c.id] for c in clauses]
    return Document(source=source, lines=lines, clauses=clauses, artifacts=sorted(a + 1 for a in artifacts), problems=problems)


@lru_cache(maxsize=1)
def agreement() -> Document:
    """The bundled agreement, parsed strictly."""
    return parse(agreement_text())
