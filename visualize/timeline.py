"""Dated charts as hand-written SVG: a scenario's (or a counterexample's, or the worst case's) timeline, and a
sensitivity line chart.

A `Timeline` is neutral data (dated marks, periods in lanes, cumulative payments); adapters in
`rra.visualize.report` turn the evaluator's, the prover's and the exposure optimizer's results into one. The SVG
is deterministic byte for byte (fixed layout, numbers printed with fixed precision, no random ids), has no
scripts, fonts or links, and escapes every piece of text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from rra.visualize import fmt

# Lane order and colours: what kind of period each lane shows.
LANES: dict[str, tuple[str, str]] = {
    "late": ("Late filing / effectiveness (2(c)(i))", "#e07b6a"),
    "investor_delay": ("Investor delays (excluded)", "#9ecae1"),
    "sales_blocked": ("Sales blocked (2(c)(ii))", "#f4a261"),
    "stop_order": ("Stop orders", "#d62728"),
    "allowed_delay": ("Allowed Delays (3(f), excluded)", "#8fd19e"),
    "allowed_delay_excess": ("Allowed Delay beyond the caps", "#2e7d32"),
    "not_listed": ("Not listed / halted (2(c)(iii))", "#b39ddb"),
    "other": ("Other periods", "#bdbdbd"),
}
MARK_COLORS = {
    "pfed": "#555555", "filed": "#1f5fa8", "effective": "#2e7d32", "deadline": "#a1271b", "as_of": "#000000",
    "other": "#777777",
}


@dataclass(frozen=True)
class Mark:
    """A dated moment: the PFED, filing, effectiveness, a deadline, the as-of date."""

    day: date
    label: str
    kind: str = "other"


@dataclass(frozen=True)
class Span:
    """A period in a lane, inclusive of both ends."""

    lane: str
    start: date
    end: date
    label: str = ""


@dataclass(frozen=True)
class Timeline:
    """Everything one chart shows. `payments` are (date, cumulative amount owed by then), in date order."""

    title: str
    marks: tuple[Mark, ...] = ()
    spans: tuple[Span, ...] = ()
    payments: tuple[tuple[date, float], ...] = ()
    note: str = ""
    start: date | None = None
    end: date | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def bounds(self) -> tuple[date, date]:
        """The dates the chart covers: everything shown, padded to whole months."""
        days = [m.day for m in self.marks] + [s.start for s in self.spans] + [s.end for s in self.spans]
        days += [d for d, _ in self.payments]
        lo = self.start or (min(days) if days else date(2003, 5, 9))
        hi = self.end or (max(days) if days else lo + timedelta(days=365))
        lo = lo.replace(day=1)
        hi = _add_months(hi.replace(day=1), 1)
        if hi <= lo:
            hi = _add_months(lo, 1)
        return lo, hi


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _f(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def money(x: float) -> str:
    """$1,234.00: separators and cents (rra.visualize.fmt.money)."""
    return fmt.money(x)


FONT_PX = 11
MIN_SPAN_PX = 5.0  # a one-day period is drawn at least this wide, so that it can be seen
ROW_H = 15  # one row of mark labels
FIRST_ROW = 44  # the baseline of the first row of mark labels, below the title
LABEL_GAP = 4  # between a mark's line and its label


def text_width(text: str, px: float = FONT_PX) -> float:
    """A generous estimate of a Helvetica/Arial text's width in pixels (for laying labels out)."""
    wide = sum(1 for c in text if c in "MWmw@%")
    narrow = sum(1 for c in text if c in "ilIjt.,;:'|!() ")
    return px * (0.58 * (len(text) - wide - narrow) + 0.9 * wide + 0.32 * narrow) + 2


@dataclass(frozen=True)
class _Label:
    """A mark's label placed in a row above the lanes: its line's x, the text's extent, and the row."""

    x: float
    x0: float
    x1: float
    row: int
    anchor: str  # start | end


def _place_labels(groups: Sequence[tuple[float, str]], lo_x: float, hi_x: float) -> list[_Label]:
    """Rows for the mark labels (one per date, in date order) so that no label overlaps another and no mark's
    line, which runs from its label down to the axis, crosses a label in a row below it. Each label starts just
    right of its line (or ends just left of it near the right edge); rows are tried from the top, then a new
    row at the bottom, then a new row at the top."""
    placed: list[_Label] = []

    def fits(lb: _Label) -> bool:
        for p in placed:
            if p.row == lb.row and not (lb.x1 + 6 < p.x0 or p.x1 + 6 < lb.x0):
                return False
            if p.row < lb.row and lb.x0 - 2 <= p.x <= lb.x1 + 2:  # a line from above passes through this label
                return False
            if p.row > lb.row and p.x0 - 2 <= lb.x <= p.x1 + 2:  # this line passes through a label below
                return False
        return True

    for x, text in groups:
        w = text_width(text)
        right = _Label(x, x + LABEL_GAP, x + LABEL_GAP + w, 0, "start")
        left = _Label(x, x - LABEL_GAP - w, x - LABEL_GAP, 0, "end")
        shapes = [s for s in (right, left) if s.x0 >= lo_x and s.x1 <= hi_x] or [right if x < (lo_x + hi_x) / 2 else left]
        rows = 1 + max((p.row for p in placed), default=-1)
        chosen = None
        for shape in shapes:
            for r in range(rows + 1):
                cand = _Label(shape.x, shape.x0, shape.x1, r, shape.anchor)
                if fits(cand):
                    chosen = cand
                    break
            if chosen is None:  # a new row on top: every other label moves one row down
                top = _Label(shape.x, shape.x0, shape.x1, -1, shape.anchor)
                if not any(p.x0 - 2 <= top.x <= p.x1 + 2 for p in placed):
                    placed[:] = [_Label(p.x, p.x0, p.x1, p.row + 1, p.anchor) for p in placed]
                    chosen = _Label(shape.x, shape.x0, shape.x1, 0, shape.anchor)
            if chosen is not None:
                break
        if chosen is None:  # nothing fits (not seen on any chart so far): a row of its own at the bottom
            chosen = _Label(shapes[0].x, shapes[0].x0, shapes[0].x1, rows, shapes[0].anchor)
        placed.append(chosen)
    return placed


def _wrap(text: str, width_px: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word) <= width_px:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def timeline_svg(t: Timeline, width: int = 1100) -> str:
    """The timeline as an inline-ready <svg> element."""
    lo, hi = t.bounds()
    total = (hi - lo).days
    left, right = 230, 110  # lane names on the left; the final amount owed on the right
    plot_w = width - left - right

    def x(d: date) -> float:
        return left + plot_w * ((d - lo).days / total)

    lanes = [k for k in LANES if any(s.lane == k for s in t.spans)]
    lanes += sorted({s.lane for s in t.spans} - set(LANES))
    by_day: dict[date, list[Mark]] = {}
    for m in sorted(t.marks, key=lambda m: (m.day, MARK_ORDER.get(m.kind, 9), m.label)):
        by_day.setdefault(m.day, []).append(m)
    days = sorted(by_day)
    texts = [f"{'; '.join(dict.fromkeys(m.label for m in by_day[d]))} {fmt.day(d)}" for d in days]
    labels = _place_labels([(x(d), s) for d, s in zip(days, texts, strict=True)], 10, width - 10)
    n_rows = 1 + max((lb.row for lb in labels), default=0)
    top = FIRST_ROW + ROW_H * (n_rows - 1) + 6
    lane_h = 22
    lanes_top = top + 8
    lanes_bottom = lanes_top + lane_h * max(1, len(lanes))
    pay_top = lanes_bottom + 30
    pay_h = 150 if t.payments else 0
    axis_y = (pay_top + pay_h + 10) if t.payments else lanes_bottom + 10
    note_lines = _wrap(t.note, width - 20) if t.note else []
    height = axis_y + 44 + 15 * len(note_lines)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="{width}" height="{_f(height)}" '
        f'viewBox="0 0 {width} {_f(height)}" font-family="Helvetica, Arial, sans-serif" font-size="{FONT_PX}">',
        f"<title>{escape(t.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{_f(height)}" fill="#ffffff"/>',
        f'<text x="10" y="18" font-size="14" font-weight="bold">{escape(t.title)}</text>',
    ]
    # month grid and axis
    ticks = _ticks(lo, hi)
    for d in ticks:
        xi = _f(x(d))
        out.append(f'<line x1="{xi}" y1="{lanes_top}" x2="{xi}" y2="{_f(axis_y)}" stroke="#eeeeee"/>')
    out.append(f'<line x1="{left}" y1="{_f(axis_y)}" x2="{width - right}" y2="{_f(axis_y)}" stroke="#333333"/>')
    for d in ticks:
        xi = _f(x(d))
        out.append(f'<line x1="{xi}" y1="{_f(axis_y)}" x2="{xi}" y2="{_f(axis_y + 4)}" stroke="#333333"/>')
        if d.month == 1 or len(ticks) <= 18 or (len(ticks) <= 40 and d.month % 3 == 1):
            out.append(f'<text x="{xi}" y="{_f(axis_y + 16)}" text-anchor="middle" fill="#333333">'
                       f"{d.strftime('%b')}</text>")
        if d.month == 1 or d == ticks[0]:
            out.append(f'<text x="{xi}" y="{_f(axis_y + 30)}" text-anchor="middle" font-weight="bold">{d.year}</text>')
    # lanes
    for i, lane in enumerate(lanes):
        ly0 = lanes_top + i * lane_h
        name, color = LANES.get(lane, (lane, LANES["other"][1]))
        out.append(f'<rect x="{left}" y="{ly0}" width="{plot_w}" height="{lane_h}" fill="{"#fafafa" if i % 2 else "#ffffff"}"/>')
        out.append(f'<text x="{left - 8}" y="{ly0 + 15}" text-anchor="end">{escape(name)}</text>')
        for s in sorted((s for s in t.spans if s.lane == lane), key=lambda s: (s.start, s.end, s.label)):
            x0, x1 = x(s.start), x(s.end + timedelta(days=1))
            n = (s.end - s.start).days + 1
            tip = f"{s.label + ': ' if s.label else ''}{fmt.span(s.start, s.end)} ({fmt.plural(n, 'day')})"
            w = max(x1 - x0, MIN_SPAN_PX)
            x0 = min(x0, left + plot_w - w)
            out.append(f'<rect x="{_f(x0)}" y="{ly0 + 3}" width="{_f(w)}" height="{lane_h - 6}" '
                       f'fill="{color}" stroke="#333333" stroke-width="{0.5 if x1 - x0 >= MIN_SPAN_PX else 1}">'
                       f"<title>{escape(tip)}</title></rect>")
    if not lanes:
        out.append(f'<text x="{left - 8}" y="{lanes_top + 15}" text-anchor="end" fill="#777777">no periods</text>')
    # marks: one line per date, from its label down to the axis; the labels never cross a line
    for d, words, lb in zip(days, texts, labels, strict=True):
        kind = by_day[d][0].kind
        color = MARK_COLORS.get(kind, MARK_COLORS["other"])
        dash = ' stroke-dasharray="4 3"' if kind in {"deadline", "as_of"} else ""
        ly = FIRST_ROW + ROW_H * lb.row
        xi = _f(lb.x)
        out.append(f'<line x1="{xi}" y1="{ly - 9}" x2="{xi}" y2="{_f(axis_y)}" stroke="{color}" stroke-width="1.5"{dash}>'
                   f"<title>{escape(words)}</title></line>")
        tx = lb.x0 if lb.anchor == "start" else lb.x1
        out.append(f'<text x="{_f(tx)}" y="{ly}" text-anchor="{lb.anchor}" fill="{color}">{escape(words)}</text>')
    # payments: cumulative step line
    if t.payments:
        top_amount = max(a for _, a in t.payments) or 1.0
        scale = _nice(top_amount)

        def y(a: float) -> float:
            return pay_top + pay_h - pay_h * (a / scale)

        out.append(f'<text x="{left - 8}" y="{pay_top - 10}" text-anchor="end" font-weight="bold">2(c) payments owed '
                   "(cumulative)</text>")
        for k in range(5):
            a = scale * k / 4
            yi = _f(y(a))
            out.append(f'<line x1="{left}" y1="{yi}" x2="{width - right}" y2="{yi}" stroke="#eeeeee"/>')
            out.append(f'<text x="{left - 8}" y="{_f(y(a) + 4)}" text-anchor="end" fill="#555555" font-size="10">'
                       f"{escape(fmt.money_tick(a))}</text>")
        pts = sorted(t.payments)
        path = [f"M{_f(x(lo))},{_f(y(0))}"]
        prev = 0.0
        for d, a in pts:
            path.append(f"H{_f(x(d))}")
            if a != prev:
                path.append(f"V{_f(y(a))}")
            prev = a
        path.append(f"H{_f(x(hi))}")
        out.append(f'<path d="{"".join(path)}" fill="none" stroke="#a1271b" stroke-width="2"/>')
        for d, a in pts:
            out.append(f'<circle cx="{_f(x(d))}" cy="{_f(y(a))}" r="2.5" fill="#a1271b">'
                       f"<title>{escape(money(a))} owed by {fmt.day(d)}</title></circle>")
        last_a = pts[-1][1]
        out.append(f'<text x="{width - right + 6}" y="{_f(y(last_a) + 4)}" fill="#a1271b" '
                   f'font-weight="bold">{escape(money(last_a))}</text>')
    for i, line in enumerate(note_lines):
        out.append(f'<text x="10" y="{_f(axis_y + 50 + 15 * i)}" fill="#555555">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


MARK_ORDER = {"pfed": 0, "filed": 1, "effective": 2, "deadline": 3, "other": 4, "as_of": 5}


def _ticks(lo: date, hi: date) -> list[date]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = 1 if months <= 24 else 3 if months <= 72 else 12
    out, d = [], lo
    while d <= hi:
        if (d.month - 1) % step == 0:
            out.append(d)
        d = _add_months(d, 1)
    return out


def _g(v: float) -> str:
    return f"{v:g}"


def _nice(v: float) -> float:
    """A round number at least v, for an axis top."""
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1)
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * mag >= v:
            return float(m * mag)
    return float(10 * mag)


@dataclass(frozen=True)
class Series:
    """One line of a sensitivity chart: (x, y) points and a name."""

    name: str
    points: tuple[tuple[float, float], ...]


def line_chart_svg(title: str, x_label: str, y_label: str, series: Sequence[Series], width: int = 720,
                   height: int = 320, y_money: bool = True, x_format: Callable[[float], str] | None = None) -> str:
    """A small line chart (e.g. worst-case exposure against a parameter) as an <svg> element."""
    fx = x_format or _g
    left, right, top, bottom = 90, 240, 52, 48
    pw, ph = width - left - right, height - top - bottom
    xs = [p[0] for s in series for p in s.points] or [0.0, 1.0]
    ys = [p[1] for s in series for p in s.points] or [0.0]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x1 = x0 + 1
    ytop = _nice(max(max(ys), 0.0))

    def px(v: float) -> float:
        return left + pw * (v - x0) / (x1 - x0)

    def py(v: float) -> float:
        return top + ph - ph * (v / ytop)

    colors = ["#a1271b", "#1f5fa8", "#2e7d32", "#6a3d9a", "#d26a00", "#555555"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="18" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for k in range(5):
        v = ytop * k / 4
        out.append(f'<line x1="{left}" y1="{_f(py(v))}" x2="{left + pw}" y2="{_f(py(v))}" stroke="#eeeeee"/>')
        lab = fmt.money_tick(v) if y_money else _f(v)
        out.append(f'<text x="{left - 6}" y="{_f(py(v) + 4)}" text-anchor="end" fill="#555555">{escape(lab)}</text>')
    xticks = sorted(set(xs))
    if len(xticks) > 12:
        step = len(xticks) / 12
        xticks = [xticks[int(i * step)] for i in range(12)] + [xticks[-1]]
    for v in xticks:
        out.append(f'<line x1="{_f(px(v))}" y1="{top + ph}" x2="{_f(px(v))}" y2="{top + ph + 4}" stroke="#333333"/>')
        out.append(f'<text x="{_f(px(v))}" y="{top + ph + 16}" text-anchor="middle" fill="#333333">{escape(fx(v))}</text>')
    out.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#333333"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#333333"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 10}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text x="10" y="{top - 14}" fill="#333333">{escape(y_label)}</text>')
    for i, s in enumerate(series):
        c = colors[i % len(colors)]
        pts = sorted(s.points)
        if pts:
            d = "M" + " L".join(f"{_f(px(a))},{_f(py(b))}" for a, b in pts)
            out.append(f'<path d="{d}" fill="none" stroke="{c}" stroke-width="2"/>')
            for a, b in pts:
                tip = f"{s.name}: {fx(a)}: {money(b) if y_money else _g(b)}"
                out.append(f'<circle cx="{_f(px(a))}" cy="{_f(py(b))}" r="3" fill="{c}"><title>{escape(tip)}</title></circle>')
        ly = top + 14 * i + 6
        out.append(f'<line x1="{left + pw + 12}" y1="{ly}" x2="{left + pw + 30}" y2="{ly}" stroke="{c}" stroke-width="2"/>')
        out.append(f'<text x="{left + pw + 34}" y="{ly + 4}">{escape(s.name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
