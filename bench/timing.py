"""Timing helpers shared by the benchmarks: medians of wall time, for a command run as a fresh process or for a
call in this process."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def median_command(cmd: list[str], runs: int, check: bool = False) -> float:
    """Median wall time of `cmd` run `runs` times from the repository root, its output captured (`check`: a
    non-zero exit status raises)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=check)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def median_call(fn: Callable[[], T], runs: int, setup: Callable[[], object] | None = None) -> tuple[float, T]:
    """Median wall time of `fn()` over `runs` calls (`setup()` before each, untimed) and the last call's result."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def median_time(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of `fn()` over `runs` calls (`setup()` before each, untimed)."""
    return median_call(fn, runs, setup)[0]
