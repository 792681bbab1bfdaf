"""The Z3 encoding and the plain-Python evaluator agree on random scenarios: every deadline, breach and 2(c)
component (months, exactly), under every reading."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver import evaluator  # noqa: E402
from rra.solver import scenario as scenario_mod  # noqa: E402
from rra.solver.encoding import evaluate_scenario, payment_triggers, single_date_obligations  # noqa: E402

from tests.support import BUNDLED, PARAMS, redraft  # noqa: E402

START = date(2003, 5, 9)
READINGS = ("text", "ninety-day-literal", "example")


def _d(n: int) -> date:
    return START + timedelta(days=n)


@st.composite
def scenarios(draw: st.DrawFn) -> object:
    as_of = draw(st.integers(60, 800))
    opt = lambda lo=0, hi=as_of + 60: st.one_of(st.none(), st.integers(lo, hi))  # noqa: E731
    pfed = draw(opt())
    filed = draw(opt())
    effective = draw(opt(filed if filed is not None else 0)) if filed is not None else None
    s3_el = draw(opt(1))
    s3_filed = draw(opt(s3_el)) if s3_el is not None else None
    s3_eff = draw(opt(s3_filed)) if s3_filed is not None else None
    msn = draw(opt())
    nd = draw(opt(msn)) if msn is not None else None
    add_f = draw(opt(msn)) if msn is not None else None
    add_e = draw(opt(add_f)) if add_f is not None else None
    cleared = draw(opt(filed)) if filed is not None else None
    accel = draw(opt(cleared)) if cleared is not None else None
    final = draw(opt(effective)) if effective is not None else None
    fa = draw(opt(20))
    notice = draw(opt()) if fa is not None else None

    def periods(n_max: int, max_len: int) -> list[dict[str, str]]:
        out = []
        for _ in range(draw(st.integers(0, n_max))):
            a = draw(st.integers(0, as_of + 30))
            b = a + draw(st.integers(0, max_len))
            out.append({"start": _d(a).isoformat(), "end": _d(b).isoformat()})
        return out

    delays = []
    cur = draw(st.integers(0, 200))
    for _ in range(draw(st.integers(0, 3))):
        length = draw(st.integers(0, 20))
        delays.append({"start": _d(cur).isoformat(), "end": _d(cur + length).isoformat()})
        cur += length + draw(st.integers(1, 120))
    data: dict[str, object] = {
        "as_of": _d(as_of).isoformat(), "principal": draw(st.sampled_from([250000, 1000000])),
        "sales_blocked": periods(2, 60), "stop_orders": periods(1, 40), "not_listed": periods(2, 60),
        "investor_delays": periods(2, 30), "allowed_delays": delays,
        "month_convention": draw(st.sampled_from(["calendar-month", "30-day", "actual-365"])),
    }
    for key, v in (("prior_financing_effective", pfed), ("filed", filed), ("effective", effective),
                   ("s3_eligible", s3_el), ("s3_filed", s3_filed), ("s3_effective", s3_eff),
                   ("more_shares_needed", msn), ("need_determined", nd), ("additional_filed", add_f),
                   ("additional_effective", add_e), ("comments_cleared", cleared), ("acceleration_requested", accel),
                   ("effectiveness_order", effective if effective is not None and draw(st.booleans()) else None),
                   ("final_prospectus_filed", final), ("first_anticipated_filing", fa), ("investor_info_notice", notice)):
        if v is not None:
            data[key] = _d(v).isoformat()
    return scenario_mod.scenario_from_dict(data, "random", PARAMS)


def _compare(s: object, params: Any) -> None:
    ev = evaluator.evaluate(s, params)
    for reading in READINGS:
        z = evaluate_scenario(s, params, reading)
        r = ev.readings[reading]
        for comp in ("2(c)(i)", "2(c)(ii)", "2(c)(iii)"):
            assert z.months[comp] == r.components[comp].months, (reading, comp)
        assert z.total == r.total, reading
    z = evaluate_scenario(s, params, "text")
    assert z.filing_date == ev.filing_date
    assert z.effectiveness_deadline == ev.effectiveness_deadline
    for d in ev.deadlines:
        if "[" not in d.key:
            assert z.deadlines.get(d.id) == d.due, d.id
    expected = {b.element for b in ev.breaches
                if b.element in single_date_obligations(params) or b.element in payment_triggers(params)}
    assert z.breaches == expected


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_encoding_and_the_evaluator_agree_on_random_scenarios(s: object) -> None:
    _compare(s, BUNDLED)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([["allowed_delay.max_consecutive=5"], ["allowed_delay.max_total=12"],
                                     ["filing.outside_date=2004-02-01", "effectiveness.days_after_pfed=60"],
                                     ["payments.cap=30000"]]))
def test_they_also_agree_on_redrafted_parameters(s: object, items: list[str]) -> None:
    _compare(s, redraft(*items))


def test_a_worked_scenario_agrees_to_the_cent() -> None:
    s = scenario_mod.scenario_from_dict({
        "as_of": "2004-09-30", "principal": 1000000, "prior_financing_effective": "2003-12-20", "filed": "2004-01-10",
        "effective": "2004-04-20", "sales_blocked": [{"start": "2004-06-01", "end": "2004-06-30"}],
        "allowed_delays": [{"start": "2004-06-01", "end": "2004-06-20"}],
        "not_listed": [{"start": "2004-08-01", "end": "2004-08-10"}]}, "worked", PARAMS)
    _compare(s, BUNDLED)
    z = evaluate_scenario(s, BUNDLED)
    assert "2(a).file" in z.breaches and z.days["2(c)(ii)"] > 0
