"""Reading user data files (scenarios, holdings, assumptions, overrides): YAML or JSON, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from rra.errors import BadInput


def read_data(path: str | Path, field: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Parse a file as JSON (`.json`) or YAML (anything else, with a safe loader); BadInput names the field,
    the path and the line and column of a syntax error."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInput(field, str(path), f"cannot read file ({reason})") from None
    if p.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInput(field, str(path), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - loader is a SafeLoader (sub)class
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadInput(field, str(path), f"not valid YAML ({where}{problem})") from None
