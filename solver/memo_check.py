"""Checking the memo's redlines: apply, read back, analyse again, and say honestly what that showed.

An entry's redline is "checked" only when (a) its new words read properly in the redlined text (every
cross-reference resolves to what it means to cite, no "hereof" cut off from its section, no term no one defines,
no new term no one uses: rra.solver.redline_lint), (b) every finding the entry groups is silent on the redlined
text, and (c) the tool's checks find nothing new with all the memo's redlines applied together. Otherwise the entry says which,
in plain words: "new problems" (its words are broken, or a new point appears), "problem remains" (a check still
finds it), or "not checked" (a check it rests on cannot read the new words, or the redline cannot be applied).

Per entry, only the analyses involved are re-run on the text with its redlines (and the redlines of the entries
it relies on, or whose defined terms it uses): the detectors that found it (provisions review) and, for a voting
entry, the consent analysis. Once, all the redlines are applied together and every analysis that reads words
(drafting review, Z3 checks, provisions review, proofs, consent analysis) runs on the combined text (with a spare
core, in two halves, one in each process, before the per-entry checks, which the two processes then share:
rra.workers.Shares): the findings other analyses contributed to an entry are looked up there, the combined markup is
linted as one text, and a point that appears there and not in the original is new.

Technical particulars (finding ids, element ids, analysis names) go to each entry's `detail["redline_check"]` and
the memo's technical notes (--verbose, --json), never into the readable words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rra.solver import provisions
from rra.solver.memo import NO_LONGER_FOUND, NOTHING_NEW, Issue, Redline, RedlineCheck, Severity
from rra.solver.memo_build import Memo, build, change_spans, entry_labels, with_checks
from rra.solver.redline import RedlineError, redlined
from rra.solver.redline_lint import lint, narrowed
from rra.spec.agreement import Agreement

from rra.errors import ParseError
from rra.output import listed
from rra.workers import Background, Shares, may_fork

Entry = tuple[Issue, list[tuple[Issue, Redline]]]  # an entry with redlines, and the redlines its check applies with them

SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}

# What is re-run on the combined redlined text (everything that reads the words; the exposure optimum is not a
# finding any entry rests on being silent), in the order its findings are listed; "z3:KIND" is one kind of the Z3
# checks (provisions.Z3_PREFIX).
COMBINED = ("draft", "text", *(f"z3:{k}" for k in provisions.Z3_PREFIX), "provisions", "proofs", "consent")
# The parts of the combined run made beside the per-entry checks by the other process, the rest here: in `rra check`
# that process ran the proofs, the consent analysis and the Z3 checks of Z3_APART, and remembers Z3's answers to
# them; this one ran the other Z3 checks, the provisions review and the drafting review. Measured: one process making
# the whole combined run was the last to finish, with the other idle.
BESIDE = ("z3:remedy", "proofs", "consent")

# The checks other analyses contribute to entries, named for a reader (by finding id prefix).
CHECK_NAMES = {"z3.remedy.": "the check of which breaches Section 2(c) pays for",
               "z3.impossible.": "the check of deadlines that cannot be met",
               "z3.conflict.": "the comparison of the deadlines of one event",
               "z3.reading.": "the comparison of the readings of the payment",
               "z3.example.": "the check of the worked example",
               "z3.core.": "the search for conflicting deadlines",
               "proof.": "the search for dated counter-examples",
               "text.": "the drafting review",
               "consent.": "the analysis of who can block what"}
# what the readable memo says when a redline's new words are beyond the checks that read the terms, not the words
UNREAD = "the new words are beyond what the automatic checks can read"
UNREAD_WORDS = f"{UNREAD}; read the redline to confirm it"
# analyses that read the agreement's terms as formalised, not its words: a redline whose new words they cannot
# express leaves them reporting what the words no longer say
FORMAL = ("z3.", "proof.")
# findings whose weight the entry's own detector decides (a deadline for an event the SEC controls is a defect only
# while its window is shorter than any review; a solver's conflicting set is an intermediate result): they are
# judged by re-running that detector, not by their own persistence; the worst-case exposure is a figure, not a defect
# (the combined run does not recompute it; what a redline leaves uncapped is said on the entry's check line)
JUDGED = ("z3.impossible.", "z3.core.", "z3.redraft", "z3.consistency.", "exposure.")


@dataclass
class Result:
    """What re-running the analyses on an entry's redlined text showed: a status, the plain words, the particulars."""

    status: RedlineCheck
    words: list[str] = field(default_factory=list)
    tech: dict[str, Any] = field(default_factory=dict)
    together: str = ""  # the entries whose redlines it was checked with: said only when it ends up checked

    def worse(self, status: RedlineCheck, words: str) -> None:
        """Record a finding; the status is the worst seen (new problems, problem remains, not checked, checked)."""
        rank = [RedlineCheck.CHECKED, RedlineCheck.NOT_CHECKED, RedlineCheck.REMAINS, RedlineCheck.NEW]
        if rank.index(status) > rank.index(self.status):
            self.status = status
        if self.words == [NO_LONGER_FOUND]:
            self.words = []
        self.words.append(words)


def _check_name(fid: str) -> str:
    return next((v for k, v in CHECK_NAMES.items() if fid.startswith(k)), "another check")


def _lower(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s


# ------------------------------------------------------------------------------------------ the combined run

def _run_combined(agreement: Agreement, parts: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The findings of these parts of the combined run (COMBINED) on the redlined text, by part."""
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext

    ctx = CheckContext(agreement)
    kinds = [p.removeprefix("z3:") for p in parts if p.startswith("z3:")]
    if kinds:
        provisions.z3_kinds(agreement, kinds)  # the Z3 checks of these kinds in the runs the analysis made of them
    return {name: [f.to_json() for f in (provisions.z3_findings(agreement, name.removeprefix("z3:"))
                                         if name.startswith("z3:") else ANALYSES[name](ctx).findings)]
            for name in parts}


@dataclass
class Combined:
    """All redlines applied together: which could not be (index, why), the findings, the elements whose new words
    could not be read, the redlined agreement (or why the text could not be read), and its lint."""

    skipped: list[tuple[int, str]]
    found: dict[str, list[dict[str, Any]]]  # by part of the combined run (COMBINED)
    changed: list[str]
    agreement: Agreement | None
    error: str = ""
    lints: list[tuple[int, str]] = field(default_factory=list)  # (redline index, problem)
    narrow: list[tuple[int, int, str]] = field(default_factory=list)  # (narrowing index, widening index, class)


def _beside_then_entries(agreement: Agreement, redlines: Sequence[Redline], entries: list[Entry],
                         labels: dict[str, str], parts: Sequence[str] = BESIDE
                         ) -> tuple[dict[str, list[dict[str, Any]]], dict[int, Result]]:
    """In the other process: these parts of the combined run, then the per-entry checks the parent has not taken yet
    (from the last)."""
    try:
        combined, _ = redlined(agreement, redlines, strict=False, name="all redlines")
    except ParseError:
        found = {}  # the parent, reading the same text, says so
    else:
        found = _run_combined(combined, parts)
    return found, _check_entries(agreement, entries, labels, Shares().back)


class Worker(Protocol):
    """A process that takes a job (`check`'s other process): a forked pool, or a worker of `rra report`."""

    def apply_async(self, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Start `func(*args)` there; the result's `get()` waits for its value."""


def _check_entries(agreement: Agreement, entries: list[Entry], labels: dict[str, str], take: Callable[[], int | None],
                   progress: Callable[[str], None] | None = None) -> dict[int, Result]:
    """The per-entry checks of the entries `take` hands out (their indexes), until it hands out none."""
    done: dict[int, Result] = {}
    while (k := take()) is not None:
        issue, deps = entries[k]
        if progress:
            progress(labels.get(issue.id, issue.id))
        done[k] = _own_check(agreement, issue, deps, labels)
    return done


def _combined_job(agreement: Agreement, redlines: Sequence[Redline], parts: Sequence[str] = COMBINED) -> Combined:
    """All redlines applied together, read back and linted, and these parts of the combined run made on it."""
    try:
        combined, done = redlined(agreement, redlines, strict=False, name="all redlines")
    except ParseError as exc:
        return Combined([], {}, [], None, str(exc))
    where = {id(r): k for k, r in enumerate(redlines)}
    skipped = [(where[id(r)], why) for r, why in done.skipped]
    lints = []
    for r in done.applied:
        lints += [(where[id(r)], x.problem) for x in lint(combined, [r], agreement)]
    narrow = [(where[id(a)], where[id(b)], c) for a, b, c in narrowed(agreement, done.applied)]
    return Combined(skipped, _run_combined(combined, parts), sorted(combined.model.changed), combined, "", lints,
                    narrow)


# --------------------------------------------------------------------------------------------- one entry

def dependencies(issue: Issue, memo: Memo) -> list[tuple[Issue, Redline]]:
    """The redlines of other entries this entry's cure needs: those of the entries it relies on (`relies_on`, which
    the memo gives the entries whose redlines define a term its new words use and the agreement does not define:
    rra.solver.memo_build._defined_by_others)."""
    return [(o, r) for o in memo.issues if o.id != issue.id and o.id in issue.relies_on for r in o.redlines]


def _own_check(agreement: Agreement, issue: Issue, deps: list[tuple[Issue, Redline]], labels: dict[str, str]) -> Result:
    """Re-run the entry's own detectors (and, for a voting entry, the consent analysis) on the text with its
    redlines, and read its new words back."""
    res = Result(RedlineCheck.CHECKED, [NO_LONGER_FOUND], {"reran": [], "with": list(dict.fromkeys(o.id for o, _ in deps))})
    try:
        draft, _ = redlined(agreement, [r for _, r in deps] + list(issue.redlines), strict=True,
                            name=f"redline of {issue.id}")
    except RedlineError as exc:
        res.tech["error"] = str(exc)
        return Result(RedlineCheck.NOT_CHECKED, ["the redline could not be applied: its words are not in the clause the "
                                                 "number of times it says"], res.tech)
    except ParseError as exc:
        res.tech["error"] = str(exc)
        return Result(RedlineCheck.NOT_CHECKED, ["the redlined text could not be read back"], res.tech)
    lints = lint(draft, issue.redlines, agreement)
    for x in lints:
        res.worse(RedlineCheck.NEW, f"in {x.clause}, {x.problem}")
    # terms of the redlined clauses whose new words the checks cannot read: what rests on them is not checked
    mine = {r.clause for r in issue.redlines}
    unread_any = sorted(e for e in draft.model.changed if draft.model.get(e).clause in mine)
    if unread_any:
        res.tech["unread"] = unread_any
        clauses = sorted({draft.model.get(e).clause for e in unread_any})
        res.worse(RedlineCheck.NOT_CHECKED, f"the checks cannot read the new words of {', '.join(clauses)}, so what "
                                            "rests on them was not re-checked")
    res.tech["lint"] = [x.problem for x in lints]
    beyond = list(dict.fromkeys(r.beyond for r in issue.redlines if r.beyond))
    if beyond:
        res.tech["beyond_model"] = beyond
        res.worse(RedlineCheck.NOT_CHECKED, f"{UNREAD} ({listed(beyond)}); read the redline to confirm it")
    kinds = sorted({provisions.kind_of(f) for f in issue.primary if f.startswith("provisions.")})
    if kinds:
        res.tech["reran"].append("provisions: " + ", ".join(kinds))
        out = provisions.run(draft, kinds)
        if out.withheld:
            w = out.withheld[0]
            res.tech["withheld"] = [f"{x.element} ({x.clause})" for x in out.withheld]
            res.worse(RedlineCheck.NOT_CHECKED, f"the new words of {w.clause or 'the clause'} change terms the check "
                                                "rests on, and it cannot read them")
        left = [f for f in out.findings if f.id in issue.primary or (
            f.evidence.get("memo", {}).get("severity") == str(issue.severity)
            and set(f.sections) & set(issue.sections) and provisions.kind_of(f.id) in kinds)]
        if left:
            res.tech["still"] = [f.id for f in left]
            res.worse(RedlineCheck.REMAINS, "still found on the redlined text: " + "; ".join(
                _lower(f.title) for f in left[:2]))
    theirs = [f for f in issue.primary if f.startswith("consent.")]
    if theirs:
        from rra.solver.consent_analysis import still_found

        res.tech["reran"].append("consent")
        unread = sorted(e for e in draft.model.changed if e.startswith(("consent.", "reading.consent.")))
        if unread:
            res.tech["unread"] = sorted({*res.tech.get("unread", []), *unread})
            clauses = sorted({draft.model.get(e).clause for e in unread})
            res.worse(RedlineCheck.NOT_CHECKED, f"the new words of {', '.join(clauses)} change who votes in a way the "
                                                "analysis of who can block what cannot read")
        else:
            left_c = still_found(draft, theirs)
            if left_c:
                res.tech["still"] = [*res.tech.get("still", []), *(i.id for i in left_c)]
                res.worse(RedlineCheck.REMAINS, "still found on the redlined text: " + "; ".join(
                    _lower(i.title) for i in left_c[:2]))
    if deps:
        many = len({o.id for o, _ in deps}) > 1
        res.together = ("checked together with the redline" + ("s" if many else "") + " of entr"
                        + ("ies " if many else "y ") + listed(list(dict.fromkeys(labels.get(o.id, o.id) for o, _ in deps))))
    return res


# ------------------------------------------------------------------------------------------------- all

def check(agreement: Agreement, memo: Memo, findings: list[dict[str, Any]],
          progress: Callable[[str], None] | None = None, worker: Worker | None = None,
          beside: Sequence[str] = BESIDE, failed: Sequence[str] = ()) -> Memo:
    """The memo with every redline checked: its entry's own checks on its own redlined text, and all redlines
    together on one combined text (its lint, the other analyses' findings, new points). The combined run's parts
    `beside` go to `worker` when given (a process that ran the proofs already remembers most of Z3's answers), else
    to a forked process of its own on a machine with a spare core, and the rest are made here; then both processes
    check the entries (this one from the first, the other from the last), so both end together."""
    labels = entry_labels(memo)
    rank = {id(i): n for n, i in enumerate(memo.issues)}
    # the widest rewrites first, so that a small edit inside words another entry rewrites is the one skipped
    ordered = sorted(memo.issues, key=lambda i: (SEVERITY_RANK[i.severity], -max(
        (len(r.replace) for r in i.redlines), default=0), rank[id(i)]))
    everything = [r for i in ordered for r in i.redlines]
    owner = {id(r): i for i in memo.issues for r in i.redlines}
    entries: list[Entry] = [(i, dependencies(i, memo)) for i in memo.issues if i.redlines]
    own: Background | None = None
    pending: Any = None
    # on a spare core the combined run is made in two halves (BESIDE there, the rest here) before the per-entry
    # checks, which each process then takes one at a time (this one from the first, the other from the last), so
    # both end together
    # an analysis that failed on the text gave no findings to compare with: it is not run on the combined text
    # either (its findings there would all look new)
    parts = tuple(p for p in COMBINED if p.split(":")[0] not in failed)
    beside = tuple(p for p in beside if p in parts)
    job = (agreement, everything, entries, labels, beside)
    shares: Shares | None = None
    comb: Combined | None = None
    if worker is not None or may_fork():
        shares = Shares(len(entries))
        if worker is not None:
            pending = worker.apply_async(_beside_then_entries, job)
        else:
            own = Background(_beside_then_entries, *job)
    serial = iter(range(len(entries)))
    take = shares.front if shares is not None else lambda: next(serial, None)
    try:
        if shares is not None:
            if progress:
                progress("the redlines together")
            comb = _combined_job(agreement, everything, [p for p in parts if p not in beside])
        done = _check_entries(agreement, entries, labels, take, progress)
        theirs: dict[int, Result] = {}
        if progress:
            progress("all redlines")
        if pending is not None:
            found_there, theirs = pending.get()
        elif own is not None:
            found_there, theirs = own.result()
        else:
            comb, found_there = _combined_job(agreement, everything, parts), {}
    finally:
        if own is not None:
            own.close()  # ends the worker if this run stops early (an error, Ctrl-C): nothing waits for it
    assert comb is not None
    if comb.agreement is not None:
        comb.found.update(found_there)
    done.update(theirs)
    results: dict[str, Result] = {entries[k][0].id: done[k] for k in range(len(entries))}
    tech_notes: list[str] = [f"the combined redline run leaves out what failed on the original text: "
                             f"{', '.join(failed)}"] if failed else []
    notes: list[str] = []
    if comb.agreement is None:
        notes.append("With all the redlines applied together the text could not be read back, so nothing new could be "
                      "looked for.")
        tech_notes.append(f"combined redlined text: {comb.error}")
        for r in results.values():
            if r.status == RedlineCheck.CHECKED:
                r.status = RedlineCheck.NOT_CHECKED
                r.words.append("not checked together with the other redlines")
        return with_checks(memo, _final(results), notes, tech_notes)
    for k, why in comb.skipped:
        red = everything[k]
        i = owner[id(red)]
        other = next((labels.get(owner[id(o)].id, "") for o in everything if o is not red and o.clause == red.clause and
                      any(a0 < b1 and b0 < a1 for a0, a1, _ in change_spans(agreement, o)
                          for b0, b1, _ in change_spans(agreement, red))), "")
        results[i.id].worse(RedlineCheck.NOT_CHECKED, f"applied with the other redlines, its words \"{red.replace[:40]}...\" "
                                                      "were already rewritten" + (f" by the redline of entry {other}"
                                                                                   if other else ""))
        results[i.id].tech.setdefault("skipped", []).append(why)
    for k, problem in comb.lints:
        i = owner[id(everything[k])]
        words = f"in {everything[k].clause}, {problem}"
        if words not in results[i.id].words:
            results[i.id].worse(RedlineCheck.NEW, words + " (with all redlines applied)")
    for k, w, cls in comb.narrow:
        i, o = owner[id(everything[k])], owner[id(everything[w])]
        if i.id == o.id:
            continue
        results[i.id].worse(RedlineCheck.NEW, f"its new words list holders of some classes of securities but not "
                                              f"{cls}, which the redline of entry {labels.get(o.id, o.id)} brings in")
    if comb.changed:
        tech_notes.append("On the fully redlined text these elements' new words could not be read: "
                          + ", ".join(comb.changed))
        unread_at = {comb.agreement.model.get(e).clause for e in comb.changed}
        for i in memo.issues:
            hit = sorted(unread_at & {r.clause for r in i.redlines})
            said = set(results[i.id].tech.get("unread") or ()) if i.id in results else set()
            hit = [c for c in hit if not any(comb.agreement.model.get(e).clause == c for e in said)]  # said already
            if hit and i.id in results:
                results[i.id].worse(RedlineCheck.NOT_CHECKED, f"with all redlines applied the checks cannot read the new "
                                                              f"words of {', '.join(hit)}")
    found = [f for part in COMBINED if part in comb.found for f in comb.found[part]]
    after_ids = {f["id"]: f for f in found}
    originals = {f["id"]: f["title"] for f in findings}
    for i in memo.issues:
        if i.cured_by and not i.redlines:
            # an item another entry's redline cures: confirmed when its findings are gone from the fully redlined text
            left = [f for f in i.findings if f in after_ids]
            by = ", ".join(labels.get(x, x) for x in i.cured_by)
            results[i.id] = Result(RedlineCheck.REMAINS if left else RedlineCheck.CHECKED,
                                   [f"still found with the redline of entry {by} applied" if left else
                                    f"cured by the redline of entry {by}"], {"still_combined": left})
            continue
        if not i.redlines:
            continue
        res = results[i.id]
        # findings of analyses not re-run per entry (the drafting review) are looked up on the fully redlined text
        gone_by_own = {f for f in i.primary if f.startswith(("provisions.", "consent."))}
        left_own = [f for f in i.primary if f not in gone_by_own and f in after_ids
                    and originals.get(f) == after_ids[f]["title"]]
        if left_own:
            res.tech.setdefault("still_combined", []).extend(left_own)
            res.worse(RedlineCheck.REMAINS, "still found on the fully redlined text: "
                      + "; ".join(_lower(after_ids[f]["title"]) for f in left_own[:2]))
        still: dict[str, list[str]] = {}
        for fid in (x for x in i.findings if x not in i.primary and not x.startswith(JUDGED)):
            f = after_ids.get(fid)
            if f is None or originals.get(fid) != f["title"]:
                continue
            res.tech.setdefault("still_combined", []).append(fid)
            still.setdefault(fid if not fid.startswith(FORMAL) else _check_name(fid), []).append(f["title"])
        for key, titles in still.items():
            first = _lower(titles[0].removeprefix("Does not hold: ")).rstrip(".")
            if key in CHECK_NAMES.values():
                # which check and what it still reports go to the technical detail; the reader gets plain words, once
                res.tech.setdefault("beyond_checks", {})[key] = titles
                if not any(w.startswith(UNREAD) for w in res.words):
                    res.worse(RedlineCheck.NOT_CHECKED, UNREAD_WORDS)
            else:
                res.worse(RedlineCheck.REMAINS, f"{_check_name(key)} still finds: {first}")
    after = build(comb.agreement, found)
    before = {i.id for i in memo.issues}
    seen = {f for i in memo.issues for f in i.findings} | {f for f, _ in memo.dropped}
    new = [n for n in after.issues if n.id not in before and n.severity != Severity.LOW and not set(n.findings) <= seen]
    # a point in clauses whose words the checks could not read on the draft was not found there because it could not
    # be looked for: the redlines make it visible, they do not create it
    unread = {b.clause for b in (agreement.binding.elements.values() if agreement.binding else ()) if not b.found and b.clause}
    for n in [n for n in new if set(n.sections) & unread]:
        new.remove(n)
        notes.append(f"With all the redlines applied the checks can read {listed(sorted(set(n.sections) & unread))} "
                     f"again and find a point the draft's words hid from them: {n.title}")
    for n in new:
        touched = [i for i in memo.issues if i.redlines and {r.clause for r in i.redlines} & set(n.sections)]
        if not touched:
            notes.append(f"With all the redlines applied a new point appears that no single redline explains: {n.title}")
        for i in touched:
            results[i.id].worse(RedlineCheck.NEW, f"with all redlines applied a new point appears: {_lower(n.title)}")
            results[i.id].tech.setdefault("new", []).append(n.id)
    for i in memo.issues:
        got = results.get(i.id)
        if got is None:
            continue
        if got.status == RedlineCheck.CHECKED and got.together:
            got.words.append(got.together)
        if got.status == RedlineCheck.CHECKED and i.redlines:
            got.words.append(NOTHING_NEW)
        if i.open_points:
            got.words.append("left for negotiation: " + "; ".join(i.open_points))
    return with_checks(memo, _final(results), notes, tech_notes)


def _final(results: dict[str, Result]) -> dict[str, tuple[RedlineCheck, str, dict[str, Any]]]:
    return {k: (v.status, "; ".join(dict.fromkeys(v.words)), v.tech) for k, v in results.items()}


def review_memo(agreement: Agreement, findings: list[dict[str, Any]], check_redlines: bool = True,
                progress: Callable[[str], None] | None = None, worker: Worker | None = None,
                beside: Sequence[str] = BESIDE, failed: Sequence[str] = ()) -> Memo:
    """The memo for an agreement's findings (as `rra check --json` lists them), its redlines checked unless
    `check_redlines` is False (then each entry says so); `worker`, `beside`: the other process and what it makes of
    the combined run (`check`)."""
    memo = build(agreement, findings)
    if not check_redlines:
        return with_checks(memo, {i.id: (RedlineCheck.NOT_CHECKED, "redline checks were not asked for", {})
                                  for i in memo.issues if i.redlines})
    if not any(i.redlines for i in memo.issues):
        return memo
    return check(agreement, memo, findings, progress, worker, beside, failed)
