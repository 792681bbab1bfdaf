"""Invariants: the catalogue's verdicts, the Allowed Delay proof, the expression language, `rra prove`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import z3
from rra.solver.adproof import blackout_proof, calendar_facts, cap_proof, induction_step_proved
from rra.solver.calendars import DEFAULT_CALENDAR, FIRST_YEAR, LAST_YEAR, day, window_ends
from rra.solver.encoding import Encoding
from rra.solver.expr import compile_expr, load_invariants
from rra.solver.invariants import check_all
from rra.solver.months import add_months
from rra.solver.z3util import lex_minimize, memo_solver
from rra.spec.invariants import CATALOGUE

from rra.errors import BadInput
from tests.support import BUNDLED

from .conftest import ROOT, run_rra


def test_every_catalogue_verdict_is_decided_and_honest() -> None:
    for v in check_all(BUNDLED, [i.id for i in CATALOGUE]):
        assert v.status in {"proved", "refuted"}, (v.id, v.reason)
        if v.status == "proved":
            assert v.vacuous is False and v.counterexample is None
        else:
            assert v.counterexample and all({"date", "event", "clause"} <= set(r) for r in v.counterexample)


def test_in_every_counterexample_what_the_company_or_the_sec_does_falls_on_a_business_day() -> None:
    # a filing or a declaration of effectiveness on a Sunday is not an example a lawyer can use
    from rra.solver.calendars import Calendar

    acts = {e.id for e in BUNDLED.model.events if e.controlled_by in ("company", "sec") and e.record} | {"pfed"}
    seen = 0
    for v in check_all(BUNDLED, [i.id for i in CATALOGUE]):
        for row in v.counterexample or []:
            if row["id"] in acts:
                seen += 1
                assert Calendar().is_business_day(date.fromisoformat(row["date"])), (v.id, row)
    assert seen >= 4  # the filings, effectiveness and the Prior Financing Effective Date of the refutations


def test_no_counterexample_stops_sales_or_misleads_before_the_statement_could_be_effective() -> None:
    # the outputs read of stop 32 (defect 2): Allowed Delays, blocked sales and misleading prospectuses dated on the
    # signing date, weeks before any filing, are timelines the agreement cannot produce
    from rra.solver.invariants import _default_assumptions

    a = _default_assumptions()
    earliest = (a.filing_earliest + timedelta(days=a.review_min_days)).isoformat()
    presupposing = {"allowed_delays", "blocked", "not_listed", "stop_orders", "material_event", "stop_order",
                    "suspension_notice"}
    seen = 0
    for v in check_all(BUNDLED, [i.id for i in CATALOGUE]):
        rows = v.counterexample or []
        effective = next((r["date"] for r in rows if r["id"] == "rs_effective"), earliest)
        for row in rows:
            if row["id"] in presupposing:
                seen += 1
                assert row["date"] >= effective >= earliest, (v.id, row, effective)
    assert seen >= 5


def test_the_2c_and_3a_deadlines_are_refuted_with_a_pfed_of_december_17_2003() -> None:
    v = check_all(BUNDLED, ["effectiveness-deadlines-agree"])[0]
    assert v.status == "refuted"
    rows = {r["id"]: r["date"] for r in v.counterexample or []}
    assert rows["deadline.effectiveness"] == "2004-03-15" and rows["deadline.effectiveness_3a"] > "2004-03-15"


def test_the_blackout_is_refuted_as_unbounded() -> None:
    v = check_all(BUNDLED, ["investor-blackout-bounded"])[0]
    assert v.status == "refuted"


def test_the_allowed_delay_caps_are_proved_for_any_number_of_delays_and_not_vacuously() -> None:
    v = cap_proof(BUNDLED)
    assert v.status == "proved" and v.vacuous is False
    assert "any number of delays" in v.statement


def test_an_induction_step_with_a_rule_one_day_too_loose_is_not_proved() -> None:
    assert induction_step_proved(20)
    assert not induction_step_proved(20, slack=1)
    assert not induction_step_proved(0, slack=1)


def test_the_longest_blackout_from_allowed_delays_alone_is_max_total_trading_days() -> None:
    v = blackout_proof(BUNDLED)
    assert v.status == "proved" and v.vacuous is False and "20 consecutive trading days" in v.statement
    shorter = blackout_proof(BUNDLED.with_values({"allowed_delay.max_total": "12"}))
    assert shorter.status == "proved" and "12 consecutive" in shorter.statement


def test_a_blackout_cap_longer_than_the_shortest_window_is_unknown_with_the_reason() -> None:
    v = blackout_proof(BUNDLED.with_values({"allowed_delay.max_total": "250"}))
    assert v.status == "unknown" and v.reason and "shortest" in v.reason


def test_a_redraft_of_the_caps_is_proved_with_the_new_numbers() -> None:
    params = BUNDLED.with_values({"allowed_delay.max_consecutive": "5", "allowed_delay.max_total": "8"})
    v = check_all(params, ["allowed-delay-caps"])[0]
    assert v.status == "proved" and "5 consecutive" in v.statement and "8 trading days" in v.statement


def test_a_redraft_can_turn_a_proof_into_a_refutation() -> None:
    params = BUNDLED.with_values({"filing.outside_date": "2004-04-01"})
    v = check_all(params, ["filing-before-effectiveness-deadline"])[0]
    assert v.status == "refuted"
    assert any(r["id"] == "deadline.filing_date" and r["date"] == "2004-04-01" for r in v.counterexample or [])


ENC = Encoding(BUNDLED)


@pytest.mark.parametrize("text", [
    "deadline.filing_date <= date('2003-12-15')",
    "implies(happened(pfed), deadline.filing_date <= pfed + param('filing.days_after_pfed'))",
    "min(rs_filed, 3) + 2 * 4 - -1 < max(pfed, rs_effective, 7)",
    "0 <= days_i('example') and not (days_ii() < 0) or days_iii() == 0",
    "if_(exists(deadline.effectiveness_3a), deadline.effectiveness_3a, 0) >= 0",
    "business_days(pfed, pfed + 10) <= trading_days(0, 30)",
])
def test_the_expression_language_compiles_its_documented_forms(text: str) -> None:
    compile_expr(ENC, text)


@pytest.mark.parametrize(("text", "problem"), [
    ("__import__('os').system('true')", "unknown function"),
    ("rs_filed.__class__", "only deadline.<name>"),
    ("pfed ** 2", "not part of the invariant language"),
    ("pfed * rs_filed", "multiply only by a whole number"),
    ("deadline.nope < 3", "unknown deadline"),
    ("date('2003-13-01') > 0", "not a date"),
    ("happened(pfed) + 1", "expected a number"),
    ("[x for x in ()]", "not part of the invariant language"),
    ("lambda: 1", "not part of the invariant language"),
    ("pfed <", "not a valid expression"),
    ("param('no.such') > 0", "unknown parameter"),
    ("days_i('other') > 0", "unknown reading"),
])
def test_anything_outside_the_language_is_a_one_line_bad_input(text: str, problem: str) -> None:
    with pytest.raises(BadInput) as exc:
        compile_expr(ENC, text, "claim")
    assert problem in str(exc.value) and "\n" not in str(exc.value)


def test_the_example_invariants_file_loads_and_proves(tmp_path: Path) -> None:
    r = run_rra("prove", "--json", "--no-catalogue", "--invariants", str(ROOT / "examples" / "invariants.yaml"))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    status = {v["id"]: v["status"] for v in data["invariants"]}
    assert status["user.filing-date-by-outside-date"] == "proved"
    assert status["user.ninety-days-after-pfed"] == "refuted"
    for v in data["invariants"]:
        assert set(v) >= {"id", "statement", "sections", "status", "vacuous", "counterexample", "reason"}


def test_an_assumption_that_cannot_hold_is_reported_as_vacuous_not_proved(tmp_path: Path) -> None:
    f = tmp_path / "inv.yaml"
    f.write_text("invariants:\n  - id: v\n    statement: s\n    sections: ['2(a)']\n"
                 "    assume: ['pfed < 0']\n    claim: 'rs_filed == 3'\n", encoding="utf-8")
    r = run_rra("prove", "--json", "--no-catalogue", "--invariants", str(f))
    v = json.loads(r.stdout)["invariants"][0]
    assert v["status"] == "unknown" and v["vacuous"] is True


@pytest.mark.parametrize(("content", "field"), [
    ("invariants: 3\n", "--invariants"),
    ("invariants:\n  - id: a\n    statement: s\n    claim: 'nope(1)'\n", "invariants[a].claim"),
    ("invariants:\n  - id: a\n    statement: s\n    claim: 'pfed'\n", "invariants[a].claim"),
    ("invariants:\n  - id: a\n    statement: s\n    claim: 'pfed > 0'\n    colour: red\n", "invariants[0].colour"),
    ("invariants: [\n", "--invariants"),
])
def test_a_bad_invariants_file_is_one_line_and_exit_status_2(tmp_path: Path, content: str, field: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(content, encoding="utf-8")
    r = run_rra("prove", "--no-catalogue", "--invariants", str(f))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and field in r.stderr, r.stderr


def test_load_invariants_rejects_duplicate_ids(tmp_path: Path) -> None:
    f = tmp_path / "dup.yaml"
    f.write_text("invariants:\n  - {id: a, statement: s, claim: 'pfed > 0'}\n  - {id: a, statement: s, claim: 'pfed > 0'}\n",
                 encoding="utf-8")
    with pytest.raises(BadInput):
        load_invariants(f, BUNDLED)


@pytest.mark.parametrize("months", [1, 12, 13])
def test_the_window_ends_are_add_months_of_every_day_the_calendars_cover(months: int) -> None:
    first = date(FIRST_YEAR, 1, 1)
    ends = window_ends(months)
    assert len(ends) == day(date(LAST_YEAR, 12, 31), first) + 1
    assert all(e == day(add_months(first + timedelta(days=k), months), first) for k, e in enumerate(ends))


def test_the_shortest_window_holds_the_trading_days_counted_day_by_day() -> None:
    monotone, wmin = calendar_facts(12)
    first = date(FIRST_YEAR, 1, 1)
    counts = [DEFAULT_CALENDAR.count(first + timedelta(days=k), first + timedelta(days=e - 1), "trading")
              for k, e in enumerate(window_ends(12)) if e <= day(date(LAST_YEAR, 12, 31), first) + 1][::97]
    assert monotone and wmin <= min(counts) and 240 <= wmin <= 252


def test_the_lexicographic_minimum_is_found_objective_by_objective() -> None:
    x, y, z = z3.Ints("x y z")
    s = memo_solver()
    s.add(x >= 0, y >= 0, z >= 0, x + y >= 10, y + z >= 7, x <= 50, y <= 50, z <= 50)
    assert s.check() == z3.sat
    first = s.model()
    for settled_from in (None, 1, 0):  # where the search starts changes no optimum
        s.push()
        m = lex_minimize(s, [x + y, z, x], first, settled_from=settled_from)
        s.pop()
        assert [m.eval(v).as_long() for v in (x, y, z)] == [0, 10, 0]


def test_the_lexicographic_minimum_refuses_a_negative_objective() -> None:
    x = z3.Int("x")
    s = memo_solver()
    s.add(x == -2)
    assert s.check() == z3.sat
    with pytest.raises(ValueError, match="non-negative"):
        lex_minimize(s, [x], s.model())


def test_the_canonical_counterexamples_are_the_same_for_one_invariant_and_for_the_whole_catalogue() -> None:
    ids = [i.id for i in CATALOGUE]
    alone = {i: check_all(BUNDLED, [i])[0].counterexample for i in ids}
    assert {v.id: v.counterexample for v in check_all(BUNDLED)} == alone


def test_rra_prove_gives_the_same_records_with_a_worker_process_as_without(monkeypatch: pytest.MonkeyPatch) -> None:
    from rra import workers
    from rra.commands import prove

    started: list[object] = []

    class Counted(workers.Background):
        def __init__(self, *args: object) -> None:
            started.append(args)
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "Background", Counted)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (3.0, 3.0, 3.0))  # a busy machine forks too
    split = prove.gather(BUNDLED)
    assert len(started) == 1
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)  # no spare core: one process
    assert prove.gather(BUNDLED) == split and len(started) == 1
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("RRA_SERIAL", "1")  # everything in one process, as every other command
    assert prove.gather(BUNDLED) == split and len(started) == 1
    assert [v["id"] for v in split["invariants"]] == [i.id for i in BUNDLED.invariants]


def test_a_withheld_verdict_says_what_it_rests_on_in_words_and_names_its_id_only_in_json() -> None:
    import re

    from rra.spec.agreement import agreement_of_text
    from rra.spec.text import agreement_text

    draft = agreement_of_text(re.sub(r"multiplied\s+by\s+the\s+Applicable\s+Percentage",
                                     "multiplied by the Default Rate", agreement_text()), "draft")
    withheld = [v for v in check_all(draft) if v.status == "withheld"]
    assert withheld
    for v in withheld:
        assert v.reason is not None and "the measure of the Section 2(c) payments (2(c))" in v.reason
        assert "measure.2c" not in v.reason
        assert v.to_json()["rests_on"] == {"element": "measure.2c", "clause": "2(c)"}
        assert "{" not in v.statement, v.statement  # the draft's values, never the template (an audit)
    assert all("rests_on" not in v.to_json() for v in check_all(BUNDLED))  # only a withheld verdict has it


def test_rra_prove_reads_as_numbered_claims_without_ids_or_a_column_of_false() -> None:
    # the outputs read of stop 32 (defect 8): ids, "vacuous: false" and the proof method were shown to readers
    r = run_rra("prove")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split() == ["#", "result", "clauses", "claim"]
    assert "Claim 3 fails on this timeline:" in r.stdout
    # and says what goes wrong, as the report does (the lawyer's read of stop 33: claim 9 fails only past the cap)
    assert "it lasts 11 trading days, longer than the 10 consecutive trading days 3(f) allows" in " ".join(r.stdout.split())
    for word in ("effectiveness-deadlines-agree", "vacuous", "false", "induction", ": counterexample"):
        assert word not in r.stdout, word
