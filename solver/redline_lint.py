"""Reading a redline's new words back in the redlined text: do they say what they mean?

A redline can cure the defect it was written for and still be broken as drafting: a cross-reference to a
sentence or clause that is not there ("clause (iii) of the first sentence of this Section 2(c)" where the first
sentence has no clauses), a "hereof" cut off from its section by a parenthetical, a term no one defines, a defined
term no one uses, or (across the redlines of one markup) a list of holders that leaves out an instrument another
redline brings in. `lint` finds these in the words a set of redlines puts into a text, in plain English; the memo's
redline check (rra.solver.memo_check) reports them as new problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rra.solver.memo import Redline
from rra.spec.agreement import Agreement
from rra.spec.clauses import Document
from rra.spec.numbers import scan
from rra.spec.terms import cached, definitions, sentence_starts
from rra.spec.text import normalize

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_REF = r"\d+(?:\([a-z]{1,2}\))?(?:\([ivx]+\))?"
_SECTIONS = re.compile(rf"\bSections? (?P<refs>{_REF}(?:(?:, | and | or |, and |, or ){_REF})*)"
                       r"(?! of the (?:1933|1934|Securities Purchase|Exchange) Act| of the Securities Purchase| of Regulation)")
_CLAUSE_OF_SENTENCE = re.compile(
    r"\bclauses? (?P<labels>\([ivx]+\)(?:(?:, | and | or )\([ivx]+\))*) of the (?P<ord>" + "|".join(ORDINALS)
    + rf") sentence of (?:this )?Section (?P<sec>{_REF})")
_CLAUSE_OF_THIS = re.compile(r"\bclauses? (?P<labels>\([ivx]+\)(?:(?:, | and | or )\([ivx]+\))*) of this sentence")
_HEREOF_CUT = re.compile(rf"\bSections? {_REF}(?:(?:, | and | or ){_REF})* \((?:[^()]|\([^()]*\))*\) (?P<h>hereof|below|above)\b")
_CAPS = re.compile(r"\b(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?: (?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?))+\b")
_NOT_TERMS = {"Section", "Sections", "Rule", "Form", "Exhibit", "Schedule", "United States", "New York"}
_DEFINES = re.compile(r'(?:\((?:[^()"]*?,\s*)?(?:the |an? |each, an? |each, the )?"(?P<p>[A-Z][^"]+)"\)|"(?P<m>[A-Z][^"]+)" '
                      r'(?:means|shall mean))')


@dataclass(frozen=True)
class Lint:
    """A problem of the words a redline puts in a clause, in plain English."""

    clause: str
    words: str
    problem: str


def new_words(r: Redline) -> str:
    """The words a redline adds: its new words less the words its find and its new words share at both ends, widened
    to whole words."""
    new = r.with_
    p, q = r.shared_ends()
    a, b = p, len(new) - q
    while 0 < a < len(new) and not new[a - 1].isspace() and not new[a].isspace():
        a -= 1
    while 0 < b < len(new) and not new[b].isspace() and not new[b - 1].isspace():
        b += 1
    return new[a:b].strip()


def _refs(words: str) -> list[str]:
    return re.findall(_REF, words)


def _has_clause(doc: Document, ref: str) -> bool:
    """A clause id of the document, or a clause's inline item ("2(c)(ii)": clause 2(c) has an item "(ii)")."""
    if ref in doc.by_id:
        return True
    m = re.fullmatch(r"(?P<base>.+?)(?P<item>\([ivx]+\))", ref)
    return bool(m and m.group("base") in doc.by_id and m.group("item") in doc.normalized(m.group("base")))


def sentences(text: str, heading: str | None = None) -> list[str]:
    """A clause's sentences, in order, as a lawyer counts them: its label ("c.") and heading are not sentences, and a
    parenthetical sentence is part of the sentence around it."""
    starts = sorted(s for s in sentence_starts(text) if s == 0 or text[s - 1] != "(")
    out = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    head = normalize(heading or "").rstrip(".")
    return [s for s in out if s and not re.fullmatch(r"\(?[a-z]{1,2}\)?\.|\(?[ivx]+\)?\.?|\d+\.", s)
            and not (head and s.rstrip(".").lower() == head.lower())]


def _defined(doc: Document) -> frozenset[str]:
    """The terms the document defines, with their plural and singular forms (once per document)."""
    def build() -> frozenset[str]:
        out: set[str] = set()
        for d in definitions(doc):
            t = d.term
            out |= {t, t + "s", t[:-3] + "y" if t.endswith("ies") else t.removesuffix("s")}
        return frozenset(out)

    return cached(doc, "lint-defined", build)


def _terms_in(words: str) -> list[str]:
    out = []
    for m in _CAPS.finditer(words):
        t = m.group(0)
        parts = t.split(" ")
        while parts and parts[0] in ("The", "Such", "Each", "Any", "All", "If", "In", "No", "Section", "Sections"):
            parts = parts[1:]
        t = " ".join(parts)
        if len(parts) >= 2 and t not in _NOT_TERMS and not any(p in ("Section", "Sections", "Rule") for p in parts):
            out.append(t)
    return out


def defines(r: Redline) -> list[str]:
    """The terms a redline's new words define."""
    return list(_defines(r))


@lru_cache(maxsize=4096)  # the memo's check asks it of every redline for every entry (rra.solver.memo_check)
def _defines(r: Redline) -> tuple[str, ...]:
    return tuple(m.group("p") or m.group("m") for m in _DEFINES.finditer(new_words(r)))


def uses(r: Redline) -> list[str]:
    """The capitalised terms a redline's new words use (other than those they define)."""
    own = set(defines(r))
    return [t for t in _terms_in(re.sub(r'"[^"]*"', "", new_words(r))) if t not in own]


def lint(draft: Agreement, redlines: Sequence[Redline], original: Agreement) -> list[Lint]:
    """The problems of the words these redlines put into the draft (the text with them applied)."""
    doc = draft.document
    known = _defined(doc) | _defined(original.document)
    out: list[Lint] = []
    for r in redlines:
        out += _cut_numbers(original, r)
        words = new_words(r)
        if not words or r.clause not in doc.by_id:
            continue
        text = doc.normalized(r.clause)
        for m in _SECTIONS.finditer(words):
            for ref in _refs(m.group("refs")):
                if not _has_clause(doc, ref):
                    out.append(Lint(r.clause, m.group(0), f"the new words refer to Section {ref}, which the agreement "
                                                          "does not have"))
        for m in _CLAUSE_OF_SENTENCE.finditer(words):
            sec = m.group("sec")
            if not _has_clause(doc, sec):
                continue
            ss = sentences(doc.normalized(sec), doc.by_id[sec].heading if sec in doc.by_id else None)
            k = ORDINALS.index(m.group("ord"))
            labels = re.findall(r"\([ivx]+\)", m.group("labels"))
            if k >= len(ss):
                out.append(Lint(r.clause, m.group(0), f"the new words refer to the {m.group('ord')} sentence of Section "
                                                      f"{sec}, which has only {len(ss)}"))
                continue
            missing = [lb for lb in labels if lb not in ss[k]]
            if missing:
                where = next((ORDINALS[j] for j, s in enumerate(ss[:len(ORDINALS)]) if all(lb in s for lb in labels)),
                             None)
                out.append(Lint(r.clause, m.group(0),
                                f"the new words refer to clause {' and '.join(missing)} of the {m.group('ord')} sentence "
                                f"of Section {sec}, which has no such clause"
                                + (f" (the {where} sentence has {' and '.join(labels)})" if where else "")))
        for m in _CLAUSE_OF_THIS.finditer(words):
            at = text.find(words)
            sent = next((s for s in sentences(text, doc.by_id[r.clause].heading) if at >= 0 and words[:40] in s), "")
            missing = [lb for lb in re.findall(r"\([ivx]+\)", m.group("labels")) if lb not in sent]
            if sent and missing:
                out.append(Lint(r.clause, m.group(0), f"the new words refer to clause {' and '.join(missing)} of "
                                                      "their own sentence, which has no such clause"))
        at = text.find(words)
        around = text[max(0, at - 80): at + len(words) + 20] if at >= 0 else words
        for m in _HEREOF_CUT.finditer(around):
            out.append(Lint(r.clause, m.group(0), f"\"{m.group('h')}\" now follows a parenthetical instead of the section "
                                                  "it qualifies"))
        for t in uses(r):
            if t in known or t in original.document.normalized():
                continue
            out.append(Lint(r.clause, t, f"the new words use \"{t}\", which nothing in the agreement defines"))
        for t in defines(r):
            rest = doc.normalized().replace(f'"{t}"', "")
            if t not in rest:
                out.append(Lint(r.clause, t, f"the new words define \"{t}\", which no other words of the agreement use"))
    return out


@lru_cache(maxsize=4096)
def _phrases(text: str) -> tuple[Any, ...]:
    return tuple(scan(text))


def _cut_numbers(original: Agreement, r: Redline) -> list[Lint]:
    """A redline whose find begins or ends inside a number written in the original clause ("twenty (120)" out of
    "one hundred twenty (120)"): what it leaves of the number reads as part of the new words."""
    if r.clause not in original.document.by_id or not r.replace:
        return []
    text = original.document.normalized(r.clause)
    out: list[Lint] = []
    at = text.find(r.replace)
    while at >= 0:
        for p in _phrases(text):
            if p.start < at < p.end or p.start < at + len(r.replace) < p.end:
                out.append(Lint(r.clause, p.text, f"the redline replaces only part of the number \"{p.text}\", leaving "
                                                  f"\"{text[p.start:at] if p.start < at else text[at + len(r.replace):p.end]}\" in the text"))
        at = text.find(r.replace, at + 1)
    return out


def instruments(a: Agreement) -> list[str]:
    """The classes of securities that carry rights: the instruments the recitals define and the registrable class."""
    doc = a.document
    reg = next((d for d in definitions(doc) if d.form == "means" and "issued or issuable" in d.body), None)
    if reg is None:
        return []
    out = [d.term for d in definitions(doc) if d.clause.startswith("recital") and re.search(
        rf"(?:pursuant to|under) the {re.escape(d.term)}\b|upon (?:exercise|conversion)[^.]{{0,40}}\b{re.escape(d.term)}\b",
        reg.body)]
    return out + [reg.term]


def narrowed(a: Agreement, redlines: Sequence[Redline]) -> list[tuple[Redline, Redline, str]]:
    """Pairs of redlines of one clause where the first's new words list classes of securities (two or more, joined
    by "or" or "and") leaving out one that the second's new words bring in: (narrow, wide, the class left out)."""
    classes = instruments(a)
    if not classes:
        return []
    names = sorted(classes, key=len, reverse=True)
    rx = re.compile("|".join(re.escape(n) for n in names))
    lists: list[tuple[Redline, set[str]]] = []
    for r in redlines:
        words = r.with_ if new_words(r) else ""
        for m in re.finditer(rf"(?:{rx.pattern})(?:(?:, | or | and |, or |, and )(?:{rx.pattern}))+", words):
            lists.append((r, set(rx.findall(m.group(0)))))
    out = []
    for r, listed in lists:
        for w in redlines:
            if w is r or w.clause != r.clause:
                continue
            for c in set(rx.findall(new_words(w))) - listed:
                out.append((r, w, c))
    return out


def term_users(redlines: Iterable[Redline], term: str) -> list[Redline]:
    """The redlines whose new words use a term."""
    return [r for r in redlines if term in uses(r) or term in new_words(r).replace(f'"{term}"', "")]


__all__ = ["Lint", "lint", "new_words", "defines", "uses", "narrowed", "sentences", "instruments", "normalize"]
