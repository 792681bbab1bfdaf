"""Benchmark: the consent rules and their analysis.

    python -m bench.bench_consent [--runs 3] [--questions 200]

Prints the median wall time of `analyze()` (what `rra consent --analyze` and `rra check --only consent` run),
with and without a holdings file, and of answering one question with the Python evaluator and with Z3
(`decide` vs `z3_decide`, every rule, random coalitions over examples/holdings.yaml), with the ratio Z3 / Python.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from rra.solver.consent import book, decide, z3_decide
from rra.solver.consent_analysis import analyze
from rra.solver.holdings import load_holdings
from rra.spec.agreement import load_agreement

BUNDLED = load_agreement()
PARAMS = BUNDLED.params
BK = book(BUNDLED)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "holdings.yaml"


def _median(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--questions", type=int, default=200)
    a = ap.parse_args()
    h = load_holdings(EXAMPLE, PARAMS)
    rng = random.Random(7)
    members = ["company", *h.ids()]
    qs = [(rng.choice(list(BK.rules)), [m for m in members if rng.random() < 0.5]) for _ in range(a.questions)]

    def py() -> None:
        for rid, cons in qs:
            try:
                decide(BK, rid, h, cons, party="sds")
            except Exception:  # noqa: BLE001 - rules the file cannot answer (same set for both)
                pass

    def zz() -> None:
        for rid, cons in qs:
            z3_decide(BK, rid, h, cons, party="sds")

    t_an = _median(lambda: analyze(BUNDLED), a.runs)
    t_anh = _median(lambda: analyze(BUNDLED, holdings=h), a.runs)
    t_py = _median(py, a.runs) / a.questions
    t_z3 = _median(zz, a.runs) / a.questions
    print(f"analyze() (default roster)          median {t_an:8.3f} s over {a.runs} runs")
    print(f"analyze(holdings=examples/holdings)  median {t_anh:8.3f} s over {a.runs} runs")
    print(f"one question, Python evaluator       median {t_py * 1e3:8.3f} ms")
    print(f"one question, Z3                     median {t_z3 * 1e3:8.3f} ms   ratio Z3/Python {t_z3 / t_py:6.1f}")


if __name__ == "__main__":
    main()
