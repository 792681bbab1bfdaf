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
from fractions import Fraction
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rra.spec.clauses import Document
from rra.spec.elements import Element, Parameter
from rra.spec.numbers import Phrase, Reading, read, scan
from rra.spec.text import normalize

from rra.limits import cut

# Stands for one number phrase in a skeleton (a character no agreement contains).
MARK = "\x00"


@dataclass(frozen=True)
class Template:
    """A quote with its number phrases as slots: `skeleton` is the quote with each phrase replaced by MARK."""

    element: str
    clause: str
    quote: str  # the bundled quote, whitespace-normalized
    phrases: tuple[Phrase, ...]
    skeleton: str


@lru_cache(maxsize=8192)
def skeleton(text: str) -> tuple[str, tuple[Phrase, ...], tuple[int, ...]]:
    """A text with each number phrase replaced by MARK, its phrases, and where each skeleton character starts in
    the text (for turning a match back into the text's own words)."""
    phrases = tuple(scan(text))
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for p in phrases:
        out.append(text[pos:p.start])
        where.extend(range(pos, p.start))
        out.append(MARK)
        where.append(p.start)
        pos = p.end
    out.append(text[pos:])
    where.extend(range(pos, len(text)))
    where.append(len(text))
    return "".join(out), phrases, tuple(where)


@lru_cache(maxsize=8192)
def template(element: str, clause: str, quote: str) -> Template:
    """The template of a quote."""
    q = normalize(quote)
    skel, phrases, _ = skeleton(q)
    return Template(element, clause, q, phrases, skel)


@lru_cache(maxsize=8192)  # a redline check binds the same phrases to the same parameters for every redlined draft
def _read(words: str, unit: str) -> Reading | None:
    return read(words, unit)


def slot_of(p: Parameter, t: Template) -> int | None:
    """Which phrase of its quote is a parameter's value: `p.slot`, or the one phrase that reads as the value."""
    if p.slot is not None:
        return p.slot if p.slot < len(t.phrases) else None
    hits = [i for i, ph in enumerate(t.phrases) if (r := _read(ph.text, p.unit)) is not None and r.value == p.value]
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
    sm = difflib.SequenceMatcher(a=[_bare(w) for w in a], b=[_bare(w) for w in b], autojunk=False)
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
    if al is None or al.score < 50:
        return Diff(quote, "", (("delete", quote, ""),), 0.0 if al is None else al.score)
    # the aligned span has the quote's length: widen it (a change that adds words runs past it), to whole words,
    # then keep what the word diff matches to the quote, less the draft's words around it
    a, b = max(0, al.dest_start - _WIDEN), min(len(text), al.dest_end + _WIDEN)
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    qw, tw = quote.split(), text[a:b].split()
    # words compared without the punctuation around them ("(which" is "which"): the span starts at a word
    ops = difflib.SequenceMatcher(a=[_bare(w) for w in qw], b=[_bare(w) for w in tw], autojunk=False).get_opcodes()
    while ops and ops[0][0] == "insert":
        ops.pop(0)
    while ops and ops[-1][0] == "insert":
        ops.pop()
    new = " ".join(tw[ops[0][3]:ops[-1][4]]) if ops else ""
    kept = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    if al.score < 60 and kept < 0.4 * len(qw):  # a weak alignment that keeps few of the words: not these words
        return Diff(quote, "", (("delete", quote, ""),), round(al.score, 1))
    return Diff(quote, new, word_diff(quote, new), round(al.score, 1))


_WIDEN = 80  # characters of the draft looked at on each side of the aligned span


def _bare(word: str) -> str:
    return word.strip("()[]\"',.;:") or word


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


@dataclass(frozen=True)
class Match:
    """Where a template matched a text: the text's own words and, for each slot, the words there."""

    clause: str
    words: str
    slots: tuple[str, ...]


class Skeletons:
    """The words of every clause of a document, normalized once (the skeletons are remembered by the words)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._cache: dict[tuple[str, bool], str] = {}
        self.leaves = [c.id for c in doc.clauses if not c.children]

    def of(self, clause: str, subtree: bool) -> str:
        """The normalized words of a clause, with its sub-clauses or alone (their skeleton: `skeleton`)."""
        key = (clause, subtree)
        if key not in self._cache:
            self._cache[key] = self.doc.normalized(clause) if subtree else normalize(self.doc.by_id[clause].text)
        return self._cache[key]

    def match(self, t: Template, clause: str, subtree: bool = True, fold: bool = False) -> Match | None:
        """The first place the template's skeleton occurs in a clause (ignoring case with `fold`)."""
        found = _find(t.skeleton, len(t.phrases), self.of(clause, subtree), fold)
        return Match(clause, *found) if found is not None else None


@lru_cache(maxsize=16384)
def _find(template_skeleton: str, slots: int, text: str, fold: bool) -> tuple[str, tuple[str, ...]] | None:
    """Where a template's skeleton first occurs in a text: the text's words there and the words in its slots
    (remembered by the text: a redlined draft's unchanged clauses are not searched again)."""
    skel, phrases, where = skeleton(text)
    k = skel.lower().find(template_skeleton.lower()) if fold else skel.find(template_skeleton)
    if k < 0:
        return None
    first = skel.count(MARK, 0, k)
    found = tuple(p.text for p in phrases[first:first + slots])
    end = k + len(template_skeleton)
    a, b = where[k], where[end] if end < len(where) else len(text)
    if end < len(where) and template_skeleton.endswith(MARK):
        b = phrases[first + slots - 1].end
    return text[a:b], found


def _locate(t: Template, sk: Skeletons, clause: str) -> Match | None:
    """The first match of a template: in the clause of the same id if the draft has one, else in any clause."""
    if clause in sk.doc.by_id:
        m = sk.match(t, clause)
        if m:
            return m
    for c in sk.leaves:
        if c == clause:
            continue
        m = sk.match(t, c, subtree=False)
        if m:
            return m
    return None


def _changed_diff(t: Template, doc: Document, clause: str) -> Diff:
    text = doc.normalized(clause) if clause in doc.by_id else ""
    return closest(t.quote, text)


@dataclass(frozen=True)
class Earlier:
    """A binding of the same package to another text (`bind`'s `earlier`): the parameters and the words of the
    elements it bound, and that text."""

    doc: Document
    binding: Binding
    parameters: dict[str, Parameter]
    quotes: dict[str, tuple[str, str]]  # element id -> (clause, quote)

    @staticmethod
    def of(parameters: Iterable[Parameter], elements: Iterable[Element], doc: Document) -> Earlier:
        """The binding of these parameters and elements to `doc`, kept for binding them to an edited `doc`."""
        params, elems = list(parameters), list(elements)
        return Earlier(doc, bind(params, elems, doc), {p.id: p for p in params},
                       {e.id: (e.clause, e.quote) for e in elems})


def bind(parameters: Iterable[Parameter], elements: Iterable[Element], doc: Document,
         earlier: Earlier | None = None) -> Binding:
    """Read every parameter's value and find every element's words in a draft. With `earlier` (the same package
    bound to a text this one edits), a parameter or element found there in its own clause keeps what was read
    there when it and its clause's words are unchanged: reading them again finds the same."""
    params = list(parameters)
    elems = list(elements)
    ptemps = templates(params)
    etemps = templates(elems)
    sk = Skeletons(doc)
    out_p: dict[str, BoundParameter] = {}
    unchanged: dict[str, bool] = {}

    def kept(clause: str, was: BoundParameter | BoundElement | None) -> bool:
        """Whether what `earlier` read in its own clause `clause` stands: found there, and the clause's words (with
        its sub-clauses) are the same here."""
        if earlier is None or was is None or not was.found or was.clause != clause or clause not in doc.by_id:
            return False
        if clause not in unchanged:
            unchanged[clause] = (clause in earlier.doc.by_id
                                 and earlier.doc.subtree_text(clause) == doc.subtree_text(clause))
        return unchanged[clause]

    for p in params:
        if earlier is not None and p.in_text and earlier.parameters.get(p.id) == p:
            was_p = earlier.binding.parameters.get(p.id)
            if was_p is not None and kept(p.clause, was_p):
                out_p[p.id] = was_p
                continue
        if not p.in_text:
            out_p[p.id] = _bind_optional(p, doc)
            continue
        t = ptemps[p.id]
        m = _locate(t, sk, p.clause)
        if m is None:
            out_p[p.id] = BoundParameter(p.id, False, problem="its words are not in the draft",
                                         diff=_changed_diff(t, doc, p.clause))
            continue
        k = slot_of(p, t)
        if k is None:
            out_p[p.id] = BoundParameter(p.id, False, m.clause, m.words, problem="no slot for its value in its quote")
            continue
        words = m.slots[k]
        r = _read(words, p.unit)
        if r is None:
            out_p[p.id] = BoundParameter(p.id, False, m.clause, m.words, words,
                                         problem=f"cannot read {words!r} as {p.unit}")
            continue
        out_p[p.id] = BoundParameter(p.id, True, m.clause, m.words, words, r.value, r.words, r.figure)
    out_e: dict[str, BoundElement] = {}
    for e in elems:
        if earlier is not None and earlier.quotes.get(e.id) == (e.clause, e.quote):
            was_e = earlier.binding.elements.get(e.id)
            if was_e is not None and kept(e.clause, was_e):
                out_e[e.id] = was_e
                continue
        t = etemps[e.id]
        m = _locate(t, sk, e.clause)
        if m is None:
            out_e[e.id] = BoundElement(e.id, False, e.clause if e.clause in doc.by_id else None,
                                       diff=_changed_diff(t, doc, e.clause))
        else:
            out_e[e.id] = BoundElement(e.id, True, m.clause, m.words)
    return Binding(out_p, out_e)


def _bind_optional(p: Parameter, doc: Document) -> BoundParameter:
    """A parameter the agreement does not state (a cap, a convention): set only if the draft uses a pattern and its
    sentence ends there; a pattern whose sentence goes on ("$20,000 in any calendar month", "two times the ..."), or a
    limit in other words, leaves it unread, never "none"."""
    if p.clause in doc.by_id:
        sk = Skeletons(doc)
        text = doc.normalized(p.clause)
        for pat in p.patterns:
            t = template(p.id, p.clause, pat.replace("{value}", "one (1)"))
            m = sk.match(t, p.clause, fold=True)
            if m and m.slots:
                end = _end_of(text, m.words)
                r = read(m.slots[0], p.unit)
                if r is not None and _ENDS.match(text, end):
                    return BoundParameter(p.id, True, p.clause, m.words, m.slots[0], r.value, r.words, r.figure)
                share = read(m.slots[0], "ratio") if p.unit == "USD" else None
                of = _OF_PRINCIPAL.match(text, end)
                if share is not None and of is not None and p.share_of and _ENDS.match(text, of.end()):
                    # a share of the Debentures' principal ("ten percent (10%) of the original principal amount of
                    # the Debentures"): the amount is that share of the principal the recitals state (bind_document)
                    return BoundParameter(p.id, True, p.clause, m.words + of.group(0), m.slots[0],
                                          SharePrincipal(Fraction(str(share.value)), p.share_of))
                said = cut(m.words + text[end:].split(".")[0], _SAID)
                return BoundParameter(p.id, False, p.clause, m.words, m.slots[0],
                                      problem=f"the limit {said!r} is not a fixed amount the tool can read")
        if any("exceed" in pat for pat in p.patterns):
            other = _limit_sentence(text)
            if other is not None:
                return BoundParameter(p.id, False, p.clause, other, "",
                                      problem=f"the limit {cut(other, _SAID)!r} is in words the tool does not read")
    return BoundParameter(p.id, True, None, "", "", p.value)


_SAID = 140  # characters of a limit's words quoted in the reason it is not read
_ENDS = re.compile(r"\s*(?:[.;]|$)")  # where a limit's sentence ends, nothing added to the amount
# a limit on the payments in other words than the patterns ("in no event shall the payments ... exceed ..."): a
# sentence with "exceed" (or "capped at") that names payments and forbids exceeding (sentence by sentence: linear)
_LIMIT_WORD = re.compile(r"\bexceed\b|\bcapped at\b", re.IGNORECASE)
_PAID = re.compile(r"\b(?:payments?|amounts?|sums?)\b", re.IGNORECASE)
_NEVER = re.compile(r"\b(?:shall|will|may) (?:not|in no event)\b|\bin no event\b|\bshall never\b|\bcapped at\b",
                    re.IGNORECASE)


def _limit_sentence(text: str) -> str | None:
    for m in _LIMIT_WORD.finditer(text):
        s0 = text.rfind(".", 0, m.start()) + 1
        s1 = text.find(".", m.end())
        sent = text[s0:s1 if s1 >= 0 else len(text)].strip()
        if _PAID.search(sent) and _NEVER.search(sent):
            return sent
    return None


# what a share is of, right after it: "of the original principal amount of the Debentures"
_OF_PRINCIPAL = re.compile(r" of the (?:original |initial |aggregate |issued )*principal amount of (?:all of )?the "
                           r"Debentures(?: issued)?(?: under the Securities Purchase Agreement)?")


@dataclass(frozen=True)
class SharePrincipal:
    """An amount written as a share of the Debentures' principal: resolved against the parameter `of`."""

    share: Fraction
    of: str


def _end_of(text: str, words: str) -> int:
    """Where the words end in the clause's text (its end when they are not there)."""
    at = text.find(words)
    return at + len(words) if at >= 0 else len(text)
