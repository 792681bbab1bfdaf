"""How the consent rules fit together (`rra consent --analyze`), and the consent section of the review memo
(`consent_issues`, the findings of `rra check`).

**The facts.** One Z3 solver, over symbolic holdings of three Investors and one holder who is not an Investor
(the holdings-file checks asserted once), answers every question incrementally (push/pop, one literal per
party selector), each with the solver's timeout:

- who can block what: for each rule, whether the Company, an Investor holding one share of record, one holding
  only Debentures, one holding only Warrants, and a holder who is not an Investor has a veto (proved), no say
  (proved) or a vote without a veto (example);
- dead ends: holdings under which no coalition at all can decide, and whether anyone can decide before any
  Debenture is converted (proved);
- readings: for every named reading, whether it changes a rule's answer (example);
- for rules that decide the same thing (`ConsentRule.decides`), or that a clause treats as choosing one adviser,
  where they give different answers and whether two groups with no member in common can each decide.

Examples are Z3 models turned back into holdings and re-checked with the plain-Python evaluator; those a memo
entry shows are first made small by the evaluator (every amount lowered while the example still holds).

**The memo.** `consent_issues(agreement)` turns the facts into one entry per decision or per problem, each
found by a detector that reads the agreement's consent rules (never this agreement's words): the rules
that count only shares owned of record, rules that give one decision to different groups, an adviser one
clause treats as one but two clauses let different groups choose, a veto for every holder, decisions of "the
Investors" with no stated vote, holdings outside the agreement that block every vote, readings that give the
Company a veto, a default vote that overrides the clauses that set their own, an amendment rule weaker than a
protection it can remove, and a Company veto over the Investors' own choice. A default rule whose sentence opens
"Except as otherwise provided" yields to every clause that sets its own vote, so it is never compared with one;
rules that decide different things are never compared at all. With a holdings file, vetoes and the smallest
coalitions are computed per rule with the compiled evaluator, without enumerating subsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import z3
from rra.solver.consent import (
    Book,
    Readings,
    SymHoldings,
    book,
    compile_rule,
    decide,
    evaluate,
    join_words,
    limbs,
    minimal_coalitions,
    readings_for,
    valid_holdings,
    who_decides,
    z3_limb,
    z3_measure,
)
from rra.solver.findings import CheckContext, Finding, Outcome, Withholding
from rra.solver.holdings import AMOUNTS, COMPANY, Assignment, Holdings, Party
from rra.solver.memo import Area, Favours, Issue, Quote, Redline, Severity
from rra.solver.z3util import make_solver
from rra.spec.agreement import Agreement
from rra.spec.elements import ConsentRule
from rra.spec.text import normalize

from rra.errors import BadInput
from rra.memory import Bounded, PerObject, keep, known, per_object

# The roster of the symbolic analysis: three Investors and one holder who is not an Investor.
DEFAULT_ROSTER: tuple[tuple[str, bool], ...] = (("A", True), ("B", True), ("C", True), ("D", False))
SELECTORS = ("concerned", "assignor", "transferee")
# Stake profiles for "who can block": constraints on one Investor's holdings.
PROFILES = {"one share of record": "an Investor with one share of record",
            "Debentures only": "an Investor holding Debentures only",
            "Warrants only": "an Investor holding Warrants only"}
ONE_SHARE = PROFILES["one share of record"]
DEBENTURES_ONLY = PROFILES["Debentures only"]
WARRANTS_ONLY = PROFILES["Warrants only"]
OTHER_HOLDER = "a holder who is not an Investor"
TARGETS = ("company", ONE_SHARE, DEBENTURES_ONLY, WARRANTS_ONLY, OTHER_HOLDER)
INVESTOR_TARGETS = (ONE_SHARE, DEBENTURES_ONLY, WARRANTS_ONLY, OTHER_HOLDER)
MEASURED_BASES = ("registrable_held", "registrable_as_converted")  # what the measure readings change
LIST_BOUND = 20  # smallest coalitions listed per rule for a holdings file
MONOTONE_LIMBS = ("majority", "each", "party", "owner", "any", "conditions")


# ------------------------------------------------------------------------------------------------ the engine

@dataclass(frozen=True)
class Concrete:
    """A model read back: holdings, the two coalitions (the rule's, and a second for flips and competitions) and
    the party a rule concerns."""

    holdings: Holdings
    coalitions: tuple[frozenset[str], frozenset[str]]
    concerned: str | None


def _profile(p: Any, name: str) -> list[z3.BoolRef]:
    if name == ONE_SHARE:
        return [p.held == 1, p.debt == 0, p.conv_unreg == 0, p.warrants == 0, p.registered <= 1, p.included <= 1]
    if name == DEBENTURES_ONLY:
        return [p.held == 0, p.warrants == 0, p.debt > 0, p.conv > 0]
    if name == WARRANTS_ONLY:
        return [p.held == 0, p.debt == 0, p.conv_unreg == 0, p.warrants > 0]
    raise ValueError(name)


# One constant of a model as Z3 prints it: (define-fun NAME () SORT VALUE), the value maybe negated "(- 3)".
_DEFINE = re.compile(r"\(define-fun (\|[^|]*\||\S+) \(\) (?:Int|Bool)\s+(true|false|\d+|\(- \d+\))\)")


class Engine:
    """One Z3 context and one incremental solver for all the questions about one book under one set of readings.

    The holdings-file checks are asserted once; each question is asked between push and pop, with one literal per
    selector (the party a rule concerns, the assignor, the transferee) saying whether the rules asked about use
    it. Rule formulas are built once per coalition and reading; answers are cached, so the memo and the table
    share them, and the same questions in the same order give the same models."""

    def __init__(self, bk: Book, readings: Readings, roster: Sequence[tuple[str, bool]] = DEFAULT_ROSTER) -> None:
        self.bk = bk
        self.readings = dict(readings)
        self.names = tuple(n for n, _ in roster)
        self.investors = tuple(v for _, v in roster)
        self.ctx = z3.Context()
        self.s = SymHoldings.fresh(self.names, "", self.investors, self.ctx)
        self.k = [z3.Bool(f"k.{n}", self.ctx) for n in self.names]
        self.kc = z3.Bool("k.company", self.ctx)
        self.s2 = self.s.with_consent(self.k, self.kc)
        self.sel = {n: z3.Bool(f"selector.{n}", self.ctx) for n in SELECTORS}
        self.solver = make_solver(ctx=self.ctx)
        self.solver.add(*self.s.valid(bk.params, guards=self.sel))
        # the name of every constant a model is read back through (by term id: printing a term is slow)
        consts: list[Any] = [*self.k, self.kc, self.s.company, *self.s.conditions.values()]
        for p in self.s.parties:
            consts += [*p.amounts(), p.investor, p.owner, p.consent, p.concerned, p.assignor, p.transferee]
        self._names = {x.get_id(): x.decl().name() for x in consts if z3.is_const(x) and not z3.is_true(x)
                       and not z3.is_false(x)}
        self._f: dict[tuple[ConsentRule, str, tuple[tuple[str, str], ...]], z3.BoolRef] = {}
        self._limbs: dict[tuple[str, ...], z3.BoolRef] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}
        self.questions = 0

    # --------------------------------------------------------------------------------- building blocks

    def f(self, rule: ConsentRule, which: str = "a", readings: Readings | None = None) -> z3.BoolRef:
        """The rule as a formula over the first ("a") or second ("b") coalition (the same as `z3_rule`, built from
        limb formulas shared between rules: a limb's formula depends only on its kind, basis, voters, denominator,
        party and share, the coalition and the measure reading)."""
        rd = dict(readings or self.readings)
        key = (rule, which, tuple(sorted(rd.items())))
        if key not in self._f:
            s = self.s if which == "a" else self.s2
            parts = []
            for lb in limbs(rule, rd, self.bk):
                lk = (lb.kind, lb.basis, lb.voters, lb.denominator, lb.who, lb.share, which, rd["measure"])
                if lk not in self._limbs:
                    self._limbs[lk] = z3_limb(lb, s, rd)
                parts.append(self._limbs[lk])
            self._f[key] = z3.And(parts) if parts else z3.BoolVal(True, self.ctx)
        return self._f[key]

    def selectors(self, rules: Iterable[ConsentRule], readings: Readings | None = None) -> set[str]:
        """The selectors the rules use (the party concerned, the assignor and transferee)."""
        out: set[str] = set()
        for r in rules:
            for lb in limbs(r, dict(readings or self.readings), self.bk):
                if lb.kind == "party" and lb.who != COMPANY:
                    out.add({"party": "concerned"}.get(lb.who, lb.who))
                if lb.kind == "conditions":
                    out |= {"assignor", "transferee"}
        return out

    def ask(self, rules: Sequence[ConsentRule], constraints: Sequence[z3.BoolRef],
            readings: Readings | None = None, model: bool = True) -> tuple[str, Concrete | None, str | None]:
        """("found", the model read back unless `model` is False) if the constraints hold for some valid holdings,
        ("none", ...) if they hold for none, ("unknown", None, Z3's reason) if Z3 could not tell within its limits."""
        used = self.selectors(rules, readings)
        assumptions = [self.sel[n] if n in used else z3.Not(self.sel[n]) for n in SELECTORS]
        self.questions += 1
        self.solver.push()
        try:
            self.solver.add(*constraints)
            r = self.solver.check(*assumptions)
            if r == z3.sat:
                return "found", self._concrete(self.solver.model()) if model else None, None
            if r == z3.unsat:
                return "none", None, None
            return "unknown", None, self.solver.reason_unknown()
        finally:
            self.solver.pop()

    def _concrete(self, m: z3.ModelRef) -> Concrete:
        # The model's constants by name, read once; a constant the model leaves out is 0 or false (what Z3's model
        # completion gives), and every term read here is a constant.
        vals: dict[str, Any] = {}
        for name, value in _DEFINE.findall(m.sexpr()):
            v = value.replace("(- ", "-").replace(")", "").replace(" ", "")
            vals[name.strip("|")] = v == "true" if v in ("true", "false") else int(v)
        names = self._names

        def iv(x: z3.ArithRef) -> int:
            return int(vals.get(names[x.get_id()], 0))

        def bv(x: z3.BoolRef) -> bool:
            key = names.get(x.get_id())
            return bool(vals.get(key, False)) if key is not None else bool(z3.is_true(x))

        parties = []
        first: set[str] = set()
        second: set[str] = set()
        concerned = assignor = transferee = None
        for sp, k, name, inv in zip(self.s.parties, self.k, self.names, self.investors, strict=True):
            parties.append(Party(name, f"{'Investor' if inv else 'Holder'} {name}", inv, iv(sp.debt), iv(sp.conv_unreg),
                                 iv(sp.conv), iv(sp.warrants), iv(sp.held), iv(sp.registered), iv(sp.offered),
                                 iv(sp.included), bv(sp.owner)))
            if bv(sp.consent):
                first.add(name)
            if bv(k):
                second.add(name)
            concerned = name if bv(sp.concerned) else concerned
            assignor = name if bv(sp.assignor) else assignor
            transferee = name if bv(sp.transferee) else transferee
        if bv(self.s.company):
            first.add(COMPANY)
        if bv(self.kc):
            second.add(COMPANY)
        assignment = None
        if assignor and transferee:
            assignment = Assignment(assignor, transferee, {c: bv(v) for c, v in self.s.conditions.items()})
        return Concrete(Holdings(tuple(parties), assignment), (frozenset(first), frozenset(second)), concerned)

    def _cached(self, key: tuple[Any, ...], fn: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def something_to_count(self, rules: Iterable[ConsentRule]) -> list[z3.BoolRef]:
        """Every basis a majority of the rules counts has a positive total (no majority of nothing)."""
        bases = sorted({lb.basis for r in rules for lb in limbs(r, self.readings, self.bk) if lb.kind == "majority"})
        return [z3.Sum([z3_measure(p, b, self.readings) for p in self.s.parties]) > 0 for b in bases]

    def _target(self, label: str) -> tuple[int | None, list[z3.BoolRef]]:
        """The party a "who can block" target stands for (None: the Company) and its profile constraints."""
        if label == "company":
            return None, []
        if label == OTHER_HOLDER:
            return next((i for i, v in enumerate(self.investors) if not v), -1), []
        i = next((i for i, v in enumerate(self.investors) if v), -1)
        return i, _profile(self.s.parties[i], label) if i >= 0 else []

    def _flip(self, idx: int | None) -> list[z3.BoolRef]:
        """The second coalition is the first with one party's consent (or the Company's) reversed."""
        ps = self.s.parties
        out = [k == p.consent if j != idx else k != p.consent for j, (k, p) in enumerate(zip(self.k, ps, strict=True))]
        out.append(self.kc != self.s.company if idx is None else self.kc == self.s.company)
        return out

    # --------------------------------------------------------------------------------- questions

    def satisfiable(self, rule: ConsentRule) -> str:
        """Whether any valid holdings and coalition meet the rule at all (known already when someone's consent
        was found to matter)."""
        def run() -> str:
            if any(e.get("power") in ("veto", "vote, no veto") for e in self.power(rule).values()):
                return "found"
            return self.ask([rule], [self.f(rule)], model=False)[0]
        return self._cached(("sat", rule), run)  # type: ignore[no-any-return]

    def power(self, rule: ConsentRule) -> dict[str, Any]:
        """Who can block the rule: for each target "veto" (proved: no coalition without it succeeds), "no say"
        (proved: its consent never changes the answer) or "vote, no veto" (its consent can matter, and an example
        coalition succeeds without it)."""
        return self._cached(("power", rule), lambda: {t: self._power_of(rule, t) for t in TARGETS
                                                          if t == "company" or self._target(t)[0] != -1})  # type: ignore[no-any-return]

    def _reads(self, rule: ConsentRule, label: str) -> bool:
        """Whether any limb of the rule reads the target's consent at all (a limb of Investors never reads a holder
        who is not one; only a party limb reads the Company). A rule that reads no one's consent of this kind gives
        it no say, by its form, and Z3 need not be asked."""
        ls = limbs(rule, self.readings, self.bk)
        if label == "company":
            return any(lb.kind == "party" and lb.who == COMPANY for lb in ls)
        if label == OTHER_HOLDER:
            return any((lb.kind in ("majority", "each", "any") and lb.voters == "holders") or lb.kind == "owner"
                       or (lb.kind == "party" and lb.who == "transferee") for lb in ls)
        return any(lb.kind in ("majority", "each", "any", "owner") or (lb.kind == "party" and lb.who != COMPANY)
                   for lb in ls)

    def _power_of(self, rule: ConsentRule, label: str) -> dict[str, Any]:
        if not self._reads(rule, label):
            return {"power": "no say", "status": "proved", "by": "form: no limb of the rule reads this consent"}
        idx, prof = self._target(label)
        f, g = self.f(rule), self.f(rule, "b")
        st, _, why = self.ask([rule], [*prof, *self._flip(idx), f != g], model=False)
        if st == "unknown":
            return {"power": "unknown", "status": "unknown", "reason": why}
        if st == "none":
            vac = self.ask([rule], prof, model=False)[0] if prof else "found"
            return {"power": "no say" if vac == "found" else "impossible holdings", "status": "proved"}
        consent = self.s.company if idx is None else self.s.parties[idx].consent
        st, conc, why = self.ask([rule], [*prof, f, z3.Not(consent)])
        if st == "none":
            return {"power": "veto", "status": "proved"}
        if st == "unknown" or conc is None:
            return {"power": "unknown", "status": "unknown", "reason": why}
        return {"power": "vote, no veto", "status": "refuted", "example": self.example(conc, [rule], [True])}

    def monotone(self, rule: ConsentRule, by_form: bool = True) -> str:
        """Proved / refuted / unknown: more consents never turn a yes into a no. Every kind of limb is monotone by
        its form (a total of consenting holdings, which are never negative, against a fixed quota; a set of parties
        who must consent; one of a set; conditions no one's consent touches), so a rule made only of them is
        proved so without asking Z3 (`by_form=False` asks Z3 anyway; the tests do, for every rule)."""
        def run() -> str:
            if self.satisfiable(rule) == "none":
                return "not applicable"  # no valid holdings let the rule be met at all
            if by_form and all(lb.kind in MONOTONE_LIMBS for lb in limbs(rule, self.readings, self.bk)):
                return "proved"
            sub = [z3.Implies(p.consent, k) for p, k in zip(self.s.parties, self.k, strict=True)]
            st, _, _ = self.ask([rule], [*sub, z3.Implies(self.s.company, self.kc), self.f(rule), z3.Not(self.f(rule, "b"))],
                                model=False)
            return {"none": "proved", "found": "refuted"}.get(st, "unknown")
        return self._cached(("monotone", rule, by_form), run)  # type: ignore[no-any-return]

    def dead_ends(self, rule: ConsentRule) -> dict[str, Any]:
        """Holdings under which nobody, not even everyone together, can decide; and whether anyone can decide
        before any Debenture is converted (the rules are monotone, so the grand coalition decides it)."""
        def run() -> dict[str, Any]:
            t = z3.BoolVal(True, self.ctx)
            grand = [p.consent == t for p in self.s.parties] + [self.s.company == t]
            conditions = list(self.s.conditions.values())
            f = self.f(rule)
            st, conc, why = self.ask([rule], [*grand, *conditions, *self.something_to_count([rule]), z3.Not(f)])
            out: dict[str, Any] = {"blocked": {"status": st, "reason": why}}
            if conc is not None:
                out["blocked"]["example"] = self.example(conc, [rule], [False])
            before = [z3.And(p.held == 0, p.conv_unreg == 0) for p in self.s.parties]
            before.append(z3.Or([p.debt > 0 for p in self.s.parties]))
            st, _, why = self.ask([rule], [*grand, *conditions, *before, f], model=False)
            status = {"none": "proved", "found": "refuted"}.get(st, "unknown")
            out["before_conversion"] = {"status": status, "impossible": status == "proved", "reason": why}
            return out
        return self._cached(("dead", rule), run)  # type: ignore[no-any-return]

    def reading_effects(self, rule: ConsentRule) -> dict[str, Any]:
        """For each other reading, an example where it changes the rule's answer (readings that change nothing
        are left out)."""
        def run() -> dict[str, Any]:
            out: dict[str, Any] = {}
            mine = limbs(rule, self.readings, self.bk)
            for axis, names in self.bk.axes.items():
                for name in names:
                    if name == self.readings[axis]:
                        continue
                    alt = {**self.readings, axis: name}
                    theirs = limbs(rule, alt, self.bk)
                    if theirs == mine and (axis != "measure" or not any(lb.basis in MEASURED_BASES for lb in mine)):
                        continue
                    st, conc, why = self.ask([rule], [self.f(rule) != self.f(rule, "a", alt)], alt)
                    if st == "none":
                        continue
                    entry: dict[str, Any] = {"status": st, "reason": why}
                    if conc is not None:
                        entry["example"] = self.example(conc, [rule, rule], [None, None], readings=[self.readings, alt])
                    out[name] = entry
            return out
        return self._cached(("readings", rule), run)  # type: ignore[no-any-return]

    def compare(self, a: ConsentRule, b: ConsentRule) -> dict[str, Any]:
        """Where two rules give different answers on the same holdings and coalition."""
        def run() -> dict[str, Any]:
            base = self.something_to_count([a, b])
            fa, fb = self.f(a), self.f(b)
            out: dict[str, Any] = {"rules": [a.id, b.id]}
            for key, (x, y), exp in (("a_not_b", (fa, fb), [True, False]), ("b_not_a", (fb, fa), [False, True])):
                st, conc, why = self.ask([a, b], [*base, x, z3.Not(y)])
                out[key] = {"status": st, "reason": why}
                if conc is not None:
                    out[key]["example"] = self.example(conc, [a, b], exp)
            return out
        return self._cached(("compare", a, b), run)  # type: ignore[no-any-return]

    def compete(self, a: ConsentRule, b: ConsentRule) -> dict[str, Any]:
        """Two coalitions with no holder in common each deciding, one under each rule."""
        def run() -> dict[str, Any]:
            disjoint = [z3.Not(z3.And(p.consent, k)) for p, k in zip(self.s.parties, self.k, strict=True)]
            st, conc, why = self.ask([a, b], [*self.something_to_count([a, b]), self.f(a), self.f(b, "b"), *disjoint])
            out: dict[str, Any] = {"rules": [a.id, b.id], "status": st, "reason": why}
            if conc is not None:
                out["example"] = self.example(conc, [a, b], [True, True], which=[0, 1])
            return out
        return self._cached(("compete", a, b), run)  # type: ignore[no-any-return]

    def surplus(self, rule: ConsentRule) -> str:
        """Proved when the rule's majority limbs add nothing to its other limbs unless holders who are not
        Investors hold something the majority counts (a unanimity limb beside a majority limb)."""
        def run() -> str:
            ls = limbs(rule, self.readings, self.bk)
            maj = [lb for lb in ls if lb.kind == "majority"]
            rest = [lb for lb in ls if lb.kind != "majority"]
            if not maj or not any(lb.kind == "each" for lb in rest):
                return "not applicable"
            outsiders = [z3_measure(p, lb.basis, self.readings) == 0 for lb in maj
                         for p, inv in zip(self.s.parties, self.investors, strict=True) if not inv]
            st, _, _ = self.ask([rule], [*self.something_to_count([rule]), *outsiders,
                                         *[z3_limb(lb, self.s, self.readings) for lb in rest],
                                         z3.Not(z3.And([z3_limb(lb, self.s, self.readings) for lb in maj]))], model=False)
            return {"none": "proved", "found": "refuted"}.get(st, "unknown")
        return self._cached(("surplus", rule), run)  # type: ignore[no-any-return]

    # --------------------------------------------------------------------------------- examples

    def example(self, conc: Concrete, rules: Sequence[ConsentRule], expect: Sequence[bool | None],
                readings: Sequence[Readings] | None = None, which: Sequence[int] | None = None) -> dict[str, Any]:
        """A model as holdings, coalition(s) and each rule's Python answer with its reasons (checked against Z3)."""
        h = conc.holdings
        ex: dict[str, Any] = {"holdings": _holdings_json(h)}
        if h.assignment is not None:
            ex["assignment"] = {"from": h.assignment.assignor, "to": h.assignment.transferee,
                                "conditions": dict(h.assignment.met())}
        if conc.concerned:
            ex["party"] = conc.concerned
        results = []
        for i, rule in enumerate(rules):
            rd = dict(readings[i]) if readings else self.readings
            coal = conc.coalitions[which[i] if which else 0]
            res = evaluate(rule, h, coal, rd, self.bk, conc.concerned)
            if expect[i] is not None and res.passed != expect[i]:
                raise AssertionError(f"Z3 and the Python evaluator disagree on {rule.id} for {ex}")
            results.append({"rule": rule.id, "clause": rule.clause, "consenting": sorted(coal), "allowed": res.passed,
                            "reading": {k: v for k, v in rd.items() if self.bk.defaults[k] != v} or "default",
                            "why": [lr.why for lr in res.limbs]})
        ex["results"] = results
        return ex

    def small(self, conc: Concrete, rules: Sequence[ConsentRule], holds: Callable[[Concrete], bool]) -> Concrete:
        """An example made small for showing: every amount lowered (to 0, 1, 2, a tenth, a half), every owner
        mark and every consent dropped, while the example stays valid and `holds` (plain Python, so quick)."""
        used = self.selectors(rules)
        params = self.bk.params

        def ok(c: Concrete) -> bool:
            return valid_holdings(c.holdings, params, c.concerned, used) and holds(c)

        cur = conc
        for _ in range(4):
            changed = False
            for i in range(len(cur.holdings.parties)):
                for f in (*AMOUNTS, "registered_owner"):
                    v = getattr(cur.holdings.parties[i], f)
                    cands: list[Any] = ([False] if v else []) if f == "registered_owner" else \
                        sorted({x for x in (0, 1, 2, v // 10, v // 2) if x < v})
                    for x in cands:
                        ps = list(cur.holdings.parties)
                        change: dict[str, Any] = {f: x}
                        ps[i] = replace(ps[i], **change)
                        nxt = replace(cur, holdings=replace(cur.holdings, parties=tuple(ps)))
                        if ok(nxt):
                            cur, changed = nxt, True
                            break
            for j in (0, 1):
                for m in sorted(cur.coalitions[j]):
                    cs = list(cur.coalitions)
                    cs[j] = cs[j] - {m}
                    nxt = replace(cur, coalitions=(cs[0], cs[1]))
                    if ok(nxt):
                        cur, changed = nxt, True
            if not changed:
                break
        return cur


def _holdings_json(h: Holdings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in h.parties:
        rec: dict[str, Any] = {"is_investor": p.is_investor}
        for f in AMOUNTS:
            if getattr(p, f):
                rec[f] = getattr(p, f)
        if p.registered_owner:
            rec["registered_owner"] = True
        out[p.id] = rec
    return out


# ------------------------------------------------------------------------------------------------ the memo

@dataclass
class Review:
    """What the detectors share: the agreement, its book, the engine, and what they had to withhold."""

    agreement: Agreement
    bk: Book
    eng: Engine
    withheld: list[Withholding] = field(default_factory=list)

    @property
    def readings(self) -> dict[str, str]:
        """The readings of the analysis."""
        return self.eng.readings

    def text(self, clause: str) -> str:
        """A clause's whitespace-normalized text ("" if the text has no such clause)."""
        doc = self.agreement.document
        return doc.normalized(clause) if clause in doc.by_id else ""

    def rules(self, keep: Callable[[ConsentRule], bool] = lambda r: True) -> list[ConsentRule]:
        """The usable rules, in the order of the text."""
        return sorted((r for r in self.bk.rules.values() if keep(r)), key=lambda r: (self.bk.position(r.clause), r.id))

    def quote(self, clause: str, words: str) -> Quote | None:
        """Words of a clause, if they are in it verbatim."""
        w = normalize(words)
        return Quote(clause, w) if w and w in self.text(clause) else None

    def redline(self, clause: str, old: str, new: str,
                meaning: dict[str, dict[str, Any] | None] | None = None) -> Redline | None:
        """Replace `old` by `new` in a clause, `old` widened by whole words until it occurs once. `meaning` says what
        the new words mean for the rules and readings whose words they rewrite (rra.solver.memo.Redline); a reading
        whose words the redline removes no longer exists, and every other element keeps its meaning with its new
        words."""
        text, old, new = self.text(clause), normalize(old), normalize(new)
        at = text.find(old)
        if at < 0 or old == new:
            return None
        start, end = at, at + len(old)
        while text.count(text[start:end]) > 1 and end < len(text):
            nxt = text.find(" ", end + 1)
            end = len(text) if nxt < 0 else nxt
        said: dict[str, dict[str, Any] | None] = {"*": {}}
        for rd in self.agreement.model.consent_readings:
            q = normalize(rd.quote)
            if rd.clause == clause and q in text[start:end] and q not in new:
                said[rd.id] = None
        said.update(meaning or {})
        return Redline(clause, text[start:end], new + text[at + len(old):end], 1, said)

    def reading_usable(self, axis: str) -> bool:
        """The words of the reading in force on an axis are in the text."""
        return self.readings.get(axis) not in self.bk.unusable_readings

    def withhold(self, what: str, element: str, clause: str | None, reason: str) -> None:
        """Record a conclusion not drawn because the text changed the words it rests on."""
        self.withheld.append(Withholding("consent", what, element, clause, reason))


_UNSTATED_APPROVAL = re.compile(r"\((?:with )?the approval of (?:a majority[- ]in[- ]interest of )?the Investors\)")


def unstated(r: ConsentRule) -> bool:
    """A rule whose vote the words do not state ("the Investors" with no number, or an approval of "a majority-in-
    interest of the Investors" with no securities): another entry calls it undefined, so a description of who
    decides under it names the reading it assumes."""
    return r.threshold == "unqualified" or "investors_approval" in r.requires or (
        "investors_majority" in r.requires and bool(_UNSTATED_APPROVAL.search(r.quote)))


def assumed_reading(bk: Book) -> str:
    """The reading a description of who decides under a rule with no stated vote assumes, in words ("" when the
    agreement has no general vote clause)."""
    if bk.default_rule is None:
        return ""
    return (f"on the reading that \"the Investors\" act by the majority of Section {bk.default_rule.clause}, which the "
            "entry on decisions with no stated vote questions")


def who(r: ConsentRule, rd: Readings, bk: Book, company: bool = True) -> str:
    """Who decides under a rule, in words, naming the reading assumed where the words state no vote."""
    out, reading = who_decides(r, rd, bk, company=company), assumed_reading(bk)
    return f"{out} ({reading})" if unstated(r) and reading else out


def _sections(clauses: Iterable[str]) -> str:
    cs = list(dict.fromkeys(clauses))
    return ("Section " if len(cs) == 1 else "Sections ") + join_words(cs)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _short(rid: str) -> str:
    return rid.removeprefix("consent.").replace(").", ") ")


def _is_vote(r: ConsentRule, bk: Book, readings: Readings) -> bool:
    """A rule that counts holdings (a majority or a veto for each holder), and is not a tie-break."""
    return r.acts != "tie-break" and any(lb.kind in ("majority", "each") for lb in limbs(r, readings, bk))


def _dedupe(quotes: Iterable[Quote | None]) -> tuple[Quote, ...]:
    return tuple(dict.fromkeys(q for q in quotes if q is not None))


def _issue(rv: Review, id_: str, severity: Severity, title: str, explanation: str, quotes: Iterable[Quote | None],
           favours: Favours, redlines: Iterable[Redline | None], facts: Sequence[str], detail: dict[str, Any]) -> Issue:
    qs = _dedupe(quotes)
    reds = tuple(r for r in redlines if r is not None)
    sections = tuple(sorted({q.clause for q in qs} | {r.clause for r in reds}, key=lambda c: (rv.bk.position(c), c)))
    return Issue(id_, severity, Area.CONSENT, title, sections, explanation, qs, favours, None, reds,
                 findings=(id_,), found_by=("consent",), detail={"facts": list(facts), **detail})


# --- the rules that count only shares owned of record (C-01)

_OF_RECORD = re.compile(r"\bowns? of record\b")
_AS_CONVERTED = re.compile(r"determined as if\b.*?\bconverted\b.*?Registrable Securities")


def _record_owners(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    votes = rv.rules(lambda r: _is_vote(r, bk, rd))
    counts = ("veto", "vote, no veto")
    debt = [r for r in votes if eng.power(r).get(DEBENTURES_ONLY, {}).get("power") == "no say"
            and eng.power(r).get(ONE_SHARE, {}).get("power") in counts]
    warr = [r for r in votes if eng.power(r).get(WARRANTS_ONLY, {}).get("power") == "no say"
            and eng.power(r).get(ONE_SHARE, {}).get("power") in counts]
    if not debt and not warr:
        return []
    rec = bk.by_name.get(rd["measure"])
    if not rv.reading_usable("measure") or rec is None:
        rv.withhold("votes that count only shares owned of record", rec.id if rec else "measure",
                    rec.clause if rec else None, "the words of the reading of \"held\" changed in the draft")
        return []
    before = [r for r in dict.fromkeys(debt + warr) if eng.dead_ends(r)["before_conversion"]["impossible"]]
    binding = [r for r in debt if r.acts == "amendment"]
    vetoed = [r for r in debt if eng.power(r).get(ONE_SHARE, {}).get("power") == "veto"]
    only_w = [r for r in warr if r not in debt]
    main = debt or warr
    holding = "only Debentures" + (" or only Warrants" if debt and set(debt) <= set(warr) else "") if debt else "only Warrants"
    title = (f"{_sections(r.clause for r in main)} count only shares owned of record: an Investor holding {holding} "
             f"has no vote{' and no veto' if vetoed else ''}")
    default = bk.default_rule
    reach = _default_reach(rv, main)
    contrast = (f", although {_sections([default.clause])} counts outstanding Debentures as converted for the "
                "decisions of the Investors for which the agreement states no vote of its own"
                ) if default is not None and default not in main and default in votes and not reach else ""
    expl = [f"{_sections(r.clause for r in main)} count Registrable Securities held, and {_sections([rec.clause])} "
            f"treats as a holder only the owner of record, so an Investor holding {holding} has no say in "
            f"{join_words([r.decides for r in main])}{contrast}."]
    then = []
    if binding:
        back = any(re.search(r"\bretroactive", rv.text(r.clause)) for r in binding)
        then.append(f"{join_words([r.decides for r in binding])} binds every Investor, so an Investor that has "
                    "converted a few shares can, with the Company, amend or waive"
                    + (" (even retroactively, including payments already accrued)" if back else "")
                    + " against the Investors still holding Debentures")
    if before:
        then.append(f"before any Debenture is converted no one can act under {_sections(r.clause for r in before)}, "
                    "as there is nothing to count")
    if then:
        expl.append(_cap("; and ".join(then)) + ".")
    street = "shares held in street name are owned of record by the depository's nominee, not the Investor"
    if only_w:
        expl[0] = expl[0].rstrip(".") + (f"; Warrants are not counted under {_sections(r.clause for r in only_w)} "
                                         f"either, and {street}.")
    else:
        expl[0] = expl[0].rstrip(".") + f"; and {street}."
    if reach:
        expl.append(reach)
    quotes = [rv.quote(r.clause, r.quote) for r in main] + [rv.quote(rec.clause, rec.quote)]
    for r in binding:
        m = re.search(r"[^.]*\bbinding upon\b[^.]*\.", rv.text(r.clause))
        quotes.append(rv.quote(r.clause, m.group(0)) if m else None)
    if default is not None and default not in main:
        m = _AS_CONVERTED.search(default.quote)
        quotes.append(rv.quote(default.clause, m.group(0)) if m else None)
    affected = [r.clause for r in main]
    new = _OF_RECORD.sub("owns of record or beneficially (without duplication)", rec.quote, count=1) + (
        f", and for purposes of {_sections(affected)} each holder of Debentures or Warrants shall be deemed to hold the "
        "Registrable Securities issuable upon their conversion or exercise (without regard to any limitation on "
        "conversion or exercise)")
    issuable = next((r for r in rv.agreement.model.consent_readings if r.id.startswith("reading.consent.measure.")
                     and r.name == "issuable"), None)
    held_as: dict[str, dict[str, Any] | None] = {
        x.id: None for x in rv.agreement.model.consent_readings if x.id.startswith("reading.consent.measure.")
        and x is not issuable}
    if issuable is not None:
        held_as[issuable.id] = {"default": True}
    reds = [rv.redline(rec.clause, rec.quote, new, held_as)]
    if default is not None and default in warr:
        m = _AS_CONVERTED.search(default.quote)
        if m:
            reds.append(rv.redline(default.clause, m.group(0), "determined as if all of the Debentures and Warrants "
                                   "then outstanding had been converted into or exercised for Registrable Securities",
                                   held_as))
    effects = {r.id: sorted(eng.reading_effects(r)) for r in main}
    facts = [f"consent.no-say.debentures:{_short(r.id)}" for r in debt] + \
        [f"consent.no-say.warrants:{_short(r.id)}" for r in warr] + \
        [f"consent.impossible-before-conversion:{_short(r.id)}" for r in before]
    return [_issue(rv, "consent.record-owners-only", Severity.HIGH if binding else Severity.MEDIUM, title, " ".join(expl),
                   quotes, Favours.COMPANY, reds, facts,
                   {"rules": [r.id for r in main], "debentures_only_no_say": [r.id for r in debt], "warrants_only_no_say": [r.id for r in warr],
                    "impossible_before_conversion": [r.id for r in before], "binds_every_investor": [r.id for r in binding],
                    "readings_that_change_the_answer": effects, "reading": rec.name})]


def _default_reach(rv: Review, main: Sequence[ConsentRule]) -> str:
    """Whether the default rule's as-converted count reaches votes that state their own count, in one sentence ("" when
    there is nothing to say): contested for votes of the Investors when the default rule opens with words that yield
    ("Except as otherwise provided herein"); not for votes of "the holders", which are not decisions of the Investors
    on either reading."""
    bk = rv.bk
    default, op = bk.default_rule, bk.opening
    if default is None or op is None or default in main or not (op.yields and op.words):
        return ""
    theirs = [r for r in main if r.voters == "investors"]
    holders = [r for r in main if r.voters == "holders"]
    if not theirs:
        return ""
    dc, secs = _sections([default.clause]), _sections(r.clause for r in theirs)
    one = len(theirs) == 1
    vote = " or ".join(sorted({_share_name(_share(r, rv)) for r in theirs}))
    parts = [f"{dc} counts outstanding Debentures as converted only for decisions of the Investors for which the "
             f"agreement states no vote of its own, as it opens \"{op.words}\""]
    if holders:
        parts.append(f"{_sections(r.clause for r in holders)} count \"the holders\", not the Investors, so it does not "
                     f"reach {'it' if len(holders) == 1 else 'them'} on either reading")
    parts.append(f"{secs} {'states its' if one else 'state their'} own test, so on our reading {dc} does not "
                 f"reach {'it' if one else 'them'} either and the example follows, but Investors still holding Debentures will "
                 f"argue that the {vote} of {secs} is counted as {dc} provides, on which reading an Investor that has "
                 f"converted a few shares {'is not a majority' if vote == 'majority' else 'does not hold ' + vote} on its own and "
                 "the example fails; the redline removes the doubt either way")
    return _cap("; ".join(parts)) + "."


# --- one decision given to different groups (C-02)

_CONDITIONAL = re.compile(r"^(In the event|If)\b")


def _same_decision(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    groups: dict[str, list[ConsentRule]] = {}
    for r in rv.rules(lambda r: r.acts != "tie-break" and not r.default and bool(r.decides)):
        groups.setdefault(r.decides, []).append(r)
    out = []
    for decides, rules in groups.items():
        if len(rules) < 2:
            continue
        pairs = [(a, b) for i, a in enumerate(rules) for b in rules[i + 1:]]
        cmps = [eng.compare(a, b) for a, b in pairs]
        if all(c["a_not_b"]["status"] == "none" and c["b_not_a"]["status"] == "none" for c in cmps):
            continue  # the same vote in other words
        comps = [eng.compete(a, b) for a, b in pairs]
        both = [c for c in comps if c["status"] == "found"]
        with_company = [r for r in rules if any(lb.kind == "party" and lb.who == COMPANY for lb in limbs(r, rd, bk))]
        primary = with_company[0] if with_company else rules[0]
        # the reading a rule with no stated vote is described on is said once, after the list, for all such rules
        reading = assumed_reading(bk)
        assumed = [r for r in rules if unstated(r)] if reading else []
        groups_words = "; ".join(f"{_sections([r.clause])} to {who_decides(r, rd, bk, company=False)}" for r in rules)
        expl = [f"{_sections(r.clause for r in rules)} each give the choice of {decides} to a different group: "
                f"{groups_words}" + (f" (for {_sections(r.clause for r in assumed)}, {reading})" if assumed else "")
                + "."]
        ex = _small_competition(eng, bk, both[0]) if both else None
        if both:
            eg = _competition_words(ex).strip()
            expl.append("Two groups with no Investor in common can each choose validly and no clause says which "
                        "prevails" + (f": {eg[0].lower()}{eg[1:]}" if eg else "."))
        else:
            expl.append("The same holdings can let a group decide under one clause and not under another, and no clause "
                        "says which governs.")
        if with_company and len(with_company) < len(rules):
            others = [r for r in rules if r not in with_company]
            # a clause binds the Company to whoever is chosen only where its own words put a duty on the Company
            binds = [r for r in others if re.search(r"\bthe Company (?:shall|must|will|agrees)\b", rv.text(r.clause))]
            rest = [r for r in others if r not in binds]
            expl.append(f"Only {_sections(r.clause for r in with_company)} subject{'s' if len(with_company) == 1 else ''} "
                        "the choice to the Company's approval"
                        + (f"; under {_sections(r.clause for r in binds)} the Company must accept whoever is chosen"
                           if binds else "")
                        + (f"; {_sections(r.clause for r in rest)} bind{'s' if len(rest) == 1 else ''} the Investors to "
                           "the choice, not the Company" if rest else "") + ".")
        reds = []
        for r in rules:
            if r is primary:
                continue
            m = _CONDITIONAL.match(r.quote)
            follows: dict[str, dict[str, Any] | None] = {r.id: None, **{p: None for p in r.params()}}
            if m:
                reds.append(rv.redline(r.clause, r.quote,
                                       f"{m.group(1)} {decides} are selected in accordance with {_sections([primary.clause])}",
                                       follows))
            else:
                reds.append(rv.redline(r.clause, r.quote, f"{r.quote} (as selected in accordance with "
                                                           f"{_sections([primary.clause])})", follows))
        if not primary.basis.startswith("registrable"):
            em = re.search(r"a majority[\s-]in[\s-]interest of (?P<what>.+?)(?= shall\b| may\b)", rv.text(primary.clause))
            if em:
                offering = "such underwritten offering" if "underwritten offering" in rv.text(primary.clause) else \
                    "such offering"
                same_words: dict[str, dict[str, Any] | None] = {
                    x.id: {"basis": "registrable_offered"} for x in bk.rules.values()
                    if x.clause == primary.clause and x.basis == primary.basis}
                reds.append(rv.redline(primary.clause, em.group("what"),
                                       f"the Registrable Securities to be included in {offering}", same_words))
        facts = [f"consent.compete.{_short(c['rules'][0])}|{_short(c['rules'][1])}" for c in both] + \
            [f"consent.disagree.{_short(c['rules'][0])}~{_short(c['rules'][1])}" for c in cmps]
        title = (f"{_cap(decides)}: {_sections(r.clause for r in rules)} give the choice to "
                 f"{_count_words(len(rules))} different groups")
        out.append(_issue(rv, f"consent.same-decision.{_slug(decides)}", Severity.MEDIUM, title, " ".join(expl),
                          [rv.quote(r.clause, r.quote) for r in rules],
                          Favours.INVESTORS if with_company and len(with_company) < len(rules) else Favours.NEITHER,
                          reds, facts, {"decides": decides, "rules": [r.id for r in rules], "primary": primary.id,
                                        "comparisons": cmps, "competing": comps, "example": ex}))
    return out


def _small_competition(eng: Engine, bk: Book, comp: dict[str, Any]) -> dict[str, Any] | None:
    """The competition example made small for showing: both coalitions still decide, with no holder in common."""
    a, b = (bk.rules[x] for x in comp["rules"])
    ex = comp.get("example")
    if ex is None:
        return None
    conc = _from_example(ex, eng)
    rd = eng.readings

    def holds(c: Concrete) -> bool:
        ca = compile_rule(a, c.holdings, rd, bk, c.concerned)
        cb = compile_rule(b, c.holdings, rd, bk, c.concerned)
        return ca.passes(c.coalitions[0]) and cb.passes(c.coalitions[1]) and \
            not (c.coalitions[0] & c.coalitions[1]) - {COMPANY}
    return eng.example(eng.small(conc, [a, b], holds), [a, b], [True, True], which=[0, 1])


def _from_example(ex: dict[str, Any], eng: Engine) -> Concrete:
    """An example's holdings and coalitions read back (the inverse of `Engine.example`)."""
    parties = []
    for pid, rec in ex["holdings"].items():
        vals = {f: rec.get(f, 0) for f in AMOUNTS}
        parties.append(Party(pid, f"{'Investor' if rec['is_investor'] else 'Holder'} {pid}", rec["is_investor"],
                             registered_owner=rec.get("registered_owner", False), **vals))
    a = ex.get("assignment")
    h = Holdings(tuple(parties), Assignment(a["from"], a["to"], a["conditions"]) if a else None)
    coals = [frozenset(r["consenting"]) for r in ex["results"]] + [frozenset(), frozenset()]
    return Concrete(h, (coals[0], coals[1]), ex.get("party"))


_HOLDING_WORDS = (("debentures_outstanding", "Debentures"),
                  ("debentures_converted_unregistered", "unregistered shares from converted Debentures"),
                  ("warrants", "Warrants"), ("registrable_held", "shares of record"),
                  ("registrable_registered", "shares being registered"), ("registrable_offered", "shares being offered"),
                  ("registrable_included", "shares included in the Registration Statement"))


def _who_holds(ex: dict[str, Any], members: Iterable[str]) -> str:
    """The holders of an example in words, by what they hold ("an Investor holding only Debentures")."""
    parts = []
    for m in members:
        if m == COMPANY or m not in ex["holdings"]:
            continue
        rec = ex["holdings"][m]
        what = [w for f, w in _HOLDING_WORDS if rec.get(f)]
        who = "an Investor" if rec["is_investor"] else "a holder who is not an Investor"
        parts.append(f"{who} holding {'only ' if len(what) == 1 else ''}{join_words(what)}" if what else
                     f"{who} holding nothing")
    return join_words(parts) or "no one"


def _competition_words(ex: dict[str, Any] | None) -> str:
    """A competition example as a sentence: who decides under each clause."""
    if not ex:
        return ""
    first, second = ex["results"]
    company = " with the Company's consent" if COMPANY in first["consenting"] else ""
    held = ex["holdings"]
    others = _who_holds(ex, second["consenting"])
    # shares from converted Debentures are held of record too: the second group outvotes the first only with more
    if any(held.get(m, {}).get("debentures_converted_unregistered") for m in first["consenting"]) and \
            any(held.get(m, {}).get("registrable_held") for m in second["consenting"]):
        others += " (more shares than the first holds from its conversion)"
    return (f" For example, {_who_holds(ex, first['consenting'])} can choose under Section {first['clause']}{company}, "
            f"while {others} chooses differently under Section {second['clause']}.")


def _count_words(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


# --- one adviser chosen under two clauses (C-03)

_REF = r"\d+(?:\([a-z]+\))*"
_JOIN = re.compile(
    r"\b(?:one|a single|the|such) (?P<noun>(?:[a-z]+ ){0,3}?(?:counsel|adviser|advisor|banker|accountant|agent)) "
    r"(?:selected|designated|chosen|appointed)(?: by the [A-Z][a-z]+)? (?:pursuant to|under|in accordance with) "
    rf"Sections? (?P<refs>{_REF}(?:(?:,| and| or|, and)+ {_REF})*)")


def _one_adviser(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    out = []
    seen: set[tuple[str, ...]] = set()
    for clause in bk.order:
        c = rv.agreement.document.by_id[clause]
        if c.children:
            continue
        text = rv.text(clause)
        for m in _JOIN.finditer(text):
            head = m.group("noun").split()[-1]
            refs = re.findall(_REF, m.group("refs"))
            rules = [r for r in rv.rules() if (r.clause in refs or r.clause == clause)
                     and head in r.decides.split() and r.acts == "investors"]
            if len({r.decides for r in rules}) < 2 or tuple(r.id for r in rules) in seen:
                continue
            seen.add(tuple(r.id for r in rules))
            pairs = [(a, b) for i, a in enumerate(rules) for b in rules[i + 1:] if a.decides != b.decides]
            comps = [eng.compete(a, b) for a, b in pairs]
            both = [x for x in comps if x["status"] == "found"]
            if not both:
                continue
            pays = bool(re.search(r"\b(fees|expenses|borne|pay|paid|reimburse)", text))
            keep = next((r for r in rules if r.threshold == "unqualified"), None) or \
                next((r for r in rules if r.clause in refs), rules[0])
            drop = [r for r in rules if r is not keep]
            words = m.group(0)
            title = (f"{_cap(head)}: {_sections(r.clause for r in rules)} give the choice to different groups, and "
                     f"{_sections([clause])} {'pays for' if pays else 'treats them as'} one")
            expl = ["; ".join(f"{_sections([r.clause])} lets {r.decides} be chosen by {who(r, rd, bk, company=False)}"
                              for r in rules) + "."]
            ex = _small_competition(eng, bk, both[0])
            expl.append(f"{_sections([clause])} speaks of \"{words}\", yet two groups with no Investor in common can each "
                        f"choose a different {head}, so it is unclear "
                        + ("whether the Company pays for neither, one (which?) or both." if pays else
                           f"which {head} {_sections([clause])} means.") + _competition_words(ex))
            also = join_words([r.clause for r in drop])
            here = re.match(r" (hereof|herein|of this Agreement)\b", text[m.end():])
            suffix = f" {here.group(1)}" if here else ""
            reds = [rv.redline(clause, f"Section{'s' if len(refs) > 1 else ''} {m.group('refs')}{suffix}",
                               f"Section {keep.clause}{suffix} (which {head} shall also act for the Investors under "
                               f"Section{'s' if len(drop) > 1 else ''} {also})")]
            struck = []  # the rules whose own choice of the adviser a redline takes out
            for r in drop:
                dm = re.search(rf"\b(?:one|a|a single) (?:[a-z]+ )?{head} and (\w+)", rv.text(r.clause))
                red = rv.redline(r.clause, dm.group(0), dm.group(1)) if dm else None
                if red is not None:
                    reds.append(red)
                    struck.append(r)
            facts = [f"consent.compete.{_short(x['rules'][0])}|{_short(x['rules'][1])}" for x in both]
            lose = "; ".join(f"{who(r, rd, bk, company=False)} no longer choose {r.decides} under {_sections([r.clause])}"
                             for r in struck)
            issue = _issue(rv, f"consent.one-{_slug(head)}.{clause}", Severity.MEDIUM, title, " ".join(expl),
                           [*(rv.quote(r.clause, r.quote) for r in rules), rv.quote(clause, words)],
                           Favours.COMPANY if pays else Favours.NEITHER, reds, facts,
                           {"joined_by": clause, "words": words, "rules": [r.id for r in rules], "keep": keep.id,
                            "competing": comps, "example": ex})
            out.append(replace(issue, open_points=(
                f"with the redline {lose}: the {head} of {_sections([keep.clause])} acts for them, a business "
                "choice",)) if struck else issue)
    return out


# --- a veto for every holder (C-04)

_EACH = re.compile(r"each of the Investors(?: \([^)]*\))?,? and ")


_FRACTIONS = {"1/2": "one-half", "1/3": "one-third", "2/3": "two-thirds", "1/4": "one-quarter", "3/4": "three-quarters",
              "1/5": "one-fifth", "4/5": "four-fifths"}


def _share(r: ConsentRule, rv: Review) -> str:
    """The share a rule's vote needs ("majority", "2/3", "all")."""
    return next((lb.share for lb in limbs(r, rv.readings, rv.bk) if lb.kind == "majority"), "majority")


def _share_name(share: str) -> str:
    """A vote's share in words: "majority", "two-thirds"."""
    return "majority" if share == "majority" else "unanimity" if share == "all" else _FRACTIONS.get(share, share)


def _blocking(share: str) -> str:
    """How much outsiders must hold so that no group of Investors reaches the share: "half or more", "more than
    one-third"."""
    if share == "majority":
        return "half or more"
    if share == "all":
        return "any"
    n, d = (int(x) for x in share.split("/"))
    rest = f"{d - n}/{d}"
    return f"more than {_FRACTIONS.get(rest, rest)}"


def _each_veto(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    rules = rv.rules(lambda r: _is_vote(r, bk, rd) and any(lb.kind == "each" for lb in limbs(r, rd, bk))
                     and eng.power(r).get(ONE_SHARE, {}).get("power") == "veto")
    if not rules:
        return []
    surplus = [r for r in rules if eng.surplus(r) == "proved"]
    assign = rv.rules(lambda r: any(lb.kind == "party" and lb.who == "transferee" for lb in limbs(r, rd, bk))
                      and eng.power(r).get("company", {}).get("power") == "no say")
    title = f"{_sections(r.clause for r in rules)} give{'s' if len(rules) == 1 else ''} every holding Investor a veto"
    shares = sorted({_share(r, rv) for r in surplus})
    if surplus:
        title += f"; the {' and '.join(_share_name(x) for x in shares)} requirement is surplus"
    if assign:
        title += f"; {_sections(r.clause for r in assign)} lets the vetoes multiply"
    each_words = [lb for r in rules for lb in limbs(r, rd, bk) if lb.kind == "each"]
    expl = [f"{_sections(r.clause for r in rules)} require{'s' if len(rules) == 1 else ''} the consent of "
            + ("each Investor that still holds any Registrable Securities" if each_words else "each Investor")
            + f", so any one of them, however small its holding, can block {join_words([r.decides for r in rules])}, "
            "including a change the Company needs to cure a defect."]
    if surplus:
        expl.append(f"Once every such Investor consents, the {' and '.join(_share_name(x) for x in shares)} requirement "
                    f"beside it is met as well, unless holders who are not Investors hold "
                    f"{' or '.join(_blocking(x) for x in shares)}: it adds nothing among the Investors.")
    if assign:
        expl.append(f"{_sections(r.clause for r in assign)} lets an Investor assign its rights with any part of its "
                    "holdings without the Company's consent (but see the entry on how rights pass on assignment), and "
                    "each transferee that joins gets a veto of its own.")
    default = bk.default_rule
    reds = []
    for r in rules:
        m = _EACH.search(r.quote)
        tail = " (determined as provided in Section " + default.clause + ")" if default is not None else ""
        whom = "amendment or waiver" if r.acts == "amendment" else "decision"
        vote: dict[str, dict[str, Any] | None] = {r.id: {
            "requires": [x for x in r.requires if x != "each_holding_investor"],
            **({"basis": default.basis} if default is not None else {})}}
        if m:
            rest = r.quote[m.end():]
            reds.append(rv.redline(r.clause, r.quote[m.start():],
                                   f"{rest}{tail}, and each Investor that the {whom} would affect adversely and "
                                   "differently from the other Investors", vote))
        else:
            reds.append(rv.redline(r.clause, r.quote, f"{r.quote} (the consent of an individual Investor being required "
                                                       f"only where the {whom} would affect it adversely and differently "
                                                       "from the other Investors)"))
    facts = [f"consent.veto.single-share:{_short(r.id)}" for r in rules] + \
        [f"consent.assignment-adds-veto.{_short(a.id)}->{_short(r.id)}" for a in assign for r in rules]
    # what the redline gives up: a change that falls evenly on every Investor, a waiver of accrued payments included
    # where the clause allows retroactive waivers, then passes by majority against a dissenting Investor
    back = [r for r in rules if r.acts == "amendment" and re.search(r"\bretroactive", rv.text(r.clause))]
    votes = sorted({_share_name(_share(r, rv)) for r in back})
    left = (f"with the redline {'a ' if votes == ['majority'] else 'Investors holding '}{' or '.join(votes)} can, with "
            f"the Company, amend or waive under {_sections(r.clause for r in back)} "
            "against a dissenting Investor, a retroactive waiver of payments already accrued included, as long as it "
            "falls on every Investor alike",) if back else ()
    return [replace(_issue(rv, "consent.each-veto", Severity.MEDIUM, title, " ".join(expl),
                           [*(rv.quote(r.clause, r.quote) for r in rules), *(rv.quote(a.clause, a.quote) for a in assign)],
                           Favours.INVESTORS, reds, facts,
                           {"rules": [r.id for r in rules], "majority_surplus": [r.id for r in surplus],
                            "assignment": [a.id for a in assign]}), open_points=left)]


# --- decisions of "the Investors" with no stated vote (C-05)

_OF_THE_INVESTORS = re.compile(r"\((?:with )?the approval of (?:a majority[- ]in[- ]interest of )?the Investors\)")
_BY_THE_INVESTORS = re.compile(r"\b(?:of|by) the Investors\b")


def _no_stated_vote(rv: Review, rewritten: set[str]) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    default = bk.default_rule
    unstated = rv.rules(lambda r: not r.default and (r.threshold == "unqualified" or "investors_approval" in r.requires))
    alt = [n for n in bk.axes.get("investors", ()) if n != rd.get("investors")]
    changed = [r for r in unstated if any(n in eng.reading_effects(r) for n in alt)]
    unmeasured = rv.rules(lambda r: "investors_majority" in r.requires and bool(_OF_THE_INVESTORS.search(r.quote)))
    if not changed and not unmeasured:
        return []
    if changed and (default is None or not rv.reading_usable("investors")):
        rv.withhold("decisions of \"the Investors\" with no stated vote", "consent.default",
                    default.clause if default else None, "the default vote's words changed in the draft")
        changed = []
    if not changed and not unmeasured:
        return []
    title = "Decisions of \"the Investors\" with no stated vote"
    if changed:
        # the point is not that no vote applies (the default rule supplies one) but that its words may be read as
        # requiring every Investor
        title = (f"Decisions of \"the Investors\" in {_sections(r.clause for r in changed)}: the majority of "
                 f"{_sections([default.clause])} may be read as requiring every Investor") if default is not None else \
            title + f": {_sections(r.clause for r in changed)}"
    if unmeasured:
        title += ("; " if changed else ": ") + f"\"a majority-in-interest of the Investors\" in " \
            f"{_sections(r.clause for r in unmeasured)} names no securities"
    expl = []
    if changed:
        expl.append(f"{_sections(r.clause for r in changed)} leave {join_words([r.decides for r in changed])} to \"the "
                    "Investors\" without saying how they decide.")
        if default is not None:
            expl.append(f"{_sections([default.clause])} supplies a majority for consents \"by the Investors\", but the "
                        "words can also be read to require every Investor, which would let a single Investor hold up "
                        f"{changed[0].decides}.")
    if unmeasured:
        expl.append(f"{_sections(r.clause for r in unmeasured)} require the approval of \"a majority-in-interest of the "
                    "Investors\" without naming the securities by which interest is measured.")
    dc = f"Section {default.clause}" if default is not None else "the default vote"
    reds = []
    quotes: list[Quote | None] = []
    for r in changed + unmeasured:
        m = _OF_THE_INVESTORS.search(r.quote)
        quotes.append(rv.quote(r.clause, m.group(0) if m else r.quote))
        if r.id in rewritten:
            continue
        as_default: dict[str, dict[str, Any] | None] = {} if default is None else {r.id: {
            "threshold": default.threshold, "basis": default.basis, "share": default.share}}
        if m:
            measured: dict[str, dict[str, Any] | None] = {}
            if default is not None and r.approval_share:
                measured = {r.id: {"approval_share": default.share}, r.approval_share: None}
            reds.append(rv.redline(r.clause, m.group(0), f"(with the approval of the Investors acting as provided in {dc})",
                                   measured))
            continue
        b = _BY_THE_INVESTORS.search(r.quote)
        if b:
            new = r.quote[:b.end()] + f" (acting as provided in {dc})" + r.quote[b.end():]
            if "unreasonably withheld" in r.quote:
                new += " and shall be deemed given if not refused in writing within five (5) business days after request"
            reds.append(rv.redline(r.clause, r.quote, new, as_default))
    if default is not None:
        quotes.append(rv.quote(default.clause, default.quote))
    effects = {r.id: {n: e for n, e in eng.reading_effects(r).items() if n in alt} for r in changed}
    facts = [f"consent.reading.{n}:{_short(r.id)}" for r in changed for n in effects[r.id]] + \
        [f"consent.unmeasured-approval:{_short(r.id)}" for r in unmeasured]
    return [_issue(rv, "consent.no-stated-vote", Severity.MEDIUM, title, " ".join(expl), quotes, Favours.INVESTORS,
                   reds, facts, {"rules": [r.id for r in changed + unmeasured], "unstated": [r.id for r in changed],
                                 "unmeasured": [r.id for r in unmeasured],
                                 "reading_effects": effects})]


# --- holdings outside the agreement block every vote (P-02, the consent side)

_CEASES = re.compile(r"\bcease[sd]? to be\b|\bshall no longer be\b|\bshall not include\b[^.]*\bsold\b")
# words that count only the securities in a pending offering or registration ("Registrable Securities being offered"):
# a security already sold is not being offered, so it drops out of such a count whatever the definition says
_IN_PROGRESS = re.compile(r"\bbeing (?:offered|registered|sold|distributed)\b")
_PAYS_HOLDERS = re.compile(r"pay to each holder of (?:the )?[A-Z][\w ]*?Registrable Securities")
_WHILE_OWNS = re.compile(r"so long as\s+such [A-Z]\w+\s+owns\s+Registrable\s+Securities")


def _kept_counts(r: ConsentRule, rv: Review) -> tuple[bool, bool]:
    """Whether a rule's own count, and whether the default rule's count it borrows, keep sold securities in the
    total: counts over every holder of Registrable Securities do, counts of those "being offered" or "being
    registered" do not (from the rule's words)."""
    bk, rd = rv.bk, rv.readings
    dflt = bk.default_rule.clause if bk.default_rule is not None else None
    own = borrowed = False
    for lb in limbs(r, rd, bk):
        if not (lb.kind == "majority" and lb.denominator == "all" and lb.voters == "investors"
                and lb.basis.startswith("registrable")):
            continue
        if dflt is not None and lb.note == dflt:
            borrowed = True
        elif lb.source == r.id and not _IN_PROGRESS.search(r.quote):
            own = True
    return own, borrowed


def _blocks_at(share: str) -> float:
    """The part of the votes outsiders need to block a share (the smaller, the sooner the vote is lost)."""
    if share == "majority":
        return 0.5
    if share == "all":
        return 0.0
    n, d = (int(x) for x in share.split("/"))
    return 1 - n / d


def _outsiders(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    doc = rv.agreement.document
    where = next((c.id for c in doc.clauses if not c.children and '"Registrable Securities" means' in rv.text(c.id)), None)
    if where is not None and _CEASES.search(rv.text(where)):
        return []  # the definition says when a security stops counting (read first: no vote need be looked at)
    votes = rv.rules(lambda r: _is_vote(r, bk, rd))
    blocked = []
    for r in votes:
        d = eng.dead_ends(r)["blocked"]
        if d["status"] == "found" and any(_kept_counts(r, rv)) and \
                any(not rec["is_investor"] for rec in d["example"]["holdings"].values()):
            blocked.append(r)
    voting = [r for r in votes if eng.power(r).get(OTHER_HOLDER, {}).get("power") in ("veto", "vote, no veto")]
    if not blocked and not voting:
        return []
    mclause = rv.agreement.model.measure.clause
    payee = _PAYS_HOLDERS.search(rv.text(mclause))
    owns = next(((c.id, m) for c in doc.clauses if not c.children
                 for m in [_WHILE_OWNS.search(rv.text(c.id))] if m), None)
    title = "Registrable Securities never stop counting"
    if blocked:
        least = min((_share(r, rv) for r in blocked), key=_blocks_at)
        title += (f": once holders who are not Investors hold {'half' if least == 'majority' else _blocking(least)}, "
                  "no Investor vote can pass" if least == "majority" or len(blocked) == 1 else
                  f": once holders who are not Investors hold {_blocking(least)}, an Investor vote cannot pass")
    if voting:
        title += f"{';' if blocked else ':'} under {_sections(r.clause for r in voting)} those holders vote"
    if payee:
        title += f"{';' if blocked or voting else ':'} under {_sections([mclause])} they are paid"
    expl = ["Nothing says when a Registrable Security stops being one (for instance when it is sold under the "
            "Registration Statement or Rule 144)."]
    if blocked:
        stated = [r for r in blocked if _kept_counts(r, rv)[0]]
        by_default = [r for r in blocked if r not in stated]
        under = _sections(r.clause for r in stated or blocked)
        transit = [r for r in votes if _IN_PROGRESS.search(r.quote) and r not in stated]
        if stated and by_default:
            # a rule whose own majority counts only securities being offered, but whose approval of "the Investors"
            # borrows the default count, keeps sold shares in that approval only
            plain = [r for r in by_default if r not in transit]
            approval = [r for r in by_default if r in transit]
            named = ([_sections(r.clause for r in plain)] if plain else []) + (
                [f"the approval of \"the Investors\" in {join_words([r.clause for r in approval])}"] if approval else [])
            under += (f" (and under {' and '.join(named)}, on the reading that \"the Investors\" act by the majority of "
                      f"{_sections([bk.default_rule.clause]) if bk.default_rule else 'the default rule'})")
        drop = (f", though not in the majorities of {join_words([r.clause for r in transit])}, which count only the "
                "Registrable Securities being offered or registered") if transit else ""
        higher = [r for r in blocked if _share(r, rv) != "majority"]
        expl.append(f"Shares sold to buyers who are not Investors stay in the total of the majorities under {under}{drop}, "
                    "so once such holders hold half or more no group of Investors can reach a majority, even all of them "
                    "together" + "".join(f"; under Section {r.clause}, which needs {_share_name(_share(r, rv))}, once they "
                                         f"hold {_blocking(_share(r, rv))}" for r in higher) + ".")
    # what the buyers get, and what never ends, in one sentence (an entry says its point in three at most)
    more = []
    if voting:
        more.append(f"those buyers are \"the holders\" who vote under {_sections(r.clause for r in voting)} on "
                    f"{join_words([r.decides for r in voting])}")
    if payee:
        more.append(f"each {'is also' if voting else 'of those buyers is'} a \"holder of ... Registrable Securities\" "
                    f"whom {_sections([mclause])} pays as it pays the Investors (see the entry on who 2(c) pays), "
                    "though not a party and owing nothing under the agreement")
    if owns:
        more.append(f"the Company's duty under {_sections([owns[0]])} lasts \"so long as\" an Investor owns Registrable "
                    "Securities, so it never ends while an Investor keeps a single share")
    if more:
        expl.append(_cap("; ".join(more)) + ".")
    reds: list[Redline | None] = []
    quotes: list[Quote | None] = [rv.quote(r.clause, r.quote) for r in voting]
    if where is not None:
        text = rv.text(where)
        m = re.search(r'"Registrable Securities" means(?: \S+){1,8}', text)
        quotes.insert(0, rv.quote(where, m.group(0)) if m else None)
        tail = " ".join(text.rstrip(".").split()[-8:])
        reds.append(rv.redline(where, tail + ".", tail + "; provided that any such security shall cease to be a "
                               "Registrable Security when it has been sold pursuant to a Registration Statement or Rule 144 "
                               "or may be sold by its holder without restriction under Rule 144(k)."))
    for r in ([bk.default_rule] if bk.default_rule in blocked else blocked[:1]):
        if r is not None:
            quotes.append(rv.quote(r.clause, r.quote))
    if payee:
        quotes.append(rv.quote(mclause, payee.group(0)))
    if owns:
        quotes.append(rv.quote(owns[0], owns[1].group(0)))
    facts = [f"consent.dead-end.other-holders:{_short(r.id)}" for r in blocked] + \
        [f"consent.other-holders-vote:{_short(r.id)}" for r in voting]
    return [_issue(rv, "consent.outsiders-count", Severity.MEDIUM, title, " ".join(expl), quotes, Favours.NEITHER, reds,
                   facts, {"rules": [r.id for r in dict.fromkeys(blocked + voting)], "blocked": [r.id for r in blocked],
                           "holders_vote": [r.id for r in voting],
                           "definition": where, "buyers_paid": payee is not None,
                           "examples": {r.id: eng.dead_ends(r)["blocked"]["example"] for r in blocked}})]


# --- a reading of the words gives the Company a veto (P-03, the consent side)

_WITH_COMPANY = re.compile(r"agrees in writing with the Company")


def _reading_company_veto(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    out = []
    for axis, names in bk.axes.items():
        for name in names:
            if name == rd[axis]:
                continue
            alt = {**rd, axis: name}
            gains = [r for r in rv.rules(lambda r: r.acts == "investors" and not r.default)
                     if not any(lb.kind == "party" and lb.who == COMPANY for lb in limbs(r, rd, bk))
                     and any(lb.kind == "party" and lb.who == COMPANY for lb in limbs(r, alt, bk))
                     and name in eng.reading_effects(r)]
            if not gains:
                continue
            reading = bk.by_name[name]
            if reading.id in bk.unusable_readings or name in bk.unusable_readings:
                continue
            title = (f"{_sections(r.clause for r in gains)} may let the Company block "
                     f"{join_words([r.decides for r in gains])}")
            expl = (f"{_sections(r.clause for r in gains)} leave{'s' if len(gains) == 1 else ''} "
                    f"{join_words([r.decides for r in gains])} to {who_decides(gains[0], rd, bk)}, without the Company. "
                    f"The words \"{reading.quote}\" can also be read another way: {reading.description}")
            m = _WITH_COMPANY.search(reading.quote)
            new = (reading.quote.replace(m.group(0), "delivers to the Company its written agreement", 1) if m else
                   f"{reading.quote} (which need not be signed by the Company)")
            out.append(_issue(rv, f"consent.reading-company-veto.{name}", Severity.MEDIUM, title, expl,
                              [*(rv.quote(r.clause, r.quote) for r in gains), rv.quote(reading.clause, reading.quote)],
                              Favours.COMPANY, [rv.redline(reading.clause, reading.quote, new)],
                              [f"consent.reading.{name}:{_short(r.id)}" for r in gains],
                              {"reading": name, "rules": [r.id for r in gains],
                               "examples": {r.id: eng.reading_effects(r)[name].get("example") for r in gains}}))
    return out


# --- a default vote that overrides the votes clauses set (R-01, where it should fire)

def _default_overrides(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    default, op = bk.default_rule, bk.opening
    if default is None or op is None or op.yields:
        return []
    rules = rv.rules(lambda r: not r.default and _is_vote(r, bk, rd))  # every rule in which holders give consent
    cmps = [(r, eng.compare(default, r)) for r in rules]
    clash = [(r, c) for r, c in cmps if "found" in (c["a_not_b"]["status"], c["b_not_a"]["status"])]
    if not clash:
        return []
    title = (f"Section {default.clause} overrides the votes other clauses set: "
             f"{_sections(r.clause for r, _ in clash)} each have two different votes")
    expl = (f"Section {default.clause} opens \"{op.words}\", so its vote governs every consent of the Investors, "
            f"including {join_words([r.decides for r, _ in clash])}, for which {_sections(r.clause for r, _ in clash)} "
            "set their own. The two tests can give opposite answers on the same holdings, and nothing says which applies.")
    return [_issue(rv, "consent.default-overrides", Severity.MEDIUM, title, expl,
                   [rv.quote(default.clause, op.words), rv.quote(default.clause, default.quote),
                    *(rv.quote(r.clause, r.quote) for r, _ in clash)], Favours.NEITHER,
                   [rv.redline(default.clause, op.words, "Except as otherwise provided herein")],
                   [f"consent.disagree.{_short(default.id)}~{_short(r.id)}" for r, _ in clash],
                   {"rules": [r.id for r, _ in clash], "opening": op.words, "comparisons": [c for _, c in clash]})]


# --- an amendment rule weaker than a protection it can remove (R-10, where it should fire)

def _amendment_weaker(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    out = []
    for a in rv.rules(lambda r: r.acts == "amendment"):
        pa = eng.power(a)
        weaker = []
        for b in rv.rules(lambda r: r.acts not in ("amendment", "tie-break") and not r.default):
            lost = [t for t in INVESTOR_TARGETS if eng.power(b).get(t, {}).get("power") == "veto"
                    and pa.get(t, {}).get("power") not in ("veto", None)]
            if lost:
                weaker.append((b, lost))
        if not weaker:
            continue
        bs = [b for b, _ in weaker]
        title = (f"An amendment under Section {a.clause} needs less than {_sections(b.clause for b in bs)}: "
                 "the protection there can be amended away")
        expl = (" ".join(f"{_sections([b.clause])} gives {join_words(lost)} a veto over {b.decides}." for b, lost in weaker)
                + f" An amendment under Section {a.clause} needs only {who_decides(a, rd, bk)}, so they can amend "
                f"{_sections(b.clause for b in bs)} and remove that protection.")
        new = f"{a.quote}, and any amendment of {_sections(b.clause for b in bs)} shall also require the consents " \
            "that Section requires"
        out.append(_issue(rv, f"consent.amendment-weaker.{a.clause}", Severity.MEDIUM, title, expl,
                          [rv.quote(a.clause, a.quote), *(rv.quote(b.clause, b.quote) for b in bs)], Favours.NEITHER,
                          [rv.redline(a.clause, a.quote, new)],
                          [f"consent.inversion.{_short(a.id)}<{_short(b.id)}" for b in bs],
                          {"rules": [b.id for b in bs], "amendment": a.id,
                           "protections": {b.id: lost for b, lost in weaker}}))
    return out


# --- a Company veto over the Investors' own choice (R-09, where it should fire)

_REASONABLE = re.compile(r"unreasonably|reasonably satisfactory|acting reasonably|reasonable discretion")


def _company_veto(rv: Review) -> list[Issue]:
    eng, bk, rd = rv.eng, rv.bk, rv.readings
    rules = []
    for r in rv.rules(lambda r: r.acts == "investors" and not r.default):
        company = [lb for lb in limbs(r, rd, bk) if lb.kind == "party" and lb.who == COMPANY]
        if not company or any(lb.note for lb in company) or _REASONABLE.search(r.quote):
            continue
        if eng.power(r).get("company", {}).get("power") == "veto":
            rules.append(r)
    if not rules:
        return []
    title = f"The Company can veto the Investors' choice of {join_words([r.decides for r in rules])}"
    expl = (f"{_sections(r.clause for r in rules)} give{'s' if len(rules) == 1 else ''} "
            f"{join_words([r.decides for r in rules])} to {who_decides(rules[0], rd, bk, company=False)}, but also "
            "require the Company's consent with no standard of reasonableness, so the Company can block the Investors' "
            "choice for any reason.")
    reds = []
    for r in rules:
        new = re.sub(r",? in its sole(?: and absolute)? discretion", "", r.quote)
        new = new.replace("satisfactory to the Company", "reasonably satisfactory to the Company", 1) \
            if "satisfactory to the Company" in new else f"{new}, which consent shall not be unreasonably withheld"
        reds.append(rv.redline(r.clause, r.quote, new))
    return [_issue(rv, "consent.company-veto", Severity.MEDIUM, title, expl, [rv.quote(r.clause, r.quote) for r in rules],
                   Favours.COMPANY, reds, [f"consent.veto.company:{_short(r.id)}" for r in rules],
                   {"rules": [r.id for r in rules]})]


_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


# The prefix of the ids of the entries each detector makes (`still_found` runs only the detectors an id needs; a
# test checks that every entry's id starts with its own detector's prefix).
PREFIXES = {"record_owners": "consent.record-owners-only", "same_decision": "consent.same-decision.",
            "one_adviser": "consent.one-", "each_veto": "consent.each-veto", "no_stated_vote": "consent.no-stated-vote",
            "outsiders": "consent.outsiders-count", "reading_company_veto": "consent.reading-company-veto.",
            "default_overrides": "consent.default-overrides", "amendment_weaker": "consent.amendment-weaker.",
            "company_veto": "consent.company-veto"}


def _issues(rv: Review, ids: Collection[str] | None = None) -> list[Issue]:
    """Every detector, in a fixed order (the same questions in the same order give the same models); with `ids`,
    only the detectors that make entries with those ids (and the ones they rest on)."""
    def wanted(detector: str) -> bool:
        return ids is None or any(i.startswith(PREFIXES[detector]) for i in ids)

    out = _record_owners(rv) if wanted("record_owners") else []
    same = _same_decision(rv) if wanted("same_decision") or wanted("no_stated_vote") else []
    rewritten = {rid for i in same for rid in i.detail["rules"] if rid != i.detail["primary"]}
    out += same
    out += _one_adviser(rv) if wanted("one_adviser") else []
    out += _each_veto(rv) if wanted("each_veto") else []
    for i in _no_stated_vote(rv, rewritten) if wanted("no_stated_vote") else []:
        # the decisions another entry's redline rewrites are cured by that redline, not this one's
        rules = set(i.detail["rules"])
        relies = tuple(x.id for x in same if rules & (set(x.detail["rules"]) - {x.detail["primary"]}))
        out.append(replace(i, relies_on=relies))
    out += _outsiders(rv) if wanted("outsiders") else []
    out += _reading_company_veto(rv) if wanted("reading_company_veto") else []
    out += _default_overrides(rv) if wanted("default_overrides") else []
    out += _amendment_weaker(rv) if wanted("amendment_weaker") else []
    out += _company_veto(rv) if wanted("company_veto") else []
    return sorted(out, key=lambda i: _ORDER[i.severity])


def still_found(agreement: Agreement, ids: Collection[str]) -> list[Issue]:
    """The entries with these ids that the agreement's consent rules still give (default readings), found by running
    only the detectors that make them (a memo's redline check asks this of each redlined text)."""
    bk = book(agreement)
    rv = Review(agreement, bk, Engine(bk, readings_for(None, bk)))
    return [i for i in _issues(rv, ids) if i.id in ids]


_REVIEWS: PerObject[tuple[Review, list[Issue]]] = Bounded(17)
_ISSUES: PerObject[list[Issue]] = Bounded(17)


def _review(agreement: Agreement) -> tuple[Review, list[Issue]]:
    """The review of an agreement's consent rules under the default readings and its issues, made once per
    agreement value (`rra check` reads them for its findings and again for the memo's consent section)."""
    def make() -> tuple[Review, list[Issue]]:
        bk = book(agreement)
        rv = Review(agreement, bk, Engine(bk, readings_for(None, bk)))
        issues = _issues(rv)
        remember_issues(agreement, issues)
        return rv, issues

    return per_object(_REVIEWS, agreement, (), make)


def remember_issues(agreement: Agreement, issues: Sequence[Issue]) -> None:
    """Keep the consent issues of an agreement value that another process computed with `consent_issues` (`rra
    check` runs the consent analysis in a forked worker, and the memo built here reads its issues)."""
    keep(_ISSUES, agreement, (), list(issues))


def consent_issues(agreement: Agreement) -> list[Issue]:
    """The consent section of the review memo: one entry per decision or per problem of the agreement's consent
    rules, each with its severity, a plain-English title and explanation, the clashing words quoted with their
    clause ids, whose side it favours, a redline, and the technical evidence in `detail` (default readings)."""
    hit = known(_ISSUES, agreement, ())
    if hit is not None:
        return list(hit)
    return list(_review(agreement)[1])


def issue_json(i: Issue) -> dict[str, Any]:
    """An issue as JSON (enums as their values)."""
    return {"id": i.id, "severity": str(i.severity), "area": str(i.area), "title": i.title, "sections": list(i.sections),
            "explanation": i.explanation, "quotes": [{"clause": q.clause, "words": q.words} for q in i.quotes],
            "favours": str(i.favours), "redlines": [{"clause": r.clause, "replace": r.replace, "with": r.with_}
                                                   for r in i.redlines],
            "findings": list(i.findings), "found_by": list(i.found_by), "detail": i.detail}


_FINDING_SEVERITY = {Severity.HIGH: "warning", Severity.MEDIUM: "warning", Severity.LOW: "info"}


def _findings(issues: Sequence[Issue], rules_out: Sequence[dict[str, Any]]) -> list[Finding]:
    """One finding per memo entry, and one per question Z3 could not answer (unknown is not a pass)."""
    out = [Finding(i.id, "consent", _FINDING_SEVERITY[i.severity], i.sections, i.title, i.explanation,
                   {"issue": issue_json(i)}) for i in issues]
    for r in rules_out:
        if r.get("monotone") in ("refuted", "unknown"):
            out.append(Finding(f"consent.not-monotone.{_short(r['id'])}", "consent",
                               "error" if r["monotone"] == "refuted" else "warning", (r["clause"],),
                               f"{r['clause']}: more consents can turn a yes into a no (or Z3 could not tell)",
                               f"Monotonicity check: {r['monotone']}.", {"rule": r["id"]}))
        unknown = [who for who, e in r.get("power", {}).items() if e.get("power") == "unknown"]
        if unknown:
            out.append(Finding(f"consent.unknown.power.{_short(r['id'])}", "consent", "warning", (r["clause"],),
                               f"{r['clause']}: Z3 could not tell whether {join_words(unknown)} can block",
                               "Z3 gave up within its limits; unknown is not a pass.", {"rule": r["id"]}))
    return out


# ------------------------------------------------------------------------------------------------ analyze

def decisions(bk: Book) -> dict[str, list[str]]:
    """Rules that decide the same thing (more than one rule per decision)."""
    out: dict[str, list[str]] = {}
    for r in bk.rules.values():
        if r.decides and r.acts != "tie-break" and not r.default:
            out.setdefault(r.decides, []).append(r.id)
    return {d: ids for d, ids in out.items() if len(ids) > 1}


def _holdings_table(h: Holdings, bk: Book, readings: Readings) -> list[dict[str, Any]]:
    """For concrete holdings: per rule, who has a veto (the parties without whom everyone else together fails) and
    the smallest coalitions that can decide (listed up to a bound, and counted), without trying every subset."""
    members = [COMPANY, *h.ids()]
    party = next((p.id for p in h.parties if p.is_investor), None)
    out: list[dict[str, Any]] = []
    for rule in bk.rules.values():
        try:
            decide(bk, rule.id, h, [], readings, party)  # what the file must give for this rule
        except BadInput as exc:
            out.append({"rule": rule.id, "clause": rule.clause, "skipped": str(exc)})
            continue
        c = compile_rule(rule, h, readings, bk, party)
        possible = c.passes(set(members))
        vetoes = c.vetoes(members)
        mins = minimal_coalitions(c, members, vetoes, bound=LIST_BOUND)
        out.append({"rule": rule.id, "clause": rule.clause, "decision": rule.decision, "party": party,
                    "vetoes": vetoes, "minimal_coalitions": [list(x) for x in mins.listed],
                    "minimal_count": mins.count, "count_exact": mins.exact, "possible": possible})
    return out


def analyze(agreement: Agreement, holdings: Holdings | None = None, reading: Any = None,
            progress: Callable[[Sequence[Any], str], Iterable[Any]] | None = None) -> dict[str, Any]:
    """Everything `rra consent --analyze` reports (its --json shape): the memo's consent entries, who can block
    what, dead ends and readings per rule, and with holdings the vetoes and smallest coalitions for them."""
    bk = book(agreement)
    rd = readings_for(reading, bk)
    eng = Engine(bk, rd)
    step = progress or (lambda items, label: items)
    rv = Review(agreement, bk, eng)
    issues = _issues(rv)
    if reading is None:
        # the same questions, in the same order, as the memo's consent section asks (`_review`): its issues
        remember_issues(agreement, issues)
    rules_out = []
    for rule in step(list(bk.rules.values()), "consent: rules"):
        rules_out.append({
            "id": rule.id, "clause": rule.clause, "decision": rule.decision, "decides": rule.decides, "acts": rule.acts,
            "quote": rule.quote, "voters": rule.voters, "basis": rule.basis, "threshold": rule.threshold,
            "requires": list(rule.requires), "limbs": [lb.__dict__ for lb in limbs(rule, rd, bk)],
            "who_decides": who_decides(rule, rd, bk),
            "monotone": eng.monotone(rule), "power": eng.power(rule), "dead_ends": eng.dead_ends(rule),
            "readings": eng.reading_effects(rule),
        })
    groups = decisions(bk)
    out: dict[str, Any] = {
        "roster": [{"id": n, "is_investor": v} for n, v in zip(eng.names, eng.investors, strict=True)],
        "readings": rd,
        "reading_choices": {axis: list(names) for axis, names in bk.axes.items()},
        "withheld": list(bk.withheld),
        "default_rule": None if bk.default_rule is None or bk.opening is None else
        {"rule": bk.default_rule.id, "clause": bk.opening.clause, "opening": bk.opening.words,
         "effect": bk.opening.effect, "yields": bk.opening.yields},
        "decisions": groups,
        "comparisons": [eng.compare(bk.rules[a], bk.rules[b]) for ids in groups.values()
                        for i, a in enumerate(ids) for b in ids[i + 1:]],
        "competing": [eng.compete(bk.rules[a], bk.rules[b]) for ids in groups.values()
                      for i, a in enumerate(ids) for b in ids[i + 1:]],
        "rules": rules_out,
    }
    if holdings is not None:
        out["holdings"] = _holdings_table(holdings, bk, rd)
    out["issues"] = [issue_json(i) for i in issues]
    out["findings"] = [f.to_json() for f in _findings(issues, rules_out)]
    out["withheld_conclusions"] = [w.to_json() for w in rv.withheld]
    out["questions"] = eng.questions
    return out


def findings_from(data: dict[str, Any], bk: Book | None = None) -> list[Finding]:
    """The findings of an analysis result (its `findings`, as objects)."""
    return [Finding(f["id"], f["kind"], f["severity"], tuple(f["sections"]), f["title"], f["explanation"],
                    f.get("evidence", {})) for f in data["findings"]]


def findings(ctx: CheckContext) -> Outcome:
    """The consent section of the memo as `rra check` findings (one per entry); rules whose words a draft changed,
    and conclusions resting on changed words, are withheld."""
    agreement = ctx.agreement
    rv, issues = _review(agreement)
    bk, eng = rv.bk, rv.eng
    rules_out = [{"id": r.id, "clause": r.clause, "power": eng.power(r)} for r in bk.rules.values()]
    withheld = [Withholding("consent", f"consent rule of {r.clause}", r.id, r.clause, "its words changed in the draft")
                for r in agreement.model.consent_rules if r.id in bk.withheld]
    return Outcome(_findings(issues, rules_out), withheld + rv.withheld)
