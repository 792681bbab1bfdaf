"""The registry of analyses whose findings `rra check` gathers. Each entry is "module:function", the
function taking a CheckContext and returning a list of Findings. A module that is not there yet is skipped."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from rra.solver.findings import Analysis, CheckContext, Finding

ANALYSES: dict[str, str] = {
    "model": "rra.solver.staleness:findings",  # formal elements out of date for a draft
    "text": "rra.solver.review:findings",  # drafting review of the text (defined terms, references, numbers)
    "z3": "rra.solver.checks:findings",  # consistency, impossibility, conflicts, remedies, readings
    "consent": "rra.solver.consent_analysis:findings",  # consent and voting rules
}


def load(name: str) -> Analysis | None:
    """The analysis function registered under a name, or None if its module is not there yet."""
    module_name, _, func = ANALYSES[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    fn: Callable[[CheckContext], list[Finding]] = getattr(module, func)
    return fn
