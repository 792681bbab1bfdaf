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


PerObject = Bounded[tuple[object, ...], tuple[object, T]]  # values kept per object: see `per_object`


def known(memory: PerObject[T], obj: object, key: tuple[object, ...]) -> T | None:
    """The value kept for this very object and key, or None (another object later given the same id is never
    taken for it: the object is kept beside its value)."""
    hit = memory.get((id(obj), *key))
    return hit[1] if hit is not None and hit[0] is obj else None


def keep(memory: PerObject[T], obj: object, key: tuple[object, ...], value: T) -> T:
    """Keep a value for this very object and key, and return it."""
    memory.put((id(obj), *key), (obj, value))
    return value


def per_object(memory: PerObject[T], obj: object, key: tuple[object, ...], make: Callable[[], T]) -> T:
    """What `make` gives for this very object (an agreement value), made once while it is kept."""
    hit = known(memory, obj, key)
    return hit if hit is not None else keep(memory, obj, key, make())
