"""Benchmark: `rra check` on the bundled agreement, and the count-free Allowed Delay proofs.

Run: python -m bench.bench_check [--runs N]. Prints medians (seconds) and the ratio of `rra check` to a bare
`python -c "import z3, networkx"`. Targets (2 cores): `rra check` about 3 s and at most 8x the bare import;
each Allowed Delay proof (the 3(f) caps and the longest blackout, for any number of delays) under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_cmd(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _median_call(fn: object, runs: int) -> tuple[float, str]:
    times, status = [], ""
    for _ in range(runs):
        t = time.perf_counter()
        status = fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times), status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    bare = _median_cmd([py, "-c", "import z3, networkx"], args.runs)
    check = _median_cmd([py, "-m", "rra", "check", "--json"], args.runs)
    z3only = _median_cmd([py, "-m", "rra", "check", "--only", "z3", "--json"], args.runs)
    print(f"bare python -c 'import z3, networkx'  median {bare:.2f} s")
    print(f"rra check (all analyses)               median {check:.2f} s  ratio {check / bare:.1f}x (target <= 8x, ~3 s)")
    print(f"rra check --only z3                    median {z3only:.2f} s  ratio {z3only / bare:.1f}x")

    from rra.solver import adproof
    from rra.spec.agreement import load_agreement

    bundled = load_agreement()

    adproof.calendar_facts(12)  # the calendar arrays, built once per process
    for name, fn in (("3(f) caps, any number of delays", adproof.cap_proof),
                     ("longest blackout, any number of delays", adproof.blackout_proof)):
        def prove(fn: object = fn) -> str:
            return fn(bundled).status  # type: ignore[operator, no-any-return]
        med, status = _median_call(prove, args.runs)
        print(f"allowed-delay proof: {name:<40} median {med:.3f} s  {status}  (target 1 s)")

if __name__ == "__main__":
    main()
