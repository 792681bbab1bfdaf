"""Generated holdings and coalitions: the Z3 predicates and the plain-Python evaluator give the same answers."""

from __future__ import annotations

from typing import Any

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver import consent as C
from rra.solver.holdings import AMOUNTS, Holdings, Party, holdings_from_dict
from rra.solver.z3util import make_solver

from rra.errors import BadInput
from tests.support import BUNDLED, PARAMS

BK = C.book(BUNDLED)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Small numbers make ties (exactly half) common, which is where "more than half" matters.
small = st.integers(min_value=0, max_value=6)


@st.composite
def holdings_files(draw: st.DrawFn) -> dict[str, Any]:
    """A valid holdings mapping: one to four parties, the first an Investor; maybe an owner and an assignment."""
    n = draw(st.integers(min_value=1, max_value=4))
    parties: dict[str, Any] = {}
    for i in range(n):
        debt = draw(small)
        conv = draw(small) if debt else 0
        held, warrants = draw(small), draw(small)
        registered = draw(small)
        offered = draw(st.integers(min_value=0, max_value=min(registered, held + conv + warrants)))
        parties[f"p{i}"] = {
            "is_investor": True if i == 0 else draw(st.booleans()),
            "debentures_outstanding": debt, "conversion_shares": conv,
            "debentures_converted_unregistered": draw(small), "warrants": warrants, "registrable_held": held,
            "registrable_registered": registered, "registrable_offered": offered, "registrable_included": draw(small),
        }
    with_held = [p for p, r in parties.items() if r["registrable_held"] > 0]
    if with_held and draw(st.booleans()):
        parties[draw(st.sampled_from(with_held))]["registered_owner"] = True
    out: dict[str, Any] = {"parties": parties}
    assignors = [p for p, r in parties.items() if r["is_investor"]
                 and r["registrable_held"] + r["conversion_shares"] + r["warrants"] > 0]
    if assignors and n > 1 and draw(st.booleans()):
        a = draw(st.sampled_from(assignors))
        t = draw(st.sampled_from([p for p in parties if p != a]))
        conds = {c: draw(st.booleans()) for c in ("i", "ii", "iii", "iv", "v", "vi")}
        out["assignment"] = {"from": a, "to": t, "conditions": conds}
    return out


@st.composite
def questions(draw: st.DrawFn) -> tuple[Holdings, list[str], dict[str, str], str | None]:
    h = holdings_from_dict(draw(holdings_files()), "", PARAMS)
    members = ["company", *h.ids()]
    coalition = draw(st.lists(st.sampled_from(members), unique=True))
    readings = {axis: draw(st.sampled_from(names)) for axis, names in BK.axes.items()}
    investors = [p.id for p in h.parties if p.is_investor]
    party = draw(st.sampled_from(investors))
    return h, coalition, readings, party


@SETTINGS
@given(questions())
def test_z3_and_python_agree_on_every_rule_for_generated_holdings_and_coalitions(
        q: tuple[Holdings, list[str], dict[str, str], str | None]) -> None:
    h, coalition, readings, party = q
    for rid, rule in BK.rules.items():
        py = C.evaluate(rule, h, frozenset(coalition), readings, BK, party).passed
        assert C.z3_decide(BK, rid, h, coalition, readings, party) == py, (rid, coalition, readings)
        const = z3.simplify(C.z3_rule(rule, C.SymHoldings.of(h, coalition, party), readings, BK))
        assert z3.is_true(const) == py and (z3.is_true(const) or z3.is_false(const)), rid


@SETTINGS
@given(questions())
def test_a_decision_on_an_action_is_the_conjunction_of_its_rules(
        q: tuple[Holdings, list[str], dict[str, str], str | None]) -> None:
    h, coalition, readings, party = q
    d = C.evaluate(BK.rules["consent.4(c)"], h, frozenset(coalition), readings, BK, party)
    combined = [C.evaluate(BK.rules[r], h, frozenset(coalition), readings, BK, party).passed
                for r in C.ACTIONS["underwritten-offering"]]
    assert C.z3_decide(BK, "underwritten-offering", h, coalition, readings, party) == all(combined)
    assert isinstance(d.passed, bool)


@SETTINGS
@given(holdings_files(), st.data())
def test_adding_a_consenting_party_never_turns_a_yes_into_a_no(raw: dict[str, Any], data: st.DataObject) -> None:
    h = holdings_from_dict(raw, "", PARAMS)
    members = ["company", *h.ids()]
    small_c = data.draw(st.lists(st.sampled_from(members), unique=True))
    extra = data.draw(st.sampled_from(members))
    for rule in BK.rules.values():
        if C.evaluate(rule, h, frozenset(small_c), None, BK, h.ids()[0]).passed:
            assert C.evaluate(rule, h, frozenset([*small_c, extra]), None, BK, h.ids()[0]).passed, rule.id


amount = st.integers(min_value=-1, max_value=6)


@SETTINGS
@given(st.lists(st.fixed_dictionaries({f: amount for f in AMOUNTS} | {"owner": st.booleans(), "inv": st.booleans()}),
                min_size=1, max_size=3))
def test_the_z3_validity_constraints_accept_exactly_the_holdings_the_file_checks_accept(specs: list[dict[str, Any]]) -> None:
    raw = {f"p{i}": {"is_investor": s["inv"], "registered_owner": s["owner"], **{f: s[f] for f in AMOUNTS}}
           for i, s in enumerate(specs)}
    try:
        holdings_from_dict({"parties": raw}, "", PARAMS)
        accepted = True
    except BadInput:
        accepted = False
    parties = tuple(Party(pid, pid, r["is_investor"], **{f: r[f] for f in AMOUNTS}, registered_owner=r["registered_owner"])
                    for pid, r in raw.items())
    sym = C.SymHoldings.fresh(list(raw), "v.")
    s = make_solver()
    s.add(*sym.valid(PARAMS, selectors=()), *sym.equal_to(Holdings(parties)))
    assert (s.check() == z3.sat) == accepted


@SETTINGS
@given(questions())
def test_the_compiled_rule_and_the_python_evaluator_give_the_same_answers(
        q: tuple[Holdings, list[str], dict[str, str], str | None]) -> None:
    h, coalition, readings, party = q
    for rule in BK.rules.values():
        py = C.evaluate(rule, h, frozenset(coalition), readings, BK, party).passed
        assert C.compile_rule(rule, h, readings, BK, party).passes(frozenset(coalition)) == py, rule.id


@SETTINGS
@given(holdings_files(), st.sampled_from(sorted(BK.axes["measure"])))
def test_the_smallest_coalitions_found_without_enumeration_are_those_enumeration_finds(
        raw: dict[str, Any], measure: str) -> None:
    from itertools import chain, combinations

    h = holdings_from_dict(raw, "", PARAMS)
    readings = {**BK.defaults, "measure": measure}
    members = ["company", *h.ids()]
    subsets = [frozenset(x) for x in chain.from_iterable(combinations(members, k) for k in range(len(members) + 1))]
    for rule in BK.rules.values():
        c = C.compile_rule(rule, h, readings, BK, h.ids()[0])
        wins = [w for w in subsets if c.passes(w)]
        minimal = sorted((tuple(m for m in members if m in w) for w in wins if not any(o < w for o in wins)),
                         key=lambda x: (len(x), [members.index(m) for m in x]))
        vetoes = [m for m in members if all(m in w for w in wins)] if wins else []
        assert c.vetoes(members) == vetoes, rule.id
        got = C.minimal_coalitions(c, members, vetoes, bound=len(minimal) + 1)
        assert got.exact and got.count == len(minimal) and list(got.listed) == minimal, rule.id


def test_a_weighted_vote_is_counted_exactly_when_the_search_stops_early() -> None:
    parties = tuple(Party(f"p{i}", f"p{i}", True, registrable_held=w) for i, w in enumerate([5, 4, 4, 3, 2, 2, 1, 1, 1]))
    h = Holdings(parties)
    c = C.compile_rule(BK.rules["consent.3(p)"], h, None, BK)
    full = C.minimal_coalitions(c, ["company", *h.ids()], bound=3, work=10**6)
    early = C.minimal_coalitions(c, ["company", *h.ids()], bound=3, work=5)
    assert full.exact and early.exact and early.count == full.count > 3 and len(early.listed) <= 3
