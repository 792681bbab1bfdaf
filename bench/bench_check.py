"""Benchmark: `rra check` on the bundled agreement, and the count-free Allowed Delay proofs.

Run: python -m bench.bench_check [--runs N]. Prints medians (seconds) and the ratio of `rra check` to a bare
`python -c "import z3, networkx"`. Targets (2 cores): `rra check` about 3 s and at most 8x the bare import;
each Allowed Delay proof (the 3(f) caps and the longest blackout, for any number of delays) under 1 s.
"""

from __future__ import annotations

import argparse
import sys

from bench.timing import median_call, median_command


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    bare = median_command([py, "-c", "import z3, networkx"], args.runs)
    check = median_command([py, "-m", "rra", "check", "--json"], args.runs)
    z3only = median_command([py, "-m", "rra", "check", "--only", "z3", "--json"], args.runs)
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
        med, status = median_call(prove, args.runs)
        print(f"allowed-delay proof: {name:<40} median {med:.3f} s  {status}  (target 1 s)")

if __name__ == "__main__":
    main()
