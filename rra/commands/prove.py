"""`rra prove`: prove or refute invariants of the agreement (the catalogue, plus a user's file)."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from rra.commands.common import add_json, add_model_options, agreement_from, emit, header
from rra.errors import BadInput
from rra.output import progress, table


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    add_model_options(p)
    p.add_argument("--invariants", metavar="FILE", default=None,
                   help="YAML file of your own invariants (see examples/invariants.yaml)")
    p.add_argument("--only", action="append", default=[], metavar="ID",
                   help="check only these invariant ids (repeatable)")
    p.add_argument("--no-catalogue", action="store_true", help="check only the invariants of --invariants")


def gather(agreement: Any, invariants_file: str | None = None, only: list[str] | None = None,
           catalogue: bool = True) -> dict[str, Any]:
    """{"invariants": [...]} for the catalogue and the user's file (the `--json` shape)."""
    users: list[Any] = []
    if invariants_file:  # the expression language (and the evaluator it imports) only for a user's file
        from rra.solver.expr import load_invariants

        users = load_invariants(invariants_file, agreement)
    specs = agreement.invariants
    known = {i.id for i in specs} | {u.id for u in users}
    for o in only or []:
        if o not in known:
            raise BadInput("--only", o, "unknown invariant id")
    jobs: list[Any] = [i for i in specs if catalogue and (not only or i.id in only)]
    jobs += [u for u in users if not only or u.id in only]
    return {"invariants": _verdicts(agreement, jobs), "overridden": list(agreement.params.overridden),
            "agreement": agreement.describe()}


def _verdicts(agreement: Any, jobs: list[Any]) -> list[dict[str, Any]]:
    """The verdicts' JSON records, in the order of the jobs. With a spare core every other job is proved in a
    forked worker while this process proves the rest (as `rra check` runs its consent analysis): a verdict
    depends on its own question only (rra.solver.z3util), so the split changes no output. Whatever the load: with
    the modules both use imported before the fork, measured 2026-11-30 on 2 cores, the split took 0.55 s against
    0.76 s in one process on a quiet machine, 0.66 s against 0.67 s beside one busy loop and 1.40 s against 1.71 s
    beside two (medians of 9, 7 and 7). Never with RRA_SERIAL set or on one core (rra.workers.may_fork)."""
    from rra.workers import Background, may_fork

    if len(jobs) < 4 or not may_fork():
        return [_verdict(agreement, job) for job in progress(jobs, "prove")]

    import rra.solver.invariants  # noqa: F401 - what both processes use, imported once before the fork

    pending = Background(_verdict_list, agreement, jobs[1::2])
    try:
        # the bar counts every job: the worker's, in between, are proved at about the same pace as these
        mine = [_verdict(agreement, job) for k, job in enumerate(progress(jobs, "prove")) if k % 2 == 0]
        theirs = pending.result()
    finally:
        pending.close()
    out: list[dict[str, Any]] = [{}] * len(jobs)
    out[0::2], out[1::2] = mine, theirs
    return out


def _verdict_list(agreement: Any, jobs: list[Any]) -> list[dict[str, Any]]:
    return [_verdict(agreement, job) for job in jobs]


def _verdict(agreement: Any, job: Any) -> dict[str, Any]:
    from rra.solver.invariants import check
    from rra.spec.invariants import InvariantSpec

    if isinstance(job, InvariantSpec):
        return check(agreement, job).to_json()
    from rra.solver.expr import check_user

    return check_user(job, agreement).to_json()


def failures(agreement: Any, data: dict[str, Any]) -> dict[str, str]:
    """What goes wrong in each refuted catalogue claim's timeline, in words (as the report says it), by claim id."""
    from rra.solver.invariant_words import failure

    specs = {s.id: s for s in agreement.invariants}
    return {v["id"]: failure(specs[v["id"]], v["counterexample"], agreement) for v in data["invariants"]
            if v["status"] == "refuted" and v["counterexample"] and v["id"] in specs}


def render(data: dict[str, Any], why: dict[str, str] | None = None) -> str:
    """The claims numbered as the report numbers them, each with its result; a refuted claim's dated timeline (and
    what goes wrong in it, when `why` says), an undecided claim's reason. Ids (for --only) are in --json."""
    words = {"proved": "proved", "refuted": "fails", "unknown": "undecided", "withheld": "not checked"}
    why = why or {}
    rows = [[str(k), words.get(v["status"], v["status"]), ", ".join(v["sections"]),
             v["statement"] + (" (it holds only because its assumptions can never all hold)" if v["vacuous"] else "")]
            for k, v in enumerate(data["invariants"], 1)]
    out = table(["#", "result", "clauses", "claim"], rows)
    for k, v in enumerate(data["invariants"], 1):
        if v["status"] == "refuted" and v["counterexample"]:
            out += f"\nClaim {k} fails on this timeline:\n"
            if v["id"] in why:
                out += "".join(f"  {line}\n" for line in textwrap.wrap(why[v["id"]], 110))
            out += "".join(f"  {r['date']}  {r['clause']:<6} {r['event']}\n" for r in v["counterexample"])
        elif v["status"] in ("unknown", "withheld"):
            out += f"\nClaim {k}: {words[v['status']]} ({v['reason']})\n"
    counts: dict[str, int] = {}
    for v in data["invariants"]:
        counts[v["status"]] = counts.get(v["status"], 0) + 1
    out += "\n" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("proved", "refuted", "unknown", "withheld")
                            if s != "withheld" or counts.get(s)) + "\n"
    return out


def run(args: argparse.Namespace) -> int:
    agreement = agreement_from(args)
    data = gather(agreement, args.invariants, args.only, not args.no_catalogue)
    emit(args, data, lambda d: header(agreement) + render(d, failures(agreement, d)))
    return 0
