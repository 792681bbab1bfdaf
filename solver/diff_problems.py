"""The Problems part of `rra diff`: review-memo entries resolved, new, and changed in severity.

Both texts' findings are grouped by the review memo (rra.solver.memo_build.build), so one problem is one entry on
each side. Entries are matched, in this order:

1. by id: an entry's id names its kind and the clauses it is about, so the same problem has the same id;
2. by id in the new numbering: the clause ids inside the old entry's id are put through the clause matching of the
   Words part (a clause moved or renumbered: "2(e)" that became "2(d)"), and the result compared with the new ids;
3. by clause and title: an old and a new entry of the same area and kind whose clauses overlap (in the new
   numbering) and whose titles, with clause ids and numbers masked, are at least `TITLE_SCORE` similar (rapidfuzz
   token-sort ratio), best pair first;
4. by the same findings: an old and a new entry that group some of the same findings (in the new numbering), pairs
   of the same kind first, then the pair with the most in common.

An old entry left unmatched is *resolved*, unless a check that finds it could not run on the new text (the draft
changed words it rests on: a provisions detector of its kind, its invariant, or another analysis for one of its
clauses was withheld): then it is *withheld*, since the tool cannot tell. An unmatched new entry is *new*, or
*withheld* when the old text withheld the check that would have found it. An entry left unmatched whose detecting
findings the other text still has, grouped in another entry (two problems the memo now folds into one entry with
the same cure, or splits), is *regrouped*: the same problem, not resolved and not new. A matched pair of the same
severity whose detecting findings differ (the problem is now also found in another clause, or no longer in one)
is *changed*, with where; so is one found at the same places whose title now reads otherwise (its numbers or dates
moved), with its old title. A matched pair whose severity differs is a severity change, or
*withheld* when the check that set the severity could not run on one of the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rra.solver.memo import Issue, Severity
from rra.spec.textdiff import WordsDiff

TITLE_SCORE = 80.0
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
# a clause id inside an entry's id or title: 2, 2(c), 1(a)(iv), recital(A)
_CLAUSE = re.compile(r"(?<![\w)])(\d{1,2}(?:\([a-z]\))?(?:\([ivxl]+\))?|recital\([A-Z]\))(?![\w(])")
# the places a finding id names: clause ids and the parts outside the numbered Sections
_PLACE = re.compile(r"(?<![\w)])(\d{1,2}(?:\([a-z]\))?(?:\([ivxl]+\))?|recital\([A-Z]\)|preamble|consideration"
                    r"|signatures(?:#\d+)?)(?![\w(])")
_NUMBER = re.compile(r"\$?[\d][\d,.]*")
# which analysis a finding id comes from, as `rra check --json` names it in "withheld"
_ANALYSIS = {"proof": "proofs"}


@dataclass(frozen=True)
class ProblemChange:
    """One entry that changed: status new | resolved | severity | changed (same severity, found at more or fewer
    places: `reason` says where) | withheld (the tool cannot tell)."""

    status: str
    old: Issue | None
    new: Issue | None
    matched_by: str | None = None  # id | renumbered id | clause and title | same findings (for a matched pair)
    reason: str = ""  # for withheld: what was withheld, and why; for changed: where it is now (no longer) found
    more: tuple[str, ...] = ()  # for changed: the detecting findings only the new text has
    fewer: tuple[str, ...] = ()  # for changed: the detecting findings only the old text has

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
    regrouped: Mapping[str, str] = field(default_factory=dict)  # unmatched entry id -> the entry with its findings

    def of(self, status: str) -> list[ProblemChange]:
        """The changes with one status."""
        return [c for c in self.changes if c.status == status]

    @property
    def new_high(self) -> list[ProblemChange]:
        """New high-severity problems, problems raised to high, and high problems now also found in another clause
        (a new defect the memo groups with an old one of the same cure): what makes `rra diff` exit 1."""
        return [c for c in self.changes if c.new is not None and c.new.severity == Severity.HIGH
                and (c.status == "new" or (c.status == "changed" and bool(c.more))
                     or (c.status == "severity" and c.old is not None and c.old.severity != Severity.HIGH))]


def translate_id(issue_id: str, renumbered: Mapping[str, str]) -> str:
    """An entry id with the clause ids in it put in the new numbering."""
    return _CLAUSE.sub(lambda m: renumbered.get(m.group(1), m.group(1)), issue_id)


def _masked(title: str) -> str:
    return _NUMBER.sub("#", _CLAUSE.sub("§", title)).lower()


def _kind(issue_id: str) -> str:
    parts = issue_id.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _translated(issue: Issue, renumbered: Mapping[str, str]) -> set[str]:
    return {translate_id(f, renumbered) for f in issue.findings}


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
    shared = []
    for i in old:
        if i.id in out:
            continue
        mine = _translated(i, renumbered)
        for j in free.values():
            common = mine & set(j.findings)
            if common:
                shared.append((_kind(i.id) != _kind(j.id), -len(common), i.id, j.id))
    for _, _, oid, nid in sorted(shared):
        if oid in out or nid not in free:
            continue
        out[oid] = (nid, "same findings")
        del free[nid]
    return out


def _hits(finding: str, withheld: Sequence[Mapping[str, Any]], clauses: set[str]) -> list[Mapping[str, Any]]:
    """The withholdings that stopped the check that makes a finding: a provisions detector by its kind, an
    invariant by its id, any other analysis by a clause of the entry (or the whole analysis)."""
    analysis, _, rest = finding.partition(".")
    if analysis == "provisions":
        return [w for w in withheld if w["analysis"] == "provisions" and w["what"] == rest.split(".")[0]]
    if analysis == "proof":
        return [w for w in withheld if w["analysis"] == "proofs" and w["what"] == rest]
    return [w for w in withheld if w["analysis"] == _ANALYSIS.get(analysis, analysis)
            and (w.get("clause") is None or w["clause"] in clauses)]


def _withheld_reason(issue: Issue, withheld: Sequence[Mapping[str, Any]], clauses: set[str]) -> str | None:
    """Why a check that finds the entry could not run on the other text (None if every one ran)."""
    for f in (*issue.primary, *issue.findings):
        hits = _hits(f, withheld, clauses)
        if hits:
            w = hits[0]
            return f"a check that finds it rests on words of {w['clause']} that the text changed ({w['reason']})" \
                if w.get("clause") else f"a check that finds it could not run ({w['reason']})"
    return None


def _places(findings: Iterable[str]) -> list[str]:
    """The clauses (and parts: preamble, signatures...) that finding ids name, in order of appearance."""
    return list(dict.fromkeys(c for f in findings for c in _PLACE.findall(f)))


def _moved(gained: Sequence[str], had: set[str]) -> tuple[list[str], tuple[str, ...]]:
    """The places of `gained` findings that are not among `had`, and the findings that name them."""
    places = [c for c in _places(gained) if c not in had]
    return places, tuple(f for f in gained if set(_PLACE.findall(f)) & set(places))


def _said(title: str, renumbered: Mapping[str, str]) -> str:
    """An entry's title as compared across texts: its clause ids in the new numbering, its whitespace normalised."""
    return " ".join(_CLAUSE.sub(lambda m: renumbered.get(m.group(1), m.group(1)), title).split())


def _scope(more: Sequence[str], fewer: Sequence[str]) -> str:
    """How the places a problem is found at changed ("now also found in 3(a)"), from those places."""
    parts = ([f"now also found in {', '.join(more)}"] if more else []) + (
        [f"no longer found in {', '.join(fewer)}"] if fewer else [])
    return "; ".join(parts)


def compare_problems(old: Sequence[Issue], new: Sequence[Issue], words: WordsDiff,
                     old_withheld: Sequence[Mapping[str, Any]], new_withheld: Sequence[Mapping[str, Any]]) -> ProblemsDiff:
    """The memo entries that a redraft resolves, creates or changes in severity."""
    matched = match_issues(old, new, words)
    back = {n: o for o, (n, _) in matched.items()}
    by_new = {i.id: i for i in new}
    inverse = {n: o for o, n in words.mapping.items()}
    renumbered = {o: n for o, n in words.mapping.items() if o != n}
    old_has = {f: i.id for i in old for f in _translated(i, renumbered)}
    new_has = {f: j.id for j in new for f in j.findings}
    changes: list[ProblemChange] = []
    regrouped: dict[str, str] = {}
    unchanged = 0

    def new_clauses(i: Issue) -> set[str]:
        return set(i.sections) | {words.mapping.get(c, c) for c in i.sections}

    def old_clauses(j: Issue) -> set[str]:
        return set(j.sections) | {inverse.get(c, c) for c in j.sections}

    def detecting(i: Issue, renumber: bool) -> set[str]:
        fs = set(i.primary or i.findings)
        return {translate_id(f, renumbered) for f in fs} if renumber else fs

    for i in old:
        if i.id in matched:
            nid, how = matched[i.id]
            j = by_new[nid]
            if j.severity == i.severity:
                # found at a place (clause) where the old text's entry was not, or no longer at one: a finding
                # that only changed its id, or a new check at the same places, is the same problem
                was, now = detecting(i, True), detecting(j, False)
                more, more_f = _moved(sorted(now - set(old_has)), set(_places(was)))
                fewer, fewer_f = _moved(sorted(was - set(new_has)), set(_places(now)))
                why = _withheld_reason(i, new_withheld, new_clauses(i)) if fewer and not more else None
                if why:  # not found there because a check that finds it could not read the new words: cannot tell
                    changes.append(ProblemChange("withheld", i, j, how, f"on the new text, {why}"))
                elif more or fewer:
                    changes.append(ProblemChange("changed", i, j, how, _scope(more, fewer), more_f, fewer_f))
                elif _said(i.title, renumbered) != _said(j.title, {}):
                    # the same problem at the same places, now stated otherwise (its numbers, its dates): a reader
                    # relying on "the same" would miss that the entry's substance moved
                    changes.append(ProblemChange("changed", i, j, how, f"it read \"{i.title}\""))
                else:
                    unchanged += 1
                continue
            why = _withheld_reason(i, new_withheld, new_clauses(i))
            why_old = None if why else _withheld_reason(j, old_withheld, old_clauses(j))
            if why or why_old:
                changes.append(ProblemChange("withheld", i, j, how, f"on the {'new' if why else 'old'} text, "
                                                                    f"{why or why_old}"))
            else:
                changes.append(ProblemChange("severity", i, j, how))
            continue
        mine = detecting(i, True)
        if mine and mine <= set(new_has):
            regrouped[i.id] = new_has[sorted(mine)[0]]
            unchanged += 1
            continue
        why = _withheld_reason(i, new_withheld, new_clauses(i))
        changes.append(ProblemChange("withheld", i, None, reason=f"on the new text, {why}") if why else
                       ProblemChange("resolved", i, None))
    for j in new:
        if j.id in back:
            continue
        theirs = detecting(j, False)
        if theirs and theirs <= set(old_has):
            regrouped[j.id] = old_has[sorted(theirs)[0]]
            unchanged += 1
            continue
        why = _withheld_reason(j, old_withheld, old_clauses(j))
        changes.append(ProblemChange("withheld", None, j, reason=f"on the old text, {why}") if why else
                       ProblemChange("new", None, j))
    order = {"new": 0, "severity": 1, "changed": 2, "resolved": 3, "withheld": 4}
    changes.sort(key=lambda c: (order[c.status], SEVERITY_RANK[c.issue.severity], c.issue.area.appendix, c.issue.id))
    return ProblemsDiff(tuple(changes), unchanged, matched, regrouped)


__all__ = ["ProblemChange", "ProblemsDiff", "compare_problems", "match_issues", "translate_id"]
