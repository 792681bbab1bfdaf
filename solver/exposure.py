"""Worst-case Section 2(c) exposure under an assumption set, with the optimum proved.

The adversary (the SEC, the market, events) picks the Prior Financing Effective Date, the filing date and the
review time the assumptions allow, and the stop orders, blocked-sale periods and delistings after
effectiveness; the question is the largest 2(c) amount owed by `as_of` (docs/SEMANTICS.md).

Two exact methods on the same model:
- `dp` (fast): the effectiveness date E is the only link between the components. For every candidate E,
  (i) is a closed form in the PFED and the filing date, and the best placement of the (ii) and (iii) periods
  in [E, as_of] is a dynamic program over days whose state is the number of periods of each kind left. One
  backward pass gives the best (ii) and (iii) for every E at once; the optimum is the maximum over E. The
  enumeration is exhaustive, so the maximum is proved (nothing is pruned on a guess).
- `z3` (reference): one Z3 Optimize model of the whole problem, used on small horizons to cross-check.
A brute force (`brute_force`) enumerates every timeline of a coarse grid and prices each with the
plain evaluator; on small horizons all three agree exactly (tests/test_exposure.py).

Months are exact: every month count is an integer multiple of 1/D with D = 27,563,340 (divisible by 28, 29,
30, 31 and 365), so the optimizers compare integers and the amount is a Fraction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from rra.solver.assumptions import Assumptions, ImpossibleAssumptions, check_possible
from rra.solver.calendars import EPOCH, FIRST_YEAR, LAST_YEAR, day, from_day
from rra.spec.agreement import Agreement
from rra.spec.overrides import ParameterSet

D = 27_563_340  # lcm(28, 29, 30, 31) * 73: every month length and 365/12 divide it
READINGS = ("text", "ninety-day-literal", "example")
II_KINDS = ("stop_orders", "sales_blocked")
III_KINDS = ("not_listed",)
COMPONENTS = {"i": "late filing or late effectiveness", "ii": "sales cannot be made after effectiveness",
              "iii": "not listed or halted after effectiveness"}


# ---------------------------------------------------------------------------------------------- months


@lru_cache(maxsize=1)
def _month_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Day number -> (month index, day of month); month index -> (day number of its 1st, its length)."""
    first_month = date(FIRST_YEAR, 1, 1)
    firsts, lens = [], []
    y, m = FIRST_YEAR, 1
    while y <= LAST_YEAR + 6:  # span // 28 + 2 months past any start up to the calendars' last day
        d0 = date(y, m, 1)
        y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
        firsts.append(day(d0))
        lens.append((date(y2, m2, 1) - d0).days)
        y, m = y2, m2
    n_days = day(date(LAST_YEAR, 12, 31)) + 1
    month_idx = np.empty(n_days, dtype=np.int64)
    dom = np.empty(n_days, dtype=np.int64)
    for k, f in enumerate(firsts):
        lo, hi = max(f, 0), min(f + lens[k], n_days)
        if lo < hi:
            month_idx[lo:hi] = k
            dom[lo:hi] = np.arange(lo - f + 1, hi - f + 1)
    del first_month
    return month_idx, dom, np.array(firsts, dtype=np.int64), np.array(lens, dtype=np.int64)


def months_scaled(starts: Any, stops: Any, convention: str) -> np.ndarray:
    """D x the months of the runs [start, stop) (stop exclusive; 0 where stop <= start), elementwise."""
    a, x = np.broadcast_arrays(np.asarray(starts, dtype=np.int64), np.asarray(stops, dtype=np.int64))
    span = np.maximum(x - a, 0)
    if convention == "30-day":
        return span * (D // 30)
    if convention == "actual-365":
        return span * (12 * D // 365)
    if convention != "calendar-month":
        raise ValueError(f"unknown month convention {convention!r}")
    month_idx, dom, firsts, lens = _month_tables()
    if span.size == 0:
        return span.copy()
    x = a + span
    n = int(span.max()) // 28 + 2
    k = month_idx[a][..., None] + np.arange(n + 1)
    ann = firsts[k] + np.minimum(dom[a][..., None], lens[k]) - 1  # a + m months, end-of-month clamped
    m = (ann <= x[..., None]).sum(axis=-1) - 1
    base = np.take_along_axis(ann, m[..., None], axis=-1)[..., 0]
    nxt = np.take_along_axis(ann, (m + 1)[..., None], axis=-1)[..., 0]
    return np.asarray(m * D + (x - base) * (D // (nxt - base)), dtype=np.int64)


@lru_cache(maxsize=8192)
def _row(start: int, last_stop: int, convention: str) -> np.ndarray:
    """D x months of [start, x) for every x in 0..last_stop (0 for x <= start), by binary search on the
    anniversaries of start: one row of the month table, shared by every PFED with the same deadline."""
    x = np.arange(last_stop + 1, dtype=np.int64)
    span = np.maximum(x - start, 0)
    if convention != "calendar-month":
        return months_scaled(np.zeros_like(span), span, convention)
    n = max(last_stop - start, 0) // 28 + 2
    ann = _anniversaries(np.array([start]), n)[0]
    xx = np.maximum(x, start)
    m = np.searchsorted(ann, xx, side="right") - 1
    out = m * D + (xx - ann[m]) * (D // (ann[m + 1] - ann[m]))
    out.setflags(write=False)
    return np.asarray(out, dtype=np.int64)


def months_of(start: int, stop: int, convention: str) -> int:
    """D x the months of one run [start, stop)."""
    return int(months_scaled(start, stop, convention))


# ---------------------------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class Timeline:
    """A dated worst case in day numbers. filed/effective None: not by the horizon (effective may also be a
    day after as_of, which counts the same)."""

    as_of: int
    pfed: int | None
    filed: int | None
    effective: int | None
    periods: tuple[tuple[str, int, int], ...] = ()  # (kind, first day, last day), inclusive

    def effective_by_horizon(self) -> int | None:
        """The effective day if it is on or before as_of."""
        return self.effective if self.effective is not None and self.effective <= self.as_of else None

    def scenario(self, principal: int, allowed_delays: list[tuple[int, int]] | None = None) -> dict[str, Any]:
        """The timeline in the evaluator's Scenario field names (dates as date objects)."""
        def per(kind: str) -> list[tuple[date, date]]:
            return [(from_day(s), from_day(e)) for k, s, e in self.periods if k == kind]

        return {
            "principal": principal,
            "prior_financing_effective": None if self.pfed is None else from_day(self.pfed),
            "filed": None if self.filed is None else from_day(self.filed),
            "effective": None if self.effective is None else from_day(self.effective),
            "as_of": from_day(self.as_of),
            "allowed_delays": [(from_day(x), from_day(y)) for x, y in allowed_delays or []],
            "sales_blocked": per("sales_blocked"),
            "stop_orders": per("stop_orders"),
            "not_listed": per("not_listed"),
            "investor_delays": [],
        }


def to_scenario(t: Timeline, principal: int, allowed_delays: list[tuple[int, int]] | None = None) -> Any:
    """The timeline (and the Company's Allowed Delays, if any) as the plain evaluator's Scenario."""
    from rra.solver.scenario import Period, Scenario

    fields = t.scenario(principal, allowed_delays)
    for k in ("allowed_delays", "sales_blocked", "stop_orders", "not_listed", "investor_delays"):
        fields[k] = tuple(Period(x, y) for x, y in fields[k])
    return Scenario(**fields)


def evaluator_scaled(t: Timeline, agreement: Agreement, reading: str) -> int:
    """D x the months the plain evaluator (rra.solver.evaluator.payment) finds for a timeline (cap ignored)."""
    from rra.solver.evaluator import payment

    m = agreement.measure
    uncapped = agreement.with_values({m.cap: None})
    pay = payment(to_scenario(t, 1), uncapped, reading) / Fraction(str(agreement.params[m.rate]))
    scaled = pay * D
    if scaled.denominator != 1:  # pragma: no cover - every month count is a multiple of 1/D
        raise AssertionError(f"evaluator months {pay} not a multiple of 1/{D}")
    return int(scaled)


def deadlines(pfed: int | None, params: ParameterSet, as_of: int | None = None) -> tuple[int, int, int]:
    """(Filing Date, 2(c) effectiveness deadline, start of (i) under the ninety-day-literal reading) in days.
    A PFED after as_of has not happened yet (SEMANTICS.md), so the outside dates govern."""
    fd_out, ed_out = day(params["filing.outside_date"]), day(params["effectiveness.outside_date"])
    if pfed is None or (as_of is not None and pfed > as_of):
        return fd_out, ed_out, ed_out
    ninety = pfed + int(params["effectiveness.days_after_pfed"])
    return min(pfed + int(params["filing.days_after_pfed"]), fd_out), min(ninety, ed_out), ninety


def filed_late(filed: int | None, fd: int, as_of: int) -> bool:
    """Filed after the Filing Date, or not filed by as_of once the Filing Date has passed."""
    return filed > fd if filed is not None and filed <= as_of else as_of > fd


def i_start(pfed: int | None, filed: int | None, effective: int | None, as_of: int, params: ParameterSet,
            reading: str) -> int | None:
    """First day of the (i) period, or None when (i) does not run (SEMANTICS.md, Section 2(c) (i))."""
    fd, ed, ninety = deadlines(pfed, params, as_of)
    stop = effective if effective is not None and effective <= as_of else as_of + 1
    if reading == "example":
        return fd if stop > fd else None
    if filed_late(filed, fd, as_of):
        return fd
    eff_late = effective > ed if effective is not None and effective <= as_of else as_of > ed
    if eff_late:
        return ninety if reading == "ninety-day-literal" else ed
    return None


def components_scaled(t: Timeline, params: ParameterSet, reading: str) -> dict[str, int]:
    """D x the months of each component of a timeline (periods clipped to [effective, as_of], unioned)."""
    conv = params["payments.month_convention"]
    eff = t.effective_by_horizon()
    start = i_start(t.pfed, t.filed, t.effective, t.as_of, params, reading)
    stop = eff if eff is not None else t.as_of + 1
    out = {"i": months_of(start, stop, conv) if start is not None else 0, "ii": 0, "iii": 0}
    if eff is None:
        return out
    for comp, kinds in (("ii", II_KINDS), ("iii", III_KINDS)):
        days = sorted({d for k, s, e in t.periods if k in kinds for d in range(max(s, eff), min(e, t.as_of) + 1)})
        for a, b in _runs(days):
            out[comp] += months_of(a, b + 1, conv)
    return out


def _runs(days: list[int]) -> Iterator[tuple[int, int]]:
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1:
            j += 1
        yield days[i], days[j]
        i = j + 1


def amount(months: Fraction, principal: int, params: ParameterSet) -> Fraction:
    """Principal x Applicable Percentage x months, capped at payments.cap if set."""
    amt = Fraction(principal) * Fraction(str(params["payments.applicable_percentage"])) * months
    cap = params["payments.cap"]
    return min(amt, Fraction(str(cap))) if cap is not None else amt


# ---------------------------------------------------------------------------------------------- result


@dataclass
class ExposureResult:
    """The worst case found: its amount, whether it is proved optimal, the dated timeline and its parts."""

    optimum: Fraction
    months: Fraction
    proved_optimal: bool
    method: str
    reading: str
    timeline: Timeline | None
    principal: int
    components: dict[str, int] = field(default_factory=dict)  # D x months per component
    readings: dict[str, Fraction] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str | None = None
    capped: bool = False
    bound: Fraction | None = None  # an upper bound when not proved (e.g. Z3 stopped by its timeout)
    figures: tuple[Any, Any] | None = None  # (worst case, max-min) as labelled rra.solver.maxmin.Figure records

    def events(self) -> list[dict[str, Any]]:
        """The timeline as dated events, in date order."""
        return self._events(self.timeline)

    @staticmethod
    def events_of(t: Timeline | None) -> list[dict[str, Any]]:
        """A timeline's dated events with ISO dates (the JSON form)."""
        return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in e.items()}
                for e in ExposureResult._events(t)]

    @staticmethod
    def _events(t: Timeline | None) -> list[dict[str, Any]]:
        if t is None:
            return []
        ev: list[dict[str, Any]] = []
        if t.pfed is not None:
            ev.append({"date": from_day(t.pfed), "event": "pfed", "what": "Prior Financing Effective Date"})
        if t.filed is not None and t.filed <= t.as_of:
            ev.append({"date": from_day(t.filed), "event": "filed", "what": "Registration Statement filed"})
        if t.effective is not None and t.effective <= t.as_of:
            ev.append({"date": from_day(t.effective), "event": "effective", "what": "declared effective"})
        labels = {"stop_orders": "stop order", "sales_blocked": "sales blocked", "not_listed": "not listed / halted"}
        for k, s, e in t.periods:
            ev.append({"date": from_day(s), "end": from_day(min(e, t.as_of)), "event": k, "what": labels[k]})
        ev.append({"date": from_day(t.as_of), "event": "as_of", "what": "horizon"})
        return sorted(ev, key=lambda x: (x["date"], x["event"]))

    def component_json(self, params: ParameterSet) -> dict[str, Any]:
        """Each component's months and its contribution in USD (before any cap)."""
        out = {}
        for c, scaled in self.components.items():
            m = Fraction(scaled, D)
            pct = Fraction(str(params["payments.applicable_percentage"]))
            out[c] = {"what": COMPONENTS[c], "months": round(float(m), 6),
                      "amount": round(float(Fraction(self.principal) * pct * m), 2)}
        return out

    def to_json(self, params: ParameterSet) -> dict[str, Any]:
        """The documented `rra exposure --json` shape (no timings: same input, same bytes)."""
        t = self.timeline
        return {
            "optimum": round(float(self.optimum), 2),
            "proved_optimal": self.proved_optimal,
            "months": round(float(self.months), 6),
            "method": self.method,
            "reading": self.reading,
            "capped": self.capped,
            "timeline": self.events_of(self.timeline),
            "components": self.component_json(params),
            "readings": {k: round(float(v), 2) for k, v in sorted(self.readings.items())},
            "scenario": None if t is None else {
                k: (v.isoformat() if isinstance(v, date) else [[a.isoformat(), b.isoformat()] for a, b in v]
                    if isinstance(v, list) else v)
                for k, v in t.scenario(self.principal).items()},
            "reason": self.reason,
            "bound": None if self.bound is None else round(float(self.bound), 2),
            **({f.key: f.to_json(params) for f in self.figures} if self.figures else {}),
        }


def _result(scaled_total: int, t: Timeline | None, a: Assumptions, params: ParameterSet, reading: str, method: str,
            proved: bool, started: float, reason: str | None = None, bound_scaled: int | None = None) -> ExposureResult:
    months = Fraction(scaled_total, D)
    uncapped = amount(months, a.principal, params.with_overrides({"payments.cap": None}))
    amt = amount(months, a.principal, params)
    comps = components_scaled(t, params, reading) if t is not None else {"i": 0, "ii": 0, "iii": 0}
    bound = None if bound_scaled is None else amount(Fraction(bound_scaled, D), a.principal, params)
    return ExposureResult(amt, months, proved, method, reading, t, a.principal, comps, {reading: amt},
                          time.perf_counter() - started, reason, amt < uncapped, bound)


# ---------------------------------------------------------------------------------------------- choices


def _progression(lo: int, hi: int, step: int, anchor_top: bool = False) -> range:
    """lo..hi in steps, anchored at lo (or at hi when anchor_top)."""
    if hi < lo:
        return range(0)
    if anchor_top:
        first = hi - ((hi - lo) // step) * step
        return range(first, hi + 1, step)
    return range(lo, hi + 1, step)


def pfed_choices(a: Assumptions) -> list[int | None]:
    """The PFEDs the adversary may pick (None: never effective)."""
    out: list[int | None] = list(_progression(day(a.pfed_earliest), day(a.pfed_latest), a.grid_days))
    return [*out, None] if a.pfed_may_never else out


def filing_choices(a: Assumptions, pfed: int | None, params: ParameterSet) -> range:
    """The filing days the Company may use given a PFED (latest first on the grid)."""
    fd = deadlines(pfed, params, day(a.as_of))[0]
    return _progression(day(a.filing_earliest), fd + a.filing_max_days_late, a.grid_days, anchor_top=True)


def review_choices(a: Assumptions) -> range:
    """SEC review times in days."""
    return _progression(a.review_min_days, a.review_max_days, a.grid_days)


def period_lengths(a: Assumptions, kind: str) -> list[int]:
    """Lengths a period of a kind may have on the grid (never longer than the horizon: the rest is cut off)."""
    b = getattr(a, kind)
    longest = min(b.max_days, day(a.as_of) + 1)
    return list(range(a.grid_days, longest + 1, a.grid_days)) if b.max_count else []


# ---------------------------------------------------------------------------------------------- DP method


def _component_dp(a: Assumptions, kinds: tuple[str, ...], conv: str) -> tuple[np.ndarray, list[tuple[int, ...]], Any]:
    """Backward DP: V[d, s] = most D-months from periods starting on or after day d (on d's grid residue) with
    s = counts of periods left per kind. Returns V, the list of states, and the per-kind tables."""
    h = day(a.as_of)
    step = a.grid_days
    gap = step * -(-a.min_gap_days // step)  # next start on the grid at least min_gap_days after the end
    counts = [getattr(a, k).max_count for k in kinds]
    states: list[tuple[int, ...]] = [()]
    for c in counts:
        states = [(*s, i) for s in states for i in range(c + 1)]
    index: dict[tuple[int, ...], int] = {s: i for i, s in enumerate(states)}
    lens = {k: np.array(period_lengths(a, k), dtype=np.int64) for k in kinds}
    max_len = max([int(v.max()) for v in lens.values() if v.size] or [0])
    from rra.solver.runs import check_size

    check_size(h + 1, sum(int(v.size) for v in lens.values()) * (max_len // 28 + 2),
               ", ".join(["as_of", *(f"{k}.max_days" for k in kinds)]))
    size = h + 2 + max_len + gap + step
    v = np.zeros((size, len(states)), dtype=np.int64)
    days = np.arange(h + 1)
    tables = {}
    moves = []
    for ci, k in enumerate(kinds):
        ls = lens[k]
        if not ls.size or not counts[ci]:
            continue
        stops = np.minimum(days[:, None] + ls[None, :], h + 1)
        tables[k] = months_scaled(days[:, None], stops, conv)  # (h+1, n_lengths)
        src = np.array([index[s] for s in states if s[ci] > 0])
        dst = np.array([index[(*s[:ci], s[ci] - 1, *s[ci + 1:])] for s in states if s[ci] > 0])
        moves.append((k, ls, src, dst))
    for d in range(h, -1, -1):
        best = v[d + step].copy()
        for k, ls, src, dst in moves:
            nxt = v[d + ls + gap][:, dst] + tables[k][d][:, None]
            best[src] = np.maximum(best[src], nxt.max(axis=0))
        v[d] = best
    return v, states, (tables, moves, gap, step, index)


def _walk_dp(v: np.ndarray, states: list[tuple[int, ...]], extra: Any, start: int, h: int) -> list[tuple[str, int, int]]:
    """Recover the periods of the DP optimum from day `start` with all periods left."""
    tables, moves, gap, step, index = extra
    s = len(states) - 1
    d = start
    out = []
    while d <= h:
        if v[d, s] == v[d + step, s]:
            d += step
            continue
        for k, ls, src, dst in moves:
            hit = np.nonzero(src == s)[0]
            if not hit.size:
                continue
            s2 = int(dst[hit[0]])
            vals = tables[k][d] + v[d + ls + gap, s2]
            j = np.nonzero(vals == v[d, s])[0]
            if j.size:
                ln = int(ls[j[0]])
                out.append((k, d, min(d + ln - 1, h)))
                d, s = d + ln + gap, s2
                break
        else:  # pragma: no cover - the DP values always have a witness
            raise AssertionError("no witness for the DP value")
    return out


def _i_table(a: Assumptions, params: ParameterSet, reading: str) -> tuple[np.ndarray, list[Any]]:
    """Best D-months of (i) for each effectiveness slot E in 0..as_of (as_of+1 = not effective by as_of), -1
    where no choice of PFED, filing and review leads to that slot; with a witness per slot."""
    h = day(a.as_of)
    conv = params["payments.month_convention"]
    best: Any = np.full(h + 2, -1, dtype=np.int64)
    witness: list[Any] = [None] * (h + 2)
    reviews = review_choices(a)
    slots = np.arange(h + 2)
    for p in pfed_choices(a):
        fd, ed, ninety = deadlines(p, params, h)
        fs = filing_choices(a, p, params)
        for late in (True, False):
            sub = [f for f in fs if filed_late(f, fd, h) == late]
            reach = np.zeros(h + 2, dtype=bool)
            if sub and len(reviews):
                lo, hi = sub[0] + reviews[0], sub[-1] + reviews[-1]
                e = np.arange(lo, hi + 1, a.grid_days)
                reach[e[e <= h]] = True
                if hi > h:
                    reach[h + 1] = True
            if sub and a.sec_may_never_declare:
                reach[h + 1] = True
            if a.filing_may_never and filed_late(None, fd, h) == late:
                reach[h + 1] = True
            if not reach.any():
                continue
            stop = np.minimum(slots, h + 1)
            if reading == "example":
                starts = np.full(h + 2, fd)
                trig = stop > fd
            elif late:
                starts = np.full(h + 2, fd)
                trig = np.ones(h + 2, dtype=bool)
            else:
                starts = np.full(h + 2, ninety if reading == "ninety-day-literal" else ed)
                trig = np.where(slots <= h, slots > ed, h > ed)
            val = np.where(trig, _row(int(starts[0]), h + 1, conv)[stop], 0)
            better = reach & (val > best)
            best = np.where(better, val, best)
            for slot in np.nonzero(better)[0]:
                witness[int(slot)] = (p, "late" if late else "on-time")
    return best, witness


def _witness_dates(a: Assumptions, params: ParameterSet, p: int | None, case: str, e: int) -> tuple[int | None, int | None]:
    """A filing day and an effective day (None: never) for PFED p reaching slot e in the given case."""
    h = day(a.as_of)
    fd = deadlines(p, params, h)[0]
    fs = [f for f in filing_choices(a, p, params) if filed_late(f, fd, h) == (case == "late")]
    reviews = review_choices(a)
    for f in reversed(fs):
        for r in reviews:
            if (f + r == e and e <= h) or (e == h + 1 and f + r > h):
                return f, f + r
    if e == h + 1 and fs and a.sec_may_never_declare:
        return fs[-1], None
    if e == h + 1 and a.filing_may_never and filed_late(None, fd, h) == (case == "late"):
        return None, None
    raise AssertionError("no witness for the (i) value")  # pragma: no cover


@dataclass
class _Prepared:
    """The (ii) and (iii) dynamic programs, shared by every reading."""

    h: int
    totals: np.ndarray  # D-months of (ii) + (iii) for each slot
    ii: tuple[Any, np.ndarray] | None  # (ii): the run placement table and its run values (solver/runs.py)
    iii: tuple[np.ndarray, list[tuple[int, ...]], Any]


def _prepare(a: Assumptions, params: ParameterSet) -> _Prepared:
    from rra.solver.maxmin import ii_space
    from rra.solver.runs import run_dp, run_months, run_tables

    h = day(a.as_of)
    conv = params["payments.month_convention"]
    totals = np.zeros(h + 2, dtype=np.int64)
    sp = ii_space(a)
    ii = None
    lmax = min(sp.lmax(), h + 1)  # a run is never longer than the horizon
    if lmax:
        rt = run_tables(0, h, lmax, None, run_months(0, h, lmax, conv))
        pl = run_dp(rt.G, sp, 0, h)
        totals[: h + 1] += pl.best_all()
        ii = (pl, rt.G)
    v, states, extra = _component_dp(a, III_KINDS, conv)
    totals[: h + 1] += v[: h + 1, len(states) - 1]
    return _Prepared(h, totals, ii, (v, states, extra))


def _solve_dp(a: Assumptions, params: ParameterSet, reading: str, prep: _Prepared) -> tuple[int, Timeline]:
    best_i, witness = _i_table(a, params, reading)
    total = np.where(best_i >= 0, best_i + prep.totals, -1)
    e = int(np.argmax(total))
    if total[e] < 0:
        raise ImpossibleAssumptions(["grid_days", "sec.review_min_days", "sec.review_max_days"],
                                    "no filing and review time on this grid reaches any effectiveness date")
    return int(total[e]), timeline_at(a, params, e, witness, prep.ii, prep.iii)


def timeline_at(a: Assumptions, params: ParameterSet, slot: int, witness: list[Any], ii: tuple[Any, np.ndarray] | None,
                iii: tuple[np.ndarray, list[tuple[int, ...]], Any]) -> Timeline:
    """The dated timeline the tables give for an effectiveness slot: the (i) witness's PFED, filing and
    effective days, the (ii) runs of a placement table (with its run values) and the (iii) periods."""
    from rra.solver.runs import walk

    h = day(a.as_of)
    p, case = witness[slot]
    filed, eff = _witness_dates(a, params, p, case, slot)
    periods: list[tuple[str, int, int]] = []
    if slot <= h:
        if ii is not None:
            pl, G = ii
            for r in walk(pl, G, slot):
                periods += r.periods(pl.space, h)
        v, states, extra = iii
        periods += _walk_dp(v, states, extra, slot, h)
    return Timeline(h, p, filed, eff, tuple(sorted(periods, key=lambda x: (x[1], x[0]))))


def optimize(a: Assumptions, agreement: Agreement, reading: str = "text", method: str = "dp",
             timeout_s: float = 60.0, respond: bool = True, progress: Any = None) -> ExposureResult:
    """The worst-case 2(c) amount under the assumptions, the timeline that reaches it, and the optimum under
    every reading. `method`: "dp" (fast, exact) or "z3" (reference Z3 Optimize model, small horizons).
    With `respond`, also the two labelled figures (`res.figures`): this worst case and the max-min, where the
    adversary anticipates the Company's best Allowed Delays (rra.solver.maxmin.figures), both priced again by the
    plain evaluator."""
    agreement.model.payment_measure()  # Withheld if a draft changed the measure's words
    params = agreement.params
    res = _optimize(a, params, reading, method, timeout_s)
    if respond and res.timeline is not None:
        from rra.solver.maxmin import figures

        res.figures = figures(res, a, agreement, reading, timeout_s, progress)
    return res


def _optimize(a: Assumptions, params: ParameterSet, reading: str, method: str, timeout_s: float) -> ExposureResult:
    if reading not in READINGS:
        from rra.errors import BadInput

        raise BadInput("--reading", reading, f"expected one of {', '.join(READINGS)}")
    check_possible(a, params)
    started = time.perf_counter()
    if method == "z3":
        return solve_z3(a, params, reading, timeout_s)
    if method != "dp":
        raise ValueError(f"unknown method {method!r}")
    prep = _prepare(a, params)
    results = {r: _solve_dp(a, params, r, prep) for r in READINGS}
    scaled, t = results[reading]
    check = sum(components_scaled(t, params, reading).values())
    if check != scaled:  # pragma: no cover - the DP and the plain recount are two codings of one rule
        raise AssertionError(f"DP optimum {scaled} but its timeline recounts to {check}")
    res = _result(scaled, t, a, params, reading, "dp", True, started)
    res.readings = {r: amount(Fraction(v[0], D), a.principal, params) for r, v in results.items()}
    res.seconds = time.perf_counter() - started
    return res


# ---------------------------------------------------------------------------------------------- brute force


def enumerate_timelines(a: Assumptions, params: ParameterSet) -> Iterator[Timeline]:
    """Every timeline of the assumption set's grid (only for small horizons and few periods)."""
    h = day(a.as_of)
    step = a.grid_days
    for p in pfed_choices(a):
        filings: list[int | None] = list(filing_choices(a, p, params))
        if a.filing_may_never:
            filings.append(None)
        for f in filings:
            effs: list[int | None] = [] if f is None else [f + r for r in review_choices(a)]
            if f is None or a.sec_may_never_declare:
                effs.append(None)
            seen_never = False
            for e in effs:
                if e is None or e > h:
                    if seen_never:  # every date after the horizon counts the same
                        continue
                    seen_never = True
                    yield Timeline(h, p, f, e)
                    continue
                for periods in _placements(a, e, h, step):
                    yield Timeline(h, p, f, e, periods)


def _placements(a: Assumptions, e: int, h: int, step: int) -> Iterator[tuple[tuple[str, int, int], ...]]:
    """Every placement of the periods on the grid from e: periods of one kind at least min_gap_days apart,
    periods of different kinds anywhere (they may touch or overlap)."""
    gap = a.min_gap_days

    def one_kind(k: str, n: int, first: int) -> Iterator[tuple[tuple[str, int, int], ...]]:
        yield ()
        if n <= 0:
            return
        for s in range(first, h + 1, step):
            for ln in period_lengths(a, k):
                nxt = s + ln + gap
                nxt = e + -(-(nxt - e) // step) * step
                for rest in one_kind(k, n - 1, nxt):
                    yield ((k, s, min(s + ln - 1, h)), *rest)

    def combine(kinds: list[str]) -> Iterator[tuple[tuple[str, int, int], ...]]:
        if not kinds:
            yield ()
            return
        for mine in one_kind(kinds[0], getattr(a, kinds[0]).max_count, e):
            for rest in combine(kinds[1:]):
                yield mine + rest

    yield from combine([*II_KINDS, *III_KINDS])


Evaluator = Callable[[Timeline, Agreement, str], int]


def brute_force(a: Assumptions, agreement: Agreement, reading: str = "text",
                evaluate: Evaluator | None = None) -> tuple[int, Timeline, int]:
    """(best D-months, a timeline reaching it, timelines tried) by enumerating every timeline of the grid."""
    params = agreement.params
    ev = evaluate or (lambda t, ag, r: sum(components_scaled(t, ag.params, r).values()))
    best, arg, n = -1, None, 0
    for t in enumerate_timelines(a, params):
        n += 1
        v = ev(t, agreement, reading)
        if v > best:
            best, arg = v, t
    if arg is None:
        raise ImpossibleAssumptions(["grid_days"], "no timeline on this grid")
    return best, arg, n



# ---------------------------------------------------------------------------------------------- Z3 reference


def solve_z3(a: Assumptions, params: ParameterSet, reading: str = "text", timeout_s: float = 60.0) -> ExposureResult:
    """The reference: the whole problem as one Z3 Optimize model (small horizons only). proved_optimal is
    False, with Z3's reason and its upper bound, when the timeout stops it."""
    import z3
    from rra.solver.z3util import make_optimize

    if a.stop_orders.max_count and a.sales_blocked.max_count:
        from rra.errors import BadInput

        raise BadInput("--method", "z3", "the Z3 reference counts each 2(c)(ii) period on its own and so cannot merge a "
                       "stop order with blocked sales it touches; set stop_orders.max_count or sales_blocked.max_count "
                       "to 0, or use --method dp")
    started = time.perf_counter()
    h, step, conv = day(a.as_of), a.grid_days, params["payments.month_convention"]
    o = make_optimize(int(timeout_s * 1000))
    fda, fdo = int(params["filing.days_after_pfed"]), day(params["filing.outside_date"])
    eda, edo = int(params["effectiveness.days_after_pfed"]), day(params["effectiveness.outside_date"])

    def zmin(x: Any, y: Any) -> Any:
        return z3.If(x < y, x, y)

    def grid_var(name: str, lo: Any, count: int, down: bool = False) -> tuple[Any, Any]:
        j = z3.Int(f"{name}_steps")
        o.add(j >= 0)
        if count >= 0:
            o.add(j <= count)
        return (lo - step * j if down else lo + step * j), j

    has_p = z3.Bool("has_pfed")
    p, _ = grid_var("pfed", day(a.pfed_earliest), (day(a.pfed_latest) - day(a.pfed_earliest)) // step)
    if not a.pfed_may_never:
        o.add(has_p)
    if day(a.pfed_latest) < day(a.pfed_earliest):
        o.add(z3.Not(has_p))
    known_p = z3.And(has_p, p <= h)  # a PFED after as_of has not happened yet
    fd = z3.If(known_p, zmin(p + fda, fdo), fdo)
    ed = z3.If(known_p, zmin(p + eda, edo), edo)
    ninety = z3.If(known_p, p + eda, edo)
    has_f = z3.Bool("filed_ever")
    f, _ = grid_var("filed", fd + a.filing_max_days_late, -1, down=True)
    o.add(z3.Implies(has_f, f >= day(a.filing_earliest)))
    if not a.filing_may_never:
        o.add(has_f)
    decl = z3.Bool("declared")
    if not a.sec_may_never_declare:
        o.add(decl)
    r, _ = grid_var("review", z3.IntVal(a.review_min_days), (a.review_max_days - a.review_min_days) // step)
    o.add(r <= a.review_max_days)
    e = f + r
    eff_by = z3.And(has_f, decl, e <= h)
    filed_known = z3.And(has_f, f <= h)
    late_filing = z3.If(filed_known, f > fd, h > fd)
    late_eff = z3.If(eff_by, e > ed, h > ed)
    stop = z3.If(eff_by, e, h + 1)
    if reading == "example":
        start, runs_i = fd, stop > fd
    else:
        start = z3.If(late_filing, fd, ninety if reading == "ninety-day-literal" else ed)
        runs_i = z3.Or(late_filing, late_eff)
    lo_start = min(0, fdo)
    m_max = (h + 1 - lo_start) // 28 + 2
    ann = z3.Function("anniversary", z3.IntSort(), z3.IntSort(), z3.IntSort())
    if conv == "calendar-month":
        starts = np.arange(lo_start, h + 2)
        table = _anniversaries(starts, m_max + 1)
        for i, s0 in enumerate(starts):
            for m in range(m_max + 2):
                o.add(ann(int(s0), m) == int(table[i, m]))
    count = [0]

    def months_expr(s0: Any, s1: Any) -> Any:
        """D x months of the run [s0, s1) for s0 < s1 (a fresh whole-months variable per run)."""
        if conv == "30-day":
            return (s1 - s0) * (D // 30)
        if conv == "actual-365":
            return (s1 - s0) * (12 * D // 365)
        count[0] += 1
        m = z3.Int(f"whole_months_{count[0]}")
        base, nxt = ann(s0, m), ann(s0, m + 1)
        o.add(m >= 0, m <= m_max, z3.Implies(s0 < s1, z3.And(base <= s1, s1 < nxt)))
        rem, ln = s1 - base, nxt - base
        frac = z3.If(ln == 28, rem * (D // 28), z3.If(ln == 29, rem * (D // 29), z3.If(ln == 30, rem * (D // 30),
                                                                                       rem * (D // 31))))
        return m * D + frac

    val_i = z3.If(z3.And(runs_i, start < stop), months_expr(start, stop), 0)
    terms = [val_i]
    periods: list[tuple[str, Any, Any, Any]] = []
    for kinds in (II_KINDS, III_KINDS):
        comp: list[tuple[str, Any, Any, Any]] = []
        for k in kinds:
            b = getattr(a, k)
            prev = None
            for i in range(b.max_count if period_lengths(a, k) else 0):
                act = z3.Bool(f"{k}_{i}_active")
                s0, _ = grid_var(f"{k}_{i}_start", e, -1)
                ln, q = grid_var(f"{k}_{i}_length", z3.IntVal(0), b.max_days // step)
                o.add(q >= 1, z3.Implies(act, z3.And(eff_by, s0 <= h)))
                if prev is not None:  # symmetry: the i-th period of a kind is used only after the (i-1)-th
                    o.add(z3.Implies(act, z3.And(prev[0], s0 > prev[1])))
                prev = (act, s0)
                comp.append((k, act, s0, ln))
                terms.append(z3.If(act, months_expr(s0, zmin(s0 + ln, h + 1)), 0))
        for x in range(len(comp)):
            for y in range(x + 1, len(comp)):
                _, ax, sx, lx = comp[x]
                _, ay, sy, ly = comp[y]
                o.add(z3.Implies(z3.And(ax, ay), z3.Or(sy >= sx + lx + a.min_gap_days, sx >= sy + ly + a.min_gap_days)))
        periods += comp
    total = z3.Int("total")
    o.add(total == z3.Sum(terms))
    handle = o.maximize(total)
    res = o.check()
    if res == z3.unsat:
        raise ImpossibleAssumptions(["grid_days"], "no timeline satisfies the assumptions (Z3 model unsatisfiable)")
    try:
        mdl = o.model()
    except z3.Z3Exception:
        mdl = None
    if mdl is None or len(mdl) == 0:
        return _result(0, None, a, params, reading, "z3", False, started, reason=f"z3: {o.reason_unknown()}")

    def iv(x: Any) -> int:
        return int(mdl.eval(x, model_completion=True).as_long())

    def bv(x: Any) -> bool:
        return z3.is_true(mdl.eval(x, model_completion=True))

    t = Timeline(h, iv(p) if bv(has_p) else None, iv(f) if bv(has_f) else None,
                 iv(e) if bv(has_f) and bv(decl) else None,
                 tuple(sorted(((k, iv(s0), min(iv(s0) + iv(ln) - 1, h)) for k, act, s0, ln in periods if bv(act)),
                              key=lambda x: (x[1], x[0]))))
    value = sum(components_scaled(t, params, reading).values())
    if res == z3.sat:
        if value != iv(total):  # pragma: no cover - the encoding and the plain recount must agree
            raise AssertionError(f"Z3 optimum {iv(total)} but its timeline recounts to {value}")
        return _result(value, t, a, params, reading, "z3", True, started)
    upper = handle.upper()
    bound = upper.as_long() if z3.is_int_value(upper) else None
    return _result(value, t, a, params, reading, "z3", False, started, reason=f"z3: {o.reason_unknown()}",
                   bound_scaled=bound)


def _anniversaries(starts: np.ndarray, n: int) -> np.ndarray:
    """Day numbers of start + m months (m = 0..n), end-of-month clamped, one row per start (starts >= 0)."""
    month_idx, dom, firsts, lens = _month_tables()
    k = month_idx[starts][:, None] + np.arange(n + 1)
    return np.asarray(firsts[k] + np.minimum(dom[starts][:, None], lens[k]) - 1)


# ---------------------------------------------------------------------------------------------- Allowed Delays


@dataclass
class AllowedDelayResponse:
    """The Company's best answer to one timeline with Allowed Delays (3(f)): the D-months of (ii) it removes and
    the Allowed Delay periods that do it (day numbers, inclusive)."""

    saved: int
    periods: list[tuple[int, int]]
    proved_optimal: bool
    reason: str | None = None


def company_response(t: Timeline, params: ParameterSet, timeout_s: float = 10.0) -> AllowedDelayResponse:
    """The most (ii) the Company can excuse on this timeline with Allowed Delays, exactly
    (`rra.solver.maxmin.company_answer`: a chain dynamic program when the candidates fit one 12-month window,
    CP-SAT otherwise; the module docstring says why both are exact)."""
    from rra.solver.maxmin import Status, company_answer

    ans = company_answer(t, params, timeout_s)
    return AllowedDelayResponse(ans.saved, list(ans.periods), ans.status == Status.PROVED, ans.reason)


__all__ = ["D", "EPOCH", "READINGS", "AllowedDelayResponse", "ExposureResult", "company_response", "Timeline", "amount",
           "brute_force", "components_scaled", "enumerate_timelines", "months_scaled", "optimize"]
