"""Checking the memo's redlines: apply, read back, analyse again.

For each entry with a suggested redline, the redline is applied to the text, the result is parsed strictly and
bound as a draft (rra.solver.redline), and the detectors that found the entry are run again on it: the entry is
"checked" when they no longer find it and nothing new appears, "problem remains" (with what remains) when they do,
"not checked" (with the reason) when the redline cannot be applied or the detectors cannot run on the new words.
Then every redline of the memo is applied together, once, and the analyses (drafting review, Z3 checks,
provisions review, proofs) run on the combined text: an entry that appears there and not in the original is new,
and is attributed to the entries whose redlines touch its clauses ("new problems"). The consent analysis is not
re-run on the combined text (it is the slowest and the voting entries' own detectors are re-run per entry); the
memo says so.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

from rra.solver import provisions
from rra.solver.memo import Issue, Redline, RedlineCheck, Severity
from rra.solver.memo_build import Memo, build, with_checks
from rra.solver.redline import RedlineError, redlined
from rra.spec.agreement import Agreement

from rra.errors import ParseError

COMBINED_ONLY = "checked only on the fully redlined text"
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}

# What is re-run on the combined redlined text (the consent analysis is left out: see the module docstring).
COMBINED = ("draft", "text", "z3", "provisions", "proofs")


def _run_combined(agreement: Agreement) -> list[dict[str, Any]]:
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext

    ctx = CheckContext(agreement)
    out: list[dict[str, Any]] = []
    for name in COMBINED:
        if name == "z3":
            for kind in ("impossibility", "conflict", "remedy", "reading", "example"):
                out += [f.to_json() for f in provisions.z3_findings(agreement, kind)]
            continue
        out += [f.to_json() for f in ANALYSES[name](ctx).findings]
    return out


def _combined_job(agreement: Agreement, redlines: Sequence[Redline]) -> tuple[list[tuple[int, str]], list[dict[str, Any]],
                                                                               list[str], Any]:
    """All redlines applied together, read back and analysed: (skipped redlines by index, findings, elements the
    binding found changed, the redlined agreement); a text that cannot be parsed gives (None, [], [], error)."""
    try:
        combined, done = redlined(agreement, redlines, strict=False, name="all redlines")
    except ParseError as exc:
        return [], [], [], str(exc)
    where = {id(r): k for k, r in enumerate(redlines)}
    skipped = [(where[id(r)], why) for r, why in done.skipped]
    return skipped, _run_combined(combined), sorted(combined.model.changed), combined


def _own_check(agreement: Agreement, issue: Issue) -> tuple[RedlineCheck, str]:
    """Re-run the entry's own detectors on the text with its redlines applied."""
    kinds = sorted({provisions.kind_of(f) for f in issue.primary if f.startswith("provisions.")})
    if not kinds:
        return RedlineCheck.NOT_CHECKED, COMBINED_ONLY
    try:
        draft, _ = redlined(agreement, issue.redlines, strict=True, name=f"redline of {issue.id}")
    except (RedlineError, ParseError) as exc:
        return RedlineCheck.NOT_CHECKED, f"the redline could not be applied: {exc}"
    out = provisions.run(draft, kinds)
    if out.withheld:
        w = out.withheld[0]
        return (RedlineCheck.NOT_CHECKED,
                f"the new words change what the check rests on ({w.element}{f', {w.clause}' if w.clause else ''}), so it "
                "cannot run on the redlined text")
    left = [f for f in out.findings if f.id in issue.primary or (
        f.evidence.get("memo", {}).get("severity") == str(issue.severity)
        and set(f.sections) & set(issue.sections) and provisions.kind_of(f.id) in kinds)]
    if left:
        return RedlineCheck.REMAINS, "still found on the redlined text: " + "; ".join(f.title for f in left[:2])
    return RedlineCheck.CHECKED, "the problem no longer arises"


FOUND = {"z3": "Z3 checks", "proof": "proofs", "text": "text review", "consent": "consent analysis",
         "exposure": "exposure optimizer", "draft": "draft reading"}


def check(agreement: Agreement, memo: Memo, findings: list[dict[str, Any]],
          progress: Callable[[str], None] | None = None) -> Memo:
    """The memo with every redline checked (its own detectors on its own redlined text, and all redlines together
    on one combined text)."""
    results: dict[str, tuple[RedlineCheck, str]] = {}
    notes: list[str] = []
    rank = {id(i): n for n, i in enumerate(memo.issues)}
    # the widest rewrites first, so that a small edit inside words another entry rewrites is the one skipped
    everything = [r for i in sorted(memo.issues, key=lambda i: (SEVERITY_RANK[i.severity], -max(
        (len(r.replace) for r in i.redlines), default=0), rank[id(i)])) for r in i.redlines]
    owner = {id(r): i for i in memo.issues for r in i.redlines}
    pool = None
    pending = None
    if (os.cpu_count() or 1) > 1 and not os.environ.get("RRA_SERIAL"):
        # the combined run shares nothing with the per-entry checks: on a spare core it runs beside them
        pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        pending = pool.submit(_combined_job, agreement, everything)
    try:
        for issue in memo.issues:
            if not issue.redlines:
                results[issue.id] = (RedlineCheck.NOT_CHECKED, issue.redline_note or "no redline suggested")
                continue
            if progress:
                progress(issue.id)
            results[issue.id] = _own_check(agreement, issue)
        if progress:
            progress("all redlines")
        skipped, found, changed, combined = (pending.result() if pending is not None
                                             else _combined_job(agreement, everything))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if isinstance(combined, str):
        notes.append(f"The redlines together do not give a readable text ({combined}); nothing new could be looked for.")
        return with_checks(memo, {k: (RedlineCheck.NOT_CHECKED if v[0] == RedlineCheck.CHECKED else v[0],
                                      v[1] + "; not checked together with the other redlines") for k, v in results.items()},
                           notes)
    status = {k: v[0] for k, v in results.items()}
    parts: dict[str, list[str]] = {k: [v[1]] for k, v in results.items()}
    combined_only = {k for k, v in results.items() if v[1] == COMBINED_ONLY}
    for k, _why in skipped:
        r = everything[k]
        parts[owner[id(r)].id].append(f"with all redlines applied its words \"{r.replace[:40]}...\" were already "
                                      "rewritten by another entry's redline")
    after = build(combined, found)
    before = {i.id for i in memo.issues}
    seen = {f for i in memo.issues for f in i.findings} | {f for f, _ in memo.dropped}
    new = [i for i in after.issues if i.id not in before and i.severity != Severity.LOW and not set(i.findings) <= seen]
    after_ids = {f["id"] for f in found}
    originals = {f["id"]: f["title"] for f in findings}
    for i in memo.issues:
        if not i.redlines:
            continue
        if i.id in combined_only:
            rerun = {"text", "z3", "provisions", "proof", "draft"}
            if not all(f.split(".", 1)[0] in rerun for f in i.primary):
                status[i.id] = RedlineCheck.NOT_CHECKED
                parts[i.id] = ["the analysis that found it is not re-run on the redlined text"] + parts[i.id][1:]
                continue
            left = [f for f in i.primary if f in after_ids]
            status[i.id] = RedlineCheck.REMAINS if left else RedlineCheck.CHECKED
            parts[i.id] = ["still found on the fully redlined text" if left else
                           "checked on the fully redlined text: the problem no longer arises"] + parts[i.id][1:]
        # findings of other analyses the entry explained and that the redlined text still produces (a deadline for an
        # SEC-controlled event is one only while its window is unrealistic, which the entry's own detector decides)
        kept = [f for f in found if f["id"] in set(i.findings) - set(i.primary) and originals.get(f["id"]) == f["title"]
                and not f["id"].startswith("z3.impossible.")]
        if kept and status[i.id] == RedlineCheck.CHECKED:
            parts[i.id].append(f"still reported by the {FOUND.get(kept[0]['id'].split('.')[0], 'analyses')}: \""
                               + kept[0]["title"] + "\" (that check reads the model's elements, not the new words)")
    for n in new:
        touched = [i for i in memo.issues if i.redlines and {r.clause for r in i.redlines} & set(n.sections)]
        if not touched:
            notes.append(f"With all redlines applied a new point appears that no single redline explains: {n.title}")
        for i in touched:
            status[i.id] = RedlineCheck.NEW
            parts[i.id].append(f"with all redlines applied a new point appears: {n.title}")
    for i in memo.issues:
        if i.redlines and status[i.id] == RedlineCheck.CHECKED:
            parts[i.id].append("nothing new appears")
    results = {k: (status[k], "; ".join(parts[k])) for k in status}
    withheld = changed
    if withheld:
        notes.append("On the fully redlined text the model could not read the new words of "
                     + ", ".join(withheld) + "; the checks resting on them were not run there.")
    notes.append("The consent analysis (who can block what) is not re-run on the redlined text; the voting entries' "
                 "own checks are.")
    return with_checks(memo, results, notes)


def review_memo(agreement: Agreement, findings: list[dict[str, Any]], check_redlines: bool = True,
                progress: Callable[[str], None] | None = None) -> Memo:
    """The memo for an agreement's findings (as `rra check --json` lists them), its redlines checked unless
    `check_redlines` is False (then each entry says so)."""
    memo = build(agreement, findings)
    if not check_redlines:
        return with_checks(memo, {i.id: (RedlineCheck.NOT_CHECKED, "redline checks were not asked for")
                                  for i in memo.issues if i.redlines})
    if not any(i.redlines for i in memo.issues):
        return memo
    return check(agreement, memo, findings, progress)
