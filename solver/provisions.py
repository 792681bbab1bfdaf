"""The provisions review (analysis "provisions" of `rra check`): what a reviewing partner looks for in remedies,
payees, caps, deadlines, notices, votes and indemnities, derived from the words of any draft of this family and
its formal model.

Each detector reads the text (and, where it needs one, the model's element for the clause it reads) and returns
findings of kind "provisions" whose evidence carries what the review memo prints (rra.solver.memo): its severity
by consequence, area, whose side it favours, the clashing words quoted with their clause ids, one realistic dated
example with its dollar figure per $1,000,000 from the evaluator (rra.solver.evaluator) where money is involved,
and a suggested redline. Nothing here names a defect of the bundled agreement: each detector would find the same
defect in another draft and is silent on a draft that fixes it (tests/test_provisions.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from rra.solver import evaluator
from rra.solver.findings import CheckContext, Finding, Outcome, Withholding
from rra.solver.memo import Area, Certainty, Favours, Redline, Severity
from rra.solver.scenario import scenario_from_dict
from rra.spec.agreement import Agreement
from rra.spec.clauses import Document
from rra.spec.terms import clause_texts
from rra.spec.text import normalize

from rra.errors import Withheld
from rra.memory import Bounded, PerObject, keep, known, per_object

KIND = "provisions"
PER = 1_000_000  # every dollar figure is per $1,000,000 of principal

# ------------------------------------------------------------------------------------------------ helpers


_READ: list[set[str]] = []  # while a detector runs (`_detect`), the clauses it has read so far
# per agreement: the clauses each detector read when the provisions analysis ran on it (clauses_read); a few
# agreements at once (the text checked and the memo's combined redlined text)
_READS: PerObject[dict[str, frozenset[str]]] = Bounded(4)


def own(doc: Document, clause: str) -> str:
    """A clause's own words, whitespace-normalized (empty if the draft has no such clause)."""
    if _READ:
        _READ[-1].add(clause)
    ct = clause_texts(doc).get(clause)
    return ct.text if ct else ""


def leaves(doc: Document) -> Iterator[tuple[str, str]]:
    """(clause id, own words) of every clause with words, in document order (while recording: "*", every clause)."""
    if _READ:
        _READ[-1].add("*")
    texts = clause_texts(doc)
    for c in doc.clauses:
        ct = texts.get(c.id)
        if ct and ct.text:
            yield c.id, ct.text


def clauses_read(agreement: Agreement) -> dict[str, set[str]]:
    """Which clauses each detector reads on this agreement by their ids; "*" when it also scans every clause for
    its words. What the provisions analysis recorded when it ran on this agreement in this process, else each
    detector is run to see."""
    load()
    recorded = known(_READS, agreement, ("read",)) or {}
    out: dict[str, set[str]] = {}
    for kind in DETECTORS:
        if kind in recorded:
            out[kind] = set(recorded[kind])
            continue
        read: dict[str, frozenset[str]] = {}
        try:
            _detect(agreement, kind, read)
        except Withheld:
            pass
        out[kind] = set(read[kind])
    return out


def search(doc: Document, pattern: str | re.Pattern[str], flags: int = 0) -> Iterator[tuple[str, re.Match[str]]]:
    """Every match of a pattern in every clause's own words."""
    rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
    for cid, text in leaves(doc):
        for m in _matches(rx, text):
            yield cid, m


@lru_cache(maxsize=32768)
def _matches(rx: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    """A pattern's matches in one clause's words, remembered by the words: a redlined draft's detectors scan again
    only the clauses its redlines change."""
    return tuple(rx.finditer(text))


def sentence(text: str, offset: int) -> tuple[int, int]:
    """The sentence around an offset (full stops only; semicolons do not end it)."""
    a, b = 0, len(text)
    for m in re.finditer(r"\.(?=\s+(?:\(?[A-Z\"]|$))|\.$", text):
        if _abbrev(text, m.start()):
            continue
        if m.end() <= offset:
            a = m.end()
        elif m.start() >= offset:
            b = m.start() + 1
            break
    return a, b


def _abbrev(text: str, dot: int) -> bool:
    k = dot
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:dot]
    return word in {"Inc", "Ltd", "No", "Esq", "Co", "Corp", "U.S", "N.Y", "St"} or (len(word) == 1 and word.isupper())


def unique_span(text: str, a: int, b: int, limit: int = 160) -> tuple[int, int]:
    """Widen [a, b) word by word (right first) until the words occur once in the text."""
    while text.count(text[a:b]) > 1 and b - a < limit:
        if b < len(text):
            nb = text.find(" ", b + 1)
            b = len(text) if nb < 0 else nb
        elif a > 0:
            a = text.rfind(" ", 0, a - 1) + 1
        else:
            break
    return a, b


def insert_redline(clause: str, text: str, at: int, words: str, context: int = 30, beyond: str = "") -> Redline:
    """A redline inserting `words` at offset `at` of a clause's words, anchored on the unique words before it (and
    after it, if those are not unique); `beyond`: what the words say that the model cannot express (Redline)."""
    a = max(0, text.rfind(" ", 0, max(0, at - context)) + 1)
    # start at a sentence's start when one lies in the anchor, and never inside a capitalised term ("Registration
    # Statement"), so that the find reads as words a lawyer would search for
    def whole(k: int) -> int:
        while k > 0 and text[k:k + 1].isupper() and re.search(r"[A-Z][\w-]*\s$", text[max(0, k - 30):k]):
            k = text.rfind(" ", 0, k - 1) + 1
        return k

    stop = max((m.end() for m in re.finditer(r"[.;)]\s+(?=[A-Z(])", text[a:at])), default=0)
    a = whole(a + stop)
    b = at
    while text.count(text[a:b]) > 1 and a > 0 and at - a < 160:
        a = whole(text.rfind(" ", 0, a - 1) + 1)
    while text.count(text[a:b]) > 1 and b < len(text) and b - at < 160:
        nb = text.find(" ", b + 1)
        b = len(text) if nb < 0 else nb
    return Redline(clause, text[a:b], text[a:at] + words + text[at:b], beyond=beyond)


def replace_redline(clause: str, text: str, a: int, b: int, new: str, count: int | None = None,
                    meaning: dict[str, dict[str, Any] | None] | None = None) -> Redline:
    """A redline replacing text[a:b] (all its occurrences in the clause when `count` is given)."""
    old = text[a:b]
    if count is None:
        ua, ub = unique_span(text, a, b)
        prefix, suffix = text[ua:a], text[b:ub]
        old, new = prefix + old + suffix, prefix + new + suffix
        count = 1
    return Redline(clause, old, new, count, dict(meaning or {}))


def quote(clause: str, words: str) -> list[str]:
    """A quote as stored in evidence: [clause id, words]."""
    return [clause, normalize(words)]


def money(x: Fraction) -> str:
    """$12,345 (rounded to the dollar)."""
    return f"${round(x):,}"


def day(d: date) -> str:
    """15 Sep 2003."""
    return f"{d.day} {d.strftime('%b %Y')}"


@lru_cache(maxsize=1)
def review_days() -> tuple[int, int]:
    """The shortest and longest SEC review the default assumption set allows (filing to effectiveness)."""
    from rra.solver import assumptions

    a = assumptions.load(None)
    return a.review_min_days, a.review_max_days


def realistic(filed: date, effective: date) -> bool:
    """Filing to effectiveness within the SEC review times of the default assumption set."""
    lo, hi = review_days()
    return lo <= (effective - filed).days <= hi


def scenario(agreement: Agreement, data: dict[str, Any]) -> Any:
    """A scenario for the evaluator from dates (date objects or ISO strings), per $1,000,000 by default."""
    def iso(v: Any) -> Any:
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, (list, tuple)):
            return [iso(x) for x in v]
        if isinstance(v, dict):
            return {k: iso(x) for k, x in v.items()}
        return v

    filed, eff = data.get("filed"), data.get("effective")
    if isinstance(filed, date) and isinstance(eff, date) and not realistic(filed, eff):
        raise ValueError(f"unrealistic example: filed {filed}, effective {eff} (SEC review {review_days()} days)")
    for k in ("filed", "effective", "prior_financing_effective"):
        v = data.get(k)
        if isinstance(v, date) and not _calendar().is_business_day(v):
            raise ValueError(f"unrealistic example: {k} on {v:%A} {v}, not a business day")
    body = {"name": "memo example", "principal": PER, **{k: iso(v) for k, v in data.items() if v is not None}}
    return scenario_from_dict(body, "memo example", agreement.params)


def pay(agreement: Agreement, data: dict[str, Any], reading: str | None = None,
        values: dict[str, Any] | None = None) -> Fraction:
    """The evaluator's 2(c) amount for the scenario (per $1,000,000), under a reading and redrafted values."""
    a = agreement.with_values(values, "memo example") if values else agreement
    return evaluator.payment(scenario(a, data), a, reading)


def reading_words(agreement: Agreement, name: str) -> str:
    """A reading of the payment measure in words, by where it counts late effectiveness from."""
    r = agreement.model.measure.reading(name)
    start = r.counts_from or r.late_effectiveness_from
    el = agreement.model.by_id.get(start or "")
    words = str(getattr(el, "name", "") or name) if el is not None else name
    words = re.sub(r"\s*\(\d+\(?\w*\)?\)$", "", words)
    parts = words.split(" ")
    if len(parts) > 1 and parts[1][:1].islower():
        words = words[:1].lower() + words[1:]
    return f"counting from the {words}"


def reading_note(agreement: Agreement, data: dict[str, Any], amount: Fraction) -> str:
    """When another reading of the measure gives a different figure for the same dates: which reading the figure
    assumes and what the others give (an entry that flags the reading as contested names it), else ""."""
    names = evaluator.reading_names(agreement)
    dflt = agreement.model.measure.default_reading.name
    other = []
    for n in names:
        if n == dflt:
            continue
        v = pay(agreement, data, n)
        if v != amount:
            other.append(f"{money(v)} {reading_words(agreement, n)}")
    if not other:
        return ""
    return f" ({reading_words(agreement, dflt)}; {', '.join(other)}: the start is contested, see the entry on it)"


def deadlines(agreement: Agreement, pfed: date | None, as_of: date) -> tuple[date, date]:
    """The measure's filing deadline and effectiveness deadline for a Prior Financing Effective Date."""
    s = scenario(agreement, {"as_of": as_of, "prior_financing_effective": pfed})
    return evaluator.filing_date(s, agreement), evaluator.effectiveness_deadline(s, agreement)


def monthly(a: Agreement, amount: Fraction | int, start: date, stop: date) -> Fraction:
    """An amount per month of the state that caused it (from `start` to `stop`), in the measure's month convention:
    what an entry puts at stake per month, the memo's second key of order."""
    from rra.solver.months import months_between

    m = months_between(start, stop, str(a.params[a.model.measure.convention]))
    return Fraction(amount) / m if m else Fraction(0)


def month_later(d: date, months: int = 1) -> date:
    from dateutil.relativedelta import relativedelta

    return d + relativedelta(months=months)


def first_of_month(d: date) -> date:
    return d.replace(day=1)


# The shortest time from filing to effectiveness when the SEC declines to review (the lawyer's standard's examples:
# "at least 14 days where an example says the SEC declined to review").
NO_REVIEW_DAYS = 14
# Rule 144(k) as in force in 2003: restricted securities held for two years by a non-affiliate may be resold without
# restriction; shares received on conversion tack to the purchase of the convertible security (Rule 144(d)(3)(ii)).
RULE_144K_YEARS = 2


@lru_cache(maxsize=1)
def _calendar() -> Any:
    from rra.solver.calendars import Calendar

    return Calendar()


def business_day(d: date, back: bool = False) -> date:
    """The first business day on or after a date (on or before it with `back`): the day a filing, an SEC action, a
    notice or a payment can happen. Deadlines may fall on any day; acts do not."""
    step = timedelta(days=-1 if back else 1)
    while not _calendar().is_business_day(d):
        d += step
    return d


def trading_day(d: date, back: bool = False) -> date:
    """The first NYSE trading day on or after a date (on or before it with `back`): the day a market event happens."""
    step = timedelta(days=-1 if back else 1)
    while not _calendar().is_trading_day(d):
        d += step
    return d


def act_day(a: Agreement, event: str, d: date) -> date:
    """The day an event of the model can happen on or after a date: a trading day for a market event, a business day
    for an act of the Company, the SEC or the Investors; any day for an outside event (a need that arises)."""
    who = a.model.event(event).controlled_by if event in a.model.by_id else "company"
    if who == "market":
        return trading_day(d)
    if who in ("company", "sec", "investors"):
        return business_day(d)
    return d


def on_days(events: list[tuple[str, date]]) -> str:
    """Dated events as one sentence per day: "On 1 Jul 2004 more shares must be registered and the Company determines
    more shares are needed."."""
    by: dict[date, list[str]] = {}
    for name, d in events:
        by.setdefault(d, []).append(plain_event(name))
    return " ".join(f"On {day(d)} {' and '.join(ns)}." for d, ns in sorted(by.items()))


def plain_event(name: str) -> str:
    """A model event's name as a clause of a sentence: "the Company determines ...", "more shares must be ...",
    "the Company is first eligible for Form S-3", "an amendment or new Registration Statement is filed"."""
    if re.fullmatch(r"(?:[A-Z][\w-]* )+Date", name):  # a defined date ("Prior Financing Effective Date")
        return f"the {name} occurs"
    words = name.split(" ")
    if not re.search(r"\b(?:must|is|are|determines|ceases|receives|answers|becomes|happens|arises)\b", name):
        k = next((j for j, w in enumerate(words) if j > 0 and w.islower() and (
            w.endswith(("ed", "ible", "able")) or w in ("first", "no", "not"))), None)
        if k is not None:
            words.insert(k, "is")
    out = " ".join(words)
    if words[0] in ("Company", "SEC", "Investor", "Investors", "Registration", "Stock", "Form"):
        return "the " + out
    return out[:1].lower() + out[1:]


@dataclass(frozen=True)
class Late:
    """A realistic scenario of late effectiveness: PFED, Filing Date, effectiveness deadline, filed, effective."""

    pfed: date | None
    filing_date: date
    deadline: date
    filed: date
    effective: date

    def data(self, as_of: date | None = None) -> dict[str, Any]:
        return {"as_of": as_of or self.effective, "prior_financing_effective": self.pfed, "filed": self.filed,
                "effective": self.effective}


def late_effectiveness(agreement: Agreement, late_days: int, pfed_after_days: int = 129,
                       filed_early: int = 5) -> Late:
    """Filed a few days before the Filing Date, effective `late_days` after the effectiveness deadline, with a
    Prior Financing Effective Date about four months after signing: the first such PFED (day by day) whose review
    time is realistic."""
    signed = agreement.params["agreement.date"]
    # filed a few days early, else on the Filing Date itself (a draft's longer gap between the two deadlines can leave
    # no review time the assumptions allow otherwise)
    for early in dict.fromkeys((filed_early, 0)):
        for k in range(pfed_after_days, pfed_after_days + 400):
            pfed = business_day(signed + timedelta(days=k))
            fd, ed = deadlines(agreement, pfed, pfed + timedelta(days=800))
            filed, eff = business_day(fd - timedelta(days=early), back=True), business_day(ed + timedelta(days=late_days))
            if fd < ed and realistic(filed, eff):
                return Late(pfed, fd, ed, filed, eff)
    m = agreement.model.measure
    raise Withheld(m.effectiveness_deadline, agreement.model.deadline(m.effectiveness_deadline).clause,
                   f"no dated example effective {late_days} days late fits its deadlines with an SEC review the default "
                   "assumptions allow")


_Z3: PerObject[list[Finding]] = Bounded(65)


def z3_findings(agreement: Agreement, kind: str) -> list[Finding]:
    """The Z3 checks of one kind for an agreement, computed once per agreement value (the detectors that rest on
    them and the combined redline check share them)."""
    from rra.solver.checks import run_checks

    return per_object(_Z3, agreement, (kind,), lambda: run_checks(agreement, [kind]).findings)


# The id prefix of the findings of each kind of Z3 check that the detectors here (and the redline checks) read.
Z3_PREFIX = {"impossibility": "z3.impossible.", "conflict": "z3.conflict.", "remedy": "z3.remedy.",
             "reading": "z3.reading.", "example": "z3.example."}


def _keep_kinds(a: Agreement, out: Outcome, kinds: Sequence[str]) -> None:
    """Keep the findings of one run of several kinds of checks per kind (as `z3_findings` would find each), when
    nothing was withheld."""
    if not out.withheld:
        for kind in kinds:
            if kind in Z3_PREFIX:
                keep(_Z3, a, (kind,), [f for f in out.findings if f.id.startswith(Z3_PREFIX[kind])])


def z3_kinds(agreement: Agreement, kinds: Sequence[str]) -> list[Finding]:
    """`z3_findings` of each of these kinds (of Z3_PREFIX), in this order, from the runs `z3_analysis` makes (those
    of Z3_APART first, each alone, then the others in one run) when none is known yet: the same questions as the
    analysis asked of the original text, so that Z3's remembered answers serve those a redline leaves unchanged
    (measured: the combined redline run's Z3 checks 0.89 s asked in one run, 0.36 s so)."""
    if not all(known(_Z3, agreement, (k,)) is not None for k in kinds):
        z3_analysis(CheckContext(agreement), kinds)
    return [f for k in kinds for f in z3_findings(agreement, k)]


# Kinds of Z3 checks asked apart from the others (their own encoding) and before them. Z3's models depend on what
# the process asked Z3 before (not on the question alone), so a witness is the same wherever it is computed only if
# the same Z3 work precedes it: asked first, these give the same witnesses in `rra check`'s worker process (which
# runs them first, beside the other kinds) as in one process, and asking them does not change the other kinds' answers
# (checked by tests/test_check_split.py). The remedy check is the largest part of the Z3 checks, and nothing that runs
# beside it reads its findings.
Z3_APART = ("remedy",)


def z3_analysis(ctx: CheckContext, kinds: Sequence[str] | None = None) -> Outcome:
    """The Z3 checks (analysis "z3", rra.solver.checks; every kind, or these), their findings kept per kind for the
    detectors here: the kinds of Z3_APART first, each in a run of its own, then the others in one run."""
    from rra.solver.checks import KINDS, run_checks

    want = [k for k in KINDS if kinds is None or k in kinds]
    runs = [[k] for k in Z3_APART if k in want] + [[k for k in want if k not in Z3_APART]]
    return merged(ctx.agreement, [(run, run_checks(ctx.agreement, run)) for run in runs if run])


def z3_beside() -> list[str]:
    """The Z3 checks' kinds other than Z3_APART's: those one process asks while another asks Z3_APART's."""
    from rra.solver.checks import KINDS

    return [k for k in KINDS if k not in Z3_APART]


def merged_apart(agreement: Agreement, apart: Outcome, beside: Outcome) -> Outcome:
    """One outcome of the Z3 checks from a run of Z3_APART's kinds and one of the others (`z3_beside`), in the
    order one process would give them."""
    return merged(agreement, [(Z3_APART, apart), (z3_beside(), beside)])


def merged(agreement: Agreement, runs: Sequence[tuple[Sequence[str], Outcome]]) -> Outcome:
    """One outcome of the Z3 checks from runs of some of their kinds each (every run lists the obligations whose
    deadline checks are withheld: once), each run's findings kept per kind for the detectors here."""
    findings: list[Finding] = []
    withheld: list[Withholding] = []
    for kinds, out in runs:
        _keep_kinds(agreement, out, kinds)
        findings += out.findings
        withheld += [w for w in out.withheld if w not in withheld]
    return Outcome(findings, withheld)


# --------------------------------------------------------------------------------------------- the finding


@dataclass(frozen=True)
class Memo:
    """What a finding of this analysis gives the memo."""

    severity: Severity
    area: Area
    favours: Favours
    quotes: list[list[str]]
    redlines: list[Redline]
    example: str | None = None
    absorbs: tuple[str, ...] = ()  # ids (or id prefixes ending in "*") of other analyses' findings it explains
    figures: dict[str, str] | None = None
    certainty: Certainty = Certainty.ORDINARY  # in which worlds the problem bites
    per_month: Fraction | int = 0  # what is at stake per month of the triggering state, per $1,000,000
    once: Fraction | int = 0  # what is at stake once each time it arises, not growing with time, per $1,000,000
    favours_note: str = ""  # whose side each reading favours, when they favour different sides
    open_points: tuple[str, ...] = ()  # problems stated that the redline leaves for negotiation


_SEVERITY = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "info"}


def finding(kind: str, subject: str, sections: Iterable[str], title: str, explanation: str, memo: Memo,
            **evidence: Any) -> Finding:
    """A finding of this analysis; the memo fields go to evidence["memo"] (redlines with their meaning)."""
    secs = tuple(dict.fromkeys(sections))
    ev = dict(evidence)
    ev["memo"] = {"severity": str(memo.severity), "area": str(memo.area), "favours": str(memo.favours),
                  "quotes": memo.quotes, "example": memo.example, "absorbs": list(memo.absorbs),
                  "figures": memo.figures or {}, "certainty": str(memo.certainty),
                  "per_month": round(memo.per_month), "once": round(memo.once), "favours_note": memo.favours_note,
                  "open_points": list(memo.open_points),
                  "redlines": [{**r.to_json(), "meaning": r.meaning, "beyond": r.beyond} for r in memo.redlines]}
    return Finding(f"{KIND}.{kind}.{subject}", KIND, _SEVERITY[memo.severity], secs, title, explanation, ev)


Detector = Callable[[Agreement], list[Finding]]
DETECTORS: dict[str, Detector] = {}


def detector(kind: str) -> Callable[[Detector], Detector]:
    """Register a detector under the finding kind it produces."""
    def deco(fn: Detector) -> Detector:
        DETECTORS[kind] = fn
        return fn
    return deco


def load() -> dict[str, Detector]:
    """Every detector (the area modules register themselves when imported)."""
    from rra.solver import (  # noqa: F401
        provisions_deadlines,
        provisions_drafting,
        provisions_money,
        provisions_other,
        provisions_votes,
    )

    return DETECTORS


def run(agreement: Agreement, kinds: Iterable[str] | None = None,
        read: dict[str, frozenset[str]] | None = None) -> Outcome:
    """The findings of the named detectors (all by default); one resting on words a draft changed is withheld.
    `read`, when given, receives the clauses each detector read (see `clauses_read`)."""
    load()
    out: list[Finding] = []
    withheld: list[Withholding] = []
    for kind in kinds or DETECTORS:
        try:
            out += _detect(agreement, kind, read)
        except Withheld as w:
            withheld.append(Withholding(KIND, kind, w.element, w.clause, w.reason))
    return Outcome(out, withheld)


def _detect(agreement: Agreement, kind: str, read: dict[str, frozenset[str]] | None) -> list[Finding]:
    """One detector's findings; what it read goes to `read` (also when it is withheld), and to the detector
    running it, if any."""
    _READ.append(set())
    try:
        return DETECTORS[kind](agreement)
    finally:
        mine = _READ.pop()
        if _READ:
            _READ[-1] |= mine
        if read is not None:
            read[kind] = frozenset(mine)


def findings(ctx: CheckContext) -> Outcome:
    """Every provisions finding for the context's agreement (remembering what each detector read, so that
    `clauses_read` need not run them again: 0.07 s of `rra check --json`)."""
    read: dict[str, frozenset[str]] = {}
    out = run(ctx.agreement, read=read)
    keep(_READS, ctx.agreement, ("read",), read)
    return out


def kind_of(finding_id: str) -> str:
    """The detector kind of a provisions finding id."""
    return finding_id.split(".")[1]
