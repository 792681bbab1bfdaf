"""Worker processes that never outlive the run: one background job (`Background`) or a pool (`pool`).

Workers are forked (no resource tracker, nothing re-imported), leave Ctrl-C to the parent, die at once on
SIGTERM, and die with the parent on Linux (rra.interrupt.child_defaults). The parent ends them in `finally`:
`Background.close()` and the pool's context manager terminate and join whatever is still running, so SIGINT or
SIGTERM to `rra check`, `rra report` or `rra exposure --sweep` leaves no process behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import inspect
import multiprocessing
import multiprocessing.pool
import os
import pickle
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from rra.interrupt import child_defaults, held

_FORK = multiprocessing.get_context("fork")


_INBOX: Connection | None = None  # in a Background worker started with an inbox: what its parent sends


def receive() -> Any:
    """In a Background worker started with `inbox=True`: the next object its parent sends (`Background.send`),
    waiting for it; None once the parent has closed its end, or in any other process."""
    if _INBOX is None:
        return None
    try:
        return _INBOX.recv()
    except EOFError:
        return None


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], inbox: Connection | None,
           theirs: Connection | None) -> None:
    global _INBOX
    child_defaults()
    if theirs is not None:
        theirs.close()  # the parent's end: the inbox reads EOF once the parent closes its own
    _INBOX = inbox
    try:
        out = fn(*args)
        if inspect.isgenerator(out):
            # each value as soon as it is made (a value larger than the pipe's buffer, 64 KiB, waits for the parent
            # to read it before the job goes on)
            for part in out:
                conn.send(("part", part))
            out = None
        result: tuple[str, Any] = ("ok", out)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it there
        result = ("error", exc)
    try:
        conn.send(result)
    except Exception:  # noqa: BLE001 - the exception itself may not pickle
        text = "".join(traceback.format_exception_only(type(result[1]), result[1])).strip()
        conn.send(("error", RuntimeError(f"in a worker process: {text}")))
    conn.close()


class Background:
    """`fn(*args)` in a forked worker process, started at once; `result()` waits for it, `close()` ends it. With
    `inbox`, the parent may also `send` it objects, which the job reads with `receive()`."""

    def __init__(self, fn: Callable[..., Any], *args: Any, inbox: bool = False) -> None:
        _board()
        self._conn, child_conn = _FORK.Pipe(duplex=False)
        child_in: Connection | None = None
        self._out: Connection | None = None
        if inbox:
            child_in, self._out = _FORK.Pipe(duplex=False)
            _widen(self._out)
        self._proc = _FORK.Process(target=_child, args=(child_conn, fn, args, child_in, self._out), daemon=True)
        self._proc.start()
        child_conn.close()
        if child_in is not None:
            child_in.close()

    def send(self, obj: Any) -> None:
        """Send the worker an object (it reads it with `receive()`); the worker must have been started with an
        inbox. An error here (the worker has ended) is raised."""
        if self._out is None:
            raise RuntimeError("this worker was started without an inbox")
        self._out.send(obj)

    def result(self) -> Any:
        """The function's return value (its exception is raised here)."""
        try:
            status, value = self._receive()
        finally:
            self.close()
        if status == "error":
            raise value
        return value

    def next_part(self) -> Any:
        """The next value of a job that yields its values (a generator function): each arrives as soon as the worker
        made it, while the job goes on. Its exception is raised here (the worker is then ended), as is asking for
        more values than it yields."""
        status, value = self._receive()
        if status == "part":
            return value
        self.close()
        if status == "error":
            raise value
        raise RuntimeError("the worker's job has no more values")

    def _receive(self) -> tuple[str, Any]:
        """The worker's next message; the worker is ended if none can be read."""
        try:
            msg: tuple[str, Any] = self._conn.recv()
            return msg
        except EOFError:
            self.close()
            raise RuntimeError(f"the worker process ended without an answer (exit status {self._proc.exitcode})") from None
        except pickle.UnpicklingError as exc:
            self.close()
            raise RuntimeError(f"the worker's answer could not be read: {exc}") from None

    def close(self) -> None:
        """End the worker if it still runs, and reap it (idempotent; signals held meanwhile)."""
        with held():
            self._conn.close()
            if self._out is not None:
                self._out.close()
            p = self._proc
            if p.exitcode is None:
                p.terminate()
                p.join(2)
                if p.exitcode is None:
                    p.kill()
            p.join()


INBOX_BYTES = 1 << 20  # what the parent may send without waiting for the worker to read it


def _widen(conn: Connection) -> None:
    """Let the pipe hold INBOX_BYTES (Linux's F_SETPIPE_SZ; 64 KiB by default): a job sent to a busy worker then
    does not hold the parent until the worker reads it. Where the system allows less, a larger send waits."""
    with contextlib.suppress(OSError, AttributeError):  # another system, or a lower limit: sends may wait
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, INBOX_BYTES)  # type: ignore[attr-defined]


def _pool_init(init: Callable[[], None] | None) -> None:
    child_defaults()
    if init is not None:
        init()


class _Pool(multiprocessing.pool.Pool):
    """A forked pool whose exit (normal or by an exception) terminates and joins its workers."""

    def __exit__(self, *exc: Any) -> None:
        with held():
            self.terminate()
            self.join()


def pool(workers: int, init: Callable[[], None] | None = None) -> multiprocessing.pool.Pool:
    """A pool of `workers` forked processes; use it as a context manager."""
    _board()
    return _Pool(workers, initializer=_pool_init, initargs=(init,), context=_FORK)


_BOARD: Any = None  # two shared integers (front, back) and their lock, made before the first fork


def _board() -> Any:
    global _BOARD
    if _BOARD is None:
        _BOARD = _FORK.Array("q", 2, lock=True)
    return _BOARD


class Shares:
    """Items 0..n-1 shared out, one at a time, between this process and the workers it forked (after it made the
    pool or the background job): the parent takes from the front, a worker from the back, and each item is taken
    once, so that whichever process is free takes the next item."""

    def __init__(self, n: int | None = None) -> None:
        """With `n` (in the parent, before handing work out): items 0..n-1, none taken. Without (in a worker): the
        items its parent is sharing out."""
        if n is None:
            if _BOARD is None:
                raise RuntimeError("no items are shared with this process (it was not forked by rra.workers)")
            self._b = _BOARD
            return
        self._b = _board()
        with self._b.get_lock():
            self._b[0], self._b[1] = 0, n

    def front(self) -> int | None:
        """The first item no process has taken (taken now), or None."""
        with self._b.get_lock():
            k = self._b[0]
            if k >= self._b[1]:
                return None
            self._b[0] = k + 1
            return int(k)

    def back(self) -> int | None:
        """The last item no process has taken (taken now), or None."""
        with self._b.get_lock():
            k = self._b[1] - 1
            if k < self._b[0]:
                return None
            self._b[1] = k
            return int(k)


def may_fork() -> bool:
    """Whether a second process may work beside this one: the machine has two cores or more and RRA_SERIAL is not
    set (it runs everything in one process)."""
    return (os.cpu_count() or 1) > 1 and not os.environ.get("RRA_SERIAL")


__all__ = ["Background", "Shares", "may_fork", "pool", "receive"]
