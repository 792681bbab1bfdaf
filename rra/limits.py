"""Limits at the edge: every value a user types is checked here (or against these constants) before any work.

The limits are documented in the README ("Limits, exit statuses and interruptions"). Anything past one is a BadInput: one line naming the field,
the value (cut to about 80 characters, never expanded in full) and what is wrong, exit status 2.

- Files (`read_text`): a regular file (not a device, pipe or folder), at most `MAX_FILE_BYTES`, UTF-8.
- Data files (rra.datafile): nesting at most `MAX_DEPTH` levels, at most `MAX_ALIASES` YAML aliases and
  `MAX_NODES` values once aliases are expanded, no recursive alias, no duplicate key, numbers of at most
  `MAX_NUMBER_CHARS` characters, texts of at most `MAX_TEXT_CHARS` characters.
- Numbers (`decimal`, `whole_number`): finite, written in at most `MAX_NUMBER_CHARS` characters, below 1e30
  before they are built; `whole_number` also checks the range the caller documents.
- Output paths (`check_output_dir`, `check_output_file`): checked before any work.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1_048_576  # 1 MiB: the largest scenario, holdings, assumption, override or invariant file
MAX_AGREEMENT_BYTES = 1_048_576  # `rra check --agreement`: the bundled agreement is about 60 KB
MAX_DEPTH = 50  # nesting of mappings and lists in a data file (aliases expanded)
MAX_ALIASES = 100  # YAML aliases (*name) in one file
MAX_NODES = 50_000  # values in a data file, aliases expanded (a large scenario has a few thousand)
MAX_TEXT_CHARS = 10_000  # one text value or key in a data file
MAX_NUMBER_CHARS = 40  # one number as written (digits, sign, point, exponent)
MAX_AMOUNT = 10**12  # USD amounts and share counts
MAX_ITEMS = 1_000  # periods (or comments, documents, notices, holders) in one list of a scenario
MAX_ANALYZE_PARTIES = 1_000  # `rra consent --analyze --holdings`: polynomial in holders, so the same bound as any list
MAX_WORKERS = 16  # `rra exposure --workers`
MAX_TIMEOUT_S = 3600.0  # `rra exposure --timeout`
VALUE_CHARS = 80  # how much of a value an error message shows
FIELD_CHARS = 160  # how much of a field path an error message shows
MESSAGE_CHARS = 600  # how long the problem part of an error message may be


def one_line(text: str, limit: int) -> str:
    """Text on one line (control characters escaped) and at most about `limit` characters."""
    out = []
    n = 0
    for ch in text:
        if n >= limit:
            out.append("...")
            break
        if ch == "\n":
            piece = "\\n"
        elif ch == "\r":
            piece = "\\r"
        elif ch == "\t":
            piece = "\\t"
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029\x85":
            piece = f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
        else:
            piece = ch
        out.append(piece)
        n += len(piece)
    return "".join(out)


def cut(text: str, limit: int, words: bool = False) -> str:
    """Text of at most `limit` characters, cut at the end and marked "..." (with `words`, after its last whole word
    that fits, a trailing comma, semicolon or colon dropped)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 3]
    return (head.rsplit(" ", 1)[0].rstrip(",;:") if words else head.rstrip()) + "..."


def short(value: Any, limit: int = VALUE_CHARS) -> str:
    """A repr of `value` cut to about `limit` characters, built piece by piece so that a large or shared
    structure (a YAML alias bomb expands to millions of items) is never turned into text in full."""
    parts: list[str] = []
    size = 0
    stack: list[tuple[bool, Any]] = [(False, value)]  # pending pieces: (is literal text, item); no recursion
    while stack and size <= limit:
        literal, item = stack.pop()
        if literal:
            piece = item
        elif isinstance(item, (dict, list, tuple)):
            is_map = isinstance(item, dict)
            opener, closer = ("{", "}") if is_map else ("[", "]") if isinstance(item, list) else ("(", ")")
            piece = opener
            seq: list[tuple[bool, Any]] = []
            entries: Any = item.items() if isinstance(item, dict) else item
            for i, entry in enumerate(entries):
                if i >= limit // 2:
                    seq.append((True, ", ..."))
                    break
                if i:
                    seq.append((True, ", "))
                seq += [(False, entry[0]), (True, ": "), (False, entry[1])] if is_map else [(False, entry)]
            seq.append((True, closer))
            stack.extend(reversed(seq))
        elif isinstance(item, (str, bytes)):
            piece = repr(item[: limit + 1])
        elif isinstance(item, int) and not isinstance(item, bool) and item.bit_length() > 4 * limit:
            piece = f"<a whole number of about {int(item.bit_length() * 0.30103)} digits>"
        elif isinstance(item, (set, frozenset)):
            piece = f"<a set of {len(item)} values>"
        else:
            piece = repr(item)[: limit + 1]
        parts.append(piece)
        size += len(piece)
    text = one_line("".join(parts), limit)
    return text + "..." if stack and not text.endswith("...") else text


def read_text(path: str | os.PathLike[str], field: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of a regular file of at most `max_bytes` bytes, decoded as UTF-8 (a leading BOM is dropped)."""
    from rra.errors import BadInput

    name = os.fspath(path)
    if not name:
        raise BadInput(field, name, "expected a file name")
    try:
        st = os.stat(name)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInput(field, name, f"cannot read file ({reason})") from None
    if stat.S_ISDIR(st.st_mode):
        raise BadInput(field, name, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(field, name, "is not a regular file (a device, pipe or socket cannot be read as input)")
    if st.st_size > max_bytes:
        raise BadInput(field, name, f"is larger than the limit of {max_bytes:,} bytes")
    try:
        with open(name, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise BadInput(field, name, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise BadInput(field, name, f"is larger than the limit of {max_bytes:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInput(field, name, f"is not UTF-8 text (byte {exc.start + 1}, line {line})") from None
    return text.removeprefix("\ufeff")


def _reject_long(raw: str, field: str) -> str:
    from rra.errors import BadInput

    text = raw.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise BadInput(field, raw, f"a number is written in at most {MAX_NUMBER_CHARS} characters")
    return text


def decimal(raw: Any, field: str, what: str = "a number") -> Fraction:
    """A finite number, exactly (text like '1,000,000.50', '$5,000', '2.5e3' or '1/10'; int; finite float).

    Exponents are bounded by the length limit and checked before the value is built, so '1e100000000' is
    refused at once instead of being expanded."""
    from rra.errors import BadInput

    if isinstance(raw, bool) or raw is None:
        raise BadInput(field, raw, f"expected {what}")
    if isinstance(raw, int):
        if raw.bit_length() > 4 * MAX_NUMBER_CHARS:
            raise BadInput(field, raw, f"a number is written in at most {MAX_NUMBER_CHARS} characters")
        return Fraction(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise BadInput(field, raw, f"expected {what}, finite")
        raw = repr(raw)  # the shortest decimal that reads back as this float: 0.1 is 1/10, as the user wrote it
    if isinstance(raw, Fraction):
        return raw
    if not isinstance(raw, str):
        raise BadInput(field, raw, f"expected {what}")
    text = _reject_long(raw, field).replace(",", "").replace("_", "").removeprefix("$")
    num, slash, den = text.partition("/")  # a fraction as rra writes one back ("1/10")
    value = _decimal_part(num, raw, field, what)
    if slash:
        divisor = _decimal_part(den, raw, field, what)
        if divisor == 0:
            raise BadInput(field, raw, f"expected {what} (division by zero)")
        value /= divisor
    return value


def _decimal_part(text: str, raw: Any, field: str, what: str) -> Fraction:
    from rra.errors import BadInput

    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise BadInput(field, raw, f"expected {what}") from None
    if not d.is_finite():
        raise BadInput(field, raw, f"expected {what}, finite")
    if d != 0 and d.adjusted() > 30:
        raise BadInput(field, raw, f"too large: expected {what} below 1e30")
    if d != 0 and d.adjusted() < -30:
        raise BadInput(field, raw, f"too many decimal places: expected {what} with at most 30")
    return Fraction(d)


def whole_number(raw: Any, field: str, lo: int, hi: int, what: str = "a whole number") -> int:
    """A whole number in [lo, hi]: an int, or text of digits (commas and underscores allowed), or a float
    with no fraction (YAML `30.0`)."""
    from rra.errors import BadInput

    if isinstance(raw, bool) or raw is None:
        raise BadInput(field, raw, f"expected {what}")
    if isinstance(raw, float):
        if not math.isfinite(raw) or not raw.is_integer():
            raise BadInput(field, raw, f"expected {what}")
        value = int(raw)
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = _reject_long(raw, field).replace(",", "").replace("_", "")
        sign = text[:1] if text[:1] in "+-" else ""
        if not text[len(sign):].isdigit() or not text[len(sign):].isascii():
            raise BadInput(field, raw, f"expected {what}")
        value = int(text)
    else:
        raise BadInput(field, raw, f"expected {what}")
    if not lo <= value <= hi:
        if value < 0 <= lo:
            raise BadInput(field, raw, f"must not be negative (at most {hi:,})")
        raise BadInput(field, raw, f"must be between {lo:,} and {hi:,}")
    return value


# --------------------------------------------------------------------------------------------- outputs


def _name_of(path_text: str, field: str) -> Path:
    from rra.errors import BadInput

    if not path_text or "\0" in path_text:
        raise BadInput(field, path_text, "expected a path")
    p = Path(path_text)
    if p.name in ("", ".", "..") or path_text.rstrip("/").endswith(("/.", "/..")) or path_text.rstrip("/") in (".", ".."):
        raise BadInput(field, path_text, "name the folder or file itself (not '.', '..' or '/')")
    longest = _name_max(p.parent) - TEMP_NAME_EXTRA
    if len(os.fsencode(p.name)) > longest:
        raise BadInput(field, path_text, f"its name is {len(os.fsencode(p.name))} bytes long; at most {longest} "
                                         "(the file system's limit, less room for the name it is written under first)")
    if len(os.fsencode(os.path.abspath(p))) > PATH_BYTES:
        raise BadInput(field, path_text, f"the path is longer than {PATH_BYTES} bytes")
    try:
        os.lstat(p)
    except (FileNotFoundError, NotADirectoryError):
        pass  # new, or under a file: said of its folder next
    except OSError as exc:  # a loop of links, a folder that cannot be read
        raise BadInput(field, path_text, f"cannot be used ({exc.strerror or exc})") from None
    if os.path.islink(p):
        if not os.path.exists(p):
            raise BadInput(field, path_text, "is a symbolic link to something that does not exist")
        raise BadInput(field, path_text, "is a symbolic link; name the real path instead")
    return p


# An output is written first under a hidden name beside it (rra.output: ".NAME.new-" and 8 random characters).
TEMP_NAME_EXTRA = 16
PATH_BYTES = 4000  # below Linux's PATH_MAX (4096), with room for the files written inside an output folder


def _name_max(folder: Path) -> int:
    """The longest file name the folder's file system takes (255 where it cannot say)."""
    try:
        return int(os.pathconf(folder if str(folder) else ".", "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def _check_parent(p: Path, path_text: str, field: str) -> Path:
    """The folder that will hold `p`: it must exist, be a folder, and take a new entry (checked by making and
    removing one, so read-only file systems are caught too)."""
    from rra.errors import BadInput

    parent = p.parent
    if not parent.exists():
        raise BadInput(field, path_text, f"its folder {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise BadInput(field, path_text, f"{str(parent)!r} is not a folder")
    try:
        probe = tempfile.mkdtemp(prefix=f".{p.name[:40]}.probe-", dir=parent)
        os.rmdir(probe)
    except OSError as exc:
        raise BadInput(field, path_text, f"cannot write in {str(parent)!r} ({exc.strerror or exc})") from None
    return parent


def check_output_dir(path_text: str, field: str, marker: str, what: str = "rra") -> Path:
    """Check a folder the command will write (and replace whole), before any work: its parent exists and takes
    new entries; it is not a symbolic link; it is new, empty, or holds `marker` (written by an earlier run)."""
    from rra.errors import BadInput

    p = _name_of(path_text, field)
    _check_parent(p, path_text, field)
    if p.exists():
        if not p.is_dir():
            raise BadInput(field, path_text, "exists and is not a folder")
        try:
            ours = (p / marker).is_file() or not any(p.iterdir())
        except OSError as exc:
            raise BadInput(field, path_text, f"cannot read the folder ({exc.strerror or exc})") from None
        if not ours:
            raise BadInput(field, path_text, f"exists and is not an {what} folder; choose a new or empty folder")
    return p


def check_output_file(path_text: str, field: str) -> Path:
    """Check a file the command will write (replaced atomically), before any work: its folder exists and takes
    new entries; it is not a symbolic link, a folder or a device."""
    from rra.errors import BadInput

    p = _name_of(path_text, field)
    _check_parent(p, path_text, field)
    if p.exists():
        if p.is_dir():
            raise BadInput(field, path_text, "is a folder; name a file")
        if not p.is_file():
            raise BadInput(field, path_text, "exists and is not a regular file")
    return p
