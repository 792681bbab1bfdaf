"""Provisions review, deadlines: a deadline that can pass before the duty arises, a window shorter than any SEC
review, one event bounded differently in different clauses, linked clocks started by different events, blackouts
without an end, notices without an effective time, requests without lead time (rra.solver.provisions)."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

from num2words import num2words
from rra.solver import evaluator
from rra.solver.memo import Area, Certainty, Favours, Redline, Severity
from rra.solver.provisions import (
    NO_REVIEW_DAYS,
    Memo,
    act_day,
    business_day,
    day,
    detector,
    finding,
    first_of_month,
    insert_redline,
    late_effectiveness,
    money,
    month_later,
    monthly,
    on_days,
    own,
    pay,
    quote,
    reading_note,
    replace_redline,
    review_days,
    scenario,
    search,
)
from rra.solver.provisions_money import shortfall_contested
from rra.spec.agreement import Agreement
from rra.spec.elements import Deadline, Obligation
from rra.spec.numbers import scan
from rra.spec.process import PREREQUISITES
from rra.spec.text import normalize


def _z3(a: Agreement, kind: str) -> list[Any]:
    from rra.solver.provisions import z3_findings

    return z3_findings(a, kind)


def _records(a: Agreement) -> dict[str, str | None]:
    return {e.id: e.record for e in a.model.events}


def _filing_link(a: Agreement, ob: Obligation) -> Obligation | None:
    """The obligation whose performance must come before this one's (filing before effectiveness), if it has a
    deadline."""
    pre = next((p for p in PREREQUISITES if p.event == ob.performs), None)
    if pre is None:
        return None
    for o in a.model.obligations:
        if o.performs in pre.requires and o.deadline and a.model.usable(o.id) and a.model.usable(o.deadline) \
                and o.bearer == ob.bearer:
            return o
    return None


def _dues(a: Agreement, dls: list[str], when: date) -> dict[str, date]:
    """Due dates of deadlines when every event they (and the obligations using them) hang on happens on `when`."""
    rec = _records(a)
    when = business_day(when)
    data: dict[str, Any] = {"as_of": when + timedelta(days=900)}
    for dl_id in dls:
        dl = a.model.deadline(dl_id)
        events = {t.anchor for t in dl.terms if t.anchor}
        events |= {o.trigger for o in a.model.obligations if o.deadline == dl_id and o.trigger}
        for e in events:
            r = rec.get(e or "")
            if r and "[]" not in r:
                data[r] = when
    deadlines, _ = evaluator.deadlines_and_breaches(scenario(a, data), a)  # the deadlines alone: no payment is priced
    return {d.id: d.due for d in deadlines if d.id in dls}


def _phrase(quote_words: str) -> str:
    """The words of a deadline after its number of days ("after Prior Financing Effective Date")."""
    m = re.search(r"days?\)?\s+(?P<p>(?:after|from|following)\s+.+)$", quote_words)
    return m.group("p") if m else ""


# ------------------------------------------------------------------- a deadline that passes before the duty arises

@detector("deadline-before-duty")
def deadline_before_duty(a: Agreement) -> list[Any]:
    """An obligation's deadline can fall before the event that makes the duty arise, even if the Company and the SEC
    act at once (the Z3 impossibility check, cooperative SEC)."""
    out = []
    for f in _z3(a, "impossibility"):
        if f.evidence.get("mode") != "cooperative":
            continue
        ob = a.model.obligation(f.evidence["obligation"])
        dl = a.model.deadline(f.evidence["deadline"])
        if ob.trigger is None:
            continue
        trig = a.model.event(ob.trigger)
        link = _filing_link(a, ob)
        text = own(a.document, ob.clause)
        quotes = []
        if link is not None:
            quotes.append(quote(link.clause, a.model.deadline(link.deadline or "").quote))
        quotes.append(quote(dl.clause, dl.quote))
        anchored = [t for t in dl.terms if t.anchor and t.anchor != ob.trigger]
        if not anchored:
            continue
        anchor = a.model.event(anchored[0].anchor or "")
        days = int(a.params[anchored[0].offset or ""])
        example = _late_duty_example(a, ob, dl, link)
        phrase = _phrase(normalize(dl.quote))
        reds: list[Redline] = []
        p0 = text.find(phrase) if phrase else -1
        if p0 >= 0:
            reds.append(_later_of_redline(ob.clause, text, p0, phrase, normalize(trig.quote), ob.trigger or "", dl))
        absorbs = (f.id, f"z3.core.{ob.clause}.*", "z3.redraft", "z3.consistency.adversarial",
                   *[f"proof.{s.id}" for s in a.invariants if dl.id in s.args])
        out.append(finding(
            "deadline-before-duty", ob.id, (ob.clause,),
            f"{ob.clause}: the duty to {ob.action} can fall due before it arises",
            f"The deadline runs {days} days from the {anchor.name}, but the duty arises only when "
            f"{normalize(trig.quote)}, which can come after that date. The Company is then in breach the "
            "day the duty arises, whatever it and the SEC do.",
            Memo(Severity.HIGH, Area.DEADLINES, Favours.INVESTORS, quotes, reds, example, absorbs,
                 certainty=Certainty.EVERY),
            obligation=ob.id, deadline=dl.id, z3=f.id))
    return out


def _later_of_redline(clause: str, text: str, p0: int, phrase: str, arises: str, trigger: str, dl: Deadline) -> Redline:
    """The deadline counted from the later of its own anchor and the event that makes the duty arise, so that it
    never falls before the duty arises and never earlier than it does now (counting from the arising event alone
    drops the floor the anchor sets: a duty arising early would fall due before the main deadline). A deadline of
    several terms is counted from the arising event instead of each anchor."""
    prep, _, rest = phrase.partition(" ")
    term = lambda t, anchor: {"anchor": anchor, "offset": t.offset, "fixed": t.fixed, "before": t.before}  # noqa: E731
    moved = [term(t, trigger if t.anchor else t.anchor) for t in dl.terms]
    if len(dl.terms) == 1 and dl.terms[0].anchor:
        own_anchor = rest if re.match(r"(?:the|a|an|such|each)\b", rest, re.IGNORECASE) else f"the {rest}"
        new = f"{prep} the later of {own_anchor} and the date on which {arises}"
        meaning = {"terms": [term(dl.terms[0], dl.terms[0].anchor), *moved], "combine": "latest"}
    else:
        new, meaning = f"{prep} the date on which {arises}", {"terms": moved}
    return replace_redline(clause, text, p0, p0 + len(phrase), new, meaning={dl.id: meaning, "*": {}})


def _late_duty_example(a: Agreement, ob: Obligation, dl: Deadline, link: Obligation | None) -> str | None:
    rec = _records(a)
    late = late_effectiveness(a, late_days=-20)
    data: dict[str, Any] = late.data(as_of=month_later(late.effective, 24))
    ev0 = evaluator.evaluate(scenario(a, data), a)
    due0 = next((d.due for d in ev0.deadlines if d.id == dl.id), None)
    if due0 is None:
        data[rec[ob.trigger or ""] or ""] = late.effective
        ev0 = evaluator.evaluate(scenario(a, data), a)
        due0 = next((d.due for d in ev0.deadlines if d.id == dl.id), None)
    if due0 is None or not rec.get(ob.trigger or ""):
        return None
    when = first_of_month(month_later(due0, 6))
    data[rec[ob.trigger or ""] or ""] = when
    ev = evaluator.evaluate(scenario(a, data), a)
    fdue = next((d.due for d in ev.deadlines if link is not None and d.id == link.deadline), None)
    # however fast everyone acts: the Company files on the day the duty arises and the SEC declines to review
    filed = act_day(a, link.performs or "", when) if link is not None else when
    if fdue is not None and link is not None and rec.get(link.performs or ""):
        data[rec[link.performs or ""] or ""] = filed
    eff = business_day(filed + timedelta(days=NO_REVIEW_DAYS))
    if rec.get(ob.performs or ""):
        data[rec[ob.performs or ""] or ""] = eff
    ev = evaluator.evaluate(scenario(a, data), a)
    br = next((b for b in ev.breaches if b.element == ob.id), None)
    trig = a.model.event(ob.trigger or "")
    s = (f"Prior Financing Effective Date {day(late.pfed or late.filing_date)}, so the duty to {ob.action} falls due on "
         f"{day(due0)}. {on_days([(trig.name, when)])}"
         + (f" The Company files on {day(filed)} and the SEC, declining to review," if fdue else " The SEC, declining "
            "to review,")
         + f" declares it effective {(eff - filed).days} days later, on {day(eff)}")
    if br is not None:
        s += f": {br.late_days} {br.basis} days late however fast everyone acts."
    else:
        s += "."
    return s


# ------------------------------------------------------------------- a window shorter than any SEC review

@detector("review-window")
def review_window(a: Agreement) -> list[Any]:
    """From the latest permitted filing to the effectiveness deadline there can be less time than the shortest SEC
    review: the deadline will be missed unless the SEC declines to review (a deadline for an SEC-controlled event
    with a realistic window is a risk allocation, not a defect)."""
    out = []
    lo, _ = review_days()
    contested = shortfall_contested(a)  # the payments the example prices rest on a contested reading
    for f in _z3(a, "impossibility"):
        if f.evidence.get("mode") != "adversarial":
            continue
        ob = a.model.obligation(f.evidence["obligation"])
        link = _filing_link(a, ob)
        if link is None or ob.deadline is None or link.deadline is None:
            continue
        signed = a.params["agreement.date"]
        windows = []
        for k in range(30, 900, 15):
            dues = _dues(a, [link.deadline, ob.deadline], signed + timedelta(days=k))
            if len(dues) == 2:
                windows.append(((dues[ob.deadline] - dues[link.deadline]).days, signed + timedelta(days=k)))
        if not windows:
            continue
        window, when = min(windows)
        if window >= lo:
            continue
        fdl, edl = a.model.deadline(link.deadline), a.model.deadline(ob.deadline)
        foff = next((t.offset for t in fdl.terms if t.offset), None)
        eoff = next((t.offset for t in edl.terms if t.offset), None)
        if foff is None or eoff is None:
            continue
        fdays, edays = int(a.params[foff]), int(a.params[eoff])
        new_days = int(math.ceil((fdays + 2 * lo) / 30.0) * 30)
        linked = [p for p in a.parameters() if p.clause == ob.clause and p.unit == "days" and p.value == edays
                  and p.id in a.params.values and a.params[p.id] == edays]
        reds = []
        used: dict[str, int] = {}
        for p in linked:
            text = own(a.document, p.clause)
            q = normalize(p.quote)
            q0 = text.find(q, used.get(q, 0))  # two parameters with the same words: each its own place
            if q0 < 0:
                continue
            used[q] = q0 + 1
            nm = re.search(rf"[a-z-]+ \({edays}\)", q)
            if not nm:
                continue
            reds.append(replace_redline(p.clause, text, q0 + nm.start(), q0 + nm.end(),
                                        f"{num2words(new_days)} ({new_days})"))
        example, figs = _window_example(a, ob, link, contested)
        out.append(finding(
            "review-window", ob.id, (ob.clause,),
            f"{ob.clause}: {edays} days from the start to effectiveness leaves "
            + (f"as little as {window} days for the SEC" if window > 0 else
               "the SEC no time at all" + (f" (effectiveness can fall due {-window} days before the filing deadline)"
                                            if window < 0 else ""))
            + f", where an SEC review, if there is one, takes at least {lo}",
            f"The Company may file on day {fdays} and the statement must be effective by day {edays}, so the SEC has "
            + (f"{window} days" if window > 0 else "no time") + f" where a review takes {lo} days or more. Unless the "
            "SEC declines to review, the deadline will be missed and "
            + ("payments follow if a shortfall counts under the measure (contested, see the entry on whether any "
               "shortfall counts)" if contested and "payments" in figs else "the payment follows")
            + ": the period works as a price, not a deadline.",
            Memo(Severity.HIGH, Area.DEADLINES, Favours.INVESTORS,
                 [quote(fdl.clause, fdl.quote), quote(edl.clause, edl.quote)], reds, example,
                 (f.id, f"z3.core.{ob.clause}.*"), figs, certainty=Certainty.ORDINARY,
                 per_month=int(figs.pop("per month", "0")),
                 open_points=(f"the redline's {new_days} days instead of {edays} is a proposal: the Company gains time "
                              "and the Investors wait longer for a statement they can sell under, so the number is for "
                              "the parties to agree",) if reds else ()),
            window_days=window, review_min_days=lo, proposed_days=new_days))
    return out


def _window_example(a: Agreement, ob: Obligation, link: Obligation, contested: bool = False
                    ) -> tuple[str | None, dict[str, str]]:
    """The events the chain hangs on all happen on one day; the Company files on the last permitted day and the
    SEC takes 61 days. `contested`: the payments rest on the any-shortfall reading of the measure, so the example
    says what the other readings give."""
    rec = _records(a)
    events = [t.anchor for dl_id in (link.deadline, ob.deadline) for t in a.model.deadline(dl_id or "").terms if t.anchor]
    events += [e for e in (ob.trigger, link.trigger) if e]
    events = list(dict.fromkeys(e for e in events if rec.get(e) and "[]" not in (rec.get(e) or "")))
    done = {link.performs, ob.performs}  # dated below, where the example says when they happen
    late = late_effectiveness(a, late_days=-20)
    base_fields = set(late.data())
    on_base = any(rec[e] in base_fields for e in events)
    when = business_day(first_of_month(month_later(late.pfed or late.filed, 2 if on_base else 10)))
    data: dict[str, Any] = {"as_of": month_later(when, 9)} if on_base else late.data(as_of=month_later(when, 6))
    for e in events:
        data[rec[e] or ""] = when
    ev = evaluator.evaluate(scenario(a, data), a)
    dues = {d.id: d.due for d in ev.deadlines}
    fdue, edue = dues.get(link.deadline or ""), dues.get(ob.deadline or "")
    if fdue is None or edue is None or not rec.get(link.performs or "") or not rec.get(ob.performs or ""):
        return None, {}
    fdue = business_day(fdue, back=True)
    eff = business_day(fdue + timedelta(days=61))
    data[rec[link.performs or ""] or ""] = fdue
    data[rec[ob.performs or ""] or ""] = eff
    pay_from = next((d.due for d in ev.deadlines if d.id != ob.deadline and any(
        dl.id == d.id and dl.bounds == ob.performs for dl in a.model.deadlines)), None)
    figs: dict[str, str] = {}
    names = on_days([(a.model.event(e).name, when) for e in events if e not in done])
    s = ((f"The statement is effective on {day(late.effective)}. " if not on_base else "") + names
         + f"{' ' if names else ''}The Company files on {day(fdue)}, the last business day it may, and the SEC reviews the statement and "
         f"declares it effective on {day(eff)} ({(eff - fdue).days} days later): the deadline was {day(edue)}, "
         f"{(eff - edue).days} days earlier.")
    if pay_from is not None and pay_from < eff and not on_base:
        base = {"as_of": eff, "prior_financing_effective": late.pfed, "filed": late.filed, "effective": late.effective}
        amt = pay(a, {**base, "sales_blocked": [{"start": pay_from, "end": eff - timedelta(days=1)}]})
        figs["payments"] = money(amt)
        figs["per month"] = str(round(monthly(a, amt, pay_from, eff)))
        counted = (f"payments are counted from {day(pay_from)}, when the period {ob.clause} allows before payments "
                   f"ends: {money(amt)} per $1,000,000")
        if not contested:
            s += f" {counted[0].upper()}{counted[1:]}."
        else:
            first = pay(a, {**base, "sales_blocked": [{"start": when, "end": eff - timedelta(days=1)}]})
            figs["counted from the first day"], figs["total stop"] = money(first), "$0"
            s += (f" If any shortfall counts, {counted}, or {money(first)} counted from its first day (see the entry "
                  "on the grace before payments); if only a total stop counts: $0.")
    return s, figs


# ------------------------------------------------------------------- one event, two deadlines

@detector("deadlines-differ")
def deadlines_differ(a: Agreement) -> list[Any]:
    """Two clauses bound the same event with different deadlines (the Z3 conflict check), with the dates where
    they differ and the case where one has no deadline at all."""
    out = []
    for f in _z3(a, "conflict"):
        ev = f.evidence
        dls = list((ev.get("deadlines") or {}).values())
        if len(dls) != 2:
            continue
        d1, d2 = dls
        dl1, dl2 = a.model.deadline(d1), a.model.deadline(d2)
        # the looser deadline (fewer terms) is rewritten to the stricter one
        strict, loose = (dl1, dl2) if len(dl1.terms) >= len(dl2.terms) else (dl2, dl1)
        quotes = [quote(strict.clause, strict.quote), quote(loose.clause, loose.quote)]
        alike = [d for d in a.model.deadlines if d.id not in (d1, d2) and a.model.usable(d.id) and d.bounds != strict.bounds
                 and len(d.terms) == len(loose.terms) and all(
                     x.anchor == y.anchor and x.fixed == y.fixed and x.offset and y.offset and a.params[x.offset] ==
                     a.params[y.offset] for x, y in zip(d.terms, loose.terms, strict=True))]
        for d in alike:
            quotes.append(quote(d.clause, d.quote))
        ranges = ev.get("ranges", [])
        without = [r for r in ranges if "without" in r]
        example, figs = _differ_example(a, strict, loose)
        # the payment turns on the redline only when it rewrites a deadline the measure counts from; rewriting the
        # other clause's deadline settles when the Company is in breach of it, while the measure pays the same
        measure = a.model.measure
        monthly_pay = int(figs.pop("per month", "0"))
        stake = monthly_pay if loose.id in (measure.filing_deadline, measure.effectiveness_deadline) else 0
        text = own(a.document, loose.clause)
        lq = normalize(loose.quote)
        sq = normalize(strict.quote)
        reds: list[Redline] = []
        # the looser deadline's own number of days (every word of it: "one hundred twenty (120)") to its end
        ln = next((p for p in scan(lq) if re.match(r" days? (?:from|after) ", lq[p.end:])), None)
        sm = re.search(r"(?P<e>the (?:earlier|later) of .+)$", sq)
        if ln and sm and text.find(lq) >= 0:
            from rra.solver.provisions_money import deadline_term

            l0 = text.find(lq) + ln.start
            fixed = [t for t in strict.terms if t.fixed]
            own_term = [t for t in loose.terms if t.anchor]
            terms = [{"anchor": t.anchor, "offset": t.offset, "fixed": None, "before": t.before} for t in own_term] + \
                    [{"anchor": None, "offset": None, "fixed": t.fixed, "before": False} for t in fixed]
            meaning: dict[str, dict[str, Any] | None] = {loose.id: {"terms": terms, "combine": strict.combine}, "*": {}}
            # the defined term for the stricter deadline when the measure's clause (or its redline) names it: the
            # looser deadline then reads the stricter one's terms, and its own number is no longer in its words
            term = deadline_term(a) if strict.id == a.model.measure.effectiveness_deadline else None
            new = f"the {term} (as defined in Section {strict.clause})" if term else sm.group("e")
            if term:
                meaning[loose.id] = {"terms": [{"anchor": t.anchor, "offset": t.offset, "fixed": t.fixed,
                                                "before": t.before} for t in strict.terms], "combine": strict.combine}
                for t in own_term:
                    if t.offset:
                        meaning[t.offset] = {"in_text": False}
            reds.append(replace_redline(loose.clause, text, l0, text.find(lq) + len(lq), new, meaning=meaning))
        absorbs = (f.id, "text.inconsistent-period.*",
                   *[f"proof.{s.id}" for s in a.invariants if d1 in s.args and d2 in s.args])
        extra = ""
        if without:
            extra = (f" If the {a.model.event(without[0]['without']).name} never happens, {loose.clause} sets no "
                     f"deadline at all while {strict.clause}'s still runs.")
        one = strict.clause == loose.clause  # two deadlines of one clause (a markup that changed one of them)
        stricter = "one" if one else f"{strict.clause}'s"
        out.append(finding(
            "deadlines-differ", f"{strict.clause}~{loose.clause}", (strict.clause, loose.clause, *[d.clause for d in alike]),
            (f"{strict.clause} sets two different deadlines for the same event" if one else
             f"{strict.clause} and {loose.clause} set different deadlines for the same event")
            + (f": {stricter} has an outside date the other lacks" if len(strict.terms) > len(loose.terms) else ""),
            (f"The Company can be on time under one of {strict.clause}'s deadlines and late under the other; an Investor "
             "seeking an injunction must rely on the looser date." if one else
             f"The Company can be on time under {loose.clause} and paying under {strict.clause}; an Investor seeking an "
             f"injunction must rely on {loose.clause}'s looser date.") + extra,
            Memo(Severity.MEDIUM, Area.DEADLINES, Favours.COMPANY, quotes, reds, example, absorbs, figs,
                 certainty=Certainty.ORDINARY, per_month=stake),
            deadlines=[strict.id, loose.id], z3=f.id))
    return out


def _differ_example(a: Agreement, strict: Deadline, loose: Deadline) -> tuple[str | None, dict[str, str]]:
    signed = a.params["agreement.date"]
    lo, _ = review_days()
    for k in range(60, 900, 7):
        pfed = signed + timedelta(days=k)
        dues = _dues(a, [strict.id, loose.id, a.model.measure.filing_deadline], pfed)
        if len(dues) < 3 or (dues[loose.id] - dues[strict.id]).days < 30:
            continue
        pfed = business_day(pfed)
        filed = business_day(dues[a.model.measure.filing_deadline], back=True)
        eff = business_day(dues[strict.id] + timedelta(days=31))
        if eff >= dues[loose.id] or (eff - filed).days < lo:
            continue
        data = {"as_of": eff, "prior_financing_effective": pfed, "filed": filed, "effective": eff}
        amt = pay(a, data)
        return (f"Prior Financing Effective Date {day(pfed)}: {strict.clause} requires effectiveness by "
                f"{day(dues[strict.id])}, {loose.clause} by {day(dues[loose.id])}. The Company files on {day(filed)} and "
                f"the statement is effective on {day(eff)}: on time under {loose.clause}, yet {money(amt)} per "
                f"$1,000,000 under {strict.clause}" + reading_note(a, data, amt) + "."), {
            "paid while on time": money(amt), "per month": str(round(monthly(a, amt, dues[strict.id], eff)))}
    return None, {}


# ------------------------------------------------------------------- linked clocks started by different events

_ANCHOR = re.compile(r"\b(?:within|in any event within) [a-z-]+ \(\d+\) (?:business |calendar |trading )?days (?P<prep>after|"
                     r"following) (?P<p>.+)")


def _anchor_phrase(text: str) -> str:
    """The anchor words up to the end of the phrase: a comma, semicolon or full stop outside parentheses; a
    parenthesis that closes the phrase is commentary and left out."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                close = text.find(")", i)
                if close > 0 and (close + 1 >= len(text) or text[close + 1] in ".,;"):
                    return text[:i].strip()
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ",;." and depth == 0:
            return text[:i].strip()
    return text.strip()


@detector("linked-anchors")
def linked_anchors(a: Agreement) -> list[Any]:
    """The deadlines of one chain of duties (file, become effective, pay) count from differently worded events."""
    out = []
    for ob in a.model.obligations:
        link = _filing_link(a, ob)
        if link is None or ob.deadline is None or link.deadline is None or ob.clause != link.clause:
            continue
        chain = [a.model.deadline(link.deadline), a.model.deadline(ob.deadline)]
        chain += [d for d in a.model.deadlines if d.bounds == ob.performs and d.clause == ob.clause
                  and d.id not in (link.deadline, ob.deadline) and a.model.usable(d.id)]
        text = own(a.document, ob.clause)
        phrases = []
        for d in chain:
            q0 = text.find(normalize(d.quote))
            if q0 < 0:
                continue
            m = _ANCHOR.search(text, q0)
            if m is None or m.start() > q0 + len(normalize(d.quote)):
                continue
            ph = _anchor_phrase(m.group("p"))
            phrases.append((d, m.start("p"), ph))
        # "the date on which X" starts a clock when "X" does
        distinct = list(dict.fromkeys(re.sub(r"^the (?:date|day|time) (?:on which|when) ", "", p) for _, _, p in phrases))
        if len(distinct) < 2:
            continue
        canon = next((p for d, _, p in phrases if d.id == ob.deadline), distinct[0])
        reds = []
        meaning: dict[str, dict[str, Any] | None] = {"*": {}}
        eff_dl = a.model.deadline(ob.deadline)
        eff_anchor = next((t.anchor for t in eff_dl.terms if t.anchor), None)
        for d, at, ph in phrases:
            if ph == canon:
                continue
            common = 0
            while common < min(len(ph), len(canon)) and ph[common] == canon[common]:
                common += 1
            common = ph.rfind(" ", 0, common) + 1 if common < len(ph) else common
            if common > 0:
                start = ph.rfind(" ", 0, max(0, common - 1)) + 1
                old_at, new_words = at + start, canon[start:]
            else:
                old_at, new_words = at, canon
            if any(t.anchor != eff_anchor for t in d.terms if t.anchor):
                meaning[d.id] = {"terms": [{"anchor": eff_anchor if t.anchor else None, "offset": t.offset,
                                            "fixed": t.fixed, "before": t.before} for t in d.terms]}
            reds.append(replace_redline(ob.clause, text, old_at, at + len(ph), new_words, meaning=dict(meaning)))
        example = _anchors_example(a, chain, should=any("should have determined" in ph for _, _, ph in phrases))
        # each start in a few words (a verbatim opening of the anchor), the clocks that share it together
        by_start: dict[str, list[str]] = {}
        for d, _, ph in phrases:
            words = ph.split(" ")
            cut = next((j for j, w in enumerate(words) if w.startswith("(")), len(words))
            short = " ".join(words[:min(cut, 9)]) if len(words) > 10 else ph
            by_start.setdefault(short, []).append(_clock(d.name))
        starts = "; ".join(f"{' and '.join(ns)} from \"{w}\"" for w, ns in by_start.items())
        # clocks grouped under the same opening words may still count from different needs
        unlike = ""
        for d, _, ph in phrases:
            if ph == canon or ph.split(" ")[:9] != canon.split(" ")[:9]:
                continue
            k = 0
            while k < min(len(ph), len(canon)) and ph[k] == canon[k]:
                k += 1
            j = ph.rfind(" the ", 0, k) + 1
            if j > 0:
                unlike = (f" {_clock(d.name)[0].upper() + _clock(d.name)[1:]}, though worded alike, counts from \"{ph[j:]}\", a different need "
                          f"from \"{canon[j:]}\".")
        chosen = next((m.group(0) for m in re.finditer(r"\([^()]*\b(?:Company|Investors?) (?:reasonably )?(?:elects|"
                                                        r"determines|chooses|deems)[^()]*\)", text)), None)
        # the starts a reader sees (clocks worded alike up to the need they name are one start)
        starts_n = len(by_start) if len(by_start) >= 2 else len(distinct)
        out.append(finding(
            "linked-anchors", ob.clause, (ob.clause,),
            f"{ob.clause}: the {len(phrases)} clocks of one duty start at {starts_n} differently described events"
            + ("; two worded alike count from different needs" if unlike and starts_n < len(distinct) else ""),
            f"The clocks of {ob.clause} start at differently worded events: {starts}. Events described differently can "
            "fall on different days, so a later clock can start after an earlier one has run out, and a party can argue "
            "for whichever start suits it." + unlike
            + (" When the need arises is judged on \"" + re.sub(r"^based on ", "", chosen.strip("()"))
               + "\": factors the Company itself chooses." if chosen and "Company" in chosen else ""),
            Memo(Severity.MEDIUM, Area.DEADLINES, Favours.COMPANY,
                 [quote(ob.clause, text[at:at + len(ph)]) for _, at, ph in phrases]
                 + ([quote(ob.clause, chosen)] if chosen else []), reds, example, certainty=Certainty.ORDINARY),
            anchors=distinct))
    return out


def _clock(name: str) -> str:
    """A deadline's name as a clock: "Additional Registration Statement filing deadline" -> "the filing clock"."""
    n = name.lower()
    n = re.sub(r"^additional registration statement |^the ", "", n)
    for word, say in (("filing", "the filing clock"), ("effective", "the effectiveness clock"),
                      ("payment", "the payment clock")):
        if word in n:
            return say
    return "the " + n


def _anchors_example(a: Agreement, chain: list[Deadline], should: bool = False) -> str | None:
    """Two starts on different days and the clocks they set; with `should` (a start at the date the Company
    "reasonably should have determined" the need), the Investors' answer that the later start is the earlier."""
    rec = _records(a)
    anchors = [t.anchor for d in chain for t in d.terms if t.anchor]
    if len(set(anchors)) < 2:
        return None
    late = late_effectiveness(a, late_days=-20)
    first = first_of_month(month_later(late.effective, 9))
    later = first + timedelta(days=19)
    data: dict[str, Any] = late.data(as_of=month_later(first, 6))
    order = list(dict.fromkeys(anchors))
    for i, e in enumerate(order):
        if rec.get(e):
            data[rec[e] or ""] = first if i == 0 else later
    res = evaluator.evaluate(scenario(a, data), a)
    dues = {d.id: d.due for d in res.deadlines}
    names = [a.model.event(e).name for e in order]
    parts = [f"{_clock(d.name)} runs out on {day(dues[d.id])}" for d in chain if d.id in dues]
    first_due = dues.get(chain[0].id)
    return (on_days([(names[0], first), (names[1], later)]) + " Then " + ", ".join(parts)
            + (f": {_clock(chain[0].name)} has run out ({day(first_due)}) before the date the other clocks start from "
               f"({day(later)})." if first_due and first_due < later else ".")
            + (f" The Investors can answer that the Company reasonably should have determined the need on {day(first)}, "
               "which would start the other clocks that day too; the words leave it to argument." if should else ""))


# ------------------------------------------------------------------- blackouts without an end

@detector("blackout-end")
def blackout_end(a: Agreement) -> list[Any]:
    """An Investor's duty to stop selling until it receives a document that, for some of the events that start it,
    no clause obliges anyone to send; and a blackout that can outlast the cap on the payment's exclusion while the
    measure does not count it."""
    doc = a.document
    out = []
    for clause, m in search(doc, r"discontinue disposition[^.]*? until (?P<until>[^.]*?)(?= and, if|\.|;)"):
        until = m.group("until")
        refs = list(re.finditer(r"(?:Sections? )?(?P<c>\d+\([a-z]\))", until))
        if not refs:
            continue
        missing = []
        noun = ""
        prev = 0
        for r in refs:
            seg = until[prev:r.start()]
            nm = re.findall(r"\b(prospectus|supplement\w*|amend\w*|notice)\b", seg)
            if nm:
                noun = "notice" if nm[-1] == "notice" else "prospectus"
            prev = r.end()
            ctext = own(doc, r.group("c"))
            need = r"\bnotif|\bnotice\b" if noun == "notice" else r"\bsupplement|\bamend"
            if ctext and not re.search(need, ctext):
                missing.append(r.group("c"))
        text = own(doc, clause)
        mclause = a.model.measure.clause
        counted = re.search(rf"Section {re.escape(clause)}(?![\w(])", own(doc, mclause)) is not None
        outlasts = False
        if not counted:
            from rra.solver.invariants import check

            spec = next((s for s in a.invariants if s.kind == "blackout"), None)
            if spec is not None:
                outlasts = check(a, spec).status == "refuted"
        if not missing and not outlasts:
            continue
        quotes = [quote(clause, "until " + until)]
        for c in missing:
            gm = re.search(r"to notify each [^.]*", own(doc, c))
            if gm:
                quotes.append(quote(c, gm.group(0)))
        cap_c = next((c.clause for c in a.model.carve_outs if a.model.usable(c.id) and "allowed_delay.max_consecutive"
                      in c.reads), None)
        reds: list[Redline] = []
        if missing:
            last = refs[-1]
            good = [r.group("c") for r in refs if r.group("c") not in missing]
            if good and len(missing) == 1 and last.group("c") == missing[0]:
                u0 = text.find(until)
                seg_start = u0 + refs[0].start()
                new = (f"Section {', '.join(good)} or of the Company's notice under Section {missing[0]} that the matter "
                       "giving rise to such notice has been resolved")
                reds.append(replace_redline(clause, text, seg_start, u0 + last.end(), new))
        if outlasts:
            mt = own(doc, mclause)
            wl = mt.find("(including, without limitation, ")
            if wl >= 0:
                reds.append(insert_redline(mclause, mt, wl + len("(including, without limitation, "),
                                           f"any period during which Investors are required by Section {clause} to "
                                           "discontinue dispositions, and "))
        example, figs = _blackout_example(a)
        expl = []
        if missing:
            expl.append(f"{', '.join(missing)} requires no supplemented or amended prospectus, so after such an event an "
                        f"Investor bound by {clause} must stay out of the market until it receives a document no one has "
                        "to send.")
        if outlasts:
            expl.append(f"The blackout has no outside date, while the cap in {cap_c or 'the Allowed Delay clause'} limits "
                        "only what the payment excludes; the Company can argue that sales can be made once the event "
                        "is over, so the payment does not count the contractual blackout.")
        out.append(finding(
            "blackout-end", clause, (clause, *missing, *([cap_c] if cap_c else []), *([mclause] if outlasts else [])),
            f"{clause}: the Investors' blackout has no end" + (f" after a {', '.join(missing)} event" if missing else "")
            + (" and can outlast the Allowed Delay cap" if outlasts else ""),
            " ".join(expl),
            Memo(Severity.MEDIUM, Area.DEADLINES, Favours.COMPANY, quotes, reds, example,
                 tuple(f"proof.{s.id}" for s in a.invariants if s.kind == "blackout"), figs,
                 certainty=Certainty.CONTINGENT, per_month=int(figs.pop("per month", "0"))),
            missing=missing, outlasts=outlasts))
    return out


def _blackout_example(a: Agreement) -> tuple[str | None, dict[str, str]]:
    late = late_effectiveness(a, late_days=-20)
    stop = business_day(first_of_month(month_later(late.effective, 5)) + timedelta(days=2))
    lifted = business_day(stop + timedelta(days=21))
    back = business_day(month_later(lifted, 1))
    amt = pay(a, {"as_of": back, "prior_financing_effective": late.pfed, "filed": late.filed,
                  "effective": late.effective, "sales_blocked": [{"start": lifted, "end": back - timedelta(days=1)}]})
    return (f"A stop order is issued on {day(stop)} and withdrawn on {day(lifted)}; no supplemented or amended "
            f"prospectus is required, and the Company sends one only on {day(back)}, so the Investors stay out of the "
            f"market until then: a month's blackout after the stop order ended, {money(amt)} per $1,000,000 that the "
            "payment arguably does not count."), {"blackout": money(amt),
                                                  "per month": str(round(monthly(a, amt, lifted, back)))}


# ------------------------------------------------------------------- notices without an effective time

_METHODS = {
    "certified mail": r"certified (?:or registered )?mail",
    "registered mail": r"(?:certified or )?registered mail",
    "personal delivery": r"delivered personally|personal delivery|by hand",
    "courier": r"courier|overnight delivery service",
    "facsimile": r"facsimile|telecopier|fax\b",
    "regular mail": r"regular (?:United States )?mail|first[- ]class mail",
    "e-mail": r"e-?mail\b",
}


def _ways(names: list[str]) -> str:
    """Ways of giving notice joined as a lawyer writes them: "certified or registered mail", "courier or facsimile"."""
    if len(names) > 1 and len({n.split(" ")[-1] for n in names}) == 1 and all(" " in n for n in names):
        last = names[0].split(" ")[-1]
        return " or ".join(n.rsplit(" ", 1)[0] for n in names) + " " + last
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _methods(words: str) -> set[str]:
    return {name for name, rx in _METHODS.items() if re.search(rx, words, re.IGNORECASE)}


@detector("notice-methods")
def notice_methods(a: Agreement) -> list[Any]:
    """Permitted ways to give notice without a rule for when they take effect (or a rule for a way not permitted);
    and addresses given only by reference to another document with no way to change them."""
    doc = a.document
    out = []
    for clause, m in search(doc, r"notices? [^.]{0,80}?shall be (?:sent|given|delivered) (?P<how>.+?) and shall be "
                                 r"effective (?P<rules>.+?)(?:, in each case|\.)"):
        permitted = _methods(m.group("how"))
        rules = m.group("rules")
        ruled: set[str] = set()
        for part in re.split(r"\bor upon\b|;", rules):
            ruled |= _methods(part)
        if re.search(r"however (?:given|sent|delivered)|by whatever means|in any (?:such )?manner|whichever", rules):
            ruled |= permitted  # one rule for every way
        no_rule = sorted(permitted - ruled)
        not_allowed = sorted(ruled - permitted)
        text = own(doc, clause)
        addr = re.search(r"If to an? [A-Z]\w+: to the address set forth [^.]*?(?:to|of) the [A-Z][\w ]+?Agreement\.", text)
        if addr and re.search(r"such other address|designate by notice|change (?:its|of) address", text):
            addr = None
        if not no_rule and not not_allowed and not addr:
            continue
        quotes = [quote(clause, "shall be sent " + m.group("how") if m.group("how").startswith("by") else m.group("how")),
                  quote(clause, "shall be effective " + rules)]
        if addr:
            quotes.append(quote(clause, addr.group(0)))
        runs = [(c, mm.group(0)) for c, mm in search(doc, r"within [a-z]+ \(\d+\) days after the effective date of such "
                                                       r"notice")]
        quotes += [quote(c, w) for c, w in runs[:1]]
        reds = []
        bad = re.search(r"if mailed by regular (?:United States )?mail", rules)
        if bad and no_rule:
            r0 = text.find(bad.group(0))
            mail = [x for x in no_rule if x.endswith("mail")]
            if mail and r0 >= 0:
                reds.append(replace_redline(clause, text, r0, r0 + len(bad.group(0)),
                                            "if sent by " + " or ".join(x.replace(" mail", "") for x in mail) + " mail",
                                            meaning={"*": {}}))
        if addr:
            a0 = text.find(addr.group(0))
            reds.append(insert_redline(clause, text, a0 + len(addr.group(0)) - 1,
                                       ", or such other address or facsimile number as a party may designate by notice "
                                       f"given under this Section {clause}"))
        example = _notice_example(a, runs)
        expl = []
        if no_rule:
            expl.append(f"Notices may be sent by {_ways(no_rule)}, but no rule says when such a notice takes effect"
                        + (f", while a rule is given for {', '.join(not_allowed)}, which is not a permitted way" if
                           not_allowed else "") + ": periods that run from a notice cannot be computed.")
        if addr:
            expl.append("The Investors' addresses are only in another agreement, and nothing lets a party change its "
                        "address.")
        out.append(finding(
            "notice-methods", clause, (clause, *[c for c, _ in runs[:1]]),
            f"{clause}: " + (f"no effective time for notices by {_ways(no_rule)}" if no_rule else "notice rules")
            + ("; addresses only by reference to another agreement" if addr else ""),
            " ".join(expl),
            Memo(Severity.MEDIUM, Area.DEADLINES, Favours.NEITHER, quotes, reds, example, certainty=Certainty.ORDINARY),
            no_rule=no_rule, not_allowed=not_allowed))
    return out


def _notice_example(a: Agreement, runs: list[tuple[str, str]]) -> str | None:
    if not runs:
        return None
    clause, words = runs[0]
    n = int(re.search(r"\((\d+)\)", words).group(1))  # type: ignore[union-attr]
    signed: date = a.params["agreement.date"]
    d = date(signed.year + 1, 2, 1)
    while d.weekday() != 0:
        d += timedelta(days=1)
    arrive = d + timedelta(days=4)
    mail_days = 5
    return (f"The Company sends a notice by certified mail on {day(d)}; it arrives on {day(arrive)}. The {n} days of "
            f"{clause} end on {day(d + timedelta(days=n))} counted from mailing, {day(arrive + timedelta(days=n))} from "
            f"receipt, or {day(d + timedelta(days=mail_days + n))} by analogy to the rule for regular mail: a request "
            f"made on {day(d + timedelta(days=n + 3))} is in time on two readings only.")


# ------------------------------------------------------------------- requests without lead time

@detector("request-lead-time")
def request_lead_time(a: Agreement) -> list[Any]:
    """A party may demand a delivery "on the date of" an event, with no time between the request and that date."""
    out = []
    for clause, m in search(a.document, r"(?:At|Upon|On) the (?:written )?request of (?P<who>any [A-Z]\w+|the [A-Z][\w ]+?), "
                                        r"the Company shall (?:cause to be )?(?P<verb>furnish|deliver|provide|furnished|"
                                        r"delivered)(?P<rest>,? (?:on|as of) the (?:date|day) [^.;]{0,300})"):
        if re.search(r"made at least|prior to|before", m.group(0)[:m.start("verb") - m.start()]):
            continue
        text = own(a.document, clause)
        third = re.search(r"(?:letter|opinion|comfort)[^.;]{0,80}?from (?:the Company's )?(?:independent )?(?:certified "
                          r"public )?accountants", text)
        words = m.group(0)
        cut = re.search(r"on the date of effectiveness thereof|on the date of [a-z ]+", words)
        quotes = [quote(clause, words[:cut.end()] if cut else words)]
        if third:
            quotes.append(quote(clause, third.group(0)))
        late = late_effectiveness(a, late_days=31)
        ask = business_day(late.effective - timedelta(days=1), back=True)
        needed = "the accountants' letter" if third else "the deliveries"
        example = (f"The statement is declared effective on {day(late.effective)}; an Investor asks for the documents on "
                   f"{day(ask)}, the business day before: the Company has one business day to obtain {needed}, and a request "
                   f"made on or after {day(late.effective)} cannot be met at all.")
        lead = m.group(0)[:m.end("who") - m.start()]
        red = replace_redline(clause, text, m.start(), m.start() + len(lead),
                              lead + " made at least ten (10) business days before the relevant date", meaning={"*": {}})
        out.append(finding(
            "request-lead-time", clause, (clause,),
            f"{clause}: {m.group('who')} may demand the deliveries \"on the date\" of the event, with no lead time",
            "A request made on or after the date cannot be met, and one made the day before cannot realistically be met "
            "either when the deliveries depend on third parties such as the accountants. One Investor can impose this, at "
            "the Company's cost, for every statement.",
            Memo(Severity.MEDIUM, Area.DEADLINES, Favours.INVESTORS, quotes, [red], example, certainty=Certainty.ORDINARY)))
    return out
