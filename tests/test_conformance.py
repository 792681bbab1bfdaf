"""One conformance suite for every text: the bundled agreement and each redraft in tests/corpus/drafts/.

For every text: each formal element's words (as the text has them) are in its clause; each parameter's words
read as its value; the plain evaluator and the Z3 encoding agree on random scenarios; the exposure optimizer's
worst case is priced the same by the evaluator; no invariant of the catalogue is left unknown. For each redraft,
the values, changed words, findings and verdicts written down in tests/corpus/drafts/expected.yaml.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver.assumptions import load as load_assumptions
from rra.solver.checks import run_checks
from rra.solver.draft import findings as draft_findings
from rra.solver.encoding import evaluate_scenario
from rra.solver.evaluator import evaluate, payment, reading_names
from rra.solver.exposure import optimize, to_scenario
from rra.solver.findings import CheckContext
from rra.solver.invariants import check_all
from rra.solver.scenario import scenario_from_dict
from rra.spec.agreement import Agreement, load_agreement
from rra.spec.coverage import all_elements, check_quotes

from tests.conftest import ROOT, run_rra
from tests.support import BUNDLED

DRAFTS = ROOT / "tests" / "corpus" / "drafts"
EXPECTED: dict[str, Any] = yaml.safe_load((DRAFTS / "expected.yaml").read_text(encoding="utf-8"))
# The layout variants (tests/corpus/drafts/README.md) have the bundled words in other layouts: the same values.
LAYOUTS = sorted(p.name for p in DRAFTS.glob("layout-*") if p.suffix in (".txt", ".docx"))
EXPECTED.update({name: {"parameters": {}, "changed": [], "findings": [], "invariants": {}} for name in LAYOUTS})
TEXTS = ["bundled", *sorted(EXPECTED)]
_LOADED: dict[str, Agreement] = {}


def agreement_for(name: str) -> Agreement:
    """The agreement of one text of the corpus (loaded once)."""
    if name not in _LOADED:
        _LOADED[name] = BUNDLED if name == "bundled" else load_agreement(str(DRAFTS / name))
    return _LOADED[name]


@pytest.mark.parametrize("name", TEXTS)
def test_every_element_and_parameter_quote_of_the_text_is_in_its_own_clause(name: str) -> None:
    a = agreement_for(name)
    changed = set(a.model.changed) | set(a.params.unbound)
    elements = [e for e in all_elements(a) if e.id not in changed]
    disagree = {b.id for b in a.binding.parameters.values() if b.disagree} if a.binding else set()
    problems = check_quotes(a.document, elements)
    assert [p for p in problems if p.element not in disagree] == []
    assert sorted({p.element for p in problems}) == sorted(disagree)


@pytest.mark.parametrize("name", TEXTS)
def test_the_values_read_from_the_words_are_the_ones_written_down(name: str) -> None:
    a = agreement_for(name)
    expect = {} if name == "bundled" else EXPECTED[name]
    for p in a.package.parameters:
        if p.id in expect.get("unread", []):
            assert p.id in a.params.unbound
            continue
        want = expect.get("parameters", {}).get(p.id, p.value)
        assert a.params[p.id] == want, p.id
    assert sorted(a.model.changed) == sorted(expect.get("changed", []))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_redraft_gets_its_findings_and_verdicts(name: str) -> None:
    a = agreement_for(name)
    expect = EXPECTED[name]
    ids = {f.id for f in run_checks(a).findings} | {f.id for f in draft_findings(CheckContext(a)).findings}
    for fid in expect.get("findings", []):
        assert fid in ids, (fid, sorted(ids))
    for fid in expect.get("absent", []):
        assert fid not in ids, fid
    if expect.get("invariants"):
        verdicts = {v.id: v.status for v in check_all(a, list(expect["invariants"]))}
        assert verdicts == expect["invariants"]


@pytest.mark.parametrize("name", TEXTS)
def test_no_invariant_is_left_unknown_and_none_is_vacuous(name: str) -> None:
    a = agreement_for(name)
    for v in check_all(a):
        assert v.status in {"proved", "refuted", "withheld"}, (v.id, v.reason)
        if v.status == "proved":
            assert v.vacuous is False, v.id


def _scenario(draw: Any) -> Any:
    def d(k: int) -> str:
        return (date(2003, 5, 9) + timedelta(days=k)).isoformat()

    pfed = draw(st.integers(20, 300))
    filed = pfed + draw(st.integers(0, 200))
    eff = filed + draw(st.integers(10, 250))
    start = eff + draw(st.integers(0, 60))
    data: dict[str, Any] = {
        "as_of": d(eff + draw(st.integers(0, 400))), "principal": 1_000_000, "prior_financing_effective": d(pfed),
        "filed": d(filed), "effective": d(eff),
        "sales_blocked": [{"start": d(start), "end": d(start + draw(st.integers(0, 40)))}],
        "allowed_delays": [{"start": d(start), "end": d(start + draw(st.integers(0, 25)))}],
        "investor_delays": [{"start": d(filed), "end": d(filed + draw(st.integers(0, 20)))}],
    }
    return data


@pytest.mark.parametrize("name", TEXTS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_evaluator_and_the_z3_encoding_agree_on_random_scenarios_under_the_texts_values(name: str,
                                                                                              data: Any) -> None:
    a = agreement_for(name)
    s = scenario_from_dict(_scenario(data.draw), "random", a.params)
    ev = evaluate(s, a)
    for reading in reading_names(a):
        z = evaluate_scenario(s, a, reading)
        assert z.total == ev.readings[reading].total, reading
    assert evaluate_scenario(s, a).filing_date == ev.filing_date


@pytest.mark.parametrize("name", TEXTS)
def test_the_optimizers_worst_case_is_priced_the_same_by_the_evaluator(name: str) -> None:
    a = agreement_for(name)
    assumptions = load_assumptions(None).with_values({"as_of": "2004-12-31"})
    r = optimize(assumptions, a, respond=False)
    assert r.proved_optimal and r.timeline is not None
    assert payment(to_scenario(r.timeline, assumptions.principal), a, r.reading) == r.optimum


@pytest.mark.parametrize("name", TEXTS)
def test_both_worst_cases_of_every_text_are_priced_the_same_by_the_evaluator(name: str) -> None:
    from rra.solver.maxmin import exposure

    a = agreement_for(name)
    assumptions = load_assumptions(None).with_values({"as_of": "2004-09-30"})
    x = exposure(assumptions, a)  # both figures are priced again by the evaluator: a disagreement raises
    for fig in (x.worst_case, x.with_allowed_delays):
        assert fig.timeline is not None
        sc = to_scenario(fig.timeline, assumptions.principal, list(fig.allowed_delays))
        assert payment(sc, a, x.result.reading) == fig.value


def test_a_draft_is_analysed_like_the_same_values_given_by_set(tmp_path: Path) -> None:
    draft = str(DRAFTS / "numbers-redraft.txt")
    sets = [f"{k}={v}" for k, v in EXPECTED["numbers-redraft.txt"]["parameters"].items()]
    from_draft = json.loads(run_rra("exposure", "--agreement", draft, "--as-of", "2004-12-31", "--json").stdout)
    args = ["exposure", "--as-of", "2004-12-31", "--json"]
    for item in sets:
        args += ["--set", item]
    from_set = json.loads(run_rra(*args).stdout)
    for data in (from_draft, from_set):
        data.pop("agreement")
        data.pop("overridden")
    assert from_draft == from_set


def test_the_allowed_delay_cap_of_a_draft_is_proved_at_the_drafts_own_numbers() -> None:
    r = run_rra("prove", "--agreement", str(DRAFTS / "numbers-redraft.txt"), "--only", "allowed-delay-caps", "--json")
    v = json.loads(r.stdout)["invariants"][0]
    assert v["status"] == "proved" and v["vacuous"] is False
    assert "15 consecutive trading days" in v["statement"] and "30 trading days" in v["statement"]


def test_a_two_thirds_vote_in_a_draft_is_what_the_consent_rules_apply() -> None:
    from rra.solver.consent import book, limbs

    bk = book(agreement_for("numbers-redraft.txt"))
    majority = [lb for lb in limbs(bk.rules["consent.10"], None, bk) if lb.kind == "majority"]
    assert [lb.share for lb in majority] == ["2/3"]


def test_every_command_names_the_text_it_analysed() -> None:
    draft = str(DRAFTS / "numbers-redraft.txt")
    for args in (["coverage"], ["prove", "--only", "filing-before-effectiveness-deadline"], ["consent", "--list-actions"]):
        out = run_rra(*args, "--agreement", draft).stdout
        assert out.startswith(f"Agreement: {draft}"), args
        assert "payments.applicable_percentage (2(c)): 2% -> 1.5% (from the draft's words)" in out
        data = json.loads(run_rra(*args, "--agreement", draft, "--json").stdout)
        assert data["agreement"]["source"] == draft and not data["agreement"]["bundled"]
