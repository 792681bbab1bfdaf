"""The one Z3 solver factory (fixed seed, timeout, resource limit) and a small result record.

Every check owns a fresh solver from here, or push/pop on one. Results are `proved`, `refuted` (with a model)
or `unknown` (with Z3's reason); unknown is never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import z3

from rra.interrupt import register_z3_context

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
    s = z3.SolverFor("QF_LIA", ctx=ctx) if not cores else z3.Solver(ctx=ctx)
    s.set("timeout", timeout_ms)
    s.set("rlimit", rlimit)
    s.set("random_seed", seed)
    _leave_signals_to_rra(s)
    if cores:
        s.set("unsat_core", True)
        s.set("core.minimize", True)
    return s


def make_optimize(timeout_ms: int = TIMEOUT_MS, seed: int = SEED, ctx: z3.Context | None = None) -> z3.Optimize:
    """A fresh optimizer with a fixed seed and a timeout (in `ctx`, default Z3's main context)."""
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


def prove(claim: z3.BoolRef, assumptions: list[z3.BoolRef], timeout_ms: int = TIMEOUT_MS) -> tuple[Result, Result]:
    """Prove `assumptions => claim`: first check the assumptions are satisfiable (not vacuous), then look for
    a counterexample. Returns (vacuity check, proof)."""
    s = make_solver(timeout_ms, ctx=claim.ctx)  # the claim's context (Z3's main context unless made apart)
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
        return vac, Result(Status.REFUTED, model=s.model())
    return vac, Result(Status.UNKNOWN, reason=s.reason_unknown())
