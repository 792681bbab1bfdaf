"""Blocked-sale runs for Section 2(c)(ii): the adversary's placements, with the Company's Allowed Delays priced in.

The periods counted under 2(c)(ii) (stop orders and blocked sales) are unioned before counting, so what counts is
the *runs*: maximal stretches of blocked days. Two periods of the same kind are at least `min_gap_days` apart
(back-to-back periods of one kind are one longer period, which `max_days` bounds), but periods of different kinds
may touch or overlap (docs/SEMANTICS.md). Overlapping periods add nothing that touching ones do not (the union of
overlapping periods is also a union of touching sub-periods, each no longer than its own period), so a run is a
chain of touching periods whose kinds alternate. A run's months are counted from its first day (calendar-month is
not additive), so the dynamic program places whole runs: `run_dp` returns, for every first day, the best total
over placements of runs on or after it, for any value table `G[first day, length]`.

`run_tables` gives two such tables: `T`, the D-months of a run (no Allowed Delay), and `C(theta)`, the most the
Company can excuse inside one run when each Allowed Delay trading day costs `theta` (a chain dynamic program over
trading days: a delay whose trading days all fit is allowed whole, so a chosen trading day also excuses the
non-trading days next to it). `T - C(theta)` is the run's value against a Company that pays `theta` per trading
day; `solver/maxmin.py` explains why that bounds the max-min.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
from rra.solver.calendars import DEFAULT_CALENDAR, FIRST_YEAR, LAST_YEAR, day, window_ends

NEG = np.int64(-(1 << 60))
MAX_CELLS = 12_000_000  # runs tabulated at once (first day x length): about 100 MB per table


def check_size(first_days: int, lengths: int,
               fields: str = "as_of, stop_orders.max_days, sales_blocked.max_days") -> None:
    """Refuse (as bad input, before any allocation) a horizon and period lengths whose tables would not fit in
    memory: `first_days` first days times `lengths` lengths (or length x month cells)."""
    from rra.errors import BadInput

    if first_days * lengths > MAX_CELLS:
        raise BadInput(fields, f"{first_days} first days x {lengths}",
                       f"the tables would need {first_days * lengths:,} cells; at most {MAX_CELLS:,} are supported "
                       "(shorten the horizon or the periods)")


# ---------------------------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class TradingCalendar:
    """Trading days and 12-month window ends as arrays over every day the calendars cover (index = day - lo)."""

    lo: int  # day number of FIRST_YEAR-01-01
    hi: int  # day number of LAST_YEAR-12-31
    trading: np.ndarray  # bool
    prev_trading: np.ndarray  # index of the last trading day before (or -1)
    next_trading: np.ndarray  # index of the first trading day after (or n)
    window_end: np.ndarray  # day number of d + window_months months (end-of-month clamped), per index

    def is_trading(self, d: int) -> bool:
        """Whether day number d is an NYSE session."""
        return bool(self.trading[d - self.lo])

    def prev(self, d: int) -> int:
        """Day number of the last trading day before d."""
        return int(self.prev_trading[d - self.lo]) + self.lo

    def next(self, d: int) -> int:
        """Day number of the first trading day after d (past the calendars' end if there is none)."""
        return int(self.next_trading[d - self.lo]) + self.lo

    def end(self, d: int) -> int:
        """Day number of d + window_months months: the first day not in the window [d, end)."""
        return int(self.window_end[d - self.lo])


@lru_cache(maxsize=4)
def trading_calendar(window_months: int = 12) -> TradingCalendar:
    """The arrays for the NYSE calendar of solver/calendars.py (cached per window length)."""
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    lo, hi = day(first), day(last)
    n = hi - lo + 1
    trading = np.zeros(n, dtype=bool)
    for t in DEFAULT_CALENDAR.days_in(first, last, "trading"):
        trading[day(t) - lo] = True
    idx = np.arange(n)
    prev = np.maximum.accumulate(np.where(trading, idx, -1))
    prev = np.concatenate(([-1], prev[:-1]))
    nxt = np.minimum.accumulate(np.where(trading, idx, n)[::-1])[::-1]
    nxt = np.concatenate((nxt[1:], [n]))
    ends = np.array(window_ends(window_months), dtype=np.int64) + lo
    return TradingCalendar(lo, hi, trading, prev.astype(np.int64), nxt.astype(np.int64), ends)


# ---------------------------------------------------------------------------------------------- run tables


@dataclass
class RunTables:
    """Per run [a, a + L - 1] (row a - a0, column L - 1): D-months `T`, and against a Company paying `theta` per
    Allowed Delay trading day, the most it excuses `C` and the fewest and most trading days it uses for that
    (`nmin`, `nmax`: the right and left slopes of `T - C` in theta). Runs past the horizon are -1 in `T`."""

    a0: int
    h: int
    theta: int | None
    T: np.ndarray
    C: np.ndarray
    nmin: np.ndarray
    nmax: np.ndarray
    # run_dp of G per space, with G, remembered with the tables (`placement`)
    _placements: dict[Space, tuple[Placement, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def G(self) -> np.ndarray:
        """The run values against that Company: T - C (T where no Company is priced in)."""
        return np.asarray(np.where(self.T >= 0, self.T - self.C, NEG))


def placement(rt: RunTables, sp: Space) -> tuple[Placement, np.ndarray]:
    """run_dp of the tables' run values G over [a0, h] in a space, and G: remembered with the tables, which the
    points of a sweep share (measured: the report's sweep asked 319 run DPs of 38 different tables). Read only, as
    the tables are. What is remembered counts toward the tables' CACHE_BYTES (the least recently used tables go
    first); a placement larger than PLACEMENT_BYTES is not remembered (a long same-kind gap multiplies the DP's
    states: hundreds of MB)."""
    got = rt._placements.get(sp)
    if got is None:
        G = rt.G
        G.flags.writeable = False
        pl = run_dp(G, sp, rt.a0, rt.h)
        pl.V.flags.writeable = False
        got = (pl, G)
        if pl.V.nbytes + G.nbytes <= PLACEMENT_BYTES:
            kept = rt._placements if len(rt._placements) < PLACEMENTS_PER_TABLE else {}
            rt._placements = {**kept, sp: got}
            _shrink()
    return got


PLACEMENTS_PER_TABLE = 4  # spaces remembered per run table (a sweep over the assumptions uses one or two)
PLACEMENT_BYTES = 16 * 1024 * 1024  # the largest placement remembered (the default sets': well under 1 MB)


def _best(va: np.ndarray, na: tuple[np.ndarray, np.ndarray], vb: np.ndarray, nb: tuple[np.ndarray, np.ndarray]
          ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """The larger of two value arrays, with the fewest/most units among the optimal ones."""
    v = np.maximum(va, vb)
    lo = np.where(va > vb, na[0], np.where(vb > va, nb[0], np.minimum(na[0], nb[0])))
    hi = np.where(va > vb, na[1], np.where(vb > va, nb[1], np.maximum(na[1], nb[1])))
    return v, (lo, hi)


def run_tables(a0: int, h: int, lmax: int, theta: int | None, months: tuple[np.ndarray, ...]) -> RunTables:
    """T (and C for a Company paying theta per delay trading day) for every run starting in [a0, h] of 1..lmax days.

    The chain over a run's trading days: a chosen trading day excuses itself and the blocked non-trading days
    next to it (before it, back to the previous trading day; after it, up to the next one). The trading day
    before the run can be chosen too (it excuses blocked non-trading days at the run's start), and so can the
    trading day after the run when it is on or before the horizon h (docs/SEMANTICS.md; a delay counts only
    up to as_of). `months` is `run_months(a0, h, lmax, convention)`, shared by every theta.
    """
    return run_tables_many(a0, h, lmax, (theta,), months)[0]


def run_tables_many(a0: int, h: int, lmax: int, thetas: tuple[int | None, ...], months: tuple[np.ndarray, ...]
                    ) -> list[RunTables]:
    """`run_tables` for several prices at once (one pass over the lengths, the prices as a second axis)."""
    cal = trading_calendar()
    n_a = h - a0 + 1
    A = np.arange(a0, h + 1, dtype=np.int64)
    check_size(n_a, lmax)
    T = np.full((n_a, lmax), -1, dtype=np.int64)
    priced = [t for t in thetas if t is not None]
    k = len(priced)
    C = np.zeros((k, n_a, lmax), dtype=np.int64)
    nmin = np.zeros((k, n_a, lmax), dtype=np.int16)
    nmax = np.zeros((k, n_a, lmax), dtype=np.int16)
    th = np.array(priced, dtype=np.int64)[:, None]
    zero = np.zeros((k, n_a), dtype=np.int64)
    f0, n0 = zero.copy(), (zero.copy(), zero.copy())  # best with the previous trading day not chosen
    f1 = np.broadcast_to(-th, (k, n_a)).copy()  # ... chosen (the day before the run)
    n1 = (zero + 1, zero + 1)
    W = zero.copy()  # blocked non-trading weight since the last trading day
    prev_m = np.zeros(n_a, dtype=np.int64)
    for L in range(1, lmax + 1):
        b = A + L - 1
        ok = b <= h
        bb = np.minimum(b, h)
        m = months[L - 1]
        w = m - prev_m
        prev_m = m
        T[:, L - 1] = np.where(ok, m, -1)
        if not k:
            continue
        tr = cal.trading[bb - cal.lo]
        # a trading day: chosen (covers the pending stretch and itself) or not (the stretch needs the previous day)
        v1, c1 = _best(f0 + W + w - th, (n0[0] + 1, n0[1] + 1), f1 + W + w - th, (n1[0] + 1, n1[1] + 1))
        v0, c0 = _best(f0, n0, f1 + W, n1)
        f0 = np.where(tr, v0, f0)
        f1 = np.where(tr, v1, f1)
        n0 = (np.where(tr, c0[0], n0[0]), np.where(tr, c0[1], n0[1]))
        n1 = (np.where(tr, c1[0], n1[0]), np.where(tr, c1[1], n1[1]))
        W = np.where(tr, 0, W + w)
        # the run ends at b: a pending stretch is excused by the last chosen day or the next trading day (<= h)
        can = (cal.next_trading[bb - cal.lo] + cal.lo) <= h
        fa, na = _best(f1 + W, n1, f0, n0)
        nxt_v = np.where(can & (W > 0), f0 + W - th, NEG)
        fin, nf = _best(fa, na, nxt_v, (n0[0] + 1, n0[1] + 1))
        C[:, :, L - 1] = np.where(ok, fin, 0)
        nmin[:, :, L - 1] = np.where(ok, nf[0], 0)
        nmax[:, :, L - 1] = np.where(ok, nf[1], 0)
    out: list[RunTables] = []
    j = 0
    for t in thetas:
        if t is None:
            out.append(RunTables(a0, h, None, T, np.zeros((n_a, lmax), dtype=np.int64),
                                 np.zeros((n_a, lmax), dtype=np.int16), np.zeros((n_a, lmax), dtype=np.int16)))
        else:
            out.append(RunTables(a0, h, t, T, C[j].copy(), nmin[j].copy(), nmax[j].copy()))
            j += 1
    return out


def run_months(a0: int, h: int, lmax: int, convention: str) -> tuple[np.ndarray, ...]:
    """D-months of every run [a, a + L - 1] clipped to h, one array over a per length (shared by every theta)."""
    from rra.solver.exposure import months_scaled

    check_size(h - a0 + 1, lmax)
    A = np.arange(a0, h + 1, dtype=np.int64)
    return tuple(months_scaled(A, np.minimum(A + L - 1, h) + 1, convention) for L in range(1, lmax + 1))


CACHE_BYTES = 256 * 1024 * 1024  # run tables kept between solves in one process
_cache: OrderedDict[tuple[int, int, int, int | None, str], RunTables] = OrderedDict()
_months: OrderedDict[tuple[int, int, int, str], tuple[np.ndarray, ...]] = OrderedDict()


def forget_tables() -> None:
    """Drop the remembered run tables (benchmarks time every run cold)."""
    _cache.clear()
    _months.clear()


def _nbytes(rt: RunTables) -> int:
    """The tables' bytes, with the placements remembered with them."""
    kept = sum(pl.V.nbytes + G.nbytes for pl, G in rt._placements.values())
    return int(rt.T.nbytes + rt.C.nbytes + rt.nmin.nbytes + rt.nmax.nbytes + kept)


def _shrink() -> None:
    """The least recently used tables dropped until the remembered ones hold at most CACHE_BYTES."""
    total = sum(_nbytes(x) for x in _cache.values())
    while total > CACHE_BYTES and _cache:
        _k, old = _cache.popitem(last=False)
        total -= _nbytes(old)


def tables(a0: int, h: int, lmax: int, theta: int | None, convention: str) -> RunTables:
    """`run_tables` for the month convention, remembered in this process: the points of a sweep (and the two
    figures of one solve) that share the horizon, the earliest effectiveness and the period lengths share their
    tables. At most CACHE_BYTES are kept (least recently used first out); callers never modify the arrays."""
    return tables_many(a0, h, lmax, (theta,), convention)[0]


def tables_many(a0: int, h: int, lmax: int, thetas: tuple[int | None, ...], convention: str) -> list[RunTables]:
    """`tables` for several prices, the missing ones computed in one pass (`run_tables_many`)."""
    keys = [(a0, h, lmax, t, convention) for t in thetas]
    fresh: dict[int | None, RunTables] = {}
    missing = tuple(dict.fromkeys(k[3] for k in keys if k not in _cache))
    if missing:
        mkey = (a0, h, lmax, convention)
        months = _months.get(mkey)
        if months is None:
            months = run_months(a0, h, lmax, convention)
            _months[mkey] = months
            while len(_months) > 2:
                _months.popitem(last=False)
        per = max(1, MAX_CELLS // max(1, (h - a0 + 1) * lmax))  # prices per pass, within the cell limit
        for i in range(0, len(missing), per):
            part = missing[i: i + per]
            fresh.update(zip(part, run_tables_many(a0, h, lmax, part, months), strict=True))
    out: list[RunTables] = []
    for key in keys:
        rt = _cache.get(key) or fresh[key[3]]
        out.append(rt)
        if key in _cache:
            _cache.move_to_end(key)
            continue
        for arr in (rt.T, rt.C, rt.nmin, rt.nmax):
            arr.setflags(write=False)
        if _nbytes(rt) <= CACHE_BYTES:
            _cache[key] = rt
    _shrink()
    return out


# ---------------------------------------------------------------------------------------------- placements


@dataclass(frozen=True)
class Kind:
    """One kind of 2(c)(ii) period: its name, how many there may be and how long each may last (days)."""

    name: str
    count: int
    max_days: int


@dataclass(frozen=True)
class Shape:
    """A run of m touching periods whose kinds alternate, starting with kind `first` (0 or 1)."""

    first: int
    m: int

    def kinds(self) -> list[int]:
        """The kind of each period, in order."""
        return [(self.first + i) % 2 for i in range(self.m)]

    def usage(self) -> tuple[int, int]:
        """Periods of kind 0 and kind 1 the run uses."""
        ks = self.kinds()
        return ks.count(0), ks.count(1)


@dataclass(frozen=True)
class Space:
    """The 2(c)(ii) placements an assumption set allows: up to two kinds, a grid step and a same-kind gap."""

    kinds: tuple[Kind, ...]  # one or two kinds with count > 0
    step: int
    gap: int

    @property
    def R(self) -> int:
        """States for the days a kind must still wait after its last period (only when gap > 1)."""
        return self.gap + 1 if self.gap > 1 else 1

    def counts(self) -> tuple[int, int]:
        """Periods of each kind (0 for a missing second kind)."""
        c = [k.count for k in self.kinds] + [0, 0]
        return c[0], c[1]

    def maxlen(self, k: int) -> int:
        """Longest period of kind k on the grid."""
        return (self.kinds[k].max_days // self.step) * self.step if k < len(self.kinds) else 0

    def shapes(self) -> list[Shape]:
        """Every run shape the counts allow."""
        c = self.counts()
        out = []
        for first in range(len(self.kinds)):
            for m in range(1, c[0] + c[1] + 1):
                s = Shape(first, m)
                u = s.usage()
                if u[0] <= c[0] and u[1] <= c[1] and (m == 1 or len(self.kinds) == 2):
                    out.append(s)
        return out

    def lmax(self) -> int:
        """Longest run (before the horizon cuts it)."""
        return max([self.length_range(s, 0)[1] for s in self.shapes()] or [0])

    def _up(self, x: int) -> int:
        return -(-x // self.step) * self.step

    def piece_mins(self, s: Shape, wait_second: int) -> list[int]:
        """Shortest length of each period of a run (the first waits for the second kind; inner ones >= gap)."""
        mins = []
        for i in range(s.m):
            if i == 0:
                mins.append(self._up(max(self.step, wait_second if s.m > 1 else 0)))
            elif i < s.m - 1:
                mins.append(self._up(max(self.step, self.gap)))
            else:
                mins.append(self.step)
        return mins

    def length_range(self, s: Shape, wait_second: int) -> tuple[int, int]:
        """Shortest and longest run of this shape (unclipped)."""
        ks = s.kinds()
        mins = self.piece_mins(s, wait_second)
        return sum(mins), sum(self.maxlen(k) for k in ks)

    def last_piece(self, s: Shape, wait_second: int, L: int) -> int:
        """The longest last period of a run of length L (so the other kind may follow soonest)."""
        mins = self.piece_mins(s, wait_second)
        return min(self.maxlen(s.kinds()[-1]), L - sum(mins[:-1]))

    def clipped_ok(self, s: Shape, wait_second: int, L: int) -> bool:
        """Whether a run of this shape can be cut by the horizon after L days (its last period starts inside
        and its nominal length reaches past the horizon)."""
        ks = s.kinds()
        if s.m == 1:
            return 1 <= L <= self.maxlen(ks[0])
        mins = self.piece_mins(s, wait_second)
        lo_s = max(sum(mins[:-1]), self._up(L - self.maxlen(ks[-1])))
        hi_s = min(sum(self.maxlen(k) for k in ks[:-1]), ((L - 1) // self.step) * self.step)
        return lo_s <= hi_s

    def pieces(self, s: Shape, wait_second: int, L: int, clipped: bool) -> list[int]:
        """Period lengths realising a run of L days (the last one nominal, reaching past h, when clipped)."""
        ks = s.kinds()
        mins = self.piece_mins(s, wait_second)
        maxs = [self.maxlen(k) for k in ks]
        if s.m == 1:
            return [self._up(L)] if clipped else [L]
        if clipped:
            target = max(sum(mins[:-1]), self._up(L - maxs[-1]))  # the first m-1 as short as possible
            last = max(self.step, self._up(L - target))
        else:
            last = self.last_piece(s, wait_second, L)
            target = L - last
        out = list(mins[:-1])
        rest = target - sum(out)
        for i in range(len(out)):
            add = min(rest, maxs[i] - out[i])
            out[i] += add
            rest -= add
        return [*out, last]


def space_of(kinds: list[Kind], step: int, gap: int) -> Space:
    """The placement space of these kinds (kinds allowed no period are dropped)."""
    return Space(tuple(k for k in kinds if k.count > 0 and k.max_days >= step), step, gap)


@dataclass
class Placement:
    """The dynamic program's table: V[i, c0, c1, r0, r1] = best total over placements starting on or after day
    a0 + i (on its grid), with c periods of each kind left and r days each kind must still wait."""

    space: Space
    a0: int
    h: int
    V: np.ndarray

    def best(self, d: int) -> int:
        """Best total from day d with every period available."""
        c0, c1 = self.space.counts()
        return int(self.V[d - self.a0, c0, c1, 0, 0])

    def best_all(self) -> np.ndarray:
        """best(d) for every d in [a0, h]."""
        c0, c1 = self.space.counts()
        return np.asarray(self.V[: self.h - self.a0 + 1, c0, c1, 0, 0])


def _transitions(sp: Space) -> list[tuple[Shape, int, int, int, int, int]]:
    """Per (shape, r0, r1): (shape, r0, r1, lmin, lmax, wait_second) for the runs that may start there."""
    out = []
    for s in sp.shapes():
        for r0 in range(sp.R):
            for r1 in range(sp.R):
                r = (r0, r1)
                if r[s.first] != 0:
                    continue
                wait = r[1 - s.first] if s.m > 1 else 0
                lo, hi = sp.length_range(s, wait)
                if lo <= hi:
                    out.append((s, r0, r1, lo, hi, wait))
    return out


def _after(sp: Space, s: Shape, r: tuple[int, int], L: int, wait: int) -> tuple[int, int]:
    """The wait states one grid step after the day that follows a run (the run's last day + 1 + step)."""
    if sp.R == 1:
        return 0, 0
    ks = s.kinds()
    out = [0, 0]
    last_k = ks[-1]
    out[last_k] = sp.gap
    other = 1 - last_k
    out[other] = max(0, sp.gap - sp.last_piece(s, wait, L)) if s.m > 1 else max(0, r[other] - L)
    return max(0, out[0] - sp.step), max(0, out[1] - sp.step)


def run_dp(G: np.ndarray, sp: Space, a0: int, h: int) -> Placement:
    """The best placement totals for the run values G[a - a0, L - 1] (runs past h are NEG in G)."""
    if sp.R == 1:
        return _run_dp_fast(G, sp, a0, h)
    return _run_dp_waits(G, sp, a0, h)


def _usages(sp: Space) -> dict[tuple[int, int], tuple[int, int, list[Shape]]]:
    """For a gap of one day: each usage's length range (the same for both orders of kinds) and its shapes."""
    out: dict[tuple[int, int], tuple[int, int, list[Shape]]] = {}
    for s in sp.shapes():
        lo, hi = sp.length_range(s, 0)
        u = s.usage()
        if u in out:
            lo0, hi0, ss = out[u]
            out[u] = (min(lo, lo0), max(hi, hi0), [*ss, s])
        else:
            out[u] = (lo, hi, [s])
    return out


@lru_cache(maxsize=8)
def _clip_rows(sp: Space, n_idx: int, lmax: int) -> dict[tuple[int, int], np.ndarray]:
    """Per usage, the rows i where a run cut by the horizon may start (the same for every value table G, so
    computed once per space and horizon: the max-min solves many run DPs on one horizon)."""
    out = {}
    for u, (_lo, _hi, shapes) in _usages(sp).items():
        rows = [i for i in range(max(0, n_idx - lmax), n_idx)
                if any(sp.clipped_ok(s, 0, n_idx - i) for s in shapes)]
        out[u] = np.array(rows, dtype=np.int64)
    return out


def _run_dp_fast(G: np.ndarray, sp: Space, a0: int, h: int) -> Placement:
    """run_dp when no kind has to wait after a run (same-kind gap of one day): the counts left only go down, so
    each count state is one vectorised pass over all days, in order of the periods left."""
    c0, c1 = sp.counts()
    step = sp.step
    n_idx = h - a0 + 1
    lmax = G.shape[1] if G.ndim == 2 else 0
    pad = lmax + 2 * step + 2
    V = np.zeros((n_idx + pad, c0 + 1, c1 + 1, 1, 1), dtype=np.int64)
    uses = _usages(sp)
    clip = _clip_rows(sp, n_idx, lmax)
    rows_all = np.arange(n_idx)
    for k in sorted(((x, y) for x in range(c0 + 1) for y in range(c1 + 1)), key=sum):
        X = np.zeros(n_idx, dtype=np.int64)
        for u, (lo, hi, _shapes) in uses.items():
            if u[0] > k[0] or u[1] > k[1]:
                continue
            top = min(hi, lmax)
            Vc = V[:, k[0] - u[0], k[1] - u[1], 0, 0]
            if top >= lo:
                if step == 1:
                    win = np.lib.stride_tricks.sliding_window_view(Vc, top - lo + 1)[lo + 1: lo + 1 + n_idx]
                    cand = (G[:, lo - 1: top] + win).max(axis=1)
                else:
                    Ls = np.arange(lo, top + 1, step)
                    cand = (G[:, Ls - 1] + Vc[rows_all[:, None] + Ls[None, :] + step]).max(axis=1)
                np.maximum(X, cand, out=X)
            r = clip[u]
            if r.size:
                np.maximum.at(X, r, G[r, n_idx - r - 1])
        # V[i] = max(V[i + step], X[i]): a suffix maximum along each grid residue
        col = np.zeros(n_idx + pad, dtype=np.int64)
        for res in range(step):
            xs = X[res::step][::-1]
            col[res:n_idx:step] = np.maximum.accumulate(np.maximum(xs, 0))[::-1]
        V[:, k[0], k[1], 0, 0] = col
    return Placement(sp, a0, h, V)


MAX_WAIT_STATES = 30_000_000  # days x count states x wait states the same-kind-gap DP may tabulate


@lru_cache(maxsize=8)
def _prepared_waits(sp: Space, n_idx: int, lmax: int
                    ) -> list[tuple[tuple[int, int], int, int, np.ndarray, np.ndarray, np.ndarray]]:
    """Per transition of the same-kind-gap DP: usage, waits, lengths, the waits after, and the rows where a run
    cut by the horizon may start (independent of the value table, so computed once per space and horizon)."""
    step = sp.step
    prepared = []
    for s, r0, r1, lo, hi, wait in _transitions(sp):
        Ls = np.arange(lo, min(hi, lmax) + 1, step)
        nr = np.array([_after(sp, s, (r0, r1), int(L), wait) for L in Ls], dtype=np.int64).reshape(-1, 2)
        clip = np.array([i for i in range(max(0, n_idx - lmax), n_idx) if sp.clipped_ok(s, wait, n_idx - i)],
                        dtype=np.int64)
        prepared.append((s.usage(), r0, r1, Ls, nr, clip))
    return prepared


def _run_dp_waits(G: np.ndarray, sp: Space, a0: int, h: int) -> Placement:
    """run_dp with a same-kind gap of more than a day: the days each kind must still wait are in the state.
    Runs lower the counts, so each count state is one pass in order of the periods left; within it the waits
    only shrink from day to day, so V[i, r] = max(X[i, r], V[i + step, r - step]) is one shifted array per wait
    state, in increasing order of the waits (the zero wait being a suffix maximum)."""
    from rra.errors import BadInput

    c0, c1 = sp.counts()
    R, step = sp.R, sp.step
    n_idx = h - a0 + 1
    if n_idx * (c0 + 1) * (c1 + 1) * R * R > MAX_WAIT_STATES:
        raise BadInput("min_gap_days", sp.gap, f"a same-kind gap of {sp.gap} days needs "
                       f"{n_idx * (c0 + 1) * (c1 + 1) * R * R:,} table cells over this horizon; at most "
                       f"{MAX_WAIT_STATES:,} are supported (use a smaller gap or a shorter horizon)")
    lmax = G.shape[1] if G.ndim == 2 else 0
    pad = lmax + 2 * step + 2
    V = np.zeros((n_idx + pad, c0 + 1, c1 + 1, R, R), dtype=np.int64)
    rows = np.arange(n_idx)
    prepared = _prepared_waits(sp, n_idx, lmax)
    order = sorted(((x, y) for x in range(R) for y in range(R)), key=lambda r: (max(r), sum(r)))
    for k in sorted(((x, y) for x in range(c0 + 1) for y in range(c1 + 1)), key=sum):
        X = np.zeros((n_idx, R, R), dtype=np.int64)
        for u, r0, r1, Ls, nr, clip in prepared:
            if u[0] > k[0] or u[1] > k[1]:
                continue
            if Ls.size:
                Vk = V[:, k[0] - u[0], k[1] - u[1]]
                nxt = Vk[rows[:, None] + Ls[None, :] + step, nr[None, :, 0], nr[None, :, 1]]
                np.maximum(X[:, r0, r1], (G[:, Ls - 1] + nxt).max(axis=1), out=X[:, r0, r1])
            if clip.size:
                np.maximum.at(X[:, r0, r1], clip, G[clip, n_idx - clip - 1])
        for r0, r1 in order:
            if (r0, r1) == (0, 0):
                col = np.zeros(n_idx, dtype=np.int64)
                for res in range(step):
                    col[res::step] = np.maximum.accumulate(X[res::step, 0, 0][::-1])[::-1]
                V[:n_idx, k[0], k[1], 0, 0] = col
            else:
                prev = V[step: n_idx + step, k[0], k[1], max(0, r0 - step), max(0, r1 - step)]
                V[:n_idx, k[0], k[1], r0, r1] = np.maximum(X[:, r0, r1], prev)
    return Placement(sp, a0, h, V)


@dataclass(frozen=True)
class Run:
    """A placed run: first day, days, shape and the wait of its second kind (to rebuild its periods)."""

    start: int
    length: int
    shape: Shape
    wait: int
    clipped: bool

    def periods(self, sp: Space, h: int) -> list[tuple[str, int, int]]:
        """The run's periods (kind name, first day, last day clipped to h)."""
        out = []
        x = self.start
        for k, ln in zip(self.shape.kinds(), sp.pieces(self.shape, self.wait, self.length, self.clipped), strict=True):
            out.append((sp.kinds[k].name, x, min(x + ln - 1, h)))
            x += ln
        return out


def walk(pl: Placement, G: np.ndarray, start: int) -> list[Run]:
    """The runs of the best placement from day `start` with every period available."""
    sp, a0, h, V = pl.space, pl.a0, pl.h, pl.V
    step = sp.step
    n_idx = h - a0 + 1
    lmax = G.shape[1]
    c = list(sp.counts())
    r = [0, 0]
    i = start - a0
    runs: list[Run] = []
    trans = _transitions(sp)
    while i < n_idx:
        if r == [0, 0]:  # the days no run starts on, skipped at once: where the value stays that of a step later
            col = V[:, c[0], c[1], 0, 0]
            change = np.flatnonzero(col[i:n_idx:step] != col[i + step:n_idx + step:step])
            if not change.size:
                break
            i += int(change[0]) * step
        here = int(V[i, c[0], c[1], r[0], r[1]])
        skip_r = (max(0, r[0] - step), max(0, r[1] - step))
        if here == int(V[i + step, c[0], c[1], skip_r[0], skip_r[1]]):
            i += step
            r = list(skip_r)
            continue
        room = n_idx - i
        found = None
        for s, r0, r1, lo, hi, wait in trans:
            u = s.usage()
            if (r0, r1) != tuple(r) or u[0] > c[0] or u[1] > c[1]:
                continue
            for L in range(lo, min(hi, room, lmax) + 1, step):
                a, b = _after(sp, s, (r0, r1), L, wait)
                if int(G[i, L - 1]) + int(V[i + L + step, c[0] - u[0], c[1] - u[1], a, b]) == here:
                    found = (Run(a0 + i, L, s, wait, False), L, u, (a, b))
                    break
            if found is None and room <= lmax and sp.clipped_ok(s, wait, room) and int(G[i, room - 1]) == here:
                found = (Run(a0 + i, room, s, wait, True), room, u, (0, 0))
            if found:
                break
        if found is None:  # pragma: no cover - the table always has a witness
            raise AssertionError("no witness for the run placement value")
        run, L, u, nr = found
        runs.append(run)
        if run.clipped:
            break
        i += L + step
        c = [c[0] - u[0], c[1] - u[1]]
        r = list(nr)
    return runs
