"""Shared fixtures."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from rra.malloc import keep_freed_memory, one_blas_thread

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis keeps its example database and caches in ./.hypothesis of the working folder; tests write only to
# temporary folders. A failing example is printed with its seed, which reproduces it.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="rra-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)  # one per test process, gone when it ends
settings.register_profile("rra", database=None)
settings.load_profile("rra")

# The tests that run analyses in this process make Z3 contexts as the rra program does: keep freed memory for
# the next one as the program does (rra.malloc; the program's own runs set it themselves).
keep_freed_memory()
one_blas_thread()  # as the program does, before any test imports numpy


@pytest.fixture(scope="session")
def agreement_text() -> str:
    from rra.spec.text import agreement_text

    return agreement_text()


def run_rra(*args: str, input: str | None = None, timeout: float | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the rra command in a subprocess, as a user would, in a fresh temporary working folder (so that
    nothing it writes by default, such as ./rra-report/, lands in the repository). Pass absolute paths; `env`: more
    environment variables."""
    with tempfile.TemporaryDirectory(prefix="rra-test-cwd-") as cwd:
        return subprocess.run([sys.executable, "-m", "rra", *args], capture_output=True, text=True, input=input,
                              cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="run the fuzz tests with 2000 examples per strategy and a random seed (RRA_FUZZ_EXAMPLES=N sets N)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-long"):
        os.environ.setdefault("RRA_FUZZ_EXAMPLES", "2000")


def fuzz_examples() -> int:
    """Examples per fuzz strategy asked for by --fuzz-long or RRA_FUZZ_EXAMPLES (0: the default CI size)."""
    raw = os.environ.get("RRA_FUZZ_EXAMPLES", "").strip()
    return int(raw) if raw.isdigit() else 0


@pytest.fixture(autouse=True)
def _z3_usable_after_an_in_process_signal(request: pytest.FixtureRequest) -> Iterator[None]:
    """The signal tests run rra in this process: a signal that arrives between two Z3 checks interrupts the
    main context, which then stays cancelled (simplify returns its input, model evaluation fails) until its next
    check. A run of the rra program ends with the signal; the tests that follow in this process must not inherit
    it, so one trivial check clears it."""
    yield
    if request.module.__name__.rsplit(".", 1)[-1] in ("test_edge", "test_interrupt"):
        import z3

        z3.Solver().check()


@pytest.fixture(scope="module")
def working_folder_left_as_it_was() -> Iterator[None]:
    """For a module whose tests write to temporary folders only: no ./rra-report, nothing else, in the working
    folder, and the working folder itself unchanged (`pytestmark = pytest.mark.usefixtures(...)`)."""
    cwd = Path.cwd()
    before = sorted(p.name for p in cwd.iterdir())
    yield
    assert Path.cwd() == cwd and sorted(p.name for p in cwd.iterdir()) == before


@pytest.fixture(scope="session")
def bundled_gathered() -> Any:
    """`rra check --json`'s analyses of the bundled agreement (gather), computed once per test process."""
    from rra.commands.check import gather
    from tests.support import BUNDLED

    return gather(BUNDLED)


@pytest.fixture(scope="session")
def bundled_memo(bundled_gathered: Any) -> Any:
    """The review memo of the bundled agreement with its redlines checked, computed once per test process (read
    only: a test must not change it)."""
    from rra.solver.memo_check import review_memo

    from tests.support import BUNDLED

    return review_memo(BUNDLED, bundled_gathered["findings"])


HOSTILE_NAME = "<script>alert(1)</script>"


def hostile_scenario(folder: Path) -> Path:
    """The example scenario file with a name that is markup, written into a folder."""
    import re

    p = folder / "hostile.yaml"
    text = (ROOT / "examples" / "scenario.yaml").read_text(encoding="utf-8")
    p.write_text(re.sub(r"(?m)^name:.*$", f"name: '{HOSTILE_NAME}'", text), encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def bundled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole report folder of the bundled agreement, as `rra report --scenario <hostile> --pdf` writes it (the
    PDF when Chromium is here), built once per test process in this process; with the scenario file beside it
    (`hostile.yaml` in the folder's parent). Read only."""
    from rra.visualize import report as rep

    from tests import browser
    from tests.support import BUNDLED

    folder = tmp_path_factory.mktemp("bundled-report")
    out = folder / "rra-report"
    rep.build(out, BUNDLED, scenario_file=str(hostile_scenario(folder)), pdf=browser.CHROMIUM is not None)
    return out
