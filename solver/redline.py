"""Applying suggested redlines to an agreement's text and reading the result back as a draft.

A redline names a clause, the words to replace (whitespace-normalized, as the memo quotes them) and the new words.
`apply_text` finds the words in the clause's own lines of the source text (across line breaks and page breaks)
and replaces them; the result is parsed strictly and bound to the package like any draft. So that the analyses
keep running on the redlined text, the words of the elements and parameters a redline rewrites are re-read from
the new text (`reading_package`): an element whose words the redline touches keeps its meaning with the new words
unless the redline says what the new words mean (`Redline.meaning`), and an element whose words the redline
replaces wholesale without saying so is left to the binding, which marks it changed (its analyses are withheld).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rra.solver.memo import Redline
from rra.spec.agreement import Agreement, Model, Package, Source, bind_document
from rra.spec.clauses import Document, parse
from rra.spec.elements import Element, Offset, Parameter
from rra.spec.text import normalize, sha256

# Between two words of a quote the source may have a line break, or a page break (page number and <PAGE> line).
_SEP = r"\s+(?:(?:\d{1,3}\s+)?<PAGE>\s+)?"


class RedlineError(ValueError):
    """A redline whose words are not in its clause the number of times it says."""


def words_pattern(words: str) -> re.Pattern[str]:
    """A pattern matching the words across line and page breaks."""
    return re.compile(_SEP.join(re.escape(w) for w in normalize(words).split(" ")))


def _clause_span(text: str, doc: Document, clause: str) -> tuple[int, int]:
    """Character span of a clause (with its sub-clauses) in the source text."""
    c = doc.by_id[clause]
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    first = min((*c.lines, c.start))
    return starts[first - 1], starts[min(c.end, len(starts) - 1)]


@dataclass(frozen=True)
class Applied:
    """The redlined text, and the redlines that could not be applied (their words were no longer there)."""

    text: str
    applied: tuple[Redline, ...]
    skipped: tuple[tuple[Redline, str], ...] = field(default=())


def apply_text(text: str, doc: Document, redlines: Iterable[Redline], strict: bool = True) -> Applied:
    """Apply redlines in order to a source text. With `strict`, a redline whose words are not in its clause
    exactly `count` times raises RedlineError; otherwise it is skipped with the reason (an earlier redline may have
    rewritten the same words)."""
    applied: list[Redline] = []
    skipped: list[tuple[Redline, str]] = []
    current, cur_doc = text, doc
    for r in redlines:
        if r.clause not in cur_doc.by_id:
            why = f"there is no clause {r.clause}"
        else:
            a, b = _clause_span(current, cur_doc, r.clause)
            hits = list(words_pattern(r.replace).finditer(current, a, b))
            if len(hits) == r.count:
                for m in reversed(hits):
                    current = current[:m.start()] + r.with_ + current[m.end():]
                cur_doc = parse(current, strict=False, source="redlined")
                applied.append(r)
                continue
            why = f"its words are in {r.clause} {len(hits)} time(s), not {r.count}"
        if strict:
            raise RedlineError(f"{r.clause}: {r.replace[:60]!r}: {why}")
        skipped.append((r, why))
    return Applied(current, tuple(applied), tuple(skipped))


def apply_clause_text(clause_text: str, r: Redline) -> str:
    """A clause's normalized text with one redline applied."""
    return clause_text.replace(normalize(r.replace), normalize(r.with_))


# ------------------------------------------------------------------------------------- re-reading the model


def _requote(quote: str, clause_text: str, r: Redline) -> tuple[str, bool] | None:
    """The words of a quote after a redline of its clause: (new words, wholesale) or None when untouched.
    `wholesale`: the quote lay entirely inside the replaced words."""
    q, old, new = normalize(quote), normalize(r.replace), normalize(r.with_)
    qa = clause_text.find(q)
    if qa < 0:
        return None
    qb = qa + len(q)
    spans = [m.start() for m in re.finditer(re.escape(old), clause_text)]
    touched = [ra for ra in spans if ra < qb and qa < ra + len(old)]
    if not touched:
        return None
    lo, hi = qa, qb
    for ra in touched:
        lo, hi = min(lo, ra), max(hi, ra + len(old))
    region = clause_text[lo:hi].replace(old, new)
    wholesale = all(ra <= qa and qb <= ra + len(old) for ra in touched) and q not in new
    return region, wholesale


def _as_offsets(v: Any) -> Any:
    if isinstance(v, (list, tuple)) and v and isinstance(v[0], dict):
        return tuple(Offset(**t) for t in v)
    return v


def _edit(e: Any, fields: dict[str, Any]) -> Any:
    return replace(e, **{k: _as_offsets(v) for k, v in fields.items()})


def reading_package(agreement: Agreement, redlines: Sequence[Redline]) -> Package:
    """The agreement's package with the words (and, where a redline says so, the meaning) of every element and
    parameter its redlines rewrite, so that binding the redlined text finds them."""
    doc = agreement.document
    texts = {c.id: doc.normalized(c.id) for c in doc.clauses}
    by_clause: dict[str, list[Redline]] = {}
    for r in redlines:
        by_clause.setdefault(r.clause, []).append(r)
    meaning: dict[str, dict[str, Any] | None] = {}
    for r in redlines:
        meaning.update(r.meaning)

    def reread(e: Any) -> Any:
        if e.id in meaning and meaning[e.id] is None:
            return None
        rs = by_clause.get(e.clause, [])
        quote, text, whole = e.quote, texts.get(e.clause, ""), False
        for r in rs:
            got = _requote(quote, text, r)
            text = apply_clause_text(text, r)
            if got is not None:
                quote, w = got
                whole = whole or w
        if whole and e.id not in meaning:
            return e  # replaced wholesale and nothing said about its meaning: the binding marks it changed
        if quote != e.quote:
            e = replace(e, quote=quote)
        if e.id in meaning:
            e = _edit(e, meaning[e.id] or {})
        return e

    m = agreement.model

    def many(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(x for x in (reread(e) for e in items) if x is not None)

    readings = many(m.readings)
    measure = reread(m.measure)
    measure = replace(measure, components=many(m.measure.components), readings=readings)
    model = Model(many(m.parties), many(m.events), many(m.deadlines), many(m.obligations), many(m.conditions),
                  many(m.carve_outs), many(m.remedies), many(m.consent_rules), many(m.cross_references), readings,
                  many(m.consent_readings), measure, m.not_formalized)
    params: list[Parameter] = []
    for p in agreement.parameters():
        if p.id in agreement.params.values and p.id not in agreement.params.unbound:
            p = replace(p, value=agreement.params.values[p.id])
        q = reread(p)
        if q is not None:
            params.append(q)
    pkg = agreement.package
    return replace(pkg, parameters=tuple(params), model=model, sha256="")


def redlined(agreement: Agreement, redlines: Sequence[Redline], strict: bool = True,
             name: str = "redlined draft") -> tuple[Agreement, Applied]:
    """The agreement of the text with the redlines applied, bound to the re-read package."""
    text = "\n".join(agreement.document.lines)
    done = apply_text(text, agreement.document, redlines, strict=strict)
    doc = parse(done.text, strict=True, source=name)
    pkg = reading_package(agreement, done.applied)
    a = bind_document(pkg, doc, Source(name, sha256(done.text.encode("utf-8")), "text", False))
    return a, done


def element_changes(a: Agreement) -> list[str]:
    """Ids of the elements the redlined text's binding found changed (their analyses are withheld)."""
    return sorted(a.model.changed)


__all__ = ["Applied", "RedlineError", "apply_text", "reading_package", "redlined", "element_changes", "Element"]
