"""The `rra` command: one subcommand per analysis, each with a readable table and stable `--json`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from rra.errors import RraError

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
}


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand."""
    parser = _Parser(prog="rra", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse arguments, run the subcommand, turn user errors into one line and exit 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args._run(args) or 0)
    except RraError as exc:
        sys.stderr.write(f"rra {args.command}: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("rra: interrupted\n")
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
