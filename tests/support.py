"""Shared values for tests: the bundled agreement and redrafts of it."""

from __future__ import annotations

from rra.spec.agreement import Agreement, load_agreement

BUNDLED: Agreement = load_agreement()
PARAMS = BUNDLED.params


def redraft(*items: str) -> Agreement:
    """The bundled agreement with `--set NAME=VALUE` items applied."""
    return BUNDLED.with_overrides(list(items))
