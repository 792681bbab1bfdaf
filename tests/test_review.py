"""The drafting review (`rra check`, kind "text"): each known defect of the bundled agreement is found at the
right clause, the text that is fine yields nothing, and every check works on a different draft too."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import networkx as nx
import pytest
from rra.solver.findings import CheckContext, Finding
from rra.solver.review import findings, review, words_value
from rra.solver.textgraph import build_graph, references
from rra.spec.clauses import Document, agreement, parse
from rra.spec.terms import clause_texts, definitions, undefined_candidates
from rra.spec.text import normalize

from .conftest import run_rra


@pytest.fixture(scope="module")
def found() -> dict[str, Finding]:
    return {f.id: f for f in review(agreement())}


# ---------------------------------------------------------------- known defects of the bundled agreement

KNOWN = [
    # (finding id, severity, sections that must be listed)
    ("text.duplicate-definition.investors", "warning", {"preamble", "1(a)(i)"}),
    ("text.circular-definition.investors", "warning", {"1(a)(i)"}),
    ("text.undefined-term.conversion-shares", "warning", {"1(a)(iv)", "2(a)"}),
    ("text.undefined-term.warrant-shares", "warning", {"1(a)(iv)", "2(a)"}),
    ("text.undefined-term.variable-conversion-price", "warning", {"2(a)"}),
    ("text.undefined-term.convertible-debenture", "warning", {"1(b)"}),
    ("text.unused-term.stonstreet", "warning", {"1(a)(ii)"}),
    ("text.unused-term.nasd", "warning", {"3(m)"}),
    ("text.defined-and-borrowed.debentures", "warning", {"recital(A)", "1(a)(iv)"}),
    ("text.defined-and-borrowed.warrants", "warning", {"recital(A)", "1(a)(iv)"}),
    ("text.inconsistent-name.Stonestreet~Stonstreet", "warning", {"1(a)(ii)"}),
    ("text.missing-exhibit.exhibit-1", "error", {"3(o)"}),
    ("text.missing-exhibit.exhibit-2", "error", {"3(o)"}),
    ("text.no-antecedent.2(c).such-thirty-day-period", "warning", {"2(c)"}),
    ("text.inconsistent-period.prior-financing-effective-date.effectiveness", "warning", {"2(c)", "2(e)", "3(a)"}),
    ("text.unbalanced-parentheses.3(a)", "error", {"3(a)"}),
    ("text.unbalanced-parentheses.1(a)(iv)", "error", {"1(a)(iv)"}),
    ("text.unbalanced-parentheses.2(c)", "error", {"2(c)"}),
    ("text.mixed-day-count.3(c)", "warning", {"3(c)"}),
    ("text.mixed-day-count.2(e)", "warning", {"2(e)"}),
    ("text.typo.11(k).the-all", "warning", {"11(k)"}),
    ("text.typo.11(k).into-for", "warning", {"11(k)"}),
    ("text.borrowed-term.damages-shares", "info", {"1(a)(iv)"}),
    ("text.borrowed-term.conversion-price", "info", {"2(c)"}),
    ("text.borrowed-term.accredited-investor", "info", {"9"}),
    ("text.used-before-definition.conversion-price", "info", {"2(a)"}),
    ("text.long-form.sec", "info", {"2(a)"}),
    ("text.external-references.1933-act", "info", {"7"}),
    ("text.external-references.securities-purchase-agreement", "info", {"8(b)"}),
    ("text.catch-all-definitions.1(b)", "info", {"1(b)"}),
    ("text.term-names-another-document.securities-purchase-agreement.1(a)(ii)", "warning", {"1(a)(ii)"}),
    ("text.inconsistent-threshold.registrable-securities", "warning", {"3(d)", "10", "11(k)"}),
]


@pytest.mark.parametrize(("fid", "severity", "sections"), KNOWN, ids=[k[0] for k in KNOWN])
def test_each_known_defect_is_found_at_its_clause(found: dict[str, Finding], fid: str, severity: str,
                                                  sections: set[str]) -> None:
    assert fid in found, sorted(found)
    f = found[fid]
    assert f.kind == "text" and f.severity == severity
    assert sections <= set(f.sections)


def test_the_unmatched_parenthesis_of_3a_is_pointed_at_its_line(found: dict[str, Finding]) -> None:
    occ = found["text.unbalanced-parentheses.3(a)"].evidence["occurrences"]
    assert [(o["line"], found["text.unbalanced-parentheses.3(a)"].evidence["unmatched"]) for o in occ] == [(266, [")"])]
    assert "Effective Date)," in occ[0]["words"]


def test_the_effectiveness_deadline_evidence_quotes_each_version_in_its_own_words(found: dict[str, Finding]) -> None:
    f = found["text.inconsistent-period.prior-financing-effective-date.effectiveness"]
    by_clause = {o["clause"]: o["words"] for o in f.evidence["occurrences"]}
    assert by_clause["2(c)"] == by_clause["3(a)"] == "ninety (90) days from the Prior Financing Effective Date"
    assert by_clause["2(e)"] == "ninety (90) days after Prior Financing Effective Date"
    for clause, words in by_clause.items():  # verbatim: the memo quotes them
        assert words in normalize(agreement().normalized(clause)), (clause, words)
    assert f.evidence["outside_dates"] == {"2(c)": "the earlier of this and March 15, 2004"}


def test_the_thirty_day_filing_period_of_2a_is_not_confused_with_the_ninety_day_one(found: dict[str, Finding]) -> None:
    assert not [f for f in found.values() if f.id.startswith("text.inconsistent-period") and "2(a)" in f.sections]


def test_external_section_references_are_not_taken_for_internal_ones() -> None:
    g = build_graph(agreement())
    assert not g.has_edge("clause:7", "clause:11(f)")
    assert not g.has_edge("clause:8(b)", "clause:4(c)")
    assert "Section 11(f)" in g.edges["clause:7", "doc:1933 Act"]["targets"]
    assert "Section 4(c)" in g.edges["clause:8(b)", "doc:Securities Purchase Agreement"]["targets"]


@pytest.mark.parametrize(("words", "clause", "targets"), [
    ("Sections 2(b) and 3(h)", "5", ("2(b)", "3(h)")),
    ("Section 3(f) or 3(g)", "4(d)", ("3(f)", "3(g)")),
    ("this Section 2(d)", "2(d)", ("2(d)",)),
    ("Sections 2 and 3", "5", ("2", "3")),
    ("Section 3(h)", "2(c)", ("3(h)",)),
])
def test_every_reference_form_resolves_to_its_clauses(words: str, clause: str, targets: tuple[str, ...]) -> None:
    refs = [r for r in references(agreement()) if r.clause == clause and r.words == words]
    assert refs and refs[0].targets == targets and refs[0].kind == "internal"


# ---------------------------------------------------------------- no finding where the text is fine


def test_no_reference_in_the_bundled_agreement_dangles_or_points_the_wrong_way(found: dict[str, Finding]) -> None:
    bad = ("text.dangling-reference", "text.wrong-self-reference", "text.reference-direction",
           "text.wrong-definition-reference")
    assert [f.id for f in found.values() if f.id.startswith(bad)] == []


def test_every_number_in_words_and_figures_agrees_in_the_bundled_agreement(found: dict[str, Finding]) -> None:
    assert [f.id for f in found.values() if f.id.startswith("text.number-mismatch")] == []


def test_the_bundled_agreement_has_no_numbering_problems(found: dict[str, Finding]) -> None:
    assert [f.id for f in found.values() if f.id.startswith(("text.numbering", "text.stray"))] == []


def test_quotation_marks_pair_up_everywhere_and_parentheses_except_in_three_clauses(found: dict[str, Finding]) -> None:
    assert [f.id for f in found.values() if f.id.startswith("text.unbalanced-quotes")] == []
    assert sorted(f.sections[0] for f in found.values() if f.id.startswith("text.unbalanced-parentheses")) == \
        ["1(a)(iv)", "2(c)", "3(a)"]


@pytest.mark.parametrize("term", ["Registration Period", "Allowed Delay", "Applicable Percentage",
                                  "Registration Statement", "Securities Purchase Agreement", "Investors"])
def test_a_forward_reference_or_a_definitions_article_excuses_an_early_use(found: dict[str, Finding], term: str) -> None:
    assert f"text.used-before-definition.{term.lower().replace(' ', '-')}" not in found


@pytest.mark.parametrize("term", ["Allowed Delay", "Rule 415", "Alpha", "Violations", "Claims", "Records", "Indemnified Party",
                                  "register", "Outstanding Principal Amount"])
def test_a_term_used_only_in_another_form_or_in_its_own_clause_counts_as_used(found: dict[str, Finding], term: str) -> None:
    assert f"text.unused-term.{term.lower().replace(' ', '-')}" not in found


@pytest.mark.parametrize("clause", ["3(b)", "3(f)", "2(c)", "4(a)"])
def test_a_clause_counting_in_one_kind_of_day_is_not_mixed(found: dict[str, Finding], clause: str) -> None:
    assert f"text.mixed-day-count.{clause}" not in found


def test_only_the_self_referring_investors_definition_is_circular(found: dict[str, Finding]) -> None:
    assert [f.id for f in found.values() if f.id.startswith("text.circular")] == ["text.circular-definition.investors"]


def test_names_differing_only_in_case_are_not_flagged(found: dict[str, Finding]) -> None:
    assert not [f for f in found.values() if "amnis" in f.id.lower() or "alpha" in f.id.lower()]


def test_proper_names_statutes_and_markets_are_not_taken_for_undefined_terms() -> None:
    words = {c.words for c in undefined_candidates(agreement())}
    for ok in ("Amnis Systems Inc", "Securities Act", "Nasdaq National Market", "New York Stock Exchange",
               "United States", "Hillview Avenue", "Subscription Agreement", "Mandatory Registration",
               "One Million Dollars", "Lawrence Bartlett", "Over-the-Counter Bulletin Board", "Form S-3"):
        assert not any(ok in w for w in words), ok


# ---------------------------------------------------------------- shape, stability, speed-independent facts


def test_every_finding_points_at_real_clauses_and_lines_inside_them(found: dict[str, Finding]) -> None:
    doc = agreement()
    for f in found.values():
        assert f.kind == "text" and f.id.startswith("text.")
        for s in f.sections:
            assert s in doc.by_id, (f.id, s)
        for o in f.evidence["occurrences"]:
            c = doc.get(o["clause"])
            assert c.start <= o["line"] <= c.end, (f.id, o)
            assert o["words"]


def test_the_review_is_deterministic_and_ids_are_unique() -> None:
    a = [f.to_json() for f in review(parse(_bundled_text()))]
    b = [f.to_json() for f in review(parse(_bundled_text()))]
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert len({f["id"] for f in a}) == len(a)


def test_the_registered_analysis_returns_the_review() -> None:
    assert [f.id for f in findings(CheckContext.default()).findings] == [f.id for f in review(agreement())]


def test_clause_texts_match_the_parsers_normalized_text() -> None:
    doc = agreement()
    for c in doc.clauses:
        assert clause_texts(doc)[c.id].text == normalize(c.text)


def test_definitions_carry_their_source_line() -> None:
    lines = {(d.term, d.clause): d.line for d in definitions(agreement())}
    assert lines[("Allowed Delay", "3(f)")] == 393
    assert lines[("Investors", "1(a)(i)")] == 43


@pytest.mark.parametrize(("words", "value"), [("thirty", 30), ("twenty-one", 21), ("One Million", 1_000_000),
                                              ("two hundredths", "1/50"), ("one hundred and five", 105)])
def test_number_words_are_read(words: str, value: object) -> None:
    from fractions import Fraction

    assert words_value(words) == Fraction(str(value))


# ---------------------------------------------------------------- the graph


def test_graph_nodes_and_edges_carry_the_documented_attributes() -> None:
    g = build_graph(agreement())
    node_kinds = {"clause", "term", "borrowed_term", "undefined_term", "exhibit", "document"}
    edge_kinds = {"contains", "defines", "uses", "depends_on", "borrowed_from", "refers_to"}
    for n, a in g.nodes(data=True):
        assert a["kind"] in node_kinds, n
        assert {"name", "clause", "quote", "section"} <= set(a), n
    for u, v, a in g.edges(data=True):
        assert a["kind"] in edge_kinds and isinstance(a["via"], list), (u, v)
    assert g.nodes["exhibit:Exhibit 1"]["present"] is False
    assert g.edges["clause:3(o)", "exhibit:Exhibit 1"]["resolved"] is False
    assert g.has_edge("term:Investors", "term:Investors")
    assert g.edges["clause:3(f)", "term:Allowed Delay"]["kind"] == "defines"
    assert g.edges["clause:2(c)", "term:Allowed Delay"]["forward"] == "as defined in Section 3(f)"
    assert g.nodes["term:Conversion Shares"]["status"] == "undefined"
    tree = nx.DiGraph([(u, v) for u, v, a in g.edges(data=True) if a["kind"] == "contains"])
    assert nx.is_forest(tree)


def test_the_graph_is_a_fresh_copy_each_time() -> None:
    g = build_graph(agreement())
    g.remove_node("clause:2(c)")
    assert "clause:2(c)" in build_graph(agreement())


# ---------------------------------------------------------------- a different draft


def _bundled_text() -> str:
    from rra.spec.text import agreement_text

    return agreement_text()


DRAFT = textwrap.dedent('''\
                              SERVICES AGREEMENT

         SERVICES AGREEMENT (this "Agreement"), dated as of June 1, 2010, by and
    between Acme Widgets Inc. (the "Supplier") and Beta Holdings Ltd. (the "Customer").

               1. DEFINITIONS.

                  a. As used in this Agreement, the following terms shall have the
    following meanings:

                     (i) "Services" means the services described in Section 2.

                     (ii) "Service Fee" means the fee set forth in Section 3(a).

                     (iii) "Launch Date" means the date the Customer accepts the
    Services.

                     (iv) "Customer" means the Customer and its permitted assigns.

                     (v) "Spare Term" means nothing at all.

               2. SERVICES.

                  a. The Supplier shall perform the Services within thirty (31) days
    after the Launch Date, and shall report to Beta Holdings within five (5)
    business days after each month.

                  b. The Supplier shall deliver the report in the form attached hereto as
    Exhibit A (see "Exhibit A), subject to Section 2(d) and to this Section 2(a).

                  c. The Supplier shall keep the Services running (as set forth in Section
    3(a) above, and shall not re-perform the the Services within such sixty-day period.

               3. FEES.

                  a. The Customer shall pay the Service Fee within ten (10) days after the
    Launch Date, together with any Late Charge (as defined in Section 2(b)), to Acme
    Widgetts by wire.

                  c. Sections 3(a) and 2(b) of the Master Agreement govern disputes.

                  IN WITNESS WHEREOF, the parties have executed this Agreement.

    ACME WIDGETS INC.

    ____________________________________
    Jane Smyth
    ''')


@pytest.fixture(scope="module")
def draft() -> dict[str, Finding]:
    doc: Document = parse(DRAFT, strict=False, source="draft")
    return {f.id: f for f in review(doc)}


DRAFT_FINDINGS = [
    ("text.number-mismatch.2(a).thirty-31", {"2(a)"}),
    ("text.mixed-day-count.2(a)", {"2(a)"}),
    ("text.dangling-reference.2(b).2(d)", {"2(b)"}),
    ("text.wrong-self-reference.2(b).2(a)", {"2(b)"}),
    ("text.missing-exhibit.exhibit-a", {"2(b)"}),
    ("text.unbalanced-quotes.2(b)", {"2(b)"}),
    ("text.unbalanced-parentheses.2(c)", {"2(c)"}),
    ("text.reference-direction.2(c).3(a)", {"2(c)"}),
    ("text.typo.2(c).the-the", {"2(c)"}),
    ("text.no-antecedent.2(c).such-sixty-day-period", {"2(c)"}),
    ("text.undefined-term.late-charge", {"3(a)"}),
    ("text.numbering-gap.3(c)", {"3(c)"}),
    ("text.unused-term.spare-term", {"1(a)(v)"}),
    ("text.duplicate-definition.customer", {"preamble", "1(a)(iv)"}),
    ("text.circular-definition.customer", {"1(a)(iv)"}),
    ("text.external-references.master-agreement", {"3(c)"}),
    ("text.inconsistent-name.Widgets~Widgetts", {"preamble", "3(a)"}),
]


@pytest.mark.parametrize(("fid", "sections"), DRAFT_FINDINGS, ids=[d[0] for d in DRAFT_FINDINGS])
def test_each_check_finds_the_same_kind_of_defect_in_a_different_draft(draft: dict[str, Finding], fid: str,
                                                                      sections: set[str]) -> None:
    assert fid in draft, sorted(draft)
    assert sections <= set(draft[fid].sections)


def test_the_different_draft_has_no_finding_about_the_bundled_agreement(draft: dict[str, Finding]) -> None:
    assert not [f for f in draft if "investor" in f.lower() or "exhibit-1" in f]


def test_a_wrong_definition_pointer_is_caught(draft: dict[str, Finding]) -> None:
    doc = parse(DRAFT.replace("Launch Date, together", "Launch Date (as defined in Section 2(a)), together"),
                strict=False)
    ids = {f.id for f in review(doc)}
    assert "text.wrong-definition-reference.launch-date.3(a)" in ids


# ---------------------------------------------------------------- through the command line


def test_rra_check_reviews_a_draft_given_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(_bundled_text().replace("thirty  (30)  days  after  the", "thirty  (31)  days  after  the"),
                    encoding="utf-8")
    r = run_rra("check", "--agreement", str(path), "--only", "text", "--json", "--no-redline-check")  # findings only
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    hits = [f for f in data["findings"] if f["id"].startswith("text.number-mismatch.")]
    assert [(f["sections"], f["evidence"]["occurrences"][0]["line"]) for f in hits] == [(["3(b)"], 303)]


@pytest.mark.parametrize(("content", "message"), [
    ("Dear Sir,\n\nThis letter has no numbered sections at all.\n", "no numbered sections"),
    ("", "empty"),
])
def test_a_draft_that_cannot_be_parsed_is_refused_with_one_line_and_exit_2(tmp_path: Path, content: str,
                                                                           message: str) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(content, encoding="utf-8")
    r = run_rra("check", "--agreement", str(path))
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_a_draft_that_is_not_text_or_not_there_is_refused_with_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "draft.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    for path in (binary, tmp_path / "missing.txt"):
        r = run_rra("check", "--agreement", str(path), "--only", "text")
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--agreement" in r.stderr


# ---------------------------------------------------------------- fixing the words removes the finding

FIXES = [
    ("text.unbalanced-parentheses.3(a)", "Prior Financing  Effective  Date),", "Prior Financing  Effective  Date,"),
    ("text.inconsistent-name.Stonestreet~Stonstreet", '("Stonstreet")', '("Stonestreet")'),
    ("text.unused-term.stonstreet", '("Stonstreet")', '("Stonestreet")'),
    ("text.no-antecedent.2(c).such-thirty-day-period", "such  thirty-day", "such  ninety-day"),
    ("text.typo.11(k).the-all", "as if the all of the", "as if all of the"),
    ("text.typo.11(k).into-for", "converted into for", "converted into"),
    ("text.mixed-day-count.3(c)", "ten (10)  days)", "ten (10)  business days)"),
    ("text.inconsistent-period.prior-financing-effective-date.effectiveness",
     "the earlier of (A) ninety (90) days from the Prior Financing  Effective Date or\n (B) March 15, 2004,",
     "ninety (90) days from the Prior Financing  Effective Date,"),
    ("text.missing-exhibit.exhibit-1", "Title:\n", "Title:\n\nEXHIBIT 1\n\nForm of instruction.\n"),
    ("text.circular-definition.investors", '"Investors"  means the  Investors  and', '"Investors"  means the  Purchasers and'),
    ("text.term-names-another-document.securities-purchase-agreement.1(a)(ii)",
     "pursuant to the Securities  Purchase Agreement dated as of December 28, 2001",
     "pursuant to the securities purchase agreement dated as of December 28, 2001"),
]


@pytest.mark.parametrize(("fid", "old", "new"), FIXES, ids=[f[0] for f in FIXES])
def test_fixing_the_words_removes_the_finding(fid: str, old: str, new: str) -> None:
    text = _bundled_text()
    assert text.count(old) >= 1, old
    fixed = text.replace(old, new) if fid != "text.missing-exhibit.exhibit-1" else text[::-1].replace(
        old[::-1], new[::-1], 1)[::-1]
    before = {f.id for f in review(parse(text, strict=False))}
    after = {f.id for f in review(parse(fixed, strict=False))}
    assert fid in before and fid not in after


def test_the_term_table_says_where_each_term_is_defined_and_used() -> None:
    from rra.solver.textgraph import term_table

    rows = {r["term"]: r for r in term_table(agreement())}
    assert rows["Allowed Delay"]["defined_in"] == [{"clause": "3(f)", "line": 393}]
    assert {u["clause"] for u in rows["Allowed Delay"]["used_in"]} == {"2(c)", "3(f)"}
    assert rows["Conversion Shares"]["status"] == "undefined" and rows["Conversion Price"]["status"] == "borrowed"
    # a term inside another name is not a use: "Subscription Agreement", "Alpha Capital Aktiengesellschaft"
    assert "1(a)(ii)" not in {u["clause"] for u in rows["Agreement"]["used_in"]}
    assert rows["Alpha"]["used_in"] == [{"clause": "1(a)(ii)", "lines": [54]}]


def test_one_wording_for_the_majority_threshold_removes_the_threshold_finding() -> None:
    fixed = _bundled_text().replace("a majority interest of", "a majority-in-interest of").replace(
        "holding a majority of", "holding a majority-in-interest of")
    assert "text.inconsistent-threshold.registrable-securities" not in {f.id for f in review(parse(fixed))}


def test_a_deadline_redrafted_in_one_clause_only_is_found_in_both_clauses() -> None:
    redraft = _bundled_text().replace("than ninety (90) days from the Prior Financing  Effective  Date)",
                                      "than sixty (60) days from the Prior Financing  Effective  Date)")
    found = {f.id: f for f in review(parse(redraft))}
    f = found["text.inconsistent-period.prior-financing-effective-date.effectiveness"]
    assert {"2(c)", "3(a)"} <= set(f.sections) and "different numbers of days" in f.explanation
    assert not [k for k in found if k.startswith("text.number-mismatch")]  # words and figures still agree


def test_the_review_is_the_same_under_any_hash_seed() -> None:
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    outs = []
    for seed in ("1", "2"):
        r = subprocess.run([sys.executable, "-m", "rra", "check", "--only", "text", "--json", "--no-redline-check"],
                           capture_output=True,
                           text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert outs[0] == outs[1]


def test_a_drafts_review_reads_again_only_the_clause_it_changes_and_finds_the_same_as_a_fresh_read() -> None:
    from rra.solver import review as rv
    from rra.spec.text import agreement_text

    per_clause = (rv._periods, rv._mismatched_numbers, rv._thresholds, rv._capitalized, rv._typos, rv._unpaired)
    text = agreement_text()
    review(parse(text, strict=False, source="original"))
    before = {f: f.cache_info().misses for f in per_clause}
    mutant = re.sub(r"thirty(\s+)\(30\)", r"thirty\1(31)", text, count=1)  # one clause's words, no line moves
    assert mutant != text
    got = review(parse(mutant, strict=False, source="mutant"))
    assert {f.__name__: f.cache_info().misses - before[f] for f in per_clause} == {f.__name__: 1 for f in per_clause}
    assert any(f.id.startswith("text.number-mismatch.") for f in got)
    for f in per_clause:
        f.cache_clear()
    fresh = review(parse(mutant, strict=False, source="mutant"))
    assert [x.to_json() for x in got] == [x.to_json() for x in fresh]


def test_a_two_thirds_vote_is_another_threshold_not_another_wording_of_a_majority() -> None:
    from rra.solver.review import check_thresholds

    text = (Path(__file__).parent / "corpus" / "drafts" / "numbers-redraft.txt").read_text(encoding="utf-8")
    (f,) = check_thresholds(parse(text))
    assert f.title == ('The threshold over the Registrable Securities is worded 2 ways: "majority in interest" (3(d), '
                       '3(e), 3(p), 3(q), 4(c), 6(c)); "majority" (11(k))')
    assert "10" not in f.sections
    hyphened = re.sub(r"a\s+majority\s+in\s+interest\s+of\s+the\s+Registrable", "a majority-in-interest of the Registrable",
                      text, count=1)
    assert hyphened != text
    (g,) = check_thresholds(parse(hyphened))
    assert '"majority-in-interest" (3(d), 3(e), 3(p), 3(q), 4(c), 6(c))' in g.title  # as the text writes it
