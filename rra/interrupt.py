"""Interruptions: SIGINT (Ctrl-C), SIGTERM and SIGHUP end a run cleanly, and never turn into a result.

`installed()` (used by rra.cli.main) makes the first such signal raise in the main thread: KeyboardInterrupt for
SIGINT, `Interrupted` for SIGTERM and SIGHUP. Both derive from BaseException, so the report's "one failing part
does not take the page down" handlers (`except Exception`) let them through; `finally` blocks end worker
processes and remove temporary folders on the way out, and rra.cli exits with 128 + the signal number (130,
143, 129). Later signals while that clean-up runs are noted and ignored, so the clean-up finishes.

Z3 and OR-tools would otherwise swallow a Ctrl-C: Z3 catches SIGINT during a check and returns "unknown
(interrupted from keyboard)", which a caller would report as a verdict, and CP-SAT catches it during a solve
and then resets SIGINT to the default action. So every solver from rra.solver.z3util is made with Z3's
`ctrl_c` off and its context registered here, a watcher thread (woken through `signal.set_wakeup_fd`)
interrupts the registered contexts when a signal arrives, and `quiet_cp_sat()` keeps CP-SAT's hands off SIGINT.
An interrupted check returns at once and the pending Python handler raises before its "unknown" is used.

`held()` delays these signals over a few lines that must not be cut in half (the swap of an output folder).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import weakref
from collections.abc import Iterator
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):  # noqa: N818 - named for what happened, like KeyboardInterrupt
    """The run was ended by SIGTERM or SIGHUP; `exit_code` is 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


_contexts: weakref.WeakSet[Any] = weakref.WeakSet()
_lock = threading.Lock()
_state: dict[str, Any] = {"fired": None, "watcher": None, "read_fd": None, "write_fd": None}


def register_z3_context(ctx: Any) -> None:
    """Interrupt this Z3 context's running check when a signal arrives (called by rra.solver.z3util)."""
    with _lock:
        _contexts.add(ctx)


def _interrupt_solvers() -> None:
    with _lock:
        contexts = list(_contexts)
    for ctx in contexts:
        with contextlib.suppress(Exception):
            ctx.interrupt()


def _watch(read_fd: int) -> None:
    wanted = {int(s) for s in SIGNALS}
    while True:
        try:
            data = os.read(read_fd, 64)
        except OSError:
            return
        if not data:
            return
        if wanted & set(data):
            _interrupt_solvers()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state["fired"] is not None:
        return  # already ending: let the clean-up finish
    _state["fired"] = signum
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


def fired() -> int | None:
    """The signal that is ending this run, if any."""
    return _state["fired"]  # type: ignore[no-any-return]


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """Catch SIGINT, SIGTERM and SIGHUP for the duration (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    if _state["watcher"] is None:
        r, w = os.pipe()
        os.set_blocking(w, False)
        t = threading.Thread(target=_watch, args=(r,), name="rra-signal-watcher", daemon=True)
        t.start()
        _state.update(watcher=t, read_fd=r, write_fd=w)
    old_fd = signal.set_wakeup_fd(_state["write_fd"], warn_on_full_buffer=False)
    _state["fired"] = None
    for s in SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        with held():
            for s, h in previous.items():
                signal.signal(s, h if h is not None else signal.SIG_DFL)
            signal.set_wakeup_fd(old_fd)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends (they are delivered then)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def child_defaults() -> None:
    """In a worker process: leave Ctrl-C to the parent (which ends its workers), die at once on SIGTERM, and
    die with the parent (Linux), so that no worker outlives the run."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    _state["fired"] = None
    _die_with_parent()


def _die_with_parent() -> None:
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(128 + int(signal.SIGTERM))


def quiet_cp_sat() -> None:
    """Make OR-tools' CP-SAT leave SIGINT alone (its `catch_sigint_signal` is on by default: it would stop the
    search on Ctrl-C and return its partial answer as a result, then reset SIGINT to the default action).

    solver/exposure.py makes its CpSolver itself; until it sets the parameter there, this wraps
    CpSolver.solve once per process so that every solve runs with the parameter off."""
    from ortools.sat.python import cp_model

    solve = cp_model.CpSolver.solve
    if getattr(solve, "_rra_quiet", False):
        return

    def quiet_solve(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.parameters.catch_sigint_signal = False
        return solve(self, *args, **kwargs)

    quiet_solve._rra_quiet = True  # type: ignore[attr-defined]
    cp_model.CpSolver.solve = quiet_solve  # type: ignore[method-assign]
