"""The review memo: every analysis's findings grouped into issues, one problem one entry, ranked by consequence.

`build(agreement, findings)` turns the findings of `rra check` (provisions review, drafting review, Z3 checks,
consent analysis, proofs, exposure, draft reading) into `Issue` records (rra.solver.memo):

- a provisions finding is an issue (findings of one kind and severity are one issue), and it absorbs the findings
  of other analyses that say the same thing (its evidence names them: ids, id prefixes, or the consent rules a
  finding compares);
- the drafting review's findings go to the proofreading and documents-needed appendices, one line per defect;
- what is left is not carried into the memo, each with the reason (passes, solver internals, logical relations
  between rules, lists of references, different decisions taken by different people, a general clause that
  yields to specific ones, a carve-out working as drafted): `--verbose` lists them, `--json` keeps them all.

Nothing here reads the agreement's words except through the findings; the severity, area and words of an issue
come from its detector (rra.solver.provisions) or from the template of its rule here.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Any

from rra.solver.memo import Area, Certainty, Favours, Issue, Quote, Redline, RedlineCheck, Severity
from rra.spec.agreement import Agreement
from rra.spec.elements import Obligation
from rra.spec.text import normalize

from rra.output import listed

AREA_ORDER = (Area.MONEY, Area.DEADLINES, Area.CONSENT, Area.PARTIES, Area.OTHER, Area.PROOFREADING, Area.DOCUMENTS)
SEVERITY_ORDER = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
FOUND_BY = {"provisions": "provisions review", "text": "text review", "z3": "Z3", "consent": "consent analysis",
            "proof": "proofs", "exposure": "exposure", "draft": "draft reading", "evaluator": "evaluator"}


def clause_key(c: str) -> tuple[Any, ...]:
    """Natural order of clause ids: preamble, recitals, consideration, 1(a)(i) ... 2(a) ... 10 ... 11(m), signatures."""
    front = {"preamble": 0, "consideration": 2}
    if c in front:
        return (front[c], 0, "", 0)
    if c.startswith("recital"):
        return (1, 0, c, 0)
    if c == "signatures":
        return (9, 0, "", 0)
    m = re.match(r"(\d+)(?:\(([a-z])\))?(?:\(([ivxl]+)\))?", c)
    if not m:
        return (8, 0, c, 0)
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
    return (5, int(m.group(1)), m.group(2) or "", roman.get(m.group(3) or "", 0))


def sort_clauses(cs: Iterable[str]) -> tuple[str, ...]:
    """Clause ids, once each, in natural order."""
    return tuple(sorted(dict.fromkeys(cs), key=clause_key))


@dataclass
class Memo:
    """The memo: its issues in order, and the findings it does not carry (with the reason)."""

    title: str
    issues: list[Issue]
    dropped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # plain words for the reader
    tech_notes: list[str] = field(default_factory=list)  # particulars with ids (--verbose appendix, --json)
    basis: str = ""  # how the dollar figures are computed (the rate and the month convention), for the reader

    @property
    def body(self) -> list[Issue]:
        """The entries outside the appendices."""
        return [i for i in self.issues if not i.area.appendix]

    @property
    def high(self) -> bool:
        """A high-severity problem was found (`rra check` exits 1)."""
        return any(i.severity == Severity.HIGH for i in self.issues)


# ------------------------------------------------------------------------------------------------ matching

def _matches(fid: str, finding: dict[str, Any], pattern: str) -> bool:
    if pattern.startswith("rules:"):
        rules = set(pattern[len("rules:"):].split(","))
        got = set((finding.get("evidence") or {}).get("rules") or [])
        return fid.startswith("consent.") and len(got) >= 2 and got <= rules
    return fnmatch.fnmatchcase(fid.lower(), pattern.lower().replace(" ", "-"))


def _term(f: dict[str, Any]) -> str:
    """The term or label a drafting finding is about, as the text writes it (from its title)."""
    m = re.search(r'"([^"]+)"', f["title"])
    if m:
        return m.group(1)
    m = re.match(r"(Exhibit \S+|Schedule \S+|Annex \S+)", f["title"])
    return m.group(1) if m else f["id"].split(".", 2)[2]


def _analysis(fid: str) -> str:
    return fid.split(".", 1)[0]


def _redlines(rs: Sequence[dict[str, Any]]) -> tuple[Redline, ...]:
    return tuple(Redline(r["clause"], r["replace"], r["with"], r.get("count", 1), dict(r.get("meaning") or {}),
                         r.get("beyond", "")) for r in rs)


# ---------------------------------------------------------------------------- findings no entry may carry

def witness_problem(agreement: Agreement, timeline: Sequence[dict[str, Any]]) -> str | None:
    """What makes a dated timeline one no lawyer would accept (R-06), in words, or None: an event before one it
    presupposes, or a statement declared effective sooner or later after its filing than an SEC review takes."""
    from rra.solver.provisions import review_days
    from rra.spec.process import PREREQUISITES, PRESUPPOSITIONS

    when: dict[str, date] = {}
    name: dict[str, str] = {}
    for t in timeline:
        if t.get("id") and t.get("date"):
            when[t["id"]] = date.fromisoformat(t["date"])
            name[t["id"]] = str(t.get("event", t["id"]))
    lo, hi = review_days()

    def says(e: str) -> str:
        return f"{name[e][:1].lower()}{name[e][1:]} on {when[e].day} {when[e].strftime('%b %Y')}"
    for p in PREREQUISITES:
        for r in p.requires:
            if p.event in when and r in when and when[p.event] < when[r]:
                return f"{says(p.event)}, before {says(r)}"
        filing = [r for r in p.requires if r.endswith("filed")]
        if p.event.endswith("effective") and filing and p.event in when and filing[0] in when:
            gap = (when[p.event] - when[filing[0]]).days
            if not lo <= gap <= hi:
                return (f"{says(filing[0])} and {name[p.event][:1].lower()}{name[p.event][1:]} {gap} days later, where an "
                        f"SEC review takes {lo} to {hi} days")
    for q in PRESUPPOSITIONS:
        if q.event in when and q.after in when and when[q.event] < when[q.after]:
            return f"{says(q.event)}, before {says(q.after)} ({q.why})"
    return None


def rejected(agreement: Agreement, f: dict[str, Any]) -> str | None:
    """Why a finding is never carried inside an entry, or None: a breach the measure counts after all (R-07), or a
    claim that holds only on a dated example no lawyer would accept (R-06). Such findings go to the findings not in
    the memo, with the reason."""
    from rra.solver.provisions_money import counted_by_measure

    fid = f["id"]
    ev = f.get("evidence") or {}
    model = agreement.model
    measure = model.measure
    if not (fid.startswith("z3.remedy.") and ev.get("trigger")):
        return None
    t = str(ev["trigger"])
    what = re.search(r"'([^']+)'", f.get("title", ""))
    words = f" ('{what.group(1)}')" if what else ""
    ob = model.by_id.get(t)
    if isinstance(ob, Obligation) and model.usable(t):
        why = counted_by_measure(agreement, ob)
        if why is not None:
            return f"a breach of {ob.clause}{words} is counted by the measure after all: {why}"
    if not ev.get("always_zero") and f.get("severity") == "info":
        comp = next((c.id for c in measure.components if t in c.triggers), None)
        if comp is None and isinstance(ob, Obligation):
            comp = next((c.id for c in measure.components if c.counts == "late"
                         and ob.performs in (measure.filed, measure.effective)), None)
        return (f"the measure counts this breach{words}" + (f" under {comp}" if comp else "")
                + "; it yields no payment only where a carve-out removes the days, as drafted")
    if ev.get("realistic") is False:
        problem = witness_problem(agreement, ev.get("timeline") or [])
        return ("it holds only in timelines no lawyer would accept" + (f", such as one with {problem}" if problem else ""))
    return None


# ------------------------------------------------------------------------------------------- the grouping

SEPARATE = ("deadlines-differ",)  # provisions kinds whose every finding is an entry of its own


def _from_provisions(fs: list[dict[str, Any]], absorbed: dict[str, list[str]], by_id: dict[str, dict[str, Any]]
                     ) -> Issue:
    """One issue from provisions findings of one kind and severity."""
    first = fs[0]
    memo = first["evidence"]["memo"]
    kind = first["id"].split(".")[1]
    sections = sort_clauses(c for f in fs for c in f["sections"])
    quotes: list[Quote] = []
    redlines: list[Redline] = []
    figures: dict[str, str] = {}
    examples = []
    for f in fs:
        m = f["evidence"]["memo"]
        for c, w in m["quotes"]:
            q = Quote(c, w)
            if q not in quotes:
                quotes.append(q)
        redlines += _redlines(m["redlines"])
        figures.update(m.get("figures") or {})
        if m.get("example"):
            examples.append(m["example"])
    heads = [f["sections"][0] if f["sections"] else "" for f in fs]
    if len(fs) > 1 and len(set(heads)) == len(fs) and len(examples) == len(fs):
        # one example per clause: each says which clause it shows ("Under 3(a): ... Under 3(b): ...")
        examples = [f"Under {h}: {e}" for h, e in zip(heads, examples, strict=True)]
    # words already inside a longer quote of the same clause are not quoted again
    quotes = [q for q in quotes if not any(k != q and k.clause == q.clause and q.words in k.words for k in quotes)]
    if len(fs) == 1:
        title, explanation = first["title"], first["explanation"]
    else:
        clauses = sort_clauses(f["sections"][0] for f in fs)
        title = _merge_title(fs, clauses)
        said = list(dict.fromkeys(f["explanation"] for f in fs))
        if len(said) == len(fs) == len(set(heads)) and not any(h and h in x for h, x in zip(heads, said, strict=True)):
            said = [f"Under {h}: {x}" for h, x in zip(heads, said, strict=True)]  # which clause each part is about
        explanation = " ".join(said)
    own = [f["id"] for f in fs]
    extra = sorted({x for f in fs for x in absorbed.get(f["id"], [])})
    worst = [by_id[x] for x in extra if x.startswith("exposure.") and x in by_id]
    if worst:
        ev = worst[0]["evidence"]
        optimum = round(ev.get("optimum", 0))
        # a worst case below a figure the entry already gives would contradict it: it is only the largest amount under
        # the default scenarios, so it is printed only when it adds something, and labelled as what it is
        if optimum > max((_dollars(v) for v in figures.values()), default=0):
            until = ev.get("as_of", "")
            if until:
                d = date.fromisoformat(until)
                until = f" to {d.day} {d.strftime('%b %Y')}"
            examples.append(f"Under the default scenarios (SEC reviews of 30 to 180 days, stop orders, blocked sales and "
                            f"a delisting{until}) the largest amount is ${optimum:,} per $1,000,000.")
    found = {"provisions"} | {_analysis(x) for x in extra}
    if examples and any("$" in e for e in examples):
        found.add("evaluator")
    return Issue(
        id=f"{memo['area'].split()[0]}.{kind}.{'+'.join(sorted({f['id'].split('.', 2)[2] for f in fs}))}",
        certainty=Certainty(memo.get("certainty", str(Certainty.ORDINARY))),
        per_month=max(int(f["evidence"]["memo"].get("per_month", 0)) for f in fs),
        once=max(int(f["evidence"]["memo"].get("once", 0)) for f in fs),
        favours_note=memo.get("favours_note", ""), open_points=tuple(memo.get("open_points") or ()),
        severity=Severity(memo["severity"]), area=Area(memo["area"]), title=title, sections=sections,
        explanation=explanation, quotes=tuple(quotes), favours=Favours(memo["favours"]),
        example=" ".join(examples[:3]) if examples else None, redlines=tuple(redlines),
        findings=tuple(own + extra), found_by=tuple(sorted(found, key=list(FOUND_BY).index)),
        detail={"evidence": {f["id"]: {k: v for k, v in f["evidence"].items() if k != "memo"} for f in fs}},
        primary=tuple(own), figures=figures,
        whole_remedy=any(bool((f.get("evidence") or {}).get("whole_remedy")) for f in fs))


def _merge_title(fs: list[dict[str, Any]], clauses: tuple[str, ...]) -> str:
    t = fs[0]["title"]
    first = fs[0]["sections"][0]
    rests = [f["title"][len(f["sections"][0]) + 1:].strip() for f in fs
             if f["sections"] and f["title"].startswith(f["sections"][0] + ":")]
    if len(rests) == len(fs) and len(set(rests)) == len(rests) > 1:
        # different words for each clause (different numbers): each clause says its own, the common end once
        tail = _common_tail(rests)
        return "; ".join(f"{f['sections'][0]}: {r[:len(r) - len(tail)].rstrip(', ')}" for f, r in zip(fs, rests,
                                                                                                       strict=True)) + tail
    if t.startswith(first + ":"):
        return f"{', '.join(clauses[:-1])} and {clauses[-1]}:" + t[len(first) + 1:]
    return t


def _common_tail(xs: list[str]) -> str:
    """The longest ending the texts share that starts at a comma (", where an SEC review ... takes at least 30")."""
    k = 0
    while all(len(x) > k for x in xs) and len({x[len(x) - 1 - k] for x in xs}) == 1:
        k += 1
    tail = xs[0][len(xs[0]) - k:] if k else ""
    at = tail.find(", ")
    return tail[at:] if at >= 0 else ""


# Appendix rules for the drafting review's findings: (id pattern, area or None to drop, reason when dropped).
_TEXT_RULES: tuple[tuple[str, Area | None, str], ...] = (
    ("text.unbalanced-parentheses.*", Area.PROOFREADING, ""),
    ("text.unbalanced-quotes.*", Area.PROOFREADING, ""),
    ("text.typo.*", Area.PROOFREADING, ""),
    ("text.inconsistent-name.*", Area.PROOFREADING, ""),
    ("text.unused-term.*", Area.PROOFREADING, ""),
    ("text.long-form.*", Area.PROOFREADING, ""),
    ("text.term-names-another-document.*", Area.PROOFREADING, ""),
    ("text.defined-and-borrowed.*", Area.PROOFREADING, ""),
    ("text.inconsistent-threshold.*", Area.PROOFREADING, ""),
    ("text.number-mismatch.*", Area.PROOFREADING, ""),
    ("text.numbering-*", Area.PROOFREADING, ""),
    ("text.stray-page-number.*", Area.PROOFREADING, ""),
    ("text.dangling-reference.*", Area.PROOFREADING, ""),
    ("text.wrong-self-reference.*", Area.PROOFREADING, ""),
    ("text.wrong-definition-reference.*", Area.PROOFREADING, ""),
    ("text.reference-direction.*", Area.PROOFREADING, ""),
    ("text.no-antecedent.*", Area.PROOFREADING, ""),
    ("text.inconsistent-period.*", Area.PROOFREADING, ""),
    ("text.duplicate-definition.*", Area.PROOFREADING, ""),
    ("text.circular-definition.*", Area.PROOFREADING, ""),
    ("text.missing-exhibit.*", Area.DOCUMENTS, ""),
    ("text.undefined-term.*", Area.DOCUMENTS, ""),
    ("text.borrowed-term.*", Area.DOCUMENTS, ""),
    ("text.catch-all-definitions.*", Area.DOCUMENTS, ""),
    ("text.external-references.*", Area.DOCUMENTS, ""),
    ("text.mixed-day-count.*", None, "business days for short steps and calendar days for longer periods in one clause "
                                     "are normal drafting"),
    ("text.used-before-definition.*", None, "where a term is defined has no consequence once the catch-all sends it "
                                            "to another document"),
)

_DROP_RULES: tuple[tuple[str, str], ...] = (
    ("z3.consistency.*", "a joint-satisfiability summary, not a defect of one clause"),
    ("z3.core.*", "a minimal conflicting set: solver internals behind another entry"),
    ("z3.redraft", "a minimum hitting set of the solver's own conflict sets, not drafting advice"),
    ("z3.impossible.*", "a deadline for an event the SEC controls, with a realistic window from the latest filing: the "
                        "agreement puts the SEC's timing on the Company by design"),
    ("z3.remedy.not-compiled", "a note on what the model does not check"),
    ("z3.remedy.*", "the breach is measured (it stops sales, or a carve-out works as drafted)"),
    ("z3.reading.*", "a divergence of readings explained by another entry"),
    ("consent.implies.*", "a logical relation between voting rules, with no legal consequence"),
    ("consent.equivalent.*", "two rules that always agree"),
    ("consent.veto.company", "consents of the Company to its own acts, or limited by reasonableness, are not vetoes"),
    ("consent.reading.*", "a reading that changes an answer, explained by another entry"),
    ("exposure.*", "the worst case under the default assumptions (reported with the payments entry)"),
    ("draft.changed.*", "the draft changes words the model rests on (listed in the header)"),
    ("proof.*", "an invariant refuted only beyond a limit the text sets on purpose"),
)


def _text_issue(area: Area, fs: list[dict[str, Any]], key: str, title: str) -> Issue:
    sections = sort_clauses(c for f in fs for c in f["sections"])
    quotes: list[Quote] = []
    for f in fs:
        for occ in (f.get("evidence") or {}).get("occurrences", [])[:3]:
            q = Quote(occ["clause"], occ["words"])
            if q not in quotes:
                quotes.append(q)
    # an occurrence already inside a longer quote of the same clause is not quoted twice
    quotes = [q for q in quotes if not any(k != q and k.clause == q.clause and q.words in k.words for k in quotes)]
    expl = " ".join(dict.fromkeys(f["explanation"] for f in fs[:1]))
    return Issue(id=f"{'proofreading' if area == Area.PROOFREADING else 'documents'}.{key}", severity=Severity.LOW,
                 area=area, title=title, sections=sections, explanation=expl, quotes=tuple(quotes[:4]),
                 favours=Favours.NEITHER, findings=tuple(f["id"] for f in fs),
                 found_by=tuple(sorted({_analysis(f["id"]) for f in fs}, key=list(FOUND_BY).index)),
                 primary=tuple(f["id"] for f in fs), redline_note="no redline suggested for a drafting item")


def _appendix(findings: list[dict[str, Any]], dropped: list[tuple[str, str]]) -> list[Issue]:
    """The drafting review's findings as appendix lines; one line per defect (a misspelt name and its unused
    definition are one line, exhibits of one clause one line, terms defined elsewhere one line per document)."""
    by_area: dict[Area, list[dict[str, Any]]] = {Area.PROOFREADING: [], Area.DOCUMENTS: []}
    for f in findings:
        for pat, area, reason in _TEXT_RULES:
            if fnmatch.fnmatchcase(f["id"], pat):
                if area is None:
                    dropped.append((f["id"], reason))
                else:
                    by_area[area].append(f)
                break
        else:
            dropped.append((f["id"], "not grouped into an entry"))
    out: list[Issue] = []
    proof = by_area[Area.PROOFREADING]
    # a name spelt two ways and the unused definition of one spelling are one defect
    names = [f for f in proof if f["id"].startswith("text.inconsistent-name.")]
    used: set[str] = set()
    for f in names:
        variants = [v.lower() for v in f["id"].split(".", 2)[2].split("~")]
        same = [g for g in proof if g["id"].startswith("text.unused-term.") and g["id"].split(".", 2)[2].lower() in variants]
        used |= {g["id"] for g in same}
        out.append(_text_issue(Area.PROOFREADING, [f, *same], f["id"].split(".", 1)[1], f["title"]))
    borrowed = [f for f in proof if f["id"].startswith("text.defined-and-borrowed.")]
    if borrowed:
        terms = [_q(_term(f)) for f in borrowed]
        out.append(_text_issue(Area.PROOFREADING, borrowed, "defined-and-borrowed",
                               f"{listed(terms)} defined here and also said to be defined in another document"))
    typos: dict[str, list[dict[str, Any]]] = {}
    for f in proof:
        if f["id"].startswith("text.typo."):
            typos.setdefault(f["sections"][0], []).append(f)
    for clause, fs in typos.items():
        words = [_q(m.group(1)) for f in fs if (m := re.search(r'"([^"]+)"', f["title"]))]
        out.append(_text_issue(Area.PROOFREADING, fs, f"typo.{clause}",
                               f"{clause}: {listed(words)} look{'s' if len(words) == 1 else ''} like "
                               f"{'a typo' if len(words) == 1 else 'typos'}"))
    for f in proof:
        if f in names or f["id"] in used or f in borrowed or f["id"].startswith("text.typo."):
            continue
        out.append(_text_issue(Area.PROOFREADING, [f], f["id"].split(".", 1)[1], f["title"]))
    docs = by_area[Area.DOCUMENTS]
    exhibits: dict[str, list[dict[str, Any]]] = {}
    for f in docs:
        if f["id"].startswith("text.missing-exhibit."):
            exhibits.setdefault(f["sections"][0], []).append(f)
    for clause, fs in exhibits.items():
        labels = [_term(f) for f in fs]
        out.append(_text_issue(Area.DOCUMENTS, fs, f"exhibits.{clause}",
                               f"{listed(labels)} to {clause} referred to but not attached"))
    elsewhere = [f for f in docs if f["id"].split(".")[1] in ("undefined-term", "borrowed-term", "catch-all-definitions")]
    catch = next((f for f in elsewhere if f["id"].startswith("text.catch-all-definitions.")), None)
    slips = [f for f in elsewhere if f["id"].startswith("text.undefined-term.") and catch is not None
             and f["sections"] == catch["sections"]]
    for f in slips:
        out.append(_text_issue(Area.PROOFREADING, [f], f["id"].split(".", 1)[1],
                               f"{f['sections'][0]}: the catch-all refers to " + re.sub(r'^"([^"]+)".*', r'"\1"', f["title"])
                               + ", a document the agreement never defines"))
    public = [f for f in elsewhere if re.search(r"takes its meaning from (?:Rule|Regulation|Section \S+ of the \d{4} Act|the "
                                                 r"\d{4} Act)", f["title"])]
    for f in public:
        dropped.append((f["id"], "a term of a public statute or rule, not a document to obtain"))
    rest = [f for f in elsewhere if f not in slips and f not in public]
    if rest:
        terms = []
        for f in rest:
            if f["id"].startswith("text.catch-all-definitions."):
                continue
            t = _q(_term(f))
            if t not in terms:
                terms.append(t)
    refs = [f for f in docs if f["id"].startswith("text.external-references.")]
    agreements = [f for f in refs if re.search(r"agreement|debenture|warrant", f["id"], re.IGNORECASE)]
    if rest:
        # an agreement these terms come from that no provision is cited from (the line below asks for those) is
        # asked for here, so that the list asks for every agreement the text relies on
        by_provision = {(f.get("evidence") or {}).get("document") for f in agreements}
        named = [n for f in rest for n in _agreements_named(f) if n not in by_provision]
        obtain = f" (obtain the {listed(list(dict.fromkeys(named)))})" if named else ""
        out.append(_text_issue(Area.DOCUMENTS, rest, "terms-defined-elsewhere",
                               f"Terms defined in other documents: {listed(terms)}{obtain}"))
    for f in refs:
        if f not in agreements:
            dropped.append((f["id"], "references to public statutes and rules, not documents to obtain"))
    if agreements:
        # the agreements themselves are what to obtain: what this one relies on in each, and where it borrows its terms
        asked = []
        for f in agreements:
            name = (f.get("evidence") or {}).get("document") or ""
            cited = [f"{re.sub(rf' of the {re.escape(name)}$', '', occ['words']) if name else occ['words']}, relied on in "
                     f"{occ['clause']}" for occ in (f.get("evidence") or {}).get("occurrences", [])]
            lend = sorted({c for g in rest if name in _agreements_named(g) for c in g["sections"]}, key=clause_key)
            if lend:
                cited.append(f"where this agreement looks for terms it does not define ({', '.join(lend)})")
            asked.append(f"the {name} ({'; '.join(dict.fromkeys(cited))})" if name else "; ".join(dict.fromkeys(cited)))
        out.append(_text_issue(Area.DOCUMENTS, agreements, "provisions-of-other-documents",
                               "The other agreements this one relies on: " + "; ".join(asked)))
    return out


def _agreements_named(f: dict[str, Any]) -> list[str]:
    """The agreements a drafting finding on a term says it comes from: the documents it is "as defined in", or those
    a catch-all definition sends it to ("the Securities Purchase Agreement or the Convertible Debenture")."""
    ev = f.get("evidence") or {}
    docs = ev.get("documents") or (ev.get("catch_all") or {}).get("documents") or []
    return re.findall(r"[A-Z][\w-]*(?: [A-Z][\w-]*)* Agreement\b", " ; ".join(docs) if isinstance(docs, list) else str(docs))


def _q(w: str) -> str:
    return '"' + w + '"'


def _words_figures(f: dict[str, Any]) -> Issue:
    ev = f.get("evidence") or {}
    return Issue(id=f"proofreading.{f['id'].split('.', 1)[1]}", severity=Severity.LOW, area=Area.PROOFREADING,
                 title=f["title"], sections=tuple(f["sections"]), explanation=f["explanation"],
                 quotes=(Quote(f["sections"][0], ev.get("quote", "")),) if ev.get("quote") else (),
                 favours=Favours.NEITHER, findings=(f["id"],), found_by=("draft",), primary=(f["id"],))


def _fallback(f: dict[str, Any]) -> Issue:
    """A refuted invariant or an unknown result that no detector explains: carried as it is, its dated
    counterexample in words (no redline)."""
    secs = sort_clauses(f["sections"])
    area = Area.MONEY if any(c == "2(c)" for c in secs) else Area.DEADLINES
    ev = f.get("evidence") or {}
    explanation = f["explanation"]
    rows = ev.get("counterexample") or []
    if rows:
        from rra.solver.provisions import day

        dated = "; ".join(f"{day(date.fromisoformat(r['date']))}: {r['event'].removeprefix('deadline: ')}"
                          for r in rows[:8])
        explanation = f"It fails, for example, with these dates: {dated}."
    return Issue(id=f"{area.value.split()[0]}.{f['id']}", severity=Severity.MEDIUM, area=area, title=f["title"],
                 sections=secs, explanation=explanation, quotes=(), favours=Favours.NEITHER,
                 findings=(f["id"],), found_by=(_analysis(f["id"]),), primary=(f["id"],),
                 redline_note="no redline suggested: none of the checks that propose redlines explains this result")



def consent_section(agreement: Agreement, findings: Sequence[dict[str, Any]]) -> list[Issue]:
    """The consent and voting entries: the consent analysis's own issues (one per decision or problem), when the
    consent analysis is among the findings' analyses (none with `--only` naming others)."""
    from rra.solver.consent_analysis import consent_issues

    if not any(f.get("kind") == "consent" for f in findings):
        return []
    # the entry's own finding is what the redline check re-runs the consent analysis for
    return [replace(i, primary=i.primary or (i.id,)) for i in consent_issues(agreement)]


def build(agreement: Agreement, findings: Sequence[dict[str, Any]], title: str | None = None) -> Memo:
    """The memo for the findings (as `rra check --json` lists them) of an agreement."""
    dropped: list[tuple[str, str]] = []
    fs = []
    for f in sorted(findings, key=lambda f: f["id"]):
        why = rejected(agreement, f)
        if why is None:
            fs.append(f)
        else:
            dropped.append((f["id"], why))
    by_id = {f["id"]: f for f in fs}
    prov = [f for f in fs if f["id"].startswith("provisions.")]
    absorbed: dict[str, list[str]] = {}
    claimed: set[str] = {f["id"] for f in prov}
    for f in prov:
        pats = f["evidence"]["memo"].get("absorbs") or []
        for g in fs:
            if g["id"] in claimed or g["id"].startswith("provisions."):
                continue
            if any(_matches(g["id"], g, p) for p in pats):
                absorbed.setdefault(f["id"], []).append(g["id"])
    claimed |= {x for xs in absorbed.values() for x in xs}
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for f in prov:
        # one entry per kind and severity; a documents-needed line is one finding (one document), and so is each pair
        # of deadlines that disagree (two pairs are two problems, each with its own redline)
        one = Area(f["evidence"]["memo"]["area"]) == Area.DOCUMENTS or f["id"].split(".")[1] in SEPARATE
        groups.setdefault((f["id"].split(".")[1], f["evidence"]["memo"]["severity"], *((f["id"],) if one else ())),
                          []).append(f)
    issues = [_from_provisions(g, absorbed, by_id) for g in groups.values()]
    consent = _fold_voting(agreement, consent_section(agreement, fs), [i for i in issues if i.area == Area.CONSENT])
    theirs = {x for i in consent for x in i.findings}
    # a finding the consent section groups belongs to its entry only
    issues = [replace(i, findings=tuple(x for x in i.findings if x not in theirs or x in i.primary))
              for i in issues if i.area != Area.CONSENT] + consent
    claimed |= {x for i in consent for x in i.findings}
    rest = [f for f in fs if f["id"] not in claimed]
    text = [f for f in rest if f["id"].startswith("text.")]
    issues += _appendix(text, dropped)
    for f in rest:
        fid = f["id"]
        if fid.startswith("text."):
            continue
        if fid.startswith("draft.words-figures."):
            issues.append(_words_figures(f))
            continue
        if fid.startswith("consent."):
            if _default_claims(agreement, f):
                issues.append(_claims_issue(agreement, f))
            else:
                dropped.append((fid, _consent_reason(agreement, f)))
            continue
        if fid.startswith("proof.") and (f.get("evidence") or {}).get("kind") not in ("designated-delay",):
            issues.append(_fallback(f))
            continue
        if fid == "z3.example.amount":
            issues.append(_fallback(f))
            continue
        reason = next((r for p, r in _DROP_RULES if fnmatch.fnmatchcase(fid, p)), "not grouped into an entry")
        dropped.append((fid, reason))
    issues = order(_merge_same_cure(agreement, order([_promoted(agreement, i) for i in issues])))
    issues = _completed_by(issues, by_id)
    issues = _defined_by_others(agreement, issues)
    issues = _with_fixes(agreement, issues, by_id)
    memo_title = title or f"Review memo: {agreement.package.title}"
    memo = Memo(memo_title, _numbered_references(memo_title, issues), sorted(dropped))
    return replace(memo, basis=figures_basis(agreement, memo))


# How a partial month is counted, in words, by month convention (rra.solver.months).
CONVENTION_WORDS = {"calendar-month": "the days since the last monthly anniversary of the period's start divided by "
                                      "the days to the next",
                    "30-day": "its days divided by 30", "actual-365": "its days divided by 365/12"}


def figures_basis(agreement: Agreement, m: Memo) -> str:
    """The sentence under the memo's counts that says how its dollar figures are computed: per $1,000,000 of
    principal at the measure's monthly rate, with the convention for partial months (and the entry on the missing
    day-count rule, when there is one)."""
    p, measure = agreement.params, agreement.model.measure
    rate = p.values.get(measure.rate)
    conv = str(p.values.get(measure.convention, ""))
    if rate is None or conv not in CONVENTION_WORDS:
        return ""
    day_count = next((i.id for i in m.issues if i.id.startswith("money.no-day-count.")), None)
    labels = entry_labels(m)
    unread = measure.rate in p.unbound  # the draft's words do not give the rate: the figures use the package's
    return ("Dollar figures are per $1,000,000 of principal at "
            + (f"{float(rate) * 100:g}% a month, the rate of the agreement this draft edits, because the draft's words "
               f"for the rate of Section {measure.clause} could not be read" if unread else
               f"the {float(rate) * 100:g}% a month of Section {measure.clause}")
            + f"; a partial month counts as {CONVENTION_WORDS[conv]}"
            + (f" (the text sets no rule: see entry {labels[day_count]})" if day_count in labels else "") + ".")


# The words by which the analyses refer to another entry before the memo numbers its entries, and the entry (id
# prefix) each means: in the memo they become "entry N".
# A reference in parentheses, or after a comma, is dropped when the memo has no such entry.
REFERENCES = {"the entry on decisions with no stated vote": "consent.no-stated-vote",
              "the entry on it": "money.measure-start.",
              " (see the entry on the review window)": "deadlines.review-window.",
              " (contested, see the entry on whether any shortfall counts)": "money.all-cannot.",
              " (see the entry on the grace before payments)": "money.grace-versus-measure.",
              " (compare the example in the entry on the Investors' delays)": "money.carve-out-narrow.",
              ", subject to the entry on securities that never stop counting": "consent.outsiders-count",
              " (but see the entry on how rights pass on assignment)": "parties.assignment-scope.",
              # one point, one entry: an entry that touches another's point in passing points to it
              " (see the entry on who 2(c) pays)": "money.payee-differs.",
              " (see the entry on the payment base)": "money.base-omits-class."}


def _numbered_references(title: str, issues: list[Issue]) -> list[Issue]:
    """The entries with their references to other entries by description replaced by the other entry's number."""
    labels = entry_labels(Memo(title, issues, []))

    def number(text: str, own: str) -> str:
        for words, prefix in REFERENCES.items():
            target = next((o.id for o in issues if o.id.startswith(prefix) and o.id != own), None)
            if target is not None and target in labels:
                text = text.replace(words, words[:words.find("the entry on")] + f"entry {labels[target]}" +
                                    (")" if words.endswith(")") else ""))
            elif words.startswith((" (", ", ")):  # an aside: the sentence reads without it
                text = text.replace(words, "")
        return text
    return [replace(i, title=number(i.title, i.id), explanation=number(i.explanation, i.id),
                    example=number(i.example, i.id) if i.example else i.example,
                    open_points=tuple(number(p, i.id) for p in i.open_points)) for i in issues]


def _cures(agreement: Agreement, f: dict[str, Any], reds: Sequence[Redline]) -> bool:
    """Redlines remove a drafting defect: they rewrite each of the defect's own words wherever it stands, and their new
    words do not repeat them (for an unmatched parenthesis: a find holds the parenthesis and its new words restore
    the balance)."""
    ev = f.get("evidence") or {}
    occ = ev.get("occurrences") or []
    kind = f["id"].split(".")[1]

    def cured(o: dict[str, Any]) -> bool:
        clause = o.get("clause", "")
        text = agreement.document.normalized(clause) if clause in agreement.document.by_id else ""
        words = normalize(o.get("words", ""))
        for r in reds:
            if r.clause != clause or r.replace not in text:
                continue
            if kind == "unbalanced-parentheses":
                at, lo = text.find(words), text.find(r.replace)
                mark = "(" if "(" in ev.get("unmatched", []) else ")"
                inside = any(text[k] == mark for k in range(max(lo, at), min(lo + len(r.replace), at + len(words))))
                if inside and (r.with_.count("(") - r.with_.count(")")) != (r.replace.count("(") - r.replace.count(")")):
                    return True
                continue
            marks = [m.group(1) for m in re.finditer(r'"([^"]+)"', f.get("title", ""))] if kind == "typo" else [words]
            if any(w in r.replace and w not in r.with_ for w in marks):
                return True
        return False
    return bool(occ) and all(cured(o) for o in occ)


def _promoted(agreement: Agreement, i: Issue) -> Issue:
    """A medium entry that changes how much is paid in the ordinary course of the deal, by at least half of what
    the payment measure charges a month, is high: the severity rule is consequence ("changes who pays, how much or
    when"), and an ambiguity that moves that much money is not weaker than the high entries that do."""
    rate = agreement.params.values.get(agreement.model.measure.rate)
    if i.severity != Severity.MEDIUM or i.area.appendix or i.certainty != Certainty.ORDINARY or rate is None:
        return i
    month = Fraction(str(rate)) * 1_000_000  # what the measure charges a month, per $1,000,000
    threshold = month / 2
    if i.per_month < threshold and i.once < month:
        return i
    if i.per_month < threshold:  # a fixed amount: how many months of payments it is worth
        return replace(i, severity=Severity.HIGH, severity_reason=(
            f"in the ordinary course ${i.once:,} per $1,000,000 turns on it in its example, "
            f"{float(Fraction(i.once) / month):.1f} months of the {float(rate) * 100:g}% a month the measure charges, "
            "an amount that does not grow with time"))
    share = Fraction(i.per_month) / month
    how = "all of" if share == 1 else "more than" if share > 1 else f"{int(share * 100)}% of"  # never "100% of" below it
    return replace(i, severity=Severity.HIGH, severity_reason=(
        f"in the ordinary course ${i.per_month:,} a month per $1,000,000 turns on it, {how} the "
        f"{float(rate) * 100:g}% a month the measure charges"))


def _defined_by_others(agreement: Agreement, issues: list[Issue]) -> list[Issue]:
    """Each entry with the entries whose redlines define a term its own redline uses and the agreement does not
    define (`relies_on`): its new words mean nothing without theirs, so the memo says to apply them together (the
    redline check already checks them together: rra.solver.memo_check.dependencies)."""
    from rra.solver.redline_lint import defines, uses
    from rra.spec.terms import definitions

    have = {d.term for d in definitions(agreement.document)}
    out = []
    for i in issues:
        used = {t for r in i.redlines for t in uses(r)} - have
        need = tuple(o.id for o in issues if used and o.id != i.id and o.id not in i.relies_on
                     and any(used & set(defines(r)) for r in o.redlines))
        out.append(replace(i, relies_on=i.relies_on + need) if need else i)
    return out


def _completed_by(issues: list[Issue], by_id: dict[str, dict[str, Any]]) -> list[Issue]:
    """Each entry with the entries whose redlines its cure needs (`relies_on`): a detector names the kinds of finding,
    on the same clause, whose redlines complete its own (a base whose first part stays summed over all holders; new
    payees paid on a base that does not count their class)."""
    out = []
    for i in issues:
        kinds = {k for f in i.primary if f in by_id for k in (by_id[f].get("evidence") or {}).get("completes_with") or ()}
        clauses = {r.clause for r in i.redlines}
        need = tuple(o.id for o in issues if o.id != i.id and o.id not in i.relies_on and any(
            f.startswith("provisions.") and f.split(".")[1] in kinds and set(by_id[f]["sections"]) & clauses
            for f in o.primary if f in by_id))
        out.append(replace(i, relies_on=i.relies_on + need) if need else i)
    return out


def _with_fixes(agreement: Agreement, issues: list[Issue], by_id: dict[str, dict[str, Any]]) -> list[Issue]:
    """The proofreading items with their one-line fixes (rra.solver.memo_fixes); an item whose words a memo entry's
    redline rewrites is cured by that entry (its redline check confirms it) and gets no fix of its own."""
    from rra.solver.memo_fixes import fixes

    body = [i for i in issues if not i.area.appendix and i.redlines]
    out = []
    for i in issues:
        if i.area != Area.PROOFREADING:
            out.append(i)
            continue
        fs = [by_id[f] for f in i.findings if f in by_id]
        cured = tuple(b.id for b in body if fs and all(_cures(agreement, f, b.redlines) for f in fs))
        if cured:
            out.append(replace(i, cured_by=cured, redline_note="cured by another entry's redline"))
            continue
        if i.redlines:
            out.append(i)
            continue
        reds = tuple(fixes(agreement, [by_id[f] for f in i.findings if f in by_id]))
        out.append(replace(i, redlines=reds, redline_note="", open_points=i.open_points + _placement_notes(agreement, reds))
                   if reds else i)
    return out


def _placement_notes(agreement: Agreement, reds: Sequence[Redline]) -> tuple[str, ...]:
    """What a closing parenthesis placed before a qualifier decides (the qualifier then reaches the whole clause, not
    only the words in parentheses): a choice a reader should see, not a typo fixed silently."""
    out = []
    for r in reds:
        if not re.search(r"\), but (?:excluding|not including|except)\b", r.with_):
            continue
        text = agreement.document.normalized(r.clause)
        at = text.find(r.replace)
        m = re.compile(r"but (?:excluding|not including|except)\b[^;()]*(?:\([^()]*\)[^;()]*)*").search(
            text, at if at >= 0 else 0)
        if m:
            out.append(f"where the parenthesis closes decides what \"{m.group(0).rstrip(' ,')}\" qualifies: the redline "
                       "closes it before those words, so they reach the whole clause; closed after them, they would "
                       "reach only the words in parentheses")
    return tuple(out)


def _fold_voting(agreement: Agreement, consent: list[Issue], voting: list[Issue]) -> list[Issue]:
    """The provisions review's voting entries folded into the consent analysis's entries: each joins the entry with
    the same cure, or else the one sharing the most clauses; one that shares no clause with any stays an entry."""
    def overlap(c: Issue, v: Issue) -> tuple[bool, float]:
        common = set(c.sections) & set(v.sections)
        return same_cure(agreement, c, v), len(common) / len(set(c.sections) | set(v.sections))

    out = list(consent)
    for v in voting:
        best = max(range(len(out)), key=lambda k: overlap(out[k], v), default=None)
        if best is None or overlap(out[best], v) == (False, 0.0):
            out.append(v)
            continue
        o = out[best]
        # the consent entry keeps its words; what only the provisions entry has (its dated example and what is at
        # stake) joins it
        extra: dict[str, Any] = {}
        if o.example is None and v.example is not None:
            extra = {"example": v.example, "figures": v.figures, "per_month": max(o.per_month, v.per_month)}
        out[best] = replace(o, findings=o.findings + tuple(f for f in v.findings if f not in o.findings),
                            found_by=o.found_by + tuple(f for f in v.found_by if f not in o.found_by), **extra)
    return out


def change_spans(agreement: Agreement, r: Redline) -> list[tuple[int, int, str]]:
    """Where a redline changes its clause: for each place its words occur, the span of the clause's words it really
    changes (its find and its new words less the words they share at both ends) and the words put there."""
    text = agreement.document.normalized(r.clause) if r.clause in agreement.document.by_id else ""
    old, new = r.replace, r.with_
    p, q = r.shared_ends()
    out = []
    at = text.find(old)
    while at >= 0:
        out.append((at + p, at + len(old) - q, new[p:len(new) - q]))
        at = text.find(old, at + 1)
    return out


def _same_change(agreement: Agreement, a: Redline, b: Redline) -> bool:
    """Two redlines change overlapping words of one clause, and the same way (one's new words contain the other's)."""
    if a.clause != b.clause:
        return False
    for a0, a1, wa in change_spans(agreement, a):
        for b0, b1, wb in change_spans(agreement, b):
            touch = (a0 < b1 and b0 < a1) or (a0 == a1 == b0 == b1)
            if touch and (wa in wb or wb in wa):
                return True
    return False


def same_cure(agreement: Agreement, a: Issue, b: Issue) -> bool:
    """Two entries one of whose redlines changes the same words the same way as one of the other's are one problem
    seen from two sides (a definition that never ends, read once for votes and once for the definition; a condition
    read once as a veto and once as the scope of an assignment)."""
    return any(_same_change(agreement, ra, rb) for ra in a.redlines for rb in b.redlines)


def _breadth(i: Issue) -> tuple[int, int, int]:
    return (len(i.redlines), -SEVERITY_ORDER.index(i.severity), len(i.sections))


def _merge_same_cure(agreement: Agreement, issues: list[Issue]) -> list[Issue]:
    """One entry per problem: entries with the same cure are one entry; the broader of the two (more redlines, then
    higher severity, then more clauses) keeps its title and words, the other's words stay in its detail (`merged`);
    quotes, clauses, findings and the redlines that are not the same change join it, at the higher severity."""
    out: list[Issue] = []
    for i in issues:
        into = next((k for k, o in enumerate(out) if same_cure(agreement, o, i)), None)
        if into is None:
            out.append(i)
            continue
        o, i = (out[into], i) if _breadth(out[into]) >= _breadth(i) else (i, out[into])
        quotes = o.quotes + tuple(q for q in i.quotes
                                  if not any(q.clause == k.clause and q.words in k.words for k in o.quotes))
        quotes = tuple(q for q in quotes
                       if not any(k != q and q.clause == k.clause and q.words in k.words for k in quotes))
        reds = o.redlines + tuple(r for r in i.redlines if not any(_same_change(agreement, r, k) for k in o.redlines))
        merged = [*o.detail.get("merged", []), {"id": i.id, "title": i.title, "explanation": i.explanation}]
        sev = min(o.severity, i.severity, key=SEVERITY_ORDER.index)
        out[into] = replace(o, severity=sev, sections=sort_clauses({*o.sections, *i.sections}), quotes=quotes,
                            redlines=reds,
                            findings=o.findings + tuple(f for f in i.findings if f not in o.findings),
                            found_by=o.found_by + tuple(f for f in i.found_by if f not in o.found_by),
                            primary=o.primary + tuple(f for f in i.primary if f not in o.primary),
                            detail={**o.detail, "merged": merged})
    return out


def _yields(agreement: Agreement, clause: str) -> bool:
    """A general clause that gives way to the clauses that set their own rule ("Except as otherwise provided")."""
    text = agreement.document.normalized(clause) if clause in agreement.document.by_id else ""
    return re.search(r"except as (?:otherwise|expressly) (?:provided|set forth|stated)", text, re.IGNORECASE) is not None


def _default_claims(agreement: Agreement, f: dict[str, Any]) -> bool:
    """Two rules disagree and one is the default rule that does not give way: both claim the decision."""
    if not f["id"].startswith(("consent.disagree.", "consent.compete.")):
        return False
    rules = {r.id: r for r in agreement.model.consent_rules}
    named = [rules[r] for r in (f.get("evidence") or {}).get("rules") or [] if r in rules]
    return any(r.default and not _yields(agreement, r.clause) for r in named)


def _claims_issue(agreement: Agreement, f: dict[str, Any]) -> Issue:
    rules = {r.id: r for r in agreement.model.consent_rules}
    named = [rules[r] for r in f["evidence"]["rules"] if r in rules]
    secs = sort_clauses(r.clause for r in named)
    dflt = next(r for r in named if r.default)
    other = next((r for r in named if not r.default), dflt)
    return Issue(id=f"consent.default-claims.{'+'.join(secs)}", severity=Severity.MEDIUM, area=Area.CONSENT,
                 title=f"{dflt.clause} and {other.clause} both claim the decision to {other.decision}",
                 sections=secs,
                 explanation=f"{dflt.clause} sets a general vote for every consent of the Investors without giving way to "
                             f"clauses that set their own, and {other.clause} sets a different one for the same decision: "
                             "the two can give opposite answers on the same holdings.",
                 quotes=tuple(Quote(r.clause, r.quote) for r in named), favours=Favours.NEITHER,
                 findings=(f["id"],), found_by=("consent",), primary=(f["id"],),
                 redline_note="no redline suggested: which rule should govern is a business choice")


def _consent_reason(agreement: Agreement, f: dict[str, Any]) -> str:
    """Why a consent finding is not an entry: a default rule yields to rules that set their own vote; different
    decisions are taken by different people; relations between rules have no consequence."""
    fid = f["id"]
    rules = (f.get("evidence") or {}).get("rules") or []
    model = {r.id: r for r in agreement.model.consent_rules}
    if any(model[r].default for r in rules if r in model):
        return ("a general clause (\"except as otherwise provided herein\") yields to clauses that set their own vote, "
                "so the two never govern the same decision")
    if fid.startswith(("consent.compete.", "consent.disagree.")):
        return "different decisions (different roles) taken by different people are not a conflict"
    if fid.startswith("consent.unknown."):
        return "the solver could not decide (unknown is not a pass)"
    return next((r for p, r in _DROP_RULES if fnmatch.fnmatchcase(fid, p)), "not grouped into an entry")


def _dollars(v: str) -> int:
    m = re.match(r"\$([\d,]+)", v)
    return int(m.group(1).replace(",", "")) if m else 0


def stake(i: Issue) -> int:
    """The largest dollar figure of an entry's example (per $1,000,000), 0 when it has none."""
    best = 0
    for v in i.figures.values():
        m = re.match(r"\$([\d,]+)", v)
        if m:
            best = max(best, int(m.group(1).replace(",", "")))
    return best


CERTAINTY_ORDER = (Certainty.EVERY, Certainty.ORDINARY, Certainty.CONTINGENT)


def order(issues: Iterable[Issue]) -> list[Issue]:
    """Body first by severity, then by legal consequence: in which worlds the problem bites (every world, the ordinary
    course, a contingency), then whether a whole remedy's enforceability is at stake, then what is at stake per month of the state that triggers it per $1,000,000 (not the
    example's total, which is an artefact of how long the example runs), then area and clause; the appendices after,
    by area then clause."""
    def key(i: Issue) -> tuple[Any, ...]:
        app = i.area.appendix
        first = i.quotes[0].clause if i.quotes else (i.sections[0] if i.sections else "")
        return (app, AREA_ORDER.index(i.area) if app else 0, SEVERITY_ORDER.index(i.severity),
                CERTAINTY_ORDER.index(i.certainty), not i.whole_remedy, -i.per_month, AREA_ORDER.index(i.area),
                clause_key(first), i.id)
    return sorted(issues, key=key)


# ------------------------------------------------------------------------------------------------ JSON

def issue_json(i: Issue, number: int) -> dict[str, Any]:
    """The documented JSON shape of an issue."""
    first = i.redlines[0].to_json() if i.redlines else None
    if first is not None:
        first = {k: first[k] for k in ("clause", "replace", "with")}
    return {"id": i.id, "number": number, "severity": str(i.severity), "area": str(i.area), "appendix": i.area.appendix,
            "certainty": str(i.certainty), "per_month": i.per_month, "once": i.once, "whole_remedy": i.whole_remedy,
            "severity_reason": i.severity_reason,
            "title": i.title, "sections": list(i.sections), "explanation": i.explanation,
            "quotes": [{"clause": q.clause, "words": q.words} for q in i.quotes], "example": i.example,
            "figures": i.figures, "stake": stake(i), "favours": str(i.favours), "favours_note": i.favours_note, "redline": first,
            "redlines": [r.to_json() for r in i.redlines], "redline_check": str(i.redline_check),
            "redline_note": i.redline_note, "open_points": list(i.open_points), "relies_on": list(i.relies_on),
            "cured_by": list(i.cured_by), "findings": list(i.findings), "found_by": list(i.found_by),
            "redline_check_detail": i.detail.get("redline_check", {})}


def memo_json(m: Memo) -> dict[str, Any]:
    """The memo's part of `rra check --json`: issues, the findings not carried and why, and notes."""
    return {"issues": [issue_json(i, n) for n, i in enumerate(m.issues, 1)],
            "not_in_memo": [{"finding": f, "why": w} for f, w in m.dropped], "memo_notes": list(m.notes),
            "memo_technical_notes": list(m.tech_notes), "memo_summary": summary(m), "memo_basis": m.basis}


def summary(m: Memo) -> dict[str, Any]:
    """Counts by severity and area, and how many redlines were checked."""
    body = m.body
    sev = {str(s): sum(1 for i in body if i.severity == s) for s in SEVERITY_ORDER}
    area = {str(a): sum(1 for i in m.issues if i.area == a) for a in AREA_ORDER}
    hm = [i for i in body if i.severity in (Severity.HIGH, Severity.MEDIUM)]
    checks = {str(c): sum(1 for i in hm if i.redline_check == c) for c in RedlineCheck}
    return {"entries": len(body), "appendix": len(m.issues) - len(body), "by_severity": sev, "by_area": area,
            "high_and_medium": len(hm), "with_redline": sum(1 for i in hm if i.redlines), "redline_checks": checks}


def with_checks(m: Memo, results: dict[str, tuple[RedlineCheck, str, dict[str, Any]]], notes: Sequence[str] = (),
                tech_notes: Sequence[str] = ()) -> Memo:
    """The memo with each issue's redline check (status, plain words, particulars for the technical appendix)."""
    issues = [replace(i, redline_check=results[i.id][0], redline_note=results[i.id][1],
                      detail={**i.detail, "redline_check": results[i.id][2]}) if i.id in results else i
              for i in m.issues]
    return replace(m, issues=issues, notes=[*m.notes, *notes], tech_notes=[*m.tech_notes, *tech_notes])


def entry_labels(m: Memo) -> dict[str, str]:
    """The number each entry has in the memo: 1, 2, ... in the body (in order), A1 ... and B1 ... in the appendices."""
    out: dict[str, str] = {}
    body = m.body
    for sev in SEVERITY_ORDER:
        for i in body:
            if i.severity == sev:
                out[i.id] = str(len(out) + 1)
    for area, letter in ((Area.PROOFREADING, "A"), (Area.DOCUMENTS, "B")):
        for k, i in enumerate((i for i in m.issues if i.area == area), 1):
            out[i.id] = f"{letter}{k}"
    return out


__all__ = ["Memo", "build", "order", "memo_json", "issue_json", "clause_key", "sort_clauses", "consent_section",
           "with_checks", "summary", "entry_labels", "change_spans", "same_cure", "rejected", "witness_problem"]
