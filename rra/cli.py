"""The `rra` command: one subcommand per analysis, each with a readable table and stable `--json`.

Exit status: 0 done; 1 a documented negative result (see each command); 2 bad input (one line on stderr);
3 an internal error (one line on stderr, the traceback with --debug); 74 the output could not be written;
130 interrupted by Ctrl-C (SIGINT); 143 ended by SIGTERM (129 by SIGHUP).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from types import FrameType
from typing import Any, NoReturn, TextIO

from rra import __version__
from rra.errors import OutputError, RraError
from rra.interrupt import SIGNALS, Interrupted, acknowledge, installed
from rra.interrupt import check as check_interrupted
from rra.limits import MESSAGE_CHARS, one_line
from rra.malloc import collect_less, keep_freed_memory, one_blas_thread
from rra.output import cannot_write, devnull_onto, silence_stdout, write_out

# name -> (module, one-line help). Modules are imported when the parser is built; keep heavy imports
# (z3, graphviz) inside their run() functions.
COMMANDS: dict[str, tuple[str, str]] = {
    "coverage": ("rra.commands.coverage", "every numbered clause, formalized or not (and why)"),
    "damages": ("rra.commands.damages", "deadlines, breaches and Section 2(c) payments for a scenario"),
    "check": ("rra.commands.check", "consistency checks, conflicts and drafting review findings"),
    "prove": ("rra.commands.prove", "prove or refute invariants of the agreement"),
    "consent": ("rra.commands.consent", "who can approve, waive or amend what"),
    "exposure": ("rra.commands.exposure", "worst-case Section 2(c) exposure, proved optimal"),
    "graph": ("rra.commands.graph", "obligation-dependency and cross-reference diagrams"),
    "report": ("rra.commands.report", "the whole review as one self-contained HTML page"),
    "diff": ("rra.commands.diff", "what a redraft changes: words, numbers, problems, proofs, money, votes"),
}

EXIT_INTERNAL = 3


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2, and help and version text that reach stdout or say why
    not (argparse drops a write that fails)."""

    def error(self, message: str) -> NoReturn:
        _say(f"{self.prog}: error: {message}", MESSAGE_CHARS)
        raise SystemExit(2)

    def _print_message(self, message: str, file: Any = None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:
            write_out(message)  # OutputError when it cannot be written
        else:
            with contextlib.suppress(OSError, ValueError):
                file.write(message)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand."""
    parser = _Parser(prog="rra", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"rra {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)  # a missing or renamed command module fails loudly
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an internal error")
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None, final: bool = False) -> int:
    """Entry point: parse arguments and run the subcommand. Bad input is one line and exit status 2; an internal
    error one line and exit status 3 (`--debug` adds the traceback); an interruption 128 + the signal. `final`:
    the process exits next, so signals are ignored from the end of the run on (rra.interrupt.installed)."""
    with installed(final):
        try:
            return _main(argv)
        except KeyboardInterrupt:
            acknowledge()
            return _interrupted(_ended(signal.SIGINT), 128 + signal.SIGINT)
        except Interrupted as exc:
            acknowledge()
            return _interrupted(_ended(exc.signum), exc.exit_code)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except OutputError as exc:  # --help or --version could not be printed
        _say(f"rra: {exc}")
        return exc.exit_code
    command = f"rra {args.command}"
    try:
        code = int(args._run(args) or 0)
        check_interrupted()
        return code
    except RraError as exc:
        if exc.exit_code == EXIT_INTERNAL:  # an error rra detected in itself (two implementations disagree): a bug
            if getattr(args, "debug", False):
                traceback.print_exc()
            _say(f"{command}: {exc}; run again with --debug for the traceback")
        else:
            _say(f"{command}: {exc}")
        return exc.exit_code
    except BrokenPipeError:
        # the reader of our output went away (`rra ... | head`): nothing more to say, to anyone
        silence_stdout()
        return 141
    except (KeyboardInterrupt, Interrupted):
        raise
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error becomes one line
        # a signal that arrived inside a library can come out as its own error (ctypes wraps a KeyboardInterrupt
        # raised while it converts arguments; Z3 says "canceled"): then the run was interrupted, not broken
        check_interrupted()
        if getattr(args, "debug", False):
            traceback.print_exc()
        text = str(exc) if not isinstance(exc, RecursionError | MemoryError) else ""
        what = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        _say(f"{command}: internal error ({what}); run again with --debug for the traceback")
        return EXIT_INTERNAL


def _say(text: str, limit: int = 2 * MESSAGE_CHARS) -> None:
    try:
        sys.stderr.write(one_line(text, limit) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr cannot be written either (a full disk): the exit status says it


def _interrupted(text: str, code: int) -> int:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        silence_stdout()
    _say(f"rra: {text}")
    return code


def _devnull(fd: int) -> TextIO:
    """A text stream on file descriptor `fd`, which is opened on /dev/null (it was closed)."""
    devnull_onto(fd)
    return open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115


INTERRUPTED = (129, 130, 143)


def _ended(signum: int) -> str:
    """How an interruption is said: "interrupted" (Ctrl-C) or "ended by SIGTERM" (or SIGHUP)."""
    return "interrupted" if signum == signal.SIGINT else f"ended by {signal.Signals(signum).name}"


def _end_at_once(signum: int, frame: FrameType | None) -> None:
    try:
        os.write(2, f"rra: {_ended(signum)}\n".encode())  # the same one line as an interruption later in the run
    except OSError:
        pass
    os._exit(128 + signum)


def entry() -> NoReturn:
    """The `rra` program: main(), then exit at once, once the exit handlers have run and the output is flushed
    (after an interruption without the exit handlers: objects the signal left half-built would otherwise complain
    on stderr). A signal before main() has caught signals ends the process at once with 128 + the signal and the
    same one line on stderr. The C allocator keeps freed memory for reuse, and numpy's OpenBLAS starts no threads
    (rra.malloc)."""
    for s in SIGNALS:
        signal.signal(s, _end_at_once)
    if sys.stderr is None:  # closed when rra started (`2>&-`): what would be said there is dropped
        sys.stderr = _devnull(2)
    if sys.stdout is None:  # closed (`>&-`): nothing rra prints could go anywhere, so no work is done
        sys.stdout = _devnull(1)
        _say("rra: standard output is closed: nothing could be printed (send it to a file or to /dev/null)")
        os._exit(OutputError.exit_code)
    keep_freed_memory()
    collect_less()
    one_blas_thread()
    try:
        code = main(final=True)
    except SystemExit as exc:  # argparse's --help, --version and usage errors end the run here
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    if code in INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    # Python's own exit would then free every object one by one (0.17 s after `rra check`: Z3's terms and
    # contexts, numpy's tables), with nothing left to write: the exit handlers run (the worker pool's, the
    # temporary folders'), the output is flushed, and the process ends
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        os._exit(141)  # the reader went away: nothing more to say
    except (OSError, ValueError) as exc:
        silence_stdout()
        _say(f"rra: {cannot_write(exc)}")
        os._exit(OutputError.exit_code)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
