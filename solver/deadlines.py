"""Deadlines on concrete dates, the one implementation the evaluator and the exposure optimizer share.

A deadline (rra.spec.elements.Deadline) is the earliest (or latest, single, or first available) of its terms;
a term is a fixed date, or an anchor event's date plus or minus a parameter's number of days in the
parameter's basis (calendar, business or trading days, rra.solver.calendars). The Z3 encoding compiles the
same terms symbolically (rra.solver.encoding).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rra.solver.calendars import Calendar
from rra.spec.agreement import Agreement
from rra.spec.elements import Deadline, Offset


def basis_of(agreement: Agreement, offset_param: str | None) -> str:
    """The day basis of an offset parameter (calendar when none is given)."""
    if offset_param is None:
        return "calendar"
    return agreement.params.by_name[offset_param].basis or "calendar"


def term_date(agreement: Agreement, t: Offset, anchors: Mapping[str, date | None], cal: Calendar) -> date | None:
    """The date of one term, or None when its anchor has not happened."""
    if t.fixed is not None:
        fixed: date = agreement.params[t.fixed]
        return fixed
    if t.anchor is None or t.offset is None:
        return None
    a = anchors.get(t.anchor)
    if a is None:
        return None
    n = int(agreement.params[t.offset])
    return cal.add(a, -n if t.before else n, basis_of(agreement, t.offset))


def deadline_due(agreement: Agreement, dl: Deadline, anchors: Mapping[str, date | None],
                 cal: Calendar) -> tuple[date, Offset] | None:
    """The due date of a deadline and the term that set it, or None when no term applies."""
    cands = [(d, t) for t in dl.terms if (d := term_date(agreement, t, anchors, cal)) is not None]
    if not cands:
        return None
    if dl.combine == "first":
        return cands[0]
    if dl.combine == "latest":
        return max(cands, key=lambda c: c[0])
    return min(cands, key=lambda c: c[0])


def due(agreement: Agreement, deadline_id: str, anchors: Mapping[str, date | None], cal: Calendar) -> date | None:
    """The due date of a deadline by id (Withheld if the text changed its words)."""
    got = deadline_due(agreement, agreement.model.deadline(deadline_id), anchors, cal)
    return None if got is None else got[0]


def rule_text(agreement: Agreement, t: Offset) -> str:
    """A term in words, for reports: "pfed + 30 calendar days (filing.days_after_pfed)"."""
    if t.fixed is not None:
        return f"fixed date {t.fixed} = {agreement.params[t.fixed]}"
    n = agreement.params[t.offset] if t.offset else 0
    return f"{t.anchor} {'-' if t.before else '+'} {n} {basis_of(agreement, t.offset)} days ({t.offset})"
