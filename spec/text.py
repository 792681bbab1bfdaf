"""The bundled agreement text, whitespace normalization and verbatim quote lookup."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources

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
