"""Scenario files: every kind of bad input is one line naming the field and the value, exit status 2."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from rra.solver.scenario import Period, load_scenario, scenario_from_dict, scenario_to_dict
from rra.spec.overrides import parameter_set

from rra.errors import BadInput
from tests.support import PARAMS

from .conftest import ROOT, run_rra

GOOD = """\
principal: 1000000
prior_financing_effective: 2003-08-01
filed: 2003-09-30
effective: 2003-12-20
as_of: 2004-12-31
"""

# (test id, file name, content, field named, value named, words of the problem)
BAD = [
    ("malformed YAML", "s.yaml", "principal: [1000000\nas_of: 2004-12-31\n", "scenario", "s.yaml", "not valid YAML"),
    ("malformed JSON", "s.json", '{"principal": 1000000, "as_of": "2004-12-31",}', "scenario", "s.json", "not valid JSON"),
    ("a value that is not a date", "s.yaml", GOOD.replace("filed: 2003-09-30", "filed: 2003-09-31"), "filed",
     "'2003-09-31'", "expected a date"),
    ("a date and time instead of a date", "s.yaml", GOOD.replace("filed: 2003-09-30", "filed: 2003-09-30 10:00:00"),
     "filed", "2003-09-30T10:00:00", "not a date and time"),
    ("a negative principal", "s.yaml", GOOD.replace("principal: 1000000", "principal: -5"), "principal", "-5",
     "must not be negative"),
    ("a principal that is not a number", "s.json", json.dumps({"principal": "lots", "as_of": "2004-12-31"}), "principal",
     "'lots'", "expected an amount"),
    ("a period ending before it starts", "s.yaml",
     GOOD + "sales_blocked: [{start: 2004-02-02, end: 2004-03-31}, {start: 2004-05-02, end: 2004-05-01}]\n",
     "sales_blocked[1].end", "'2004-05-01'", "ends before it starts"),
    ("an unknown key with a suggestion", "s.yaml", GOOD + "sales_blokced: []\n", "sales_blokced", "[]",
     "did you mean 'sales_blocked'"),
    ("an unknown key inside a period", "s.yaml", GOOD + "not_listed: [{start: 2004-07-01, ned: 2004-07-31}]\n",
     "not_listed[0].ned", "2004-07-31", "did you mean 'end'"),
    ("effectiveness before filing", "s.yaml", GOOD.replace("effective: 2003-12-20", "effective: 2003-09-01"), "effective",
     "'2003-09-01'", "before the Registration Statement was filed"),
    ("effectiveness without a filing", "s.yaml", GOOD.replace("filed: 2003-09-30", "filed: null"), "effective",
     "'2003-12-20'", "never filed"),
    ("an event before the agreement date", "s.yaml", GOOD.replace("filed: 2003-09-30", "filed: 2003-05-01"), "filed",
     "'2003-05-01'", "before the agreement date (2003-05-09)"),
    ("a principal above the Debentures' maximum", "s.yaml", GOOD.replace("principal: 1000000", "principal: 1000001"),
     "principal", "1000001", "exceeds the Debentures' maximum"),
    ("a missing as_of", "s.yaml", GOOD.replace("as_of: 2004-12-31\n", ""), "as_of", "None", "required"),
    ("comments answered before they arrived", "s.yaml",
     GOOD + "sec_comments: [{received: 2003-10-20, answered: 2003-10-10}]\n", "sec_comments[0].answered", "'2003-10-10'",
     "before the comments were received"),
    ("an unknown notice method", "s.yaml", GOOD + "notices: [{sent: 2003-10-01, method: pigeon}]\n",
     "notices[0].method", "'pigeon'", "unknown method"),
    ("a business calendar typo", "s.yaml", GOOD + "business_calendar: us-federl\n", "business_calendar", "'us-federl'",
     "did you mean 'us-federal'"),
    ("holders who differ from the principal", "s.yaml",
     GOOD + "holders: [{name: Alpha, principal: 400000}, {name: Bristol, principal: 500000}]\n", "principal",
     "1000000", "differs from the holders' total (900000)"),
    ("a list that is not a list", "s.yaml", GOOD + "stop_orders: 2004-01-01\n", "stop_orders", "2004-01-01",
     "expected a list"),
    ("overlapping Allowed Delays", "s.yaml",
     GOOD + "allowed_delays: [{start: 2004-02-02, end: 2004-02-06}, {start: 2004-02-05, end: 2004-02-10}]\n",
     "allowed_delays[1].start", "'2004-02-05'", "overlaps another Allowed Delay"),
    ("a file that is not a mapping", "s.yaml", "- 1\n- 2\n", "s.yaml", "list", "expected a mapping"),
    ("a date outside the calendars", "s.yaml", GOOD.replace("as_of: 2004-12-31", "as_of: 2099-12-31"), "as_of",
     "'2099-12-31'", "outside the calendars' range"),
]


@pytest.mark.parametrize(("name", "fname", "content", "field", "value", "problem"), BAD, ids=[b[0] for b in BAD])
def test_bad_scenario_input_is_one_line_naming_field_and_value_with_exit_status_2(
        tmp_path: Path, name: str, fname: str, content: str, field: str, value: str, problem: str) -> None:
    path = tmp_path / fname
    path.write_text(content)
    r = run_rra("damages", str(path))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    line = r.stderr.removeprefix("rra damages: ")
    assert line.startswith(field) or line.startswith(str(path)), line
    assert value in line and problem in line, line


def test_a_missing_file_is_refused_in_one_line() -> None:
    r = run_rra("damages", "no/such/scenario.yaml")
    assert r.returncode == 2 and "cannot read file" in r.stderr and r.stderr.count("\n") == 1


def test_an_unknown_reading_is_refused_in_one_line() -> None:
    r = run_rra("damages", str(ROOT / "examples" / "scenario.yaml"), "--reading", "texx")
    assert r.returncode == 2 and r.stdout == ""
    assert "--reading: 'texx': unknown reading; expected one of text" in r.stderr


def test_a_redraft_of_the_maximum_principal_changes_what_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(GOOD.replace("principal: 1000000", "principal: 2000000"))
    assert run_rra("damages", str(path)).returncode == 2
    assert run_rra("damages", str(path), "--set", "debentures.max_principal=3000000").returncode == 0


def test_yaml_and_json_files_give_the_same_scenario(tmp_path: Path) -> None:
    y = load_scenario(ROOT / "examples" / "scenario.yaml", PARAMS)
    j = tmp_path / "scenario.json"
    j.write_text(json.dumps(scenario_to_dict(y)))
    assert load_scenario(j, PARAMS) == y


def test_periods_dates_and_amounts_are_parsed_exactly() -> None:
    s = scenario_from_dict({"principal": "250,000.50", "as_of": "2004-01-31",
                            "sales_blocked": [{"start": "2004-01-02", "end": date(2004, 1, 9)}]}, "x.yaml", PARAMS)
    assert s.principal == Fraction(25000050, 100)
    assert s.sales_blocked == (Period(date(2004, 1, 2), date(2004, 1, 9)),)
    assert s.name == "x"


def test_holders_give_the_outstanding_principal_including_converted_principal() -> None:
    s = scenario_from_dict({"as_of": "2004-12-31", "holders": [
        {"name": "Alpha", "principal": 300000, "converted": 100000}, {"name": "Bristol", "principal": 250000}]}, "test", PARAMS)
    assert s.outstanding_principal == 650000 and s.principal == 650000


def test_need_determined_defaults_to_when_more_shares_became_necessary() -> None:
    s = scenario_from_dict({"principal": 1, "as_of": "2004-12-31", "more_shares_needed": "2004-03-01"}, "test", PARAMS)
    assert s.need_determined == date(2004, 3, 1)


def test_validation_reads_the_redrafted_agreement_date() -> None:
    data = {"principal": 1, "as_of": "2004-12-31", "filed": "2003-06-01"}
    scenario_from_dict(data, "test", PARAMS)
    with pytest.raises(BadInput, match="before the agreement date"):
        scenario_from_dict(data, "test", parameter_set(["agreement.date=2003-07-01"]))
