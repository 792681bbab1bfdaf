"""Reading a draft's own values: every quote of the model is a template whose slots are its numbers.

A template is a quote of the bundled agreement with each number phrase (rra.spec.numbers) replaced by a slot
that matches any way of writing a number ("thirty (30)", "forty-five (45)", "30", ".015", "two-thirds", "a
majority", "December 31, 2003"). `bind` looks for each template in the draft: a parameter found there takes the
value its slot reads in the draft's words; an element found there keeps its meaning, with the draft's clause id
and words; one not found is *changed*: its words changed beyond its slots, and the analyses that rest on it are
withheld (rra.spec.agreement). Where a slot's words and figure disagree, the words are used and the disagreement
is recorded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rra.spec.clauses import Document
from rra.spec.elements import Element, Parameter
from rra.spec.numbers import MONTHS, Phrase, read, scan
from rra.spec.text import normalize

_NUMBER_WORDS = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                 r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                 r"thousand|million|billion|half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|"
                 r"ninths?|tenths?|twentieths?|hundredths?|thousandths?)")
_WORDS = (rf"(?:(?:a|an)\s+)?{_NUMBER_WORDS}(?:(?:\s+|-)(?:and(?:\s+|-))?{_NUMBER_WORDS})*"
          r"(?:\s+(?:percent|per\s+cent|Dollars|dollars))?")
_FIG = r"\$?\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s?-?\s?\d+/\d+)?\s?%?"
_DATE = rf"(?:{'|'.join(MONTHS)})\s+\d{{1,2}},\s+\d{{4}}"
_SHARE = r"(?:a\s+)?(?:simple\s+)?majority"
_INTEREST = r"(?:[\s-]+in[\s-]+interest|\s+interest)?"
# Any way of writing a number, longest forms first ("in interest" belongs to a share: "a majority in interest").
SLOT = rf"(?:{_DATE}|(?i:{_WORDS})\s*\(\s*{_FIG}\s*\)|{_FIG}|(?i:(?:{_SHARE}|{_WORDS}){_INTEREST}))"


@dataclass(frozen=True)
class Template:
    """A quote with its number phrases as slots: `regex` has one group `p<i>` per phrase."""

    element: str
    clause: str
    quote: str  # the bundled quote, whitespace-normalized
    phrases: tuple[Phrase, ...]
    regex: re.Pattern[str]


def template(element: str, clause: str, quote: str) -> Template:
    """The template of a quote."""
    q = normalize(quote)
    phrases = tuple(scan(q))
    parts: list[str] = []
    pos = 0
    for i, p in enumerate(phrases):
        parts.append(re.escape(q[pos:p.start]))
        parts.append(f"(?P<p{i}>{SLOT})")
        pos = p.end
    parts.append(re.escape(q[pos:]))
    return Template(element, clause, q, phrases, re.compile("".join(parts)))


def slot_of(p: Parameter, t: Template) -> int | None:
    """Which phrase of its quote is a parameter's value: `p.slot`, or the one phrase that reads as the value."""
    if p.slot is not None:
        return p.slot if p.slot < len(t.phrases) else None
    hits = [i for i, ph in enumerate(t.phrases) if (r := read(ph.text, p.unit)) is not None and r.value == p.value]
    return hits[0] if len(hits) == 1 else None


@dataclass(frozen=True)
class Diff:
    """A word-level difference between the bundled quote and the closest words of the draft."""

    old: str
    new: str  # the closest span of the draft ("" when nothing close was found)
    ops: tuple[tuple[str, str, str], ...]  # (op, old words, new words), op in equal | delete | insert | replace
    score: float

    def redline(self) -> str:
        """The change as a redline: [-deleted-] {+inserted+}."""
        out = []
        for op, a, b in self.ops:
            if op == "equal":
                out.append(a)
            if op in ("delete", "replace") and a:
                out.append(f"[-{a}-]")
            if op in ("insert", "replace") and b:
                out.append(f"{{+{b}+}}")
        return " ".join(out)


def word_diff(old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    """Word-level opcodes from difflib."""
    a, b = old.split(), new.split()
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops = [(op, " ".join(a[i1:i2]), " ".join(b[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes()]
    while ops and ops[0][0] == "insert":  # words of the draft around the quote, not part of the change
        ops.pop(0)
    while ops and ops[-1][0] == "insert":
        ops.pop()
    return tuple(ops)


def closest(quote: str, text: str) -> Diff:
    """The span of `text` closest to `quote` (rapidfuzz alignment) and the word diff between them."""
    if not text:
        return Diff(quote, "", (("delete", quote, ""),), 0.0)
    al = fuzz.partial_ratio_alignment(quote, text)
    if al is None or al.score < 60:
        return Diff(quote, "", (("delete", quote, ""),), 0.0 if al is None else al.score)
    # widen to whole words
    a, b = al.dest_start, al.dest_end
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    new = text[a:b].strip()
    return Diff(quote, new, word_diff(quote, new), round(al.score, 1))


@dataclass(frozen=True)
class BoundParameter:
    """What a draft's words say a parameter is."""

    id: str
    found: bool
    clause: str | None = None  # the draft's clause id
    quote: str = ""  # the draft's words (the whole template match)
    slot: str = ""  # the words at the slot
    value: Any = None  # the value used (the words' value where words and figure disagree)
    words: Any = None
    figure: Any = None
    problem: str = ""  # why it is not bound
    diff: Diff | None = None

    @property
    def disagree(self) -> bool:
        """The slot's words and figure say different numbers."""
        return self.words is not None and self.figure is not None and self.words != self.figure


@dataclass(frozen=True)
class BoundElement:
    """Where a draft has an element's words (changed: not found, with the closest words and a diff)."""

    id: str
    found: bool
    clause: str | None = None
    quote: str = ""
    diff: Diff | None = None
    reason: str = ""  # why it is not usable: its words changed, or a value it reads could not be read


@dataclass(frozen=True)
class Binding:
    """Everything read from a draft: each parameter and each element."""

    parameters: dict[str, BoundParameter] = field(default_factory=dict)
    elements: dict[str, BoundElement] = field(default_factory=dict)

    def changed_elements(self) -> list[BoundElement]:
        """Elements whose words are not in the draft (beyond their numbers)."""
        return [e for e in self.elements.values() if not e.found]

    def unbound(self) -> list[BoundParameter]:
        """Parameters whose value could not be read from the draft."""
        return [p for p in self.parameters.values() if not p.found]


@lru_cache(maxsize=8)
def _templates(key: tuple[tuple[str, str, str], ...]) -> dict[str, Template]:
    return {eid: template(eid, clause, quote) for eid, clause, quote in key}


def templates(elements: Iterable[Element]) -> dict[str, Template]:
    """Templates of every element's quote (cached per set of quotes)."""
    return _templates(tuple((e.id, e.clause, e.quote) for e in elements))


def _locate(t: Template, doc: Document, clause: str) -> tuple[str, re.Match[str]] | None:
    """The first match of a template: in the clause of the same id if the draft has one, else in any clause."""
    if clause in doc.by_id:
        m = t.regex.search(doc.normalized(clause))
        if m:
            return _innermost(t, doc, clause, m)
    for c in doc.clauses:
        if c.children or c.id == clause:
            continue
        m = t.regex.search(normalize(c.text))
        if m:
            return c.id, m
    return None


def _innermost(t: Template, doc: Document, clause: str, m: re.Match[str]) -> tuple[str, re.Match[str]]:
    """A quote cited on a parent clause may sit in one child: keep the parent id (the model cites it so)."""
    return clause, m


def _changed_diff(t: Template, doc: Document, clause: str) -> Diff:
    text = doc.normalized(clause) if clause in doc.by_id else ""
    return closest(t.quote, text)


def bind(parameters: Iterable[Parameter], elements: Iterable[Element], doc: Document) -> Binding:
    """Read every parameter's value and find every element's words in a draft."""
    params = list(parameters)
    elems = list(elements)
    ptemps = templates(params)
    etemps = templates(elems)
    out_p: dict[str, BoundParameter] = {}
    for p in params:
        if not p.in_text:
            out_p[p.id] = _bind_optional(p, doc)
            continue
        t = ptemps[p.id]
        loc = _locate(t, doc, p.clause)
        if loc is None:
            out_p[p.id] = BoundParameter(p.id, False, problem="its words are not in the draft",
                                         diff=_changed_diff(t, doc, p.clause))
            continue
        where, m = loc
        k = slot_of(p, t)
        if k is None:
            out_p[p.id] = BoundParameter(p.id, False, where, m.group(0), problem="no slot for its value in its quote")
            continue
        words = m.group(f"p{k}")
        r = read(words, p.unit)
        if r is None:
            out_p[p.id] = BoundParameter(p.id, False, where, m.group(0), words,
                                         problem=f"cannot read {words!r} as {p.unit}")
            continue
        out_p[p.id] = BoundParameter(p.id, True, where, m.group(0), words, r.value, r.words, r.figure)
    out_e: dict[str, BoundElement] = {}
    for e in elems:
        t = etemps[e.id]
        loc = _locate(t, doc, e.clause)
        if loc is None:
            out_e[e.id] = BoundElement(e.id, False, e.clause if e.clause in doc.by_id else None,
                                       diff=_changed_diff(t, doc, e.clause))
        else:
            out_e[e.id] = BoundElement(e.id, True, loc[0], loc[1].group(0))
    return Binding(out_p, out_e)


def _bind_optional(p: Parameter, doc: Document) -> BoundParameter:
    """A parameter the agreement does not state (a cap, a convention): set only if the draft uses a pattern."""
    if p.clause in doc.by_id:
        text = doc.normalized(p.clause)
        for pat in p.patterns:
            head, _, tail = normalize(pat).partition("{value}")
            m = re.search(re.escape(head) + f"(?P<v>{SLOT})" + re.escape(tail), text)
            if m:
                r = read(m.group("v"), p.unit)
                if r is not None:
                    return BoundParameter(p.id, True, p.clause, m.group(0), m.group("v"), r.value, r.words, r.figure)
    return BoundParameter(p.id, True, None, "", "", p.value)
