"""Z3 checks of the agreement (`rra check`, analysis "z3"). Every finding is computed from the compiled model:

- consistency: can the Company's obligations with deadlines all arise and be met together (cooperative world)?
- impossibility: for each obligation, can it be impossible to meet when the Company acts at once (with an SEC
  that acts at once, and with an SEC that takes its time)? The earliest dated scenario is given, and confirmed
  by a second solve in which the Company (and, in the first case, the SEC) may act on any day at all.
- conflict-set: unsat cores of those scenarios, minimized to clause ids, and the fewest clauses to redraft.
- conflict: deadlines of different clauses that bound the same event, where they disagree and for which dates.
- remedy: for each breach tied to 2(c) payments, whether 2(c)'s measure produces an amount for it.
- reading: where the named readings of 2(c)(i) diverge and by how much (days and dollars).
- example: whether the worked example of 2(c) agrees with the Applicable Percentage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from fractions import Fraction
from itertools import combinations
from typing import Any

import z3
from rra.solver.encoding import Encoding, families
from rra.solver.encoding import name as var_name
from rra.solver.findings import Finding, Outcome, Withholding
from rra.solver.months import months_between
from rra.solver.z3util import memo_optimize, session
from rra.spec.agreement import Agreement

from rra.errors import Withheld

KINDS = ("consistency", "impossibility", "conflict-set", "conflict", "remedy", "reading", "example")


def _withheld_obligations(agreement: Agreement) -> list[Withholding]:
    """The obligations with a deadline the Z3 checks leave out because the text changed their words."""
    m = agreement.model
    out = []
    for o in m.obligations:
        if o.deadline is None or o.bearer != "company":
            continue
        for eid in (o.id, o.deadline):
            if not m.usable(eid):
                out.append(Withholding("z3", f"deadline checks of {o.clause} ({o.action})", eid,
                                       m.get(eid).clause, m.changed[eid].reason))
                break
    return out


def run_checks(agreement: Agreement, kinds: Iterable[str] | None = None, **kw: Any) -> Outcome:
    """The findings for an agreement (all kinds, or those named); `kw` goes to Encoding (dropped, horizon)."""
    want = set(kinds or KINDS)
    out: list[Finding] = []
    withheld = _withheld_obligations(agreement)
    # one encoding for everything but blocked sales under an Allowed Delay (the remedy check adds that slot)
    slots = {f: 1 for f in families(agreement) if f != "allowed_delays"}
    try:
        base = Encoding(agreement, slots=slots, **{k: v for k, v in kw.items() if k != "slots"})
    except Withheld as w:  # the encoding itself reads a value the draft's words do not give (a deleted deadline)
        return Outcome([], [*withheld, Withholding("z3", "every Z3 check", w.element, w.clause, w.reason)])
    witnesses: list[tuple[str, str, z3.ModelRef]] = []

    def guarded(kind: str, run: Any) -> list[Finding]:
        try:
            got: list[Finding] = run()
            return got
        except Withheld as w:
            withheld.append(Withholding("z3", f"{kind} checks", w.element, w.clause, w.reason))
            return []

    if want & {"impossibility", "conflict-set"}:
        imp, witnesses = impossibility(base)
        out += imp if "impossibility" in want else []
    if "consistency" in want:
        out += consistency(base)
        if "impossibility" in want:
            out += adversarial_summary(base, [f for f in out if f.kind == "impossibility"])
    if "conflict-set" in want:
        out += conflict_sets(base, witnesses)
    if "conflict" in want:
        out += guarded("conflict", lambda: conflicts(base))
    if "remedy" in want:
        out += guarded("remedy", lambda: remedies(replace(base, slots={**slots, "allowed_delays": 1}), light=base))
    if "reading" in want:
        out += guarded("reading", lambda: readings(base))
    if "example" in want:
        out += guarded("worked example", lambda: example(agreement))
    return Outcome(out, withheld)


# ------------------------------------------------------------------------------------------- helpers


def _pin(enc: Encoding, m: z3.ModelRef, names: Iterable[str]) -> dict[str, z3.BoolRef]:
    """Constraints fixing the named events to their model values, keyed "scenario:<event>"."""
    return {f"scenario:{n}": enc.event(n) == enc.value(m, enc.event(n)) for n in names}


def _fewest_earliest(enc: Encoding, within: Sequence[z3.BoolRef]) -> z3.ArithRef:
    """The events that happen and the periods used, among those connected to the constraints (`_reach`), each
    counting one more than its date (a period: its start and end): as few and as early as they can be, in one
    objective (with the count weighted above any sum of dates, strictly fewest first, the readings check took 0.26 s
    of CPU instead of 0.22). Minimised last, it takes from Z3 the choice among equally good witnesses, which
    otherwise depends on the state of the process, not only on the question."""
    names = _reach(enc, within)
    terms: list[z3.ArithRef] = [z3.If(v < enc.NEVER, v + 1, 0) for v in enc.days.values() if var_name(v) in names]
    terms += [z3.If(s.used, s.start + s.end + 1, 0) for fam in enc.periods.values() for s in fam
              if var_name(s.used) in names]
    return z3.Sum(terms) if terms else z3.IntVal(0)


# An objective: minimise or maximise a term, or a term made from the encoding and the constraints (a witness's shape)
Objective = tuple[str, "z3.ArithRef | Callable[[Encoding, Sequence[z3.BoolRef]], z3.ArithRef]"]
FEWEST_EARLIEST: Objective = ("min", _fewest_earliest)


def _names(e: z3.ExprRef) -> set[str]:
    from rra.solver.encoding import _vars

    return _vars(e)


def _reach(enc: Encoding, exprs: Sequence[z3.BoolRef]) -> set[str]:
    """Variables connected to the expressions through the encoding's definitions and process facts."""
    out: set[str] = set()
    for f in [*enc.base(*exprs), *exprs]:
        out |= enc.vars_of(f)
    return out


def _optimize(enc: Encoding, constraints: Sequence[z3.BoolRef], objectives: Sequence[Objective]
              ) -> tuple[z3.CheckSatResult, z3.ModelRef | None, str]:
    o = memo_optimize()
    terms = [t for _, t in objectives if isinstance(t, z3.ExprRef)]
    o.add(*enc.base(*constraints, *terms))
    o.add(*constraints)
    for how, made in objectives:
        term = made if isinstance(made, z3.ExprRef) else made(enc, constraints)
        if how == "min":
            o.minimize(term)
        else:
            o.maximize(term)
    r = o.check()
    return r, (o.model() if r == z3.sat else None), (o.reason_unknown() if r == z3.unknown else "")


def _money(x: Fraction) -> float:
    return float(round(x, 2))


# -------------------------------------------------------------------------------------- consistency


def _components(enc: Encoding, named: dict[str, z3.BoolRef]) -> list[list[str]]:
    """Group named constraints into connected components (shared variables through the encoding)."""
    reach = {n: _reach(enc, [c]) for n, c in named.items()}
    groups: list[tuple[set[str], list[str]]] = []
    for n in named:
        vs, members = set(reach[n]), [n]
        for g in [g for g in groups if g[0] & vs]:
            groups.remove(g)
            vs |= g[0]
            members += g[1]
        groups.append((vs, members))
    return [sorted(g[1]) for g in groups]


def consistency(enc: Encoding) -> list[Finding]:
    """Joint satisfiability: every compiled obligation arises and all are met, with cooperative external events.

    The constraints fall apart into independent groups (no shared variables); the conjunction is satisfiable
    exactly when every group is, so each group is solved on its own, with its clauses tracked by clause id."""
    named: dict[str, z3.BoolRef] = {}
    for oid in enc.obligations():
        clause = enc.obligation(oid).clause
        named[clause] = z3.And(named[clause], enc.met(oid)) if clause in named else enc.met(oid)
        named[f"arises:{oid}"] = enc.arisen(oid)
    sections = tuple(sorted({enc.obligation(o).clause for o in enc.obligations()}, key=_clause_key))
    timeline: list[dict[str, Any]] = []
    for group in _components(enc, named):
        with session():
            s = enc.solver(cores=True, minimal_core=False)  # _minimize_core minimises it
            s.add(*enc.base(*[named[n] for n in group]))
            for n in group:
                s.assert_and_track(named[n], n)
            r = s.check()
            if r == z3.sat:
                timeline += enc.timeline(s.model())
                continue
            if r == z3.unsat:
                core = _minimize_core(enc, {n: named[n] for n in group}, [var_name(c) for c in s.unsat_core()])
                return [Finding(
                    id="z3.consistency.cooperative", kind="consistency", severity="error",
                    sections=tuple(sorted({c for c in core if not c.startswith("arises:")}, key=_clause_key)),
                    title="The Company's obligations cannot all be met together, even in a cooperative world",
                    explanation="No timeline lets every obligation with a deadline arise and be met; the minimal set of "
                                "conflicting clauses is given.", evidence={"core": core})]
            return [Finding(id="z3.consistency.cooperative", kind="consistency", severity="warning", sections=sections,
                            title="Joint satisfiability of the Company's obligations is unknown",
                            explanation=f"Z3 returned unknown: {s.reason_unknown()}", evidence={})]
    return [Finding(
        id="z3.consistency.cooperative", kind="consistency", severity="info", sections=sections,
        title=f"The Company's {len(enc.obligations())} obligations with deadlines can all arise and be met together",
        explanation="With external events chosen cooperatively (the SEC, the market and the Investors acting "
                    "favourably), one timeline triggers every obligation with a deadline and meets each on time.",
        evidence={"obligations": enc.obligations(), "timeline": sorted(timeline, key=lambda r: (r["date"], r["id"]))})]


def adversarial_summary(enc: Encoding, impossible: list[Finding]) -> list[Finding]:
    """Joint satisfiability against an adversarial world, from the per-obligation impossibility results."""
    checked = [o for o in enc.obligations() if not _company_triggered(enc, o)]
    skipped = sorted(set(enc.obligations()) - set(checked))
    hit = sorted({f.evidence["obligation"] for f in impossible})
    structural = sorted({f.evidence["obligation"] for f in impossible if f.evidence["mode"] == "cooperative"})
    sections = tuple(sorted({enc.obligation(o).clause for o in hit}, key=_clause_key)) or ("2(a)",)
    if not hit:
        title = f"No adversarial world defeats the Company's {len(checked)} obligations with deadlines"
    else:
        title = (f"An adversarial world can defeat {len(hit)} of the Company's {len(checked)} obligations with deadlines"
                 f" even when the Company acts at once ({len(structural)} even with a prompt SEC)")
    return [Finding(
        id="z3.consistency.adversarial", kind="consistency", severity="warning" if hit else "info", sections=sections,
        title=title,
        explanation="External events (the Prior Financing Effective Date, S-3 eligibility, SEC review, stop orders, market events, Investor "
                    "conduct) chosen against the Company, the Company acting on the first day it can; see the "
                    "impossibility findings for the earliest dated scenario of each. Obligations whose trigger the "
                    "Company itself controls are not attacked this way.",
        evidence={"defeated": hit, "defeated_with_prompt_sec": structural, "checked": checked,
                  "company_triggered": skipped})]


def _minimize_core(enc: Encoding, named: dict[str, z3.BoolRef], core: list[str],
                   extra: Sequence[z3.BoolRef] = ()) -> list[str]:
    """Deletion-based minimization of an unsat core over named constraints (checked with assumptions)."""
    s = enc.solver(*extra)
    s.add(*enc.base(*[named[c] for c in core]))
    lits = {c: z3.Bool(f"core!{c}") for c in core}
    for c in core:
        s.add(z3.Implies(lits[c], named[c]))
    keep = list(core)
    for c in list(core):
        trial = [lits[k] for k in keep if k != c]
        if s.check(*trial) == z3.unsat:
            keep = [k for k in keep if k != c]
    return sorted(keep, key=_clause_key)


def _clause_key(c: str) -> tuple[int, str]:
    import re

    m = re.match(r"(\d+)", c)
    return (int(m.group(1)) if m else 99, c)


# ----------------------------------------------------------------------------------- impossibility


def _company_triggered(enc: Encoding, oid: str) -> bool:
    """The Company itself decides when this obligation arises (its trigger is no other obligation's event)."""
    ob = enc.obligation(oid)
    perf = {enc.performance_event(o) for o in enc.obligations()}
    return bool(ob.trigger) and enc.controller(ob.trigger or "") == "company" and ob.trigger not in perf


def impossibility(enc: Encoding) -> tuple[list[Finding], list[tuple[str, str, z3.ModelRef]]]:
    """For each obligation: impossible when the Company acts at once? Cooperative SEC first, then adversarial."""
    out: list[Finding] = []
    witnesses: list[tuple[str, str, z3.ModelRef]] = []
    for oid in enc.obligations():
        with session():
            if _company_triggered(enc, oid):
                continue
            ob = enc.obligation(oid)
            assert ob.deadline is not None
            dl = enc.deadline(ob.deadline)
            for mode, prompt in (("cooperative", ("company", "sec")), ("adversarial", ("company",))):
                br = enc.breach(oid)
                r, m, _ = _optimize(enc, [*enc.prompt(prompt, near=[br]), br], [("min", dl.day)])
                if m is None:
                    continue
                free = {"company"} | ({"sec"} if mode == "cooperative" else set())
                fixed = [n for n in enc.days if enc.controller(n) not in free]
                v = enc.solver(*_pin(enc, m, fixed).values(), *enc.pinned_slots(m), enc.met(oid))
                if v.check() != z3.unsat:
                    continue  # the Company (or the SEC) could have met it some other way: not confirmed
                witnesses.append((oid, mode, m))
                perf = enc.performance_event(oid)
                due = enc.value(m, dl.day)
                tl = enc.timeline(m, [ob.deadline])
                ctl = enc.controller(perf)
                if mode == "cooperative":
                    sev, how = "error", "even if the Company acts at once and the SEC acts at once"
                else:
                    sev, how = "warning", (f"if the {ctl.upper() if ctl == 'sec' else ctl} does not act in time: the deadline binds "
                                           f"the Company for an event it does not control")
                out.append(Finding(
                    id=f"z3.impossible.{oid}", kind="impossibility", severity=sev, sections=(ob.clause,),
                    title=f"{ob.clause}: '{ob.action}' can be impossible to meet {how}",
                    explanation=(f"Earliest scenario: {enc.deadline_element(ob.deadline).name} falls on {enc.iso(due)} and '{enc.event_name(perf)}' cannot happen "
                                 f"by then although the Company acts on the first day it can. Confirmed by a second check in "
                                 f"which the Company{' and the SEC' if mode == 'cooperative' else ''} may act on any day."),
                    evidence={"obligation": oid, "quote": ob.quote, "deadline": ob.deadline, "due": enc.iso(due), "mode": mode,
                              "event": perf, "timeline": tl}))
                break  # the cooperative case subsumes the adversarial one
    return out, witnesses


# ------------------------------------------------------------------------------------ conflict sets


def conflict_sets(enc: Encoding, witnesses: list[tuple[str, str, z3.ModelRef]]) -> list[Finding]:
    """Unsat cores of each impossibility scenario (clauses and scenario facts), minimized; the fewest clauses
    to redraft so that no scenario of either kind defeats the rest."""
    out: list[Finding] = []
    cores: dict[tuple[str, ...], tuple[str, str, list[str]]] = {}
    for oid, mode, m in witnesses:
        with session():
            free = {"company"} | ({"sec"} if mode == "cooperative" else set())
            decls = {d.name() for d in m.decls()}
            fixed = [n for n, v in enc.days.items() if enc.controller(n) not in free and var_name(v) in decls]
            pins = _pin(enc, m, fixed)
            slots = enc.pinned_slots(m)
            reach = _reach(enc, [*pins.values(), enc.met(oid)])
            named: dict[str, z3.BoolRef] = {}
            for o in enc.obligations():
                if enc.vars_of(enc.met(o)) & reach:
                    c = enc.obligation(o).clause
                    named[c] = z3.And(named[c], enc.met(o)) if c in named else enc.met(o)
            named.update(pins)
            s = enc.solver(*slots, cores=True, minimal_core=False)  # _minimize_core minimises it
            s.add(*enc.base(*named.values()))
            for name, c in named.items():
                s.assert_and_track(c, name)
            if s.check() != z3.unsat:
                continue
            core = _minimize_core(enc, named, [var_name(c) for c in s.unsat_core()], slots)
            clauses = tuple(c for c in core if not c.startswith("scenario:"))
            if clauses and clauses not in cores:
                cores[clauses] = (oid, mode, core)
    for clauses, (oid, mode, core) in sorted(cores.items()):
        facts = [c.removeprefix("scenario:") for c in core if c.startswith("scenario:")]
        dates = ", ".join(enc.event_name(f) for f in facts) or "no event"
        out.append(Finding(
            id=f"z3.core.{'+'.join(clauses)}.{mode}", kind="conflict-set", severity="info", sections=clauses,
            title=f"Smallest set of clauses in conflict: {', '.join(clauses)} with the dates of {dates} ({mode} SEC)",
            explanation="The deadlines of these clauses cannot all be met on these dates, and without any one of them "
                        "(a clause or a date) the others can.",
            evidence={"clauses": list(clauses), "scenario_events": facts, "found_for": oid, "mode": mode}))
    if cores:
        sets = [set(c) for c in cores]
        universe = sorted(set().union(*sets), key=_clause_key)
        best: tuple[str, ...] = tuple(universe)
        for k in range(1, len(universe) + 1):
            hit = next((c for c in combinations(universe, k) if all(s & set(c) for s in sets)), None)
            if hit:
                best = hit
                break
        kept = [o for o in enc.obligations() if o not in best and enc.obligation(o).clause not in best
                and not _company_triggered(enc, o)]
        remaining = []
        for mode, prompt in (("cooperative", ("company", "sec")), ("adversarial", ("company",))):
            broken = z3.Or([enc.breach(o) for o in kept] or [z3.BoolVal(False)])
            s = enc.solver(*enc.prompt(prompt, near=[broken]), broken)
            remaining.append((mode, str(s.check())))
        out.append(Finding(
            id="z3.redraft", kind="conflict-set", severity="info", sections=tuple(best),
            title=f"Fewest clauses to redraft to remove every conflict found: {', '.join(best)}",
            explanation="The fewest clauses that include one clause of every smallest set in conflict. With these "
                        "clauses' deadlines taken out, no scenario (cooperative or adversarial SEC) defeats the remaining "
                        "obligations when the Company acts at once" + (
                            "." if all(r == "unsat" for _, r in remaining) else
                            "; NOT confirmed: " + ", ".join(f"with a {m} SEC " + (
                                "a scenario still defeats them" if r == "sat" else "this could not be decided")
                                for m, r in remaining if r != "unsat") + "."),
            evidence={"redraft": list(best), "cores": [list(c) for c in cores], "recheck": dict(remaining)}))
    return out


# ----------------------------------------------------------------------------------------- conflicts


def governed(enc: Encoding) -> dict[str, list[tuple[str, str, str]]]:
    """event -> [(deadline id, element id, clause)] of the deadlines that bound it (obligations and triggers)."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for oid in enc.obligations():
        ob = enc.obligation(oid)
        assert ob.deadline is not None
        out.setdefault(enc.performance_event(oid), []).append((ob.deadline, oid, ob.clause))
    for dl in enc.agreement.model.deadlines:
        if dl.bounds and dl.trigger and enc.agreement.model.usable(dl.id) and not any(
                enc.obligation(o).deadline == dl.id for o in enc.obligations()):
            out.setdefault(dl.bounds, []).append((dl.id, dl.trigger, dl.clause))
    return out


def _anchors(enc: Encoding, *dids: str) -> list[str]:
    return sorted({t.anchor for d in dids for t in enc.terms(d) if t.anchor})


def _intervals(enc: Encoding, anchor: str, cond: z3.BoolRef, limit: int = 6) -> list[tuple[int, int]]:
    """Maximal intervals of the anchor's day (anchor happened) on which `cond` holds (cond depends on the anchor)."""
    x = enc.event(anchor)
    out: list[tuple[int, int]] = []
    lo = 0
    while len(out) < limit:
        _, m, _ = _optimize(enc, [enc.happened(anchor), x >= lo, cond], [("min", x)])
        if m is None:
            break
        a = enc.value(m, x)
        _, m2, _ = _optimize(enc, [enc.happened(anchor), x > a, z3.Not(cond)], [("min", x)])
        if m2 is None:
            out.append((a, enc.asof))
            break
        b = enc.value(m2, x) - 1
        out.append((a, b))
        lo = b + 2
    return out


def conflicts(enc: Encoding) -> list[Finding]:
    """Pairs of deadlines on the same event from different clauses or elements that can disagree."""
    out: list[Finding] = []
    for event, users in sorted(governed(enc).items()):
        for (d1, e1, c1), (d2, e2, c2) in combinations(users, 2):
            with session():
                if d1 == d2:
                    continue
                a, b = enc.deadline(d1), enc.deadline(d2)
                differ = z3.Or(a.exists != b.exists, z3.And(a.exists, b.exists, a.day != b.day))
                s = enc.solver(differ)
                if s.check() != z3.sat:
                    continue
                anchors = _anchors(enc, d1, d2)
                ev: dict[str, Any] = {"event": event, "deadlines": {e1: d1, e2: d2}, "anchors": anchors}
                ranges = []
                if len(anchors) == 1:
                    anc = anchors[0]
                    for lo, hi in _intervals(enc, anc, differ):
                        _, mn, _ = _optimize(enc, [enc.happened(anc), enc.event(anc) >= lo, enc.event(anc) <= hi, a.exists, b.exists],
                                             [("min", b.day - a.day)])
                        _, mx, _ = _optimize(enc, [enc.happened(anc), enc.event(anc) >= lo, enc.event(anc) <= hi, a.exists, b.exists],
                                             [("max", b.day - a.day)])
                        rng: dict[str, Any] = {"from": enc.iso(lo), "to": enc.iso(hi) if hi < enc.asof else None}
                        if mn is not None and mx is not None:
                            rng["later_by_days"] = [enc.value(mn, b.day - a.day), enc.value(mx, b.day - a.day)]
                        ranges.append(rng)
                    s2 = enc.solver(z3.Not(enc.happened(anc)), differ)
                    if s2.check() == z3.sat:
                        m = s2.model()
                        ranges.append({"without": anc, e1: enc.iso(enc.value(m, a.day)) if z3.is_true(m.eval(a.exists)) else None,
                                       e2: enc.iso(enc.value(m, b.day)) if z3.is_true(m.eval(b.exists)) else None})
                ev["ranges"] = ranges
                s.check()
                ev["timeline"] = enc.timeline(s.model(), [d1, d2])
                where = "; ".join(_range_text(enc, r, anchors, c1, c2) for r in ranges) or "for some dates"
                out.append(Finding(
                    id=f"z3.conflict.{e1}.{e2}", kind="conflict", severity="warning",
                    sections=tuple(sorted({c1, c2}, key=_clause_key)),
                    title=f"{c1} and {c2} set different deadlines for '{enc.event_name(event)}'",
                    explanation=f"{enc.deadline_element(d1).name} ({c1}) and {enc.deadline_element(d2).name} ({c2}) bound the same event but disagree {where}.",
                    evidence=ev))
    return out


def _range_text(enc: Encoding, r: dict[str, Any], anchors: list[str], first: str, second: str) -> str:
    if "without" in r:
        keys = [k for k in r if k != "without"]  # the two elements' ids, in the order of `first`, `second`
        vals = ", ".join(f"{c}'s deadline: {r[k] or 'none'}" for c, k in zip((first, second), keys, strict=True))
        return f"when the {enc.event_name(r['without'])} never happens ({vals})"
    name = enc.event_name(anchors[0])
    span = f"from {r['from']}" + (f" to {r['to']}" if r.get("to") else " on (to the end of the modelled horizon)")
    diff = r.get("later_by_days")
    extra = ""
    if diff:
        lo, hi = diff
        if hi <= 0:
            extra = f" ({second}'s deadline is earlier by {-hi} to {-lo} days)"
        elif lo >= 0:
            extra = f" ({second}'s deadline is later by {lo} to {hi} days)"
        else:
            extra = f" ({second}'s deadline minus {first}'s ranges from {lo} to {hi} days)"
    return f"for a {name} {span}{extra}"


# ------------------------------------------------------------------------------------------ remedies


def _measured_by_2c(enc: Encoding, remedy_id: str) -> bool:
    """The remedy pays through the measure: it is the measure's own remedy, or its clause refers to the measure's
    clause."""
    model = enc.agreement.model
    r = model.get(remedy_id)
    if r.clause == enc.measure.clause and "payments" in remedy_id:
        return True
    return any(x.clause == r.clause and x.target == enc.measure.clause and x.external is None
               for x in model.cross_references)


def remedies(full: Encoding, light: Encoding | None = None) -> list[Finding]:
    """For each breach tied to a 2(c) payment: does 2(c)'s measure give an amount when that breach is alone?

    Triggers other than blocked sales are checked with no blocked period, where the Allowed Delay carve-out
    cannot matter, so they use an encoding without the Allowed Delay slot (the same answers, much faster)."""
    light = light or replace(full, slots={k: v for k, v in full.slots.items() if k != "allowed_delays"})
    out: list[Finding] = []
    for enc, blocked_only in ((full, True), (light, False)):
        out += _remedies(enc, blocked_only)
    return sorted(out, key=lambda f: (_clause_key(f.sections[0]) if f.sections else (99, ""), f.id))


def _named(enc: Encoding, element_id: str) -> str:
    """A model element by its name or action (its id when it has neither)."""
    el = enc.agreement.model.by_id.get(element_id)
    return (el.named() if el is not None else "") or element_id


def _realism(enc: Encoding) -> list[z3.BoolRef]:
    """What makes a timeline one a lawyer would accept beyond the process facts: each statement declared effective
    within the default assumption set's SEC review times after its filing, and the presupposed events first
    (rra.spec.process.PRESUPPOSITIONS)."""
    from rra.solver.provisions import review_days
    from rra.spec.process import PREREQUISITES, PRESUPPOSITIONS

    lo, hi = review_days()
    out: list[z3.BoolRef] = []
    for p in PREREQUISITES:
        filing = [r for r in p.requires if r.endswith("filed")]
        if p.event.endswith("effective") and filing and p.event in enc.days and filing[0] in enc.days:
            e, f = enc.event(p.event), enc.event(filing[0])
            out.append(z3.Implies(enc.happened(p.event), z3.And(e - f >= lo, e - f <= hi)))
    for q in PRESUPPOSITIONS:
        if q.event in enc.days and q.after in enc.days:
            out.append(z3.Implies(enc.happened(q.event), z3.And(enc.happened(q.after),
                                                                   enc.event(q.after) <= enc.event(q.event))))
    return out


def _remedies(enc: Encoding, blocked_only: bool) -> list[Finding]:
    out: list[Finding] = []

    pct = Fraction(str(enc.params[enc.measure.rate]))
    event_triggers = enc.event_triggers()
    triggers: dict[str, set[str]] = {}
    for r in enc.agreement.model.remedies:
        if r.triggers and _measured_by_2c(enc, r.id):
            for t in r.triggers:
                triggers.setdefault(t, set()).add(r.clause)
    compiled = set(enc.obligations())

    def fires(t: str) -> z3.BoolRef:
        return enc.breach(t) if t in compiled else enc.event_trigger(t)

    blocked_family = enc.blocked_component().family
    names = [t for t in triggers if (t in compiled or t in event_triggers)
             and (event_triggers.get(t) == blocked_family) == blocked_only]
    skipped = sorted(t for t in triggers if not (t in compiled or t in event_triggers)) if not blocked_only else []
    conds = {"2(c).late_filing": enc.late_filing(), "2(c).late_effectiveness": enc.late_effectiveness()}
    total = enc.days_i("text") + enc.days_ii() + enc.days_iii()
    fire = {t: fires(t) for t in names}
    # what the measure counts depends on these only (late filing or effectiveness, and the period families)
    every = dict(conds)
    excluded = [c.excluded for c in enc.measure.components if c.excluded]
    carve = [z3.Not(s.used) for fam in excluded for s in enc.periods.get(fam, [])]
    # the same for every trigger: the measured families, the dated example's realism constraints (below) and the
    # definitions of what they and the carve-outs mention
    measured = [c.family for c in enc.measure.components if c.counts == "after-effectiveness"]
    real = _realism(enc)
    carve_and_real = enc.base(*carve, *real)
    for t in sorted(names, key=lambda x: (_clause_key(enc.obligation(x).clause if enc.is_obligation(x) else "2(c)"), x)):
        with session():
            own = event_triggers.get(t)
            # other measured periods belong to other triggers ((ii) blocked sales, (iii) not listed)
            cs = [fire[t], *[z3.Not(sl.used) for fam in measured if fam != own for sl in enc.periods.get(fam, [])]]
            reach = _reach(enc, [*cs, total >= 0])
            # one solver for every question of this trigger (asked under assumptions): the breach, the other
            # measured periods unused, the definitions of what the carve-outs and the realism constraints mention
            inc = enc.solver(*cs, total >= 0)
            inc.add(*carve_and_real)
            alone: list[z3.BoolRef] = []
            for o, f in every.items():
                if o == t or not (enc.vars_of(f) & reach):
                    continue  # an independent trigger cannot change this one's amount
                if inc.check(z3.Not(f)) == z3.sat:  # not implied by t: keep it out
                    alone.append(z3.Not(f))
            inc.add(*alone)
            zero = [total == 0] if pct > 0 else []
            # the dated example: one a lawyer would accept (SEC review times, events in their realistic order) when there is
            # one; `realistic` says whether there is. Asked first: when it exists, a $0 amount exists without
            # the carve-outs, and so at all.
            if inc.check(*zero, *carve, *real) == z3.sat:
                zero_without_carve = realistic = True
            elif inc.check(*zero) != z3.sat:
                continue
            else:
                zero_without_carve = inc.check(*zero, *carve) == z3.sat
                want = [*zero] + ([*carve] if zero_without_carve else [])
                realistic = inc.check(*want, *real) == z3.sat
                if not realistic:
                    inc.check(*want)
            m = inc.model()
            can_pay = pct > 0 and inc.check(total > 0) == z3.sat
            clause = enc.obligation(t).clause if enc.is_obligation(t) else "2(c)"
            what = enc.obligation(t).action if enc.is_obligation(t) else (enc.event_name(t))
            via = sorted(triggers[t])
            if not can_pay:
                sev, title = "warning", f"{clause}: a breach ('{what}') on its own never yields a 2(c) amount"
                expl = ("The clause ties this breach to payments under Section 2(c), but 2(c)'s measure counts only months of "
                        "(i) late filing or effectiveness, (ii) blocked sales after effectiveness and (iii) delisting after "
                        "effectiveness; with no other trigger, every scenario of this breach counts zero months, so $0.")
            elif not zero_without_carve:
                sev, title = "info", f"{clause}: '{what}' yields $0 under 2(c) only through a carve-out"
                expl = "Scenarios of this breach with a $0 amount exist only when a carve-out (investor delays or an Allowed Delay) removes the days."
            else:
                sev, title = "warning", f"{clause}: '{what}' can trigger 2(c) and still yield $0"
                expl = ("Some scenarios of this trigger, with no other trigger, count zero months under 2(c)'s measure "
                        "(the measure does not count what the trigger describes in every case).")
            if m is not None:
                eff = enc.value(m, enc.event("rs_effective"))
                if enc.is_obligation(t):
                    done = enc.value(m, enc.event(enc.performance_event(t)))
                    what_day = f"'{enc.obligation(t).action}' done late on {enc.iso(done)}" if done <= enc.asof else f"'{enc.obligation(t).action}' never done"
                else:
                    what_day = "the trigger" + (f" on {enc.iso(enc.value(m, enc.event(t)))}" if t in enc.days and
                                                 enc.value(m, enc.event(t)) <= enc.asof else "")
                expl += (f" Witness: {what_day}; the Registration Statement "
                         + (f"effective on {enc.iso(eff)}" if eff <= enc.asof else "never effective")
                         + "; 2(c) counts 0 days (timeline in the evidence).")
            out.append(Finding(
                id=f"z3.remedy.{t}", kind="remedy", severity=sev, sections=tuple(sorted({clause, "2(c)", *via}, key=_clause_key)),
                title=title, explanation=expl,
                evidence={"trigger": t, "remedy_clauses": via, "always_zero": not can_pay, "realistic": realistic,
                          "timeline": enc.timeline(m) if m is not None else []}))
    if skipped:
        out.append(Finding(
            id="z3.remedy.not-compiled", kind="remedy", severity="info", sections=("2(c)",),
            title=(f"{len(skipped)} 2(c) trigger{' has' if len(skipped) == 1 else 's have'} no deadline to breach and "
                   f"{'was' if len(skipped) == 1 else 'were'} not checked: " + "; ".join(
                       f"'{_named(enc, t)}'" for t in skipped)),
            explanation="These obligations are tied to 2(c) payments but the model gives them no deadline (e.g. "
                        "'immediately'), so the encoding has no breach date for them.", evidence={"triggers": skipped}))
    return out


# ------------------------------------------------------------------------------------------ readings


def readings(enc: Encoding) -> list[Finding]:
    """Pairs of readings of 2(c)(i): where they diverge, and the largest divergence in days and dollars."""
    out: list[Finding] = []
    principal = Fraction(str(enc.params[enc.measure.principal]))
    pct = Fraction(str(enc.params[enc.measure.rate]))
    conv = str(enc.params[enc.measure.convention])
    for r1, r2 in combinations(enc.reading_names(), 2):
        with session():
            d1, d2 = enc.days_i(r1), enc.days_i(r2)
            no_delays = [z3.Not(sl.used) for sl in enc.periods.get(enc.late_component().excluded or "", [])]
            ev: dict[str, Any] = {"readings": [r1, r2]}
            limbs = [enc.measure.filing_deadline, enc.measure.effectiveness_deadline]
            found = False
            for ra, da, rb, db in ((r1, d1, r2, d2), (r2, d2, r1, d1)):
                _, m, _ = _optimize(enc, [da > db, *no_delays], [("max", da - db), FEWEST_EARLIEST])
                if m is None:
                    continue
                found = True
                pa, pb = _period(enc, m, ra), _period(enc, m, rb)
                ma = months_between(enc.date_of(pa[0]), enc.date_of(pa[1]), conv) if pa else Fraction(0)
                mb = months_between(enc.date_of(pb[0]), enc.date_of(pb[1]), conv) if pb else Fraction(0)
                _, first, _ = _optimize(enc, [da > db, *no_delays], [("min", enc.event("rs_effective")), FEWEST_EARLIEST])
                ev[f"{ra}>{rb}"] = {
                    "max_days": enc.value(m, da - db), "max_dollars": _money(principal * pct * (ma - mb)),
                    "at_principal": int(principal), "timeline": enc.timeline(m, limbs),
                    "earliest": enc.timeline(first, limbs) if first else None}
            if not found:
                continue
            differ = [d1 != d2, *no_delays]
            pfed = enc.event("pfed")
            _, lo, _ = _optimize(enc, [*differ, enc.happened("pfed")], [("min", pfed)])
            _, hi, _ = _optimize(enc, [*differ, enc.happened("pfed")], [("max", pfed)])
            ev["pfed_range"] = {"from": enc.iso(enc.value(lo, pfed)) if lo else None,
                                "to": enc.iso(enc.value(hi, pfed)) if hi and enc.value(hi, pfed) < enc.asof else None,
                                "without_pfed": enc.solver(*differ, z3.Not(enc.happened("pfed"))).check() == z3.sat}
            parts = [f"{k.replace('>', ' counts more than ')} by up to {v['max_days']} days (${v['max_dollars']:,.2f} at "
                     f"${v['at_principal']:,} principal)" for k, v in ev.items() if '>' in k]
            out.append(Finding(
                id=f"z3.reading.{r1}.{r2}", kind="reading", severity="warning", sections=(enc.agreement.model.reading(r1).clause,),
                title=f"2(c)(i) readings '{r1}' and '{r2}' diverge",
                explanation="; ".join(parts) + f". They can diverge for a Prior Financing Effective Date from {ev['pfed_range']['from']} to "
                            f"{ev['pfed_range']['to'] or 'the end of the modelled horizon'}"
                            + (" and when there is no Prior Financing Effective Date" if ev["pfed_range"]["without_pfed"] else "")
                            + ". Witness timelines are in the evidence.", evidence=ev))
    return out


def _period(enc: Encoding, m: z3.ModelRef, reading: str) -> tuple[int, int] | None:
    on, start, stop = enc.period_i(reading)
    if not z3.is_true(m.eval(on, model_completion=True)):
        return None
    a, b = enc.value(m, start), enc.value(m, stop)
    return (a, b) if b > a else None


# ------------------------------------------------------------------------------------------- example


def _days_after_anchor(agreement: Agreement, deadline_id: str) -> tuple[str, int] | None:
    """(parameter, days) of a deadline's anchored term, if it has one."""
    for t in agreement.model.deadline(deadline_id).terms:
        if t.offset:
            return t.offset, int(agreement.params[t.offset])
    return None


def example(agreement: Agreement) -> list[Finding]:
    """The worked example of the measure against its rate and against the late component's anchors."""
    out: list[Finding] = []
    m = agreement.model.payment_measure()
    p = agreement.params
    amount_p, principal_p, months_p, anchor_p = m.example
    clause = p.by_name[amount_p].clause
    pct = Fraction(str(p[m.rate]))
    amount = Fraction(str(p[amount_p]))
    principal = Fraction(str(p[principal_p]))
    months = Fraction(str(p[months_p]))
    implied = principal * pct * months
    if implied != amount:
        out.append(Finding(
            id="z3.example.amount", kind="conflict", severity="error", sections=(clause,),
            title=f"{clause}'s worked example disagrees with the Applicable Percentage",
            explanation=f"{float(months):g} month{'' if months == 1 else 's'} x ${float(principal):,.0f} x {float(pct):g} = ${float(implied):,.2f}, "
                        f"but the example says ${float(amount):,.2f}.",
            evidence={"implied": float(implied), "example_amount": float(amount), "percentage": float(pct)}))
    anchor = int(p[anchor_p])
    filing = _days_after_anchor(agreement, m.filing_deadline)
    eff = _days_after_anchor(agreement, m.effectiveness_deadline)
    if filing is None or eff is None:
        return out
    ninety = eff[1]
    if anchor != ninety:
        fclause = agreement.model.deadline(m.filing_deadline).clause
        matches = f"the Filing Date's period ({fclause})" if anchor == filing[1] else "no period of the agreement"
        out.append(Finding(
            id="z3.example.anchor", kind="conflict", severity="warning", sections=(fclause, clause),
            title=f"{clause}'s worked example counts late effectiveness from a {anchor}-day period; the text counts it "
                  f"from the {ninety}-day period",
            explanation=f"The example's period ({anchor} days) matches {matches}, while the text runs late "
                        f"effectiveness from the end of the {ninety}-day period. The 'example' reading formalizes the "
                        "example; see the reading findings for the divergence.",
            evidence={"example_anchor_days": anchor, "filing_days_after_pfed": filing[1],
                      "effectiveness_days_after_pfed": ninety}))
    return out


__all__ = ["KINDS", "run_checks"]
