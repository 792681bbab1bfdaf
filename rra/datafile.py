"""Reading user data files (scenarios, holdings, assumptions, overrides, invariants): YAML or JSON, one-line
errors, and the limits of rra.limits enforced while parsing.

YAML is composed and checked before anything is constructed: nesting depth, the number of aliases, the size
of the document once aliases are expanded, recursive aliases, the length of texts and numbers. Mappings refuse
duplicate keys and keys that are not text or whole numbers (`~`, `yes`, a date). JSON gets the same limits
(depth and duplicate keys from one pass over its tokens, numbers through parse hooks) and refuses NaN and
Infinity. Every problem is a BadInput naming the field (the option), the file and the line.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rra.errors import BadInput
from rra.limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_NUMBER_CHARS, MAX_TEXT_CHARS, read_text


class _Refused(Exception):
    """A limit or rule broken while parsing: the problem and the 1-based line."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def _line(node_or_mark: Any) -> int | None:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1 if mark is not None and hasattr(mark, "line") else None


class _Limited:
    """Mixed in before a yaml.SafeLoader (sub)class: the composer and constructor checks."""

    _depth = 0
    _aliases = 0
    _nodes = 0

    def compose_document(self) -> Node | None:
        self._depth, self._aliases, self._nodes = 0, 0, 0
        node = super().compose_document()  # type: ignore[misc]
        if node is not None:
            _check_expanded(node)
        return node  # type: ignore[no-any-return]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(f"more than {MAX_ALIASES} aliases (*name)", _line(event))
            target = self.anchors.get(event.anchor)  # type: ignore[attr-defined]
            if target is not None and target.end_mark is None:
                # the anchored collection is still being composed: the alias would make it contain itself
                raise _Refused(f"alias *{event.anchor} refers to a value that contains it (a recursive alias)", _line(event))
        else:
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise _Refused(f"more than {MAX_NODES:,} values", _line(event))
            tag = getattr(event, "tag", None)
            if tag not in (None, "!", "tag:yaml.org,2002:str"):
                raise _Refused(f"explicit tags such as {tag!r} are not accepted", _line(event))
            if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_TEXT_CHARS:
                raise _Refused(f"a value longer than {MAX_TEXT_CHARS:,} characters", _line(event))
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", _line(event))
        try:
            return super().compose_node(parent, index)  # type: ignore[misc,no-any-return]
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int | None] = {}
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=False)  # type: ignore[attr-defined]
            if key is None:
                raise _Refused("a key is null (~ or empty); keys are names", _line(key_node))
            if isinstance(key, bool):
                raise _Refused(f"the key {key_node.value!r} reads as {str(key).lower()}; quote it", _line(key_node))
            if isinstance(key, (float, date)):
                raise _Refused(f"the key {key_node.value!r} is not a name; quote it", _line(key_node))
            try:
                if key in seen:
                    raise _Refused(f"duplicate key {str(key)!r} (first at line {seen[key]})", _line(key_node))
            except TypeError:
                raise _Refused("a key is a list or mapping; keys are names", _line(key_node)) from None
            seen[key] = _line(key_node)
        return super().construct_mapping(node, deep)  # type: ignore[misc,no-any-return]

    def construct_yaml_int(self, node: ScalarNode) -> int:
        _check_number(node.value, _line(node))
        return super().construct_yaml_int(node)  # type: ignore[misc,no-any-return]

    def construct_yaml_float(self, node: ScalarNode) -> float:
        _check_number(node.value, _line(node))
        return super().construct_yaml_float(node)  # type: ignore[misc,no-any-return]

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        # an impossible date (2003-09-31) stays text, so the field's own check can name it
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except (ValueError, OverflowError, AttributeError):
            return self.construct_scalar(node)  # type: ignore[attr-defined]


def _check_number(text: str, line: int | None) -> None:
    if len(text.strip()) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number longer than {MAX_NUMBER_CHARS} characters", line)


def _check_expanded(root: Node) -> None:
    """Depth and size of the document with every alias expanded, counted over the node graph (each node once,
    so an alias bomb is measured without being expanded)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        kids: list[Node] = []
        if isinstance(node, SequenceNode):
            kids = list(node.value)
        elif isinstance(node, MappingNode):
            kids = [n for pair in node.value for n in pair]
        if not done:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in size)
            continue
        size[id(node)] = min(1 + sum(size[id(k)] for k in kids), MAX_NODES + 1)
        depth[id(node)] = 1 + max((depth[id(k)] for k in kids), default=0)
        if size[id(node)] > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES:,} values once aliases are expanded", _line(node))
        if depth[id(node)] > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep once aliases are expanded", _line(node))


_LOADERS: dict[type, type] = {}
_COMPOSER_METHODS = ("check_node", "get_node", "get_single_node", "compose_scalar_node", "compose_sequence_node",
                     "compose_mapping_node")


def limited(loader: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """`loader` with the limits of this module (one class per loader, made once).

    Where PyYAML has libyaml, its C parser reads the text (about 50 times faster than the pure-Python one, which
    takes seconds for a file at the size limit) and the pure-Python composer above builds the nodes, so the
    checks still run; the constructors and resolvers are `loader`'s."""
    if loader not in _LOADERS:
        ns: dict[str, Any] = {}
        bases: tuple[type, ...] = (_Limited, loader)
        if yaml.__with_libyaml__:
            from yaml.composer import Composer
            from yaml.cyaml import CParser  # type: ignore[attr-defined]

            bases = (_Limited, CParser, loader)
            ns = {name: getattr(Composer, name) for name in _COMPOSER_METHODS}

            def __init__(self: Any, stream: str) -> None:  # noqa: N807
                CParser.__init__(self, stream)
                Composer.__init__(self)
                yaml.constructor.SafeConstructor.__init__(self)
                yaml.resolver.Resolver.__init__(self)

            ns["__init__"] = __init__
        cls = type(f"Limited{loader.__name__}", bases, ns)
        cls.add_constructor("tag:yaml.org,2002:int", _Limited.construct_yaml_int)  # type: ignore[attr-defined]
        cls.add_constructor("tag:yaml.org,2002:float", _Limited.construct_yaml_float)  # type: ignore[attr-defined]
        timestamp = loader.yaml_constructors.get("tag:yaml.org,2002:timestamp")
        if timestamp is yaml.SafeLoader.yaml_constructors["tag:yaml.org,2002:timestamp"]:
            cls.add_constructor("tag:yaml.org,2002:timestamp", _Limited.construct_yaml_timestamp)  # type: ignore[attr-defined]
        _LOADERS[loader] = cls
    return _LOADERS[loader]


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,\n]')


def _json_structure(text: str) -> None:
    """Depth and duplicate keys of a JSON text, from one pass over its strings and punctuation (json.loads
    itself gives neither the line of a duplicate nor a depth limit below Python's recursion limit)."""
    line = 1
    stack: list[dict[str, int] | None] = []  # per open container: the keys seen (objects) or None (arrays)
    expect_key = False
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok == "\n":
            line += 1
        elif tok in "{[":
            stack.append({} if tok == "{" else None)
            if len(stack) > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", line)
            expect_key = tok == "{"
        elif tok in "}]":
            if stack:
                stack.pop()
            expect_key = False
        elif tok == ",":
            expect_key = bool(stack) and stack[-1] is not None
        elif tok == ":":
            expect_key = False
        elif expect_key and stack and stack[-1] is not None:
            try:
                key = json.loads(tok)
            except ValueError:
                continue  # json.loads reports the syntax error with its position
            if key in stack[-1]:
                raise _Refused(f"duplicate key {key!r} (first at line {stack[-1][key]})", line)
            stack[-1][key] = line
            expect_key = False


def _json_number(kind: type) -> Any:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(f"a number longer than {MAX_NUMBER_CHARS} characters", None)
        return kind(text)

    return parse


def _json_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number rra accepts (numbers must be finite)", None)


def _json_text_lengths(data: Any) -> None:
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            if len(x) > MAX_TEXT_CHARS:
                raise _Refused(f"a value longer than {MAX_TEXT_CHARS:,} characters", None)
        elif isinstance(x, dict):
            stack.extend(x)
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def parse_json(text: str) -> Any:
    """Parse JSON text under the limits (raises _Refused or json.JSONDecodeError)."""
    _json_structure(text)
    data = json.loads(text, parse_int=_json_number(int), parse_float=_json_number(float),
                      parse_constant=_json_constant)
    _json_text_lengths(data)
    return data


def read_data(path: str | Path, field: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Parse a file as JSON (`.json`) or YAML (anything else, with a safe loader) under the limits of
    rra.limits; BadInput names the field, the path and the line (and column) of the problem."""
    text = read_text(path, field)
    name = str(path)
    try:
        if Path(path).suffix.lower() == ".json":
            try:
                return parse_json(text)
            except json.JSONDecodeError as exc:
                raise BadInput(field, name, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        try:
            return yaml.load(text, Loader=limited(loader))  # noqa: S506 - a SafeLoader (sub)class
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise BadInput(field, name, f"not valid YAML ({where}{problem})") from None
    except _Refused as exc:
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise BadInput(field, name, f"{where}{exc.problem}") from None
