"""Properties of the evaluator over random scenarios (hypothesis)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver.evaluator import evaluate, payment, reading_names
from rra.solver.months import CONVENTIONS
from rra.solver.scenario import Period, Scenario, scenario_from_dict, scenario_to_dict

from rra.output import dumps
from rra.results import evaluation_json
from tests.support import BUNDLED, PARAMS

START = PARAMS["agreement.date"]
END = date(2006, 12, 31)
# more examples for a deeper search: RRA_HYPOTHESIS_EXAMPLES=2000 pytest tests/test_evaluator_properties.py
SETTINGS = settings(max_examples=int(os.environ.get("RRA_HYPOTHESIS_EXAMPLES", "80")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=START, max_value=END)


@st.composite
def periods(draw: Any, max_n: int = 3, max_len: int = 120) -> list[Period]:
    out = []
    for _ in range(draw(st.integers(0, max_n))):
        start = draw(dates)
        out.append(Period(start, min(END, start + timedelta(days=draw(st.integers(0, max_len))))))
    return out


@st.composite
def allowed_delays(draw: Any) -> list[Period]:
    """Non-overlapping Allowed Delays of 1 to 25 days."""
    out: list[Period] = []
    cursor = draw(st.dates(min_value=START, max_value=date(2005, 12, 31)))
    for _ in range(draw(st.integers(0, 4))):
        start = cursor + timedelta(days=draw(st.integers(0, 120)))
        end = start + timedelta(days=draw(st.integers(0, 24)))
        if end > END:
            break
        out.append(Period(start, end))
        cursor = end + timedelta(days=1)
    return out


@st.composite
def scenarios(draw: Any, with_periods: bool = True) -> Scenario:
    as_of = draw(st.dates(min_value=date(2003, 9, 1), max_value=END))
    pfed = draw(st.none() | dates)
    filed = draw(st.none() | dates)
    effective = None if filed is None else draw(st.none() | st.dates(min_value=filed, max_value=END))
    kw: dict[str, Any] = {}
    if with_periods:
        kw = {"sales_blocked": draw(periods()), "not_listed": draw(periods(2)), "stop_orders": draw(periods(2, 40)),
              "allowed_delays": draw(allowed_delays()), "investor_delays": draw(periods(2, 30))}
    return Scenario(as_of=as_of, principal=draw(st.integers(0, 1_000_000)), prior_financing_effective=pfed,
                    filed=filed, effective=effective, month_convention=draw(st.sampled_from(CONVENTIONS)), **kw)


@SETTINGS
@given(scenarios(with_periods=False), st.integers(1, 400))
def test_a_breach_that_lasts_longer_never_costs_less_later_effectiveness(s: Scenario, extra: int) -> None:
    if s.effective is None:
        return
    later = replace(s, effective=min(END, s.effective + timedelta(days=extra)))
    for r in reading_names(BUNDLED):
        assert payment(later, BUNDLED, reading=r) >= payment(s, BUNDLED, reading=r)


@SETTINGS
@given(scenarios(), st.integers(1, 200), st.sampled_from(["sales_blocked", "not_listed"]))
def test_a_breach_that_lasts_longer_never_costs_less_a_period_ending_later(s: Scenario, extra: int, kind: str) -> None:
    # one period of that kind (and no stop orders), so extending it never merges two runs into one
    s = replace(s, stop_orders=())
    ps = getattr(s, kind)[:1]
    if not ps:
        return
    s = replace(s, **{kind: ps})
    longer = replace(s, **{kind: (Period(ps[0].start, min(END, ps[0].end + timedelta(days=extra))),)})
    for r in reading_names(BUNDLED):
        assert payment(longer, BUNDLED, reading=r) >= payment(s, BUNDLED, reading=r)


@SETTINGS
@given(scenarios(), st.integers(1, 200), st.sampled_from(["sales_blocked", "not_listed"]))
def test_a_breach_that_lasts_longer_never_costs_less_a_period_starting_earlier(s: Scenario, extra: int, kind: str) -> None:
    s = replace(s, stop_orders=())
    ps = getattr(s, kind)[:1]
    if not ps:
        return
    s = replace(s, **{kind: ps})
    longer = replace(s, **{kind: (Period(max(START, ps[0].start - timedelta(days=extra)), ps[0].end),)})
    for r in reading_names(BUNDLED):
        assert payment(longer, BUNDLED, reading=r) >= payment(s, BUNDLED, reading=r)


@SETTINGS
@given(scenarios(), st.integers(1, 400))
def test_a_breach_that_lasts_longer_never_costs_less_counting_to_a_later_date(s: Scenario, extra: int) -> None:
    known = [d for d in (s.prior_financing_effective, s.filed, s.effective) if d is not None]
    if any(d > s.as_of for d in known):
        return  # an event between the two dates can change which deadline applies
    later = replace(s, as_of=min(END, s.as_of + timedelta(days=extra)))
    for r in reading_names(BUNDLED):
        assert payment(later, BUNDLED, reading=r) >= payment(s, BUNDLED, reading=r)


@SETTINGS
@given(scenarios())
def test_allowed_delay_days_never_add_to_2c_ii(s: Scenario) -> None:
    without = replace(s, allowed_delays=())
    e, e0 = evaluate(s, BUNDLED), evaluate(without, BUNDLED)
    assert e.components["2(c)(ii)"].months <= e0.components["2(c)(ii)"].months
    for r in reading_names(BUNDLED):
        assert payment(s, BUNDLED, reading=r) <= payment(without, BUNDLED, reading=r)


@SETTINGS
@given(scenarios())
def test_the_total_is_the_sum_of_its_components_under_every_reading(s: Scenario) -> None:
    e = evaluate(s, BUNDLED)
    for r in e.readings.values():
        assert r.total == sum(c.amount for c in r.components.values())
        assert r.total == payment(s, BUNDLED, reading=r.name)
        assert all(c.months >= 0 for c in r.components.values())
    assert e.total == e.readings["text"].total


@SETTINGS
@given(scenarios())
def test_json_output_is_byte_identical_across_runs_and_file_round_trips(s: Scenario) -> None:
    first = dumps(evaluation_json(evaluate(s, BUNDLED), BUNDLED))
    assert dumps(evaluation_json(evaluate(s, BUNDLED), BUNDLED)) == first
    again = scenario_from_dict({**scenario_to_dict(s), "name": "round trip"}, "x", PARAMS)
    assert dumps(evaluation_json(evaluate(again, BUNDLED), BUNDLED)) == first.replace('"scenario": ""', '"scenario": "round trip"')


@SETTINGS
@given(scenarios())
def test_under_the_30_day_convention_months_are_counted_days_over_30(s: Scenario) -> None:
    e = evaluate(replace(s, month_convention="30-day"), BUNDLED)
    for c in e.components.values():
        assert c.months * 30 == sum(r.days for r in c.periods)
