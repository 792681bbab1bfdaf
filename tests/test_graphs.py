"""The obligation-dependency and definitions diagrams: built from the model, drawn with graphviz."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rra.spec.text import normalize
from rra.visualize.graphs import (
    carve_out_kind,
    definitions_graph,
    definitions_view,
    focus,
    obligation_graph,
    render,
    section_of,
    svg_body,
    to_dot,
)

from tests.support import BUNDLED, redraft

from .conftest import run_rra

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed")


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return obligation_graph(BUNDLED)


def test_every_node_carries_its_clause_and_a_quote_found_verbatim_in_that_clause(graph: nx.DiGraph) -> None:
    doc = BUNDLED.document
    for n, a in graph.nodes(data=True):
        assert a["clause"] in doc.by_id, n
        assert normalize(a["quote"]) in doc.normalized(a["clause"]), n
        assert a["name"], n


def test_each_triggered_obligation_hangs_from_its_event_and_points_to_its_deadline(graph: nx.DiGraph) -> None:
    for o in BUNDLED.model.obligations:
        if o.trigger:
            assert graph.edges[o.trigger, o.id]["kind"] == "trigger"
        if o.deadline:
            assert graph.edges[o.id, o.deadline]["kind"] == "due_by"
        assert graph.nodes[o.id]["bearer"] == o.bearer


def test_missing_the_filing_date_leads_to_the_2c_payments(graph: nx.DiGraph) -> None:
    edge = graph.edges["deadline.filing_date", "remedy.2c_payments"]
    assert edge["kind"] == "breach" and "2(a).file" in edge["via"]
    assert graph.edges["pfed", "deadline.filing_date"]["kind"] == "anchor"


def test_conditions_carve_outs_and_exceptions_are_distinct_edge_kinds(graph: nx.DiGraph) -> None:
    for c in BUNDLED.model.conditions:
        for target in c.applies_to:
            if target in graph:
                assert graph.edges[c.id, target]["kind"] == "condition"
    kinds = {graph.edges[co.id, t]["kind"] for co in BUNDLED.model.carve_outs for t in co.applies_to if t in graph}
    assert kinds == {"carve_out", "exception"}
    assert graph.edges["2(c).allowed_delay", "remedy.2c_payments"]["kind"] == "carve_out"
    assert graph.edges["3(k).exceptions", "3(k).inspection"]["kind"] == "exception"


def test_exceptions_are_told_from_carve_outs_by_their_words() -> None:
    assert carve_out_kind("unless such Investor has notified the Company") == "exception"
    assert carve_out_kind("other than on Form S-4 or Form S-8") == "exception"
    assert carve_out_kind("but excluding any days during an Allowed Delay") == "carve_out"
    assert carve_out_kind("this Section 2(d) shall not apply to the Prior Financing Registration Statement") == "carve_out"


def test_the_payments_view_keeps_what_leads_to_2c_and_nothing_else(graph: nx.DiGraph) -> None:
    sub = focus(graph, "remedy.2c_payments")
    assert {"pfed", "rs_filed", "deadline.effectiveness_3a", "2(c).investor_delays", "4(a).precedent"} <= set(sub)
    assert "6(a).indemnify" not in sub and "remedy.injunction" not in sub
    assert all(nx.has_path(sub, n, "remedy.2c_payments") for n in sub)


def test_a_redraft_changes_the_deadline_labels() -> None:
    g = obligation_graph(redraft("filing.days_after_pfed=45"))
    assert "Prior Financing Effective Date + 45 days" in g.nodes["deadline.filing_date"]["terms"]
    assert "Prior Financing Effective Date + 30 days" in obligation_graph(BUNDLED).nodes["deadline.filing_date"]["terms"]


def test_nodes_are_clustered_by_section(graph: nx.DiGraph) -> None:
    d = to_dot(graph, "obligations", "t", BUNDLED.document)
    assert "Section 2 - Registration" in d.dot and "Section 3 - Obligations of the company" in d.dot
    assert d.dot.count("subgraph cluster_") == len({a["section"] for _, a in graph.nodes(data=True)})
    assert section_of("1(a)(iv)") == "1" and section_of("recital(A)") == "front"


@needs_dot
def test_the_svg_has_each_node_labelled_with_its_clause_and_the_quote_as_tooltip(graph: nx.DiGraph) -> None:
    sub = focus(graph, "remedy.2c_payments")
    svg = render(to_dot(sub, "payments", "2(c)", BUNDLED.document).dot, "svg").decode()
    root = ET.fromstring(svg)
    titles = [el.get("{http://www.w3.org/1999/xlink}title") or "" for el in root.iter()]
    assert any("2(c): The Company shall pay to each holder" in t for t in titles)
    texts = [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "2(a)" in texts and "Filing Date" in texts


@needs_dot
def test_text_that_looks_like_markup_stays_text_in_the_svg() -> None:
    g = nx.DiGraph()
    g.add_node("x", kind="obligation", clause="2(a)", name="<script>alert(1)</script>",
               quote='<b>"&amp;</b> \\n \\N\\G\\\\', section="2", bearer="company")
    g.add_node("y", kind="event", clause="2(a)", name="<i>y</i>", quote="<y>", section="2")
    g.add_edge("y", "x", kind="trigger", via=[])
    svg = svg_body(render(to_dot(g, "hostile", "<title>", BUNDLED.document).dot, "svg"))
    assert "<script" not in svg and "&lt;script&gt;alert(1)" in svg
    assert "<b>" not in svg and "<i>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    tips = [el.get("{http://www.w3.org/1999/xlink}title") or "" for el in root.iter()]
    # the quote reads exactly as written, "&amp;" and backslashes included (graphviz reads a tooltip's escapes twice)
    assert '2(a): <b>"&amp;</b> \\n \\N\\G\\\\' in tips


@needs_dot
def test_drawing_is_deterministic_byte_for_byte(graph: nx.DiGraph) -> None:
    a = render(to_dot(graph, "obligations", "t", BUNDLED.document).dot, "svg")
    b = render(to_dot(obligation_graph(BUNDLED), "obligations", "t", BUNDLED.document).dot, "svg")
    assert a == b


def test_the_files_are_the_same_from_run_to_run_whatever_the_hash_seed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        r = subprocess.run([sys.executable, "-m", "rra", "graph", "--format", "dot", "--out", str(out)], cwd=tmp_path,
                           capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]


def test_the_definitions_graph_links_terms_to_where_they_are_defined_and_cross_references() -> None:
    g = definitions_graph(BUNDLED.document)
    assert g.edges["clause:3(f)", "term:Allowed Delay"]["kind"] == "defines"
    assert g.edges["clause:2(c)", "clause:3(f)"]["kind"] == "refers_to"
    assert g.edges["term:Damages Shares", "doc:Debentures"]["kind"] == "borrowed_from"
    assert g.nodes["term:Allowed Delay"]["clause"] == "3(f)"


def test_the_drawn_view_drops_the_clause_tree_and_gathers_uses_by_section() -> None:
    for g in (definitions_graph(BUNDLED.document),):
        v = definitions_view(g)
        kinds_ = {a["kind"] for _, _, a in v.edges(data=True)}
        assert "contains" not in kinds_ and "uses" not in kinds_
        assert "used_in" in kinds_ and "defines" in kinds_ and "refers_to" in kinds_
        for u, w, a in v.edges(data=True):
            if a["kind"] == "used_in":
                assert u.startswith("term:") and w.startswith("section:")
        # "Registrable Securities" is used in nearly every Section: marked, not wired to each
        assert "used throughout" in v.nodes["term:Registrable Securities"]["name"]
        assert not any(k == "used_in" for _, _, k in v.out_edges("term:Registrable Securities", data="kind"))


def test_the_definitions_graph_comes_from_textgraph() -> None:
    g = definitions_graph(BUNDLED.document)
    assert g.number_of_nodes() > 0
    assert g.graph["source"] == "rra.solver.textgraph"


@needs_dot
def test_rra_graph_writes_dot_sources_beside_the_svgs(tmp_path: Path) -> None:
    out = tmp_path / "g"
    r = run_rra("graph", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    names = {g["name"] for g in data["graphs"]}
    assert names == {"obligations", "payments", "definitions"}
    for n in names:
        assert (out / f"{n}.dot").read_text().startswith("digraph")
        ET.fromstring((out / f"{n}.svg").read_bytes())
    ob = next(g for g in data["graphs"] if g["name"] == "obligations")
    assert ob["node_kinds"]["obligation"] == len(BUNDLED.model.obligations)
    assert {"condition", "carve_out", "exception", "breach"} <= set(ob["edge_kinds"])


def test_rra_graph_format_dot_needs_no_graphviz_binary_and_prints_a_table(tmp_path: Path) -> None:
    r = run_rra("graph", "--out", str(tmp_path), "--format", "dot")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rra-graphs", "definitions.dot", "obligations.dot", "payments.dot"]
    assert "obligations" in r.stdout and "nodes" in r.stdout


def test_rra_graph_rejects_an_unknown_format_with_one_line() -> None:
    r = run_rra("graph", "--format", "gif")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def report_diagrams() -> list[str]:
    """The DOT source of every diagram the report draws (both ways round where it tries both)."""
    from rra.visualize import graphs
    from rra.visualize.report import diagrams_data

    sources: list[str] = []
    original = graphs.render

    def keep(dot_source: str, fmt: str = "svg") -> bytes:
        sources.append(dot_source)
        return original(dot_source, fmt)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(graphs, "render", keep)
        diagrams_data(BUNDLED)
    return sources


@needs_dot
def test_every_report_diagram_drawn_in_this_process_is_the_bytes_a_dot_process_prints(
        report_diagrams: list[str]) -> None:
    import random

    from rra.visualize import gvc
    from rra.visualize.graphs import render_by_dot

    assert len(report_diagrams) > 30
    expected = {s: render_by_dot(s, "svg") for s in report_diagrams}
    # graphviz would number the names by their addresses, so what this process allocated before could reorder
    # the clusters: draw them in another order, with other allocations in between, and again
    junk = []
    order = list(report_diagrams)
    random.Random(5).shuffle(order)
    for s in order + report_diagrams:
        junk.append(bytearray(random.Random(len(junk)).randrange(10, 5000)))
        assert gvc.render(s, "svg") == expected[s]
    assert gvc.render(report_diagrams[0], "png") == render_by_dot(report_diagrams[0], "png")


@needs_dot
def test_a_graph_larger_than_the_limits_is_drawn_by_a_dot_process_with_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch, report_diagrams: list[str]) -> None:
    from rra.visualize import graphs, gvc

    small = gvc.render(report_diagrams[0], "svg")
    calls: list[str] = []
    original = graphs.render_by_dot
    monkeypatch.setattr(graphs, "render_by_dot", lambda s, f: calls.append(s) or original(s, f))
    assert render(report_diagrams[0], "svg") == small and calls == []
    monkeypatch.setattr(gvc, "LIMITS", (1, 1))
    assert gvc.render(report_diagrams[0], "svg") is None
    assert render(report_diagrams[0], "svg") == small and calls == [report_diagrams[0]]


@needs_dot
def test_what_graphviz_cannot_read_is_one_error_line_and_nothing_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    from rra.visualize import gvc

    from rra.errors import RraError

    with pytest.raises(RraError, match="graphviz could not read the diagram: .*syntax error") as err:
        gvc.render("digraph { a -> ; }", "svg")
    assert "\n" not in str(err.value)
    with pytest.raises(RraError, match="could not draw the diagram as nonsense"):
        gvc.render("digraph { a -> b }", "nonsense")
    assert gvc.render("digraph { a -> b }", "svg")  # still works after the errors
    assert capfd.readouterr().err == ""


def test_without_graphviz_s_library_drawing_fails_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes.util

    from rra.visualize import gvc

    from rra.errors import RraError

    monkeypatch.setattr(gvc, "_lib", None)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    with pytest.raises(RraError, match="libgvc is not installed"):
        gvc.render("digraph { a -> b }", "svg")


def test_a_graph_too_large_to_lay_out_is_written_as_its_dot_source_and_said_once(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # graphviz's layout grows faster than the graph (2,000 nodes: minutes, then an error): past the limit only the
    # DOT source is written, here with the limit lowered below the bundled definitions graph (102 nodes)
    import contextlib
    import io

    import rra.commands.graph as graph_command
    from rra.cli import main

    monkeypatch.setattr(graph_command, "DRAW_NODES", 60)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["graph", "--json", "--out", str(tmp_path / "g")])
    data = json.loads(out.getvalue())
    assert code == 1 and [g["name"] for g in data["graphs"] if not g["drawn"]] == ["obligations", "definitions"]
    assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("rra graph: obligations (") and (
        "and definitions (" in err.getvalue() and "the DOT source is written, not drawn" in err.getvalue())
    files = sorted(p.name for p in (tmp_path / "g").iterdir())
    assert files == [".rra-graphs", "definitions.dot", "obligations.dot", "payments.dot", "payments.svg"]


def test_a_breach_arrows_tooltip_names_the_duty_in_words_not_by_its_id() -> None:
    import re

    from rra.visualize.graphs import obligation_graph, to_dot

    g = obligation_graph(BUNDLED)
    dot = to_dot(g, "all", "", BUNDLED.document).dot
    assert 'leads to the remedy (the duty \\"prepare and file a Registration Statement' in dot
    tips = re.findall(r'leads to the remedy \(([^)]*)\)', dot)
    assert tips and not any(re.search(r"\b\d+\([a-z]\)\.[a-z_]+", t) for t in tips), tips  # no "2(a).file"
    edge = next(a for _u, _v, a in g.edges(data=True) if a.get("via"))
    assert edge["via"][0] == "2(a).file" or "." in edge["via"][0]  # the ids stay in the graph's data (--json)


def test_diagram_boxes_show_no_internal_keys_and_cut_words_whole() -> None:
    # the report read of stop 33 (findings 6, 7): "clause:3(h)" as a box's text and tooltips cut mid-word ("to be offe")
    from rra.visualize.graphs import short

    assert short("the statement covering the Registrable Securities being sold", width=24, lines=2).endswith("…")
    assert "Registrabl…" not in short("covering the Registrable Securities now", width=24, lines=1)
    from rra.visualize.report import diagrams_data

    from tests.support import BUNDLED

    drawn = diagrams_data(BUNDLED)
    dots = " ".join(str(d["dot"]) for group in drawn["groups"] for d in group["drawings"])
    assert dots and "clause:" not in dots
