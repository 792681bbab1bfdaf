"""The review memo as the report's findings section and appendices (HTML, every text escaped), from the memo's
JSON (rra.solver.memo_build.memo_json) so that report.json carries the same data. Entries are numbered as
`rra check` numbers them; internal ids (entry and finding ids) appear only in the technical appendix."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from rra.solver.memo_text import apply_with
from rra.spec.agreement import Agreement
from rra.visualize import fmt

HEADINGS = {"high": "High: changes who pays, how much or when, or makes a duty impossible or unenforceable",
            "medium": "Medium: ambiguous rights, conflicting procedures"}
# Which analyses found an entry, as a partner would name them.
FOUND_BY_WORDS = {"provisions": "provision review", "text": "text review", "z3": "formal checks",
                  "consent": "consent analysis", "proof": "proofs", "exposure": "worst-case search",
                  "draft": "draft reading", "evaluator": "dated example"}
APPENDICES = (("proofreading", "Appendix A. Proofreading", "A"), ("documents needed", "Appendix B. Documents needed", "B"))


def e(x: Any) -> str:
    """Escape for HTML (the report writes the ids of repeated clauses for a reader on the whole page:
    rra.spec.clauses.readable_ids in rra.visualize.report.build)."""
    return escape("" if x is None else str(x), quote=True)


def memo_for_report(agreement: Agreement, findings: list[dict[str, Any]], worker: Any = None,
                    beside: Sequence[str] | None = None, failed: Sequence[str] = ()) -> dict[str, Any]:
    """The memo `rra check` prints, as JSON, for the report's findings section (its redlines checked; `worker`,
    `beside`: where the redline checks' other process runs, and what it makes; `failed`: analyses that failed on
    the text, so their findings are missing: rra.solver.memo_check.check)."""
    from rra.solver.memo_build import memo_json
    from rra.solver.memo_check import BESIDE, review_memo

    return memo_json(review_memo(agreement, findings, worker=worker, beside=BESIDE if beside is None else beside,
                                 failed=failed))


def anchor(issue: dict[str, Any]) -> str:
    """The in-page anchor of an entry (by its number, not its internal id)."""
    return f"issue-{issue['number']}"


def stake_words(issue: dict[str, Any]) -> str:
    """What an entry puts at stake: its largest example figure per $1,000,000, or "no dollar figure"."""
    return fmt.money(issue["stake"]) if issue.get("stake") else "no dollar figure"


def _entry(i: dict[str, Any], label: str, labels: dict[str, str]) -> str:
    quotes = "".join(f"<blockquote>&ldquo;{e(q['words'])}&rdquo;<cite>{e(q['clause'])}</cite></blockquote>"
                     for q in i["quotes"])
    meta = (f"{e(i['area'])} &middot; {e(', '.join(i['sections']))} &middot; favours {e(i['favours_note'] or i['favours'])}"
            + (f" &middot; at stake: {e(stake_words(i))} per $1,000,000.00" if i.get("stake") else "")
            if not i["appendix"] else e(", ".join(i["sections"])))
    out = [f'<div class="finding sev-{e(i["severity"])}" id="{e(anchor(i))}">',
           f"<h4>{e(label)}. {e(i['title'])}</h4>", f'<div class="small">{meta}</div>', quotes]
    if i.get("severity_reason"):
        out.append(f"<p><b>Why high:</b> {e(i['severity_reason'])}.</p>")
    if i["explanation"] and not i["appendix"]:
        out.append(f"<p>{e(i['explanation'])}</p>")
    if i["example"]:
        out.append(f"<p><b>Example.</b> {e(i['example'])}</p>")
    for r in i["redlines"]:
        out.append(f"<p><b>Redline {e(r['clause'])}:</b> replace &ldquo;<del>{e(r['replace'])}</del>&rdquo; with "
                   f"&ldquo;<ins>{e(r['with'])}</ins>&rdquo;</p>")
    if together := apply_with(i.get("relies_on") or [], labels):
        out.append(f"<p>{e(together)}</p>")
    if i["redlines"]:
        out.append(f'<p class="small">Redline check: {e(i["redline_check"])}'
                   + (f": {e(i['redline_note'])}" if i["redline_note"] else "") + "</p>")
    out.append("</div>")
    return "\n".join(out)


def memo_html(memo: dict[str, Any]) -> str:
    """The memo's body: high entries, medium entries and notes (the appendices are `appendix_html`)."""
    s = memo["memo_summary"]
    c = s["redline_checks"]
    n_app = s["appendix"]
    out = [f'<p>{e(fmt.plural(s["entries"], "point"))} ({e(s["by_severity"]["high"])} high, '
           f'{e(s["by_severity"]["medium"])} medium), and {e(fmt.plural(n_app, "item"))} in the proofreading and '
           f'documents-needed appendices at the end of this page. Each suggested redline was applied to the text '
           f'and the analyses run again: {e(c["checked"])} checked, {e(c["problem remains"])} with the problem '
           f'remaining, {e(c["new problems"])} with new problems, {e(c["not checked"])} not checked.</p>']
    if memo.get("memo_basis"):
        out.append(f'<p class="small memo-prose">{e(memo["memo_basis"])}</p>')  # the memo's words, as in its entries
    body = [i for i in memo["issues"] if not i["appendix"]]
    labels = numbering(memo)
    n = 0
    for sev in ("high", "medium"):
        items = [i for i in body if i["severity"] == sev]
        if items:
            out.append(f"<h3>{e(HEADINGS[sev])} ({len(items)})</h3>")
            for i in items:
                n += 1
                out.append(_entry(i, str(n), labels))
    low = [i for i in body if i["severity"] not in ("high", "medium")]
    if low:
        out.append(f"<h3>Low: drafting ({len(low)})</h3>")
        for i in low:
            n += 1
            out.append(_entry(i, str(n), labels))
    if memo["memo_notes"]:
        out.append(f'<p class="small">{e(fmt.plural(len(memo["memo_notes"]), "note"))} on how the redlines were '
                   'checked: see the technical appendix.</p>')
    return "\n".join(out)


def appendix_html(memo: dict[str, Any], area: str) -> str:
    """One appendix (proofreading or documents needed), its entries lettered A1, A2 ... ("" when empty)."""
    letter = next(x[2] for x in APPENDICES if x[0] == area)
    items = [i for i in memo["issues"] if i["area"] == area]
    if not items:
        return '<p class="na">Nothing to list.</p>'
    labels = numbering(memo)
    return "\n".join(_entry(i, f"{letter}{k}", labels) for k, i in enumerate(items, 1))


def high_entries(memo: dict[str, Any]) -> list[dict[str, Any]]:
    """The memo's high-severity entries (outside the appendices), in memo order."""
    return [i for i in memo["issues"] if i["severity"] == "high" and not i["appendix"]]


def numbering(memo: dict[str, Any]) -> dict[str, str]:
    """Entry id -> the label the page shows (1, 2 ... in the body; A1, B1 ... in the appendices)."""
    out: dict[str, str] = {}
    body = [i for i in memo["issues"] if not i["appendix"]]
    order = {"high": 0, "medium": 1}
    for n, i in enumerate(sorted(body, key=lambda i: order.get(i["severity"], 2)), 1):
        out[i["id"]] = str(n)
    for area, _title, letter in APPENDICES:
        for k, i in enumerate((i for i in memo["issues"] if i["area"] == area), 1):
            out[i["id"]] = f"{letter}{k}"
    return out
