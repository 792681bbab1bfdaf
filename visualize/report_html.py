"""The report page's sections, each a renderer from the collected parts to HTML (rra.visualize.report runs them
in reader order: the partner's and the risk analyst's answers first, the appendices last).

Everything on the page is words, tables, quoted clauses, dated timelines and diagrams: no raw data, no internal
ids outside the technical appendix. Every piece of text passes through `e` (html.escape); the only markup from
elsewhere is the SVG that `dot` and rra.visualize.timeline write, which escape their own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from rra.spec.agreement import Agreement
from rra.spec.elements import kind_count
from rra.visualize import fmt
from rra.visualize.memo_html import (
    APPENDICES,
    anchor,
    appendix_html,
    high_entries,
    memo_html,
    numbering,
    stake_words,
)

from rra.output import CENTS, cents_note, listed

NOT_YET = "not available"


@dataclass
class Part:
    """One part of the report: its status, the data it shows, and extra files (name -> text) it adds."""

    key: str
    title: str
    status: str = "ok"  # ok | skipped | withheld | failed
    data: Any = None
    message: str = ""
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)
    svgs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """What the section renderers read: the parts, the agreement, and the drawn charts."""

    parts: Mapping[str, Part]
    agreement: Agreement
    scenario_name: str = ""
    timelines: Mapping[str, str] = field(default_factory=dict)  # "exposure", "invariant:<id>", ... -> <svg>
    notes: Mapping[str, str] = field(default_factory=dict)

    def ok(self, key: str) -> Part | None:
        """The part if it ran and has data."""
        p = self.parts.get(key)
        return p if p is not None and p.status == "ok" and p.data is not None else None


@dataclass(frozen=True)
class Section:
    """One section of the page: its anchor, its title (heading and navigation) and its renderer, which returns
    the section's inner HTML, or None to leave the section out."""

    key: str
    title: str
    render: Callable[[Page], str | None]
    nav: str = ""  # the short name in the navigation bar ("" : the title)


def e(x: Any) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return escape("" if x is None else str(x), quote=True)


def badge(status: str, words: str | None = None) -> str:
    """A coloured status word."""
    return f'<span class="badge {e(status)}">{e(words or status)}</span>'


def unavailable(part: Part | None, what: str) -> str | None:
    """Why a part has nothing to show (None when it has)."""
    if part is None:
        return f'<p class="na">{e(what)}: {NOT_YET}.</p>'
    if part.status == "withheld":
        return f'<p class="na">Withheld for this draft: {e(part.message)}</p>'
    if part.status == "failed":
        return f'<p class="na">This part failed and is left out: {e(part.message)}</p>'
    if part.status == "skipped":
        return f'<p class="na">{e(part.message)}</p>'
    return None


def quote_block(quote: str, cite: str = "") -> str:
    """Words of the agreement, quoted, with their clause."""
    c = f"<cite>{e(cite)}</cite>" if cite else ""
    return f"<blockquote>&ldquo;{e(quote)}&rdquo;{c}</blockquote>"


def table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    """A table from escaped cells (the caller escapes: cells may hold markup it built)."""
    c = f' class="{e(cls)}"' if cls else ""
    return (f"<table{c}><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{x}</td>" for x in r) + "</tr>" for r in rows) + "</tbody></table>")


def figure(svg: str, caption: str, cls: str = "chart") -> str:
    """A chart or diagram with its caption (the caption says what to see in it)."""
    return f'<figure class="{e(cls)}"><figcaption>{e(caption)}</figcaption>{svg}</figure>'


# ----------------------------------------------------------------------------------------------- the top


def memo_of(page: Page) -> dict[str, Any] | None:
    """The review memo (JSON), if the findings part produced one."""
    f = page.ok("findings")
    return f.data.get("memo") if f is not None else None


def figures_of(page: Page) -> dict[str, Any]:
    """The two worst-case figures (JSON records) by key, if the exposure part ran."""
    ex = page.ok("exposure")
    if ex is None:
        return {}
    data = ex.data["exposure"]
    return {k: data[k] for k in ("worst_case", "worst_case_with_allowed_delays") if isinstance(data.get(k), Mapping)}


FIGURE_LABELS = {"worst_case": "No Allowed Delays: the Company declares none",
                 "worst_case_with_allowed_delays": "With the Company's best Allowed Delays under 3(f)"}


def figure_status(fig: Mapping[str, Any]) -> str:
    """A figure's status in words, with the timelines it covers."""
    space = str(fig.get("space") or "")
    st = fig.get("status")
    if st == "proved":
        out = "proved optimal over every timeline, day by day" if space else "proved optimal"
    elif st == "bound":
        out = f"best found; proved at most {fmt.money(fig.get('bound'))}"
    else:
        out = "best found, not proved optimal"
    if fig.get("day_level_bound") is not None:
        out += f"; at most {fmt.money(fig['day_level_bound'])} over every timeline, day by day"
    return out


def assumption_sentence(a: Any) -> str:
    """The assumptions that matter most for the worst case, in one sentence (from the assumption set)."""
    files = ("the Company files on time" if a.filing_max_days_late == 0 and not a.filing_may_never else
             f"the Company files up to {fmt.plural(a.filing_max_days_late, 'day')} late"
             + (" or never" if a.filing_may_never else ""))
    sec = (f"the SEC takes {a.review_min_days} to {fmt.plural(a.review_max_days, 'day')} to declare the statement "
           "effective" + (" (or never does)" if a.sec_may_never_declare else ""))
    pfed = (f"the Prior Financing Effective Date falls between {fmt.day(a.pfed_earliest)} and {fmt.day(a.pfed_latest)}"
            + (" or never comes" if a.pfed_may_never else ""))
    periods = []
    for bound, one, many in ((a.stop_orders, "stop order", "stop orders"),
                             (a.sales_blocked, "other period of blocked sales", "other periods of blocked sales"),
                             (a.not_listed, "delisting or trading halt", "delistings or trading halts")):
        if bound.max_count:
            each = "" if bound.max_count == 1 else " each"
            periods.append(f"{fmt.plural(bound.max_count, one, many)} of up to {fmt.plural(bound.max_days, 'day')}{each}")
    after = f", and after effectiveness at most {listed(periods)}" if periods else ", and nothing blocks sales after effectiveness"
    return f"Assumes {files}, {sec}, {pfed}{after}."


def render_top(page: Page) -> str | None:
    """The partner's and the risk analyst's answers, on the first screen."""
    out: list[str] = []
    problems = [p for p in page.parts.values() if p.status in ("failed", "withheld")]
    if problems:
        out.append('<p class="alert">' + e("Left out of this page: " + "; ".join(
            f"{p.title} ({'failed' if p.status == 'failed' else 'withheld for this draft'}: {p.message})"
            for p in problems)) + "</p>")
    out.append('<div class="top">')
    # a reader's half whose part was not asked for (`rra report --only`) is left out, not called unavailable
    out += [_top_partner(page)] if "findings" in page.parts else []
    out += [_top_analyst(page)] if "exposure" in page.parts else []
    out.append("</div>")
    out.append(_top_more(page))
    return "\n".join(out)


def _top_partner(page: Page) -> str:
    memo = memo_of(page)
    if memo is None:
        return ('<div class="reader"><h3>For the partner: the high-severity problems</h3>'
                + (unavailable(page.parts.get("findings"), "The review memo") or "") + "</div>")
    high = high_entries(memo)
    labels = numbering(memo)
    rows = [[e(labels[i["id"]]), e(", ".join(i["sections"])),
             f'<a href="#{e(anchor(i))}">{e(i["title"])}</a>', e(stake_words(i)),
             # "neither" where the memo says whom each reading favours would tell the partner that nobody gains
             e(i.get("favours_note") or i["favours"])] for i in high]
    head = f"For the partner: {fmt.plural(len(high), 'high-severity problem')}"
    if not rows:
        return f'<div class="reader" id="top-problems"><h3>{e(head)}</h3><p>None.</p></div>'
    return (f'<div class="reader" id="top-problems"><h3>{e(head)}</h3>'
            '<p class="small">Each changes who pays, how much or when, or makes a duty impossible or unenforceable. '
            'At stake: the largest of the amounts the entry&rsquo;s dated example compares, per $1,000,000.00 of '
            'Debentures (an amount given in parentheses for another reading of when the late-effectiveness count '
            'starts is not counted: that question has its own entry).</p>'
            + table(["#", "clause", "problem", "at stake", "favours"], rows, "problems") + "</div>")


def _top_analyst(page: Page) -> str:
    head = "For the risk analyst: worst-case Section 2(c) payments"
    ex = page.ok("exposure")
    if ex is None:
        return (f'<div class="reader" id="top-exposure"><h3>{e(head)}</h3>'
                + (unavailable(page.parts.get("exposure"), "The worst case") or "") + "</div>")
    figs = figures_of(page)
    a = ex.data["assumptions"]
    cards = []
    for key, fig in figs.items():
        cards.append(f'<div class="card"><div class="n">{e(fmt.money(fig["value"]))}</div>'
                     f'<div class="l">{e(FIGURE_LABELS[key])}</div>'
                     # the badge says "proved": the words after it do not say it again
                     f'<div class="small">{badge(str(fig["status"]), str(fig["status"]))} '
                     f'{e(figure_status(fig).removeprefix("proved "))}</div></div>')
    facts = (f"Payments counted to {fmt.day(a.as_of)} (the horizon), on an Outstanding Principal Amount of "
             f"{fmt.money(a.principal)}: the most the Company can owe under the assumptions below and the reading of "
             "2(c) the memo uses; longer outages, or another reading, give more (the sensitivity chart, the other "
             "readings and the memo's examples).")
    saved = figs.get("worst_case_with_allowed_delays", {}).get("excused")
    if saved:
        facts += (" The two figures arise on different timelines: on the one that is worst once the Company uses its "
                  f"best Allowed Delays, those delays excuse {fmt.money(saved)} of the blocked-sale payments.")
    return (f'<div class="reader" id="top-exposure"><h3>{e(head)}</h3><div class="cards">{"".join(cards)}</div>'
            f'<p>{e(facts)}</p><p class="assume">{e(assumption_sentence(a))}</p>'
            '<p class="small"><a href="#exposure">The timelines, the components and every assumption</a></p></div>')


def _top_more(page: Page) -> str:
    items = []
    memo = memo_of(page)
    if memo is not None:
        s = memo["memo_summary"]
        items.append(f'<a href="#findings">{e(fmt.plural(s["entries"], "point"))} in the review memo</a> '
                     f'({e(s["by_severity"]["high"])} high, {e(s["by_severity"]["medium"])} medium)')
    inv = page.ok("invariants")
    if inv is not None:
        rows = inv.data["verdicts"]
        counts: dict[str, int] = {}
        for r in rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        words = {"proved": "proved", "refuted": "fail on a dated timeline", "unknown": "undecided",
                 "withheld": "withheld"}
        items.append(f'<a href="#invariants">{e(fmt.plural(len(rows), "claim"))} about the agreement checked</a> ('
                     + e(", ".join(f"{n} {words.get(k, k)}" for k, n in sorted(counts.items()))) + ")")
    cov = page.ok("coverage")
    if cov is not None:
        s = cov.data["summary"]
        items.append(f'<a href="#coverage">{e(s["formalized"])} of {e(fmt.plural(s["numbered"], "numbered clause"))} '
                     "formalized</a>")
    return ('<p class="small more">Also on this page: ' + "; ".join(items) + ".</p>") if items else ""


# ----------------------------------------------------------------------------------------------- findings


def render_findings(page: Page) -> str | None:
    memo = memo_of(page)
    if memo is None:
        return unavailable(page.parts.get("findings"), "The review memo") or '<p class="na">No memo.</p>'
    return memo_html(memo)


def render_appendix(area: str) -> Callable[[Page], str | None]:
    def render(page: Page) -> str | None:
        memo = memo_of(page)
        if memo is None:
            return unavailable(page.parts.get("findings"), "The review memo")
        return appendix_html(memo, area)
    return render


# ----------------------------------------------------------------------------------------------- exposure


COMPONENT_WORDS = {"i": "2(c)(i): late filing or late effectiveness",
                   "ii": "2(c)(ii): sales cannot be made after effectiveness",
                   "iii": "2(c)(iii): not listed or trading halted after effectiveness"}


def render_exposure(page: Page) -> str | None:
    ex = page.ok("exposure")
    if ex is None:
        return unavailable(page.parts.get("exposure"), "The worst case")
    d = ex.data
    figs = figures_of(page)
    a = d["assumptions"]
    out = [f"<p>The most the Company can owe under 2(c) by {e(fmt.day(a.as_of))} on {e(fmt.money(a.principal))} "
           "of Debentures over every timeline the assumptions below allow, on the reading of 2(c) the memo uses; "
           "proved where it says so, and each figure's timeline counted again, separately, by the rules "
           "<code>rra damages</code> applies.</p>"]
    rows = []
    for key, fig in figs.items():
        rows.append([e(FIGURE_LABELS[key]), f"<b>{e(fmt.money(fig['value']))}</b>",
                     e(fmt.months(fig["months"], d["days"].get(key, {}).get("total"))),
                     e(figure_status(fig))])
    out.append(table(["figure", "amount", "months counted", "status"], rows))
    if figs:
        comp_rows = []
        keys = list(figs)
        for c in ("i", "ii", "iii"):
            cells = [e(COMPONENT_WORDS.get(c, c))]
            for k in keys:
                comp = figs[k]["components"].get(c)
                if comp is None:
                    cells.append("none")
                    continue
                days = d["days"].get(k, {}).get(c)
                cells.append(f"{e(fmt.money(comp['amount']))}<div class=\"small\">"
                             f"{e(fmt.months(comp['months'], days))}</div>")
            comp_rows.append(cells)
        out.append("<h3>What each figure is made of</h3>"
                   + table(["component", *[e(FIGURE_LABELS[k]) for k in keys]], comp_rows))
        if any(cents_note([c["amount"] for c in figs[k]["components"].values()], figs[k]["value"]) for k in keys):
            out.append(f'<p class="small">{e(CENTS)}</p>')
    if page.notes.get("exposure"):
        out.append(f'<p class="small">{e(page.notes["exposure"])}</p>')
    readings = d.get("readings") or []
    if readings:
        used = d["exposure"].get("reading")
        out.append("<h3>Other readings of 2(c)(i)</h3><p class=\"small\">The words of 2(c)(i) can be read more than one "
                   "way; the worst case under each reading, no Allowed Delays (the figures above use the first):</p>"
                   + table(["reading", "worst case"],
                           [[e(r["description"]), e(fmt.money(r["amount"]))]
                            for r in sorted(readings, key=lambda r: r["name"] != used)]))
    for key, fig, title in (("exposure", "worst_case", "The worst case with no Allowed Delays, as a timeline"),
                            ("exposure_maxmin", "worst_case_with_allowed_delays",
                             "The worst case with the Company's best Allowed Delays, as a timeline")):
        svg = page.timelines.get(key)
        if svg:
            cap = d["captions"].get(fig, "")
            out.append(f"<h3>{e(title)}</h3>" + figure(svg, cap))
    out.append("<h3>The assumptions</h3><p>" + e(assumption_sentence(a)) + "</p>")
    out.append(table(["assumption", "value", "what it bounds"],
                     [[e(n), e(v), e(w)] for n, v, w in d["assumption_rows"]]))
    sens = page.parts.get("sensitivity")
    out.append("<h3>How the worst case moves with the longest SEC review</h3>")
    na = unavailable(sens, "The sensitivity")
    if na is not None:
        out.append(na)
    elif page.timelines.get("sensitivity"):
        out.append(figure(page.timelines["sensitivity"], page.notes.get("sensitivity", "")))
    else:
        out.append('<p class="na">No sensitivity data to plot.</p>')
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------- scenario


def render_scenario(page: Page) -> str | None:
    part = page.parts.get("scenario")
    if part is None or part.status == "skipped" or (part.status == "ok" and part.data is None):
        return None
    na = unavailable(part, "The scenario")
    if na is not None:
        return na
    d = part.data["json"]
    ev = part.data["evaluation"]
    out = [f'<div class="cards"><div class="card"><div class="n">{e(fmt.money(d["total"]))}</div>'
           f'<div class="l">2(c) payments owed by {e(fmt.day(d["as_of"]))}</div></div></div>']
    rows = []
    for cid, c in (d.get("details") or {}).items():
        periods = "; ".join(f"{fmt.span(r['start'], r['end'])} ({fmt.plural(int(r['days']), 'day')})"
                            for r in c.get("periods", [])) or "none"
        excl = c.get("excluded")
        ex = ('<div class="small">not counted: ' +
              e("; ".join(fmt.span(r["start"], r["end"]) for r in excl.get("periods", []))) + "</div>") if excl else ""
        days = sum(int(r["days"]) for r in c.get("periods", []))
        rows.append([e(cid), e(fmt.months(c.get("months", 0), days)), e(fmt.money(c.get("amount", 0))),
                     e(periods) + ex])
    if rows:
        out.append("<h3>Section 2(c) components</h3>" + table(["component", "months counted", "amount", "periods counted"],
                                                               rows))
    br = d.get("breaches") or []
    if br:
        out.append("<h3>Deadlines missed</h3>" + table(
            ["clause", "duty", "due", "done", "late by"],
            [[e(b["clause"]), f"{e(b['element_name'] if 'element_name' in b else _duty(b))}"
              f"<div class=\"small\"><i>&ldquo;{e(b['quote'])}&rdquo;</i></div>",
              e(fmt.day(b["due"])), e(fmt.day(b["actual"]) if b["actual"] else "not done by the horizon"),
              e(fmt.plural(int(b["late_days"]), f"{b['basis']} day"))] for b in br]))
    vi = d.get("violations") or []
    if vi:
        out.append("<h3>What the scenario does that the agreement does not allow</h3><ul>" +
                   "".join(f"<li>{e(v['section'])}: {e(v['message'])}</li>" for v in vi) + "</ul>")
    svg = page.timelines.get("scenario")
    if svg:
        out.append(figure(svg, part.data.get("caption", "") or f"The scenario as a timeline: {fmt.money(ev.total)} owed."))
    return "\n".join(out)


def _duty(b: Mapping[str, Any]) -> str:
    return str(b.get("deadline") or b.get("element") or "").replace("_", " ").replace("deadline.", "")


# ----------------------------------------------------------------------------------------------- invariants


STATUS_WORDS = {"proved": "proved", "refuted": "fails", "unknown": "undecided", "withheld": "withheld"}


def render_invariants(page: Page) -> str | None:
    inv = page.ok("invariants")
    if inv is None:
        return unavailable(page.parts.get("invariants"), "The proofs")
    rows = inv.data["verdicts"]
    if not rows:
        return '<p class="na">The catalogue has no claims.</p>'
    out = ["<p>Each claim is proved for every timeline (the assumptions it rests on checked to be possible first, so "
           "no claim holds vacuously), or shown to fail on a dated timeline, or left undecided with the reason; "
           "an undecided claim is never counted as a pass.</p>"]
    numbers = {r["id"]: k for k, r in enumerate(rows, 1)}

    def words(text: str) -> str:  # another claim named by its id (in an assumption) becomes "claim N"
        return re.sub(r"[a-z0-9]+(?:-[a-z0-9]+)+", lambda m: f"claim {numbers[m.group(0)]}" if m.group(0) in numbers
                      else m.group(0), text)

    body = []
    for k, r in enumerate(rows, 1):
        status = r["status"]
        extra = ""
        if status == "refuted":
            extra = f'<div class="small"><a href="#cex-{k}">What goes wrong, as a timeline</a>: {e(r["failure"])}</div>'
        elif r.get("reason"):
            extra = f'<div class="small">{e(fmt.sentence(str(r["reason"])))}</div>'
        if r.get("assumptions"):
            extra += f'<div class="small">Assuming {e(words(listed(r["assumptions"])))}.</div>'
        body.append([e(k), e(", ".join(r["sections"])), badge(status, STATUS_WORDS.get(status, status)),
                     e(r["statement"]) + extra])
    out.append(table(["#", "clauses", "result", "claim"], body))
    for k, r in enumerate(rows, 1):
        svg = page.timelines.get(f"invariant:{r['id']}")
        if r["status"] != "refuted" or not r.get("counterexample"):
            continue
        events = table(["date", "what happens", "clause"],
                       [[e(fmt.day(x["date"])), e(event_words(str(x["event"]))), e(x.get("clause", ""))]
                        for x in r["counterexample"]], "events")
        out.append(f'<div class="cex" id="cex-{k}"><h3>Claim {e(k)} fails: {e(r["statement"])}</h3>'
                   + (figure(svg, r["failure"]) if svg else f"<p>{e(r['failure'])}</p>") + events + "</div>")
    return "\n".join(out)


PERIOD_WORDS = {"allowed delays": "an Allowed Delay", "blocked": "sales blocked", "sales blocked": "sales blocked",
                "not listed": "not listed or trading halted", "stop orders": "a stop order",
                "investor delays": "an Investor delay"}


def event_words(text: str) -> str:
    """A counterexample row's event in words: "blocked from" -> "sales blocked: first day"."""
    if text.startswith("deadline: "):
        return text.removeprefix("deadline: ") + " (deadline)"
    for end, words in ((" from", "first day"), (" until", "last day")):
        if text.endswith(end):
            name = text.removesuffix(end)
            what = PERIOD_WORDS.get(name, name)
            return f"{what[0].upper() + what[1:]}: {words}"
    return text


# ----------------------------------------------------------------------------------------------- consent


def render_consent(page: Page) -> str | None:
    c = page.ok("consent")
    if c is None:
        return unavailable(page.parts.get("consent"), "The consent analysis")
    d = c.data
    rules = d["rows"]
    memo = memo_of(page)
    n_consent = sum(1 for i in memo["issues"] if i["area"] == "consent and voting") if memo else 0
    out = [f"<p>Who must agree to each decision the agreement leaves to a vote, read from its words, and what say "
           f"each kind of holder has, proved over every valid set of holdings. The problems these rules raise are "
           f'<a href="#findings">{e(fmt.plural(n_consent, "entry", "entries"))} of the memo</a> (consent and voting).</p>']
    if d.get("readings"):
        out.append('<p class="small">Where the words can be read more than one way, this reading is used: '
                   + " ".join(e(x) for x in d["readings"]) + "</p>")
    rows = []
    for r in rules:
        say = "<br>".join(f"<b>{e(fmt.sentence(power)[:-1])}:</b> {e(listed(who))}" for power, who in r["say"])
        rows.append([e(r["clause"]), f"{e(fmt.sentence(r['decision']))}<div class=\"small\"><i>&ldquo;{e(r['quote'])}"
                     f"&rdquo;</i></div>", e(fmt.sentence(r["who"])), f'<span class="small">{say}</span>'])
    out.append(table(["clause", "decision, in the agreement's words", "who decides", "who has what say"], rows))
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------- diagrams


def render_diagrams(page: Page) -> str | None:
    part = page.ok("diagrams")
    if part is None:
        return unavailable(page.parts.get("diagrams"), "The diagrams")
    d = part.data
    legend = "".join(
        f'<li><span class="key {"line" if style != "box" else "box"} {e(style)}" data-fill="{e(fill)}">'
        f"{_key_svg(fill, color, style)}</span>{e(text)}</li>" for fill, color, style, text in d["legend"])
    out = ['<p>Hover over a box to read the words of the agreement it stands for. The DOT sources and SVG files are '
           'in the diagrams folder beside this page.</p>',
           f'<div class="legend"><b>What the shapes and arrows mean</b><ul>{legend}</ul></div>']
    for group in d["groups"]:
        out.append(f"<h3>{e(group['title'])}</h3>")
        if group.get("intro"):
            out.append(f"<p>{e(group['intro'])}</p>")
        for dr in group["drawings"]:
            out.append(figure(dr["svg"], dr["title"], "diagram"))
    return "\n".join(out)


def _key_svg(fill: str, color: str, style: str) -> str:
    """A small legend key: a filled box, or a line in the arrow's style (colours are fixed, from the style table)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", fill) or not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        return ""
    if style == "box":
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="26" height="14" viewBox="0 0 26 14">'
                f'<rect x="1" y="1" width="24" height="12" fill="{fill}" stroke="#555555"/></svg>')
    dash = {"dashed": ' stroke-dasharray="5 3"', "dotted": ' stroke-dasharray="1 3"'}.get(style, "")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="26" height="14" viewBox="0 0 26 14">'
            f'<line x1="1" y1="7" x2="21" y2="7" stroke="{color}" stroke-width="2"{dash}/>'
            f'<path d="M19,3 L25,7 L19,11 Z" fill="{color}"/></svg>')


# ----------------------------------------------------------------------------------------------- coverage


def render_coverage(page: Page) -> str | None:
    cov = page.ok("coverage")
    if cov is None:
        return unavailable(page.parts.get("coverage"), "The coverage")
    s = cov.data["summary"]
    qp = len(s["quote_problems"])
    out = [f"<p>{e(fmt.plural(s['numbered'], 'numbered clause'))}: <b>{e(s['formalized'])}</b> formalized, "
           f"{e(s['not_formalized'])} not formalized (each with its reason); "
           f"{e(fmt.plural(s['elements'], 'cited element'))}, each with its clause and its words; "
           f"{e(fmt.plural(qp, 'quotation'))} not found verbatim in the text.</p>"]
    rows = []
    for c in cov.data["clauses"]:
        kinds: dict[str, int] = {}
        for el in c["elements"]:
            kinds[el["kind"]] = kinds.get(el["kind"], 0) + 1
        what = listed(kind_count(n, k) for k, n in sorted(kinds.items())) if c["status"] == "formalized" \
            else fmt.sentence(c["reason"] or "")
        rows.append([e(c["id"]), e(c["heading"] or ""), badge(c["status"], c["status"].replace("-", " ")), e(what)])
    out.append(table(["clause", "heading", "status", "what is formalized, or why not"], rows))
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------- parameters


def render_parameters(page: Page) -> str | None:
    agreement = page.agreement
    params = agreement.params
    rows = []
    for p in agreement.parameters():
        mark = ' <span class="badge warning">changed in this draft</span>' if p.id in params.overridden else ""
        rows.append([e(fmt.parameter_name(p)), e(fmt.parameter_value(p, p.value)) + mark, e(p.clause),
                     f"<i>&ldquo;{e(p.quote)}&rdquo;</i>" if getattr(p, "in_text", True) else
                     f"<i>&ldquo;{e(p.quote)}&rdquo;</i><div class=\"small\">The agreement does not set this in "
                     "figures; the value is how the model reads it.</div>"])
    return ("<p>Every number and date the agreement sets, with the words that set it. A redraft changes them "
            "(the technical appendix lists the name to give <code>--set</code>).</p>"
            + table(["what the agreement sets", "value", "clause", "the agreement's words"], rows))


# ----------------------------------------------------------------------------------------------- technical


def render_technical(page: Page) -> str | None:
    out = ["<p>For the engineers: the internal names behind the page, as <code>rra</code> prints them with "
           "<code>--json</code>, and the state of each part of the run.</p>"]
    rows = [[e(p.title), badge(p.status), e(p.message or "")] for p in page.parts.values()]
    out.append("<h3>Parts of this report</h3>" + table(["part", "status", "note"], rows))
    memo = memo_of(page)
    f = page.ok("findings")
    if f is not None:
        out.append("<h3>Analyses run</h3>" + table(["analysis", "result"],
                                                   [[e(k), e(v)] for k, v in f.data["analyses"].items()]))
    if memo is not None:
        labels = numbering(memo)
        out.append("<h3>Memo entries and the findings each groups</h3>" + table(
            ["entry", "entry id", "findings grouped"],
            [[e(labels[i["id"]]), f"<code>{e(i['id'])}</code>",
              " ".join(f"<code>{e(x)}</code>" for x in i["findings"])] for i in memo["issues"]]))
        if memo["memo_notes"]:
            out.append("<h3>Notes on the redline checks</h3><ul>" + "".join(f"<li>{e(n)}</li>" for n in memo["memo_notes"])
                       + "</ul>")
        if memo["not_in_memo"]:
            out.append("<h3>Findings not carried into the memo</h3>" + table(
                ["finding", "why"], [[f"<code>{e(x['finding'])}</code>", e(x["why"])] for x in memo["not_in_memo"]]))
    inv = page.ok("invariants")
    if inv is not None:
        out.append("<h3>Claims</h3>" + table(["#", "invariant id"], [[e(k), f"<code>{e(r['id'])}</code>"]
                                                                      for k, r in enumerate(inv.data["verdicts"], 1)]))
    c = page.ok("consent")
    if c is not None:
        out.append("<h3>Consent rules</h3>" + table(["clause", "rule id"], [[e(r["clause"]), f"<code>{e(r['id'])}</code>"]
                                                                           for r in c.data["rows"]]))
    out.append("<h3>Parameters (names for <code>--set</code>)</h3>" + table(
        ["what the agreement sets", "name"],
        [[e(fmt.parameter_name(p)), f"<code>{e(p.id)}</code>"] for p in page.agreement.parameters()]))
    return "\n".join(out)


__all__ = ["APPENDICES", "NOT_YET", "Page", "Part", "Section", "assumption_sentence", "badge", "e", "figure",
           "figure_status", "render_appendix", "render_consent", "render_coverage", "render_diagrams",
           "render_exposure", "render_findings", "render_invariants", "render_parameters", "render_scenario",
           "render_technical", "render_top", "table", "unavailable"]
