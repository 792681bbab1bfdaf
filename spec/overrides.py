"""Parameter values: the agreement's (or a draft's) with a redraft's overrides applied.

A `ParameterSet` carries the declared parameters (rra.spec.parameters, each cited), their values, where each
value came from (the agreement, the draft, `--set`, an overrides file) and the parameters whose value a draft's
words did not give (`unbound`): reading one of those raises Withheld, so the analysis that needs it is withheld
rather than run on the old value.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from rra.spec.elements import Parameter
from rra.spec.numbers import read_share
from rra.spec.parameters import PARAMETERS

from rra.datafile import read_data
from rra.errors import BadInput, Withheld


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
    if param.unit == "share":
        share = read_share(str(raw)) if not str(raw).strip().replace("/", "").isdigit() else _fraction_share(str(raw))
        if share is None:
            raise BadInput(where, raw, "expected a voting share: majority, all, or a fraction such as 2/3")
        return share
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
        except (ValueError, OverflowError):
            raise BadInput(where, raw, "expected a number") from None
        if not math.isfinite(value_f) or value_f < 0:
            raise BadInput(where, raw, "must be a finite, non-negative number")
        if param.unit == "ratio" and value_f > 1:
            raise BadInput(where, raw, "a percentage is written as a fraction (0.02 for 2%)")
        return int(value_f) if param.unit == "USD" and value_f.is_integer() else value_f
    return raw


def _fraction_share(raw: str) -> str | None:
    num, _, den = raw.strip().partition("/")
    if not den or not num.isdigit() or not den.isdigit() or int(den) == 0 or not 0 < int(num) <= int(den):
        return None
    return "all" if num == den else f"{int(num)}/{int(den)}"


@dataclass(frozen=True)
class ParameterSet:
    """Values of the declared parameters, where each came from, and which a draft's words did not give."""

    values: Mapping[str, Any]
    overridden: tuple[str, ...] = field(default=())
    declared: tuple[Parameter, ...] = PARAMETERS
    origin: Mapping[str, str] = field(default_factory=dict)  # name -> "--set", "--overrides FILE", "draft"
    unbound: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> Any:
        if name not in self.values:
            raise KeyError(f"unknown parameter {name!r}")
        if name in self.unbound:
            p = self.by_name[name]
            raise Withheld(name, p.clause, "whose words the draft changed so that its value cannot be read "
                                           f"(set it with --set {name}=VALUE to run the analysis)")
        return self.values[name]

    def get(self, name: str) -> Any:
        """The value of a parameter, after overrides."""
        return self[name]

    @property
    def by_name(self) -> dict[str, Parameter]:
        """The declarations by name."""
        return {p.id: p for p in self.declared}

    def parameters(self) -> list[Parameter]:
        """The parameters as elements, carrying these values (unbound ones keep their declared value)."""
        return [replace(p, value=self.values[p.id]) for p in self.declared]

    def with_overrides(self, overrides: Mapping[str, Any], origin: str = "--set") -> ParameterSet:
        """A new set with more overrides applied (values are checked and coerced); `origin` says where they came
        from, for messages ("--set", "--overrides FILE")."""
        by_name = self.by_name
        vals = dict(self.values)
        orig = dict(self.origin)
        for name, raw in overrides.items():
            field_name = f"{origin} {name}" if origin == "--set" else f"{origin}: {name}"
            if name not in by_name:
                raise BadInput(field_name, raw, "unknown parameter" + _suggest(name, by_name))
            vals[name] = coerce(by_name[name], raw, field_name)
            orig[name] = origin
        return ParameterSet(vals, tuple(sorted(set(self.overridden) | set(overrides))), self.declared, orig,
                            self.unbound - set(overrides))


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


def apply_overrides(params: ParameterSet, set_items: Iterable[str] = (),
                    overrides_file: str | Path | None = None) -> ParameterSet:
    """The overrides file, then `--set` items, on top of a parameter set."""
    if overrides_file:
        params = params.with_overrides(load_overrides_file(overrides_file), f"--overrides {overrides_file}")
    return params.with_overrides(parse_set(set_items), "--set")


def parameter_set(set_items: Iterable[str] = (), overrides_file: str | Path | None = None) -> ParameterSet:
    """The bundled agreement's parameters with a command's overrides."""
    return apply_overrides(DEFAULTS, set_items, overrides_file)
