"""The consent section of the memo (`consent_issues`): the entries on the bundled agreement, what no entry may say,
every quote and redline verbatim, and the precision corpus (tests/corpus/consent/): for every detector a draft
where it must stay silent and one where it must fire."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from rra.solver.consent_analysis import PREFIXES, consent_issues, findings, still_found
from rra.solver.findings import CheckContext
from rra.solver.memo import Area, Issue, Severity
from rra.spec.agreement import Agreement, agreement_of_text
from rra.spec.elements import ConsentRule, Reading
from rra.spec.package import AMNIS
from rra.spec.text import agreement_text, normalize

from tests.support import BUNDLED

from .conftest import run_rra

CORPUS = Path(__file__).parent / "corpus" / "consent"
CASES = sorted(CORPUS.glob("*.yaml"))


@cache
def bundled_issues() -> tuple[Issue, ...]:
    return tuple(consent_issues(BUNDLED))


def _flexible(words: str) -> re.Pattern[str]:
    """The words, with any run of whitespace (line breaks of the text included) where they have one."""
    return re.compile(r"\s+".join(re.escape(w) for w in words.split()))


def _value(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


@cache
def corpus_agreement(name: str) -> Agreement:
    """A case's draft: the bundled text with its edits, bound to a package whose consent rules and default readings
    the case changes (a package for that draft, as another agreement of the family would have)."""
    case = yaml.safe_load((CORPUS / name).read_text())
    text = agreement_text()
    for e in case.get("edits", []):
        text, n = _flexible(e["find"]).subn(e["replace"], text, count=1)
        assert n == 1, f"{name}: {e['find']!r} not in the text"
    rules: list[ConsentRule] = []
    for r in AMNIS.model.consent_rules:
        change = {k: _value(v) for k, v in case.get("rules", {}).get(r.id, {}).items()}
        if "quote" in change:
            change["quote"] = normalize(change["quote"])
        rules.append(replace(r, **change))
    readings: list[Reading] = []
    for r in AMNIS.model.consent_readings:
        axis = r.id.split(".")[2]
        if axis in case.get("readings", {}):
            r = replace(r, default=r.name == case["readings"][axis])
        readings.append(r)
    model = replace(AMNIS.model, consent_rules=tuple(rules), consent_readings=tuple(readings))
    package = replace(AMNIS, name=f"amnis-consent-{Path(name).stem}", model=model)
    return agreement_of_text(text, name=name, package=package)


def _matches(iid: str, key: str) -> bool:
    return iid == key or iid.startswith(key + ".") or iid.startswith(key + "-")


# ------------------------------------------------------------------ the corpus

@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_case_of_the_consent_corpus_fires_where_it_should_and_nowhere_else(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    agreement = corpus_agreement(path.name)
    assert not [r for r in agreement.model.changed if r.startswith("consent.") and r in case.get("rules", {})], \
        "a rule the case redrafts must have its words in the draft"
    issues = {i.id: i for i in consent_issues(agreement)}
    expect = case["expect"]
    for iid, severity in (expect.get("fires") or {}).items():
        assert iid in issues, f"{iid} did not fire; got {sorted(issues)}"
        assert issues[iid].severity == Severity(severity), iid
    for key in expect.get("silent", []):
        assert not [i for i in issues if _matches(i, key)], f"{key} fired: {sorted(issues)}"
    for iid, rules in (expect.get("rules_in") or {}).items():
        assert set(rules) <= _rules_of(issues[iid]), (iid, _rules_of(issues[iid]))
    for iid, rules in (expect.get("rules_out") or {}).items():
        assert not set(rules) & _rules_of(issues[iid]), (iid, _rules_of(issues[iid]))
    for iid, words in (expect.get("title_has") or {}).items():
        assert words in issues[iid].title
    if "count" in expect:
        assert len(issues) == expect["count"], sorted(issues)
    for issue in issues.values():
        _assert_verbatim(agreement, issue)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_asking_for_some_entries_finds_exactly_those_the_full_review_finds(path: Path) -> None:
    # a memo's redline check asks `still_found` for an entry's ids only, which runs only the detectors that make them
    agreement = corpus_agreement(path.name)
    full = consent_issues(agreement)
    assert full or path.stem != "bundled", "the bundled case must have entries, or nothing is tested"
    for issue in full:
        got = still_found(agreement, [issue.id])
        assert [(i.id, i.severity, i.sections, i.title) for i in got] == [(issue.id, issue.severity, issue.sections, issue.title)]
    # ids nobody makes, each under an entry's own prefix (so every detector that made an entry runs): never found
    assert still_found(agreement, [i.id + ".gone" for i in full]) == []
    ids = [i.id for i in full]
    assert sorted(i.id for i in still_found(agreement, ids)) == sorted(ids)


def test_every_consent_entry_id_starts_with_its_own_detectors_prefix() -> None:
    # `still_found` picks detectors by these prefixes: an entry made under another prefix would go unchecked
    prefixes = list(PREFIXES.values())
    for path in CASES:
        for issue in consent_issues(corpus_agreement(path.name)):
            own = [p for p in prefixes if issue.id.startswith(p)]
            assert len(own) == 1, (path.stem, issue.id, own)


def _rules_of(issue: Issue) -> set[str]:
    """The rules an entry is about."""
    return set(issue.detail["rules"])


def _assert_verbatim(agreement: Agreement, issue: Issue) -> None:
    doc = agreement.document
    for q in issue.quotes:
        assert q.words in doc.normalized(q.clause), (issue.id, q)
    for r in issue.redlines:
        assert doc.normalized(r.clause).count(r.replace) == 1, (issue.id, r)
        assert r.replace != r.with_


def test_every_consent_redline_applied_to_the_text_leaves_no_consent_entry() -> None:
    text = agreement_text()
    for issue in bundled_issues():
        for r in issue.redlines:
            text, n = _flexible(r.replace).subn(r.with_.replace("\\", "\\\\"), text, count=1)
            assert n == 1, (issue.id, r.replace)
    redlined = agreement_of_text(text, name="redlined")
    assert consent_issues(redlined) == []


# ------------------------------------------------------------------ the bundled agreement

def test_the_bundled_agreement_gets_the_memos_consent_points_each_once() -> None:
    ids = [i.id for i in bundled_issues()]
    assert ids == ["consent.record-owners-only", "consent.same-decision.the-underwriters-of-an-underwritten-offering",
                   "consent.one-counsel.5", "consent.each-veto", "consent.no-stated-vote", "consent.outsiders-count",
                   "consent.reading-company-veto.company-signs"]
    assert [i.severity for i in bundled_issues()] == [Severity.HIGH] + [Severity.MEDIUM] * 6
    assert all(i.area == Area.CONSENT and i.found_by == ("consent",) and i.findings == (i.id,) for i in bundled_issues())


def test_every_entry_quotes_its_clauses_verbatim_and_carries_a_redline_that_applies_once() -> None:
    for issue in bundled_issues():
        assert issue.quotes and issue.redlines, issue.id
        assert {q.clause for q in issue.quotes} <= set(issue.sections)
        _assert_verbatim(BUNDLED, issue)


def test_no_entry_speaks_in_rule_ids_solver_words_or_toy_parties() -> None:
    for issue in bundled_issues():
        prose = f"{issue.title} {issue.explanation}"
        assert "consent." not in prose and "Z3" not in prose and "underwriters)" not in prose, issue.id
        assert not re.search(r"\b(?:Investor|party|holder) [A-D]\b|\b[A-D] \((?:Investor|not an Investor)\)", prose)
        assert not re.search(r"\b(?:proved|refuted|sat|unsat|coalition)\b", prose), issue.id
        sentences = re.sub(r'"[^"]*"', '""', issue.explanation).rstrip(".").count(". ") + 1
        assert 1 <= sentences <= 3, (issue.id, sentences)


def test_11k_is_never_said_to_conflict_with_a_clause_that_sets_its_own_vote() -> None:
    for issue in bundled_issues():
        assert "consent.11(k)" not in _rules_of(issue) or issue.id == "consent.outsiders-count", issue.id
        assert "overrides" not in issue.title


def test_counsel_of_different_roles_is_never_paired_and_11a_is_never_a_decision() -> None:
    for issue in bundled_issues():
        rules = _rules_of(issue)
        if issue.id.startswith(("consent.one-", "consent.same-decision.")):  # the entries that pair choices
            assert "consent.6(c)" not in rules, issue.id
        assert "consent.11(a)" not in rules, issue.id


def test_each_entry_says_whose_side_it_favours() -> None:
    favours = {i.id: str(i.favours) for i in bundled_issues()}
    assert favours["consent.record-owners-only"] == "Company"
    assert favours["consent.each-veto"] == "Investors"
    assert favours["consent.one-counsel.5"] == "Company"
    assert favours["consent.outsiders-count"] == "neither"


def test_the_same_agreement_gives_the_same_entries_and_findings() -> None:
    again = consent_issues(BUNDLED)
    assert [json.dumps(i.detail, sort_keys=True) for i in again] == \
        [json.dumps(i.detail, sort_keys=True) for i in bundled_issues()]
    assert again == list(bundled_issues())


def test_rra_check_prints_one_consent_finding_per_entry_the_same_twice() -> None:
    out = findings(CheckContext(BUNDLED))
    assert [f.id for f in out.findings] == [i.id for i in bundled_issues()]
    assert all(f.severity == "warning" for f in out.findings)
    # findings only (the memo's redline checks are compared byte for byte by the report's same-input test)
    first = run_rra("check", "--only", "consent", "--json", "--no-redline-check")
    second = run_rra("check", "--only", "consent", "--json", "--no-redline-check")
    assert first.returncode == second.returncode and first.stdout == second.stdout
    data = json.loads(first.stdout)
    ids = [f["id"] for f in data["findings"] if f["kind"] == "consent"]
    assert ids and sorted(ids) == sorted(i.id for i in bundled_issues())


def test_a_draft_that_changes_a_rules_words_withholds_what_rests_on_it() -> None:
    case = CORPUS / "p03-no-company-signature.yaml"
    agreement = corpus_agreement(case.name)
    assert "reading.consent.assignment.company-signs" in agreement.model.changed
    assert not [i for i in consent_issues(agreement) if i.id.startswith("consent.reading-company-veto")]


def test_the_analysis_under_the_default_readings_gives_the_memo_its_consent_entries_without_a_second_review(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # `rra report` runs the analysis and then asks for the memo's consent entries: the same questions in the same
    # order, so the analysis's issues are those entries, and asking again builds no second engine
    import rra.solver.consent_analysis as ca

    def load() -> Agreement:  # a new agreement value each time (the bundled one is a single value)
        return agreement_of_text(agreement_text() + "\n")

    fresh = load()
    assert fresh is not load()
    reviewed = [ca.issue_json(i) for i in consent_issues(load())]
    data = ca.analyze(fresh)
    engines = []
    real = ca.Engine.__init__
    monkeypatch.setattr(ca.Engine, "__init__", lambda self, *a, **k: (engines.append(1), real(self, *a, **k))[1])
    assert [ca.issue_json(i) for i in consent_issues(fresh)] == data["issues"] == reviewed
    assert engines == []
    other = load()
    ca.analyze(other, reading="as-converted")  # another reading: other issues, not the memo's
    consent_issues(other)
    assert engines


def test_the_point_left_open_by_the_one_counsel_redline_is_said_only_when_that_redline_is_made() -> None:
    from rra.spec.agreement import agreement_of_text

    from tests.support import BUNDLED

    [bundled] = [i for i in consent_issues(BUNDLED) if i.id.startswith("consent.one-counsel")]
    assert any("no longer choose counsel for an underwritten offering under Section 2(b)" in p for p in bundled.open_points)
    assert any(r.clause == "2(b)" for r in bundled.redlines)
    # a comma after "one legal counsel" leaves the 2(b) redline unmade: 2(b)'s group keeps its choice (an audit)
    text = re.sub(r"one\s+legal\s+counsel\s+and\s+an", "one legal counsel, and an", "\n".join(BUNDLED.document.lines),
                  count=1)
    [draft] = [i for i in consent_issues(agreement_of_text(text, "draft")) if i.id.startswith("consent.one-counsel")]
    assert not any(r.clause == "2(b)" for r in draft.redlines)
    assert not any("no longer choose" in p for p in draft.open_points)


def test_a_two_thirds_vote_is_called_two_thirds_and_blocked_by_more_than_one_third() -> None:
    from rra.spec.agreement import load_agreement

    draft = load_agreement(Path(__file__).parent / "corpus" / "drafts" / "numbers-redraft.txt")  # Section 10: two-thirds
    by_id = {i.id: i for i in consent_issues(draft)}
    veto = by_id["consent.each-veto"]
    assert "the two-thirds requirement is surplus" in veto.title and "majority requirement" not in veto.title
    assert "unless holders who are not Investors hold more than one-third" in veto.explanation
    assert veto.open_points and veto.open_points[0].startswith("with the redline Investors holding two-thirds can")
    out = by_id["consent.outsiders-count"]
    assert "once holders who are not Investors hold more than one-third, an Investor vote cannot pass" in out.title
    assert "under Section 10, which needs two-thirds, once they hold more than one-third" in out.explanation
    bundled = {i.id: i for i in consent_issues(BUNDLED)}
    assert "the majority requirement is surplus" in bundled["consent.each-veto"].title
    assert "hold half, no Investor vote can pass" in bundled["consent.outsiders-count"].title
