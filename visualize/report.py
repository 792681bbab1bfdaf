"""The review as one self-contained HTML page (`rra report`).

`collect()` runs each analysis once on the agreement given (the bundled one or a draft), each part in its own
try block: a part that fails shows its error, and the page is always written. `render_html()` turns the
collected results into index.html: inline CSS and SVG only (no scripts, fonts or network; a
Content-Security-Policy says so to the browser), every piece of text from the agreement, a scenario or an
analysis passed through html.escape.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from rra.spec.agreement import Agreement
from rra.spec.overrides import ParameterSet

from rra.errors import RraError, Withheld
from rra.limits import check_output_dir
from rra.output import dumps, progress, to_jsonable, write_folder

MARKER = ".rra-report"  # a file in every report folder, so --out never replaces a folder it did not write
NOT_YET = "not available"


@dataclass
class Part:
    """One part of the report: its status, the data it shows, and extra files (name -> text) it adds."""

    key: str
    title: str
    status: str = "ok"  # ok | skipped | withheld | failed
    data: Any = None
    message: str = ""
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)
    svgs: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------- collect


@dataclass
class Context:
    """What every part reads: the agreement, an optional scenario, and results shared between parts."""

    agreement: Agreement
    scenario_file: str | None = None
    scenario: Any = None
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def params(self) -> ParameterSet:
        """The agreement's parameter values."""
        return self.agreement.params


def part_coverage(ctx: Context) -> Any:
    from rra.spec.coverage import coverage

    return coverage(ctx.agreement)


def part_findings(ctx: Context) -> Any:
    """Every analysis's findings, each analysis isolated so one failure does not hide the others."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext, sort_findings

    cctx = CheckContext(ctx.agreement)
    found = []
    withheld = []
    ran: dict[str, str] = {}
    for name, fn in ANALYSES.items():
        try:
            if name == "consent":
                # the consent analysis runs once (maybe in the background); its findings come from that result
                consent_data(ctx)
                out = ctx.shared["consent_outcome"]
            else:
                out = fn(cctx)
        except Exception as exc:  # noqa: BLE001 - one failing analysis must not take the page down
            ran[name] = f"failed: {type(exc).__name__}: {exc}"
            continue
        found.extend(out.findings)
        withheld.extend(out.withheld)
        ran[name] = f"{len(out.findings)} finding(s)"
    data: dict[str, Any] = {"findings": [f.to_json() for f in sort_findings(found)], "analyses": ran,
                            "withheld": [w.to_json() for w in withheld]}
    from rra.visualize.memo_html import memo_for_report

    data["memo"] = memo_for_report(ctx.agreement, data["findings"])  # the findings section is the review memo
    return data


def part_invariants(ctx: Context) -> Any:
    from rra.solver.invariants import check_all

    return check_all(ctx.agreement)


def part_exposure(ctx: Context) -> Any:
    """The worst case under the agreement's default assumption set, with and without the Company's best Allowed
    Delays (both labelled, solver/maxmin.py), and the plain evaluator's own count of its timeline (the cross-check
    the page shows)."""
    from rra.solver import assumptions
    from rra.solver.evaluator import accrual, evaluate
    from rra.solver.exposure import optimize, to_scenario

    a = assumptions.load(None)
    res = optimize(a, ctx.agreement)
    data = dict(res.to_json(ctx.params))
    data.pop("seconds", None)  # timings would make the page differ from run to run
    reasons = {".".join(path): doc for _attr_name, (path, _kind, doc) in assumptions.FIELDS.items()}
    evaluation: Any = None
    series: tuple[Any, ...] = ()
    if res.timeline is not None:
        worst = to_scenario(res.timeline, a.principal)
        evaluation = evaluate(worst, ctx.agreement, res.reading)
        series = accrual(worst, ctx.agreement, res.reading)
    return {"exposure": data, "assumptions": a.to_json(), "assumption_reasons": reasons,
            "assumption_source": a.name, "evaluation": evaluation, "accrual": series}


# The sensitivity the page plots: how the worst case grows with the longest SEC review the assumptions allow.
SENSITIVITY_SWEEP = "sec.review_max_days=30:360:30"


def part_sensitivity(ctx: Context) -> Any:
    from rra.solver import assumptions, sweep

    spec = sweep.parse_sweep(SENSITIVITY_SWEEP, ctx.agreement)
    data = dict(sweep.run_sweep(spec, assumptions.load(None), ctx.agreement, workers=1))
    data["points"] = [{k: v for k, v in p.items() if k != "seconds"} for p in data.get("points", [])]
    return data


def part_consent(ctx: Context) -> Any:
    return consent_data(ctx)


def consent_data(ctx: Context) -> Any:
    """The consent analysis, run once: from the background process when one was started, else here. Its
    findings are derived from the same result (solver/consent_analysis.findings_from) for the findings part."""
    from rra.solver import consent_analysis
    from rra.solver.consent import book
    from rra.solver.findings import Outcome

    if "consent" in ctx.shared:
        return ctx.shared["consent"]
    future = ctx.shared.pop("consent_future", None)
    if future is not None:
        data, issues = future.result()
        consent_analysis.remember_issues(ctx.agreement, issues)  # the memo's consent section, not reviewed again
    else:
        data = consent_analysis.analyze(ctx.agreement, progress=progress)
    bk = book(ctx.agreement)
    ctx.shared["consent_outcome"] = Outcome(consent_analysis.findings_from(data, bk))
    ctx.shared["consent"] = data
    return data


def _consent_job(agreement: Agreement) -> tuple[Any, Any]:
    """In a worker process: the consent analysis, without progress bars (the parent draws its own), and the memo's
    consent issues (which the parent would otherwise review again)."""
    from rra.solver.consent_analysis import analyze, consent_issues

    return analyze(agreement), consent_issues(agreement)


def _start_background(ctx: Context) -> Any:
    """Start the slowest independent analysis (consent, all Z3) in a forked worker process, so that it runs while
    the other parts run here. Returns the worker to close, or None when running everything here."""
    # Only when a core is free: on a busy machine the second process measured slower, not faster.
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    forced = bool(os.environ.get("RRA_REPORT_PARALLEL"))
    if os.environ.get("RRA_REPORT_SERIAL") or (not forced and (cores < 2 or load > cores - 1)):
        return None
    from rra.workers import Background

    try:
        worker = Background(_consent_job, ctx.agreement)
    except OSError:  # no process to spare (fork refused): everything runs here
        return None
    ctx.shared["consent_future"] = worker
    return worker


def part_scenario(ctx: Context) -> Any:
    from rra.solver.evaluator import accrual, evaluate

    from rra.results import evaluation_json

    if ctx.scenario is None:
        return None
    ev = evaluate(ctx.scenario, ctx.agreement)
    return {"evaluation": ev, "json": evaluation_json(ev, ctx.agreement),
            "accrual": accrual(ctx.scenario, ctx.agreement, ev.reading)}


def part_diagrams(ctx: Context) -> Any:
    from rra.visualize.graphs import (
        definitions_graph,
        definitions_view,
        focus,
        measure_remedy,
        obligation_graph,
        render,
        svg_body,
        to_dot,
    )

    doc = ctx.agreement.document
    full = obligation_graph(ctx.agreement)
    defs = definitions_view(definitions_graph(doc))
    clause = ctx.agreement.measure.clause
    drawings = [
        to_dot(focus(full, measure_remedy(ctx.agreement)), "payments",
               f"What leads to Section {clause} payments: events \u2192 obligations \u2192 deadlines \u2192 the remedy",
               doc),
        to_dot(full, "obligations", "Obligation dependencies: events \u2192 obligations \u2192 deadlines \u2192 remedies", doc),
        to_dot(defs, "definitions", "Defined terms and cross-references", doc),
    ]
    out = []
    for d in drawings:
        svg = render(d.dot, "svg")
        out.append({"name": d.name, "title": d.title, "dot": d.dot, "svg": svg_body(svg), "svg_file": svg.decode("utf-8")})
    return {"drawings": out, "definitions_source": defs.graph.get("source", "")}


# Run order: the consent analysis starts first in a second process; the parts that do not need it run here
# meanwhile, and findings (which include the consent findings) and consent come last.
PARTS: tuple[tuple[str, str, Callable[[Context], Any]], ...] = (
    ("coverage", "Coverage", part_coverage),
    ("diagrams", "Diagrams", part_diagrams),
    ("scenario", "Scenario", part_scenario),
    ("exposure", "Worst-case exposure", part_exposure),
    ("sensitivity", "Sensitivity", part_sensitivity),
    ("invariants", "Invariants", part_invariants),
    ("findings", "Findings", part_findings),
    ("consent", "Consent analysis", part_consent),
)
PAGE_ORDER = ("scenario", "findings", "invariants", "exposure", "sensitivity", "consent", "coverage", "diagrams")


def load_scenario(path: str, params: ParameterSet) -> Any:
    """Read and check a scenario file before any work starts (a bad file is BadInput: nothing is written)."""
    from rra.solver.scenario import load_scenario as load

    return load(path, params)


def collect(agreement: Agreement, scenario_file: str | None = None, stream: Any = None,
            parts: Iterable[str] | None = None, ctx: Context | None = None) -> dict[str, Part]:
    """Run each part once (progress on a terminal) and return the parts by key, in page order."""
    if ctx is None:
        ctx = Context(agreement, scenario_file)
        if scenario_file:
            ctx.scenario = load_scenario(scenario_file, agreement.params)
    wanted = set(parts) if parts is not None else None
    todo = [p for p in PARTS if wanted is None or p[0] in wanted]
    executor = _start_background(ctx) if wanted is None or "consent" in wanted else None
    try:
        done = _run_parts(todo, ctx, stream)
    finally:
        if executor is not None:
            executor.close()
    return {k: done[k] for k in sorted(done, key=lambda k: PAGE_ORDER.index(k) if k in PAGE_ORDER else 99)}


def _run_parts(todo: list[tuple[str, str, Callable[[Context], Any]]], ctx: Context, stream: Any) -> dict[str, Part]:
    out: dict[str, Part] = {}
    for key, title, fn in progress(todo, "report", stream=stream):
        part = Part(key, title)
        t0 = time.perf_counter()
        try:
            part.data = fn(ctx)
            if key == "scenario" and part.data is None:
                part.status, part.message = "skipped", "no --scenario given"
        except Withheld as exc:
            part.status, part.message = "withheld", str(exc)
        except Exception as exc:  # noqa: BLE001 - one failing analysis must not take the page down
            # (the user's own input, --scenario and --set, is checked before any part runs; a BadInput here
            # comes from an analysis's own files or assumptions, so it is that part's failure, not the page's)
            part.status, part.message = "failed", f"{type(exc).__name__}: {exc}"
        part.seconds = time.perf_counter() - t0
        out[key] = part
    return out


# --------------------------------------------------------------------------------------------- adapters


def get(obj: Any, *names: str, default: Any = None) -> Any:
    """The first of several attribute or key names an object has (results may be dataclasses or dicts)."""
    for n in names:
        if isinstance(obj, Mapping) and n in obj:
            return obj[n]
        if not isinstance(obj, Mapping) and hasattr(obj, n):
            return getattr(obj, n)
    return default


def plain(obj: Any) -> Any:
    """A result as plain JSON values (dataclasses, enums, dates, fractions); objects with to_json() use it."""
    if hasattr(obj, "to_json") and callable(obj.to_json):
        return plain(obj.to_json())
    if isinstance(obj, (list, tuple)):
        return [plain(x) for x in obj]
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if hasattr(obj, "value") and type(obj).__module__ != "builtins" and isinstance(obj.value, str):
        return obj.value
    try:
        return to_jsonable(obj)
    except Exception:  # noqa: BLE001
        return str(obj)


# --------------------------------------------------------------------------------------------- render

CSS = """
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--err:#a1271b;--warn:#b26a00;--info:#1f5fa8;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);background:#f6f5f2}
header{background:#1f2a44;color:#fff;padding:28px 40px 20px}
header h1{margin:0 0 4px;font-size:26px;font-weight:normal}
header p{margin:2px 0;color:#c9d1e3;font:13px/1.4 Helvetica,Arial,sans-serif}
nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 40px;font:13px Helvetica,Arial,sans-serif;
    position:sticky;top:0;z-index:2}
nav a{color:#1f2a44;margin-right:16px;text-decoration:none}
main{max-width:1200px;margin:0 auto;padding:10px 40px 60px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;margin:22px 0;padding:18px 24px}
h2{font-size:21px;font-weight:normal;margin:0 0 10px;border-bottom:1px solid var(--line);padding-bottom:6px}
h3{font-size:16px;margin:18px 0 6px}
.small,table,.badge,.cards,.meta{font-family:Helvetica,Arial,sans-serif}
.small{font-size:12px;color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 180px;border:1px solid var(--line);border-radius:6px;padding:12px 14px;background:#fbfbfa}
.card .n{font-size:24px;font-family:Georgia,serif}
.card .l{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4;font-weight:600}
.badge{display:inline-block;white-space:nowrap;border-radius:10px;padding:1px 8px;font-size:11px;color:#fff;background:#777;
       text-transform:uppercase;letter-spacing:.03em}
.error,.refuted,.failed{background:var(--err)}.warning,.unknown{background:var(--warn)}.info{background:var(--info)}
.proved,.formalized,.ok{background:var(--ok)}.not-formalized,.unavailable,.skipped{background:#8a8f98}
.finding{border-left:4px solid var(--line);padding:6px 12px;margin:10px 0}
.finding.sev-error{border-color:var(--err)}.finding.sev-warning{border-color:var(--warn)}
.finding.sev-info{border-color:var(--info)}
.finding h4{margin:0 0 4px;font-size:15px}
blockquote{margin:6px 0;padding:6px 12px;background:#f7f3e8;border-left:3px solid #c8b88a;font-style:italic}
blockquote cite{display:block;font-style:normal;font-size:12px;color:var(--muted);font-family:Helvetica,sans-serif}
.na{color:var(--muted);font-style:italic;font-family:Helvetica,Arial,sans-serif}
.diagram{overflow:auto;max-height:900px;border:1px solid var(--line);border-radius:4px;background:#fff;margin:8px 0}
.diagram svg{display:block;max-width:100%;height:auto}
.diagram.tall svg{max-width:none}
figure{margin:10px 0}figcaption{font:12px Helvetica,Arial,sans-serif;color:var(--muted)}
svg.timeline,svg.chart{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px}
details summary{cursor:pointer;font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#1f2a44}
pre{white-space:pre-wrap;font-size:12px;background:#f7f7f7;padding:8px;border-radius:4px}
footer{text-align:center;font:12px Helvetica,Arial,sans-serif;color:var(--muted);padding:20px}
"""


def e(x: Any) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return escape("" if x is None else str(x), quote=True)


def badge(status: str) -> str:
    """A coloured status word."""
    return f'<span class="badge {e(status)}">{e(status)}</span>'


def _unavailable(part: Part | None) -> str | None:
    if part is None:
        return f'<p class="na">{NOT_YET}.</p>'
    if part.status == "withheld":
        return f'<p class="na">Withheld for this draft: {e(part.message)}</p>'
    if part.status == "failed":
        return f'<p class="na">This part failed and is left out: {e(part.message)}</p>'
    return None


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{e(key)}"><h2>{e(title)}</h2>\n{body}\n</section>\n'


def render_summary(parts: Mapping[str, Part]) -> str:
    cards = []

    def card(n: str, label: str, sub: str = "") -> None:
        cards.append(f'<div class="card"><div class="n">{n}</div><div class="l">{e(label)}</div>'
                     f'<div class="small">{sub}</div></div>')

    f = parts.get("findings")
    if f is not None and f.status == "ok":
        counts = {s: 0 for s in ("error", "warning", "info")}
        for x in f.data["findings"]:
            counts[x["severity"]] = counts.get(x["severity"], 0) + 1
        card(e(len(f.data["findings"])), "findings", ", ".join(f"{n} {e(s)}" for s, n in counts.items()))
    else:
        card("&ndash;", "findings", NOT_YET)
    inv = parts.get("invariants")
    if inv is not None and inv.status == "ok":
        rows = invariant_rows(inv.data)
        st: dict[str, int] = {}
        for r in rows:
            st[r["status"]] = st.get(r["status"], 0) + 1
        card(e(len(rows)), "invariants", ", ".join(f"{n} {e(s)}" for s, n in sorted(st.items())))
    else:
        card("&ndash;", "invariants", NOT_YET)
    ex = parts.get("exposure")
    amount = exposure_amount(ex.data) if ex is not None and ex.status == "ok" else None
    if amount is not None:
        card(e(_money(amount)), "worst-case 2(c) exposure, no Allowed Delays", e(exposure_status(ex.data if ex else None)))
        mm = get(get(ex.data if ex else None, "exposure", default={}), "worst_case_with_allowed_delays", default=None)
        if isinstance(mm, Mapping):
            card(e(_money(float(get(mm, "value", default=0) or 0))), "with the Company's best Allowed Delays (max-min)",
                 e(figure_status(mm)))
    else:
        card("&ndash;", "worst-case 2(c) exposure", NOT_YET)
    cov = parts.get("coverage")
    if cov is not None and cov.status == "ok":
        s = cov.data["summary"]
        card(f"{e(s['formalized'])}/{e(s['numbered'])}", "clauses formalized",
             f"{e(s['elements'])} cited elements; {e(len(s['quote_problems']))} quote problems")
    c = parts.get("consent")
    if c is not None and c.status == "ok":
        card(e(len(consent_rows(c.data))), "consent rules analysed")
    else:
        card("&ndash;", "consent analysis", NOT_YET)
    lines = []
    for p in parts.values():
        state = {"ok": "", "withheld": p.message, "failed": p.message, "skipped": p.message}.get(p.status, "")
        lines.append(f"<li>{e(p.title)}: {badge(p.status)} <span class='small'>{e(state)}"
                     "</span></li>")
    first = ""
    if f is not None and f.status == "ok" and "memo" in f.data:
        high = [x for x in f.data["memo"]["issues"] if x["severity"] == "high"]
        if high:
            first = ("<h3>Look at these first</h3><ul>" + "".join(
                f'<li><a href="#issue-{e(x["id"])}">{e(x["title"])}</a> <span class="small">'
                f'{e(", ".join(x["sections"]))}</span></li>' for x in high) + "</ul>")
    elif f is not None and f.status == "ok":
        errors = [x for x in f.data["findings"] if x["severity"] == "error"]
        if errors:
            first = ("<h3>Look at these first</h3><ul>" + "".join(
                f'<li><a href="#finding-{e(x["id"])}">{e(x["title"])}</a> <span class="small">'
                f'{e(", ".join(x["sections"]))}</span></li>' for x in errors) + "</ul>")
    body = (f'<div class="cards">{"".join(cards)}</div>\n{first}'
            f'<h3>Parts of this report</h3><ul class="small">{"".join(lines)}</ul>')
    return _section("summary", "Summary", body)


def _money(x: float) -> str:
    from rra.visualize.timeline import money

    return money(x)


def _quote_block(quote: str, cite: str = "") -> str:
    c = f"<cite>{e(cite)}</cite>" if cite else ""
    return f"<blockquote>&ldquo;{e(quote)}&rdquo;{c}</blockquote>"


def _evidence_quotes(evidence: Any) -> list[tuple[str, str]]:
    """(quote, cite) pairs found anywhere in a finding's evidence: keys named quote/quotes/text/words."""
    out: list[tuple[str, str]] = []

    def walk(x: Any, cite: str) -> None:
        if isinstance(x, Mapping):
            here = str(x.get("clause") or x.get("section") or cite)
            for k, v in x.items():
                if k in {"quote", "quotes", "words", "wording"}:
                    for q in v if isinstance(v, (list, tuple)) else [v]:
                        if isinstance(q, str) and q.strip():
                            out.append((q, here))
                        else:
                            walk(q, here)
                elif isinstance(v, (Mapping, list, tuple)):
                    walk(v, here)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v, cite)

    walk(evidence, "")
    return list(dict.fromkeys(out))


def _clause_excerpt(cid: str, limit: int = 600) -> str | None:
    from rra.spec.clauses import agreement
    from rra.spec.text import normalize

    doc = agreement()
    if cid not in doc.by_id:
        return None
    text = normalize(doc.subtree_text(cid))
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " \u2026"


def render_findings(part: Part | None) -> str:
    na = _unavailable(part)
    if na is not None or part is None:
        return _section("findings", "Findings by severity", na or "")
    data = part.data
    if "memo" in data:
        from rra.visualize.memo_html import memo_html

        return _section("findings", "Findings by severity: the review memo", memo_html(data["memo"]))
    out = ['<p class="small">Analyses run: ' +
           "; ".join(f"{e(k)}: {e(v)}" for k, v in data["analyses"].items()) + "</p>"]
    for sev, title in (("error", "Errors"), ("warning", "Warnings"), ("info", "Notes")):
        items = [f for f in data["findings"] if f["severity"] == sev]
        if sev == "info" and items:
            out.append(f"<details><summary><b>{e(title)} ({len(items)})</b></summary>")
        else:
            out.append(f"<h3>{e(title)} ({len(items)})</h3>")
        if not items:
            out.append('<p class="na">None.</p>')
        for f in items:
            quotes = _evidence_quotes(f.get("evidence"))
            qhtml = "".join(_quote_block(q, c) for q, c in quotes[:4])
            if not quotes:
                for cid in f["sections"][:2]:
                    ex = _clause_excerpt(cid)
                    if ex:
                        qhtml += f"<details><summary>Text of {e(cid)}</summary>{_quote_block(ex, cid)}</details>"
            rest = {k: v for k, v in (f.get("evidence") or {}).items() if k not in {"quote", "quotes", "words"}}
            ev = f"<details><summary>Evidence</summary><pre>{e(dumps(rest))}</pre></details>" if rest else ""
            out.append(
                f'<div class="finding sev-{e(sev)}" id="finding-{e(f["id"])}"><h4>{badge(sev)} {e(f["title"])}</h4>'
                f'<div class="small">{e(", ".join(f["sections"]))} &middot; {e(f["kind"])} &middot; {e(f["id"])}</div>'
                f"<p>{e(f['explanation'])}</p>{qhtml}{ev}</div>")
        if sev == "info" and items:
            out.append("</details>")
    return _section("findings", "Findings by severity", "\n".join(out))


def invariant_rows(data: Any) -> list[dict[str, Any]]:
    """Invariant results as rows: id, clause, statement, status, reason (whatever shape the prover returns)."""
    items = get(data, "invariants", "results", default=data)
    if isinstance(items, Mapping):
        items = [{"id": k, **(plain(v) if isinstance(plain(v), Mapping) else {"status": plain(v)})} for k, v in items.items()]
    rows = []
    for it in items or []:
        p = plain(it)
        if not isinstance(p, Mapping):
            continue
        status = str(get(p, "status", "result", default="unknown"))
        rows.append({
            "id": str(get(p, "id", "name", default="")),
            "clause": get(p, "clause", "clauses", "sections", default=""),
            "statement": str(get(p, "statement", "claim", "title", "description", default="")),
            "status": status,
            "reason": get(p, "reason", "explanation", default=""),
            "quote": get(p, "quote", default=""),
            "raw": p,
            "source": it,
        })
    return rows


def render_invariants(part: Part | None, timelines: Mapping[str, str]) -> str:
    na = _unavailable(part)
    if na is not None or part is None:
        return _section("invariants", "Invariants", na or "")
    rows = invariant_rows(part.data)
    if not rows:
        return _section("invariants", "Invariants", '<p class="na">The prover returned no invariants.</p>')
    body = ["<table><tr><th>invariant</th><th>clause</th><th>status</th><th>statement and reason</th></tr>"]
    for r in rows:
        clause = ", ".join(r["clause"]) if isinstance(r["clause"], (list, tuple)) else r["clause"]
        extra = f'<div class="small">{e(r["reason"])}</div>' if r["reason"] else ""
        q = _quote_block(r["quote"]) if isinstance(r["quote"], str) and r["quote"] else ""
        link = (f' <a href="#cex-{e(r["id"])}" class="small">counterexample below</a>'
                if r["id"] in timelines else "")
        vac = get(r["raw"], "vacuous")
        if r["status"] == "proved" and vac is False:
            extra += '<div class="small">assumptions checked satisfiable first (not vacuous)</div>'
        body.append(f"<tr><td>{e(r['id'])}</td><td>{e(clause)}</td><td>{badge(r['status'])}{link}</td>"
                    f"<td>{e(r['statement'])}{extra}{q}</td></tr>")
    body.append("</table>")
    for name, svg in timelines.items():
        body.append(f'<figure id="cex-{e(name)}">{svg}</figure>')
    return _section("invariants", "Invariants", "\n".join(body))


def exposure_amount(data: Any) -> float | None:
    """The worst-case amount in an exposure result, if it has one."""
    data = get(data, "exposure", default=data)
    v = get(data, "optimum", "worst_case", "amount", "total", "max", "maximum", "value")
    if isinstance(v, Mapping) or (v is not None and not isinstance(v, (int, float)) and hasattr(v, "__dict__")):
        v = get(v, "amount", "total", "value")
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def exposure_status(data: Any) -> str:
    """proved optimal / not proved, as the optimizer says."""
    data = get(data, "exposure", default=data)
    proved = get(data, "proved_optimal")
    if proved is True:
        return "proved optimal"
    if proved is False:
        bound = get(data, "bound")
        reason = get(data, "reason")
        return "not proved optimal" + (f"; upper bound {_money(float(bound))}" if bound is not None else "") + \
            (f" ({reason})" if reason else "")
    return str(plain(get(data, "status", "optimality", default="")))


def figure_status(fig: Any) -> str:
    """A labelled figure's status in words: proved optimum, or best found with its proved bound."""
    status = get(fig, "status", default="")
    if status == "proved":
        return "proved optimum"
    bound = get(fig, "bound", default=None)
    return f"best found; proved at most {_money(float(bound))}" if bound is not None else "best found, not proved"


def render_exposure(part: Part | None, sens: Part | None, timeline_svg: str | None, sens_svg: str | None,
                    check: str = "") -> str:
    na = _unavailable(part)
    if na is not None or part is None:
        return _section("exposure", "Worst-case exposure", na or "")
    data = plain(part.data)
    ex = get(data, "exposure", default=data)
    amount = exposure_amount(part.data)
    out = []
    if amount is not None:
        cards = [f'<div class="card"><div class="n">{e(_money(amount))}</div>'
                 f'<div class="l">worst-case Section 2(c) payments, no Allowed Delays</div>'
                 f'<div class="small">{e(exposure_status(part.data))}; reading {e(get(ex, "reading", default=""))}; '
                 f'method {e(get(ex, "method", default=""))}</div></div>']
        for k, v in (get(ex, "readings", default={}) or {}).items():
            if k != get(ex, "reading"):
                cards.append(f'<div class="card"><div class="n">{e(_money(float(v)))}</div>'
                             f'<div class="l">under reading {e(k)}</div></div>')
        out.append(f'<div class="cards">{"".join(cards)}</div>')
    figs = [(label, get(ex, key, default=None)) for key, label in (
        ("worst_case", "no Allowed Delays (the Company declares none)"),
        ("worst_case_with_allowed_delays", "with the Company's best Allowed Delays (max-min)"))]
    if any(isinstance(f, Mapping) for _l, f in figs):
        out.append("<table><tr><th>figure</th><th>amount</th><th>status</th><th>over</th></tr>" + "".join(
            f"<tr><td>{e(label)}</td><td>{e(_money(float(get(f, 'value', default=0) or 0)))}</td>"
            f"<td>{e(figure_status(f))}</td><td>{e(get(f, 'space', default=''))}</td></tr>"
            for label, f in figs if isinstance(f, Mapping)) + "</table>")
    comps = get(ex, "components", default=None)
    if isinstance(comps, Mapping) and comps:
        out.append("<table><tr><th>component</th><th>what</th><th>months</th><th>amount</th></tr>" + "".join(
            f"<tr><td>2(c)({e(k)})</td><td>{e(get(c, 'what', default=''))}</td><td>{e(get(c, 'months', default=''))}</td>"
            f"<td>{e(_money(float(get(c, 'amount', default=0) or 0)))}</td></tr>" for k, c in comps.items()) + "</table>")
    if check:
        out.append(f'<p class="small">{e(check)}</p>')
    if timeline_svg:
        out.append(f"<figure><figcaption>The worst case as a timeline</figcaption>{timeline_svg}</figure>")
    assumptions = get(data, "assumptions", default=None)
    if isinstance(assumptions, Mapping) and assumptions:
        reasons = get(data, "assumption_reasons", default={}) or {}
        rows = []
        for key, value in _flatten(assumptions):
            rows.append(f"<tr><td>{e(key)}</td><td>{e(value)}</td><td>{e(reasons.get(key, ''))}</td></tr>")
        out.append("<details><summary>The assumptions (what the SEC, the market and the Company may do)</summary>"
                   "<table><tr><th>assumption</th><th>value</th><th>what it bounds</th></tr>" + "".join(rows) +
                   "</table></details>")
    elif assumptions:
        items = assumptions if isinstance(assumptions, list) else [assumptions]
        out.append("<h3>Assumptions</h3><ul>" + "".join(f"<li>{e(a if isinstance(a, str) else dumps(a))}</li>"
                                                      for a in items) + "</ul>")
    out.append(f"<details><summary>Full result</summary><pre>{e(dumps(ex))}</pre></details>")
    out.append("<h3>Sensitivity</h3>")
    sna = _unavailable(sens)
    if sna is not None:
        out.append(sna)
    elif sens_svg:
        out.append(f"<figure>{sens_svg}<figcaption>{e(sensitivity_caption(sens.data if sens else None, data))}"
                   "</figcaption></figure>")
    else:
        out.append('<p class="na">No sensitivity data to plot.</p>')
    return _section("exposure", "Worst-case exposure", "\n".join(out))


def sensitivity_caption(sweep: Any, exposure: Any) -> str:
    """One sentence a reader can take away: what was swept, what it bounds, and how far the worst case moved."""
    points = [p for p in get(sweep, "points", default=[]) or [] if get(p, "optimum") is not None]
    if len(points) < 2:
        return ""
    name = str(get(sweep, "name", default=""))
    reasons = get(exposure, "assumption_reasons", default={}) or {}
    why = f" ({reasons[name]})" if name in reasons else ""
    a, b = points[0], points[-1]
    return (f"Swept {name}{why}, other assumptions as above. From {get(a, 'value')} to {get(b, 'value')} the "
            f"worst case goes from {_money(float(get(a, 'optimum')))} to {_money(float(get(b, 'optimum')))}.")


def _flatten(m: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in m.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out += _flatten(v, key + ".")
        else:
            out.append((key, v))
    return out


def consent_rows(data: Any) -> list[dict[str, Any]]:
    """Consent analysis results as rows (whatever shape analyze() returns)."""
    items = get(data, "rules", "decisions", "results", default=data)
    if isinstance(items, Mapping):
        items = [{"id": k, **(plain(v) if isinstance(plain(v), Mapping) else {"result": plain(v)})} for k, v in items.items()]
    out = []
    for it in items or []:
        p = plain(it)
        if isinstance(p, Mapping):
            out.append(dict(p))
    return out


def render_consent(part: Part | None) -> str:
    na = _unavailable(part)
    if na is not None or part is None:
        return _section("consent", "Consent analysis", na or "")
    data = plain(part.data)
    rules = get(data, "rules", default=None)
    if not isinstance(rules, list) or not rules or not all(isinstance(r, Mapping) for r in rules):
        return _render_consent_generic(part)
    out = []
    readings = get(data, "readings", default={}) or {}
    comparisons = get(data, "comparisons", default=[]) or []
    n_find = len(get(data, "findings", default=[]) or [])
    out.append(f"<p>Z3 compared the consent rules that decide the same thing over every valid set of holdings and "
               f"coalitions ({e(len(comparisons))} pairs, {e(len(get(data, 'competing', default=[]) or []))} of them "
               f"checked for two groups choosing at once), and proved who can block each rule. The problems are listed "
               f'with the other findings (<a href="#findings">{e(n_find)} consent findings</a>), one per decision or '
               f"problem, each with the words and a redline.</p>")
    if readings:
        out.append('<p class="small">Readings used: ' +
                   "; ".join(f"{e(k)}: {e(v)}" for k, v in readings.items()) + "</p>")
    out.append("<table><tr><th>clause</th><th>decision and the words</th><th>who decides</th>"
               "<th>who has what say (Z3)</th></tr>")
    for r in rules:
        who = f"{get(r, 'threshold', default='')} of {get(r, 'voters', default='')} by {get(r, 'basis', default='')}"
        req = get(r, "requires", default=[]) or []
        if req:
            who += "; also " + ", ".join(str(x) for x in req)
        power = get(r, "power", default={}) or {}
        say = "; ".join(f"{k}: {get(v, 'power', default=v) if isinstance(v, Mapping) else v}" for k, v in power.items()) \
            if isinstance(power, Mapping) else str(power)
        out.append(f"<tr><td>{e(get(r, 'clause', default=''))}</td><td>{e(get(r, 'decision', default=''))}"
                   f"<div class='small'><i>&ldquo;{e(get(r, 'quote', default=''))}&rdquo;</i></div></td>"
                   f"<td>{e(who.replace('_', ' '))}</td><td class='small'>{e(say)}</td></tr>")
    out.append("</table>")
    out.append(f"<details><summary>Full result</summary><pre>{e(dumps(data))}</pre></details>")
    return _section("consent", "Consent analysis", "\n".join(out))


def _render_consent_generic(part: Part) -> str:
    rows = consent_rows(part.data)
    if not rows:
        return _section("consent", "Consent analysis", f"<pre>{e(dumps(plain(part.data)))}</pre>")
    keys: list[str] = []
    for r in rows:
        for k, v in r.items():
            if k not in keys and not isinstance(v, (Mapping, list)) and k != "quote":
                keys.append(k)
    keys = keys[:7]
    body = ["<table><tr>" + "".join(f"<th>{e(k)}</th>" for k in keys) + "</tr>"]
    for r in rows:
        body.append("<tr>" + "".join(f"<td>{e(r.get(k, ''))}</td>" for k in keys) + "</tr>")
    body.append("</table>")
    body.append(f"<details><summary>Full result</summary><pre>{e(dumps(plain(part.data)))}</pre></details>")
    return _section("consent", "Consent analysis", "\n".join(body))


def render_scenario(part: Part | None, name: str, timeline_svg: str | None) -> str:
    if part is None or part.status == "skipped" or (part.status == "ok" and part.data is None):
        return ""
    na = _unavailable(part)
    title = f"Scenario: {name}" if name else "Scenario"
    if na is not None:
        return _section("scenario", title, na)
    d = part.data["json"]
    out = []
    if isinstance(d, Mapping) and "total" in d:
        out.append(f'<div class="cards"><div class="card"><div class="n">{e(_money(d["total"]))}</div>'
                   f'<div class="l">2(c) payments owed by {e(d.get("as_of"))}</div>'
                   f'<div class="small">reading {e(d.get("reading"))}; months {e(d.get("month_convention"))}</div></div>'
                   + "".join(f'<div class="card"><div class="n">{e(_money(v))}</div><div class="l">reading {e(k)}</div></div>'
                             for k, v in (d.get("readings") or {}).items() if k != d.get("reading")) + "</div>")
        rows = []
        for cid, c in (d.get("details") or {}).items():
            periods = "; ".join(f"{r['start']} to {r['end']} ({r['days']} days)" for r in c.get("periods", [])) or "none"
            excl = c.get("excluded")
            ex = (f'<div class="small">excluded ({e(excl.get("element"))}): ' +
                  e("; ".join(f"{r['start']} to {r['end']}" for r in excl.get("periods", []))) + "</div>") if excl else ""
            rows.append(f"<tr><td>{e(cid)}</td><td>{e(c.get('months'))}</td><td>{e(_money(c.get('amount', 0)))}</td>"
                        f"<td>{e(periods)}{ex}</td></tr>")
        if rows:
            out.append("<h3>Section 2(c) components</h3><table><tr><th>component</th><th>months</th><th>amount</th>"
                       "<th>periods counted</th></tr>" + "".join(rows) + "</table>")
        br = d.get("breaches") or []
        if br:
            out.append("<h3>Deadlines missed</h3><table><tr><th>clause</th><th>duty</th><th>due</th><th>done</th>"
                       "<th>late</th></tr>" + "".join(
                           f"<tr><td>{e(b['clause'])}</td><td>{e(b['element'])}<div class='small'><i>&ldquo;{e(b['quote'])}"
                           f"&rdquo;</i></div></td><td>{e(b['due'])}</td><td>{e(b['actual'] or 'not by as-of date')}</td>"
                           f"<td>{e(b['late_days'])} {e(b['basis'])} days</td></tr>" for b in br) + "</table>")
        vi = d.get("violations") or []
        if vi:
            out.append("<h3>What the scenario does that the agreement does not allow</h3><ul>" +
                       "".join(f"<li>{e(v['section'])}: {e(v['message'])}</li>" for v in vi) + "</ul>")
    if timeline_svg:
        out.append(f"<figure>{timeline_svg}</figure>")
    out.append(f"<details><summary>Full result</summary><pre>{e(dumps(d))}</pre></details>")
    return _section("scenario", title, "\n".join(out))


def render_coverage(part: Part | None) -> str:
    na = _unavailable(part)
    if na is not None or part is None:
        return _section("coverage", "Coverage", na or "")
    data = part.data
    s = data["summary"]
    out = [f"<p>{e(s['numbered'])} numbered clauses: <b>{e(s['formalized'])}</b> formalized, "
           f"{e(s['not_formalized'])} not formalized (each with its reason); {e(s['elements'])} cited elements. "
           f"Quote problems: {e(len(s['quote_problems']))}. Parameters no rule reads: "
           f"{e(', '.join(s['unread_parameters']) or 'none')}.</p>"]
    if s.get("overridden"):
        out.append(f"<p>Overridden parameters (a redraft): {e(', '.join(s['overridden']))}.</p>")
    out.append("<table><tr><th>clause</th><th>heading</th><th>status</th><th>elements / reason</th></tr>")
    for c in data["clauses"]:
        kinds: dict[str, int] = {}
        for el in c["elements"]:
            kinds[el["kind"]] = kinds.get(el["kind"], 0) + 1
        what = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items())) \
            if c["status"] == "formalized" else c["reason"]
        out.append(f"<tr id='clause-{e(c['id'])}'><td>{e(c['id'])}</td><td>{e(c['heading'] or '')}</td>"
                   f"<td>{badge(c['status'])}</td><td>{e(what)}</td></tr>")
    out.append("</table>")
    return _section("coverage", "Coverage", "\n".join(out))


def render_parameters(agreement: Agreement) -> str:
    params = agreement.params
    rows = ["<table><tr><th>parameter</th><th>value</th><th>clause</th><th>words of the agreement</th></tr>"]
    for p in agreement.parameters():
        mark = " (overridden)" if p.id in params.overridden else ""
        unit = f" {p.basis + ' ' if p.basis and p.basis != 'calendar' else ''}{p.unit}" if p.unit in {"days", "months"} else ""
        rows.append(f"<tr><td>{e(p.id)}</td><td>{e(p.value)}{e(unit)}{e(mark)}</td><td>{e(p.clause)}</td>"
                    f"<td><i>{e(p.quote)}</i></td></tr>")
    rows.append("</table>")
    return _section("parameters", "Parameters (every number the agreement sets)",
                    "<details><summary>Show the parameters</summary>" + "".join(rows) + "</details>")


def render_diagrams(part: Part | None) -> str:
    na = _unavailable(part)
    if na is not None or part is None:
        return _section("diagrams", "Diagrams", na or "")
    out = ['<p class="small">Hover over a box to read the words of the agreement it formalizes. DOT sources and '
           "SVG files are in the diagrams/ folder beside this page.</p>"]
    for i, d in enumerate(part.data["drawings"]):
        body = f'<div class="diagram">{d["svg"]}</div>'
        if i == 0:
            out.append(f"<h3>{e(d['title'])}</h3>{body}")
        else:
            out.append(f"<details><summary>{e(d['title'])}</summary>{body}</details>")
    if part.data.get("definitions_source"):
        out.append(f'<p class="small">Definitions graph built by {e(part.data["definitions_source"])}.</p>')
    return _section("diagrams", "Diagrams", "\n".join(out))


def render_html(parts: Mapping[str, Part], agreement: Agreement, scenario_name: str = "",
                timelines: Mapping[str, str] | None = None, notes: Mapping[str, str] | None = None,
                comparison: Mapping[str, Any] | None = None) -> str:
    """The whole page. `timelines` maps "exposure", "scenario", "sensitivity", "invariant:<id>" to inline SVG;
    `comparison` is `rra diff --json` data against an earlier text (`rra report --against OLD`)."""
    params = agreement.params
    tl = dict(timelines or {})
    inv_tl = {k.split(":", 1)[1]: v for k, v in tl.items() if k.startswith("invariant:")}
    body = [
        render_summary(parts),
        *([render_comparison(comparison)] if comparison is not None else []),
        render_scenario(parts.get("scenario"), scenario_name, tl.get("scenario")),
        render_findings(parts.get("findings")),
        render_invariants(parts.get("invariants"), inv_tl),
        render_exposure(parts.get("exposure"), parts.get("sensitivity"), tl.get("exposure"), tl.get("sensitivity"),
                        (notes or {}).get("exposure", "")),
        render_consent(parts.get("consent")),
        render_coverage(parts.get("coverage")),
        render_diagrams(parts.get("diagrams")),
        render_parameters(agreement),
    ]
    nav = "".join(f'<a href="#{k}">{e(t)}</a>' for k, t in (
        ("summary", "Summary"), ("findings", "Findings"), ("invariants", "Invariants"), ("exposure", "Exposure"),
        ("consent", "Consent"), ("coverage", "Coverage"), ("diagrams", "Diagrams"), ("parameters", "Parameters")))
    if any(b.startswith('<section id="scenario"') for b in body):
        nav = nav.replace('<a href="#findings">', '<a href="#scenario">Scenario</a><a href="#findings">', 1)
    if comparison is not None:
        nav = nav.replace('<a href="#findings">', '<a href="#comparison">Changes</a><a href="#findings">', 1)
    redraft = f" Redraft: {e(', '.join(f'{k}={params[k]}' for k in params.overridden))}." if params.overridden else ""
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Registration Rights Agreement of 9 May 2003 &mdash; review</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<header>\n"
        "<h1>Registration Rights Agreement of 9 May 2003 &mdash; formal review</h1>\n"
        "<p>Amnis Systems Inc. and its debenture and warrant investors. Every result below cites the clause and "
        "the words it rests on.</p>\n"
        f"<p>Text analysed: {e('the bundled agreement' if agreement.bundled else agreement.source.name)} "
        f"(sha256 {e(agreement.source.sha256[:16])}&hellip;).{redraft}</p>\n</header>\n"
        f"<nav>{nav}</nav>\n<main>\n" + "".join(body) + "</main>\n"
        "<footer>Generated by rra. Self-contained: no scripts, fonts or network.</footer>\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------------------------- timelines


def timelines_for(parts: Mapping[str, Part]) -> dict[str, str]:
    """Inline SVG timelines and charts for the parts that have something dated to draw. A chart that cannot be
    drawn is left out and its part's message says why; it never stops the page."""
    from rra.visualize import timeline as tlm

    jobs: list[tuple[str, str, Callable[[], str | None]]] = []

    def timeline_of(make: Callable[[], Any]) -> Callable[[], str | None]:
        def draw() -> str | None:
            t = make()
            return tlm.timeline_svg(t) if t is not None else None
        return draw

    sc = parts.get("scenario")
    if sc is not None and sc.status == "ok" and sc.data is not None:
        jobs.append(("scenario", "scenario", timeline_of(
            lambda: evaluation_timeline(sc.data["evaluation"], "Scenario", sc.data["accrual"]))))
    ex = parts.get("exposure")
    if ex is not None and ex.status == "ok" and ex.data.get("evaluation") is not None:
        jobs.append(("exposure", "exposure", timeline_of(
            lambda: evaluation_timeline(ex.data["evaluation"], "Worst case", ex.data["accrual"]))))
    sens = parts.get("sensitivity")
    if sens is not None and sens.status == "ok":
        jobs.append(("sensitivity", "sensitivity", lambda: sensitivity_svg(sens.data)))
    inv = parts.get("invariants")
    if inv is not None and inv.status == "ok":
        try:
            rows = invariant_rows(inv.data)
        except Exception:  # noqa: BLE001 - the invariants part shows the problem itself
            rows = []
        for r in rows:
            if r["status"] == "refuted":
                jobs.append(("invariants", f"invariant:{r['id']}", timeline_of(partial(counterexample_timeline, r))))
    out: dict[str, str] = {}
    for part_key, key, draw in jobs:
        try:
            svg = draw()
        except Exception as exc:  # noqa: BLE001
            p = parts[part_key]
            p.message = (p.message + "; " if p.message else "") + f"chart not drawn: {type(exc).__name__}: {exc}"
            continue
        if svg:
            out[key] = svg
    return out


EVENT_LANES = {"allowed_delays": "allowed_delay", "blocked": "sales_blocked", "sales_blocked": "sales_blocked",
               "not_listed": "not_listed", "stop_orders": "stop_order", "investor_delays": "investor_delay"}
EVENT_MARKS = {"pfed": "pfed", "rs_filed": "filed", "rs_effective": "effective", "as_of": "as_of"}


def counterexample_timeline(row: Mapping[str, Any]) -> Any:
    """A refuted invariant's counterexample as a timeline: its dated events (`{"date", "event", "id", "clause"}`
    rows, periods as "... from" and "... until" pairs, deadlines as "deadline: ...")."""
    title = f"Counterexample to {row['id']}"
    cex = get(row.get("raw", {}), "counterexample")
    if not isinstance(cex, list):
        return None
    from rra.visualize.timeline import Mark, Span, Timeline

    marks: list[Mark] = []
    spans: list[Span] = []
    open_: dict[str, tuple[date, str]] = {}
    for ev in cex:
        d = _date(get(ev, "date"))
        if d is None:
            continue
        text, rid = str(get(ev, "event", default="")), str(get(ev, "id", default=""))
        base = rid.split("[")[0]
        if text.endswith(" from"):
            open_[rid] = (d, text[: -len(" from")])
        elif text.endswith(" until") and rid in open_:
            start, label = open_.pop(rid)
            spans.append(Span(EVENT_LANES.get(base, label), start, d, label))
        elif text.startswith("deadline: "):
            marks.append(Mark(d, text[len("deadline: "):], "deadline"))
        else:
            marks.append(Mark(d, text, EVENT_MARKS.get(base, "other")))
    for rid, (start, label) in open_.items():
        spans.append(Span(EVENT_LANES.get(rid.split("[")[0], label), start, start, label))
    if not marks and not spans:
        return None
    return Timeline(title, tuple(marks), tuple(spans), note=str(row.get("statement") or ""))


def exposure_check(part: Part | None) -> str:
    """The evaluator's own count of the worst-case timeline, next to the optimizer's optimum."""
    if part is None or part.status != "ok" or part.data.get("evaluation") is None:
        return ""
    amount = exposure_amount(part.data)
    if amount is None:
        return ""
    counted = float(part.data["evaluation"].total)
    same = abs(counted - amount) < 0.01
    return (f"Cross-check: the scenario evaluator, counting this timeline on its own, finds {_money(counted)}"
            + (" — the same amount." if same else f" — NOT the optimizer's {_money(amount)}."))


def evaluation_timeline(ev: Any, title: str, accrual: Iterable[tuple[date, Any]] = ()) -> Any:
    """The dated chart of an evaluated scenario: filing, effectiveness, the 2(c) deadlines and every missed one,
    the periods (Allowed Delays split at the 3(f) caps), and what 2(c) payments are owed as time goes on."""
    from rra.visualize.timeline import Mark, Span, Timeline

    s = ev.scenario
    marks = [Mark(s.as_of, "as of", "as_of"), Mark(ev.filing_date, "Filing Date", "deadline"),
             Mark(ev.effectiveness_deadline, "2(c) effectiveness deadline", "deadline")]
    for label, kind, d in (("PFED", "pfed", s.prior_financing_effective), ("filed", "filed", s.filed),
                           ("effective", "effective", s.effective)):
        if d is not None and d <= s.as_of:
            marks.append(Mark(d, label, kind))
    shown = {m.day for m in marks if m.kind == "deadline"}
    for b in ev.breaches:
        if b.due not in shown:
            marks.append(Mark(b.due, f"{b.clause} due", "deadline"))
            shown.add(b.due)
    spans: list[Span] = []
    comp_i = ev.components.get("2(c)(i)")
    for r in getattr(comp_i, "periods", ()):
        spans.append(Span("late", r.start, r.end, "counted for 2(c)(i)"))
    for fld, lane in SPAN_FIELDS.items():
        for per in getattr(s, fld, ()):
            spans.append(Span(lane, per.start, per.end))
    allowed = [(r.start, r.end) for r in ev.allowed_delay_days]
    for per in s.allowed_delays:
        for a, b in _minus((per.start, per.end), allowed):
            spans.append(Span("allowed_delay_excess", a, b, "beyond the 3(f) caps: counts for 2(c)(ii)"))
    pays = [(day, round(float(amount), 2)) for day, amount in accrual]
    note = (f"Outstanding Principal Amount {_money(float(ev.principal))}; reading {ev.reading}; months "
            f"{ev.month_convention}; total owed by {s.as_of.isoformat()}: {_money(float(ev.total))}")
    name = f": {s.name}" if s.name and s.name.lower() not in title.lower() else ""
    return Timeline(f"{title}{name}", tuple(marks), tuple(spans), tuple(pays), note=note)


SPAN_FIELDS = {"investor_delays": "investor_delay", "sales_blocked": "sales_blocked", "stop_orders": "stop_order",
               "allowed_delays": "allowed_delay", "not_listed": "not_listed"}


def _minus(span: tuple[date, date], cuts: list[tuple[date, date]]) -> list[tuple[date, date]]:
    from datetime import timedelta

    out = [span]
    for ca, cb in cuts:
        nxt = []
        for a, b in out:
            if cb < a or ca > b:
                nxt.append((a, b))
                continue
            if a < ca:
                nxt.append((a, ca - timedelta(days=1)))
            if cb < b:
                nxt.append((cb + timedelta(days=1), b))
        out = nxt
    return out


def _date(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def sensitivity_svg(data: Any) -> str | None:
    """A line chart of a sweep (solver/sweep.py's run_sweep shape): the worst case and its components against
    the swept assumption or parameter."""
    from rra.visualize.timeline import Series, line_chart_svg

    points = [p for p in get(data, "points", default=[]) or [] if get(p, "optimum") is not None]
    if not points:
        return None
    xs: list[float] = []
    is_date = False
    for p in points:
        v = get(p, "value")
        d = _date(v) if isinstance(v, str) else None
        if d is not None:
            is_date = True
            xs.append(float(d.toordinal()))
        else:
            try:
                xs.append(float(v))
            except (TypeError, ValueError):
                return None
    names = {"optimum": "worst case", "i": "2(c)(i) late", "ii": "2(c)(ii) blocked", "iii": "2(c)(iii) not listed",
             "with_allowed_delays": "with Allowed Delays (max-min)"}
    series = []
    for key, label in names.items():
        pts = tuple((x, float(get(p, key))) for x, p in zip(xs, points, strict=True) if get(p, key) is not None)
        if pts:
            series.append(Series(label, pts))
    name = str(get(data, "name", default="value"))
    fmt = (lambda v: date.fromordinal(int(v)).isoformat()) if is_date else None
    return line_chart_svg(f"Worst case as {name} changes", name, "worst-case payments", series, x_format=fmt)


# --------------------------------------------------------------------------------------------- write


@dataclass
class Written:
    """What `build` wrote."""

    out: Path
    files: list[str]
    parts: dict[str, Part]
    seconds: float


def render_comparison(comparison: Mapping[str, Any]) -> str:
    """What the text changes from an earlier one (`rra report --against OLD`), rendered by rra.visualize.diff_html
    from the `rra diff --json` data the command computed."""
    from rra.visualize.diff_html import section

    return section(dict(comparison))


def build(out: str | os.PathLike[str], agreement: Agreement, scenario_file: str | None = None,
          stream: Any = None, comparison: Mapping[str, Any] | None = None) -> Written:
    """Collect everything, render the page and write the folder atomically (temp folder, then swap). `comparison`:
    `rra diff --json` data against an earlier text, shown as its own section and kept in report.json."""
    t0 = time.perf_counter()
    target = check_output_dir(os.fspath(out), "--out", MARKER, "rra report")
    ctx = Context(agreement, scenario_file)
    if scenario_file:
        ctx.scenario = load_scenario(scenario_file, agreement.params)
    parts = collect(agreement, stream=stream, ctx=ctx)
    scenario = ctx.scenario
    tls = timelines_for(parts)
    name = str(getattr(scenario, "name", "") or "") if scenario is not None else ""
    html = render_html(parts, agreement, name, tls, {"exposure": exposure_check(parts.get("exposure"))}, comparison)
    files: dict[str, str | bytes] = {"index.html": html, MARKER: "written by rra report\n"}
    d = parts.get("diagrams")
    if d is not None and d.status == "ok":
        for dr in d.data["drawings"]:
            files[f"diagrams/{dr['name']}.dot"] = dr["dot"]
            files[f"diagrams/{dr['name']}.svg"] = dr["svg_file"]
    for key, svg in tls.items():
        files[f"timelines/{key.replace(':', '-').replace('/', '_')}.svg"] = svg
    files["report.json"] = dumps({**report_json(parts, agreement),
                                  **({"comparison": comparison} if comparison is not None else {})})
    write_folder(target, files, "--out")
    return Written(target, sorted(files), parts, time.perf_counter() - t0)


def report_json(parts: Mapping[str, Part], agreement: Agreement) -> dict[str, Any]:
    """The data behind the page (stable: no timings)."""
    out: dict[str, Any] = {"parts": {}, "overridden": list(agreement.params.overridden),
                           "agreement": agreement.describe()}
    for k, p in parts.items():
        entry: dict[str, Any] = {"status": p.status, "message": p.message}
        if p.status == "ok" and k == "exposure":
            entry["data"] = plain({kk: vv for kk, vv in p.data.items() if kk not in ("evaluation", "accrual")})
        elif p.status == "ok" and k == "scenario":
            entry["data"] = p.data["json"]
        elif p.status == "ok" and k != "diagrams":
            entry["data"] = plain(p.data)
        if k == "diagrams" and p.status == "ok":
            entry["data"] = {"drawings": [d["name"] for d in p.data["drawings"]],
                             "definitions_source": p.data["definitions_source"]}
        out["parts"][k] = entry
    return out


__all__ = ["NOT_YET", "Part", "RraError", "build", "collect", "render_html"]
