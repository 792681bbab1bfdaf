"""Diagrams of the agreement's machinery, built as networkx graphs and drawn with graphviz (the system `dot`).

- The obligation-dependency graph (`obligation_graph`): events -> obligations (coloured by bearer) ->
  deadlines -> remedies, with conditions precedent, carve-outs and exceptions as distinct edge styles,
  clustered by Section. Every node carries its clause id, a short name and the verbatim quote (the tooltip).
- The definitions and cross-reference graph (`definitions_graph`): solver/textgraph.py's `build_graph(doc)`,
  drawn through `definitions_view`.

Drawing is kept apart from building: `to_dot(graph)` turns any graph whose nodes have `kind`, `label`,
`clause` and `quote` attributes (and edges a `kind`) into DOT source; `render(dot, fmt)` draws it with graphviz.
"""

from __future__ import annotations

import html
import re
import subprocess
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import graphviz
import networkx as nx
from rra.solver.textgraph import build_graph
from rra.spec.agreement import Agreement
from rra.spec.clauses import Document, readable_ids
from rra.spec.elements import Element
from rra.visualize import fmt, gvc

from rra.errors import RraError
from rra.limits import cut
from rra.output import listed

FORMATS = ("svg", "png", "dot")
ROW = 4  # unconnected nodes per row inside a Section
DOT_TIMEOUT_S = 60

# Node look by kind; obligations are filled by bearer instead.
NODE_STYLE: dict[str, dict[str, str]] = {
    "event": {"shape": "ellipse", "fillcolor": "#fff3c4"},
    "obligation": {"shape": "box", "style": "rounded,filled"},
    "deadline": {"shape": "hexagon", "fillcolor": "#e6dcf5"},
    "remedy": {"shape": "box", "style": "filled,bold", "fillcolor": "#f8d0cc", "color": "#a1271b"},
    "condition": {"shape": "note", "fillcolor": "#dbe9f7"},
    "carve_out": {"shape": "note", "fillcolor": "#fde2c4"},
    "consent_rule": {"shape": "box3d", "fillcolor": "#e2f0d9"},
    "term": {"shape": "box", "style": "rounded,filled", "fillcolor": "#eef6e6"},
    "borrowed_term": {"shape": "box", "style": "rounded,filled,dashed", "fillcolor": "#f2f2f2"},
    "undefined_term": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#f8d0cc", "color": "#a1271b"},
    "clause": {"shape": "box", "fillcolor": "#ffffff"},
    "section": {"shape": "tab", "fillcolor": "#f1f3f4"},
    "exhibit": {"shape": "folder", "fillcolor": "#fff3c4"},
    "document": {"shape": "folder", "fillcolor": "#eeeeee"},
}
BEARER_FILL = {"company": "#cfe3f7", "investors": "#d5f0d5", "any": "#ececec"}

# Edge look by kind: what the arrow means.
EDGE_STYLE: dict[str, dict[str, str]] = {
    "trigger": {"color": "#333333"},  # event makes the duty arise / fires the remedy
    "due_by": {"color": "#6a3d9a"},  # obligation must be done by the deadline
    "anchor": {"color": "#999999", "style": "dashed", "arrowhead": "vee"},  # event dates the deadline
    "breach": {"color": "#a1271b", "penwidth": "2"},  # missing it leads to the remedy
    "measures": {"color": "#bbbbbb", "style": "dotted", "arrowhead": "odot"},  # remedy counts this event's time
    "condition": {"color": "#1f5fa8", "style": "dashed", "arrowhead": "diamond"},  # condition precedent
    "carve_out": {"color": "#d26a00", "style": "dotted", "penwidth": "2", "arrowhead": "tee"},
    "exception": {"color": "#2e8b57", "style": "dotted", "penwidth": "2", "arrowhead": "odiamond"},
    "defines": {"color": "#2e7d32", "penwidth": "1.5"},
    "uses": {"color": "#bbbbbb"},
    "used_in": {"color": "#bbbbbb", "arrowhead": "vee"},
    "depends_on": {"color": "#6a3d9a", "style": "dashed"},
    "refers_to": {"color": "#1f5fa8", "style": "dashed"},
    "borrowed_from": {"color": "#777777", "style": "dotted"},
    "links": {"color": "#555555", "penwidth": "1.2"},
}
EDGE_MEANING = {
    "trigger": "event makes the duty arise (or fires the remedy)",
    "due_by": "duty must be done by the deadline",
    "anchor": "event dates the deadline",
    "breach": "missing the deadline (or the duty) leads to the remedy",
    "measures": "the remedy counts this event's duration",
    "condition": "condition precedent or of applicability",
    "carve_out": "carve-out: excluded from the duty or measure",
    "exception": "exception: 'unless' / 'except' / 'other than'",
    "defines": "clause defines the term",
    "uses": "clause uses the term",
    "used_in": "term is used in that Section",
    "depends_on": "the term's definition uses another term",
    "refers_to": "cross-reference",
    "borrowed_from": "term defined in another document",
    "links": "arrows from one Section's elements to another's (how many)",
}

_EXCEPTION_WORDS = re.compile(r"\b(unless|except|other than)\b", re.IGNORECASE)


def section_of(clause: str) -> str:
    """The Section a clause id belongs to ("2(c)" -> "2"); preamble, recitals and signatures -> "front"."""
    m = re.match(r"\d+", clause)
    return m.group(0) if m else "front"


def section_title(section: str, doc: Document) -> str:
    """A cluster title: "Section 2 - Registration" from the document's own heading."""
    if section == "front":
        return "Preamble, recitals and signatures"
    if section == "overview":
        return "The Sections of the agreement"
    if section == "external":
        return "Other documents"
    heading = doc.by_id[section].heading if section in doc.by_id else None
    return f"Section {section}" + (f" - {heading.capitalize()}" if heading else "")


def short(text: str, width: int = 24, lines: int = 3) -> str:
    """Wrap text to a few short lines for a node label, with an ellipsis when cut."""
    wrapped = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        words = wrapped[-1].split()
        while len(words) > 1 and len(" ".join(words)) > width - 1:  # room for the ellipsis, cut at a word
            words.pop()
        wrapped[-1] = " ".join(words)[: width - 1] + "\u2026"
    return "\n".join(wrapped)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.;:])\s", text.strip(), maxsplit=1)[0].rstrip(".;:")


def short_name(e: Element) -> str:
    """A few words naming an element, from its own fields (never typed in here)."""
    for attr in ("action", "name", "decision", "description"):
        value = getattr(e, attr, "")
        if value:
            return _first_sentence(str(value))
    return e.id


def carve_out_kind(quote: str) -> str:
    """'exception' for words of exception (unless, except, other than), else 'carve_out' (excluded, shall not apply)."""
    return "exception" if _EXCEPTION_WORDS.search(quote[:60]) else "carve_out"


def _add(g: nx.DiGraph, e: Element, **extra: Any) -> None:
    if e.id in g:
        return
    g.add_node(e.id, kind=e.kind, clause=e.clause, quote=e.quote, name=short_name(e),
               section=section_of(e.clause), **extra)


def _add_edge(g: nx.DiGraph, u: str, v: str, kind: str, via: Element | None = None) -> None:
    """An edge, or one more element it stands for (`via`: its id in "via", its words in "via_words" for the
    tooltip)."""
    if g.has_edge(u, v):
        if via is not None and via.id not in g.edges[u, v]["via"]:
            g.edges[u, v]["via"].append(via.id)
            g.edges[u, v]["via_words"].append(via.words())
        return
    g.add_edge(u, v, kind=kind, via=[via.id] if via is not None else [],
               via_words=[via.words()] if via is not None else [])


def measure_remedy(agreement: Agreement) -> str:
    """The remedy node that stands for the payment measure: the remedy of the measure's clause that measures
    periods."""
    return next(r.id for r in agreement.model.remedies if r.measured_by and r.clause == agreement.measure.clause)


def obligation_graph(agreement: Agreement) -> nx.DiGraph:
    """The obligation-dependency graph of an agreement's model (see the module docstring); elements whose words
    a draft changed are left out.

    Nodes: id -> kind, clause, quote, name, section (and bearer, effort for obligations). Edges: kind, via
    (the obligations a deadline -> remedy edge stands for). The parameters label deadlines with their numbers.
    """
    m = agreement.model
    params = agreement.params

    def keep(items: Iterable[Any]) -> list[Any]:
        return [e for e in items if m.usable(e.id)]

    EVENTS, DEADLINES, OBLIGATIONS = keep(m.events), keep(m.deadlines), keep(m.obligations)  # noqa: N806
    REMEDIES, CONDITIONS, CARVE_OUTS = keep(m.remedies), keep(m.conditions), keep(m.carve_outs)  # noqa: N806
    g = nx.DiGraph(name="obligations")
    by_id: dict[str, Element] = {e.id: e for e in (*EVENTS, *DEADLINES, *OBLIGATIONS, *REMEDIES, *CONDITIONS,
                                                    *CARVE_OUTS, *keep(m.consent_rules))}
    deadlines = {d.id: d for d in DEADLINES}
    names = {e.id: e.name for e in (*EVENTS, *DEADLINES)}  # what a deadline is counted from, in words
    for o in OBLIGATIONS:
        if o.trigger:
            _add(g, by_id[o.trigger])
        _add(g, o, bearer=o.bearer, effort=o.effort)
        if o.trigger:
            _add_edge(g, o.trigger, o.id, "trigger")
        if o.deadline and o.deadline in deadlines:
            _add(g, by_id[o.deadline], terms=_deadline_terms(deadlines[o.deadline], params, names))
            _add_edge(g, o.id, o.deadline, "due_by")
    for d in DEADLINES:
        _add(g, d, terms=_deadline_terms(d, params, names))
        for t in d.terms:
            if t.anchor and t.anchor in by_id:
                _add(g, by_id[t.anchor])
                _add_edge(g, t.anchor, d.id, "anchor")
    obligations = {o.id: o for o in OBLIGATIONS}
    for r in REMEDIES:
        _add(g, r)
        tied = {*r.triggers, *(o.id for o in OBLIGATIONS if r.id in o.remedies)}
        for tie in sorted(tied, key=list(by_id).index):
            if tie in obligations:
                o = obligations[tie]
                if o.deadline:
                    _add_edge(g, o.deadline, r.id, "breach", via=o)
                else:
                    _add_edge(g, o.id, r.id, "breach")
            elif tie in by_id:
                _add(g, by_id[tie])
                _add_edge(g, tie, r.id, "trigger")
        for ev in r.measured_by:
            if ev not in by_id:
                continue
            _add(g, by_id[ev])
            if not g.has_edge(ev, r.id):
                _add_edge(g, ev, r.id, "measures")
    for c in CONDITIONS:
        _add(g, c)
        for target in c.applies_to:
            if target in by_id:
                _add(g, by_id[target])
                _add_edge(g, c.id, target, "condition")
    for co in CARVE_OUTS:
        _add(g, co)
        for target in co.applies_to:
            if target in by_id:
                _add(g, by_id[target])
                _add_edge(g, co.id, target, carve_out_kind(co.quote))
    return g


def _deadline_terms(d: Any, params: Any, names: Mapping[str, str]) -> str:
    """A deadline's terms in words: "Prior Financing Effective Date + 90 days or 15 Mar 2004" (an anchor by its
    element's name, a date as people write it)."""
    parts = []
    for t in d.terms:
        if t.fixed:
            v = params[t.fixed]
            parts.append(fmt.day(v) if isinstance(v, date) else str(v))
        elif t.offset:
            sign = "-" if t.before else "+"
            basis = params.by_name[t.offset].basis
            unit = "days" if basis in (None, "calendar") else f"{basis} days"
            anchor = names.get(str(t.anchor)) or str(t.anchor).replace("_", " ")
            parts.append(f"{anchor} {sign} {params[t.offset]} {unit}")
    joiner = {"earliest": " or ", "latest": " or "}.get(d.combine, ", ")
    prefix = {"earliest": "earlier of ", "latest": "later of "}.get(d.combine, "") if len(parts) > 1 else ""
    return prefix + joiner.join(parts)


# ---------------------------------------------------------------- definitions and cross-references


def definitions_graph(doc: Document) -> nx.DiGraph:
    """The definitions and cross-reference graph of a text (rra.solver.textgraph.build_graph)."""
    g = nx.DiGraph(build_graph(doc))
    g.graph.setdefault("name", "definitions")
    g.graph["source"] = "rra.solver.textgraph"
    return g


def definitions_view(g: nx.DiGraph) -> nx.DiGraph:
    """A drawable view of a definitions graph: terms, where they are defined, what they depend on, the
    Sections that use them, and cross-references. The clause tree ("contains") is left out; uses are gathered
    by Section, and a term used in more than half of the Sections is marked "used throughout" instead."""
    v = nx.DiGraph(**g.graph)
    sections = sorted({str(a.get("section")) for _, a in g.nodes(data=True) if a.get("kind") == "clause"}
                      - {"front", "external"}, key=_section_key)
    term_kinds = {"term", "borrowed_term", "undefined_term"}
    used_in: dict[str, set[str]] = {}

    def copy(n: str) -> None:
        if n not in v:
            v.add_node(n, **g.nodes[n])

    for u, w, a in g.edges(data=True):
        kind = a.get("kind")
        if kind == "contains" or (kind == "refers_to" and u == w):  # the tree, and "this Section" self-references
            continue
        if kind == "uses":
            if g.nodes[w].get("kind") in term_kinds:
                used_in.setdefault(w, set()).add(str(g.nodes[u].get("section")))
            continue
        copy(u)
        copy(w)
        v.add_edge(u, w, **a)
    for n, a in g.nodes(data=True):
        if a.get("kind") in term_kinds | {"exhibit"}:
            copy(n)
    for term, secs in used_in.items():
        own = str(g.nodes[term].get("section"))
        secs = {s for s in secs if s in sections and s != own}
        if len(secs) > len(sections) // 2:
            v.nodes[term]["name"] = f"{g.nodes[term].get('name')} (used throughout)"
            continue
        for s in sorted(secs, key=_section_key):
            node = f"section:{s}"
            if node not in v:
                v.add_node(node, kind="section", clause="", name=f"Section {s}", quote=f"Section {s}", section=s)
            v.add_edge(term, node, kind="used_in", via=[])
    return v


def _section_key(s: str) -> tuple[int, str]:
    return (int(s), "") if s.isdigit() else (999, s)


# ---------------------------------------------------------------- drawing


@dataclass(frozen=True)
class Drawing:
    """A graph ready to render: its name, title and DOT source."""

    name: str
    title: str
    dot: str


def _label(attrs: dict[str, Any]) -> str:
    clause = readable_ids(str(attrs.get("clause") or ""))
    name = short(str(attrs.get("name") or ""))
    terms = str(attrs.get("terms") or "")
    lines = [clause] if clause else []
    if name:
        lines.append(name)
    if terms:
        lines.append(short(terms, width=30, lines=3))
    if attrs.get("used"):
        lines.append(short(f"used in {attrs['used']}", width=30, lines=2))
    if attrs.get("detail"):
        lines += textwrap.wrap(str(attrs["detail"]), width=32)
    return "\n".join(lines)


def _node_attrs(node: str, attrs: dict[str, Any], node_id: str) -> dict[str, str]:
    kind = str(attrs.get("kind", "clause"))
    style = dict(NODE_STYLE.get(kind, NODE_STYLE["clause"]))
    style.setdefault("style", "filled")
    if kind == "obligation":
        style["fillcolor"] = BEARER_FILL.get(str(attrs.get("bearer", "any")), BEARER_FILL["any"])
    if attrs.get("present") is False:  # a clause or exhibit that is referred to but not in the text
        style.update({"color": "#a1271b", "penwidth": "2", "fillcolor": "#f8d0cc"})
    if attrs.get("stub"):  # drawn in another panel: shown faintly, to say where an arrow comes from or goes
        style.update({"fillcolor": "#f4f4f4", "color": "#9a9a9a", "fontcolor": "#555555",
                      "style": "dashed,filled" + (",rounded" if "rounded" in style.get("style", "") else "")})
    quote = str(attrs.get("quote") or attrs.get("name") or node)
    where = f"{attrs.get('clause')}: " if attrs.get("clause") else ""
    return {
        **style,
        # nohtml: a label or quote that happens to look like <...> must stay text, never an HTML-like label
        "label": graphviz.nohtml(_dot_text(_label(attrs) or node)),
        "tooltip": graphviz.nohtml(_dot_tooltip(readable_ids(where + quote))),
        "id": node_id,
    }


def _dot_text(text: str) -> str:
    # DOT escapes in quoted strings: a backslash would start one (\n, \l, \N ...), so double it. `dot` also
    # reads "&name;" as an XML entity, so "&" is written as "&amp;" for the text to come out as written.
    return text.replace("&", "&amp;").replace("\\", "\\\\").replace("\n", "\\n")


def _dot_tooltip(text: str) -> str:
    # graphviz reads a tooltip's escapes twice (\N is the node's name after either), so a backslash that is to
    # stay one is written as four
    return _dot_text(text).replace("\\\\", "\\\\\\\\")


def to_dot(g: nx.DiGraph, name: str, title: str, doc: Document, legend: bool = True, rankdir: str = "LR") -> Drawing:
    """DOT source for a graph: clusters by Section, node and edge styles by kind, a legend (unless the page
    draws its own: `legend_rows`), stable ids."""
    d = doc
    dot = graphviz.Digraph(name=name, graph_attr={
        "rankdir": rankdir, "fontname": "Helvetica", "fontsize": "12", "labelloc": "t", "label": graphviz.nohtml(title),
        "newrank": "true", "nodesep": "0.25", "ranksep": "0.6", "id": f"{name}-graph", "tooltip": graphviz.nohtml(title),
        **({} if title else {"label": ""}),
    }, node_attr={"fontname": "Helvetica", "fontsize": "10", "margin": "0.08,0.04"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.7"})
    ids = {n: f"{name}-n{i}" for i, n in enumerate(g.nodes)}
    groups: dict[str, list[str]] = {}
    for n, attrs in g.nodes(data=True):
        groups.setdefault(str(attrs.get("section") or "front"), []).append(n)
    for k, section in enumerate(sorted(groups, key=_section_key)):
        label = section_title(section, d) if section not in {"external"} else "Other documents"
        with dot.subgraph(name=f"cluster_{k}") as sub:
            sub.attr(label=graphviz.nohtml(label), style="rounded,filled", fillcolor="#fafafa", color="#cccccc",
                     fontsize="11", id=f"{name}-c{k}", tooltip=graphviz.nohtml(label))
            for n in groups[section]:
                sub.node(ids[n], **_node_attrs(n, g.nodes[n], ids[n]))
            # Unconnected nodes would stack in one tall column; lay them out in rows instead.
            alone = [ids[n] for n in groups[section] if g.degree(n) == 0]
            for j in range(len(alone)):
                if j % ROW != 0:
                    sub.edge(alone[j - 1], alone[j], style="invis")
    for i, (u, v, attrs) in enumerate(g.edges(data=True)):
        kind = str(attrs.get("kind", "uses"))
        style = dict(EDGE_STYLE.get(kind, EDGE_STYLE["uses"]))
        words = attrs.get("via_words") or []  # the elements an edge stands for, in words where the graph has them
        via = "; ".join(words) if words else ", ".join(attrs.get("via") or [])
        tip = EDGE_MEANING.get(kind, kind) + (f" ({via})" if via else "")
        style["tooltip"] = graphviz.nohtml(_dot_tooltip(tip))
        style["id"] = f"{name}-e{i}"
        if attrs.get("count"):
            style["label"] = str(attrs["count"])
        dot.edge(ids[u], ids[v], **style)
    if legend:
        _legend(dot, name, legend_rows(g))
    return Drawing(name, title, dot.source)


def legend_rows(*gs: nx.DiGraph) -> list[tuple[str, str, str, str]]:
    """What the shapes and arrows of some graphs mean: (fill, colour, line style, words) per node kind, bearer and
    edge kind drawn (fixed words: nothing from the agreement)."""
    node_kinds = {str(a.get("kind")) for g in gs for _, a in g.nodes(data=True)}
    edge_kinds = {str(a.get("kind")) for g in gs for _, _, a in g.edges(data=True)}
    cells = []
    for kind in NODE_STYLE:
        if kind in node_kinds and kind != "obligation":
            cells.append((NODE_STYLE[kind].get("fillcolor", "#ffffff"), "#000000", "box", kind.replace("_", " ")))
    if "obligation" in node_kinds:
        bearers = sorted({str(a.get("bearer")) for g in gs for _, a in g.nodes(data=True) if a.get("kind") == "obligation"})
        cells += [(BEARER_FILL.get(b, BEARER_FILL["any"]), "#000000", "box", f"obligation of {b}") for b in bearers]
    if any(a.get("stub") for g in gs for _, a in g.nodes(data=True)):
        cells.append(("#f4f4f4", "#555555", "box", "drawn in another Section's diagram"))
    for kind in EDGE_STYLE:
        if kind in edge_kinds:
            st = EDGE_STYLE[kind]
            cells.append(("#ffffff", st.get("color", "#000000"), st.get("style", "solid"), EDGE_MEANING[kind]))
    return cells


def _legend(dot: graphviz.Digraph, name: str, rows_: list[tuple[str, str, str, str]]) -> None:
    """One compact legend node (an HTML-like table of fixed words: nothing from the agreement goes in it)."""
    marks = {"solid": "\u2501\u2501\u25b6", "dashed": "- - -\u25b6", "dotted": "\u00b7 \u00b7 \u00b7\u25b6"}
    cells = [(fill, color, text if style == "box" else f"{marks.get(style, marks['solid'])} {text}")
             for fill, color, style, text in rows_]
    rows = "".join(
        f'<TR><TD BGCOLOR="{fill}" ALIGN="LEFT"><FONT COLOR="{color}">{html.escape(text)}</FONT></TD></TR>'
        for fill, color, text in cells)
    table = f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"><TR><TD><B>Legend</B></TD></TR>{rows}</TABLE>>'
    dot.node(f"{name}-legend", label=table, shape="plaintext", fontsize="9", id=f"{name}-legend")


def render(dot_source: str, fmt: str = "svg") -> bytes:
    """What the system `dot` prints for DOT source: drawn by graphviz's library in this process when the graph is
    small (rra.visualize.gvc: the same bytes, without a process start), else by `dot` with a time limit. Raises
    RraError if graphviz is missing or fails."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "dot":
        return dot_source.encode("utf-8")
    drawn = gvc.render(dot_source, fmt)
    return drawn if drawn is not None else render_by_dot(dot_source, fmt)


def render_by_dot(dot_source: str, fmt: str) -> bytes:
    """Run the system `dot` on DOT source (a separate process: a large graph can take minutes, and a process can
    be stopped). Raises RraError if graphviz is missing or fails."""
    try:
        done = subprocess.run(["dot", f"-T{fmt}"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise RraError("graphviz's `dot` is not installed (apt-get install graphviz)") from None
    except subprocess.TimeoutExpired:
        raise RraError(f"graphviz's `dot` took longer than {DOT_TIMEOUT_S}s") from None
    if done.returncode != 0:
        raise RraError(f"graphviz's `dot` failed: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout


def svg_size(svg: bytes | str) -> tuple[float, float]:
    """The width and height (points) `dot` gave an SVG."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', text)
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def render_fitted(g: nx.DiGraph, name: str, title: str, doc: Document, box: tuple[float, float] = (820, 660)
                  ) -> tuple[Drawing, bytes]:
    """A panel drawn left to right, or top to bottom when that needs less shrinking to fit `box` (points: about
    one screen, and one printed page): the drawing and its SVG."""
    best: tuple[float, Drawing, bytes] | None = None
    for rankdir in ("LR", "TB"):
        d = to_dot(g, name, title, doc, legend=False, rankdir=rankdir)
        svg = render(d.dot, "svg")
        w, h = svg_size(svg)
        scale = min(1.0, box[0] / w if w else 1.0, box[1] / h if h else 1.0)
        if best is None or scale > best[0] + 0.05:
            best = (scale, d, svg)
        if scale == 1.0:  # fits as it is: no need to try the other way
            break
    assert best is not None
    return best[1], best[2]


def svg_body(svg: bytes) -> str:
    """An SVG document from `dot` as an inline <svg> element (no XML prolog, DOCTYPE or comments)."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    body = re.sub(r"<!--.*?-->\s*", "", text[start:], flags=re.DOTALL)
    # graphviz titles each node, edge and cluster with its internal name; the tooltips carry the words instead
    return re.sub(r"<title>[^<]*</title>\n?", "", body).strip()


def focus(g: nx.DiGraph, target: str) -> nx.DiGraph:
    """The part of a graph that leads to one node (e.g. the 2(c) payments): the node and all its ancestors."""
    keep = nx.ancestors(g, target) | {target}
    # Built by hand in the graph's own order: a networkx subgraph view iterates a set, whose order changes
    # from run to run, and the drawing must not.
    sub = nx.DiGraph(**{**g.graph, "name": f"focus:{target}"})
    sub.add_nodes_from((n, a) for n, a in g.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, a) for u, v, a in g.edges(data=True) if u in keep and v in keep)
    return sub


def _subgraph(g: nx.DiGraph, keep: set[str], name: str, stubs: set[str] = frozenset()) -> nx.DiGraph:  # type: ignore[assignment]
    """The nodes `keep` (and `stubs`, marked as drawn elsewhere) with the edges between them, in the graph's own
    order (deterministic: never a set's order)."""
    sub = nx.DiGraph(**{**g.graph, "name": name})
    for n, a in g.nodes(data=True):
        if n in keep:
            sub.add_node(n, **a)
        elif n in stubs:
            sub.add_node(n, **{**a, "stub": True})
    sub.add_edges_from((u, v, a) for u, v, a in g.edges(data=True) if u in sub and v in sub and not (
        u in stubs and v in stubs))
    return sub


@dataclass(frozen=True)
class Panel:
    """One diagram of a set: a key for its file name, a title, and the graph drawn."""

    key: str
    title: str
    graph: nx.DiGraph


PATH_GROUPS = {"breach": "duty", "trigger": "event", "measures": "event", "condition": "limit", "carve_out": "limit",
               "exception": "limit"}


def payment_panels(g: nx.DiGraph, remedy: str) -> list[Panel]:
    """The paths to the payments remedy, one panel each: for each clause whose missed duties lead to the
    remedy, those duties with everything that leads to them; the events the remedy counts; and what limits or
    excuses it (conditions, carve-outs, exceptions). Each panel holds the remedy, so each reads on its own."""
    groups: dict[tuple[int, str], list[str]] = {}
    for p in g.predecessors(remedy):
        kind = PATH_GROUPS.get(str(g.edges[p, remedy].get("kind")), "limit")
        clause = str(g.nodes[p].get("clause") or "") if kind == "duty" else ""
        groups.setdefault(({"duty": 0, "event": 1, "limit": 2}[kind], clause), []).append(p)
    out = []
    rname = str(g.nodes[remedy].get("clause") or remedy)
    for (order, clause), members in sorted(groups.items(), key=lambda kv: (kv[0][0], _clause_key(kv[0][1]))):
        keep = {remedy, *members}
        if order != 2:
            for m in members:
                keep |= nx.ancestors(g, m)
        names = [str(g.nodes[m].get("name") or m) for m in members]
        if order == 0:
            title = f"Through {clause}: " + listed(dict.fromkeys(names))
            key = f"duty-{clause}"
        elif order == 1:
            title = f"What {rname} counts and what starts it: " + listed(dict.fromkeys(names))
            key = "events"
        else:
            title = f"What limits, excuses or keeps {rname} payments"
            key = "limits"
        out.append(Panel(key, title, _subgraph(g, keep, f"payments:{key}")))
    return out


def _clause_key(c: str) -> tuple[Any, ...]:
    parts = re.findall(r"\d+|[a-z]+", c)
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in parts) or ((2, 0, c),)


PANEL_NODES = 20  # the most elements of the agreement one Section panel draws (more: split by clause)
STUB_KINDS = {"obligation": ("duty", "duties"), "deadline": ("deadline", "deadlines"), "event": ("event", "events"),
              "remedy": ("remedy", "remedies"), "condition": ("condition", "conditions"),
              "carve_out": ("carve-out", "carve-outs"), "consent_rule": ("consent rule", "consent rules"),
              "term": ("term", "terms"), "borrowed_term": ("term", "terms"), "undefined_term": ("term", "terms"),
              "clause": ("clause", "clauses"), "document": ("document", "documents"), "exhibit": ("exhibit", "exhibits")}


def top_clause(clause: str) -> str:
    """The numbered clause an element's clause belongs to: "2(c)(ii)" -> "2(c)", "7" -> "7"."""
    m = re.match(r"\d+(\([a-z]+\))?", clause)
    return m.group(0) if m else (clause or "front")


def section_panels(g: nx.DiGraph, doc: Document, limit: int = PANEL_NODES) -> list[Panel]:
    """The obligations graph in panels, in the order of the agreement: one per Section, or for a Section with
    more than `limit` elements one per run of its clauses. Elements of other panels that a panel's arrows come
    from or go to are gathered into one faint box per clause (a stub naming them), so each panel reads alone."""
    by_section: dict[str, dict[str, list[str]]] = {}
    for n, a in g.nodes(data=True):
        sec = str(a.get("section") or "front")
        by_section.setdefault(sec, {}).setdefault(top_clause(str(a.get("clause") or "")), []).append(n)
    out = []
    for sec in sorted(by_section, key=_doc_order):
        clauses = sorted(by_section[sec], key=_clause_key)
        chunks: list[list[str]] = []
        for c in clauses:
            size = len(by_section[sec][c])
            if chunks and sum(len(by_section[sec][x]) for x in chunks[-1]) + size <= limit:
                chunks[-1].append(c)
            else:
                chunks.append([c])
        whole = len(chunks) == 1
        for chunk in chunks:
            own = [n for c in chunk for n in by_section[sec][c]]
            title = section_title(sec, doc) + ("" if whole else f": {chunk[0]}" + (
                f" to {chunk[-1]}" if len(chunk) > 1 else ""))
            key = f"section-{sec}" if whole else f"section-{chunk[0]}"
            out.append(Panel(key, title, _with_stubs(g, own, f"panel:{key}")))
    return out


def _called(attrs: Mapping[str, Any], node: str) -> str:
    """A node as a reader knows it: its name, else the opening words of its text (a clause with no heading), never
    its internal key ("clause:3(h)")."""
    opening = re.sub(r"^\(?[a-z0-9]{1,4}[.)]\s+", "", str(attrs.get("quote") or ""))  # not the clause's own letter
    return str(attrs.get("name") or cut(opening, 40, words=True) or attrs.get("clause") or node)


def _with_stubs(g: nx.DiGraph, own: list[str], name: str) -> nx.DiGraph:
    keep = set(own)
    sub = nx.DiGraph(**{**g.graph, "name": name})
    for n, a in g.nodes(data=True):
        if n in keep:
            sub.add_node(n, **a)
    stubs: dict[str, list[str]] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for u, v, a in g.edges(data=True):
        if (u in keep) == (v in keep):
            if u in keep:
                edges.append((u, v, a))
            continue
        other = v if u in keep else u
        oc = str(g.nodes[other].get("clause") or "")
        sid = f"stub:{top_clause(oc)}" if oc else f"stub:section:{g.nodes[other].get('section')}"
        if other not in stubs.setdefault(sid, []):
            stubs[sid].append(other)
        edges.append((u if u in keep else sid, v if v in keep else sid, {"kind": a.get("kind"), "via": []}))
    order = {n: i for i, n in enumerate(g.nodes)}
    for sid in sorted(stubs, key=lambda s: min(order[m] for m in stubs[s])):
        members = sorted(stubs[sid], key=order.__getitem__)
        first = g.nodes[members[0]]
        kinds = {str(g.nodes[m].get("kind")) for m in members}
        if len(members) == 1:
            label = _called(first, members[0])
        else:
            k = kinds.pop() if len(kinds) == 1 else ""
            label = f"{len(members)} {STUB_KINDS.get(k, ('element', 'elements'))[1]}" if k else f"{len(members)} elements"
        names = "; ".join(_called(g.nodes[m], m) for m in members)
        fc = str(first.get("clause") or "")
        sub.add_node(sid, kind=str(first.get("kind")) if len(members) == 1 else "clause", stub=True,
                     clause=top_clause(fc) if fc else "", name=label, quote=names,
                     section=str(first.get("section") or "front"),
                     **({"bearer": first.get("bearer")} if len(members) == 1 and first.get("bearer") else {}))
    for u, v, a in edges:
        if not sub.has_edge(u, v):
            sub.add_edge(u, v, **a)
    return sub


def _doc_order(section: str) -> tuple[int, str]:
    return (-1, "") if section == "front" else _section_key(section)


def section_overview(g: nx.DiGraph, doc: Document) -> nx.DiGraph:
    """One node per Section (what it holds, counted by kind) and one arrow per pair of Sections whose elements are
    linked, with the number of links: the whole agreement on one screen."""
    ov = nx.DiGraph(name="overview")
    counts: dict[str, dict[str, int]] = {}
    for _, a in g.nodes(data=True):
        sec = str(a.get("section") or "front")
        kind = str(a.get("kind"))
        counts.setdefault(sec, {})
        counts[sec][kind] = counts[sec].get(kind, 0) + 1
    words = {"obligation": ("duty", "duties"), "deadline": ("deadline", "deadlines"), "event": ("event", "events"),
             "remedy": ("remedy", "remedies"), "condition": ("condition", "conditions"),
             "carve_out": ("carve-out", "carve-outs"), "consent_rule": ("consent rule", "consent rules")}
    for sec in sorted(counts, key=_doc_order):
        held = [f"{n} {words.get(k, (k, k + 's'))[n != 1]}" for k, n in sorted(
            counts[sec].items(), key=lambda kv: list(words).index(kv[0]) if kv[0] in words else 99)]
        title = section_title(sec, doc)
        ov.add_node(f"section:{sec}", kind="section", clause="", name=title, quote=title, section="overview",
                    detail=", ".join(held))
    links: dict[tuple[str, str], int] = {}
    for u, v in g.edges():
        su, sv = (str(g.nodes[x].get("section") or "front") for x in (u, v))
        if su != sv:
            links[(su, sv)] = links.get((su, sv), 0) + 1
    for (su, sv), n in sorted(links.items(), key=lambda kv: (_doc_order(kv[0][0]), _doc_order(kv[0][1]))):
        ov.add_edge(f"section:{su}", f"section:{sv}", kind="links", via=[], count=n)
    return ov


def definitions_compact(v: nx.DiGraph) -> nx.DiGraph:
    """A definitions view with the Sections that use each term written in the term's box instead of drawn as
    arrows (the arrows to Section boxes crossed every label)."""
    out = nx.DiGraph(**v.graph)
    used: dict[str, list[str]] = {}
    for u, w, a in v.edges(data=True):
        if a.get("kind") == "used_in":
            used.setdefault(u, []).append(str(v.nodes[w].get("section")))
    for n, a in v.nodes(data=True):
        if a.get("kind") == "section":
            continue
        extra = {"used": "Sections " + ", ".join(used[n]) if len(used[n]) > 1 else "Section " + used[n][0]} \
            if n in used else {}
        out.add_node(n, **a, **extra)
    out.add_edges_from((u, w, a) for u, w, a in v.edges(data=True) if a.get("kind") != "used_in")
    return out


def drawings(agreement: Agreement) -> list[Drawing]:
    """Both diagrams, ready to render."""
    d = agreement.document
    defs = definitions_view(definitions_graph(d))
    return [
        to_dot(obligation_graph(agreement), "obligations",
               "Obligation dependencies: events \u2192 obligations \u2192 deadlines \u2192 remedies", d),
        to_dot(defs, "definitions", "Defined terms and cross-references", d),
    ]


def graph_summary(g: nx.DiGraph) -> dict[str, Any]:
    """Nodes and edges as JSON-ready lists (the `rra graph --json` shape)."""
    return {
        "nodes": [{"id": n, **{k: v for k, v in a.items() if isinstance(v, (str, int, float, list)) or v is None}}
                  for n, a in g.nodes(data=True)],
        "edges": [{"source": u, "target": v, "kind": a.get("kind"), "via": list(a.get("via") or [])}
                  for u, v, a in g.edges(data=True)],
    }


def graphs(agreement: Agreement) -> dict[str, nx.DiGraph]:
    """The networkx graphs by name."""
    return {"obligations": obligation_graph(agreement),
            "definitions": definitions_view(definitions_graph(agreement.document))}


def kinds(items: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Counts by kind."""
    out: dict[str, int] = {}
    for it in items:
        out[str(it.get("kind"))] = out.get(str(it.get("kind")), 0) + 1
    return dict(sorted(out.items()))
