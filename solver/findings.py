"""Findings: what `rra check` reports, from any analysis (Z3 checks, text review, consent analysis)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rra.spec.clauses import Document, agreement
from rra.spec.overrides import DEFAULTS, ParameterSet

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One finding. `id` is stable across runs (kind + clause + subject), `sections` are clause ids."""

    id: str
    kind: str
    severity: str
    sections: tuple[str, ...]
    title: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape."""
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "sections": list(self.sections),
            "title": self.title,
            "explanation": self.explanation,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class CheckContext:
    """What an analysis needs: the parsed text (bundled or a draft), the parameters, and which formal
    elements are out of date for this text (their quotes no longer appear in it)."""

    doc: Document
    params: ParameterSet = DEFAULTS
    bundled: bool = True
    stale_elements: frozenset[str] = frozenset()

    @staticmethod
    def default() -> CheckContext:
        """The bundled agreement with its own parameters."""
        return CheckContext(agreement())


# An analysis: context -> findings. Each module that provides one registers it in rra.solver.analyses.
Analysis = Callable[[CheckContext], list[Finding]]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable order: severity, then first section, then id."""
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.sections[:1], f.id))
