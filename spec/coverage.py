"""Coverage of the numbered clauses by the formal model, and the model's checks against the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rra.spec.clauses import Document, agreement
from rra.spec.elements import Element, Parameter
from rra.spec.model import ALL_ELEMENTS, NOT_FORMALIZED
from rra.spec.overrides import DEFAULTS, ParameterSet
from rra.spec.terms import term_elements
from rra.spec.text import normalize

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
# Elements that describe rather than rule: a clause with only these is "not formalized".
_DESCRIPTIVE = {"cross_reference"}


def number_words(n: int) -> str:
    """English words for 0-999 ("ninety", "twenty-one")."""
    if n < 20:
        return _WORDS[n]
    if n < 100:
        t, u = divmod(n, 10)
        return _TENS[t] + (f"-{_WORDS[u]}" if u else "")
    h, rest = divmod(n, 100)
    return f"{_WORDS[h]} hundred" + (f" {number_words(rest)}" if rest else "")


def all_elements(doc: Document | None = None, params: ParameterSet = DEFAULTS) -> list[Element]:
    """Every formal element: typed-in rules, parameters, and the defined terms derived from the text."""
    d = doc or agreement()
    return [*params.parameters(), *ALL_ELEMENTS, *term_elements(d)]


def value_in_quote(p: Parameter) -> str | None:
    """None if the parameter's value appears in its quote (words and figures where both are used), else why not."""
    q = normalize(p.quote)
    v = p.value
    if not p.in_text:
        return None
    if isinstance(v, date):
        s = f"{_MONTHS[v.month - 1]} {v.day}, {v.year}"
        return None if s in q else f"date {s!r} not in quote"
    if isinstance(v, float):
        frac = f"{v:.2f}".lstrip("0")
        return None if frac in q or f"{v:g}" in q else f"{v} not in quote"
    if isinstance(v, int):
        figures = [f"({v})", f"{v:,}", f"${v:,}", str(v)]
        has_figure = any(re.search(rf"(?<![\d,.]){re.escape(f)}(?![\d,])", q) for f in figures)
        word = number_words(v) if v < 1000 else None
        has_word = word is not None and re.search(rf"\b{re.escape(word)}\b", q, re.IGNORECASE) is not None
        if f"({v})" in q and not has_word:
            return f"figure ({v}) without the words {word!r}"
        if word is not None:
            for m in re.finditer(rf"\b{re.escape(word)}\s*\((\d[\d,]*)\)", q, re.IGNORECASE):
                if m.group(1).replace(",", "") != str(v):
                    return f"words {word!r} with the figure ({m.group(1)})"
        if has_figure or has_word:
            return None
        if v >= 1000 and re.search(r"\b(?:one|two|three|five)\s+(?:million|thousand)", q, re.IGNORECASE):
            return None
        return f"{v} not in quote"
    return None


@dataclass(frozen=True)
class QuoteProblem:
    """An element whose quote is not found in its clause, or whose value is not in its quote."""

    element: str
    clause: str
    problem: str


def check_quotes(doc: Document | None = None, elements: list[Element] | None = None) -> list[QuoteProblem]:
    """Problems with quotes: not found verbatim (whitespace-normalized) in the element's clause, or value missing."""
    d = doc or agreement()
    out: list[QuoteProblem] = []
    for e in elements if elements is not None else all_elements(d):
        if e.clause not in d.by_id:
            out.append(QuoteProblem(e.id, e.clause, "no such clause"))
            continue
        if normalize(e.quote) not in d.normalized(e.clause):
            out.append(QuoteProblem(e.id, e.clause, "quote not found verbatim in its clause"))
        if isinstance(e, Parameter) and (why := value_in_quote(e)):
            out.append(QuoteProblem(e.id, e.clause, why))
    return out


def unread_parameters(params: ParameterSet = DEFAULTS) -> list[str]:
    """Parameters that no rule reads (each is a sign of a missing rule or a stray number)."""
    read: set[str] = set()
    for e in ALL_ELEMENTS:
        read.update(e.params())
    return sorted(p.id for p in params.parameters() if p.id not in read and not p.id.startswith("agreement."))


def element_record(e: Element) -> dict[str, Any]:
    """An element as a JSON-ready dict: kind, id, clause, quote and its own fields."""
    rec: dict[str, Any] = {"kind": e.kind}
    for k, v in e.__dict__.items():
        rec[k] = v
    return rec


def coverage(doc: Document | None = None, params: ParameterSet = DEFAULTS) -> dict[str, Any]:
    """Every numbered clause with its status, reason and elements (the `rra coverage --json` shape)."""
    d = doc or agreement()
    by_clause: dict[str, list[Element]] = {}
    for e in all_elements(d, params):
        by_clause.setdefault(e.clause, []).append(e)
    reasons = {n.clause: n.reason for n in NOT_FORMALIZED}
    clauses = []
    for c in d.numbered():
        elems = by_clause.get(c.id, [])
        # A clause's elements include those cited on the clause itself; a section with subsections
        # (e.g. "8") keeps its own elements on the section.
        ruling = [e for e in elems if e.kind not in _DESCRIPTIVE]
        if ruling and c.id not in reasons:
            status, reason = "formalized", None
        else:
            status = "not-formalized"
            reason = reasons.get(c.id, "no formal element cites this clause")
        clauses.append(
            {
                "id": c.id,
                "heading": c.heading,
                "lines": [c.start, c.end],
                "status": status,
                "reason": reason,
                "elements": [element_record(e) for e in elems],
            }
        )
    return {
        "clauses": clauses,
        "summary": {
            "numbered": len(clauses),
            "formalized": sum(1 for c in clauses if c["status"] == "formalized"),
            "not_formalized": sum(1 for c in clauses if c["status"] == "not-formalized"),
            "elements": sum(len(v) for v in by_clause.values()),
            "quote_problems": [p.__dict__ for p in check_quotes(d, all_elements(d, params))],
            "unread_parameters": unread_parameters(params),
            "overridden": list(params.overridden),
        },
    }
