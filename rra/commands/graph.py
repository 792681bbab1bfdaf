"""`rra graph`: the obligation-dependency diagram and the definitions and cross-reference diagram, as files."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.limits import check_output_dir
from rra.output import listed, progress, table, write_folder
from rra.spec.elements import kind_count

MARKER = ".rra-graphs"  # a file in every folder `rra graph` writes, so --out never replaces a folder it did not write
# A graph larger than this is not laid out, only its DOT source written: graphviz's layout grows faster than the
# graph (the definitions graph of a draft with 150 extra sections, 646 nodes and 1,036 edges: 4.5 s; with 600,
# 1,996 nodes and 3,376 edges: 118 s, then "trouble in init_rank" and no drawing).
DRAW_NODES = 800
DRAW_EDGES = 1600


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--out", metavar="DIR", default="rra-graphs",
                   help="folder to write the diagrams to, replaced whole (default: ./rra-graphs/); it must be new, "
                        "empty or written by rra graph")
    p.add_argument("--format", choices=("svg", "png", "dot"), default="svg",
                   help="image format; the DOT source is always written beside it (default: svg)")


def build(out: str, fmt: str, agreement: Any) -> dict[str, Any]:
    """Write each diagram's DOT source and its rendering into the folder `out` (replaced whole, atomically);
    return the `--json` shape."""
    from rra.visualize.graphs import (
        definitions_graph,
        definitions_view,
        focus,
        graph_summary,
        kinds,
        measure_remedy,
        obligation_graph,
        render,
        to_dot,
    )

    folder = check_output_dir(out, "--out", MARKER, "rra graph")
    doc = agreement.document
    full = obligation_graph(agreement)
    defs = definitions_view(definitions_graph(doc))
    remedy = measure_remedy(agreement)
    clause = agreement.measure.clause
    graphs = [
        ("obligations", "Obligation dependencies: events \u2192 obligations \u2192 deadlines \u2192 remedies", full),
        *([("payments", f"What leads to Section {clause} payments", focus(full, remedy))] if remedy in full else []),
        ("definitions", "Defined terms and cross-references", defs),
    ]
    # Render everything first, then write: a failing `dot` leaves nothing half-written.
    rendered = []
    for name, title, g in progress(graphs, "graph"):
        drawing = to_dot(g, name, title, doc)
        large = g.number_of_nodes() > DRAW_NODES or g.number_of_edges() > DRAW_EDGES
        image = render(drawing.dot, fmt) if fmt != "dot" and not large else None
        rendered.append((name, title, g, drawing, image))
    result: dict[str, Any] = {"out": str(folder), "format": fmt, "graphs": [], "withheld": [] if remedy in full else [
        {"name": "payments", "reason": f"the draft changed the words of the Section {clause} payments"}]}
    contents: dict[str, str | bytes] = {MARKER: "written by rra graph\n"}
    for name, title, g, drawing, image in rendered:
        files = [f"{name}.dot"]
        contents[f"{name}.dot"] = drawing.dot
        if image is not None:
            contents[f"{name}.{fmt}"] = image
            files.append(f"{name}.{fmt}")
        summary = graph_summary(g)
        result["graphs"].append({
            "name": name, "title": title, "files": files, "drawn": image is not None or fmt == "dot",
            "source": g.graph.get("source", "rra.visualize.graphs"),
            "node_kinds": kinds(summary["nodes"]), "edge_kinds": kinds(summary["edges"]),
            "nodes": summary["nodes"], "edges": summary["edges"],
        })
    write_folder(folder, contents, "--out")
    return result


def render_table(data: dict[str, Any]) -> str:
    rows = [[g["name"], len(g["nodes"]), len(g["edges"]), ", ".join(kind_count(n, k) for k, n in g["node_kinds"].items()),
             ", ".join(g["files"])] for g in data["graphs"]]
    notes = "".join(f"{w['name']}: not drawn: {w['reason']}\n" for w in data.get("withheld", []))
    return table(["diagram", "nodes", "edges", "node kinds", "files"], rows) + notes + f"\nWritten to {data['out']}/\n"


def run(args: argparse.Namespace) -> int:
    """Exit status 1 when a graph was too large to draw (its DOT source is written), 0 otherwise."""
    agreement = agreement_from(args)
    data = build(args.out, args.format, agreement)
    data["agreement"] = agreement.describe()
    emit(args, data, lambda d: header(agreement) + render_table(d))
    large = [f"{g['name']} ({len(g['nodes']):,} nodes, {len(g['edges']):,} edges)" for g in data["graphs"]
             if not g["drawn"]]
    if large:
        sys.stderr.write(f"rra graph: {listed(large)}: more than is laid out in reasonable time (at most "
                         f"{DRAW_NODES:,} nodes and {DRAW_EDGES:,} edges); the DOT source is written, not drawn\n")
    return 1 if large else 0
