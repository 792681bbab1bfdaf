"""How the consent rules fit together, found with Z3 (`rra consent --analyze`, and findings in `rra check`).

Over symbolic holdings (three Investors and one holder who is not an Investor, or the parties of a holdings
file) and symbolic coalitions, with the holdings-file checks as constraints:

- rules on the same or a similar decision (grouped by the words of their `decision`): where they disagree
  (holdings and a coalition that one allows and the other refuses), where one implies the other, where they
  are equivalent, and where two coalitions with no member in common can each make a valid selection;
- who can block what: the Company, an Investor holding a single share of record, an Investor holding only
  Debentures, an Investor holding only Warrants, a holder who is not an Investor: a veto (proved), no say at all
  (proved), or a vote without a veto (with an example);
- dead ends: holdings under which no coalition at all can take the decision, even everyone together;
- readings: for every named reading, the rules whose answers it changes, with an example.

Every example is a Z3 model made small with an optimizer, turned back into holdings and re-checked with the
plain-Python evaluator, whose explanation (with the numbers) goes into the finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import z3
from rra.solver.consent import (
    Book,
    Readings,
    SymHoldings,
    book,
    evaluate,
    limbs,
    readings_for,
    z3_measure,
    z3_rule,
)
from rra.solver.findings import CheckContext, Finding, Outcome, Withholding
from rra.solver.holdings import COMPANY, Assignment, Holdings, Party
from rra.solver.z3util import Status, make_optimize, make_solver, prove
from rra.spec.agreement import Agreement
from rra.spec.elements import ConsentRule
from rra.spec.overrides import ParameterSet

# The default roster: three Investors and one holder who is not an Investor.
DEFAULT_ROSTER: tuple[tuple[str, bool], ...] = (("A", True), ("B", True), ("C", True), ("D", False))

# Topics of decisions; a rule belongs to a topic when its decision's words contain one of the stems.
TOPICS: dict[str, tuple[str, ...]] = {
    "underwriters": ("select underwriters", "engage an underwriter"),
    "counsel": ("counsel",),
    "changes": ("amend", "waive", "plan of distribution", "other holders", "any other consent"),
}
SELECTION_TOPICS = ("underwriters", "counsel")
# Stake profiles for "who can block": constraints on one Investor's holdings.
PROFILES = {"one share of record": "an Investor with one share of record",
            "Debentures only": "an Investor holding Debentures only",
            "Warrants only": "an Investor holding Warrants only"}


@dataclass
class Ctx:
    """What every check shares: the roster, the parameters and the readings."""

    names: tuple[str, ...]
    investors: tuple[bool, ...]
    params: ParameterSet
    readings: dict[str, str]
    z3ctx: z3.Context
    book: Book


def _sym(c: Ctx, prefix: str = "") -> SymHoldings:
    return SymHoldings.fresh(c.names, prefix, c.investors, c.z3ctx)


def _selectors(rules: Iterable[ConsentRule], c: Ctx) -> set[str]:
    out: set[str] = set()
    for r in rules:
        for lb in limbs(r, c.readings, c.book):
            if lb.kind == "party" and lb.who != COMPANY:
                out.add({"party": "concerned"}.get(lb.who, lb.who))
            if lb.kind == "conditions":
                out |= {"assignor", "transferee"}
    return out


def _valid(s: SymHoldings, c: Ctx, rules: Iterable[ConsentRule]) -> list[z3.BoolRef]:
    """The holdings-file checks, with one party concerned/assignor/transferee only where a rule uses it."""
    return s.valid(c.params, _selectors(rules, c))


def _amount_sum(s: SymHoldings) -> z3.ArithRef:
    return z3.Sum([a for p in s.parties for a in p.amounts()])


def _canon(s: SymHoldings) -> list[z3.ArithRef]:
    """What an example minimizes: the total of all amounts (small numbers read best)."""
    return [_amount_sum(s)]


def _find(constraints: list[z3.BoolRef], small: list[z3.ArithRef]) -> tuple[str, z3.ModelRef | None, str | None]:
    """("found", model) for satisfiable constraints (the model made canonical by minimizing `small` in order),
    ("none", None) if unsatisfiable."""
    ctx = constraints[0].ctx
    s = make_solver(ctx=ctx)
    s.add(*constraints)
    r = s.check()
    if r == z3.unsat:
        return "none", None, None
    if r == z3.unknown:
        return "unknown", None, s.reason_unknown()
    model = s.model()
    if not small:
        return "found", model, None
    o = make_optimize(ctx=ctx)
    o.add(*constraints)
    for term in small:
        o.minimize(term)
    if o.check() == z3.sat:
        model = o.model()
    return "found", model, None


def _concrete(s: SymHoldings, m: z3.ModelRef, c: Ctx) -> tuple[Holdings, frozenset[str], str | None]:
    """Holdings, coalition and the party concerned read back from a model."""

    def iv(x: z3.ArithRef) -> int:
        return int(m.eval(x, model_completion=True).as_long())  # type: ignore[attr-defined]

    def bv(x: z3.BoolRef) -> bool:
        return bool(z3.is_true(m.eval(x, model_completion=True)))

    parties = []
    cons: set[str] = set()
    concerned = assignor = transferee = None
    for sp, name, inv in zip(s.parties, c.names, c.investors, strict=True):
        parties.append(Party(name, f"{'Investor' if inv else 'Holder'} {name}", inv, iv(sp.debt), iv(sp.conv_unreg),
                             iv(sp.conv), iv(sp.warrants), iv(sp.held), iv(sp.registered), iv(sp.offered),
                             iv(sp.included), bv(sp.owner)))
        if bv(sp.consent):
            cons.add(name)
        concerned = name if bv(sp.concerned) else concerned
        assignor = name if bv(sp.assignor) else assignor
        transferee = name if bv(sp.transferee) else transferee
    if bv(s.company):
        cons.add(COMPANY)
    assignment = None
    if assignor and transferee:
        assignment = Assignment(assignor, transferee, {k: bv(v) for k, v in s.conditions.items()})
    return Holdings(tuple(parties), assignment), frozenset(cons), concerned


def _holdings_json(h: Holdings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in h.parties:
        rec: dict[str, Any] = {"is_investor": p.is_investor}
        for f in ("debentures_outstanding", "debentures_converted_unregistered", "conversion_shares", "warrants",
                  "registrable_held", "registrable_registered", "registrable_offered", "registrable_included"):
            if getattr(p, f):
                rec[f] = getattr(p, f)
        if p.registered_owner:
            rec["registered_owner"] = True
        out[p.id] = rec
    return out


def _example(s: SymHoldings, m: z3.ModelRef, c: Ctx, rules: Sequence[ConsentRule], expect: Sequence[bool | None],
             readings: Sequence[Readings] | None = None, coalitions: Sequence[SymHoldings] | None = None) -> dict[str, Any]:
    """A model as holdings, coalition(s) and each rule's Python answer with its reasons (checked against Z3)."""
    h, cons, concerned = _concrete(s, m, c)
    ex: dict[str, Any] = {"holdings": _holdings_json(h)}
    if h.assignment is not None:
        ex["assignment"] = {"from": h.assignment.assignor, "to": h.assignment.transferee,
                            "conditions": dict(h.assignment.met())}
    if concerned:
        ex["party"] = concerned
    results = []
    for i, rule in enumerate(rules):
        rd = readings[i] if readings else c.readings
        coal = cons
        if coalitions is not None:
            _, coal, _ = _concrete(coalitions[i], m, c)
        res = evaluate(rule, h, coal, rd, c.book, concerned)
        if expect[i] is not None and res.passed != expect[i]:
            raise AssertionError(f"Z3 and the Python evaluator disagree on {rule.id} for {ex}")
        results.append({"rule": rule.id, "clause": rule.clause, "consenting": sorted(coal), "allowed": res.passed,
                        "reading": {k: v for k, v in rd.items() if c.book.defaults[k] != v} or "default",
                        "why": [lr.why for lr in res.limbs]})
    ex["results"] = results
    return ex


def _ex_text(ex: dict[str, Any]) -> str:
    parts = []
    for p, rec in ex["holdings"].items():
        amounts = ", ".join(f"{k.replace('registrable_', 'RS ').replace('_', ' ')} {v:,}" for k, v in rec.items()
                            if k not in ("is_investor", "registered_owner"))
        parts.append(f"{p} ({'Investor' if rec['is_investor'] else 'not an Investor'}): {amounts or 'nothing'}")
    out = "Holdings: " + "; ".join(parts) + "."
    for r in ex["results"]:
        rd = "" if r["reading"] == "default" else f" (reading {', '.join(r['reading'].values())})"
        out += (f" {_short(r['rule'])}{rd} with {', '.join(r['consenting']) or 'nobody'} consenting: "
                f"{'allowed' if r['allowed'] else 'refused'} ({'; '.join(w for w in r['why'])}).")
    return out


# ------------------------------------------------------------------------------------------------ checks

def _something_to_count(s: SymHoldings, rules: Iterable[ConsentRule], c: Ctx) -> list[z3.BoolRef]:
    """Every basis a majority of the rules counts has a positive total (no majority of nothing)."""
    bases = sorted({lb.basis for r in rules for lb in limbs(r, c.readings, c.book) if lb.kind == "majority"})
    return [z3.Sum([z3_measure(p, b, c.readings) for p in s.parties]) > 0 for b in bases]


def topics(bk: Book) -> dict[str, list[str]]:
    """Rules grouped by the decision they govern (from the words of each rule's decision)."""
    out: dict[str, list[str]] = {}
    for t, stems in TOPICS.items():
        out[t] = [r.id for r in bk.rules.values() if any(st in r.decision.lower() for st in stems)]
    return {t: ids for t, ids in out.items() if len(ids) > 1}


def compare(a: ConsentRule, b: ConsentRule, c: Ctx) -> dict[str, Any]:
    """Where two rules give different answers on the same holdings and coalition."""
    s = _sym(c)
    base = [*_valid(s, c, [a, b]), *_something_to_count(s, [a, b], c)]
    fa, fb = z3_rule(a, s, c.readings, c.book), z3_rule(b, s, c.readings, c.book)
    out: dict[str, Any] = {"rules": [a.id, b.id]}
    for key, (x, y), exp in (("a_not_b", (fa, fb), [True, False]), ("b_not_a", (fb, fa), [False, True])):
        st, m, why = _find([*base, x, z3.Not(y)], _canon(s))
        out[key] = {"status": st, "reason": why}
        if m is not None:
            out[key]["example"] = _example(s, m, c, [a, b], exp)
    return out


def compete(a: ConsentRule, b: ConsentRule, c: Ctx) -> dict[str, Any]:
    """Two coalitions with no holder in common each making a valid decision, one under each rule."""
    s = _sym(c)
    ca = [z3.Bool(f"ca.{n}", c.z3ctx) for n in c.names]
    cb = [z3.Bool(f"cb.{n}", c.z3ctx) for n in c.names]
    sa, sb = s.with_consent(ca, z3.Bool("ca.company", c.z3ctx)), s.with_consent(cb, z3.Bool("cb.company", c.z3ctx))
    cons = [*_valid(s, c, [a, b]), *_something_to_count(s, [a, b], c), z3_rule(a, sa, c.readings, c.book),
            z3_rule(b, sb, c.readings, c.book)]
    cons += [z3.Not(z3.And(x, y)) for x, y in zip(ca, cb, strict=True)]
    st, m, why = _find(cons, _canon(s))
    out: dict[str, Any] = {"rules": [a.id, b.id], "status": st, "reason": why}
    if m is not None:
        out["example"] = _example(s, m, c, [a, b], [True, True], coalitions=[sa, sb])
    return out


def _profile(p: Any, name: str) -> list[z3.BoolRef]:
    if name == "one share of record":
        return [p.held == 1, p.debt == 0, p.conv_unreg == 0, p.warrants == 0, p.registered <= 1, p.included <= 1]
    if name == "Debentures only":
        return [p.held == 0, p.warrants == 0, p.debt > 0, p.conv > 0]
    if name == "Warrants only":
        return [p.held == 0, p.debt == 0, p.conv_unreg == 0, p.warrants > 0]
    raise ValueError(name)


def power(rule: ConsentRule, c: Ctx) -> dict[str, Any]:
    """Who can block the rule: the Company, small Investors of each kind, and a holder who is not an Investor.

    Each gets "no say" (proved: its consent never changes the answer), "veto" (proved: no coalition without it
    succeeds) or "vote, no veto" (its consent can matter, and an example coalition succeeds without it)."""
    s = _sym(c)
    base = _valid(s, c, [rule])
    f = z3_rule(rule, s, c.readings, c.book)
    same = [q.consent for q in s.parties]
    targets: list[tuple[str, z3.BoolRef, SymHoldings, list[z3.BoolRef]]] = [
        ("company", s.company, s.with_consent(same, z3.Not(s.company)), [])]
    inv = next((i for i, v in enumerate(c.investors) if v), None)
    other = next((i for i, v in enumerate(c.investors) if not v), None)

    def flip(i: int) -> SymHoldings:
        return s.with_consent([z3.Not(q) if j == i else q for j, q in enumerate(same)], s.company)

    if inv is not None:
        targets += [(label, same[inv], flip(inv), _profile(s.parties[inv], pr)) for pr, label in PROFILES.items()]
    if other is not None:
        targets.append(("a holder who is not an Investor", same[other], flip(other), []))
    out: dict[str, Any] = {}
    for label, consent, flipped, prof in targets:
        st, _, why = _find([*base, *prof, f != z3_rule(rule, flipped, c.readings, c.book)], [])
        if st == "none":
            vac = make_solver(ctx=c.z3ctx)
            vac.add(*base, *prof)
            out[label] = {"power": "no say" if vac.check() == z3.sat else "impossible holdings", "status": "proved"}
            continue
        if st == "unknown":
            out[label] = {"power": "unknown", "status": "unknown", "reason": why}
            continue
        vac_r, res = prove(consent, [*base, *prof, f])
        out[label] = _power_entry(vac_r.status, res, "veto", s, c, rule, f, [*base, *prof, z3.Not(consent)])
    return out


def _power_entry(vac: Status, res: Any, name: str, s: SymHoldings, c: Ctx, rule: ConsentRule, f: z3.BoolRef,
                 base: list[z3.BoolRef]) -> dict[str, Any]:
    if vac != Status.PROVED:
        return {"power": "never allowed" if vac == Status.REFUTED else "unknown", "status": str(vac)}
    if res.status == Status.PROVED:
        return {"power": name, "status": "proved"}
    if res.status == Status.UNKNOWN:
        return {"power": "unknown", "status": "unknown", "reason": res.reason}
    st, m, why = _find([*base, f], _canon(s))  # the counterexample again, made canonical
    if m is None:
        return {"power": "unknown", "status": "unknown", "reason": why or "counterexample lost"}
    return {"power": "vote, no veto", "status": "refuted", "example": _example(s, m, c, [rule], [True])}


def dead_ends(rule: ConsentRule, c: Ctx) -> dict[str, Any]:
    """Holdings under which nobody, not even everyone together, can take the decision (the rules are monotone)."""
    s = _sym(c)
    grand = s.with_consent([z3.BoolVal(True, c.z3ctx)] * len(s.parties), z3.BoolVal(True, c.z3ctx))
    base = [*_valid(s, c, [rule]), *[v for v in s.conditions.values()]]
    f = z3_rule(rule, grand, c.readings, c.book)
    out: dict[str, Any] = {}
    # 1. something to count on every basis the rule uses, yet no coalition can decide
    st, m, why = _find([*base, *_something_to_count(s, [rule], c), z3.Not(f)], _canon(s))
    out["blocked"] = {"status": st, "reason": why}
    if m is not None:
        out["blocked"]["example"] = _example(s, m, c, [rule], [False], coalitions=[grand])
    # 2. before any Debenture is converted (nothing issued yet), can the decision be taken at all?
    before = [z3.And(p.held == 0, p.conv_unreg == 0) for p in s.parties] + [z3.Or([p.debt > 0 for p in s.parties])]
    vac, res = prove(z3.Not(f), [*base, *before])
    out["before_conversion"] = {"status": str(res.status), "impossible": res.status == Status.PROVED,
                                "reason": res.reason}
    return out


def monotone(rule: ConsentRule, c: Ctx) -> str:
    """Proved / refuted / unknown: more consents never turn a yes into a no."""
    s = _sym(c)
    bigger = [z3.Bool(f"m.{n}", c.z3ctx) for n in c.names]
    s2 = s.with_consent(bigger, z3.Bool("m.company", c.z3ctx))
    sub = [z3.Implies(p.consent, b) for p, b in zip(s.parties, bigger, strict=True)] + [z3.Implies(s.company, s2.company)]
    vac, res = prove(z3_rule(rule, s2, c.readings, c.book), [*_valid(s, c, [rule]), *sub, z3_rule(rule, s, c.readings, c.book)])
    if vac.status == Status.REFUTED:
        return "not applicable"  # no valid holdings with these parties let the rule be met at all
    return str(res.status)


def reading_effects(rule: ConsentRule, c: Ctx) -> dict[str, Any]:
    """For each non-default reading, an example where it changes the rule's answer (or proof that it never does)."""
    out: dict[str, Any] = {}
    for axis, names in c.book.axes.items():
        for name in names:
            if name == c.readings[axis]:
                continue
            alt = dict(c.readings)
            alt[axis] = name
            if limbs(rule, alt, c.book) == limbs(rule, c.readings, c.book) and axis != "measure":
                continue
            s = _sym(c)
            base = _valid(s, c, [rule])
            f0, f1 = z3_rule(rule, s, c.readings, c.book), z3_rule(rule, s, alt, c.book)
            st, m, why = _find([*base, f0 != f1], _canon(s))
            if st == "none":
                continue
            entry: dict[str, Any] = {"status": st, "reason": why}
            if m is not None:
                entry["example"] = _example(s, m, c, [rule, rule], [None, None], readings=[c.readings, alt])
            out[name] = entry
    return out


# ------------------------------------------------------------------------------------------------ analyze

def _ctx(bk: Book, roster: Sequence[tuple[str, bool]] | None, reading: Any) -> Ctx:
    r = tuple(roster or DEFAULT_ROSTER)
    return Ctx(tuple(n for n, _ in r), tuple(v for _, v in r), bk.params, readings_for(reading, bk), z3.Context(), bk)


def _holdings_table(h: Holdings, c: Ctx) -> list[dict[str, Any]]:
    """For concrete holdings: per rule, who has a veto and the minimal coalitions that can decide."""
    from itertools import chain

    from rra.solver.consent import decide

    members = [COMPANY, *h.ids()]
    all_sets = list(chain.from_iterable(combinations(members, k) for k in range(len(members) + 1)))
    out: list[dict[str, Any]] = []
    for rule in c.book.rules.values():
        party = next((p.id for p in h.parties if p.is_investor), None)
        try:
            wins = [frozenset(cs) for cs in all_sets
                    if decide(c.book, rule.id, h, list(cs), c.readings, party).allowed]
        except Exception as exc:  # noqa: BLE001 - a rule the file does not support (no owner, no assignment)
            out.append({"rule": rule.id, "clause": rule.clause, "skipped": str(exc)})
            continue
        minimal = [sorted(w) for w in wins if not any(o < w for o in wins)]
        vetoes = sorted(set(members).intersection(*wins)) if wins else []
        out.append({"rule": rule.id, "clause": rule.clause, "decision": rule.decision, "party": party,
                    "vetoes": vetoes, "minimal_coalitions": sorted(minimal, key=lambda x: (len(x), x)),
                    "possible": bool(wins)})
    return out


def analyze(agreement: Agreement, holdings: Holdings | None = None, reading: Any = None,
            progress: Callable[[Sequence[Any], str], Iterable[Any]] | None = None) -> dict[str, Any]:
    """Everything `rra consent --analyze` reports (its --json shape)."""
    roster = [(p.id, p.is_investor) for p in holdings.parties] if holdings is not None else None
    c = _ctx(book(agreement), roster, reading)
    RULES = c.book.rules  # noqa: N806 - the book's rules, by id
    step = progress or (lambda items, label: items)
    groups = topics(c.book)
    pairs = sorted({(a, b) for ids in groups.values() for a, b in combinations(ids, 2)})
    comparisons = [compare(RULES[a], RULES[b], c) for a, b in step(pairs, "consent: compare")]
    sel_pairs = sorted({(a, b) for t in SELECTION_TOPICS for a, b in combinations(groups.get(t, []), 2)})
    competing = [compete(RULES[a], RULES[b], c) for a, b in step(sel_pairs, "consent: compete")]
    rules_out = []
    for rule in step(list(RULES.values()), "consent: rules"):
        rules_out.append({
            "id": rule.id, "clause": rule.clause, "decision": rule.decision, "quote": rule.quote,
            "voters": rule.voters, "basis": rule.basis, "threshold": rule.threshold, "requires": list(rule.requires),
            "limbs": [lb.__dict__ for lb in limbs(rule, c.readings, c.book)],
            "monotone": monotone(rule, c), "power": power(rule, c), "dead_ends": dead_ends(rule, c),
            "readings": reading_effects(rule, c),
        })
    out: dict[str, Any] = {
        "roster": [{"id": n, "is_investor": v} for n, v in zip(c.names, c.investors, strict=True)],
        "readings": c.readings,
        "reading_choices": {axis: list(names) for axis, names in c.book.axes.items()},
        "withheld": list(c.book.withheld),
        "topics": groups,
        "comparisons": comparisons,
        "competing": competing,
        "rules": rules_out,
    }
    if holdings is not None:
        out["holdings"] = _holdings_table(holdings, c)
    out["findings"] = [f.to_json() for f in findings_from(out, c.book)]
    return out


# ------------------------------------------------------------------------------------------------ findings

def _cl(bk: Book, rid: str) -> str:
    return bk.rules[rid].clause


def _short(rid: str) -> str:
    return rid.removeprefix("consent.").replace(").", ") ")


def _label(bk: Book, rid: str) -> str:
    return f"{_short(rid)} ({bk.rules[rid].decision})"


def findings_from(data: dict[str, Any], bk: Book) -> list[Finding]:
    """Findings derived from an analysis result."""
    out: list[Finding] = []
    rd = _rd(data["readings"])
    for cmp in data["comparisons"]:
        a, b = cmp["rules"]
        ab, ba = cmp["a_not_b"], cmp["b_not_a"]
        secs = tuple(dict.fromkeys((_cl(bk, a), _cl(bk, b))))
        if "unknown" in (ab["status"], ba["status"]):
            out.append(Finding(f"consent.unknown.{_short(a)}~{_short(b)}", "consent", "warning", secs,
                               f"{_short(a)} vs {_short(b)}: Z3 could not compare the rules",
                               f"Z3 gave up: {ab['reason'] or ba['reason']}. Unknown is not a pass.", cmp))
        elif ab["status"] == "found" and ba["status"] == "found":
            out.append(Finding(
                f"consent.disagree.{_short(a)}~{_short(b)}", "consent", "warning", secs,
                f"{_short(a)} and {_short(b)} can give opposite answers on the same holdings and coalition",
                f"{_label(bk, a)} and {_label(bk, b)} govern related decisions but count votes differently. "
                f"One way: {_ex_text(ab['example'])} The other way: {_ex_text(ba['example'])}",
                {"rules": [a, b], "examples": [ab["example"], ba["example"]]}))
        elif ab["status"] == "none" and ba["status"] == "none":
            out.append(Finding(f"consent.equivalent.{_short(a)}={_short(b)}", "consent", "info", secs,
                               f"{_short(a)} and {_short(b)} always give the same answer",
                               f"Proved by Z3 for all valid holdings and coalitions: {_label(bk, a)} and {_label(bk, b)} "
                               "allow exactly the same coalitions.", {"rules": [a, b]}))
        else:
            strong, weak, ex = (a, b, ba.get("example")) if ab["status"] == "none" else (b, a, ab.get("example"))
            out.append(Finding(
                f"consent.implies.{_short(strong)}=>{_short(weak)}", "consent", "info", secs,
                f"{_short(strong)} implies {_short(weak)}: whoever can do the first can do the second",
                f"Proved by Z3 for all valid holdings and coalitions: every coalition that meets {_label(bk, strong)} "
                f"meets {_label(bk, weak)}. Not the other way round: {_ex_text(ex) if ex else ''}",
                {"rules": [strong, weak], "example": ex}))
    for comp in data["competing"]:
        a, b = comp["rules"]
        if comp["status"] == "found":
            out.append(Finding(
                f"consent.compete.{_short(a)}|{_short(b)}", "consent", "warning", tuple(dict.fromkeys((_cl(bk, a), _cl(bk, b)))),
                f"Two groups with no member in common can each make a valid choice, one under {_short(a)}, "
                f"one under {_short(b)}",
                f"{_label(bk, a)} and {_label(bk, b)} can be exercised by different Investors at once and nothing says which "
                f"choice prevails. {_ex_text(comp['example'])}", {"rules": [a, b], "example": comp["example"]}))
    rules = data["rules"]
    for r in rules:
        if r["monotone"] in ("refuted", "unknown"):
            out.append(Finding(f"consent.not-monotone.{_short(r['id'])}", "consent",
                               "error" if r["monotone"] == "refuted" else "warning", (r["clause"],),
                               f"{_short(r['id'])}: more consents can turn a yes into a no (or Z3 could not tell)",
                               f"Monotonicity check: {r['monotone']}.", {"rule": r["id"]}))
        for who, entry in r["power"].items():
            if entry["power"] == "unknown":
                out.append(Finding(f"consent.unknown.power.{_short(r['id'])}", "consent", "warning", (r["clause"],),
                                   f"{_short(r['id'])}: Z3 could not tell whether {who} can block",
                                   f"Z3 gave up: {entry.get('reason')}. Unknown is not a pass.", {"rule": r["id"]}))
    company = [r for r in rules if r["power"]["company"]["power"] == "veto"]
    if company:
        out.append(Finding(
            "consent.veto.company", "consent", "info", _secs(company),
            f"The Company can block: {_names(company)}",
            "Proved by Z3 for all valid holdings and coalitions: no coalition without the Company meets "
            + "; ".join(_label(bk, r["id"]) for r in company) + f" (readings {rd}). Every other consent rule binds the "
            "Company once the Investors (or holders) decide.", {"rules": [r["id"] for r in company]}))
    single = [r for r in rules if r["power"].get(ONE_SHARE, {}).get("power") == "veto"]
    if single:
        out.append(Finding(
            "consent.veto.single-share", "consent", "warning", _secs(single),
            f"An Investor holding a single Registrable Security can block: {_names(single)}",
            "Proved by Z3 for all valid holdings and coalitions: every coalition that meets "
            + "; ".join(_label(bk, r["id"]) for r in single)
            + " includes every Investor that owns even one Registrable Security of record, so each such holder, however "
            f"small, has a veto (readings {rd}).", {"rules": [r["id"] for r in single]}))
    for profile in (DEBENTURES_ONLY, WARRANTS_ONLY):
        mute = [r for r in rules if r["power"].get(profile, {}).get("power") == "no say"
                and r["power"].get(ONE_SHARE, {}).get("power") not in ("no say", None)]
        if mute:
            out.append(Finding(
                f"consent.no-say.{profile.split()[-2].lower()}", "consent", "warning", _secs(mute),
                f"{profile[0].upper() + profile[1:]} has no say in: {_names(mute)}",
                f"Proved by Z3 for all valid holdings and coalitions (readings {rd}): whether such an Investor consents never "
                "changes the answer under " + "; ".join(_label(bk, r["id"]) for r in mute)
                + ", although an Investor holding one share of record does count.", {"rules": [r["id"] for r in mute]}))
    before = [r for r in rules if r["dead_ends"]["before_conversion"]["impossible"]
              and any(lb["kind"] == "majority" for lb in r["limbs"])]
    if before:
        out.append(Finding(
            "consent.impossible-before-conversion", "consent", "warning", _secs(before),
            f"Before any Debenture is converted nobody can act under: {_names(before)}",
            "Proved by Z3: with Debentures outstanding but no Registrable Securities issued yet, not even the Company and "
            "every holder together meet " + "; ".join(_label(bk, r["id"]) for r in before)
            + f" (readings {rd}): a majority of nothing is not a majority.", {"rules": [r["id"] for r in before]}))
    dead = [r for r in rules if r["dead_ends"]["blocked"]["status"] == "found"
            and any(not rec["is_investor"] for rec in r["dead_ends"]["blocked"]["example"]["holdings"].values())
            and _majority_over_all(r)]
    if dead:
        ex = dead[0]["dead_ends"]["blocked"]["example"]
        out.append(Finding(
            "consent.dead-end.other-holders", "consent", "warning", _secs(dead),
            f"Holders who are not Investors can make these decisions impossible: {_names(dead)}",
            "The Investors must hold a majority of securities that holders who are not Investors also hold; when those "
            "holders have half or more, no coalition can meet the rule, even with everyone consenting "
            f"(readings {rd}). Example for {_short(dead[0]['id'])}: {_ex_text(ex)}",
            {"rules": [r["id"] for r in dead], "examples": {r["id"]: r["dead_ends"]["blocked"]["example"] for r in dead}}))
    out += _reading_findings(data, bk)
    out += _assignment_findings(data, bk)
    return out


ONE_SHARE = PROFILES["one share of record"]
DEBENTURES_ONLY = PROFILES["Debentures only"]
WARRANTS_ONLY = PROFILES["Warrants only"]


def _secs(rules: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r["clause"] for r in rules))


def _names(rules: list[dict[str, Any]]) -> str:
    return ", ".join(_short(r["id"]) for r in rules)


def _rd(readings: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(readings.items()))


def _majority_over_all(rule: dict[str, Any]) -> bool:
    return any(lb["kind"] == "majority" and lb["denominator"] == "all" and lb["voters"] == "investors"
               for lb in rule["limbs"])


def _reading_findings(data: dict[str, Any], bk: Book) -> list[Finding]:
    by_reading: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for r in data["rules"]:
        for name, entry in r["readings"].items():
            by_reading.setdefault(name, []).append((r["id"], entry))
    out = []
    for name, items in sorted(by_reading.items()):
        rd = bk.by_name[name]
        found = [(rid, e) for rid, e in items if e["status"] == "found"]
        if not found:
            continue
        clauses = tuple(sorted({_cl(bk, rid) for rid, _ in found}))
        first = found[0][1]["example"]
        out.append(Finding(
            f"consent.reading.{name}", "consent", "info", clauses,
            f"Reading {name!r} ({rd.clause}) changes the answer under {', '.join(_short(rid) for rid, _ in found)}",
            f"{rd.description} Example for {_cl(bk, found[0][0])}: {_ex_text(first)}",
            {"reading": name, "rules": [rid for rid, _ in found], "examples": {rid: e["example"] for rid, e in found}}))
    return out


def _assignment_findings(data: dict[str, Any], bk: Book) -> list[Finding]:
    """9 lets an Investor assign without anyone else's consent; where a single share carries a veto, an
    assignment can add a new veto-holder."""
    rules = {r["id"]: r for r in data["rules"]}
    assign = [r for r in rules.values() if any(lb["kind"] == "conditions" for lb in r["limbs"])]
    vetoed = [r for r in rules.values() if r["power"].get(ONE_SHARE, {}).get("power") == "veto"]
    out = []
    for a in assign:
        if a["power"]["company"]["power"] == "veto":
            continue
        for r in vetoed:
            out.append(Finding(
                f"consent.assignment-adds-veto.{_short(a['id'])}->{_short(r['id'])}", "consent", "warning",
                (a["clause"], r["clause"]),
                f"An assignment under {a['clause']} needs no one else's consent, and its transferee gets a veto under "
                f"{r['clause']}",
                f"Z3 proved that the Company has no veto over {_label(bk, a['id'])} and that an Investor holding a single "
                f"Registrable Security has a veto over {_label(bk, r['id'])}: any Investor can, alone with a transferee, "
                f"create a new party whose consent is needed to {r['decision']}.",
                {"assignment": a["id"], "rule": r["id"]}))
    return out


def findings(ctx: CheckContext) -> Outcome:
    """The consent analysis as `rra check` findings; rules whose words a draft changed are withheld."""
    bk = book(ctx.agreement)
    withheld = [Withholding("consent", f"consent rule of {bk_rule.clause}", bk_rule.id, bk_rule.clause,
                            "its words changed in the draft")
                for bk_rule in ctx.agreement.model.consent_rules if bk_rule.id in bk.withheld]
    return Outcome(findings_from(analyze(ctx.agreement), bk), withheld)
