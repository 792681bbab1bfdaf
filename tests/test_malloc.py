"""The program's allocator settings (rra.malloc)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from rra.malloc import GC_THRESHOLDS, keep_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the thresholds are glibc's")
def test_glibc_takes_the_thresholds_that_keep_freed_memory_for_the_next_z3_context() -> None:
    code = ("import resource, sys, z3\n"
            "from rra.malloc import keep_freed_memory\n"
            "if sys.argv[1] == 'set': assert keep_freed_memory()\n"
            "def step():\n"  # what one analysis step does: a fresh context, a solver, a check, then let go
            "    c = z3.Context(); s = z3.Solver(ctx=c); xs = [z3.Int(f'x{i}', c) for i in range(200)]\n"
            "    s.add(*[xs[i] < xs[i + 1] for i in range(199)]); s.check(); return s.model()[xs[5]]\n"
            "for _ in range(3): step()\n"  # the first steps grow the heap
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
            "for _ in range(20): step()\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)\n")
    # glibc's defaults, held fixed: by default it raises its thresholds itself once mapped chunks are freed, at a
    # moment that depends on what ran before (the comparison failed once under a loaded test run: 1 against 6)
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072"}
    faults = {how: int(subprocess.run([sys.executable, "-c", code, how], capture_output=True, text=True,
                                      check=True, env=env).stdout) for how in ("set", "default")}
    assert faults["set"] * 10 < faults["default"], faults  # measured: 3 against 41,375


def test_the_settings_are_refused_quietly_only_where_the_c_library_has_no_mallopt() -> None:
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc" and sys.platform.startswith("linux"))


def test_the_program_lets_the_cycle_collector_run_less_often() -> None:
    code = ("import gc, sys\nimport rra.cli\n"
            "rra.cli.main = lambda **kw: (print(gc.get_threshold()), 0)[1]\n"  # the program's settings, no command
            "rra.cli.entry()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(GC_THRESHOLDS)
    assert GC_THRESHOLDS[0] > 700  # Python's default first threshold


def test_the_program_ends_after_its_exit_handlers_and_its_output_without_python_s_teardown() -> None:
    # the exit handlers run and stdout is whole; the objects still alive are not freed one by one (a __del__ of
    # one kept to the end would run in Python's own teardown)
    code = """
import atexit, sys
class Kept:
    def __del__(self):
        print("torn down", file=sys.stderr)
kept = Kept()
atexit.register(lambda: print("handler ran", file=sys.stderr))
sys.argv = ["rra", "coverage", "--json"]
from rra.cli import entry
entry()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    plain = subprocess.run([sys.executable, "-m", "rra", "coverage", "--json"], capture_output=True, text=True,
                           check=False)
    assert done.returncode == plain.returncode == 0
    assert done.stdout == plain.stdout and done.stdout.rstrip().endswith("}")
    assert done.stderr.splitlines() == ["handler ran"]


def test_a_bounded_memory_forgets_everything_when_a_new_key_finds_it_full_and_an_object_is_known_by_itself() -> None:
    from rra.memory import Bounded, keep, known, per_object

    m: Bounded[str, int] = Bounded(2)
    assert m.put("a", 1) == 1 and m.put("b", 2) == 2 and m.put("a", 3) == 3 and len(m) == 2  # a known key: kept
    m.put("c", 4)
    assert len(m) == 1 and "c" in m and m.get("a") is None
    made: list[int] = []
    objs: Bounded[tuple[object, ...], tuple[object, int]] = Bounded(8)
    first, second = [1], [1]  # equal, but not the same object
    assert per_object(objs, first, ("k",), lambda: made.append(1) or 10) == 10
    assert per_object(objs, first, ("k",), lambda: made.append(1) or 11) == 10
    assert per_object(objs, second, ("k",), lambda: made.append(1) or 12) == 12
    assert len(made) == 2
    assert known(objs, first, ("k",)) == 10 and known(objs, first, ("other",)) is None
    assert keep(objs, second, ("other",), 13) == 13 and known(objs, second, ("other",)) == 13
    assert known(objs, [1], ("other",)) is None  # an equal object is not this one


def test_the_program_leaves_numpy_one_blas_thread_unless_the_user_chose_a_number() -> None:
    code = ("import os\nimport rra.cli\n"
            "rra.cli.main = lambda **kw: (print(os.environ.get('OPENBLAS_NUM_THREADS')), 0)[1]\n"
            "rra.cli.entry()\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for given, expected in ((None, "1"), ("4", "4")):
        run_env = env if given is None else {**env, "OPENBLAS_NUM_THREADS": given}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=run_env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == expected
