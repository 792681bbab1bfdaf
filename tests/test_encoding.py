"""The Z3 encoding: exact calendars, deadlines compiled from the model, tracked clauses, timelines."""

from __future__ import annotations

from datetime import date

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st
from rra.solver import calendars
from rra.solver.calendars import DEFAULT_CALENDAR
from rra.solver.encoding import Encoding, allowed_delay_model, window_bounds
from rra.spec.elements import Offset

from tests.support import BUNDLED, PARAMS, redraft

ENC = Encoding(BUNDLED)
EPOCH = BUNDLED.params["agreement.date"]  # the encoding's day 0: the agreement's own date


def day(d: date) -> int:
    """The encoding's day number of a date."""
    return calendars.day(d, EPOCH)


def from_day(n: int) -> date:
    """The date of one of the encoding's day numbers."""
    return calendars.from_day(n, EPOCH)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 900), st.sampled_from([("business", 2), ("business", 5), ("trading", 3), ("business", -5)]))
def test_business_and_trading_day_offsets_match_the_calendar_exactly(x: int, rule: tuple[str, int]) -> None:
    basis, n = rule
    v = z3.Int("probe")
    r = ENC.add(v, n, basis)
    s = ENC.solver(v == x, r > -100)  # every term read from the model goes in (its cone comes with it)
    assert s.check() == z3.sat
    assert from_day(ENC.value(s.model(), r)) == DEFAULT_CALENDAR.add(from_day(x), n, basis)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 900), st.integers(0, 60))
def test_day_counts_match_the_calendar(a: int, length: int) -> None:
    for basis in ("business", "trading"):
        got = z3.simplify(ENC.days_between(z3.IntVal(a), z3.IntVal(a + length), basis)).as_long()
        assert got == DEFAULT_CALENDAR.count(from_day(a), from_day(a + length), basis)


def _value(enc: Encoding, *pins: z3.BoolRef, term: z3.ArithRef) -> int:
    s = enc.solver(*pins)
    assert s.check() == z3.sat
    return enc.value(s.model(), term)


def test_the_filing_date_is_the_earlier_of_pfed_plus_thirty_and_december_15() -> None:
    fd = ENC.deadline("deadline.filing_date").day
    pfed = ENC.event("pfed")
    assert from_day(_value(ENC, pfed == day(date(2003, 9, 1)), term=fd)) == date(2003, 10, 1)
    assert from_day(_value(ENC, pfed == day(date(2003, 12, 1)), term=fd)) == date(2003, 12, 15)
    assert from_day(_value(ENC, pfed == ENC.NEVER, term=fd)) == date(2003, 12, 15)


def test_a_redrafted_parameter_changes_the_compiled_deadline() -> None:
    enc = Encoding(redraft("filing.days_after_pfed=45"))
    fd = enc.deadline("deadline.filing_date").day
    assert from_day(_value(enc, enc.event("pfed") == day(date(2003, 9, 1)), term=fd)) == date(2003, 10, 16)


def test_a_redrafted_clause_replaces_the_deadline_terms() -> None:
    terms = {"deadline.effectiveness_3a": (Offset(fixed="effectiveness.outside_date"),)}
    enc = Encoding(BUNDLED.with_deadline_terms(terms))
    d = enc.deadline("deadline.effectiveness_3a").day
    assert from_day(_value(enc, term=d)) == date(2004, 3, 15)


def test_never_is_representable_and_a_deadline_without_its_anchor_does_not_exist() -> None:
    dl = ENC.deadline("deadline.effectiveness_3a")
    s = ENC.solver(z3.Not(ENC.happened("pfed")), dl.exists)
    assert s.check() == z3.unsat


def test_each_clause_is_tracked_under_its_clause_id_and_cores_name_clauses() -> None:
    s = ENC.solver(track=True, cores=True)
    names = {str(a.arg(0)) for a in s.assertions() if z3.is_implies(a)} | {str(c) for c in ENC.clause_constraints()}
    assert {"2(a)", "2(e)", "3(a)", "3(b)", "3(c)"} <= names
    s.add(ENC.event("pfed") == 0, ENC.event("s3_eligible") == 200)
    assert s.check() == z3.unsat
    assert [str(c) for c in s.unsat_core()] == ["2(e)"]


def test_a_model_becomes_a_dated_timeline_with_clauses() -> None:
    s = ENC.solver(ENC.event("pfed") == 10, ENC.event("rs_filed") == 20)
    assert s.check() == z3.sat
    rows = ENC.timeline(s.model(), ["deadline.filing_date"])
    by_id = {r["id"]: r for r in rows}
    assert by_id["pfed"]["date"] == "2003-05-19" and by_id["pfed"]["clause"] == "2(a)"
    assert by_id["deadline.filing_date"]["date"] == "2003-06-18"
    assert rows == sorted(rows, key=lambda r: (r["date"], r["id"]))


def test_the_2c_measure_counts_days_of_late_effectiveness_from_the_deadline() -> None:
    enc = Encoding(BUNDLED)
    pins = [enc.event("pfed") == enc.NEVER, enc.event("rs_filed") == day(date(2003, 12, 1)),
            enc.event("rs_effective") == day(date(2004, 4, 15))]
    assert _value(enc, *pins, term=enc.days_i("text")) == 31  # 2004-03-15 .. 2004-04-14
    assert _value(enc, *pins, term=enc.days_i("example")) == 122  # from the Filing Date, 2003-12-15


def test_the_12_month_window_bounds_come_from_the_calendar() -> None:
    lo, hi = window_bounds(3)
    assert 245 <= lo <= hi <= 256


def test_the_allowed_delay_model_allows_no_more_than_the_caps() -> None:
    m = allowed_delay_model(3, 1, BUNDLED)
    s = z3.Solver()
    s.add(*m.facts, *m.maximal, m.lengths[0] == 15, m.starts[0] == 0, m.starts[1] == 20, m.lengths[1] == 15)
    assert s.check() == z3.sat
    mod = s.model()
    assert mod.eval(m.allowed[0]).as_long() == 10 and mod.eval(m.allowed[1]).as_long() == 10


@pytest.mark.parametrize("name", ["rs_filed", "s3_eligible"])
def test_event_days_stay_in_range(name: str) -> None:
    s = ENC.solver(ENC.event(name) > ENC.NEVER)
    assert s.check() == z3.unsat


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 700), st.integers(0, 25))
def test_one_symbolic_allowed_delay_gets_the_evaluators_allowed_part(start: int, length: int) -> None:
    from rra.solver import evaluator
    from rra.solver.scenario import scenario_from_dict

    s = scenario_from_dict({"as_of": "2006-01-01", "principal": 1, "allowed_delays": [
        {"start": from_day(start).isoformat(), "end": from_day(start + length).isoformat()}]}, "one", PARAMS)
    parts, _ = evaluator.allowed_parts(s, BUNDLED)
    enc = Encoding(BUNDLED, slots={"allowed_delays": 1})
    (u, a, b), = enc.allowed_parts()
    sl = enc.periods["allowed_delays"][0]
    solver = enc.solver(sl.used, sl.start == start, sl.end == start + length, b >= -1, u == u)
    assert solver.check() == z3.sat
    m = solver.model()
    got = [(enc.value(m, a), enc.value(m, b))] if z3.is_true(m.eval(u, model_completion=True)) else []
    assert got == [(day(date.fromordinal(x)), day(date.fromordinal(y))) for x, y in parts]


def test_the_variables_of_an_expression_are_those_a_walk_over_its_python_terms_finds() -> None:
    enc = Encoding(BUNDLED, slots={"blocked": 1, "allowed_delays": 1})
    m = BUNDLED.model.payment_measure()
    exprs = [enc.deadline(d.id).day for d in BUNDLED.model.deadlines if BUNDLED.model.usable(d.id)]
    exprs += [enc.total_days(), enc.days_between(enc.event("pfed"), enc.event(m.effective), "trading"),
              z3.And(enc.happened("pfed"), z3.IntVal(3) > 2), z3.BoolVal(True)]
    for e in exprs:
        assert enc.vars_of(e) == _python_walk(e), e
    assert enc.vars_of(enc.event("pfed") + 1) == {"pfed"}


def _python_walk(e: z3.ExprRef) -> set[str]:
    if z3.is_const(e):
        return {e.decl().name()} if e.decl().kind() == z3.Z3_OP_UNINTERPRETED else set()
    return set().union(*[_python_walk(k) for k in e.children()])


def test_calendar_terms_are_built_once_per_term_and_calendar_and_count_the_days_of_that_calendar() -> None:
    import rra.solver.encoding as E

    x = z3.Int("pfed") + 3
    a, b = Encoding(BUNDLED), Encoding(BUNDLED)
    # the same term, weekday of day 0 and closed days: one term for both encodings (no second build)
    assert a.count_before(x, "business") is b.count_before(x, "business")
    assert a.is_day(x, "business") is b.is_day(x, "business")
    # another basis has other closed days: its own term, which counts its own days
    assert a.count_before(x, "trading") is not a.count_before(x, "business")
    for basis in ("business", "trading"):
        closed = a._nondays(basis)
        s = z3.Solver()
        s.add(z3.Int("pfed") == closed[0] - 3)  # x is a closed weekday of this basis
        assert s.check() == z3.sat
        assert z3.is_false(s.model().eval(a.is_day(x, basis)))
    # the memory is bounded: past its limit it starts again
    E._CALENDAR_TERMS.clear()
    for k in range(E._CALENDAR_TERMS.limit):
        E._CALENDAR_TERMS.put(("filler", k), (x, k))
    a.count_before(z3.Int("pfed") + 4, "business")
    assert len(E._CALENDAR_TERMS) == 1
