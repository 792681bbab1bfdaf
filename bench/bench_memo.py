"""Benchmark: `rra check` with the review memo and its checked redlines, against a bare import.

Run: python -m bench.bench_memo [--runs N]. Prints medians (seconds) of a bare `python -c "import z3, networkx"`,
`rra check --json` (every analysis, the memo, every redline applied and re-checked), `rra check --json
--no-redline-check`, and, in process, the parts of the memo: the provisions review, building the memo from the
findings, the per-entry redline checks and the combined redline run. The target the brief set is about 10x the bare
import; the analyses alone (Z3, consent, proofs) already take more than that on 2 shared cores, see the ratios.
"""

from __future__ import annotations

import argparse
import os
import sys

from bench.timing import median_command, median_time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    bare = median_command([py, "-c", "import z3, networkx"], args.runs)
    full = median_command([py, "-m", "rra", "check", "--json"], args.runs)
    fast = median_command([py, "-m", "rra", "check", "--json", "--no-redline-check"], args.runs)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"bare python -c 'import z3, networkx'        median {bare:6.2f} s")
    print(f"rra check --json (memo, redlines checked)    median {full:6.2f} s  ratio {full / bare:5.1f}x")
    print(f"rra check --json --no-redline-check          median {fast:6.2f} s  ratio {fast / bare:5.1f}x")

    from rra.solver import memo_build, memo_check, provisions
    from rra.spec.agreement import load_agreement

    from rra.commands.check import gather

    a = load_agreement()
    found = gather(a)["findings"]
    memo = memo_build.build(a, found)
    prov = median_time(lambda: provisions.run(a), args.runs)
    build = median_time(lambda: memo_build.build(a, found), args.runs)
    os.environ["RRA_SERIAL"] = "1"
    serial = median_time(lambda: memo_check.check(a, memo, found), 1)
    del os.environ["RRA_SERIAL"]
    par = median_time(lambda: memo_check.check(a, memo, found), args.runs)
    print(f"provisions review (in process)               median {prov:6.2f} s")
    print(f"building the memo from the findings          median {build:6.2f} s")
    print(f"redline checks, combined run in a worker     median {par:6.2f} s  (one after the other: {serial:.2f} s)")


if __name__ == "__main__":
    main()
