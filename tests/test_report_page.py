"""The report page as its readers see it: the partner's problems and the risk analyst's worst case on the first
screen at 1400 px, no overlapping labels in any drawing, no raw data or internal ids, numbers as people write
them, and a PDF with one section per page break and no clipped diagram. Everything is written to temporary
folders."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rra.visualize import report as rep

from tests.support import BUNDLED

from . import browser, svgboxes
from .conftest import run_rra

needs_chromium = pytest.mark.skipif(browser.CHROMIUM is None, reason="chromium is not installed")
needs_fonts = pytest.mark.skipif(not svgboxes.available(), reason="fontconfig or fontTools is missing")


pytestmark = pytest.mark.usefixtures("working_folder_left_as_it_was")


@pytest.fixture(scope="module")
def built(bundled_report: Path) -> Path:
    """The report with its PDF (when Chromium is here), shared by the report tests (conftest.bundled_report)."""
    return bundled_report


@pytest.fixture(scope="module")
def html(built: Path) -> str:
    return (built / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data(built: Path) -> dict:
    return json.loads((built / "report.json").read_text(encoding="utf-8"))


class _Text(HTMLParser):
    """The visible text of a page, each piece with the ids and classes of the elements around it."""

    SKIP = {"svg", "style", "title", "head"}
    VOID = {"br", "meta", "img", "input", "hr", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str, str]] = []
        self.pieces: list[tuple[str, tuple[tuple[str, str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        self.stack.append((tag, a.get("id") or "", a.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, d: str) -> None:
        if d.strip() and not any(t in self.SKIP for t, _, _ in self.stack):
            self.pieces.append((d, tuple(self.stack)))


def _pieces(html: str) -> list[tuple[str, tuple[tuple[str, str, str], ...]]]:
    p = _Text()
    p.feed(html)
    return p.pieces


def _section(stack: tuple[tuple[str, str, str], ...]) -> str:
    return next((i for t, i, _ in stack if t == "section"), "")


def _inside(stack: tuple[tuple[str, str, str], ...], *, tags: set[str] = frozenset(), classes: set[str] = frozenset()) -> bool:
    return any(t in tags or set(c.split()) & classes for t, _, c in stack)


# ------------------------------------------------------------------------------------------- the first screen


@needs_chromium
def test_the_summary_the_top_problems_and_the_worst_case_fit_in_the_first_1800_px_at_1400_px(built: Path,
                                                                                          html: str) -> None:
    # Laid out by Chromium itself at 1400 px: each element's box read from the live page (tests/browser.py).
    box = browser.boxes(built / "index.html", 1400, 1800)
    for el in ("summary", "top-problems", "top-exposure"):
        assert el in box, el
        assert box[el][3] <= 1800, (el, box[el])
    assert box["__page__"][2] <= 1400  # nothing wider than the window
    # the top lists every high entry of the memo, each with its clause and its dollar figure or "no dollar figure"
    data = json.loads((built / "report.json").read_text())
    high = [i for i in data["parts"]["findings"]["data"]["memo"]["issues"] if i["severity"] == "high" and not i["appendix"]]
    top = html[html.index('id="top-problems"'):html.index('id="top-exposure"')]
    assert high and top.count("<tr>") == len(high) + 1
    for i in high:
        assert ", ".join(i["sections"]) in top
        assert (f"${i['stake']:,.2f}" if i["stake"] else "no dollar figure") in top
    # and a screenshot of that first screen is a real picture
    shot = built.parent / "top.png"
    r = browser.run((built / "index.html").as_uri(), f"--screenshot={shot}", "--window-size=1400,1800")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", r.stderr[-1000:]


def test_the_risk_analyst_reads_both_figures_their_status_the_horizon_the_principal_and_the_assumptions(
        html: str, data: dict) -> None:
    top = html[html.index('id="top-exposure"'):html.index('id="findings"')]
    ex = data["parts"]["exposure"]["data"]["exposure"]
    for key in ("worst_case", "worst_case_with_allowed_delays"):
        assert f"${ex[key]['value']:,.2f}" in top
        assert ex[key]["status"] in top
    assert "9 May 2005" in top and "$1,000,000.00" in top
    assert "Assumes the Company files on time, the SEC takes 30 to 180 days" in top
    assert "2(C)" not in html and "text-transform" not in html  # "2(c)" is never upper-cased


def test_the_sections_come_in_reading_order_and_the_appendices_last(html: str) -> None:
    ids = re.findall(r'<section id="([^"]+)">', html)
    assert ids[:5] == ["summary", "scenario", "findings", "exposure", "invariants"]  # the reader's scenario first
    assert ids[-3:] == ["technical", "proofreading", "documents"]
    assert [s.key for s in rep.SECTIONS if s.key in ids] == ids


# ------------------------------------------------------------------------------------------- the drawings


@needs_fonts
def test_no_two_labels_overlap_in_any_diagram_timeline_or_chart(html: str, built: Path) -> None:
    svgs = svgboxes.svgs_in(html)
    assert len(svgs) > 30
    clashes = []
    for svg in svgs:
        clashes += [(a.text, b.text) for a, b in svgboxes.overlapping(svgboxes.text_boxes(svg))]
    assert clashes == []
    # the files beside the page are the same drawings
    for f in (built / "diagrams").glob("*.svg"):
        assert svgboxes.overlapping(svgboxes.text_boxes(f.read_text())) == [], f.name


@needs_fonts
def test_no_line_of_a_timeline_crosses_a_label(html: str) -> None:
    timelines = [s for s in svgboxes.svgs_in(html) if 'class="timeline"' in s[:200]]
    assert len(timelines) >= 3
    for svg in timelines:
        boxes = svgboxes.text_boxes(svg)
        crossed = [(ln, b.text) for ln in svgboxes.lines(svg) for b in boxes if svgboxes.crosses(ln, b)]
        assert crossed == []


@needs_fonts
def test_the_overlap_check_finds_overlapping_labels_and_crossing_lines() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" font-family="Helvetica" font-size="11">'
           '<text x="10" y="20">Filing Date 15 Dec 2003</text><text x="60" y="24">filed 15 Dec 2003</text>'
           '<text x="10" y="60">far away</text><line x1="30" y1="0" x2="30" y2="100" stroke="#000000"/></svg>')
    boxes = svgboxes.text_boxes(svg)
    assert [(a.text, b.text) for a, b in svgboxes.overlapping(boxes)] == [("Filing Date 15 Dec 2003", "filed 15 Dec 2003")]
    assert {b.text for ln in svgboxes.lines(svg) for b in boxes if svgboxes.crosses(ln, b)} == {
        "Filing Date 15 Dec 2003", "far away"}


def test_the_payments_are_drawn_one_panel_per_path_each_ending_at_the_2c_remedy(data: dict, built: Path) -> None:
    names = data["parts"]["diagrams"]["data"]["drawings"]
    pay = [n for n in names if n.startswith("payments-")]
    assert len(pay) >= 4
    for n in pay:
        assert "Section 2(c) payments" in (built / "diagrams" / f"{n}.dot").read_text()


def test_the_obligations_come_section_by_section_in_the_agreements_order_after_an_overview(html: str) -> None:
    block = html[html.index("Obligations, Section by Section"):html.index("Defined terms and cross-references")]
    captions = re.findall(r"<figcaption>([^<]+)</figcaption>", block)
    assert captions[0] == "The Sections and the links between them"
    numbers = [int(m.group(1)) for c in captions[1:] if (m := re.match(r"Section (\d+)", c))]
    assert numbers == sorted(numbers) and len(set(numbers)) >= 8


# ------------------------------------------------------------------------------------------- words and numbers


def test_the_page_shows_no_raw_json_and_no_internal_ids_outside_the_technical_appendix(html: str, data: dict) -> None:
    assert "<pre" not in html and "<details" not in html
    memo = data["parts"]["findings"]["data"]["memo"]
    ids = {i["id"] for i in memo["issues"]} | {f for i in memo["issues"] for f in i["findings"]}
    ids |= {v["id"] for v in data["parts"]["invariants"]["data"]["verdicts"]}
    ids |= {r["id"] for r in data["parts"]["consent"]["data"]["rules"]}
    ids |= {p.id for p in BUNDLED.parameters() if "." in p.id}
    ids = {i for i in ids if not re.fullmatch(r"[\w ]+", i)}  # plain words are not ids
    machine = re.compile(r'[{\[]\s*"\w+"\s*:|\b(?:null|true|false)\b|\w+_\w+\b|"\w+":\s*(?:[\[{"]|-?\d)')
    # the model's own abbreviations (its event ids in capitals: "PFED" for the Prior Financing Effective Date), where
    # the agreement does not use them
    words = {w.upper() for w in re.findall(r"\w+", "\n".join(BUNDLED.document.lines))}
    shorts = {t.upper() for e in BUNDLED.model.events for t in e.id.split("_") if len(t) > 1} - words
    short = re.compile(r"\b(?:" + "|".join(sorted(shorts)) + r")\b")
    leaks = []
    for text, stack in _pieces(html):
        if _section(stack) == "technical":
            continue
        if machine.search(text) and not _inside(stack, tags={"blockquote", "i"}):
            leaks.append(text)
        leaks += [f"{i} in {text!r}" for i in ids if i in text]
        leaks += [f"{m.group(0)} in {text!r}" for m in short.finditer(text)]
    assert leaks == [], "\n".join(leaks)


def test_numbers_are_written_as_people_write_them(html: str) -> None:
    for text, stack in _pieces(html):
        if _inside(stack, tags={"blockquote", "i", "code"}, classes={"finding", "memo-prose"}):
            continue  # the agreement's own words, and the memo's prose, stay as written
        assert "(s)" not in text, text
        for m in re.finditer(r"\$\d[\d,]*(\.\d+)?", text):
            assert re.fullmatch(r"\$\d{1,3}(,\d{3})*\.\d\d", m.group(0)), text  # separators and cents
        assert not re.search(r"(?<![\d.,$])\b1 (errors|findings|points|items|days|months|claims|entries|problems)\b",
                             text), text
        assert not re.search(r"(?<![\d.,$-])\b(0|[2-9]|\d\d+) (error|finding|point|item|day|claim|problem)\b", text), text
        assert not re.search(r"\d\.\d{3,} months", text), text  # months to two decimals
    months = re.findall(r"\d+\.\d\d months? \(\d+ days?\)", html[html.index('id="exposure"'):])
    assert len(months) >= 6


def test_parameters_are_named_in_the_agreements_words_and_an_absent_cap_reads_none(html: str) -> None:
    params = html[html.index('<section id="parameters">'):html.index('<section id="technical">')]
    assert "Cap on total 2(c) payments, which the agreement does not set</td><td>none" in params
    assert "$1,000,000.00" in params and "30 calendar days" in params and "15 Dec 2003" in params
    for p in BUNDLED.parameters():
        assert f">{p.id}<" not in params


def test_the_consent_grid_says_in_words_who_decides(html: str) -> None:
    grid = html[html.index('<section id="consent">'):html.index('<section id="diagrams">')]
    assert "Investors holding more than half of the Registrable Securities, counting outstanding Debentures as converted" in grid
    assert "unqualified" not in grid and "registrable_as_converted" not in grid and "self of company" not in grid


def test_refuted_claims_have_a_timeline_and_a_caption_that_says_what_went_wrong(html: str, data: dict) -> None:
    refuted = [v for v in data["parts"]["invariants"]["data"]["verdicts"] if v["status"] == "refuted"]
    assert refuted
    for v in refuted:
        assert v["failure"] and v["statement"] not in v["failure"]
        assert f"<figcaption>{v['failure']}" in html.replace("&#x27;", "'").replace("&quot;", '"')


def test_each_claim_gets_the_same_counterexample_in_the_report_in_rra_prove_and_in_rra_prove_only(data: dict) -> None:
    report = {v["id"]: v["counterexample"] for v in data["parts"]["invariants"]["data"]["verdicts"]}
    full = json.loads(run_rra("prove", "--json").stdout)["invariants"]
    assert {v["id"]: v["counterexample"] for v in full} == report
    for v in full:
        if v["status"] == "refuted":
            one = json.loads(run_rra("prove", "--json", "--only", v["id"]).stdout)["invariants"]
            assert one[0]["counterexample"] == report[v["id"]], v["id"]


# ------------------------------------------------------------------------------------------- the PDF


def _frames(pdf: bytes) -> tuple[int, list[str], list[str]]:
    """(frames found whole, the first line of each page, problems): each chart and diagram is framed in
    PRINT_FRAME in print; a frame cut by a page break or an edge shows as an edge without its partner."""
    import numpy as np
    import pypdfium2 as pdfium

    frame = np.array([int(rep.PRINT_FRAME[i:i + 2], 16) for i in (1, 3, 5)])
    doc = pdfium.PdfDocument(pdf)
    whole, firsts, problems = 0, [], []
    try:
        for n in range(len(doc)):
            page = doc[n]
            text = page.get_textpage().get_text_range().strip()
            firsts.append(text.splitlines()[0].strip() if text else "")
            img = page.render(scale=2, rev_byteorder=True).to_numpy()[:, :, :3].astype(int)
            mask = (np.abs(img - frame) <= 14).all(axis=2)
            rows = np.where(mask.sum(axis=1) > 60)[0]
            edges = [g[0] for g in np.split(rows, np.where(np.diff(rows) > 1)[0] + 1) if len(g)] if len(rows) else []
            if len(edges) % 2:
                problems.append(f"page {n + 1}: a frame cut by the page (horizontal edges at {edges})")
                continue
            covered = np.zeros(mask.shape[0], dtype=bool)
            for top, bottom in zip(edges[::2], edges[1::2], strict=True):
                cols = mask[top:bottom + 1].sum(axis=0) >= 0.9 * (bottom - top)
                if cols.sum() < 2:
                    problems.append(f"page {n + 1}: a frame from {top} to {bottom} has no sides")
                covered[max(0, top - 4):bottom + 5] = True
                whole += 1
            stray = mask[~covered].sum()
            if stray > 20:
                problems.append(f"page {n + 1}: {stray} frame pixels outside any whole frame")
    finally:
        doc.close()
    return whole, firsts, problems


@needs_chromium
def test_the_pdf_starts_each_section_on_a_new_page_and_no_diagram_is_clipped(built: Path, html: str) -> None:
    pdf = (built / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    whole, firsts, problems = _frames(pdf)
    assert problems == []
    figures = len(re.findall(r'<figure class="(?:diagram|chart)">', html))
    assert whole == figures
    titles = [unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r'<section id="[^"]+"><h2>(.*?)</h2>', html)]
    starts = [firsts.index(t) for t in titles[1:]]  # the first section follows the page's own heading
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


@needs_chromium
def test_the_pdf_check_would_catch_a_diagram_cut_by_a_page_break(tmp_path: Path) -> None:
    from rra.visualize.pdf import find_chromium, print_pdf

    tall = (f'<!DOCTYPE html><html><head><style>@page{{size:Letter;margin:10mm}} figure svg{{border:2px solid '
            f'{rep.PRINT_FRAME}}}</style></head><body><figure class="diagram"><svg xmlns="http://www.w3.org/2000/svg" '
            'width="600" height="1600"><rect x="0" y="0" width="600" height="1600" fill="#ffffff"/></svg></figure>'
            "</body></html>")
    _whole, _firsts, problems = _frames(print_pdf(tall, find_chromium()))
    assert problems


@needs_chromium
def test_the_same_page_prints_to_the_same_pdf_byte_for_byte() -> None:
    from rra.visualize.pdf import find_chromium, print_pdf

    page = "<!DOCTYPE html><html><body><h1>Same</h1></body></html>"
    assert print_pdf(page, find_chromium()) == print_pdf(page, find_chromium())


def test_pdf_without_chromium_is_one_line_exit_2_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "r"
    env = {**os.environ, "RRA_CHROMIUM": str(tmp_path / "no-such-chromium")}
    r = subprocess.run([sys.executable, "-m", "rra", "report", "--pdf", "--out", str(out)], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Chromium" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


def test_the_findings_part_takes_the_proofs_from_the_background_without_waiting_for_the_sensitivity_sweep(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the worker proves the catalogue, then runs the sweep: the verdicts come as soon as they are proved (the memo and
    # its redline checks wait for them), the sweep when the sensitivity part asks
    gate = tmp_path / "gate"

    def slow_sweep(agreement: object) -> dict[str, str]:
        for _ in range(3000):  # at most 30 s: a worker that sent nothing before its sweep ends gives "gave up"
            if gate.exists():
                return {"name": "swept"}
            time.sleep(0.01)
        return {"name": "gave up"}

    monkeypatch.setattr(rep, "sensitivity_data", slow_sweep)  # the forked worker runs this one
    monkeypatch.setenv("RRA_REPORT_PARALLEL", "1")
    ctx = rep.Context(BUNDLED)
    workers = rep._start_background(ctx, proofs=True, diagrams=False)
    try:
        assert "proofs_future" in rep._shared(ctx)
        verdicts = rep.verdicts(ctx)  # would wait forever for the sweep if the two came together
        assert verdicts and not gate.exists()
        gate.touch()
        assert rep.part_sensitivity(ctx) == {"name": "swept"}
        assert rep.verdicts(ctx) is verdicts and "proofs_future" not in rep._shared(ctx)
    finally:
        for w in workers:
            w.close()


def test_the_worst_case_the_remedy_check_and_the_drafting_review_are_made_here_again_when_the_workers_fail_them(
        monkeypatch: pytest.MonkeyPatch, bundled_gathered: Any) -> None:
    # the proofs worker makes the remedy check, the worst case and its finding, the consent worker the drafting
    # review; what fails there comes back as None and is made here, with the same figures and findings
    from rra.solver import provisions
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext

    parent = os.getpid()
    real_exposure, real_text = rep.exposure_data, ANALYSES["text"]

    def only_here(real: object) -> object:
        def made(*args: object) -> object:
            if os.getpid() != parent and os.environ.get("RRA_TEST_FAIL_IN_WORKERS"):
                raise RuntimeError("failed in the worker")
            return real(*args)  # type: ignore[operator]
        return made

    monkeypatch.setattr(rep, "exposure_data", only_here(real_exposure))
    monkeypatch.setitem(ANALYSES, "text", only_here(real_text))
    monkeypatch.setitem(ANALYSES, "exposure", only_here(ANALYSES["exposure"]))
    monkeypatch.setattr(provisions, "z3_analysis", only_here(provisions.z3_analysis))
    monkeypatch.setenv("RRA_REPORT_PARALLEL", "1")
    ctx = rep.Context(BUNDLED)
    monkeypatch.setenv("RRA_TEST_FAIL_IN_WORKERS", "1")  # in the two workers, not in the memo's later fork
    workers = rep._start_background(ctx, proofs=True, diagrams=False)
    monkeypatch.delenv("RRA_TEST_FAIL_IN_WORKERS")
    try:
        exposure = rep.part_exposure(ctx)
        findings = rep.part_findings(ctx)
        shared = rep._shared(ctx)
        assert shared["exposure"] is None and shared["exposure_outcome"] is None and shared["text_outcome"] is None
        assert shared["z3_apart"] is None
    finally:
        for w in workers:
            w.close()
    assert exposure["exposure"] == real_exposure(BUNDLED)["exposure"]
    text = real_text(CheckContext(BUNDLED)).findings
    assert findings["analyses"]["text"] == f"{len(text)} findings" and len(text) > 1
    assert findings["analyses"]["exposure"] == "1 finding"
    z3 = [f for f in findings["findings"] if f["id"].startswith("z3.")]
    assert z3 == [f for f in bundled_gathered["findings"] if f["id"].startswith("z3.")]
    assert any(f["id"].startswith("z3.remedy.") for f in z3)


@pytest.mark.parametrize("taken", [True, False], ids=["taken by the proofs worker", "left to this process"])
def test_the_memos_redline_checks_give_the_same_memo_wherever_their_second_half_is_made(
        monkeypatch: pytest.MonkeyPatch, taken: bool) -> None:
    # the proofs worker makes its half of the memo's redline checks after its sweep; a worker that does not take
    # the job (here: it ends after the sweep) leaves it to this process, with the same memo
    from rra.solver.memo_build import memo_json
    from rra.solver.memo_check import review_memo

    import rra.workers

    sent: list[object] = []
    real_send = rra.workers.Background.send
    monkeypatch.setattr(rra.workers.Background, "send", lambda self, obj: (sent.append(obj), real_send(self, obj)))
    if not taken:
        monkeypatch.setattr(rra.workers, "receive", lambda: None)  # in the worker forked below
    monkeypatch.setenv("RRA_REPORT_PARALLEL", "1")
    ctx = rep.Context(BUNDLED)
    workers = rep._start_background(ctx, proofs=True, diagrams=False)
    try:
        findings = rep.part_findings(ctx)
        assert "proofs_future" not in rep._shared(ctx) and rep._shared(ctx)["sensitivity"] is not None
    finally:
        for w in workers:
            w.close()
    assert len(sent) == 1
    assert findings["memo"] == memo_json(review_memo(BUNDLED, findings["findings"]))


def test_an_analysis_that_failed_on_the_text_is_not_run_again_on_the_redlines_so_nothing_looks_new(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a worker killed from outside made the proofs fail: their findings were missing from the text's memo, and the
    # combined redline run, which made them, said 14 entries brought "a new point"
    from rra.solver.analyses import ANALYSES
    from rra.solver.memo import RedlineCheck

    real = ANALYSES["proofs"]

    def fails(ctx: Any) -> Any:  # on the text only, as when its worker was killed; on the redlined texts it works
        if ctx.agreement is BUNDLED:
            raise RuntimeError("the worker process ended without an answer")
        return real(ctx)

    monkeypatch.setitem(ANALYSES, "proofs", fails)
    monkeypatch.setenv("RRA_REPORT_SERIAL", "1")
    ctx = rep.Context(BUNDLED)
    monkeypatch.setattr(rep, "verdicts", lambda c: (_ for _ in ()).throw(RuntimeError("failed")))
    findings = rep.part_findings(ctx)
    assert findings["analyses"]["proofs"].startswith("failed")
    news = [i for i in findings["memo"]["issues"] if i.get("redline_check") == str(RedlineCheck.NEW)]
    assert not [i for i in news if "a new point appears" in (i.get("redline_note") or "")]
    assert any("leaves out what failed on the original text: proofs" in n
               for n in findings["memo"]["memo_technical_notes"])


def test_the_report_page_speaks_of_timelines_and_windows_in_words(html: str) -> None:
    # the outputs read of stop 32 (defect 8): "checked satisfiable", "the adversary's worst timeline" and "the
    # 12-month window end is non-decreasing" on the page a partner reads
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    body = text.split("Technical appendix")[0]
    for words in ("satisfiable", "adversary", "non-decreasing", "max-min", "induction over"):
        assert words not in body, words


def test_the_at_stake_rule_says_what_it_leaves_out(html: str) -> None:
    # the outputs read of stop 32 (defect 10): entry 19's example gives $80,000 counting from the Filing Date, a reading
    # of when 2(c)(i) starts that entry 7 is about, while its "at stake" is $20,000
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert ("At stake: the largest of the amounts the entry’s dated example compares, per $1,000,000.00 of Debentures "
            "(an amount given in parentheses for another reading of when the late-effectiveness count starts is not "
            "counted: that question has its own entry).") in text


def test_the_partner_table_says_whom_each_reading_favours_and_the_worst_case_what_it_rests_on(html: str) -> None:
    # the report read of stop 33 (findings 1, 2, 3, 15): "neither" for entries whose readings favour different sides;
    # "under the words of 2(c) as written" for a figure that holds under the assumptions; two figures from different
    # timelines with no word of it; "proved proved"
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "the Investors while the payments stand (uncapped and not exclusive), the Company if a court strikes" in text
    assert "as written" not in text and "proved proved" not in text
    assert "the most the Company can owe under the assumptions below and the reading of 2(c) the memo uses" in text
    assert "The two figures arise on different timelines" in text
    # finding 10: the components are rounded to the cent and miss the totals by one
    assert "Each amount is rounded to the cent from its exact figure" in text


def test_the_late_effectiveness_span_starts_the_day_after_the_deadline(html: str) -> None:
    # the outputs read of stop 32 (defect 12): "counted for 2(c)(i): 31 Oct 2003 to 27 Feb 2004 (120 days)" listed the
    # deadline day, on which effectiveness is on time, as counted; the count is of days elapsed to effectiveness
    assert ("counted for 2(c)(i), the days after the deadline to effectiveness: 1 Nov 2003 to 28 Feb 2004 (120 days)"
            in html)
    assert "counted for 2(c)(i): 31 Oct 2003" not in html
