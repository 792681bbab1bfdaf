"""The bundled agreement text, reading a draft from a file, character canonicalization and whitespace
normalization for verbatim quote lookup."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from rra.errors import BadInput

AGREEMENT_FILE = "registration-rights-agreement-2003-05-09.txt"
AGREEMENT_SHA256 = "33c4d27b3dcd848e6629fff72fae0af0034266574171cab406ced0ce0d515d0f"

# The largest agreement file read_agreement accepts (text or .docx), in bytes: 1 MiB, as documented (README, Input
# limits; rra.limits.MAX_AGREEMENT_BYTES). The bundled text is 62 kB; a 1 MB text of it repeated takes `rra diff`
# about a minute, a 5 MB one more than six.
MAX_AGREEMENT_BYTES = 1_048_576

_WS = re.compile(r"\s+")

# Characters that word processors put where a plain text has an ASCII one. Canonicalizing maps them to that
# ASCII form (or removes them), so a quote typed with straight quotes matches a draft written with curly ones.
_CANON = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",  # single quotes, prime
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',  # double quotes, double prime
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\u00ad": None, "\u200b": None, "\u2060": None, "\ufeff": None,  # soft hyphen, zero-width space, joiner, BOM
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
    "\u2026": "...",
})

TextFormat = Literal["text", "docx"]


@lru_cache(maxsize=1)
def agreement_bytes() -> bytes:
    """The bundled agreement, byte for byte."""
    return resources.files("rra.spec").joinpath(AGREEMENT_FILE).read_bytes()


def agreement_text() -> str:
    """The bundled agreement as text."""
    return agreement_bytes().decode("utf-8")


def sha256(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def canonical(text: str) -> str:
    """The text with curly quotes and apostrophes, dashes, non-breaking and other special spaces, soft hyphens,
    zero-width characters and ligatures replaced by their plain ASCII forms (or removed). ASCII is unchanged."""
    return text if text.isascii() else text.translate(_CANON)


@lru_cache(maxsize=16_384)  # the same quotes and clause texts are normalized again for every redlined draft
def normalize(text: str) -> str:
    """Canonicalize the characters (see `canonical`), collapse every run of whitespace to one space and strip
    the ends."""
    return _WS.sub(" ", canonical(text)).strip()


def cut(value: str, limit: int = 60) -> str:
    """A value shortened for an error message."""
    return value if len(value) <= limit else value[: limit - 3] + "..."


# ---------------------------------------------------------------- reading an agreement file


@dataclass(frozen=True)
class AgreementSource:
    """An agreement as read from a file: the name it was given by, the sha256 of its bytes, its text and
    whether it was plain text or a Word .docx (whose paragraphs become blocks separated by blank lines)."""

    name: str
    sha256: str
    text: str
    format: TextFormat


# Magic numbers of formats that are not an agreement's text, with what to say about them.
_NOT_TEXT = (
    (b"%PDF-", "a PDF file; save the draft as .docx or plain text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc (or other OLE) file; save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx or plain text"),
    (b"\xff\xfe", "UTF-16 text; save it as UTF-8"),
    (b"\xfe\xff", "UTF-16 text; save it as UTF-8"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _read_bounded(path: str, field: str, limit: int) -> bytes:
    """At most limit + 1 bytes of a file; opening never blocks (a FIFO without a writer reads as empty)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise BadInput(field, cut(path), f"cannot read file ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise BadInput(field, cut(path), "is a directory, not a file")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise BadInput(field, cut(path), f"cannot read file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_text(data: bytes, name: str, field: str = "agreement") -> str:
    """UTF-8 text from bytes, refusing binary files, other encodings (with the byte offset) and control
    characters other than tab, line ends and form feed."""
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise BadInput(field, cut(name), f"not a text file: {what}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BadInput(field, cut(name), f"not a text file: a NUL byte at byte offset {nul} (binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(field, cut(name), f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                                         "cannot be decoded (save the draft as UTF-8)") from None
    if m := _CONTROL.search(text):
        offset = len(text[: m.start()].encode("utf-8"))
        raise BadInput(field, cut(name), f"not a text file: control character U+{ord(m.group(0)):04X} at byte offset "
                                         f"{offset}")
    return text


def read_agreement(path: str | Path, *, field: str = "agreement",
                   limit: int = MAX_AGREEMENT_BYTES) -> AgreementSource:
    """Read an agreement draft: UTF-8 text (any line ends, with or without a BOM) or a Word .docx (a zip file,
    recognized by its content, not its name). Files larger than `limit` bytes (5 MB) are refused after reading at
    most limit + 1 bytes; nothing is written anywhere. Every refusal is one BadInput naming the field and file."""
    name = str(path)
    data = _read_bounded(name, field, limit)
    if len(data) > limit:
        raise BadInput(field, cut(name), f"larger than {limit:,} bytes; an agreement is far smaller")
    if not data.strip():
        raise BadInput(field, cut(name), "the file is empty")
    if data.startswith(b"PK\x03\x04") or name.lower().endswith(".docx"):
        from rra.spec.wordfile import docx_text

        return AgreementSource(name, sha256(data), docx_text(data, name, field), "docx")
    return AgreementSource(name, sha256(data), decode_text(data, name, field), "text")
