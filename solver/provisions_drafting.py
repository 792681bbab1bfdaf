"""Provisions review, drafting and documents (the memo's appendices): defined terms written in lower case, a class
named twice ("the Investors and any other Investors"), a lettered list inside a lettered subsection, integration
clauses whose lists of documents differ; and the documents a partner asks for first: the outside documents whose
dates start the deadlines, the instruments whose terms fix what is registered and paid, blank signature blocks, the
support for the Company's representations, and any amendments or waivers already given (rra.solver.provisions).
"""

from __future__ import annotations

import re
from typing import Any

from rra.solver.memo import Area, Certainty, Favours, Redline, Severity
from rra.solver.provisions import (
    Memo,
    detector,
    finding,
    leaves,
    own,
    quote,
    replace_redline,
    search,
    sentence,
)
from rra.spec.agreement import Agreement
from rra.spec.terms import definitions

# words before a lower-case class noun that make it an outside term, not the defined class ("accredited investor")
_OUTSIDE = r"(?:accredited|institutional|qualified|sophisticated|prospective|other|individual)"


# ------------------------------------------------------------------- a defined class written in lower case

@detector("lowercase-term")
def lowercase_term(a: Agreement) -> list[Any]:
    """A one-word defined class of persons ("Investors") written in lower case after a determiner that points at the
    class ("such investor", "the investors"): the defined term is meant, and the lower case reads as something else."""
    doc = a.document
    # the classes of persons the parties are defined as (in the preamble)
    terms = {d.term for d in definitions(doc) if re.fullmatch(r"[A-Z][a-z]+s", d.term) and d.clause == "preamble"}
    hits: list[tuple[str, re.Match[str], str]] = []
    for term in sorted(terms):
        stem = term[:-1].lower()
        rx = re.compile(rf"\b(?P<det>such|the|each|any|all|an?|other) (?P<w>{stem}s?)\b")
        for clause, m in search(doc, rx):
            before = own(doc, clause)[max(0, m.start() - 14):m.start()]
            if re.search(rf"{_OUTSIDE}\s*$", before) or m.group("det") == "other":
                continue
            hits.append((clause, m, term))
    if not hits:
        return []
    reds, quotes = [], []
    for clause, m, term in hits:
        text = own(doc, clause)
        new = term if m.group("w").endswith("s") else term[:-1]
        reds.append(replace_redline(clause, text, m.start("w"), m.end("w"), new))
        quotes.append(quote(clause, text[max(0, text.rfind(" ", 0, m.start() - 20) + 1):m.end()]))
    clauses = list(dict.fromkeys(c for c, _, _ in hits))
    words = sorted({m.group("w") for _, m, _ in hits})
    term = hits[0][2]
    return [finding(
        "lowercase-term", "+".join(clauses), clauses,
        f"{' and '.join(clauses)}: " + ", ".join(f'"{w}"' for w in words) + f" in lower case where the defined \"{term}\" "
        "is meant",
        f"The defined term is \"{term}\"; in lower case the words can be read as investors generally, not the parties "
        "to this agreement and their permitted assignees.",
        Memo(Severity.LOW, Area.PROOFREADING, Favours.NEITHER, quotes, reds, None))]


# ------------------------------------------------------------------- a class named twice

@detector("class-named-twice")
def class_named_twice(a: Agreement) -> list[Any]:
    """"The X and any other X" (or "all other X" beside "the X") where X is a defined class: a remnant of a form with
    two classes; the second adds nothing, or (in a list of advisers) may be read to allow a second set."""
    doc = a.document
    terms = {d.term for d in definitions(doc) if re.fullmatch(r"[A-Z][a-z]+s", d.term)}
    out = []
    for term in sorted(terms):
        pairs = list(search(doc, rf"\bthe {term} and any other {term}\b"))
        others = [(c, m) for c, m in search(doc, rf"\b(?:retained by|of|for) all other {term}\b")
                  if re.search(rf"\bby the {term}\b", own(doc, c))]
        if not pairs:
            continue  # "all other X" alone may be deliberate (other advisers); it is noted beside a pair
        quotes, reds, opens = [], [], []
        by_clause: dict[str, int] = {}
        for c, _m in pairs:
            by_clause[c] = by_clause.get(c, 0) + 1
        for c, n in by_clause.items():
            quotes.append(quote(c, f"the {term} and any other {term}"))
            reds.append(Redline(c, f"the {term} and any other {term}", f"the {term}", n))
        for c, m in others:
            text = own(doc, c)
            s0, s1 = sentence(text, m.start())
            k = text.rfind(";", s0, m.start())
            k = text.rfind(",", s0, m.start()) if k < 0 else k
            quotes.append(quote(c, text[max(s0, k + 1):m.end()].strip()))
            # an item of a numbered list that adds a second set of advisers: drop it, the next item taking its number
            item = re.search(rf", \((?P<n>[ivx]+)\) [^;()]*?\bretained by all other {term}, and \((?P<m>[ivx]+)\)", text)
            if item:
                reds.append(replace_redline(c, text, item.start(), item.end(), f", and ({item.group('n')})"))
                opens.append(f"the redline of {c} deletes item ({item.group('n')}), the advisers retained by all other "
                             f"{term}, not only words: whether the {term} may retain a second set of advisers is a "
                             "business choice")
        clauses = list(dict.fromkeys([*by_clause, *(c for c, _ in others)]))
        out.append(finding(
            "class-named-twice", term, clauses,
            f"{' and '.join(clauses)}: \"the {term} and any other {term}\"" + (f" and \"all other {term}\"" if others else ""),
            f"\"{term}\" already covers every holder the agreement admits, so \"any other {term}\" adds nothing: a remnant "
            "of a form with two classes of investors" + (f"; where advisers are \"retained by all other {term}\" it may be "
                                                        "read to allow a second set at the Company's cost" if others else "")
            + ".", Memo(Severity.LOW, Area.PROOFREADING, Favours.NEITHER, quotes, reds, None, open_points=tuple(opens))))
    return out


# ------------------------------------------------------------------- a lettered list inside a lettered subsection

@detector("nested-lettering")
def nested_lettering(a: Agreement) -> list[Any]:
    """A subsection lettered "(d)" that numbers its own list "(a)", "(b)", ...: a reference to "(b)" is ambiguous; and a
    qualifier after the list ("which in each case ...") whose reach over the items is unclear."""
    doc = a.document
    out = []
    for clause, text in leaves(doc):
        if not re.fullmatch(r"\d+\([a-z]\)", clause):
            continue
        # a lettered run "(a) ... (b) ... (c)" in order (romanettes such as "(i)" are another list)
        items: list[str] = []
        at = 0
        for letter in "abcdefgh":
            m = re.compile(rf"(?<![\w(])\({letter}\) ").search(text, at)
            if m is None:
                break
            items.append(letter)
            at = m.end()
        if len(items) < 3:
            continue
        first = text.find("(a) ")
        last = text.find(f"({items[-1]}) ")
        end = text.find(".", last)
        tail = re.search(r", which in each case [^.]*", text[last:end + 1])
        quotes = [quote(clause, text[first:min(first + 60, end)].rsplit(" ", 1)[0])]
        if tail:
            quotes.append(quote(clause, tail.group(0).lstrip(", ")))
        out.append(finding(
            "nested-lettering", clause, (clause,),
            f"{clause}: items ({items[0]}) to ({items[-1]}) inside a lettered subsection"
            + ("; \"which in each case\" may or may not qualify every item" if tail else ""),
            f"Section {clause} letters its own list like the subsections of Section {clause.split('(')[0]}, so a reference "
            f"to \"({items[1]})\" can be read as Section {clause.split('(')[0]}({items[1]})"
            + (". The closing \"which in each case ...\" may qualify only the last items or all of them." if tail else "."),
            Memo(Severity.LOW, Area.PROOFREADING, Favours.NEITHER, quotes, [], None)))
    return out


# ------------------------------------------------------------------- integration clauses whose lists differ

_DOCS = r"(?:[Tt]his Agreement|the (?:[A-Z]\w+ )+Agreement|the [A-Z]\w+s)"


@detector("integration-lists")
def integration_lists(a: Agreement) -> list[Any]:
    """An integration clause whose "entire agreement" list and "supersede" list name different documents, or leave
    out an instrument the agreement itself relies on for its terms."""
    from rra.solver.redline_lint import instruments

    doc = a.document
    out = []
    for clause, text in leaves(doc):
        ent = re.search(rf"(?P<l>{_DOCS}(?:,? (?:and )?{_DOCS})*)(?: \([^)]*\))? constitutes? the entire agreement", text)
        sup = re.search(rf"(?P<l>{_DOCS}(?:,? (?:and )?{_DOCS})*) supersedes?", text)
        if not ent or not sup:
            continue
        names_e = re.findall(_DOCS, ent.group("l"))
        names_s = re.findall(_DOCS, sup.group("l"))
        relied = [t for t in instruments(a)[:-1] if re.search(rf"\(as defined in the {t}\)|or the [\w ]*{t[:-1]}\b",
                                                              doc.normalized())]
        missing = [f"the {t}" for t in relied if f"the {t}" not in names_e and f"the {t}" not in names_s]
        if {n.lower() for n in names_e} == {n.lower() for n in names_s} and not missing:
            continue  # the documents of the bargain are those that supersede earlier understandings
        union = list(dict.fromkeys(n[:1].upper() + n[1:] if n.lower() == "this agreement" else n
                                   for n in [*names_e, *names_s, *missing]))
        union = [union[0], *sorted(union[1:], key=lambda n: (n.endswith("Agreement"), n))]
        new = ", ".join(union[:-1]) + " and " + union[-1]
        verb = "supersede" if len(union) > 1 else "supersedes"
        # each list that lacks one of the documents becomes the whole list (both lists, when neither has them all)
        reds = []
        if len(names_e) < len(union):
            reds.append(replace_redline(clause, text, ent.start("l"), ent.end("l"), new, meaning={"*": {}}))
        if len(names_s) < len(union):
            reds.append(replace_redline(clause, text, sup.start("l"), sup.end(), f"{new} {verb}", meaning={"*": {}}))
        out.append(finding(
            "integration-lists", clause, (clause,),
            f"{clause}: the documents that are the entire agreement and those that supersede earlier ones are listed "
            "differently" + (f"; neither list names {' or '.join(missing)}" if missing else ""),
            f"The first list names {', '.join(n.replace('This', 'this') for n in names_e)}; the second "
            f"{', '.join(n.replace('This', 'this') for n in names_s)}"
            + (f"; neither names {' or '.join(missing)}, on whose terms the agreement relies" if missing else "")
            + ". Which prior understandings survive, and whether the documents left out form part of the bargain, is open.",
            Memo(Severity.LOW, Area.PROOFREADING, Favours.NEITHER, [quote(clause, ent.group(0)), quote(clause, sup.group(0))],
                 reds, None)))
    return out


# ------------------------------------------------------------------- documents needed

def _doc_line(kind: str, subject: str, clauses: list[str], title: str, why: str, quotes: list[list[str]],
              certainty: Certainty = Certainty.ORDINARY) -> Any:
    return finding(kind, subject, clauses, title, why,
                   Memo(Severity.LOW, Area.DOCUMENTS, Favours.NEITHER, quotes, [], None, certainty=certainty))


@detector("documents-dates")
def documents_dates(a: Agreement) -> list[Any]:
    """An outside document whose date starts the agreement's deadlines (an event defined by reference to a document
    the agreement defines, such as an earlier registration statement): its status and date are the first thing to
    obtain."""
    doc = a.document
    every = sorted({d.term for d in definitions(doc)}, key=len, reverse=True)
    # a particular outside document ("the Form SB-2 Registration Statement registering ..."), not a kind of document
    defs = [d for d in definitions(doc) if d.form == "means" and d.body.startswith("the ") and re.search(
        r"[Rr]egistration [Ss]tatement|[Aa]greement", d.body) and " " in d.term]
    out = []

    def names(words: str, term: str) -> bool:
        for t in every:
            if t != term and term in t:
                words = words.replace(t, "")
        return term in words
    for d in defs:
        anchored = [e for e in a.model.events if names(e.quote, d.term) and any(
            t.anchor == e.id for dl in a.model.deadlines for t in dl.terms)]
        if not anchored:
            continue
        clauses = sorted({dl.clause for dl in a.model.deadlines for t in dl.terms if t.anchor in {e.id for e in anchored}},
                         key=lambda c: (len(c.split("(")[0]), c))
        words = d.body.split(" registering ")[0] if " registering " in d.body else d.body[:80]
        out.append(_doc_line(
            "documents-dates", d.term.replace(" ", "-"), [d.clause, *clauses],
            f"{d.term}: its status, file number and the date it was declared effective ({words})",
            f"The date it is declared effective starts the deadlines of {', '.join(clauses)}; if it is never declared "
            "effective, only the outside dates apply.",
            [quote(d.clause, f'"{d.term}" means {words}'), *[quote(e.clause, e.quote) for e in anchored[:1]]],
            Certainty.EVERY))
    return out


@detector("documents-instruments")
def documents_instruments(a: Agreement) -> list[Any]:
    """The instruments whose terms fix what must be registered and what is paid (the classes the recitals define and
    the registrable class draws on): their terms are needed to read the agreement."""
    from rra.solver.redline_lint import instruments

    doc = a.document
    mclause = a.model.measure.clause
    mtext = own(doc, mclause)
    reg = next((d for d in definitions(doc) if d.form == "means" and "issued or issuable" in d.body), None)
    out = []
    for term in instruments(a)[:-1]:
        d = next(x for x in definitions(doc) if x.term == term and x.clause.startswith("recital"))
        roles = []
        if term in mtext:
            roles.append(f"the payment base of {mclause}")
        borrowed = sorted(set(re.findall(rf"((?:[A-Z][\w-]* )*[A-Z][\w-]*) \(as defined in the {re.escape(term)}\)",
                                         doc.normalized())))
        if borrowed:
            roles.append("the meaning of " + ", ".join(f"\"{b}\"" for b in borrowed))
        # what the registrable class says the shares come from: conversion or exercise of this instrument
        how = next((w for w in ("conversion", "exercise") if re.search(
            rf"upon {w}\b[^.;]{{0,80}}?\b{re.escape(term)}\b", reg.body if reg else "")), None)
        roles.append("which shares must be registered and for how long (" + {
            "conversion": "conversion terms, maturity, any limit on conversion",
            "exercise": "exercise terms, expiry, cashless exercise"}.get(how or "", "conversion or exercise terms, "
                                                                                     "expiry, cashless exercise") + ")")
        out.append(_doc_line(
            "documents-instruments", term, [d.clause],
            f"The {term} themselves: their terms fix " + "; ".join(roles),
            f"The agreement registers the shares issued under the {term} and relies on their terms; they are not part "
            "of it.", [quote(d.clause, d.quote)]))
    return out


@detector("documents-signatures")
def documents_signatures(a: Agreement) -> list[Any]:
    """Signature blocks with blank names and titles: the executed pages are needed (an agreement that becomes
    effective when every party has signed may not be in force)."""
    doc = a.document
    sig = own(doc, "signatures")
    blank = len(re.findall(r"Name:\s*Title:", sig))
    if not blank:
        return []
    when = next(((c, m.group(0)) for c, m in search(doc, r"shall become effective when counterparts have been signed by "
                                                        r"each party[^.]*")), None)
    return [_doc_line(
        "documents-signatures", "signatures", ["signatures", *([when[0]] if when else [])],
        f"Executed signature pages: {blank} signature block{'s' if blank > 1 else ''} have no name or title",
        "The copy reviewed shows blank signature blocks" + (f"; under {when[0]} the agreement becomes effective only when "
                                                           "every party has signed and delivered it" if when else "")
        + ".", [quote("signatures", "Name: Title:"), *([quote(*when)] if when else [])], Certainty.EVERY)]


@detector("documents-representations")
def documents_representations(a: Agreement) -> list[Any]:
    """A representation of the Company: the support for it (here, its reporting history and eligibility for the
    forms it names)."""
    out = []
    for clause, m in search(a.document, r"The Company represents and warrants that (?P<what>[^.]+)\."):
        out.append(_doc_line(
            "documents-representations", clause, [clause],
            f"Support for the Company's representation in {clause} that "
            + re.sub(r"(?: (?:for|of|the|and|or|to|by|in))+$", "", " ".join(m.group("what").split(" ")[:14])),
            "A representation the deal rests on; its support (for eligibility for a registration form, the Company's "
            "reporting history and public float) should be seen.", [quote(clause, m.group(0)[:-1])]))
    return out


@detector("documents-waivers")
def documents_waivers(a: Agreement) -> list[Any]:
    """An amendment and waiver clause: any amendments, waivers or side letters already given are needed."""
    out = []
    for clause, m in search(a.document, r"Provisions of this Agreement may be amended and the observance thereof may be "
                                        r"waived|may be amended or waived|may be waived"):
        out.append(_doc_line(
            "documents-waivers", clause, [clause],
            f"Any amendments, waivers or side letters already given under {clause}",
            "The agreement may be amended or waived (even retroactively); what has been given changes what it says.",
            [quote(clause, m.group(0))]))
        break
    return out


__all__ = ["lowercase_term", "class_named_twice", "nested_lettering", "integration_lists", "documents_dates",
           "documents_instruments", "documents_signatures", "documents_representations", "documents_waivers"]
