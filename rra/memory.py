"""Bounded memories: what an analysis computed once, kept for the next question in the same process.

A run asks about a few agreement values and a few thousand Z3 questions, so a memory that fills up means a
long-lived process (a test session, a library user) has moved on: it forgets everything at once, which is cheaper
than tracking what was used last and never holds more than its limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class Bounded(Generic[K, V]):
    """At most `limit` entries; a new key when it is full forgets all the others first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        """The value kept for the key, or None."""
        return self._entries.get(key)

    def put(self, key: K, value: V) -> V:
        """Keep the value for the key (forgetting the others first when full) and return it."""
        if key not in self._entries and len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[key] = value
        return value

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


def per_object(memory: Bounded[tuple[object, ...], tuple[object, T]], obj: object, key: tuple[object, ...],
               make: Callable[[], T]) -> T:
    """What `make` gives for this very object (an agreement value): kept under its id with the object itself, so
    that another object later given the same id is never taken for it."""
    full = (id(obj), *key)
    hit = memory.get(full)
    if hit is None or hit[0] is not obj:
        hit = memory.put(full, (obj, make()))
    return hit[1]
