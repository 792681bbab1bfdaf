"""Provisions review, consent and voting, parties and definitions: votes that count only some holders, one
decision given to several electorates, one adviser chosen under two rules, unanimity limbs, decisions with no
stated vote, terms defined twice, a registrable class that never ends, rights that do not travel with the
instruments (rra.solver.provisions)."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta
from fractions import Fraction
from typing import Any

from rra.solver.consent import opening
from rra.solver.memo import Area, Certainty, Favours, Redline, Severity
from rra.solver.provisions import (
    Memo,
    day,
    detector,
    finding,
    late_effectiveness,
    money,
    monthly,
    own,
    pay,
    quote,
    replace_redline,
    search,
)
from rra.spec.agreement import Agreement
from rra.spec.clauses import Document
from rra.spec.elements import ConsentRule
from rra.spec.terms import definitions
from rra.spec.text import normalize

from rra.output import listed

# How a rule counts, in words (the vocabulary of rra.spec.elements.ConsentRule).
BASIS = {
    "debentures_and_converted_unregistered": "a majority in interest of the Debentures (outstanding, or converted but "
                                             "not registered)",
    "registrable_held": "a majority of the Registrable Securities held of record",
    "registrable_offered": "a majority of the Registrable Securities being offered",
    "registrable_registered": "a majority of the Registrable Securities being registered",
    "registrable_included": "a majority of the Registrable Securities included in the statement",
    "registrable_as_converted": "a majority of the Registrable Securities, Debentures counted as converted",
    "head_count": "a majority of the Investors by number",
}
REQUIRES = {
    "company": "with the Company's consent",
    "company_reasonable": "the choice to be reasonably satisfactory to the Company",
    "investors_majority": "with the approval of a majority-in-interest of the Investors",
    "investors_approval": "with the approval of the Investors",
    "each_holding_investor": "with the consent of each Investor that holds Registrable Securities",
}


def singular_of(term: str) -> str:
    """"Registrable Securities" -> "Registrable Security", "Investors" -> "Investor"."""
    if term.endswith("ies"):
        return term[:-3] + "y"
    return term[:-1] if term.endswith("s") else term


def _rules(a: Agreement) -> list[ConsentRule]:
    return [r for r in a.model.consent_rules if a.model.usable(r.id)]


def _default(a: Agreement) -> ConsentRule | None:
    return next((r for r in _rules(a) if r.default), None)


def electorate(r: ConsentRule) -> str:
    """Who decides under a rule, in words."""
    if r.threshold == "unqualified":
        who = "\"the Investors\" (no number stated)"
    else:
        who = BASIS.get(r.basis, r.basis.replace("_", " "))
    extra = [REQUIRES.get(x, x) for x in r.requires]
    return who + (", " + ", ".join(extra) if extra else "")


def decision_object(decision: str) -> str:
    """What a decision chooses, without its verb, article, occasion or note: "select underwriters for a 2(a)
    offering" -> "underwriter"; "designate reviewing counsel" -> "reviewing counsel"."""
    d = re.sub(r"\(.*?\)", "", decision).strip()
    d = re.split(r"\s+(?:for|under|of|in)\s+", d)[0]
    words = d.split()[1:]
    words = [w for w in words if w not in ("a", "an", "the")]
    if not words:
        return ""
    words[-1] = words[-1][:-1] if words[-1].endswith("s") and not words[-1].endswith("ss") else words[-1]
    return " ".join(words)


def _shape(r: ConsentRule) -> tuple[Any, ...]:
    return (r.voters, r.basis, r.threshold, tuple(sorted(r.requires)))


# ------------------------------------------------------------------- votes that count only record-owned shares

@detector("record-holders-vote")
def record_holders_vote(a: Agreement) -> list[Any]:
    """Votes that count only issued shares owned of record: Investors holding Debentures or Warrants (or shares in
    street name) have no say, and before any conversion no one can decide."""
    doc = a.document
    # the sentence that makes ownership of record what counts as holding ("deemed to be a holder ... whenever ... owns of
    # record", "only the record owner ... shall be treated as the holder")
    hold = next(((c, m) for c, m in search(doc, r"(?:(?<=\. )|^)[^.]*?\b(?:holders?|owners?)\b[^.]*?(?:\bof record\b|\brecord "
                                              r"(?:owner|holder)s?\b)[^.]*\.|(?:(?<=\. )|^)[^.]*?(?:\bof record\b|\brecord "
                                              r"(?:owner|holder)s?\b)[^.]*?\bholders?\b[^.]*\.")
                 if "beneficial" not in m.group(0) and re.search(r"[A-Z]\w+ Securities|[A-Z]\w+ Stock", m.group(0))), None)
    if hold is None:
        return []
    own_vote = [r for r in _rules(a) if r.basis == "registrable_held" and not r.default and r.threshold == "majority"]
    dflt = _default(a)
    deem = None
    if dflt is not None:
        deem = re.search(r"determined as if [^.]*?(?:converted|exercised)[^.]*", own(doc, dflt.clause))
    instruments = [d.term for d in definitions(doc) if d.clause.startswith("recital") and d.term in (
        own(doc, hold[0]) + " " + (deem.group(0) if deem else ""))]
    missing_inst = []
    if deem is not None:
        for t in ("Warrants", "Debentures"):
            if t not in deem.group(0) and any(t == d.term for d in definitions(doc)):
                missing_inst.append(t)
    if not own_vote and not missing_inst:
        return []
    _ = instruments
    quotes = [quote(r.clause, r.quote) for r in own_vote]
    quotes.append(quote(hold[0], hold[1].group(0).strip()))
    if deem is not None and dflt is not None:
        quotes.append(quote(dflt.clause, deem.group(0)))
    late = late_effectiveness(a, late_days=87)
    # the money example needs a vote that can waive the payments (an amendment or waiver clause among these votes)
    waiver = [r for r in own_vote if r.acts == "amendment"]
    lost = pay(a, late.data()) if waiver else Fraction(0)  # per $1,000,000 of the Debentures B and C hold
    # a default rule that yields to clauses setting their own vote makes the example one reading of two
    theirs = [r.clause for r in own_vote if r.voters == "investors"]
    contested = dflt is not None and bool(theirs) and opening(doc, dflt).yields and bool(opening(doc, dflt).words)
    held = ("Investor A converted $10,000 of Debentures and holds the shares of record; B and C still hold $990,000 of "
            "Debentures.")
    example = (f"On our reading (the count of Section {dflt.clause} does not reach Section{'s' * (len(theirs) > 1)} "
               f"{' and '.join(theirs)}): " if contested and dflt is not None else "") + (
               f"{held} Effectiveness due by {day(late.deadline)} comes on {day(late.effective)}; A and the Company "
               f"then waive the payments retroactively: B and C lose {money(lost)} per $1,000,000 of their Debentures, "
               "without a vote."
               if waiver else
               f"{held} A alone decides under Section{'s' * (len(own_vote) > 1)} {listed(r.clause for r in own_vote)} "
               f"({listed(r.decision for r in own_vote)}); B and C have no say.")
    reds: list[Redline] = []
    t0 = own(doc, hold[0])
    h0 = t0.find(hold[1].group(0).strip())
    secs = ", ".join(r.clause for r in own_vote[:-1]) + (f" and {own_vote[-1].clause}" if len(own_vote) > 1 else
                                                         (own_vote[0].clause if own_vote else ""))
    if h0 >= 0:
        sent = hold[1].group(0).strip()
        new = re.sub(r"\bof record\b", "of record or beneficially (without duplication)", sent, count=1)
        new = re.sub(r"\brecord (owner|holder)", r"record or beneficial \1 (without duplication)", new, count=1)
        if own_vote:
            new = new[:-1] + (f", and for purposes of Sections {secs} each holder of Debentures or Warrants shall be deemed "
                              "to hold the Registrable Securities issuable upon their conversion or exercise (without regard "
                              "to any limitation on conversion or exercise).")
        reds.append(replace_redline(hold[0], t0, h0, h0 + len(sent), new, meaning={"*": {}}))
    if deem is not None and dflt is not None and missing_inst:
        dt = own(doc, dflt.clause)
        d0 = dt.find(deem.group(0))
        reds.append(replace_redline(dflt.clause, dt, d0, d0 + len(deem.group(0)),
                                    "determined as if all of the Debentures and Warrants then outstanding had been "
                                    "converted into or exercised for Registrable Securities", meaning={"*": {}}))
    absorbs = ("consent.no-say.*", "consent.impossible-before-conversion", "consent.reading.as-converted",
               "consent.reading.issuable")
    expl = (f"{hold[0]} counts only shares owned of record, and "
            + (f"{secs} set their own tests, so the as-converted count of {dflt.clause if dflt else 'the default rule'} "
               "does not reach them: an Investor still holding only Debentures or Warrants has no vote and no veto there, "
               "and before any conversion no one can decide at all." if own_vote else "")
            + (f" Even the default count treats only {', '.join(t for t in ('Debentures', 'Warrants') if t not in missing_inst)}"
               f" as converted, so holders of {', '.join(missing_inst)} have no say anywhere." if missing_inst else "")
            + " Shares held in street name are owned of record by the depository's nominee, not the Investor.")
    return [finding(
        "record-holders-vote", hold[0], (*(r.clause for r in own_vote), hold[0], *([dflt.clause] if dflt else [])),
        f"Votes under {secs or (dflt.clause if dflt else hold[0])} count only issued shares owned of record: Investors "
        "holding Debentures or Warrants have no say",
        expl, Memo(Severity.HIGH if waiver else Severity.MEDIUM, Area.CONSENT, Favours.COMPANY, quotes, reds, example,
                   absorbs, {"lost": money(lost)} if waiver else {}, certainty=Certainty.ORDINARY,
                   per_month=monthly(a, lost, late.deadline, late.effective) if waiver else 0),
        rules=[r.id for r in own_vote])]


# ------------------------------------------------------------------- one decision, several electorates

@detector("one-decision")
def one_decision(a: Agreement) -> list[Any]:
    """The same choice (same object, same occasion) is given to different electorates by different clauses, none
    saying which prevails."""
    out = []
    groups: dict[str, list[ConsentRule]] = {}
    for r in _rules(a):
        if r.default or r.voters not in ("investors", "holders"):
            continue
        obj = decision_object(r.decision)
        if obj:
            groups.setdefault(obj, []).append(r)
    for obj, rules in sorted(groups.items()):
        clauses = list(dict.fromkeys(r.clause for r in rules))
        if len(clauses) < 2 or len({_shape(r) for r in rules}) < 2:
            continue
        # a clause that says it follows another's choice is not a competing rule
        primary = next((r for r in rules if any(x.startswith("company") for x in r.requires)), rules[0])
        quotes = [quote(r.clause, r.quote) for r in rules]
        reds: list[Redline] = []
        meaning: dict[str, dict[str, Any] | None] = {"*": {}}
        for r in rules:
            if r.clause == primary.clause:
                continue
            text = own(a.document, r.clause)
            q = normalize(r.quote)
            q0 = text.find(q)
            if q0 < 0 or not q.startswith("In the event"):
                continue
            meaning[r.id] = None
            for p in (r.share, r.approval_share):
                if p:
                    meaning[p] = None
            plural = obj.endswith("s") or obj == "underwriter"
            new = (f"In the event {obj}s are selected for the offering in accordance with Section {primary.clause}" if plural
                   else f"In the event the {obj} is selected in accordance with Section {primary.clause}")
            reds.append(replace_redline(r.clause, text, q0, q0 + len(q), new, meaning=dict(meaning)))
        lines = "; ".join(f"{r.clause}: {electorate(r)}" for r in rules)
        out.append(finding(
            "one-decision", obj.replace(" ", "-"), clauses,
            f"Choice of {obj}s: {', '.join(clauses[:-1])} and {clauses[-1]} set {len({_shape(r) for r in rules})} different "
            "votes",
            f"One decision, the {obj}s for an offering of the Investors' securities, is given to different groups ({lines}), "
            "and nothing says which prevails: two groups with no member in common can each choose validly, and only one "
            "rule gives the Company a say.",
            Memo(Severity.MEDIUM, Area.CONSENT, Favours.NEITHER, quotes, reds, None,
                 ("rules:" + ",".join(r.id for r in rules),), certainty=Certainty.CONTINGENT),
            rules=[r.id for r in rules]))
    return out


# ------------------------------------------------------------------- one adviser chosen under two rules

@detector("one-adviser")
def one_adviser(a: Agreement) -> list[Any]:
    """A clause pays for "one" adviser "selected ... pursuant to Sections X and Y" while X and Y give the choice to
    different groups."""
    out = []
    for clause, m in search(a.document, r"(?:one|a single) (?P<adv>counsel|legal counsel|firm of counsel) (?:selected|designated|"
                                        r"chosen|appointed) by the Investors (?:pursuant to|under|in accordance with) Sections "
                                        r"(?P<x>\d+\([a-z]\)) and (?P<y>\d+\([a-z]\))(?P<tail> hereof)?"):
        xs = [r for r in _rules(a) if r.clause == m.group("x") and "counsel" in r.decision]
        ys = [r for r in _rules(a) if r.clause == m.group("y") and "counsel" in r.decision]
        if not xs or not ys or _shape(xs[0]) == _shape(ys[0]):
            continue
        rx, ry = xs[0], ys[0]
        text = own(a.document, clause)
        keep, drop = (ry, rx) if decision_object(ry.decision) != "counsel" else (rx, ry)
        reds: list[Redline] = []
        dt = own(a.document, drop.clause)
        dm = re.search(r"select one legal counsel and ", dt)
        if dm:
            reds.append(replace_redline(drop.clause, dt, dm.start(), dm.end(), "select ",
                                        meaning={drop.id: None, "*": {}}))
        reds.append(replace_redline(clause, text, m.start(), m.end(),
                                    f"one counsel designated by the Investors pursuant to Section {keep.clause}"
                                    f"{m.group('tail') or ''} (which shall also act for the Investors in any offering "
                                    f"under Section {drop.clause})", meaning={"*": {}}))
        out.append(finding(
            "one-adviser", clause, (rx.clause, ry.clause, clause),
            f"Counsel: {rx.clause} and {ry.clause} give the choice to different groups, and {clause} pays for one counsel "
            "chosen under both",
            f"{rx.clause} lets {electorate(rx)} choose counsel; {ry.clause} lets {electorate(ry)} designate counsel; "
            f"{clause} has the Company pay for \"one counsel\" selected under both, so whether it pays for neither, one or "
            "both is unclear when they choose different firms.",
            Memo(Severity.MEDIUM, Area.CONSENT, Favours.COMPANY,
                 [quote(rx.clause, rx.quote), quote(ry.clause, ry.quote), quote(clause, m.group(0))], reds, None,
                 (f"rules:{rx.id},{ry.id}",), certainty=Certainty.CONTINGENT),
            rules=[rx.id, ry.id]))
    return out


# ------------------------------------------------------------------- a veto for every holder

@detector("veto-each")
def veto_each(a: Agreement) -> list[Any]:
    """A rule requiring each holding Investor's consent beside a majority of the same class: the majority limb is
    surplus, any holder can block, and assignments of any portion create new vetoes."""
    out = []
    assign = next((r for r in _rules(a) if r.threshold == "none" and "conditions" in r.requires), None)
    for r in _rules(a):
        if "each_holding_investor" not in r.requires or r.threshold != "majority":
            continue
        quotes = [quote(r.clause, r.quote)]
        portion = None
        if assign is not None:
            portion = next(((c, mm.group(0)) for c, mm in search(a.document, r"to any transferee of all or any portion of "
                                                                          r"[A-Z][\w ]+?(?= if)") if c == assign.clause), None)
            if portion:
                quotes.append(quote(*portion))
        text = own(a.document, r.clause)
        mm = re.search(r"(?:each of the Investors|every Investor|each Investor)(?: \([^)]*\)| that still (?:holds|owns) "
                       r"[A-Z][\w ]+?)? and (?P<maj>Investors (?:who hold|holding) a majority[\w -]*? of the Registrable "
                       r"Securities)", text)
        reds = []
        dflt = _default(a)
        if mm:
            new = (mm.group("maj") + (f" (determined as provided in Section {dflt.clause})" if dflt else "")
                   + f", and each Investor whose right to payment under Section {a.model.measure.clause} would be reduced "
                   "or delayed or who would be treated differently from the other Investors")
            reds.append(replace_redline(r.clause, text, mm.start(), mm.end(), new,
                                        meaning={r.id: {"requires": [x for x in r.requires
                                                                     if x != "each_holding_investor"]}, "*": {}}))
        out.append(finding(
            "veto-each", r.clause, (r.clause, *([assign.clause] if portion and assign else [])),
            f"{r.clause} gives every Investor that holds a Registrable Security a veto; the majority requirement is surplus"
            + (f", and {assign.clause} lets vetoes multiply" if portion and assign else ""),
            "Requiring each holding Investor's consent makes the majority meaningless and lets any holder, however small, "
            f"block the decision ({r.decision}), including one the Company needs to cure a defect."
            + (f" Because {assign.clause} allows assignment of any portion without the Company's consent, each transferee "
               "that joins (one share is enough) gets its own veto." if portion and assign else ""),
            Memo(Severity.MEDIUM, Area.CONSENT, Favours.INVESTORS, quotes, reds, None,
                 ("consent.veto.single-share", "consent.assignment-adds-veto.*"), certainty=Certainty.ORDINARY),
            rule=r.id))
    return out


# ------------------------------------------------------------------- decisions of "the Investors" with no vote

_UNQUALIFIED = re.compile(
    r"(?P<w>(?:the (?:prior written )?(?P<n>consent|approval) of (?P<maj>a majority(?:[\s-]in[\s-]interest)? of )?the "
    r"Investors)|(?:(?P<v>designated|selected|chosen|appointed|approved) by the Investors))(?P<after>[^.;]{0,40})")


# words right after the decision that say how the Investors vote (a reference to the clause that sets the vote)
_STATED = re.compile(r"\s*(?:\(?\s*(?:(?:acting|given|determined|measured[\w ,]*?)\s*)?(?:as provided in|pursuant to|"
                     r"in accordance with)\s+Section|holding|who hold)")


@detector("decision-without-vote")
def decision_without_vote(a: Agreement) -> list[Any]:
    """Consents, approvals and designations "of the Investors" that state no vote (each of them? a majority of
    what?), in a text that uses both individual and collective forms."""
    hits = []
    for clause, m in search(a.document, _UNQUALIFIED):
        after = m.group("after")
        if _STATED.match(after):
            continue
        if m.group("maj") and re.match(r"\s*(?:measured|holding|\(measured)", after):
            continue
        hits.append((clause, m))
    if not hits:
        return []
    dflt = _default(a)
    if dflt is None:
        return []
    quotes = [quote(c, m.group("w")) for c, m in hits]
    dq = re.search(r"Except as otherwise provided herein, all consents[^,]*?shall be made by [^,.]+", own(a.document,
                                                                                                      dflt.clause))
    if dq:
        quotes.append(quote(dflt.clause, dq.group(0)))
    reds: list[Redline] = []
    for c, m in hits:
        text = own(a.document, c)
        w0 = m.start("w")
        w1 = m.end("w")
        if m.group("maj"):
            add = f" (measured by the Registrable Securities held, as provided in Section {dflt.clause})"
        elif m.group("n"):
            add = f" (given as provided in Section {dflt.clause})"
        else:
            add = f" (as provided in Section {dflt.clause})"
        reds.append(replace_redline(c, text, w0, w1, m.group("w") + add, meaning={"*": {}}))
    clauses = list(dict.fromkeys(c for c, _ in hits))
    example = None
    figs: dict[str, str] = {}
    if any(m.group("n") == "consent" for _, m in hits):
        from rra.solver.provisions import deadlines

        fd, _ = deadlines(a, None, a.params["agreement.date"] + timedelta(days=1500))
        filed = fd + timedelta(days=8)
        eff = filed + timedelta(days=98)
        late_amt = pay(a, {"as_of": eff, "filed": filed, "effective": eff})
        ontime = pay(a, {"as_of": eff, "filed": fd, "effective": eff})
        figs = {"held up": money(late_amt), "on time": money(ontime)}
        example = (f"The prior registration statement is never effective, so the Filing Date is {day(fd)}. One Investor "
                   f"withholds its consent to the form of the statement until {day(filed - timedelta(days=1))}; the Company "
                   f"files on {day(filed)} and the statement is effective on {day(eff)}. If each Investor's consent is "
                   f"needed the filing was late: {money(late_amt)} per $1,000,000 instead of {money(ontime)} (compare "
                   "the example in the entry on the Investors' delays).")
    return [finding(
        "decision-without-vote", "-".join(clauses), (*clauses, dflt.clause),
        f"Decisions of \"the Investors\" with no stated vote in {', '.join(clauses)}",
        f"{dflt.clause} supplies a default majority for consents \"by the Investors\", but it is arguable whether \"the "
        "consent of the Investors\" or \"the approval of the Investors\" means each of them, and \"a majority-in-interest "
        "of the Investors\" names no securities to measure interest by. If each Investor must consent, one Investor can "
        "hold up the filing while payments run.",
        Memo(Severity.MEDIUM, Area.CONSENT, Favours.INVESTORS, quotes, reds, example, ("consent.reading.each-investor",),
             figs, certainty=Certainty.ORDINARY),
        decisions=[m.group("w") for _, m in hits])]


# ------------------------------------------------------------------- a term defined twice

@detector("defined-twice")
def defined_twice(a: Agreement) -> list[Any]:
    """A term defined in two places with different words, one of them in terms of itself."""
    doc = a.document
    by: dict[str, list[Any]] = {}
    for d in definitions(doc):
        by.setdefault(d.term, []).append(d)
    out = []
    for term, ds in sorted(by.items()):
        if len(ds) < 2:
            continue
        first, second = ds[0], ds[1]
        t1, t2 = own(doc, first.clause), own(doc, second.clause)
        w1 = _def_words(t1, first)
        w2 = _def_words(t2, second)
        if _body(w1, term) == _body(w2, term):
            continue  # the same words twice (a section repeated): nothing turns on which governs
        circular = second.form == "means" and re.search(rf"\b(?:the )?{re.escape(term)}\b", second.body) is not None
        said = _compare(doc, first.clause, _members(_body_words(w1, term)), second.clause,
                        _members(_body_words(w2, term)), term)
        if said is None:
            diff = _differences(_body(w1, term), _body(w2, term))
            said = f"The {first.clause} definition {diff[0]}; the {second.clause} definition {diff[1]}"
        quotes = [quote(first.clause, w1), quote(second.clause, w2)]
        reds: list[Redline] = []
        left: tuple[str, ...] = ()
        singular = singular_of(term)
        if circular and first.form == "parenthetical":
            p0 = t1.find(w1)
            reds.append(replace_redline(first.clause, t1, p0, p0 + len(w1), f'(each, an "Initial {singular}")',
                                        meaning={"*": {}}))
            s0 = t2.find(f'"{term}" means the {term}')
            if s0 >= 0:
                s1 = s0 + len(f'"{term}" means the {term}')
                reds.append(replace_redline(second.clause, t2, s0, s1, f'"{term}" means the Initial {term}',
                                            meaning={"*": {}}))
            # what only the first definition admits (a class it names, else its own words), the term itself aside
            kept = {_kind(m, term) for m in _members(_body_words(w2, term))}
            lost = [k if k != m else f'"{m}"' for m in _members(_body_words(w1, term))
                    for k in [_kind(m, term)] if k not in kept and not k.startswith("the " + term)]
            if lost:
                left = (f"the redline keeps the {second.clause} definition, so those the {first.clause} definition admits "
                        f"and the {second.clause} one does not ({', '.join(dict.fromkeys(lost))}) are no longer "
                        f"\"{term}\" unless they qualify under {second.clause}: whether they should be is a business "
                        "choice",)
        out.append(finding(
            "defined-twice", term, (first.clause, second.clause),
            f"\"{term}\" is defined twice, differently" + (", once in terms of itself" if circular else ""),
            said + (f" The {second.clause} definition also defines \"{term}\" by \"the {term}\"." if circular else "")
            + " Who votes, receives notices and payments and holds a veto depends on which governs.",
            Memo(Severity.MEDIUM, Area.PARTIES, Favours.INVESTORS, quotes, reds, None,
                 (f"text.duplicate-definition.{term}", f"text.circular-definition.{term}"), certainty=Certainty.ORDINARY,
                 open_points=left),
            term=term))
    return out


def _def_words(text: str, d: Any) -> str:
    if d.form == "means":
        a0 = text.find(f'"{d.term}"')
        b0 = text.find(".", text.find(" means ", a0))
        return text[a0:b0 + 1] if a0 >= 0 and b0 > 0 else d.quote
    q = text.find(f'the "{d.term}")')
    if q < 0:
        return d.quote
    depth, k = 0, q
    while k > 0:
        k -= 1
        if text[k] == ")":
            depth += 1
        elif text[k] == "(":
            if depth == 0:
                break
            depth -= 1
    return text[k:q + len(f'the "{d.term}")')]


_KINDS = (("affiliates", r"\baffiliates?\b"), ("assignees or transferees", r"\b(?:assignee|transferee)s?\b"),
          ("successors", r"\bsuccessors?\b"), ("the parties who signed", r"^(?:the|each of the) (?:undersigned|parties)"))


def _body_words(words: str, term: str) -> str:
    w = re.sub(rf',? the "{re.escape(term)}"\)\.?$|^"{re.escape(term)}" means |^\((?:together with )?', "", words)
    return normalize(w).rstrip(".)")


def _members(body: str) -> list[str]:
    """The classes a definition admits ("their respective affiliates", "any assignee ... hereunder")."""
    parts = re.split(r",? and (?=any |all |their |its |the |each )|, (?=any |their |its )", body)
    return [p.strip() for p in parts if p.strip()]


def _kind(member: str, term: str) -> str:
    if re.fullmatch(rf'(?:the )?"?{re.escape(term)}"?', member):
        return f"the {term} (itself)"
    return next((k for k, rx in _KINDS if re.search(rx, member)), member)


def _conditions(doc: Document, member: str) -> list[str]:
    """What a definition requires of the members of a class, in words."""
    out = []
    if re.search(r"\bof all of\b|\ball of (?:their|its) (?:respective )?rights", member):
        out.append("only if they take all of the rights")
    if re.search(r"\bany portion\b|\ball or any part", member):
        out.append("even if they take part of the rights")
    if re.search(r"\bwho agrees? to (?:become |be )bound|\bagrees? in writing\b", member):
        out.append("only if they agree to be bound by the agreement")
    for sec in re.findall(r"Section (\d+(?:\([a-z]\))?)", member):
        t = normalize(doc.normalized(sec)) if sec in doc.by_id else ""
        more = " (which allows a transfer of all or any portion, on conditions)" if re.search(r"all or any portion", t) \
            else ""
        out.append(f"in accordance with Section {sec}{more}")
    return out


def _compare(doc: Document, c1: str, m1: list[str], c2: str, m2: list[str], term: str) -> str | None:
    """How two definitions of one term differ by what they admit and on what conditions, or None when their classes
    cannot be told apart."""
    k1 = {_kind(m, term): m for m in m1}
    k2 = {_kind(m, term): m for m in m2}
    if set(k1) == set(m1) and set(k2) == set(m2):
        return None  # no class recognised: fall back to the words
    said = []
    only1 = [k for k in k1 if k not in k2 and not k.startswith("the " + term)]
    only2 = [k for k in k2 if k not in k1 and not k.startswith("the " + term)]
    if only1:
        said.append(f"The {c1} definition admits {' and '.join(only1)}, which the {c2} definition leaves out")
    if only2:
        said.append(f"the {c2} definition admits {' and '.join(only2)}, which the {c1} definition leaves out")
    for k in k1:
        if k in k2:
            a, b = _conditions(doc, k1[k]), _conditions(doc, k2[k])
            if a != b:
                said.append(f"the {c1} definition admits {k} " + (" and ".join(a) if a else "without condition")
                            + f", the {c2} definition " + (" and ".join(b) if b else "without condition"))
    if not said:
        return None
    out = "; ".join(said)
    return out[:1].upper() + out[1:] + "."


def _body(words: str, term: str) -> list[str]:
    w = re.sub(rf',? the "{re.escape(term)}"\)|"{re.escape(term)}" means|^\((?:together with )?', " ", words)
    return normalize(w).rstrip(".").split()


def _differences(a: list[str], b: list[str]) -> tuple[str, str]:
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    only_a, only_b = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("delete", "replace") and i2 - i1 > 0:
            only_a.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace") and j2 - j1 > 0:
            only_b.append(" ".join(b[j1:j2]))
    set_a, set_b = set(a), set(b)
    only_a = [x for x in only_a if len(x) > 3 and not set(x.split()) <= set_b]
    only_b = [x for x in only_b if len(x) > 3 and not set(x.split()) <= set_a]
    fa = "says \"" + "\" and \"".join(only_a[:3]) + "\"" if only_a else "adds nothing"
    fb = "says \"" + "\" and \"".join(only_b[:3]) + "\"" if only_b else "adds nothing"
    return fa, fb


# ------------------------------------------------------------------- a registrable class that never ends

@detector("never-cease")
def never_cease(a: Agreement) -> list[Any]:
    """The definition of the securities to be registered has no point at which they stop being such."""
    doc = a.document
    reg = next((d for d in definitions(doc) if d.form == "means" and "issued or issuable" in d.body), None)
    if reg is None:
        return []
    text = own(doc, reg.clause)
    words = _def_words(text, reg)
    if re.search(r"cease to be|shall not (?:include|be|constitute)|no longer|other than (?:any )?(?:securities|shares) (?:that|"
                 r"which) (?:have|has) been sold", words):
        return []
    uses: list[tuple[str, str]] = []
    # a count of the securities "being offered" or "being registered" drops sold ones: it is not such a use
    # (a count of those "included in" a statement is quoted with its qualifier: sold securities were included)
    for c, mm in search(doc, rf"(?:Investors holding|holders of) a majority[\w -]*? of the {re.escape(reg.term)}"
                             rf"(?! being \w+ed\b)(?: included in the [\w ]+?(?= \(|[,.;]))?"
                             rf"|so long as such [A-Z]\w+ owns {re.escape(reg.term)}"):
        if c != reg.clause and c not in {x for x, _ in uses}:
            uses.append((c, mm.group(0)))
    k = words.rfind(", and any ")
    quotes = [quote(reg.clause, words[k + 2:] if k >= 0 else words)]
    quotes += [quote(c, w) for c, w in uses[:3]]
    singular = singular_of(reg.term)
    end = words.rstrip(".")
    tail = end[-60:]
    e0 = text.find(tail)
    reds = []
    if e0 >= 0:
        reds.append(replace_redline(reg.clause, text, e0, e0 + len(tail) + 1,
                                    tail + "; provided that any such security shall cease to be a " + singular +
                                    " when it has been sold pursuant to a Registration Statement or Rule 144 or may be sold "
                                    "by its holder without restriction under Rule 144(k).", meaning={"*": {}}))
    return [finding(
        "never-cease", reg.term.replace(" ", "-"), (reg.clause, *[c for c, _ in uses[:3]]),
        f"\"{reg.term}\" never stop being {reg.term}",
        f"Shares sold to the public under the statement or Rule 144 remain \"{reg.term}\": they stay in the denominator of "
        "every majority, so once most are sold no group of Investors can reach one; their buyers are holders who vote "
        "and may claim payments; and duties owed while an Investor holds them never end.",
        Memo(Severity.MEDIUM, Area.PARTIES, Favours.NEITHER, quotes, reds, None,
             ("consent.dead-end.other-holders", "consent.reading.investors-securities"), certainty=Certainty.ORDINARY),
        term=reg.term)]


# ------------------------------------------------------------------- rights that do not travel with the instruments

@detector("assignment-scope")
def assignment_scope(a: Agreement) -> list[Any]:
    """Rights pass only to transferees of some of the instruments that carry rights; and an "automatic" assignment
    that needs an agreement "with the Company"."""
    doc = a.document
    m = next(((c, mm) for c, mm in search(doc, r"(?:shall be (?:automatically )?(?:assignable|transferable)|may be assigned) by "
                                               r"the [A-Z]\w+ to any (?:transferee|assignee|person acquiring|purchaser)(?: of)? "
                                               r"(?:all or (?:any portion|part) of )?(?:the )?(?P<what>[A-Z][\w ,]+?) if")), None)
    if m is None:
        return []
    clause, mm = m
    what = mm.group("what")
    mclause = a.model.measure.clause
    payee = re.search(r"pay to each holder of the (?P<p>[A-Z][\w ]+?) or (?P<q>[A-Z][\w ]+?)(?= an amount)",
                      own(doc, mclause))
    carried = [payee.group("p"), payee.group("q")] if payee else []
    missing = [t for t in carried if t not in what]
    text = own(doc, clause)
    sign = re.search(r"the transferee or assignee agrees in writing with the Company to be bound", text)
    if not missing and not sign:
        return []
    quotes = [quote(clause, mm.group(0)[mm.group(0).find("to any "):])]
    if payee:
        quotes.append(quote(mclause, payee.group(0)))
    if sign:
        quotes.append(quote(clause, sign.group(0)))
    reds: list[Redline] = []
    if missing:
        w0 = mm.start("what")
        reds.append(replace_redline(clause, text, w0, mm.end("what"), what + ", " + ", ".join(missing) +
                                    (" or Warrants" if "Warrants" not in what and "Warrants" not in missing else ""),
                                    meaning={"*": {}}))
    if sign:
        reds.append(replace_redline(clause, text, sign.start(), sign.end(),
                                    "the transferee or assignee delivers to the Company its written agreement to be bound",
                                    meaning={"reading.consent.assignment.company-signs": None, "*": {}}))
    return [finding(
        "assignment-scope", clause, (clause, *([mclause] if payee else [])),
        f"{clause}: rights pass only with {what}" + (f", not with {', '.join(missing)}" if missing else "")
        + ("; the \"automatic\" assignment needs an agreement with the Company" if sign else ""),
        (f"A buyer of {', '.join(missing)} is arguably not a transferee of {what}, so it may take the instrument without "
         f"registration rights while {mclause} pays it as a holder (see the entry on who 2(c) pays). " if missing else "")
        + ("\"Agrees in writing with the Company\" suggests an agreement the Company must sign, which would let it block an "
           "assignment the clause calls automatic." if sign else ""),
        Memo(Severity.MEDIUM, Area.PARTIES, Favours.COMPANY, quotes, reds, None, ("consent.reading.company-signs",),
             certainty=Certainty.ORDINARY),
        missing=missing)]
