"""`rra diff OLD NEW`: the markup corpus (tests/corpus/diff/, expected.yaml), layout-only changes, the clause
matching, the problem matching, the exit statuses, bad input and the HTML page."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from rra.solver import assumptions
from rra.solver.diff import Comparison, Side, compare, side
from rra.solver.diff_problems import compare_problems, match_issues, translate_id
from rra.solver.memo import Area, Favours, Issue, Severity
from rra.spec.agreement import agreement_of_text, load_agreement
from rra.spec.clauses import parse
from rra.spec.textdiff import WordsDiff, compare_documents, redline
from rra.visualize.diff_html import page, section

from rra.commands.check import gather
from rra.commands.diff import comparison_json, render
from tests.conftest import ROOT, run_rra
from tests.support import BUNDLED

CORPUS = ROOT / "tests" / "corpus" / "diff"
DRAFTS = ROOT / "tests" / "corpus" / "drafts"
EXAMPLES = ROOT / "examples"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text())
SCENARIOS = sorted(str(p) for p in EXAMPLES.iterdir() if p.name.startswith("scenario"))
DEFAULT_SET = [assumptions.load(None)]

_SIDES: dict[str, Side] = {}


def side_of(path: str | None) -> Side:
    """One text analysed once per test session (the default assumption set, every example scenario)."""
    key = path or "bundled"
    if key not in _SIDES:
        _SIDES[key] = side(load_agreement(path), gather, DEFAULT_SET, SCENARIOS)
    return _SIDES[key]


def diff_of(old: str | None, new: str | None) -> Comparison:
    return compare(side_of(old), side_of(new))


def _direction(x: Fraction | None) -> str:
    assert x is not None, "a figure was withheld where the corpus expects a number"
    return "up" if x > 0 else "down" if x < 0 else "same"


# ------------------------------------------------------------------------------------------------ the corpus


@pytest.mark.parametrize("markup", list(EXPECTED), ids=[EXPECTED[k]["name"].replace(" ", "_") for k in EXPECTED])
def test_each_markup_gives_the_deltas_written_down_for_it(markup: str) -> None:
    want = EXPECTED[markup]
    c = diff_of(None, str(CORPUS / markup))
    assert [f"{w.status} {w.old} -> {w.new}" for w in c.words.changes] == want["words"]
    assert {n.id: [n.old, n.new] for n in c.numbers} == {k: list(v) for k, v in (want.get("numbers") or {}).items()}
    got_problems: dict[str, list[str]] = {}
    for p in c.problems.changes:
        got_problems.setdefault(p.status, []).append(p.issue.id)
    assert {k: sorted(v) for k, v in got_problems.items()} == {k: sorted(v) for k, v in (want.get("problems") or {}).items()}
    assert {p.id: [p.old, p.new] for p in c.proofs} == {k: list(v) for k, v in (want.get("proofs") or {}).items()}
    assert {m.figure: _direction(m.difference) for m in c.money} == want["money"]
    damages = {Path(d.new.file).name: _direction(d.difference) for d in c.damages}
    if "damages" in want:
        assert damages == want["damages"]
    else:
        assert set(damages.values()) == {"same"}
    votes = {v.rule: {"status": v.status, "vetoes": {p.who: p.veto for p in v.powers if p.veto}} for v in c.votes.changes}
    assert votes == (want.get("votes") or {})
    assert (1 if c.new_high else 0) == want["exit"]
    assert not c.old_withheld and not c.new_withheld


@pytest.mark.parametrize("layout", ["drafts/layout-parenthesized.txt", "drafts/layout-word.docx",
                                    "drafts/layout-mixed.txt", "diff/layout-only.txt"])
def test_a_layout_only_change_gives_an_empty_diff_words_included(layout: str) -> None:
    c = diff_of(None, str(CORPUS.parent / layout))
    assert c.words.empty
    assert c.empty
    assert c.headlines() == []
    assert comparison_json(c)["summary"]["changes"] == []


def test_every_part_of_a_markup_is_in_the_readable_output_without_internal_ids() -> None:
    c = diff_of(None, str(CORPUS / "vote-threshold.txt"))
    text = render(comparison_json(c))
    assert "What matters most:" in text
    for part in ("WORDS", "NUMBERS", "PROBLEMS", "PROOFS", "MONEY", "DAMAGES", "VOTES"):
        assert part in text
    assert "gains a veto" in text
    assert "consent.3(q)" not in text and "consent.10.share" not in text and "consent.10:" not in text


def test_the_summary_leads_with_one_change_of_each_kind_in_the_documented_order() -> None:
    c = diff_of(None, str(CORPUS / "number-changed.txt"))
    top = c.top()
    # the worked example left at 2% is a new high-severity problem: it leads
    assert [h.kind for h in top] == ["new high problem", "money", "damages"]
    assert "worked example" in top[0].text
    # the money headline is the largest proved difference under the sets compared
    proved = [m for m in c.money if m.proved and m.difference]
    best = max(proved, key=lambda m: abs(m.difference or 0))
    assert best.title.split()[0].lower() in top[1].text.lower() and best.set in top[1].text


def test_the_json_is_stable_and_carries_every_part() -> None:
    c = diff_of(None, str(CORPUS / "clause-deleted.txt"))
    a = json.dumps(comparison_json(c), sort_keys=True)
    b = json.dumps(comparison_json(c), sort_keys=True)
    assert a == b
    data = json.loads(a)
    assert set(data) == {"old", "new", "summary", "words", "numbers", "problems", "proofs", "money", "damages", "votes",
                         "withheld"}
    assert data["problems"]["matched"]["proofreading.typo.11(k)"] == {"new": "proofreading.typo.11(k)", "by": "id"}
    assert all(not d["file"].startswith("/") for d in data["damages"])


# ------------------------------------------------------------------------------------------------ withheld


def test_a_draft_that_changes_words_the_model_rests_on_says_withheld_never_zero() -> None:
    c = diff_of(None, str(DRAFTS / "reworded-acceleration.txt"))
    assert any(w["analysis"] == "z3" and w["clause"] == "3(c)" for w in c.new_withheld)
    unread = [n for n in c.numbers if n.status == "unread"]
    assert [n.id for n in unread] == ["acceleration.business_days"] and unread[0].new is None
    assert any(h.kind == "withheld" for h in c.headlines())
    assert not c.empty


def test_a_draft_whose_measure_words_cannot_be_read_withholds_money_damages_and_proofs_and_says_why(
        agreement_text: str) -> None:
    import re

    text = re.sub(r"means\s+two\s+hundredths\s+\(\.02\)\.", "means such percentage as the parties agree.",
                  agreement_text)
    assert text != agreement_text
    new = side(agreement_of_text(text, "unread-percentage.txt"), gather, DEFAULT_SET, SCENARIOS)
    c = compare(side_of(None), new)
    assert [(n.id, n.status) for n in c.numbers] == [("payments.applicable_percentage", "unread")]
    assert c.money and all(m.new.status == "withheld" and m.difference is None and m.changed for m in c.money)
    assert c.damages and all(d.new.status == "withheld" and d.difference is None and d.changed for d in c.damages)
    assert c.proofs and {p.new for p in c.proofs} == {"withheld"}
    assert not c.problems.of("resolved"), "a problem whose check could not run is never resolved"
    data = comparison_json(c)
    text_out = render(data)
    assert "withheld" in text_out and "payments.applicable_percentage" not in text_out
    assert all(not line.split(": ", 2)[-1].startswith("whose") for line in data["withheld"]["in_words"]["new_only"])
    assert any("Applicable Percentage" in line or "per month of delay" in line
               for line in data["withheld"]["in_words"]["new_only"])
    assert not c.empty


# ------------------------------------------------------------------------------------------------ words


def _doc(text: str) -> Any:
    return parse(text, strict=False)


def test_a_clause_moved_and_reworded_is_one_clause_changed_not_a_deletion_and_an_insertion(agreement_text: str) -> None:
    base = _doc(agreement_text)
    start = agreement_text.index("               l.  The  Company   acknowledges")
    end = agreement_text.index("               m. The language")
    text = agreement_text[:start] + agreement_text[end:].replace("m. The language", "l. The words", 1)
    w = compare_documents(base, _doc(text))
    assert [(x.status, x.old, x.new) for x in w.changes] == [("deleted", "11(l)", None),
                                                            ("moved and changed", "11(m)", "11(l)")]
    assert w.mapping["11(m)"] == "11(l)"
    assert "[-language-] {+words+}" in w.changes[1].redline()


def test_an_inserted_clause_is_inserted_and_the_rest_keep_their_place(agreement_text: str) -> None:
    at = agreement_text.index("               m. The language")
    extra = "               m. Each party shall bear its own costs.\n\n"
    text = agreement_text[:at] + extra + agreement_text[at:].replace("m. The language", "n. The language", 1)
    w = compare_documents(_doc(agreement_text), _doc(text))
    assert [(x.status, x.old, x.new) for x in w.changes] == [("inserted", None, "11(m)"), ("renumbered", "11(m)", "11(n)")]


def test_the_short_redline_cuts_long_unchanged_runs_and_keeps_the_change() -> None:
    ops = [("equal", " ".join(f"w{i}" for i in range(20)), ""), ("replace", "thirty (30)", "forty (40)"),
           ("equal", " ".join(f"v{i}" for i in range(20)), "")]
    short = redline(ops, 3)
    assert short == "... w17 w18 w19 [-thirty (30)-] {+forty (40)+} v0 v1 v2 ..."
    assert "w0" in redline(ops, None)


# ------------------------------------------------------------------------------------------------ problems


def _issue(iid: str, title: str, sections: tuple[str, ...], severity: Severity = Severity.MEDIUM) -> Issue:
    return Issue(iid, severity, Area.MONEY, title, sections, "", (), Favours.NEITHER)


def test_a_problem_whose_clause_was_renumbered_is_matched_through_the_clause_matching(agreement_text: str) -> None:
    start = agreement_text.index("               l.  The  Company   acknowledges")
    end = agreement_text.index("               m. The language")
    words = compare_documents(_doc(agreement_text), _doc(agreement_text[:start] + agreement_text[end:].replace(
        "m. The language", "l. The language", 1)))
    assert translate_id("money.strict-construction.11(m)+2(c)", {"11(m)": "11(l)"}) == "money.strict-construction.11(l)+2(c)"
    old = [_issue("money.strict-construction.11(m)", "11(m): no rule of strict construction", ("11(m)",)),
           _issue("money.rewritten.11(m)", "11(m): payments of 30 days are counted twice", ("2(c)", "11(m)"))]
    new = [_issue("money.strict-construction.11(l)", "11(l): no rule of strict construction", ("11(l)",)),
           _issue("money.rewritten.11(l)-2(c)", "11(l): payments of 45 days are counted twice", ("2(c)", "11(l)"))]
    got = match_issues(old, new, words)
    assert got == {"money.strict-construction.11(m)": ("money.strict-construction.11(l)", "renumbered id"),
                   "money.rewritten.11(m)": ("money.rewritten.11(l)-2(c)", "clause and title")}


def test_problems_of_another_kind_or_other_clauses_are_never_matched_by_title() -> None:
    words = WordsDiff((), {"2(c)": "2(c)", "3(a)": "3(a)"})
    old = [_issue("money.cap.2(c)", "2(c): no cap", ("2(c)",))]
    new = [_issue("money.other.2(c)", "2(c): no cap", ("2(c)",)), _issue("money.cap.3(a)", "2(c): no cap", ("3(a)",))]
    assert match_issues(old, new, words) == {}


def _found(iid: str, severity: Severity, *findings: str, sections: tuple[str, ...] = ("3(b)",)) -> Issue:
    return Issue(iid, severity, Area.DEADLINES, f"{iid}: a problem", sections, "", (), Favours.NEITHER,
                 findings=findings, primary=findings)


NO_WORDS = WordsDiff((), {"2(c)": "2(c)", "3(a)": "3(a)", "3(b)": "3(b)"})


def test_a_high_problem_now_also_found_in_another_clause_is_changed_and_counts_as_a_new_high_problem() -> None:
    old = [_found("deadlines.window.3(b)", Severity.HIGH, "provisions.review-window.3(b).x")]
    new = [_found("deadlines.window.3(b)", Severity.HIGH, "provisions.review-window.3(b).x",
                  "provisions.review-window.3(a).y", sections=("3(a)", "3(b)"))]
    d = compare_problems(old, new, NO_WORDS, [], [])
    assert [(c.status, c.reason, c.more) for c in d.changes] == [
        ("changed", "now also found in 3(a)", ("provisions.review-window.3(a).y",))]
    assert d.new_high == list(d.changes)
    back = compare_problems(new, old, NO_WORDS, [], [])
    assert [(c.status, c.reason) for c in back.changes] == [("changed", "no longer found in 3(a)")]
    assert back.new_high == []


def test_a_finding_that_only_changes_its_id_or_a_new_check_at_the_same_clauses_is_the_same_problem() -> None:
    old = [_found("consent.no-vote", Severity.HIGH, "provisions.no-vote.2(a)-3(h)")]
    new = [_found("consent.no-vote", Severity.HIGH, "provisions.no-vote.3(h)-2(a)", "z3.core.2(a).x")]
    d = compare_problems(old, new, NO_WORDS, [], [])
    assert d.changes == () and d.unchanged == 1 and d.new_high == []
    grown = [_found("consent.no-vote", Severity.HIGH, "provisions.no-vote.2(a)-3(h)-signatures")]
    assert [c.reason for c in compare_problems(old, grown, NO_WORDS, [], []).changes] == ["now also found in signatures"]


def test_a_medium_problem_now_also_found_elsewhere_is_changed_but_not_a_new_high_problem() -> None:
    old = [_found("deadlines.window.3(b)", Severity.MEDIUM, "provisions.review-window.3(b).x")]
    new = [_found("deadlines.window.3(b)", Severity.MEDIUM, "provisions.review-window.3(b).x",
                  "provisions.review-window.3(a).y")]
    d = compare_problems(old, new, NO_WORDS, [], [])
    assert [c.status for c in d.changes] == ["changed"] and d.new_high == []


def test_a_problem_the_memo_folds_into_another_entry_is_regrouped_neither_resolved_nor_new() -> None:
    old = [_found("deadlines.differ.2(c)~3(a)", Severity.HIGH, "provisions.deadlines-differ.2(c)~3(a)"),
           _found("deadlines.window.3(b)", Severity.HIGH, "provisions.review-window.3(b).x")]
    new = [_found("deadlines.window.3(b)", Severity.HIGH, "provisions.review-window.3(b).x",
                  "provisions.deadlines-differ.2(c)~3(a)")]
    d = compare_problems(old, new, NO_WORDS, [], [])
    assert dict(d.regrouped) == {"deadlines.differ.2(c)~3(a)": "deadlines.window.3(b)"}
    assert d.changes == () and d.unchanged == 2
    split = compare_problems(new, old, NO_WORDS, [], [])
    assert dict(split.regrouped) == {"deadlines.differ.2(c)~3(a)": "deadlines.window.3(b)"} and split.new_high == []


def test_a_problem_whose_check_could_not_run_on_the_new_text_is_cannot_tell_not_resolved() -> None:
    old = [_found("deadlines.window.3(b)", Severity.HIGH, "provisions.review-window.3(b).x")]
    withheld = [{"analysis": "provisions", "what": "review-window", "clause": "3(b)", "element": "e",
                 "reason": "its words changed in the draft"}]
    d = compare_problems(old, [], NO_WORDS, [], withheld)
    assert [c.status for c in d.changes] == ["withheld"] and "3(b)" in d.changes[0].reason
    assert [c.status for c in compare_problems(old, [], NO_WORDS, [], []).changes] == ["resolved"]


# ------------------------------------------------------------------------------------------------ the command


def test_the_bundled_agreement_against_itself_is_empty_and_exits_0_and_writes_its_page(tmp_path: Path) -> None:
    out = tmp_path / "diff"
    r = run_rra("diff", "bundled", "bundled", "--json", "--out", str(out), "--assumptions",
                str(assumptions.DEFAULT_FILE), "--scenario", str(EXAMPLES / "scenario.yaml"), timeout=600)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["changes"] == [] and data["summary"]["empty"] and data["words"] == []
    assert sorted(p.name for p in out.iterdir()) == [".rra-diff", "diff.json", "index.html"]
    assert json.loads((out / "diff.json").read_text()) == data
    assert "No differences" in (out / "index.html").read_text()


def test_a_markup_that_brings_back_a_high_severity_problem_exits_1() -> None:
    # the memo's own fix for the penalty problem, undone: NEW (the bundled text) has a high entry OLD did not
    r = run_rra("diff", str(CORPUS / "memo-redline.txt"), "bundled", "--assumptions", str(assumptions.DEFAULT_FILE),
                "--scenario", str(EXAMPLES / "scenario.yaml"), timeout=600)
    assert r.returncode == 1, r.stderr
    assert "New high-severity problem" in r.stdout
    assert "Exit status 1" in r.stdout


@pytest.mark.parametrize(("args", "field"), [
    (["no-such-draft.txt", "bundled"], "OLD"),
    (["bundled", str(DRAFTS / "refused-binary.txt")], "NEW"),
    (["bundled", str(DRAFTS / "refused-article-numbering.txt")], "refused-article-numbering.txt line"),
    (["bundled", "bundled", "--assumptions", "no-such-set.yaml"], "--assumptions"),
    (["bundled", "bundled", "--scenario", str(DRAFTS / "refused-binary.txt")], "--scenario"),
])
def test_bad_input_is_one_line_naming_the_field_and_exit_status_2(args: list[str], field: str) -> None:
    r = run_rra("diff", *args, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rra diff: ") and field in lines[0]
    assert "Traceback" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize(("which", "make", "problem"), [
    ("OLD", "huge", "larger than"),
    ("NEW", "huge", "larger than"),
    ("NEW", "folder", "is a directory"),
    ("NEW", "empty", "empty"),
])
def test_a_huge_file_a_folder_or_an_empty_file_is_one_line_and_exit_status_2(tmp_path: Path, which: str, make: str,
                                                                          problem: str) -> None:
    bad = tmp_path / "draft.txt"
    if make == "huge":
        with bad.open("wb") as f:
            f.truncate(1_048_577)  # sparse: one byte past the documented 1 MiB limit
    elif make == "folder":
        bad.mkdir()
    else:
        bad.write_text("\n\n")
    args = [str(bad), "bundled"] if which == "OLD" else ["bundled", str(bad)]
    r = run_rra("diff", *args, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rra diff: {which}: ") and problem in lines[0], lines
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_an_out_folder_that_is_not_ours_is_refused_before_any_work(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("mine")
    r = run_rra("diff", "bundled", "no-such-draft.txt", "--out", str(theirs), timeout=120)
    assert r.returncode == 2 and "--out" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in theirs.iterdir()) == ["keep.txt"]


# ------------------------------------------------------------------------------------------------ HTML


def test_the_page_is_self_contained_and_escapes_the_drafts_words() -> None:
    text = (ROOT / "spec" / "registration-rights-agreement-2003-05-09.txt").read_text()
    hostile = text.replace("The language used in this  Agreement", "The <script>alert(1)</script> used in this Agreement", 1)
    a, b = side_of(None), side_of(None)
    c = compare(a, Side(agreement_of_text(hostile, "hostile.txt"), b.findings, b.withheld, b.memo, b.verdicts, b.money,
                        b.damages))
    html = page(comparison_json(c))
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert 'href="http' not in html and "src=" not in html
    assert section(comparison_json(c)).startswith('<section id="comparison">')


def test_the_markups_are_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, str(CORPUS / "make_markups.py"), "--out", str(tmp_path)], check=True)
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_the_review_page_carries_the_comparison_as_its_own_section_when_asked() -> None:
    from rra.visualize.report import render_html

    c = diff_of(None, str(CORPUS / "vote-threshold.txt"))
    data = comparison_json(c)
    html = render_html({}, c.new, comparison=data)
    assert html.count('<section id="comparison">') == 1 and '<a href="#comparison">Changes</a>' in html
    assert "gains a veto" in html
    assert '<section id="comparison">' not in render_html({}, c.new)


def test_report_against_a_missing_text_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    r = run_rra("report", "--against", "no-such-draft.txt", "--out", str(tmp_path / "r"), timeout=120)
    assert r.returncode == 2 and "--against" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_deleting_a_clause_with_duties_leads_the_summary_and_what_it_carried_is_not_called_resolved() -> None:
    # 11(l) (its remedy) deleted: the summary says so first, and the penalty problem found in 11(l) is said to be no
    # longer found with 11(l) deleted, not "resolved"
    c = diff_of(None, str(CORPUS / "clause-deleted.txt"))
    top = c.top()
    assert top[0].kind == "clauses deleted" and top[0].text == "Deleted: 11(l), where the old text has 1 remedy"
    assert any(h.text.startswith("No longer found, with 11(l) deleted (high): ") for h in top)
    assert not any(h.text.startswith("Resolved") for h in c.headlines())


def test_a_problem_whose_clauses_are_all_deleted_is_no_longer_found_not_undecidable(tmp_path: Any) -> None:
    # Section 3 deleted whole: a problem of 3(b) alone, whose check rests on words the deletion took away, is gone
    # with its clause; "cannot tell whether it remains" would be wrong
    src = "\n".join(BUNDLED.document.lines)
    s3, s4 = src.index("            3. OBLIGATIONS OF THE COMPANY."), src.index("            4.       OBLIGATIONS OF THE")
    draft = tmp_path / "no-section-3.txt"
    draft.write_text(src[:s3] + src[s4:], encoding="utf-8")
    texts = [h.text for h in diff_of(None, str(draft)).headlines()]
    assert texts[0].startswith("Deleted: Section 3 and its 18 sub-clauses, where the old text has ")
    gone = [t for t in texts if t.startswith("No longer found, with 3(b) deleted (high): 3(b): ")]
    assert gone and not any(t.startswith("Cannot tell") and "[3(b)]" in t for t in texts)



def test_a_number_changed_in_some_places_lists_the_places_still_giving_the_old_number() -> None:
    c = diff_of(None, str(DRAFTS / "numbers-redraft.txt"))
    by = {n.id: n for n in c.numbers}
    assert by["effectiveness.days_after_pfed"].left_behind == (
        ("2(c)", "the aforementioned ninety (90) day period"),
        ("2(e)", "to be declared effective no later than ninety (90) days after Prior Financing Effective Date"))
    # each place once, under the first change that claims it; a period from another event is not listed
    assert by["company.effective_days_after_pfed"].left_behind == ()
    # 2(c)'s example's "such thirty-day period" states no period of its own: it is 2(a)'s window, which a change of
    # the filing days leaves behind (the outputs read of stop 32, defect 6); a Section is not its subsections again
    assert by["filing.days_after_pfed"].left_behind == (("2(c)", "such thirty-day period"),)
    # an entry found at the same places whose words moved with the numbers is changed, not "the same"
    anchor = next(p for p in c.problems.changes if p.issue.id == "money.example-anchor.2(c)")
    assert anchor.status == "changed" and "from the 90-day effectiveness deadline" in anchor.reason
    assert by["allowed_delay.max_total"].left_behind == ()
    head = next(h for h in c.headlines() if h.kind == "number" and "(2(c))" in h.text and "days" in h.text)
    assert head.text.endswith("(still 90 calendar days in 2(c) and 2(e))")
    data = comparison_json(c)
    row = next(n for n in data["numbers"] if n["id"] == "effectiveness.days_after_pfed")
    assert row["left_behind"][1] == {"clause": "2(e)", "words": by["effectiveness.days_after_pfed"].left_behind[1][1]}


def test_a_markup_that_changes_a_number_everywhere_leaves_nothing_behind(agreement_text: str) -> None:
    import re as _re

    from rra.solver.diff import compare_numbers
    from rra.spec.agreement import agreement_of_text, load_agreement

    text = _re.sub(r"ninety\s+\(90\)\s+(days?)", r"one hundred twenty (120) \1", agreement_text)
    text = _re.sub(r"aforementioned\s+ninety\s+\(90\)\s+day", "aforementioned one hundred twenty (120) day", text)
    changed = compare_numbers(load_agreement(), agreement_of_text(text))
    assert changed and all(n.left_behind == () for n in changed)


@pytest.mark.parametrize("markup, said_once", [
    ("deadline-tightened.txt", "Once the Prior Financing Effective Date has occurred, the Filing Date never falls after "
                              "3(a)'s effectiveness"),
    ("vote-threshold.txt", "(3(q))"),
    ("clause-deleted.txt", "11(l) deleted"),
])
def test_what_matters_most_says_each_change_once(markup: str, said_once: str) -> None:
    top = [h.text for h in diff_of(None, str(CORPUS / markup)).top()]
    assert sum(said_once in t for t in top) == 1, top


def test_a_few_words_changed_are_named_in_what_matters_most() -> None:
    top = diff_of(None, str(DRAFTS / "reworded-acceleration.txt")).top()
    assert 'Words: 3(c) reworded: "promptly" deleted, "when it sees fit" added' in [h.text for h in top]
    assert not any("not read from the new text's words" in h.text for h in top)  # the same clause, said above


def test_a_problem_gone_with_its_deleted_clause_is_not_called_resolved_in_the_problems_part() -> None:
    from rra.commands.diff import render

    text = render(comparison_json(diff_of(None, str(CORPUS / "clause-deleted.txt"))))
    part = text[text.index("PROBLEMS"):text.index("PROOFS")]
    assert part.startswith("PROBLEMS (review memo: 1 entry differs, 63 the same)")
    assert "[no longer found, with 11(l) deleted, high] 2(c) payments are uncapped" in part
    assert "[resolved" not in part


def test_a_problem_whose_check_cannot_read_the_new_words_is_cannot_tell_not_no_longer_found(
        agreement_text: str, tmp_path: Path) -> None:
    import re as _re

    text = _re.sub(r"use\s+its\s+best\s+efforts\s+to\s+cause\s+such\s+Registration",
                   "use its commercially reasonable efforts to cause such Registration", agreement_text, count=1)
    assert text != agreement_text
    draft = tmp_path / "efforts.txt"
    draft.write_text(text, encoding="utf-8")
    c = diff_of(None, str(draft))
    about = [p for p in c.problems.changes if "2(c)" in p.issue.sections and "3(a)" in p.issue.sections
             and "effectiveness deadline" in p.issue.title]
    assert about and all(p.status == "withheld" for p in about), [(p.status, p.reason) for p in about]
    assert all("3(a) that the text changed" in (p.reason or "") for p in about)


def test_a_words_line_that_only_shows_a_number_already_told_is_left_out_of_what_matters_most(agreement_text: str,
                                                                                            tmp_path: Path) -> None:
    import re as _re

    text = _re.sub(r"more\s+than\s+ten\s+\(10\)\s+days\)\s+respond", "more than twenty (20) days) respond", agreement_text)
    assert text != agreement_text
    draft = tmp_path / "comments.txt"
    draft.write_text(text, encoding="utf-8")
    top = [h.text for h in diff_of(None, str(draft)).top()]
    assert top == ["Days to answer SEC comments (3(c)): 10 calendar days -> 20 calendar days"], top
