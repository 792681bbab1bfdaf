"""Options and output shared by every subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from rra.interrupt import check as check_interrupted
from rra.output import dumps
from rra.spec.overrides import ParameterSet, parameter_set


def add_json(p: argparse.ArgumentParser) -> None:
    """--json: print stable JSON instead of a table."""
    p.add_argument("--json", action="store_true", help="print stable JSON (sorted keys) instead of a table")


def add_model_options(p: argparse.ArgumentParser) -> None:
    """--set NAME=VALUE and --overrides FILE: try a redraft of the agreement's parameters."""
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter of the agreement, e.g. allowed_delay.max_consecutive=15 (repeatable)")
    p.add_argument("--overrides", metavar="FILE", default=None,
                   help="YAML or JSON file mapping parameter names to values")


def params_from(args: argparse.Namespace) -> ParameterSet:
    """The parameter set the command's --set and --overrides ask for."""
    return parameter_set(getattr(args, "set_items", []) or [], getattr(args, "overrides", None))


def emit(args: argparse.Namespace, data: Any, render: Callable[[Any], str]) -> None:
    """Print JSON with --json, else the readable rendering (never after an interruption)."""
    text = dumps(data) if getattr(args, "json", False) else render(data)
    check_interrupted()
    sys.stdout.write(text)
