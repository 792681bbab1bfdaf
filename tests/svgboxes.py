"""Where the text of an SVG (from graphviz's `dot` or rra.visualize.timeline) is drawn: one box per <text>,
measured with the font the browser and graphviz use for its family (fontconfig's `fc-match`, widths read from
the font file with fontTools), so that tests can check that no two labels overlap and no line crosses one.

A box spans the glyphs' advance widths horizontally and, vertically, from the cap height above the baseline to
the descender below it (the ink of a line of text: graphviz spaces the lines of a label by 1.1 x the size)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from typing import Any

SVG_NS = "{http://www.w3.org/2000/svg}"
CAP, DESCENT = 0.72, 0.21  # of the font size, for Helvetica-like faces (Liberation Sans: 0.729, 0.212)


def available() -> bool:
    """Whether fonts can be measured here (fontconfig and fontTools)."""
    try:
        import fontTools.ttLib  # noqa: F401
    except ImportError:
        return False
    return shutil.which("fc-match") is not None


@cache
def _font(family: str, bold: bool) -> Any:
    from fontTools.ttLib import TTFont

    first = family.split(",")[0].strip().strip("'\"") or "sans-serif"
    path = subprocess.run(["fc-match", "-f", "%{file}", f"{first}:{'bold' if bold else 'regular'}"],
                          capture_output=True, text=True, check=True).stdout.strip()
    f = TTFont(path, lazy=True)
    return f, f.getBestCmap(), f["hmtx"], f["head"].unitsPerEm


def text_width(text: str, size: float, family: str = "Helvetica", bold: bool = False) -> float:
    """The advance width of a text in pixels (user units) at a font size."""
    font, cmap, hmtx, upem = _font(family, bold)
    total = 0
    for ch in text:
        glyph = cmap.get(ord(ch))
        total += hmtx[glyph][0] if glyph is not None else int(0.6 * upem)
    return total * size / upem


@dataclass(frozen=True)
class Box:
    """A text's box: its words and x0, y0 (top), x1, y1 (bottom) in the SVG's user units."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, slack: float = 0.5) -> bool:
        """Whether two boxes share more than a sliver (`slack` units on each side)."""
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > slack
                and min(self.y1, other.y1) - max(self.y0, other.y0) > slack)


def _inherited(el: ET.Element, parents: dict[ET.Element, ET.Element], name: str, default: str) -> str:
    node: ET.Element | None = el
    while node is not None:
        if node.get(name):
            return str(node.get(name))
        node = parents.get(node)
    return default


def svgs_in(html: str) -> list[str]:
    """The inline <svg> elements of a page."""
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)


def text_boxes(svg: str) -> list[Box]:
    """One box per non-empty <text> of an SVG (all texts of one drawing share its transform, so boxes compare
    in the drawing's own units)."""
    root = ET.fromstring(svg)
    parents = {c: p for p in root.iter() for c in p}
    out = []
    for t in root.iter(f"{SVG_NS}text"):
        words = "".join(t.itertext())
        if not words.strip():
            continue
        size = float(_inherited(t, parents, "font-size", "16").removesuffix("px"))
        family = _inherited(t, parents, "font-family", "Helvetica")
        bold = _inherited(t, parents, "font-weight", "normal") in ("bold", "700")
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        w = text_width(words, size, family, bold)
        anchor = _inherited(t, parents, "text-anchor", "start")
        x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
        out.append(Box(words, x0, y - CAP * size, x0 + w, y + DESCENT * size))
    return out


def overlapping(boxes: list[Box]) -> list[tuple[Box, Box]]:
    """Every pair of boxes that overlap."""
    out = []
    ordered = sorted(boxes, key=lambda b: b.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 >= a.x1:
                break
            if a.overlaps(b):
                out.append((a, b))
    return out


def lines(svg: str, skip_colors: tuple[str, ...] = ("#eeeeee",)) -> list[tuple[float, float, float, float]]:
    """The straight <line> elements of an SVG (x1, y1, x2, y2), less the light grid lines."""
    root = ET.fromstring(svg)
    return [(float(ln.get("x1", "0")), float(ln.get("y1", "0")), float(ln.get("x2", "0")), float(ln.get("y2", "0")))
            for ln in root.iter(f"{SVG_NS}line") if ln.get("stroke") not in skip_colors]


def crosses(line: tuple[float, float, float, float], box: Box, slack: float = 0.5) -> bool:
    """Whether a vertical or horizontal line passes through a box."""
    x1, y1, x2, y2 = line
    if abs(x1 - x2) < 1e-9:  # vertical
        return box.x0 + slack < x1 < box.x1 - slack and min(y1, y2) < box.y1 - slack and max(y1, y2) > box.y0 + slack
    if abs(y1 - y2) < 1e-9:  # horizontal
        return box.y0 + slack < y1 < box.y1 - slack and min(x1, x2) < box.x1 - slack and max(x1, x2) > box.x0 + slack
    return False
