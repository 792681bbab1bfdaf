"""The 3(f) caps for any number of Allowed Delays: proofs by induction over the delays in date order.

The evaluator (`solver/evaluator.py`, `allowed_parts`) walks the requested Allowed Delays in date order and
admits each one's trading days one at a time: a day t is admitted while the delay has fewer than
`max_consecutive` admitted days and the admitted days in the window ending at t, t included, number at most
`max_total` (the windows are [d, d + window_months months) for every day d). Both proofs below are about that
rule and bound nothing by a count of delays:

- `cap_proof`: every window holds at most `max_total` admitted trading days, and no delay more than
  `max_consecutive`. Induction over admitted days. State: the counting function N(x) = admitted trading days on
  or before x. Base: no day admitted, N = 0. Step: a day t after every admitted day is admitted only if
  N(t - 1) - N(start(t)) + 1 <= max_total, where start(t) is the last day whose window ends on or before t;
  then every window w still holds at most max_total: Z3 proves it for a symbolic w (three cases: w after t,
  w ending before t, w containing t, where the window's days on or after w are among those after start(t)).
  A rejected day changes nothing. The per-delay cap holds because the walk stops after max_consecutive days.
- `blackout_proof`: back-to-back delays are not barred, but Allowed Delays alone never suspend sales for more
  than `max_total` consecutive trading days: max_total + 1 consecutive trading days always fit in one
  window (the calendar's shortest window holds more trading days), so such a run would break the invariant.

The facts each proof takes about the calendar are checked on every day the calendars cover (the window end is
non-decreasing, so "t is inside the window from w" is exactly "start(t) < w"; the shortest window's trading
days). Each proof is reported `proved` only after its premises are found satisfiable with the bound reached
(not vacuous), and the blackout bound is also reached by a concrete scenario priced by the evaluator.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from itertools import accumulate

import z3
from rra.solver.calendars import DEFAULT_CALENDAR, FIRST_YEAR, LAST_YEAR, day, window_ends
from rra.solver.invariants import Verdict
from rra.solver.z3util import make_solver
from rra.spec.agreement import Agreement
from rra.spec.overrides import ParameterSet

SECTIONS = ("3(f)", "2(c)")


@lru_cache(maxsize=8)
def calendar_facts(window_months: int) -> tuple[bool, int]:
    """(the window end is non-decreasing on every day, the fewest trading days in any window that ends within
    the calendars), computed on every day the calendars cover."""
    ends = window_ends(window_months)
    n = len(ends)
    first = date(FIRST_YEAR, 1, 1)
    trading = bytearray(n)
    for t in DEFAULT_CALENDAR.days_in(first, date(LAST_YEAR, 12, 31), "trading"):
        trading[day(t, first)] = 1
    prefix = [0, *accumulate(trading)]  # prefix[k]: trading days among days 0..k-1
    monotone = all(a <= b for a, b in zip(ends, ends[1:], strict=False))
    return monotone, min(prefix[e] - prefix[k] for k, e in enumerate(ends) if e <= n)


def _unsat(*facts: z3.BoolRef) -> tuple[bool, str | None]:
    s = make_solver(timeout_ms=5_000, cores=True)  # a general solver: the proofs use uninterpreted functions
    s.add(*facts)
    r = s.check()
    return r == z3.unsat, None if r != z3.unknown else s.reason_unknown()


def _sat(*facts: z3.BoolRef) -> bool:
    s = make_solver(timeout_ms=5_000, cores=True)  # a general solver: the proofs use uninterpreted functions
    s.add(*facts)
    return s.check() == z3.sat


def _step(total: int, slack: int = 0) -> tuple[list[z3.BoolRef], z3.BoolRef, tuple[z3.ArithRef, ...]]:
    """The induction step: premises and goal for a symbolic window w after admitting day t. `slack` loosens the
    rule by that many days (for tests: a rule that admits one day too many must not prove)."""
    N, N2 = z3.Function("admitted", z3.IntSort(), z3.IntSort()), z3.Function("admitted_after", z3.IntSort(), z3.IntSort())
    end, start = z3.Function("window_end", z3.IntSort(), z3.IntSort()), z3.Function("window_start", z3.IntSort(),
                                                                                    z3.IntSort())
    t, w, last, K = z3.Ints("t w last max_total")
    e = end(w)
    premises = [
        K == total, K >= 0, e > w,
        last < t,  # t comes after every admitted day ...
        z3.Implies(e - 1 >= t - 1, N(e - 1) == N(t - 1)),  # ... so N is flat from t - 1 on (instance)
        (t < e) == (start(t) < w),  # t lies in the window from w exactly when its own window starts before w
        z3.Implies(start(t) <= w - 1, N(start(t)) <= N(w - 1)),  # N is non-decreasing (instance)
        N(e - 1) - N(w - 1) <= K,  # the invariant, at the symbolic window w
        N(t - 1) - N(start(t)) + 1 <= K + slack,  # the rule admitted t
    ] + [N2(x) == N(x) + z3.If(x >= t, 1, 0) for x in (e - 1, w - 1, start(t), t - 1)]  # N after admitting t
    return premises, N2(e - 1) - N2(w - 1) <= K, (w, t, e, K, N2)


def induction_step_proved(total: int, slack: int = 0) -> bool:
    """Whether Z3 proves the induction step for this max_total (and rule slack)."""
    premises, goal, _ = _step(total, slack)
    return _unsat(*premises, z3.Not(goal))[0]


def cap_proof(agreement: Agreement) -> Verdict:
    """Every window_months window holds at most max_total admitted trading days and no delay more than
    max_consecutive, for any number of delays (module docstring)."""
    params = agreement.params
    cap = int(params["allowed_delay.max_consecutive"])
    total = int(params["allowed_delay.max_total"])
    months = int(params["allowed_delay.window_months"])
    sid = "allowed-delay-caps"
    statement = (f"The trading days excluded as Allowed Delays never exceed {cap} consecutive trading days in one delay, "
                 f"nor {total} trading days in any {months}-month period, for any number of delays (reading the two "
                 "caps of 3(f) as applying together).")
    assumptions = ("any number of requested delays of any length, in date order, none starting before the previous "
                   "one ends",
                   f"the {months}-month windows move forward with the calendar: a later day's window never starts "
                   f"earlier (checked on every day {FIRST_YEAR}-{LAST_YEAR})")
    monotone, _wmin = calendar_facts(months)
    if not monotone:  # pragma: no cover - a calendar fact
        return Verdict(sid, statement, SECTIONS, "unknown", None, None, "the window end is not monotone", assumptions)
    premises, goal, (w, t, e, K, N2) = _step(total)
    step_ok, reason = _unsat(*premises, z3.Not(goal))
    base_ok, _ = _unsat(K == total, K >= 0, z3.Not(z3.IntVal(0) - 0 <= K))
    k, c = z3.Ints("k count")
    # the walk over one delay admits a day only while it has fewer than max_consecutive
    per_delay_ok, _ = _unsat(k >= 0, k <= cap, z3.Implies(k < cap, c == k + 1), z3.Implies(k >= cap, c == k),
                             z3.Not(c <= cap))
    if not (step_ok and base_ok and per_delay_ok):
        return Verdict(sid, statement, SECTIONS, "unknown", False, None, reason or "the induction step was not proved",
                       assumptions)
    # not vacuous: the premises hold with t inside the window and the window then exactly full
    tight = _sat(*premises, w <= t, t < e, N2(e - 1) - N2(w - 1) == K, K > 0) if total > 0 else _sat(*premises)
    if not tight:
        return Verdict(sid, statement, SECTIONS, "unknown", True, None,
                       "the premises cannot reach the cap: the proof would hold vacuously", assumptions)
    return Verdict(sid, statement, SECTIONS, "proved", False, None, None, assumptions)


def _back_to_back(params: ParameterSet, first: date) -> tuple[list[tuple[date, date]], int]:
    """Back-to-back delays of at most max_consecutive trading days covering max_total trading days from `first`."""
    cap = int(params["allowed_delay.max_consecutive"])
    total = int(params["allowed_delay.max_total"])
    days = DEFAULT_CALENDAR.days_in(first, first + timedelta(days=3 * total + 30), "trading")[:total]
    periods = [(days[i], days[min(i + cap, len(days)) - 1]) for i in range(0, len(days), max(cap, 1))]
    return periods, len(days)


def blackout_proof(agreement: Agreement) -> Verdict:
    """Allowed Delays alone never suspend sales for more than max_total consecutive trading days, for any number
    of back-to-back delays, and that many is reached (module docstring)."""
    params = agreement.params
    total = int(params["allowed_delay.max_total"])
    months = int(params["allowed_delay.window_months"])
    sid = "allowed-delay-blackout"
    statement = (f"Allowed Delays alone never suspend sales for more than {total} consecutive trading days, however many "
                 f"back-to-back delays the Company declares (the {months}-month cap; proved for any number of delays), "
                 "and a blackout that long is possible.")
    _monotone, wmin = calendar_facts(months)
    assumptions = ("the caps proved by allowed-delay-caps hold in every window",
                   f"every {months}-month window holds at least {wmin} trading days (checked on every day "
                   f"{FIRST_YEAR}-{LAST_YEAR})")
    if total + 1 > wmin:
        return Verdict(sid, statement, SECTIONS, "unknown", None, None,
                       f"max_total + 1 = {total + 1} trading days may not fit one window (the shortest holds {wmin})",
                       assumptions)
    N = z3.Function("admitted_by_index", z3.IntSort(), z3.IntSort())  # over trading-day indices
    i, L, e, K, W = z3.Ints("i length window_end max_total wmin")
    premises = [
        K == total, W == wmin, K + 1 <= W,
        N(i + L - 1) - N(i - 1) == L, L >= 1,  # L consecutive trading days from i, every one admitted
        z3.Implies(L - 1 >= K, N(i + L - 1) - N(i + K) <= (i + L - 1) - (i + K)),  # at most one per day (instance)
        e >= i + W,  # the window from trading day i holds at least wmin trading days
        z3.Implies(e - 1 >= i + K, N(e - 1) >= N(i + K)),  # N is non-decreasing (instance)
        N(e - 1) - N(i - 1) <= K,  # the cap, in the window from i
    ]
    ok, reason = _unsat(*premises, z3.Not(L <= K))
    if not ok:
        return Verdict(sid, statement, SECTIONS, "unknown", False, None, reason or "not proved", assumptions)
    if not _sat(*premises, L == K, K > 0) and total > 0:
        return Verdict(sid, statement, SECTIONS, "unknown", True, None,
                       "the premises cannot reach the bound: the proof would hold vacuously", assumptions)
    # and a concrete scenario reaches it: back-to-back delays, every trading day admitted by the evaluator
    if total > 0 and not _reached(agreement):  # pragma: no cover - the evaluator admits what the caps allow
        return Verdict(sid, statement, SECTIONS, "unknown", False, None,
                       "the evaluator does not admit back-to-back delays up to the cap", assumptions)
    return Verdict(sid, statement, SECTIONS, "proved", False, None, None, assumptions)


def _reached(agreement: Agreement) -> bool:
    """The evaluator admits every trading day of back-to-back delays totalling max_total trading days (from a
    day ten months after signing, the horizon a year later)."""
    from rra.solver.evaluator import allowed_parts
    from rra.solver.scenario import Period, Scenario

    params = agreement.params
    first = params["agreement.date"] + timedelta(days=300)
    periods, n = _back_to_back(params, first)
    s = Scenario(principal=Fraction(1), as_of=first + timedelta(days=370),
                 allowed_delays=tuple(Period(a, b) for a, b in periods))
    parts, violations = allowed_parts(s, agreement)
    admitted = sum(DEFAULT_CALENDAR.count(date.fromordinal(a), date.fromordinal(b), "trading") for a, b in parts)
    return not violations and admitted == n == int(params["allowed_delay.max_total"])


__all__ = ["blackout_proof", "calendar_facts", "cap_proof"]
