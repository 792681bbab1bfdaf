"""Benchmark of the worst-case exposure optimizer: `python -m bench.bench_exposure [--quick]`.

Prints median solve times (proved optimal) of the fast exact method (per-effectiveness-date DP) for 1-, 2- and
5-year horizons at day granularity with 2, 4 and 10 adversarial periods, the growth with horizon and period
count, and the ratio to a brute-force enumeration (coarse grid, small horizon) and to the independent exact
method on the same model (the Z3 Optimize reference).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from rra.solver import exposure
from rra.solver.assumptions import ASSUMPTIONS_DIR, from_mapping, load
from rra.solver.exposure import D, brute_force, company_response, evaluator_scaled, optimize, solve_z3
from rra.spec.agreement import load_agreement

BUNDLED = load_agreement()

HORIZONS = {"1y": "2004-05-09", "2y": "2005-05-09", "5y": "2008-05-09"}
PERIODS = {2: (1, 0, 1), 4: (1, 1, 2), 10: (3, 3, 4)}


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        exposure._row.cache_clear()  # every run starts cold: no month rows left from the previous one
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def stress(as_of: str, n: int) -> Any:
    """The five-year-stress set with another horizon and n adversarial periods (day granularity)."""
    s, b, nl = PERIODS[n]
    return load(ASSUMPTIONS_DIR / "five-year-stress.yaml").with_values(
        {"as_of": as_of, "stop_orders.max_count": s, "sales_blocked.max_count": b, "not_listed.max_count": nl})


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs = 1 if quick else 3
    print(f"rra exposure benchmark (median of {runs} runs; every solve proved optimal)\n")
    print("fast method (DP over effectiveness dates), day granularity, all three readings per solve")
    print("(+answer: the Company's exact best Allowed Delay answer to the worst case, CP-SAT, 1 worker)")
    print(f"{'horizon':<8} {'periods':>7} {'median s':>9} {'optimum USD':>14} {'+answer s':>10} {'answered USD':>14}")
    grid: dict[tuple[str, int], float] = {}
    for h, as_of in HORIZONS.items():
        for n in PERIODS:
            a = stress(as_of, n)
            t, r = _median(lambda a=a: optimize(a, BUNDLED, respond=False), runs)
            assert r.proved_optimal
            grid[(h, n)] = t
            ta, resp = _median(lambda r=r: company_response(r.timeline, BUNDLED.params), runs)
            assert resp.proved_optimal
            r.response = resp
            ans = r.answered(BUNDLED.params)
            print(f"{h:<8} {n:>7} {t:>9.3f} {float(r.optimum):>14,.2f} {ta:>10.3f} {float(ans or 0):>14,.2f}")
    print("\ngrowth: 5y/1y at 10 periods = {:.1f}x; 10/2 periods at 5y = {:.1f}x".format(
        grid[("5y", 10)] / grid[("1y", 10)], grid[("5y", 10)] / grid[("5y", 2)]))
    target = grid[("5y", 10)]
    print(f"target (5-year horizon, 10 periods, proved within 10 s on 2 cores): {target:.2f} s -> "
          f"{'met' if target <= 10 else 'NOT met'}")

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
        tz, z = _median(lambda a=a: solve_z3(a, BUNDLED.params, "text", timeout_s=limit), 1)
        td, r = _median(lambda a=a: optimize(a, BUNDLED, respond=False), runs)
        status = "proved, equal" if z.proved_optimal and z.months == r.months else (
            "proved, DIFFERENT" if z.proved_optimal else f"not proved in {limit:.0f} s ({z.reason})")
        print(f"{label:<44} {tz:>8.2f} {td:>7.3f} {tz / td:>6.0f}x  {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
