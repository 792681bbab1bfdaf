"""Coverage of the numbered clauses by the formal model, and the model's checks against the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rra.spec.agreement import Agreement
from rra.spec.binding import slot_of, template
from rra.spec.clauses import Document
from rra.spec.elements import Element, Parameter
from rra.spec.numbers import read
from rra.spec.terms import term_elements
from rra.spec.text import normalize

# Elements that describe rather than rule: a clause with only these is "not formalized".
_DESCRIPTIVE = {"cross_reference"}


def all_elements(agreement: Agreement) -> list[Element]:
    """Every formal element of an agreement: its parameters, its model's rules (as the text has them), and the
    defined terms derived from the text."""
    return [*agreement.parameters(), *agreement.model.elements(), *term_elements(agreement.document)]


def value_in_quote(p: Parameter) -> str | None:
    """None if the parameter's value is in its quote (its slot reads as the value; words and figures agree),
    else why not."""
    if not p.in_text:
        return None
    t = template(p.id, p.clause, p.quote)
    k = slot_of(p, t)
    if k is None:
        return f"{p.value} not in quote"
    r = read(t.phrases[k].text, p.unit)
    if r is not None and r.disagree:
        return f"words and figure disagree in {t.phrases[k].text!r}"
    return None


@dataclass(frozen=True)
class QuoteProblem:
    """An element whose quote is not found in its clause, or whose value is not in its quote."""

    element: str
    clause: str
    problem: str


def check_quotes(doc: Document, elements: list[Element]) -> list[QuoteProblem]:
    """Problems with quotes: not found verbatim (whitespace-normalized) in the element's clause, or value missing."""
    d = doc
    out: list[QuoteProblem] = []
    for e in elements:
        if e.clause not in d.by_id:
            out.append(QuoteProblem(e.id, e.clause, "no such clause"))
            continue
        if normalize(e.quote) not in d.normalized(e.clause):
            out.append(QuoteProblem(e.id, e.clause, "quote not found verbatim in its clause"))
        if isinstance(e, Parameter) and (why := value_in_quote(e)):
            out.append(QuoteProblem(e.id, e.clause, why))
    return out


def unread_parameters(agreement: Agreement) -> list[str]:
    """Parameters that no rule reads (each is a sign of a missing rule or a stray number)."""
    read: set[str] = set()
    for e in agreement.model.elements():
        read.update(e.params())
    return sorted(p.id for p in agreement.params.declared if p.id not in read and not p.id.startswith("agreement."))


def element_record(e: Element) -> dict[str, Any]:
    """An element as a JSON-ready dict: kind, id, clause, quote and its own fields."""
    rec: dict[str, Any] = {"kind": e.kind}
    for k, v in e.__dict__.items():
        rec[k] = v
    return rec


def coverage(agreement: Agreement) -> dict[str, Any]:
    """Every numbered clause with its status, reason and elements (the `rra coverage --json` shape)."""
    d = agreement.document
    changed = set(agreement.model.changed) | set(agreement.params.unbound)
    elements = [e for e in all_elements(agreement) if e.id not in changed]
    by_clause: dict[str, list[Element]] = {}
    for e in elements:
        by_clause.setdefault(e.clause, []).append(e)
    reasons = {n.clause: n.reason for n in agreement.model.not_formalized}
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
            "quote_problems": [p.__dict__ for p in check_quotes(d, elements)],
            "unread_parameters": unread_parameters(agreement),
            "overridden": list(agreement.params.overridden),
            "changed": sorted(changed),
        },
    }
