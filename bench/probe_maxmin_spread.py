"""Probes behind docs/EXPOSURE-BENCH.md, third stop: `python -m bench.probe_maxmin_spread WHAT`.

Measurements, not proofs (price and date grids are not closed): where the K-total relaxation's excess over the
found max-min of the five-year-stress set lives. WHAT is one of

  classes    K-total bound of the class "every (ii) run starts on or after p", p every 60 days
  windows    one-window search with windows of 12 months + 20/45/90 days, timelines priced exactly
  masks      K-total bound with the runs confined to [s, s + 12 months + g), s every 30 days, g = 0/10/30/60
  phases     K-total bound over timelines whose runs use pairwise disjoint month-days (folded year)
  peak       the peak-window bound (docs/EXPOSURE-BENCH.md) against K-total on a grid of prices
  dual       brute force: the Company's exact answer equals its one-dimensional peak-load dual
  monthdays  every 12-month window holds each month-day at most once
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from datetime import date, timedelta
from fractions import Fraction

import numpy as np
from rra.solver import maxmin as mm
from rra.solver.assumptions import ASSUMPTIONS_DIR, load
from rra.solver.calendars import day, from_day
from rra.solver.exposure import _components, rules_of
from rra.solver.runs import NEG, run_dp, tables, tables_many, trading_calendar
from rra.spec.agreement import load_agreement

FOUND = 618_653_027  # the stress set's max-min found (D-months), $448,895.55
USD = 448_895.55 / FOUND
THETAS = tuple(range(1_500_000, 4_000_001, 250_000))


def _setup() -> tuple[mm._Setup, int]:
    ag = load_agreement()
    a = load(ASSUMPTIONS_DIR / "five-year-stress.yaml")
    rules = rules_of(ag)
    return mm._setup(a, rules, "text"), rules.max_total


def classes() -> None:
    S, K = _setup()
    rts = tables_many(S.a0, S.h, S.lmax, THETAS, S.conv)
    first = np.arange(S.a0, S.h + 1)[:, None]
    for p in range(S.a0, S.h + 1, 60):
        b = S.base[: p + 1]
        if not (b >= 0).any():
            continue
        best = max(int(b[b >= 0].max()) + run_dp(np.where(first >= p, rt.G, NEG), S.space, S.a0, S.h).best(p)
                   - K * th for th, rt in zip(THETAS, rts, strict=True))
        print(from_day(p), f"{(best - FOUND) * USD:+,.0f} USD")


def windows() -> None:
    S, K = _setup()
    rules = S.rules
    cal = trading_calendar(rules.window_months)
    first = np.arange(S.a0, S.h + 1, dtype=np.int64)[:, None]
    last = first + np.arange(S.lmax, dtype=np.int64)[None, :]
    best, seen, t0 = FOUND, set(), time.perf_counter()
    for th in (2_756_334, 2_300_000, 3_200_000):
        G = tables(S.a0, S.h, S.lmax, th, S.conv).G
        for extra in (20, 45, 90):
            for s in range(S.a0, S.h + 1, 15):
                e = cal.end(s) + extra
                Gm = np.where((first >= s) & (last < e), G, NEG)
                pl = run_dp(Gm, S.space, S.a0, S.h)
                tot = mm._totals(S, pl)
                slot = int(np.argmax(tot))
                if int(tot[slot]) - K * th > best:
                    t = mm._timeline(S, slot, pl, Gm)
                    if t not in seen:
                        seen.add(t)
                        v = sum(_components(t, rules, "text").values()) - mm._company_answer(t, rules).saved
                        best = max(best, v)
                if e > S.h:
                    break
    print(f"best {(best - FOUND) * USD:+,.2f} USD over the found value; {len(seen)} timelines priced; "
          f"{time.perf_counter() - t0:.1f} s")


def masks() -> None:
    S, K = _setup()
    cal = trading_calendar(S.rules.window_months)
    rts = tables_many(S.a0, S.h, S.lmax, THETAS + tuple(range(2_600_000, 2_950_000, 50_000)), S.conv)
    first = np.arange(S.a0, S.h + 1, dtype=np.int64)[:, None]
    last = first + np.arange(S.lmax, dtype=np.int64)[None, :]
    for g in (0, 10, 30, 60):
        worst, at = -(1 << 62), ""
        for s in range(S.a0, S.h + 1, 30):
            e = cal.end(s) + g
            mask = (first >= s) & (last < e)
            for rt in rts:
                assert rt.theta is not None
                v = int(mm._totals(S, run_dp(np.where(mask, rt.G, NEG), S.space, S.a0, S.h)).max()) - K * rt.theta
                if v > worst:
                    worst, at = v, f"window from {from_day(s)}, price {rt.theta:,}"
            if e > S.h:
                break
        print(f"g = {g} days: {(worst - FOUND) * USD:+,.2f} USD over the found value ({at})")


def peak() -> None:
    """Psi(theta) <= max over s of the run DP with G for the runs whose candidate days meet
    U_s = [s, end(s + g - 1)) and G - theta * nmax for the others, minus K theta (g = 30)."""
    S, K = _setup()
    g = 30
    cal = trading_calendar(S.rules.window_months)
    A = np.arange(S.a0, S.h + 1, dtype=np.int64)
    lo_ext = cal.prev_trading[A - cal.lo] + cal.lo
    hi_ext = cal.next_trading[np.minimum(A[:, None] + np.arange(S.lmax)[None, :], S.h) - cal.lo] + cal.lo
    thetas = tuple(range(0, mm.theta_max(S) + 1, 50_000))
    worst_k = worst_p = -(1 << 62)
    t0 = time.perf_counter()
    for th, rt in zip(thetas, tables_many(S.a0, S.h, S.lmax, thetas, S.conv), strict=True):
        phi = int(mm._totals(S, run_dp(rt.G, S.space, S.a0, S.h)).max()) - K * th
        worst_k = max(worst_k, phi)
        if phi <= FOUND:
            continue
        out = np.where(rt.T >= 0, rt.G - th * rt.nmax.astype(np.int64), NEG)
        best = -(1 << 62)
        for s in range(S.a0 - 7, S.h + 1, g):
            meets = (hi_ext >= s) & (lo_ext[:, None] < cal.end(s + g - 1))
            best = max(best, int(mm._totals(S, run_dp(np.where(meets, rt.G, out), S.space, S.a0, S.h)).max()) - K * th)
            if best >= phi:
                break
        worst_p = max(worst_p, best)
        print(f"price {th:,}: K-total {(phi - FOUND) * USD:+,.2f}, peak window {(best - FOUND) * USD:+,.2f} USD")
    print(f"grid maxima over the found value: K-total {(worst_k - FOUND) * USD:+,.2f}, peak window "
          f"{(max(worst_p, FOUND) - FOUND) * USD:+,.2f} USD; {time.perf_counter() - t0:.0f} s")


def phases() -> None:
    S, K = _setup()
    leap = [date(2004, 1, 1) + timedelta(i) for i in range(366)]
    slot_of_md = {(x.month, x.day): i for i, x in enumerate(leap)}
    slot = np.array([slot_of_md[(from_day(d).month, from_day(d).day)] for d in range(S.a0, S.h + 1)])
    Gs = [rt.G for rt in tables_many(S.a0, S.h, S.lmax, THETAS, S.conv)]
    best = -(1 << 62)
    for E in range(S.a0, S.h + 1, 10):
        if S.base[E] < 0:
            continue
        rel = (slot - slot[E - S.a0]) % 366  # month-day slot counted from E's
        days = np.arange(E, S.h + 1)
        for th, G in zip(THETAS, Gs, strict=True):
            Gf = np.full((366, S.lmax + 1), NEG, dtype=np.int64)
            for L in range(1, S.lmax + 1):
                ends = days + L - 1
                ok = ends <= S.h
                dd, ee = days[ok], ends[ok]
                st, en = rel[dd - S.a0], rel[ee - S.a0]
                span = np.where(en >= st, en - st + 1, 367)  # a run crossing E's anniversary is left out
                v = G[dd - S.a0, L - 1]
                m = (span <= 366 - st) & (v > NEG // 2)
                np.maximum.at(Gf, (st[m], span[m] - 1), v[m])
            best = max(best, int(S.base[E]) + run_dp(Gf, S.space, 0, 365).best(0) - K * th)
    print(f"phase-disjoint K-total bound {(best - FOUND) * USD:+,.2f} USD over the found value")


def dual() -> None:
    cal = trading_calendar(12)
    base = day(date(2004, 1, 1))
    rng = random.Random(1)
    bad = 0
    for _ in range(300):
        n = rng.randint(4, 11)
        days = sorted(rng.sample(range(base, base + 365 * 3), n))
        w = [rng.randint(0, 9) for _ in days]

        def omega(xs: list[int]) -> int:
            return max((sum(1 for y in xs if x <= y < cal.end(x)) for x in xs), default=0)

        subs = [(sum(w[i] for i in c), omega([days[i] for i in c]))
                for r in range(n + 1) for c in itertools.combinations(range(n), r)]
        g = [max(v for v, o in subs if o <= k) for k in range(n + 1)]
        prices = [Fraction(x, 2) for x in range(2 * sum(w) + 3)]
        for K in range(1, n):
            if min(K * t + max(v - t * o for v, o in subs) for t in prices) != g[K]:
                bad += 1
    print("sets where the dual differs from the exact answer:", bad)


def monthdays() -> None:
    cal = trading_calendar(12)
    bad = 0
    for d in range(cal.lo, cal.hi - 400):
        md = [(from_day(x).month, from_day(x).day) for x in range(d, cal.end(d))]
        bad += len(md) != len(set(md))
    print("12-month windows with a repeated month-day:", bad)


if __name__ == "__main__":
    {"classes": classes, "windows": windows, "masks": masks, "peak": peak, "phases": phases, "dual": dual, "monthdays": monthdays}[sys.argv[1]]()
