"""Output helpers: stable JSON, plain tables, atomic writes and a terminal progress bar."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, TypeVar

from rra.errors import BadInput, OutputError
from rra.interrupt import check as check_interrupted
from rra.interrupt import held

T = TypeVar("T")


def to_jsonable(obj: Any) -> Any:
    """Convert dataclasses, dates, fractions and sets into plain JSON values."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(to_jsonable(v) for v in obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Fraction):
        return float(obj) if obj.denominator != 1 else int(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    return obj


def dumps(obj: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline. The bytes of
    `json.dumps(to_jsonable(obj), sort_keys=True, indent=2, ensure_ascii=False)`, written in one pass: the json
    module encodes with an indent in Python, through generators (measured on the report's report.json, 1.3 MB:
    61 ms with to_jsonable, 15 ms so)."""
    out: list[str] = []
    _encode(obj, "", out.append)
    out.append("\n")
    return "".join(out)


def _float(x: float) -> str:
    if x != x:
        return "NaN"
    if x in (_INF, -_INF):
        return "Infinity" if x > 0 else "-Infinity"
    return float.__repr__(x)


_INF = float("inf")


def _encode(o: Any, indent: str, put: Callable[[str], Any]) -> None:
    """One value as `dumps` writes it, at this indent (the json module's rules and to_jsonable's conversions)."""
    if isinstance(o, str):
        put(encode_basestring(o))
    elif o is None:
        put("null")
    elif o is True:
        put("true")
    elif o is False:
        put("false")
    elif isinstance(o, int):
        put(int.__repr__(o))
    elif isinstance(o, float):
        put(_float(o))
    elif isinstance(o, (dict, list, tuple)):
        items = sorted({str(k): v for k, v in o.items()}.items()) if isinstance(o, dict) else None
        if not o:
            put("{}" if items is not None else "[]")
            return
        inner = indent + "  "
        put(("{" if items is not None else "[") + "\n" + inner)
        between = ",\n" + inner
        if items is not None:
            for n, (k, v) in enumerate(items):
                put((between if n else "") + encode_basestring(k) + ": ")
                _encode(v, inner, put)
        else:
            for n, v in enumerate(o):
                if n:
                    put(between)
                _encode(v, inner, put)
        put("\n" + indent + ("}" if items is not None else "]"))
    elif isinstance(o, date):
        put(encode_basestring(o.isoformat()))
    elif isinstance(o, Fraction):
        put(_float(float(o)) if o.denominator != 1 else int.__repr__(int(o)))
    elif isinstance(o, Decimal):
        put(_float(float(o)))
    elif (is_dataclass(o) and not isinstance(o, type)) or isinstance(o, (set, frozenset)):
        _encode(to_jsonable(o), indent, put)
    else:
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def write_atomic(path: str | os.PathLike[str], data: str | bytes, field: str = "output") -> None:
    """Write a file so that readers see either the old or the complete new content. The folder must exist
    (check it first with rra.limits.check_output_file); a write that fails is BadInput naming `field`."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise BadInput(field, str(path), f"cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        check_interrupted()
        with held():
            os.replace(tmp, target)
    except BaseException as exc:
        with held():
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            raise BadInput(field, str(path), f"cannot write ({exc.strerror or exc})") from None
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE). False where the system or the
    file system cannot do it; other failures raise OSError."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def write_folder(target: str | os.PathLike[str], files: Mapping[str, str | bytes], field: str = "--out") -> None:
    """Write a folder of files (relative names, `sub/name` allowed) so that `target` always holds either the old
    folder or the complete new one.

    The new folder is written beside `target` under a hidden temporary name, then put in place: by one
    rename when `target` does not exist, else by one atomic exchange of the two (renameat2 RENAME_EXCHANGE on
    Linux; elsewhere, or on a file system without it, two renames, during which `target` is missing for an
    instant). SIGINT and SIGTERM are held over the swap; an interruption before it removes the temporary folder
    and leaves `target` untouched. The old folder is removed after the swap. Check `target` first with
    rra.limits.check_output_dir; a write that fails is BadInput naming `field`."""
    dest = Path(target)
    parent = dest.parent
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=parent))
    except OSError as exc:
        raise BadInput(field, str(target), f"cannot write ({exc.strerror or exc})") from None
    try:
        for rel, data in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o755)
        check_interrupted()
        with held():
            if os.path.lexists(dest):
                if not _exchange(tmp, dest):
                    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=parent))
                    os.rmdir(old)
                    os.rename(dest, old)
                    try:
                        os.rename(tmp, dest)
                    except OSError:
                        os.rename(old, dest)
                        raise
                    tmp = old
                shutil.rmtree(tmp, ignore_errors=True)  # now the old folder
            else:
                os.rename(tmp, dest)
    except BaseException as exc:
        with held():
            shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BadInput(field, str(target), f"cannot write ({exc.strerror or exc})") from None
        raise


CENTS = ("Each amount is rounded to the cent from its exact figure, so the parts may add up to a cent more or less "
         "than the total.")


def cents_note(parts: Iterable[float], total: float) -> list[str]:
    """CENTS when the parts, each shown rounded to the cent, miss the total shown by rounding alone (a cent for each
    part at most; a larger gap, such as a cap, is not this note's to explain); else nothing."""
    cents = [round(p * 100) for p in parts]
    gap = abs(sum(cents) - round(total * 100))
    return [CENTS] if 0 < gap <= len(cents) else []


def listed(items: Iterable[str], word: str = "and") -> str:
    """Items in words: "a", "a and b", "a, b and c" ("" for none; empty items are left out)."""
    xs = [x for x in items if x]
    return ", ".join(xs[:-1]) + f" {word} " + xs[-1] if len(xs) > 1 else "".join(xs)


def first_few(items: Sequence[str], shown: int) -> str:
    """The first `shown` items, then how many more: "a, b, c and 4 more"."""
    return ", ".join(items[:shown]) + (f" and {len(items) - shown} more" if len(items) > shown else "")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain-text table with left-aligned columns."""
    body = [[_cell(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*headers).rstrip(), fmt.format(*("-" * w for w in widths)).rstrip()]
    lines += [fmt.format(*row).rstrip() for row in body]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def progress(items: Sequence[T], label: str, stream: Any = None) -> Iterator[T]:
    """Yield items, drawing a progress bar on stderr when it is a terminal."""
    out = stream if stream is not None else sys.stderr
    show = hasattr(out, "isatty") and out.isatty()
    total = len(items)
    for i, item in enumerate(items, 1):
        yield item
        if show:
            width = 30
            done = int(width * i / max(total, 1))
            out.write(f"\r{label} [{'#' * done}{'.' * (width - done)}] {i}/{total}")
            out.flush()
    if show:
        out.write("\n")
        out.flush()


class Bar:
    """A progress callback (what, fraction done) for long engine work: a bar on stderr when it is a terminal."""

    def __init__(self, stream: Any = None) -> None:
        self.out = stream if stream is not None else sys.stderr
        self.shown = hasattr(self.out, "isatty") and self.out.isatty()
        self.drawn = False

    def __call__(self, what: str, fraction: float) -> None:
        if self.shown:
            done = int(30 * max(0.0, min(1.0, fraction)))
            self.out.write(f"\r{what} [{'#' * done}{'.' * (30 - done)}]")
            self.out.flush()
            self.drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self.drawn:
            self.out.write("\n")
            self.out.flush()


def devnull_onto(fd: int) -> None:
    """Point file descriptor `fd` at /dev/null (open or closed before)."""
    null = os.open(os.devnull, os.O_WRONLY)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def silence_stdout() -> None:
    """Point stdout's file descriptor at /dev/null: what it still holds, and anything printed later, is dropped (its
    reader went away, or it cannot be written)."""
    try:
        devnull_onto(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def write_out(text: str) -> None:
    """Write the text to stdout, all of it: an unbuffered stdout (PYTHONUNBUFFERED) may write a pipe's worth and
    stop, and the rest is written until the reader has it or has gone (BrokenPipeError). An output that cannot be
    written (a full disk) is OutputError, with what could not be written dropped."""
    out = sys.stdout
    try:
        raw = getattr(out, "buffer", None)
        if raw is None:  # a stream of text only (a test's capture)
            out.write(text)
        else:
            out.flush()
            data = memoryview(text.encode(out.encoding or "utf-8", out.errors or "strict"))
            while data:
                n = raw.write(data)
                if not n:
                    raise OSError(errno.EAGAIN, "the output took none of what was written")
                data = data[n:]
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        silence_stdout()
        raise cannot_write(exc) from None


def cannot_write(exc: Exception) -> OutputError:
    """The output could not be written, and why (the system's words)."""
    return OutputError(f"cannot write the output: {getattr(exc, 'strerror', None) or exc}")
