"""The review memo on the bundled agreement: one problem one entry, ranked by consequence, every entry quoting its
clause in plain English, every high and medium entry with a redline checked on the redlined text; `rra check`
prints it and exits 1 on a high-severity entry; --json adds the issues."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rra.solver.memo import Area, RedlineCheck, Severity
from rra.solver.memo_build import Memo, build, clause_key, memo_json, order, sort_clauses
from rra.solver.memo_text import render

from .conftest import run_rra
from .support import BUNDLED


@pytest.fixture(scope="module")
def gathered(bundled_gathered: dict[str, Any]) -> dict[str, Any]:
    return bundled_gathered


@pytest.fixture(scope="module")
def memo(bundled_memo: Memo) -> Memo:
    return bundled_memo


def test_the_memo_has_at_most_forty_entries_outside_the_appendices(memo: Memo) -> None:
    assert 25 <= len(memo.body) <= 40
    assert {i.severity for i in memo.body} <= {Severity.HIGH, Severity.MEDIUM}
    assert all(i.severity == Severity.LOW for i in memo.issues if i.area.appendix)


def test_every_entry_quotes_the_words_of_its_clause(memo: Memo) -> None:
    for i in memo.issues:
        assert i.quotes, i.id
        for q in i.quotes:
            assert q.words in BUNDLED.document.normalized(q.clause), (i.id, q)


def test_every_high_and_medium_entry_has_a_redline_and_two_thirds_are_checked(memo: Memo) -> None:
    hm = [i for i in memo.body if i.severity in (Severity.HIGH, Severity.MEDIUM)]
    assert all(i.redlines for i in hm)
    checked = [i for i in hm if i.redline_check == RedlineCheck.CHECKED]
    assert 3 * len(checked) >= 2 * len(hm), [(i.id, i.redline_check, i.redline_note) for i in hm]


def test_a_finding_belongs_to_one_entry_at_most(memo: Memo) -> None:
    seen: dict[str, str] = {}
    for i in memo.issues:
        for f in i.findings:
            assert f not in seen, (f, seen.get(f), i.id)
            seen[f] = i.id


def test_repeats_are_one_entry(memo: Memo) -> None:
    def entry(fid: str) -> str:
        return next(i.id for i in memo.issues if fid in i.findings)

    # the worked example: the conflict, the "such thirty-day period" and the readings that diverge because of it
    assert len({entry("z3.example.anchor"), entry("text.no-antecedent.2(c).such-thirty-day-period"),
                entry("z3.reading.text.example")}) == 1
    # the remedy gap of 2(e) and 3(c): one entry, not one per duty
    assert len({entry("z3.remedy.2(e).s3_effective"), entry("z3.remedy.3(c).respond_comments"),
                entry("z3.remedy.3(c).acceleration")}) == 1
    # underwriter selection: one entry for the three clauses, not one per pair and per kind of comparison
    under = [i for i in memo.issues if i.area == Area.CONSENT and "underwriters" in i.title.lower()]
    assert len(under) == 1 and {"2(b)", "3(e)", "4(c)"} <= set(under[0].sections), [i.id for i in under]
    # a definition that never ends, read once for the votes and once for the definition: one entry
    assert entry("consent.outsiders-count") == entry("provisions.never-cease.Registrable-Securities")


def test_none_of_the_false_kinds_appears(memo: Memo) -> None:
    consent = [i for i in memo.issues if i.area == Area.CONSENT]
    # a default clause "except as otherwise provided" does not compete with clauses that set their own vote
    assert not any({"10", "11(k)"} <= set(i.sections) and "11(a)" not in i.sections for i in consent), \
        [(i.id, i.sections) for i in consent]
    # counsel chosen for different jobs (defending a claim under 6(c) is not reviewing the statement)
    assert not any("6(c)" in i.sections and "counsel" in i.title.lower() for i in consent)
    # the shortfall that triggers 3(b) is itself counted by 2(c)(ii): not a remedy gap (at most a question of timing)
    gap = next(i for i in memo.issues if "provisions.reference-measures-nothing.2(e)+3(c)" in i.findings)
    assert "z3.remedy.3(b).more_effective" not in gap.findings and "3(b)" not in gap.sections
    # a descriptive capitalised phrase is not reported as a term to look up (it may be quoted for another point)
    assert not any("Board of Directors" in i.title for i in memo.issues)


def test_no_solver_vocabulary_in_titles_and_explanations(memo: Memo) -> None:
    bad = re.compile(r"\bZ3\b|witness|unsat|\bmodel\b|\bslot\b|minimal conflicting|hitting set|adversarial world|"
                     r"s3_eligible|rs_effective|ninety-day-literal|\bpfed\b", re.IGNORECASE)
    for i in memo.issues:
        for words in (i.title, i.explanation, i.example or ""):
            assert not bad.search(words), (i.id, words)


def test_entries_are_ranked_high_first_then_by_area_and_clauses_are_in_natural_order(memo: Memo) -> None:
    body = memo.body
    ranks = [(0 if i.severity == Severity.HIGH else 1) for i in body]
    assert ranks == sorted(ranks)
    for i in memo.issues:
        assert list(i.sections) == sorted(i.sections, key=clause_key), i.id
    assert order(list(reversed(memo.issues))) == memo.issues


def test_clause_ids_sort_naturally() -> None:
    assert sort_clauses(["10", "2(a)", "11(k)", "1(a)(iv)", "preamble", "1(a)(ii)", "signatures", "recital(A)"]) == (
        "preamble", "recital(A)", "1(a)(ii)", "1(a)(iv)", "2(a)", "10", "11(k)", "signatures")


def test_the_refuted_proofs_and_the_worst_case_are_in_the_memo(memo: Memo) -> None:
    carried = {f for i in memo.issues for f in i.findings}
    assert {"proof.s3-filing-before-s3-effectiveness", "proof.effectiveness-deadlines-agree",
            "proof.listing-months-need-a-trigger", "proof.investor-blackout-bounded", "exposure.worst-case"} <= carried


def test_what_the_memo_leaves_out_is_said_with_a_reason(memo: Memo, gathered: dict[str, Any]) -> None:
    carried = {f for i in memo.issues for f in i.findings}
    dropped = dict(memo.dropped)
    assert {f["id"] for f in gathered["findings"]} == carried | set(dropped)
    assert all(dropped.values())
    assert "z3.core.3(a).adversarial" in dropped


def test_the_appendices_hold_the_drafting_and_the_documents(memo: Memo) -> None:
    proof = [i for i in memo.issues if i.area == Area.PROOFREADING]
    docs = [i for i in memo.issues if i.area == Area.DOCUMENTS]
    assert any("unmatched" in i.title for i in proof)
    assert any("Exhibit 1 and Exhibit 2" in i.title for i in docs)
    assert any("Conversion Shares" in i.title for i in docs)


def test_the_memo_is_the_same_for_the_same_findings(memo: Memo, gathered: dict[str, Any]) -> None:
    a = memo_json(build(BUNDLED, gathered["findings"]))
    b = memo_json(build(BUNDLED, list(reversed(gathered["findings"]))))
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_the_text_is_wrapped_and_numbers_the_entries(memo: Memo) -> None:
    text = render(memo, w=90)
    assert all(len(line) <= 90 for line in text.splitlines() if " " in line.strip())
    assert "  1. " in text and "A1. " in text and "B1. " in text


def test_json_keeps_the_findings_and_adds_the_issues() -> None:
    r = run_rra("check", "--only", "provisions", "--only", "text", "--no-redline-check", "--json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert {"findings", "withheld", "analyses", "agreement", "issues"} <= set(data)
    issue = data["issues"][0]
    assert {"id", "severity", "area", "title", "sections", "explanation", "quotes", "example", "favours", "redline",
            "redline_check", "findings"} <= set(issue)
    assert issue["severity"] in ("high", "medium", "low")
    assert set(issue["redline"]) == {"clause", "replace", "with"}
    assert issue["redline_check"] == "not checked"


def test_check_exits_zero_when_no_high_severity_problem_is_found() -> None:
    r = run_rra("check", "--only", "text", "--no-redline-check")
    assert r.returncode == 0, r.stderr
    assert "APPENDIX A. PROOFREADING" in r.stdout


def test_every_numbered_clause_is_read_by_a_check_or_listed_with_the_reason() -> None:
    from rra.solver.memo_coverage import review_coverage

    cov = review_coverage(BUNDLED)
    rows = {r["clause"]: r for r in cov["clauses"]}
    assert set(rows) == {c.id for c in BUNDLED.document.numbered()}
    for r in rows.values():
        assert r["checks"][0] == "drafting review"
        assert (len(r["checks"]) > 1) != bool(r["reviewed_no_check"]), r
    assert "provisions: example-anchor" in rows["2(c)"]["checks"]
    assert rows["11(e)"]["reviewed_no_check"].startswith("Severability")


def test_the_clauses_the_provisions_analysis_read_while_it_ran_are_those_each_detector_reads_alone() -> None:
    from rra.solver import provisions
    from rra.solver.findings import CheckContext
    from rra.spec.agreement import agreement_of_text

    # a text of its own, so that nothing else in this process has run the analysis on it
    draft = agreement_of_text("\n".join(BUNDLED.document.lines) + "\n", name="coverage draft")
    alone = provisions.clauses_read(draft)  # each detector run to see
    provisions.findings(CheckContext(draft))
    assert provisions.known(provisions._READS, draft, ("read",)) is not None
    assert provisions.clauses_read(draft) == alone
    assert alone["example-anchor"] and any("*" in read for read in alone.values())


def test_the_consent_section_is_the_consent_analysis_own_issues(monkeypatch: pytest.MonkeyPatch,
                                                           gathered: dict[str, Any]) -> None:
    from rra.solver import consent_analysis
    from rra.solver.memo import Favours, Issue, Quote

    own = Issue(id="consent.underwriters", severity=Severity.MEDIUM, area=Area.CONSENT, title="Underwriter selection",
                sections=("2(b)", "3(e)", "4(c)"), explanation="x", quotes=(Quote("3(e)", "select underwriters"),),
                favours=Favours.NEITHER, findings=("consent.disagree.3(e)~4(c)",), primary=("consent.disagree.3(e)~4(c)",))
    monkeypatch.setattr(consent_analysis, "consent_issues", lambda agreement: [own])
    memo = build(BUNDLED, gathered["findings"])
    consent = [i for i in memo.issues if i.area == Area.CONSENT]
    mine = next(i for i in consent if i.id == own.id)
    # the provisions review's voting entries fold into it when they share its clauses: one problem, one entry
    assert "provisions.one-decision.underwriter" in mine.findings
    assert all(set(i.sections).isdisjoint(own.sections) for i in consent if i is not mine)
    others = [i for i in memo.issues if i.id != own.id]
    assert all("consent.disagree.3(e)~4(c)" not in i.findings for i in others)


# ------------------------------------------------------------------------ the second review's standards

def test_the_readable_memo_has_no_solver_words_analysis_names_or_internal_ids(memo: Memo) -> None:
    text = render(memo, w=100)
    bad = re.compile(r"\bz3\b|\bsolver\b|\bproofs?\b|\bproved\b|\bevaluator\b|\bmodel\b|Found by|"
                     r"\bexposure\b|\bprovisions review\b|\bfindings?\b", re.IGNORECASE)
    ids = re.compile(r"\b[a-z][\w-]*\.[\w(),~+-]+[-.(][\w(),~+.-]*")
    for line in text.splitlines():
        assert not bad.search(line), line
        assert not ids.search(line.replace("e.g.", "")), line
    # the ids and the analyses' names are in the technical appendix, keyed by entry number
    verbose = render(memo, verbose=True, w=100)
    assert "TECHNICAL APPENDIX" in verbose and "[deadlines.deadline-before-duty.2(e).s3_effective]" in verbose
    appendix = verbose.split("TECHNICAL APPENDIX", 1)[1]
    assert "   1. [" in appendix and "  A1. [" in appendix  # each entry numbered once
    assert not re.search(r"\b(A?\d+)\. \1\. ", appendix)


def test_a_finding_whose_breach_the_measure_counts_or_whose_example_is_unrealistic_is_in_no_entry(memo: Memo) -> None:
    carried = {f for i in memo.issues for f in i.findings}
    dropped = dict(memo.dropped)
    for fid in ("z3.remedy.3(b).more_effective", "z3.remedy.3(c).final_prospectus", "z3.remedy.3(c).furnish_prospectus"):
        assert fid not in carried and "counted by the measure" in dropped[fid], fid


def test_one_problem_is_one_entry_when_two_redlines_change_the_same_words(memo: Memo) -> None:
    both = [i for i in memo.issues if "consent.reading-company-veto.company-signs" in i.findings]
    assert len(both) == 1 and "provisions.assignment-scope.9" in both[0].findings
    assert len(both[0].redlines) == len({(r.clause, r.replace) for r in both[0].redlines})


def test_the_certain_breach_is_first_and_the_order_is_not_the_size_of_the_example(memo: Memo) -> None:
    from rra.solver.memo import Certainty

    assert memo.body[0].findings[0] == "provisions.deadline-before-duty.2(e).s3_effective"
    assert memo.body[0].certainty == Certainty.EVERY
    high = [i for i in memo.body if i.severity == Severity.HIGH]
    ranks = [(list(Certainty).index(i.certainty), not i.whole_remedy, -i.per_month) for i in high]
    assert ranks == sorted(ranks)


def test_every_check_marked_checked_has_its_grouped_findings_silent_and_its_words_read(memo: Memo) -> None:
    for i in memo.issues:
        if i.redline_check != RedlineCheck.CHECKED:
            continue
        rc = i.detail.get("redline_check", {})
        assert not rc.get("still") and not rc.get("still_combined") and not rc.get("lint"), (i.id, rc)
        assert "still" not in i.redline_note, i.id
    # the listing measure's redline cites the sentence that holds the triggers
    listing = next(i for i in memo.issues if i.id.startswith("money.listing-markets"))
    assert "of the second sentence of this Section 2(c)" in listing.redlines[0].with_
    summary_line = render(memo).splitlines()[2]
    assert f"{sum(1 for i in memo.body if i.redline_check == RedlineCheck.CHECKED)} checked" in " ".join(
        render(memo).splitlines()[2:5])
    _ = summary_line


def test_examples_put_acts_on_business_days_and_date_rule_144_from_the_purchase(memo: Memo) -> None:
    from rra.solver.calendars import Calendar

    cal = Calendar()
    months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    acts = re.compile(rf"(?:filed|files|declared effective|effective) on (\d+ (?:{months}) \d{{4}})|"
                      rf"(?:issued|withdrawn|sends a notice by certified mail) on (\d+ (?:{months}) \d{{4}})")
    from datetime import datetime
    for i in memo.body:
        for m in acts.finditer(i.example or ""):
            d = datetime.strptime(m.group(1) or m.group(2), "%d %b %Y").date()
            assert cal.is_business_day(d), (i.id, m.group(0))
    outlives = next(i for i in memo.issues if i.id.startswith("money.outlives-period"))
    assert "from 9 May 2005" in (outlives.example or "")


def test_no_worst_case_below_an_example_of_the_same_entry(memo: Memo) -> None:
    for i in memo.body:
        m = re.search(r"largest amount is \$([\d,]+)", i.example or "")
        if m:
            assert all(int(m.group(1).replace(",", "")) > int(re.sub(r"\D", "", v) or 0) for v in i.figures.values())
        assert "proved optimal" not in (i.example or "")


def test_the_documents_appendix_starts_with_the_document_whose_date_starts_the_deadlines(memo: Memo) -> None:
    docs = [i for i in memo.issues if i.area == Area.DOCUMENTS]
    assert docs[0].title.startswith("Prior Financing Registration Statement")
    assert any("signature block" in i.title for i in docs)
    assert any(i.title.startswith("The Warrants themselves") for i in docs)
    proof = [i for i in memo.issues if i.area == Area.PROOFREADING]
    assert any("in lower case where the defined \"Investors\" is meant" in i.title for i in proof)
    assert sum(1 for i in proof if i.redlines or i.cured_by) >= 9


@pytest.mark.parametrize("serial", [False, True], ids=["beside the entries' checks", "in one process"])
def test_when_all_the_redlines_together_cannot_be_read_back_no_entry_is_said_to_be_checked(
        gathered: dict[str, Any], monkeypatch: pytest.MonkeyPatch, serial: bool) -> None:
    import rra.solver.memo_check as mc

    from rra.errors import ParseError

    real = mc.redlined

    def unreadable_together(agreement: Any, redlines: Any, strict: bool = True, name: str = "redlined draft") -> Any:
        if name == "all redlines":  # in this process and in the forked one
            raise ParseError(1, "a clause marker the parser cannot read", name)
        return real(agreement, redlines, strict=strict, name=name)

    monkeypatch.setattr(mc, "redlined", unreadable_together)
    if serial:
        monkeypatch.setenv("RRA_SERIAL", "1")
    memo = mc.review_memo(BUNDLED, gathered["findings"])
    checked = [i for i in memo.issues if i.redlines]
    assert checked and all(i.redline_check != RedlineCheck.CHECKED for i in checked)
    assert any("not checked together with the other redlines" in i.redline_note for i in checked)
    assert any("could not be read back" in n for n in memo.notes)
    assert any("a clause marker the parser cannot read" in n for n in memo.tech_notes)


_EVERY_ID = re.compile(r"(?<![\w#])(?:\d+|[A-Z])(?:#\d+)?(?:\([0-9A-Za-z]+\)(?:#\d+)?)*(?![\w#(])")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789ABCabc()#&; -.\n", max_size=60))
@example("2#2(c) and 2(c); 2(c)(d)#2 X(A#2) 2(c)3#2 12#3(iv)#4 #0b6e75 (A)#2(b)#3(")
def test_the_ids_of_repeated_clauses_are_found_as_among_every_clause_like_token(text: str) -> None:
    # the page's ids are looked for only where a "#" is: the same ids, in the same places, as among every token
    # shaped like a clause id (each number and capital letter)
    from rra.spec.clauses import _REPEATED_ID

    every = [(m.start(), m[0]) for m in _EVERY_ID.finditer(text) if "#" in m[0]]
    assert [(m.start(), m[0]) for m in _REPEATED_ID.finditer(text)] == every


def test_the_ids_of_repeated_clauses_are_written_for_a_reader_and_kept_in_json(tmp_path: Any) -> None:
    from rra.spec.clauses import readable_ids

    assert readable_ids("2#2(c) and 2(c); 2(c)#2; 2#2(c)#2; 11(k)#3(iv); color #0b6e75; &#92;") == (
        "2(c) (in the second Section 2) and 2(c); 2(c) (second copy); 2(c) (second copy, in the second Section 2); "
        "11(k)(iv) (in the third 11(k)); color #0b6e75; &#92;")
    src = "\n".join(BUNDLED.document.lines)
    s2, s3 = src.index("            2. REGISTRATION."), src.index("            3. OBLIGATIONS OF THE COMPANY.")
    draft = tmp_path / "section-2-twice.txt"
    draft.write_text(src[:s3] + src[s2:s3] + src[s3:], encoding="utf-8")
    memo = tmp_path / "memo.docx"
    text = run_rra("check", "--agreement", str(draft), "--no-redline-check", "--docx", str(memo))
    assert text.returncode == 1 and "2(c) (in the second Section 2)" in text.stdout
    assert not re.search(r"\d#\d", text.stdout)
    import docx

    d = docx.Document(str(memo))
    words = [p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert any("(in the second Section 2)" in w for w in words) and not any(re.search(r"\d#\d", w) for w in words)
    data = json.loads(run_rra("check", "--json", "--agreement", str(draft), "--no-redline-check").stdout)
    assert any("2#2(c)" in i["sections"] for i in data["issues"])


def test_an_entry_whose_redline_uses_a_term_only_another_redline_defines_says_to_apply_them_together(memo: Memo) -> None:
    from rra.solver.memo_build import entry_labels
    from rra.solver.memo_text import apply_with
    from rra.solver.redline_lint import defines, uses
    from rra.spec.terms import definitions

    have = {d.term for d in definitions(BUNDLED.document)}
    labels = entry_labels(memo)
    pairs = 0
    for i in memo.issues:
        for o in memo.issues:
            if o.id != i.id and ({t for r in i.redlines for t in uses(r)} - have) & {t for r in o.redlines for t in defines(r)}:
                pairs += 1
                assert o.id in i.relies_on, (i.id, o.id)
                assert f"entry {labels[o.id]}" in apply_with(i.relies_on, labels), i.id
    assert pairs >= 2  # "the Effectiveness Deadline", which one entry's redline defines and two others use


def test_the_documents_appendix_asks_for_the_other_agreements_themselves(memo: Memo) -> None:
    # the review found the list asked for Section 4(c) of the Securities Purchase Agreement, never for the agreement,
    # though 1(b) sends every undefined term to it
    [i] = [i for i in memo.issues if i.area == Area.DOCUMENTS and i.title.startswith("The other agreements")]
    assert "the Securities Purchase Agreement (Section 4(c), relied on in 8(b); where this agreement looks for terms " \
           "it does not define (1(a)(iv), 1(b)" in i.title


def test_an_agreement_the_text_borrows_terms_from_is_asked_for_even_when_no_provision_of_it_is_cited() -> None:
    # without 8(b)'s "Section 4(c) of the Securities Purchase Agreement", only the terms borrowed from it (1(a)(iv),
    # and 1(b)'s catch-all) say that it is needed (an audit's note)
    from rra.solver.memo_build import build
    from rra.spec.agreement import agreement_of_text

    from rra.commands.check import gather

    text = re.sub(r"Section\s+4\(c\)\s+of\s+the\s+Securities\s+Purchase\s+Agreement", "the applicable provisions",
                  "\n".join(BUNDLED.document.lines), count=1)
    draft = agreement_of_text(text, "draft")
    memo = build(draft, gather(draft, ["text"])["findings"])
    asks = [i.title for i in memo.issues if i.area == Area.DOCUMENTS and "Securities Purchase Agreement" in i.title]
    assert len(asks) == 1 and asks[0].startswith("Terms defined in other documents") and \
        asks[0].endswith("(obtain the Securities Purchase Agreement)"), asks


def test_a_refuted_guarantee_no_check_explains_is_carried_with_its_dates_in_words() -> None:
    from rra.solver.memo_build import _fallback

    f = {"id": "proof.effectiveness-deadlines-agree", "sections": ["3(a)", "2(c)"],
         "title": "Does not hold: 2(c) and 3(a) set the same effectiveness deadline whenever the Prior Financing "
                  "Effective Date occurs.",
         "explanation": "A dated timeline in which it fails is in the evidence.",
         "evidence": {"counterexample": [
             {"date": "2003-12-17", "event": "Prior Financing Effective Date"},
             {"date": "2004-03-15", "event": "deadline: Effectiveness deadline (2(c))"}]}}
    i = _fallback(f)
    assert i.title.endswith("whenever the Prior Financing Effective Date occurs.")
    assert i.explanation == ("It fails, for example, with these dates: 17 Dec 2003: Prior Financing Effective Date; "
                             "15 Mar 2004: Effectiveness deadline (2(c)).")
    assert "detector" not in i.redline_note and "evidence" not in i.explanation


def test_a_point_the_drafts_words_hid_from_the_checks_is_not_a_new_problem_of_the_redline_that_uncovers_it(
        agreement_text: str) -> None:
    import re

    from rra.solver.memo_check import review_memo
    from rra.spec.agreement import agreement_of_text

    from rra.commands.check import gather

    text = re.sub(r"use\s+its\s+best\s+efforts\s+to\s+cause\s+such\s+Registration",
                  "use its commercially reasonable efforts to cause such Registration", agreement_text, count=1)
    draft = agreement_of_text(text)  # 3(a)'s duty of effectiveness is no longer read: its checks are withheld
    assert any(not b.found and b.clause == "3(a)" for b in draft.binding.elements.values())
    memo = review_memo(draft, gather(draft)["findings"])
    entry = next(i for i in memo.issues if i.id.startswith("deadlines.efforts-differ"))
    assert entry.redline_check.value == "checked", entry.redline_note
    assert any("again and find a point the draft's words hid from them" in n for n in memo.notes)


def test_the_figures_basis_says_when_the_drafts_rate_could_not_be_read(agreement_text: str) -> None:
    import re

    from rra.solver.memo_build import Memo, figures_basis
    from rra.spec.agreement import agreement_of_text

    text = re.sub(r"means\s+two\s+hundredths\s+\(\.02\)", "means one and one-half hundredths (.015)", agreement_text)
    draft = agreement_of_text(text)
    assert "payments.applicable_percentage" in draft.params.unbound
    said = figures_basis(draft, Memo(title="t", issues=[]))
    assert said.startswith("Dollar figures are per $1,000,000 of principal at 2% a month, the rate of the agreement "
                           "this draft edits, because the draft's words for the rate of Section 2(c) could not be read")
    assert figures_basis(BUNDLED, Memo(title="t", issues=[])).startswith(
        "Dollar figures are per $1,000,000 of principal at the 2% a month of Section 2(c);")


def test_the_header_gives_values_in_words_and_cuts_a_long_change_at_a_word_with_its_brackets_closed() -> None:
    from rra.commands.common import _short_redline

    s = "[-only with written consent of the Company, each of the Investors (to the extent such Investor still owns-] x"
    short = _short_redline(s, 60)
    assert short.endswith("-] ...") and short.count("[-") == short.count("-]")
    assert _short_redline("short", 60) == "short"


def test_an_entry_of_several_clauses_with_different_words_gives_each_clause_its_own_title() -> None:
    from rra.solver.memo_build import _merge_title

    fs = [{"title": "3(a): 25 days from the start leaves the SEC no time at all, where a review takes at least 30",
           "sections": ["3(a)"]},
          {"title": "3(b): 30 days from the start leaves as little as 15 days, where a review takes at least 30",
           "sections": ["3(b)"]}]
    assert _merge_title(fs, ("3(a)", "3(b)")) == ("3(a): 25 days from the start leaves the SEC no time at all; 3(b): 30 "
                                                  "days from the start leaves as little as 15 days, where a review "
                                                  "takes at least 30")
    same = [{"title": "2(e): a breach measures nothing", "sections": ["2(e)"]},
            {"title": "3(c): a breach measures nothing", "sections": ["3(c)"]}]
    assert _merge_title(same, ("2(e)", "3(c)")) == "2(e) and 3(c): a breach measures nothing"


def test_the_bundled_appendix_says_which_items_each_lettered_subsection_has(bundled_memo: Any) -> None:
    titles = [i.title for i in bundled_memo.issues if "inside a lettered subsection" in i.title]
    assert titles == ['3(d): items (a) to (e) inside a lettered subsection; "which in each case" may or may not qualify '
                      "every item; 3(k): items (a) to (c) inside a lettered subsection"], titles
