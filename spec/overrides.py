"""Parameter values: the agreement's (or a draft's) with a redraft's overrides applied.

A `ParameterSet` carries the declared parameters (rra.spec.parameters, each cited), their values, where each
value came from (the agreement, the draft, `--set`, an overrides file) and the parameters whose value a draft's
words did not give (`unbound`): reading one of those raises Withheld, so the analysis that needs it is withheld
rather than run on the old value. Every value a redraft sets is checked against the parameter's bounds.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rra.spec.elements import Parameter
from rra.spec.numbers import read_share
from rra.spec.parameters import PARAMETERS

from rra.datafile import read_data
from rra.errors import BadInput, Withheld
from rra.limits import MAX_AMOUNT, decimal, whole_number


def _suggest(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# What a redraft may set, by unit (and day-count basis). The bounds keep every deadline a parameter produces on
# the calendars (2003-2040: a scenario date plus at most a year), keep the Z3 encoding small enough to solve in
# seconds (its horizon grows with the latest fixed date, its Allowed Delay lemmas with the consecutive cap), and
# keep amounts finite. The README lists them ("Limits").
DATE_RANGE = (date(2003, 1, 1), date(2012, 12, 31))
WHOLE_LIMITS: dict[tuple[str, str | None], tuple[int, int]] = {
    ("days", "calendar"): (0, 365),
    ("days", "business"): (0, 250),
    ("days", "trading"): (0, 250),
    ("months", None): (1, 24),
    ("count", None): (0, 100),
    ("shares", None): (0, MAX_AMOUNT),
}
NUMBER_LIMITS: dict[str, tuple[int, int]] = {"ratio": (0, 1), "USD": (0, MAX_AMOUNT)}


def bounds(param: Parameter) -> tuple[Any, Any] | None:
    """The smallest and largest value a redraft may give this parameter (None: a choice or a name)."""
    if isinstance(param.value, date) or param.unit == "date":
        return DATE_RANGE
    if param.unit in NUMBER_LIMITS:
        return NUMBER_LIMITS[param.unit]
    return WHOLE_LIMITS.get((param.unit, (param.basis or "calendar") if param.unit == "days" else None))


def coerce(param: Parameter, raw: Any, field_name: str | None = None) -> Any:
    """Turn a raw override (string from the CLI, or a YAML/JSON value) into the parameter's type, within the
    parameter's bounds (BadInput naming `field_name` otherwise)."""
    where = field_name or param.id
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"null", "none"}):
        if param.nullable:
            return None
        raise BadInput(where, raw, "may not be null")
    if isinstance(param.value, date) or param.unit == "date":
        if isinstance(raw, datetime):
            raise BadInput(where, raw, "expected a date as YYYY-MM-DD, not a date and time")
        if isinstance(raw, date):
            value_d = raw
        elif isinstance(raw, str):
            try:
                value_d = date.fromisoformat(raw.strip())
            except ValueError:
                raise BadInput(where, raw, "expected a date as YYYY-MM-DD") from None
        else:
            raise BadInput(where, raw, "expected a date as YYYY-MM-DD")
        lo_d, hi_d = DATE_RANGE
        if not lo_d <= value_d <= hi_d:
            raise BadInput(where, value_d.isoformat(), f"must be between {lo_d.isoformat()} and {hi_d.isoformat()}")
        return value_d
    if param.choices:
        if not isinstance(raw, str) or raw not in param.choices:
            raise BadInput(where, raw, f"expected one of {', '.join(param.choices)}")
        return raw
    if param.unit == "share":
        text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
        share = _fraction_share(text) if text.replace("/", "").isdigit() else read_share(text[:80])
        if share is None:
            raise BadInput(where, raw, "expected a voting share: majority, all, or a fraction such as 2/3")
        return share
    limits = bounds(param)
    if param.unit in WHOLE_UNITS and limits is not None:
        what = f"a whole number of {param.basis + ' ' if param.basis else ''}{param.unit}"
        return whole_number(raw, where, int(limits[0]), int(limits[1]), what)
    if param.unit in NUMBER_LIMITS:
        lo, hi = NUMBER_LIMITS[param.unit]
        value = decimal(raw, where, "a number")
        if value < 0:
            raise BadInput(where, raw, "must not be negative")
        if param.unit == "ratio" and value > 1:
            raise BadInput(where, raw, "a percentage is written as a fraction (0.02 for 2%)")
        if value > hi:
            raise BadInput(where, raw, f"must be at most {hi:,}")
        if param.unit == "USD":
            return int(value) if value.denominator == 1 else float(value)
        return float(value)
    return raw


WHOLE_UNITS = ("days", "months", "count", "shares")


def _fraction_share(raw: str) -> str | None:
    num, _, den = raw.strip().partition("/")
    if not den or not num.isdigit() or not den.isdigit() or len(num) > 6 or len(den) > 6 or int(den) == 0 \
            or not 0 < int(num) <= int(den):
        return None
    return "all" if int(num) == int(den) else f"{int(num)}/{int(den)}"


def within_bounds(param: Parameter, value: Any) -> bool:
    """Whether a value (read from a draft's words) is one a redraft may give this parameter."""
    limits = bounds(param)
    if limits is None or value is None or isinstance(value, str):
        return True
    try:
        return bool(limits[0] <= value <= limits[1])
    except TypeError:
        return False


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same type (a value 30 is not the value 30.0)."""
    return type(a) is type(b) and bool(a == b)


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
        return [p if same_value(p.value, self.values[p.id]) else replace(p, value=self.values[p.id]) for p in self.declared]

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "--set") -> ParameterSet:
        """A new set with more overrides applied (values are checked and coerced). `source` is where the user
        wrote them, for error messages and for the record of where each value came from: `--set`,
        `--overrides FILE:`, `--sweep`, `--compare`."""
        by_name = self.by_name
        vals = dict(self.values)
        orig = dict(self.origin)
        for name, raw in overrides.items():
            where = f"{source} {name}"
            if name not in by_name:
                raise BadInput(where, raw, "unknown parameter" + _suggest(name, by_name))
            vals[name] = coerce(by_name[name], raw, where)
            orig[name] = source.rstrip(":")
        return ParameterSet(vals, tuple(sorted(set(self.overridden) | set(overrides))), self.declared, orig,
                            self.unbound - set(overrides))


DEFAULTS = ParameterSet({p.id: p.value for p in PARAMETERS})


def parse_pairs(items: Iterable[str], field: str = "--set") -> list[tuple[str, str]]:
    """Parse `NAME=VALUE` items (of the option `field`), in order."""
    out: list[tuple[str, str]] = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(field, item, "expected NAME=VALUE, e.g. allowed_delay.max_consecutive=15")
        out.append((name.strip(), value.strip()))
    return out


def parse_set(items: Iterable[str]) -> dict[str, str]:
    """Parse `--set NAME=VALUE` items; a name set twice to different values is refused (which would hold?)."""
    out: dict[str, str] = {}
    for name, value in parse_pairs(items):
        if name in out and out[name] != value:
            raise BadInput("--set", f"{name}={value}", f"{name} is also set to {out[name]!r}; set it once")
        out[name] = value
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
        params = params.with_overrides(load_overrides_file(overrides_file), f"--overrides {overrides_file}:")
    return params.with_overrides(parse_set(set_items))


def parameter_set(set_items: Iterable[str] = (), overrides_file: str | Path | None = None) -> ParameterSet:
    """The bundled agreement's parameters with a command's overrides."""
    return apply_overrides(DEFAULTS, set_items, overrides_file)
