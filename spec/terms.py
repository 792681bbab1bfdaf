"""Defined terms, derived from the text: where each is defined, where it is used, and which capitalized
words are used like defined terms without a definition.

Everything here works on any agreement in the same style: a definition is a quoted term in a parenthetical
("(the "X")", "(collectively, ... "X")") or a quoted term followed by "means" / "refer to"; a use is a
whole-word, case-sensitive match of a term or of its plural, singular or possessive form outside quotation
marks. Offsets are into a clause's own whitespace-normalized text; `ClauseText.line` turns them into source
line numbers.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from rra.spec.clauses import Clause, Document
from rra.spec.elements import Term
from rra.spec.text import normalize

T = TypeVar("T")

_QUOTED = re.compile(r'"([^"]{1,80})"')
# A quoted term is a definition when it sits in a parenthetical "(the "X")" / "(collectively, ... "X")",
# or is followed by "means" / "refer to".
_OPEN_PAREN_BEFORE = re.compile(r"\(((?:[^()]|\([^()]*\)){0,260})$")
_MEANS_AFTER = re.compile(r'^\s*(?:,?\s*(?:and\s*)?"[^"]*"\s*)*(means|refers? to|shall mean)\b')
_BORROWED = re.compile(r"\(as defined in (?:the )?(?P<doc>(?!Sections?\b)[A-Z0-9][A-Za-z0-9 ]+?)\)")
_BORROWED_QUOTED_LOOSE = re.compile(r'"(?P<term>[^"]{1,80})"\s*,?\s*as (?:that|such) term (?:is )?defined in (?:the )?'
                                    r"(?P<doc>(?:Rule|Regulation)\s+\w+(?:\s+of\s+(?:the\s+)?Regulation\s+\w+)?|"
                                    r"[A-Z][\w]*(?:\s+[A-Z0-9][\w]*)*)")
_ABBREVIATIONS = {"Inc", "Ltd", "Co", "Corp", "No", "Nos", "Esq", "Mr", "Ms", "Mrs", "Dr", "Jr", "Sr", "St", "L.P",
                  "U.S", "N.A", "e.g", "i.e", "etc", "vs", "Sec", "P.C", "L.L.C"}
_SENTENCE_END = re.compile(r"[.;:](?=\s+[\"(A-Z0-9]|\s*$)")
# A forward reference right after a use: "(as hereinafter defined)", "(as defined below)", "(as defined in Section 3(f))".
_PAREN_AFTER = re.compile(r"^\s*\((?P<body>(?:[^()]|\([^()]*\))*)\)")
_FORWARD = re.compile(r"\bdefined\b.*\b(?:below|hereinafter|herein|later|Sections?\s+\d)|\bhereinafter\s+defined\b")
_SECTION_IN_PAREN = re.compile(r"\bSections?\s+(\d{1,2}(?:\([a-z]{1,4}\))*)")
_POSSESSIVE = r"(?:'s|'|\u2019s|\u2019)?"
_PREV_CAPITAL = re.compile(r"(?<![\w-])([A-Z][A-Za-z]*[a-z][A-Za-z-]*) $")
_NEXT_CAPITAL = re.compile(r" [A-Z][a-z]")
# Names of provisions and forms: masked when looking for undefined terms (they are references, not terms).
_PROVISION = re.compile(r"\b(?:Sections?|Rules?|Forms?|Regulations?|Exhibits?|Schedules?|Annex(?:es)?|Appendix|"
                        r"Appendices|Articles?|Items?|Paragraphs?)\s+[A-Z0-9][\w.-]*(?:\([a-z0-9]{1,4}\))*"
                        r"(?:\s*(?:,|and|or|through)\s*(?:[A-Z]{1,2}-)?\d[\w.-]*(?:\([a-z0-9]{1,4}\))*)*")
_CAPWORD = re.compile(r"(?<![\w@.-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:'s|')?(?![\w@-])")
_CONNECTORS = {"of", "and", "for"}
_ORG_SUFFIX = re.compile(r"^,?\s*(?:Inc|Ltd|L\.?P|LLP|LLC|L\.L\.C|Corp|Corporation|Co|plc|PLC|AG|GmbH|N\.A|S\.A|"
                         r"Limited Partnership|Partnership|Aktiengesellschaft|Fund)\b\.?")
_ORG_WORDS = {"Inc", "Ltd", "LP", "LLP", "LLC", "Corp", "Corporation", "Partnership", "Aktiengesellschaft", "Fund",
              "AG", "GmbH", "plc", "PLC"}
# Titles of other documents: "the Subscription Agreement dated as of June 18, 2002".
_TITLE_AFTER = re.compile(r"^,?\s*(?:dated|made|entered into)\b")
# Corporate bodies and offices: capitalized by convention, descriptive, never defined terms ("the Board of Directors
# of the Company", "Chairman and Chief Executive Officer").
_OFFICES = re.compile(r"^(?:Board of Directors|Board|Directors|Chairman|Chairwoman|Chairperson|President|Vice President|"
                      r"Secretary|Treasurer|Chief \w+ Officer|General Counsel|Audit Committee)"
                      r"(?:\s+and\s+(?:Chief \w+ Officer|President|Secretary|Treasurer))?$")
_OF_PARTY = re.compile(r"^\s+of\s+(?:the\s+)?[A-Z]\w*")
_STATUTE_AFTER = re.compile(r"^\s+of\s+(?:19|20)\d\d\b")
_ZIP = re.compile(r"(?<![\d,(.$])\b\d{5}(?:-\d{4})?\b(?![\d,)])")
# Proper names that are neither terms nor parties (places); a lexicon, not a finding.
PLACES = frozenset({
    "United States", "United States of America", "United Kingdom", "New York", "New Jersey", "New Hampshire",
    "New Mexico", "North Carolina", "North Dakota", "South Carolina", "South Dakota", "West Virginia",
    "Rhode Island", "District of Columbia", "Hong Kong", "Cayman Islands", "British Virgin Islands", "Palo Alto",
    "Los Angeles", "San Francisco", "San Diego", "San Jose",
})
_NUMBER_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                 "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
                 "thousand", "million", "billion", "dollars", "hundredths", "tenths", "percent"}


# ---------------------------------------------------------------- clause text with line numbers


@dataclass(frozen=True)
class ClauseText:
    """A clause's own text, whitespace-normalized, with the source line where each of its lines starts."""

    clause: str
    text: str
    starts: tuple[int, ...]  # offset in `text` where each own source line begins
    lines: tuple[int, ...]  # the source line numbers (1-based), same order

    def line(self, offset: int) -> int:
        """The source line (1-based) of a character offset in the normalized text."""
        if not self.lines:
            return 0
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


_CACHE: dict[int, tuple[weakref.ref[Document], dict[str, Any]]] = {}


def cached(doc: Document, key: str, build: Callable[[], T]) -> T:
    """Memoize a derived value per parsed document (documents are not hashable; the cache follows their life)."""
    key_id = id(doc)
    entry = _CACHE.get(key_id)
    if entry is None or entry[0]() is not doc:

        def forget(_ref: weakref.ref[Document]) -> None:
            _CACHE.pop(key_id, None)

        entry = (weakref.ref(doc, forget), {})
        _CACHE[key_id] = entry
    store = entry[1]
    if key not in store:
        store[key] = build()
    value: T = store[key]
    return value


def canonical_label(clause: Clause) -> str:
    """A clause's number as the agreement writes it ("2.", "c.", "(iv)", "A."), whatever the draft's layout."""
    if clause.kind == "section":
        return f"{clause.number}."
    if clause.kind in ("subsection", "recital"):
        return f"{clause.number}."
    if clause.kind == "item":
        return f"({clause.number})"
    return ""


def clause_texts(doc: Document) -> dict[str, ClauseText]:
    """Every clause's own normalized text with its line map, by clause id. The clause's number is written in
    the agreement's own style ("c." for a draft's "(c)", "2." for "Section 2."), so that what the checks read,
    and the words they quote, do not depend on the draft's numbering layout."""

    def build() -> dict[str, ClauseText]:
        out: dict[str, ClauseText] = {}
        for c in doc.clauses:
            parts: list[str] = []
            starts: list[int] = []
            pos = 0
            label = normalize(c.label)
            for ln in c.lines:
                piece = normalize(doc.lines[ln - 1])
                if label and not parts and piece.startswith(label):
                    piece = (canonical_label(c) + piece[len(label):]).strip()
                starts.append(pos)
                parts.append(piece)
                pos += len(piece) + 1
            out[c.id] = ClauseText(c.id, " ".join(parts), tuple(starts), tuple(c.lines))
        return out

    return cached(doc, "clause_texts", build)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end offsets of the sentence (or ;-separated part) around an offset."""
    start, end = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        if m.end() <= offset:
            start = m.end()
        elif m.start() >= offset:
            end = m.start() + 1
            break
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    k = dot
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:dot]
    return word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentence_starts(text: str) -> set[int]:
    """Offsets where a sentence (or a parenthetical sentence) begins."""
    out = {0}
    for m in _SENTENCE_END.finditer(text):
        if m.group(0) == "." and not _is_abbreviation(text, m.start()):
            k = m.end()
            while k < len(text) and text[k] in ' "(':
                k += 1
            out.add(k)
    for m in re.finditer(r"\((?=[A-Z][a-z])", text):
        out.add(m.end())
    return out


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Definition:
    """Where a term is defined: its clause and the words that define it."""

    term: str
    clause: str
    quote: str
    offset: int  # character offset in the clause's normalized own text (the opening quotation mark)
    end: int = 0  # offset just past the closing quotation mark
    form: str = "parenthetical"  # parenthetical ("(the "X")") | means ("X" means ...)
    body: str = ""  # the defining words: after "means" to the end of the sentence, or the parenthetical's words
    line: int = 0  # source line of the opening quotation mark


def _clean(term: str) -> str:
    return term.strip().rstrip(",;:").strip()


def definitions(doc: Document) -> list[Definition]:
    """Every term the document defines, in document order (a term defined twice appears twice)."""
    return cached(doc, "definitions", lambda: _definitions(doc))


def _definitions(doc: Document) -> list[Definition]:
    texts = clause_texts(doc)
    return [d for c in doc.clauses if c.kind != "signatures" for d in _clause_definitions(texts[c.id])]


@lru_cache(maxsize=4096)
def _clause_definitions(ct: ClauseText) -> tuple[Definition, ...]:
    """The definitions in one clause's own text (remembered by the text and its line map: a redlined draft reads
    again only the clauses its redlines change)."""
    out: list[Definition] = []
    text = ct.text
    for m in _QUOTED.finditer(text):
        if _inside_quote(text, m.start()):
            continue
        before, after = text[: m.start()], text[m.end():]
        paren = _OPEN_PAREN_BEFORE.search(before)
        means = _MEANS_AFTER.match(after)
        closes = after.lstrip().startswith(")")
        if not (means or (paren is not None and closes)):
            continue
        start = paren.start() if paren is not None and not means else m.start()
        end = min(len(text), m.end() + (2 if closes else 40))
        if means:
            s_start, s_end = sentence_bounds(text, m.end() + means.end())
            body_start = m.end() + means.end()
            body = text[body_start: max(body_start, s_end)].strip()
            form = "means"
        else:
            assert paren is not None
            inner = text[paren.start() + 1: m.start()]
            body = re.sub(r'"[^"]*"', "", inner).strip(" ,")
            form = "parenthetical"
        out.append(Definition(_clean(m.group(1)), ct.clause, text[start:end].strip(), m.start(), m.end(), form,
                              body, ct.line(m.start())))
    return tuple(out)


def _inside_quote(text: str, pos: int) -> bool:
    """Whether pos falls inside an earlier quoted span (an odd number of quotation marks precede it)."""
    return text.count('"', 0, pos) % 2 == 1


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of "quoted words" in a text, pairing quotation marks in order."""
    marks = [m.start() for m in re.finditer('"', text)]
    return [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]


# ---------------------------------------------------------------- uses


def forms(term: str) -> list[str]:
    """The term with its plural or singular (last word inflected), longest first."""
    head, sep, last = term.rpartition(" ")
    alt: str | None
    if not last or not last[0].isalpha() or last.isupper() or last[-1].isdigit():
        alt = None
    elif last.endswith("ies") and len(last) > 4:
        alt = last[:-3] + "y"
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        alt = last[:-1] + "ies"
    elif last.endswith("ss"):
        alt = last + "es"
    elif last.endswith("s"):
        alt = last[:-1]
    else:
        alt = last + "s"
    out = [term] + ([head + sep + alt] if alt else [])
    return sorted(set(out), key=lambda s: (-len(s), s))


@dataclass(frozen=True)
class Use:
    """One occurrence of a term in a clause's own text, outside quotation marks."""

    term: str
    clause: str
    offset: int
    end: int
    line: int
    words: str  # the words as written ("Investor's")
    forward: str | None = None  # a forward reference right after it ("as hereinafter defined"), if any


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any form of any of the terms, longest first, as whole words."""
    alts = sorted({f for t in terms for f in forms(t)}, key=lambda s: (-len(s), s))
    if not alts:
        return None
    body = "|".join(re.escape(a) for a in alts)
    return re.compile(rf'(?<![\w"-])(?P<t>{body}){_POSSESSIVE}(?![\w"-])')


def find_uses(doc: Document, terms: Iterable[str]) -> list[Use]:
    """Every use of the given terms (any form), in document order; quoted words and signatures excluded."""
    key = tuple(sorted(set(terms)))
    return list(cached(doc, "uses\x00" + "\x00".join(key), lambda: _find_uses(doc, key)))


def _find_uses(doc: Document, terms: tuple[str, ...]) -> list[Use]:
    if _term_forms(terms)[0] is None:
        return []
    texts = clause_texts(doc)
    return [u for c in doc.clauses if c.kind != "signatures" for u in _clause_uses(terms, texts[c.id])]


@lru_cache(maxsize=64)
def _term_forms(terms: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The pattern of the terms and the term each form stands for."""
    return term_pattern(terms), {f: t for t in sorted(terms, key=lambda t: (len(t), t)) for f in forms(t)}


@lru_cache(maxsize=8192)
def _clause_uses(terms: tuple[str, ...], ct: ClauseText) -> tuple[Use, ...]:
    """The uses of the terms in one clause's own text (remembered as _clause_definitions is)."""
    pat, canon = _term_forms(terms)
    assert pat is not None
    out: list[Use] = []
    spans = quote_spans(ct.text)
    starts: set[int] | None = None
    for m in pat.finditer(ct.text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        # part of a longer name: "Subscription Agreement", "Alpha Capital Aktiengesellschaft"
        if m.group("t")[:1].isupper():
            if starts is None:
                starts = sentence_starts(ct.text)
            prev = _PREV_CAPITAL.search(ct.text, max(0, m.start() - 40), m.start())
            if (prev and prev.start(1) not in starts) or _NEXT_CAPITAL.match(ct.text, m.end()):
                continue
        fwd = None
        pm = _PAREN_AFTER.match(ct.text[m.end():])
        if pm and "defined" in pm.group("body") and _FORWARD.search(pm.group("body")):
            fwd = normalize(pm.group("body"))
        out.append(Use(canon[m.group("t")], ct.clause, m.start(), m.end(), ct.line(m.start()), m.group(0), fwd))
    return tuple(out)


def uses(doc: Document, term: str) -> list[str]:
    """Ids of clauses whose own text uses the term (case-sensitive, whole words, quotes excluded)."""
    pat = re.compile(rf'(?<![\w"]){re.escape(term)}(?![\w"])')
    return [c.id for c in doc.clauses if pat.search(normalize(c.text))]


# ---------------------------------------------------------------- borrowed terms


@dataclass(frozen=True)
class Borrowed:
    """A term the text says is defined in another document."""

    term: str
    document: str
    clause: str
    offset: int
    line: int
    words: str


def borrowed_terms(doc: Document) -> list[Borrowed]:
    """Terms the text says are defined elsewhere: "X (as defined in the Debentures)", "X" as that term is
    defined in Rule 501."""
    return cached(doc, "borrowed", lambda: _borrowed_terms(doc))


def _borrowed_terms(doc: Document) -> list[Borrowed]:
    out: list[Borrowed] = []
    for clause in doc.clauses:
        if clause.kind == "signatures":
            continue
        ct = clause_texts(doc)[clause.id]
        text = ct.text
        for m in _BORROWED.finditer(text):
            head = text[: m.start()].rstrip()
            run: list[str] = []
            for w in reversed(head.split(" ")):
                if w and (w[0].isupper() or (w[0].isdigit() and run)):
                    run.insert(0, w.strip(",;"))
                else:
                    break
            if run:
                term = " ".join(run)
                start = len(head) - len(term) if head.endswith(term) else head.rfind(run[0])
                out.append(Borrowed(term, m.group("doc").strip(), clause.id, max(0, start), ct.line(max(0, start)),
                                    text[max(0, start): m.end()]))
        for m in _BORROWED_QUOTED_LOOSE.finditer(text):
            out.append(Borrowed(_clean(m.group("term")), m.group("doc").strip(), clause.id, m.start(),
                                ct.line(m.start()), m.group(0)))
    return out


def borrowed(doc: Document) -> list[tuple[str, str, str]]:
    """Terms the text says are defined in another document: (term, other document, clause id)."""
    return [(b.term, b.document, b.clause) for b in borrowed_terms(doc)]


_CATCH_ALL = re.compile(r"[Cc]apitalized terms used (?:herein|in this Agreement)(?: and)? not (?:otherwise )?defined "
                        r"(?:herein|in this Agreement)? ?shall have the (?:respective )?meanings? (?:set forth|given|"
                        r"ascribed)(?: to (?:them|such terms))? in (?P<docs>[^.]+)")


def catch_all(doc: Document) -> tuple[str, str] | None:
    """The clause that gives undefined capitalized terms the meaning they have in other documents, if any:
    (clause id, the documents named)."""
    for clause in doc.clauses:
        m = _CATCH_ALL.search(clause_texts(doc)[clause.id].text)
        if m:
            return clause.id, m.group("docs").strip()
    return None


# ---------------------------------------------------------------- words used like terms but never defined


@dataclass(frozen=True)
class Candidate:
    """Capitalized words used like a defined term, with no definition here nor a borrowing note."""

    words: str
    clause: str
    offset: int
    line: int


def known_terms(doc: Document) -> list[str]:
    """Terms defined here or borrowed with a note."""
    return sorted({d.term for d in definitions(doc)} | {b.term for b in borrowed_terms(doc)})


def long_names(doc: Document) -> dict[str, str]:
    """Long names that a definition abbreviates: {"Securities and Exchange Commission": "SEC", ...}, taken from
    the capitalized words right before a parenthetical definition ("... Exchange Commission (the "SEC")")."""

    def build() -> dict[str, str]:
        out: dict[str, str] = {}
        texts = clause_texts(doc)
        known = set(known_terms(doc))
        for d in definitions(doc):
            if d.form != "parenthetical":
                continue
            text = texts[d.clause].text
            paren = text.rfind("(", 0, d.offset)
            words = _capital_run_before(text, paren)
            for k in known:  # "the Company and Alpha Capital ..." -> "Alpha Capital ..."
                if words.startswith(k + " and "):
                    words = words[len(k) + 5:]
            if words and words not in known and not words.isupper() and len(words.split()) >= 2:
                out[words] = d.term
        return out

    return cached(doc, "long_names", build)


def _capital_run_before(text: str, pos: int) -> str:
    """The capitalized run (with of/and/for connectors) ending just before pos, e.g. "Nasdaq National Market"."""
    words = text[:pos].rstrip().rstrip(",").split(" ")
    run: list[str] = []
    for w in reversed(words):
        if w and (w[0].isupper() or (run and w in _CONNECTORS and run[0][0].isupper())):
            run.insert(0, w)
        else:
            break
    while run and run[0] in _CONNECTORS:
        run.pop(0)
    return " ".join(run).rstrip(",")


def undefined_candidates(doc: Document) -> list[Candidate]:
    """Capitalized multi-word phrases used like defined terms that the text neither defines nor borrows.

    Masked first: defined and borrowed terms (any form), quoted words, headings, names of provisions
    ("Section 9", "Rule 415", "Form S-3"), numbers in words, the long names that definitions abbreviate,
    organizations ("... Inc.", "... Fund Ltd."), titles of other documents ("... Agreement dated ..."),
    statutes ("... Act of 1933"), addresses (near a ZIP code), places, and text in capitals. A phrase left over
    with two or more capitalized words, or one capitalized word stuck to a known term ("Warrant Shares",
    "Variable Conversion Price"), is a candidate. A capitalized word that starts a sentence counts only when
    another capitalized word follows it.
    """
    return cached(doc, "candidates", lambda: _undefined_candidates(doc))


def _undefined_candidates(doc: Document) -> list[Candidate]:
    known = tuple(sorted(known_terms(doc)))
    longs = tuple(sorted(long_names(doc)))
    texts = clause_texts(doc)
    return [x for c in doc.clauses if c.kind != "signatures"
            for x in _clause_candidates(known, longs, c.heading, texts[c.id])]


@lru_cache(maxsize=4096)
def _clause_candidates(known: tuple[str, ...], longs: tuple[str, ...], heading: str | None,
                       ct: ClauseText) -> tuple[Candidate, ...]:
    """The candidates in one clause's own text (remembered as _clause_definitions is)."""
    pat = _term_forms(known)[0]
    long_pat = _term_forms(longs)[0] if longs else None
    out: list[Candidate] = []
    text = ct.text
    # 0 free, 1 masked, 2 known term; known terms are marked first so that masks (quotes, long names) win
    mask = bytearray(len(text) + 1)

    def put(a: int, b: int, v: int, mask: bytearray = mask) -> None:
        a, b = max(0, a), min(len(mask) - 1, b)
        if b > a:
            mask[a:b] = bytes([v]) * (b - a)

    for m in _PROVISION.finditer(text):
        put(m.start(), m.end(), 2)
    if pat is not None:
        for m in pat.finditer(text):
            put(m.start(), m.end(), 2)
    for a, b in quote_spans(text):
        put(a, b, 1)
    if heading:
        h = text.find(heading)
        if 0 <= h < 12:
            put(h, h + len(heading), 1)
    if long_pat is not None:
        for m in long_pat.finditer(text):
            put(m.start(), m.end(), 1)
    for m in re.finditer(r"\b[A-Za-z-]+(?:\s+[A-Za-z-]+)*\s*\(\$?[\d.,]+\)", text):
        before = m.group(0).split("(")[0].split()
        k = len(before)
        while k > 0 and all(p in _NUMBER_WORDS for p in before[k - 1].lower().split("-")):
            k -= 1
        if k < len(before):
            put(m.start() + len(" ".join(before[:k])), m.end(), 1)
    starts = sentence_starts(text)
    tokens: list[tuple[int, int, str]] = []  # (start, end, kind) kind: C capital, K known, J connector
    for m in re.finditer(r"[^\s,;:()\"]+", text):
        w = m.group(0).rstrip(".")
        a, b = m.start(), m.start() + len(w)
        if not w:
            continue
        if mask[a] == 2:
            if tokens and tokens[-1][2] == "K" and mask[tokens[-1][1]] == 2 and text[tokens[-1][1]] == " ":
                tokens[-1] = (tokens[-1][0], b, "K")
            else:
                tokens.append((a, b, "K"))
        elif mask[a] == 1:
            tokens.append((a, b, "M"))
        elif w in _CONNECTORS:
            tokens.append((a, b, "J"))
        elif _CAPWORD.fullmatch(w) and not (w.isupper() and len(w) > 1 and not any(ch.isdigit() for ch in w)):
            tokens.append((a, b, "C"))
        else:
            tokens.append((a, b, "O"))
        if m.group(0).endswith((".",)) and len(w) + 1 == len(m.group(0)) and not _is_abbreviation(text, b):
            tokens.append((b, b + 1, "O"))
    # punctuation between tokens breaks a phrase
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    prev_end = -1
    for tok in tokens:
        gap = text[prev_end:tok[0]] if prev_end >= 0 else " "
        if tok[2] in "CKJ" and (not cur or gap.strip() == ""):
            cur.append(tok)
        else:
            if cur:
                runs.append(cur)
            cur = [tok] if tok[2] in "CKJ" else []
        prev_end = tok[1]
    if cur:
        runs.append(cur)
    for run in runs:
        for piece in _pieces(run):
            if sum(1 for t in piece if t[2] == "C") == 0:
                continue
            if piece[0][0] in starts and piece[0][2] == "C" and (len(piece) < 2 or piece[1][2] != "C"):
                piece = piece[1:]
                while piece and piece[0][2] == "J":
                    piece = piece[1:]
            caps = [t for t in piece if t[2] in "CK"]
            if not any(t[2] == "C" for t in piece) or len(caps) < 2:
                continue
            a, b = piece[0][0], piece[-1][1]
            words = text[a:b]
            if _is_proper_name(text, a, b, words):
                continue
            out.append(Candidate(words, ct.clause, a, ct.line(a)))
    return tuple(out)


def _pieces(run: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Split a capitalized run at connectors that touch a known term ("Debentures and Warrants")."""
    pieces: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for i, tok in enumerate(run):
        if tok[2] == "J":
            left = run[i - 1][2] if i > 0 else "J"
            right = run[i + 1][2] if i + 1 < len(run) else "J"
            if left != "C" or right != "C":
                if cur:
                    pieces.append(cur)
                cur = []
                continue
        cur.append(tok)
    if cur:
        pieces.append(cur)
    out = []
    for p in pieces:
        while p and p[-1][2] == "J":
            p = p[:-1]
        while p and p[0][2] == "J":
            p = p[1:]
        if p:
            out.append(p)
    return out


def _is_proper_name(text: str, a: int, b: int, words: str) -> bool:
    after = text[b:]
    if _ORG_SUFFIX.match(after) or words.split()[-1].rstrip(".,") in _ORG_WORDS:
        return True
    if _OFFICES.match(words) or (_OF_PARTY.match(after) and re.search(r"\b(?:Board|Directors|Officer|Committee)\b", words)):
        return True
    if _TITLE_AFTER.match(after) or _STATUTE_AFTER.match(after):
        return True
    if words in PLACES or any(words.startswith(p + " ") or words.endswith(" " + p) for p in PLACES):
        return True
    window = text[max(0, a - 60): b + 60]
    if _ZIP.search(window) or re.search(r"\b\d{2,5}\s+$", text[max(0, a - 8):a]):
        return True
    return re.search(r"(?:Attention|Attn|Name|By)\s*:\s*$", text[max(0, a - 14):a]) is not None


# ---------------------------------------------------------------- formal elements


def term_elements(doc: Document) -> list[Term]:
    """Defined terms as formal elements, citing the words that define them."""
    seen: set[tuple[str, str]] = set()
    out: list[Term] = []
    for d in definitions(doc):
        key = (d.term, d.clause)
        if key in seen:
            continue
        seen.add(key)
        out.append(Term(f"term.{d.term}[{d.clause}]", d.clause, d.quote, name=d.term))
    for b in borrowed_terms(doc):
        key = (f"{b.term}@{b.document}", b.clause)
        if key in seen:
            continue
        seen.add(key)
        out.append(Term(f"term.{b.term}[{b.clause}]@{b.document}", b.clause, b.words, name=b.term,
                        borrowed_from=b.document))
    return out
