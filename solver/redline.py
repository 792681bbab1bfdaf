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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rra.solver.memo import Redline
from rra.spec.agreement import Agreement, Model, Package, Source, bind_document
from rra.spec.binding import Earlier
from rra.spec.clauses import Document, keeps_clauses, parse, rebuilt
from rra.spec.elements import Element, Offset, Parameter
from rra.spec.text import normalize, sha256

from rra.memory import Bounded, PerObject, per_object

# Between two words of a quote the source may have a line break, or a page break (page number and <PAGE> line):
# the words are found as the pattern  word1 SEP word2 SEP ...  would find them, with
# SEP = \s+(?:(?:\d{1,3}\s+)?<PAGE>\s+)?  (or \s+ alone where the text has no page break), without compiling
# one pattern per redline (1 ms each for 40 words; `rra check` applied 81 in each of its two processes).
PAGE = "<PAGE>"


class RedlineError(ValueError):
    """A redline whose words are not in its clause the number of times it says."""


def find_words(words: str, text: str, a: int, b: int, pages: bool = True) -> list[tuple[int, int]]:
    """Where the (whitespace-normalized) words are in text[a:b], across line breaks and, with `pages`, page
    breaks: the spans, left to right and not overlapping, that `re.finditer` of the pattern above gives."""
    ws = normalize(words).split(" ")
    if ws == [""]:
        return [(k, k) for k in range(a, b + 1)]  # as the empty pattern matches
    out: list[tuple[int, int]] = []
    pos = a
    while (k := text.find(ws[0], pos, b)) >= 0:
        end = _rest(text, k + len(ws[0]), ws, 1, b, pages)
        if end is None:
            pos = k + 1
            continue
        out.append((k, end))
        pos = end
    return out


def _rest(text: str, p: int, ws: list[str], i: int, b: int, pages: bool) -> int | None:
    """The end of words i.. matched from p on (each after a separator), or None; the separator with a page break
    is tried first, as the pattern's greedy optional group is, and the other way next when the rest fails there
    (depth first, with a stack of its own: a quote may have thousands of words)."""
    stack: list[tuple[int, int, bool]] = [(p, i, True)]  # (position, next word, page break still to try)
    while stack:
        p, i, first = stack.pop()
        if i == len(ws):
            return p
        q = _spaces(text, p, b)
        if q == p:
            continue
        w = ws[i]
        if first and pages and (r := _page_break(text, q, b)) is not None and text.startswith(w, r) \
                and r + len(w) <= b:
            stack.append((p, i, False))  # the plain separator, if everything after the page break fails
            stack.append((r + len(w), i + 1, True))
            continue
        if text.startswith(w, q) and q + len(w) <= b:
            stack.append((q + len(w), i + 1, True))
    return None


def _spaces(text: str, p: int, b: int) -> int:
    """The end of the run of whitespace (the characters the pattern's \\s matches) from p."""
    while p < b and text[p].isspace():
        p += 1
    return p


def _page_break(text: str, q: int, b: int) -> int | None:
    """After a page break at q (a page number of at most three digits and whitespace, then <PAGE> and
    whitespace), where the next word starts; None if there is none."""
    j = q
    while j < b and j - q < 4 and text[j].isdecimal():
        j += 1
    if 1 <= j - q <= 3 and j < b and text[j].isspace():
        q = _spaces(text, j, b)
    if not (text.startswith(PAGE, q) and q + len(PAGE) <= b):
        return None
    r = _spaces(text, q + len(PAGE), b)
    return r if r > q + len(PAGE) else None


@dataclass(frozen=True)
class _Layout:
    """Where a text's clauses are: each clause's first and last source line (1-based, its sub-clauses included) and
    the line each clause begins on; kept through edits that keep the clauses (`joined`), so that `apply_text` finds
    the next redline's clause without parsing the text again."""

    spans: dict[str, tuple[int, int]]
    starts: tuple[int, ...]
    artifacts: tuple[int, ...]  # the lines (1-based) of page artifacts

    @staticmethod
    def of(doc: Document) -> _Layout:
        return _Layout({c.id: (min((*c.lines, c.start)), c.end) for c in doc.clauses},
                       tuple(c.start for c in doc.clauses), tuple(doc.artifacts))

    def span(self, text: str, clause: str) -> tuple[int, int]:
        """Character span of a clause (with its sub-clauses) in the text."""
        first, end = self.spans[clause]
        lines = text.split("\n", end)  # the lines up to the clause's last, and the rest of the text in one piece
        a = sum(map(len, lines[:first - 1])) + first - 1
        b = a + sum(map(len, lines[first - 1:end])) + len(lines[first - 1:end]) if end < len(lines) else len(text) + 1
        return a, b

    def joined(self, first: int, last: int) -> _Layout:
        """The layout once lines first..last (0-based) are joined into one."""
        def moved(n: int) -> int:  # a 1-based line number
            return n if n <= first + 1 else first + 1 if n <= last + 1 else n - (last - first)
        return _Layout({k: (moved(a), moved(b)) for k, (a, b) in self.spans.items()}, tuple(map(moved, self.starts)),
                       tuple(map(moved, self.artifacts)))


@dataclass(frozen=True)
class Applied:
    """The redlined text, the redlines that could not be applied (their words were no longer there), and where the
    clauses are in the redlined text when every edit kept the clauses of the document (None: parse it again)."""

    text: str
    applied: tuple[Redline, ...]
    skipped: tuple[tuple[Redline, str], ...] = field(default=())
    layout: _Layout | None = None


def apply_text(text: str, doc: Document, redlines: Iterable[Redline], strict: bool = True) -> Applied:
    """Apply redlines in order to a source text. With `strict`, a redline whose words are not in its clause
    exactly `count` times raises RedlineError; otherwise it is skipped with the reason (an earlier redline may have
    rewritten the same words)."""
    applied: list[Redline] = []
    skipped: list[tuple[Redline, str]] = []
    current, layout = text, _Layout.of(doc)
    kept = True  # every edit so far kept the clauses of `doc`
    edit: tuple[str, list[tuple[int, int]], str] | None = None  # the last one: (text before it, hits, new words)
    for r in redlines:
        if edit is not None:  # where the clauses are now, found only when another redline follows
            moved = _kept(layout, edit[0], current, edit[1], edit[2])
            if moved is None:
                kept = False
                moved = _Layout.of(parse(current, strict=False, source="redlined"))
            layout, edit = moved, None
        if r.clause not in layout.spans:
            why = f"there is no clause {r.clause}"
        else:
            a, b = layout.span(current, r.clause)
            hits = find_words(r.replace, current, a, b, current.find(PAGE, a, b) >= 0)
            if len(hits) == r.count:
                before = current
                for start, end in reversed(hits):
                    current = current[:start] + r.with_ + current[end:]
                edit = (before, hits, r.with_)
                applied.append(r)
                continue
            why = f"its words are in {r.clause} {len(hits)} time{'s' * (len(hits) != 1)}, not {r.count}"
        if strict:
            raise RedlineError(f"{r.clause}: {r.replace[:60]!r}: {why}")
        skipped.append((r, why))
    if kept and edit is not None:
        final = _kept(layout, edit[0], current, edit[1], edit[2])
    else:
        final = layout if kept else None
    return Applied(current, tuple(applied), tuple(skipped), final)


def _kept(layout: _Layout, before: str, after: str, hits: list[tuple[int, int]], words: str) -> _Layout | None:
    """The layout of `after` (the text `before` with the hits' words replaced by `words`) when its clauses are those of
    `before` (rra.spec.clauses.keeps_clauses: words replaced within lines, or lines a quote spans joined into one),
    so the next redline's clause can be found without parsing again; None means parse again."""
    if "\n" in words or "\r" in words or "\f" in words:
        return None
    old = before.split("\n")
    new = after.split("\n")
    groups: list[list[int]] = []  # [first, last] lines (0-based) of `before` edited together
    for start, end in hits:
        a = before.count("\n", 0, start)
        b = a + before.count("\n", start, end)
        if groups and a <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], b)
        else:
            groups.append([a, b])
    removed = 0
    # an edit of a clause's first lines is checked against the text's lines (its heading), one edit at a time
    context: dict[str, Any] = {"lines": old, "artifacts": set(layout.artifacts)} if len(groups) == 1 else {}
    for a, b in groups:
        if not keeps_clauses(layout.starts, a, old[a:b + 1], new[a - removed], **context):
            return None
        removed += b - a
    for a, b in reversed(groups):
        layout = layout.joined(a, b) if b > a else layout
    return layout


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
    # where `old` is, left to right and not overlapping (as re.finditer finds it; empty words are everywhere)
    spans = [] if old else list(range(len(clause_text) + 1))
    k = clause_text.find(old) if old else -1
    while k >= 0:
        spans.append(k)
        k = clause_text.find(old, k + len(old))
    touched = [ra for ra in spans if ra < qb and qa < ra + len(old)]
    if not touched:
        return None
    lo, hi = qa, qb
    for ra in touched:
        lo, hi = min(lo, ra), max(hi, ra + len(old))
    region = clause_text[lo:hi].replace(old, new)
    wholesale = all(ra <= qa and qb <= ra + len(old) for ra in touched) and q not in new
    return region, wholesale


def unique_quote(quote: str, clause_text: str) -> str:
    """The quote widened leftwards, word by word, until its skeleton (numbers as slots) occurs once in the clause."""
    from rra.spec.binding import skeleton

    q = normalize(quote)
    a = clause_text.find(q)
    if a < 0:
        return quote
    b = a + len(q)
    whole = skeleton(clause_text)[0]
    while a > 0 and whole.count(skeleton(clause_text[a:b])[0]) > 1:
        a = clause_text.rfind(" ", 0, a - 1) + 1
    return clause_text[a:b]


def _slot_kept(p: Parameter, new_quote: str) -> int | None:
    """Which number phrase of the new words is the parameter's: the same position as in its old words (a redline
    that rewrites the number itself leaves the slot where it was)."""
    from rra.spec.binding import slot_of, template

    old = template(p.id, p.clause, p.quote)
    k = slot_of(p, old)
    new = template(p.id, p.clause, new_quote)
    if k is None or len(new.phrases) != len(old.phrases):
        return None
    return k


def _as_offsets(v: Any) -> Any:
    if isinstance(v, (list, tuple)) and v and isinstance(v[0], dict):
        return tuple(Offset(**t) for t in v)
    if isinstance(v, list):
        return tuple(v)
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
        meaning.update({k: v for k, v in r.meaning.items() if k != "*"})

    def reread(e: Any) -> Any:
        if e.id in meaning and meaning[e.id] is None:
            return None
        rs = by_clause.get(e.clause, [])
        quote, text, unsaid = e.quote, texts.get(e.clause, ""), False
        for r in rs:
            got = _requote(quote, text, r)
            text = apply_clause_text(text, r)
            if got is not None:
                quote, whole = got
                unsaid = unsaid or (whole and e.id not in r.meaning and "*" not in r.meaning)
        if unsaid:
            return e  # replaced wholesale and nothing said about its meaning: the binding marks it changed
        if quote != e.quote:
            e = replace(e, quote=quote)
        if e.id in meaning:
            e = _edit(e, meaning[e.id] or {})
        return e

    final = dict(texts)
    for r in redlines:
        if r.clause in final:
            final[r.clause] = apply_clause_text(final[r.clause], r)

    def distinct(e: Any) -> Any:
        """Widen the words of an element of a redlined clause (leftwards) until no other place in the clause has the
        same words up to their numbers, so that the binding finds this one."""
        if e is None or e.clause not in by_clause:
            return e
        return replace(e, quote=unique_quote(e.quote, final.get(e.clause, ""))) if e.quote else e

    m = agreement.model

    def many(items: tuple[Any, ...]) -> tuple[Any, ...]:
        # an element of a clause no redline touches, whose meaning none says, is read as it is
        return tuple(x for x in (e if e.clause not in by_clause and e.id not in meaning else distinct(reread(e))
                                 for e in items) if x is not None)

    readings = many(m.readings)
    measure = distinct(reread(m.measure))
    measure = replace(measure, components=many(m.measure.components), readings=readings)
    model = Model(many(m.parties), many(m.events), many(m.deadlines), many(m.obligations), many(m.conditions),
                  many(m.carve_outs), many(m.remedies), many(m.consent_rules), many(m.cross_references), readings,
                  many(m.consent_readings), measure, m.not_formalized)
    params: list[Parameter] = []
    for p in agreement.parameters():  # carrying the agreement's values already
        if p.clause not in by_clause and p.id not in meaning:
            params.append(p)
            continue
        q = distinct(reread(p))
        if q is not None and q.quote != p.quote and q.slot is None and q.in_text:
            q = replace(q, slot=_slot_kept(p, q.quote))
        if q is not None:
            params.append(q)
    pkg = agreement.package
    return replace(pkg, parameters=tuple(params), model=model, sha256="")


def redlined(agreement: Agreement, redlines: Sequence[Redline], strict: bool = True,
             name: str = "redlined draft") -> tuple[Agreement, Applied]:
    """The agreement of the text with the redlines applied, bound to the re-read package."""
    text = "\n".join(agreement.document.lines)
    done = apply_text(text, agreement.document, redlines, strict=strict)
    if done.layout is not None and not agreement.document.problems:
        # the clauses are those of the agreement's text: only their own lines and words are read again
        doc = rebuilt(agreement.document, done.text, done.layout.starts, done.layout.artifacts, name)
    else:
        doc = parse(done.text, strict=True, source=name)
    pkg = reading_package(agreement, done.applied)
    a = bind_document(pkg, doc, Source(name, sha256(done.text.encode("utf-8")), "text", False), _earlier(agreement))
    return a, done


_EARLIER: PerObject[Earlier] = Bounded(8)  # per agreement value: its redlined texts are bound starting from it


def _earlier(agreement: Agreement) -> Earlier:
    """The agreement's own package bound to its own text, as a redlined text's binding starts from it."""
    return per_object(_EARLIER, agreement, ("earlier",), lambda: Earlier.of(
        agreement.parameters(), agreement.model.elements(), agreement.document))


def element_changes(a: Agreement) -> list[str]:
    """Ids of the elements the redlined text's binding found changed (their analyses are withheld)."""
    return sorted(a.model.changed)


__all__ = ["Applied", "RedlineError", "apply_text", "find_words", "reading_package", "redlined", "element_changes", "Element"]
