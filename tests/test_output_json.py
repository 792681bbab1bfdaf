"""`rra.output.dumps`: the bytes of the json module's indented, sorted output of `to_jsonable`, written in one pass."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rra.output import dumps, to_jsonable


def _reference(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Colour(StrEnum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


@dataclass
class Point:
    name: str
    at: date
    share: Fraction
    tags: tuple[str, ...]


_leaves = (st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=12) | st.dates() | st.datetimes()
           | st.fractions(max_denominator=50) | st.decimals(allow_nan=False, allow_infinity=False, places=3)
           | st.sampled_from([Colour.RED, Level.HIGH, "\u2028 \x00 \" \\ \u00e9 \U0001f600"])
           | st.builds(Point, st.text(max_size=5), st.dates(), st.fractions(max_denominator=9),
                       st.lists(st.text(max_size=3), max_size=3).map(tuple))
           | st.frozensets(st.integers(-5, 5), max_size=4))
_keys = st.text(max_size=8) | st.integers(-3, 3) | st.dates()
_values = st.recursive(_leaves, lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
                       | st.dictionaries(_keys, inner, max_size=4), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(_values)
@example([float("nan"), float("inf"), -float("inf"), -0.0, 1e16, 1e-7, 0.1 + 0.2, 10**40, True, 1.0])
@example({"b": {}, "a": [], 2: (), "c": {"z": [[]], "y": {"x": None}}})
def test_dumps_writes_the_bytes_the_json_module_writes_for_any_value(value: Any) -> None:
    assert dumps(value) == _reference(value)


def test_dumps_writes_the_json_modules_bytes_for_the_reports_own_data(bundled_report: Any) -> None:
    data = json.loads((bundled_report / "report.json").read_text(encoding="utf-8"))
    assert dumps(data) == _reference(data) == (bundled_report / "report.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", [{"a": object()}, [1, {2, "x"}], {"when": datetime(2004, 1, 1).time()}],
                         ids=["object", "unsortable-set", "time"])
def test_dumps_refuses_what_the_json_module_refuses(value: Any) -> None:
    with pytest.raises(TypeError):
        _reference(value)
    with pytest.raises(TypeError):
        dumps(value)
