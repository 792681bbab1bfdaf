"""`rra report`: the whole review as one self-contained HTML page (default ./rra-report/index.html), and with
--pdf the same page printed to report.pdf beside it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.errors import BadInput
from rra.output import table


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--out", metavar="DIR", default="rra-report",
                   help="folder to write the report to, replaced atomically (default: ./rra-report/)")
    p.add_argument("--scenario", metavar="FILE", default=None,
                   help="also evaluate this scenario file (YAML or JSON) and draw its timeline")
    p.add_argument("--against", metavar="OLD", default=None,
                   help="add what this text changes from an earlier one ('bundled', a text file or a .docx): the "
                        "comparison of `rra diff OLD NEW`, as its own section")
    p.add_argument("--only", action="append", default=[], metavar="PART",
                   help="make only these parts of the page (findings, exposure, sensitivity, scenario, invariants, "
                        "consent, diagrams, coverage); repeatable; the page leaves out the others")
    p.add_argument("--pdf", action="store_true",
                   help="also print the page to report.pdf beside index.html (needs Chromium; without it, exit 2)")


def summary(written: Any) -> dict[str, Any]:
    """The `--json` shape: where the page is, the files, and each part's status (no timings: stable output)."""
    return {
        "out": str(written.out),
        "index": str(written.out / "index.html"),
        "files": written.files,
        "parts": {k: {"title": p.title, "status": p.status, "message": p.message} for k, p in written.parts.items()},
    }


def render_table(data: dict[str, Any]) -> str:
    rows = [[k, p["status"], p["message"] or "-"] for k, p in data["parts"].items()]
    return table(["part", "status", "note"], rows) + f"\nWrote {data['index']}\n"


def _comparison(args: argparse.Namespace, agreement: Any) -> dict[str, Any]:
    """`rra diff --json` data from the --against text to the one reported (the output folder checked first)."""
    from rra.commands.diff import assumption_sets, comparison_json, compute, example_scenarios, load_text
    from rra.limits import check_output_dir
    from rra.visualize.report import MARKER

    check_output_dir(args.out, "--out", MARKER, "rra report")
    old = load_text(args.against, "--against")
    return comparison_json(compute(old, agreement, assumption_sets(None, agreement), example_scenarios()))


def run(args: argparse.Namespace) -> int:
    from rra.visualize.report import PAGE_ORDER, build

    unknown = sorted(set(args.only) - set(PAGE_ORDER))
    if unknown:
        raise BadInput("--only", unknown[0], f"unknown part; expected one of {', '.join(PAGE_ORDER)}")
    agreement = agreement_from(args)
    comparison = None
    if args.against is not None:
        comparison = _comparison(args, agreement)
    written = build(args.out, agreement, args.scenario, comparison=comparison, pdf=args.pdf,
                    parts=args.only or None)
    emit(args, {**summary(written), "agreement": agreement.describe()}, lambda d: header(agreement) + render_table(d))
    if sys.stderr.isatty():
        sys.stderr.write(f"rra report: {written.seconds:.1f} s\n")
    return 0
