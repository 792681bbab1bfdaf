"""One-line fixes for the proofreading appendix: for each kind of drafting defect the text review reports, the
replacement words, derived from the defect's own words (rra.solver.memo_build attaches them to the appendix
items). A defect with no safe mechanical fix (a threshold worded several ways, which needs the votes settled
first) gets none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rra.solver.memo import Redline
from rra.spec.agreement import Agreement
from rra.spec.terms import definitions
from rra.spec.text import normalize

Fix = Callable[[Agreement, dict[str, Any]], list[Redline]]


def _once(text: str, old: str) -> bool:
    return bool(old) and text.count(old) == 1


def _widen(text: str, a: int, b: int, limit: int = 120) -> tuple[int, int]:
    """[a, b) widened to whole words, then word by word (left first) until its words occur once in the text."""
    while a > 0 and text[a - 1].isalnum() and text[a].isalnum():
        a -= 1
    while 0 < b < len(text) and text[b - 1].isalnum() and text[b].isalnum():
        b += 1
    while text.count(text[a:b]) > 1 and b - a < limit:
        if a > 0:
            a = text.rfind(" ", 0, a - 1) + 1
        else:
            nb = text.find(" ", b + 1)
            b = len(text) if nb < 0 else nb
    return a, b


def _parentheses(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A stray ")" closes a parenthetical whose "(" is missing before "including"; an unclosed "(" is closed before the
    phrase that follows it (", but", ";" or the end of the sentence); a stray ")" with nothing to pair is deleted."""
    ev = f.get("evidence") or {}
    occ = (ev.get("occurrences") or [{}])[0]
    clause = occ.get("clause", f["sections"][0])
    text = a.document.normalized(clause)
    words = normalize(occ.get("words", ""))
    at = text.find(words)
    if at < 0:
        return []
    if ")" in ev.get("unmatched", []):
        close = text.find(")", at)
        depth, k = 0, close
        while k > 0:  # the ")" has no partner: look back in the sentence for the phrase it closes
            k -= 1
            if text[k] == ")":
                depth += 1
            elif text[k] == "(":
                depth -= 1
            elif text[k] == "." and depth == 0 and text[k + 1:k + 2] == " ":
                break
        inc = [m for m in re.finditer(r"\bincluding, without limitation,|\bincluding\b", text[k:close])]
        if inc:
            s = k + inc[-1].start()
            a0, b0 = _widen(text, s, s + len(inc[-1].group(0)))
            return [Redline(clause, text[a0:b0], text[a0:s] + "(" + text[s:b0])]
        a0, b0 = _widen(text, max(0, close - 20), close + 1)
        a0 = text.rfind(" ", 0, a0) + 1 if a0 > 0 else 0
        return [Redline(clause, text[a0:b0], text[a0:close] + text[close + 1:b0])]
    if "(" in ev.get("unmatched", []):
        opened = text.find("(", at)
        end = re.compile(r",? but |; |\.(?:\s|$)")
        depth = 0
        for k in range(opened + 1, len(text)):
            ch = text[k]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif depth == 0 and end.match(text, k):
                a0, b0 = _widen(text, max(0, k - 40), k + 8)
                a0 = text.rfind(" ", 0, a0) + 1 if a0 > 0 else 0
                return [Redline(clause, text[a0:b0], text[a0:k] + ")" + text[k:b0])]
    return []


def _name(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A name spelt two ways: the spelling the text uses more often (on a tie, the one in the signature block or the
    preamble, the party's own) replaces the other where it stands."""
    occ = (f.get("evidence") or {}).get("occurrences") or []
    variants = list(dict.fromkeys(o["words"] for o in occ))
    if len(variants) != 2:
        return []
    whole = a.document.normalized()

    def weight(v: str) -> tuple[int, int]:
        own = any(o["words"] == v and o["clause"] in ("signatures", "preamble") for o in occ)
        return (len(re.findall(rf"(?<![\w-]){re.escape(v)}(?![\w-])", whole)), int(own))
    keep, drop = sorted(variants, key=weight, reverse=True)
    out = []
    for clause in dict.fromkeys(o["clause"] for o in occ if o["words"] == drop):
        text = a.document.normalized(clause)
        for m in re.finditer(rf"(?<![\w-]){re.escape(drop)}(?![\w-])", text):
            a0, b0 = _widen(text, m.start(), m.end())
            out.append(Redline(clause, text[a0:b0], text[a0:m.start()] + keep + text[m.end():b0]))
    return out


def _reused_term(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A defined term reused for another document: written in lower case there, it no longer reads as the term."""
    occ = ((f.get("evidence") or {}).get("occurrences") or [{}])[0]
    clause, words = occ.get("clause", ""), normalize(occ.get("words", ""))
    text = a.document.normalized(clause) if clause in a.document.by_id else ""
    term = next((d.term for d in definitions(a.document) if words.startswith(d.term)), None)
    if not term or not _once(text, words):
        return []
    return [Redline(clause, words, term.lower() + words[len(term):])]


def _catch_all(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A catch-all naming a document the agreement never defines: the defined term with the same head word."""
    m = re.match(r'"([^"]+)"', f["title"])
    clause = f["sections"][0]
    if not m or clause not in a.document.by_id:
        return []
    wrong = m.group(1)
    head = wrong.split(" ")[-1].rstrip("s")
    term = next((d.term for d in definitions(a.document) if d.term.rstrip("s") == head), None)
    text = a.document.normalized(clause)
    old = f"the {wrong}"
    if not term or not _once(text, old):
        return []
    return [Redline(clause, old, f"the {term}")]


def _unused(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A definition no words use: its label is deleted."""
    occ = ((f.get("evidence") or {}).get("occurrences") or [{}])[0]
    clause = occ.get("clause", f["sections"][0])
    m = re.match(r'"([^"]+)"', f["title"])
    if not m or clause not in a.document.by_id:
        return []
    text = a.document.normalized(clause)
    lab = re.search(rf' \((?:the )?"{re.escape(m.group(1))}"\)', text)
    if not lab:
        return []
    a0, b0 = _widen(text, max(0, lab.start() - 12), lab.end())
    a0 = text.rfind(" ", 0, a0) + 1 if a0 > 0 else 0
    return [Redline(clause, text[a0:b0], text[a0:lab.start()] + text[lab.end():b0])]


def _borrowed(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A term the agreement defines, also said to be "(as defined in ...)" another document: the pointer goes."""
    out = []
    for occ in (f.get("evidence") or {}).get("occurrences") or []:
        clause, words = occ["clause"], normalize(occ["words"])
        m = re.match(r"(?P<t>.+?) \(as defined in [^)]+\)$", words)
        text = a.document.normalized(clause) if clause in a.document.by_id else ""
        if m and _once(text, words) and not clause.startswith("recital"):
            out.append(Redline(clause, words, m.group("t")))
    return out


def _long_form(a: Agreement, f: dict[str, Any]) -> list[Redline]:
    """A name written out although the text defines a short form: the short form."""
    ev = f.get("evidence") or {}
    short = ev.get("defined_term")
    out = []
    for occ in ev.get("occurrences") or []:
        clause, words = occ["clause"], normalize(occ["words"])
        text = a.document.normalized(clause)
        if not short or words not in text:
            continue
        at = text.find(words)
        lead = "the " if text[max(0, at - 4):at] == "the " else ""
        a0, b0 = _widen(text, at - len(lead), at + len(words))
        out.append(Redline(clause, text[a0:b0], text[a0:at - len(lead)] + lead + short + text[at + len(words):b0]))
    return out


FIXES: dict[str, Fix] = {
    "unbalanced-parentheses": _parentheses,
    "inconsistent-name": _name,
    "term-names-another-document": _reused_term,
    "undefined-term": _catch_all,
    "unused-term": _unused,
    "defined-and-borrowed": _borrowed,
    "long-form": _long_form,
}


def _meaning(agreement: Agreement, r: Redline) -> Redline:
    """The fix with what its new words mean: an element whose words lay wholly in the replaced words and are gone
    from the new ones no longer exists (a cross-reference deleted with its words); every other keeps its meaning."""
    said: dict[str, dict[str, Any] | None] = {"*": {}}
    for e in agreement.model.elements():
        q = normalize(e.quote) if e.quote else ""
        if e.clause == r.clause and q and q in r.replace and q not in r.with_:
            said[e.id] = None
    return Redline(r.clause, r.replace, r.with_, r.count, said)


def fixes(agreement: Agreement, findings: list[dict[str, Any]]) -> list[Redline]:
    """The one-line fixes for the drafting findings of one appendix item, each once (the unused definition of a
    misspelt name is fixed by the spelling)."""
    out: list[Redline] = []
    kinds = {f["id"].split(".")[1] for f in findings}
    for f in findings:
        kind = f["id"].split(".")[1]
        if kind == "unused-term" and "inconsistent-name" in kinds:
            continue
        fix = FIXES.get(kind)
        for r in (fix(agreement, f) if fix else []):
            r = _meaning(agreement, r)
            if r not in out and r.replace != r.with_:
                out.append(r)
    return out
