"""The drafting review: what a careful associate checks by hand, derived from the text of any agreement in this
numbering style (the bundled one or a draft given to `rra check --agreement FILE`).

One function per check; each takes the parsed document and returns findings of kind "text". Finding ids are
stable: `text.<check>.<subject>` (the subject is a term, a clause id, or the words in question), `sections` are
the clause ids where the words are, and `evidence["occurrences"]` lists the words with their clause and source
line. Nothing here names a defect of the bundled agreement: each check would find the same defect in
another draft.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import networkx as nx
from rapidfuzz.distance import Levenshtein
from rra.solver.findings import CheckContext, Finding, Outcome
from rra.solver.textgraph import attachments, build_graph, references
from rra.spec.clauses import Document
from rra.spec.terms import (
    ClauseText,
    borrowed_terms,
    cached,
    catch_all,
    clause_texts,
    definitions,
    find_uses,
    long_names,
    quote_spans,
    sentence_bounds,
    undefined_candidates,
)
from rra.spec.text import normalize

KIND = "text"

# ---------------------------------------------------------------- small helpers


def _occ(clause: str, line: int, words: str) -> dict[str, Any]:
    return {"clause": clause, "line": line, "words": words}


def _slug(words: str) -> str:
    return re.sub(r"[^A-Za-z0-9()]+", "-", words).strip("-").lower()


def _context(text: str, a: int, b: int, pad: int = 40) -> str:
    """The words around [a, b), cut at word boundaries."""
    lo = max(0, a - pad)
    hi = min(len(text), b + pad)
    if lo > 0:
        lo = text.find(" ", lo) + 1 or lo
    if hi < len(text):
        k = text.rfind(" ", b, hi)
        hi = k if k > b else hi
    return text[lo:hi]


def _the(document: str) -> str:
    """A document's name as a sentence would say it: "the Securities Purchase Agreement", "Rule 501"."""
    return document if re.match(r"(?:the|Rule|Regulation|Section|Form)\b", document) else f"the {document}"


def _unique(seq: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(seq))


def _order(doc: Document) -> dict[str, int]:
    return {c.id: i for i, c in enumerate(doc.clauses)}


def _within(doc: Document, clause: str, ancestor: str) -> bool:
    """Whether a clause is the ancestor or sits inside it."""
    cur: str | None = clause
    while cur is not None:
        if cur == ancestor:
            return True
        c = doc.by_id.get(cur)
        cur = c.parent if c else None
    return False


# ---------------------------------------------------------------- numbers in words and figures

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9}
_FRACTIONS = {"tenths": 10, "hundredths": 100, "thousandths": 1000}
_NUMWORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", *_SCALES, *_FRACTIONS, "tenth", "hundredth"], key=len,
                           reverse=True))
_WORDS_RE = rf"(?:{_NUMWORD})(?:(?:\s+|-)(?:and\s+)?(?:{_NUMWORD}))*"
_WORDS_AND_FIGURES = re.compile(
    rf"(?<![\w-])(?P<words>{_WORDS_RE})(?:\s+(?P<unit>dollars|percent|per cent))?\s*"
    rf"\((?P<fig>\$?(?:\d[\d,]*(?:\.\d+)?|\.\d+))%?\)", re.IGNORECASE)
_PERIOD = re.compile(
    rf"(?<![\w-])(?:(?P<words>{_WORDS_RE})(?:\s*\((?P<fig>\d[\d,]*)\))?|\((?P<fig2>\d[\d,]*)\)|(?P<digits>\d[\d,]*))"
    r"(?:\s+|-)(?P<consec>consecutive\s+)?(?P<basis>business|trading|calendar|banking)?[\s-]*"
    r"(?P<unit>day|month|year)s?\b", re.IGNORECASE)
_DATE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                   r"\s+\d{1,2},\s+\d{4}")


def words_value(words: str) -> Fraction | None:
    """The number that English words name ("thirty" -> 30, "two hundredths" -> 1/50), or None."""
    toks = [t for t in re.split(r"[\s-]+", words.lower()) if t and t != "and"]
    denom = 1
    if toks and toks[-1] in _FRACTIONS:
        denom = _FRACTIONS[toks.pop()]
    elif toks and toks[-1] in ("tenth", "hundredth"):
        denom = 10 if toks.pop() == "tenth" else 100
    if not toks:
        return None
    total, cur = 0, 0
    for t in toks:
        if t in _UNITS:
            cur += _UNITS[t]
        elif t in _TENS:
            cur += _TENS[t]
        elif t == "hundred":
            cur = (cur or 1) * 100
        elif t in _SCALES:
            total += (cur or 1) * _SCALES[t]
            cur = 0
        else:
            return None
    return Fraction(total + cur, denom)


def figure_value(fig: str) -> Fraction:
    """The number a figure names ("$1,000,000" -> 1000000, ".02" -> 1/50)."""
    return Fraction(fig.replace("$", "").replace(",", ""))


@dataclass(frozen=True)
class Period:
    """A number of days, months or years as written ("thirty (30) days", "ten (10) consecutive trading days")."""

    clause: str
    offset: int
    end: int
    line: int
    words: str
    n: int
    unit: str  # day | month | year
    basis: str  # calendar | business | trading (days only; "" otherwise)


def all_periods(doc: Document) -> dict[str, list[Period]]:
    """Every clause's periods, by clause id (computed once per document)."""
    return cached(doc, "periods", lambda: {c.id: periods(ct) for c in doc.clauses
                                           for ct in (clause_texts(doc)[c.id],)})


def periods(ct: ClauseText) -> list[Period]:
    """Every period stated with a number in a clause's own text."""
    return list(_periods(ct))


# A draft's review reads again only the clauses it changes: what a check finds in one clause's own text is
# remembered by that text (ClauseText: the clause, its words and its lines), never the findings themselves.
CLAUSE_MEMORY = 8192


@lru_cache(maxsize=CLAUSE_MEMORY)
def _periods(ct: ClauseText) -> tuple[Period, ...]:
    out: list[Period] = []
    for m in _PERIOD.finditer(ct.text):
        if m.group("words"):
            value = words_value(m.group("words"))
            if value is None and m.group("fig"):
                value = figure_value(m.group("fig"))
        else:
            value = figure_value(m.group("fig2") or m.group("digits"))
        if value is None or value.denominator != 1:
            continue
        unit = m.group("unit").lower()
        basis = (m.group("basis") or "calendar").lower() if unit == "day" else ""
        if basis == "banking":
            basis = "business"
        out.append(Period(ct.clause, m.start(), m.end(), ct.line(m.start()), m.group(0), int(value), unit, basis))
    return tuple(out)


# ---------------------------------------------------------------- defined terms


def _definition_articles(doc: Document) -> set[str]:
    """Clauses inside a definitions article: a Section headed "Definitions", or one holding three or more
    "X means ..." definitions."""
    means: dict[str, int] = defaultdict(int)
    for d in definitions(doc):
        if d.form == "means":
            top = d.clause.split("(")[0]
            means[top] += 1
    tops = {c.id for c in doc.clauses if c.kind == "section" and ("DEFINITION" in (c.heading or "").upper()
                                                                   or means.get(c.id, 0) >= 3)}
    return {c.id for c in doc.clauses if any(_within(doc, c.id, t) for t in tops)}


def check_undefined_terms(doc: Document) -> list[Finding]:
    """Capitalized multi-word terms used like defined terms but never defined here (nor borrowed with a note)."""
    longs = long_names(doc)
    ca = catch_all(doc)
    by_words: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for c in undefined_candidates(doc):
        by_words[c.words].append((c.clause, c.line, c.words))
    # Capitalized words that are a party's name (or a near spelling of it) are names, not terms: the names
    # check reports their spelling.
    party_words = [re.sub(r",?\s+\S+$", "", n) for n in names(doc) if _ORG.search(n)]
    out: list[Finding] = []
    for words, occ in sorted(by_words.items()):
        if any(p.lower().startswith(words.lower()) or
               Levenshtein.distance(words.lower(), p.lower()[: len(words)], score_cutoff=2) <= 2 for p in party_words):
            continue
        long_of = next((t for ln, t in longs.items() if ln == words or ln.endswith(" " + words)), None)
        sections = _unique(o[0] for o in occ)
        evidence: dict[str, Any] = {"occurrences": [_occ(*o) for o in occ]}
        if long_of is not None:
            out.append(Finding(
                f"{KIND}.long-form.{_slug(long_of)}", KIND, "info", sections,
                f'"{words}" written out although the text defines "{long_of}" for it',
                f'The text abbreviates "{words}" as the defined term "{long_of}" but later writes the long form; '
                "mixing the two invites the argument that something different was meant.",
                {**evidence, "defined_term": long_of}))
            continue
        if ca is not None:
            severity = "warning"
            why = (f"No definition in this text; only the catch-all in {ca[0]} gives it a meaning, from "
                   f"{ca[1]}, which this document does not contain, so the reader cannot check it here.")
            evidence["catch_all"] = {"clause": ca[0], "documents": ca[1]}
        else:
            severity = "error"
            why = "The text uses it as a defined term (capitalized) but never defines it and names no other source."
        out.append(Finding(f"{KIND}.undefined-term.{_slug(words)}", KIND, severity, sections,
                           f'"{words}" is used as a defined term but never defined', why, evidence))
    return out


def check_defined_terms(doc: Document) -> list[Finding]:
    """Terms defined but never used, defined more than once, defined here and also borrowed, used before their
    definition without a forward reference, and definitions that refer to themselves (directly or in a cycle)."""
    defs = definitions(doc)
    borrowed = borrowed_terms(doc)
    texts = clause_texts(doc)
    order = _order(doc)
    articles = _definition_articles(doc)
    by_term: dict[str, list[Any]] = defaultdict(list)
    for d in defs:
        by_term[d.term].append(d)
    borrowed_by: dict[str, list[Any]] = defaultdict(list)
    for b in borrowed:
        borrowed_by[b.term].append(b)
    all_uses = find_uses(doc, set(by_term) | set(borrowed_by))
    uses_by: dict[str, list[Any]] = defaultdict(list)
    for u in all_uses:
        uses_by[u.term].append(u)
    out: list[Finding] = []

    for term, ds in sorted(by_term.items()):
        us = uses_by.get(term, [])
        first = ds[0]
        # defined but never used
        if not us:
            out.append(Finding(
                f"{KIND}.unused-term.{_slug(term)}", KIND, "warning", _unique(d.clause for d in ds),
                f'"{term}" is defined but never used',
                "A definition nothing relies on is clutter at best; at worst the drafter meant to use it and the "
                "text says something else where it should appear (or the term is misspelled there).",
                {"occurrences": [_occ(d.clause, d.line, d.quote) for d in ds]}))
        # defined more than once
        if len(ds) > 1:
            out.append(Finding(
                f"{KIND}.duplicate-definition.{_slug(term)}", KIND, "warning", _unique(d.clause for d in ds),
                f'"{term}" is defined {len(ds)} times ({", ".join(d.clause for d in ds)})',
                "Two definitions of one term leave it open which one governs where they differ.",
                {"occurrences": [_occ(d.clause, d.line, d.quote) for d in ds]}))
        # defined here and said to be defined in another document
        if term in borrowed_by:
            bs = borrowed_by[term]
            out.append(Finding(
                f"{KIND}.defined-and-borrowed.{_slug(term)}", KIND, "warning",
                _unique([*(d.clause for d in ds), *(b.clause for b in bs)]),
                f'"{term}" is defined here and also said to be defined in {", ".join(_the(d) for d in _unique(b.document for b in bs))}',
                "The text gives the term two sources of meaning; if they differ, which one applies is unclear.",
                {"occurrences": [_occ(d.clause, d.line, d.quote) for d in ds] +
                 [_occ(b.clause, b.line, b.words) for b in bs]}))
        # used before its definition
        def_pos = (order[first.clause], first.offset)
        early = []
        for u in us:
            if (order[u.clause], u.offset) >= def_pos:
                break
            if u.clause in articles and first.clause in articles:
                continue  # a definitions article may list its terms in any order
            if u.clause == first.clause and sentence_bounds(texts[u.clause].text, first.offset)[0] <= u.offset:
                continue  # the words being defined ("the Securities Purchase Agreement ... (the "Securities ...")")
            early.append(u)
        if early and not early[0].forward and not term[:1].islower():  # lower-case words are also plain English
            out.append(Finding(
                f"{KIND}.used-before-definition.{_slug(term)}", KIND, "warning", _unique(u.clause for u in early),
                f'"{term}" is used in {early[0].clause} before its definition in {first.clause}',
                "A reader meets the term before knowing what it means; drafters either move the definition up or "
                'mark the first use with a forward reference such as "(as hereinafter defined)".',
                {"occurrences": [_occ(u.clause, u.line, _context(texts[u.clause].text, u.offset, u.end))
                                 for u in early], "definition": _occ(first.clause, first.line, first.quote)}))

    # borrowed terms: listed (info), and a borrowed term used before the note that says where it is defined
    for term, bs in sorted(borrowed_by.items()):
        if term in by_term:
            continue
        b0 = bs[0]
        out.append(Finding(
            f"{KIND}.borrowed-term.{_slug(term)}", KIND, "info", _unique(b.clause for b in bs),
            f'"{term}" takes its meaning from {", ".join(_the(d) for d in _unique(b.document for b in bs))}',
            "Listed so the reader knows which other documents are needed to read this one; not an error.",
            {"occurrences": [_occ(b.clause, b.line, b.words) for b in bs],
             "documents": list(_unique(b.document for b in bs))}))
        early = [u for u in uses_by.get(term, []) if (order[u.clause], u.offset) < (order[b0.clause], b0.offset)]
        if early and not early[0].forward:
            out.append(Finding(
                f"{KIND}.used-before-definition.{_slug(term)}", KIND, "info", _unique(u.clause for u in early),
                f'"{term}" is used in {early[0].clause} before the text says (in {b0.clause}) where it is defined',
                "The note that sends the reader to another document comes after the first use.",
                {"occurrences": [_occ(u.clause, u.line, _context(texts[u.clause].text, u.offset, u.end))
                                 for u in early], "definition": _occ(b0.clause, b0.line, b0.words)}))

    # circular definitions: cycles of "depends_on" among terms (a self-loop: defined in terms of itself)
    g = build_graph(doc)
    deps = nx.DiGraph([(u, v) for u, v, a in g.edges(data=True) if a.get("kind") == "depends_on"])
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(deps)):
        names = [n.split(":", 1)[1] for n in cycle]
        ds = [d for d in defs if d.term in names and d.form == "means" or d.term in names and len(names) > 1]
        clauses = _unique(d.clause for d in ds if any(n in d.body for n in names)) or _unique(d.clause for d in ds)
        earlier = [d for d in defs if d.term in names and d.clause not in clauses]
        what = (f'"{names[0]}" is defined in terms of itself' if len(names) == 1
                else "definitions of " + ", ".join(f'"{n}"' for n in names) + " refer to each other in a cycle")
        why = ("A definition that uses the word it defines does not say what the word means"
               + (f"; here it presumably refers back to the definition in {earlier[0].clause}, which the text should "
                  "say expressly (e.g. \"as defined in the preamble\")." if earlier else "."))
        out.append(Finding(
            f"{KIND}.circular-definition.{'+'.join(_slug(n) for n in names)}", KIND, "warning", clauses, what, why,
            {"occurrences": [_occ(d.clause, d.line, f'{d.quote.split(" means")[0]} means {d.body}'
                                  if d.form == "means" else d.quote) for d in ds if d.clause in clauses],
             "earlier_definitions": [_occ(d.clause, d.line, d.quote) for d in earlier]}))
    return out


_DATED_AFTER = re.compile(rf"^,?\s+(?:dated|made|entered\s+into)\s+(?:as\s+of\s+)?(?P<date>{_DATE.pattern})")


def check_term_reused_for_another_document(doc: Document) -> list[Finding]:
    """A defined term naming a document of one date used for a document of another date ("the Securities Purchase
    Agreement dated as of December 28, 2001" where the term means the agreement of even date herewith)."""
    texts = clause_texts(doc)
    first = doc.clauses[0].id
    own = re.search(rf"dated\s+(?:as\s+of\s+)?({_DATE.pattern})", texts[first].text)
    own_date = normalize(own.group(1)) if own else None
    out: list[Finding] = []
    seen: set[str] = set()
    for d in definitions(doc):
        if d.term in seen:
            continue
        text = texts[d.clause].text
        start, _ = sentence_bounds(text, d.offset)
        window = text[start: d.offset]
        if "even date" in window:
            def_date = own_date
        else:
            dm = re.search(rf"dated\s+(?:as\s+of\s+)?({_DATE.pattern})", window)
            def_date = normalize(dm.group(1)) if dm else None
        if def_date is None:
            continue
        for u in find_uses(doc, [d.term]):
            m = _DATED_AFTER.match(texts[u.clause].text[u.end:])
            if not m or normalize(m.group("date")) == def_date:
                continue
            seen.add(d.term)
            out.append(Finding(
                f"{KIND}.term-names-another-document.{_slug(d.term)}.{u.clause}", KIND, "warning", (u.clause,),
                f'{u.clause} uses "{d.term}" for a document dated {normalize(m.group("date"))}, but the term means '
                f"the one dated {def_date}",
                "A defined term means one thing throughout; used with another date it names a different document "
                "under the same name, and every later use becomes ambiguous.",
                {"occurrences": [_occ(u.clause, u.line, normalize(u.words + m.group(0)))],
                 "definition": _occ(d.clause, d.line, d.quote)}))
    return out


def check_catch_all(doc: Document) -> list[Finding]:
    """A clause that gives undefined capitalized terms the meaning they have in other documents (listed)."""
    ca = catch_all(doc)
    if ca is None:
        return []
    ct = clause_texts(doc)[ca[0]]
    return [Finding(
        f"{KIND}.catch-all-definitions.{ca[0]}", KIND, "info", (ca[0],),
        f"{ca[0]} sends undefined capitalized terms to {ca[1]}",
        "Every capitalized term this text does not define takes its meaning from documents that are not part of "
        "it; the review lists such terms as undefined-term warnings.",
        {"occurrences": [_occ(ca[0], ct.lines[0] if ct.lines else 0, ct.text)], "documents": ca[1]})]


# ---------------------------------------------------------------- cross-references


def check_references(doc: Document) -> list[Finding]:
    """References to Sections that do not exist, to exhibits or schedules the document does not contain,
    "this Section X" written outside Section X, "below"/"above" pointing the wrong way, and
    "(as defined in Section X)" where X does not define the term. External references are listed (info)."""
    texts = clause_texts(doc)
    order = _order(doc)
    present = attachments(doc)
    out: list[Finding] = []
    dangling: dict[tuple[str, str], list[Any]] = defaultdict(list)
    missing_exhibits: dict[str, list[Any]] = defaultdict(list)
    external: dict[str, list[Any]] = defaultdict(list)
    for r in references(doc):
        if r.kind == "internal":
            for t in r.targets:
                if t not in doc.by_id:
                    dangling[(r.clause, t)].append(r)
            if r.this and r.targets and r.targets[0] in doc.by_id and not _within(doc, r.clause, r.targets[0]):
                out.append(Finding(
                    f"{KIND}.wrong-self-reference.{r.clause}.{r.targets[0]}", KIND, "error", (r.clause,),
                    f'{r.clause} says "{r.words}" but is not part of Section {r.targets[0]}',
                    '"this Section" must name the Section the words are in; probably a copied clause kept its old '
                    "number.", {"occurrences": [_occ(r.clause, r.line, r.words)]}))
            if r.direction and r.targets and all(t in doc.by_id for t in r.targets):
                t = r.targets[0]
                later = order[t] > order[r.clause]
                if (r.direction in ("below", "hereinafter") and not later and not _within(doc, t, r.clause)) or \
                        (r.direction in ("above", "hereinbefore") and later):
                    out.append(Finding(
                        f"{KIND}.reference-direction.{r.clause}.{t}", KIND, "warning", (r.clause,),
                        f'{r.clause} refers to Section {t} "{r.direction}", but {t} is '
                        f'{"after" if later else "before"} it',
                        "The direction word points the reader the wrong way; the number or the word is wrong.",
                        {"occurrences": [_occ(r.clause, r.line, f"{r.words} {r.direction}")]}))
        elif r.kind == "exhibit":
            for t in r.targets:
                if t.casefold() not in present:
                    missing_exhibits[t].append(r)
        else:
            assert r.document is not None
            external[r.document].append(r)
    for (clause, target), rs in sorted(dangling.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        out.append(Finding(
            f"{KIND}.dangling-reference.{clause}.{target}", KIND, "error", (clause,),
            f"{clause} refers to Section {target}, which this document does not contain",
            "A cross-reference to a missing Section leaves the obligation or condition it imports undefined.",
            {"occurrences": [_occ(r.clause, r.line, _context(texts[r.clause].text, r.offset, r.offset + len(r.words)))
                             for r in rs], "target": target}))
    for label, rs in sorted(missing_exhibits.items()):
        out.append(Finding(
            f"{KIND}.missing-exhibit.{_slug(label)}", KIND, "error", _unique(r.clause for r in rs),
            f"{label} is referred to but not attached",
            "The text relies on a form \"attached hereto\" that the document does not contain, so what must be "
            "delivered cannot be read from it.",
            {"occurrences": [_occ(r.clause, r.line, _context(texts[r.clause].text, r.offset, r.offset + len(r.words)))
                             for r in rs], "attached": sorted(present)}))
    for document, rs in sorted(external.items()):
        out.append(Finding(
            f"{KIND}.external-references.{_slug(document)}", KIND, "info", _unique(r.clause for r in rs),
            f"{len(rs)} reference{'s' * (len(rs) != 1)} to provisions of {_the(document)}: {', '.join(_unique(t for r in rs for t in r.targets))}",
            "References into another document, not to this one's Sections; listed so the reader knows what else "
            "must be read. They are not checked against this document's numbering.",
            {"occurrences": [_occ(r.clause, r.line, r.words) for r in rs], "document": document}))
    out += _wrong_definition_references(doc)
    return out


_AS_DEFINED_IN_SECTION = re.compile(r"\(\s*as\s+(?:hereinafter\s+)?defined\s+in\s+Section\s+(?P<id>\d{1,2}(?:\([a-z]{1,4}\))*)"
                                    r"(?:\s+(?:hereof|below|above))?\s*\)")


def _wrong_definition_references(doc: Document) -> list[Finding]:
    """"X (as defined in Section 3(f))" where Section 3(f) does not define X."""
    defs = definitions(doc)
    terms = {d.term for d in defs}
    out: list[Finding] = []
    for u in find_uses(doc, terms):
        if not u.forward:
            continue
        m = re.search(r"defined\s+in\s+Section\s+(\d{1,2}(?:\([a-z]{1,4}\))*)", u.forward)
        if not m:
            continue
        target = m.group(1)
        where = [d.clause for d in defs if d.term == u.term]
        if target in doc.by_id and not any(_within(doc, w, target) for w in where):
            out.append(Finding(
                f"{KIND}.wrong-definition-reference.{_slug(u.term)}.{u.clause}", KIND, "error", (u.clause,),
                f'{u.clause} says "{u.term}" is defined in Section {target}, but it is defined in {", ".join(where)}',
                "The pointer sends the reader to the wrong place for the definition.",
                {"occurrences": [_occ(u.clause, u.line, f"{u.words} ({u.forward})")], "defined_in": where}))
    return out


# ---------------------------------------------------------------- numbers, periods and antecedents


def check_numbers(doc: Document) -> list[Finding]:
    """Numbers written in words and figures that disagree ("thirty (31)")."""
    out: list[Finding] = []
    for c in doc.clauses:
        ct = clause_texts(doc)[c.id]
        for said, words_said, fig_said, line, words, fig in _mismatched_numbers(ct):
            out.append(Finding(
                f"{KIND}.number-mismatch.{c.id}.{_slug(words_said)}-{_slug(fig_said)}", KIND, "error", (c.id,),
                f'{c.id}: "{said}" says {words} in words and {fig} in figures',
                "Where words and figures disagree, courts usually let the words govern; either way one of them is "
                "a drafting error in a number the parties rely on.",
                {"occurrences": [_occ(c.id, line, said)], "words_value": str(words), "figure_value": str(fig)}))
    return out


@lru_cache(maxsize=CLAUSE_MEMORY)
def _mismatched_numbers(ct: ClauseText) -> tuple[tuple[str, str, str, int, Fraction, Fraction | None], ...]:
    """(the words, the number in words, in figures, its line, their values) for each disagreement in a clause."""
    out = []
    for m in _WORDS_AND_FIGURES.finditer(ct.text):
        words = words_value(m.group("words"))
        fig = figure_value(m.group("fig"))
        if words is None or words == fig:
            continue
        out.append((m.group(0), m.group("words"), m.group("fig"), ct.line(m.start()), words, fig))
    return tuple(out)


_ANCHOR_PREP = re.compile(r"^\s*\)?\s*(?P<prep>from|after|following|of|prior to|before)\s+")
_ARTICLES = {"the", "a", "an", "such", "any", "each"}


@dataclass(frozen=True)
class _Limit:
    period: Period
    prep: str
    anchor: str
    alternative: str | None  # "earlier of ... March 15, 2004"
    action: str | None = None  # what must happen by then: "effectiveness" | "filing" | None (not said nearby)
    said: str = ""  # the clause's own words, from the number to the starting point


def _limits(doc: Document) -> list[_Limit]:
    """Time limits measured from something: "ninety (90) days from the Prior Financing Effective Date"."""
    defs = definitions(doc)
    terms = sorted({d.term for d in defs}, key=len, reverse=True)
    out: list[_Limit] = []
    for c in doc.clauses:
        ct = clause_texts(doc)[c.id]
        text = ct.text
        for p in all_periods(doc)[c.id]:
            if p.unit != "day":
                continue
            m = _ANCHOR_PREP.match(text[p.end:])
            if not m:
                continue
            start = p.end + m.end()
            _, s_end = sentence_bounds(text, start)
            window = text[start: min(s_end, start + 200)]
            anchor = None
            # a parenthetical definition closing the anchor phrase names it: (the "Prior Financing Effective Date")
            dm = re.search(r'\((?:the\s+)?"([^"]+)"\)', window)
            if dm and "," not in window[: dm.start()][-60:]:
                anchor = dm.group(1)
            if anchor is None:
                # a defined term is the starting point only when the phrase ends with it ("after the Filing Date,"),
                # not when it starts a clause ("after the Company first meets ...")
                head = window[:80]
                hit = min(((hm.start(), t) for t in terms
                           for hm in [re.search(rf"(?<!\w){re.escape(t)}(?=\s*(?:[),.;]|or\b|and\b|$))", head)] if hm),
                          default=None)
                if hit is not None and hit[0] <= 12:
                    anchor = hit[1]
            if anchor is None:
                words = [w for w in re.findall(r"[\w'-]+", window)[:7] if w.lower() not in _ARTICLES]
                anchor = " ".join(words[:5]).lower()
            before = text[max(0, p.offset - 60): p.offset]
            after = text[p.end: min(s_end, p.end + 200)]
            alt = None
            cm = re.search(r"\b(earlier|later|earliest|latest)\s+of\b", before)
            am = re.search(rf"\bor\s+\([a-zA-Z0-9]{{1,4}}\)\s+({_DATE.pattern})", after)
            if cm and am:
                alt = f"the {cm.group(1)} of this and {am.group(1)}"
            s_start, _ = sentence_bounds(text, p.offset)
            lead = text[max(s_start, p.offset - 150): p.offset]
            # the nearest verb before the period says what is due ("filing" as a noun does not count)
            eff = max((m2.start() for m2 in re.finditer(r"\beffective\b", lead)), default=-1)
            fil = max((m2.start() for m2 in re.finditer(r"\bfile[ds]?\b", lead)), default=-1)
            action = None if eff == fil == -1 else "effectiveness" if eff > fil else "filing"
            k = window.lower().find(anchor.lower())
            said = text[p.offset: start + k + len(anchor)] if k >= 0 else text[p.offset: start]
            out.append(_Limit(p, m.group("prep"), anchor, alt, action, said.strip()))
    return out


def check_periods(doc: Document) -> list[Finding]:
    """The same period from the same starting point stated differently in different clauses (one clause adds an
    outside date the others omit), and "such thirty-day period" with no thirty-day period before it."""
    out: list[Finding] = []
    # One deadline = the same starting point and the same thing to be done by then (when the sentence says what,
    # "declared effective" / "file"), else the same starting point and the same number of days.
    groups: dict[tuple[str, str], list[_Limit]] = defaultdict(list)
    for lim in _limits(doc):
        groups[(lim.anchor, lim.action or f"{lim.period.n}-{lim.period.basis}-days")].append(lim)
    for (anchor, what), lims in sorted(groups.items()):
        clauses = _unique(lim.period.clause for lim in lims)
        versions = {(lim.period.n, lim.period.basis, lim.alternative) for lim in lims}
        if len(clauses) < 2 or len(versions) < 2:
            continue
        numbers = {(lim.period.n, lim.period.basis) for lim in lims}
        out.append(Finding(
            f"{KIND}.inconsistent-period.{_slug(anchor)}.{what}", KIND, "warning", clauses,
            f"The deadline for {what.replace('-', ' ')} from {_the(anchor)} is stated differently in "
            f"{', '.join(clauses)}",
            ("The clauses give different numbers of days for what reads as one deadline"
             if len(numbers) > 1 else
             "The same deadline is qualified in one clause (an outside date, \"the earlier of\") and not in another")
            + ", so they can fix different dates for one obligation and a breach of one may not be a breach of the "
            "other.",
            {"occurrences": [_occ(lim.period.clause, lim.period.line, lim.said) for lim in lims],
             "outside_dates": {lim.period.clause: lim.alternative for lim in lims if lim.alternative}}))
    out += _no_antecedent(doc)
    return out


_THRESHOLD = re.compile(
    r"\b(?P<q>(?:a|an|the)\s+)?(?P<w>(?:simple\s+|absolute\s+)?majority(?:[\s-]+in[\s-]+interest|[\s-]+interest)?|"
    r"super[\s-]?majority|two[\s-]thirds(?:[\s-]+in[\s-]+interest)?|"
    rf"(?:{_WORDS_RE})\s+percent(?:\s+\(\d+(?:\.\d+)?%\))?(?:[\s-]+in[\s-]+interest)?|\d+(?:\.\d+)?%(?:[\s-]+in[\s-]+interest)?)"
    r"\s+of\s+(?:the\s+)?(?:outstanding\s+)?(?P<of>(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))", re.IGNORECASE)


def check_thresholds(doc: Document) -> list[Finding]:
    """The same voting threshold over the same securities worded differently in different clauses ("a
    majority-in-interest of the Registrable Securities", "a majority interest of ...", "a majority of ...")."""
    # a threshold is compared only with those that ask for the same share (a majority however worded; two-thirds is
    # another vote, not another wording of a majority)
    groups: dict[tuple[str, str], list[tuple[str, int, str, str]]] = defaultdict(list)
    for c in doc.clauses:
        for of, line, wording, said in _thresholds(clause_texts(doc)[c.id]):
            groups[(of, _share(wording))].append((c.id, line, wording, said))
    out: list[Finding] = []
    for (of, share), hits in sorted(groups.items()):
        wordings = _unique(h[2] for h in hits)
        if len(wordings) < 2:
            continue
        by = {w: _unique(h[0] for h in hits if h[2] == w) for w in wordings}
        out.append(Finding(
            f"{KIND}.inconsistent-threshold.{_slug(of)}" + ("" if share == "majority" else f".{_slug(share)}"), KIND,
            "warning", _unique(h[0] for h in hits),
            f"The threshold over the {of} is worded {len(wordings)} ways: "
            + "; ".join(f'"{_as_written(w, hits)}" ({", ".join(cl)})' for w, cl in by.items()),
            "Different words for what reads as one threshold (\"majority in interest\" measures by amount held, a "
            "bare \"majority\" may be read by head count) invite the argument that different tests were meant.",
            {"occurrences": [_occ(h[0], h[1], h[3]) for h in hits], "wordings": {w: list(cl) for w, cl in by.items()}}))
    return out


def _as_written(wording: str, hits: list[tuple[str, int, str, str]]) -> str:
    """A wording as the first clause that uses it writes it ("majority-in-interest", "two-thirds")."""
    said = next(h[3] for h in hits if h[2] == wording)
    m = re.match(r"(?:(?:a|an|the)\s+)?(?P<w>.*?)\s+of\s+", said, re.IGNORECASE)
    return m.group("w") if m else wording


def _share(wording: str) -> str:
    """The share a threshold's wording asks for: "majority" for every wording of a majority, else the wording's
    number ("two thirds", "sixty six percent")."""
    w = re.sub(r"\s+in\s+interest$", "", wording)
    if re.fullmatch(r"(?:simple |absolute )?majority(?: interest)?", w):
        return "majority"
    return re.sub(r"\s*\(.*", "", w)


@lru_cache(maxsize=CLAUSE_MEMORY)
def _thresholds(ct: ClauseText) -> tuple[tuple[str, int, str, str], ...]:
    """(over what, line, the threshold's wording, the words) for each voting threshold in a clause."""
    out = []
    for m in _THRESHOLD.finditer(ct.text):
        of = m.group("of")
        if of[0].isupper():
            out.append((of, ct.line(m.start()), re.sub(r"[\s-]+", " ", m.group("w").lower()), normalize(m.group(0))))
    return tuple(out)


_SUCH_PERIOD = re.compile(
    rf"\b(?P<det>such|said|the\s+aforementioned|the\s+aforesaid|the\s+foregoing|that)\s+"
    rf"(?P<num>(?:{_WORDS_RE})(?:\s*\(\d+\))?|\(\d+\)|\d+)[\s-]*(?P<basis>business\s+|trading\s+|calendar\s+)?"
    r"(?P<unit>day|month|year)s?[\s-]+period\b", re.IGNORECASE)


def back_references(text: str) -> list[tuple[re.Match[str], int]]:
    """Every "such thirty-day period" ("the aforementioned ninety (90) day period") in a text, with its number."""
    out = []
    for m in _SUCH_PERIOD.finditer(text):
        num = m.group("num")
        fig = re.search(r"\d+", num)
        value = words_value(re.sub(r"\(.*", "", num).strip()) if not num.startswith("(") and not num[0].isdigit() \
            else None
        n = int(value) if value is not None else int(fig.group(0)) if fig else None
        if n is not None:
            out.append((m, n))
    return out


def _no_antecedent(doc: Document) -> list[Finding]:
    """"such thirty-day period" with no thirty-day period stated earlier in the clause."""
    out: list[Finding] = []
    for c in doc.clauses:
        ct = clause_texts(doc)[c.id]
        ps = all_periods(doc)[c.id]
        for m, n in back_references(ct.text):
            unit = m.group("unit").lower()
            basis = (m.group("basis") or "calendar").strip().lower() if unit == "day" else ""
            before = [p for p in ps if p.end <= m.start() and p.n == n and p.unit == unit
                      and (p.basis == basis or unit != "day")]
            if before:
                continue
            elsewhere = sorted({p.clause for pp in all_periods(doc).values() for p in pp
                                if p.n == n and p.unit == unit and p.clause != c.id})
            out.append(Finding(
                f"{KIND}.no-antecedent.{c.id}.{_slug(m.group(0))}", KIND, "warning", (c.id,),
                f'{c.id}: "{m.group(0)}" refers back to a period the clause never states',
                f"Nothing earlier in {c.id} sets a {n}-{unit} period, so it is unclear which period is meant"
                + (f" (a {n}-{unit} period appears in {', '.join(elsewhere)})" if elsewhere else "")
                + "; a computation that depends on it (e.g. an example of payments) may rest on the wrong start.",
                {"occurrences": [_occ(c.id, ct.line(m.start()), _context(ct.text, m.start(), m.end()))],
                 "periods_in_clause": [_occ(c.id, p.line, p.words) for p in ps if p.end <= m.start()],
                 "same_period_elsewhere": elsewhere}))
    return out


def check_day_counts(doc: Document) -> list[Finding]:
    """One clause counting periods in more than one kind of day (calendar, business, trading)."""
    out: list[Finding] = []
    for c in doc.clauses:
        ps = [p for p in all_periods(doc)[c.id] if p.unit == "day"]
        bases = _unique(p.basis for p in ps)
        if len(bases) < 2:
            continue
        out.append(Finding(
            f"{KIND}.mixed-day-count.{c.id}", KIND, "warning", (c.id,),
            f"{c.id} counts in {' and '.join(b + ' days' for b in bases)}",
            'Plain "days" beside "business days" in one clause invites the argument that the plain ones were '
            "meant as business days too (or the reverse); say \"calendar days\" where that is meant.",
            {"occurrences": [_occ(c.id, p.line, p.words) for p in ps], "bases": list(bases)}))
    return out


# ---------------------------------------------------------------- punctuation


_PAIRS = {"(": ")", "[": "]"}


def check_balance(doc: Document) -> list[Finding]:
    """Parentheses, brackets and quotation marks that do not pair up within a clause."""
    out: list[Finding] = []
    for c in doc.clauses:
        ct = clause_texts(doc)[c.id]
        text = ct.text
        bad, marks, curly_open, curly_close = _unpaired(ct)
        if bad:
            out.append(Finding(
                f"{KIND}.unbalanced-parentheses.{c.id}", KIND, "error", (c.id,),
                f'{c.id}: unmatched "{text[bad[0]]}" in "{_context(text, bad[0], bad[0] + 1, 18)}"'
                + (f" and {len(bad) - 1} more" if len(bad) > 1 else ""),
                "An unmatched parenthesis leaves it unclear where a parenthetical (often a carve-out or a deadline) "
                "ends, and so what it qualifies.",
                {"occurrences": [_occ(c.id, ct.line(i), _context(text, i, i + 1)) for i in bad],
                 "unmatched": [text[i] for i in bad]}))
        if len(marks) % 2 or curly_open != curly_close:
            where = marks[-1:] if len(marks) % 2 else (text.find("\u201c" if curly_open > curly_close else "\u201d"),)
            out.append(Finding(
                f"{KIND}.unbalanced-quotes.{c.id}", KIND, "error", (c.id,),
                f'{c.id}: unmatched quotation mark in "{_context(text, where[0], where[0] + 1, 18)}"',
                "An unmatched quotation mark blurs where a defined term begins or ends.",
                {"occurrences": [_occ(c.id, ct.line(i), _context(text, i, i + 1)) for i in where],
                 "count": len(marks) + curly_open + curly_close}))
    return out


@lru_cache(maxsize=CLAUSE_MEMORY)
def _unpaired(ct: ClauseText) -> tuple[tuple[int, ...], tuple[int, ...], int, int]:
    """In a clause's text: the unmatched parentheses and brackets (outside quotation marks), where each straight
    quotation mark is, and how many curly opening and closing marks there are."""
    text = ct.text
    stack: list[tuple[str, int]] = []
    bad: list[int] = []
    inside = bytearray(len(text))
    for a, b in quote_spans(text):
        inside[a + 1: b - 1] = b"\x01" * max(0, b - a - 2)
    for i, ch in enumerate(text):
        if ch not in "()[]" or inside[i]:
            continue
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _PAIRS.values():
            if stack and _PAIRS[stack[-1][0]] == ch:
                stack.pop()
            else:
                bad.append(i)
    bad += [i for _, i in stack]
    return (tuple(sorted(bad)), tuple(m.start() for m in re.finditer('"', text)), text.count("\u201c"),
            text.count("\u201d"))


# ---------------------------------------------------------------- names


_ORG_SUFFIXES = ("Inc", "Ltd", "L.P", "LP", "LLP", "LLC", "L.L.C", "Corp", "Corporation", "Limited Partnership",
                 "Aktiengesellschaft", "AG", "GmbH", "plc", "N.V", "S.A")
_ORG = re.compile(r"(?<![\w])((?:[A-Z][\w&'-]*\s+(?:(?:of|and|the|for)\s+)?){0,6}?[A-Z][\w&'-]*),?\s+"
                  r"(?:" + "|".join(re.escape(x) + "|" + re.escape(x.upper()) for x in _ORG_SUFFIXES) + r")\b\.?")
_PERSON_AFTER = re.compile(r"(?:Attention|Attn|By|Name)\s*:\s*(?:/s/\s*)?([A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'-]+)+)")
_CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                   "saturday", "sunday"}
_TOKEN = re.compile(r"(?<![\w@.])[A-Za-z][A-Za-z'-]{3,}(?![\w@])")


def names(doc: Document) -> dict[str, list[tuple[str, int]]]:
    """Names of parties and people as written, with where they appear: organizations ("... Inc.", "... Ltd."),
    people after "Attention:" or under a signature line, and short names defined for them ("Alpha"). Read once per
    document (two checks ask); not to be changed by the caller."""
    return cached(doc, "names", lambda: _names(doc))


def _names(doc: Document) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c in doc.clauses:
        ct = clause_texts(doc)[c.id]
        # a signature block is one name a line; elsewhere a name may run across a line break
        pieces = [(normalize(doc.lines[ln - 1]), ln) for ln in c.lines] if c.kind == "signatures" else [(ct.text, 0)]
        for text, at in pieces:
            for m in _ORG.finditer(text):
                words = m.group(0).strip().split(" and ")[-1]
                found[words].append((c.id, at or ct.line(m.start())))
    lines = doc.lines
    for i, source in enumerate(lines):
        for m in _PERSON_AFTER.finditer(normalize(source)):
            clause = doc.clause_at(i + 1)
            found[m.group(1)].append((clause.id if clause else "", i + 1))
    for i, source in enumerate(lines):
        if re.fullmatch(r"\s*_{5,}\s*", source):
            nxt = normalize(lines[i + 1]) if i + 1 < len(lines) else ""
            if re.fullmatch(r"[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'-]+)+", nxt):
                clause = doc.clause_at(i + 2)
                found[nxt].append((clause.id if clause else "signatures", i + 2))
    for long, short in long_names(doc).items():
        if long in found or _ORG.search(long):
            d = next(d for d in definitions(doc) if d.term == short)
            found[short].append((d.clause, d.line))
    return dict(found)


def _inflection(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    for x, y in ((a, b), (b, a)):
        if y in (x + "s", x + "es", x + "'s", x + "'") or (x.endswith("y") and y == x[:-1] + "ies"):
            return True
    return False


@lru_cache(maxsize=CLAUSE_MEMORY)
def _capitalized(ct: ClauseText) -> tuple[tuple[str, int], ...]:
    """Each capitalized word of a clause (a possessive's "'s" dropped), with its line."""
    out = []
    for m in _TOKEN.finditer(ct.text):
        w = m.group(0).rstrip("'")
        if w.endswith("'s"):
            w = w[:-2]
        if w[0].isupper():
            out.append((w, ct.line(m.start())))
    return tuple(out)


def check_names(doc: Document) -> list[Finding]:
    """Names of parties and people spelled in near-identical ways (edit distance), and organization names
    written with different punctuation."""
    nm = names(doc)
    out: list[Finding] = []
    # every capitalized word of the document (signatures too), with where it appears
    words: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c in doc.clauses:
        for w, line in _capitalized(clause_texts(doc)[c.id]):
            words[w].append((c.id, line))
    suffixes = {"inc", "ltd", "corp", "corporation", "limited", "partnership", "fund", "capital", "investment",
                "systems", "merchant", "company", "group", "holdings", "trust", "partners", "esq"}
    name_words = sorted({w.strip(".,") for n in nm for w in n.split() if len(w.strip(".,")) >= 5
                         and w.strip(".,").lower() not in suffixes | _CALENDAR_WORDS and w.strip(".,")[0].isupper()})
    seen: set[tuple[str, str]] = set()
    for a in name_words:
        for b in sorted(words):
            limit = 1 if min(len(a), len(b)) < 8 else 2
            if abs(len(a) - len(b)) > limit or a.lower() == b.lower():
                continue
            if Levenshtein.distance(a.lower(), b.lower(), score_cutoff=limit) > limit or _inflection(a, b) or \
                    b.lower() in _CALENDAR_WORDS:
                continue
            # one finding per pair of spellings, whatever their case ("Widgets", "WIDGETS" ~ "Widgetts")
            pair = sorted({a.lower(), b.lower()})
            key = (pair[0], pair[1])
            if key in seen:
                continue
            seen.add(key)
            spellings = sorted(w for w in words if w.lower() in key)
            occ = [_occ(cl, ln, w) for w in spellings for cl, ln in words[w]]
            # name each spelling by its usual (not all-capitals) form
            shown = [min((w for w in spellings if w.lower() == k), key=lambda w: (w.isupper(), w)) for k in key]
            key = (min(shown), max(shown))
            out.append(Finding(
                f"{KIND}.inconsistent-name.{key[0]}~{key[1]}", KIND, "warning", _unique(o["clause"] for o in occ),
                f'"{key[0]}" and "{key[1]}" look like one name spelled two ways',
                "A party's name spelled differently can be argued to name someone else (or no one); notices and "
                "signature blocks should match the name used in the body.",
                {"occurrences": occ, "distance": Levenshtein.distance(a, b)}))
    # organization names written with different punctuation or case-insensitive spelling
    orgs = sorted(n for n in nm if _ORG.search(n))
    for i, a in enumerate(orgs):
        for b in orgs[i + 1:]:
            ka = re.sub(r"[^a-z0-9]+", " ", a.lower()).strip()
            kb = re.sub(r"[^a-z0-9]+", " ", b.lower()).strip()
            if a.lower() == b.lower() or (ka != kb and Levenshtein.distance(ka, kb) > 1):
                continue
            occ = [_occ(cl, ln, w) for w in (a, b) for cl, ln in nm[w]]
            out.append(Finding(
                f"{KIND}.inconsistent-name.{a.replace(' ', '-')}~{b.replace(' ', '-')}", KIND, "info" if ka == kb else "warning",
                _unique(o["clause"] for o in occ),
                f'"{a}" and "{b}" name one party with different {"punctuation" if ka == kb else "spelling"}',
                "Use one exact form of each party's legal name throughout.", {"occurrences": occ}))
    return out


# ---------------------------------------------------------------- structure and typos


_STRUCTURE_WHY = {
    "numbering-gap": "Numbering gaps and repeats break cross-references and suggest a clause was lost or duplicated "
                     "in redrafting.",
    "numbering-style": "A numbering style that changes mid-document suggests text pasted in from another draft; "
                       "the clauses on either side of the change may not be numbered as their cross-references "
                       "expect.",
    "unrecognized-marker": "A paragraph numbered in a style the parser does not read is taken as part of the clause "
                           "before it, so its clause id, the references to it and the checks citing it cannot be "
                           "relied on; number it in the draft's own style.",
    "stray-page-number": "A stray page number inside the text is left over from a page break; it reads as part of "
                         "the clause.",
}
_STRUCTURE_WHY["numbering-repeat"] = _STRUCTURE_WHY["numbering-gap"]


def check_structure(doc: Document) -> list[Finding]:
    """Numbering gaps, repeats and changes of style, paragraphs numbered in a style not read, and page numbers
    with no page break, from the lenient parse."""
    out: list[Finding] = []
    for p in doc.problems:
        owner = doc.clause_at(p.line)
        where = p.clause or (owner.id if owner else "")
        ident = p.clause if p.kind.startswith("numbering") and p.clause else f"line-{p.line}"
        out.append(Finding(
            f"{KIND}.{p.kind}.{ident}", KIND, "warning" if p.kind == "stray-page-number" else "error",
            (where,) if where else (),
            p.message,
            _STRUCTURE_WHY[p.kind],
            {"occurrences": [_occ(where, p.line, doc.lines[p.line - 1].strip() if 0 < p.line <= len(doc.lines) else "")]}))
    return out


_DOUBLED = re.compile(r"\b(?P<w>[A-Za-z]+)\s+(?P=w)\b", re.IGNORECASE)
_ARTICLE_THEN_DETERMINER = re.compile(r"\b(?P<w>(?:the|a|an)\s+(?:all|each|every|any|the|a|an|such|this|these|those|"
                                      r"both|its|their))\b", re.IGNORECASE)
_PREPOSITION_PAIR = re.compile(r"\b(?P<w>(?:into|onto)\s+(?:for|of|into|onto|from))\b", re.IGNORECASE)
_GRAMMATICAL_DOUBLES = {"that", "had", "is"}


_TYPO_CHECKS: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]], ...] = (
    ("doubled-word", _DOUBLED, lambda m: m.group("w").lower() not in _GRAMMATICAL_DOUBLES),
    ("article-before-determiner", _ARTICLE_THEN_DETERMINER, lambda m: True),
    ("preposition-pair", _PREPOSITION_PAIR, lambda m: True),
)


def check_typos(doc: Document) -> list[Finding]:
    """Doubled words ("the the"), an article before another determiner ("the all of"), two prepositions in a row
    ("into for")."""
    out: list[Finding] = []
    for c in doc.clauses:
        if c.kind == "signatures":
            continue
        for name, said, line, context in _typos(clause_texts(doc)[c.id]):
            out.append(Finding(
                f"{KIND}.typo.{c.id}.{_slug(said)}", KIND, "warning", (c.id,),
                f'{c.id}: "{normalize(said)}" looks like a typo',
                {"doubled-word": "The same word twice in a row.",
                 "article-before-determiner": "An article before another determiner is ungrammatical; a word was "
                                              "probably left over from an edit, and the sentence may not say what was "
                                              "meant.",
                 "preposition-pair": "Two prepositions in a row; a word was probably left over from an edit."}[name],
                {"occurrences": [_occ(c.id, line, context)], "check": name}))
    return out


@lru_cache(maxsize=CLAUSE_MEMORY)
def _typos(ct: ClauseText) -> tuple[tuple[str, str, int, str], ...]:
    """(the check, the words, their line, the words around them) for each likely typo of a clause."""
    out = []
    for name, pat, ok in _TYPO_CHECKS:
        for m in pat.finditer(ct.text):
            if ok(m) and not m.group(0).isupper():
                out.append((name, m.group(0), ct.line(m.start()), _context(ct.text, m.start(), m.end(), 30)))
    return tuple(out)


# ---------------------------------------------------------------- entry point

CHECKS: tuple[Callable[[Document], list[Finding]], ...] = (
    check_structure,
    check_undefined_terms,
    check_defined_terms,
    check_catch_all,
    check_term_reused_for_another_document,
    check_references,
    check_numbers,
    check_periods,
    check_thresholds,
    check_day_counts,
    check_balance,
    check_names,
    check_typos,
)


def review(doc: Document) -> list[Finding]:
    """Every drafting finding for a parsed agreement, ids unique, in a stable order."""
    found: dict[str, Finding] = {}
    for check in CHECKS:
        for f in check(doc):
            found.setdefault(f.id, f)
    return [found[k] for k in sorted(found)]


def findings(ctx: CheckContext) -> Outcome:
    """The "text" analysis of `rra check`: the drafting review of the context's document."""
    return Outcome(review(ctx.doc))
