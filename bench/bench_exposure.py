"""Benchmark of the worst-case exposure: `python -m bench.bench_exposure [--quick]`.

Prints median times (seconds) for 1-, 2- and 5-year horizons at day granularity with 2, 4 and 10 adversarial
periods: the no-delay worst case (per-effectiveness-date DP, all three readings) and the max-min (the adversary
anticipates the Company's best Allowed Delays: solver/maxmin.py), with each figure's status; the growth with
horizon and period count; and the ratio of the no-delay DP to a brute-force enumeration (coarse grid, small
horizon) and to the independent exact method on the same model (the Z3 Optimize reference). Every figure is
priced again by the plain evaluator inside the timed call.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from rra.solver import exposure
from rra.solver.assumptions import ASSUMPTIONS_DIR, from_mapping, load
from rra.solver.exposure import D, brute_force, evaluator_scaled, optimize, solve_z3
from rra.solver.maxmin import maxmin
from rra.solver.runs import forget_tables
from rra.spec.agreement import load_agreement

from bench.timing import median_call

BUNDLED = load_agreement()

HORIZONS = {"1y": "2004-05-09", "2y": "2005-05-09", "5y": "2008-05-09"}
PERIODS = {2: (1, 0, 1), 4: (1, 1, 2), 10: (3, 3, 4)}


def _cold() -> None:
    exposure._row.cache_clear()
    forget_tables()


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """median_call with every run cold: no month rows or run tables left from the previous one."""
    return median_call(fn, runs, setup=_cold)


def stress(as_of: str, n: int) -> Any:
    """The five-year-stress set with another horizon and n adversarial periods (day granularity)."""
    s, b, nl = PERIODS[n]
    return load(ASSUMPTIONS_DIR / "five-year-stress.yaml").with_values(
        {"as_of": as_of, "stop_orders.max_count": s, "sales_blocked.max_count": b, "not_listed.max_count": nl})


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs = 1 if quick else 3
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"rra exposure benchmark (median of {runs} runs; {os.cpu_count()} cores, load average {load_avg:.2f})\n")
    print("no delays: DP over effectiveness dates, all three readings; max-min: K-total dual bound over the run DP,")
    print("every promising timeline answered exactly by the Company (solver/maxmin.py); USD with 2 decimals")
    print(f"{'horizon':<8} {'periods':>7} {'no-delay s':>11} {'optimum':>12} {'max-min s':>10} {'max-min':>12} "
          f"{'upper bound':>12} {'status':>7} {'evals':>6}")
    nd: dict[tuple[str, int], float] = {}
    mmt: dict[tuple[str, int], float] = {}
    for h, as_of in HORIZONS.items():
        for n in PERIODS:
            a = stress(as_of, n)
            t, r = _median(lambda a=a: optimize(a, BUNDLED, respond=False), runs)
            assert r.proved_optimal
            nd[(h, n)] = t
            tm, m = _median(lambda a=a: maxmin(a, BUNDLED), runs)
            mmt[(h, n)] = tm
            print(f"{h:<8} {n:>7} {t:>11.3f} {float(r.optimum):>12,.2f} {tm:>10.3f} {m.scaled / D * 20000:>12,.2f} "
                  f"{m.bound / D * 20000:>12,.2f} {m.status:>7} {m.evaluations:>6}")
    print("\ngrowth, no delays: 5y/1y at 10 periods = {:.1f}x; 10/2 periods at 5y = {:.1f}x".format(
        nd[("5y", 10)] / nd[("1y", 10)], nd[("5y", 10)] / nd[("5y", 2)]))
    print("growth, max-min:   5y/1y at 10 periods = {:.1f}x; 10/2 periods at 5y = {:.1f}x".format(
        mmt[("5y", 10)] / mmt[("1y", 10)], mmt[("5y", 10)] / mmt[("5y", 2)]))
    target = stress_set = load(ASSUMPTIONS_DIR / "five-year-stress.yaml")
    tn, _ = _median(lambda: optimize(stress_set, BUNDLED, respond=False), runs)
    tm, m = _median(lambda: maxmin(target, BUNDLED), runs)
    print(f"five-year-stress.yaml: no-delay worst case {tn:.2f} s (target 1 s); max-min {tm:.2f} s, {m.status} "
          f"(target: proved within 10 s) -> {'met' if m.status == 'proved' and tm <= 10 else 'NOT met'}")

    print("\nratio to brute force (coarse 14-day grid, horizon to 2004-05-31, every timeline priced by the evaluator)")
    small = from_mapping({
        "as_of": "2004-05-31", "grid_days": 14,
        "pfed": {"earliest": "2003-09-01", "latest": "2003-10-31", "may_never": True},
        "filing": {"earliest": "2003-09-01", "max_days_late": 14, "may_never": True},
        "sec": {"review_min_days": 60, "review_max_days": 120, "may_never_declare": True},
        "stop_orders": {"max_count": 1, "max_days": 14}, "sales_blocked": {"max_count": 0, "max_days": 0},
        "not_listed": {"max_count": 1, "max_days": 14}}, "bench")
    tb, (best, _, tried) = _median(lambda: brute_force(small, BUNDLED, "text", evaluate=evaluator_scaled), 1)
    td, r = _median(lambda: optimize(small, BUNDLED, respond=False), runs)
    assert r.months * D == best
    print(f"brute force {tried} timelines: {tb:.2f} s; fast method {td:.3f} s; ratio {tb / td:.0f}x; optima equal")

    print("\nratio to the independent exact method (Z3 Optimize reference, same model), text reading only")
    print(f"{'instance':<44} {'z3 s':>8} {'dp s':>7} {'ratio':>7}  z3 status")
    cases = [("21-day grid, to 2004-04-15, 1 stop + 1 delist",
              small.with_values({"as_of": "2004-04-15", "grid_days": 21, "stop_orders.max_days": 21,
                                 "not_listed.max_days": 21})),
             ("7-day grid, to 2004-05-31, 1 stop + 1 delist", small.with_values({"grid_days": 7})),
             ("day grid, 1-year horizon, 1 stop + 1 delist",
              stress(HORIZONS["1y"], 2).with_values({"stop_orders.max_days": 30, "not_listed.max_days": 30}))]
    limit = 30.0 if quick else 120.0
    for label, a in cases:
        tz, z = _median(lambda a=a: solve_z3(a, BUNDLED, "text", timeout_s=limit), 1)
        td, r = _median(lambda a=a: optimize(a, BUNDLED, respond=False), runs)
        status = "proved, equal" if z.proved_optimal and z.months == r.months else (
            "proved, DIFFERENT" if z.proved_optimal else f"not proved in {limit:.0f} s ({z.reason})")
        print(f"{label:<44} {tz:>8.2f} {td:>7.3f} {tz / td:>6.0f}x  {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
