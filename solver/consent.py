"""The consent rules as predicates over holdings and coalitions: once in plain Python, once in Z3.

Each consent rule of an agreement's model is read into *limbs*, every one of which must hold:

- majority: the consenting voters' measure reaches the rule's share of the total measure (the share is a
  parameter read from the words: "a majority" is more than half, "two-thirds" at least two thirds);
- each: every voter with a positive measure consents (a veto for each);
- party: one named party consents (the Company, the Investor concerned, the assignor, the transferee);
- owner: the registered owner of the securities (11(a)) is among those giving the instruction;
- any: at least one Investor asks;
- conditions: every numbered condition of Section 9 is met.

What a limb measures depends on the rule's basis and on the readings (the model's consent readings, one default
per axis); a `Book` holds one agreement's rules, readings and shares. The Python evaluator (`evaluate`) explains every limb with its numbers; the Z3 builder
(`z3_rule`) gives the same rule as a formula over symbolic holdings (`SymHoldings`), which the analysis
(solver/consent_analysis.py) uses to compare rules. Tests check that both give the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3
from rra.solver.holdings import COMPANY, Holdings, Party, assignment_conditions
from rra.solver.z3util import make_solver
from rra.spec.agreement import Agreement
from rra.spec.clauses import Document
from rra.spec.elements import ConsentRule, Reading
from rra.spec.overrides import ParameterSet
from rra.spec.text import normalize

from rra.errors import BadInput

# Action names for the command line -> the rules that must all allow it.
ACTIONS: dict[str, tuple[str, ...]] = {
    "registration-form": ("consent.2(a)",),
    "offering-counsel": ("consent.2(b)",),
    "select-underwriters": ("consent.2(b).underwriters",),
    "piggyback-other-underwriter": ("consent.2(d)",),
    "blue-sky": ("consent.3(d)",),
    "underwriting-agreement-company": ("consent.3(e)",),
    "mnpi-disclosure": ("consent.3(f)",),
    "reviewing-counsel": ("consent.3(h)",),
    "opinion-and-comfort-letter": ("consent.3(j)",),
    "plan-of-distribution": ("consent.3(p)",),
    "admit-other-holders": ("consent.3(q)",),
    "engage-underwriter": ("consent.4(c)",),
    "settle-company-indemnified": ("consent.6(a)",),
    "settle-investor-indemnified": ("consent.6(b)",),
    "indemnity-counsel": ("consent.6(c)",),
    "assign-rights": ("consent.9",),
    "amend": ("consent.10",),
    "waive": ("consent.10",),
    "conflicting-instructions": ("consent.11(a)",),
    "investor-consent": ("consent.11(k)",),
    "underwritten-offering": ("consent.2(b).underwriters", "consent.3(e)", "consent.4(c)"),
}

BASIS_WORDS = {
    "debentures_and_converted_unregistered": "USD of Debentures outstanding and converted but not registered",
    "registrable_held": "Registrable Securities held",
    "registrable_as_converted": "Registrable Securities as if the Debentures were converted",
    "registrable_offered": "Registrable Securities being offered",
    "registrable_registered": "Registrable Securities being registered",
    "registrable_included": "Registrable Securities included in the Registration Statement",
}


# ----------------------------------------------------------------------------------------------- readings

def _axis(r: Reading) -> str:
    return r.id.split(".")[2]


Readings = Mapping[str, str]


# Words that open a general rule's sentence and say what it does to clauses that set their own vote: a rule that
# opens "Except as otherwise provided herein" yields to them; one that opens "Notwithstanding anything to the
# contrary" overrides them. A rule whose sentence opens with neither yields (the specific governs the general).
YIELDING_OPENERS = ("except as otherwise", "except as expressly", "except as provided", "except where otherwise",
                    "unless otherwise", "save as otherwise", "subject to")
OVERRIDING_OPENERS = ("notwithstanding",)


@dataclass(frozen=True)
class Opening:
    """The words before a rule's own words in its sentence, verbatim, and what they do to other clauses' votes."""

    clause: str
    words: str  # "" when the sentence opens with the rule's words
    effect: str  # yields | overrides | none (nothing said: read as yielding)

    @property
    def yields(self) -> bool:
        """The rule gives way to any clause that sets its own vote."""
        return self.effect != "overrides"


_SENTENCE_END = re.compile(r"[.;:]\s+")
_LABEL = re.compile(r"^(?:\(?[a-z]{1,2}\)|\(?[ivxl]{1,5}\)|\(?\d{1,2}\))\s+", re.IGNORECASE)  # "k) ", "(iv) ", "(3) "


def opening(doc: Document, rule: ConsentRule) -> Opening:
    """The opening words of the sentence that holds a rule's words (from the text, so a draft's own words count)."""
    text = doc.normalized(rule.clause) if rule.clause in doc.by_id else ""
    at = text.find(normalize(rule.quote))
    if at < 0:
        return Opening(rule.clause, "", "none")
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, at):
        start = m.end()
    words = _LABEL.sub("", text[start:at].strip()).rstrip(",").strip()  # the clause's own label is not its words
    low = words.lower()
    if any(w in low for w in OVERRIDING_OPENERS):
        return Opening(rule.clause, words, "overrides")
    if any(low.startswith(w) for w in YIELDING_OPENERS):
        return Opening(rule.clause, words, "yields")
    return Opening(rule.clause, words, "none")


@dataclass(frozen=True)
class Book:
    """One agreement's consent rules (those whose words the text has), its readings, and its voting shares.

    `opening` is what the default rule's sentence opens with (`Opening.yields`: it applies only where no clause
    sets its own vote, so it is never compared with a clause that does). `unusable_readings` are readings whose
    words the text changed: a conclusion resting on one is withheld."""

    rules: dict[str, ConsentRule]
    axes: dict[str, tuple[str, ...]]
    defaults: dict[str, str]
    by_name: dict[str, Reading]
    params: ParameterSet
    withheld: tuple[str, ...] = ()  # rule ids whose words the text changed
    opening: Opening | None = None  # of the default rule
    unusable_readings: tuple[str, ...] = ()
    order: tuple[str, ...] = ()  # clause ids in document order

    def share(self, param: str | None) -> str:
        """The share a parameter sets ("majority" when the rule names none)."""
        return "majority" if param is None else str(self.params[param])

    def rule(self, rule_id: str) -> ConsentRule:
        """A rule by id."""
        return self.rules[rule_id]

    @property
    def default_rule(self) -> ConsentRule | None:
        """The catch-all rule for decisions with no vote of their own (11(k)), if the text has its words."""
        return next((r for r in self.rules.values() if r.default), None)

    @property
    def default_yields(self) -> bool:
        """The default rule gives way to clauses that set their own vote (from its opening words)."""
        return self.opening is None or self.opening.yields

    def position(self, clause: str) -> int:
        """Where a clause comes in the text (for ordering; unknown clauses last)."""
        return self.order.index(clause) if clause in self.order else len(self.order)


def book(agreement: Agreement) -> Book:
    """The consent rules and readings of an agreement; rules whose words a draft changed are left out."""
    model = agreement.model
    rules = {r.id: r for r in model.consent_rules if model.usable(r.id)}
    withheld = tuple(r.id for r in model.consent_rules if not model.usable(r.id))
    axes: dict[str, tuple[str, ...]] = {}
    for r in sorted(model.consent_readings, key=lambda r: not r.default):
        axes.setdefault(_axis(r), ())
        axes[_axis(r)] += (r.name,)
    defaults = {axis: names[0] for axis, names in axes.items()}
    default = next((r for r in rules.values() if r.default), None)
    doc = agreement.document
    return Book(rules, axes, defaults, {r.name: r for r in model.consent_readings}, agreement.params, withheld,
                opening(doc, default) if default is not None else None,
                tuple(r.name for r in model.consent_readings if not model.usable(r.id)),
                tuple(c.id for c in doc.clauses))


def readings_for(reading: str | Iterable[str] | Mapping[str, str] | None, bk: Book) -> dict[str, str]:
    """The reading per axis: the defaults, with the named readings swapped in (one per axis)."""
    out = dict(bk.defaults)
    if reading is None:
        return out
    if isinstance(reading, Mapping):
        names = list(reading.values())
    elif isinstance(reading, str):
        names = [n for n in reading.split(",") if n.strip()]
    else:
        names = list(reading)
    seen: set[str] = set()
    for raw in names:
        name = raw.strip()
        if name not in bk.by_name:
            raise BadInput("--reading", name, f"unknown reading; expected one of {', '.join(bk.by_name)}")
        axis = _axis(bk.by_name[name])
        if axis in seen:
            raise BadInput("--reading", name, f"a second reading of the same words ({axis}); give one per axis")
        seen.add(axis)
        out[axis] = name
    return out


# ----------------------------------------------------------------------------------------------- limbs

@dataclass(frozen=True)
class Limb:
    """One requirement of a rule."""

    kind: str  # majority | each | party | owner | any | conditions
    source: str  # rule id, or the rule id and the requirement it comes from
    basis: str = "none"
    voters: str = "investors"  # investors | holders
    denominator: str = "all"  # all | investors
    who: str = ""  # for party: company | party | assignor | transferee
    note: str = ""
    share: str = "majority"  # for majority: "majority" (more than half) or "n/d" (at least that share)


def passes_share(got: int, total: int, share: str) -> bool:
    """Whether `got` of `total` reaches a share: more than half for "majority", at least n/d otherwise."""
    if share == "majority":
        return 2 * got > total
    if share == "all":
        return total > 0 and got == total
    n, d = (int(x) for x in share.split("/"))
    return total > 0 and d * got >= n * total


def needed(total: int, share: str) -> int:
    """The least amount that reaches the share of `total`."""
    if share == "majority":
        return total // 2 + 1
    if share == "all":
        return total
    n, d = (int(x) for x in share.split("/"))
    return -(-n * total // d)


def share_words(share: str) -> str:
    """A share in words: "more than half", "at least 2/3", "all"."""
    return {"majority": "more than half", "all": "all"}.get(share, f"at least {share}")


def limbs(rule: ConsentRule, readings: Readings | None, bk: Book) -> list[Limb]:
    """The requirements of a rule under the readings, all of which must hold."""
    rd = readings_for(readings, bk) if readings is None or set(readings) != set(bk.defaults) else readings
    den = "investors" if rd["denominator"] == "investors-securities" else "all"
    out: list[Limb] = []
    default_rule = next((r for r in bk.rules.values() if r.default), None)
    default_share = bk.share(default_rule.share) if default_rule else "majority"

    def the_investors(src: str) -> Limb:
        if rd["investors"] == "each-investor":
            return Limb("each", src, "registrable_as_converted", "investors")
        return Limb("majority", src, "registrable_as_converted", "investors", den,
                    note=default_rule.clause if default_rule else "", share=default_share)

    t, rid = rule.threshold, rule.id
    if t == "majority":
        out.append(Limb("majority", rid, rule.basis, rule.voters, "all" if rule.voters == "holders" else den,
                        share=bk.share(rule.share)))
    elif t == "all":
        out.append(Limb("each", rid, rule.basis, rule.voters))
    elif t == "unqualified":
        out.append(the_investors(rid))
    elif t == "owner":
        out.append(Limb("owner", rid))
    elif t == "self":
        out.append(Limb("party", rid, who=COMPANY if rule.voters == "company" else "party"))
    elif t == "any":
        out.append(Limb("any", rid, voters=rule.voters))
    elif t != "none":
        raise ValueError(f"{rid}: unknown threshold {t!r}")
    for req in rule.requires:
        src = f"{rid}:{req}"
        if req == "company":
            out.append(Limb("party", src, who=COMPANY))
        elif req == "company_reasonable":
            out.append(Limb("party", src, who=COMPANY, note="not to be withheld unreasonably"))
        elif req == "investors_majority":
            out.append(Limb("majority", src, "registrable_as_converted", "investors", "investors",
                            note="of the Investors", share=bk.share(rule.approval_share)))
        elif req == "investors_approval":
            out.append(the_investors(src))
        elif req == "each_holding_investor":
            out.append(Limb("each", src, "registrable_held", "investors"))
        elif req in ("assignor", "transferee"):
            out.append(Limb("party", src, who=req))
        elif req == "conditions":
            out.append(Limb("conditions", src))
            if rd["assignment"] == "company-signs":
                out.append(Limb("party", f"{rid}:company-signs", who=COMPANY, note="reading company-signs"))
        else:
            raise ValueError(f"{rid}: unknown requirement {req!r}")
    return out


def measure(p: Party, basis: str, readings: Readings) -> int:
    """A party's weight on a basis under the readings."""
    m = readings["measure"]
    if basis == "debentures_and_converted_unregistered":
        return p.debentures_outstanding + p.debentures_converted_unregistered
    if basis == "registrable_held":
        return p.registrable_held + (p.conversion_shares if m != "of-record" else 0) + (p.warrants if m == "issuable" else 0)
    if basis == "registrable_as_converted":
        return p.registrable_held + p.conversion_shares + (p.warrants if m == "issuable" else 0)
    if basis in ("registrable_offered", "registrable_registered", "registrable_included"):
        return int(getattr(p, basis))
    return 0


# ----------------------------------------------------------------------------------------------- Python evaluator

@dataclass(frozen=True)
class LimbResult:
    """A limb with its outcome and its numbers."""

    source: str
    kind: str
    passed: bool
    why: str
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleResult:
    """One rule applied: allowed or not, and each limb."""

    rule: str
    clause: str
    decision: str
    quote: str
    passed: bool
    limbs: tuple[LimbResult, ...]


@dataclass(frozen=True)
class Decision:
    """The answer to "can these parties together do this?"."""

    action: str
    allowed: bool
    consenting: tuple[str, ...]
    readings: dict[str, str]
    results: tuple[RuleResult, ...]
    party: str | None = None

    @property
    def why(self) -> str:
        """One sentence per limb that decided the answer."""
        bad = [lr.why for r in self.results for lr in r.limbs if not lr.passed]
        if bad:
            return "; ".join(bad)
        return "; ".join(lr.why for r in self.results for lr in r.limbs)

    def to_json(self) -> dict[str, Any]:
        """The `rra consent --json` shape."""
        return {
            "action": self.action,
            "allowed": self.allowed,
            "consenting": list(self.consenting),
            "party": self.party,
            "readings": dict(self.readings),
            "why": self.why,
            "rules": [
                {"rule": r.rule, "clause": r.clause, "decision": r.decision, "quote": r.quote, "allowed": r.passed,
                 "limbs": [{"source": lr.source, "kind": lr.kind, "met": lr.passed, "why": lr.why, "numbers": lr.numbers}
                           for lr in r.limbs]}
                for r in self.results
            ],
        }


def _fmt(n: int) -> str:
    return f"{n:,}"


def _voters(h: Holdings, voters: str) -> list[Party]:
    return [p for p in h.parties if voters == "holders" or p.is_investor]


def eval_limb(limb: Limb, h: Holdings, consenting: frozenset[str], readings: Readings, party: str | None = None) -> LimbResult:
    """One limb in plain Python, with the numbers that decided it."""
    if limb.kind == "majority":
        voters = _voters(h, limb.voters)
        den = h.parties if limb.denominator == "all" else [p for p in h.parties if p.is_investor]
        got = sum(measure(p, limb.basis, readings) for p in voters if p.id in consenting)
        total = sum(measure(p, limb.basis, readings) for p in den)
        ok = passes_share(got, total, limb.share)
        need_n = needed(total, limb.share)
        who = "Investors" if limb.voters == "investors" else "holders"
        of = " held by Investors" if limb.denominator == "investors" else ""
        why = (f"{limb.source}: consenting {who} have {_fmt(got)} of {_fmt(total)} {BASIS_WORDS[limb.basis]}{of}; "
               f"{share_words(limb.share)} needs {_fmt(need_n)}: {'met' if ok else 'not met'}")
        if total == 0:
            why += " (nothing to count, so no majority is possible)"
        return LimbResult(limb.source, limb.kind, ok, why, {"consenting": got, "total": total, "needed": need_n,
                                                             "basis": limb.basis, "denominator": limb.denominator,
                                                             "share": limb.share})
    if limb.kind == "each":
        need = [p.id for p in _voters(h, limb.voters) if measure(p, limb.basis, readings) > 0]
        missing = [pid for pid in need if pid not in consenting]
        why = (f"{limb.source}: each {'Investor' if limb.voters == 'investors' else 'holder'} with "
               f"{BASIS_WORDS[limb.basis]} must consent ({', '.join(need) or 'none'})"
               + (f"; missing {', '.join(missing)}" if missing else ": all do"))
        return LimbResult(limb.source, limb.kind, not missing, why, {"required": need, "missing": missing})
    if limb.kind == "party":
        pid = {COMPANY: COMPANY, "party": party,
               "assignor": h.assignment.assignor if h.assignment else None,
               "transferee": h.assignment.transferee if h.assignment else None}[limb.who]
        ok = pid is not None and pid in consenting
        label = {"party": f"the Investor concerned ({pid})", COMPANY: "the Company"}.get(limb.who, f"the {limb.who} ({pid})")
        note = f" ({limb.note})" if limb.note else ""
        why = f"{limb.source}: {label} must consent{note}: {'does' if ok else 'does not'}"
        return LimbResult(limb.source, limb.kind, ok, why, {"party": pid})
    if limb.kind == "owner":
        owner = next((p.id for p in h.parties if p.registered_owner), None)
        ok = owner is not None and owner in consenting
        why = (f"{limb.source}: the Company acts on the registered owner's instruction; owner {owner!r} "
               f"{'is' if ok else 'is not'} among those instructing")
        return LimbResult(limb.source, limb.kind, ok, why, {"owner": owner})
    if limb.kind == "any":
        askers = [p.id for p in _voters(h, limb.voters) if p.id in consenting]
        ok = bool(askers)
        why = f"{limb.source}: any one Investor may ask: {', '.join(askers) if ok else 'none asks'}"
        return LimbResult(limb.source, limb.kind, ok, why, {"asking": askers})
    if limb.kind == "conditions":
        met = h.assignment.met() if h.assignment else {c: False for c in assignment_conditions()}
        unmet = [c for c, v in met.items() if not v]
        why = f"{limb.source}: Section 9 conditions " + ", ".join(f"({c})" for c in met) + (
            ": not met " + ", ".join(f"({c})" for c in unmet) if unmet else ": all met")
        return LimbResult(limb.source, limb.kind, not unmet, why, {"conditions": met})
    raise ValueError(limb.kind)


def evaluate(rule: ConsentRule, h: Holdings, consenting: Iterable[str], readings: Readings | None, bk: Book,
             party: str | None = None) -> RuleResult:
    """A rule in plain Python: allowed or not, with each limb and its numbers."""
    rd = readings_for(readings, bk) if readings is None or set(readings) != set(bk.defaults) else dict(readings)
    cons = frozenset(consenting)
    res = tuple(eval_limb(lb, h, cons, rd, party) for lb in limbs(rule, rd, bk))
    return RuleResult(rule.id, rule.clause, rule.decision, rule.quote, all(r.passed for r in res), res)


# ----------------------------------------------------------------------------------------------- compiled rules

@dataclass(frozen=True)
class Compiled:
    """A rule applied to fixed holdings, ready to answer "does this coalition pass?" many times.

    Each limb is one of: a weighted vote (`weights` of the voters with something to count, `quota` the least total
    that passes), a set of parties every one of whom must consent (`need`), a set of which one must (`any_of`),
    or a fixed answer (conditions, a majority of nothing, a party the holdings do not name). The answers are the
    Python evaluator's (`evaluate`), without its explanations; tests check that both agree."""

    rule: str
    weighted: tuple[tuple[dict[str, int], int], ...]
    need: frozenset[str]
    any_of: tuple[frozenset[str], ...]
    fixed: bool

    def passes(self, coalition: frozenset[str] | set[str]) -> bool:
        """Whether the coalition meets every limb."""
        if not self.fixed or not self.need <= coalition:
            return False
        if any(not (a & coalition) for a in self.any_of):
            return False
        return all(sum(w for p, w in weights.items() if p in coalition) >= quota for weights, quota in self.weighted)

    def vetoes(self, members: Sequence[str]) -> list[str]:
        """The members without whom all the others together fail (in members' order; none if all together fail):
        one look per member and requirement, from the totals of everyone together."""
        everyone = set(members)
        if not self.passes(everyone):
            return []
        totals = [sum(w for p, w in weights.items() if p in everyone) for weights, _ in self.weighted]
        sole = {next(iter(a & everyone)) for a in self.any_of if len(a & everyone) == 1}
        out = []
        for m in members:
            if m in self.need or m in sole or \
                    any(t - weights.get(m, 0) < q for t, (weights, q) in zip(totals, self.weighted, strict=True)):
                out.append(m)
        return out

    def relevant(self) -> set[str]:
        """The parties whose consent can matter (every other party is a dummy)."""
        out = set(self.need)
        for a in self.any_of:
            out |= a
        for weights, _ in self.weighted:
            out |= {p for p, w in weights.items() if w > 0}
        return out


def compile_rule(rule: ConsentRule, h: Holdings, readings: Readings | None, bk: Book,
                 party: str | None = None) -> Compiled:
    """A rule with its limbs' weights, quotas and required parties computed once for these holdings."""
    rd = readings_for(readings, bk) if readings is None or set(readings) != set(bk.defaults) else dict(readings)
    weighted: list[tuple[dict[str, int], int]] = []
    need: set[str] = set()
    any_of: list[frozenset[str]] = []
    fixed = True
    owner = next((p.id for p in h.parties if p.registered_owner), None)
    a = h.assignment
    for lb in limbs(rule, rd, bk):
        if lb.kind == "majority":
            den = h.parties if lb.denominator == "all" else [p for p in h.parties if p.is_investor]
            total = sum(measure(p, lb.basis, rd) for p in den)
            if total == 0:
                fixed = False
                continue
            weights = {p.id: w for p in _voters(h, lb.voters) if (w := measure(p, lb.basis, rd)) > 0}
            weighted.append((weights, needed(total, lb.share)))
        elif lb.kind == "each":
            need |= {p.id for p in _voters(h, lb.voters) if measure(p, lb.basis, rd) > 0}
        elif lb.kind == "party":
            pid = {COMPANY: COMPANY, "party": party, "assignor": a.assignor if a else None,
                   "transferee": a.transferee if a else None}[lb.who]
            if pid is None:
                fixed = False
            else:
                need.add(pid)
        elif lb.kind == "owner":
            if owner is None:
                fixed = False
            else:
                need.add(owner)
        elif lb.kind == "any":
            voters = frozenset(p.id for p in _voters(h, lb.voters))
            if not voters:
                fixed = False
            any_of.append(voters)
        elif lb.kind == "conditions":
            met = a.met() if a else {c: False for c in assignment_conditions()}
            fixed = fixed and all(met.values())
        else:
            raise ValueError(lb.kind)
    return Compiled(rule.id, tuple(weighted), frozenset(need), tuple(any_of), fixed)


@dataclass(frozen=True)
class Coalitions:
    """The smallest coalitions that can take a decision (none can lose a member and still decide): the first
    `listed` (at most the bound asked for, smallest first), and how many there are in all: `count`, exact when
    `exact`, else the number found before the work bound (a lower bound)."""

    listed: tuple[tuple[str, ...], ...]
    count: int
    exact: bool


COUNT_CELLS = 2_000_000  # the largest table the exact count of a weighted vote may use


def _count_weighted(ws: Sequence[int], quota: int) -> int | None:
    """How many minimal winning coalitions a weighted vote has (weights in decreasing order): for each voter, the
    sets of heavier voters (earlier in the order) that fall short of the quota alone and reach it with the voter.
    A count over sums of weights (in units of their greatest common divisor); None when the table is too large."""
    import math

    g = 0
    for w in ws:
        g = math.gcd(g, w)
    hi = (quota - 1) // g
    exact64 = len(ws) < 62  # below 2**62 subsets the counts fit in 64 bits; past that they are Python integers
    if hi + 1 > COUNT_CELLS or len(ws) * (hi + 1) > (25 if exact64 else 1) * COUNT_CELLS:
        return None
    import numpy as np

    counts = np.zeros(hi + 1, dtype=np.int64 if exact64 else object)
    counts[0] = 1
    total = 0
    for w in ws:
        lo = max(0, -(-(quota - w) // g))
        if lo <= hi:
            total += int(counts[lo:hi + 1].sum())
        sw = w // g
        if sw <= hi:
            counts[sw:] = counts[sw:] + counts[:hi + 1 - sw]
    return total


def minimal_coalitions(c: Compiled, members: Sequence[str], required: Iterable[str] = (), bound: int = 20,
                       work: int = 2000) -> Coalitions:
    """The minimal coalitions of `members` that pass a compiled rule, without trying every subset.

    `required` are parties every passing coalition needs (the vetoes); the others that can matter are searched
    heaviest first. A rule whose only open requirement is one weighted vote is searched so that every coalition
    reached is minimal (adding voters in decreasing weight and stopping at the quota), and counted exactly over
    sums of weights; otherwise each coalition reached is checked for minimality, and the search stops after
    `work` steps (the count is then a lower bound)."""
    if not c.passes(set(members)):
        return Coalitions((), 0, True)
    req = frozenset(required)
    order = {m: i for i, m in enumerate(members)}

    def name(xs: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(xs, key=lambda m: order[m]))

    if c.passes(req):
        return Coalitions((name(req),), 1, True)
    relevant = c.relevant()
    pool = [m for m in members if m not in req and m in relevant]
    found: list[tuple[str, ...]] = []
    count = 0
    steps = 0
    single = len(c.weighted) == 1 and c.need <= req and all(a & req for a in c.any_of)
    if single:
        weights, quota = c.weighted[0]
        q = quota - sum(weights.get(m, 0) for m in req)
        items = sorted(((weights[m], order[m], m) for m in pool if weights.get(m, 0) > 0), key=lambda x: (-x[0], x[1]))
        suffix = [0] * (len(items) + 1)
        for i in range(len(items) - 1, -1, -1):
            suffix[i] = suffix[i + 1] + items[i][0]
        stack: list[tuple[int, int, tuple[int, ...]]] = [(0, 0, ())]
        while stack and steps < work:
            i, tot, chosen = stack.pop()
            steps += 1 + len(chosen) // 16
            if i >= len(items):
                continue
            if tot + suffix[i + 1] >= q:
                stack.append((i + 1, tot, chosen))
            nt = tot + items[i][0]
            if nt >= q:
                count += 1
                if len(found) < bound:
                    found.append(name([*req, *(items[j][2] for j in (*chosen, i))]))
            else:
                stack.append((i + 1, nt, (*chosen, i)))
        exact = not stack
        if not exact:
            exact_count = _count_weighted([w for w, _, _ in items], q)
            if exact_count is not None:
                count, exact = exact_count, True
    else:
        # Several requirements: per vote the running total of those chosen and of those still to decide on, so
        # that each step, the "can it still pass?" test and the minimality test cost one look per requirement.
        quotas = [q - sum(ws.get(m, 0) for m in req) for ws, q in c.weighted]
        anys = [a for a in c.any_of if not (a & req)]
        pool.sort(key=lambda m: (-sum(ws.get(m, 0) for ws, _ in c.weighted), order[m]))
        w = [tuple(ws.get(m, 0) for ws, _ in c.weighted) for m in pool]
        inside = [tuple(m in a for a in anys) for m in pool]
        n = len(pool)
        rest = [[0] * len(quotas) for _ in range(n + 1)]
        last = [-1] * len(anys)
        for i in range(n - 1, -1, -1):
            rest[i] = [x + y for x, y in zip(rest[i + 1], w[i], strict=True)]
        for i in range(n):
            for k, hit in enumerate(inside[i]):
                if hit:
                    last[k] = i
        gstack: list[tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = [
            (0, (), tuple(0 for _ in quotas), tuple(0 for _ in anys))]
        while gstack and steps < work:
            i, chosen, sums, hits = gstack.pop()
            steps += 1
            if any(x + r < q for x, r, q in zip(sums, rest[i], quotas, strict=True)):
                continue
            if any(h == 0 and last[k] < i for k, h in enumerate(hits)):
                continue
            steps += len(chosen) // 16  # the cost of carrying the coalition
            if all(x >= q for x, q in zip(sums, quotas, strict=True)) and all(hits):
                steps += len(chosen)  # the minimality test looks at each member once
                critical = all(
                    any(x - wj < q for x, wj, q in zip(sums, w[j], quotas, strict=True))
                    or any(h == 1 and inside[j][k] for k, h in enumerate(hits)) for j in chosen)
                if critical:
                    count += 1
                    if len(found) < bound:
                        found.append(name([*req, *(pool[j] for j in chosen)]))
                continue
            if i < n:
                gstack.append((i + 1, chosen, sums, hits))
                gstack.append((i + 1, (*chosen, i), tuple(x + y for x, y in zip(sums, w[i], strict=True)),
                               tuple(h + int(f) for h, f in zip(hits, inside[i], strict=True))))
        exact = not gstack
    return Coalitions(tuple(sorted(found, key=lambda x: (len(x), [order[m] for m in x]))), count, exact)


def valid_holdings(h: Holdings, params: ParameterSet, concerned: str | None = None,
                   selectors: Iterable[str] = ()) -> bool:
    """What `SymHoldings.valid` asks of symbolic holdings, in plain Python (for examples made small): the checks of a
    holdings file, and one party concerned, assignor and transferee exactly where `selectors` names them."""
    owners = 0
    for p in h.parties:
        amounts = [getattr(p, f) for f in ("debentures_outstanding", "debentures_converted_unregistered",
                                           "conversion_shares", "warrants", "registrable_held",
                                           "registrable_registered", "registrable_offered", "registrable_included")]
        if min(amounts) < 0 or p.registrable_offered > p.registrable_registered or p.registrable_offered > p.position:
            return False
        if p.debentures_outstanding == 0 and p.conversion_shares > 0:
            return False
        if p.registered_owner and p.registrable_held <= 0:
            return False
        owners += p.registered_owner
    if owners > 1:
        return False
    if sum(p.debentures_outstanding + p.debentures_converted_unregistered for p in h.parties) > \
            params["debentures.max_principal"]:
        return False
    if sum(p.warrants for p in h.parties) > params["warrants.max_shares"]:
        return False
    sel = set(selectors)
    ids = set(h.ids())
    if ("concerned" in sel) != (concerned is not None):
        return False
    if concerned is not None and (concerned not in ids or not h.party(concerned).is_investor):
        return False
    a = h.assignment
    if ("assignor" in sel or "transferee" in sel) != (a is not None):
        return False
    if a is not None:
        if a.assignor == a.transferee or a.assignor not in ids or a.transferee not in ids:
            return False
        src = h.party(a.assignor)
        if not src.is_investor or src.position <= 0:
            return False
    return True


# ----------------------------------------------------------------------------------------------- in words

_BASIS_PLAIN = {
    "debentures_and_converted_unregistered": "the Debentures (outstanding, or converted but not yet registered)",
    "registrable_offered": "the Registrable Securities being offered",
    "registrable_registered": "the Registrable Securities being registered",
    "registrable_included": "the Registrable Securities included in the Registration Statement",
}


def basis_words(basis: str, readings: Readings) -> str:
    """What a basis counts, in words, under the readings."""
    m = readings["measure"]
    if basis == "registrable_held":
        return {"of-record": "the Registrable Securities owned of record",
                "as-converted": "the Registrable Securities, counting outstanding Debentures as converted",
                }.get(m, "the Registrable Securities issued or issuable, counting Debentures and Warrants as converted")
    if basis == "registrable_as_converted":
        return ("the Registrable Securities, counting outstanding Debentures and Warrants as converted and exercised"
                if m == "issuable" else "the Registrable Securities, counting outstanding Debentures as converted")
    return _BASIS_PLAIN.get(basis, basis.replace("_", " "))


def share_phrase(share: str) -> str:
    """"more than half of", "at least two-thirds of"."""
    if share == "majority":
        return "more than half of"
    if share == "all":
        return "all of"
    named = {"2/3": "two-thirds", "3/4": "three-quarters", "1/2": "half", "3/5": "three-fifths"}
    return f"at least {named.get(share, share)} of"


def limb_words(lb: Limb, readings: Readings, default_clause: str = "") -> str:
    """One limb of a rule as a lawyer would say it."""
    if lb.kind == "majority":
        who = "Investors" if lb.voters == "investors" else "holders (Investors or not)"
        what = basis_words(lb.basis, readings)
        if lb.denominator == "investors" and lb.voters == "investors":
            what = what.replace("Registrable Securities", "Registrable Securities held by Investors", 1)
        return f"{who} holding {share_phrase(lb.share)} {what}"
    if lb.kind == "each":
        return f"each {'Investor' if lb.voters == 'investors' else 'holder'} holding any of {basis_words(lb.basis, readings)}"
    if lb.kind == "party":
        if lb.who == COMPANY:
            return "the Company" + (" (acting reasonably)" if lb.note and "unreasonabl" in lb.note else "")
        return {"party": "the Investor concerned", "assignor": "the assigning Investor",
                "transferee": "the transferee"}[lb.who]
    if lb.kind == "owner":
        return "the registered owner of the securities"
    if lb.kind == "any":
        return "any one Investor"
    return "the conditions of the assignment clause"


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def who_decides(rule: ConsentRule, readings: Readings | None, bk: Book, company: bool = True) -> str:
    """Who must agree under a rule, in words ("Investors holding more than half of ..., with the Company")."""
    rd = readings_for(readings, bk) if readings is None or set(readings) != set(bk.defaults) else dict(readings)
    dc = bk.default_rule.clause if bk.default_rule else ""
    ls = limbs(rule, rd, bk)
    parts = [limb_words(lb, rd, dc) for lb in ls
             if lb.kind != "conditions" and (company or not (lb.kind == "party" and lb.who == COMPANY))]
    parts = list(dict.fromkeys(parts))
    out = (parts[0] if parts else "no one") + ("" if len(parts) < 2 else ", with the consent of " + join_words(parts[1:]))
    if any(lb.kind == "conditions" for lb in ls):
        out += f", once the conditions of Section {rule.clause} are met"
    return out


def rules_for(rule_or_action: str, bk: Book) -> tuple[str, tuple[str, ...]]:
    """(action name, rule ids) for an action name, a rule id ("consent.10") or a clause id ("10"); Withheld for a
    rule whose words the text changed."""
    from rra.errors import Withheld

    key = rule_or_action.strip()
    ids: tuple[str, ...] | None = None
    if key in ACTIONS:
        ids = ACTIONS[key]
    elif key in bk.rules or key in bk.withheld:
        ids = (key,)
    elif f"consent.{key}" in bk.rules or f"consent.{key}" in bk.withheld:
        ids = (f"consent.{key}",)
    if ids is not None:
        for rid in ids:
            if rid in bk.withheld:
                raise Withheld(rid, None, "whose words the draft changed")
        return key, ids
    import difflib

    close = difflib.get_close_matches(key, list(ACTIONS), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; expected one of {', '.join(ACTIONS)} (or a clause id such as 10)"
    raise BadInput("--action", key, "unknown action" + hint)


def decide(bk: Book, rule_or_action: str, holdings: Holdings, consenting: Iterable[str] | str,
           reading: str | Iterable[str] | Mapping[str, str] | None = None, party: str | None = None) -> Decision:
    """Can these parties together do this? Every rule the action names must allow it."""
    action, rule_ids = rules_for(rule_or_action, bk)
    cons = holdings.coalition(consenting if isinstance(consenting, str) else list(consenting))
    rd = readings_for(reading, bk)
    pid = holdings.resolve(party, "--party") if party else None
    RULES = bk.rules  # noqa: N806 - the book's rules, by id
    for rid in rule_ids:
        for lb in limbs(RULES[rid], rd, bk):
            if lb.kind == "party" and lb.who == "party" and pid is None:
                raise BadInput("--party", None, f"{RULES[rid].clause} concerns one party; name it with --party")
            if lb.kind == "party" and lb.who == "party" and (pid == COMPANY or not holdings.party(str(pid)).is_investor):
                raise BadInput("--party", party, f"{RULES[rid].clause} concerns an Investor; this party is not one")
            if lb.kind in ("conditions",) or lb.who in ("assignor", "transferee"):
                if holdings.assignment is None:
                    raise BadInput("assignment", None, f"{RULES[rid].clause}: the holdings file names no assignment "
                                   "(from, to, conditions)")
            if lb.kind == "owner" and not any(p.registered_owner for p in holdings.parties):
                raise BadInput("parties.*.registered_owner", None,
                               f"{RULES[rid].clause}: mark the registered owner of the securities in question")
    results = tuple(evaluate(RULES[rid], holdings, cons, rd, bk, pid) for rid in rule_ids)
    return Decision(action, all(r.passed for r in results), tuple(sorted(cons)), rd, results, pid)


# ----------------------------------------------------------------------------------------------- Z3

@dataclass
class SymParty:
    """One party's holdings and consent as Z3 terms (variables, or constants for concrete holdings)."""

    name: str
    investor: z3.BoolRef
    debt: z3.ArithRef
    conv_unreg: z3.ArithRef
    conv: z3.ArithRef
    warrants: z3.ArithRef
    held: z3.ArithRef
    registered: z3.ArithRef
    offered: z3.ArithRef
    included: z3.ArithRef
    owner: z3.BoolRef
    consent: z3.BoolRef
    concerned: z3.BoolRef  # the party a "self" rule concerns
    assignor: z3.BoolRef
    transferee: z3.BoolRef

    def amounts(self) -> list[z3.ArithRef]:
        """Every amount of this party."""
        return [self.debt, self.conv_unreg, self.conv, self.warrants, self.held, self.registered, self.offered,
                self.included]


@dataclass
class SymHoldings:
    """Symbolic holdings: the parties, the Company's consent and the Section 9 conditions."""

    parties: list[SymParty]
    company: z3.BoolRef
    conditions: dict[str, z3.BoolRef]

    @staticmethod
    def fresh(names: Sequence[str], prefix: str = "", investors: Sequence[bool] | None = None,
              ctx: z3.Context | None = None) -> SymHoldings:
        """Fresh variables for parties with these names (investor status fixed when given), in a Z3 context
        (default the main one; an analysis uses its own so that its answers do not depend on earlier Z3 work)."""
        ps = []
        for i, n in enumerate(names):
            v = f"{prefix}{n}."

            def iv(s: str, v: str = v) -> z3.ArithRef:
                return z3.Int(v + s, ctx)

            def bv(s: str, v: str = v) -> z3.BoolRef:
                return z3.Bool(v + s, ctx)

            inv = z3.BoolVal(investors[i], ctx) if investors is not None else bv("investor")
            ps.append(SymParty(n, inv, iv("debt"), iv("conv_unreg"), iv("conv"), iv("warrants"), iv("held"),
                               iv("registered"), iv("offered"), iv("included"), bv("owner"), bv("consent"),
                               bv("concerned"), bv("assignor"), bv("transferee")))
        return SymHoldings(ps, z3.Bool(f"{prefix}company.consent", ctx),
                           {c: z3.Bool(f"{prefix}condition.{c}", ctx) for c in assignment_conditions()})

    @staticmethod
    def of(h: Holdings, consenting: Iterable[str] = (), party: str | None = None) -> SymHoldings:
        """Concrete holdings and a coalition as Z3 constants."""
        cons = set(consenting)
        a = h.assignment
        ps = [SymParty(p.id, z3.BoolVal(p.is_investor), z3.IntVal(p.debentures_outstanding),
                       z3.IntVal(p.debentures_converted_unregistered), z3.IntVal(p.conversion_shares),
                       z3.IntVal(p.warrants), z3.IntVal(p.registrable_held), z3.IntVal(p.registrable_registered),
                       z3.IntVal(p.registrable_offered), z3.IntVal(p.registrable_included),
                       z3.BoolVal(p.registered_owner), z3.BoolVal(p.id in cons), z3.BoolVal(p.id == party),
                       z3.BoolVal(a is not None and a.assignor == p.id),
                       z3.BoolVal(a is not None and a.transferee == p.id))
              for p in h.parties]
        met = a.met() if a is not None else {}
        return SymHoldings(ps, z3.BoolVal(COMPANY in cons),
                           {c: z3.BoolVal(met.get(c, False)) for c in assignment_conditions()})

    def equal_to(self, h: Holdings, consenting: Iterable[str] = (), party: str | None = None) -> list[z3.BoolRef]:
        """Constraints fixing these variables to concrete holdings and a coalition."""
        c = SymHoldings.of(h, consenting, party)
        out: list[z3.BoolRef] = [self.company == c.company]
        for s, k in zip(self.parties, c.parties, strict=True):
            out += [s.investor == k.investor, s.owner == k.owner, s.consent == k.consent, s.concerned == k.concerned,
                    s.assignor == k.assignor, s.transferee == k.transferee]
            out += [a == b for a, b in zip(s.amounts(), k.amounts(), strict=True)]
        out += [self.conditions[n] == c.conditions[n] for n in self.conditions]
        return out

    def with_consent(self, consent: Sequence[z3.BoolRef], company: z3.BoolRef) -> SymHoldings:
        """The same holdings with another coalition (for comparing two coalitions on one set of holdings)."""
        ps = [SymParty(**{**p.__dict__, "consent": c}) for p, c in zip(self.parties, consent, strict=True)]
        return SymHoldings(ps, company, self.conditions)

    def valid(self, params: ParameterSet,
              selectors: Iterable[str] = ("concerned", "assignor", "transferee"),
              guards: Mapping[str, z3.BoolRef] | None = None) -> list[z3.BoolRef]:
        """What solver/holdings.py checks in a file, as constraints. Each selector named (the party concerned,
        the assignor, the transferee) marks exactly one party; the others mark none. With `guards` (a literal per
        selector) the choice is left to the literals instead: exactly one party when the literal is true, none when
        it is false (for one solver asked about many rules)."""
        out: list[z3.BoolRef] = []
        for p in self.parties:
            out += [a >= 0 for a in p.amounts()]
            out.append(p.offered <= p.registered)
            out.append(p.offered <= p.held + p.conv + p.warrants)
            out.append(z3.Implies(p.debt == 0, p.conv == 0))
            out.append(z3.Implies(p.owner, p.held > 0))
            out.append(z3.Implies(p.assignor, z3.And(p.investor, p.held + p.conv + p.warrants > 0)))
            out.append(z3.Not(z3.And(p.assignor, p.transferee)))
            out.append(z3.Implies(p.concerned, p.investor))
        ps = self.parties
        out.append(z3.AtMost(*[p.owner for p in ps], 1))
        out.append(z3.Sum([p.debt + p.conv_unreg for p in ps]) <= params["debentures.max_principal"])
        out.append(z3.Sum([p.warrants for p in ps]) <= params["warrants.max_shares"])
        chosen = set(selectors)
        for sel in ("concerned", "assignor", "transferee"):
            bs = [getattr(p, sel) for p in ps]
            one = [z3.AtMost(*bs, 1), z3.AtLeast(*bs, 1)]
            none = [z3.Not(b) for b in bs]
            if guards is not None:
                out.append(z3.Implies(guards[sel], z3.And(one)))
                out.append(z3.Implies(z3.Not(guards[sel]), z3.And(none)))
            elif sel in chosen:
                out += one
            else:
                out += none
        return out


def z3_measure(p: SymParty, basis: str, readings: Readings) -> z3.ArithRef:
    """A party's weight on a basis under the readings, as a Z3 term."""
    m = readings["measure"]
    zero = z3.IntVal(0, p.held.ctx)
    if basis == "debentures_and_converted_unregistered":
        return p.debt + p.conv_unreg
    if basis == "registrable_held":
        return p.held + (p.conv if m != "of-record" else zero) + (p.warrants if m == "issuable" else zero)
    if basis == "registrable_as_converted":
        return p.held + p.conv + (p.warrants if m == "issuable" else zero)
    field_of = {"registrable_offered": "offered", "registrable_registered": "registered", "registrable_included": "included"}
    if basis in field_of:
        return getattr(p, field_of[basis])  # type: ignore[no-any-return]
    return zero


def z3_limb(limb: Limb, s: SymHoldings, readings: Readings) -> z3.BoolRef:
    """One limb as a Z3 formula."""
    ps = s.parties
    true = z3.BoolVal(True, s.company.ctx)

    def voter(p: SymParty) -> z3.BoolRef:
        return true if limb.voters == "holders" else p.investor

    if limb.kind == "majority":
        got = z3.Sum([z3.If(z3.And(voter(p), p.consent), z3_measure(p, limb.basis, readings), 0) for p in ps])
        den = z3.Sum([z3.If(true if limb.denominator == "all" else p.investor,
                            z3_measure(p, limb.basis, readings), 0) for p in ps])
        if limb.share == "majority":
            return 2 * got > den
        if limb.share == "all":
            return z3.And(den > 0, got == den)
        n, d = (int(x) for x in limb.share.split("/"))
        return z3.And(den > 0, d * got >= n * den)
    if limb.kind == "each":
        return z3.And([z3.Implies(z3.And(voter(p), z3_measure(p, limb.basis, readings) > 0), p.consent) for p in ps])
    if limb.kind == "party":
        if limb.who == COMPANY:
            return s.company
        sel = {"party": "concerned", "assignor": "assignor", "transferee": "transferee"}[limb.who]
        return z3.Or([z3.And(getattr(p, sel), p.consent) for p in ps])
    if limb.kind == "owner":
        return z3.Or([z3.And(p.owner, p.consent) for p in ps])
    if limb.kind == "any":
        return z3.Or([z3.And(voter(p), p.consent) for p in ps])
    if limb.kind == "conditions":
        return z3.And(list(s.conditions.values()))
    raise ValueError(limb.kind)


def z3_rule(rule: ConsentRule, s: SymHoldings, readings: Readings | None, bk: Book) -> z3.BoolRef:
    """A rule as a Z3 formula over symbolic holdings and a coalition."""
    rd = readings_for(readings, bk) if readings is None or set(readings) != set(bk.defaults) else readings
    return z3.And([z3_limb(lb, s, rd) for lb in limbs(rule, rd, bk)])


def z3_decide(bk: Book, rule_or_action: str, h: Holdings, consenting: Iterable[str] | str,
              reading: str | Iterable[str] | Mapping[str, str] | None = None, party: str | None = None) -> bool:
    """The same question as `decide`, answered by Z3: symbolic holdings fixed to the file's values, then solved."""
    _, rule_ids = rules_for(rule_or_action, bk)
    cons = h.coalition(consenting if isinstance(consenting, str) else list(consenting))
    rd = readings_for(reading, bk)
    pid = h.resolve(party, "--party") if party else None
    s = SymHoldings.fresh(h.ids(), "q.")
    solver = make_solver()
    solver.add(*s.equal_to(h, cons, pid))
    solver.add(z3.And([z3_rule(bk.rules[r], s, rd, bk) for r in rule_ids]))
    r = solver.check()
    if r == z3.unknown:
        raise RuntimeError(f"Z3 could not decide: {solver.reason_unknown()}")
    return bool(r == z3.sat)
