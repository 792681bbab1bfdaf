"""What a redraft changes, in words, days, dollars and votes (`rra diff OLD NEW`).

Each text is analysed once (`side`): the analyses of `rra check` (their findings grouped by the review memo, its
redlines not re-checked), the invariant catalogue (proved once; the proofs' findings come from the same verdicts),
the worst-case exposure with and without the Company's Allowed Delays under each assumption set, and the example
scenarios priced by the plain evaluator. `compare` then lines the two sides up:

- Words: the clauses whose words changed, matched by content (rra.spec.textdiff);
- Numbers: every parameter whose value changed, with both clauses and quotes;
- Problems: memo entries resolved, new, or changed in severity (rra.solver.diff_problems);
- Proofs: invariants whose verdict changed, with the new counterexample;
- Money: both worst-case figures per assumption set, old, new and the difference, each with its status;
- Damages: the example scenarios' totals, old and new;
- Votes: consent decisions whose answer changed for some holdings, and who gains or loses a veto
  (rra.solver.diff_votes).

What a text withholds (an analysis resting on words the model cannot read) is said as withheld, never shown as a
difference of zero. `headlines` picks the changes that matter most (the ranking is documented there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from rra.solver.assumptions import Assumptions, ImpossibleAssumptions
from rra.solver.diff_problems import ProblemsDiff, compare_problems
from rra.solver.diff_votes import VotesDiff, compare_votes
from rra.solver.invariants import Verdict
from rra.solver.memo import Severity
from rra.solver.memo_build import Memo, clause_key, sort_clauses
from rra.spec.agreement import Agreement
from rra.spec.elements import kind_count
from rra.spec.textdiff import WordsDiff, compare_documents

from rra.errors import BadInput, Withheld
from rra.output import first_few, listed

# (agreement, analyses to run) -> the `rra check --json` shape: findings, withheld, analyses
Gather = Callable[[Agreement, list[str]], dict[str, Any]]
Step = Callable[[str], None]


# ------------------------------------------------------------------------------------------- one side


@dataclass(frozen=True)
class Amount:
    """A money figure of one text: the amount (USD, exact) with its status (proved | bound | found), or no amount
    with status withheld | impossible and the reason. `bound` is a proved upper bound when the status is bound."""

    value: Fraction | None
    status: str
    reason: str | None = None
    bound: Fraction | None = None


@dataclass(frozen=True)
class MoneySide:
    """Both worst-case figures of one text under one assumption set."""

    name: str
    source: str
    as_of: date
    principal: int
    worst_case: Amount
    with_allowed_delays: Amount


@dataclass(frozen=True)
class DamagesSide:
    """One example scenario priced on one text: the total under the default reading and under every reading, or
    why there is none (withheld: the draft changed the measure's words; invalid: the scenario breaks the text's
    own limits)."""

    scenario: str
    file: str
    status: str  # ok | withheld | invalid
    total: Fraction | None = None
    readings: tuple[tuple[str, Fraction], ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Side:
    """Everything `rra diff` compares about one text."""

    agreement: Agreement
    findings: list[dict[str, Any]]
    withheld: list[dict[str, Any]]
    memo: Memo
    verdicts: list[Verdict]
    money: tuple[MoneySide, ...]
    damages: tuple[DamagesSide, ...]


_ELEMENT_PREFIX = re.compile(r"^[\w.()\-]+ \((?:[^()]|\([^()]*\))*\): ")
_SET_HINT = re.compile(r"\s*\(set it with --set \S+ to run the analysis\)")


def plain(text: str, agreement: Agreement) -> str:
    """A reason in a reader's words: a model element's id in front dropped, a parameter's id replaced by its
    description and clause, and the hint to use --set (which `rra diff` does not take) left out."""
    text = _SET_HINT.sub("", _ELEMENT_PREFIX.sub("", text))
    for p in sorted(agreement.package.parameters, key=lambda p: -len(p.id)):
        if p.id in text:
            text = text.replace(p.id, f"\"{p.description.rstrip('.')}\" ({p.clause})")
    return text


def _withheld_words(w: Withheld, agreement: Agreement) -> str:
    """Why a figure is withheld, in words (the clause, not the model's element id)."""
    return plain(f"it rests on words {f'of {w.clause} ' if w.clause else ''}that the text changed ({w.reason})",
                 agreement)


def money_side(a: Assumptions, agreement: Agreement, reading: str = "text") -> MoneySide:
    """Both worst-case figures under one assumption set (withheld or impossible for this text, with the reason)."""
    from rra.solver.maxmin import exposure

    try:
        ex = exposure(a, agreement, reading)
    except Withheld as w:
        na = Amount(None, "withheld", _withheld_words(w, agreement))
        return MoneySide(a.name, a.source, a.as_of, a.principal, na, na)
    except ImpossibleAssumptions as exc:
        na = Amount(None, "impossible", f"these assumptions cannot all hold under this text: {exc.problem} "
                                        f"({', '.join(exc.clashing)})")
        return MoneySide(a.name, a.source, a.as_of, a.principal, na, na)

    def amount(f: Any) -> Amount:
        return Amount(f.value, str(f.status), f.reason, f.bound)

    return MoneySide(a.name, a.source, a.as_of, a.principal, amount(ex.worst_case), amount(ex.with_allowed_delays))


def damages_side(path: str, agreement: Agreement) -> DamagesSide:
    """One scenario file priced on one text."""
    from rra.solver.evaluator import evaluate
    from rra.solver.scenario import load_scenario

    try:
        s = load_scenario(path, agreement.params)
    except BadInput as exc:
        return DamagesSide(Path(path).stem, path, "invalid", reason=str(exc))
    try:
        ev = evaluate(s, agreement)
    except Withheld as w:
        return DamagesSide(s.name, path, "withheld", reason=_withheld_words(w, agreement))
    return DamagesSide(s.name, path, "ok", ev.total, tuple((k, r.total) for k, r in ev.readings.items()))


ALL_BUT_PROOFS = ("draft", "text", "z3", "provisions", "exposure", "consent")


def side(agreement: Agreement, gather: Gather, sets: Sequence[Assumptions], scenarios: Sequence[str],
         step: Step | None = None) -> Side:
    """Analyse one text once: the check's analyses (proofs proved once, their verdicts kept), the memo (redlines
    not re-checked), the exposure per assumption set, the scenarios."""
    from rra.solver.invariants import check_all
    from rra.solver.memo_build import build
    from rra.solver.proofs import outcome_of

    def say(what: str) -> None:
        if step is not None:
            step(what)

    say("analyses")
    data = gather(agreement, list(ALL_BUT_PROOFS))
    say("proofs")
    verdicts = check_all(agreement)
    proofs = outcome_of(agreement, verdicts)
    findings = [*data["findings"], *(f.to_json() for f in proofs.findings)]
    withheld = [*data["withheld"], *(w.to_json() for w in proofs.withheld)]
    memo = build(agreement, findings)
    money = []
    for a in sets:
        say(f"exposure: {a.name}")
        money.append(money_side(a, agreement))
    say("scenarios")
    damages = tuple(damages_side(p, agreement) for p in scenarios)
    return Side(agreement, findings, withheld, memo, verdicts, tuple(money), damages)


# ------------------------------------------------------------------------------------------- the parts


@dataclass(frozen=True)
class NumberChange:
    """A parameter whose value differs (status changed), or that one text's words do not give (status unread)."""

    id: str
    description: str
    unit: str
    basis: str | None
    status: str
    old: Any
    new: Any
    old_clause: str
    new_clause: str
    old_quote: str
    new_quote: str
    unread_in: str = ""  # "old", "new" or "both" for status unread
    left_behind: tuple[tuple[str, str], ...] = ()  # (clause, words) of the new text still giving the old number


# a number of days counted from an event: the event's words ("days from the Prior Financing Effective Date")
_FROM = re.compile(r"\bdays?\s+(?:from|after|following)\s+(?:the\s+)?(?P<a>[^,;()]+)", re.IGNORECASE)


def _anchor(quote: str) -> str:
    m = _FROM.search(quote)
    return re.sub(r"\s+", " ", m.group("a")).strip().lower() if m else ""


def _left_behind(old: Agreement, new: Agreement, changed: Sequence[NumberChange]) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each changed number of days: the places of the new text that still give its old number for the same
    period, a conforming change the markup may have missed (each place said once, for the first change that
    claims it): another number of days from the same event that both texts give as the old number ("ninety (90)
    days after Prior Financing Effective Date" in 2(e)), and a "such ... period" of the old number in the changed
    number's own clause ("the aforementioned ninety (90) day period")."""
    from rra.solver.review import all_periods, back_references

    op = {p.id: p for p in old.parameters()}
    np_ = {p.id: p for p in new.parameters()}
    moved = {n.id for n in changed}
    claimed: set[tuple[str, str]] = set()
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for n in changed:
        if n.status != "changed" or n.unit != "days" or not isinstance(n.old, int) or isinstance(n.old, bool):
            continue
        anchor = _anchor(n.old_quote)
        found: list[tuple[str, str]] = []
        for q in np_.values():
            if q.id in moved or q.id not in op or q.unit != "days" or q.basis != n.basis or not anchor:
                continue
            if old.params.values.get(q.id) == new.params.values.get(q.id) == n.old and _anchor(q.quote) == anchor:
                found.append((q.clause, q.quote))
        if n.new_clause in new.document.by_id:
            for m, k in back_references(new.document.normalized(n.new_clause)):
                if k == n.old and m.group("unit").lower() == "day":
                    found.append((n.new_clause, m.group(0)))
        # elsewhere, a "such ... period" of the old number that its own clause never states points at another
        # clause's period, which may be this one ("such thirty-day period" in 2(c)'s example, 2(a)'s window)
        periods = all_periods(new.document)
        ids = [c.id for c in new.document.clauses]
        for c in new.document.clauses:
            if c.id == n.new_clause or any(x.startswith(c.id + "(") for x in ids):
                continue  # a Section's words include its subsections': each place is said once, in its own
            for m, k in back_references(new.document.normalized(c.id)):
                if k == n.old and m.group("unit").lower() == "day" and not any(
                        p.n == n.old and p.unit == "day" and p.end <= m.start() for p in periods.get(c.id, [])):
                    found.append((c.id, m.group(0)))
        kept = tuple(sorted((x for x in dict.fromkeys(found) if x not in claimed), key=lambda x: clause_key(x[0])))
        claimed.update(kept)
        if kept:
            out[n.id] = kept
    return out


def compare_numbers(old: Agreement, new: Agreement) -> tuple[NumberChange, ...]:
    """Every parameter whose value changed, with its clause and words in each text, and where the new text still
    gives a changed number's old value for the same period."""
    found = _compare_numbers(old, new)
    behind = _left_behind(old, new, found)
    return tuple(replace(n, left_behind=behind[n.id]) if n.id in behind else n for n in found)


def _compare_numbers(old: Agreement, new: Agreement) -> tuple[NumberChange, ...]:
    op = {p.id: p for p in old.parameters()}
    np_ = {p.id: p for p in new.parameters()}
    out = []
    for pid in sorted(op, key=lambda k: (clause_key(np_[k].clause if k in np_ else op[k].clause), k)):
        if pid not in np_:
            continue
        a, b = op[pid], np_[pid]
        ou, nu = pid in old.params.unbound, pid in new.params.unbound
        ov, nv = (None if ou else old.params.values[pid]), (None if nu else new.params.values[pid])
        if ou or nu:
            if ou and nu:
                continue
            out.append(NumberChange(pid, a.description, a.unit, a.basis, "unread", ov, nv, a.clause, b.clause, a.quote, b.quote,
                                    "old" if ou else "new"))
        elif ov != nv:
            out.append(NumberChange(pid, a.description, a.unit, a.basis, "changed", ov, nv, a.clause, b.clause, a.quote, b.quote))
    return tuple(out)


@dataclass(frozen=True)
class ProofChange:
    """An invariant whose verdict changed (proved | refuted | unknown | withheld on each side)."""

    id: str
    statement: str
    sections: tuple[str, ...]
    old: str
    new: str
    counterexample: list[dict[str, Any]] | None = None  # the new text's, when it refutes the invariant
    old_counterexample: list[dict[str, Any]] | None = None
    reason: str | None = None


def compare_proofs(old: Sequence[Verdict], new: Sequence[Verdict]) -> tuple[ProofChange, ...]:
    """The invariants whose verdict differs between the two texts (the statement with the new text's values, or
    the old text's where the new one withholds them)."""
    ov = {v.id: v for v in old}
    out = []
    for v in new:
        o = ov.get(v.id)
        if o is None or o.status == v.status:
            continue
        if "{" in v.statement and "{" not in o.statement:
            v = replace(v, statement=o.statement)
        reason = v.reason if v.status in ("unknown", "withheld") else (o.reason if o.status in ("unknown", "withheld")
                                                                       else None)
        out.append(ProofChange(v.id, v.statement, v.sections, o.status, v.status,
                               v.counterexample if v.status == "refuted" else None,
                               o.counterexample if o.status == "refuted" else None, reason))
    return tuple(out)


FIGURES = (("worst_case", "worst case with no Allowed Delays"),
           ("with_allowed_delays", "worst case with the Company's best Allowed Delays"))


@dataclass(frozen=True)
class MoneyChange:
    """One figure under one assumption set, old and new."""

    set: str
    source: str
    as_of: date
    principal: int
    figure: str  # worst_case | with_allowed_delays
    title: str
    old: Amount
    new: Amount

    @property
    def difference(self) -> Fraction | None:
        """New minus old, when both texts give an amount."""
        if self.old.value is None or self.new.value is None:
            return None
        return self.new.value - self.old.value

    @property
    def proved(self) -> bool:
        """Both amounts are proved optima, so the difference is exact."""
        return self.old.status == "proved" and self.new.status == "proved"

    @property
    def changed(self) -> bool:
        """The amount or its status differs."""
        return self.old.value != self.new.value or self.old.status != self.new.status


def compare_money(old: Sequence[MoneySide], new: Sequence[MoneySide]) -> tuple[MoneyChange, ...]:
    """Every figure of every assumption set, old and new (changed or not: the part shows the whole table)."""
    out = []
    for o, n in zip(old, new, strict=True):
        for key, title in FIGURES:
            out.append(MoneyChange(n.name, n.source, n.as_of, n.principal, key, title, getattr(o, key),
                                   getattr(n, key)))
    return tuple(out)


@dataclass(frozen=True)
class DamagesChange:
    """One example scenario's total, old and new."""

    old: DamagesSide
    new: DamagesSide

    @property
    def difference(self) -> Fraction | None:
        """New minus old, when both texts price the scenario."""
        if self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def changed(self) -> bool:
        """The total, a reading's total or the status differs."""
        return (self.old.status, self.old.total, self.old.readings) != (self.new.status, self.new.total,
                                                                         self.new.readings)


# ------------------------------------------------------------------------------------------- headlines

# The ranking of the summary: kinds of change in order of what matters most to a party reading a markup. The
# summary takes the first change of each kind in this order until it has three, then the next changes in order.
KINDS = (
    "new high problem",  # a new high-severity memo entry, or one raised to high (the exit status 1 cases)
    "clauses deleted",  # clauses deleted with duties, deadlines, conditions, remedies or votes the model reads there
    "money",  # a worst-case figure moved (proved differences first, then the largest)
    "proof refuted",  # an invariant proved on the old text is refuted on the new (a guarantee lost)
    "veto",  # a kind of party gains or loses a veto over a decision
    "high problem resolved",
    "new problem",  # a new medium entry, or a severity change other than to high
    "proof",  # any other change of verdict (refuted -> proved, unknown)
    "damages",  # an example scenario's total moved
    "vote",  # a decision's answer changes for some holdings, with no veto gained or lost
    "number",  # a parameter's value changed
    "drafting",  # low-severity (appendix) entries new or resolved, other resolved entries
    "withheld",  # what cannot be compared because a text withholds it
    "words",  # clauses reworded with no other effect the model sees
)


@dataclass(frozen=True)
class Headline:
    """One change in a sentence, with its kind (KINDS) and its weight within the kind (larger first)."""

    kind: str
    text: str
    weight: float = 0.0
    about: frozenset[str] = frozenset()  # what it is about (clauses, findings): two that share one say one change


def usd(x: Fraction | float | None) -> str:
    """Dollars, whole (the summary's precision)."""
    return "-" if x is None else f"${round(float(x)):,}"


def signed(x: Fraction | float) -> str:
    """A signed dollar difference."""
    v = round(float(x))
    return f"+${v:,}" if v >= 0 else f"-${-v:,}"


def value_words(v: Any, unit: str = "", basis: str | None = None) -> str:
    """A parameter value as a reader writes it ("45 calendar days", "1.5%", "two-thirds", "$120,000")."""
    if v is None:
        return "none"
    if isinstance(v, date):
        return f"{v.day} {v:%B %Y}"
    if unit == "share":
        return {"majority": "a majority", "2/3": "two-thirds", "all": "all"}.get(str(v), str(v))
    if unit == "ratio":
        return f"{float(v) * 100:g}%"
    if unit == "USD":
        return f"${float(v):,.0f}"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if unit == "days":
        return f"{v} {basis + ' ' if basis else ''}day{'s' if v != 1 else ''}"
    return f"{v} {unit}" if unit in ("months", "shares") else str(v)


def cap(s: str) -> str:
    """The first letter in upper case, the rest as written."""
    return s[:1].upper() + s[1:]


def _clauses(cs: Sequence[str]) -> str:
    return ", ".join(cs)


def _deleted_words(gone: Sequence[str], old: Agreement) -> str:
    """Deleted clauses in a few words: a clause deleted with all its sub-clauses is named once ("3 and its 18
    sub-clauses"), the others listed (the first eight)."""
    doc, left = old.document, set(gone)
    names = []
    for cid in gone:
        if cid not in left:
            continue
        below = _below(doc, cid)
        name = f"Section {cid}" if doc.by_id[cid].kind == "section" else cid
        if below and all(k in left for k in below):
            left -= set(below)
            names.append(f"{name} and its {len(below)} sub-clause{'s' if len(below) > 1 else ''}")
        else:
            names.append(name)
        left.discard(cid)
    return first_few(names, 8)


def _below(doc: Any, cid: str) -> list[str]:
    """The ids of a clause's sub-clauses, at every depth."""
    out: list[str] = []
    for k in doc.by_id[cid].children if cid in doc.by_id else ():
        out += [k, *_below(doc, k)]
    return out


def _said(clauses: Iterable[str]) -> frozenset[str]:
    """What a headline that tells how these clauses changed covers (a "Words" line about them says it again)."""
    return frozenset(f"said:{c}" for c in clauses if c)


def _on(clauses: Iterable[str]) -> frozenset[str]:
    """What a headline about these clauses is about."""
    return frozenset(f"clause:{c}" for c in clauses if c)


def _word_change(w: Any) -> str:
    edits = [op for op in w.ops if op[0] != "equal"]
    if w.status == "changed" and 0 < len(edits) <= 3 and all(len(f"{a} {b}".split()) <= 10 for _, a, b in edits):
        # a few words: say which ("3(c): "promptly" deleted, "when it sees fit" added")
        said = [f"\"{a}\" deleted" if op == "delete" else f"\"{b}\" added" if op == "insert" else f"\"{a}\" -> \"{b}\""
                for op, a, b in edits]
        return f"{w.new} reworded: {', '.join(said)}"
    return {"changed": f"{w.new} reworded", "renumbered": f"{w.old} is now {w.new}", "deleted": f"{w.old} deleted",
            "inserted": f"{w.new} inserted", "moved and changed": f"{w.old} reworded and now {w.new}"}[w.status]


def changed_words(a: str, b: str) -> tuple[str, str]:
    """The words of `a` and `b` between their common beginning and end ("more than half", "at least two-thirds")."""
    x, y = a.split(), b.split()
    i = 0
    while i < min(len(x), len(y)) and x[i] == y[i]:
        i += 1
    j = 0
    while j < min(len(x), len(y)) - i and x[-1 - j] == y[-1 - j]:
        j += 1
    return " ".join(x[i:len(x) - j]) or "(nothing)", " ".join(y[i:len(y) - j]) or "(nothing)"


@dataclass(frozen=True)
class Comparison:
    """Every part of `rra diff`."""

    old: Agreement
    new: Agreement
    words: WordsDiff
    numbers: tuple[NumberChange, ...]
    problems: ProblemsDiff
    proofs: tuple[ProofChange, ...]
    money: tuple[MoneyChange, ...]
    damages: tuple[DamagesChange, ...]
    votes: VotesDiff
    old_withheld: tuple[dict[str, Any], ...]  # what the old text withholds and the new does not
    new_withheld: tuple[dict[str, Any], ...]  # what the new text withholds and the old does not

    @property
    def new_high(self) -> bool:
        """NEW has a high-severity problem that OLD did not have (exit status 1)."""
        return bool(self.problems.new_high)

    @property
    def empty(self) -> bool:
        """Nothing differs that the model sees (the words aside)."""
        return not (self.numbers or self.problems.changes or self.proofs or any(m.changed for m in self.money)
                    or any(d.changed for d in self.damages) or self.votes.changes or self.old_withheld
                    or self.new_withheld)

    def deleted(self) -> tuple[list[str], dict[str, int]]:
        """The old text's clauses deleted in the new one, and how many of each kind of formal element (obligation,
        deadline, condition, carve_out, remedy, consent_rule) the model read in them."""
        gone = [w.old for w in self.words.changes if w.status == "deleted" and w.old]
        m = self.old.model
        counts = {kind: sum(1 for e in items if e.clause in gone) for kind, items in (
            ("obligation", m.obligations), ("deadline", m.deadlines), ("condition", m.conditions),
            ("carve_out", m.carve_outs), ("remedy", m.remedies), ("consent_rule", m.consent_rules))}
        return gone, {k: n for k, n in counts.items() if n}

    def headlines(self) -> list[Headline]:
        """Every change as a sentence, in the order of KINDS (within a kind, by weight then as found)."""
        out: list[Headline] = []
        gone, counts = self.deleted()
        if counts:
            what = listed(kind_count(n, k) for k, n in counts.items())
            out.append(Headline("clauses deleted", f"Deleted: {_deleted_words(gone, self.old)}, where the old text "
                                                   f"has {what}", sum(counts.values()), _on(gone) | _said(gone)))
        for c in self.problems.changes:
            i = c.issue
            where = _clauses(i.sections)
            about = frozenset(i.findings)
            if c in self.problems.new_high:
                was = f" (was {c.old.severity})" if c.status == "severity" and c.old is not None else ""
                found = f" ({c.reason})" if c.status == "changed" else ""
                out.append(Headline("new high problem", f"New high-severity problem{was}{found}: {i.title} [{where}]",
                                    about=about))
            elif c.status == "resolved":
                kind = "high problem resolved" if i.severity == Severity.HIGH else "drafting"
                with_ = [x for x in i.sections if x in gone]
                said = f"No longer found, with {_clauses(with_)} deleted" if with_ else "Resolved"
                out.append(Headline(kind, f"{said} ({i.severity}): {i.title} [{where}]", about=about | _on(with_)))
            elif c.status == "new":
                kind = "drafting" if i.area.appendix else "new problem"
                out.append(Headline(kind, f"New {i.severity}-severity problem: {i.title} [{where}]", about=about))
            elif c.status == "changed":
                kind = "new problem" if c.more else "drafting"
                out.append(Headline(kind, f"{cap(c.reason)} ({i.severity}): {i.title} [{where}]", about=about))
            elif c.status == "severity" and c.old is not None:
                out.append(Headline("new problem", f"Severity {c.old.severity} -> {i.severity}: {i.title} [{where}]",
                                    about=about))
            elif c.status == "withheld" and i.sections and all(x in gone for x in i.sections):
                kind = "high problem resolved" if i.severity == Severity.HIGH else "drafting"
                out.append(Headline(kind, f"No longer found, with {_clauses(i.sections)} deleted ({i.severity}): "
                                          f"{i.title} [{where}]", about=about | _on(i.sections)))
            elif c.status == "withheld":
                out.append(Headline("withheld", f"Cannot tell whether this problem remains ({c.reason}): {i.title}"))
        for m in self.money:
            if not m.changed:
                continue
            d = m.difference
            if d is None:
                why = m.new.reason or m.old.reason or ""
                out.append(Headline("withheld", f"{cap(m.title)} ({m.set} assumptions): not comparable: {why}"))
                continue
            note = "" if m.proved else " (not both proved optima)"
            # proved differences first, then the largest
            out.append(Headline("money", f"{cap(m.title)} ({m.set} assumptions, per {usd(m.principal)}): "
                                         f"{usd(m.old.value)} -> {usd(m.new.value)} ({signed(d)}){note}",
                                abs(float(d)) + (1e15 if m.proved else 0.0)))
        for p in self.proofs:
            if p.old == "proved" and p.new == "refuted":
                first = p.counterexample[0]["date"] if p.counterexample else ""
                out.append(Headline("proof refuted", f"No longer holds: {p.statement} (counterexample from {first})",
                                    about=frozenset({f"proof.{p.id}"})))
            elif "withheld" in (p.old, p.new):
                out.append(Headline("withheld", f"Proof not comparable ({p.reason}): {p.statement}"))
            else:
                out.append(Headline("proof", f"Proof {p.old} -> {p.new}: {p.statement}"))
        for v in self.votes.changes:
            vetoes = [pw for pw in v.powers if pw.veto]
            for pw in vetoes:
                out.append(Headline("veto", f"{cap(pw.who)} {pw.words} over the decision to {v.decision} "
                                            f"({v.new_clause})", about=_on([v.new_clause]) | _said([v.new_clause])))
            if v.status == "withheld":
                out.append(Headline("withheld", f"Votes to {v.decision} ({v.new_clause}): {v.reason}"))
            elif not vetoes and v.status in ("changed", "added", "removed", "unknown"):
                if v.new_rule and v.old_rule:
                    was, now = changed_words(v.old_rule, v.new_rule)
                    text = f"who must agree changes from \"{was}\" to \"{now}\""
                    if v.status == "changed":
                        text += ", which changes the answer for some holdings"
                else:
                    text = {"added": "a new consent rule", "removed": "the consent rule is gone"}.get(v.status, v.status)
                out.append(Headline("vote", f"The decision to {v.decision} ({v.new_clause}): {text}",
                                    about=_on([v.new_clause]) | _said([v.new_clause])))
        for dc in self.damages:
            if not dc.changed:
                continue
            diff = dc.difference
            if diff is None:
                out.append(Headline("withheld", f"Damages of the example \"{dc.new.scenario}\": "
                                                f"{dc.new.reason or dc.old.reason}"))
            else:
                out.append(Headline("damages", f"Damages of the example \"{dc.new.scenario}\": {usd(dc.old.total)} -> "
                                               f"{usd(dc.new.total)} ({signed(diff)})", abs(float(diff))))
        for line, clauses in _withheld_lines(self.new_withheld):
            out.append(Headline("withheld", f"Withheld on the new text: {line}", about=_on(clauses)))
        for line in withheld_in_words(self.old_withheld):
            out.append(Headline("withheld", f"Analysed on the new text, withheld on the old: {line}"))
        for n in self.numbers:
            if n.status == "changed":
                still = (f" (still {value_words(n.old, n.unit, n.basis)} in "
                         f"{listed(sort_clauses(dict.fromkeys(c for c, _ in n.left_behind)))})" if n.left_behind else "")
                out.append(Headline("number", f"{n.description.rstrip('.')} ({n.new_clause}): "
                                              f"{value_words(n.old, n.unit, n.basis)} -> {value_words(n.new, n.unit, n.basis)}"
                                              + still, float(len(n.left_behind)),
                                              _on([n.new_clause]) | _said([n.new_clause])))
            else:
                out.append(Headline("withheld", f"{n.description.rstrip('.')} ({n.new_clause}): not read from the "
                                                f"{n.unread_in} text's words", about=_on([n.new_clause])))
        if self.words.changes:
            told = [_word_change(w) for w in self.words.changes[:8]]
            more = len(self.words.changes) - len(told)
            out.append(Headline("words", "Words: " + "; ".join(told) + (f"; and {more} more" if more > 0 else ""),
                                # said already when every clause's change is told above (a number, a vote, a
                                # deletion: a clause renumbered by a deletion follows from it); a line that only says
                                # a check was withheld does not tell the change
                                about=_said((w.old or "") if w.status == "deleted" else (w.new or "")
                                            for w in self.words.changes if w.status != "renumbered")))
        rank = {k: n for n, k in enumerate(KINDS)}
        return sorted(out, key=lambda h: (rank[h.kind], -h.weight))

    def top(self, n: int = 3) -> list[Headline]:
        """The changes that matter most: the first of each kind in the order of KINDS until `n`, then the next ones
        in the same order."""
        all_ = self.headlines()
        picked: list[Headline] = []
        covered: set[str] = set()

        def said(h: Headline) -> bool:  # what it is about is already said by a picked one: the same change again
            return bool(h.about) and h.about <= covered

        seen: set[str] = set()
        for h in all_:
            if len(picked) < n and h.kind not in seen and not said(h):
                picked.append(h)
                covered.update(h.about)
            seen.add(h.kind)
        for h in all_:
            if len(picked) >= n:
                break
            if h not in picked and not said(h):
                picked.append(h)
                covered.update(h.about)
        rank = {id(h): k for k, h in enumerate(all_)}
        return sorted(picked, key=lambda h: rank[id(h)])


def _readable(ws: Sequence[dict[str, Any]], agreement: Agreement) -> tuple[dict[str, Any], ...]:
    """Withholdings with their reasons in a reader's words (a reason that continues the element's name, "whose words
    the draft changed...", gets the name back first)."""
    return tuple({**w, "reason": plain(f"it reads {w['element']}, {w['reason']}" if w["reason"].startswith("whose ")
                                       else w["reason"], agreement)} for w in ws)


def compare(old: Side, new: Side) -> Comparison:
    """Line two analysed texts up, part by part (reasons said in a reader's words)."""
    words = compare_documents(old.agreement.document, new.agreement.document)
    old_withheld, new_withheld = _readable(old.withheld, old.agreement), _readable(new.withheld, new.agreement)
    problems = compare_problems(old.memo.issues, new.memo.issues, words, old_withheld, new_withheld)
    proofs = tuple(replace(p, reason=plain(p.reason, new.agreement) if p.reason else p.reason)
                   for p in compare_proofs(old.verdicts, new.verdicts))
    return Comparison(
        old.agreement, new.agreement, words, compare_numbers(old.agreement, new.agreement), problems, proofs,
        compare_money(old.money, new.money),
        tuple(DamagesChange(o, n) for o, n in zip(old.damages, new.damages, strict=True)),
        compare_votes(old.agreement, new.agreement), _only_in(old_withheld, new_withheld),
        _only_in(new_withheld, old_withheld))


ANALYSIS_WORDS = {"provisions": "provisions review", "z3": "formal checks", "proofs": "proofs", "exposure": "worst case",
                  "consent": "consent analysis", "text": "drafting review", "draft": "draft reading"}


def withheld_in_words(ws: Sequence[dict[str, Any]]) -> list[str]:
    """What a text withholds, one line per analysis and reason: how many checks, on which clauses, and why."""
    return [line for line, _ in _withheld_lines(ws)]


def _withheld_lines(ws: Sequence[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """withheld_in_words's lines, each with the clauses it names."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for w in ws:
        groups.setdefault((w["analysis"], w["reason"]), []).append(w)
    out = []
    for (analysis, reason), items in groups.items():
        clauses = sort_clauses(w["clause"] for w in items if w.get("clause"))
        what = ANALYSIS_WORDS.get(analysis, analysis)
        named = "; ".join(dict.fromkeys(w["what"] for w in items)) if analysis in ("z3", "exposure", "consent") else ""
        count = f"{len(items)} check{'s' if len(items) != 1 else ''}" if not named else named
        out.append((f"{what}: {count}" + (f" ({', '.join(clauses)})" if clauses else "") + f": {reason}", list(clauses)))
    return out


def _only_in(a: Sequence[dict[str, Any]], b: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """What one text withholds and the other does not (by analysis, what, and the element it rests on)."""
    keys = {(w["analysis"], w["what"], w["element"]) for w in b}
    return tuple(w for w in a if (w["analysis"], w["what"], w["element"]) not in keys)


__all__ = ["ANALYSIS_WORDS", "Amount", "Comparison", "DamagesChange", "DamagesSide", "Headline", "KINDS", "MoneyChange",
           "MoneySide", "NumberChange", "ProofChange", "Side", "compare", "compare_money", "compare_numbers",
           "compare_proofs", "damages_side", "money_side", "plain", "side", "usd", "value_words", "withheld_in_words"]
