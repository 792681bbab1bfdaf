"""`rra report`: one self-contained page, written atomically, escaped, and looked at in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rra.visualize import report as rep

from rra.errors import BadInput
from tests.support import BUNDLED

from .conftest import ROOT, hostile_scenario, run_rra

CHROMIUM = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


pytestmark = pytest.mark.usefixtures("working_folder_left_as_it_was")


@pytest.fixture(scope="module")
def built(bundled_report: Path) -> Path:
    """The whole page of the bundled agreement, with a scenario whose name is hostile markup (shared by the report
    tests: conftest.bundled_report)."""
    return bundled_report


def test_the_page_is_one_self_contained_file_with_no_scripts_or_network(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#)""", html), "only in-page links"
    assert "@import" not in html and "url(" not in html
    # The only URLs are XML namespace names, which are never fetched.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "default-src 'none'" in html


def test_every_part_of_the_page_is_there(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    for sid in ("summary", "findings", "invariants", "exposure", "consent", "coverage", "diagrams", "parameters"):
        assert f'<section id="{sid}">' in html
    assert html.count("<svg") >= 3  # the diagrams, inline
    assert "2(c)" in html and "Allowed Delay" in html


def test_the_folder_keeps_dot_sources_beside_the_svgs_and_the_data(built: Path) -> None:
    names = {p.name for p in (built / "diagrams").iterdir()}
    for n in ("payments-1", "obligations-overview", "obligations-1", "definitions-1"):
        assert {f"{n}.dot", f"{n}.svg"} <= names
    data = json.loads((built / "report.json").read_text())
    assert set(data["parts"]) == {k for k, _, _ in rep.PARTS}
    assert data["parts"]["coverage"]["status"] == "ok"


def test_the_same_input_gives_the_same_files_byte_for_byte(tmp_path: Path) -> None:
    # Two runs as a user makes them: separate processes, different hash seeds, the consent analysis in a second
    # process or not. (Fresh processes both: the Z3 witnesses of some findings depend on what the process asked
    # Z3 before, so a page built inside this test process, after other tests, is not compared.)
    files = []
    for seed, mode in (("1", "RRA_REPORT_PARALLEL"), ("2", "RRA_REPORT_SERIAL")):
        out = tmp_path / seed
        env = {k: v for k, v in os.environ.items() if k not in {"RRA_REPORT_PARALLEL", "RRA_REPORT_SERIAL"}}
        r = subprocess.run([sys.executable, "-m", "rra", "report", "--out", str(out)], cwd=tmp_path, capture_output=True,
                           text=True, env={**env, "PYTHONHASHSEED": seed, mode: "1"})
        assert r.returncode == 0, r.stderr
        files.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert files[0].keys() == files[1].keys()
    for name in files[0]:
        assert files[0][name] == files[1][name], name


def test_a_part_withheld_for_a_draft_says_why(tmp_path: Path) -> None:
    from rra.spec.agreement import agreement_of_text

    text = (ROOT / "spec" / "registration-rights-agreement-2003-05-09.txt").read_text()
    changed = agreement_of_text(re.sub(r"multiplied\s+by\s+the\s+Applicable\s+Percentage",
                                       "multiplied by the Default Rate", text), "draft")
    w = rep.build(tmp_path / "r", changed, parts=["exposure"])
    assert w.parts["exposure"].status == "withheld"
    assert "the measure of the Section 2(c) payments (2(c))" in w.parts["exposure"].message
    assert "measure.2c" not in w.parts["exposure"].message  # the id is for --json
    html = (tmp_path / "r" / "index.html").read_text()
    assert "Withheld for this draft" in html


@pytest.mark.parametrize("error", [ZeroDivisionError("<b>bad</b>"), BadInput("--assumptions", "x.yaml", "<b>bad</b>")],
                         ids=["crash", "bad-input-inside-an-analysis"])
def test_a_part_that_crashes_is_reported_and_the_rest_of_the_page_is_written(monkeypatch: pytest.MonkeyPatch,
                                                                             tmp_path: Path, error: Exception) -> None:
    def boom(ctx: rep.Context) -> None:
        raise error

    monkeypatch.setattr(rep, "PARTS", (("exposure", "Worst-case exposure", boom), *[p for p in rep.PARTS if p[0] != "exposure"]))
    w = rep.build(tmp_path / "r", BUNDLED, parts=["exposure", "coverage"])
    assert w.parts["exposure"].status == "failed" and w.parts["coverage"].status == "ok"
    html = (tmp_path / "r" / "index.html").read_text()
    assert f"{type(error).__name__}: " in html and "&lt;b&gt;bad&lt;/b&gt;" in html and "<b>bad</b>" not in html


def test_a_hostile_scenario_name_shows_as_text(tmp_path: Path) -> None:
    w = rep.build(tmp_path / "r", BUNDLED, scenario_file=str(hostile_scenario(tmp_path)), parts=["scenario"])
    html = (tmp_path / "r" / "index.html").read_text()
    assert w.parts["scenario"].status == "ok"
    assert "<script" not in html.lower()
    assert "Your scenario: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    svg = (tmp_path / "r" / "timelines" / "scenario.svg").read_text()
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_a_bad_scenario_file_is_one_line_exit_2_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("as_of: 2004-13-45\n", encoding="utf-8")
    out = tmp_path / "r"
    r = run_rra("report", "--out", str(out), "--scenario", str(bad))
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".r.")]


def test_it_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    r = run_rra("report", "--out", str(mine))
    assert r.returncode == 2 and "not an rra report folder" in r.stderr
    assert (mine / "keep.txt").read_text() == "mine" and len(list(mine.iterdir())) == 1


def test_a_new_report_replaces_the_old_one_whole(tmp_path: Path) -> None:
    out = tmp_path / "r"
    rep.build(out, BUNDLED, parts=["coverage"])  # which parts does not matter to how the folder is replaced
    (out / "stale.html").write_text("old")
    rep.build(out, BUNDLED, parts=["coverage"])
    assert not (out / "stale.html").exists() and (out / "index.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # no temp folders left behind


def test_rra_report_without_out_writes_rra_report_in_the_current_folder(tmp_path: Path) -> None:
    # one cheap part: the whole page as the README's first command makes it is the same-input test's
    r = subprocess.run([sys.executable, "-m", "rra", "report", "--only", "coverage"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "rra-report" / "index.html").exists()
    assert "index.html" in r.stdout and "coverage" in r.stdout


def test_rra_report_json_lists_the_parts_and_files(tmp_path: Path) -> None:
    r = run_rra("report", "--out", str(tmp_path / "r"), "--json", "--only", "coverage", "--only", "scenario")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["index"].endswith("index.html") and "index.html" in data["files"]
    assert data["parts"]["coverage"]["status"] == "ok"
    assert data["parts"]["scenario"] == {"message": "no --scenario given", "status": "skipped", "title": "Scenario"}
    assert set(data["parts"]) == {"coverage", "scenario"}


def test_rra_report_only_makes_the_parts_named_and_the_page_leaves_out_the_others(tmp_path: Path) -> None:
    r = run_rra("report", "--out", str(tmp_path / "r"), "--only", "exposure")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "r" / "index.html").read_text()
    assert '<section id="exposure">' in html and '<section id="findings">' not in html
    bad = run_rra("report", "--out", str(tmp_path / "s"), "--only", "memo")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--only: 'memo': unknown part" in bad.stderr
    assert not (tmp_path / "s").exists()


def test_a_redraft_is_named_on_the_page(tmp_path: Path) -> None:
    r = run_rra("report", "--out", str(tmp_path / "r"), "--set", "allowed_delay.max_consecutive=15", "--only", "coverage")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "r" / "index.html").read_text()
    assert "Redraft: allowed_delay.max_consecutive=15" in html


def _chromium(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = tempfile.mkdtemp(prefix="rra-chromium-")
    try:
        return subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, url],
            capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _console_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln or "Refused to" in ln]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_the_page_opens_in_headless_chromium_with_no_console_errors_and_a_screenshot_is_kept(built: Path,
                                                                                          tmp_path: Path) -> None:
    # A copy of the page, in a temporary folder or where RRA_REPORT_ARTIFACTS says (CI keeps the page and the
    # screenshot).
    out = Path(os.environ["RRA_REPORT_ARTIFACTS"]) if os.environ.get("RRA_REPORT_ARTIFACTS") else tmp_path / "rra-report"
    shutil.copytree(built, out, dirs_exist_ok=True)
    url = (out / "index.html").resolve().as_uri()
    shot = out / "screenshot.png"
    r = _chromium(url, f"--screenshot={shot}", "--window-size=1280,2000")
    assert _console_lines(r.stderr) == [], r.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = _chromium(url, "--dump-dom")
    assert _console_lines(dom.stderr) == []
    assert "<script" not in dom.stdout.lower()  # the hostile name stayed text in the live DOM
    assert "The review memo" in dom.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom.stdout  # the page's scenario is the hostile one


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_the_browser_check_would_catch_a_script_error(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>")
    r = _chromium(page.as_uri(), "--dump-dom")
    assert any("boom" in ln for ln in _console_lines(r.stderr))


def test_the_worst_case_is_recounted_by_the_evaluator_on_the_page(built: Path) -> None:
    data = json.loads((built / "report.json").read_text())
    if data["parts"]["exposure"]["status"] != "ok":
        pytest.skip(data["parts"]["exposure"]["message"])
    html = (built / "index.html").read_text()
    ex = data["parts"]["exposure"]["data"]["exposure"]
    for key in ("worst_case", "worst_case_with_allowed_delays"):
        assert f"${ex[key]['value']:,.2f}" in html
    assert "counting each worst-case timeline on its own, find" in html and "(the same amounts)." in html
    assert (built / "timelines" / "exposure.svg").exists() and (built / "timelines" / "exposure_maxmin.svg").exists()


def test_refuted_invariants_get_a_counterexample_chart(built: Path) -> None:
    data = json.loads((built / "report.json").read_text())
    if data["parts"]["invariants"]["status"] != "ok":
        pytest.skip(data["parts"]["invariants"]["message"])
    verdicts = data["parts"]["invariants"]["data"]["verdicts"]
    html = (built / "index.html").read_text()
    assert any(v["status"] == "refuted" for v in verdicts)
    for k, v in enumerate(verdicts, 1):
        if v["status"] == "refuted" and v["counterexample"]:
            assert f'id="cex-{k}"' in html
            assert (built / "timelines" / f"invariant-{v['id']}.svg").exists()


def test_the_page_proves_the_invariants_of_the_agreement_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The memo's proofs and the proofs section read the same verdicts (in one process here: no background).
    from rra.solver import invariants

    seen: list[object] = []
    original = invariants.check_all

    def counting(agreement: object, *args: object, **kw: object) -> object:
        seen.append(agreement)
        return original(agreement, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(invariants, "check_all", counting)
    monkeypatch.setenv("RRA_REPORT_SERIAL", "1")
    parts = rep.collect(BUNDLED, parts=["findings", "invariants"])
    assert parts["findings"].status == "ok" and parts["invariants"].status == "ok"
    assert sum(1 for a in seen if a is BUNDLED) == 1
