"""A small expression language for user invariants, compiled to Z3 over the encoding (never `eval`ed).

Expressions are parsed with Python's `ast` module and walked by a whitelist: anything not listed here is
rejected with a one-line BadInput. The values are whole numbers of days (day 0 = the agreement date) or truth
values.

Names
- an event of the agreement's model, e.g. `pfed`, `rs_filed`, `rs_effective`, `s3_eligible`,
  `stop_order`: the day it happens (a day after the horizon when it never happens; test with `happened`).
- `deadline.<name>`: a deadline of the model without its `deadline.` prefix, e.g. `deadline.filing_date`,
  `deadline.effectiveness`, `deadline.effectiveness_3a`, `deadline.s3_filing`.
- `as_of`, `horizon`: the counting day and the last modelled day.

Functions
- `happened(e)`: event e happened by as_of; `exists(deadline.x)`: the deadline applies (its anchor happened).
- `date("2004-03-15")`: a day number; `param("filing.days_after_pfed")`: a parameter (a number, or a day for a date).
- `days_i("text")` (or another reading), `days_ii()`, `days_iii()`: days counted under 2(c)(i), (ii), (iii).
- `business_days(a, b)`, `trading_days(a, b)`: days of that basis in [a, b].
- `min(a, b, ...)`, `max(a, b, ...)`, `implies(p, q)`, `if_(p, a, b)`.

Operators: `+ -` (and `*` by a whole number), comparisons (chains allowed, `==`, `!=`), `and`, `or`, `not`,
parentheses, whole numbers, `True`, `False`.

Example: `implies(happened(pfed), deadline.filing_date <= pfed + param("filing.days_after_pfed"))`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import z3
from rra.solver.encoding import Encoding, families
from rra.spec.agreement import Agreement

from rra.datafile import read_data
from rra.errors import BadInput

_FUNCS = ("happened", "exists", "date", "param", "days_i", "days_ii", "days_iii", "business_days", "trading_days",
          "min", "max", "implies", "if_")


class _Compiler:
    def __init__(self, enc: Encoding, where: str, text: str) -> None:
        self.enc = enc
        self.where = where
        self.text = text
        model = enc.agreement.model
        self.events = {e.id for e in model.events}
        self.deadlines = {d.id.removeprefix("deadline."): d.id for d in model.deadlines}

    def fail(self, node: ast.AST | None, problem: str) -> BadInput:
        col = getattr(node, "col_offset", None)
        return BadInput(self.where, self.text, problem + (f" (at column {col + 1})" if col is not None else ""))

    def compile(self) -> z3.ExprRef:
        try:
            tree = ast.parse(self.text, mode="eval")
        except SyntaxError as exc:
            raise BadInput(self.where, self.text, f"not a valid expression ({exc.msg})") from None
        return self.node(tree.body)

    def int_(self, node: ast.AST) -> z3.ArithRef:
        v = self.node(node)
        if not z3.is_arith(v):
            raise self.fail(node, "expected a number of days here, not a truth value")
        return v

    def bool_(self, node: ast.AST) -> z3.BoolRef:
        v = self.node(node)
        if not z3.is_bool(v):
            raise self.fail(node, "expected a truth value here, not a number")
        return v

    def node(self, n: ast.AST) -> z3.ExprRef:
        if isinstance(n, ast.Constant):
            if isinstance(n.value, bool):
                return z3.BoolVal(n.value)
            if isinstance(n.value, int):
                return z3.IntVal(n.value)
            raise self.fail(n, f"unexpected constant {n.value!r} (strings only inside date(...), param(...), days_i(...))")
        if isinstance(n, ast.Name):
            return self.name(n)
        if isinstance(n, ast.Attribute):
            return self.attribute(n)
        if isinstance(n, ast.BoolOp):
            parts = [self.bool_(v) for v in n.values]
            return z3.And(parts) if isinstance(n.op, ast.And) else z3.Or(parts)
        if isinstance(n, ast.UnaryOp):
            if isinstance(n.op, ast.Not):
                return z3.Not(self.bool_(n.operand))
            if isinstance(n.op, ast.USub):
                return -self.int_(n.operand)
            if isinstance(n.op, ast.UAdd):
                return self.int_(n.operand)
            raise self.fail(n, "unsupported unary operator")
        if isinstance(n, ast.BinOp):
            return self.binop(n)
        if isinstance(n, ast.Compare):
            return self.compare(n)
        if isinstance(n, ast.Call):
            return self.call(n)
        raise self.fail(n, f"{type(n).__name__} is not part of the invariant language")

    def name(self, n: ast.Name) -> z3.ExprRef:
        if n.id in self.events:
            return self.enc.event(n.id)
        if n.id == "as_of":
            return z3.IntVal(self.enc.asof)
        if n.id == "horizon":
            return z3.IntVal(self.enc.H)
        if n.id in _FUNCS:
            raise self.fail(n, f"{n.id} is a function: call it, e.g. {n.id}(...)")
        raise self.fail(n, f"unknown name {n.id!r}; events are {', '.join(sorted(self.events))}")

    def attribute(self, n: ast.Attribute) -> z3.ExprRef:
        if isinstance(n.value, ast.Name) and n.value.id == "deadline":
            did = self.deadlines.get(n.attr)
            if did is None:
                raise self.fail(n, f"unknown deadline {n.attr!r}; deadlines are {', '.join(sorted(self.deadlines))}")
            return self.enc.deadline(did).day
        raise self.fail(n, "only deadline.<name> may use a dot (parameters: param(\"name\"))")

    def binop(self, n: ast.BinOp) -> z3.ExprRef:
        if isinstance(n.op, ast.Add):
            return self.int_(n.left) + self.int_(n.right)
        if isinstance(n.op, ast.Sub):
            return self.int_(n.left) - self.int_(n.right)
        if isinstance(n.op, ast.Mult):
            for a, b in ((n.left, n.right), (n.right, n.left)):
                if isinstance(a, ast.Constant) and isinstance(a.value, int) and not isinstance(a.value, bool):
                    return a.value * self.int_(b)
            raise self.fail(n, "multiply only by a whole number")
        raise self.fail(n, f"operator {type(n.op).__name__} is not part of the invariant language")

    def compare(self, n: ast.Compare) -> z3.BoolRef:
        out = []
        left = n.left
        for op, right in zip(n.ops, n.comparators, strict=True):
            if isinstance(op, (ast.Eq, ast.NotEq)):
                a, b = self.node(left), self.node(right)
                if z3.is_bool(a) != z3.is_bool(b):
                    raise self.fail(n, "cannot compare a truth value with a number")
                out.append(a == b if isinstance(op, ast.Eq) else a != b)
            elif isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
                a, b = self.int_(left), self.int_(right)
                out.append({ast.Lt: a < b, ast.LtE: a <= b, ast.Gt: a > b, ast.GtE: a >= b}[type(op)])
            else:
                raise self.fail(n, f"comparison {type(op).__name__} is not part of the invariant language")
            left = right
        return z3.And(out) if len(out) > 1 else out[0]

    def _str(self, n: ast.AST, what: str) -> str:
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            return n.value
        raise self.fail(n, f"expected a quoted {what}")

    def _event_arg(self, n: ast.AST) -> str:
        if isinstance(n, ast.Name) and n.id in self.events:
            return n.id
        raise self.fail(n, f"expected an event name; events are {', '.join(sorted(self.events))}")

    def call(self, n: ast.Call) -> z3.ExprRef:
        if not isinstance(n.func, ast.Name) or n.func.id not in _FUNCS:
            raise self.fail(n, f"unknown function; functions are {', '.join(_FUNCS)}")
        if n.keywords:
            raise self.fail(n, "keyword arguments are not supported")
        f, args = n.func.id, n.args

        def arity(k: int | tuple[int, int]) -> None:
            lo, hi = (k, k) if isinstance(k, int) else k
            if not lo <= len(args) <= hi:
                raise self.fail(n, f"{f} takes {lo if lo == hi else f'{lo} to {hi}'} argument(s)")

        if f == "happened":
            arity(1)
            return self.enc.happened(self._event_arg(args[0]))
        if f == "exists":
            arity(1)
            a = args[0]
            if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "deadline" \
                    and a.attr in self.deadlines:
                return self.enc.deadline(self.deadlines[a.attr]).exists
            raise self.fail(a, "expected deadline.<name>")
        if f == "date":
            arity(1)
            s = self._str(args[0], "date YYYY-MM-DD")
            try:
                return z3.IntVal(self.enc.day_of(date.fromisoformat(s)))
            except ValueError:
                raise self.fail(args[0], f"{s!r} is not a date YYYY-MM-DD") from None
        if f == "param":
            arity(1)
            name = self._str(args[0], "parameter name")
            if name not in self.enc.params.values:
                raise self.fail(args[0], f"unknown parameter {name!r}")
            v = self.enc.params[name]
            if isinstance(v, date):
                return z3.IntVal(self.enc.day_of(v))
            if isinstance(v, bool) or not isinstance(v, int):
                raise self.fail(args[0], f"parameter {name!r} is not a whole number or a date")
            return z3.IntVal(v)
        if f == "days_i":
            arity((0, 1))
            names = self.enc.reading_names()
            reading = self._str(args[0], "reading name") if args else names[0]
            if reading not in names:
                raise self.fail(n, f"unknown reading {reading!r}; readings are {', '.join(names)}")
            return self.enc.days_i(reading)
        if f in ("days_ii", "days_iii"):
            arity(0)
            return self.enc.days_ii() if f == "days_ii" else self.enc.days_iii()
        if f in ("business_days", "trading_days"):
            arity(2)
            return self.enc.days_between(self.int_(args[0]), self.int_(args[1]), f.split("_")[0])
        if f in ("min", "max"):
            if len(args) < 2:
                raise self.fail(n, f"{f} takes at least 2 arguments")
            vals = [self.int_(a) for a in args]
            acc = vals[0]
            for v in vals[1:]:
                acc = z3.If(v < acc, v, acc) if f == "min" else z3.If(v > acc, v, acc)
            return acc
        if f == "implies":
            arity(2)
            return z3.Implies(self.bool_(args[0]), self.bool_(args[1]))
        arity(3)  # if_
        a, b = self.node(args[1]), self.node(args[2])
        if z3.is_bool(a) != z3.is_bool(b):
            raise self.fail(n, "both branches of if_ must be numbers or both truth values")
        return z3.If(self.bool_(args[0]), a, b)


MAX_EXPR_CHARS = 2_000  # one claim or assumption
MAX_INVARIANTS = 100  # in one --invariants file
MAX_EXPR_DEPTH = 60  # nesting of operators and calls in one expression


def compile_expr(enc: Encoding, text: str, where: str = "expression") -> z3.ExprRef:
    """Compile one expression over the encoding (BadInput on any problem)."""
    if not isinstance(text, str) or not text.strip():
        raise BadInput(where, text, "expected an expression")
    check_expr(text, where)
    return _Compiler(enc, where, text.strip()).compile()


def check_expr(text: str, where: str) -> None:
    """The expression's size and nesting are within MAX_EXPR_CHARS and MAX_EXPR_DEPTH (so that neither
    Python's parser nor the compiler's walk can run out of stack)."""
    if len(text) > MAX_EXPR_CHARS:
        raise BadInput(where, text, f"longer than {MAX_EXPR_CHARS:,} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise BadInput(where, text, f"not a valid expression ({exc.msg})") from None
    except (RecursionError, MemoryError, ValueError):
        raise BadInput(where, text, f"nested more than {MAX_EXPR_DEPTH} levels deep") from None
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXPR_DEPTH:
            raise BadInput(where, text, f"nested more than {MAX_EXPR_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


@dataclass(frozen=True)
class UserInvariant:
    """An invariant from a user's file."""

    id: str
    statement: str
    sections: tuple[str, ...]
    claim: str
    assume: tuple[str, ...] = ()
    slots: dict[str, int] = field(default_factory=dict)


_KEYS = ("id", "statement", "sections", "claim", "assume", "slots")


def load_invariants(path: str | Path, agreement: Agreement) -> list[UserInvariant]:
    """Read a YAML file `{invariants: [{id, statement, sections, claim, assume?, slots?}]}` (BadInput on problems)."""
    data = read_data(path, "--invariants")
    fams = families(agreement)
    if not isinstance(data, dict) or not isinstance(data.get("invariants"), list):
        raise BadInput("--invariants", str(path), "expected a mapping with a list under 'invariants'")
    if len(data["invariants"]) > MAX_INVARIANTS:
        raise BadInput("invariants", f"{len(data['invariants']):,} invariants", f"at most {MAX_INVARIANTS} in one file "
                       "(each is proved with Z3)")
    out: list[UserInvariant] = []
    seen: set[str] = set()
    for k, item in enumerate(data["invariants"]):
        where = f"invariants[{k}]"
        if not isinstance(item, dict):
            raise BadInput(where, item, "expected a mapping with id, statement, sections and claim")
        extra = sorted(set(map(str, item)) - set(_KEYS))
        if extra:
            raise BadInput(f"{where}.{extra[0]}", item[extra[0]], f"unknown key; expected {', '.join(_KEYS)}")
        for key in ("id", "statement", "claim"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise BadInput(f"{where}.{key}", item.get(key), "expected a non-empty text")
        if item["id"] in seen:
            raise BadInput(f"{where}.id", item["id"], "duplicate invariant id")
        seen.add(item["id"])
        sections = item.get("sections", [])
        if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
            raise BadInput(f"{where}.sections", sections, "expected a list of clause ids like \"2(c)\"")
        assume = item.get("assume", [])
        if isinstance(assume, str):
            assume = [assume]
        if not isinstance(assume, list) or not all(isinstance(a, str) for a in assume):
            raise BadInput(f"{where}.assume", assume, "expected a list of expressions")
        slots = item.get("slots", {}) or {}
        if not isinstance(slots, dict) or any(f not in fams or not isinstance(v, int) or isinstance(v, bool)
                                              or not 0 <= v <= 3 for f, v in slots.items()):
            raise BadInput(f"{where}.slots", slots, f"expected a mapping of {', '.join(fams)} to 0..3")
        if slots.get("allowed_delays", 0) > 1:
            raise BadInput(f"{where}.slots", slots, "at most one symbolic Allowed Delay")
        check_expr(item["claim"], f"{where}.claim")
        for i, text in enumerate(assume):
            check_expr(text, f"{where}.assume[{i}]")
        out.append(UserInvariant(item["id"].strip(), item["statement"].strip(), tuple(sections), item["claim"],
                                 tuple(assume), dict(slots)))
    return out


def check_user(inv: UserInvariant, agreement: Agreement, where: str = "invariants") -> Any:
    """Prove one user invariant; returns an invariants.Verdict."""
    from rra.solver.invariants import prove_on

    enc = Encoding(agreement, slots=inv.slots)
    claim = compile_expr(enc, inv.claim, f"{where}[{inv.id}].claim")
    if not z3.is_bool(claim):
        raise BadInput(f"{where}[{inv.id}].claim", inv.claim, "the claim must be a truth value, e.g. a comparison")
    assume = [compile_expr(enc, a, f"{where}[{inv.id}].assume") for a in inv.assume]
    for a, text in zip(assume, inv.assume, strict=True):
        if not z3.is_bool(a):
            raise BadInput(f"{where}[{inv.id}].assume", text, "an assumption must be a truth value")
    deadlines = tuple(d.id for d in agreement.model.deadlines
                      if d.id.removeprefix("deadline.") in inv.claim and agreement.model.usable(d.id))
    return prove_on(enc, inv.id, inv.statement, inv.sections, inv.assume, claim, assume, deadlines, source="user")
