"""Sensitivity sweeps: the worst-case exposure as one assumption or parameter moves, points in parallel.

`NAME=FROM:TO:STEP` names an assumption by its dotted YAML name (`as_of`, `pfed.latest`,
`stop_orders.max_days`, `principal`) or a parameter of the agreement (`payments.applicable_percentage`,
`allowed_delay.max_consecutive`). Dates step in days (`as_of=2004-05-09:2008-05-09:180`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rra.solver.assumptions import SETTABLE, Assumptions, ImpossibleAssumptions
from rra.spec.agreement import Agreement

from rra.errors import BadInput
from rra.limits import decimal

MAX_POINTS = 500


@dataclass(frozen=True)
class SweepSpec:
    """What to sweep: a name and the values it takes."""

    name: str
    target: str  # "assumption" | "parameter"
    values: tuple[Any, ...]


MAX_STEP_DAYS = 15_000  # more than the calendars' whole range (2003-2040)


def _number(text: str, field_name: str) -> int | float:
    """A finite number as written: an int for whole-number text, else a float."""
    value = decimal(text, field_name)
    stripped = text.strip().replace(",", "").replace("_", "")
    if value.denominator == 1 and stripped.lstrip("+-").isdigit():
        return int(value)
    return float(value)


def parse_sweep(item: str, agreement: Agreement) -> SweepSpec:
    """Parse NAME=FROM:TO:STEP (dates step in days); NAME is an assumption or a parameter of the agreement; at
    most MAX_POINTS points, each value checked later by `apply` (run_sweep checks them all before any process
    starts)."""
    BY_NAME = agreement.params.by_name  # noqa: N806
    name, sep, rng = item.partition("=")
    name = name.strip()
    parts = rng.split(":")
    if not sep or len(parts) != 3:
        raise BadInput("--sweep", item, "expected NAME=FROM:TO:STEP, e.g. as_of=2004-05-09:2008-05-09:180")
    if name in SETTABLE:
        target = "assumption"
        kind = SETTABLE[name][1]
    elif name in BY_NAME:
        target = "parameter"
        p = BY_NAME[name]
        kind = "date" if p.unit == "date" else "number"
    else:
        import difflib

        close = difflib.get_close_matches(name, [*SETTABLE, *BY_NAME], n=1, cutoff=0.6)
        raise BadInput("--sweep", name, "unknown assumption or parameter" + (f" (did you mean {close[0]!r}?)" if close else ""))
    lo_s, hi_s, step_s = (x.strip() for x in parts)
    values: list[Any] = []
    if kind == "date":
        try:
            lo, hi = date.fromisoformat(lo_s), date.fromisoformat(hi_s)
        except ValueError:
            raise BadInput("--sweep", item, "FROM and TO must be dates as YYYY-MM-DD for this name") from None
        step_d = _number(step_s, "--sweep STEP")
        if not isinstance(step_d, int) or not 0 < step_d <= MAX_STEP_DAYS:
            raise BadInput("--sweep", step_s, f"the STEP of a date sweep is a whole number of days from 1 to {MAX_STEP_DAYS:,}")
        count = (hi - lo).days // step_d + 1
        if count > MAX_POINTS:
            raise BadInput("--sweep", item, f"more than {MAX_POINTS} points")
        values = [lo + timedelta(days=i * step_d) for i in range(max(count, 0))]
    elif kind in {"int", "number"}:
        lo_n, hi_n, step_n = _number(lo_s, "--sweep FROM"), _number(hi_s, "--sweep TO"), _number(step_s, "--sweep STEP")
        if step_n <= 0:
            raise BadInput("--sweep", step_s, "STEP must be positive")
        if kind == "int" and not all(isinstance(x, int) for x in (lo_n, hi_n, step_n)):
            raise BadInput("--sweep", item, f"{name} takes whole numbers")
        if (hi_n - lo_n) / step_n + 1 > MAX_POINTS:
            raise BadInput("--sweep", item, f"more than {MAX_POINTS} points")
        i = 0
        while lo_n + i * step_n <= hi_n + 1e-12:
            v = lo_n + i * step_n
            values.append(round(v, 10) if isinstance(v, float) else v)
            i += 1
    else:
        raise BadInput("--sweep", name, f"cannot sweep a {kind} assumption")
    if not values:
        raise BadInput("--sweep", item, "FROM is after TO: no points")
    return SweepSpec(name, target, tuple(values))


def apply(a: Assumptions, agreement: Agreement, name: str, value: Any,
          source: str = "--sweep") -> tuple[Assumptions, Agreement]:
    """The assumption set and the agreement with one name set to a value (checked; errors name `source NAME`)."""
    v = value.isoformat() if isinstance(value, date) else value
    if name in SETTABLE:
        try:
            return a.with_values({name: v}), agreement
        except BadInput as exc:
            if exc.field != name or isinstance(exc, ImpossibleAssumptions):
                raise
            raise BadInput(f"{source} {name}", exc.value, exc.problem) from None
    return a, agreement.with_values({name: v}, source)


def _point(job: tuple[Assumptions, Agreement, str, str, Any, float]) -> dict[str, Any]:
    from rra.solver.exposure import optimize

    a, agreement, reading, name, value, timeout_s = job
    try:
        a2, ag2 = apply(a, agreement, name, value)
        r = optimize(a2, ag2, reading, timeout_s=timeout_s, every_reading=False)  # a point shows one reading
    except BadInput as exc:
        return {"value": value, "optimum": None, "proved_optimal": False, "status": None, "space": None,
                "with_allowed_delays": None, "with_allowed_delays_status": None, "with_allowed_delays_bound": None,
                "error": str(exc)}
    comps = r.component_json(ag2.params)
    figs = {f.key: f.to_json(ag2.params) for f in r.figures or ()}
    wc, mm = figs.get("worst_case"), figs.get("worst_case_with_allowed_delays")
    return {"value": value, "optimum": round(float(r.optimum), 2), "proved_optimal": r.proved_optimal,
            "status": wc["status"] if wc else None, "space": wc["space"] if wc else None,
            "with_allowed_delays": mm["value"] if mm else None,
            "with_allowed_delays_status": mm["status"] if mm else None,
            "with_allowed_delays_bound": mm["bound"] if mm else None,
            "months": round(float(r.months), 6),
            "i": comps["i"]["amount"], "ii": comps["ii"]["amount"], "iii": comps["iii"]["amount"], "error": None}


def run_sweep(spec: SweepSpec, a: Assumptions, agreement: Agreement, reading: str = "text", workers: int = 2,
              timeout_s: float = 60.0,
              progress: Callable[[Sequence[Any], str], Iterable[Any]] | None = None) -> dict[str, Any]:
    """Solve every point (in `workers` processes) and return {"name", "target", "reading", "points": [...],
    "plot": {...}}. Each point: value, optimum (no Allowed Delays), proved_optimal, status and space (of that figure),
    months, i, ii, iii, with_allowed_delays (the max-min: the adversary anticipates the Company's best Allowed
    Delays), with_allowed_delays_status (proved | bound | found), with_allowed_delays_bound, error. `progress` wraps
    the points as they are solved (the command line draws a bar with it; the engine draws nothing)."""
    step = progress or (lambda items, label: items)
    jobs = [(a, agreement, reading, spec.name, v, timeout_s) for v in spec.values]
    for v in spec.values:  # a bad value fails here, before any process starts
        apply(a, agreement, spec.name, v)
    points: list[dict[str, Any]] = []
    if workers <= 1 or len(jobs) == 1:
        for j in step(jobs, f"sweep {spec.name}"):
            points.append(_point(j))
    else:
        from rra.workers import pool

        with pool(workers) as workers_pool:
            lazy: Any = _Lazy(workers_pool.imap(_point, jobs), len(jobs))
            for pt in step(lazy, f"sweep {spec.name}"):
                points.append(pt)
    xs = [p["value"].isoformat() if isinstance(p["value"], date) else p["value"] for p in points]
    for p, x in zip(points, xs, strict=True):
        p["value"] = x
    return {
        "name": spec.name, "target": spec.target, "reading": reading, "points": points,
        "plot": {"x": xs, "x_label": spec.name, "y_label": "worst-case 2(c) exposure (USD)",
                 "series": {"total": [p["optimum"] for p in points], "i": [p.get("i") for p in points],
                            "ii": [p.get("ii") for p in points], "iii": [p.get("iii") for p in points],
                            "with_allowed_delays": [p.get("with_allowed_delays") for p in points]}},
    }


class _Lazy:
    """A sized view of an iterator, so the progress bar knows the total."""

    def __init__(self, it: Any, n: int) -> None:
        self._it, self._n = it, n

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Any:
        return iter(self._it)

    def __getitem__(self, i: int) -> Any:  # pragma: no cover - Sequence protocol only
        raise TypeError("not indexable")


CSV_COLUMNS = ("value", "optimum", "proved_optimal", "status", "months", "i", "ii", "iii", "with_allowed_delays",
               "with_allowed_delays_status", "with_allowed_delays_bound", "error")


def to_csv(data: dict[str, Any]) -> str:
    """The sweep as CSV: one row per point, the swept name as the first column's header."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([data["name"], *CSV_COLUMNS[1:]])
    for p in data["points"]:
        w.writerow([p.get(c) if p.get(c) is not None else "" for c in CSV_COLUMNS])
    return buf.getvalue()
