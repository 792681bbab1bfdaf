"""Benchmark: evaluate 10,000 random scenarios; report scenarios per second (median of 5 runs).

    python -m bench.bench_evaluator [--n 10000] [--runs 5]

Measures both `evaluate()` (every reading, deadlines, breaches, violations) and `payment()` (one reading's
total, what the optimizer and the Z3 cross-checks call). The scenarios are fixed by a seed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from rra.solver.evaluator import evaluate, payment
from rra.solver.scenario import Period, Scenario
from rra.spec.agreement import load_agreement

BUNDLED = load_agreement()

START, END = date(2003, 5, 9), date(2006, 12, 31)
SPAN = (END - START).days


def _day(rng: random.Random, lo: date = START) -> date:
    return lo + timedelta(days=rng.randrange((END - lo).days + 1))


def _periods(rng: random.Random, n: int, max_len: int) -> tuple[Period, ...]:
    out = []
    for _ in range(rng.randrange(n + 1)):
        s = _day(rng)
        out.append(Period(s, min(END, s + timedelta(days=rng.randrange(max_len)))))
    return tuple(out)


def _allowed(rng: random.Random) -> tuple[Period, ...]:
    out, cursor = [], _day(rng)
    for _ in range(rng.randrange(4)):
        s = cursor + timedelta(days=rng.randrange(90))
        e = s + timedelta(days=rng.randrange(20))
        if e > END:
            break
        out.append(Period(s, e))
        cursor = e + timedelta(days=1)
    return tuple(out)


def scenarios(n: int, seed: int = 2003) -> list[Scenario]:
    """n random scenarios (dates 2003-05-09 .. 2006-12-31, up to a few periods of each kind)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        filed = _day(rng) if rng.random() < 0.9 else None
        eff = _day(rng, filed) if filed is not None and rng.random() < 0.85 else None
        out.append(Scenario(
            as_of=_day(rng, date(2003, 9, 1)), principal=rng.randrange(1_000_001),
            prior_financing_effective=_day(rng) if rng.random() < 0.8 else None, filed=filed, effective=eff,
            sales_blocked=_periods(rng, 3, 90), not_listed=_periods(rng, 2, 60), stop_orders=_periods(rng, 1, 30),
            allowed_delays=_allowed(rng), investor_delays=_periods(rng, 1, 20)))
    return out


def _rate(fn: object, items: list[Scenario], runs: int) -> tuple[float, list[float]]:
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for s in items:
            fn(s)  # type: ignore[operator]
        rates.append(len(items) / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    items = scenarios(args.n)
    payment(items[0], BUNDLED)  # build the calendars' day tables once, outside the timing
    pay, pay_runs = _rate(lambda s: payment(s, BUNDLED), items, args.runs)
    full, full_runs = _rate(lambda s: evaluate(s, BUNDLED), items, args.runs)
    print(f"scenarios: {args.n}, runs: {args.runs}")
    print(f"payment():  median {pay:,.0f} scenarios/s  (runs: {', '.join(f'{r:,.0f}' for r in pay_runs)})")
    print(f"evaluate(): median {full:,.0f} scenarios/s  (runs: {', '.join(f'{r:,.0f}' for r in full_runs)})")
    print(f"ratio payment/evaluate: {pay / full:.1f}x")


if __name__ == "__main__":
    main()
