"""Shared fixtures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def agreement_text() -> str:
    from rra.spec.text import agreement_text

    return agreement_text()


def run_rra(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the rra command in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "rra", *args], capture_output=True, text=True, input=input, cwd=ROOT)
