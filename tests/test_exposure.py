"""Worst-case 2(c) exposure: the exact optimizer against brute force, the Z3 reference and the plain evaluator."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver.assumptions import ImpossibleAssumptions, check_possible, from_mapping, load
from rra.solver.calendars import day
from rra.solver.evaluator import payment
from rra.solver.exposure import (
    READINGS,
    D,
    brute_force,
    evaluator_scaled,
    months_scaled,
    optimize,
    solve_z3,
    to_scenario,
)
from rra.solver.sweep import parse_sweep, run_sweep, to_csv

from rra.errors import BadInput
from tests.support import BUNDLED, PARAMS

from .conftest import run_rra


def small(**changes: Any) -> Any:
    """A small horizon on a two-week grid: a few tens of thousands of timelines, enumerable in seconds."""
    base: dict[str, Any] = {
        "as_of": "2004-05-31", "grid_days": 14,
        "pfed": {"earliest": "2003-09-01", "latest": "2003-10-31", "may_never": True},
        "filing": {"earliest": "2003-09-01", "max_days_late": 14, "may_never": True},
        "sec": {"review_min_days": 60, "review_max_days": 120, "may_never_declare": True},
        "stop_orders": {"max_count": 1, "max_days": 14}, "sales_blocked": {"max_count": 0, "max_days": 0},
        "not_listed": {"max_count": 1, "max_days": 14},
    }
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            base[k] = {**base[k], **v}
        else:
            base[k] = v
    return from_mapping(base, "test")


SMALL_SETS = {
    "late-and-never": small(),
    "two-blocked-kinds": small(as_of="2004-04-30", grid_days=21, pfed={"may_never": False},
                               filing={"may_never": False, "max_days_late": 0},
                               stop_orders={"max_count": 1, "max_days": 21}, sales_blocked={"max_count": 1, "max_days": 42},
                               not_listed={"max_count": 0, "max_days": 0}),
    "quick-sec-two-delistings": small(sec={"review_min_days": 30, "review_max_days": 60, "may_never_declare": False},
                                      filing={"may_never": False}, stop_orders={"max_count": 0, "max_days": 0},
                                      not_listed={"max_count": 2, "max_days": 28}),
}


@pytest.mark.parametrize(("name", "reading"), [("late-and-never", r) for r in READINGS] +
                         [(n, "text") for n in sorted(SMALL_SETS) if n != "late-and-never"])
def test_brute_force_over_a_coarse_grid_matches_the_optimum_exactly(name: str, reading: str) -> None:
    a = SMALL_SETS[name]
    best, _, tried = brute_force(a, BUNDLED, reading, evaluate=evaluator_scaled)
    r = optimize(a, BUNDLED, reading)
    assert tried > 100
    assert r.proved_optimal
    assert r.months * D == best


@pytest.mark.parametrize("convention", ["30-day", "actual-365"])
def test_brute_force_matches_under_the_other_month_conventions(convention: str) -> None:
    params = BUNDLED.with_values({"payments.month_convention": convention})
    a = SMALL_SETS["two-blocked-kinds"]
    best, _, _ = brute_force(a, params, "text", evaluate=evaluator_scaled)
    assert optimize(a, params).months * D == best


@pytest.mark.parametrize("path", ["default.yaml", "late-company.yaml"])
def test_the_worst_timeline_fed_to_the_evaluator_gives_the_optimum(path: str) -> None:
    from rra.solver.assumptions import ASSUMPTIONS_DIR

    a = load(ASSUMPTIONS_DIR / path)
    for reading in READINGS:
        r = optimize(a, BUNDLED, reading)
        assert r.timeline is not None
        assert payment(to_scenario(r.timeline, a.principal), BUNDLED, reading) == r.optimum
        assert r.readings[reading] == r.optimum


def test_the_optimum_is_the_sum_of_its_components_and_the_readings_are_all_reported() -> None:
    r = optimize(load(), BUNDLED)
    assert sum(r.components.values()) == r.months * D
    assert set(r.readings) == set(READINGS)
    assert r.readings["example"] >= r.readings["text"] > 0


@pytest.mark.parametrize("reading", ["text", "example"])
def test_the_z3_reference_equals_the_fast_method_on_a_small_instance(reading: str) -> None:
    a = small(as_of="2004-04-15", grid_days=21, stop_orders={"max_count": 1, "max_days": 21},
              not_listed={"max_count": 1, "max_days": 21})
    z = solve_z3(a, BUNDLED, reading, timeout_s=120)
    r = optimize(a, BUNDLED, reading)
    assert z.proved_optimal, z.reason
    assert z.months == r.months
    assert z.timeline is not None and evaluator_scaled(z.timeline, BUNDLED, reading) == z.months * D


def test_a_z3_timeout_is_reported_as_not_proved() -> None:
    a = small(grid_days=1, as_of="2004-12-31")
    z = solve_z3(a, BUNDLED, "text", timeout_s=0.05)
    assert not z.proved_optimal
    assert z.reason and z.reason.startswith("z3")


def test_month_counts_are_exact_under_the_calendar_convention() -> None:
    def m(a: date, b: date) -> Fraction:
        return Fraction(int(months_scaled(day(a), day(b), "calendar-month")), D)

    assert m(date(2004, 3, 15), date(2004, 4, 15)) == 1
    assert m(date(2004, 1, 31), date(2004, 3, 1)) == 1 + Fraction(1, 31)
    assert m(date(2004, 2, 1), date(2004, 2, 15)) == Fraction(14, 29)
    assert m(date(2004, 2, 1), date(2004, 2, 1)) == 0


def test_more_adversarial_periods_or_longer_ones_never_lower_the_worst_case() -> None:
    a = load()
    base = optimize(a, BUNDLED).optimum
    assert optimize(a.with_values({"stop_orders.max_count": 2}), BUNDLED).optimum >= base
    assert optimize(a.with_values({"not_listed.max_days": 90}), BUNDLED).optimum > base
    assert optimize(a.with_values({"sec.review_max_days": 90}), BUNDLED).optimum < base


def test_a_redraft_changes_the_exposure() -> None:
    a = load()
    base = optimize(a, BUNDLED).optimum
    capped = optimize(a, BUNDLED.with_values({"payments.cap": 50000}))
    assert capped.optimum == 50000 and capped.capped and base > 50000
    doubled = optimize(a, BUNDLED.with_values({"payments.applicable_percentage": 0.04})).optimum
    assert doubled == 2 * base


def test_an_impossible_assumption_set_names_the_clashing_assumptions() -> None:
    a = load().with_values({"pfed.earliest": "2003-10-01", "pfed.latest": "2003-09-01", "pfed.may_never": False})
    with pytest.raises(ImpossibleAssumptions) as exc:
        check_possible(a, BUNDLED)
    assert exc.value.clashing == ["pfed.earliest", "pfed.latest", "pfed.may_never"]
    late = load().with_values({"filing.earliest": "2004-02-01", "filing.max_days_late": 10})
    with pytest.raises(ImpossibleAssumptions) as exc:
        optimize(late, BUNDLED)
    assert set(exc.value.clashing) >= {"filing.earliest", "filing.max_days_late", "filing.may_never",
                                       "parameter filing.outside_date"}
    assert "pfed.earliest" not in exc.value.clashing


def test_an_impossible_assumption_set_is_refused_by_the_command(tmp_path: Path) -> None:
    f = tmp_path / "clash.yaml"
    f.write_text("sec:\n  review_min_days: 90\n  review_max_days: 30\n")
    r = run_rra("exposure", "--assumptions", str(f))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "sec.review_max_days" in r.stderr and "sec.review_min_days" in r.stderr and "cannot all hold" in r.stderr


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("pfed:\n  earliest: 2003-13-01\n", "pfed.earliest"),
        ("pfed:\n  erliest: 2003-06-01\n", "pfed.erliest"),
        ("stop_orders:\n  max_count: -1\n  max_days: 10\n", "stop_orders.max_count"),
        ("company:\n  allowed_delays: sometimes\n", "company.allowed_delays"),
        ("as_of: 2002-01-01\n", "as_of"),
        ("- a list\n", "--assumptions"),
        ("pfed: [unclosed\n", "--assumptions"),
        ("principal: lots\n", "principal"),
    ],
)
def test_a_bad_assumption_file_exits_2_with_one_line_naming_the_field(tmp_path: Path, text: str, field: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    r = run_rra("exposure", "--assumptions", str(f))
    assert r.returncode == 2, r.stdout
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert field in r.stderr
    assert r.stdout == ""


def test_a_missing_assumption_file_is_bad_input() -> None:
    with pytest.raises(BadInput, match="cannot read file"):
        load("/nonexistent/assumptions.yaml")


def test_rra_exposure_json_has_the_documented_shape_and_is_stable() -> None:
    r = run_rra("exposure", "--json", "--as-of", "2004-12-31")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"optimum", "proved_optimal", "timeline", "components", "readings"} <= set(data)
    assert data["proved_optimal"] is True
    assert set(data["components"]) == {"i", "ii", "iii"}
    assert abs(sum(c["amount"] for c in data["components"].values()) - data["optimum"]) < 0.02
    assert [e["date"] for e in data["timeline"]] == sorted(e["date"] for e in data["timeline"])
    assert run_rra("exposure", "--json", "--as-of", "2004-12-31").stdout == r.stdout


def test_rra_exposure_compares_redrafts_side_by_side() -> None:
    r = run_rra("exposure", "--json", "--compare", "payments.cap=100000", "stop_orders.max_days=60")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    rows = {x["change"]: x for x in data["compare"]}
    assert rows["payments.cap=100000"]["optimum"] == 100000 and rows["payments.cap=100000"]["delta"] < 0
    assert rows["stop_orders.max_days=60"]["delta"] > 0


def test_a_sweep_gives_a_point_per_value_csv_and_plot_data(tmp_path: Path) -> None:
    spec = parse_sweep("as_of=2004-05-09:2005-05-09:180", BUNDLED)
    assert len(spec.values) == 3
    data = run_sweep(spec, load(), BUNDLED, workers=1)
    ys = [p["optimum"] for p in data["points"]]
    assert ys == sorted(ys) and all(p["proved_optimal"] for p in data["points"])
    assert data["plot"]["series"]["total"] == ys
    csv_text = to_csv(data)
    assert csv_text.splitlines()[0].startswith("as_of,optimum,proved_optimal")
    assert len(csv_text.splitlines()) == 4
    pct = run_sweep(parse_sweep("payments.applicable_percentage=0.01:0.03:0.01", BUNDLED), load(), BUNDLED, workers=1)
    a, b, c = (p["optimum"] for p in pct["points"])
    assert b == pytest.approx(2 * a, abs=0.02) and c == pytest.approx(3 * a, abs=0.02)


def test_a_sweep_point_solving_only_its_reading_gives_the_figures_of_a_full_solve() -> None:
    from rra.solver.sweep import apply

    spec = parse_sweep("sec.review_max_days=60:120:60", BUNDLED)
    data = run_sweep(spec, load(), BUNDLED, "ninety-day-literal", workers=1)
    for point, value in zip(data["points"], spec.values, strict=True):
        a2, ag2 = apply(load(), BUNDLED, spec.name, value)
        full = optimize(a2, ag2, "ninety-day-literal")
        assert len(full.readings) > 1
        assert point["optimum"] == round(float(full.optimum), 2) and point["months"] == round(float(full.months), 6)
        figs = {f.key: f.to_json(ag2.params) for f in full.figures or ()}
        assert point["with_allowed_delays"] == figs["worst_case_with_allowed_delays"]["value"]
    one = optimize(load(), BUNDLED, "ninety-day-literal", respond=False, every_reading=False)
    assert list(one.readings) == ["ninety-day-literal"]


def test_the_sweep_command_runs_points_in_parallel_and_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    r = run_rra("exposure", "--sweep", "stop_orders.max_days=10:30:10", "--csv", str(out), "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert out.read_text().count("\n") == 4
    assert "stop_orders.max_days" in r.stdout


@pytest.mark.parametrize("item", ["as_of=2004-01-01", "nosuch=1:2:1", "as_of=2005-01-01:2004-01-01:30",
                                  "stop_orders.max_days=1:5:0.5"])
def test_a_bad_sweep_is_refused_in_one_line(item: str) -> None:
    r = run_rra("exposure", "--sweep", item)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("path", ["default.yaml", "five-year-stress.yaml"])
def test_the_companys_allowed_delay_answer_fed_to_the_evaluator_gives_the_answered_amount(path: str) -> None:
    from rra.solver.assumptions import ASSUMPTIONS_DIR
    from rra.solver.exposure import company_response

    a = load(ASSUMPTIONS_DIR / path)
    r = optimize(a, BUNDLED, respond=False)
    assert r.timeline is not None
    resp = company_response(r.timeline, BUNDLED)
    assert resp.proved_optimal and resp.saved > 0
    scenario = to_scenario(r.timeline, a.principal, resp.periods)
    answered = (r.months - Fraction(resp.saved, D)) * a.principal * Fraction("0.02")
    assert payment(scenario, BUNDLED, "text") == answered < r.optimum
    from rra.solver.evaluator import allowed_parts

    assert allowed_parts(scenario, BUNDLED)[1] == []  # within the 3(f) caps


def test_a_tighter_allowed_delay_cap_never_helps_the_company() -> None:
    a = load()

    def with_delays(agreement: Any) -> Fraction:
        r = optimize(a, agreement)
        assert r.figures is not None
        return r.figures[1].value

    loose = with_delays(BUNDLED)
    tight = with_delays(BUNDLED.with_values({"allowed_delay.max_total": 5}))
    none = optimize(a, BUNDLED.with_values({"allowed_delay.max_total": 0}))
    assert none.figures is not None
    assert loose < tight < none.optimum
    assert none.figures[1].value == none.optimum


def test_random_small_assumption_sets_match_brute_force() -> None:
    import itertools
    import random

    from rra.solver.exposure import enumerate_timelines

    rng = random.Random(20030509)
    impossible = checked = 0
    for _ in range(40):
        a = small(
            as_of=rng.choice(["2004-02-29", "2004-04-30"]), grid_days=rng.choice([21, 28]),
            pfed={"earliest": "2003-08-01", "latest": rng.choice(["2003-08-01", "2003-10-01", "2003-12-31"]),
                  "may_never": rng.random() < 0.5},
            filing={"earliest": rng.choice(["2003-06-01", "2003-09-01"]), "max_days_late": rng.choice([0, 30, 60]),
                    "may_never": rng.random() < 0.3},
            sec={"review_min_days": rng.choice([14, 45]), "review_max_days": rng.choice([60, 150]),
                 "may_never_declare": rng.random() < 0.3},
            stop_orders={"max_count": rng.choice([0, 1]), "max_days": rng.choice([14, 30])},
            sales_blocked={"max_count": rng.choice([0, 1]), "max_days": rng.choice([21, 42])},
            not_listed={"max_count": rng.choice([0, 1]), "max_days": rng.choice([21, 28])},
            min_gap_days=rng.choice([1, 7]),
        )
        reading = rng.choice(READINGS)
        try:
            r = optimize(a, BUNDLED, reading, respond=False)
        except ImpossibleAssumptions:
            with pytest.raises(ImpossibleAssumptions):
                brute_force(a, BUNDLED, reading)
            impossible += 1
            continue
        if sum(1 for _ in itertools.islice(enumerate_timelines(a, BUNDLED), 30_001)) > 30_000:
            continue  # too many timelines for a unit test
        best, _, _ = brute_force(a, BUNDLED, reading)  # priced by the optimizer's own plain recount (fast)
        assert r.months * D == best, (a, reading)
        checked += 1
    assert impossible < 20 and checked >= 15


# ---------------------------------------------------------------------------------------------- redrafts


def redrafted(values: dict[str, Any], filing: tuple[str, str] = ("earliest", "filing.days_after_pfed"),
              effectiveness: str = "earliest") -> Any:
    """The bundled agreement with these values, the Filing Date combined as `filing[0]` from PFED +
    `filing[1]` days (in that parameter's own basis) and the 2(c) deadline, and the 2(c) effectiveness deadline
    combined as `effectiveness` ("earliest": the earlier of, "latest": the later of)."""
    from dataclasses import replace

    from rra.spec.elements import Offset

    ag = BUNDLED.with_values(values)
    combine, offset = filing
    terms = (Offset(anchor="pfed", offset=offset), Offset(fixed="filing.outside_date"))
    out = []
    for d in ag.model.deadlines:
        if d.id == "deadline.filing_date":
            d = replace(d, combine=combine, terms=terms)
        elif d.id == "deadline.effectiveness":
            d = replace(d, combine=effectiveness)
        out.append(d)
    return ag.with_model(deadlines=tuple(out))


REDRAFTS = {
    "effectiveness 60 days after the PFED": redrafted({"effectiveness.days_after_pfed": 60}),
    "filing 45 days after the PFED (--set)": BUNDLED.with_overrides(["filing.days_after_pfed=45"]),
    "effectiveness by the later of its two dates": redrafted({}, effectiveness="latest"),
    "filing by the later of PFED + 5 business days and the outside date": redrafted(
        {"s3.filing_business_days": 40}, filing=("latest", "s3.filing_business_days")),
}


@pytest.mark.parametrize("name", sorted(REDRAFTS))
def test_a_redrafted_deadline_changes_both_worst_cases_exactly_as_the_evaluator_prices_them(name: str) -> None:
    from rra.solver.evaluator import allowed_parts
    from rra.solver.maxmin import exposure

    a = load().with_values({"as_of": "2004-12-31"})
    ag = REDRAFTS[name]
    base = exposure(a, BUNDLED)
    x = exposure(a, ag)  # both figures are priced again by the evaluator inside: a disagreement raises
    for fig in (x.worst_case, x.with_allowed_delays):
        assert fig.timeline is not None
        sc = to_scenario(fig.timeline, a.principal, list(fig.allowed_delays))
        assert payment(sc, ag) == fig.value and allowed_parts(sc, ag)[1] == []
    assert x.worst_case.value != base.worst_case.value
    for reading in READINGS:
        r = optimize(a, ag, reading, respond=False)
        assert r.timeline is not None
        assert payment(to_scenario(r.timeline, a.principal), ag, reading) == r.optimum


def test_a_later_deadline_lowers_the_worst_case_and_an_earlier_one_raises_it() -> None:
    a = load().with_values({"as_of": "2004-12-31"})
    base = optimize(a, BUNDLED, respond=False).optimum
    assert optimize(a, REDRAFTS["effectiveness by the later of its two dates"], respond=False).optimum < base
    assert optimize(a, REDRAFTS["effectiveness 60 days after the PFED"], respond=False).optimum > base


SMALL_REDRAFT_SET = small(as_of="2004-04-30", grid_days=21,
                          pfed={"earliest": "2003-08-01", "latest": "2003-12-31", "may_never": True},
                          filing={"earliest": "2003-07-01", "max_days_late": 21, "may_never": True},
                          sec={"review_min_days": 21, "review_max_days": 147, "may_never_declare": True},
                          stop_orders={"max_count": 1, "max_days": 21}, not_listed={"max_count": 0, "max_days": 0})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fda=st.integers(0, 120), eda=st.integers(0, 240),
       fdo=st.dates(date(2003, 8, 1), date(2004, 2, 28)), edo=st.dates(date(2003, 10, 1), date(2004, 4, 30)),
       filing=st.sampled_from([("earliest", "filing.days_after_pfed"), ("latest", "filing.days_after_pfed"),
                               ("earliest", "s3.filing_business_days")]),
       effectiveness=st.sampled_from(["earliest", "latest"]), reading=st.sampled_from(READINGS))
def test_the_optimum_under_random_redrafted_deadlines_equals_brute_force_priced_by_the_evaluator(
        fda: int, eda: int, fdo: date, edo: date, filing: tuple[str, str], effectiveness: str, reading: str) -> None:
    values = {"filing.days_after_pfed": fda, "effectiveness.days_after_pfed": eda, "filing.outside_date": fdo,
              "effectiveness.outside_date": edo, "s3.filing_business_days": max(1, fda // 2)}
    ag = redrafted(values, filing, effectiveness)
    best, _, tried = brute_force(SMALL_REDRAFT_SET, ag, reading, evaluate=evaluator_scaled)
    r = optimize(SMALL_REDRAFT_SET, ag, reading, respond=False)
    assert tried > 100
    assert r.proved_optimal and r.months * D == best


def test_a_deadline_counted_from_the_filing_is_withheld_from_the_optimizer() -> None:
    from rra.spec.elements import Offset

    from rra.errors import Withheld

    ag = BUNDLED.with_deadline_terms({"deadline.effectiveness": (
        Offset(anchor="rs_filed", offset="effectiveness.days_after_pfed"), Offset(fixed="effectiveness.outside_date"))})
    with pytest.raises(Withheld, match=r'the deadline "Effectiveness deadline \(2\(c\)\)", it counts from') as exc:
        optimize(load(), ag, respond=False)
    assert exc.value.element == "deadline.effectiveness"  # the id, for --json


def test_a_principal_above_the_measures_largest_is_an_impossible_assumption() -> None:
    with pytest.raises(ImpossibleAssumptions) as exc:
        optimize(load(), BUNDLED.with_values({"debentures.max_principal": 500_000}), respond=False)
    assert exc.value.clashing == ["parameter debentures.max_principal", "principal"]


def test_the_allowed_delay_caps_and_the_month_convention_are_the_measures() -> None:
    from rra.solver.exposure import rules_of

    rules = rules_of(BUNDLED.with_values({"allowed_delay.max_total": 7, "payments.month_convention": "30-day"}))
    assert (rules.max_consecutive, rules.max_total, rules.window_months) == (10, 7, 12)
    assert rules.convention == "30-day" and rules.rate == Fraction("0.02") and rules.cap is None
    assert rules.ii_kinds == ("sales_blocked", "stop_orders") and rules.iii_kinds == ("not_listed",)


def test_the_optimizers_tables_are_built_once_per_assumption_set_and_cannot_be_changed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from rra.solver import exposure

    made: list[tuple[Any, ...]] = []
    real_i, real_dp = exposure._make_i_table, exposure._make_component_dp
    monkeypatch.setattr(exposure, "_make_i_table", lambda a, rules, reading: made.append(("i", a, reading))
                        or real_i(a, rules, reading))
    monkeypatch.setattr(exposure, "_make_component_dp", lambda a, kinds, conv, lo: made.append(("dp", a, kinds, lo))
                        or real_dp(a, kinds, conv, lo))
    agreement = BUNDLED.with_values({"payments.applicable_percentage": PARAMS["payments.applicable_percentage"]})  # its own tables
    a = small()
    first = optimize(a, agreement, "text")
    # the no-delay optimum (every reading) and the max-min (and, on this grid, the day-level bound) read them
    assert made and len(made) == len(set(made)), made
    assert {m[0] for m in made} == {"i", "dp"}
    n = len(made)
    assert optimize(a, agreement, "text").optimum == first.optimum and len(made) == n
    # a sweep's next point (another longest review) builds its own (i) tables and reads the same (iii) table
    optimize(a.replace(review_max_days=a.review_max_days - 14), agreement, "text")
    assert len(made) > n and {m[0] for m in made[n:]} == {"i"}
    best_i, _ = exposure._i_table(a, exposure.rules_of(agreement), "text")
    with pytest.raises(ValueError, match="read-only"):
        best_i[0] = 1


def test_a_possible_assumption_set_is_checked_once_and_an_impossible_one_every_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from rra.solver import assumptions

    asked: list[int] = []
    real = assumptions._check_possible
    monkeypatch.setattr(assumptions, "_check_possible", lambda *a: asked.append(1) or real(*a))
    agreement = BUNDLED.with_values({"payments.applicable_percentage": PARAMS["payments.applicable_percentage"]})  # its own memory
    a = small()
    check_possible(a, agreement)
    check_possible(a, agreement)
    assert len(asked) == 1
    bad = a.replace(review_min_days=200, review_max_days=100)
    for n in (2, 3):
        with pytest.raises(ImpossibleAssumptions):
            check_possible(bad, agreement)
        assert len(asked) == n


def test_a_cap_the_draft_sets_is_called_the_cap_not_an_override(agreement_text: str, tmp_path: Path) -> None:
    import re

    from .conftest import run_rra

    text = re.sub(r"(on\s+such\s+payment\s+date\.)", lambda m: m.group(1) + " The aggregate amount of all payments "
                  "under this Section 2(c) shall not exceed $100,000.", agreement_text, count=1)
    draft = tmp_path / "capped.txt"
    draft.write_text(text, encoding="utf-8")
    out = run_rra("exposure", "--agreement", str(draft)).stdout
    assert "the cap on total 2(c) payments binds: the no-delay worst case is the cap" in out
    assert "override" not in out


def test_the_worst_case_says_that_its_dates_may_fall_on_weekends_and_holidays() -> None:
    from rra.solver.assumptions import ANY_DAY, load
    from rra.visualize.report import assumption_rows

    assert ("Days on which events fall", "any calendar day", ANY_DAY) in assumption_rows(load(None))
    # the default worst case does use such a day: the Prior Financing Effective Date on a Saturday
    from rra.solver.calendars import from_day

    t = optimize(load(None), BUNDLED, respond=False).timeline
    assert t is not None and t.pfed is not None and from_day(t.pfed).weekday() >= 5


def test_the_worst_case_says_that_the_parts_of_2c_add_and_what_an_allowed_delay_excludes() -> None:
    # the lawyer's read of stop 33: the worst case counts (ii) and (iii) for the same days, and its best Allowed
    # Delays run Friday to Sunday, each excluding a weekend for one trading day; neither was said
    from rra.solver.assumptions import DELAY_DAYS, SUMMED, load
    from rra.visualize.report import assumption_rows

    rows = assumption_rows(load(None))
    assert ("Parts of 2(c) on the same day", "added", SUMMED) in rows
    assert ("Days an Allowed Delay excludes", "every calendar day it spans", DELAY_DAYS) in rows
    r = run_rra("exposure", "--as-of", "2004-12-31")
    assert r.returncode == 0 and SUMMED in r.stdout and DELAY_DAYS in r.stdout
