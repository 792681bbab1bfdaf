"""Benchmark: every `rra` command as a user runs it (fresh processes), against a bare import of Z3 and networkx.

    python -m bench.bench_commands [--runs 5] [--only check,prove] [--markdown]

Each round runs the bare `python -c "import z3, networkx"` and then every command once, so that all of them see
the same machine load; the figures are the medians over the rounds and each command's ratio to the bare import's
median. Outputs go to a temporary folder (nothing is written in the working tree), bytecode is cached in a
temporary folder as an installed package has it. Prints the date, the cores and the load average before and
after, which the figures depend on; `--markdown` prints the table as docs/BENCHMARKS.md records it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name -> (arguments after `rra`, target ratio or None); "{tmp}" is the run's temporary folder
COMMANDS: dict[str, tuple[list[str], float | None]] = {
    "coverage": (["coverage"], None),
    "damages": (["damages", "examples/scenario.yaml"], None),
    "check": (["check"], 10.0),
    "check --no-redline-check": (["check", "--no-redline-check"], 8.0),
    "prove": (["prove"], 4.0),
    "exposure": (["exposure"], 3.0),
    "consent --analyze": (["consent", "--analyze", "--holdings", "examples/holdings.yaml"], 3.0),
    "graph": (["graph", "--out", "{tmp}/graphs"], None),
    "report": (["report", "--out", "{tmp}/report"], 15.0),
}
BARE = [sys.executable, "-c", "import z3, networkx"]


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    took = time.perf_counter() - t
    # 1: a documented negative result (e.g. `rra check` with a high entry), which prints its result; a Python that
    # cannot import rra or Z3 also exits 1, with nothing on stdout
    if r.returncode not in (0, 1) or (r.returncode == 1 and not r.stdout.strip()):
        raise SystemExit(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()[-300:]}")
    return took


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="rounds (fresh processes per command); medians over them")
    ap.add_argument("--only", default="", help="comma-separated command names (default: all)")
    ap.add_argument("--markdown", action="store_true", help="print the table as a Markdown table")
    a = ap.parse_args()
    names = [n.strip() for n in a.only.split(",") if n.strip()] or list(COMMANDS)
    unknown = [n for n in names if n not in COMMANDS]
    if unknown:
        raise SystemExit(f"unknown command {unknown[0]!r}; expected one of {', '.join(COMMANDS)}")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        cmds = {n: [sys.executable, "-m", "rra", *(x.replace("{tmp}", tmp) for x in COMMANDS[n][0])] for n in names}
        load_before = _load()
        for cmd in [BARE, *cmds.values()]:  # warm the file cache and the bytecode
            _wall(cmd, env)
        times: dict[str, list[float]] = {"bare": [], **{n: [] for n in names}}
        for _ in range(a.runs):
            times["bare"].append(_wall(BARE, env))
            for n, cmd in cmds.items():
                times[n].append(_wall(cmd, env))
        load_after = _load()
    med = {n: statistics.median(v) for n, v in times.items()}
    bare = med["bare"]
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} cores  load average {load_before:.2f} before, "
          f"{load_after:.2f} after  {a.runs} rounds (medians)  python {sys.version.split()[0]}")
    rows = [("bare `import z3, networkx`", bare, 1.0, None)]
    rows += [(f"rra {n}", med[n], med[n] / bare, COMMANDS[n][1]) for n in names]
    if a.markdown:
        print("\n| command | median s | ratio | target | |\n| --- | ---: | ---: | ---: | --- |")
        for label, s, r, target in rows:
            ok = "" if target is None else ("met" if r <= target else "**missed**")
            print(f"| {label} | {s:.2f} | {r:.1f}x | {'' if target is None else f'<= {target:g}x'} | {ok} |")
        return
    print(f"{'command':<30}{'median s':>10}{'ratio':>8}{'target':>9}")
    for label, s, r, target in rows:
        mark = "" if target is None else f"<= {target:g}x" + ("" if r <= target else "  MISSED")
        print(f"{label:<30}{s:>10.2f}{r:>7.1f}x  {mark}")


if __name__ == "__main__":
    main()
