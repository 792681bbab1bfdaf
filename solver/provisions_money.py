"""Provisions review, money: the liquidated-damages measure, who it pays, on what base, from when, for how long,
in what, and what it is called (rra.solver.provisions)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from rra.solver import evaluator
from rra.solver.memo import Area, Certainty, Favours, Redline, Severity
from rra.solver.months import months_between
from rra.solver.provisions import (
    PER,
    RULE_144K_YEARS,
    Memo,
    Withheld,
    act_day,
    business_day,
    day,
    deadlines,
    detector,
    finding,
    first_of_month,
    insert_redline,
    late_effectiveness,
    leaves,
    money,
    month_later,
    monthly,
    on_days,
    own,
    pay,
    quote,
    reading_note,
    realistic,
    replace_redline,
    review_days,
    scenario,
    search,
    sentence,
    trading_day,
)
from rra.solver.review import words_value
from rra.spec.agreement import Agreement
from rra.spec.elements import Condition, Obligation
from rra.spec.process import PREREQUISITES, SALES_NEED
from rra.spec.terms import definitions
from rra.spec.text import normalize

from rra.output import listed

NUM = r"(?:[a-z]+(?:[\s-][a-z]+)*\s*\(\d+\)|\d+)"


def measure_clause(a: Agreement) -> str:
    """The clause of the payment measure (as the text has it)."""
    return a.model.measure.clause


def _number(words: str) -> int | None:
    fig = re.search(r"\((\d+)\)", words)
    if fig:
        return int(fig.group(1))
    v = words_value(words.strip())
    return int(v) if v is not None else None


def _offset_days(a: Agreement, deadline_id: str) -> int | None:
    for t in a.model.deadline(deadline_id).terms:
        if t.offset:
            return int(a.params[t.offset])
    return None


# ------------------------------------------------------------------------------------- the worked example

# a worked example: effectiveness some months after a start, and the amount paid per amount of principal
_EXAMPLE = re.compile(
    r"(?:becomes|is|be|shall be|were) (?:declared )?effective (?P<k>[\w\s()-]+?) months? (?:after|following|from) "
    r"(?P<anchor>[^,]+?), the Company (?:would|shall|will|must) (?:pay|owe) \$(?P<amt>[\d,]+) (?:for|per|in respect of) "
    r"(?:each |every )?\$(?P<base>[\d,]+)")
# the start of a period described by its length ("the end of such thirty-day period", "the expiry of the 30 day period")
_SUCH_PERIOD = re.compile(rf"(?:the )?(?:end|expiration|expiry|lapse|close|last day) of (?:such|said|the|that)\s+"
                          rf"(?:aforementioned\s+|aforesaid\s+|above\s+)?(?P<n>{NUM}|[a-z]+(?: \(\d+\))?)[\s-]+day period"
                          rf"(?: (?:referred to|mentioned|described) above)?")


@detector("example-anchor")
def example_anchor(a: Agreement) -> list[Any]:
    """The worked example of the measure counts late effectiveness from another start than the operative words."""
    clause = measure_clause(a)
    text = own(a.document, clause)
    m = _EXAMPLE.search(text)
    if not m:
        return []
    measure = a.model.payment_measure()
    eff_dl = measure.effectiveness_deadline
    eff_days = _offset_days(a, eff_dl)
    anchor = m.group("anchor")
    sp = _SUCH_PERIOD.search(anchor)
    if not sp:
        return []  # the example names its start some other way (the deadline itself): nothing to compare
    n = _number(sp.group("n"))
    if n is None or eff_days is None or n == eff_days:
        return []
    # "such" points back to the period before the Filing Date when that period has n days; a period of n days
    # elsewhere (a later clause, another registration) is not what the example's words refer to
    filing_dl = a.model.deadline(measure.filing_deadline)
    filing_days = _offset_days(a, measure.filing_deadline)
    filing = filing_dl if filing_days == n else None
    k0, k1 = sentence(text, m.start())
    ex_words = text[k0:k1].lstrip("(").strip()
    opm = re.search(r"the number of months \(prorated for partial months\) after (?P<s>.+?) and prior to", text)
    quotes = [quote(clause, opm.group(0)[:-len(" and prior to")] if opm else a.model.measure.components[0].quote),
              quote(clause, ex_words)]
    quotes.append(quote(filing_dl.clause, filing_dl.quote))
    late = late_effectiveness(a, late_days=31)
    data = late.data()
    text_amt = pay(a, data, "text")
    ex_amt = pay(a, data, "example") if "example" in evaluator.reading_names(a) else None
    assert late.pfed is not None
    at_stake = monthly(a, (ex_amt or 0) - text_amt, late.deadline, late.effective)
    example = (f"Prior Financing Effective Date {day(late.pfed)}, so the Filing Date is {day(late.filing_date)} and "
               f"effectiveness is due by {day(late.deadline)}. The Company files on {day(late.filed)}; after review the "
               f"SEC declares the statement effective on {day(late.effective)} "
               f"({(late.effective - late.filed).days} days after filing). The operative words count from "
               f"{day(late.deadline)}: {money(text_amt)}" + (
                   f"; the example counts from {day(late.filing_date)}: {money(ex_amt)} per $1,000,000."
                   if ex_amt is not None else " per $1,000,000."))
    such = sp.group(0).removeprefix("the end of ")
    anchor_name = next((a.model.event(t.anchor).name for t in filing_dl.terms if t.anchor), "")
    # the window ends on the Filing Date only while its own end is the earlier of the Filing Date's terms
    fixed = [a.params[t.fixed] for t in filing_dl.terms if t.fixed]
    until = (f" (the Filing Date when the {anchor_name} is on or before {day(min(fixed) - timedelta(days=n))})"
             if filing_dl.combine == "earliest" and fixed and anchor_name else "")
    if filing is not None:
        where = (f"The example's \"{such}\" can only be {filing.clause}'s {n}-day filing window, so the example charges "
                 f"from the end of that window{until}")
    else:
        where = (f"The example's \"{such}\" matches no period stated before it: the Filing Date comes "
                 + (f"{filing_days} days" if filing_days is not None else "at another time")
                 + f" after the {anchor_name or 'start'} ({filing_dl.clause}). Read as the period that ends on the Filing "
                   "Date, the example charges from the Filing Date")
    old = sp.group(0)
    a0 = text.find(old, m.start())
    meaning: dict[str, dict[str, Any] | None] = {}
    ex_param = measure.example[3] if len(measure.example) > 3 else ""
    if ex_param:
        meaning[ex_param] = {"in_text": False, "value": eff_days}
    dflt = measure.default_reading
    for r in measure.readings:
        if r.counts_from:
            meaning[r.id] = {"counts_from": None, "late_filing_from": dflt.late_filing_from,
                             "late_effectiveness_from": dflt.late_effectiveness_from}
    term = deadline_term(a)
    red = replace_redline(clause, text, a0, a0 + len(old), f"the {term}" if term else "the last day on which it was "
                          "required to be declared effective", meaning=meaning)
    absorbs = ("z3.example.anchor", f"text.no-antecedent.{clause}.*", "z3.reading.text.example",
               "z3.reading.ninety-day-literal.example")
    return [finding(
        "example-anchor", clause, (clause, filing_dl.clause),
        f"{clause}: the worked example charges late effectiveness from the end of a {n}-day period; the operative "
        f"words charge it from the {eff_days}-day effectiveness deadline",
        f"{where} and includes the SEC review time the Company was allowed; the operative words of the measure start "
        f"at the end of the {eff_days}-day period (the effectiveness deadline, on a reading the entry on it weighs)."
        + (f" Whenever effectiveness is late the two starts are the {eff_days - filing_days} days apart that separate "
           f"the ends of the two periods, both counted from the {anchor_name}." if filing is not None and filing_days
           is not None and anchor_name else " Whenever effectiveness is late the two starts are the days between the "
           f"Filing Date and the end of the {eff_days}-day period apart."),
        Memo(Severity.HIGH, Area.MONEY, Favours.NEITHER, quotes, [red], example, absorbs,
             {"text": money(text_amt), **({"example": money(ex_amt)} if ex_amt is not None else {})},
             certainty=Certainty.ORDINARY, per_month=at_stake,
             favours_note="the Company on the operative words, the Investors on the worked example"),
        anchor_days=n, effectiveness_days=eff_days)]


def rate_sentence(a: Agreement, clause: str, text: str) -> tuple[int, int] | None:
    """Where the sentence that states the measure's rate lies in the clause's text (the rate parameter's words run on
    into the next sentence's "(For"), or None when the rate is stated elsewhere."""
    rate = next((q for q in a.parameters() if q.id == a.model.measure.rate), None)
    at = text.find(normalize(rate.quote)) if rate is not None and rate.clause == clause and rate.quote else -1
    if at < 0:
        return None
    r0, r1 = sentence(text, at)
    while r0 < r1 and text[r0].isspace():
        r0 += 1
    return r0, r1


def _dollars(x: Fraction) -> str:
    """$3,750 (cents only when there are any)."""
    return f"${int(x):,}" if x.denominator == 1 else f"${float(x):,.2f}"


@detector("example-amount")
def example_amount(a: Agreement) -> list[Any]:
    """The worked example pays another amount than the Applicable Percentage gives for its principal and months."""
    measure = a.model.payment_measure()
    if len(measure.example) < 3:
        return []
    amount_p, principal_p, months_p = measure.example[:3]
    p = a.params
    pct, amount = Fraction(str(p[measure.rate])), Fraction(str(p[amount_p]))
    principal, months = Fraction(str(p[principal_p])), Fraction(str(p[months_p]))
    implied = principal * pct * months
    if implied == amount or not principal or not months:
        return []
    clause = measure_clause(a)
    text = own(a.document, clause)
    m = _EXAMPLE.search(text)
    if not m:
        return []
    # every "$5,000 for each $250,000" of the example (its second month repeats the first's words)
    seg = text[m.start("amt") - 1:m.end("base")]
    count = text.count(seg)
    new_seg = _dollars(implied) + seg[len(m.group("amt")) + 1:]
    k0, k1 = sentence(text, m.start())
    quotes = [quote(clause, text[k0:k1].lstrip("(").strip())]
    rate = rate_sentence(a, clause, text)
    if rate is not None:
        quotes.insert(0, quote(clause, text[rate[0]:rate[1]]))
    ex_rate = amount / (principal * months)
    per_month = abs(ex_rate - pct) * 1_000_000
    higher = ex_rate > pct
    pct_words = f"{float(pct * 100):g}%"
    ex_words = f"{float(ex_rate * 100):g}%"
    red = replace_redline(clause, text, m.start("amt") - 1, m.end("base"), new_seg, count=count) \
        if text.count("$" + m.group("amt")) == count else None
    late = late_effectiveness(a, late_days=31)
    at_rate = pay(a, late.data())
    at_example = pay(a, late.data(), values={measure.rate: float(ex_rate)})
    example = (f"Effectiveness is due by {day(late.deadline)} and comes on {day(late.effective)}: at the defined "
               f"{pct_words} the Company pays {money(at_rate)} per $1,000,000; at the example's {ex_words}, "
               f"{money(at_example)}.")
    return [finding(
        "example-amount", clause, (clause,),
        f"{clause}: the worked example pays {ex_words} a month; the Applicable Percentage is {pct_words}",
        f"The example pays ${m.group('amt')} for each ${m.group('base')} of principal for "
        f"{float(months):g} month{'s' if months != 1 else ''}, which is {ex_words} a month; the Applicable Percentage "
        f"gives {_dollars(implied)}. The {'Investors' if higher else 'Company'} will cite the example as evidence of "
        f"the rate the parties meant, the {'Company' if higher else 'Investors'} the defined percentage: "
        f"{money(per_month)} a month per $1,000,000 turns on which prevails.",
        Memo(Severity.HIGH, Area.MONEY, Favours.NEITHER, quotes, [red] if red else [], example, ("z3.example.amount",),
             {"defined": money(at_rate), "example": money(at_example)},
             certainty=Certainty.ORDINARY, per_month=per_month,
             favours_note=(f"the {'Investors' if higher else 'Company'} on the example, the "
                           f"{'Company' if higher else 'Investors'} on the defined percentage"),
             open_points=(f"the redline conforms the example to the defined {pct_words}; if {ex_words} is the deal, "
                          "the definition is what should change",)),
        example_amount=float(amount), implied=float(implied))]


# ------------------------------------------------------------------- the measure's start against its trigger

# the count of late filing or effectiveness starting at "the Filing Date or the end of the N-day period"
_LITERAL_START = re.compile(
    rf"(?:after|from|following) the (?P<fd>[A-Z][\w ]*?Date) or (?P<start>(?:the )?(?:end|expiration|expiry|lapse|close) of "
    rf"(?:the|such|said|that) (?:aforementioned |aforesaid |above )?(?P<n>{NUM})[\s-]+day period"
    rf"(?: (?:referred to|mentioned|described) (?:above|in [^,;]+?))?)(?= and| prior| before| until|,)")


DEADLINE_TERM = "Effectiveness Deadline"


def _start_clash(a: Agreement) -> tuple[re.Match[str], Any, Any] | None:
    """The measure counts late effectiveness from a period of the trigger's deadline that has an outside date the
    count lacks: (the start's words, the trigger's deadline, its fixed term), or None."""
    clause = measure_clause(a)
    text = own(a.document, clause)
    m = _LITERAL_START.search(text)
    if not m:
        return None
    measure = a.model.payment_measure()
    trig = a.model.deadline(measure.effectiveness_deadline)
    fixed = [t for t in trig.terms if t.fixed]
    if not fixed or trig.combine not in ("earliest", "latest"):
        return None
    return m, trig, fixed[0]


def deadline_term(a: Agreement) -> str | None:
    """The defined term for the measure's effectiveness deadline that the redlines use: one the text defines, or the
    one the measure-start redline defines; None when neither (the redlines then spell the deadline out)."""
    from rra.spec.terms import definitions

    if any(d.term == DEADLINE_TERM for d in definitions(a.document)):
        return DEADLINE_TERM
    try:
        clash = _start_clash(a)
    except Withheld:
        return None
    if clash is None:
        return None
    trig = clash[1]
    return DEADLINE_TERM if normalize(trig.quote) in own(a.document, measure_clause(a)) else None


@detector("measure-start")
def measure_start(a: Agreement) -> list[Any]:
    """The late-effectiveness trigger has an outside date the measure's start lacks."""
    clause = measure_clause(a)
    text = own(a.document, clause)
    clash = _start_clash(a)
    if clash is None:
        return []
    m, trig, fixed0 = clash
    measure = a.model.payment_measure()
    outside: date = a.params[fixed0.fixed or ""]
    n = _number(m.group("n"))
    signed = a.params["agreement.date"]
    # the example: the prior registration statement is never declared effective
    fd, ed = deadlines(a, None, outside + timedelta(days=400))
    lo, hi = review_days()
    filed = business_day(fd, back=True)
    eff = business_day(filed + timedelta(days=hi - 2), back=True)
    if not realistic(filed, eff) or eff <= ed:
        return []
    data = {"as_of": eff, "filed": filed, "effective": eff}
    from_outside = pay(a, data, "text")
    readings = evaluator.reading_names(a)
    from_fd = pay(a, data, "example") if "example" in readings else None
    trig_days = next((int(a.params[t.offset]) for t in trig.terms if t.anchor and t.offset), n)
    latest_pfed = outside - timedelta(days=(trig_days or 0))
    example = (f"The prior registration statement is never declared effective. The Filing Date is {day(fd)}; the "
               f"Company files that day and the SEC declares the statement effective on {day(eff)} "
               f"({(eff - filed).days} days of review). Payments start on {day(outside)} under the trigger, but on the "
               f"literal words of the measure there is no {n}-day period, so nothing is counted: $0; counted from "
               f"{day(outside)}: {money(from_outside)}"
               + (f"; counted from the Filing Date: {money(from_fd)}" if from_fd is not None else "")
               + " per $1,000,000.")
    tq = re.search(re.escape(normalize(trig.quote)), text)
    trig_words = tq.group(0) if tq else trig.quote
    quotes = [quote(clause, trig_words), quote(clause, m.group(0))]
    # redline: name the trigger's deadline and count from it
    reds: list[Redline] = []
    if tq:
        end = tq.end()
        # an anchor that never happens leaves only the fixed date: said, so the label names a date in every case
        fixed = [a.params[t.fixed] for t in trig.terms if t.fixed]
        anchors = [a.model.event(t.anchor).name for t in trig.terms if t.anchor]
        which = "latter" if trig.terms and trig.terms[-1].fixed else "former"
        fallback = (f", or the {which} date if the {anchors[0]} has not then occurred"
                    if trig.combine == "earliest" and len(trig.terms) == 2 and len(fixed) == 1 and len(anchors) == 1
                    else "")
        reds.append(insert_redline(clause, text, end, f' (such {trig.combine.removesuffix("st")}r date{fallback}, the '
                                   f'"{DEADLINE_TERM}")'))
    s0 = m.start("fd") - len("the ")
    new = (f"the {m.group('fd')} (if the Registration Statement is not filed by the {m.group('fd')}) or otherwise after "
           f"the {DEADLINE_TERM}")
    meaning: dict[str, dict[str, Any] | None] = {"*": {}}
    for r in measure.readings:
        if r.late_effectiveness_from and r.late_effectiveness_from != measure.effectiveness_deadline:
            meaning[r.id] = None
            meaning[r.late_effectiveness_from] = None
    reds.append(replace_redline(clause, text, s0, m.end(), new, meaning=meaning))
    return [finding(
        "measure-start", clause, (clause,),
        f"{clause}: late-effectiveness payments can be triggered on {day(outside)} but counted from "
        f"\"{m.group('start')}\", which may come later or never",
        f"The trigger is the earlier of {trig_days} days after the Prior Financing Effective Date and {day(outside)}, but "
        + (f"the measure counts only from the end of the {n}-day period: for a Prior Financing Effective Date after "
           f"{day(latest_pfed)} the trigger fires before the count starts"
           if trig_days == n else
           f"the measure counts only from the end of \"{m.group('start').removeprefix('the end of ')}\", and the trigger "
           f"has no {n}-day period. Read as the trigger's {trig_days}-day period, for a Prior Financing Effective Date "
           f"after {day(latest_pfed)} the trigger fires before the count starts; read literally, the count starts "
           f"{abs((trig_days or 0) - (n or 0))} days {'before' if (n or 0) < (trig_days or 0) else 'after'} the "
           f"{trig_days}-day period ends")
        + ", and if the prior registration statement is never declared effective there is no period at all. The amount "
        "is then nothing, counted from the outside date, or counted from the Filing Date, depending on the reading.",
        Memo(Severity.HIGH, Area.MONEY, Favours.NEITHER, quotes, reds, example, ("z3.reading.text.ninety-day-literal",),
             {"literal": "$0", "from outside date": money(from_outside),
              **({"from filing date": money(from_fd)} if from_fd is not None else {})},
             certainty=Certainty.ORDINARY, per_month=monthly(a, from_fd or from_outside, filed, eff),
             favours_note="the Company on the literal words, the Investors on counting from the Filing Date"),
        outside_date=outside.isoformat(), period_days=n, signed=signed.isoformat())]


# ------------------------------------------------------------------- "each holder" paid on an aggregate base

# a payment to each payee ("pay to each holder", "each holder ... shall be paid") of an amount measured on principal
_PAY_EACH = re.compile(
    r"(?:pay to (?:each|every) (?P<payee>[^.]{0,80}?)|(?:Each|each|Every|every) (?P<payee2>holder[^.]{0,80}?) shall be paid"
    r"[^.]{0,30}?) (?:an amount|a sum) equal to (?:the sum of (?:\((?:A|a|i|1)\)[^.]{0,400}?)?\(\w\) )?(?P<base>(?:its |his |such holder's )?(?:pro rata share of )?(?:the )?"
    r"(?:then )?(?:aggregate |outstanding |unpaid )*principal(?: amount)? of (?:the |all )?(?:then )?(?:outstanding )?"
    r"(?P<inst>[A-Z]\w+)(?: then outstanding)?)(?P<rel>\s+(?:held|owned|then held) by (?:it|such \w+|him|them))?")


@detector("aggregate-base")
def aggregate_base(a: Agreement) -> list[Any]:
    """A payment to each payee measured on the aggregate of all instruments, not the payee's own."""
    out = []
    investors = [p for p in a.model.parties if p.role == "investor" and p.clause == "signatures"]
    for clause, m in search(a.document, _PAY_EACH):
        if m.group("rel") or re.search(r"\b(?:its|such holder's|his|pro rata)\b", m.group("base")):
            continue  # the base is the payee's own
        text = own(a.document, clause)
        n = max(len(investors), 2)
        late = late_effectiveness(a, late_days=31)
        one = pay(a, late.data())
        example = (f"{n} holders hold $1,000,000 of {m.group('inst')} between them; effectiveness is "
                   f"due by {day(late.deadline)} but comes on {day(late.effective)}. Measured on each holder's own "
                   f"principal the Company pays {money(one)} in all; on the literal words each holder is paid on the "
                   f"whole $1,000,000, {money(one * n)} in all.")
        red = insert_redline(clause, text, m.end("base"), " held by it")
        out.append(finding(
            "aggregate-base", clause, (clause,),
            f"{clause}: \"each holder\" is paid on the outstanding principal of all the {m.group('inst')}, not its own",
            f"Read literally, every holder receives the percentage of the whole outstanding principal, so with {n} "
            f"holders the Company pays {n} times the intended amount. A court would probably read the base as each "
            "holder's own principal, but the words do not say so.",
            # it bites only if a court adopts the literal reading, which the entry itself calls improbable: a dispute
            Memo(Severity.HIGH, Area.MONEY, Favours.INVESTORS, [quote(clause, m.group(0))], [red], example,
                 (), {"own principal": money(one), "literal": money(one * n)}, certainty=Certainty.CONTINGENT,
                 per_month=monthly(a, one * (n - 1), late.deadline, late.effective)),
            holders=n))
    return out


# ------------------------------------------------------------------- "sales of all ... cannot be made"

_ALL_CANNOT = re.compile(
    r"(?:sales of all (?:of )?the (?P<what>[A-Z][\w ]+?) cannot be made|(?:the )?(?:Investors|holders) (?:are|is) unable to "
    r"sell all (?:of )?the (?P<what2>[A-Z][\w ]+?)|not all (?:of )?the (?P<what3>[A-Z][\w ]+?) (?:can|may) be sold) "
    r"(?:pursuant to|under) (?P<rs>the [A-Z][\w ]*?Statement)")


def component_ref(a: Agreement, comp: Any) -> str:
    """How new words of the agreement cite a component of the measure: "Section 2(c)(ii)", or, when the measure's
    clause has that clause number twice (a trigger list and the measure both run (i), (ii) ...), "clause (ii) of
    the sentence of Section 2(c) beginning "The Company shall pay"", the sentence that holds the component's words."""
    clause = a.model.measure.clause
    mark = comp.id[len(clause):] if comp.id.startswith(clause) else ""
    text = own(a.document, clause)
    if not mark or text.count(mark) < 2:
        return f"Section {comp.id}"
    at = text.find(normalize(comp.quote)[:60])
    start = max(text.rfind(". ", 0, at) + 2, 0) if at >= 0 else -1
    first = " ".join(text[start:].split()[:4]) if start >= 0 else ""
    return (f"clause {mark} of the sentence of Section {clause} beginning \"{first}\"" if first and first[:1].isupper()
            else f"Section {comp.id}")


def shortfall_contested(a: Agreement, comp: Any = None) -> bool:
    """Whether the measure's component counting blocked sales (or `comp`) is worded "sales of all ... cannot be made",
    so that it counts a shortfall only on the any-shortfall reading (the all-cannot entry calls it contested)."""
    comp = comp or next((c for c in a.model.payment_measure().components if c.excluded == "allowed_delays"), None)
    return comp is not None and _ALL_CANNOT.search(normalize(comp.quote)) is not None


@detector("all-cannot")
def all_cannot(a: Agreement) -> list[Any]:
    """A payment trigger worded as a negation over a universal: any shortfall, or a total stop?"""
    out = []
    for clause, text in leaves(a.document):
        hits = list(_ALL_CANNOT.finditer(text))
        if not hits:
            continue
        words = hits[0].group(0)
        quotes = [quote(clause, words)]
        several = next(((cid, mm.group(0)) for cid, mm in search(a.document, r"file a new Registration Statement")), None)
        if several:
            quotes.append(quote(*several))
        late = late_effectiveness(a, late_days=-20)
        eff = late.effective
        short = trading_day(first_of_month(month_later(eff, 6)))
        new_filed = business_day(short + timedelta(days=14))
        new_eff = business_day(new_filed + timedelta(days=61))
        blocked = pay(a, {"as_of": new_eff, "prior_financing_effective": late.pfed, "filed": late.filed,
                          "effective": eff, "sales_blocked": [{"start": short, "end": new_eff - timedelta(days=1)}]})
        example = (f"The statement is declared effective on {day(eff)}. From {day(short)} the falling share price means "
                   f"more shares are needed than it registers; a new statement is filed on {day(new_filed)} and declared "
                   f"effective on {day(new_eff)}. If any shortfall counts: {money(blocked)} per $1,000,000 from its first "
                   "day (see the entry on the grace before payments); if only a total stop counts: $0.")
        what = hits[0].group("what") or hits[0].group("what2") or hits[0].group("what3")
        # only what is not yet sold: a security sold under the statement can never be sold under it again, and nothing
        # in the text may end its being registrable, so "any of" alone would run the payment for ever after the first
        # sale ("held by the Investors" would leave out shares in street name, held of record by a nominee, and
        # shares not yet issued: the lawyer's read of stop 33)
        held = (f"any of the {what} not yet sold pursuant to a Registration Statement or Rule 144 cannot be sold "
                "pursuant to an effective")
        same = [h for h in hits if h.group(0) == hits[0].group(0)]
        red = replace_redline(clause, text, hits[0].start(), hits[0].end(),
                              f"{held} {hits[0].group('rs').removeprefix('the ')}", count=len(same), meaning={"*": {}})
        reds_all = [red] + [replace_redline(clause, text, h.start(), h.end(), f"{held} {h.group('rs').removeprefix('the ')}",
                                            meaning={"*": {}}) for h in hits if h.group(0) != hits[0].group(0)]
        out.append(finding(
            "all-cannot", clause, (clause, *([several[0]] if several else [])),
            f"{clause}: \"{words.split(' pursuant to')[0].split(' under the')[0]}\": any shortfall, or only a total stop?",
            "On one reading the payment runs whenever any of the securities cannot be sold (one Investor's shares left "
            "out, or the registered number running short after the price falls); on the other only when no sale at all "
            "can be made. The singular \"the Registration Statement\" makes it worse once the shares are spread over "
            "two statements, since no single statement then covers all of them.",
            Memo(Severity.HIGH, Area.MONEY, Favours.NEITHER, quotes, reds_all, example, (),
                 {"any shortfall": money(blocked), "total stop": "$0"}, certainty=Certainty.ORDINARY,
                 per_month=monthly(a, blocked, short, new_eff),
                 favours_note="the Investors on the any-shortfall reading, the Company on the total-stop reading",
                 open_points=("the redline adopts the any-shortfall reading on the whole principal, so one Investor's "
                              "shares left out cost the percentage on every Investor's principal; prorating the payment "
                              "to the securities that cannot be sold is a business choice",)),
            occurrences=len(hits)))
    return out


# ------------------------------------------------------------ the measure outlives the duty it enforces

@detector("outlives-period")
def outlives_period(a: Agreement) -> list[Any]:
    """A component counting a continuing state after effectiveness is not bounded by the period during which the
    duty to keep the statement effective lasts; and who decides when that period ends."""
    doc = a.document
    clause = measure_clause(a)
    text = own(doc, clause)
    # the defined period during which the duty to keep the statement effective lasts
    period = next((d for d in definitions(doc) if d.term.endswith("Period") and re.search(
        r"(?:keep|maintain)\b[^.]{0,80}\beffective", own(doc, d.clause))), None)
    after = [c for c in a.model.measure.components if c.counts == "after-effectiveness"]
    if period is None or not after:
        return []
    if period.term in text:
        return []  # the measure names the period (it bounds the count, or says it outlives it on purpose)
    ptext = own(doc, period.clause)
    hits = [mm for mm in re.finditer(r"(?:after|once|following) (?:the )?Registration Statement (?:has been|is|shall have "
                                     r"been|has become|becomes) (?:declared )?effective(?: by the SEC)?", text)]
    if not hits:
        return []
    quotes = [quote(clause, hits[0].group(0) + text[hits[0].end():hits[0].end() + 1].strip(",") or hits[0].group(0))]
    # who decides when the period ends early: an opinion or determination of the other side's adviser
    decider = re.search(r"\((?:in the (?:reasonable )?(?:opinion|judgment)|as (?:determined|certified)) (?:of|by) "
                        r"(?:legal )?counsel (?:to|for) the (?P<who>[A-Z]\w+)\)", ptext)
    if decider and decider.group("who") == "Company":
        decider = None  # the relieved party's own counsel
    keep = re.search(r"(?:keep|maintain) the Registration Statement effective[^,]*", ptext)
    if keep:
        quotes.append(quote(period.clause, keep.group(0)))
    if decider:
        quotes.append(quote(period.clause, decider.group(0)))
    late = late_effectiveness(a, late_days=-20)
    bought: date = a.params["agreement.date"]
    free = month_later(bought, 12 * RULE_144K_YEARS)
    lapse = business_day(first_of_month(month_later(free, 1)))
    end = month_later(lapse, 12)
    amt = pay(a, {"as_of": end, "prior_financing_effective": late.pfed, "filed": late.filed, "effective": late.effective,
                  "sales_blocked": [{"start": lapse, "end": end - timedelta(days=1)}]})
    # the period ends only when every registrable security can be sold freely: shares issuable on exercise of an
    # instrument count as held from its purchase only if it was exercised without cash (or it has lapsed)
    reg = next((d for d in definitions(doc) if d.form == "means" and "issued or issuable" in d.body), None)
    ex = re.search(r"(?P<w>[A-Z]\w+ Shares),? issuable,? upon exercise[^.]*?the (?P<inst>[A-Z]\w+)", reg.body) if reg else None
    exercised = (f"All the {ex.group('inst')} were exercised on a cashless basis in {free.year - 1} (so the "
                 f"{ex.group('w')} also count as held from {day(bought)}) or have expired. ") if ex else ""
    example = (f"The Debentures are bought on {day(bought)} and the statement is declared effective on "
               f"{day(late.effective)}. {exercised}Shares received on conversion count as held from the purchase of the "
               f"Debentures, so from {day(free)} {'all the Registrable Securities' if ex else 'they'} can be resold "
               f"without restriction under Rule 144(k) and the {period.term} has "
               f"ended (if counsel so opines). The Company stops updating the statement, which lapses on {day(lapse)}. The "
               f"payment still accrues: {money(amt)} per $1,000,000 to {day(end)}, although the holders could sell at any "
               "time.")
    reds = [insert_redline(clause, text, h.end(), f" and before the end of the {period.term}") for h in hits[:2]]
    if decider:
        d0 = ptext.find(decider.group(0))
        reds.append(replace_redline(period.clause, ptext, d0, d0 + len(decider.group(0)),
                                    f"(as set forth in a written opinion of counsel to the Company addressed, and "
                                    f"reasonably satisfactory, to the {decider.group('who')})"))
    expl = (f"The duty to keep the statement effective ends with the {period.term} ({period.clause}), but the payment for "
            f"months in which sales cannot be made has no end: after the {period.term}, when the statement is withdrawn "
            "or goes stale, the percentage keeps accruing although the holders can sell freely.")
    if decider:
        expl += (f" And the {period.term} ends early only in the opinion of counsel to the {decider.group('who')}, which "
                 "no one is obliged to give.")
    return [finding(
        "outlives-period", clause, (clause, period.clause),
        f"{clause}: payments for months in which sales cannot be made outlive the {period.term}",
        expl, Memo(Severity.HIGH, Area.MONEY, Favours.INVESTORS, quotes, reds, example, (), {"after the period": money(amt)},
                   certainty=Certainty.ORDINARY, per_month=monthly(a, amt, lapse, end),
                   open_points=(f"the redline has counsel to the Company, not counsel to the {decider.group('who')}, give "
                                f"the opinion that ends the {period.term} early (addressed, and reasonably satisfactory, "
                                f"to the {decider.group('who')}): who gives it is a business point",) if decider else ()),
        period=period.term)]


# ------------------------------------------------------------------- the remedy called a penalty

# the payments made the Investors' only remedy: "the sole and exclusive remedy", "the exclusive remedy", "only remedy"
_SOLE = re.compile(r"\b(?:sole|exclusive|only)(?: and (?:sole|exclusive))? remedy\b", re.IGNORECASE)


@detector("called-penalty")
def called_penalty(a: Agreement) -> list[Any]:
    """A remedy presented as damages in one place is called a penalty in another; uncapped and non-exclusive."""
    doc = a.document
    hits = list(search(doc, r"(?:(?:the|any|such) )?penalt(?:y|ies) (?:assessable|payable|provided(?: for)?|due|imposed|set "
                            r"forth) (?:herein|hereunder|under this Agreement|in this Agreement|pursuant to this Agreement|"
                            r"(?:under|in|pursuant to) Section \d+\([a-z]\)(?: hereof)?)", re.IGNORECASE))
    if not hits:
        return []
    clause = measure_clause(a)
    text = own(doc, clause)
    relief = re.search(r"as (?:partial )?relief for the damages[^()]*\((?:which|such) (?:remedy|remedies|payments?|amounts?) "
                       r"shall [^)]*\)", text)
    if not relief:
        relief = re.search(r"(?:liquidated )?damages", text)
        if not relief:
            return []
    cap = a.params.values.get(a.model.measure.cap)
    rate_p = a.model.measure.rate
    quotes = [quote(clause, relief.group(0)), *[quote(c, mm.group(0)) for c, mm in hits]]
    ratep = a.params.by_name.get(rate_p)
    if ratep is not None:
        rm = re.search(r'The term "[^"]+" means [^.]*\(\.\d+\)\.?', text)
        if rm:
            quotes.append(quote(clause, rm.group(0)))
    late = late_effectiveness(a, late_days=-20)
    start, end = _business_span(first_of_month(month_later(late.effective, 2)), 12)
    year = pay(a, {"as_of": end, "prior_financing_effective": late.pfed, "filed": late.filed, "effective": late.effective,
                   "sales_blocked": [{"start": start, "end": end - timedelta(days=1)}]})
    example = (f"Sales cannot be made under the statement from {day(start)} to {day(end)}: {money(year)} per $1,000,000 "
               "under the measure{on_top}; if a court strikes the clause as a penalty, the Investors recover only the "
               "loss they can prove.")
    c0, m0 = hits[0]
    t0 = own(doc, c0)
    red = replace_redline(c0, t0, m0.start(), m0.end(), f"the liquidated damages payable under Section {clause}")
    uncapped = cap is None and a.model.measure.cap not in a.params.unbound
    # "not exclusive" only where the text says so: a draft that makes the payments the sole remedy has closed that point
    sole = _SOLE.search(text)
    exclusive = bool(re.search(r"shall not be exclusive", relief.group(0))) or (
        not sole and not re.search(r"shall be (?:the )?(?:sole|exclusive)", text))
    left = ((f"a cap on the amounts payable under {clause} (the redline leaves them uncapped)",) if uncapped else ()) + (
        (f"whether {clause} is the Investors' exclusive monetary remedy for the delay: as drafted it is not, which invites "
         "a claim for actual damages on top of the payments",) if exclusive else ())
    example = example.replace("{on_top}", ", on top of any actual damages" if exclusive else "")
    traits = [w for w, on in (("uncapped", uncapped), ("not exclusive", exclusive)) if on]
    # a sole remedy beside a clause that grants relief "in addition to all other available remedies": which prevails?
    besides = [(c, mm) for c in doc.by_id for mm in [re.search(r"in addition to all other (?:available )?remedies[^,;]*",
                                                              own(doc, c))] if mm and c != clause] if sole else []
    reds = [red]
    if besides:
        assert sole is not None
        quotes += [quote(clause, sole.group(0)), *[quote(c, mm.group(0)) for c, mm in besides]]
        # the payments the sole *monetary* remedy: the other clauses' injunctions stand beside them
        words = sole.group(0)
        reds.append(replace_redline(clause, text, sole.start(), sole.end(),
                                    words[:-len("remedy")] + "monetary remedy", meaning={"*": {}}))
    return [finding(
        "called-penalty", c0, (clause, *[c for c, _ in hits]),
        (f"{clause} payments are {', '.join(traits[:-1]) + (', ' if len(traits) > 1 else '') + traits[-1]}, and {c0} "
         f"calls them \"penalties\"" if traits else f"{c0} calls {clause} payments \"penalties\"")
        + (f"; {clause} makes them the sole remedy, {listed(c for c, _ in besides)} grants relief in addition to all "
           "others" if besides else ""),
        "An agreed payment is enforced only if it is a reasonable estimate of a loss that is hard to prove, not a "
        "penalty; here the agreement itself "
        + listed(["calls the amounts penalties", *(["sets no cap"] if uncapped else []),
                  *(["lets the Investors claim actual damages as well"] if exclusive else [])])
        + ". A court that strikes the clause leaves the Investors to prove their loss."
        + (f" {clause} makes the payments the Investors' {sole.group(0).lower()}, while {listed(c for c, _ in besides)} "
           f"still grant{'s' if len(besides) == 1 else ''} relief \"in addition to all other available remedies\": the "
           "text does not say which prevails." if besides and sole else ""),
        # whether the clause is a penalty arises in every claim under the measure, which the ordinary course of late
        # effectiveness brings: the whole remedy is at stake, not one of its triggers
        # the penalty risk favours the Company; an uncapped or non-exclusive payment favours the Investors while it stands
        Memo(Severity.HIGH, Area.MONEY, Favours.NEITHER if traits else Favours.COMPANY, quotes, reds, example,
             ("exposure.worst-case",), {"twelve months": money(year)}, certainty=Certainty.ORDINARY,
             per_month=monthly(a, year, start, end), open_points=left,
             favours_note=(f"the Investors while the payments stand ({listed(traits)}), the Company if a court strikes "
                           "them as a penalty") if traits else ""),
        capped=not uncapped, whole_remedy=True)]


# ------------------------------------------------------------------- a cap on the sole remedy

@detector("capped-sole-remedy")
def capped_sole_remedy(a: Agreement) -> list[Any]:
    """The payments are capped and are the Investors' sole remedy: once they reach the cap, a registration default
    that goes on costs the Company nothing more."""
    m = a.model.measure
    cap = a.params.values.get(m.cap)
    if cap is None or m.cap in a.params.unbound:
        return []
    clause = measure_clause(a)
    text = own(a.document, clause)
    sole = _SOLE.search(text)
    if sole is None or re.search(r"\bceases? to be the (?:sole and )?exclusive remedy", text, re.IGNORECASE):
        return []  # not a sole remedy, or one whose exclusivity ends (at the cap)
    rate = Fraction(str(a.params[m.rate]))
    principal = Fraction(str(a.params[m.principal]))
    if rate <= 0 or principal <= 0:
        return []
    months = Fraction(str(cap)) / (rate * principal)  # months of the full percentage on the whole principal
    per_million = rate * 1_000_000
    cap_words = a.binding.parameters[m.cap].quote if a.binding and m.cap in a.binding.parameters else ""
    at = text.find(cap_words) if cap_words else -1
    if at < 0:
        return []
    late = late_effectiveness(a, late_days=31)
    whole = months.denominator == 1
    reached = month_later(late.deadline, int(months)) if whole else None
    example = (f"Effectiveness is due by {day(late.deadline)} and never comes: at {float(rate * 100):g}% a month the "
               f"payments reach the cap of {money(Fraction(str(cap)))} after {float(months):g} months"
               + (f", on {day(reached)}" if reached else "") + "; from then on the delay costs the Company nothing "
               f"more, where each further month would have cost {money(per_million)} per $1,000,000, and the "
               "Investors have no other remedy for it.")
    quotes = [quote(clause, sole.group(0)), quote(clause, cap_words)]
    k0, k1 = sentence(text, sole.start())
    # the exclusivity ends where the cap does: a default that goes on may be pursued as the law allows
    red = insert_redline(clause, text, at + len(cap_words), ", after which the payments under this Section "
                         f"{clause} shall cease to be the exclusive remedy of the Investors for any such delay or "
                         "reduction that continues")
    return [finding(
        "capped-sole-remedy", clause, (clause,),
        f"{clause}: the payments are capped and are the Investors' sole remedy: after {float(months):g} months of "
        "default the Company owes nothing more",
        f"{clause} caps the payments at {money(Fraction(str(cap)))} and makes them the Investors' "
        f"{sole.group(0).lower()}. A default that lasts longer than the {float(months):g} months the cap pays for "
        "costs the Company nothing more, so past that point it has no reason to register.",
        Memo(Severity.HIGH, Area.MONEY, Favours.COMPANY, quotes, [red], example, (),
             {"cap reached after": f"{float(months):g} months"}, certainty=Certainty.CONTINGENT,
             per_month=per_million,
             open_points=("whether the cap should stand, or end the exclusivity once it is reached, is a business "
                          "point",)),
        months_to_cap=float(months), sentence=text[k0:k1].strip())]


# ------------------------------------------------------------------- no date on which payments fall due

_PAY_TIME = re.compile(r"\b(?:paid|payable|due)\b[^.;]{0,40}?\b(?:within|on or before|no later than|not later than|"
                       r"on the (?:first|last)|monthly|each (?:calendar )?month|on demand)\b", re.IGNORECASE)


@detector("no-payment-date")
def no_payment_date(a: Agreement) -> list[Any]:
    """Payments "at such times as shall be determined pursuant to" a clause that sets no time."""
    out = []
    for clause, m in search(a.document, r"at (?:such|the) times? (?:as )?(?:shall be |are |is )?(?:determined|set forth|"
                                        r"provided|specified) (?:pursuant to|under|in) (?:this )?Section (?P<sec>\d+\([a-z]\))"):
        target = m.group("sec")
        ttext = own(a.document, target)
        if not ttext or _PAY_TIME.search(ttext):
            continue
        if re.search(r'"[^"]*payment date[^"]*"', ttext, re.IGNORECASE):
            continue
        text = own(a.document, clause)
        lead = max(text.rfind("the Company will make payments", 0, m.start()), text.rfind("the Company shall make payments",
                                                                                           0, m.start()))
        quotes = [quote(clause, text[lead:m.end()] if lead >= 0 and m.start() - lead < 120 else m.group(0))]
        paid = re.search(r"Such amounts shall be paid in cash[^.]*?(?:on such payment date)?\.", ttext)
        if paid:
            quotes.append(quote(target, paid.group(0)))
        late = late_effectiveness(a, late_days=87)
        total = pay(a, late.data())
        example = (f"Effectiveness is due by {day(late.deadline)} and comes on {day(late.effective)}: {money(total)} per "
                   "$1,000,000 accrues. On a monthly reading instalments fall due as each month accrues; on an "
                   f"end-of-failure reading the whole {money(total)} falls due only after {day(late.effective)}; and "
                   "where the failure never ends nothing ever falls due.")
        red_at = re.search(r"Such amounts shall be paid(?= in cash| in shares|,)", ttext)
        reds = []
        if red_at:
            reds.append(insert_redline(target, ttext, red_at.end(),
                                       " on the fifth (5th) business day after the end of each calendar month, for the "
                                       'amounts accrued in that month (each, a "Payment Date"),'))
        such = re.search(r"\bsuch payment date\b", ttext)
        if such:
            reds.append(replace_redline(target, ttext, such.start(), such.end(), "such Payment Date", meaning={"*": {}}))
        out.append(finding(
            "no-payment-date", target, (clause, target),
            f"{target} never says when payments fall due" + ("; \"such payment date\" refers to nothing"
                                                              if "such payment date" in ttext else ""),
            f"The payments are promised \"at such times as shall be determined pursuant to\" {target}, which determines "
            "no time: the Company can say nothing is due until the failure ends and the total is known, the Investors that "
            "each month is due as it accrues. Without a due date there is no payment default, no start for interest and "
            "no date on which to price shares paid instead of cash.",
            Memo(Severity.HIGH, Area.MONEY, Favours.COMPANY, quotes, reds, example, (), {"accrued": money(total)},
                 certainty=Certainty.ORDINARY)))
    return out


# --------------------------------------------------------------- listing: triggers and measure name different markets

_NOT_ON = (r"(?:is|are) (?:not|no longer) (?:listed|quoted|traded)(?: or (?:included for quotation|quoted|traded))? "
           r"(?:on|in) (?P<list>.+?)")
_LIST = re.compile(_NOT_ON + r"(?P<after> after (?:being|having been) (?:so )?(?:listed|quoted|traded)[^,;.]*|(?= or that "
                   r"trading| after the| during|[;.]))")
_CEASES = re.compile(r"ceases? to be (?:traded|quoted|listed) on (?P<list>[^,;]+?)(?= prior to| before| after|,|;)")
# How hard each kind of market is to be listed on (public facts about these markets): a plausible example moves an
# issuer quoted on the lowest tier up one step, not three.
_TIERS = ((0, r"Bulletin Board|OTCBB|\bBBX\b|Pink Sheets|quotation system"),
          (1, r"SmallCap|Capital Market|American Stock Exchange|\bAMEX\b"),
          (2, r"National Market|Global Market|New York Stock Exchange|\bNYSE\b|^Nasdaq$"))


def _markets(doc: Any, clause: str, words: str) -> set[str]:
    """The markets a list names, by the short names the clause defines for them."""
    short = {d.term: d for d in definitions(doc) if d.clause == clause}
    found: set[str] = set()
    for term in sorted(short, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", words) or re.search(rf'\(the "{re.escape(term)}"\)|\("{re.escape(term)}"\)', words):
            found.add(term)
    return found


def _long_names(doc: Any, clause: str) -> dict[str, str]:
    """Each short market name a clause defines, with the long name before it ("Nasdaq" -> "the Nasdaq National
    Market")."""
    text = own(doc, clause)
    out = {}
    for d in definitions(doc):
        if d.clause != clause:
            continue
        before = text[:text.rfind("(", 0, d.offset)].rstrip()
        m = re.search(r"(?:the )?(?:[A-Z][\w-]*(?: |$))+$", before + " ")
        out[d.term] = m.group(0).strip() if m else d.term
    return out


def _tier(short: str, long: str | None) -> int:
    long = long or short
    return next((t for t, rx in _TIERS if re.search(rx, long) or re.search(rx, short)), 1)


def _in_order(names: set[str], words: str) -> list[str]:
    """Market names in the order the words give them (a short name inside a longer one counts at the longer's place)."""
    def at(n: str) -> int:
        m = re.search(rf'(?<![\w-]){re.escape(n)}(?![\w-])|"{re.escape(n)}"', words)
        return m.start() if m else len(words)
    return sorted(names, key=lambda n: (at(n), n))


def _label_before(text: str, at: int) -> str | None:
    """The item label ("(iii)") that opens the item in which an offset lies."""
    labels = list(re.finditer(r"\((?P<l>[ivx]+)\) ", text[:at]))
    return f"({labels[-1].group('l')})" if labels else None


@detector("listing-markets")
def listing_markets(a: Agreement) -> list[Any]:
    """A listing trigger ("not listed on A after being so listed") and the listing measure ("not listed on B") name
    different markets: a fall from A to a market of B triggers the payment and counts nothing; and a market the
    agreement allows elsewhere but neither list names is counted by the measure though it triggers nothing."""
    from rra.solver.redline_lint import ORDINALS, sentences

    doc = a.document
    clause = measure_clause(a)
    text = own(doc, clause)
    trig = [mm for mm in _LIST.finditer(text) if mm.group("after")]
    meas = [mm for mm in _LIST.finditer(text) if not mm.group("after")]
    if not trig or not meas:
        return []
    tw, mw = trig[0].group("list"), meas[0].group("list")
    ta = _in_order(_markets(doc, clause, tw), tw)
    mb = _in_order(_markets(doc, clause, mw), mw)
    dead = [x for x in mb if x not in ta]
    if not ta or not dead:
        return []
    long = _long_names(doc, clause)
    tail = _CEASES.search(text)
    subject = text.rfind("the ", 0, trig[0].start())
    t_words = text[subject:trig[0].end()] if subject >= 0 and trig[0].start() - subject < 40 else trig[0].group(0)
    quotes = [quote(clause, t_words)]
    if tail:
        ts = text.rfind("the ", 0, tail.start())
        quotes.append(quote(clause, text[ts:tail.end()] if ts >= 0 and tail.start() - ts < 40 else tail.group(0)))
    mstart = text.rfind("that ", 0, meas[0].start())
    mstart = mstart if mstart >= 0 and meas[0].start() - mstart < 40 else meas[0].start()
    halted = re.match(r" or that trading thereon is halted", text[meas[0].end():])
    mwords = text[mstart: meas[0].end()] + (halted.group(0) if halted else "")
    quotes.append(quote(clause, mwords))
    # another clause that allows the stock to be quoted on a market neither list names
    named = set(ta) | set(mb) | {long.get(x, x) for x in (*ta, *mb)}
    other = None
    for cid, mm in search(doc, r"on (?P<l>(?:the )?(?:[A-Z][\w]*|Nasdaq[\w ]*)(?:,? (?:or|and) (?:the )?(?:[A-Z]{2,}\w*|Nasdaq"
                               r"[\w ]*))+)(?: \(or an? (?:equivalent|comparable)[^)]*\))?"):
        if cid == clause:
            continue
        names = re.findall(r"\b[A-Z]{3,}\b", mm.group("l"))
        extra = [x for x in names if x not in named and any(x == y for y in mb) is False and _tier(x, x) == 0]
        if extra and any(x in mb for x in names):
            other = (cid, mm.group(0), extra[0])
            break
    if other:
        quotes.append(quote(other[0], other[1]))
    # the example: the issuer moves up one tier from the lowest market the measure names, then falls back
    low = min(_tier(x, long.get(x, x)) for x in dead)
    up_to = sorted((x for x in ta if _tier(x, long.get(x, x)) > low), key=lambda x: (_tier(x, long.get(x, x)),
                                                                                      ta.index(x)))
    target = up_to[0] if up_to else ta[0]
    back = next((x for x in dead if _tier(x, long.get(x, x)) == low), dead[0])
    late = late_effectiveness(a, late_days=-20)
    up = trading_day(first_of_month(month_later(late.effective, 3)))
    down = trading_day(first_of_month(month_later(up, 4)))
    end = month_later(down, 6)
    follow = pay(a, {"as_of": end - timedelta(days=1), "prior_financing_effective": late.pfed, "filed": late.filed,
                     "effective": late.effective, "not_listed": [{"start": down, "end": end - timedelta(days=1)}]})
    literal = pay(a, {"as_of": end - timedelta(days=1), "prior_financing_effective": late.pfed, "filed": late.filed,
                      "effective": late.effective})
    example = (f"The stock moves up to {long.get(target, target)} on {day(up)} and is delisted back to the {back} on "
               f"{day(down)}, where it still trades on {day(end)}: the trigger has fired, but the measure counts "
               f"{money(literal)}; a measure that follows the trigger would count {money(follow)} per $1,000,000.")
    # the redline: the measure counts the months in which a listing trigger's event continues, citing the sentence
    # and the items that hold the triggers, as the text numbers them
    sents = sentences(text, doc.by_id[clause].heading if clause in doc.by_id else None)
    k = next((j for j, x in enumerate(sents) if tw in x), None)
    labels = [x for x in (_label_before(text, trig[0].start()), _label_before(text, tail.start()) if tail else None) if x]
    reds: list[Redline] = []
    if k is not None and k < len(ORDINALS) and labels:
        cited = f"clause {' or '.join(dict.fromkeys(labels))} of the {ORDINALS[k]} sentence of this Section {clause}"
        reds.append(replace_redline(clause, text, mstart, mstart + len(mwords),
                                    f"during which an event described in {cited} continues, or trading of the Common Stock "
                                    "on its principal market is halted,", meaning={"*": {}}))
    absorbs = ("z3.remedy.delisted_major", "z3.remedy.otcbb_ceased", "proof.listing-months-need-a-trigger")
    conv = (f"Conversely a move from the {back} to {'the ' + other[2] if other else 'an equivalent replacement market'}"
            + (f", which {other[0]} expressly allows," if other else "")
            + f" does not fire trigger {labels[-1] if len(labels) > 1 else 'of the listing clause'}, yet the measure "
            f"counts every month off the markets it names; and trading halts are counted though no trigger mentions them.")
    return [finding(
        "listing-markets", clause, (clause, *([other[0]] if other else [])),
        f"{clause}: the listing triggers and the listing measure name different markets; a fall to the {back} triggers "
        "payments and counts nothing",
        f"The trigger fires when the stock leaves {join_or(ta)} after being listed there, but the measure counts "
        f"only months in which it is not quoted on {join_or(mb)}: a stock that falls back to the {back} has "
        f"triggered the payment and earns nothing. {conv}",
        Memo(Severity.HIGH, Area.MONEY, Favours.NEITHER, quotes, reds, example, absorbs,
             {"literal": money(literal), "following the trigger": money(follow)}, certainty=Certainty.CONTINGENT,
             per_month=monthly(a, follow - literal, down, end),
             favours_note=(f"the Company where the stock falls back to the {back}, the Investors where it moves to "
                           + (f"the {other[2]}" if other else "an equivalent market")),
             open_points=(f"whether a stock back on the {back}, where it may have traded at signing, should pay at all: the "
                          "redline counts every month it stays there; the Company's alternative is to narrow the "
                          "trigger to ceasing to be quoted on any of the markets",)),
        trigger_markets=ta, measure_markets=mb)]


def join_or(items: list[str]) -> str:
    """"A, B or C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# ----------------------------------------------------------- breaches "require payments pursuant to" the measure

def counted_by_measure(a: Agreement, ob: Obligation) -> str | None:
    """Why a breach of this obligation is measured anyway: it stops sales (SEC practice), or the state that triggers
    it is one a component of the measure counts (the model's condition linking them)."""
    for need in SALES_NEED:
        if need.obligation == ob.id:
            return need.why
    for c in a.model.conditions:
        if isinstance(c, Condition) and ob.id in c.applies_to and any(
                comp.id in c.applies_to for comp in a.model.measure.components):
            return c.description
    return None


@detector("reference-measures-nothing")
def reference_measures_nothing(a: Agreement) -> list[Any]:
    """A clause says a breach of it requires payments under the measure's clause, which counts nothing its
    breaches cause; one finding for all the clauses that refer so."""
    measure = a.model.measure
    mclause = measure.clause
    # a sentence of a clause that ties a breach of the clause itself to payments under the measure's clause
    rx = re.compile(rf"(?P<s>(?:^|(?<=\. ))[^.]*?\bbreach\b[^.]*?\b(?:this Section|Section (?P<self>\d+\([a-z]\)))[^.]*?"
                    rf"\bpayments?\b[^.]*?(?:pursuant to|under|in accordance with|as provided in) Section "
                    rf"{re.escape(mclause)}(?: hereof| above)?(?P<rest>[^.]*)\.)")
    refs = []
    for clause, m in search(a.document, rx):
        if clause == mclause or (m.group("self") and m.group("self") != clause):
            continue
        if re.search(r"\bmonths?\b|\bcount", m.group("rest")):
            continue  # the reference states its own measure
        tied = [o for o in a.model.obligations if o.clause == clause and a.model.usable(o.id)
                and any(r in o.remedies for r in (rr.id for rr in a.model.remedies if rr.clause == mclause))]
        gaps = [o for o in tied if counted_by_measure(a, o) is None]
        if gaps:
            refs.append((clause, m, tied, gaps))
    if not refs:
        return []
    reds, quotes, lines, absorbs, measured = [], [], [], [], []
    best: tuple[Fraction, str, dict[str, str], Fraction] | None = None
    for clause, m, tied, gaps in refs:
        text = own(a.document, clause)
        quotes.append(quote(clause, m.group(0)))
        reds.append(replace_redline(clause, text, m.start(), m.end(),
                                    m.group(0)[:-1] + ", counting each month (prorated for partial months) during which "
                                    "such breach continues, to the extent not otherwise counted, as a month in which sales "
                                    "of the Registrable Securities cannot be made.", meaning={"*": {}}))
        lines.append(f"{clause} ({'; '.join(o.action for o in gaps)})")
        absorbs += [f"z3.remedy.{o.id}" for o in gaps]
        measured += [o for o in tied if counted_by_measure(a, o) is not None]
        got = _reference_example(a, clause, gaps)
        if got is not None and (best is None or got[0] > best[0]):
            best = got
    clauses = [c for c, _, _, _ in refs]
    names = " and ".join(clauses) if len(clauses) < 3 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    said = re.search(rf"[^,]*\bpayments?\b[^,]*?Section {re.escape(mclause)}", refs[0][1].group(0))
    words = said.group(0).strip() if said else f"payments pursuant to Section {mclause}"
    return [finding(
        "reference-measures-nothing", "+".join(clauses), (*clauses, mclause),
        f"{names}: a breach is tied to payments (\"{words}\"), but {mclause} measures nothing the breach causes",
        f"{mclause} turns only late filing or effectiveness, months in which sales cannot be made and months off the "
        f"listed markets into money. A breach of {'; or of '.join(lines)} that delays none of them yields $0, or, if "
        "the reference is read as a per-month charge while the breach lasts, an amount the text never states."
        + (f" Breaches that stop sales ({join_and([o.action for o in measured])}) are counted as months in which sales "
           "cannot be made, and are left out here." if measured else ""),
        Memo(Severity.HIGH, Area.MONEY, Favours.COMPANY, quotes, reds, best[1] if best else None, tuple(absorbs),
             best[2] if best else {}, certainty=Certainty.ORDINARY, per_month=best[3] if best else 0,
             open_points=(f"the redline prices every month a breach of {names} lasts at the full percentage, though "
                          "the breach stops no sale; a smaller charge, or none for some of the duties, is a business "
                          "choice",)),
        obligations=[o.id for _, _, _, g in refs for o in g], measured=[o.id for o in measured],
        # a duty of these clauses that falls due before it arises would be priced from that day: its redline first
        completes_with=["deadline-before-duty"])]


def join_and(items: list[str]) -> str:
    """"a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _reference_example(a: Agreement, clause: str, gaps: list[Obligation]
                       ) -> tuple[Fraction, str, dict[str, str], Fraction] | None:
    """A dated breach of one of the obligations that the measure does not count, with the evaluator's $0 and the
    per-month-of-breach figure (the measure's own month count over the days of the breach): (that figure, the
    example, its figures, the figure per month of breach), or None. Every act falls on a business day."""
    rate = Fraction(str(a.params[a.model.measure.rate]))
    conv = str(a.params[a.model.measure.convention])
    lo, _hi = review_days()
    late = late_effectiveness(a, late_days=-20)
    records = {e.id: e.record for e in a.model.events}
    control = {e.id: e.controlled_by for e in a.model.events}
    best: tuple[Fraction, str, dict[str, str], Fraction] | None = None
    for o in gaps:
        if not o.deadline or not a.model.usable(o.deadline):
            continue
        rec = records.get(o.performs or "")
        trec = records.get(o.trigger or "")
        if rec is None or trec is None:
            continue
        data = late.data(as_of=month_later(late.effective, 12))
        if "[]" not in trec and "[]" not in rec and control.get(o.trigger or "") == "external":
            # a duty arising on an event after signing: the event comes well after the deadline it is measured from
            when = first_of_month(month_later(late.pfed or late.filed, 8))
            data[trec] = when
            nxt = next((p for p in PREREQUISITES if p.event == o.performs), None)
            if nxt is not None:
                for req in nxt.requires:
                    field_ = records.get(req)
                    if field_ and field_ not in data:
                        data[field_] = act_day(a, req, when + timedelta(days=5))
            base = max([when] + [data[f_] for r in (nxt.requires if nxt else ()) if (f_ := records.get(r)) and f_ in data])
            data[rec] = act_day(a, o.performs or "", base + timedelta(days=lo + 29))
            ev_name = next((e.name for e in a.model.events if e.id == o.trigger), "")
            story = ((f"Prior Financing Effective Date {day(late.pfed)}; t" if late.pfed else "T")
                     + f"he statement is effective on {day(late.effective)} and sales continue. "
                     + (on_days([(ev_name, when)]) + " " if ev_name else ""))
        elif trec.startswith("sec_comments") and rec.startswith("sec_comments"):
            got = business_day(late.filed + timedelta(days=lo))
            data["sec_comments"] = [{"received": got}]
            ev = evaluator.evaluate(scenario(a, data), a)
            due = next((d.due for d in ev.deadlines if d.id == o.deadline), None)
            if due is None:
                continue
            eff = business_day(late.deadline - timedelta(days=6), back=True)
            data.update({"sec_comments": [{"received": got, "answered": business_day(due + timedelta(days=3))},
                                          ], "effective": eff, "as_of": eff})
            story = (f"The statement is filed on {day(late.filed)} and SEC comments arrive on {day(got)}; it is still "
                     f"declared effective on {day(eff)}, before its deadline. ")
        else:
            continue
        ev = evaluator.evaluate(scenario(a, data), a)
        br = next((b for b in ev.breaches if b.element == o.id), None)
        if br is None or br.actual is None:
            continue
        arose = data.get(trec)
        if isinstance(arose, date) and br.due < arose:
            continue  # a duty due before it arises is another entry's defect: the example must not rest on it
        per_month = PER * rate * months_between(br.due, br.actual, conv)
        text = (story + f"The duty to {o.action} falls due on {day(br.due)} and is met on {day(br.actual)}, "
                f"{br.late_days} {br.basis} days late: the measure counts {money(ev.total)}; read as a charge for each "
                f"month the breach lasts, {money(per_month)} per $1,000,000.")
        if ev.total == 0 and (best is None or per_month > best[0]):
            best = (per_month, text, {"as drafted": money(ev.total), "per month of breach": money(per_month)},
                    monthly(a, per_month, br.due, br.actual))
    return best


# ------------------------------------------------------------------- the base leaves out a class of securities

@detector("base-omits-class")
def base_omits_class(a: Agreement) -> list[Any]:
    """The registrable securities come from several instruments; the payment base counts only some of them."""
    doc = a.document
    reg = next((d for d in definitions(doc) if d.form == "means" and "issued or issuable" in d.body), None)
    if reg is None:
        return []
    instruments = [d.term for d in definitions(doc) if d.clause.startswith("recital") and re.search(
        rf"\b(?:of|to|under|pursuant to) the {re.escape(d.term)}\b", d.body if False else reg.body)]
    instruments = [t for t in instruments if re.search(rf"pursuant to the {re.escape(t)}\b|upon (?:exercise|conversion)"
                                                        rf"[^.]{{0,40}}{re.escape(t)}", reg.body)]
    clause = measure_clause(a)
    text = own(doc, clause)
    # the base: everything the amount is "equal to" before it is multiplied
    bm = re.search(r"(?:an amount|a sum) equal to (?P<base>.+?)(?=,? (?:multiplied by|times)\b)", text) or re.search(
        r"(?:an amount|a sum) equal to (?P<base>[^,;]+)", text)
    if bm is None or len(instruments) < 2:
        return []
    base = bm.group("base")
    missing = [t for t in instruments if t not in base]
    if not missing:
        return []
    counted = [t for t in instruments if t in base]
    cls = re.search(rf"(?P<w>[A-Z]\w+ Shares) issuable,? upon exercise[^.]*?{re.escape(missing[0])}", reg.body)
    shown = re.sub(r'\s*\("[^"]+"\)$', "", base)
    quotes = [quote(clause, re.sub(r"^.*?(\(and, in the case)", r"\1", shown).strip() if "(and" in shown else shown.strip())]
    if cls:
        quotes.append(quote(reg.clause, cls.group(0)))
    late = late_effectiveness(a, late_days=-20)
    lapse, end = _business_span(first_of_month(month_later(late.effective, 14)), 3)
    data = {"as_of": end - timedelta(days=1), "prior_financing_effective": late.pfed, "filed": late.filed,
            "effective": late.effective, "sales_blocked": [{"start": lapse, "end": end - timedelta(days=1)}]}
    full = pay(a, data)
    none = evaluator.payment(scenario(a, {**data, "principal": 0}), a)
    # repaid, not converted: shares issued on conversion may still count in the base (and be paid for as Registrable
    # Securities), which would blur the $0
    example = (f"All {counted[0]} have been repaid in cash; from {day(lapse)} to {day(end)} the statement "
               f"lapses while the Investors hold their {missing[0]} and the shares issued on exercise: the measure pays "
               f"{money(none)}; the same three months with $1,000,000 of {counted[0]} outstanding would cost "
               f"{money(full)}.")
    label = re.search(r'\("(?P<t>[A-Z][^"]+)"\)', text[bm.start():bm.end() + 40])
    reds = []
    if label:
        reds = _sum_base(clause, text, bm.start("base"), bm.start() + label.end(), label.group("t"), missing,
                         cls.group("w") if cls else None)
    # the redline keeps the words of the first part of the base, so a base summed over all holders needs the redline
    # that makes it each holder's own
    own_base = _PAY_EACH.search(text)
    needs: tuple[str, ...] = ("aggregate-base",) if own_base and not (own_base.group("rel") or re.search(
        r"\b(?:its|such holder's|his|pro rata)\b", own_base.group("base"))) else ()
    # a holder of only the classes the base adds is paid only if the payee words name it
    needs += ("payee-differs",)
    return [finding(
        "base-omits-class", clause, (clause, reg.clause),
        f"{clause}: the payment base counts only {', '.join(counted)}; {', '.join(missing)} are registrable but count "
        "for nothing",
        f"The securities issued under the {', '.join(missing)} must be registered like the others, but the base of the "
        f"payment is principal of the {', '.join(counted)} only. Once those are repaid (or converted and the shares "
        "sold, subject to the entry on securities that never stop counting), a "
        f"registration failure costs the Company nothing however many {missing[0]} remain.",
        Memo(Severity.HIGH, Area.MONEY, Favours.COMPANY, quotes, reds, example, (),
             {"base gone": money(none), "base outstanding": money(full)}, certainty=Certainty.ORDINARY,
             per_month=monthly(a, full - none, lapse, end),
             open_points=(f"the exercise price of the {', '.join(missing)} as a payment base is a business choice: "
                          "it raises every payment, not only those after conversion",)),
        missing=missing, completes_with=needs)]


def _sum_base(clause: str, text: str, b0: int, b1: int, term: str, missing: list[str], shares: str | None
              ) -> list[Redline]:
    """Redlines that make a payment base the sum of its parts, each counted for the payee alone, and add the missing
    instruments: "the sum of (A) ..., (B) ... and (C) <the base's first words> (such sum, the "Term")". The base's
    first words stay where they are (the redline that makes them the payee's own is another entry's); a part in
    parentheses ("(and, in the case of holders of X, Y)") becomes (A), "such X" becoming "the X held by it"; each
    missing instrument counts at its exercise price, held or exercised into the securities held."""
    base = text[b0:b1]
    paren = re.search(r"\(and,? in the case of holders of (?P<who>[A-Z][\w ]+?), (?P<what>[^()]+)\)", base)
    lab = re.search(r'\("[^"]+"\)$', base)
    if lab is None:
        return []
    cut = b0 + (paren.start() if paren else lab.start())
    parts = []
    if paren:
        who = paren.group("who")
        parts.append(re.sub(rf"\bsuch {re.escape(who)} were\b", f"the {who} held by it were", paren.group("what")))
    for t in missing:
        # "paid" would leave out shares from a cashless exercise, which pays no price (the lawyer's read of stop 32)
        parts.append(f"the aggregate exercise price of the {t} held by it" + (
            f" and the aggregate exercise price of the {shares} held by it (whether exercised for cash or without cash)"
            if shares else ""))
    letters = "ABCDEFG"
    named = [f"({letters[k]}) {w}" for k, w in enumerate(parts)]
    head = (", ".join(named) + f" and ({letters[len(named)]}) ") if named else ""
    return [insert_redline(clause, text, b0, "the sum of " + head),
            replace_redline(clause, text, cut, b1, f'(such sum, the "{term}")')]


def _business_span(d: date, months: int) -> tuple[date, date]:
    """The first period of whole months starting on or after a date that starts and ends on business days: a period
    in which sales cannot be made starts and ends with an act (a lapse, an SEC declaration)."""
    while business_day(d) != d or business_day(month_later(d, months)) != month_later(d, months):
        d += timedelta(days=1)
    return d, month_later(d, months)


# ------------------------------------------------------------------- the label after the last alternative

# a defined-term label right after the last alternative of an "earlier of" list; a label that says which alternative
# it names ("such earlier date") is not ambiguous
_LABEL = re.compile(r"the (?P<which>earlier|later|earliest|latest) of \((?:i|a|A|1)\) (?P<body>.{0,500}?) or "
                    r"\((?:ii|b|B|2)\) (?P<last>[^()]{1,80}?) (?P<lab>\((?:(?:such|that|which|this) [a-z ]{0,20}?,? )?(?:the )?"
                    r"\"(?P<term>[^\"]+)\"\))")


@detector("label-placement")
def label_placement(a: Agreement) -> list[Any]:
    """A defined-term label right after the last alternative of an "earlier of" list may name that alternative only."""
    out = []
    for clause, m in search(a.document, _LABEL):
        term = m.group("term")
        if re.search(r"\b(?:earlier|later|earliest|latest|first|last) (?:date|day|of)", m.group("lab")):
            continue
        dl = next((d for d in a.model.deadlines if f'"{term}")' in normalize(d.quote) and a.model.usable(d.id)), None)
        if dl is None or len(dl.terms) < 2:
            continue
        text = own(a.document, clause)
        uses = [(c, mm.group(0)) for c, mm in search(
            a.document, rf"(?:(?:is|be) )?(?:not )?(?:filed|file|declared effective)[^.,;]{{0,40}}?(?:by|than|after) the "
                        rf"{re.escape(term)}\b") if c != clause]
        quotes = [quote(clause, m.group(0)), *[quote(c, w.strip()) for c, w in uses[:2]]]
        signed = a.params["agreement.date"]
        pfed = business_day(signed + timedelta(days=84))
        both_fd, both_ed = deadlines(a, pfed, pfed + timedelta(days=700))
        lone = a.with_deadline_terms({dl.id: tuple(t for t in dl.terms if t.fixed) or dl.terms[-1:]})
        last_fd, _ = deadlines(lone, pfed, pfed + timedelta(days=700))
        if last_fd <= both_fd:
            continue
        filed = business_day(both_fd + timedelta(days=75))
        if filed >= last_fd:
            filed = business_day(last_fd - timedelta(days=10), back=True)
        eff = business_day(filed + timedelta(days=90))
        data = {"as_of": eff, "prior_financing_effective": pfed, "filed": filed, "effective": eff}
        earlier = pay(a, data)
        later = pay(lone, data)
        if earlier == later:
            continue
        example = (f"Prior Financing Effective Date {day(pfed)}: the earlier date is {day(both_fd)}. The Company files on "
                   f"{day(filed)} and the statement is effective on {day(eff)} ({(eff - filed).days} days of review). "
                   f"If \"{term}\" is the earlier date the filing was late: {money(earlier)}; if it is {day(last_fd)} the "
                   f"filing was on time: {money(later)} per $1,000,000.")
        lab = m.group("lab")
        l0 = text.find(lab, m.start())
        red = replace_redline(clause, text, l0, l0 + len(lab), f'(such {m.group("which")} date, the "{term}")')
        out.append(finding(
            "label-placement", clause, (clause, *[c for c, _ in uses]),
            f"{clause}: \"{term}\" may name only {m.group('last').strip()}, not the {m.group('which')} of the two dates",
            f"The label {m.group('lab')} sits right after the last alternative of the \"{m.group('which')} of\" list, so it "
            f"can be read as naming that date alone. On that reading a filing after the {m.group('which')} date but before "
            f"{m.group('last').strip()} breaches the filing duty yet is not late where other clauses use \"{term}\".",
            Memo(Severity.MEDIUM, Area.MONEY, Favours.COMPANY, quotes, [red], example, (),
                 {"earlier date": money(earlier), "last date": money(later)}, certainty=Certainty.ORDINARY,
                 # the difference stops growing once late effectiveness counts on both readings: a fixed amount
                 once=earlier - later),
            term=term))
    return out


# ------------------------------------------------------------------- the carve-out ignores Investor causes

@detector("carve-out-narrow")
def carve_out_narrow(a: Agreement) -> list[Any]:
    """The late-filing carve-out for delays the Investors cause leaves out Investor acts the text itself recognises
    (conditions precedent on their information, their consent to the filing)."""
    doc = a.document
    model = a.model
    clause = measure_clause(a)
    text = own(doc, clause)
    cm = re.search(r"(?:there shall be excluded from (?:such|that|the) period|(?:such|the) period shall (?:not include|exclude))"
                   r" any (?:delays?|days?)(?: of delay)? (?:which (?:are|is) |that (?:are|is) )?(?:solely |exclusively )?"
                   r"(?:attributable to|due to|caused by|resulting from) (?P<what>[^;]+);", text)
    if cm is None:
        return []
    carve = cm.group("what")
    triggers = set()
    for r in model.remedies:
        if r.clause == clause:
            triggers |= set(r.triggers)
    filing_clauses = {o.clause for o in model.obligations if o.id in triggers and o.performs == model.measure.filed}
    missing: list[tuple[str, str, str]] = []  # (clause, label, words)
    for c in model.conditions:
        if any(t in triggers for t in c.applies_to) and re.search(r"condition precedent", c.quote, re.IGNORECASE):
            ctext = own(doc, c.clause)
            fm = re.search(r"such Investor shall furnish to the Company such information", ctext)
            if f"Section {c.clause}" not in carve and not re.search(r"\bfurnish", carve):
                missing.append((c.clause, f"an Investor's failure to furnish the information {c.clause} requires",
                                fm.group(0) if fm else c.quote))
    for cr in model.consent_rules:
        if cr.clause in filing_clauses and cr.voters == "investors" and model.usable(cr.id):
            if f"Section {cr.clause}" not in carve and "consent" not in carve:
                missing.append((cr.clause, f"time taken to obtain the Investors' consent under {cr.clause}", cr.quote))
    # the months in which sales of "all" the securities cannot be made: securities left out of the statement by their
    # holder's election, or for want of its information, make every month such a month unless the measure says not
    sales = re.search(r"that sales of all of the (?P<cls>[A-Z][\w ]+?) cannot be made[^;]*", text)
    left_out: list[tuple[str, str]] = []  # (clause, words)
    if sales and not re.search(r"\belect|\bSection 4\(|excluded from the Registration Statement", sales.group(0)):
        for ec, mm in search(doc, r"such Investor's election to exclude all of such Investor's [A-Z][\w ]+? from (?:the|such) "
                                  r"Registration Statements?"):
            left_out.append((ec, mm.group(0)))
        cp = [cond for cond in model.conditions if re.search(r"condition precedent", cond.quote, re.IGNORECASE)
              and re.search(r"of a particular Investor", own(doc, cond.clause))]
        left_out += [(cond.clause, "such Investor shall furnish to the Company such information") for cond in cp
                     if "such Investor shall furnish to the Company such information" in own(doc, cond.clause)]
    if not missing and not left_out:
        return []
    quotes = [quote(clause, cm.group(0)[:-1]), *[quote(c, w) for c, _, w in missing]]
    quotes += [quote(c, w) for c, w in left_out if (c, w) not in {(m[0], m[2]) for m in missing}]
    fd, ed = deadlines(a, None, a.params["agreement.date"] + timedelta(days=1500))
    filed = business_day(fd + timedelta(days=8))
    eff = business_day(filed + timedelta(days=98))
    late_amt = pay(a, {"as_of": eff, "filed": filed, "effective": eff})
    ontime = pay(a, {"as_of": eff, "filed": business_day(fd, back=True), "effective": eff})
    example: str | None = (f"The prior registration statement is never effective, so the Filing Date is {day(fd)}; one Investor "
               f"returns its information on {day(filed - timedelta(days=1))} and the Company files on {day(filed)}; the "
               f"statement is effective on {day(eff)}. The late filing counts from {day(fd)}: {money(late_amt)} per "
               f"$1,000,000; filed on time, only the late effectiveness would count: {money(ontime)}"
               + reading_note(a, {"as_of": eff, "filed": business_day(fd, back=True), "effective": eff}, ontime) + ".")
    end = cm.end() - 1
    parts = []
    if any(c for c, lab, _ in missing if "furnish" in lab):
        cl = next(c for c, lab, _ in missing if "furnish" in lab)
        parts.append(f"to any Investor's failure to furnish information under Section {cl}")
    if any(c for c, lab, _ in missing if "consent" in lab):
        cl = next(c for c, lab, _ in missing if "consent" in lab)
        parts.append(f"to respond within five (5) business days to the Company's written request for consent under "
                     f"Section {cl}")
    reds = []
    if parts:
        words, beyond = ", or " + " or ".join(parts), ""
        if any(d.term == "Filing Date" for d in definitions(doc)):
            # excluding the days of delay alone leaves the filing late, so the count still starts at the Filing Date:
            # the example's harm is cured only by moving the Filing Date (which the model cannot express), and only
            # for the failing Investor's securities, since the Company may file on time without them
            words += (", and, as to the Registrable Securities of an Investor so failing, the Filing Date shall be "
                      "extended by one day for each day of such failure")
            beyond = "extending the Filing Date, for a failing Investor's securities, by the days of its failure"
        reds.append(insert_redline(clause, text, end, words, beyond=beyond))
    labels = [lab for _, lab, _ in missing]
    # a condition precedent limited to the defaulting Investor's own securities lets the Company file without them
    per_investor = [c for c, lab, _ in missing if "furnish" in lab and re.search(
        r"with respect to the [A-Z][\w ]+? of (?:a particular|such|that|the relevant) Investor", own(a.document, c))]
    expl = ("Only changes the Investors require and slow review by their counsel are excluded. An Investor late with "
            "the information the Company needs, or slow to give a consent the filing needs, still makes the Company file "
            "late and pay; the condition precedent excuses the duty, not the payment"
            + (f" (and under {per_investor[0]} only as to that Investor's securities, so the Company can avoid the "
               "late-filing payment by filing on time without them)" if per_investor else "") + ".") if missing else ""
    if left_out and sales:
        elect = sorted({c for c, w in left_out if "election" in w})
        info = sorted({c for c, w in left_out if "furnish" in w})
        why = " or ".join(([f"at their holder's election ({' and '.join(elect)})"] if elect else []) +
                          ([f"for want of its information ({' and '.join(info)})"] if info else []))
        expl += (("" if not expl else " ") + "Nor is a month excluded in which the only securities that cannot be sold "
                 f"are those left out of the statement {why}: on the any-shortfall reading, one Investor's choice or "
                 "default costs the Company the percentage on every Investor's principal for as long as it lasts.")
        how = " or ".join(([f"at its election under Section {' or '.join(elect)}"] if elect else []) +
                          ([f"for its failure to furnish information under Section {' or '.join(info)}"] if info else []))
        reds.append(insert_redline(clause, text, sales.end(), " and any day on which the only Registrable Securities that "
                                   f"cannot be so sold are those of an Investor excluded from the Registration Statement {how}"))
        if not missing:
            example = None
    return [finding(
        "carve-out-narrow", clause, (clause, *dict.fromkeys([c for c, _, _ in missing] + [c for c, _ in left_out])),
        f"{clause}: the exclusion of delays the Investors cause leaves out {', and '.join(labels) or 'nothing'}"
        + ("; securities an Investor leaves out of the statement still count as unsaleable" if left_out and sales else ""),
        expl,
        Memo(Severity.MEDIUM, Area.MONEY, Favours.INVESTORS, quotes, reds, example, (),
             {"filed late": money(late_amt), "filed on time": money(ontime)}, certainty=Certainty.ORDINARY,
             per_month=monthly(a, late_amt - ontime, fd, ed)),
        missing=labels)]



# ------------------------------------------------------------------- two caps joined by "or"

_CAPS = re.compile(rf"(?:not more than|no more than|up to) (?P<a>{NUM}) consecutive (?P<basis>trading |business |calendar )?"
                   rf"days\s*(?P<conn>[(,]?\s*(?:or|and)\s+(?:(?:a total|an aggregate|in the aggregate|in total)(?: of)?)?\s*)"
                   rf"(?:not more than|no more than|up to) (?P<b>{NUM}) (?P<basis2>trading |business |calendar )?days")


@detector("caps-or")
def caps_or(a: Agreement) -> list[Any]:
    """A per-instance cap and an aggregate cap on the same days joined by "or": one long delay within the aggregate."""
    out = []
    for clause, m in search(a.document, _CAPS):
        conn = m.group("conn")
        if not re.search(r"\bor\b", conn) or re.search(r"\band\b", conn):
            continue
        n1, n2 = _number(m.group("a")), _number(m.group("b"))
        if n1 is None or n2 is None or n2 <= n1:
            continue
        text = own(a.document, clause)
        mclause = measure_clause(a)
        mt = own(a.document, mclause)
        ex = re.search(r"excluding any days during an? [A-Z][\w ]+? \(as defined in Section [\w()]+\)", mt)
        quotes = [quote(clause, m.group(0) + text[m.end():m.end() + 60].split(",")[0])]
        if ex:
            quotes.append(quote(mclause, ex.group(0)))
        example, figs = _caps_example(a, n1, n2)
        c0 = m.start("conn") + conn.index("or")
        reds = [replace_redline(clause, text, c0, c0 + 2, "and")]
        unit = (m.group("basis") or m.group("basis2") or "").strip()
        days = f"{unit} days" if unit else "days"
        expl = (f"The caps are meant to apply together (no delay over {n1} {days}, no more than {n2} in the period), but "
                f"\"or\" lets the Company argue that one delay of {n2} {days} is within the total. Days within the delay are "
                "excluded from the payment, so the connective moves money.")
        term = re.compile(r'\((?:an?|the) "(?P<t>[A-Z][\w ]+)"\)').search(text, m.end())
        opens: tuple[str, ...] = ()
        if "back to back" in figs and term is not None:
            # the cap binds each delay: with "and" alone, delays declared back to back still exclude the whole run;
            # a clause that binds the Company again "with respect to the information giving rise thereto" bars only a
            # second delay for the same information
            t = term.group("t")
            same = re.search(r"with respect to the information giving rise thereto", text)
            expl += (f" Nor does \"and\" alone hold the Company to {n1} {days} in a row: each {t} is capped on its own"
                     + (", and the clause binds the Company again only \"with respect to the information giving rise "
                        "thereto\", so a second one for other information declared the next trading day excludes the "
                        "rest." if same else ", so a second one declared the next trading day excludes the rest."))
            gap = f"no {t} shall begin within five (5) {unit + ' ' if unit else ''}days after the end of another"
            reds.append(insert_redline(clause, text, term.end(), f", and {gap}", beyond=f"a pause between {t}s"))
            opens = (f"the length of the pause between {t}s (five {days} in the redline) is a business choice",)
        out.append(finding(
            "caps-or", clause, (clause, *([mclause] if ex else [])),
            f"{clause}: the caps of {n1} consecutive and {n2} total {days} are joined by \"or\": a single {n2}-{unit + '-' if unit else ''}"
            "day delay may be allowed",
            expl,
            Memo(Severity.MEDIUM, Area.MONEY, Favours.COMPANY, quotes, reds, example, (), figs,
                 certainty=Certainty.CONTINGENT, per_month=int(figs.get("per month", "0")), open_points=opens),
            caps=[n1, n2]))
    return out


def _caps_example(a: Agreement, n1: int, n2: int) -> tuple[str | None, dict[str, str]]:
    from rra.solver.calendars import Calendar

    ad = a.model.payment_measure().allowed_delay
    if not ad[0] or not ad[1]:
        return None, {}
    cal = Calendar("nyse")
    late = late_effectiveness(a, late_days=-20)
    start = first_of_month(month_later(late.effective, 6))
    while not cal.is_day(start, "trading"):
        start += timedelta(days=1)
    end = cal.add(start, n2 - 1, "trading")
    data = {"as_of": end, "prior_financing_effective": late.pfed, "filed": late.filed, "effective": late.effective,
            "allowed_delays": [{"start": start, "end": end}], "sales_blocked": [{"start": start, "end": end}]}
    both = pay(a, data)
    either = pay(a, data, values={ad[0]: n2})
    at_stake = round(monthly(a, both - either, start, end + timedelta(days=1)))
    figs = {"both caps": money(both), "either cap": money(either), "per month": str(at_stake)}
    text = (f"An Allowed Delay runs {n2} trading days, from {day(start)} to {day(end)}, and sales stop for its length. "
            f"With both caps only the first {n1} trading days are excluded and the rest counts: {money(both)} per "
            f"$1,000,000; with either cap the whole delay is excluded: {money(either)}.")
    # the same days as delays of at most n1 trading days each, declared back to back
    cuts, first = [], start
    while first <= end:
        last = min(cal.add(first, n1 - 1, "trading"), end)
        cuts.append({"start": first, "end": last})
        first = cal.add(last, 1, "trading")
    if len(cuts) > 1:
        back = pay(a, {**data, "allowed_delays": cuts})
        if back < both:
            figs["back to back"] = money(back)
            text += (f" With both caps the Company can still declare a second delay, for other information, on "
                     f"{day(cuts[1]['start'])} and exclude all {n2} trading days: {money(back)}"
                     + (" (the days between the delays)" if back else "") + ".")
    return text, figs


# ------------------------------------------------------------------- who is paid: "the Investors" or "each holder"

@detector("payee-differs")
def payee_differs(a: Agreement) -> list[Any]:
    """The trigger sentence pays the parties; the amount sentence pays holders of instruments."""
    clause = measure_clause(a)
    text = own(a.document, clause)
    p1 = re.search(r"(?:will|shall) make payments to (?P<p>the [A-Z]\w+|each [A-Z]\w+)", text)
    p2 = re.search(r"(?:shall|will) (?:pay|make (?:such |the )?payments?) to (?:each|every) (?P<p>holder of (?:the )?[A-Z][\w ]+? "
                   r"or [A-Z][\w ]+?)(?= an amount| a sum|,| in )", text)
    if not p1 or not p2 or "Investor" in p2.group("p"):
        return []
    from rra.solver.redline_lint import instruments

    late = late_effectiveness(a, late_days=31)
    part = pay(a, {**late.data(), "principal": 250_000})
    classes = instruments(a) or [x.strip() for x in re.split(r" or ", p2.group("p").removeprefix("holder of the "))]
    held = ", ".join(classes[:-1]) + " or " + classes[-1] if len(classes) > 1 else classes[0]
    example = (f"On {day(late.filing_date)} a fund sells $250,000 of Debentures to a buyer that does not join the "
               f"agreement. Effectiveness is due by {day(late.deadline)} and comes on {day(late.effective)}: the buyer "
               f"claims {money(part)} as a holder, though it gave no information for the statement and no indemnity.")
    t0 = text.rfind("The Company ", 0, p2.start())
    t0 = t0 if t0 >= 0 and p2.start() - t0 < 60 else -1
    red = replace_redline(clause, text, t0 if t0 >= 0 else p2.start(), p2.end(),
                          f"The Company shall pay to each Investor that holds {held}" if t0 >= 0 else
                          f"each Investor that holds {held}", meaning={"*": {}})
    # the new payees are paid on the base: a class of theirs the base does not count, or a base summed over all
    # holders, is cured by the redlines of the entries on the base, which this one's cure then needs
    bm = re.search(r"(?:an amount|a sum) equal to (?P<base>.+?)(?=,? (?:multiplied by|times)\b)", text)
    own_base = _PAY_EACH.search(text)
    needs = tuple(k for k, hit in (
        ("aggregate-base", bool(own_base and not (own_base.group("rel") or re.search(
            r"\b(?:its|such holder's|his|pro rata)\b", own_base.group("base"))))),
        ("base-omits-class", bool(bm and any(c not in bm.group("base") for c in classes)))) if hit)
    return [finding(
        "payee-differs", clause, (clause,),
        f"{clause} pays \"each {p2.group('p')}\", not \"{p1.group('p')}\"",
        f"The trigger promises payments to {p1.group('p')}; the amount is paid to each {p2.group('p')}. A buyer of a "
        "Debenture who never joined the agreement is a holder and can claim, while an Investor holding only Warrants "
        "holds neither and is paid nothing (see the entry on the payment base).",
        Memo(Severity.MEDIUM, Area.MONEY, Favours.NEITHER,
             [quote(clause, p1.group(0)), quote(clause, text[t0:p2.end()] if t0 >= 0 else p2.group(0))], [red], example,
             (), {"buyer": money(part)}, certainty=Certainty.CONTINGENT,
             per_month=monthly(a, part, late.deadline, late.effective)), completes_with=needs)]


# ------------------------------------------------------------------- paid in shares that are not registered

@detector("paid-in-shares")
def paid_in_shares(a: Agreement) -> list[Any]:
    """The measure may be paid in shares that the registrable class does not clearly include."""
    doc = a.document
    clause = measure_clause(a)
    text = own(doc, clause)
    m = re.search(r"at (?:the Company's|its) (?:sole )?(?:option|election|discretion),? in (?:shares of )?(?P<cls>[A-Z]\w+"
                  r"(?: [A-Z]\w+)?)", text)
    if not m or re.search(r"Registrable Securities|registered|Registration Statement", text[m.end():m.end() + 120]):
        return []
    reg = next((d for d in definitions(doc) if d.form == "means" and "issued or issuable" in d.body), None)
    if reg is None or re.search(rf"Section {re.escape(clause)}|hereunder|under this Agreement|pursuant to this Agreement",
                                reg.body):
        return []
    ext = re.search(r"shares of [A-Z]\w+ \w+ issued or issuable in payment of the [^(]+\(as defined in the [^)]+\)", reg.body)
    # shares another document defines as paid for damages ("Damages Shares (as defined in the Debentures)")
    dmg = re.search(r"(?P<t>(?:[A-Z]\w+ )*Damages Shares) \(as defined in the (?P<d>[^)]+)\)", reg.body)
    quotes = [quote(clause, m.group(0))]
    if dmg:
        quotes.append(quote(reg.clause, dmg.group(0)))
    if ext:
        quotes.append(quote(reg.clause, ext.group(0)))
    routes = ([f"they are \"{dmg.group('t')}\" as defined in the {dmg.group('d')}"] if dmg else []) + (
        ["the payment is the \"" + re.sub(r".*payment of the ([^(]+?) ?\(as defined in the ([^)]+)\).*",
                                           r'\1" defined in the \2', ext.group(0))] if ext else [])
    cover = next(((c, mm.group(0)) for c, mm in search(doc, r"covering the resale of the Registrable Securities underlying "
                                                             r"the [A-Z]\w+ and [A-Z]\w+")), None)
    if cover:
        quotes.append(quote(*cover))
    late = late_effectiveness(a, late_days=31)
    one = pay(a, late.data())
    example = (f"Effectiveness comes a month late, on {day(late.effective)}: {money(one)} per $1,000,000 is due, and the "
               "Company pays it in shares. If those shares are not registered they are restricted for Rule 144's one-year "
               "holding period, so the payment cannot be realised for a year.")
    red = insert_redline(clause, text, m.end(), " (which shall be Registrable Securities and, when issued, covered "
                         "by an effective Registration Statement under which they may be resold)")
    return [finding(
        "paid-in-shares", clause, (clause, reg.clause, *([cover[0]] if cover else [])),
        f"{clause} payments may be made in shares that need not be registered",
        f"The Company may pay in shares, but those shares are {reg.term} only if "
        + (" or ".join(routes) if routes else "the payment is an external amount")
        + ", which this agreement does not say, and the filing duty covers only the shares underlying the instruments. "
        "Investors compensated for being unable to sell may be paid in more shares they cannot sell.",
        # the redline makes the shares' registration a condition of paying in them: while no statement is effective,
        # which is when late filing and late effectiveness payments accrue, the Company must pay in cash
        Memo(Severity.MEDIUM, Area.MONEY, Favours.COMPANY, quotes, [red], example, (), {"one month": money(one)},
             certainty=Certainty.ORDINARY, open_points=(
                 "the redline lets the Company pay in shares only while a statement covering them is effective, so "
                 "payments for late filing or late effectiveness, when none is, must be paid in cash; a business change "
                 "to the Company's option",)))]


# ------------------------------------------------------------------- no day-count rule for partial months

CONVENTION_WORDS = {"calendar-month": "calendar months", "30-day": "30-day months", "actual-365": "actual/365"}


@detector("no-day-count")
def no_day_count(a: Agreement) -> list[Any]:
    """Months "prorated for partial months" with no rule for turning days into months."""
    doc = a.document
    hits = list(search(doc, r"pro[- ]?rated? for (?:any )?partial months?|pro rata for (?:any )?partial months?"))
    if not hits:
        return []
    full = doc.normalized()
    if re.search(r"(?:divided by|on the basis of|based on) (?:a )?(?:thirty|30|three hundred|360|365|the (?:actual )?number of "
                 r"days)|partial month shall be", full, re.IGNORECASE):
        return []
    clause = hits[0][0]
    text = own(doc, clause)
    rate = rate_sentence(a, clause, text)
    pm = re.search(r"[^,;()]{0,40}\(" + re.escape(hits[0][1].group(0)) + r"\)", text)
    quotes = [quote(clause, pm.group(0).strip() if pm else hits[0][1].group(0))]
    if rate:
        quotes.append(quote(clause, text[rate[0]:rate[1]]))
    figs: dict[str, str] = {}
    example = None
    conv = a.model.measure.convention
    if conv and conv in a.params.by_name and a.params.by_name[conv].choices:
        late = late_effectiveness(a, late_days=45)
        parts = []
        for c in a.params.by_name[conv].choices:
            figs[c] = money(pay(a, late.data(), values={conv: c}))
            parts.append(f"{CONVENTION_WORDS.get(c, c)} "
                         f"{figs[c]}")
        example = (f"Effectiveness due by {day(late.deadline)} comes 45 days late, on {day(late.effective)}: "
                   + "; ".join(parts) + " per $1,000,000.")
    reds = []
    opens: tuple[str, ...] = ()
    if rate:
        # the whole count in days over thirty (not only the partial month: from when its days run would be open), read
        # by the model as the 30-day convention
        thirty = "30-day" if conv and conv in a.params.by_name and "30-day" in a.params.by_name[conv].choices else None
        reds.append(replace_redline(clause, text, rate[0], rate[1], text[rate[0]:rate[1]].rstrip() + f" For purposes of this Section "
                                    f"{clause}, the number of months in any period shall be the number of days by which "
                                    "its end follows its beginning, divided by thirty (30).",
                                    meaning={"*": {}, **({conv: {"value": thirty}} if conv and thirty else {})}))
        current = str(a.params[conv]) if conv and conv in a.params.by_name else ""
        if thirty and current != thirty and example:
            opens = (f"the memo's figures count {CONVENTION_WORDS.get(current, current)}; on this redline every period counts its "
                     f"days over thirty (the example: {figs[thirty]} instead of {figs[current]}), and a month of 31 days "
                     "counts for more than one month",)
    return [finding(
        "no-day-count", clause, (clause,),
        f"{clause}: \"prorated for partial months\" has no day-count rule",
        "Whether a partial month is the days over thirty, over the length of that month, or over a twelfth of a year is "
        "not said. The difference is small but applies to every period and will be argued in every claim.",
        Memo(Severity.MEDIUM, Area.MONEY, Favours.NEITHER, quotes, reds, example, (), figs, certainty=Certainty.ORDINARY,
             open_points=opens))]


__all__ = ["measure_clause", "Withheld"]


# ------------------------------------------------------------ a grace period before payments the measure counts anyway

@detector("grace-versus-measure")
def grace_versus_measure(a: Agreement) -> list[Any]:
    """A clause grants a grace period before "payments pursuant to" the measure's clause, while the state that
    triggers its duty is one a component of the measure counts from its first day."""
    measure = a.model.measure
    mclause = measure.clause
    comps = {c.id: c for c in measure.components}
    out = []
    for r in a.model.remedies:
        if r.clause == mclause or not a.model.usable(r.id):
            continue
        grace = [p for p in r.reads if a.params.by_name.get(p) is not None and a.params.by_name[p].unit == "days"]
        states = [c for c in a.model.conditions if c.clause == r.clause and any(x in comps for x in c.applies_to)]
        if not grace or not states:
            continue
        text = own(a.document, r.clause)
        m = re.search(rf"(?:In the event that|In the event|If) (?P<subj>the [\w/ ]+?Registration Statement) (?:is not|has not "
                      rf"been) (?:declared )?effective (?:within|by the end of) [^.]*?(?:pursuant to|under|provided for in|"
                      rf"in accordance with|set forth in|described in) Section {re.escape(mclause)}(?: hereof)?(?P<rest>[^.]*)\.",
                      text)
        if m is None or re.search(r"\bcount|\bfrom the end\b|\baccrue", m.group("rest")):
            continue
        days = int(a.params[grace[0]])
        comp = comps[next(x for x in states[0].applies_to if x in comps)]
        late = late_effectiveness(a, late_days=-20)
        start = trading_day(first_of_month(month_later(late.effective, 9)))
        new_filed = business_day(start + timedelta(days=14))
        cured = business_day(new_filed + timedelta(days=61))
        base = {"as_of": cured, "prior_financing_effective": late.pfed, "filed": late.filed, "effective": late.effective}
        first = pay(a, {**base, "sales_blocked": [{"start": start, "end": cured - timedelta(days=1)}]})
        after = pay(a, {**base, "sales_blocked": [{"start": start + timedelta(days=days), "end": cured - timedelta(days=1)}]})
        # a component worded "sales of all ... cannot be made" counts a shortfall only on the any-shortfall reading,
        # which the all-cannot entry calls contested: then the first month's money turns on that reading too
        contested = shortfall_contested(a, comp)
        example = (f"From {day(start)} more shares are needed than the effective statement registers; a new statement is "
                   f"filed on {day(new_filed)} and declared effective on {day(cured)} ({(cured - new_filed).days} days). "
                   + ("If any shortfall counts, counted from the first " if contested else "Counted from the first ")
                   + f"day: {money(first)} per $1,000,000; after the {days} days' grace: {money(after)}"
                   + ("; if only a total stop counts: $0." if contested else "."))
        red = insert_redline(r.clause, text, m.end() - 1 - len(m.group("rest")),
                             f", counting under {component_ref(a, comp)} each month (prorated for partial months) from the end of "
                             f"such period until {m.group('subj')} is declared effective; no amount shall accrue under "
                             f"Section {mclause} by reason of such insufficiency before the end of such period")
        red = Redline(red.clause, red.replace, red.with_, red.count, {"*": {}})
        out.append(finding(
            "grace-versus-measure", r.clause, (r.clause, mclause),
            f"{r.clause} grants {days} days before payments under {mclause}, but {comp.id} may count the same shortfall "
            "from its first day",
            f"{r.clause} reads as if the shortfall costs nothing unless the fix is more than {days} days late"
            + (f". If any shortfall counts as a month in which sales of all the securities cannot be made (contested, "
               f"see the entry on whether any shortfall counts), the measure's component {comp.id} counts this one from "
               "its first day, and which governs decides whether the first month is paid; if only a total stop counts, "
               f"{comp.id} counts no shortfall at all and the payments {r.clause} calls for measure nothing."
               if contested else
               f", yet the measure's component {comp.id} counts months in which sales of all the securities cannot be "
               "made, which a shortfall is, from the first day. Which governs decides whether the first month is paid."),
            Memo(Severity.MEDIUM, Area.MONEY, Favours.NEITHER,
                 [quote(r.clause, m.group(0)), quote(states[0].clause, states[0].quote), quote(mclause, comp.quote)],
                 [red], example, tuple(f"z3.remedy.{o}" for o in r.triggers),
                 {"first day": money(first), "after grace": money(after), **({"total stop": "$0"} if contested else {})},
                 certainty=Certainty.ORDINARY,
                 # what is at stake on every reading: nothing, when the first month is paid only on a contested one
                 per_month=0 if contested else monthly(a, first - after, start, start + timedelta(days=days)),
                 open_points=(f"the redline adopts the Company's reading, so the first {days} days of every shortfall "
                              "are free of payments, and more if that period is lengthened (see the entry on the "
                              "review window); counting from the first day is the Investors' alternative",)),
            grace_days=days))
    return out
