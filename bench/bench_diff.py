"""Benchmark: `rra diff` of two full drafts against one `rra check`, each in fresh processes.

Run: python -m bench.bench_diff [--runs N]. Prints the medians (seconds) of `python -c "import z3, networkx"`,
`rra check` on the bundled agreement (the command as a user runs it: memo, redlines checked), and
`rra diff OLD NEW` of two drafts neither of which is the bundled text (a layout variant against the numbers
redraft: both sides are read, bound and analysed in full: every analysis, every invariant, the worst case under
every shipped assumption set, every example scenario), and the ratio of the diff to the check. Target: the diff
within 3x the check. Runs alternate (check, diff, check, diff, ...) so that a change in the machine's load
weighs on both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "tests" / "corpus" / "drafts" / "layout-parenthesized.txt"
NEW = ROOT / "tests" / "corpus" / "drafts" / "numbers-redraft.txt"


def _time(cmd: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit status {r.returncode}: {r.stderr.decode()[-300:]}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    bare = statistics.median(_time([py, "-c", "import z3, networkx"]) for _ in range(args.runs))
    checks, diffs = [], []
    for _ in range(args.runs):
        checks.append(_time([py, "-m", "rra", "check", "--json"]))
        diffs.append(_time([py, "-m", "rra", "diff", str(OLD), str(NEW), "--json"]))
    check, diff = statistics.median(checks), statistics.median(diffs)
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.1f} on {os.cpu_count()} cores")
    print(f"bare python -c 'import z3, networkx'   median {bare:.2f} s")
    print(f"rra check (bundled, all analyses)      median {check:.2f} s  ({', '.join(f'{x:.1f}' for x in checks)})  "
          f"ratio {check / bare:.1f}x bare")
    print(f"rra diff {OLD.name} {NEW.name}  median {diff:.2f} s  ({', '.join(f'{x:.1f}' for x in diffs)})  "
          f"ratio {diff / bare:.1f}x bare")
    print(f"diff / check: {diff / check:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
