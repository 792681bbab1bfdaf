"""What a redraft changes, as HTML: the page `rra diff --out DIR` writes and the section `rra report --against OLD`
adds to the review page. Both are rendered from the `rra diff --json` data (rra.commands.diff.comparison_json), so
the page and its JSON say the same; every text is escaped, and the page is self-contained (inline CSS only, no
scripts, fonts or network; a Content-Security-Policy says so to the browser)."""

from __future__ import annotations

from html import escape
from typing import Any

CSS = """
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--high:#a1271b;--medium:#b26a00;--low:#1f5fa8;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);background:#f6f5f2}
header{background:#1f2a44;color:#fff;padding:28px 40px 20px}
header h1{margin:0 0 4px;font-size:26px;font-weight:normal}
header p{margin:2px 0;color:#c9d1e3;font:13px/1.4 Helvetica,Arial,sans-serif}
nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 40px;font:13px Helvetica,Arial,sans-serif}
nav a{color:#1f2a44;margin-right:16px;text-decoration:none}
main{max-width:1200px;margin:0 auto;padding:10px 40px 60px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;margin:22px 0;padding:18px 24px}
h2{font-size:21px;font-weight:normal;margin:0 0 10px;border-bottom:1px solid var(--line);padding-bottom:6px}
h3{font-size:16px;margin:18px 0 6px}
table,.small,.badge{font-family:Helvetica,Arial,sans-serif}
.small{font-size:12px;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4;font-weight:600}
.badge{display:inline-block;white-space:nowrap;border-radius:10px;padding:1px 8px;font-size:11px;color:#fff;background:#777;
       text-transform:uppercase;letter-spacing:.03em}
.high,.refuted{background:var(--high)}.medium,.unknown{background:var(--medium)}.low{background:var(--low)}
.proved,.resolved{background:var(--ok)}
blockquote{margin:6px 0;padding:6px 12px;background:#f7f3e8;border-left:3px solid #c8b88a}
blockquote cite{display:block;font-style:normal;font-size:12px;color:var(--muted);font-family:Helvetica,sans-serif}
ins{background:#e3f2e1;text-decoration:underline}del{background:#f8e1de;text-decoration:line-through}
.na{color:var(--muted);font-style:italic;font-family:Helvetica,Arial,sans-serif}
ol.top li{margin:4px 0}
footer{text-align:center;font:12px Helvetica,Arial,sans-serif;color:var(--muted);padding:20px}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def e(x: Any) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return escape("" if x is None else str(x), quote=True)


def _badge(word: str, cls: str | None = None) -> str:
    return f'<span class="badge {e(cls or word)}">{e(word)}</span>'


def _money(x: float | None) -> str:
    return "&ndash;" if x is None else f"${x:,.2f}"


def _redline(ops: list[list[str]]) -> str:
    out = []
    for op, a, b in ops:
        if op == "equal":
            out.append(e(a))
        if a and op in ("delete", "replace"):
            out.append(f"<del>{e(a)}</del>")
        if b and op in ("insert", "replace"):
            out.append(f"<ins>{e(b)}</ins>")
    return " ".join(out)


def _name(d: dict[str, Any]) -> str:
    return "the bundled agreement" if d["bundled"] and d["source"] == "bundled" else d["source"]


def _words(d: dict[str, Any]) -> str:
    if not d["words"]:
        return '<p class="na">No clause changed its words (layout aside).</p>'
    rows = []
    for w in d["words"]:
        if w["status"] == "renumbered":
            rows.append(f"<tr><td>{e(w['old_clause'])} &rarr; {e(w['new_clause'])}</td><td>renumbered</td>"
                        "<td class=\"small\">same words</td></tr>")
            continue
        where = e(w["new_clause"] or w["old_clause"])
        if w["status"] == "moved and changed":
            where = f"{e(w['old_clause'])} &rarr; {e(w['new_clause'])}"
        rows.append(f"<tr><td>{where}</td><td>{e(w['status'])}</td><td>{_redline(w['ops'])}</td></tr>")
    return "<table><tr><th>clause</th><th>change</th><th>words</th></tr>" + "".join(rows) + "</table>"


def _numbers(d: dict[str, Any]) -> str:
    if not d["numbers"]:
        return '<p class="na">No value changed.</p>'
    rows = []
    for n in d["numbers"]:
        if n["status"] == "changed":
            change = f"{e(n['old_words'])} &rarr; <b>{e(n['new_words'])}</b>" + "".join(
                f"<br>still {e(n['old_words'])} in {e(x['clause'])}: &ldquo;{e(x['words'])}&rdquo;"
                for x in n["left_behind"])
        else:
            change = f"not read from the {e(n['unread_in'])} text's words (withheld there)"
        rows.append(f"<tr><td>{e(n['description'])}</td><td>{e(n['new_clause'])}</td><td>{change}</td>"
                    f"<td><blockquote>&ldquo;{e(n['old_quote'])}&rdquo;<cite>old, {e(n['old_clause'])}</cite></blockquote>"
                    f"<blockquote>&ldquo;{e(n['new_quote'])}&rdquo;<cite>new, {e(n['new_clause'])}</cite></blockquote>"
                    "</td></tr>")
    return "<table><tr><th>what</th><th>clause</th><th>value</th><th>words</th></tr>" + "".join(rows) + "</table>"


def _problems(d: dict[str, Any]) -> str:
    p = d["problems"]
    out = [f"<p>{len(p['changes'])} review-memo entr{'y' if len(p['changes']) == 1 else 'ies'} changed; "
           f"{e(p['unchanged'])} the same.</p>"]
    labels = {"new": "new", "resolved": "resolved", "severity": "severity changed", "changed": "changed",
              "withheld": "cannot tell"}
    for ch in p["changes"]:
        i = ch["new"] or ch["old"]
        sev = i["severity"] if ch["status"] != "severity" else f"{ch['old']['severity']} → {ch['new']['severity']}"
        quotes = "".join(f"<blockquote>&ldquo;{e(q['words'])}&rdquo;<cite>{e(q['clause'])}</cite></blockquote>"
                         for q in i["quotes"][:3])
        why = f'<p class="small">{e(ch["reason"])}</p>' if ch["reason"] else ""
        out.append(f"<h3>{_badge(labels[ch['status']], ch['status'])} {_badge(sev, i['severity'])} {e(i['title'])}</h3>"
                   f'<p class="small">{e(i["area"])} &middot; {e(", ".join(i["sections"]))}</p>'
                   f"<p>{e(i['explanation'])}</p>{quotes}{why}")
    return "\n".join(out)


def _proofs(d: dict[str, Any]) -> str:
    if not d["proofs"]:
        return '<p class="na">No invariant changed its verdict.</p>'
    out = []
    for pr in d["proofs"]:
        out.append(f"<h3>{_badge(pr['old'])} &rarr; {_badge(pr['new'])} {e(pr['statement'])}</h3>"
                   f'<p class="small">{e(", ".join(pr["sections"]))}' + (f" &middot; {e(pr['reason'])}" if pr["reason"]
                                                                            else "") + "</p>")
        if pr["counterexample"]:
            rows = "".join(f"<tr><td>{e(r.get('date'))}</td><td>{e(r.get('event'))}</td><td>{e(r.get('clause'))}</td></tr>"
                           for r in pr["counterexample"])
            out.append(f"<table><tr><th>date</th><th>counterexample</th><th>clause</th></tr>{rows}</table>")
    return "\n".join(out)


def _amount(a: dict[str, Any]) -> str:
    if a["value"] is None:
        return f"{_badge(a['status'], 'unknown')} <span class=\"small\">{e(a['reason'])}</span>"
    note = f" (at most {_money(a['bound'])})" if a["status"] == "bound" and a["bound"] is not None else ""
    return f"{_money(a['value'])} {_badge(a['status'], 'proved' if a['status'] == 'proved' else 'unknown')}{e(note)}"


def _money_part(d: dict[str, Any]) -> str:
    rows = []
    for m in d["money"]:
        if m["difference"] is None:
            diff = "&ndash;"
        elif not m["changed"]:
            diff = "0"
        else:
            diff = f"{m['difference']:+,.2f}" + ("" if m["difference_proved"] else " *")
        rows.append(f"<tr><td>{e(m['assumptions'])}<div class=\"small\">to {e(m['as_of'])}, per "
                    f"{_money(m['principal'])}</div></td><td>{e(m['title'])}</td><td>{_amount(m['old'])}</td>"
                    f"<td>{_amount(m['new'])}</td><td>{diff}</td></tr>")
    out = ("<table><tr><th>assumptions</th><th>figure</th><th>old</th><th>new</th><th>difference</th></tr>"
           + "".join(rows) + "</table>")
    if any(m["changed"] and m["difference"] is not None and not m["difference_proved"] for m in d["money"]):
        out += '<p class="small">* not both figures are proved optima: the difference is between best-found figures.</p>'
    return out


def _damages(d: dict[str, Any]) -> str:
    if not d["damages"]:
        return '<p class="na">No scenarios were priced.</p>'

    def cell(s: dict[str, Any]) -> str:
        return _money(s["total"]) if s["total"] is not None else f"{e(s['status'])}: {e(s['reason'])}"

    def diff(x: dict[str, Any]) -> str:
        return "&ndash;" if x["difference"] is None else e(f"{x['difference']:+,.2f}")

    rows = "".join(f"<tr><td>{e(x['scenario'])}</td><td>{cell(x['old'])}</td><td>{cell(x['new'])}</td>"
                   f"<td>{diff(x)}</td></tr>" for x in d["damages"])
    return "<table><tr><th>scenario</th><th>old</th><th>new</th><th>difference</th></tr>" + rows + "</table>"


def _votes(d: dict[str, Any]) -> str:
    if not d["votes"]:
        return '<p class="na">No consent decision gives a different answer for any holdings.</p>'
    out = []
    for v in d["votes"]:
        out.append(f"<h3>The decision to {e(v['decision'])} ({e(v['new_clause'])}) {_badge(v['status'], 'unknown')}</h3>")
        if v["reason"]:
            out.append(f'<p class="small">{e(v["reason"])}</p>')
        if v["old_rule"]:
            out.append(f"<p>Old: {e(v['old_rule'])}.<br>New: {e(v['new_rule'])}.</p>")
        ex = v["example"]
        if ex:
            verdict = {True: "allowed", False: "not allowed"}
            out.append("<p>For example, with holdings " + e("; ".join(ex["holdings"])) + ", and "
                       + e(", ".join(ex["consenting"]) or "no one") + f" consenting: <b>{verdict[ex['old']['allowed']]}</b> "
                       f"under the old text, <b>{verdict[ex['new']['allowed']]}</b> under the new.</p>"
                       '<ul class="small">' + "".join(f"<li>{e(w)}</li>" for w in ex["new"]["why"]) + "</ul>")
        if v["powers"]:
            out.append("<ul>" + "".join(f"<li>{e(p['who'])}: <b>{e(p['change'])}</b></li>" for p in v["powers"]) + "</ul>")
    return "\n".join(out)


PARTS = (("diff-words", "Words"), ("diff-numbers", "Numbers"), ("diff-problems", "Problems"),
         ("diff-proofs", "Proofs"), ("diff-money", "Money"), ("diff-damages", "Damages"), ("diff-votes", "Votes"))


def body(d: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The parts of the comparison as (anchor, title, HTML)."""
    makers = {"diff-words": _words, "diff-numbers": _numbers, "diff-problems": _problems, "diff-proofs": _proofs,
              "diff-money": _money_part, "diff-damages": _damages, "diff-votes": _votes}
    return [(k, t, makers[k](d)) for k, t in PARTS]


def summary(d: dict[str, Any]) -> str:
    """What matters most, and the exit status in words."""
    s = d["summary"]
    if not s["changes"]:
        return "<p>No differences: the two texts have the same words (up to layout) and the same analyses.</p>"
    out = ['<ol class="top">' + "".join(f"<li>{e(h['text'])}</li>" for h in s["top"]) + "</ol>"]
    if s["empty"]:
        out.append("<p>Nothing the model reads changed: the numbers, problems, proofs, money, damages and votes are "
                   "the same.</p>")
    out.append(f'<p class="small">{"The new text has a high-severity problem the old did not (rra diff exits 1)." if s["new_high_problem"] else "No new high-severity problem."}</p>')
    for side, label in (("new_only", "the new text"), ("old_only", "the old text only")):
        lines = d["withheld"]["in_words"][side]
        if lines:
            out.append(f'<p class="small">Withheld on {label} (its words changed what the model rests on):</p>'
                       '<ul class="small">' + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>")
    return "\n".join(out)


def section(d: dict[str, Any]) -> str:
    """The comparison as one section of the review page (`rra report --against OLD`)."""
    parts = "".join(f'<h3 id="{e(k)}">{e(t)}</h3>\n{html}\n' for k, t, html in body(d))
    return (f'<section id="comparison"><h2>Changes from {e(_name(d["old"]))} to {e(_name(d["new"]))}</h2>\n'
            f"{summary(d)}\n{parts}</section>\n")


def page(d: dict[str, Any]) -> str:
    """The whole page of `rra diff --out DIR`."""
    sections = [f'<section id="summary"><h2>What matters most</h2>\n{summary(d)}\n</section>\n']
    sections += [f'<section id="{e(k)}"><h2>{e(t)}</h2>\n{html}\n</section>\n' for k, t, html in body(d)]
    nav = "".join(f'<a href="#{e(k)}">{e(t)}</a>' for k, t in (("summary", "Summary"), *PARTS))
    old, new = d["old"], d["new"]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Changes from {e(_name(old))} to {e(_name(new))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>What the markup changes</h1>\n"
        f"<p>Old: {e(_name(old))} (sha256 {e(old['sha256'][:16])}&hellip;). New: {e(_name(new))} "
        f"(sha256 {e(new['sha256'][:16])}&hellip;).</p>\n"
        "<p>Words, numbers, review problems, proofs, worst-case money, damages of example scenarios and votes.</p>\n"
        f"</header>\n<nav>{nav}</nav>\n<main>\n" + "".join(sections) + "</main>\n"
        "<footer>Generated by rra diff. Self-contained: no scripts, fonts or network.</footer>\n</body>\n</html>\n"
    )


__all__ = ["page", "section"]
