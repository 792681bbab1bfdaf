"""`rra exposure`: the worst-case Section 2(c) amount under an assumption set, proved optimal, with sweeps and
redraft what-ifs."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date
from typing import Any

from rra.commands.common import add_json, emit, header
from rra.errors import BadInput
from rra.limits import MAX_TIMEOUT_S, MAX_WORKERS, check_output_file
from rra.output import Bar, cents_note, first_few, progress, table, write_atomic
from rra.visualize.fmt import plural


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json(p)
    p.add_argument("--agreement", metavar="FILE", default=None,
                   help="the worst case under this draft (text or .docx), its values read from its words")
    p.add_argument("--assumptions", metavar="FILE", default=None,
                   help="assumption set (YAML); default: the shipped solver/assumptions/default.yaml")
    p.add_argument("--as-of", metavar="DATE", default=None, help="horizon: count payments up to this date (YYYY-MM-DD)")
    p.add_argument("--principal", metavar="N", default=None, help="Outstanding Principal Amount in USD")
    p.add_argument("--reading", metavar="NAME", default="text",
                   help="reading of 2(c)(i): text (default), ninety-day-literal, example")
    p.add_argument("--method", choices=("dp", "z3"), default="dp",
                   help="dp: exact dynamic program (fast, default); z3: reference Z3 Optimize model (small horizons)")
    p.add_argument("--timeout", metavar="SECONDS", type=float, default=60.0,
                   help=f"solver timeout per solve (z3), more than 0 and at most {MAX_TIMEOUT_S:g} (default 60)")
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter of the agreement (payments.cap=100000) or an assumption "
                        "(stop_orders.max_days=60); repeatable")
    p.add_argument("--overrides", metavar="FILE", default=None, help="YAML or JSON file of parameter overrides")
    p.add_argument("--sweep", metavar="NAME=FROM:TO:STEP", default=None,
                   help="solve for each value of an assumption or parameter (dates step in days), in parallel")
    p.add_argument("--csv", metavar="FILE", default=None, help="with --sweep: write the points as CSV")
    p.add_argument("--workers", metavar="N", type=int, default=2,
                   help=f"with --sweep: processes, 1 to {MAX_WORKERS} (default 2)")
    p.add_argument("--compare", metavar="NAME=VALUE", nargs="+", action="extend", default=[],
                   help="redraft what-ifs: the exposure each change buys, side by side with the baseline")


def _split_sets(items: list[str]) -> tuple[dict[str, str], list[str]]:
    from rra.solver.assumptions import SETTABLE
    from rra.spec.overrides import parse_set

    parsed = parse_set(items)
    assumption = {k: v for k, v in parsed.items() if k in SETTABLE}
    return assumption, [f"{k}={v}" for k, v in parsed.items() if k not in SETTABLE]


def _with(a: Any, name: str, raw: Any, label: str) -> Any:
    """The assumption set with one value from the command line; an error names the option it came from."""
    try:
        return a.with_values({name: raw})
    except BadInput as exc:
        if exc.field != name:
            raise
        raise BadInput(label, exc.value, exc.problem) from None


def _inputs(args: argparse.Namespace) -> tuple[Any, Any]:
    from rra.solver.assumptions import load
    from rra.spec.agreement import load_agreement

    a = load(args.assumptions)
    a_sets, p_sets = _split_sets(args.set_items)
    for name, raw in a_sets.items():
        a = _with(a, name, raw, f"--set {name}")
    if args.as_of is not None:
        a = _with(a, "as_of", args.as_of, "--as-of")
    if args.principal is not None:
        a = _with(a, "principal", args.principal, "--principal")
    agreement = load_agreement(args.agreement).with_overrides(p_sets, args.overrides)
    return a, agreement


def _money(x: float | None) -> str:
    return "-" if x is None else f"${x:,.2f}"


STATUS_WORDS = {"proved": "proved optimum", "bound": "best found; proved bound", "found": "best found, not proved"}


def status_text(fig: dict[str, Any] | None) -> str:
    """A figure's status in words: a proved optimum, or the best timeline found with its proved upper bound."""
    if not fig:
        return "-"
    if fig["status"] == "bound" and fig.get("bound") is not None:
        return f"best found; proved at most {_money(fig['bound'])}"
    return STATUS_WORDS.get(fig["status"], fig["status"])


def _answer_words(company: str | None) -> str:
    """How sure the Company's answer is, in words ("chain-dp, proved" in --json: the method is for the appendix)."""
    status = (company or "").rpartition(", ")[2]
    return {"proved": "proved the best", "found": "the best found, not proved"}.get(status, status or "not known")


def _figure_rows(data: dict[str, Any]) -> list[list[str]]:
    rows = []
    for key, label in (("worst_case", "no Allowed Delays (the Company declares none)"),
                       ("worst_case_with_allowed_delays", "with the Company's best Allowed Delays")):
        fig = data.get(key)
        if fig:
            rows.append([label, _money(fig["value"]), status_text(fig), fig["space"]])
    return rows


def render(data: dict[str, Any]) -> str:
    """The readable report of one solve: both figures with their labels, then each one's timeline and parts."""
    out = [f"Worst-case Section 2(c) exposure by {data['assumptions']['as_of']} "
           f"(assumptions: {data['assumptions']['name']}, reading: {data['reading']})", "",
           table(["figure", "amount", "status", "over"], _figure_rows(data)).rstrip("\n")]
    if data.get("capped"):
        out.append("the cap on total 2(c) payments binds: the no-delay worst case is the cap")
    if not data["proved_optimal"]:
        out.append(f"no-delay worst case not proved: {data.get('reason')}; upper bound {_money(data.get('bound'))}")
    from rra.solver.assumptions import ANY_DAY, DELAY_DAYS, SUMMED

    out += [ANY_DAY, SUMMED] + ([DELAY_DAYS] if data.get("worst_case_with_allowed_delays") else [])
    day_bound = (data.get("worst_case") or {}).get("day_level_bound")
    if day_bound is not None:
        out.append(f"These figures are over a {data['assumptions']['grid_days']}-day grid only; over day-level "
                   f"timelines neither exceeds {_money(day_bound)} (the day-level no-delay optimum, proved).")
    out.append("")
    out.append(f"No Allowed Delays: {_money(data['optimum'])}   {status_text(data.get('worst_case'))}"
               f"   ({data['months']:.4f} months)")
    # what happens, in words (the events' ids are for --json)
    rows = [[e["date"], e.get("end", ""), e["what"]] for e in data["timeline"]]
    out.append(table(["date", "until", "what"], rows))
    rows = [[c, v["what"], f"{v['months']:.4f}", _money(v["amount"])] for c, v in sorted(data["components"].items())]
    out.append(table(["2(c)", "component", "months", "amount"], rows))
    out += cents_note([v["amount"] for v in data["components"].values()], data["optimum"])
    rows = [[k, _money(v)] for k, v in data["readings"].items()]
    out.append(table(["reading", "no-delay optimum"], rows))
    mm = data.get("worst_case_with_allowed_delays")
    if mm:
        out.append(f"With the Company's best Allowed Delays (the worst timeline, chosen knowing the Company's answer): "
                   f"{_money(mm['value'])}   "
                   f"{status_text(mm)}")
        if mm.get("reason"):
            out.append(f"  {mm['reason']}")
        rows = [[e["date"], e.get("end", ""), e["event"], e["what"]] for e in mm["timeline"]]
        rows += [[x, y, "allowed_delay", "Allowed Delay (3(f))"] for x, y in mm["allowed_delays"]]
        out.append(table(["date", "until", "what"], [[d, u, w] for d, u, _e, w in sorted(rows)]))
        rows = [[c, v["what"], f"{v['months']:.4f}", _money(v["amount"])] for c, v in sorted(mm["components"].items())]
        out.append(table(["2(c)", "component (after the Allowed Delays)", "months", "amount"], rows))
        out += cents_note([v["amount"] for v in mm["components"].values()], mm["value"])
        out.append(f"The Company's answer: {plural(len(mm['allowed_delays']), 'Allowed Delay period')} excusing "
                   f"{_money(mm['excused'])} of (ii) ({_answer_words(mm.get('company'))}). Both timelines were priced "
                   "again, independently, by the plain evaluator.\n")
    return "\n".join(out)


def _solve(args: argparse.Namespace, a: Any, agreement: Any) -> dict[str, Any]:
    from rra.solver.exposure import optimize

    bar = Bar()
    try:
        r = optimize(a, agreement, args.reading, method=args.method, timeout_s=args.timeout, progress=bar)
    finally:
        bar.close()
    data = r.to_json(agreement.params)
    data["assumptions"] = a.to_json()
    data["overridden"] = list(agreement.params.overridden)
    data["agreement"] = agreement.describe()
    return data


def _brief(fig: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if fig is None else {k: fig[k] for k in ("value", "status", "space", "bound", "day_level_bound")}


def _compare(args: argparse.Namespace, a: Any, agreement: Any) -> dict[str, Any]:
    from rra.solver.exposure import optimize
    from rra.solver.sweep import apply
    from rra.spec.overrides import parse_pairs

    changes = list(dict.fromkeys(parse_pairs(args.compare, "--compare")))  # one row per distinct what-if, in order
    for name, value in changes:  # every change is checked before the first solve
        apply(a, agreement, name, value, "--compare")
    base = optimize(a, agreement, args.reading, method=args.method, timeout_s=args.timeout)
    bj = base.to_json(agreement.params)
    rows = []
    for name, value in progress(changes, "compare"):
        a2, ag2 = apply(a, agreement, name, value, "--compare")
        r = optimize(a2, ag2, args.reading, method=args.method, timeout_s=args.timeout)
        rj = r.to_json(ag2.params)
        rows.append({"change": f"{name}={value}", "optimum": round(float(r.optimum), 2),
                     "delta": round(float(r.optimum - base.optimum), 2), "proved_optimal": r.proved_optimal,
                     "capped": r.capped, "worst_case": _brief(rj.get("worst_case")),
                     "worst_case_with_allowed_delays": _brief(rj.get("worst_case_with_allowed_delays"))})
    return {"baseline": {"optimum": round(float(base.optimum), 2), "proved_optimal": base.proved_optimal,
                         "worst_case": _brief(bj.get("worst_case")),
                         "worst_case_with_allowed_delays": _brief(bj.get("worst_case_with_allowed_delays"))},
            "compare": rows, "reading": args.reading, "assumptions": a.to_json(), "agreement": agreement.describe()}


def render_compare(data: dict[str, Any]) -> str:
    def cells(r: dict[str, Any]) -> list[str]:
        wc, mm = r.get("worst_case"), r.get("worst_case_with_allowed_delays")
        return [status_text(wc), _money(mm["value"] if mm else None), status_text(mm)]

    b = data["baseline"]
    rows = [["(baseline)", _money(b["optimum"]), "", *cells(b)]]
    rows += [[r["change"], _money(r["optimum"]), f"{r['delta']:+,.2f}", *cells(r)] for r in data["compare"]]
    return (f"Redraft what-ifs: worst-case 2(c) exposure by {data['assumptions']['as_of']} (reading {data['reading']})\n"
            + table(["change", "no Allowed Delays", "vs baseline", "status", "with the Company's best Allowed Delays",
                     "status"],
                    rows))


def render_sweep(data: dict[str, Any]) -> str:
    rows = [[p["value"], _money(p["optimum"]), _money(p.get("i")), _money(p.get("ii")), _money(p.get("iii")),
             p["error"] if p.get("error") else STATUS_WORDS.get(p.get("status") or "", "-"),
             _money(p.get("with_allowed_delays")), STATUS_WORDS.get(p.get("with_allowed_delays_status") or "", "-")]
            for p in data["points"]]
    return (f"Sweep of {data['name']} ({data['target']}), reading {data['reading']}\n"
            + table([data["name"], "no Allowed Delays", "(i)", "(ii)", "(iii)", "status", "with Allowed Delays",
                     "status"], rows))


def _all_proved(data: dict[str, Any]) -> bool:
    figs = [data.get("worst_case"), data.get("worst_case_with_allowed_delays")]
    return bool(data["proved_optimal"]) and all(f is None or f["status"] == "proved" for f in figs)


def _check_options(args: argparse.Namespace) -> None:
    """The options that need no file: checked before anything is read or solved."""
    from rra.solver.exposure import READINGS

    if args.reading not in READINGS:
        raise BadInput("--reading", args.reading, f"expected one of {', '.join(READINGS)}")
    if not (math.isfinite(args.timeout) and 0 < args.timeout <= MAX_TIMEOUT_S):
        raise BadInput("--timeout", args.timeout, f"expected seconds, more than 0 and at most {MAX_TIMEOUT_S:g}")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise BadInput("--workers", args.workers, f"expected 1 to {MAX_WORKERS} processes")
    if args.csv is not None:
        if not args.sweep:
            raise BadInput("--csv", args.csv, "only with --sweep")
        check_output_file(args.csv, "--csv")
    if args.sweep and args.compare:
        raise BadInput("--compare", " ".join(args.compare), "not with --sweep: ask for one or the other")


def run(args: argparse.Namespace) -> int:
    _check_options(args)
    a, agreement = _inputs(args)
    top = header(agreement)
    if args.sweep:
        from rra.solver.sweep import parse_sweep, run_sweep, to_csv

        spec = parse_sweep(args.sweep, agreement)
        data = run_sweep(spec, a, agreement, args.reading, args.workers, args.timeout, progress)
        if args.csv:
            write_atomic(args.csv, to_csv(data), "--csv")
        data["agreement"] = agreement.describe()
        emit(args, data, lambda d: top + render_sweep(d))
        short = [str(p["value"]) for p in data["points"]
                 if not (p["proved_optimal"] and p.get("with_allowed_delays_status") == "proved")]
        return _unproved(short, f"of the {len(data['points'])} points", "see each point's status")
    if args.compare:
        data = _compare(args, a, agreement)
        emit(args, data, lambda d: top + render_compare(d))
        rows = [("the baseline", data["baseline"]), *((r["change"], r) for r in data["compare"])]
        return _unproved([k for k, r in rows if not _all_proved(r)], "", "see each status")
    data = _solve(args, a, agreement)
    emit(args, data, lambda d: top + render(d))
    if not _all_proved(data):
        sys.stderr.write("rra exposure: a figure is not a proved optimum (see its status and 'reason')\n")
        return 1
    return 0


def _unproved(which: list[str], of: str, see: str) -> int:
    """Exit status 1, said on stderr, when some figure is not a proved optimum; else 0."""
    if not which:
        return 0
    some = first_few(which, 5)
    where = f"at {len(which)} {of}: {some}" if of else some
    sys.stderr.write(f"rra exposure: not every figure is a proved optimum ({where}; {see})\n")
    return 1


__all__ = ["add_arguments", "run", "date"]
