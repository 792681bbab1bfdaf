"""Z3 checks: the corpus of redrafts (good/ and bad/) with expected verdicts, and focused properties."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rra.solver.checks import KINDS, run_checks
from rra.solver.invariants import check_all
from rra.spec.agreement import Agreement
from rra.spec.elements import Offset

from tests.support import BUNDLED

from .conftest import ROOT, run_rra

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for kind in ("good", "bad") for p in (CORPUS / kind).glob("*.yaml"))  # hostile/ is the fuzz corpus


def load_case(path: Path) -> tuple[Agreement, dict[str, Any], dict[str, Any], list[str]]:
    """A corpus case: the redrafted agreement (values, replaced deadline terms), Encoding options, expectations,
    check kinds."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = BUNDLED.with_values({k: v for k, v in (data.get("set") or {}).items()})
    kw: dict[str, Any] = {}
    if data.get("deadlines"):
        params = params.with_deadline_terms(
            {d: tuple(Offset(**t) for t in terms) for d, terms in data["deadlines"].items()})
    if data.get("drop"):
        kw["dropped"] = frozenset(data["drop"])
    kinds = data.get("kinds", list(KINDS))
    return params, kw, data["expect"], kinds


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_redraft_in_the_corpus_gets_its_expected_verdicts(path: Path) -> None:
    params, kw, expect, kinds = load_case(path)
    if expect.get("findings") or expect.get("absent"):
        found = {f.id: f for f in run_checks(params, kinds, **kw).findings}
        for fid, fields in (expect.get("findings") or {}).items():
            assert fid in found, f"{fid} missing; found {sorted(found)}"
            f = found[fid]
            for key, value in fields.items():
                got = list(f.sections) if key == "sections" else getattr(f, key)
                assert got == value, (fid, key, got)
        for fid in expect.get("absent") or []:
            assert fid not in found, fid
    if expect.get("invariants"):
        verdicts = {v.id: v for v in check_all(params, list(expect["invariants"]), **kw)}
        for iid, status in expect["invariants"].items():
            assert verdicts[iid].status == status, (iid, verdicts[iid])
            if status == "refuted":
                assert verdicts[iid].counterexample, iid
            if status == "proved":
                assert verdicts[iid].vacuous is False


def test_the_good_and_bad_corpora_each_hold_redrafts() -> None:
    assert len(list((CORPUS / "good").glob("*.yaml"))) >= 3
    assert len(list((CORPUS / "bad").glob("*.yaml"))) >= 3


def test_an_impossible_obligation_comes_with_its_earliest_dated_scenario() -> None:
    f = next(f for f in run_checks(BUNDLED, ["impossibility"]).findings if f.id == "z3.impossible.2(e).s3_effective")
    assert f.evidence["mode"] == "cooperative"
    # earliest: PFED on the agreement date, the S-3 deadline 90 days later, eligibility the day after
    assert f.evidence["due"] == "2003-08-07"
    dates = {r["id"]: r["date"] for r in f.evidence["timeline"]}
    assert dates["pfed"] == "2003-05-09" and dates["s3_eligible"] > "2003-08-07"


def test_findings_name_events_and_deadlines_in_words_never_by_the_model_s_ids_or_abbreviations(
        bundled_gathered: dict[str, Any]) -> None:
    m = BUNDLED.model
    ids = {e.id for e in [*m.events, *m.deadlines, *m.obligations] if re.search(r"[._]", e.id)}
    words = {w.upper() for w in re.findall(r"\w+", "\n".join(BUNDLED.document.lines))}
    shorts = {t.upper() for e in m.events for t in e.id.split("_") if len(t) > 1} - words  # "PFED", "RS"
    said = [(f["id"], f["title"] + " " + f["explanation"]) for f in bundled_gathered["findings"]]
    assert said
    leaks = [(fid, x) for fid, text in said for x in ids if re.search(rf"(?<![\w.-]){re.escape(x)}(?![\w-])", text)]
    leaks += [(fid, x) for fid, text in said for x in shorts if re.search(rf"\b{x}\b", text)]
    assert leaks == []


def test_the_2c_and_3a_deadlines_disagree_from_a_pfed_of_december_17_2003_and_without_a_pfed() -> None:
    f = next(f for f in run_checks(BUNDLED, ["conflict"]).findings if f.id == "z3.conflict.3(a).effective.2(c).triggers")
    ranges = f.evidence["ranges"]
    assert ranges[0]["from"] == "2003-12-17" and ranges[0]["to"] is None
    assert ranges[0]["later_by_days"][1] == -1  # 2(c)'s deadline is earlier, by at least a day
    assert any(r.get("without") == "pfed" for r in ranges)


def test_moving_the_outside_date_moves_the_start_of_the_conflict() -> None:
    params = BUNDLED.with_values({"effectiveness.outside_date": "2004-06-15"})
    f = next(f for f in run_checks(params, ["conflict"]).findings if f.id == "z3.conflict.3(a).effective.2(c).triggers")
    assert f.evidence["ranges"][0]["from"] == "2004-03-18"


def test_the_minimal_conflicting_sets_name_clause_ids_only() -> None:
    fs = [f for f in run_checks(BUNDLED, ["conflict-set"]).findings if f.id.startswith("z3.core.")]
    assert {f.sections for f in fs} == {("2(e)",), ("3(a)",), ("3(b)",)}
    cooperative = [f for f in fs if f.evidence["mode"] == "cooperative"]
    assert [f.sections for f in cooperative] == [("2(e)",)]
    assert set(cooperative[0].evidence["scenario_events"]) == {"pfed", "s3_eligible"}


def test_a_3c_breach_alone_never_yields_a_2c_amount_but_a_late_filing_does() -> None:
    fs = {f.id: f for f in run_checks(BUNDLED, ["remedy"]).findings}
    assert fs["z3.remedy.3(c).respond_comments"].evidence["always_zero"] is True
    assert fs["z3.remedy.2(a).file"].evidence["always_zero"] is False
    assert fs["z3.remedy.2(a).file"].severity == "info"  # only a carve-out can make it $0
    # the triggers the check could not date are named in words, with a plural that agrees
    assert fs["z3.remedy.not-compiled"].title == ("1 2(c) trigger has no deadline to breach and was not checked: "
                                                  "'notify Investors of effectiveness by facsimile'")


def test_readings_report_the_largest_divergence_in_days_and_dollars() -> None:
    f = next(f for f in run_checks(BUNDLED, ["reading"]).findings if f.id == "z3.reading.text.example")
    d = f.evidence["example>text"]
    assert d["max_days"] == 91 and d["max_dollars"] == 60000.0


def test_rra_check_json_has_the_documented_shape_and_is_stable() -> None:
    # findings only: the memo's redline checks are compared byte for byte by the report's same-input test
    a = run_rra("check", "--only", "z3", "--json", "--no-redline-check")
    assert a.returncode == 0, a.stderr
    data = json.loads(a.stdout)
    for f in data["findings"]:
        assert set(f) == {"id", "kind", "severity", "sections", "title", "explanation", "evidence"}
    b = run_rra("check", "--only", "z3", "--json", "--no-redline-check")
    assert a.stdout == b.stdout


def test_a_bad_override_is_one_line_and_exit_status_2() -> None:
    r = run_rra("check", "--only", "z3", "--set", "filing.outside_date=someday")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_a_draft_that_changes_a_number_is_checked_on_the_drafts_own_value(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "spec" / "registration-rights-agreement-2003-05-09.txt").read_text()
    draft = tmp_path / "draft.txt"
    draft.write_text(text.replace("ninety (90) days from the Prior Financing  Effective  Date)",
                                  "sixty (60) days from the Prior Financing  Effective  Date)"), encoding="utf-8")
    r = run_rra("check", "--only", "z3", "--json", "--no-redline-check", "--agreement", str(draft))  # findings only
    data = json.loads(r.stdout)
    assert data["withheld"] == []
    changed = {p["id"]: p for p in data["agreement"]["parameters"]}
    assert changed["company.effective_days_after_pfed"]["new"] == 60
    conflict = next(f for f in data["findings"] if f["id"] == "z3.conflict.3(a).effective.2(c).triggers")
    # with 60 days, 3(a)'s deadline comes first for every PFED before 2004-01-15 (60 days before March 15, 2004)
    assert "3(a)" in conflict["sections"]


def test_a_draft_that_rewords_a_duty_withholds_only_the_checks_resting_on_it(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "spec" / "registration-rights-agreement-2003-05-09.txt").read_text()
    old = "shall  promptly  file  an  acceleration  request"
    assert text.count(old) == 1
    draft = tmp_path / "draft.txt"
    draft.write_text(text.replace(old, "shall file an acceleration request when it sees fit"), encoding="utf-8")
    r = run_rra("check", "--only", "z3", "--only", "draft", "--json", "--no-redline-check", "--agreement", str(draft))
    data = json.loads(r.stdout)
    assert [w["element"] for w in data["withheld"]] == ["3(c).acceleration"]
    assert [e["id"] for e in data["agreement"]["changed_elements"]] == ["3(c).acceleration", "deadline.acceleration"]
    assert [p["id"] for p in data["agreement"]["parameters"] if p["origin"] == "unread"] == ["acceleration.business_days"]
    assert any(f["id"] == "draft.changed.3(c)" for f in data["findings"])
    assert any(f["id"] == "z3.impossible.2(e).s3_effective" for f in data["findings"])


def test_the_text_and_ninety_day_readings_diverge_only_for_a_pfed_from_december_17_2003() -> None:
    f = next(f for f in run_checks(BUNDLED, ["reading"]).findings if f.id == "z3.reading.text.ninety-day-literal")
    assert f.evidence["pfed_range"]["from"] == "2003-12-17"
    assert f.evidence["pfed_range"]["without_pfed"] is False



def _without_2c(tmp_path: Path) -> Path:
    """The bundled text with subsection 2(c) (the payment measure, and a deadline every Z3 check counts from)
    deleted."""
    lines = list(BUNDLED.document.lines)
    s2 = next(i for i, x in enumerate(lines) if x.strip().startswith("2. REGISTRATION."))
    c = next(i for i in range(s2, len(lines)) if lines[i].strip().startswith("c. "))
    d = next(i for i in range(c + 1, len(lines)) if lines[i].strip().startswith("d. "))
    path = tmp_path / "without-2c.txt"
    path.write_text("\n".join(lines[:c] + lines[d:]), encoding="utf-8")
    return path


def test_a_draft_without_2c_gets_its_memo_with_the_z3_checks_withheld_alike_with_a_worker_and_in_one_process(
        tmp_path: Path) -> None:
    # the Z3 checks' encoding reads a date 2(c) gave; it is withheld there, not the whole run (with a worker, the
    # error that said so could not even be sent back: exit 3 and a traceback from the pool's thread)
    draft = _without_2c(tmp_path)
    runs = [run_rra("check", "--json", "--agreement", str(draft)),
            run_rra("check", "--json", "--agreement", str(draft), env={"RRA_SERIAL": "1"})]
    for r in runs:
        assert r.returncode == 1 and r.stderr == "", r.stderr
    assert runs[0].stdout == runs[1].stdout
    data = json.loads(runs[0].stdout)
    assert any(w["analysis"] == "z3" and w["what"] == "every Z3 check" for w in data["withheld"]) and data["issues"]


def test_rra_graph_of_a_draft_without_2c_draws_the_rest_and_says_why_the_payments_are_not_drawn(tmp_path: Path) -> None:
    r = run_rra("graph", "--json", "--format", "dot", "--agreement", str(_without_2c(tmp_path)), "--out",
                str(tmp_path / "g"))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [g["name"] for g in data["graphs"]] == ["obligations", "definitions"]
    assert data["withheld"] == [{"name": "payments", "reason": "the draft changed the words of the Section 2(c) payments"}]


def test_what_a_withheld_analysis_rests_on_is_said_in_words(tmp_path: Path) -> None:
    import re

    text = (ROOT / "spec" / "registration-rights-agreement-2003-05-09.txt").read_text(encoding="utf-8")
    draft = tmp_path / "measure-changed.txt"
    draft.write_text(re.sub(r"multiplied\s+by\s+the\s+Applicable\s+Percentage", "multiplied by the Default Rate", text),
                     encoding="utf-8")
    readable = run_rra("check", "--agreement", str(draft), "--no-redline-check").stdout
    withheld = readable[readable.index("Withheld (the draft changed the words they rest on):"):]
    assert "the measure of the Section 2(c) payments (2(c))" in withheld and "measure.2c" not in withheld
    data = json.loads(run_rra("check", "--agreement", str(draft), "--no-redline-check", "--json").stdout)
    assert any(w["element"] == "measure.2c" for w in data["withheld"])  # the id stays in --json
    head = readable[:readable.index("\n\n")]  # what the draft changes, at the top: elements in words too
    assert "words changed beyond their numbers (the measure of the Section 2(c) payments)" in head, head
    one = run_rra("exposure", "--agreement", str(draft))
    assert one.returncode == 2 and one.stderr.strip() == (
        "rra exposure: withheld: it rests on the measure of the Section 2(c) payments (2(c)), its words changed in "
        "the draft")
