"""`rra check` splits the Z3 checks between two processes (the remedy check in its worker, first): the output is
the one process's, byte for byte. Z3's models depend on what the process asked Z3 before, so these tests run
each side in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The Z3 checks of every kind but the remedy check, printed, after the remedy check or alone.
OTHERS = """
import json, sys
from rra.spec.agreement import load_agreement
from rra.solver.checks import KINDS, run_checks
from rra.solver.provisions import Z3_APART

a = load_agreement(sys.argv[2] if len(sys.argv) > 2 else None)
if sys.argv[1] == "after":
    run_checks(a, list(Z3_APART))
print(json.dumps([f.to_json() for f in run_checks(a, [k for k in KINDS if k not in Z3_APART]).findings],
                 sort_keys=True, default=str))
"""


def _python(code: str, *args: str, serial: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if k != "RRA_SERIAL"}
    if serial:
        env["RRA_SERIAL"] = "1"
    with tempfile.TemporaryDirectory(prefix="rra-test-cwd-") as cwd:
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env,
                              timeout=300)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.stdout


DRAFTS = Path(__file__).parent / "corpus" / "drafts"


@pytest.mark.parametrize("text", [None, "words-and-figures.txt"], ids=["bundled", "words-and-figures"])
def test_asking_the_remedy_check_first_leaves_the_other_z3_checks_answers_as_they_are(text: str | None) -> None:
    # on the draft, the witnesses of the 2(c)(i) readings differed (Z3 chose another of equally good timelines
    # after the remedy check had run) until the earliest one was asked for
    args = [str(DRAFTS / text)] if text else []
    alone, after = _python(OTHERS, "alone", *args), _python(OTHERS, "after", *args)
    assert '"z3.impossible.' in alone and '"z3.reading.' in alone
    assert after == alone


def test_the_z3_analysis_asks_the_kinds_apart_first_each_in_its_own_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from rra.solver import checks, provisions
    from rra.solver.findings import CheckContext, Outcome
    from rra.spec.agreement import load_agreement

    asked: list[list[str]] = []
    monkeypatch.setattr(checks, "run_checks", lambda agreement, kinds: asked.append(list(kinds)) or Outcome([], []))
    provisions.z3_analysis(CheckContext(load_agreement()))
    assert asked == [[k] for k in provisions.Z3_APART] + [[k for k in checks.KINDS if k not in provisions.Z3_APART]]


# Run `rra check` in a fresh interpreter that believes it has 4 cores (the worker is used whatever the machine),
# the worker taking every entry's redline check (the parent takes none), or in one process with RRA_SERIAL set.
CHECK_ALL_IN_WORKER = """
import os, sys
os.cpu_count = lambda: 4
import rra.workers
rra.workers.Shares.front = lambda self: None
from rra.cli import main
sys.exit(main(["check", "--json"]))
"""

CHECK_SERIAL = """
import sys
from rra.cli import main
sys.exit(main(["check", "--json"]))
"""


def test_rra_check_with_its_worker_prints_the_json_of_one_process_byte_for_byte() -> None:
    # the worker asks the remedy check (with its witnesses), the proofs and the consent analysis, then the combined
    # redline run and the entries' checks; which process checks which entry depends on timing (rra.workers.Shares):
    # the answers must not
    away, serial = _python(CHECK_ALL_IN_WORKER), _python(CHECK_SERIAL, serial=True)
    assert '"z3.remedy.' in away and '"redline_check"' in away
    assert away == serial
