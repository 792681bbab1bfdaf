"""The review as one self-contained HTML page (`rra report`), and its PDF (`rra report --pdf`).

`collect()` runs each analysis once on the agreement given (the bundled one or a draft), each part in its own
try block: a part that fails shows its error, and the page is always written. `render_html()` turns the
collected results into index.html, section by section (SECTIONS, in the order its readers want them: the
partner's high-severity problems and the risk analyst's worst case first, the appendices last): inline CSS and
SVG only (no scripts, fonts or network; a Content-Security-Policy says so to the browser), every piece of text
from the agreement, a scenario or an analysis passed through html.escape.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from rra.spec.agreement import Agreement
from rra.spec.clauses import readable_ids
from rra.spec.overrides import ParameterSet
from rra.visualize import fmt
from rra.visualize.report_html import (
    APPENDICES,
    NOT_YET,
    Page,
    Part,
    Section,
    e,
    render_appendix,
    render_consent,
    render_coverage,
    render_diagrams,
    render_exposure,
    render_findings,
    render_invariants,
    render_parameters,
    render_scenario,
    render_technical,
    render_top,
)

from rra.errors import RraError, Withheld
from rra.limits import check_output_dir
from rra.output import dumps, listed, progress, to_jsonable, write_folder

MARKER = ".rra-report"  # a file in every report folder, so --out never replaces a folder it did not write


# --------------------------------------------------------------------------------------------- collect


@dataclass
class Context:
    """What every part reads: the agreement, an optional scenario, and results shared between parts."""

    agreement: Agreement
    scenario_file: str | None = None
    scenario: Any = None
    shared: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.shared is None:
            self.shared = {}

    @property
    def params(self) -> ParameterSet:
        """The agreement's parameter values."""
        return self.agreement.params


def _shared(ctx: Context) -> dict[str, Any]:
    assert ctx.shared is not None
    return ctx.shared


def part_coverage(ctx: Context) -> Any:
    from rra.spec.coverage import coverage

    return coverage(ctx.agreement)


def part_findings(ctx: Context) -> Any:
    """Every analysis's findings, each analysis isolated so one failure does not hide the others."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext, sort_findings
    from rra.solver.proofs import outcome_of

    cctx = CheckContext(ctx.agreement)
    found = []
    withheld = []
    ran: dict[str, str] = {}
    outcomes: dict[str, Any] = {}
    # the drafting review (no Z3) is made by the consent worker when there is one, after its diagrams; it is
    # collected last, with the consent analysis
    later = ["text"] if "consent_future" in _shared(ctx) else []
    for name in [n for n in ANALYSES if n not in later] + later:
        try:
            if name == "consent":
                # the consent analysis runs once (maybe in the background); its findings come from that result
                consent_data(ctx)
                out = _shared(ctx)["consent_outcome"]
            elif name == "proofs":
                out = outcome_of(ctx.agreement, verdicts(ctx))  # proved once for this part and the invariants part
            elif name in later:
                # the consent entry above collected the worker's result; made here if the review or the worker
                # failed there (a failed consent analysis is the consent entry's to report, not the review's)
                out = _shared(ctx).get("text_outcome") or ANALYSES[name](cctx)
            elif name == "z3" and "proofs_future" in _shared(ctx):
                out = _z3_beside_the_worker(ctx, cctx)
            elif name == "exposure":
                background(ctx, "exposure_outcome")
                out = _shared(ctx).get("exposure_outcome") or ANALYSES[name](cctx)  # made here if it failed there
            else:
                out = ANALYSES[name](cctx)
        except Exception as exc:  # noqa: BLE001 - one failing analysis must not take the page down
            outcomes[name] = f"failed: {type(exc).__name__}: {exc}"
            continue
        outcomes[name] = out
    for name in ANALYSES:  # in the analyses' own order, wherever they were made
        out = outcomes[name]
        if isinstance(out, str):
            ran[name] = out
            continue
        found.extend(out.findings)
        withheld.extend(out.withheld)
        ran[name] = fmt.plural(len(out.findings), "finding")
    data: dict[str, Any] = {"findings": [f.to_json() for f in sort_findings(found)], "analyses": ran,
                            "withheld": [w.to_json() for w in withheld]}
    from rra.visualize.memo_html import memo_for_report

    # the findings section is the review memo; its redline checks' other process is the proofs worker when there is
    # one (it remembers Z3's answers to the proofs; the Z3 checks ran here)
    proofs = ProofsProcess(ctx) if "proofs_future" in _shared(ctx) else None
    failed = tuple(n for n in ANALYSES if isinstance(outcomes.get(n), str))  # not run again on the redlined texts
    data["memo"] = memo_for_report(ctx.agreement, data["findings"], proofs, PROOFS_BESIDE if proofs else None, failed)
    return data


def verdicts(ctx: Context) -> Any:
    """The invariant catalogue's verdicts, proved once: by the background process when one was started, else here
    (the findings part asks first, so that the Z3 work in this process comes in the same order either way)."""
    from rra.solver.invariants import check_all

    shared = _shared(ctx)
    background(ctx, "verdicts")
    if "verdicts" not in shared:
        shared["verdicts"] = check_all(ctx.agreement)
    return shared["verdicts"]


def _z3_beside_the_worker(ctx: Context, cctx: Any) -> Any:
    """The Z3 checks when the proofs worker was started: the kinds of Z3_APART from the worker, which asks them first
    (as `rra check`'s worker does: the same witnesses), the others here; the worker's are made here if they failed
    there."""
    from rra.solver.provisions import Z3_APART, merged_apart, z3_analysis, z3_beside

    here = z3_analysis(cctx, z3_beside())
    background(ctx, "z3_apart")
    there = _shared(ctx).get("z3_apart") or z3_analysis(cctx, Z3_APART)
    return merged_apart(ctx.agreement, there, here)


# what the second process sends, in order
BACKGROUND = ("z3_apart", "exposure", "exposure_outcome", "verdicts", "sensitivity")
# What the proofs worker makes of the memo's combined redline run (rra.solver.memo_check.COMBINED): as `rra check`'s
# worker, what reads its remembered answers (the Z3 checks of Z3_APART and the proofs) and the consent analysis (run by
# neither process); the other Z3 checks ran here.
PROOFS_BESIDE = ("z3:remedy", "proofs", "consent")


class ProofsProcess:
    """The second background process as the memo's redline checks' other process (rra.solver.memo_check.Worker): the
    job is sent to it at once and made there after the sensitivity sweep; its value is read after what the process
    sends before it (BACKGROUND). If the process cannot take or make the job, it is made here."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.job: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
        self.sent = False

    def apply_async(self, func: Callable[..., Any], args: tuple[Any, ...]) -> ProofsProcess:
        """Send the job to the process (made here at `get` if that fails). The agreement, the job's first argument,
        is not sent: the process was forked with it (`_proofs_job`)."""
        if not args or args[0] is not self.ctx.agreement:
            raise ValueError("the proofs process takes jobs on the agreement it was started with")
        self.job = (func, args)
        future = _shared(self.ctx).get("proofs_future")
        if future is not None:
            with contextlib.suppress(OSError):  # the process has ended: `get` makes the job here
                future.send((func, args[1:]))
                self.sent = True
        return self

    def get(self) -> Any:
        """The job's value: from the process, after collecting what it sends before it; made here if the process
        cannot give it (it ended, or the job failed there: an error of the job itself is then raised here)."""
        if self.job is None:
            raise RuntimeError("no job was sent")
        shared = _shared(self.ctx)
        future = shared.pop("proofs_future", None)
        if future is not None:
            try:
                _collect(shared, future, BACKGROUND[-1])
                if self.sent:
                    return future.next_part()
            except Exception:  # noqa: BLE001, S110 - made here below; the parts not collected are made by their parts
                pass
            finally:
                future.close()
        func, args = self.job
        return func(*args)


def background(ctx: Context, upto: str = "sensitivity") -> None:
    """Collect the second background process's results in the order it sends them (BACKGROUND: the worst case
    first, then the verdicts as soon as they are proved, then the sensitivity sweep) up to `upto`, each once; an
    exception it raised is raised here, in the part that asked first."""
    shared = _shared(ctx)
    future = shared.get("proofs_future")
    if future is None:
        return
    finished = upto == BACKGROUND[-1]  # the worker is ended once it has sent everything, or failed
    try:
        _collect(shared, future, upto)
    except BaseException:
        finished = True
        raise
    finally:
        if finished:
            shared.pop("proofs_future", None)
            future.close()


def _collect(shared: dict[str, Any], future: Any, upto: str) -> None:
    """What the second background process sends (BACKGROUND, in order) up to `upto`, each kept in `shared` once."""
    for key in BACKGROUND[:BACKGROUND.index(upto) + 1]:
        if key not in shared:
            shared[key] = future.next_part()


def part_invariants(ctx: Context) -> Any:
    """Every claim of the catalogue, proved or refuted (one deterministic counterexample each: the same as
    `rra prove` and `rra prove --only`), with what went wrong in words."""
    from rra.solver.invariant_words import failure

    specs = {s.id: s for s in ctx.agreement.invariants}
    rows = []
    for v in verdicts(ctx):
        row = v.to_json()
        row["failure"] = failure(specs[v.id], v.counterexample or [], ctx.agreement) if v.status == "refuted" else ""
        rows.append(row)
    return {"verdicts": rows}


def part_exposure(ctx: Context) -> Any:
    """The worst case under the agreement's default assumption set: from the second background process when one
    was started, else made here (`exposure_data`)."""
    background(ctx, "exposure")
    shared = _shared(ctx)
    return shared["exposure"] if shared.get("exposure") is not None else exposure_data(ctx.agreement)


def exposure_data(agreement: Agreement) -> Any:
    """The worst case under the agreement's default assumption set, with and without the Company's best Allowed
    Delays (both labelled, solver/maxmin.py), each figure's timeline evaluated again by the plain evaluator (the
    cross-check, the days counted and the dated charts)."""
    from rra.solver import assumptions
    from rra.solver.evaluator import accrual, evaluate
    from rra.solver.exposure import to_scenario
    from rra.solver.maxmin import exposure

    a = assumptions.load(None)
    ex = exposure(a, agreement)
    res = ex.result
    data = dict(res.to_json(agreement.params))
    evaluations: dict[str, Any] = {}
    accruals: dict[str, Any] = {}
    days: dict[str, dict[str, int]] = {}
    for fig in (ex.worst_case, ex.with_allowed_delays):
        if fig.timeline is None:
            continue
        sc = to_scenario(fig.timeline, fig.principal, list(fig.allowed_delays) or None)
        ev = evaluate(sc, agreement, res.reading)
        evaluations[fig.key] = ev
        accruals[fig.key] = accrual(sc, agreement, res.reading)
        per = {cid.split("(")[-1].rstrip(")"): sum(r.days for r in comp.periods) for cid, comp in ev.components.items()}
        days[fig.key] = {**per, "total": sum(per.values())}
    descriptions = {r.name: r.description for r in agreement.model.readings}
    readings = [{"name": k, "description": descriptions.get(k, k), "amount": v}
                for k, v in data.get("readings", {}).items()]
    return {"exposure": data, "assumptions": a, "assumption_rows": assumption_rows(a),
            "assumption_source": a.name, "evaluations": evaluations, "accruals": accruals, "days": days,
            "readings": readings, "captions": {k: exposure_caption(v, k) for k, v in evaluations.items()}}


def assumption_rows(a: Any) -> list[tuple[str, str, str]]:
    """Each assumption as (what it is, its value in words, what it bounds), from the set and its documented
    fields (solver/assumptions.py FIELDS)."""
    from rra.solver.assumptions import ANY_DAY, DELAY_DAYS, FIELDS, SUMMED

    rows = []
    for attr, (_path, kind, raw) in FIELDS.items():
        if attr in ("name", "description", "grid_days", "allowed_delays"):
            continue
        v = getattr(a, attr)
        doc = raw if kind == "periods" else raw.replace("max_days", "the longest period allowed")
        if kind == "periods":
            head, _, rest = doc.partition(":")
            value = "none" if not v.max_count else (
                f"at most {v.max_count}, each up to {fmt.plural(v.max_days, 'day')}")
            what = rest.replace("at most max_count orders, each lasting at most max_days. ", "").replace(
                "at most max_count, each at most max_days. ", "").replace(
                "at most max_count, each at most max_days.", "").strip() or head
            rows.append((head.strip(), value, fmt.sentence(what) if what != head else ""))
            continue
        first, _, rest = doc.partition(". ")
        name = first.rstrip(".")
        if ": " in name:  # "Horizon: payments are counted ..." -> the name, then what it means
            name, _, lead = name.partition(": ")
            rest = f"{lead}. {rest}" if rest else lead
        if kind == "date":
            value = fmt.day(v)
        elif kind == "bool":
            value = "yes" if v else "no"
        elif attr == "principal":
            value = fmt.money(v)
        elif attr.endswith("days") or attr.endswith("_days_late"):
            value = fmt.plural(int(v), "day")
        else:
            value = str(v)
        rows.append((name, value, fmt.sentence(rest) if rest else ""))
    rows.append(("Days on which events fall", "any calendar day", ANY_DAY))
    rows.append(("Parts of 2(c) on the same day", "added", SUMMED))
    rows.append(("Days an Allowed Delay excludes", "every calendar day it spans", DELAY_DAYS))
    return rows


COMPONENT_NAMES = {"2(c)(i)": "late filing or effectiveness", "2(c)(ii)": "sales blocked",
                   "2(c)(iii)": "not listed or halted"}


def exposure_caption(ev: Any, key: str) -> str:
    """What goes wrong on a worst-case timeline, in words: the missed deadline and the periods, with their amounts."""
    s = ev.scenario
    parts = []
    if s.effective is not None and s.effective > ev.effectiveness_deadline:
        parts.append(f"the statement is filed on {fmt.day(s.filed)} but declared effective only on "
                     f"{fmt.day(s.effective)}, {fmt.plural((s.effective - ev.effectiveness_deadline).days, 'day')} "
                     f"after the effectiveness deadline of {fmt.day(ev.effectiveness_deadline)}")
    per = []
    for label, fld in (("stop order", "stop_orders"), ("period of blocked sales", "sales_blocked"),
                       ("delisting or trading halt", "not_listed")):
        for p in getattr(s, fld, ()):
            per.append(f"a {label} from {fmt.span(p.start, p.end)}")
    if per:
        parts.append("then " + listed(per))
    if key == "worst_case_with_allowed_delays" and s.allowed_delays:
        parts.append(f"the Company answers with {fmt.plural(len(s.allowed_delays), 'Allowed Delay')} (green)")
    comps = "; ".join(f"{cid} {COMPONENT_NAMES.get(cid, '')}: {fmt.money(float(c.amount))}"
                      for cid, c in ev.components.items() if c.amount)
    return fmt.sentence("; ".join(parts)) + f" Owed by {fmt.day(s.as_of)}: {fmt.money(float(ev.total))} ({comps})."


# The sensitivity the page plots: how the worst case grows with the longest SEC review the assumptions allow.
SENSITIVITY_SWEEP = "sec.review_max_days=30:360:30"


def part_sensitivity(ctx: Context) -> Any:
    """The sensitivity sweep: from the background process when one was started, else here."""
    background(ctx)
    shared = _shared(ctx)
    found = shared.get("sensitivity")
    return found if found is not None else sensitivity_data(ctx.agreement)


def sensitivity_data(agreement: Agreement) -> Any:
    """How the worst case grows with the longest SEC review the assumptions allow (SENSITIVITY_SWEEP)."""
    from rra.solver import assumptions, sweep

    spec = sweep.parse_sweep(SENSITIVITY_SWEEP, agreement)
    data = dict(sweep.run_sweep(spec, assumptions.load(None), agreement, workers=1))
    data["points"] = [{k: v for k, v in p.items() if k != "seconds"} for p in data.get("points", [])]
    reasons = {".".join(path): doc for _attr, (path, _kind, doc) in assumptions.FIELDS.items()}
    data["label"] = reasons.get(str(data.get("name")), str(data.get("name"))).rstrip(".")
    return data


def part_consent(ctx: Context) -> Any:
    """The consent analysis, with each rule's "who decides" in words (from the rule's limbs: solver/consent.py)."""
    from rra.solver.consent import book, who_decides
    from rra.solver.memo_build import clause_key

    data = dict(consent_data(ctx))
    bk = book(ctx.agreement)
    rows = []
    for r in data.get("rules", []):
        rule = bk.rules.get(r["id"])
        who = who_decides(rule, None, bk) if rule is not None else NOT_YET
        say: dict[str, list[str]] = {}
        for k, v in (r.get("power") or {}).items():
            power = str(v.get("power") if isinstance(v, Mapping) else v)
            say.setdefault(power, []).append("the Company" if k == "company" else k)
        rows.append({"id": r["id"], "clause": r.get("clause", ""), "decision": r.get("decision", ""),
                     "quote": r.get("quote", ""), "who": who, "say": sorted(say.items(), key=lambda kv: SAY_ORDER.get(
                         kv[0], 9))})
    data["rows"] = sorted(rows, key=lambda r: (clause_key(r["clause"]), r["id"]))
    chosen = {f"reading.consent.{axis}.{name}" for axis, name in (data.get("readings") or {}).items()}
    data["readings"] = [f"{r.description} ({r.clause})" for r in ctx.agreement.model.consent_readings if r.id in chosen]
    return data


SAY_ORDER = {"veto": 0, "vote, veto": 0, "vote, no veto": 1, "no say": 2, "unknown": 3}


def consent_data(ctx: Context) -> Any:
    """The consent analysis, run once: from the background process when one was started, else here. Its
    findings are derived from the same result (solver/consent_analysis.findings_from) for the findings part."""
    from rra.solver import consent_analysis
    from rra.solver.consent import book
    from rra.solver.findings import Outcome

    shared = _shared(ctx)
    if "consent" in shared:
        return shared["consent"]
    future = shared.pop("consent_future", None)
    if future is not None:
        data, issues, shared["diagrams"], shared["text_outcome"] = future.result()
        consent_analysis.remember_issues(ctx.agreement, issues)  # the memo's consent section, not reviewed again
    else:
        data = consent_analysis.analyze(ctx.agreement, progress=progress)
    bk = book(ctx.agreement)
    shared["consent_outcome"] = Outcome(consent_analysis.findings_from(data, bk))
    shared["consent"] = data
    return data


def _consent_job(agreement: Agreement, diagrams: bool) -> tuple[Any, Any, Any, Any]:
    """In a worker process: the consent analysis, without progress bars (the parent draws its own), the memo's
    consent issues (which the parent would otherwise review again), then the diagrams when asked for, then the
    drafting review's findings (no Z3 in either: the same wherever they are made; None if they fail, and the parent
    makes them again to report it). The parent meanwhile runs the Z3 checks other than Z3_APART's."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.consent_analysis import analyze, consent_issues
    from rra.solver.findings import CheckContext

    data, issues = analyze(agreement), consent_issues(agreement)
    drawn = _or_none(diagrams_data, agreement) if diagrams else None
    return data, issues, drawn, _or_none(lambda a: ANALYSES["text"](CheckContext(a)), agreement)


def _proofs_job(agreement: Agreement) -> Iterator[Any]:
    """In a worker process, each sent as soon as it is made (BACKGROUND; None for what fails, which the parent makes
    again to report it): the Z3 checks of Z3_APART, asked first (as `rra check`'s worker asks them, so the witnesses
    are the same; the parent meanwhile asks the other kinds), the worst case under the default assumptions and its
    finding (no Z3 in the figures), the invariant catalogue's verdicts (for the invariants part and the memo's proofs), then the sensitivity
    sweep (no Z3 either: where it runs changes nothing in it; its default point reuses the worst case's tables);
    then the memo's redline checks' job the parent sends (ProofsProcess), if it sends one."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext
    from rra.solver.invariants import check_all
    from rra.solver.provisions import Z3_APART, z3_analysis

    from rra.workers import receive

    yield _or_none(lambda a: z3_analysis(CheckContext(a), Z3_APART), agreement)
    yield _or_none(exposure_data, agreement)
    yield _or_none(lambda a: ANALYSES["exposure"](CheckContext(a)), agreement)
    yield check_all(agreement)
    yield _or_none(sensitivity_data, agreement)
    job = receive()  # the memo check's job for this process (ProofsProcess), or None: the parent closed the inbox
    if job is not None:
        func, args = job
        yield func(agreement, *args)


def _or_none(part: Callable[[Agreement], Any], agreement: Agreement) -> Any:
    """A part's data made in a worker process, or None when it fails there: the parent then makes it again and
    reports the failure in that part, as it would with no worker."""
    try:
        return part(agreement)
    except Exception:  # noqa: BLE001 - reported by the parent (above)
        return None


def _start_background(ctx: Context, proofs: bool = True, diagrams: bool = True) -> list[Any]:
    """Start the slowest independent analyses (consent, then the diagrams; the remedy check, the worst case, the
    invariant proofs, then the sensitivity sweep) in two forked worker processes, so that they run while the other parts run here. Returns
    the workers to close (none when everything runs here)."""
    # On two cores or more, whatever the load: measured 2026-11-29 on 2 cores, 4.9 s against 6.8 s at a load
    # average of 1.4, and 9.3 s against 12.9 s with two busy loops running beside it.
    from rra.workers import Background, may_fork

    forced = bool(os.environ.get("RRA_REPORT_PARALLEL"))
    if os.environ.get("RRA_REPORT_SERIAL") or (not forced and not may_fork()):
        return []

    # what this process and the workers both use, imported once before they are forked (each worker imported it
    # again: measured 2026-11-30, 9.13 s -> 8.55 s of CPU time in all, medians of 7)
    import rra.solver.analyses
    import rra.solver.consent_analysis
    import rra.solver.invariants
    import rra.solver.maxmin  # noqa: F401

    jobs: list[tuple[str, Callable[..., Any], tuple[Any, ...]]] = [
        ("consent_future", _consent_job, (ctx.agreement, diagrams))]
    if proofs:
        jobs.append(("proofs_future", _proofs_job, (ctx.agreement,)))
    started = []
    for key, job, args in jobs:
        try:
            worker = Background(job, *args, inbox=key == "proofs_future")
        except OSError:  # no process to spare (fork refused): the rest runs here
            break
        _shared(ctx)[key] = worker
        started.append(worker)
    return started


def part_scenario(ctx: Context) -> Any:
    from rra.solver.evaluator import accrual, evaluate

    from rra.results import evaluation_json

    if ctx.scenario is None:
        return None
    ev = evaluate(ctx.scenario, ctx.agreement)
    return {"evaluation": ev, "json": evaluation_json(ev, ctx.agreement),
            "accrual": accrual(ctx.scenario, ctx.agreement, ev.reading)}


def part_diagrams(ctx: Context) -> Any:
    """The diagrams: from the consent analysis's background process when one was started, else drawn here."""
    shared = _shared(ctx)
    if "consent_future" in shared:  # the same process draws them after the consent analysis
        with contextlib.suppress(Exception):  # a failed consent analysis is the consent part's to report
            consent_data(ctx)
    drawn = shared.get("diagrams")
    return drawn if drawn is not None else diagrams_data(ctx.agreement)


def diagrams_data(agreement: Agreement) -> Any:
    """The diagrams, each small enough to read on one screen and to print on one page: the paths to the
    payments (one panel each), the obligations Section by Section with a one-screen overview, and the defined
    terms Section by Section."""
    from rra.visualize.graphs import (
        definitions_compact,
        definitions_graph,
        definitions_view,
        focus,
        legend_rows,
        measure_remedy,
        obligation_graph,
        payment_panels,
        render_fitted,
        section_overview,
        section_panels,
        svg_body,
    )

    doc = agreement.document
    full = obligation_graph(agreement)
    remedy = measure_remedy(agreement)
    clause = agreement.measure.clause
    defs = definitions_compact(definitions_view(definitions_graph(doc)))
    # the payment measure's remedy is left out of the graph when a draft changed its words: no path to draw
    pay = payment_panels(focus(full, remedy), remedy) if remedy in full else []
    sections = section_panels(full, doc)
    overview = section_overview(full, doc)
    term_panels = section_panels(defs, doc)

    def draw(name: str, title: str, g: Any) -> dict[str, str]:
        d, svg = render_fitted(g, name, "", doc)
        return {"name": name, "title": title, "dot": d.dot, "svg": svg_body(svg), "svg_file": svg.decode("utf-8")}

    groups = [
        {"title": f"What leads to Section {clause} payments", "intro": (
            f"One diagram per path to the Section {clause} payments: the duties whose deadlines, if missed, lead "
            "to them, the events they count, and what limits or excuses them." if pay else
            f"Not drawn: the draft changed the words of the Section {clause} payments, so the model has no remedy "
            "to draw the paths to."),
         "drawings": [draw(f"payments-{i + 1}", p.title, p.graph) for i, p in enumerate(pay)]},
        {"title": "Obligations, Section by Section", "intro": (
            "The whole agreement on one screen first (how many of the elements the diagrams below draw each "
            "Section holds: duties, deadlines, events, the remedies, conditions and carve-outs linked to them, and "
            "the consent rules a condition or carve-out refers to, so the other consent rules are counted only in "
            "the coverage table; and how many arrows run between Sections), then each Section in the agreement's "
            "order; boxes drawn faintly belong to another Section's diagram."),
         "drawings": [draw("obligations-overview", "The Sections and the links between them", overview)]
         + [draw(f"obligations-{i + 1}", p.title, p.graph) for i, p in enumerate(sections)]},
        {"title": "Defined terms and cross-references, Section by Section", "intro": (
            "Where each term is defined, which terms its definition uses, the Sections that use it (written in "
            "its box), and the clauses that refer to others."),
         "drawings": [draw(f"definitions-{i + 1}", p.title, p.graph) for i, p in enumerate(term_panels)]},
    ]
    return {"groups": groups, "legend": legend_rows(full, defs, *(p.graph for p in sections)),
            "definitions_source": defs.graph.get("source", "")}


# Run order: the consent analysis, and the proofs with the sensitivity sweep, start first in two more processes;
# the parts that do not need them run here meanwhile, and the parts that read their results come last.
PARTS: tuple[tuple[str, str, Callable[[Context], Any]], ...] = (
    ("coverage", "Coverage", part_coverage),
    ("scenario", "Scenario", part_scenario),
    ("findings", "Findings", part_findings),
    ("exposure", "Worst-case exposure", part_exposure),
    ("invariants", "Invariants", part_invariants),
    ("sensitivity", "Sensitivity", part_sensitivity),
    ("diagrams", "Diagrams", part_diagrams),
    ("consent", "Consent analysis", part_consent),
)
PAGE_ORDER = ("findings", "exposure", "sensitivity", "scenario", "invariants", "consent", "diagrams", "coverage")


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
    workers = (_start_background(ctx, wanted is None or {"invariants", "sensitivity"} <= wanted,
                                 wanted is None or "diagrams" in wanted)
               if wanted is None or "consent" in wanted else [])
    try:
        done = _run_parts(todo, ctx, stream)
    finally:
        for worker in workers:
            worker.close()
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


# --------------------------------------------------------------------------------------------- the page

# The page, in reading order: what the partner and the risk analyst need first, then the memo and the worst case
# in full, then the rest, the appendices last. A section's renderer returns None to leave it out.
SECTIONS: list[Section] = [
    Section("summary", "At a glance", render_top, "At a glance"),
    Section("scenario", "Your scenario", render_scenario, "Scenario"),
    Section("findings", "The review memo", render_findings, "Memo"),
    Section("exposure", "Worst-case Section 2(c) payments", render_exposure, "Worst case"),
    Section("invariants", "What always holds, and what can fail", render_invariants, "Proofs"),
    Section("consent", "Who decides", render_consent, "Consent"),
    Section("diagrams", "Diagrams", render_diagrams, "Diagrams"),
    Section("coverage", "What the model covers", render_coverage, "Coverage"),
    Section("parameters", "The numbers and dates the agreement sets", render_parameters, "Parameters"),
    Section("technical", "Technical appendix", render_technical, "Technical"),
    *(Section(area.split()[0], title, render_appendix(area), f"Appendix {letter}")
      for area, title, letter in APPENDICES),
]

APPENDIX_KEYS = tuple(area.split()[0] for area, _, _ in APPENDICES)

PRINT_FRAME = "#0b6e75"  # the frame of every chart and diagram in print (a colour no drawing uses)
CSS = """
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--err:#a1271b;--warn:#b26a00;--info:#1f5fa8;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);background:#f6f5f2}
header{background:#1f2a44;color:#fff;padding:20px 40px 14px}
header h1{margin:0 0 4px;font-size:24px;font-weight:normal}
header p{margin:2px 0;color:#c9d1e3;font:13px/1.4 Helvetica,Arial,sans-serif}
nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 40px;font:13px Helvetica,Arial,sans-serif;
    position:sticky;top:0;z-index:2}
nav a{color:#1f2a44;margin-right:14px;text-decoration:none;white-space:nowrap}
main{max-width:1240px;margin:0 auto;padding:4px 40px 60px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;margin:18px 0;padding:16px 24px}
h2{font-size:21px;font-weight:normal;margin:0 0 10px;border-bottom:1px solid var(--line);padding-bottom:6px}
h3{font-size:16px;margin:18px 0 6px}
.small,table,.badge,.cards,.meta,figcaption,.legend{font-family:Helvetica,Arial,sans-serif}
.small{font-size:12px;color:var(--muted)}
.top{display:block}
.reader{margin:0 0 14px}
.reader h3{margin:4px 0 4px;font-size:17px}
table.problems td{padding:3px 8px}
table.problems td:nth-child(3){width:62%}
table.problems td:nth-child(4){white-space:nowrap;text-align:right}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:6px 0}
.card{flex:1 1 260px;border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:#fbfbfa}
.card .n{font-size:26px;font-family:Georgia,serif}
.card .l{font-size:13px;color:var(--ink);font-weight:600}
.assume{border-left:3px solid #c8b88a;padding:4px 10px;background:#faf8f1;margin:6px 0}
.alert{border-left:4px solid var(--err);padding:6px 10px;background:#fbeeee;font-family:Helvetica,Arial,sans-serif}
.more{margin:0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4;font-weight:600}
.badge{display:inline-block;white-space:nowrap;border-radius:10px;padding:1px 8px;font-size:11px;color:#fff;background:#777;
       letter-spacing:.02em}
.error,.refuted,.failed{background:var(--err)}.warning,.unknown,.bound,.withheld{background:var(--warn)}
.info,.found{background:var(--info)}.proved,.formalized,.ok{background:var(--ok)}
.not-formalized,.unavailable,.skipped{background:#8a8f98}
.finding{border-left:4px solid var(--line);padding:6px 12px;margin:10px 0}
.finding.sev-high{border-color:var(--err)}.finding.sev-medium{border-color:var(--warn)}
.finding.sev-low{border-color:var(--info)}
.finding h4{margin:0 0 4px;font-size:15px}
blockquote{margin:6px 0;padding:6px 12px;background:#f7f3e8;border-left:3px solid #c8b88a;font-style:italic}
blockquote cite{display:block;font-style:normal;font-size:12px;color:var(--muted);font-family:Helvetica,sans-serif}
.na{color:var(--muted);font-style:italic;font-family:Helvetica,Arial,sans-serif}
figure{margin:10px 0 18px}
figcaption{font-size:13px;color:var(--ink);margin:0 0 6px}
figure svg{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff}
figure.diagram svg{max-height:1100px;width:auto}
.legend{font-size:12px;border:1px solid var(--line);border-radius:4px;padding:6px 10px;margin:8px 0}
.legend ul{columns:3;margin:4px 0;padding:0;list-style:none}
.legend li{margin:2px 0;break-inside:avoid}
.legend svg{vertical-align:middle;margin-right:6px}
.cex{margin-top:14px}
table.events{width:auto;min-width:50%}
code{font-size:12px}
footer{text-align:center;font:12px Helvetica,Arial,sans-serif;color:var(--muted);padding:20px}
@page{size:Letter;margin:14mm 12mm}
@media print{
  body{background:#fff;font-size:12px}
  nav{display:none}
  header{padding:0 0 8px;background:#fff;color:var(--ink)}
  header p{color:var(--muted)}
  main{max-width:none;padding:0}
  section{break-before:page;border:none;border-radius:0;margin:0;padding:0}
  section:first-of-type{break-before:avoid}
  figure,.finding,tr,.card,blockquote,.cex,h2,h3,h4{break-inside:avoid}
  h2,h3,h4,figcaption{break-after:avoid}
  figure.diagram svg,figure.chart svg{max-width:100%;max-height:205mm;width:auto;height:auto;
    border:2px solid %FRAME%}
  a{color:inherit;text-decoration:none}
  footer{display:none}
}
""".replace("%FRAME%", PRINT_FRAME)


def csp(css: str) -> str:
    """The page's Content-Security-Policy: nothing may load or run; only the page's own stylesheet (by its hash)
    styles it, and images only from the page itself."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'")


def render_html(parts: Mapping[str, Part], agreement: Agreement, scenario_name: str = "",
                timelines: Mapping[str, str] | None = None, notes: Mapping[str, str] | None = None,
                sections: Sequence[Section] | None = None, comparison: Mapping[str, Any] | None = None) -> str:
    """The whole page, section by section (`sections`: SECTIONS unless given). `timelines` maps "exposure",
    "exposure_maxmin", "scenario", "sensitivity", "invariant:<id>" to inline SVG; `comparison` is `rra diff --json` data against an earlier text
    (`rra report --against OLD`), shown as its own section after the summary."""
    page = Page(parts, agreement, scenario_name, dict(timelines or {}), dict(notes or {}))
    body = []
    nav = []
    for sec in SECTIONS if sections is None else sections:
        needs = "findings" if sec.key in APPENDIX_KEYS else sec.key  # the memo's appendices come with it
        if needs in PAGE_ORDER and needs not in parts:
            continue  # a part left out on purpose (`rra report --only`), not one that failed
        inner = sec.render(page)
        if inner is None:
            continue
        title = sec.title if not (sec.key == "scenario" and scenario_name) else f"Your scenario: {scenario_name}"
        body.append(f'<section id="{e(sec.key)}"><h2>{e(title)}</h2>\n{inner}\n</section>\n')
        nav.append(f'<a href="#{e(sec.key)}">{e(sec.nav or sec.title)}</a>')
        if sec.key == "summary" and comparison is not None:
            body.append(render_comparison(comparison))
            nav.append('<a href="#comparison">Changes</a>')
    params = agreement.params
    redraft = (" Redraft: " + e(", ".join(f"{k}={params[k]}" for k in params.overridden)) + "."
               if params.overridden else "")
    source = "the bundled agreement" if agreement.bundled else agreement.source.name
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{csp(CSS)}">\n'  # no quote or markup in it
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Registration Rights Agreement of 9 May 2003 &mdash; review</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<header>\n"
        "<h1>Registration Rights Agreement of 9 May 2003 &mdash; formal review</h1>\n"
        "<p>Amnis Systems Inc. and its debenture and warrant investors. Every result below cites the clause and "
        "the words it rests on.</p>\n"
        f"<p>Text analysed: {e(source)} (fingerprint {e(agreement.source.sha256[:16])}).{redraft}</p>\n</header>\n"
        f"<nav>{''.join(nav)}</nav>\n<main>\n" + "".join(body) + "</main>\n"
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
            lambda: evaluation_timeline(sc.data["evaluation"], "Your scenario", sc.data["accrual"]))))
    ex = parts.get("exposure")
    if ex is not None and ex.status == "ok":
        evs, acc = ex.data["evaluations"], ex.data["accruals"]
        for key, fig, title in (("exposure", "worst_case", "Worst case, no Allowed Delays"),
                                ("exposure_maxmin", "worst_case_with_allowed_delays",
                                 "Worst case, with the Company's best Allowed Delays")):
            if fig in evs:
                jobs.append(("exposure", key, timeline_of(partial(evaluation_timeline, evs[fig], title, acc[fig]))))
    sens = parts.get("sensitivity")
    if sens is not None and sens.status == "ok":
        jobs.append(("sensitivity", "sensitivity", lambda: sensitivity_svg(sens.data)))
    inv = parts.get("invariants")
    if inv is not None and inv.status == "ok":
        for r in inv.data["verdicts"]:
            if r["status"] == "refuted" and r.get("counterexample"):
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
    """A refuted claim's counterexample as a timeline: its dated events (`{"date", "event", "id", "clause"}`
    rows, periods as "... from" and "... until" pairs, deadlines as "deadline: ...")."""
    cex = row.get("counterexample")
    if not isinstance(cex, list):
        return None
    from rra.visualize.timeline import Mark, Span, Timeline

    marks: list[Mark] = []
    spans: list[Span] = []
    open_: dict[str, tuple[date, str]] = {}
    for ev in cex:
        d = _date(ev.get("date"))
        if d is None:
            continue
        text, rid = str(ev.get("event", "")), str(ev.get("id", ""))
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
    return Timeline("A timeline on which the claim fails", tuple(marks), tuple(spans))


def exposure_check(part: Part | None) -> str:
    """The evaluator's own count of each worst-case timeline, next to the optimizer's figure."""
    if part is None or part.status != "ok":
        return ""
    out = []
    figs = part.data["exposure"]
    for key, words in (("worst_case", "no Allowed Delays"), ("worst_case_with_allowed_delays", "with Allowed Delays")):
        ev = part.data["evaluations"].get(key)
        fig = figs.get(key)
        if ev is None or not isinstance(fig, Mapping):
            continue
        counted = float(ev.total)
        same = abs(counted - float(fig["value"])) < 0.005
        out.append(f"{words}: {fmt.money(counted)}" + ("" if same else f", NOT the optimizer's {fmt.money(fig['value'])}"))
    if not out:
        return ""
    return ("Cross-check: the rules rra damages applies, counting each worst-case timeline on its own, find "
            + "; ".join(out) + (" (the same amounts)." if all("NOT" not in x for x in out) else "."))


MARK_WORDS = {"pfed": "Prior Financing Effective Date", "filed": "filed", "effective": "declared effective"}


def evaluation_timeline(ev: Any, title: str, accrual: Iterable[tuple[date, Any]] = ()) -> Any:
    """The dated chart of an evaluated scenario: filing, effectiveness, the 2(c) deadlines and every missed one,
    the periods (Allowed Delays split at the 3(f) caps), and what 2(c) payments are owed as time goes on."""
    from rra.visualize.timeline import Mark, Span, Timeline

    s = ev.scenario
    marks = [Mark(s.as_of, "horizon", "as_of"), Mark(ev.filing_date, "Filing Date", "deadline"),
             Mark(ev.effectiveness_deadline, "effectiveness deadline", "deadline")]
    for kind, d in (("pfed", s.prior_financing_effective), ("filed", s.filed), ("effective", s.effective)):
        if d is not None and d <= s.as_of:
            marks.append(Mark(d, MARK_WORDS[kind], kind))
    shown = {m.day for m in marks if m.kind == "deadline"}
    for b in ev.breaches:
        if b.due not in shown:
            marks.append(Mark(b.due, f"{b.clause} due", "deadline"))
            shown.add(b.due)
    spans: list[Span] = []
    comp_i = ev.components.get("2(c)(i)")
    for r in getattr(comp_i, "periods", ()):
        if s.effective is not None and r.end + timedelta(days=1) == s.effective:
            # the count is of days elapsed from the deadline to effectiveness: drawn as the days after the deadline,
            # to the day of effectiveness (the deadline day itself is on time), the same number of days
            spans.append(Span("late", r.start + timedelta(days=1), s.effective,
                              "counted for 2(c)(i), the days after the deadline to effectiveness"))
        else:
            spans.append(Span("late", r.start, r.end, "counted for 2(c)(i)"))
    for fld, lane in SPAN_FIELDS.items():
        for per in getattr(s, fld, ()):
            spans.append(Span(lane, per.start, per.end))
    allowed = [(r.start, r.end) for r in ev.allowed_delay_days]
    for per in s.allowed_delays:
        for a, b in _minus((per.start, per.end), allowed):
            spans.append(Span("allowed_delay_excess", a, b, "beyond the 3(f) caps: counts for 2(c)(ii)"))
    pays = [(day, round(float(amount), 2)) for day, amount in accrual]
    conv = str(ev.month_convention).replace("-", " ")
    note = (f"Outstanding Principal Amount {fmt.money(float(ev.principal))}; months counted as {conv}s; "
            f"owed by {fmt.day(s.as_of)}: {fmt.money(float(ev.total))}.")
    name = f": {s.name}" if s.name and s.name.lower() not in title.lower() else ""
    return Timeline(f"{title}{name}", tuple(marks), tuple(spans), tuple(pays), note=note)


SPAN_FIELDS = {"investor_delays": "investor_delay", "sales_blocked": "sales_blocked", "stop_orders": "stop_order",
               "allowed_delays": "allowed_delay", "not_listed": "not_listed"}


def _minus(span: tuple[date, date], cuts: list[tuple[date, date]]) -> list[tuple[date, date]]:
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


SWEEP_SERIES = {"optimum": "worst case, no Allowed Delays", "with_allowed_delays": "with best Allowed Delays",
                "i": "2(c)(i) late filing or effectiveness", "ii": "2(c)(ii) sales blocked",
                "iii": "2(c)(iii) not listed or halted"}


def sensitivity_svg(data: Any) -> str | None:
    """A line chart of a sweep (solver/sweep.py's run_sweep shape): the worst case and its components against
    the swept assumption, named in words."""
    from rra.visualize.timeline import Series, line_chart_svg

    points = [p for p in data.get("points", []) or [] if p.get("optimum") is not None]
    if not points:
        return None
    xs: list[float] = []
    is_date = False
    for p in points:
        v = p.get("value")
        d = _date(v) if isinstance(v, str) else None
        if d is not None:
            is_date = True
            xs.append(float(d.toordinal()))
        else:
            try:
                xs.append(float(v))
            except (TypeError, ValueError):
                return None
    series = []
    for key, label in SWEEP_SERIES.items():
        pts = tuple((x, float(p[key])) for x, p in zip(xs, points, strict=True) if p.get(key) is not None)
        if pts:
            series.append(Series(label, pts))
    label = str(data.get("label") or data.get("name") or "")
    fmt_x = (lambda v: fmt.day(date.fromordinal(int(v)))) if is_date else None
    return line_chart_svg("How the worst case moves", label, "worst-case payments", series, x_format=fmt_x)


def sensitivity_caption(sweep: Any) -> str:
    """One sentence a reader can take away: what was swept and how far the worst case moved."""
    points = [p for p in sweep.get("points", []) or [] if p.get("optimum") is not None]
    if len(points) < 2:
        return ""
    label = str(sweep.get("label") or sweep.get("name") or "")
    a, b = points[0], points[-1]
    what = label[0].lower() + label[1:] if label[1:2].islower() else label
    return (f"As the {what} goes from {a.get('value')} to {b.get('value')}, the other assumptions as above, the worst "
            f"case with no Allowed Delays goes from {fmt.money(a['optimum'])} to {fmt.money(b['optimum'])}.")


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



def page_html(parts: Mapping[str, Part], agreement: Agreement, scenario_name: str = "",
              comparison: Mapping[str, Any] | None = None) -> tuple[str, dict[str, str]]:
    """The page and its charts (key -> SVG) for collected parts."""
    tls = timelines_for(parts)
    notes = {"exposure": exposure_check(parts.get("exposure"))}
    sens = parts.get("sensitivity")
    if sens is not None and sens.status == "ok":
        notes["sensitivity"] = sensitivity_caption(sens.data)
    return render_html(parts, agreement, scenario_name, tls, notes, comparison=comparison), tls


def build(out: str | os.PathLike[str], agreement: Agreement, scenario_file: str | None = None,
          stream: Any = None, pdf: bool = False, comparison: Mapping[str, Any] | None = None,
          parts: Iterable[str] | None = None) -> Written:
    """Collect everything (or the named parts: the page leaves out the others' sections), render the page (and
    print it to report.pdf with `pdf`) and write the folder atomically (temp folder, then swap). With `pdf`,
    Chromium is looked for before any work starts. `comparison`: `rra diff --json` data against an earlier text,
    shown as its own section and kept in report.json."""
    from rra.visualize.pdf import find_chromium, print_pdf

    t0 = time.perf_counter()
    target = check_output_dir(os.fspath(out), "--out", MARKER, "rra report")
    chromium = find_chromium() if pdf else None
    ctx = Context(agreement, scenario_file)
    if scenario_file:
        ctx.scenario = load_scenario(scenario_file, agreement.params)
    done = collect(agreement, stream=stream, parts=parts, ctx=ctx)
    scenario = ctx.scenario
    name = str(getattr(scenario, "name", "") or "") if scenario is not None else ""
    html, tls = page_html(done, agreement, name, comparison)
    html = readable_ids(html)  # the ids of repeated clauses written for a reader in every section (report.json keeps them)
    files: dict[str, str | bytes] = {"index.html": html, MARKER: "written by rra report\n"}
    d = done.get("diagrams")
    if d is not None and d.status == "ok":
        for group in d.data["groups"]:
            for dr in group["drawings"]:
                files[f"diagrams/{dr['name']}.dot"] = dr["dot"]
                files[f"diagrams/{dr['name']}.svg"] = dr["svg_file"]
    for key, svg in tls.items():
        files[f"timelines/{key.replace(':', '-').replace('/', '_')}.svg"] = svg
    files["report.json"] = dumps({**report_json(done, agreement),
                                  **({"comparison": comparison} if comparison is not None else {})})
    if chromium is not None:
        files["report.pdf"] = print_pdf(html, chromium)
    write_folder(target, files, "--out")
    return Written(target, sorted(files), done, time.perf_counter() - t0)


_AS_IS = (str, int, float, bool, type(None))


def plain(obj: Any) -> Any:
    """A result as plain JSON values (dataclasses, enums, dates, fractions); objects with to_json() use it."""
    if type(obj) in _AS_IS:  # most of the values (the report's data holds some 20,000)
        return obj
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


def report_json(parts: Mapping[str, Part], agreement: Agreement) -> dict[str, Any]:
    """The data behind the page (stable: no timings)."""
    out: dict[str, Any] = {"parts": {}, "overridden": list(agreement.params.overridden),
                           "agreement": agreement.describe()}
    for k, p in parts.items():
        entry: dict[str, Any] = {"status": p.status, "message": p.message}
        if p.status == "ok" and k == "exposure":
            entry["data"] = plain({kk: vv for kk, vv in p.data.items() if kk not in ("evaluations", "accruals")})
        elif p.status == "ok" and k == "scenario":
            entry["data"] = p.data["json"]
        elif p.status == "ok" and k == "diagrams":
            entry["data"] = {"drawings": [dr["name"] for g in p.data["groups"] for dr in g["drawings"]],
                             "definitions_source": p.data["definitions_source"]}
        elif p.status == "ok":
            entry["data"] = plain(p.data)
        out["parts"][k] = entry
    return out


__all__ = ["NOT_YET", "PARTS", "SECTIONS", "Part", "RraError", "Section", "build", "collect", "render_html"]
