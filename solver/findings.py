"""Findings: what `rra check` reports, from any analysis (Z3 checks, text review, consent analysis), and the
analyses it withheld because a draft changed the words they rest on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rra.spec.agreement import Agreement, load_agreement
from rra.spec.clauses import Document
from rra.spec.overrides import ParameterSet

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
class Withholding:
    """An analysis (or part of one) not run because the text changed the words it rests on."""

    analysis: str
    what: str
    element: str
    clause: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape."""
        return {"analysis": self.analysis, "what": self.what, "element": self.element, "clause": self.clause,
                "reason": self.reason}


@dataclass(frozen=True)
class Outcome:
    """What one analysis returns: its findings and what it withheld."""

    findings: list[Finding]
    withheld: list[Withholding] = field(default_factory=list)


@dataclass(frozen=True)
class CheckContext:
    """What an analysis needs: the agreement (bundled or a draft, with its parameters)."""

    agreement: Agreement

    @property
    def doc(self) -> Document:
        """The parsed text."""
        return self.agreement.document

    @property
    def params(self) -> ParameterSet:
        """The parameter values."""
        return self.agreement.params

    @property
    def bundled(self) -> bool:
        """The bundled agreement's own text."""
        return self.agreement.bundled

    @staticmethod
    def default() -> CheckContext:
        """The bundled agreement with its own parameters."""
        return CheckContext(load_agreement())


# An analysis: context -> outcome. Each registers itself in rra.solver.analyses.
Analysis = Callable[[CheckContext], Outcome]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable order: severity, then first section, then id."""
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.sections[:1], f.id))
