"""The worst case a risk team can act on: the adversary anticipates the Company's best Allowed Delays (3(f)).

The adversary (SEC, market, a Company that slips, all within the assumption set) picks a timeline tau; the
Company then answers with the Allowed Delays that excuse the most of 2(c)(ii). The figure is the max-min

    V* = max over tau [ value(tau) - S*(tau) ],   S*(tau) = the most of (ii) the Company can excuse in tau,

and `maxmin()` returns it with its status: `proved` (V* itself), `bound` (a proved upper bound above the best
timeline found) or `found`.

The Company's answer (`company_answer`), exact. Under docs/SEMANTICS.md an Allowed Delay whose trading days
all fit the caps is excused whole, and back-to-back delays are not barred, so `max_consecutive` never binds (unless
it is 0: no delay may hold a trading day, and K = 0, `Rules.delay_days`): the
Company chooses a set X of trading days with at most K = `allowed_delay.max_total` of them in every window
[d, d + window_months) and excuses X plus the blocked non-trading days next to a day of X (a delay Friday to
Sunday costs one trading day). With x per candidate trading day and y per blocked non-trading stretch, the
problem is max sum(w x) + sum(W y) subject to the window rows sum(x over a window) <= K, the pair rows
y_s <= x_before + x_after, and 0 <= x, y <= 1. In date order every x-row (a window, a pair of consecutive
trading days) has consecutive ones and every y-column is a unit column, so the matrix is totally unimodular and
the LP optimum is the integer optimum. When every candidate lies in one window, the window rows collapse to
sum(x) <= K and a chain dynamic program over the trading days with the count in its state is exact; otherwise
GLOP solves the LP, and the answer is proved only by its certificate checked in integers (`_lp_answer`).

The max-min, and why "proved" means proved.
1. Upper bound. The Company may always answer with at most K delay trading days in all (that satisfies every
   window), so S*(tau) >= S_K(tau), the best such answer. By LP duality (the K-total LP is totally unimodular as
   above) S_K = min over theta >= 0 of [K theta + C(tau; theta)], where C(tau; theta) is the most the Company
   excuses when each delay trading day costs theta. C is at most the sum of the same quantity over the runs of
   blocked days (`solver/runs.py`; the sum may charge a day shared by two runs twice, which only lowers C). So
   for every theta, V* <= phi(theta) := max over tau [value(tau) - K theta - sum over runs C(run; theta)], and
   V* <= max over theta of phi(theta).
2. phi(theta) is computed exactly: (i) depends on the timeline only through the effectiveness date E (closed
   form), (iii) is the exact no-delay dynamic program, and the (ii) runs are placed by an exhaustive dynamic
   program over days (`run_dp`) with each run's value T - C(run; theta) tabulated exactly; the maximum is taken
   over every E.
3. The maximum over theta is taken over the integers 0..theta_max without missing anything: for a fixed
   timeline, T - C(theta) is concave piecewise linear in theta with integer marginals, so its K-total optimum is
   reached at an integer theta; above theta_max (more than any run can excuse with one trading day) C = 0 and
   phi decreases. Between two evaluated points a < b every theta in (a, b) is bounded by the smallest of
   (Lipschitz) phi <= Phi(b) - K(a + 1), where Phi = phi + K theta is non-decreasing;
   (tangent at a) T - C(theta) <= [T - C](a) + nmin(a) (theta - a), nmin = fewest delay days at price a;
   (tangent at b) T - C(theta) <= [T - C](b) - nmax(b) (b - theta), nmax = most delay days at price b;
   each maximised over all timelines by the same exhaustive dynamic program with the tangent's run values.
   Intervals whose bound is at most the best exact value found are closed; the others are split.
4. Lower bound. The timelines the search meets are priced exactly after it (highest phi first, while phi
   beats the best value so far): value minus the Company's exact answer (above). One whose value minus the
   Company's K-total answer (a lower bound on its real answer) cannot beat the best is skipped before any
   linear program is solved. The best of these is a real timeline with a real answer.
   When that leaves a gap, the relaxation's best timeline usually spreads its blocked periods over several
   12-month windows (where the real Company has K delay days in each); `confined_search` then solves the same
   run DP with the runs barred outside one window [s, s + 12 months), for every 30th s at the prices with the
   highest phi, and prices those timelines exactly too. Only exact prices count, so this raises the lower bound
   and never the upper one.
5. When every theta interval is closed at or below the best exact value, that value is V*: proved. If the
   search stops first (time budget) or the K-total relaxation is loose (the adversary's best under it spreads
   its blocked periods over more than one 12-month window, where the real Company may use more delay days), the
   result is the best timeline found with status `bound` and the proved upper bound beside it.
Both the timeline and the Company's answer are priced again by the plain evaluator (`reprice`); a
disagreement is an error, never a result.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
from rra.solver.assumptions import Assumptions, check_possible
from rra.solver.calendars import day, from_day
from rra.solver.exposure import (
    D,
    Rules,
    Timeline,
    _component_dp,
    _components,
    _i_table,
    component_json,
    earliest_effective,
    rules_of,
    timeline_at,
    to_scenario,
)
from rra.solver.runs import (
    MAX_CELLS,
    NEG,
    Kind,
    Placement,
    RunTables,
    Space,
    placement,
    run_dp,
    space_of,
    tables,
    tables_many,
    trading_calendar,
)
from rra.spec.agreement import Agreement
from rra.spec.overrides import ParameterSet

from rra.errors import RraError
from rra.memory import Bounded

Progress = Callable[[str, float], None]  # (what, fraction done); the caller draws


class Status(StrEnum):
    """What a figure is: the optimum itself, a proved upper bound, or only the best timeline found."""

    PROVED = "proved"
    BOUND = "bound"
    FOUND = "found"


# ---------------------------------------------------------------------------------------------- the Company


@dataclass(frozen=True)
class CompanyAnswer:
    """The Company's best Allowed Delays for one timeline: the D-months of (ii) excused, the delay trading days,
    the Allowed Delay periods that declare them (day numbers, inclusive), and whether the answer is proved."""

    saved: int
    units: tuple[int, ...]
    periods: tuple[tuple[int, int], ...]
    status: Status
    method: str
    reason: str | None = None


@dataclass
class _Chain:
    """The Company's choices for one timeline: candidate trading days in date order, each one's own blocked
    weight, the blocked weight of the non-trading stretch between it and the next candidate (when they are
    consecutive trading days), and of a stretch after it whose next trading day is past the horizon."""

    days: list[int]
    own: list[int]
    between: list[int]  # between[i]: stretch between days[i] and days[i + 1]
    tail: list[int]  # stretch after days[i] with no candidate after it


def ii_weights(t: Timeline, rules: Rules) -> dict[int, int]:
    """D-months each blocked (ii) day of a timeline adds, by its run (docs/SEMANTICS.md, Counting months)."""
    from rra.solver.exposure import _row, _runs

    eff = t.effective_by_horizon()
    if eff is None:
        return {}
    conv = rules.convention
    days = sorted({d for k, s, e in t.periods if k in rules.ii_kinds for d in range(max(s, eff), min(e, t.as_of) + 1)})
    weight: dict[int, int] = {}
    for a0, b0 in _runs(days):
        row = _row(a0, b0 + 1, conv)
        for x in range(a0, b0 + 1):
            weight[x] = int(row[x + 1] - row[x])
    return weight


def _chain(weight: dict[int, int], h: int) -> _Chain:
    cal = trading_calendar()
    cands: set[int] = set()
    stretch_of: dict[int, tuple[int, int]] = {}
    for x in weight:
        if cal.is_trading(x):
            cands.add(x)
            continue
        lo, hi = cal.prev(x) + 1, min(cal.next(x) - 1, h)
        stretch_of[x] = (lo, hi)
        cands.add(lo - 1)
        if hi + 1 <= h:
            cands.add(hi + 1)
    days = sorted(cands)
    own = [weight.get(d, 0) for d in days]
    between = [0] * len(days)
    tail = [0] * len(days)
    pos = {d: i for i, d in enumerate(days)}
    for lo, hi in set(stretch_of.values()):
        w = sum(weight.get(x, 0) for x in range(lo, hi + 1))
        if hi + 1 in pos:
            between[pos[lo - 1]] += w
        else:
            tail[pos[lo - 1]] += w
    return _Chain(days, own, between, tail)


def _chain_dp(ch: _Chain, cap: int) -> tuple[int, list[int]]:
    """The most a Company with at most `cap` delay trading days in all excuses on the chain, and the days."""
    n = len(ch.days)
    NEGV = -(1 << 60)
    # f[c][s]: best value with c days used, s = previous candidate chosen
    f = [[NEGV, NEGV] for _ in range(cap + 1)]
    f[0][0] = 0
    back: list[list[list[tuple[int, int] | None]]] = []
    for i in range(n):
        Wb = ch.between[i - 1] if i else 0
        g = [[NEGV, NEGV] for _ in range(cap + 1)]
        bk: list[list[tuple[int, int] | None]] = [[None, None] for _ in range(cap + 1)]
        for c in range(cap + 1):
            for s in (0, 1):
                v = f[c][s]
                if v == NEGV:
                    continue
                # not chosen: the stretch before is excused only if the previous day was chosen
                nv = v + (Wb if s else 0)
                if nv > g[c][0]:
                    g[c][0], bk[c][0] = nv, (c, s)
                if c < cap:  # chosen: excuses itself, the stretch before, and a tail stretch after it
                    nv = v + Wb + ch.own[i] + ch.tail[i]
                    if nv > g[c + 1][1]:
                        g[c + 1][1], bk[c + 1][1] = nv, (c, s)
        f = g
        back.append(bk)
    best, arg = NEGV, (0, 0)
    for c in range(cap + 1):
        for s in (0, 1):
            if f[c][s] > best:
                best, arg = f[c][s], (c, s)
    chosen = []
    c, s = arg
    for i in range(n - 1, -1, -1):
        if s:
            chosen.append(ch.days[i])
        prev = back[i][c][s]
        assert prev is not None
        c, s = prev
    return max(best, 0), sorted(chosen)


def _windows(ch: _Chain, cap: int, cal: Any) -> list[tuple[int, int]]:
    """The window rows that can bind: (first, last + 1) candidate indexes of each window [d, d + window_months)
    starting at a candidate d that holds more than `cap` candidates."""
    rows: list[tuple[int, int]] = []
    j = 0
    for i, d in enumerate(ch.days):
        end = cal.end(d)
        j = max(j, i)
        while j < len(ch.days) and ch.days[j] < end:
            j += 1
        if j - i > cap:
            rows.append((i, j))
    return rows


def _dual_bound(ch: _Chain, cap: int, rows: list[tuple[int, int]], u: list[int], p: dict[int, int]) -> int:
    """The dual objective of the Company's linear program for integral dual values u >= 0 (one per window row)
    and p >= 0 (one per pair row, by its first candidate), the duals of the bounds x, y <= 1 taken as small as
    feasibility allows: by weak duality no answer excuses more."""
    n = len(ch.days)
    load = [0] * (n + 1)
    for (a, b), ur in zip(rows, u, strict=True):
        load[a] += ur
        load[b] -= ur
    bound, run = cap * sum(u), 0
    for i in range(n):
        run += load[i]
        bound += max(0, ch.own[i] + ch.tail[i] - run + p.get(i - 1, 0) + p.get(i, 0))
    return bound + sum(max(0, ch.between[i] - p.get(i, 0)) for i in range(n - 1) if ch.between[i])


def _lp_answer(ch: _Chain, cap: int, cal: Any, timeout_s: float) -> tuple[int, list[int], bool, str | None]:
    """The same problem with every window row, as the linear program of the module docstring (GLOP), proved
    exactly: the program is totally unimodular, so GLOP's optimal vertex is whole and so are its dual values;
    the answer is checked in integers to keep every window's cap, and the dual values rounded to integers to give
    the same figure as a bound (weak duality). Without that certificate the answer is only `found`."""
    from ortools.linear_solver import pywraplp

    n = len(ch.days)
    c = [ch.own[i] + ch.tail[i] for i in range(n)]
    rows = _windows(ch, cap, cal)
    pairs = [i for i in range(n - 1) if ch.between[i]]
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(max(1, int(timeout_s * 1000)))
    x = [solver.NumVar(0, 1, f"x{i}") for i in range(n)]
    y = {i: solver.NumVar(0, 1, f"y{i}") for i in pairs}
    pair_rows = {i: solver.Add(y[i] <= x[i] + x[i + 1]) for i in pairs}
    window_rows = [solver.Add(solver.Sum(x[a:b]) <= cap) for a, b in rows]
    solver.Maximize(solver.Sum([c[i] * x[i] for i in range(n)] + [ch.between[i] * y[i] for i in pairs]))
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return 0, [], False, f"glop: status {status}"
    values = [v.solution_value() for v in x]
    picked = [round(v) == 1 for v in values]
    if any(abs(v - round(v)) > 1e-6 for v in values):
        return 0, [], False, "glop: the optimal answer is not whole"
    # the answer, in integers: every window keeps its cap, and a stretch between two candidates is excused when
    # either is chosen
    if any(sum(picked[a:b]) > cap for a, b in rows):
        return 0, [], False, "glop: the answer breaks a window's cap"
    value = sum(c[i] for i in range(n) if picked[i]) + sum(ch.between[i] for i in pairs if picked[i] or picked[i + 1])
    # the certificate: integral dual values u (windows) and p (pairs); the bound duals follow from them
    chosen = [d for i, d in enumerate(ch.days) if picked[i]]
    u = [round(r.dual_value()) for r in window_rows]
    p = {i: round(pair_rows[i].dual_value()) for i in pairs}
    if any(v < 0 for v in u) or any(v < 0 for v in p.values()):
        return value, chosen, False, "glop: no certificate"
    bound = _dual_bound(ch, cap, rows, u, p)
    if bound != value:
        return value, chosen, False, f"glop: no certificate (the dual values bound it by {bound}, not {value})"
    return value, chosen, True, None


def _periods(chosen: list[int], h: int, max_con: int) -> tuple[tuple[int, int], ...]:
    """Allowed Delay periods declaring the chosen trading days and the stretches next to them (clipped to h):
    back-to-back periods of at most max_consecutive trading days each (every trading day in them is chosen)."""
    cal = trading_calendar()
    covered: set[int] = set()
    for d in chosen:
        covered.add(d)
        lo, hi = cal.prev(d) + 1, d - 1
        covered.update(range(lo, hi + 1))
        lo, hi = d + 1, min(cal.next(d) - 1, h)
        covered.update(range(lo, hi + 1))
    days = sorted(x for x in covered if x <= h)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1:
            j += 1
        start, count = days[i], 0
        for x in range(days[i], days[j] + 1):
            if cal.is_trading(x):
                if count == max_con:
                    out.append((start, x - 1))
                    start, count = x, 0
                count += 1
        out.append((start, days[j]))
        i = j + 1
    return tuple(out)


def k_total_saving(t: Timeline, rules: Rules) -> int:
    """The most the Company excuses in a timeline with at most K delay trading days in all: a lower bound on its
    best answer (any such choice keeps every window's cap), exact when the candidates fit in one window."""
    weight = ii_weights(t, rules)
    if not weight or rules.delay_days <= 0:
        return 0
    return _chain_dp(_chain(weight, t.as_of), rules.delay_days)[0]


def company_answer(t: Timeline, agreement: Agreement, timeout_s: float = 10.0) -> CompanyAnswer:
    """The Company's best Allowed Delay answer to one timeline, exactly (see the module docstring), under the
    agreement's Allowed Delay caps (`Measure.allowed_delay`)."""
    return _company_answer(t, rules_of(agreement), timeout_s)


# Proved answers by what they are computed from (the (ii) weights, the horizon and the caps): the timelines of a
# sweep's points repeat (20 answers, 6 distinct, on the report's sweep), and an answer found but not proved is
# asked again.
_PROVED: Bounded[tuple[Any, ...], CompanyAnswer] = Bounded(4096)


def _company_answer(t: Timeline, rules: Rules, timeout_s: float = 10.0) -> CompanyAnswer:
    cap = rules.delay_days
    weight = ii_weights(t, rules)
    if not weight or cap <= 0:
        return CompanyAnswer(0, (), (), Status.PROVED, "none")
    key = (tuple(sorted(weight.items())), t.as_of, cap, rules.window_months, rules.max_consecutive)
    hit = _PROVED.get(key)
    if hit is None:
        hit = _solve_company(weight, t.as_of, rules, timeout_s)
        if hit.status == Status.PROVED:
            _PROVED.put(key, hit)
    return hit


def _solve_company(weight: dict[int, int], as_of: int, rules: Rules, timeout_s: float) -> CompanyAnswer:
    cap = rules.delay_days
    ch = _chain(weight, as_of)
    cal = trading_calendar(rules.window_months)
    one_window = ch.days[-1] < cal.end(ch.days[0])
    if one_window:
        saved, chosen = _chain_dp(ch, cap)
        status, method, reason = Status.PROVED, "chain-dp", None
    else:
        saved, chosen, ok, reason = _lp_answer(ch, cap, cal, timeout_s)
        status, method = (Status.PROVED if ok else Status.FOUND), "linear-program"
    periods = _periods(chosen, as_of, rules.max_consecutive)
    return CompanyAnswer(saved, tuple(chosen), periods, status, method, reason)


# ---------------------------------------------------------------------------------------------- the max-min


def ii_space(a: Assumptions, rules: Rules) -> Space:
    """The placements the assumption set allows for the periods of the component Allowed Delays excuse (2(c)(ii):
    stop orders and blocked sales)."""
    return space_of([Kind(k, getattr(a, k).max_count, getattr(a, k).max_days) for k in rules.ii_kinds], a.grid_days,
                    a.min_gap_days)


@dataclass
class _Setup:
    """Everything the search shares: the (i) and (iii) parts per effectiveness slot, and the (ii) space."""

    a: Assumptions
    rules: Rules
    reading: str
    h: int
    conv: str
    base: np.ndarray  # D-months of (i) + (iii) per slot E in 0..h+1 (-1: unreachable)
    witness: list[Any]
    iii: tuple[np.ndarray, list[tuple[int, ...]], Any]
    space: Space
    a0: int
    lmax: int


def _setup(a: Assumptions, rules: Rules, reading: str) -> _Setup:
    h = day(a.as_of)
    conv = rules.convention
    best_i, witness = _i_table(a, rules, reading)
    v3, st3, ex3 = _component_dp(a, rules, rules.iii_kinds, earliest_effective(a))
    iii = np.zeros(h + 2, dtype=np.int64)
    iii[: h + 1] = v3[: h + 1, len(st3) - 1]  # (iii) has no Allowed Delay: its no-delay table serves as is
    base = np.where(best_i >= 0, best_i + iii, -1)
    sp = ii_space(a, rules)
    reach = np.nonzero(base[: h + 1] >= 0)[0]
    a0 = int(reach[0]) if reach.size else h
    lmax = min(sp.lmax(), h - a0 + 1)  # a run is never longer than the horizon
    return _Setup(a, rules, reading, h, conv, base, witness, (v3, st3, ex3), sp, a0, lmax)


@dataclass
class _Eval:
    """phi at one theta (and Phi = phi + K theta) and the best effectiveness slot."""

    theta: int
    phi: int
    Phi: int
    slot: int


def _totals(S: _Setup, pl: Placement | None) -> np.ndarray:
    """D-months of (i) + (ii) + (iii) per slot for a placement table (slot h + 1: never effective)."""
    tot = S.base.copy()
    if pl is not None:
        ii = pl.best_all()
        ok = tot[S.a0: S.h + 1] >= 0
        tot[S.a0: S.h + 1] = np.where(ok, tot[S.a0: S.h + 1] + ii, -1)
    return tot


def _timeline(S: _Setup, slot: int, pl: Placement | None, G: np.ndarray | None) -> Timeline:
    """The timeline the tables give for an effectiveness slot."""
    return timeline_at(S.a, S.rules, slot, S.witness, (pl, G) if pl is not None and G is not None else None, S.iii)


@dataclass
class MaxMin:
    """The max-min in D-months: the best timeline found and the Company's exact answer to it (`scaled` is its
    value after the answer), the proved upper bound, and the status."""

    scaled: int
    bound: int
    status: Status
    timeline: Timeline
    answer: CompanyAnswer
    evaluations: int
    seconds: float
    reason: str | None = None
    theta: int | None = None


def theta_max(S: _Setup) -> int:
    """A price above anything one delay trading day can excuse: the Company then declares none."""
    cal = trading_calendar()
    seg = cal.trading[S.a0 - cal.lo: S.h - cal.lo + 2]
    longest, run = 0, 0
    for t in seg:
        run = 0 if t else run + 1
        longest = max(longest, run)
    return (2 * longest + 1) * (D // 28) + 1


def maxmin(a: Assumptions, agreement: Agreement, reading: str = "text", timeout_s: float = 60.0,
           progress: Progress | None = None) -> MaxMin:
    """The worst case when the adversary anticipates the Company's best Allowed Delays (module docstring)."""
    rules = rules_of(agreement)
    rules.reading(reading)
    check_possible(a, agreement)
    started = time.perf_counter()
    S = _setup(a, rules, reading)
    K = rules.delay_days
    evals: dict[int, _Eval] = {}

    def no_company() -> MaxMin:
        rt = tables(S.a0, S.h, S.lmax, None, S.conv) if S.lmax else None
        pl, G = placement(rt, S.space) if rt is not None else (None, None)
        tot = _totals(S, pl)
        slot = int(np.argmax(tot))
        t = _timeline(S, slot, pl, G)
        ans = _company_answer(t, rules)
        val = sum(_components(t, rules, reading).values()) - ans.saved
        return MaxMin(val, val, Status.PROVED, t, ans, 1, time.perf_counter() - started)

    if K <= 0 or not S.lmax or not S.space.kinds:
        return no_company()
    best: dict[str, Any] = {"scaled": -1, "timeline": None, "answer": None, "theta": None}
    seen: set[Timeline] = set()

    pending: list[tuple[int, int, Timeline]] = []  # (phi, theta, the timeline the tables give), priced by `flush`

    def flush() -> None:
        """Price the kept timelines, highest phi first, while phi beats the best exact value (as each would have
        been priced when found; highest first, the best value rises soonest and `price` skips more), and while the
        time budget lasts once one is priced."""
        for phi, theta, t in sorted(pending, key=lambda p: (-p[0], p[1])):
            if phi <= best["scaled"] or (best["timeline"] is not None and over()):
                break
            price(t, theta)
        pending.clear()

    def price(t: Timeline, theta: int) -> None:
        """Price one timeline exactly (its value less the Company's proved best answer) and keep the best. A
        timeline whose value less the Company's best answer with K delay trading days *in all* (a lower bound on
        its real answer, `k_total_saving`) cannot beat the best is not priced further."""
        if t in seen:
            return
        seen.add(t)
        gross = sum(_components(t, rules, reading).values())
        if gross - k_total_saving(t, rules) <= best["scaled"]:
            return
        ans = _company_answer(t, rules, timeout_s=max(1.0, timeout_s / 10))
        if ans.status != Status.PROVED:
            return  # an answer not proved best is no lower bound on the max-min
        val = gross - ans.saved
        if val > best["scaled"]:
            best.update(scaled=val, timeline=t, answer=ans, theta=theta)

    def evaluate(theta: int) -> _Eval:
        """phi at theta; the timeline the tables give is kept for `flush` (the tables stay in `runs.tables`)."""
        if theta in evals:
            return evals[theta]
        pl, G = placement(tables_at(theta), S.space)
        tot = _totals(S, pl)
        slot = int(np.argmax(tot))
        ev = _Eval(theta, int(tot[slot]) - K * theta, int(tot[slot]), slot)
        evals[theta] = ev
        pending.append((ev.phi, theta, _timeline(S, slot, pl, G)))
        return ev

    def tables_at(theta: int) -> RunTables:
        return tables(S.a0, S.h, S.lmax, theta, S.conv)

    def dp_max(G: np.ndarray) -> int:
        return int(_totals(S, run_dp(G, S.space, S.a0, S.h)).max())

    def over() -> bool:
        return time.perf_counter() - started > timeout_s

    reason = None
    top = theta_max(S)
    seeds = {0, top} | {min(top, k * (D // n)) for n in (28, 29, 30, 31) for k in (1, 2, 3)}
    phis: dict[int, int] = {}
    # the seeds' tables in one pass when it is one pass of run tables (MAX_CELLS), else the two ends first (with
    # them every price is bounded, 3) and then the others one by one; each price evaluated while the budget lasts
    one_pass = (S.h - S.a0 + 1) * S.lmax * len(seeds) <= MAX_CELLS
    tables_many(S.a0, S.h, S.lmax, tuple(sorted(seeds)) if one_pass else (0, top), S.conv)
    for th in (0, top):
        phis[th] = evaluate(th).phi
    rest = sorted(seeds - {0, top})
    for th in rest:  # (not one pass: each price's tables are made as it is evaluated, the budget checked between)
        if over():
            reason = f"time budget of {timeout_s:g} s spent while evaluating the starting prices"
            break
        phis[th] = evaluate(th).phi
    M = max(phis.values())

    def bound(lo: int, hi: int) -> int:
        """An upper bound on phi over the integers strictly between lo and hi (module docstring, 3); once the time
        budget is spent, the first (Lipschitz) bound alone."""
        if hi - lo <= 1:
            return -(1 << 62)
        b = evals[hi].Phi - K * (lo + 1)
        if b <= M or over():
            return b
        ta, tb = tables_at(lo), tables_at(hi)
        left = dp_max(np.where(ta.T >= 0, ta.G + ta.nmin.astype(np.int64) * (hi - lo), ta.G))
        b = min(b, max(phis[lo], left - K * hi))
        if b <= M or over():
            return b
        right = dp_max(np.where(tb.T >= 0, tb.G - tb.nmax.astype(np.int64) * (hi - lo), tb.G))
        return min(b, max(phis[hi], right - K * lo))

    pts = sorted(phis)
    heap = [(-bound(x, y), x, y) for x, y in zip(pts, pts[1:], strict=False)]
    heapq.heapify(heap)
    while heap and reason is None:
        nb, lo, hi = heap[0]
        if -nb <= M:
            break
        if over():
            reason = f"time budget of {timeout_s:g} s spent while closing the price intervals"
            break
        heapq.heappop(heap)
        mid = (lo + hi) // 2
        phis[mid] = evaluate(mid).phi
        M = max(M, phis[mid])
        for x, y in ((lo, mid), (mid, hi)):
            b = bound(x, y)
            if b > M:
                heapq.heappush(heap, (-b, x, y))
        if progress is not None:
            progress("max-min", min(0.99, len(phis) / (len(phis) + len(heap) + 1)))
    flush()
    U = max(M, max((-nb for nb, _x, _y in heap), default=M))
    if best["scaled"] < U and reason is None:
        by_phi = sorted(phis, key=lambda th: -phis[th])[:CONFINED_THETAS]
        if not confined_search(S, by_phi, tables_at, best, price, over):
            reason = f"time budget of {timeout_s:g} s spent while searching one-window timelines"
    if best["timeline"] is None:  # pragma: no cover - the seeds always price a timeline
        raise AssertionError("no timeline priced")
    val = int(best["scaled"])
    if val >= U:
        status: Status = Status.PROVED
    else:
        status = Status.BOUND
        if reason is None:
            reason = ("the best timeline under the K-total relaxation spreads its blocked periods over more than "
                      f"one {rules.window_months}-month window, where the Company may use more Allowed Delay days: "
                      "upper bound only")
    return MaxMin(val, max(U, val), status, best["timeline"], best["answer"], len(phis),
                  time.perf_counter() - started, reason, best["theta"])




CONFINED_THETAS = 2  # prices at which the one-window search runs (those with the highest phi)
CONFINED_STEP = 30  # days between the first days of the windows it tries


def confined_search(S: _Setup, thetas: list[int], tables_at: Callable[[int], RunTables], best: dict[str, Any],
                    price: Callable[[Timeline, int], None], over: Callable[[], bool]) -> bool:
    """A lower-bound step (module docstring, 4): when the best timeline under the K-total relaxation spreads its
    blocked periods over more than one window, the best timeline whose (ii) runs all lie in one window
    [s, s + window) often does better against the real Company. For each theta and each window start s (every
    CONFINED_STEP days), the run DP is solved with the runs outside the window barred, and its timeline is
    priced exactly when its relaxed value beats the best so far. Only exact prices enter `best`, so the step can
    raise the lower bound and never the upper one. False when the time budget ran out."""
    cal = trading_calendar(S.rules.window_months)
    K = S.rules.delay_days
    first = np.arange(S.a0, S.h + 1, dtype=np.int64)[:, None]
    last = first + np.arange(S.lmax, dtype=np.int64)[None, :]
    for theta in thetas:
        rt = tables_at(theta)
        G = rt.G
        for s in range(S.a0, S.h + 1, CONFINED_STEP):
            if over():  # the time budget is spent
                return False
            e = cal.end(s)
            Gm = np.where((first >= s) & (last < e), G, NEG)
            pl = run_dp(Gm, S.space, S.a0, S.h)
            tot = _totals(S, pl)
            slot = int(np.argmax(tot))
            if int(tot[slot]) - K * theta > best["scaled"]:
                price(_timeline(S, slot, pl, Gm), theta)
            if e > S.h:  # the windows from here on all reach the horizon: this one holds the rest
                break
    return True


# ---------------------------------------------------------------------------------------------- the two figures


class RepricingError(RraError):
    """The plain evaluator does not find the amount the optimizer reports for a printed timeline (a bug)."""

    exit_code = 3


DAY_SPACE = "day-level timelines"


def space_label(grid_days: int) -> str:
    """Over which timelines a figure is optimal."""
    return DAY_SPACE if grid_days == 1 else f"{grid_days}-day grid"


@dataclass(frozen=True)
class Figure:
    """One worst-case figure with its label: the amount, whether it is a proved optimum, a proved bound or a best
    found, over which timelines, the dated timeline, each component (D-months, after the Company's answer), and
    for the max-min the Company's Allowed Delays. `bound` is a proved upper bound (USD) over the same timelines
    when the status is `bound`; on a grid coarser than a day, `day_bound` is a proved upper bound over day-level
    timelines (the day-level no-delay optimum)."""

    key: str
    title: str
    months: Fraction
    value: Fraction
    status: Status
    space: str
    timeline: Timeline | None
    components: dict[str, int]
    principal: int
    excused: int = 0
    allowed_delays: tuple[tuple[int, int], ...] = ()
    bound: Fraction | None = None
    day_bound: Fraction | None = None
    reason: str | None = None
    company: str | None = None  # how the Company's answer was found and whether it is proved
    rate: str = ""  # the measure's rate parameter
    labels: tuple[tuple[str, str], ...] = ()  # component key -> the measure component's label

    def to_json(self, params: ParameterSet) -> dict[str, Any]:
        """The documented JSON record (USD rounded to cents at the rate of `params`, the parameters of the
        agreement solved under; dates ISO)."""
        from rra.solver.exposure import ExposureResult

        pct = Fraction(str(params[self.rate]))
        comps = component_json(self.components, dict(self.labels), self.principal, pct)
        out: dict[str, Any] = {
            "value": round(float(self.value), 2), "status": str(self.status), "space": self.space,
            "months": round(float(self.months), 6), "components": comps, "reason": self.reason,
            "bound": None if self.bound is None else round(float(self.bound), 2),
            "day_level_bound": None if self.day_bound is None else round(float(self.day_bound), 2),
            "timeline": ExposureResult.events_of(self.timeline),
        }
        if self.key == "worst_case_with_allowed_delays":
            out["allowed_delays"] = [[from_day(x).isoformat(), from_day(y).isoformat()] for x, y in self.allowed_delays]
            out["excused"] = round(float(self.principal * pct * Fraction(self.excused, D)), 2)
            out["company"] = self.company
        return out


def reprice(fig: Figure, agreement: Agreement, reading: str) -> None:
    """Price a figure's timeline (with the Company's Allowed Delays) by the plain evaluator; raise on any
    disagreement, or if the Allowed Delays break a 3(f) cap."""
    from rra.solver.evaluator import allowed_parts, payment

    if fig.timeline is None:
        return
    sc = to_scenario(fig.timeline, fig.principal, list(fig.allowed_delays))
    pay = payment(sc, agreement, reading)
    if pay != fig.value:
        raise RepricingError(f"{fig.key}: the evaluator prices the timeline at ${float(pay):,.2f}, the optimizer at "
                             f"${float(fig.value):,.2f}")
    violations = allowed_parts(sc, agreement)[1]
    if violations:
        raise RepricingError(f"{fig.key}: the Company's Allowed Delays break 3(f): {violations[0].message}")


def figures(res: Any, a: Assumptions, agreement: Agreement, reading: str, timeout_s: float = 60.0,
            progress: Progress | None = None) -> tuple[Figure, Figure]:
    """The two figures a risk team reads: the worst case with no Allowed Delays (from `res`, an ExposureResult)
    and the max-min (the adversary anticipates the Company's best Allowed Delays), each priced again by the
    plain evaluator. On a grid coarser than a day both say so and carry the day-level no-delay optimum as a
    proved bound for day-level timelines."""
    from rra.solver.exposure import optimize

    rules = rules_of(agreement)
    labels = tuple(sorted(rules.labels.items()))
    space = space_label(a.grid_days)
    day_bound = None
    if a.grid_days != 1:
        day_bound = optimize(a.replace(grid_days=1), agreement, reading, respond=False).optimum
    status = Status.PROVED if res.proved_optimal else (Status.BOUND if res.bound is not None else Status.FOUND)
    worst = Figure("worst_case", "worst case with no Allowed Delays", res.months, res.optimum, status, space,
                   res.timeline, dict(res.components), a.principal, bound=res.bound, day_bound=day_bound,
                   reason=res.reason, rate=rules.measure.rate, labels=labels)
    mm = maxmin(a, agreement, reading, timeout_s, progress)
    comps = _components(mm.timeline, rules, reading)
    comps["ii"] -= mm.answer.saved
    months = Fraction(mm.scaled, D)
    bound = None if mm.status == Status.PROVED else rules.amount(Fraction(mm.bound, D), a.principal)
    amount, mm_status, mm_reason = rules.amount(months, a.principal), mm.status, mm.reason
    if bound is not None and amount >= bound:  # a cap on the payments binds at the upper bound and at the value
        bound, mm_status, mm_reason = None, Status.PROVED, None
    with_delays = Figure(
        "worst_case_with_allowed_delays", "worst case with the Company's best Allowed Delays (max-min)", months,
        amount, mm_status, space, mm.timeline, comps, a.principal, mm.answer.saved,
        mm.answer.periods, bound, day_bound, mm_reason, f"{mm.answer.method}, {mm.answer.status}",
        rules.measure.rate, labels)
    for fig in (worst, with_delays):
        reprice(fig, agreement, reading)
    return worst, with_delays


@dataclass(frozen=True)
class Exposure:
    """The typed result a reader of the exposure wants: the no-delay optimisation (every reading, the timeline)
    and the two labelled figures."""

    result: Any  # rra.solver.exposure.ExposureResult
    worst_case: Figure
    with_allowed_delays: Figure


def exposure(a: Assumptions, agreement: Agreement, reading: str = "text", timeout_s: float = 60.0,
             progress: Progress | None = None) -> Exposure:
    """Both worst-case figures for an assumption set (what `rra exposure` and the report show)."""
    from rra.solver.exposure import optimize

    res = optimize(a, agreement, reading, timeout_s=timeout_s, respond=True, progress=progress)
    assert res.figures is not None
    return Exposure(res, res.figures[0], res.figures[1])


__all__ = ["CompanyAnswer", "Exposure", "Figure", "MaxMin", "RepricingError", "Status", "company_answer", "exposure",
           "figures", "ii_space", "maxmin", "reprice", "space_label"]
