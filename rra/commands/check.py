"""`rra check`: every analysis's findings (what a draft changes, drafting review, Z3 checks, consent), and what was
withheld because a draft changed the words an analysis rests on."""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing.pool
from collections.abc import Iterator
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.errors import BadInput, with_clause
from rra.output import progress, table
from rra.visualize.fmt import plural


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--only", action="append", default=[], metavar="ANALYSIS",
                   help="run only these analyses (draft, text, z3, provisions, proofs, exposure, consent); repeatable")
    p.add_argument("--verbose", action="store_true",
                   help="add the technical appendix: finding ids and the findings not carried into the memo")
    p.add_argument("--no-redline-check", dest="redline_check", action="store_false",
                   help="do not apply and re-check the suggested redlines (faster)")
    p.add_argument("--docx", metavar="FILE", default=None, help="also write the memo as a Word document")
    p.add_argument("--annotate", metavar="FILE", default=None,
                   help="for a .docx draft (--agreement), write a copy of it with each entry as a Word comment on its "
                        "clause")


# Analyses that run in the worker process when the machine has a spare core, while the others run here. They share
# nothing with the others; the worker keeps Z3's remembered answers of the proofs and of the remedy check for the
# memo's combined redline check, which runs there next. When the Z3 checks run here, their remedy check (the kinds
# of rra.solver.provisions.Z3_APART, asked first wherever they run) goes first to the worker: measured, the worker
# otherwise idled 1.2 s while the Z3 checks ran here (4.39 s -> 3.63 s with the combined run's change, medians of 5
# interleaved runs, same output). The other Z3 checks stay here: the memo's per-entry checks, which run here, re-run
# some of them on each redlined text. The drafting review and the worst case (no Z3) run here (within 0.1 s either
# way, medians of 7).
IN_WORKER = ("proofs", "consent")


def _worker_job(ctx: Any, names: list[str], z3_apart: bool = False) -> tuple[dict[str, Any], Any, Any]:
    """In the worker process: the Z3 checks of Z3_APART's kinds first when asked (as one process asks them: see
    Z3_APART), then the outcomes of these analyses, and the memo's consent issues when the consent analysis is
    among them (one review makes both)."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.consent_analysis import consent_issues
    from rra.solver.provisions import Z3_APART, z3_analysis

    apart = z3_analysis(ctx, Z3_APART) if z3_apart else None
    out = {n: ANALYSES[n](ctx) for n in names}
    return out, consent_issues(ctx.agreement) if "consent" in names else None, apart


@contextlib.contextmanager
def spare_core() -> Iterator[multiprocessing.pool.Pool | None]:
    """One forked worker process for the whole command when the machine has a spare core (None otherwise or with
    RRA_SERIAL set); ended when the block exits, however it exits."""
    from rra.workers import may_fork, pool

    if not may_fork():
        yield None
        return

    # what both processes use, imported once before the fork (the worker imported it again: measured 2026-11-30,
    # rra check 2.95 s -> 2.80 s wall and 5.02 s -> 4.84 s CPU, medians of 11 interleaved runs, twice)
    import rra.solver.analyses
    import rra.solver.consent_analysis
    import rra.solver.invariants  # noqa: F401

    with pool(1) as p:
        yield p


def gather(agreement: Any, only: list[str] | None = None,
           worker: multiprocessing.pool.Pool | None = None) -> dict[str, Any]:
    """Run the analyses and return {"findings": [...], "withheld": [...], "analyses": {...}, "agreement": {...}}
    (the `--json` shape). With a `worker` (see `spare_core`), the analyses of IN_WORKER run there while the rest
    run here."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext

    ctx = CheckContext(agreement)
    unknown = sorted(set(only or []) - set(ANALYSES))
    if unknown:
        raise BadInput("--only", unknown[0], f"unknown analysis; expected one of {', '.join(ANALYSES)}")
    names = [n for n in ANALYSES if not only or n in only]
    if worker is None and len(names) > 1:
        with spare_core() as own:
            return gather(agreement, only, own) if own is not None else _gather(ctx, names, None)
    return _gather(ctx, names, worker)


def _gather(ctx: Any, names: list[str], worker: multiprocessing.pool.Pool | None) -> dict[str, Any]:
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import sort_findings
    from rra.solver.provisions import merged_apart, z3_analysis, z3_beside

    outcomes: dict[str, Any] = {}
    away = [n for n in names if n in IN_WORKER] if worker is not None else []
    if len(away) == len(names):
        away = []  # nothing would run here meanwhile
    apart = bool(away) and "z3" in names
    rest = z3_beside()  # the Z3 checks' kinds asked here when the worker asks the others
    pending = worker.apply_async(_worker_job, (ctx, away, apart)) if worker is not None and away else None
    for name in progress([n for n in names if n not in away], "check"):
        outcomes[name] = z3_analysis(ctx, rest) if name == "z3" and apart else ANALYSES[name](ctx)
    if pending is not None:
        got, issues, there = pending.get()
        outcomes.update(got)
        if there is not None:
            outcomes["z3"] = merged_apart(ctx.agreement, there, outcomes["z3"])
        if issues is not None:
            from rra.solver.consent_analysis import remember_issues

            remember_issues(ctx.agreement, issues)  # the memo's consent section, without a second review here
    findings = []
    withheld = []
    ran: dict[str, str] = {}
    for name in names:  # in the analyses' own order, wherever they ran; findings are sorted, so order is stable
        out = outcomes[name]
        findings.extend(out.findings)
        withheld.extend(out.withheld)
        ran[name] = plural(len(out.findings), "finding") + (f", {len(out.withheld)} withheld" if out.withheld else "")
    return {"findings": [f.to_json() for f in sort_findings(findings)], "analyses": ran,
            "withheld": [w.to_json() for w in sorted(withheld, key=lambda w: (w.analysis, w.what, w.element))],
            "agreement": ctx.agreement.describe()}


def _rests_on(w: dict[str, Any], agreement: Any) -> str:
    """What a withheld analysis rests on, for a reader: the element's words (its id is for --json), and its clause."""
    return with_clause(agreement.model.words_for(w["element"]) if agreement is not None else w["element"], w["clause"])


def render_findings(data: dict[str, Any], agreement: Any = None) -> str:
    """The analyses' findings as a table (the form `rra check --only` adds after the memo)."""
    rows = [[f["severity"], ", ".join(f["sections"]), f["kind"], f["title"]] for f in data["findings"]]
    out = table(["severity", "sections", "kind", "finding"], rows)
    if data["withheld"]:
        out += "\nWithheld (the draft changed the words they rest on):\n"
        out += table(["analysis", "what", "rests on", "because"],
                     [[w["analysis"], w["what"], _rests_on(w, agreement),
                       w["reason"]] for w in data["withheld"]])
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    out += "\n" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    out += "; analyses: " + ", ".join(f"{k}: {v}" for k, v in data["analyses"].items()) + "\n"
    return out


def render(data: dict[str, Any], memo: Any, verbose: bool = False, only: bool = False, agreement: Any = None) -> str:
    """The readable output: the memo, then what was withheld (each element in words when the agreement is given),
    and with --only the findings table too."""
    from rra.solver.memo_text import closing_line, counts_line
    from rra.solver.memo_text import render as render_memo

    out = render_memo(memo, verbose, counts=counts_line(data))
    if verbose and "review_coverage" in data:
        cov = data["review_coverage"]
        out += "\nCLAUSE COVERAGE: the checks that read each numbered clause\n"
        out += table(["clause", "checks (besides the drafting review)"],
                     [[r["clause"], ", ".join(c for c in r["checks"] if c != "drafting review")
                       or f"none in particular: {r['reviewed_no_check']}"] for r in cov["clauses"]])
        out += ("Provisions detectors that scan every clause for their words: " + ", ".join(cov["scan_every_clause"])
                + "\n")
    if only:
        out += "\nFindings of the analyses run:\n" + render_findings(data, agreement)
    else:
        if data["withheld"]:
            out += "\nWithheld (the draft changed the words they rest on):\n" + table(
                ["analysis", "what", "rests on", "because"],
                [[w["analysis"], w["what"], _rests_on(w, agreement),
                  w["reason"]] for w in data["withheld"]])
        out += "\n" + closing_line(memo) + "\n"
    return out


def _distinct_files(args: argparse.Namespace) -> None:
    """--docx and --annotate name files of their own: neither the draft read (--agreement) nor each other."""
    import os

    def same(a: str | None, b: str | None) -> bool:
        if not a or not b:
            return False
        try:
            return os.path.samefile(a, b)
        except OSError:  # one does not exist yet
            return os.path.abspath(a) == os.path.abspath(b)

    for field, path in (("--docx", args.docx), ("--annotate", args.annotate)):
        if same(path, getattr(args, "agreement", None)):
            raise BadInput(field, path, "is the draft given with --agreement; name another file (the draft is kept)")
    if same(args.docx, args.annotate):
        raise BadInput("--annotate", args.annotate, "is also the --docx file; name another file")


def run(args: argparse.Namespace) -> int:
    """Exit status 1 when the memo has a high-severity entry, 0 otherwise (2 for bad input)."""
    from rra.limits import check_output_file
    from rra.solver.memo_build import memo_json
    from rra.solver.memo_check import review_memo

    for field, path in (("--docx", args.docx), ("--annotate", args.annotate)):
        if path:
            check_output_file(path, field)  # before any work
    _distinct_files(args)
    agreement = agreement_from(args)
    if args.annotate and agreement.source.format != "docx":
        raise BadInput("--annotate", args.annotate, "needs a .docx draft given with --agreement")
    with spare_core() as worker:
        data = gather(agreement, args.only, worker)
        memo = review_memo(agreement, data["findings"], check_redlines=args.redline_check,
                           progress=_progress(), worker=worker)
    data.update(memo_json(memo))
    if args.json or args.verbose:
        from rra.solver.memo_coverage import review_coverage

        data["review_coverage"] = review_coverage(agreement)
    if args.docx:
        from rra.visualize.memo_docx import write_memo

        write_memo(memo, args.docx, agreement)
    if args.annotate:
        from rra.visualize.memo_docx import annotate

        annotate(memo, agreement, args.annotate)
    emit(args, data, lambda d: header(agreement) + render(d, memo, args.verbose, bool(args.only), agreement))
    return 1 if memo.high else 0


def _progress() -> Any:
    """A progress line on a terminal while the redlines are checked."""
    import sys

    if not sys.stderr.isatty():
        return None

    def show(what: str) -> None:
        sys.stderr.write(f"\rchecking redlines: {what[:60]:<60}")
        sys.stderr.flush()
        if what == "all redlines":
            sys.stderr.write("\r" + " " * 80 + "\r")

    return show
