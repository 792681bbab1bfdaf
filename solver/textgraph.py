"""The agreement's text as a graph: clauses, defined terms, their definitions and uses, cross-references to
clauses, exhibits and other documents. Built from any parsed agreement (the bundled one or a draft); the
drafting review (solver/review.py) and the diagrams (visualize/graphs.py) read it.

Graph schema (`build_graph(doc) -> nx.DiGraph`; graph attribute `name="definitions"`):

Nodes, each with `kind`, `name`, `clause` (a clause id, "" for outside things), `quote` (verbatim words) and
`section` (the top-level Section number, "front" for preamble/recitals/signatures, "external" for other
documents):
- `clause:<id>`  kind="clause": `heading`, `clause_kind` (section|subsection|item|preamble|recital|...),
  `lines` ([first, last] source line), `present` (False for a clause that a reference names but the text lacks).
- `term:<name>`  kind="term" (defined here) or "borrowed_term" (only said to be defined elsewhere) or
  "undefined_term" (capitalized words used like a term, never defined): `status` (defined|borrowed|undefined),
  `definitions` (number of definitions here), `borrowed_from` (other documents named), `first_use_line`.
- `exhibit:<label>`  kind="exhibit": `present` (an attachment with that heading follows the signatures), `line`.
- `doc:<name>`  kind="document": another document the text refers to (the Securities Purchase Agreement, the
  1933 Act, the Debentures).

Edges, each with `kind` and `via` (a list of short strings, for tooltips):
- clause -> clause  kind="contains": the clause tree.
- clause -> term  kind="defines": `lines`, `quotes`, `forms` (parenthetical|means), `uses` (lines where the same
  clause also uses the term).
- clause -> term  kind="uses" (clauses that use a term without defining it): `lines`, `count`, `forward`
  (the forward reference that accompanies a use, e.g. "as hereinafter defined", or None).
- term -> term  kind="depends_on": the first term's definition uses the second (a self-loop is a term defined
  in terms of itself): `clauses`.
- term -> doc  kind="borrowed_from": `clause`, `line`.
- clause -> clause | exhibit | doc  kind="refers_to": `lines`, `words` (as written), `targets` (clause ids,
  exhibit labels, or provisions of another document such as "Section 4(c)"), `resolved` (target present).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx
from rra.spec.clauses import Document
from rra.spec.terms import (
    borrowed_terms,
    cached,
    clause_texts,
    definitions,
    find_uses,
    forms,
    long_names,
    term_pattern,
    undefined_candidates,
)

from rra.limits import cut

_REF_ID = r"\d{1,2}(?:\([a-z]{1,4}\))*"
_SECTION_REF = re.compile(
    rf"\b(?P<this>[Tt]his\s+)?(?P<word>Sections?|Paragraphs?)\s+(?P<list>{_REF_ID}"
    rf"(?:\s*(?:,\s*(?:and\s+|or\s+)?|and/or\s+|and\s+|or\s+|through\s+|to\s+)(?:Sections?\s+|Paragraphs?\s+)?{_REF_ID}(?![\w-]))*)"
)
_ONE_ID = re.compile(_REF_ID)
_OF_DOCUMENT = re.compile(r"^\s*of\s+(?:the\s+)?(?P<doc>(?!this\b)[A-Z0-9][\w.-]*(?:\s+(?:of\s+)?[A-Z0-9][\w.-]*)*)")
_DIRECTION = re.compile(r"^\s*(?:hereof\s+|of\s+this\s+Agreement\s+)?(?P<dir>below|above|hereinafter|hereinbefore)\b")
_RULE_REF = re.compile(r"\b(?P<rule>(?:Rule|Regulation)\s+(?!of\b)[\w-]+)"
                       r"(?:\s+(?:promulgated\s+)?(?:under|of)\s+(?:the\s+)?(?P<doc>[A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*)*))?")
_EXHIBIT_REF = re.compile(r"\b(?P<kind>Exhibit|Schedule|Annex|Appendix|Attachment)\s+(?P<label>[A-Z0-9][\w.-]*?)(?=[\s,.;:)]|$)"
                          r"(?P<of>\s+(?:to|of)\s+(?:the\s+)?(?P<doc>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))?")
_ATTACHMENT = re.compile(r"^\s*(?P<kind>EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|"
                         r"Attachment)\s+(?P<label>[A-Z0-9][\w.-]*?)\.?\s*$")


@dataclass(frozen=True)
class Reference:
    """A cross-reference as written in a clause."""

    clause: str
    line: int
    offset: int
    words: str  # as written: "Sections 2(b) and 3(h)"
    kind: str  # internal | external | exhibit
    targets: tuple[str, ...]  # clause ids, exhibit labels ("Exhibit 1"), or provisions of another document
    document: str | None = None  # the other document, for external references
    this: bool = False  # "this Section 2(d)": must sit inside the Section it names
    direction: str | None = None  # "below" / "above" / "hereinafter" / "hereinbefore" written after it


def references(doc: Document) -> list[Reference]:
    """Every cross-reference in the text, in document order (signature blocks excluded)."""
    return cached(doc, "references", lambda: _references(doc))


def _references(doc: Document) -> list[Reference]:
    out: list[Reference] = []
    for clause in doc.clauses:
        if clause.kind == "signatures":
            continue
        ct = clause_texts(doc)[clause.id]
        text = ct.text
        for m in _SECTION_REF.finditer(text):
            ids = tuple(_ONE_ID.findall(m.group("list")))
            after = text[m.end():]
            of = _OF_DOCUMENT.match(after)
            if of and not m.group("this"):
                out.append(Reference(clause.id, ct.line(m.start()), m.start(), m.group(0) + of.group(0), "external",
                                     tuple(f"Section {i}" for i in ids), of.group("doc").rstrip(".,")))
                continue
            d = _DIRECTION.match(after)
            out.append(Reference(clause.id, ct.line(m.start()), m.start(), m.group(0), "internal", ids, None,
                                 bool(m.group("this")), d.group("dir") if d else None))
        for m in _RULE_REF.finditer(text):
            rule = m.group("rule")
            document = (m.group("doc") or "").rstrip(".,") or None
            out.append(Reference(clause.id, ct.line(m.start()), m.start(), m.group(0), "external", (rule,), document))
        for m in _EXHIBIT_REF.finditer(text):
            label = f"{m.group('kind')} {m.group('label')}"
            if m.group("of"):
                out.append(Reference(clause.id, ct.line(m.start()), m.start(), m.group(0), "external", (label,),
                                     m.group("doc")))
            else:
                out.append(Reference(clause.id, ct.line(m.start()), m.start(), m.group(0), "exhibit", (label,)))
    # A rule named without its statute ("Rule 416") belongs to the statute this text names most for its rules.
    named = [r.document for r in out if r.targets[0].startswith(("Rule ", "Regulation ")) and r.document]
    usual = max(sorted(set(named)), key=named.count) if named else None
    out = [r if r.document or r.kind != "external" else
           Reference(r.clause, r.line, r.offset, r.words, r.kind, r.targets, usual or r.targets[0]) for r in out]
    order = {c.id: i for i, c in enumerate(doc.clauses)}
    out.sort(key=lambda r: (order[r.clause], r.offset))
    return out


def attachments(doc: Document) -> dict[str, int]:
    """Exhibits, schedules and annexes the document contains: {"Exhibit 1": line}. An attachment is a line that
    is only its heading ("EXHIBIT 1"), after the signatures (a label above the title, such as the filing's
    "EXHIBIT 4.14", is not an attachment)."""
    sig = next((c for c in doc.clauses if c.kind == "signatures"), None)
    first = sig.start if sig else max(c.start for c in doc.clauses if c.kind == "section")
    out: dict[str, int] = {}
    for i in range(first - 1, len(doc.lines)):
        m = _ATTACHMENT.match(doc.lines[i])
        if m:
            out.setdefault(f"{m.group('kind').capitalize()} {m.group('label')}".casefold(), i + 1)
    return out


def section_of(clause: str) -> str:
    """The top-level Section of a clause id ("2(c)" -> "2"); preamble, recitals and signatures -> "front"."""
    m = re.match(r"\d+", clause)
    return m.group(0) if m else "front"


def build_graph(doc: Document) -> nx.DiGraph:
    """The graph of clauses, terms, definitions, uses and cross-references (schema in the module docstring)."""
    return nx.DiGraph(cached(doc, "graph", lambda: _build_graph(doc)))


def _build_graph(doc: Document) -> nx.DiGraph:
    g = nx.DiGraph(name="definitions")
    texts = clause_texts(doc)

    def clause_node(cid: str) -> str:
        node = f"clause:{cid}"
        if node not in g:
            c = doc.by_id.get(cid)
            if c is None:
                g.add_node(node, kind="clause", name=f"{cid} (missing)", clause=cid, quote="", section=section_of(cid),
                           heading=None, clause_kind="missing", lines=[], present=False)
            else:
                g.add_node(node, kind="clause", name=c.heading or "", clause=cid, quote=cut(texts[cid].text, 300, words=True),
                           section=section_of(cid), heading=c.heading, clause_kind=c.kind, lines=[c.start, c.end],
                           present=True)
        return node

    def doc_node(name: str) -> str:
        node = f"doc:{name}"
        if node not in g:
            g.add_node(node, kind="document", name=name, clause="", quote=name, section="external")
        return node

    for c in doc.clauses:
        clause_node(c.id)
        if c.parent:
            g.add_edge(clause_node(c.parent), clause_node(c.id), kind="contains", via=[])

    defs = definitions(doc)
    borrowed = borrowed_terms(doc)
    longs = long_names(doc)
    # a long name written out again ("Securities and Exchange Commission" for "SEC") is not an undefined term
    candidates = [c for c in undefined_candidates(doc)
                  if not any(ln == c.words or ln.endswith(" " + c.words) for ln in longs)]
    defined = {d.term for d in defs}
    all_terms = defined | {b.term for b in borrowed} | {c.words for c in candidates}
    uses = find_uses(doc, all_terms)

    for d in defs:
        node = f"term:{d.term}"
        if node not in g:
            # a "means" definition's words run a fixed length past the term: shown to a reader, they end at a word
            shown = d.quote.rsplit(" ", 1)[0] + "..." if d.form == "means" and " " in d.quote else d.quote
            g.add_node(node, kind="term", name=d.term, clause=d.clause, quote=shown, section=section_of(d.clause),
                       status="defined", definitions=0, borrowed_from=[], first_use_line=None)
        g.nodes[node]["definitions"] += 1
        src = clause_node(d.clause)
        if g.has_edge(src, node):
            e = g.edges[src, node]
            e["lines"].append(d.line)
            e["quotes"].append(d.quote)
            e["forms"].append(d.form)
        else:
            g.add_edge(src, node, kind="defines", via=[d.form], lines=[d.line], quotes=[d.quote], forms=[d.form],
                       uses=[])
    for b in borrowed:
        node = f"term:{b.term}"
        if node not in g:
            g.add_node(node, kind="borrowed_term", name=b.term, clause=b.clause, quote=b.words,
                       section=section_of(b.clause), status="borrowed", definitions=0, borrowed_from=[],
                       first_use_line=None)
        if b.document not in g.nodes[node]["borrowed_from"]:
            g.nodes[node]["borrowed_from"].append(b.document)
        g.add_edge(node, doc_node(b.document), kind="borrowed_from", via=[b.clause], clause=b.clause, line=b.line)
    for cand in candidates:
        node = f"term:{cand.words}"
        if node not in g:
            g.add_node(node, kind="undefined_term", name=cand.words, clause=cand.clause, quote=cand.words,
                       section=section_of(cand.clause), status="undefined", definitions=0, borrowed_from=[],
                       first_use_line=None)

    # uses (quoted words are never uses, so a definition's own quotation is not counted)
    for u in uses:
        node = f"term:{u.term}"
        if g.nodes[node]["first_use_line"] is None:
            g.nodes[node]["first_use_line"] = u.line
        src = clause_node(u.clause)
        if g.has_edge(src, node):
            e = g.edges[src, node]
            if e["kind"] == "defines":
                e["uses"].append(u.line)
                continue
            e["lines"].append(u.line)
            e["count"] += 1
        else:
            g.add_edge(src, node, kind="uses", via=[], lines=[u.line], count=1, forward=u.forward)

    # definitions that use other terms (or themselves)
    # Lower-case defined words ("registration") are ordinary words in a definition's body, so only
    # capitalized terms count as dependencies.
    capitalized = {t for t in defined if not t[:1].islower()}
    body_pattern = term_pattern(capitalized)
    canon = {f: t for t in sorted(capitalized, key=lambda t: (len(t), t)) for f in forms(t)}
    for d in defs:
        body_terms = {canon[m.group("t")] for m in body_pattern.finditer(d.body)} if body_pattern else set()
        for t in sorted(body_terms):
            a, b_ = f"term:{d.term}", f"term:{t}"
            if g.has_edge(a, b_):
                if d.clause not in g.edges[a, b_]["clauses"]:
                    g.edges[a, b_]["clauses"].append(d.clause)
            else:
                g.add_edge(a, b_, kind="depends_on", via=[d.clause], clauses=[d.clause])

    present = attachments(doc)
    for r in references(doc):
        src = clause_node(r.clause)
        dsts: list[tuple[str, str, bool]] = []
        if r.kind == "internal":
            dsts = [(clause_node(t), t, t in doc.by_id) for t in r.targets]
        elif r.kind == "exhibit":
            for t in r.targets:
                node = f"exhibit:{t}"
                if node not in g:
                    line = present.get(t.casefold())
                    g.add_node(node, kind="exhibit", name=t, clause="", quote=t, section="external",
                               present=line is not None, line=line)
                dsts.append((node, t, g.nodes[node]["present"]))
        else:
            assert r.document is not None
            dsts = [(doc_node(r.document), t, True) for t in r.targets]
        for dst, target, ok in dsts:
            if g.has_edge(src, dst):
                e = g.edges[src, dst]
                if e["kind"] != "refers_to":
                    continue
                e["lines"].append(r.line)
                e["words"].append(r.words)
                if target not in e["targets"]:
                    e["targets"].append(target)
            else:
                g.add_edge(src, dst, kind="refers_to", via=[r.words], lines=[r.line], words=[r.words],
                           targets=[target], resolved=ok)
    return g


def term_table(doc: Document) -> list[dict[str, object]]:
    """Where each term is defined and used, read off the graph (for reports): one row per term, sorted by name,
    with `term`, `status` (defined|borrowed|undefined), `defined_in` [{clause, line}], `borrowed_from`,
    `used_in` [{clause, lines}]."""
    g = build_graph(doc)
    rows: list[dict[str, object]] = []
    for node, a in sorted(g.nodes(data=True)):
        if a["kind"] not in ("term", "borrowed_term", "undefined_term"):
            continue
        defined_in = [{"clause": g.nodes[u]["clause"], "line": line} for u, _, e in g.in_edges(node, data=True)
                      if e["kind"] == "defines" for line in e["lines"]]
        used_in = [{"clause": g.nodes[u]["clause"], "lines": sorted(set(e["lines"] if e["kind"] == "uses" else e["uses"]))}
                   for u, _, e in g.in_edges(node, data=True)
                   if e["kind"] == "uses" or (e["kind"] == "defines" and e["uses"])]
        rows.append({"term": a["name"], "status": a["status"], "defined_in": defined_in,
                     "borrowed_from": list(a["borrowed_from"]), "used_in": used_in})
    return rows
