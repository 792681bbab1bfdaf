"""Benchmark: `rra consent --analyze`, as a user runs it (fresh processes), against a bare import of Z3 and networkx.

    python -m bench.bench_consent [--runs 5] [--holders 2,4,8,16,32,50] [--questions 200]

For the bundled holders (examples/holdings.yaml) and for generated holdings files of 2 to 50 holders, prints the
median wall time of `rra consent --analyze --holdings FILE` over fresh processes, the median of a bare
`python -c "import z3, networkx"` measured in the same run (interleaved, so both see the same machine load), and
their ratio; then, in this process, one question answered by the Python evaluator, by the compiled evaluator and
by Z3 (`decide`, `compile_rule(...).passes`, `z3_decide`; every rule, random coalitions over the bundled holders).
Also prints the machine's load average, which the figures depend on.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "holdings.yaml"


def holdings_file(n: int, seed: int = 7) -> dict[str, Any]:
    """A valid holdings file with n holders: about one in five is not an Investor; Debentures, Warrants and shares
    split so that the totals stay within the agreement's caps."""
    rng = random.Random(seed * 1000 + n)
    parties: dict[str, Any] = {}
    for i in range(n):
        investor = i % 5 != 4 or n < 3
        debt = rng.randrange(0, 20_000, 1_000) if investor else 0
        held = rng.randrange(0, 400_000, 10_000)
        warrants = rng.randrange(0, 100_000, 10_000) if investor else 0
        registered = held + debt * 10
        offered = rng.randrange(0, registered + 1, 10_000) if registered else 0
        parties[f"h{i:02d}"] = {
            "is_investor": investor, "debentures_outstanding": debt, "warrants": warrants, "registrable_held": held,
            "registrable_registered": registered, "registrable_offered": min(offered, registered),
            "registrable_included": registered,
        }
    first_holder = next(p for p, r in parties.items() if r["registrable_held"] > 0) if any(
        r["registrable_held"] for r in parties.values()) else None
    if first_holder:
        parties[first_holder]["registered_owner"] = True
    return {"conversion_price": 0.10, "parties": parties}


# The processes run with compiled bytecode, as an installed package has it (pip compiles on install; the bare
# import's z3 and networkx have theirs): kept in a temporary folder, so the tree stays clean even where
# PYTHONDONTWRITEBYTECODE is set. `--no-bytecode` measures with the environment as it is.
ENV = dict(os.environ)


def _wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=ENV)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return time.perf_counter() - t


def measure(path: Path, runs: int) -> tuple[float, float]:
    """Median seconds of the analysis and of the bare import, interleaved."""
    bare = [sys.executable, "-c", "import z3, networkx"]
    cmd = [sys.executable, "-m", "rra", "consent", "--analyze", "--holdings", str(path)]
    _wall(cmd)  # warm the file cache and the bytecode
    a, b = [], []
    for _ in range(runs):
        b.append(_wall(bare))
        a.append(_wall(cmd))
    return statistics.median(a), statistics.median(b)


def questions(n: int) -> tuple[float, float, float]:
    """Milliseconds per question: Python evaluator, compiled evaluator, Z3."""
    from rra.solver.consent import book, compile_rule, decide, readings_for, z3_decide
    from rra.solver.holdings import load_holdings
    from rra.spec.agreement import load_agreement

    agreement = load_agreement()
    bk = book(agreement)
    rd = readings_for(None, bk)
    h = load_holdings(EXAMPLE, agreement.params)
    rng = random.Random(7)
    members = ["company", *h.ids()]
    qs = [(rng.choice(list(bk.rules)), [m for m in members if rng.random() < 0.5]) for _ in range(n)]

    def timed(fn: Any) -> float:
        t = time.perf_counter()
        for rid, cons in qs:
            try:
                fn(rid, cons)
            except Exception:  # noqa: BLE001 - rules the file cannot answer (the same for all three)
                pass
        return (time.perf_counter() - t) / n * 1e3

    py = timed(lambda rid, cons: decide(bk, rid, h, cons, party="sds"))
    comp = timed(lambda rid, cons: compile_rule(bk.rules[rid], h, rd, bk, "sds").passes(frozenset(cons)))
    z = timed(lambda rid, cons: z3_decide(bk, rid, h, cons, party="sds"))
    return py, comp, z


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--holders", default="2,4,8,16,32,50")
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--no-bytecode", action="store_true", help="do not cache compiled bytecode for the processes")
    a = ap.parse_args()
    cache = tempfile.TemporaryDirectory()
    if not a.no_bytecode:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = cache.name
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{time.strftime('%Y-%m-%d')}  {os.cpu_count()} cores  load average {load:.2f}  runs {a.runs} (medians)  "
          f"bytecode {'not cached' if a.no_bytecode else 'cached'}")
    print(f"{'holdings':<24}{'analyze s':>10}{'bare s':>9}{'ratio':>8}")
    cases: list[tuple[str, Path]] = [("examples/holdings.yaml", EXAMPLE)]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in a.holders.split(",") if x.strip()):
            p = Path(tmp) / f"holders-{n}.yaml"
            p.write_text(yaml.safe_dump(holdings_file(n), sort_keys=False))
            cases.append((f"{n} holders", p))
        for label, path in cases:
            t_an, t_bare = measure(path, a.runs)
            print(f"{label:<24}{t_an:>10.3f}{t_bare:>9.3f}{t_an / t_bare:>8.2f}")
    py, comp, z = questions(a.questions)
    print(f"one question: Python evaluator {py:.3f} ms, compiled {comp:.3f} ms, Z3 {z:.3f} ms "
          f"(Z3/Python {z / py:.0f}x)")
    cache.cleanup()


if __name__ == "__main__":
    main()
