"""Graphviz's library (libgvc, installed with the system `dot`) called in this process, for small graphs.

A `dot` process spends about 12 ms starting (loading pango, cairo and fontconfig) before it lays out anything;
the report draws 52 graphs. Called here, graphviz loads once and a small graph takes about 2 ms.

What makes the result the same bytes as `dot` prints: graphviz numbers every named node, edge and cluster by the
memory address of its interned name, and lays clusters out in that order, so in a process that allocated
anything before (the second graph of a `dot` run, or this Python process) the same DOT text can come out with
its clusters in another order or even another layout. Here names are numbered in the order the text first uses
them instead (`_Names`), which is the order a fresh `dot` process gets from its fresh heap: the bundled
agreement's 52 diagrams come out byte-identical to `dot -Tsvg`, whatever ran before
(tests/test_graphs.py).

A C call cannot be interrupted or timed out, and `dot` can take minutes on a large tangled graph, so only
graphs within `LIMITS` are drawn here (random graphs of that size take at most about 0.25 s); `render` in
rra.visualize.graphs sends larger ones to a `dot` process with a time limit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass, field
from typing import Any

from rra.errors import RraError
from rra.interrupt import held

LIMITS = (100, 200)  # the most nodes and edges a graph may have to be drawn in this process

_ID = ctypes.c_uint64
_OPEN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
_MAP = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(_ID),
                        ctypes.c_int)
_ALLOC = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_int, _ID)
_FREE = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, _ID)
_PRINT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, _ID)
_CLOSE = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_REGISTER = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_ERRF = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p)


class _IdDisc(ctypes.Structure):
    """cgraph's Agiddisc_t: how a graph numbers its objects."""

    _fields_ = [("open", _OPEN), ("map", _MAP), ("alloc", _ALLOC), ("free", _FREE), ("print", _PRINT),
                ("close", _CLOSE), ("idregister", _REGISTER)]


class _Disc(ctypes.Structure):
    """cgraph's Agdisc_t: memory, numbering and input disciplines."""

    _fields_ = [("mem", ctypes.c_void_p), ("id", ctypes.POINTER(_IdDisc)), ("io", ctypes.c_void_p)]


@dataclass
class _Names:
    """The numbering of one graph while it is read and drawn: named objects get even numbers in the order the
    text first names them (graphviz's own scheme uses the name's address), unnamed ones odd numbers; graphviz
    reads a name back from its number (`print`), so each name's bytes are kept until the graph is closed."""

    ids: dict[bytes, int] = field(default_factory=dict)
    names: dict[int, Any] = field(default_factory=dict)
    anonymous: int = 1
    messages: list[str] = field(default_factory=list)

    def map(self, name: bytes | None, create: bool) -> int:
        if name is None:
            self.anonymous += 2
            return self.anonymous - 2
        known = self.ids.get(name)
        if known is not None or not create:
            return known or 0  # 0: not a name of this graph (what graphviz's own scheme answers)
        new = 2 * (len(self.ids) + 1)
        self.ids[name] = new
        self.names[new] = ctypes.create_string_buffer(name)
        return new

    def print(self, number: int) -> int | None:
        buf = self.names.get(number) if number % 2 == 0 else None
        return ctypes.addressof(buf) if buf is not None else None


_current = _Names()


def _on_map(_state: Any, _kind: int, name: bytes | None, out: Any, create: int) -> int:
    out[0] = _current.map(name, bool(create))
    return 1


def _on_print(_state: Any, _kind: int, number: int) -> int | None:
    return _current.print(number)


def _on_error(message: bytes | None) -> int:
    _current.messages.append((message or b"").decode("utf-8", "replace"))
    return 0


@dataclass
class _Library:
    """libgvc and libcgraph, loaded, with the numbering discipline and a graphviz context."""

    gvc: Any
    cgraph: Any
    libc: Any
    context: int
    disc: _Disc
    keep: tuple[Any, ...]  # the callbacks: ctypes frees them with these objects


_lib: _Library | None = None


def _load() -> _Library:
    global _lib
    if _lib is not None:
        return _lib
    gvc_name, cgraph_name = ctypes.util.find_library("gvc"), ctypes.util.find_library("cgraph")
    if not gvc_name or not cgraph_name:
        raise RraError("graphviz's libgvc is not installed (apt-get install graphviz)")
    gvc, cg, libc = ctypes.CDLL(gvc_name), ctypes.CDLL(cgraph_name), ctypes.CDLL(None)
    libc.fmemopen.restype = ctypes.c_void_p
    libc.fmemopen.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    cg.agread.restype = ctypes.c_void_p
    cg.agread.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    cg.agclose.argtypes = [ctypes.c_void_p]
    cg.agnnodes.argtypes = [ctypes.c_void_p]
    cg.agnedges.argtypes = [ctypes.c_void_p]
    cg.agseterrf.argtypes = [_ERRF]
    cg.agseterrf.restype = ctypes.c_void_p
    gvc.gvContext.restype = ctypes.c_void_p
    gvc.gvLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
    gvc.gvRenderData.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p,
                                 ctypes.POINTER(ctypes.POINTER(ctypes.c_char)), ctypes.POINTER(ctypes.c_uint)]
    gvc.gvFreeLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    gvc.gvFreeRenderData.argtypes = [ctypes.POINTER(ctypes.c_char)]
    callbacks = (_OPEN(lambda g, _disc: g), _MAP(_on_map), _ALLOC(lambda *_: 0), _FREE(lambda *_: None),
                 _PRINT(_on_print), _CLOSE(lambda _state: None), _REGISTER(lambda *_: None))
    errf = _ERRF(_on_error)
    cg.agseterrf(errf)  # graphviz's warnings and errors come here instead of stderr
    ids = _IdDisc(*callbacks)
    disc = _Disc(ctypes.addressof(ctypes.c_char.in_dll(cg, "AgMemDisc")), ctypes.pointer(ids),
                 ctypes.addressof(ctypes.c_char.in_dll(cg, "AgIoDisc")))
    context = gvc.gvContext()
    if not context:
        raise RraError("graphviz's libgvc could not start")
    _lib = _Library(gvc, cg, libc, context, disc, (*callbacks, errf, ids))
    return _lib


def render(dot_source: str, fmt: str) -> bytes | None:
    """`dot -T<fmt>` of DOT source, in this process; None when the graph is larger than `LIMITS`. Raises
    RraError when graphviz cannot read, lay out or draw it."""
    lib = _load()
    # graphviz calls back into Python for every name it reads; an exception raised there by a signal handler
    # would be lost inside C and leave the graph half-numbered, so signals wait (a graph within LIMITS is quick)
    with held():
        return _render(lib, dot_source, fmt)


def _render(lib: _Library, dot_source: str, fmt: str) -> bytes | None:
    global _current
    text = dot_source.encode("utf-8")
    data = ctypes.create_string_buffer(text, len(text))
    _current = names = _Names()
    fp = lib.libc.fmemopen(data, len(text), b"r")
    if not fp:
        raise RraError("graphviz's input could not be opened in memory")
    try:
        g = lib.cgraph.agread(fp, ctypes.byref(lib.disc))
    finally:
        lib.libc.fclose(fp)
    if not g:
        raise RraError(f"graphviz could not read the diagram: {_said(names)}")
    try:
        if lib.cgraph.agnnodes(g) > LIMITS[0] or lib.cgraph.agnedges(g) > LIMITS[1]:
            return None
        if lib.gvc.gvLayout(lib.context, g, b"dot") != 0:
            raise RraError(f"graphviz could not lay out the diagram: {_said(names)}")
        try:
            buf, size = ctypes.POINTER(ctypes.c_char)(), ctypes.c_uint()
            if lib.gvc.gvRenderData(lib.context, g, fmt.encode("ascii"), ctypes.byref(buf), ctypes.byref(size)) != 0:
                raise RraError(f"graphviz could not draw the diagram as {fmt}: {_said(names)}")
            try:
                return ctypes.string_at(buf, size.value)
            finally:
                lib.gvc.gvFreeRenderData(buf)
        finally:
            lib.gvc.gvFreeLayout(lib.context, g)
    finally:
        lib.cgraph.agclose(g)
        _current = _Names()


def _said(names: _Names) -> str:
    return " ".join("".join(names.messages).split())[:300] or "no message"
