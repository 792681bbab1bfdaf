"""The Problems part of `rra diff`: review-memo entries resolved, new, and changed in severity.

Both texts' findings are grouped by the review memo (rra.solver.memo_build.build), so one problem is one entry on
each side. Entries are matched, in this order:

1. by id: an entry's id names its kind and the clauses it is about, so the same problem has the same id;
2. by id in the new numbering: the clause ids inside the old entry's id are put through the clause matching of the
   Words part (a clause moved or renumbered: "2(e)" that became "2(d)"), and the result compared with the new ids;
3. by clause and title: an old and a new entry of the same area and kind whose clauses overlap (in the new
   numbering) and whose titles, with clause ids and numbers masked, are at least `TITLE_SCORE` similar (rapidfuzz
   token-sort ratio), best pair first.

An old entry left unmatched is *resolved*, unless an analysis that found it was withheld on the new text for one
of its clauses (the draft changed words it rests on): then it is *withheld*, since the tool cannot tell. An
unmatched new entry is *new*, or *withheld* when the old text withheld the analysis that would have found it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rra.solver.memo import Issue, Severity
from rra.spec.textdiff import WordsDiff

TITLE_SCORE = 80.0
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
# a clause id inside an entry's id or title: 2, 2(c), 1(a)(iv), recital(A)
_CLAUSE = re.compile(r"(?<![\w)])(\d{1,2}(?:\([a-z]\))?(?:\([ivxl]+\))?|recital\([A-Z]\))(?![\w(])")
_NUMBER = re.compile(r"\$?[\d][\d,.]*")
# which analysis a finding id comes from, as `rra check --json` names it in "withheld"
_ANALYSIS = {"proof": "proofs"}


@dataclass(frozen=True)
class ProblemChange:
    """One entry that changed: status new | resolved | severity | withheld (the tool cannot tell)."""

    status: str
    old: Issue | None
    new: Issue | None
    matched_by: str | None = None  # id | renumbered id | clause and title (for a severity change)
    reason: str = ""  # for withheld: what was withheld, and why

    @property
    def issue(self) -> Issue:
        """The entry as the newer text has it (the old one when resolved)."""
        out = self.new or self.old
        assert out is not None
        return out


@dataclass(frozen=True)
class ProblemsDiff:
    """Every changed entry (new, resolved, severity changed, withheld), and how many entries are the same."""

    changes: tuple[ProblemChange, ...]
    unchanged: int
    matched: Mapping[str, tuple[str, str]]  # old id -> (new id, how matched)

    def of(self, status: str) -> list[ProblemChange]:
        """The changes with one status."""
        return [c for c in self.changes if c.status == status]

    @property
    def new_high(self) -> list[ProblemChange]:
        """New high-severity problems, and problems raised to high (what makes `rra diff` exit 1)."""
        return [c for c in self.changes if c.new is not None and c.new.severity == Severity.HIGH
                and (c.status == "new" or (c.status == "severity" and c.old is not None
                                           and c.old.severity != Severity.HIGH))]


def translate_id(issue_id: str, renumbered: Mapping[str, str]) -> str:
    """An entry id with the clause ids in it put in the new numbering."""
    return _CLAUSE.sub(lambda m: renumbered.get(m.group(1), m.group(1)), issue_id)


def _masked(title: str) -> str:
    return _NUMBER.sub("#", _CLAUSE.sub("§", title)).lower()


def _kind(issue_id: str) -> str:
    parts = issue_id.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def match_issues(old: Sequence[Issue], new: Sequence[Issue], words: WordsDiff) -> dict[str, tuple[str, str]]:
    """Old entry id -> (new entry id, how matched), as the module docstring says."""
    renumbered = {o: n for o, n in words.mapping.items() if o != n}
    free = {i.id: i for i in new}
    out: dict[str, tuple[str, str]] = {}
    for i in old:
        if i.id in free:
            out[i.id] = (i.id, "id")
            del free[i.id]
    for i in old:
        if i.id in out:
            continue
        t = translate_id(i.id, renumbered)
        if t != i.id and t in free:
            out[i.id] = (t, "renumbered id")
            del free[t]
    cands = []
    for i in old:
        if i.id in out:
            continue
        secs = {words.mapping.get(c, c) for c in i.sections}
        for j in free.values():
            if i.area != j.area or _kind(i.id) != _kind(j.id) or not secs & set(j.sections):
                continue
            score = fuzz.token_sort_ratio(_masked(i.title), _masked(j.title))
            if score >= TITLE_SCORE:
                cands.append((-score, i.id, j.id))
    for _, oid, nid in sorted(cands):
        if oid in out or nid not in free:
            continue
        out[oid] = (nid, "clause and title")
        del free[nid]
    return out


def _withheld_reason(issue: Issue, withheld: Sequence[Mapping[str, Any]], clauses: set[str]) -> str | None:
    """Why an analysis that found the entry could not run on the other text for one of its clauses (None if none)."""
    analyses = {_ANALYSIS.get(f.split(".", 1)[0], f.split(".", 1)[0]) for f in issue.findings}
    for w in withheld:
        if w["analysis"] in analyses and (w.get("clause") is None or w["clause"] in clauses):
            return f"{w['what']} ({w['clause']}): {w['reason']}" if w.get("clause") else f"{w['what']}: {w['reason']}"
    return None


def compare_problems(old: Sequence[Issue], new: Sequence[Issue], words: WordsDiff,
                     old_withheld: Sequence[Mapping[str, Any]], new_withheld: Sequence[Mapping[str, Any]]) -> ProblemsDiff:
    """The memo entries that a redraft resolves, creates or changes in severity."""
    matched = match_issues(old, new, words)
    back = {n: o for o, (n, _) in matched.items()}
    by_new = {i.id: i for i in new}
    inverse = {n: o for o, n in words.mapping.items()}
    changes: list[ProblemChange] = []
    unchanged = 0
    for i in old:
        if i.id in matched:
            nid, how = matched[i.id]
            j = by_new[nid]
            if j.severity != i.severity:
                changes.append(ProblemChange("severity", i, j, how))
            else:
                unchanged += 1
            continue
        clauses = set(i.sections) | {words.mapping.get(c, c) for c in i.sections}
        why = _withheld_reason(i, new_withheld, clauses)
        changes.append(ProblemChange("withheld", i, None, reason=f"on the new text: {why}") if why else
                       ProblemChange("resolved", i, None))
    for j in new:
        if j.id in back:
            continue
        clauses = set(j.sections) | {inverse.get(c, c) for c in j.sections}
        why = _withheld_reason(j, old_withheld, clauses)
        changes.append(ProblemChange("withheld", None, j, reason=f"on the old text: {why}") if why else
                       ProblemChange("new", None, j))
    order = {"new": 0, "severity": 1, "resolved": 2, "withheld": 3}
    changes.sort(key=lambda c: (order[c.status], SEVERITY_RANK[c.issue.severity], c.issue.area.appendix, c.issue.id))
    return ProblemsDiff(tuple(changes), unchanged, matched)


__all__ = ["ProblemChange", "ProblemsDiff", "compare_problems", "match_issues", "translate_id"]
