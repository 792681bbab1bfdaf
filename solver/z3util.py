"""The one Z3 solver factory (fixed seed, timeout, resource limit) and a small result record.

Every check owns a fresh solver from here, or push/pop on one. Results are `proved`, `refuted` (with a model)
or `unknown` (with Z3's reason); unknown is never a pass.

**Answers from the question alone.** Z3's answer to the same constraints can depend on what the process built
before them (the ids of its terms), so that `rra check` and `rra report` used to find different witness
timelines for the same finding, and any change to what ran earlier could change a witness. `memo_solver()` and
`memo_optimize()` make solvers that record what is asserted, tracked, pushed, popped, optimized and checked,
and ask Z3 in a fresh context of their own, into which the question is copied (the model and the unsat core are
copied back). A `session()` groups the solvers of one analysis step (an optimization and the check that
confirms its witness) in one such context; a solver made outside a session has its own. The answer depends only
on what the session did, so it is remembered for the process, keyed by that record (terms by their ids: Z3
shares equal terms, and the memo keeps them alive so an id is never reused): a question asked again (on a
redlined text most deadlines are unchanged; `rra report` repeats `rra check`) costs nothing, and the order in
which analyses run, or the process that runs them, changes no answer. When a session asks something new, what
it did so far is replayed in its fresh context (earlier checks included), so the state is that of a session
that never skipped anything. An unknown answer (a timeout, an interruption) is never remembered.
This does not make every model unique: for the same question in a fresh context, Z3 was seen to choose another of
equally good models in a process that had asked other things before (the 2(c)(i) readings' witnesses on a draft,
after the remedy check). A witness a reader sees is made unique by what it is asked for (rra.solver.checks
asks for the earliest timeline; the proofs minimise their counterexamples lexicographically).

`lex_minimize` finds a lexicographic minimum by bounded checks under push/pop (a binary search per objective):
the same optimum as an Optimize with lexicographic priority, many times faster on rra's calendar arithmetic.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import z3

from rra.interrupt import register_z3_context
from rra.memory import Bounded

SEED = 7
TIMEOUT_MS = 10_000
RLIMIT = 50_000_000


class Status(StrEnum):
    """Outcome of a proof attempt."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"


@dataclass
class Result:
    """A proof or check outcome: the status, a model (refuted/sat) or an unsat core, and Z3's reason if unknown."""

    status: Status
    model: z3.ModelRef | None = None
    core: list[str] = field(default_factory=list)
    reason: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def make_solver(timeout_ms: int = TIMEOUT_MS, rlimit: int = RLIMIT, seed: int = SEED, cores: bool = False,
                ctx: z3.Context | None = None) -> z3.Solver:
    """A fresh solver with a fixed seed, a timeout and a resource limit (in `ctx`, default Z3's main context)."""
    return _new_solver(timeout_ms, rlimit, seed, cores, ctx)


def memo_solver(timeout_ms: int = TIMEOUT_MS, rlimit: int = RLIMIT, seed: int = SEED, cores: bool = False,
                minimal_core: bool = True) -> MemoSolver:
    """A solver like `make_solver`'s that answers from the question alone, remembered (see the module docstring).
    `minimal_core=False`: Z3 does not minimise its unsat cores (for a caller that minimises them itself: Z3's
    minimisation costs many times the check)."""
    return MemoSolver(("solver", timeout_ms, rlimit, seed, cores, minimal_core),
                      lambda ctx: _new_solver(timeout_ms, rlimit, seed, cores, ctx, minimal_core))


def _new_solver(timeout_ms: int, rlimit: int, seed: int, cores: bool, ctx: z3.Context | None,
                minimal_core: bool = True) -> z3.Solver:
    s = z3.SolverFor("QF_LIA", ctx=ctx) if not cores else z3.Solver(ctx=ctx)
    s.set("timeout", timeout_ms)
    s.set("rlimit", rlimit)
    s.set("random_seed", seed)
    _leave_signals_to_rra(s)
    if cores:
        s.set("unsat_core", True)
        s.set("core.minimize", minimal_core)
    return s


def make_optimize(timeout_ms: int = TIMEOUT_MS, seed: int = SEED, ctx: z3.Context | None = None) -> z3.Optimize:
    """A fresh optimizer with a fixed seed and a timeout (in `ctx`, default Z3's main context)."""
    return _new_optimize(timeout_ms, seed, ctx)


def memo_optimize(timeout_ms: int = TIMEOUT_MS, seed: int = SEED) -> MemoSolver:
    """An optimizer like `make_optimize`'s that answers from the question alone, remembered (see the module
    docstring)."""
    return MemoSolver(("optimize", timeout_ms, seed), lambda ctx: _new_optimize(timeout_ms, seed, ctx))


def _new_optimize(timeout_ms: int, seed: int, ctx: z3.Context | None) -> z3.Optimize:
    z3.set_param("smt.random_seed", seed)
    o = z3.Optimize(ctx=ctx)
    o.set("timeout", timeout_ms)
    _leave_signals_to_rra(o)
    return o


def _leave_signals_to_rra(s: z3.Solver | z3.Optimize) -> None:
    # Z3's own Ctrl-C handling turns an interrupted check into an "unknown" verdict; rra.interrupt interrupts
    # the context instead and raises, so an interrupted check never becomes a result.
    s.set("ctrl_c", False)
    register_z3_context(s.ctx)


@dataclass(frozen=True)
class _Answer:
    result: z3.CheckSatResult
    model: z3.ModelRef | None  # in the context of the question's terms
    core: tuple[z3.BoolRef, ...] | None
    reason: str
    keep: list[Any]  # the terms the key's ids stand for, kept alive


_ANSWERS: Bounded[tuple[Any, ...], _Answer] = Bounded(20_000)  # answers remembered per process


class Session:
    """The solvers of one analysis step, asked in one fresh context of their own (see the module docstring)."""

    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []  # every operation, terms by their ids: the memo key
        self.ops: list[tuple[MemoSolver, str, tuple[Any, ...], tuple[Any, ...]]] = []  # the same, with the terms
        self.keep: list[Any] = []
        self.ctx: z3.Context | None = None  # once something new was asked: the context, which answers from then on
        self.solvers = 0

    def record(self, solver: MemoSolver, op: str, terms: tuple[Any, ...], extra: tuple[Any, ...]) -> None:
        self.log.append((solver.index, op, tuple(t.get_id() for t in terms), extra))
        self.ops.append((solver, op, terms, extra))
        self.keep.extend(terms)
        if self.ctx is not None and op == "new":
            solver.real = solver.make(self.ctx)
        elif self.ctx is not None and op != "check":
            _apply(solver.real, op, _copy(terms, self.ctx), extra)

    def close(self) -> None:
        """Let the context go (asking again after this goes live again in a new one, replaying everything): a
        context is freed at once instead of at the next cycle collection (sessions and their solvers refer to
        each other), so the next session's context reuses its memory, which makes creating it several times
        cheaper."""
        for solver, *_ in self.ops:
            solver.real = None
        self.ctx = None

    def go_live(self) -> None:
        """Make the context and replay everything recorded so far (the last operation, a check, excepted)."""
        self.ctx = z3.Context()
        for solver, op, terms, extra in self.ops[:-1]:
            if op == "new":
                solver.real = solver.make(self.ctx)
            elif op == "check":
                solver.ask(terms)
            else:
                _apply(solver.real, op, _copy(terms, self.ctx), extra)


_SESSIONS: list[Session] = []


@contextlib.contextmanager
def session() -> Iterator[Session]:
    """Solvers made inside share one fresh context (see the module docstring)."""
    s = Session()
    _SESSIONS.append(s)
    try:
        yield s
    finally:
        _SESSIONS.pop()
        s.close()


class MemoSolver:
    """A solver or optimizer (the methods rra uses) answering from its session alone: see the module docstring."""

    def __init__(self, config: tuple[Any, ...], make: Callable[[z3.Context], Any]) -> None:
        self.session = _SESSIONS[-1] if _SESSIONS else Session()
        self.index = self.session.solvers
        self.session.solvers += 1
        self.make = make
        self.real: Any = None
        self._home: z3.Context | None = None  # the context of the question's terms
        self._last: _Answer | None = None
        self._cores = config[0] == "solver" and bool(config[4])
        self._do("new", (), config)

    def _do(self, op: str, terms: tuple[Any, ...], extra: tuple[Any, ...] = ()) -> None:
        if terms and self._home is None:
            self._home = terms[0].ctx
        self.session.record(self, op, terms, extra)

    def add(self, *constraints: Any) -> None:
        """Assert constraints (lists are flattened, as z3.Solver.add does)."""
        self._do("add", tuple(c for x in constraints for c in (x if isinstance(x, list | tuple) else [x])))

    def assert_and_track(self, c: z3.BoolRef, name: str) -> None:
        """Assert a constraint tracked under a name (for unsat cores)."""
        self._do("track", (c,), (name,))

    def push(self) -> None:
        """A backtracking point."""
        self._do("push", ())

    def pop(self) -> None:
        """Back to the last backtracking point."""
        self._do("pop", ())

    def add_soft(self, c: z3.BoolRef, weight: int, group: str) -> None:
        """A soft constraint (optimizer)."""
        self._do("soft", (c,), (weight, group))

    def minimize(self, term: z3.ArithRef) -> None:
        """An objective to minimize (optimizer)."""
        self._do("min", (term,))

    def maximize(self, term: z3.ArithRef) -> None:
        """An objective to maximize (optimizer)."""
        self._do("max", (term,))

    def check(self, *assumptions: Any) -> z3.CheckSatResult:
        """The answer to the session's question so far (remembered, or asked of Z3 in the session's context)."""
        self._do("check", tuple(assumptions))
        ses = self.session
        key = tuple(ses.log)
        hit = _ANSWERS.get(key) if ses.ctx is None else None
        if hit is not None:
            self._last = hit
            return hit.result
        if ses.ctx is None:
            ses.go_live()
        self._last = self.ask(tuple(assumptions))
        if self._last.result != z3.unknown:  # a timeout or an interruption is asked again next time
            _ANSWERS.put(key, self._last)
        return self._last.result

    def ask(self, assumptions: tuple[Any, ...]) -> _Answer:
        """Check on the real solver; the model and the core copied back to the question's context."""
        assert self.session.ctx is not None
        r = self.real.check(*_copy(assumptions, self.session.ctx))
        home = self._home or z3.main_ctx()
        model = self.real.model().translate(home) if r == z3.sat else None
        core = tuple(c.translate(home) for c in self.real.unsat_core()) if r == z3.unsat and self._cores else None
        reason = self.real.reason_unknown() if r == z3.unknown else ""
        return _Answer(r, model, core, reason, self.session.keep)

    def assertions(self) -> list[z3.BoolRef]:
        """What is asserted (a tracked constraint as Implies(its name, it), as Z3 shows it), pushes and pops
        applied."""
        stack: list[list[z3.BoolRef]] = [[]]
        for solver, op, terms, extra in self.session.ops:
            if solver is not self:
                continue
            if op == "add":
                stack[-1].extend(terms)
            elif op == "track":
                stack[-1].append(z3.Implies(z3.Bool(extra[0], terms[0].ctx), terms[0]))
            elif op == "push":
                stack.append([])
            elif op == "pop":
                stack.pop()
        return [a for level in stack for a in level]

    def _answer(self) -> _Answer:
        if self._last is None:
            raise z3.Z3Exception("no check has been made")
        return self._last

    def model(self) -> z3.ModelRef:
        """The model of the last check (sat)."""
        m = self._answer().model
        if m is None:
            raise z3.Z3Exception("model is not available")
        return m

    def unsat_core(self) -> list[z3.BoolRef]:
        """The unsat core of the last check (unsat, with tracked constraints)."""
        core = self._answer().core
        if core is None:
            raise z3.Z3Exception("unsat core is not available")
        return list(core)

    def reason_unknown(self) -> str:
        """Z3's reason for the last unknown answer (empty otherwise)."""
        return self._answer().reason


def _copy(terms: tuple[Any, ...], ctx: z3.Context) -> tuple[Any, ...]:
    """The terms in another context (one translation, so shared subterms are copied once)."""
    if not terms:
        return ()
    v = z3.AstVector(ctx=terms[0].ctx)
    for t in terms:
        v.push(t)
    out = v.translate(ctx)
    return tuple(out[i] for i in range(len(out)))


def _apply(real: Any, op: str, terms: tuple[Any, ...], extra: tuple[Any, ...]) -> None:
    """One recorded operation (other than a check) on a real solver or optimizer."""
    if op == "add":
        real.add(*terms)
    elif op == "track":
        real.assert_and_track(terms[0], extra[0])
    elif op == "push":
        real.push()
    elif op == "pop":
        real.pop()
    elif op == "soft":
        real.add_soft(terms[0], *extra)
    elif op == "min":
        real.minimize(terms[0])
    elif op == "max":
        real.maximize(terms[0])
    else:
        raise ValueError(f"unknown solver operation {op!r}")


def prove(claim: z3.BoolRef, assumptions: list[z3.BoolRef], timeout_ms: int = TIMEOUT_MS,
          refine: Callable[[MemoSolver, z3.ModelRef], z3.ModelRef] | None = None) -> tuple[Result, Result]:
    """Prove `assumptions => claim`: first check the assumptions are satisfiable (not vacuous), then look for
    a counterexample. Returns (vacuity check, proof). `refine(solver, counterexample)` may replace the
    counterexample by another model of the same solver (e.g. `lex_minimize`'s), continuing on it."""
    s = memo_solver(timeout_ms)
    s.add(*assumptions)
    sat_r = s.check()
    if sat_r == z3.unsat:
        vac = Result(Status.REFUTED, reason="assumptions are unsatisfiable: the claim would hold vacuously")
        return vac, Result(Status.UNKNOWN, reason="vacuous: assumptions unsatisfiable")
    if sat_r == z3.unknown:
        r = Result(Status.UNKNOWN, reason=s.reason_unknown())
        return r, Result(Status.UNKNOWN, reason=f"could not check assumptions: {s.reason_unknown()}")
    vac = Result(Status.PROVED, model=s.model())
    s.add(z3.Not(claim))
    r = s.check()
    if r == z3.unsat:
        return vac, Result(Status.PROVED)
    if r == z3.sat:
        return vac, Result(Status.REFUTED, model=s.model() if refine is None else refine(s, s.model()))
    return vac, Result(Status.UNKNOWN, reason=s.reason_unknown())


def lex_minimize(s: MemoSolver, objectives: list[z3.ArithRef], model: z3.ModelRef,
                 budget_ms: int = TIMEOUT_MS, settled_from: int | None = None) -> z3.ModelRef:
    """The lexicographic minimum of `objectives` (each one non-negative on every model of `s`), starting from
    `model`, a model of `s`: for each objective in turn a binary search between 0 and its value in the best model
    so far (each `check` asks for a value at most the middle one, under push/pop), then the minimum is asserted
    for the objectives after it. The same optimum as Z3's Optimize with lexicographic priority, found by a few
    small checks, which on the calendar arithmetic of rra's encoding is many times faster. If a check is
    unknown or `budget_ms` has passed, the best model found so far (a model of `s`) is returned. The objectives
    from `settled_from` on are expected to be at their minimum already once those before are (tie-breakers):
    the first check for each asks for one less than its value, not for the middle value.
    """
    stop = time.monotonic() + budget_ms / 1000
    for k, obj in enumerate(objectives):
        hi = _int_value(model, obj)
        lo = 0
        mid = hi - 1 if settled_from is not None and k >= settled_from else (lo + hi) // 2
        while lo < hi:
            if time.monotonic() > stop:
                return model
            s.push()
            s.add(obj <= mid)
            r = s.check()
            if r == z3.sat:
                model = s.model()
                hi = _int_value(model, obj)
            s.pop()
            if r == z3.unsat:
                lo = mid + 1
            elif r == z3.unknown:
                return model
            mid = (lo + hi) // 2
        s.add(obj == hi)
    return model


def _int_value(model: z3.ModelRef, term: z3.ArithRef) -> int:
    v = model.eval(term, model_completion=True)
    n = v.as_long() if z3.is_int_value(v) else None
    if n is None or n < 0:
        raise ValueError(f"objective {term} is {v} in a model: lex_minimize needs non-negative integer objectives")
    return int(n)
