"""Dated SVG charts: deterministic, escaped, well-formed, and faithful to the evaluator's numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from rra.visualize.timeline import Mark, Series, Span, Timeline, line_chart_svg, money, timeline_svg

from tests.support import BUNDLED, PARAMS

from .conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def _timeline(title: str = "Late filing") -> Timeline:
    return Timeline(
        title,
        marks=(Mark(date(2003, 8, 1), "PFED", "pfed"), Mark(date(2003, 8, 31), "Filing Date", "deadline"),
               Mark(date(2003, 9, 30), "filed", "filed"), Mark(date(2004, 12, 31), "as of", "as_of")),
        spans=(Span("late", date(2003, 8, 31), date(2003, 12, 19), "counted"),
               Span("allowed_delay", date(2004, 2, 2), date(2004, 2, 13)),
               Span("sales_blocked", date(2004, 2, 2), date(2004, 3, 31))),
        payments=((date(2003, 9, 30), 20000.0), (date(2003, 12, 19), 72903.23), (date(2004, 3, 31), 104516.13)),
        note="a note",
    )


def test_the_same_timeline_gives_the_same_svg_byte_for_byte() -> None:
    assert timeline_svg(_timeline()) == timeline_svg(_timeline())


def test_the_svg_is_well_formed_and_draws_each_period_with_its_dates_as_tooltip() -> None:
    root = ET.fromstring(timeline_svg(_timeline()))
    tips = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert "counted: 31 Aug 2003 to 19 Dec 2003 (111 days)" in tips
    assert "2 Feb 2004 to 13 Feb 2004 (12 days)" in tips
    labels = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "Allowed Delays (3(f), excluded)" in labels and "Sales blocked (2(c)(ii))" in labels
    assert "$104,516.13" in labels


def test_payments_are_drawn_as_a_step_line_that_never_goes_down() -> None:
    svg = timeline_svg(_timeline())
    path = re.search(r'<path d="([^"]+)" fill="none" stroke="#a1271b"', svg)
    assert path is not None
    # only horizontal and vertical moves: a step line
    assert set(re.findall(r"[A-Z]", path.group(1))) == {"M", "H", "V"}
    ys = [float(v) for v in re.findall(r"V([\d.]+)", path.group(1))]
    assert ys == sorted(ys, reverse=True)  # SVG y grows downward: amounts only go up


def test_a_longer_period_is_drawn_wider() -> None:
    def width(end: date) -> float:
        t = Timeline("w", spans=(Span("sales_blocked", date(2004, 1, 1), end),), start=date(2004, 1, 1),
                     end=date(2004, 12, 31))
        m = re.search(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16" fill="#f4a261"', timeline_svg(t))
        assert m is not None
        return float(m.group(1))

    assert width(date(2004, 3, 1)) > width(date(2004, 2, 1))


def test_text_from_a_scenario_is_escaped() -> None:
    t = _timeline("<script>alert(1)</script>")
    svg = timeline_svg(Timeline(t.title, marks=(Mark(date(2004, 1, 1), '<img src=x onerror="y">', "other"),)))
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    ET.fromstring(svg)


def test_an_empty_timeline_still_draws() -> None:
    root = ET.fromstring(timeline_svg(Timeline("nothing happened")))
    assert any((t.text or "") == "no periods" for t in root.iter(f"{SVG}text"))


def test_a_multi_year_axis_labels_every_year() -> None:
    t = Timeline("long", start=date(2003, 5, 9), end=date(2008, 6, 1))
    labels = [t.text for t in ET.fromstring(timeline_svg(t)).iter(f"{SVG}text")]
    for y in range(2004, 2009):
        assert str(y) in labels


def test_line_chart_plots_each_series_and_is_deterministic() -> None:
    s = [Series("text", ((0.01, 100000.0), (0.02, 200000.0))), Series("<b>x</b>", ((0.01, 5.0),))]
    a = line_chart_svg("Worst case", "Applicable Percentage", "$", s)
    assert a == line_chart_svg("Worst case", "Applicable Percentage", "$", s)
    root = ET.fromstring(a)
    assert len(list(root.iter(f"{SVG}path"))) == 2
    assert "<b>" not in a and "0.02" in a


def test_money_is_written_with_separators_and_cents_always() -> None:
    assert money(5000) == "$5,000.00" and money(31612.9) == "$31,612.90" and money(0.004) == "$0.00"


def test_a_one_day_period_is_drawn_wide_enough_to_see() -> None:
    t = Timeline("short", spans=(Span("stop_order", date(2004, 6, 1), date(2004, 6, 1)),), start=date(2003, 5, 9),
                 end=date(2006, 5, 9))
    m = re.search(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16" fill="#d62728"', timeline_svg(t))
    assert m is not None and float(m.group(1)) >= 5


def test_marks_on_the_same_day_share_one_label_and_labels_never_sit_under_another_marks_line() -> None:
    day = date(2003, 9, 1)
    marks = (Mark(day, "Filing Date", "deadline"), Mark(day, "filed", "filed"),
             *(Mark(date(2003, 9, 1 + k), f"event {k}", "other") for k in range(1, 8)),
             Mark(date(2005, 5, 9), "horizon", "as_of"))
    svg = timeline_svg(Timeline("crowded", marks=marks))
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "filed; Filing Date 1 Sep 2003" in texts
    # every mark line starts at its own label's row and runs down: no label below it may span its x
    placed = re.findall(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="[\d.]+" y2="[\d.]+" stroke="#[0-9a-f]+" '
                        r'stroke-width="1.5"', svg)
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(start|end)" fill="#[0-9a-f]+">([^<]+)</text>', svg)
    from rra.visualize.timeline import text_width

    for lx, ly in placed:
        for tx, ty, anchor, words in labels:
            w = text_width(words)
            x0 = float(tx) if anchor == "start" else float(tx) - w
            if float(ty) > float(ly) + 9:  # a label in a row below the line's start
                assert not (x0 <= float(lx) <= x0 + w), (lx, words)


def test_the_scenario_timeline_accrues_to_the_evaluators_total() -> None:
    from rra.solver.evaluator import accrual, evaluate
    from rra.solver.scenario import load_scenario
    from rra.visualize.report import evaluation_timeline

    s = load_scenario(ROOT / "examples" / "scenario.yaml", PARAMS)
    ev = evaluate(s, BUNDLED)
    t = evaluation_timeline(ev, "Scenario", accrual(s, BUNDLED))
    amounts = [a for _, a in t.payments]
    assert amounts == sorted(amounts) and amounts[-1] == pytest.approx(float(ev.total), abs=0.01)
    assert t.payments[-1][0] <= ev.scenario.as_of
    kinds = {m.kind for m in t.marks}
    assert {"pfed", "filed", "effective", "deadline", "as_of"} <= kinds
    lanes = {s.lane for s in t.spans}
    assert {"late", "sales_blocked", "allowed_delay", "not_listed"} <= lanes


def test_an_allowed_delay_beyond_the_caps_gets_its_own_lane(tmp_path: Path) -> None:
    from rra.solver.evaluator import evaluate
    from rra.solver.scenario import scenario_from_dict
    from rra.visualize.report import evaluation_timeline

    s = scenario_from_dict({"name": "long delay", "principal": 1000000, "prior_financing_effective": "2003-08-01",
                            "filed": "2003-08-15", "effective": "2003-10-01", "as_of": "2004-06-30",
                            "allowed_delays": [{"start": "2004-02-02", "end": "2004-03-31"}],
                            "sales_blocked": [{"start": "2004-02-02", "end": "2004-03-31"}]}, "test", PARAMS)
    t = evaluation_timeline(evaluate(s, BUNDLED), "Scenario")
    excess = [sp for sp in t.spans if sp.lane == "allowed_delay_excess"]
    assert excess and excess[0].start > date(2004, 2, 2) and excess[-1].end == date(2004, 3, 31)


def test_a_counterexample_of_dated_events_becomes_marks_and_periods() -> None:
    from rra.visualize.report import counterexample_timeline

    row = {"id": "x", "statement": "A stop never counts.", "counterexample": [
        {"date": "2003-05-09", "event": "Registration Statement filed", "id": "rs_filed", "clause": "2(a)"},
        {"date": "2004-02-09", "event": "blocked from", "id": "blocked", "clause": "2(c)"},
        {"date": "2004-02-27", "event": "blocked until", "id": "blocked", "clause": "2(c)"},
        {"date": "2004-03-15", "event": "deadline: Effectiveness deadline (2(c))", "id": "deadline.effectiveness"},
    ]}
    t = counterexample_timeline(row)
    assert t.title == "A timeline on which the claim fails" and "x" not in t.title
    assert [(s.lane, s.start, s.end) for s in t.spans] == [("sales_blocked", date(2004, 2, 9), date(2004, 2, 27))]
    assert {(m.kind, m.label) for m in t.marks} == {("filed", "Registration Statement filed"),
                                                     ("deadline", "Effectiveness deadline (2(c))")}
    ET.fromstring(timeline_svg(t))
