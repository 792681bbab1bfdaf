"""Interruptions: SIGINT (Ctrl-C), SIGTERM and SIGHUP end a run cleanly, and never turn into a result.

`installed()` (used by rra.cli.main) makes the first such signal raise in the main thread: KeyboardInterrupt for
SIGINT, `Interrupted` for SIGTERM and SIGHUP. Both derive from BaseException, so the report's "one failing part
does not take the page down" handlers (`except Exception`) let them through; `finally` blocks end worker
processes and remove temporary folders on the way out, and rra.cli exits with 128 + the signal number (130,
143, 129). Python swallows an exception raised inside __del__ (Z3 frees its terms there), so until rra.cli
has caught it the exception is raised again every 0.2 s; inside `held()` it waits, so that the clean-up there
(ending workers, removing temporary folders, swapping an output folder) finishes. Signals after rra.cli has
caught the first are ignored while the run ends.

Z3 would otherwise swallow a Ctrl-C: it catches SIGINT during a check and returns "unknown (interrupted from
keyboard)", which a caller would report as a verdict. So every solver from rra.solver.z3util is made with Z3's
`ctrl_c` off and its context registered here, and a watcher thread (woken through `signal.set_wakeup_fd`)
interrupts the registered contexts when a signal arrives. (OR-tools' linear solver, used for the Company's
Allowed Delays, leaves SIGINT alone; its programs are small and time-limited.)
An interrupted check returns at once and the pending Python handler raises before its "unknown" is used.

`held()` delays these signals over a few lines that must not be cut in half (the swap of an output folder).
"""

from __future__ import annotations

import _thread
import contextlib
import functools
import os
import signal
import sys
import threading
import time
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


_contexts: weakref.WeakSet[Any] = weakref.WeakSet()  # Z3 contexts
_lock = threading.Lock()
INSIST_S = 0.2  # how often the watcher raises the exception again until rra.cli has caught it


class _Run:
    """One `installed()` period: the signal ending it, whether rra.cli has caught it, and its own wakeup pipe
    and watcher thread (so that a signal of an earlier run, read late, never touches this one)."""

    def __init__(self) -> None:
        self.fired: int | None = None
        self.acknowledged = False
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.write_fd, False)

    def live(self) -> bool:
        return _current is self and not self.acknowledged


_current: _Run | None = None
_holding = 0  # depth of held()


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


def _exception(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(signum)


def _watch(run: _Run) -> None:
    """The watcher thread of one run: woken by the bytes Python's C signal handler writes to the wakeup fd."""
    wanted = {int(s) for s in SIGNALS}
    try:
        while True:
            try:
                data = os.read(run.read_fd, 64)
            except OSError:
                return
            if not data or not run.live():
                return
            if wanted & set(data):
                _interrupt_solvers()
                _insist(run)
                return
    finally:
        os.close(run.read_fd)


def _insist(run: _Run) -> None:
    """Raise the exception in the main thread again until rra.cli has caught it. Python swallows an exception
    raised inside __del__ or a weakref callback (Z3 frees its terms there), and the run would go on to print a
    result computed from interrupted solves; so the watcher keeps interrupting the solvers and re-raising
    (never inside held(): the clean-up there must finish)."""
    while True:
        time.sleep(INSIST_S)
        if not run.live():
            return
        if run.fired is not None and not _holding:  # fired is set by the handler, once the main thread runs it
            _interrupt_solvers()
            _thread.interrupt_main(signal.Signals(run.fired))


def _handler(signum: int, frame: FrameType | None) -> None:
    run = _current
    if run is None:
        return
    if run.fired is None:
        run.fired = signum
    if run.acknowledged or _holding:
        return  # ending already, or in a clean-up that must finish: the watcher raises again after it
    raise _exception(run.fired)


def fired() -> int | None:
    """The signal that is ending this run, if any."""
    return _current.fired if _current is not None else None


def check() -> None:
    """Raise the interruption now if a signal has arrived: called before anything is printed or written, so
    that a run whose first exception was swallowed never hands out a result."""
    run = _current
    if run is not None and run.fired is not None and not run.acknowledged and not _holding:
        raise _exception(run.fired)


def acknowledge() -> None:
    """rra.cli has caught the interruption, or the run has handed out its result: stop raising it (later signals
    are ignored while the run ends)."""
    if _current is not None:
        _current.acknowledged = True


def _after_fork_in_child() -> None:
    global _lock, _current, _holding
    _lock = threading.Lock()  # the watcher thread may have held it at the fork; it does not exist here
    _current, _holding = None, 0


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def installed(final: bool = False) -> Iterator[None]:
    """Catch SIGINT, SIGTERM and SIGHUP for the duration (main thread only; elsewhere a no-op). At the end the
    previous handlers come back, or with `final` (the process is about to exit) the signals are ignored: a
    signal in the last instants must neither turn a finished run into a traceback nor kill it by its default
    action once its output is out."""
    global _current
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    run = _Run()
    outer, _current = _current, run
    threading.Thread(target=_watch, args=(run,), name="rra-signal-watcher", daemon=True).start()
    old_fd = signal.set_wakeup_fd(run.write_fd, warn_on_full_buffer=False)
    old_hook = sys.unraisablehook
    sys.unraisablehook = functools.partial(_unraisable, old_hook)
    for s in SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        with held():
            run.acknowledged = True
            for s, h in previous.items():
                signal.signal(s, signal.SIG_IGN if final else h if h is not None else signal.SIG_DFL)
            signal.set_wakeup_fd(old_fd)
            sys.unraisablehook = old_hook
            _current = outer
            os.close(run.write_fd)  # the watcher reads the end of the pipe and stops


def _unraisable(default: Any, info: Any) -> None:
    """Our own exception swallowed inside __del__ is not news (the watcher raises it again), nor is anything
    else swallowed there once a signal has arrived (ctypes wraps our exception in its own; an object the signal
    left half-built fails in its __del__); otherwise reported as Python would."""
    if isinstance(info.exc_value, (KeyboardInterrupt, Interrupted)) or fired() is not None:
        return
    default(info)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends (they are delivered then)."""
    global _holding
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def child_defaults() -> None:
    """In a worker process: leave Ctrl-C to the parent (which ends its workers), die at once on SIGTERM, and
    die with the parent (Linux), so that no worker outlives the run."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
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
