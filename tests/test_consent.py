"""Consent rules: each at, just below and just above its threshold; readings; bad input; the command."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rra.solver import consent as C
from rra.solver.consent import decide, z3_decide
from rra.solver.holdings import holdings_from_dict, load_holdings
from rra.spec.overrides import parameter_set

from rra.errors import BadInput
from tests.support import BUNDLED, PARAMS

from .conftest import ROOT, run_rra

BK = C.book(BUNDLED)

EXAMPLE = ROOT / "examples" / "holdings.yaml"
# Consenting share out of a total of 100: exactly half, one below, one above ("majority" = more than half).
AT_BELOW_ABOVE = [(50, False), (49, False), (51, True)]


def holdings(parties: dict[str, dict[str, Any]], **top: Any) -> Any:
    """Holdings from compact party specs; `inv` marks Investors (default true)."""
    raw = {}
    for pid, spec in parties.items():
        spec = dict(spec)
        rec: dict[str, Any] = {"is_investor": spec.pop("inv", True)}
        rec.update(spec)
        raw[pid] = rec
    return holdings_from_dict({"parties": raw, **top}, "", PARAMS)


def both(action: str, h: Any, consenting: str, reading: Any = None, party: str | None = None) -> bool:
    """The Python answer, checked against Z3's."""
    py = decide(BK, action, h, consenting, reading, party).allowed
    assert z3_decide(BK, action, h, consenting, reading, party) == py
    return py


# ------------------------------------------------------------------ majority thresholds, one rule at a time

@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_2a_form_needs_more_than_half_of_the_registrable_securities_as_if_converted_and_the_company(share: int, allowed: bool) -> None:
    h = holdings({"a": {"debentures_outstanding": share, "conversion_shares": share}, "b": {"registrable_held": 100 - share}})
    assert both("registration-form", h, "a,company") is allowed
    assert both("registration-form", h, "a") is False


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_2b_counsel_needs_more_than_half_of_debentures_outstanding_and_converted_unregistered(share: int, allowed: bool) -> None:
    h = holdings({"a": {"debentures_converted_unregistered": share * 1000, "registrable_held": 1},
                  "b": {"debentures_outstanding": (100 - share) * 1000, "conversion_shares": 5}})
    assert both("offering-counsel", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_2b_underwriters_also_need_the_company_to_be_satisfied(share: int, allowed: bool) -> None:
    h = holdings({"a": {"debentures_outstanding": share * 1000, "conversion_shares": 1},
                  "b": {"debentures_outstanding": (100 - share) * 1000, "conversion_shares": 1}})
    assert both("select-underwriters", h, "a,company") is allowed
    assert both("select-underwriters", h, "a") is False


def test_2b_counts_debentures_held_by_a_holder_who_is_not_an_investor_in_the_total() -> None:
    h = holdings({"a": {"debentures_outstanding": 51, "conversion_shares": 1},
                  "d": {"inv": False, "debentures_outstanding": 49, "conversion_shares": 1}})
    assert both("offering-counsel", h, "a") is True
    h = holdings({"a": {"debentures_outstanding": 50, "conversion_shares": 1},
                  "d": {"inv": False, "debentures_outstanding": 50, "conversion_shares": 1}})
    assert both("offering-counsel", h, "a,d") is False


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_3d_blue_sky_requests_need_more_than_half_of_the_securities_being_offered(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": 100, "registrable_registered": 100, "registrable_offered": share},
                  "b": {"registrable_held": 100, "registrable_registered": 100, "registrable_offered": 100 - share}})
    assert both("blue-sky", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_3e_underwriters_need_more_than_half_of_the_securities_offered(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": 1000, "registrable_registered": 100, "registrable_offered": share},
                  "b": {"registrable_held": 100, "registrable_registered": 100, "registrable_offered": 100 - share}})
    assert both("underwriting-agreement-company", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_3e_underwriters_also_need_a_majority_in_interest_of_the_investors(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": share, "registrable_registered": share, "registrable_offered": share},
                  "b": {"registrable_held": 100 - share},
                  "d": {"inv": False, "registrable_held": 1000}})
    # the holder who is not an Investor is outside "a majority-in-interest of the Investors"
    assert both("underwriting-agreement-company", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_3h_reviewing_counsel_is_designated_by_the_11k_majority(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": share}, "b": {"registrable_held": 100 - share}})
    assert both("reviewing-counsel", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_3p_a_majority_of_holders_of_record_changes_the_plan_of_distribution_investor_or_not(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": 100 - share}, "d": {"inv": False, "registrable_held": share}})
    assert both("plan-of-distribution", h, "d") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_3q_other_holders_come_in_only_with_a_majority_of_holders_and_the_company(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": share}, "b": {"registrable_held": 100 - share}})
    assert both("admit-other-holders", h, "a,company") is allowed
    assert both("admit-other-holders", h, "a") is False


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_4c_engaging_an_underwriter_needs_more_than_half_of_the_securities_being_registered(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": 1000, "registrable_registered": share},
                  "b": {"registrable_held": 10, "registrable_registered": 100 - share}})
    assert both("engage-underwriter", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_4c_engaging_an_underwriter_also_needs_the_approval_of_the_investors_by_11k(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": share, "registrable_registered": 100}, "b": {"registrable_held": 100 - share}})
    assert both("engage-underwriter", h, "a") is allowed
    assert both("engage-underwriter", h, "a", reading="each-investor") is False


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_6c_indemnity_counsel_needs_more_than_half_of_the_securities_included(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": 1000, "registrable_included": share},
                  "b": {"registrable_held": 10, "registrable_included": 100 - share}})
    assert both("indemnity-counsel", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_6c_indemnity_counsel_also_needs_a_majority_in_interest_of_the_investors(share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": share, "registrable_included": 100}, "b": {"registrable_held": 100 - share}})
    assert both("indemnity-counsel", h, "a") is allowed


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_10_amendment_needs_the_company_every_holding_investor_and_a_majority_of_the_registrable_securities(
        share: int, allowed: bool) -> None:
    h = holdings({"a": {"registrable_held": share}, "d": {"inv": False, "registrable_held": 100 - share}})
    assert both("amend", h, "a,company") is allowed
    assert both("amend", h, "a") is False


def test_10_any_investor_that_still_owns_one_registrable_security_can_block_an_amendment() -> None:
    h = holdings({"a": {"registrable_held": 999}, "b": {"registrable_held": 1}})
    assert both("amend", h, "a,company") is False
    assert both("waive", h, "a,b,company") is True


@pytest.mark.parametrize(("share", "allowed"), AT_BELOW_ABOVE)
def test_11k_counts_outstanding_debentures_as_if_converted(share: int, allowed: bool) -> None:
    h = holdings({"a": {"debentures_outstanding": 10 * share}, "b": {"registrable_held": 100 - share}},
                 conversion_price=10)
    assert h.party("a").conversion_shares == share
    assert both("investor-consent", h, "a") is allowed


def test_11k_does_not_count_warrants_under_the_default_reading() -> None:
    h = holdings({"a": {"registrable_held": 49, "warrants": 1000}, "b": {"registrable_held": 51}})
    assert both("investor-consent", h, "a") is False
    assert both("investor-consent", h, "a", reading="issuable") is True


def test_a_majority_of_nothing_is_no_majority() -> None:
    h = holdings({"a": {"debentures_outstanding": 100, "conversion_shares": 100}})
    d = decide(BK, "amend", h, "a,company")
    assert d.allowed is False and "nothing to count" in d.why


# ------------------------------------------------------------------ the rules that are not votes

def test_11a_the_company_follows_the_registered_owner() -> None:
    h = holdings({"a": {"registrable_held": 10, "registered_owner": True}, "b": {"registrable_held": 90}})
    assert both("conflicting-instructions", h, "a") is True
    assert both("conflicting-instructions", h, "b,company") is False


def _assignment(**conds: bool) -> Any:
    all_met = {c: True for c in ("i", "ii", "iii", "iv", "v", "vi")}
    return holdings({"a": {"registrable_held": 10}, "t": {"inv": False}},
                    assignment={"from": "a", "to": "t", "conditions": {**all_met, **conds}})


def test_9_an_assignment_meeting_every_condition_needs_only_the_assignor_and_the_transferee() -> None:
    assert both("assign-rights", _assignment(), "a,t") is True
    assert both("assign-rights", _assignment(), "a") is False


@pytest.mark.parametrize("missing", ["i", "ii", "iii", "iv", "v", "vi"])
def test_9_an_assignment_missing_any_one_condition_fails(missing: str) -> None:
    assert both("assign-rights", _assignment(**{missing: False}), "a,t,company") is False


def test_9_under_the_company_signs_reading_the_company_can_refuse_an_assignment() -> None:
    assert both("assign-rights", _assignment(), "a,t", reading="company-signs") is False
    assert both("assign-rights", _assignment(), "a,t,company", reading="company-signs") is True


def test_3f_and_6b_need_the_investor_concerned() -> None:
    h = holdings({"a": {"registrable_held": 1}, "b": {"registrable_held": 99}})
    assert both("mnpi-disclosure", h, "b,company", party="a") is False
    assert both("mnpi-disclosure", h, "a", party="a") is True
    assert both("settle-investor-indemnified", h, "a", party="a") is True


def test_3j_any_one_investor_may_ask_and_2d_and_6a_are_the_companys_to_give() -> None:
    h = holdings({"a": {"registrable_held": 1}, "b": {"registrable_held": 99}, "d": {"inv": False, "registrable_held": 5}})
    assert both("opinion-and-comfort-letter", h, "a") is True
    assert both("opinion-and-comfort-letter", h, "d") is False
    assert both("piggyback-other-underwriter", h, "company") is True
    assert both("settle-company-indemnified", h, "a,b") is False


def test_an_underwritten_offering_needs_every_one_of_2b_3e_and_4c() -> None:
    h = load_holdings(EXAMPLE, PARAMS)
    d = decide(BK, "underwritten-offering", h, "sds,alpha,bristol,company")
    assert d.allowed and [r.rule for r in d.results] == ["consent.2(b).underwriters", "consent.3(e)", "consent.4(c)"]
    assert decide(BK, "underwritten-offering", h, "sds,alpha,bristol").allowed is False


def test_a_clause_id_works_as_an_action() -> None:
    h = load_holdings(EXAMPLE, PARAMS)
    assert decide(BK, "10", h, "alpha,company").allowed == decide(BK, "amend", h, "alpha,company").allowed


# ------------------------------------------------------------------ readings

def test_under_each_investor_every_investor_has_a_veto_over_4c_approval() -> None:
    h = holdings({"a": {"registrable_held": 99, "registrable_registered": 99}, "b": {"registrable_held": 1}})
    assert both("engage-underwriter", h, "a") is True
    assert both("engage-underwriter", h, "a", reading="each-investor") is False


def test_under_as_converted_an_investor_holding_only_debentures_must_consent_to_an_amendment() -> None:
    h = load_holdings(EXAMPLE, PARAMS)
    assert both("amend", h, "alpha,company") is True
    assert both("amend", h, "alpha,company", reading="as-converted") is False
    assert both("amend", h, "sds,alpha,bristol,company", reading="as-converted") is True


def test_under_investors_securities_holders_who_are_not_investors_leave_the_count() -> None:
    h = holdings({"a": {"registrable_held": 40}, "d": {"inv": False, "registrable_held": 60}})
    assert both("investor-consent", h, "a") is False
    assert both("investor-consent", h, "a", reading="investors-securities") is True


def test_two_readings_of_the_same_words_are_refused() -> None:
    with pytest.raises(BadInput, match="same words"):
        C.readings_for(["as-converted", "issuable"], BK)
    with pytest.raises(BadInput, match="unknown reading"):
        C.readings_for("literal", BK)


# ------------------------------------------------------------------ every rule is reachable and explained

def test_every_consent_rule_of_the_model_has_an_action() -> None:
    used = {r for ids in C.ACTIONS.values() for r in ids}
    assert set(BK.rules) <= used


def test_a_decision_names_the_numbers_behind_it() -> None:
    d = decide(BK, "investor-consent", load_holdings(EXAMPLE, PARAMS), "alpha,bristol")
    assert d.allowed
    assert "6,000,000 of 10,500,000" in d.why and "5,250,001" in d.why


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"parties": {"a": {"is_investor": True, "warrants": -1}}}, "must not be negative"),
        ({"parties": {"a": {"is_investor": True, "registrable_registered": 5, "registrable_offered": 6,
                            "registrable_held": 10}}}, "more than registrable_registered"),
        ({"parties": {"a": {"is_investor": True, "registrable_registered": 5, "registrable_offered": 5}}},
         "more than the party holds"),
        ({"parties": {"a": {"is_investor": True, "debentures_outstanding": 1_000_001, "conversion_shares": 1}}},
         "does not add up"),
        ({"parties": {"a": {"is_investor": True, "warrants": 5_000_001}}}, "does not add up"),
        ({"totals": {"registrable_held": 3}, "parties": {"a": {"is_investor": True, "registrable_held": 2}}},
         "does not add up"),
        ({"parties": {"a": {"is_investor": True, "debentures_outstanding": 10}}}, "conversion_shares"),
        ({"conversion_price": 0.5, "parties": {"a": {"is_investor": True, "debentures_outstanding": 10,
                                                     "conversion_shares": 21}}}, "does not add up"),
        ({"parties": {"a": {"is_investor": True, "warrant": 3}}}, "did you mean 'warrants'"),
        ({"parties": {"a": {"registrable_held": 3}}}, "is_investor"),
        ({"parties": {"company": {"is_investor": False}}}, "the Company itself"),
        ({"parties": {"a": {"is_investor": True, "registrable_held": 1, "registered_owner": True},
                      "b": {"is_investor": True, "registrable_held": 1, "registered_owner": True}}}, "one registered owner"),
        ({"parties": {"a": {"is_investor": True, "registrable_held": 1}},
          "assignment": {"from": "a", "to": "zed"}}, "unknown party"),
        ({"parties": {"a": {"is_investor": True, "registrable_held": 1}, "b": {"is_investor": False}},
          "assignment": {"from": "a", "to": "b", "conditions": {"vii": True}}}, "conditions i, ii, iii, iv, v, vi"),
    ],
)
def test_holdings_that_do_not_add_up_are_refused_naming_the_field(data: dict[str, Any], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        holdings_from_dict(data, "", PARAMS)


def test_a_redraft_of_the_debenture_cap_changes_what_adds_up() -> None:
    data = {"parties": {"a": {"is_investor": True, "debentures_outstanding": 2_000_000, "conversion_shares": 1}}}
    with pytest.raises(BadInput):
        holdings_from_dict(data, "", PARAMS)
    assert holdings_from_dict(data, "", parameter_set(["debentures.max_principal=2000000"])).parties


def test_an_unknown_party_or_action_is_refused() -> None:
    h = load_holdings(EXAMPLE, PARAMS)
    with pytest.raises(BadInput, match="unknown party"):
        decide(BK, "amend", h, "alpha,nobody")
    with pytest.raises(BadInput, match="did you mean 'amend'"):
        decide(BK, "amendd", h, "alpha")
    with pytest.raises(BadInput, match="--party"):
        decide(BK, "mnpi-disclosure", h, "alpha")


def test_the_example_holdings_round_trip() -> None:
    from rra.solver.holdings import holdings_to_dict

    h = load_holdings(EXAMPLE, PARAMS)
    assert holdings_from_dict(holdings_to_dict(h), "", PARAMS) == h
    assert [p.name for p in h.parties if p.is_investor] == [
        "SDS Merchant Fund, LP", "Alpha Capital Aktiengesellschaft", "Bristol Investment Fund, Ltd."]


# ------------------------------------------------------------------ the command

def test_rra_consent_answers_with_the_rule_and_the_numbers() -> None:
    r = run_rra("consent", "--holdings", str(EXAMPLE), "--action", "amend", "--consenting", "alpha,company", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["allowed"] is True
    assert data["rules"][0]["clause"] == "10" and data["rules"][0]["limbs"][0]["numbers"]["needed"] == 750_001
    again = run_rra("consent", "--holdings", str(EXAMPLE), "--action", "amend", "--consenting", "alpha,company", "--json")
    assert again.stdout == r.stdout
    table = run_rra("consent", "--holdings", str(EXAMPLE), "--action", "amend", "--consenting", "alpha",
                    "--reading", "as-converted")
    assert table.returncode == 0 and table.stdout.startswith("amend: NO")


@pytest.mark.parametrize(
    "args",
    [
        ("--action", "amend", "--consenting", "alpha,ghost"),
        ("--action", "ammend", "--consenting", "alpha"),
        ("--action", "amend"),
        ("--action", "amend", "--consenting", "alpha", "--reading", "loose"),
    ],
)
def test_rra_consent_refuses_bad_input_in_one_line(args: tuple[str, ...]) -> None:
    r = run_rra("consent", "--holdings", str(EXAMPLE), *args)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_rra_consent_refuses_a_holdings_file_that_does_not_add_up(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("parties:\n  a: {is_investor: true, registrable_held: 1}\ntotals: {registrable_held: 2}\n")
    r = run_rra("consent", "--holdings", str(f), "--action", "amend", "--consenting", "a")
    assert r.returncode == 2 and "totals.registrable_held" in r.stderr and r.stderr.count("\n") == 1


def test_rra_consent_lists_the_actions() -> None:
    r = run_rra("consent", "--list-actions", "--json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert {a["action"] for a in data["actions"]} == set(C.ACTIONS)
    assert sum(1 for x in data["readings"] if x["default"]) == len(BK.axes)


def test_a_rule_redrafted_without_each_holding_investor_loses_its_single_share_veto() -> None:
    from rra.solver import consent_analysis as A

    eng = A.Engine(BK, C.readings_for(None, BK))
    assert eng.power(BK.rules["consent.10"])[A.ONE_SHARE]["power"] == "veto"
    redraft = replace(BK.rules["consent.10"], requires=("company",))
    assert eng.power(redraft)[A.ONE_SHARE]["power"] != "veto"


# ------------------------------------------------------------------ the analysis

@pytest.fixture(scope="module")
def analysis() -> dict[str, Any]:
    from rra.solver.consent_analysis import analyze

    return analyze(BUNDLED, load_holdings(EXAMPLE, PARAMS))


def _issue(analysis: dict[str, Any], iid: str) -> dict[str, Any]:
    found = [i for i in analysis["issues"] if i["id"] == iid]
    assert found, f"{iid} not among {[i['id'] for i in analysis['issues']]}"
    return found[0]


def test_the_default_vote_yields_so_11k_is_never_compared_with_a_clause_that_sets_its_own(analysis: dict[str, Any]) -> None:
    assert analysis["default_rule"] == {"rule": "consent.11(k)", "clause": "11(k)",
                                        "opening": "Except as otherwise provided herein", "effect": "yields",
                                        "yields": True}
    compared = {r for c in analysis["comparisons"] for r in c["rules"]}
    assert "consent.11(k)" not in compared
    assert not any("11(k)" in f["title"] and "opposite" in f["title"] for f in analysis["findings"])


def test_only_rules_that_decide_the_same_thing_are_compared(analysis: dict[str, Any]) -> None:
    assert analysis["decisions"] == {"the underwriters of an underwritten offering":
                                     ["consent.2(b).underwriters", "consent.3(e)", "consent.4(c)"]}
    assert {tuple(c["rules"]) for c in analysis["comparisons"]} == {
        ("consent.2(b).underwriters", "consent.3(e)"), ("consent.2(b).underwriters", "consent.4(c)"),
        ("consent.3(e)", "consent.4(c)")}


def test_the_analysis_proves_who_can_block(analysis: dict[str, Any]) -> None:
    power = {r["id"]: r["power"] for r in analysis["rules"]}
    assert power["consent.10"]["company"]["power"] == "veto"
    assert power["consent.10"]["an Investor with one share of record"]["power"] == "veto"
    assert power["consent.11(k)"]["an Investor with one share of record"]["power"] == "vote, no veto"
    assert power["consent.10"]["an Investor holding Debentures only"]["power"] == "no say"
    assert power["consent.2(b)"]["company"]["power"] == "no say"
    assert "example" in power["consent.11(k)"]["an Investor with one share of record"]


def test_the_analysis_finds_competing_counsel_under_2b_and_3h_because_section_5_pays_for_one(
        analysis: dict[str, Any]) -> None:
    issue = _issue(analysis, "consent.one-counsel.5")
    assert issue["detail"]["rules"] == ["consent.2(b)", "consent.3(h)"]
    ex = next(c for c in issue["detail"]["competing"] if c["status"] == "found")["example"]
    a, b = (set(r["consenting"]) - {"company"} for r in ex["results"])
    assert not a & b and all(r["allowed"] for r in ex["results"])


def test_the_analysis_reports_what_the_readings_change(analysis: dict[str, Any]) -> None:
    each = {r["id"] for r in analysis["rules"] if "each-investor" in r["readings"]}
    assert each == {"consent.2(a)", "consent.3(h)", "consent.4(c)"}
    before = [r["id"] for r in analysis["rules"] if r["dead_ends"]["before_conversion"]["impossible"]]
    assert before == ["consent.3(p)", "consent.3(q)", "consent.10", "consent.11(a)"]


def test_the_holdings_table_gives_vetoes_and_every_smallest_coalition_for_the_example(analysis: dict[str, Any]) -> None:
    table = {r["rule"]: r for r in analysis["holdings"]}
    assert table["consent.10"]["vetoes"] == ["company", "alpha"]
    assert table["consent.10"]["minimal_coalitions"] == [["company", "alpha"]]
    assert table["consent.11(k)"]["minimal_coalitions"] == [["sds", "alpha"], ["sds", "bristol"], ["alpha", "bristol"]]
    assert table["consent.11(k)"]["minimal_count"] == 3 and table["consent.11(k)"]["count_exact"]
    assert "skipped" in table["consent.9"] or table["consent.9"]["possible"] is False


def test_the_consent_analysis_is_registered_for_rra_check() -> None:
    from rra.solver import consent_analysis
    from rra.solver.analyses import ANALYSES

    assert ANALYSES["consent"] is consent_analysis.findings


def test_a_rule_compared_with_itself_is_proved_equivalent_and_a_weakened_copy_is_implied() -> None:
    from rra.solver import consent_analysis as A

    eng = A.Engine(BK, C.readings_for(None, BK))
    rule = BK.rules["consent.10"]
    same = eng.compare(rule, rule)
    assert same["a_not_b"]["status"] == same["b_not_a"]["status"] == "none"
    weaker = replace(rule, id="consent.10.weaker", requires=("company",))
    cmp = eng.compare(rule, weaker)
    assert cmp["a_not_b"]["status"] == "none" and cmp["b_not_a"]["status"] == "found"


def test_every_rule_is_monotone_by_z3_as_well_as_by_its_form() -> None:
    from rra.solver import consent_analysis as A

    eng = A.Engine(BK, C.readings_for(None, BK))
    for rule in BK.rules.values():
        assert eng.monotone(rule, by_form=False) == eng.monotone(rule) == "proved", rule.id


def test_rra_consent_analyze_gives_the_same_bytes_twice_and_the_memo_points_in_words() -> None:
    args = ("consent", "--analyze", "--holdings", str(EXAMPLE))
    first, second = run_rra(*args, "--json"), run_rra(*args, "--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert [i["id"] for i in data["issues"]][:1] == ["consent.record-owners-only"]
    text = run_rra(*args)
    assert text.returncode == 0 and "7 points for the memo" in text.stdout
    assert "Redline 10: replace" in text.stdout and "consent." not in text.stdout.split("Consent and voting")[1]


def test_rra_consent_analyze_refuses_a_bad_holdings_file_in_one_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("parties:\n  a: {is_investor: true, registrable_held: -1}\n")
    r = run_rra("consent", "--analyze", "--holdings", str(f))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_the_analysis_table_cuts_a_long_decision_at_a_whole_word() -> None:
    from rra.limits import cut

    assert cut("select underwriters for a 2(a) underwritten offering", 48, words=True) == \
        "select underwriters for a 2(a) underwritten..."
    assert cut("keep the registration effective", 48, words=True) == "keep the registration effective"
    assert cut("a, b, c", 6, words=True) == "a..."


def test_rra_consent_analyze_names_parties_rules_and_readings_as_a_reader_does() -> None:
    # the outputs read of stop 32 (defects 5 and 8): ids ("company+sds+alpha", "2(b).underwriters",
    # "investors=investors-11k"), "proved with Z3", a per-Investor right shown as SDS's alone and an unexplained
    # "impossible"
    text = run_rra("consent", "--analyze", "--holdings", str(EXAMPLE)).stdout
    table = text.split("Consent and voting")[0]
    for word in ("Z3", "+sds", "sds+", "company+", "2(b).underwriters", "investors=", "measure="):
        assert word not in table, word
    assert "the Company + SDS Merchant Fund, LP + Alpha Capital Aktiengesellschaft" in table
    assert "2(b) (underwriters)" in table
    assert "means the 11(k) majority" in table
    assert "each Investor for itself (here SDS Merchant Fund, LP)" in table
    assert ("impossible: the assignment from Alpha Capital Aktiengesellschaft to Harbor Transferee LLC fails condition "
            "(iv), so no coalition can make it effective") in table
    # the columns a reader could not decode say what they mean (the lawyer's read of stop 33)
    assert "impossible before conversion: while no Debenture is converted, no one can decide under the rule." in table
    assert "dead end: possible when under some valid holdings not even all the parties together can decide." in table
