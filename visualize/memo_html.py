"""The review memo as the report's findings section (HTML, every text escaped), from the memo's JSON
(rra.solver.memo_build.memo_json) so that report.json carries the same data."""

from __future__ import annotations

from html import escape
from typing import Any

from rra.spec.agreement import Agreement

HEADINGS = {"high": "High: changes who pays, how much or when, or makes a duty impossible or unenforceable",
            "medium": "Medium: ambiguous rights, conflicting procedures"}


def e(x: Any) -> str:
    """Escape for HTML."""
    return escape("" if x is None else str(x), quote=True)


def memo_for_report(agreement: Agreement, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """The memo `rra check` prints, as JSON, for the report's findings section (its redlines checked)."""
    from rra.solver.memo_build import memo_json
    from rra.solver.memo_check import review_memo

    return memo_json(review_memo(agreement, findings))


def _entry(i: dict[str, Any], label: str) -> str:
    quotes = "".join(f"<blockquote>&ldquo;{e(q['words'])}&rdquo;<cite>{e(q['clause'])}</cite></blockquote>"
                     for q in i["quotes"])
    meta = (f"{e(i['area'])} &middot; {e(', '.join(i['sections']))} &middot; favours {e(i['favours_note'] or i['favours'])}"
            if not i["appendix"] else e(", ".join(i["sections"])))
    out = [f'<div class="finding sev-{e(i["severity"])}" id="issue-{e(i["id"])}">',
           f"<h4>{e(label)}. {e(i['title'])}</h4>", f'<div class="small">{meta}</div>', quotes]
    if i["explanation"] and not i["appendix"]:
        out.append(f"<p>{e(i['explanation'])}</p>")
    if i["example"]:
        out.append(f"<p><b>Example.</b> {e(i['example'])}</p>")
    for r in i["redlines"]:
        out.append(f"<p><b>Redline {e(r['clause'])}:</b> replace &ldquo;<del>{e(r['replace'])}</del>&rdquo; with "
                   f"&ldquo;<ins>{e(r['with'])}</ins>&rdquo;</p>")
    if i["redlines"]:
        out.append(f'<p class="small">Redline check: {e(i["redline_check"])}'
                   + (f": {e(i['redline_note'])}" if i["redline_note"] else "") + "</p>")
    out.append("</div>")
    return "\n".join(out)


def memo_html(memo: dict[str, Any]) -> str:
    """The memo: high entries, medium entries, the proofreading and documents appendices, notes."""
    s = memo["memo_summary"]
    c = s["redline_checks"]
    out = [f'<p>{e(s["entries"])} points ({e(s["by_severity"]["high"])} high, {e(s["by_severity"]["medium"])} medium) '
           f'and {e(s["appendix"])} appendix items; redlines checked on the redlined text: {e(c["checked"])} checked, '
           f'{e(c["problem remains"])} with the problem remaining, {e(c["new problems"])} with new problems, '
           f'{e(c["not checked"])} not checked.</p>']
    body = [i for i in memo["issues"] if not i["appendix"]]
    n = 0
    for sev in ("high", "medium"):
        items = [i for i in body if i["severity"] == sev]
        if items:
            out.append(f"<h3>{e(HEADINGS[sev])} ({len(items)})</h3>")
            for i in items:
                n += 1
                out.append(_entry(i, str(n)))
    for area, title, letter in (("proofreading", "Appendix A. Proofreading", "A"),
                                ("documents needed", "Appendix B. Documents needed", "B")):
        items = [i for i in memo["issues"] if i["area"] == area]
        if items:
            out.append(f"<details><summary><b>{e(title)} ({len(items)})</b></summary>")
            out += [_entry(i, f"{letter}{k}") for k, i in enumerate(items, 1)]
            out.append("</details>")
    for note in memo["memo_notes"]:
        out.append(f'<p class="small">Note: {e(note)}</p>')
    if memo["not_in_memo"]:
        rows = "".join(f"<li>{e(x['finding'])}: {e(x['why'])}</li>" for x in memo["not_in_memo"])
        out.append(f"<details><summary>Findings not carried into the memo ({len(memo['not_in_memo'])})</summary>"
                   f'<ul class="small">{rows}</ul></details>')
    return "\n".join(out)
