"""What went wrong, in one sentence, for a refuted invariant: read from its counterexample (the dated rows of
rra.solver.invariants.Verdict) and its catalogue entry's kind and arguments, so the same words come for the same
counterexample wherever it is shown (the report's captions). Dates as "15 Dec 2003"; no internal ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rra.spec.agreement import Agreement
from rra.spec.invariants import InvariantSpec

from rra.output import listed

Row = Mapping[str, Any]

# The period families of the encoding, as a reader calls them.
FAMILY_WORDS = {"blocked": "sales are blocked", "sales_blocked": "sales are blocked", "allowed_delays": "an Allowed Delay",
                "not_listed": "the stock is not listed or its trading halted", "stop_orders": "a stop order",
                "investor_delays": "an Investor delay"}


def _day(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d.strftime('%b %Y')}"


def _span(first: str, last: str) -> str:
    """A period in words: "on 1 Jul 2003" for one day, "from 1 Jul 2003 to 16 Jul 2003" for more."""
    return f"on {_day(first)}" if first[:10] == last[:10] else f"from {_day(first)} to {_day(last)}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _deadline_name(agreement: Agreement, did: str) -> str:
    el = next((d for d in agreement.model.deadlines if d.id == did), None)
    name = el.name if el is not None and el.name else did
    clause = el.clause if el is not None else ""
    return name if not clause or f"({clause})" in name else f"{name} ({clause})"


def _row(rows: Sequence[Row], rid: str) -> Row | None:
    return next((r for r in rows if r.get("id") == rid), None)


def _events(rows: Sequence[Row], skip: set[str]) -> list[str]:
    """The dated events of a counterexample (not deadlines or periods), as "the X on 1 Jan 2004"."""
    out = []
    for r in rows:
        rid, text = str(r.get("id", "")), str(r.get("event", ""))
        if rid in skip or text.startswith("deadline: ") or text.endswith((" from", " until")):
            continue
        out.append(f"{text}: {_day(r['date'])}")
    return out


def _lower(name: str) -> str:
    """A name inside a sentence: "Effectiveness deadline" -> "effectiveness deadline"; a name whose next word is
    capitalised ("Form S-3 ...", "Registration Statement") or an acronym ("SEC") is kept."""
    words = name.split()
    if not words or not words[0][1:].islower() or (len(words) > 1 and not words[1][:1].islower()):
        return name
    return name[0].lower() + name[1:]


def _periods(rows: Sequence[Row]) -> list[tuple[str, str, str]]:
    """(family, first day, last day) of each period of a counterexample."""
    opened: dict[str, str] = {}
    out = []
    for r in rows:
        text, rid = str(r.get("event", "")), str(r.get("id", ""))
        if text.endswith(" from"):
            opened[rid] = r["date"]
        elif text.endswith(" until") and rid in opened:
            out.append((rid.split("[")[0], opened.pop(rid), r["date"]))
    return out


def _gap(a: str, b: str) -> int:
    return abs((date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days)


def failure(spec: InvariantSpec, rows: Sequence[Row], agreement: Agreement) -> str:
    """One sentence: what the counterexample shows going wrong ("" when there is no counterexample)."""
    if not rows:
        return ""
    kind = spec.kind
    if kind in ("deadline-order", "deadline-equal") and len(spec.args) == 2:
        a, b = spec.args
        ra, rb = _row(rows, a), _row(rows, b)
        if ra is not None and rb is not None:
            na, nb = (_lower(_deadline_name(agreement, x)) for x in (a, b))
            ctx = _events(rows, {a, b})
            when = f" ({'; '.join(ctx)})" if ctx else ""
            n = _gap(ra["date"], rb["date"])
            if kind == "deadline-order":
                return (f"The {na} falls on {_day(ra['date'])}, {_days(n)} after the {nb} on {_day(rb['date'])}"
                        f"{when}.")
            return f"The {na} falls on {_day(ra['date'])} but the {nb} on {_day(rb['date'])}, {_days(n)} apart{when}."
    if kind == "component-needs-trigger" and spec.args:
        comp = agreement.model.payment_measure().component(spec.args[0])
        names = [e.name for e in agreement.model.events if e.id in comp.triggers and e.id not in comp.periods]
        pers = [p for p in _periods(rows) if p[0] == comp.family] or _periods(rows)
        eff = _row(rows, agreement.measure.effective)
        if pers:
            fam, s, e = pers[0]
            what = FAMILY_WORDS.get(fam, fam.replace("_", " "))
            after = f"; the statement is declared effective on {_day(eff['date'])}" if eff is not None else ""
            return (f"None of the triggers of {comp.id} happens ({listed([_lower(n) for n in names], 'or')}), yet "
                    f"{comp.id} counts the days {what} {_span(s, e)}{after}.")
    if kind == "designated-delay":
        pers = _periods(rows)
        delay = next((p for p in pers if p[0] == "allowed_delays"), None)
        if delay is not None:
            from rra.solver.evaluator import calendar

            params = agreement.params
            cap_id = agreement.measure.allowed_delay[0]
            cap = int(params[cap_id])
            cal = calendar()
            first, last = date.fromisoformat(delay[1]), date.fromisoformat(delay[2])
            n = sum(1 for k in range((last - first).days + 1)
                    if cal.is_trading_day(date.fromordinal(first.toordinal() + k)))
            eff = _row(rows, agreement.measure.effective)
            after = f" after the statement is declared effective on {_day(eff['date'])}" if eff is not None else ""
            longer = (f"; it lasts {n} trading days, longer than the {cap} consecutive trading days "
                      f"{params.by_name[cap_id].clause} allows, so the days past the cap count"
                      if n > cap else "")
            return (f"Sales are blocked {_span(delay[1], delay[2])} and the Company declares that same "
                    f"period an Allowed Delay, yet 2(c)(ii) counts days of it{after}{longer}.")
    if kind == "blackout":
        notice = _row(rows, "suspension_notice")
        received = _row(rows, "amended_prospectus_received")
        if notice is not None:
            cap = int(agreement.params[agreement.measure.allowed_delay[0]])
            causes = _events(rows, {"suspension_notice", "amended_prospectus_received"})
            end = (f"it arrives only on {_day(received['date'])}" if received is not None
                   else "here it never arrives")
            return (f"An Investor receives the notice on {_day(notice['date'])}"
                    + (f" ({'; '.join(causes)})" if causes else "")
                    + f" and may not sell until the amended prospectus arrives; nothing in the agreement says when it "
                      f"must, and {end}: the blackout runs past {cap} trading days.")
    if kind == "liability-cap":
        vals = {str(r.get("id")): str(r.get("event", "")).split(" = ", 1)[-1] for r in rows}
        return (f"An Investor's indemnity ({vals.get('indemnity_6b', '?')}) and contribution "
                f"({vals.get('contribution_7', '?')}) together exceed its net proceeds ({vals.get('net_proceeds_rs', '?')}).")
    events = _events(rows, set())
    spans = [f"{FAMILY_WORDS.get(f, f.replace('_', ' '))} {_span(s, e)}" for f, s, e in _periods(rows)]
    return "The claim fails on this timeline: " + listed(events + spans) + "."


__all__ = ["failure"]
