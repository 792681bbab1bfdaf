"""The evaluator: Section 2(c) components, partial months, Allowed Delays, holidays, deadlines and breaches."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from rra.solver.evaluator import evaluate, payment, reading_names
from rra.solver.months import add_months, months_between, months_in_run
from rra.solver.scenario import Scenario, load_scenario, scenario_from_dict
from rra.spec.text import normalize

from tests.support import BUNDLED, PARAMS, redraft

from .conftest import ROOT, run_rra

M = 1_000_000
RATE = Fraction(str(PARAMS["payments.applicable_percentage"]))


def sc(**kw: Any) -> Scenario:
    data: dict[str, Any] = {"principal": M, "as_of": "2004-12-31"}
    data.update(kw)
    return scenario_from_dict(data, "test.yaml", PARAMS)


def on_time(**kw: Any) -> Scenario:
    """PFED 2003-08-01: Filing Date 2003-08-31, effectiveness deadline 2003-10-30; filed and effective on time."""
    base: dict[str, Any] = {"prior_financing_effective": "2003-08-01", "filed": "2003-08-20", "effective": "2003-10-15"}
    base.update(kw)
    return sc(**base)


def usd(months: Fraction, principal: int = M) -> Fraction:
    return principal * RATE * months


# ------------------------------------------------------------------------------------ the worked example


def test_the_agreements_worked_example_one_month_late_pays_5000_for_each_250000() -> None:
    p = PARAMS
    pfed = date(2003, 8, 15)
    end_of_period = pfed + timedelta(days=p["payments.example_anchor_days"])
    effective = add_months(end_of_period, p["payments.example_months"])
    s = sc(principal=p["payments.example_principal"], prior_financing_effective=pfed, filed=end_of_period,
           effective=effective)
    assert payment(s, BUNDLED, reading="example") == p["payments.example_amount"]
    # "If thereafter, sales could not be made ... for an additional period of one (1) month ... an additional $5,000"
    later = effective + timedelta(days=10)
    s2 = sc(principal=p["payments.example_principal"], prior_financing_effective=pfed, filed=end_of_period,
            effective=effective, sales_blocked=[{"start": later, "end": add_months(later, 1) - timedelta(days=1)}])
    assert payment(s2, BUNDLED, reading="example") == 2 * p["payments.example_amount"]


def test_a_filing_one_month_late_pays_5000_for_each_250000_under_the_default_reading() -> None:
    s = sc(principal=250_000, prior_financing_effective="2003-08-15", filed="2003-09-20", effective="2003-10-14")
    assert payment(s, BUNDLED) == 5000  # Filing Date 2003-09-14, effective one month later


# ------------------------------------------------------------------------------------------ 2(c)(i)


def test_filing_on_time_and_effective_by_the_deadline_owes_nothing() -> None:
    e = evaluate(on_time(), BUNDLED)
    assert e.total == 0 and e.breaches == () and e.violations == ()


def test_late_effectiveness_counts_from_the_effectiveness_deadline_under_the_text_reading() -> None:
    e = evaluate(on_time(effective="2003-12-30"), BUNDLED)
    assert e.effectiveness_deadline == date(2003, 10, 30)
    assert e.components["2(c)(i)"].months == 2 and e.total == usd(Fraction(2))
    assert [b.element for b in e.breaches] == ["3(a).effective", "2(c).triggers"]


def test_the_three_readings_differ_when_march_15_2004_comes_before_the_ninety_day_period_ends() -> None:
    s = sc(prior_financing_effective="2004-01-10", filed="2003-12-10", effective="2004-05-15")
    e = evaluate(s, BUNDLED)
    assert e.filing_date == date(2003, 12, 15) and e.effectiveness_deadline == date(2004, 3, 15)
    assert e.readings["text"].total == usd(Fraction(2))  # 2004-03-15 to 2004-05-15
    assert e.readings["ninety-day-literal"].total == usd(1 + Fraction(6, 31))  # 2004-04-09 to 2004-05-15
    assert e.readings["example"].total == usd(Fraction(5))  # 2003-12-15 to 2004-05-15
    for name in reading_names(BUNDLED):
        assert payment(s, BUNDLED, reading=name) == e.readings[name].total


def test_a_registration_statement_never_filed_accrues_from_the_filing_date_through_as_of() -> None:
    e = evaluate(sc(as_of="2004-03-14"), BUNDLED)
    assert e.filing_date == PARAMS["filing.outside_date"]
    assert e.components["2(c)(i)"].months == 3 and e.total == usd(Fraction(3))
    b = next(b for b in e.breaches if b.element == "2(a).file")
    assert b.actual is None and b.ongoing and b.late_days == 90


def test_investor_delays_are_excluded_from_2c_i_by_their_share_of_the_month() -> None:
    e = evaluate(on_time(effective="2003-12-30", investor_delays=[{"start": "2003-11-01", "end": "2003-11-10"}]), BUNDLED)
    c = e.components["2(c)(i)"]
    assert c.months == 2 - Fraction(10, 31)  # the month 2003-10-30 .. 2003-11-29 has 31 days
    assert c.excluded_by == "2(c).investor_delays" and c.excluded[0].days == 10


def test_events_dated_after_as_of_have_not_happened_yet() -> None:
    e = evaluate(on_time(effective="2004-06-01", as_of="2004-04-14"), BUNDLED)
    assert e.components["2(c)(i)"].months == 5 + Fraction(16, 31)  # 2003-10-30 through 2004-04-14
    assert e.components["2(c)(ii)"].months == 0


# ----------------------------------------------------------------------------------------- 2(c)(ii)


def test_a_partial_month_is_prorated_over_the_length_of_the_month_then_in_progress() -> None:
    e = evaluate(on_time(sales_blocked=[{"start": "2004-02-01", "end": "2004-02-15"}]), BUNDLED)
    assert e.components["2(c)(ii)"].months == Fraction(15, 29)
    assert e.components["2(c)(ii)"].amount == usd(Fraction(15, 29))


def test_2004_03_15_to_2004_04_14_is_exactly_one_month() -> None:
    assert months_in_run(date(2004, 3, 15), date(2004, 4, 14)) == 1
    assert months_between(date(2004, 1, 31), date(2004, 2, 29)) == 1  # end of month clamped
    assert months_in_run(date(2004, 3, 15), date(2004, 4, 14), "30-day") == Fraction(31, 30)
    assert months_in_run(date(2004, 3, 15), date(2004, 4, 14), "actual-365") == Fraction(31 * 12, 365)


def test_allowed_delay_days_within_the_caps_are_not_counted_in_2c_ii() -> None:
    ten = {"start": "2004-03-01", "end": "2004-03-12"}  # Monday to Friday of the next week: 10 trading days
    e = evaluate(on_time(sales_blocked=[ten], allowed_delays=[ten]), BUNDLED)
    assert e.components["2(c)(ii)"].months == 0 and e.violations == ()
    assert e.components["2(c)(ii)"].excluded_by == "2(c).allowed_delay"


def test_an_allowed_delay_longer_than_ten_trading_days_is_a_3f_violation_and_the_excess_counts() -> None:
    period = {"start": "2004-03-01", "end": "2004-03-19"}  # 15 trading days
    e = evaluate(on_time(sales_blocked=[period], allowed_delays=[period]), BUNDLED)
    assert [v.section for v in e.violations] == ["3(f)"] and "15 trading days" in e.violations[0].message
    assert e.components["2(c)(ii)"].months == Fraction(7, 31)  # 2004-03-13 .. 2004-03-19
    assert e.allowed_delay_days[0].end == date(2004, 3, 12)


def test_more_than_twenty_allowed_delay_trading_days_in_twelve_months_is_a_violation() -> None:
    ads = [{"start": "2004-03-01", "end": "2004-03-12"}, {"start": "2004-05-03", "end": "2004-05-14"},
           {"start": "2004-08-02", "end": "2004-08-13"}, {"start": "2005-04-04", "end": "2005-04-15"}]
    e = evaluate(on_time(as_of="2005-12-31", allowed_delays=ads,
                         sales_blocked=[{"start": "2004-08-02", "end": "2004-08-13"},
                                        {"start": "2005-04-04", "end": "2005-04-15"}]), BUNDLED)
    assert any(v.section == "3(f)" and "more than 20 trading days in a 12-month period" in v.message for v in e.violations)
    # the third delay is beyond the total and counts in full; a year after the first, delays are allowed again
    assert e.components["2(c)(ii)"].months == months_in_run(date(2004, 8, 2), date(2004, 8, 13))
    assert [r.start for r in e.allowed_delay_days] == [date(2004, 3, 1), date(2004, 5, 3), date(2005, 4, 4)]


def test_an_allowed_delay_cut_out_of_a_run_never_adds_months() -> None:
    e = evaluate(on_time(sales_blocked=[{"start": "2004-01-29", "end": "2004-02-28"}],
                         allowed_delays=[{"start": "2004-01-30", "end": "2004-01-30"}]), BUNDLED)
    assert e.components["2(c)(ii)"].months == 1 - Fraction(1, 31)


def test_two_blocked_periods_that_merge_can_count_fewer_calendar_months_than_apart() -> None:
    apart = on_time(sales_blocked=[{"start": "2004-01-29", "end": "2004-01-29"}, {"start": "2004-01-31", "end": "2004-02-28"}])
    merged = on_time(sales_blocked=[{"start": "2004-01-29", "end": "2004-02-28"}])
    assert evaluate(apart, BUNDLED).components["2(c)(ii)"].months == Fraction(32, 31)
    assert evaluate(merged, BUNDLED).components["2(c)(ii)"].months == 1


def test_stop_orders_and_blocked_sales_that_overlap_count_once() -> None:
    e = evaluate(on_time(sales_blocked=[{"start": "2004-03-01", "end": "2004-03-15"}],
                         stop_orders=[{"start": "2004-03-10", "end": "2004-03-31"}]), BUNDLED)
    assert e.components["2(c)(ii)"].months == 1


def test_days_before_effectiveness_do_not_count_toward_2c_ii_or_2c_iii() -> None:
    e = evaluate(on_time(effective="2004-01-15", not_listed=[{"start": "2004-01-01", "end": "2004-01-31"}],
                         sales_blocked=[{"start": "2003-11-01", "end": "2003-11-30"}]), BUNDLED)
    assert e.components["2(c)(iii)"].months == Fraction(17, 31) and e.components["2(c)(ii)"].months == 0


# ----------------------------------------------------------------------------------------- 2(c)(iii)


def test_a_month_not_listed_after_effectiveness_pays_the_applicable_percentage() -> None:
    e = evaluate(on_time(not_listed=[{"start": "2004-07-01", "end": "2004-07-31"}]), BUNDLED)
    assert e.components["2(c)(iii)"].months == 1 and e.total == usd(Fraction(1))
    assert e.components["2(c)(iii)"].periods[0].days == 31


# ------------------------------------------------------------------------------------ holidays and closures


def test_a_holiday_inside_an_allowed_delay_is_not_a_trading_day() -> None:
    with_holiday = evaluate(on_time(allowed_delays=[{"start": "2004-02-09", "end": "2004-02-23"}]), BUNDLED)  # Presidents' Day
    without = evaluate(on_time(allowed_delays=[{"start": "2004-03-08", "end": "2004-03-22"}]), BUNDLED)
    assert with_holiday.violations == ()
    assert [v.section for v in without.violations] == ["3(f)"] and "11 trading days" in without.violations[0].message


def test_the_2004_06_11_closure_is_not_a_trading_day_for_allowed_delays() -> None:
    period = {"start": "2004-06-01", "end": "2004-06-15"}  # 10 trading days only because the NYSE closed on 06-11
    e = evaluate(on_time(allowed_delays=[period], sales_blocked=[period]), BUNDLED)
    assert e.violations == () and e.components["2(c)(ii)"].months == 0


def test_business_day_deadlines_skip_federal_holidays() -> None:
    # 5 business days from Tue 23 Dec 2003: 24, 29, 30, 31 Dec and 2 Jan (Christmas, the 26 December closure of
    # the federal government and New Year's Day are not business days)
    e = evaluate(on_time(s3_eligible="2003-12-23", s3_filed="2004-01-05"), BUNDLED)
    d = next(d for d in e.deadlines if d.id == "deadline.s3_filing")
    assert d.due == date(2004, 1, 2) and d.basis == "business"
    b = next(b for b in e.breaches if b.element == "2(e).s3_file")
    assert b.late_days == 1 and b.remedies == ("remedy.2c_payments",)


# ----------------------------------------------------------------------------------- deadlines and breaches


def test_sec_comments_answered_late_are_a_3c_breach_counted_in_calendar_days() -> None:
    e = evaluate(on_time(sec_comments=[{"received": "2003-09-01", "answered": "2003-09-15"}]), BUNDLED)
    b = next(b for b in e.breaches if b.element == "3(c).respond_comments")
    assert (b.due, b.late_days, b.basis, b.deadline) == (date(2003, 9, 11), 4, "calendar", "deadline.comment_response[0]")


def test_documents_furnished_late_are_counted_in_business_days_around_thanksgiving() -> None:
    e = evaluate(on_time(documents=[{"filed": "2003-11-26", "furnished": "2003-12-02"}]), BUNDLED)
    b = next(b for b in e.breaches if b.element == "3(c).furnish_documents")
    assert b.due == date(2003, 12, 1) and b.late_days == 1


def test_every_deadline_comes_from_the_model_with_its_clause_and_quote() -> None:
    e = evaluate(on_time(s3_eligible="2003-09-02", more_shares_needed="2004-02-01", comments_cleared="2003-10-01",
                         effectiveness_order="2003-10-15", first_anticipated_filing="2003-08-20",
                         sec_comments=[{"received": "2003-09-01"}], documents=[{"filed": "2003-08-20"}],
                         notices=[{"sent": "2003-09-01", "method": "mail"}]), BUNDLED)
    ids = {d.id for d in e.deadlines}
    assert ids == {"deadline.filing_date", "deadline.effectiveness", "deadline.effectiveness_3a", "deadline.s3_filing",
                   "deadline.s3_effective", "deadline.additional_filing", "deadline.additional_effective",
                   "deadline.additional_payment", "deadline.furnish_documents", "deadline.furnish_prospectus",
                   "deadline.comment_response", "deadline.acceleration", "deadline.final_prospectus",
                   "deadline.transfer_agent", "deadline.investor_info_notice", "deadline.notice_effective_mail",
                   "deadline.ninety_day_period"}
    doc = BUNDLED.document
    for d in e.deadlines:
        assert normalize(d.quote) in doc.normalized(d.clause)
    notice = next(d for d in e.deadlines if d.id == "deadline.investor_info_notice")
    assert notice.due == date(2003, 8, 13)  # five business days before 2003-08-20


def test_a_mailed_notice_takes_effect_five_days_after_mailing_and_email_is_not_allowed() -> None:
    e = evaluate(on_time(notices=[{"sent": "2003-10-01", "method": "mail"}, {"sent": "2003-10-02", "method": "email"}]), BUNDLED)
    assert e.notices[0].effective == date(2003, 10, 6)
    assert [v.section for v in e.violations] == ["11(b)"]


def test_events_out_of_order_are_violations_by_the_scenario() -> None:
    e = evaluate(on_time(sec_comments=[{"received": "2003-08-10"}], acceleration_requested="2003-09-01",
                         comments_cleared="2003-09-05"), BUNDLED)
    assert {v.section for v in e.violations} == {"3(c)"} and len(e.violations) == 2


# --------------------------------------------------------------------------------- parameters and redrafts


def test_a_redraft_override_changes_the_result() -> None:
    s = load_scenario(ROOT / "examples" / "scenario.yaml", PARAMS)
    base = payment(s, BUNDLED)
    assert payment(s, redraft("payments.applicable_percentage=0.03")) == base * Fraction(3, 2)
    shorter = redraft("allowed_delay.max_consecutive=5")
    assert evaluate(s, shorter).components["2(c)(ii)"].months > evaluate(s, BUNDLED).components["2(c)(ii)"].months
    later = redraft("filing.days_after_pfed=60")
    assert evaluate(s, later).filing_date == date(2003, 9, 30) and payment(s, later) < base


def test_a_cap_in_a_redraft_limits_the_total_but_not_the_components() -> None:
    s = load_scenario(ROOT / "examples" / "scenario.yaml", PARAMS)
    e = evaluate(s, redraft("payments.cap=1000"))
    assert e.total == 1000 and sum(c.amount for c in e.components.values()) > 1000


def test_the_month_convention_can_be_chosen_by_the_scenario_or_the_parameters() -> None:
    period = [{"start": "2004-02-01", "end": "2004-02-15"}]
    assert evaluate(on_time(sales_blocked=period, month_convention="30-day"), BUNDLED).components["2(c)(ii)"].months == Fraction(1, 2)
    e = evaluate(on_time(sales_blocked=period), redraft("payments.month_convention=actual-365"))
    assert e.components["2(c)(ii)"].months == Fraction(15 * 12, 365) and e.month_convention == "actual-365"


def test_holders_share_the_payment_in_proportion_to_their_outstanding_principal() -> None:
    s = sc(prior_financing_effective="2003-08-01", filed="2003-08-20", effective="2003-12-30",
           holders=[{"name": "Alpha", "principal": 300_000, "converted": 100_000}, {"name": "Bristol", "principal": 600_000}])
    e = evaluate(s, BUNDLED)
    assert e.principal == M and e.total == usd(Fraction(2))
    assert [h.amount for h in e.holders] == [e.total * 4 / 10, e.total * 6 / 10]


def test_each_component_rests_on_words_found_verbatim_in_section_2c() -> None:
    text = BUNDLED.document.normalized("2(c)")
    for c in BUNDLED.measure.components:
        assert normalize(c.quote) in text


# ----------------------------------------------------------------------------------------------- the CLI


def test_rra_damages_json_has_the_documented_shape_and_is_stable() -> None:
    r = run_rra("damages", str(ROOT / "examples" / "scenario.yaml"), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= {"total", "components", "readings", "deadlines", "breaches", "violations", "months", "details"}
    assert set(data["components"]) == {"2(c)(i)", "2(c)(ii)", "2(c)(iii)"}
    assert set(data["readings"]) == set(reading_names(BUNDLED))
    assert data["total"] == pytest.approx(sum(data["components"].values()), abs=0.02)
    assert all({"clause", "quote", "months", "periods"} <= set(d) for d in data["details"].values())
    assert run_rra("damages", str(ROOT / "examples" / "scenario.yaml"), "--json").stdout == r.stdout


def test_rra_damages_says_from_which_day_the_months_of_a_period_with_excluded_days_are_measured() -> None:
    # the outputs read of stop 32 (defect 4): 14 Feb-31 Mar 2004 counts 1.5539 months cut from a run that starts on
    # 2 Feb 2004 (1.5806 on its own); the table alone did not say which anchor it used
    r = run_rra("damages", str(ROOT / "examples" / "scenario.yaml"))
    assert r.returncode == 0, r.stderr
    assert ("2(c)(ii): its months run from the first day of each unbroken period, excluded days included (from "
            "2004-02-02), and the excluded days' share of those months is taken off.") in r.stdout
    thirty = run_rra("damages", str(ROOT / "examples" / "scenario.yaml"), "--set", "payments.month_convention=30-day")
    assert "its months run from" not in thirty.stdout  # days over thirty: no anchor to state


def test_rra_damages_reading_and_set_change_the_headline_total() -> None:
    base = json.loads(run_rra("damages", str(ROOT / "examples" / "scenario.yaml"), "--json").stdout)
    redraft = json.loads(run_rra("damages", str(ROOT / "examples" / "scenario.yaml"), "--json", "--set",
                                 "payments.applicable_percentage=0.01").stdout)
    assert redraft["total"] == pytest.approx(base["total"] / 2, abs=0.01)
    ex = json.loads(run_rra("damages", str(ROOT / "examples" / "scenario-readings.yaml"), "--json", "--reading", "example").stdout)
    assert ex["reading"] == "example" and ex["total"] == ex["readings"]["example"] != ex["readings"]["text"]


def test_the_table_names_each_figure_with_its_clause() -> None:
    r = run_rra("damages", str(ROOT / "examples" / "scenario.yaml"))
    assert r.returncode == 0, r.stderr
    for cid in ("2(c)(i)", "2(c)(ii)", "2(c)(iii)"):
        assert cid in r.stdout
    # each element by its name or words (the ids are for --json)
    for said in ("the carve-out of 2(c): Allowed Delay days do not count toward (ii)", "Filing Date",
                 "prepare and file a Registration Statement covering the Registrable Securities",
                 "Section 2(c) payments"):
        assert said in r.stdout, said
    for eid in ("2(c).allowed_delay", "deadline.filing_date", "2(a).file", "remedy.2c_payments", "pfed +"):
        assert eid not in r.stdout, eid
    assert "Prior Financing Effective Date + 30 calendar days (filing.days_after_pfed)" in r.stdout  # --set's name
    assert "$123,982.20" in r.stdout
    full = run_rra("damages", str(ROOT / "examples" / "scenario-full.yaml")).stdout
    assert "Answer SEC comments (the 1st in the scenario)" in full and "Answer SEC comments (the 2nd in the scenario)" in full
    assert "deadline.comment_response" not in full
    assert "due before the obligation arose (Company first eligible for Form S-3 on 2004-05-03)" in full
    assert "s3_eligible" not in full


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("scenario*.*")), ids=lambda p: p.name)
def test_every_example_scenario_evaluates_and_payment_agrees_with_evaluate(path: Any) -> None:
    s = load_scenario(path, PARAMS)
    e = evaluate(s, BUNDLED)
    for name in reading_names(BUNDLED):
        assert payment(s, BUNDLED, reading=name) == e.readings[name].total
    assert e.total == sum(c.amount for c in e.components.values()) or e.cap is not None


def test_an_allowed_delay_within_the_caps_covers_its_trailing_weekend() -> None:
    period = {"start": "2004-03-01", "end": "2004-03-14"}  # Monday to Sunday: 10 trading days
    e = evaluate(on_time(sales_blocked=[period], allowed_delays=[period]), BUNDLED)
    assert e.components["2(c)(ii)"].months == 0 and e.allowed_delay_days[0].end == date(2004, 3, 14)
    longer = {"start": "2004-03-01", "end": "2004-03-21"}  # 15 trading days: only up to the 10th counts as allowed
    e2 = evaluate(on_time(sales_blocked=[longer], allowed_delays=[longer]), BUNDLED)
    assert e2.allowed_delay_days[0].end == date(2004, 3, 12)
    assert e2.components["2(c)(ii)"].periods[0].start == date(2004, 3, 13)


def test_a_deadlines_rule_names_its_events_but_leaves_parameter_names_whole() -> None:
    from rra.commands.damages import _event_names, _rule

    events = _event_names(BUNDLED)
    assert _rule(events, "pfed + 30 calendar days (filing.days_after_pfed)") == (
        "Prior Financing Effective Date + 30 calendar days (filing.days_after_pfed)")
    # "agreement" and "date" are an event's id and a word; a dotted parameter name is left as it is
    assert _rule(events, "fixed date agreement.date = 2003-05-09") == "fixed date agreement.date = 2003-05-09"


def test_a_cent_lost_to_rounding_is_said_not_left_as_a_sum_that_does_not_add_up() -> None:
    # the outputs read of stop 32 (defect 11): $72,903.23 + $31,078.98 + $20,000.00 is $123,982.21, the total $123,982.20
    from rra.output import CENTS, cents_note

    assert cents_note([72903.23, 31078.98, 20000.0], 123982.20) == [CENTS]
    assert cents_note([1.0, 2.0], 3.0) == []
    assert cents_note([100000.0, 90000.0], 150000.0) == []  # a cap is not rounding
    r = run_rra("damages", str(ROOT / "examples" / "scenario.yaml"))
    assert CENTS in r.stdout
