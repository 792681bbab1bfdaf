"""Redrafts: override the agreement's parameters by name, from `--set NAME=VALUE` or an overrides file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from rra.spec.elements import Parameter
from rra.spec.parameters import BY_NAME, PARAMETERS

from rra.datafile import read_data
from rra.errors import BadInput


def _suggest(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def coerce(param: Parameter, raw: Any, field_name: str | None = None) -> Any:
    """Turn a raw override (string from the CLI, or a YAML/JSON value) into the parameter's type."""
    where = field_name or param.id
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"null", "none"}):
        if param.nullable:
            return None
        raise BadInput(where, raw, "may not be null")
    if isinstance(param.value, date) or param.unit == "date":
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            raise BadInput(where, raw, "expected a date as YYYY-MM-DD") from None
    if param.choices:
        if str(raw) not in param.choices:
            raise BadInput(where, raw, f"expected one of {', '.join(param.choices)}")
        return str(raw)
    if param.unit in {"days", "months", "count", "shares"}:
        if isinstance(raw, bool):
            raise BadInput(where, raw, f"expected a whole number of {param.basis or ''} {param.unit}".replace("  ", " "))
        try:
            value = int(str(raw).strip()) if not isinstance(raw, int) else raw
        except ValueError:
            raise BadInput(where, raw, f"expected a whole number of {param.basis + ' ' if param.basis else ''}{param.unit}") from None
        if value < 0:
            raise BadInput(where, raw, "must not be negative")
        return value
    if param.unit in {"ratio", "USD"}:
        if isinstance(raw, bool):
            raise BadInput(where, raw, "expected a number")
        try:
            value_f = float(str(raw).strip()) if not isinstance(raw, (int, float)) else float(raw)
        except ValueError:
            raise BadInput(where, raw, "expected a number") from None
        if value_f != value_f or value_f < 0:
            raise BadInput(where, raw, "must be a non-negative number")
        if param.unit == "ratio" and value_f > 1:
            raise BadInput(where, raw, "a percentage is written as a fraction (0.02 for 2%)")
        return int(value_f) if param.unit == "USD" and value_f.is_integer() else value_f
    return raw


@dataclass(frozen=True)
class ParameterSet:
    """The agreement's parameters with a redraft's overrides applied."""

    values: Mapping[str, Any]
    overridden: tuple[str, ...] = field(default=())

    def __getitem__(self, name: str) -> Any:
        if name not in self.values:
            raise KeyError(f"unknown parameter {name!r}")
        return self.values[name]

    def get(self, name: str) -> Any:
        """The value of a parameter, after overrides."""
        return self[name]

    def parameters(self) -> list[Parameter]:
        """The parameters as elements, carrying the overridden values."""
        return [replace(p, value=self.values[p.id]) for p in PARAMETERS]

    def with_overrides(self, overrides: Mapping[str, Any]) -> ParameterSet:
        """A new set with more overrides applied (values are checked and coerced)."""
        vals = dict(self.values)
        for name, raw in overrides.items():
            if name not in BY_NAME:
                raise BadInput(f"--set {name}", raw, "unknown parameter" + _suggest(name, BY_NAME))
            vals[name] = coerce(BY_NAME[name], raw, name)
        return ParameterSet(vals, tuple(sorted(set(self.overridden) | set(overrides))))


DEFAULTS = ParameterSet({p.id: p.value for p in PARAMETERS})


def parse_set(items: Iterable[str]) -> dict[str, str]:
    """Parse `--set NAME=VALUE` items."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput("--set", item, "expected NAME=VALUE, e.g. allowed_delay.max_consecutive=15")
        out[name.strip()] = value.strip()
    return out


def load_overrides_file(path: str | Path) -> dict[str, Any]:
    """Read an overrides file: a YAML or JSON mapping of parameter name to value."""
    data = read_data(path, "--overrides")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadInput("--overrides", str(path), "expected a mapping of parameter name to value")
    return {str(k): v for k, v in data.items()}


def parameter_set(set_items: Iterable[str] = (), overrides_file: str | Path | None = None) -> ParameterSet:
    """The parameters for a command: defaults, then the overrides file, then `--set` items."""
    params = DEFAULTS
    if overrides_file:
        params = params.with_overrides(load_overrides_file(overrides_file))
    return params.with_overrides(parse_set(set_items))
