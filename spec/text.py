"""The bundled agreement text, whitespace normalization and verbatim quote lookup."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rra.errors import BadInput

AGREEMENT_FILE = "registration-rights-agreement-2003-05-09.txt"
AGREEMENT_SHA256 = "33c4d27b3dcd848e6629fff72fae0af0034266574171cab406ced0ce0d515d0f"

_WS = re.compile(r"\s+")


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


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class AgreementSource:
    """An agreement file as read: the name as given, the sha256 of its bytes, its text and its format."""

    name: str
    sha256: str
    text: str
    format: str  # text | docx


MAX_BYTES = 5 * 1024 * 1024


def read_agreement(path: str) -> AgreementSource:
    """Read a draft (UTF-8 text or .docx), refusing what cannot be an agreement, in one line."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BadInput("--agreement", path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise BadInput("--agreement", path, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if p.suffix.lower() == ".docx":
        import io

        import docx  # python-docx

        try:
            doc = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several unrelated types for a damaged file
            raise BadInput("--agreement", path, f"not a readable Word file ({type(exc).__name__})") from None
        text = "\n\n".join(par.text for par in doc.paragraphs)
        return AgreementSource(path, sha256(data), text, "docx")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput("--agreement", path, f"not UTF-8 text (byte {exc.start})") from None
    return AgreementSource(path, sha256(data), text, "text")
