"""Benchmark: what reading and binding a draft adds to a command.

Run: python -m bench.bench_binding [--runs N]. Each measurement is a fresh process (imports included), median of
N runs: `load_agreement()` for the bundled text (parse only) and `load_agreement(DRAFT)` for a redraft (read,
parse strictly, bind every parameter and element to the draft's words), and the same two as full `rra coverage`
commands. The difference is what binding a draft costs; the target is at most 0.5 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.timing import median_command

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "tests" / "corpus" / "drafts" / "numbers-redraft.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    load = "from rra.spec.agreement import load_agreement; load_agreement({})"
    bundled = median_command([py, "-c", load.format("")], args.runs, check=True)
    draft = median_command([py, "-c", load.format(repr(str(DRAFT)))], args.runs, check=True)
    cov = median_command([py, "-m", "rra", "coverage", "--json"], args.runs, check=True)
    cov_d = median_command([py, "-m", "rra", "coverage", "--json", "--agreement", str(DRAFT)], args.runs, check=True)
    print(f"load_agreement() bundled            median {bundled:.3f} s")
    print(f"load_agreement(draft)               median {draft:.3f} s  (+{draft - bundled:.3f} s to read and bind)")
    print(f"rra coverage                        median {cov:.3f} s")
    print(f"rra coverage --agreement draft      median {cov_d:.3f} s  (+{cov_d - cov:.3f} s, target <= 0.5 s)")


if __name__ == "__main__":
    main()
