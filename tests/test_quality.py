"""Lint and types: ruff and mypy run as part of the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def _tool(name: str) -> str | None:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else shutil.which(name)


@pytest.mark.skipif(_tool("ruff") is None, reason="ruff not installed")
def test_ruff_finds_nothing() -> None:
    r = subprocess.run([str(_tool("ruff")), "check", "--no-cache", "spec", "solver", "visualize", "rra", "tests", "bench"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(_tool("mypy") is None, reason="mypy not installed")
def test_mypy_finds_nothing(tmp_path: Path) -> None:
    # mypy cannot follow setuptools' package-dir mapping, so lay the package out with symlinks.
    pkg = tmp_path / "rra"
    shutil.copytree(ROOT / "rra", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("spec", "solver", "visualize"):
        os.symlink(ROOT / folder, pkg / folder)
    r = subprocess.run([str(_tool("mypy")), "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"), "-p", "rra"],
                       cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(tmp_path)})
    assert r.returncode == 0, r.stdout + r.stderr
