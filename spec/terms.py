"""Defined terms, derived from the text: where each is defined and where it is used."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rra.spec.clauses import Document
from rra.spec.elements import Term
from rra.spec.text import normalize

_QUOTED = re.compile(r'"([^"]{1,80})"')
# A quoted term is a definition when it sits in a parenthetical "(the "X")" / "(collectively, ... "X")",
# or is followed by "means" / "refer to".
_OPEN_PAREN_BEFORE = re.compile(r"\(((?:[^()]|\([^()]*\)){0,260})$")
_MEANS_AFTER = re.compile(r'^\s*(?:,?\s*(?:and\s*)?"[^"]*"\s*)*(means|refer to|shall mean)\b')
_BORROWED = re.compile(r"\(as defined in (?:the )?(?P<doc>[A-Z][A-Za-z0-9 ]+?)\)")


@dataclass(frozen=True)
class Definition:
    """Where a term is defined: its clause and the words that define it."""

    term: str
    clause: str
    quote: str
    offset: int  # character offset in the clause's normalized own text


def _clean(term: str) -> str:
    return term.strip().rstrip(",;:").strip()


def definitions(doc: Document) -> list[Definition]:
    """Every term the document defines, in document order (a term defined twice appears twice)."""
    out: list[Definition] = []
    for clause in doc.clauses:
        text = normalize(clause.text)
        for m in _QUOTED.finditer(text):
            before, after = text[: m.start()], text[m.end():]
            paren = _OPEN_PAREN_BEFORE.search(before)
            is_def = bool(_MEANS_AFTER.match(after)) or (paren is not None and after.lstrip().startswith(")"))
            if not is_def:
                continue
            start = paren.start() if paren is not None and not _MEANS_AFTER.match(after) else m.start()
            end = min(len(text), m.end() + (2 if after.lstrip().startswith(")") else 40))
            out.append(Definition(_clean(m.group(1)), clause.id, text[start:end].strip(), m.start()))
    return out


def uses(doc: Document, term: str) -> list[str]:
    """Ids of clauses whose own text uses the term (case-sensitive, whole words, quotes excluded)."""
    pat = re.compile(rf'(?<![\w"]){re.escape(term)}(?![\w"])')
    return [c.id for c in doc.clauses if pat.search(normalize(c.text))]


def borrowed(doc: Document) -> list[tuple[str, str, str]]:
    """Terms the text says are defined in another document: (term, other document, clause id)."""
    out: list[tuple[str, str, str]] = []
    for clause in doc.clauses:
        text = normalize(clause.text)
        for m in _BORROWED.finditer(text):
            head = text[: m.start()].rstrip()
            words = re.findall(r"[A-Z][\w-]*", head[-80:])
            # the capitalized run just before "(as defined in ...)"
            run: list[str] = []
            for w in reversed(head.split(" ")):
                if w and w[0].isupper():
                    run.insert(0, w.strip(",;"))
                else:
                    break
            if run and words:
                out.append((" ".join(run), m.group("doc").strip(), clause.id))
    return out


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
    for term, other, clause in borrowed(doc):
        out.append(Term(f"term.{term}[{clause}]@{other}", clause, f"{term} (as defined in", name=term, borrowed_from=other))
    return out
