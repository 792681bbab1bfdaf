"""The provisions review: every detector fires on a defective draft and is silent once its own redline is applied;
its quotes are the draft's words; its examples are dated, realistic and computed by the evaluator."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rra.solver import provisions
from rra.solver.memo import Redline
from rra.solver.redline import redlined
from rra.spec.agreement import Agreement, agreement_of_text, load_agreement

from .support import BUNDLED

provisions.load()
KINDS = sorted(provisions.DETECTORS)
# the detectors of defects the bundled text does not have, each with a draft that has it
ON_DRAFTS = {"example-amount": "diff/number-changed.txt"}  # the rate lowered, the worked example left at 2%
# ... or made by edits of the bundled text (a Company's markup: a cap written as a share of principal, a sole remedy)
SOLE = Redline("2(c)", "(which remedy shall not be exclusive of any other remedies available at law or in equity)",
               "(which remedy shall be the sole and exclusive remedy of the Investors for any such delay or reduction)",
               1, {"*": {}})
CAP = Redline("2(c)", "on such payment date.", "on such payment date. The aggregate amount of all payments under this "
              "Section 2(c) shall not exceed ten percent (10%) of the original principal amount of the Debentures.", 1,
              {"*": {}})
EFFORTS = Redline("3(a)", "use its best efforts to cause such Registration Statement",
                  "use its commercially reasonable efforts to cause such Registration Statement", 1, {"*": {}})
ON_EDITS = {"capped-sole-remedy": [SOLE, CAP], "efforts-differ": [EFFORTS]}
DRAFTED = {**{k: load_agreement(Path(__file__).parent / "corpus" / f) for k, f in ON_DRAFTS.items()},
           **{k: redlined(BUNDLED, reds)[0] for k, reds in ON_EDITS.items()}}
FOUND = [*provisions.run(BUNDLED).findings, *[f for k, a in DRAFTED.items() for f in provisions.run(a, [k]).findings]]


def _agreement(kind: str) -> Agreement:
    return DRAFTED.get(kind, BUNDLED)


def _by_kind(kind: str) -> list[Any]:
    return [f for f in FOUND if provisions.kind_of(f.id) == kind]


def _redlines(f: Any) -> list[Redline]:
    return [Redline(r["clause"], r["replace"], r["with"], r["count"], r["meaning"]) for r in f.evidence["memo"]["redlines"]]


def _edit(old: str, new: str, text: str | None = None) -> str:
    """The bundled text with words replaced (across line breaks, as a drafter would edit them)."""
    from rra.solver.redline import find_words

    src = text if text is not None else "\n".join(BUNDLED.document.lines)
    spans = find_words(old, src, 0, len(src))
    assert spans, old
    return src[:spans[0][0]] + new + src[spans[0][1]:]


def test_every_detector_fires_on_the_bundled_agreement_or_on_its_draft() -> None:
    assert {provisions.kind_of(f.id) for f in FOUND} == set(KINDS)
    on_bundled = {provisions.kind_of(f.id) for f in provisions.run(BUNDLED).findings}
    assert on_bundled == set(KINDS) - set(DRAFTED)


@pytest.mark.parametrize("kind", KINDS)
def test_a_detector_is_silent_once_its_redline_is_applied(kind: str) -> None:
    for f in _by_kind(kind):
        reds = _redlines(f)
        if not reds:
            # only a document to obtain, or a drafting note with no mechanical fix, goes without a redline
            assert f.evidence["memo"]["area"] == "documents needed" or f.evidence["memo"]["severity"] == "low", f.id
            continue
        fixed, _ = redlined(_agreement(kind), reds)
        out = provisions.run(fixed, [kind])
        assert not out.withheld, out.withheld
        assert f.id not in {g.id for g in out.findings}, (f.id, [g.title for g in out.findings])


@pytest.mark.parametrize("kind", KINDS)
def test_every_quote_is_the_words_of_its_clause(kind: str) -> None:
    for f in _by_kind(kind):
        for clause, words in f.evidence["memo"]["quotes"]:
            assert words in _agreement(kind).document.normalized(clause), (f.id, clause, words)


def test_titles_and_explanations_speak_plain_english() -> None:
    bad = re.compile(r"\bZ3\b|witness|unsat|\bmodel\b|\bslot\b|s3_eligible|rs_effective|ninety-day-literal|"
                     r"deadline\.\w|consent\.\w|\bpfed\b", re.IGNORECASE)
    for f in FOUND:
        memo = f.evidence["memo"]
        for words in (f.title, f.explanation, memo["example"] or ""):
            assert not bad.search(words), (f.id, words)


def test_every_money_example_gives_a_figure_per_million() -> None:
    for f in FOUND:
        memo = f.evidence["memo"]
        if memo["area"] == "money":
            assert memo["example"] and "$" in memo["example"], f.id


def test_an_example_never_files_and_becomes_effective_the_same_day() -> None:
    with pytest.raises(ValueError, match="unrealistic"):
        provisions.scenario(BUNDLED, {"as_of": date(2004, 6, 1), "filed": date(2004, 1, 5), "effective": date(2004, 1, 5)})


def test_the_worked_example_counts_from_the_filing_date_for_sixty_more_days() -> None:
    f = _by_kind("example-anchor")[0]
    assert f.evidence["memo"]["figures"] == {"text": "$20,000", "example": "$59,355"}


def test_a_draft_whose_example_counts_from_the_effectiveness_deadline_is_silent() -> None:
    text = _edit("one (1) month after the end of such thirty-day period",
                 "one (1) month after the end of such ninety (90) day period")
    assert provisions.run(agreement_of_text(text), ["example-anchor"]).findings == []


def test_penalty_wording_anywhere_is_found_and_damages_wording_is_not() -> None:
    text = _edit("and in addition to the penalties assessable herein,", "and in addition to the liquidated damages "
                 "payable hereunder,")
    assert provisions.run(agreement_of_text(text), ["called-penalty"]).findings == []
    worse = _edit("The language used in this Agreement", "The penalty payable hereunder is in addition to other "
                  "remedies. The language used in this Agreement", text)
    assert [f.sections for f in provisions.run(agreement_of_text(worse), ["called-penalty"]).findings] == [("2(c)", "11(m)")]


def test_caps_joined_by_and_are_silent_and_by_or_fire() -> None:
    text = _edit("(or a total of not more than twenty (20) trading days", "(and a total of not more than twenty (20) "
                 "trading days")
    assert provisions.run(agreement_of_text(text), ["caps-or"]).findings == []


def test_a_label_placed_after_the_list_is_found_for_any_term() -> None:
    fixed = _edit('(ii) December 15, 2003 (the "Filing Date")', '(ii) December 15, 2003 (such earlier date, the '
                  '"Filing Date")')
    assert provisions.run(agreement_of_text(fixed), ["label-placement"]).findings == []


def test_a_window_of_sixty_days_is_a_risk_allocation_and_of_ten_days_a_defect() -> None:
    # 3(a): filing by the earlier of 30 days after the PFED and a fixed date, effective 90 days after the PFED
    assert not [f for f in _by_kind("review-window") if "3(a)" in f.sections]
    short = _edit("but in no event later than ninety (90) days from the Prior Financing Effective Date)",
                  "but in no event later than forty (40) days from the Prior Financing Effective Date)")
    got = provisions.run(agreement_of_text(short), ["review-window"]).findings
    assert any(f.id == "provisions.review-window.3(a).effective" for f in got)


def test_a_breach_whose_state_the_measure_counts_is_not_a_remedy_gap() -> None:
    f = _by_kind("reference-measures-nothing")[0]
    assert f.sections == ("2(e)", "3(c)", "2(c)")
    assert "3(b).more_effective" not in f.evidence["obligations"]
    assert {"3(c).final_prospectus", "3(c).furnish_prospectus"} <= set(f.evidence["measured"])


def test_counsel_for_different_roles_is_not_one_decision() -> None:
    from rra.solver.provisions_votes import decision_object

    objs = {decision_object(r.decision) for r in BUNDLED.model.consent_rules if "counsel" in r.decision}
    assert objs == {"counsel", "reviewing counsel", "indemnity counsel"}
    assert [f.id for f in _by_kind("one-decision")] == ["provisions.one-decision.underwriter"]


def test_the_notice_rule_ignores_service_of_process() -> None:
    f = _by_kind("notice-methods")[0]
    assert "11(d)" not in f.sections


def test_a_forum_in_a_place_that_is_a_state_and_a_city_or_claimed_for_other_agreements_is_unclear() -> None:
    [f] = [f for f in _by_kind("two-party-words") if "11(d)" in f.sections and "forum" in f.title]
    assert "located in New York" in f.explanation and "agreements entered into" in f.explanation
    text = _edit("COURTS LOCATED IN NEW YORK", "COURTS LOCATED IN THE CITY OF NEW YORK")
    text = _edit("THE AGREEMENTS ENTERED INTO IN CONNECTION HEREWITH", "THE AGREEMENTS ENTERED INTO IN CONNECTION HEREWITH "
                 "(EXCEPT AS THEY OTHERWISE PROVIDE)", text)
    [g] = [g for g in provisions.run(agreement_of_text(text), ["two-party-words"]).findings if "11(d)" in g.sections]
    assert "located in" not in g.explanation and "agreements entered into" not in g.explanation
    assert "where the courts are" not in g.title


def test_an_integration_clause_is_cured_only_when_both_lists_name_every_document_of_the_bargain() -> None:
    # the lawyer's review: adding the Debentures to the "supersede" list alone leaves the entire-agreement list
    # naming fewer documents
    (f,) = _by_kind("integration-lists")
    reds = _redlines(f)
    assert len(reds) == 2
    half, _ = redlined(BUNDLED, [r for r in reds if "supersede" in r.replace])
    assert provisions.run(half, ["integration-lists"]).findings
    whole, _ = redlined(BUNDLED, reds)
    assert provisions.run(whole, ["integration-lists"]).findings == []
    same = _edit("This Agreement and the Securities Purchase Agreement supersede",
                 "This Agreement, the Debentures, the Warrants and the Securities Purchase Agreement supersede",
                 _edit("This Agreement, the Warrants and the Securities Purchase Agreement (including",
                       "This Agreement, the Debentures, the Warrants and the Securities Purchase Agreement (including"))
    assert provisions.run(agreement_of_text(same), ["integration-lists"]).findings == []


def test_new_words_cite_a_component_of_the_measure_so_that_its_clause_number_is_not_ambiguous() -> None:
    # the lawyer's review 6: 2(c) runs (i), (ii) ... twice (the triggers, then the measure), so "Section 2(c)(ii)"
    # in a redline could mean either
    from rra.solver.provisions_money import component_ref

    ii = next(c for c in BUNDLED.model.measure.components if c.id == "2(c)(ii)")
    assert component_ref(BUNDLED, ii) == 'clause (ii) of the sentence of Section 2(c) beginning "The Company shall pay"'
    (f,) = _by_kind("grace-versus-measure")
    assert "counting under clause (ii) of the sentence of Section 2(c) beginning" in _redlines(f)[0].with_


def test_every_clause_scan_finds_in_a_changed_draft_what_a_fresh_scan_finds() -> None:
    from rra.solver.provisions import leaves, search
    from rra.spec.text import agreement_text

    changed = agreement_of_text(agreement_text().replace("the Investors", "the Holders", 3), "draft")
    rx = re.compile(r"\b(?:Investors|Holders)\b")
    for a in (BUNDLED, changed, BUNDLED):  # the clauses the draft did not change are scanned once, then remembered
        got = [(cid, m.span(), m.group()) for cid, m in search(a.document, rx)]
        assert got == [(cid, m.span(), m.group()) for cid, words in leaves(a.document) for m in rx.finditer(words)]
        assert any(g == "Holders" for _, _, g in got) == (a is changed)


def test_a_term_defined_twice_in_the_same_words_is_not_said_to_be_defined_differently() -> None:
    # Section 2 repeated whole: its terms are defined twice in the same words (the repeat is the drafting review's
    # to report); "Investors", defined in two places in different words, still is
    src = "\n".join(BUNDLED.document.lines)
    s2, s3 = src.index("            2. REGISTRATION."), src.index("            3. OBLIGATIONS OF THE COMPANY.")
    twice = agreement_of_text(src[:s3] + src[s2:s3] + src[s3:], "section 2 twice")
    terms = {f.evidence["term"] for f in provisions.run(twice, ["defined-twice"]).findings}
    assert terms == {f.evidence["term"] for f in provisions.run(BUNDLED, ["defined-twice"]).findings} == {"Investors"}


def test_a_majority_of_the_securities_included_in_a_statement_is_quoted_with_its_qualifier() -> None:
    # 6(c) counts the Registrable Securities "included in the Registration Statement to which the Claim relates":
    # sold securities were included, so it is a count that never drops them, and the quote says why
    [f] = _by_kind("never-cease")
    said = dict(f.evidence["memo"]["quotes"])
    assert said["6(c)"] == ("Investors holding a majority-in-interest of the Registrable Securities included in the "
                            "Registration Statement to which the Claim relates")
    assert said["3(p)"].endswith("majority-in-interest of the Registrable Securities")


@pytest.mark.parametrize("preamble, lost", [
    ("(together with their respective affiliates and any", "(affiliates)"),
    ("(together with their respective nominees and any", '("their respective nominees")'),
])
def test_the_kept_definition_says_whom_it_leaves_out_and_only_them(preamble: str, lost: str) -> None:
    draft = agreement_of_text(_edit("(together with their respective affiliates and any", preamble), "draft")
    [f] = [f for f in provisions.run(draft, ["defined-twice"]).findings if f.id.endswith(".Investors")]
    [point] = f.evidence["memo"]["open_points"]
    assert f"the preamble definition admits and the 1(a)(i) one does not {lost} are no longer \"Investors\"" in point


def test_a_preamble_that_only_names_the_investors_loses_no_one_under_the_kept_definition() -> None:
    # '(the "Investors")' names the parties who sign: keeping 1(a)(i)'s definition leaves no one out (an audit)
    src = "\n".join(BUNDLED.document.lines)
    m = re.search(r"\(together\s+with\s+their\s+respective\s+affiliates.*?the\s+\"Investors\"\)", src, re.S)
    assert m
    draft = agreement_of_text(src[:m.start()] + '(the "Investors")' + src[m.end():], "draft")
    [f] = [f for f in provisions.run(draft, ["defined-twice"]).findings if f.id.endswith(".Investors")]
    assert f.evidence["memo"]["open_points"] == []
    assert 'admits the "Investors"' not in f.explanation


def test_a_worked_example_left_at_two_percent_under_a_lower_rate_is_a_high_entry_with_its_redline() -> None:
    (f,) = _by_kind("example-amount")
    memo = f.evidence["memo"]
    assert memo["severity"] == "high" and memo["per_month"] == 5000
    assert "the example pays $5,000 for each $250,000" in f.explanation.lower()
    assert "2% a month" in f.explanation and "gives $3,750" in f.explanation
    assert memo["figures"] == {"defined": "$15,000", "example": "$20,000"}
    (red,) = memo["redlines"]
    assert (red["replace"], red["with"], red["count"]) == ("$5,000 for each $250,000", "$3,750 for each $250,000", 2)


def test_the_worked_example_that_matches_the_rate_is_silent() -> None:
    assert provisions.run(BUNDLED, ["example-amount"]).findings == []


NUMBERS_REDRAFT = load_agreement(Path(__file__).parent / "corpus" / "drafts" / "numbers-redraft.txt")


def test_a_deadline_written_in_several_words_is_replaced_whole_by_its_redline() -> None:
    (f,) = provisions.run(NUMBERS_REDRAFT, ["deadlines-differ"]).findings
    (red,) = f.evidence["memo"]["redlines"]
    assert red["replace"] == "one hundred twenty (120) days from the Prior Financing Effective Date)"
    fixed, _ = redlined(NUMBERS_REDRAFT, _redlines(f))
    assert "one hundred the" not in fixed.document.normalized("3(a)")


def test_a_redline_that_cuts_a_number_in_two_is_a_new_problem_of_its_words() -> None:
    from rra.solver.redline_lint import lint

    cut = Redline("3(a)", "twenty (120) days from the Prior Financing Effective Date)",
                  "the Effectiveness Deadline (as defined in Section 2(c))")
    fixed, _ = redlined(NUMBERS_REDRAFT, [cut])
    problems = [x.problem for x in lint(fixed, [cut], NUMBERS_REDRAFT)]
    assert 'the redline replaces only part of the number "one hundred twenty (120)", leaving "one hundred " in the ' \
           "text" in problems
    whole = Redline("3(a)", "one hundred twenty (120) days from the Prior Financing Effective Date)", cut.with_)
    fixed, _ = redlined(NUMBERS_REDRAFT, [whole])
    assert not [x for x in lint(fixed, [whole], NUMBERS_REDRAFT) if "part of the number" in x.problem]


def test_the_examples_thirty_day_period_is_said_to_match_nothing_once_the_filing_period_is_longer() -> None:
    (f,) = provisions.run(NUMBERS_REDRAFT, ["example-anchor"]).findings
    assert f.sections == ("2(c)", "2(a)")
    assert "3(b)" not in f.explanation and "filing window" not in f.explanation
    assert 'The example\'s "such thirty-day period" matches no period stated before it: the Filing Date comes 45 days ' \
           "after the Prior Financing Effective Date (2(a))" in f.explanation
    assert "the two starts are the days between the Filing Date and the end of the 120-day period apart" in f.explanation


def test_the_day_count_redline_follows_the_rate_however_the_draft_writes_it() -> None:
    (f,) = provisions.run(NUMBERS_REDRAFT, ["no-day-count"]).findings
    (red,) = f.evidence["memo"]["redlines"]
    assert red["replace"] == 'The term "Applicable Percentage" means .015.'
    fixed, _ = redlined(NUMBERS_REDRAFT, _redlines(f))
    assert provisions.run(fixed, ["no-day-count"]).findings == []


def test_a_trigger_lengthened_to_120_days_leaves_the_measures_ninety_day_period_behind_and_says_so() -> None:
    (f,) = provisions.run(NUMBERS_REDRAFT, ["measure-start"]).findings
    assert f.explanation.startswith("The trigger is the earlier of 120 days after the Prior Financing Effective Date")
    assert 'counts only from the end of "the aforementioned ninety (90) day period", and the trigger has no 90-day ' \
           "period" in f.explanation
    assert "after 16 Nov 2003 the trigger fires before the count starts" in f.explanation
    assert "read literally, the count starts 30 days before the 120-day period ends" in f.explanation
    (g,) = provisions.run(BUNDLED, ["measure-start"]).findings
    assert "after 16 Dec 2003 the trigger fires before the count starts" in g.explanation
    assert "has no" not in g.explanation


DEADLINE_TIGHTENED = load_agreement(Path(__file__).parent / "corpus" / "diff" / "deadline-tightened.txt")


def test_a_window_example_dates_the_start_in_words_and_the_filing_once() -> None:
    (f,) = [f for f in provisions.run(DEADLINE_TIGHTENED, ["review-window"]).findings if f.sections == ("3(a)",)]
    example = f.evidence["memo"]["example"]
    assert example.startswith("On 3 Nov 2003 the Prior Financing Effective Date occurs. The Company files on 3 Dec 2003")
    assert "is filed" not in example and "prior Financing" not in example


def test_one_entry_made_of_two_clauses_findings_says_which_clause_each_part_is_about() -> None:
    from rra.solver.memo_build import _from_provisions

    fs = [f.to_json() for f in provisions.run(DEADLINE_TIGHTENED, ["review-window"]).findings]
    assert [f["sections"][0] for f in fs] == ["3(a)", "3(b)"]
    issue = _from_provisions(fs, {}, {f["id"]: f for f in fs})
    assert issue.explanation.startswith("Under 3(a): The Company may file on day 30")
    assert " Under 3(b): The Company may file on day 15" in issue.explanation
    assert issue.example is not None and issue.example.startswith("Under 3(a): On 3 Nov 2003")
    assert " Under 3(b): The statement is effective on" in issue.example


def _company_markup(agreement_text: str) -> Agreement:
    """The bundled text with a cap written as a share of principal and the payments made the sole remedy."""
    text = re.sub(r"\(which\s+remedy\s+shall\s+not\s+be\s+exclusive\s+of\s+any\s+other\s+remedies\s+available\s+at\s+law\s+or"
                  r"\s+in\s+equity\)", "(which remedy shall be the sole and exclusive remedy of the Investors for any "
                  "such delay or reduction)", agreement_text)
    text = re.sub(r"(on\s+such\s+payment\s+date\.)", r"\1 The aggregate amount of all payments under this Section 2(c) shall "
                  "not exceed ten percent (10%) of the original principal amount of the Debentures.", text, count=1)
    assert text.count("sole and exclusive") == 1 and "ten percent (10%)" in text
    return agreement_of_text(text)


def test_a_cap_written_as_a_share_of_the_principal_is_read_as_that_share_of_the_debentures_principal(
        agreement_text: str) -> None:
    a = _company_markup(agreement_text)
    assert a.params["payments.cap"] == 100_000  # ten percent of the recitals' $1,000,000
    assert "payments.cap" not in a.params.unbound
    two = re.sub(r"One\s+Million\s+Dollars\s+\(\$1,000,000\)", "Two Million Dollars ($2,000,000)", agreement_text)
    assert two != agreement_text
    b = _company_markup(two)
    assert b.params["debentures.max_principal"] == 2_000_000 and b.params["payments.cap"] == 200_000


def test_a_cap_in_words_the_tool_cannot_read_is_unread_not_none(agreement_text: str) -> None:
    text = re.sub(r"(on\s+such\s+payment\s+date\.)", r"\1 The aggregate amount of all payments under this Section 2(c) "
                  "shall not exceed ten percent (10%) of the market value of the Common Stock.", agreement_text, count=1)
    a = agreement_of_text(text)
    assert "payments.cap" in a.params.unbound
    assert a.binding.parameters["payments.cap"].problem == (
        "the limit 'The aggregate amount of all payments under this Section 2(c) shall not exceed ten percent (10%) of "
        "the market value of the Common Stock' is not a fixed amount the tool can read")


def test_payments_made_the_sole_remedy_are_not_called_non_exclusive_and_the_clash_with_11l_is_said(
        agreement_text: str) -> None:
    (f,) = provisions.run(_company_markup(agreement_text), ["called-penalty"]).findings
    assert "uncapped" not in f.title and "not exclusive" not in f.title
    assert f.title == ('11(l) calls 2(c) payments "penalties"; 2(c) makes them the sole remedy, 11(l) grants relief in '
                       "addition to all others")
    assert "actual damages" not in f.explanation and "on top of" not in f.evidence["memo"]["example"]
    assert [r["with"] for r in f.evidence["memo"]["redlines"]][1] == "sole and exclusive monetary remedy"
    (g,) = provisions.run(BUNDLED, ["called-penalty"]).findings
    assert g.title.startswith("2(c) payments are uncapped, not exclusive, and 11(l) calls them")


def test_without_a_waiver_vote_among_them_the_record_holders_entry_gives_no_waiver_example(agreement_text: str) -> None:
    text = re.sub(r"each\s+of\s+the\s+Investors\s+\(to\s+the\s+extent\s+such\s+Investor\s+still\s+owns\s+Registrable\s+"
                  r"Securities\)\s+and\s+Investors\s+who\s+hold\s+a\s+majority\s+interest", "Investors who hold a majority",
                  agreement_text)
    assert text != agreement_text
    (f,) = provisions.run(agreement_of_text(text), ["record-holders-vote"]).findings
    memo = f.evidence["memo"]
    assert "10" not in f.sections and "waive" not in memo["example"]
    assert memo["example"].endswith("A alone decides under Sections 3(p) and 3(q) (change the plan of distribution and "
                                    "let other holders into the registration); B and C have no say.")
    assert memo["severity"] == "medium" and memo["per_month"] == 0
    (g,) = provisions.run(BUNDLED, ["record-holders-vote"]).findings
    assert "waive the payments retroactively" in g.evidence["memo"]["example"] and g.evidence["memo"]["severity"] == "high"
    # the memo's figures are per $1,000,000 of principal: B and C's loss on their own $990,000 would be $56,669
    assert "B and C lose $57,241 per $1,000,000 of their Debentures" in g.evidence["memo"]["example"]


def test_a_capped_sole_remedy_says_after_how_many_months_the_company_owes_nothing_more() -> None:
    (f,) = _by_kind("capped-sole-remedy")
    assert f.title == ("2(c): the payments are capped and are the Investors' sole remedy: after 5 months of default the "
                       "Company owes nothing more")
    memo = f.evidence["memo"]
    assert "at 2% a month the payments reach the cap of $100,000 after 5 months" in memo["example"]
    assert memo["severity"] == "high" and memo["per_month"] == 20000 and memo["certainty"] == "contingency"
    # without the sole remedy, or without the cap, nothing to say
    assert provisions.run(redlined(BUNDLED, [CAP])[0], ["capped-sole-remedy"]).findings == []
    assert provisions.run(redlined(BUNDLED, [SOLE])[0], ["capped-sole-remedy"]).findings == []


def test_one_result_owed_with_two_efforts_standards_is_found_and_conformed_to_the_stricter() -> None:
    (f,) = _by_kind("efforts-differ")
    assert f.title == ('2(c) and 3(a): the Company\'s efforts to have the Registration Statement declared effective are '
                       'measured by different standards: "best efforts" (2(c)); "commercially reasonable efforts" (3(a))')
    (red,) = f.evidence["memo"]["redlines"]
    assert (red["clause"], red["replace"], red["with"]) == ("3(a)", "commercially reasonable", "best")
    assert provisions.run(BUNDLED, ["efforts-differ"]).findings == []  # "best efforts" in both


def test_a_weaker_efforts_standard_a_clause_says_twice_gets_a_redline_at_each_place() -> None:
    twice = agreement_of_text(_edit(
        "use its best efforts to cause such Registration Statement relating to Registrable Securities to become "
        "effective as soon as possible after such filing",
        "use its reasonable efforts to cause such Registration Statement to become effective as soon as possible "
        "after such filing and, if it is withdrawn, again use its reasonable efforts to cause such Registration "
        "Statement to become effective"))
    (f,) = provisions.run(twice, ["efforts-differ"]).findings
    reds = _redlines(f)
    assert len(reds) == 2 and all(r.clause == "3(a)" for r in reds) and reds[0].replace != reds[1].replace
    assert [q for q in f.evidence["memo"]["quotes"] if q[0] == "3(a)"] == [
        ["3(a)", "use its reasonable efforts to cause such Registration Statement to become effective"]]
    fixed, _ = redlined(twice, reds)
    assert provisions.run(fixed, ["efforts-differ"]).findings == []


@pytest.mark.parametrize("sentence, cap", [
    ("The aggregate amount of all payments under this Section 2(c) shall not exceed $250,000.", 250_000),
    ("In no event shall the payments under this Section 2(c) exceed fifteen percent (15%) of the aggregate principal "
     "amount of the Debentures issued.", 150_000),
    ("The aggregate payments under this Section 2(c) shall not exceed twelve percent (12%) of the original principal "
     "amount of the Debentures.", 120_000),
    # a limit that is not one fixed amount: unread, never taken for its first number or for no cap
    ("The aggregate amount payable under this Section 2(c) shall not exceed $20,000 in any calendar month.", None),
    ("The aggregate amount payable under this Section 2(c) shall not exceed two times the Outstanding Principal "
     "Amount multiplied by the Applicable Percentage.", None),
    ("The aggregate amount payable under this Section 2(c) shall not exceed ten percent (10%) of the original "
     "principal amount of the Debentures in any twelve (12) month period.", None),
    ("The total payments under this Section 2(c) shall not exceed 10% of the principal amount of Debentures then "
     "outstanding.", None),
    ("In no event shall any amounts due to the Investors under this Section 2(c) ever exceed the amount the Board "
     "determines.", None),
])
def test_a_cap_is_read_only_when_its_sentence_states_one_fixed_amount(agreement_text: str, sentence: str,
                                                                       cap: int | None) -> None:
    text = re.sub(r"(on\s+such\s+payment\s+date\.)", lambda m: f"{m.group(1)} {sentence}", agreement_text, count=1)
    a = agreement_of_text(text)
    if cap is not None:
        assert a.params["payments.cap"] == cap and "payments.cap" not in a.params.unbound
    else:
        assert "payments.cap" in a.params.unbound, a.params.values.get("payments.cap")


def test_a_trigger_moved_to_120_days_alone_still_gets_dated_examples_filed_on_the_filing_date(agreement_text: str) -> None:
    text = re.sub(r"\(A\)\s+ninety\s+\(90\)\s+days\s+from", "(A) one hundred twenty (120) days from", agreement_text, count=1)
    a = agreement_of_text(text)
    assert a.params["effectiveness.days_after_pfed"] == 120 and a.params["company.effective_days_after_pfed"] == 90
    late = provisions.late_effectiveness(a, late_days=87)  # five days early leaves a review the assumptions do not allow
    assert late.filed == provisions.business_day(late.filing_date, back=True)
    assert provisions.run(a).findings  # every detector runs (no-payment-date's example raised an error here)


def test_two_deadlines_of_one_clause_that_disagree_are_said_as_one_clauses(agreement_text: str) -> None:
    text = re.sub(r"but\s+in\s+any\s+event\s+within\s+thirty\s+\(30\)\s+days\s+after\s+the\s+date",
                  "but in any event within forty-five (45) days after the date", agreement_text, count=1)
    assert text != agreement_text
    fs = {f.id: f for f in provisions.run(agreement_of_text(text), ["deadlines-differ"]).findings}
    f = fs["provisions.deadlines-differ.3(b)~3(b)"]
    assert f.title == "3(b) sets two different deadlines for the same event"
    assert "3(b) and 3(b)" not in f.explanation and "under 3(b) and paying under 3(b)" not in f.explanation


def test_a_remedy_made_exclusive_in_other_words_is_quoted_whole_and_said_in_one_sentence(agreement_text: str) -> None:
    text = re.sub(r"\(which\s+remedy\s+shall\s+not\s+be\s+exclusive\s+of\s+any\s+other\s+remedies\s+available\s+at\s+law\s+or"
                  r"\s+in\s+equity\)", "(which payments shall be the exclusive remedy of the Investors for any such delay)",
                  agreement_text)
    (f,) = provisions.run(agreement_of_text(text), ["called-penalty"]).findings
    quotes = [w for _, w in f.evidence["memo"]["quotes"]]
    assert any(w.endswith("(which payments shall be the exclusive remedy of the Investors for any such delay)") for w in quotes)
    assert "calls the amounts penalties and sets no cap." in f.explanation
