"""Mutation tests: each kind of damage done to a copy of the agreement is found by the review at the clause where
it was done (hypothesis picks the term, the subsection, the numeral and the reference)."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rra.solver.findings import Finding
from rra.solver.review import _WORDS_AND_FIGURES, review, words_value
from rra.solver.textgraph import references
from rra.spec.clauses import Document, agreement, parse
from rra.spec.terms import definitions, find_uses
from rra.spec.text import agreement_text

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _review(text: str) -> dict[str, Finding]:
    """Findings by id for a mutated copy, parsed leniently (as `rra check --agreement` does)."""
    return {f.id: f for f in review(parse(text, strict=False, source="mutant"))}


@lru_cache(maxsize=1)
def _baseline() -> dict[str, str]:
    return {k: json.dumps(f.evidence["occurrences"], sort_keys=True) for k, f in _review(agreement_text()).items()}


def _new(found: dict[str, Finding]) -> dict[str, set[str]]:
    """Findings the mutation added, or whose evidence it changed (another unmatched parenthesis in a clause
    that already had one): id -> sections."""
    def changed(f: Finding) -> bool:
        return _baseline().get(f.id) != json.dumps(f.evidence["occurrences"], sort_keys=True)

    return {k: set(f.sections) for k, f in found.items() if changed(f)}


def _flex(words: str) -> str:
    """A regex for words as they appear in the source (any run of whitespace between them)."""
    return r"\s+".join(re.escape(w) for w in words.split())


def _line_offset(text: str, line: int) -> int:
    return sum(len(ln) + 1 for ln in text.split("\n")[: line - 1])


# ---------------------------------------------------------------- rename a defined term at its definition

_ONCE = sorted({d.term for d in definitions(agreement())
                if sum(1 for e in definitions(agreement()) if e.term == d.term) == 1 and not d.term[:1].islower()})


@SETTINGS
@given(term=st.sampled_from(_ONCE), new=st.sampled_from(["Qzx Widget", "Zorblat Figure", "Plover Quantum"]))
def test_renaming_a_term_at_its_definition_is_found_at_the_definition_and_at_its_uses(term: str, new: str) -> None:
    doc = agreement()
    d = next(d for d in definitions(doc) if d.term == term)
    text = agreement_text()
    start = _line_offset(text, d.line)
    m = re.compile('"' + _flex(term) + r'(,?)"').search(text, start)
    assert m is not None
    mutant = text[: m.start()] + f'"{new}{m.group(1)}"' + text[m.end():]
    found = _new(_review(mutant))
    slug = new.lower().replace(" ", "-")
    assert d.clause in found.get(f"text.unused-term.{slug}", set()), found
    # a multi-word term that is still used elsewhere is now used without a definition
    uses = [u for u in find_uses(doc, [term]) if u.clause != d.clause]
    words = term.split()
    if uses and len(words) >= 2 and all(w[:1].isupper() and w.isalpha() for w in words):
        hits = [v for k, v in found.items() if k.startswith(("text.undefined-term.", "text.long-form."))
                and uses[0].clause in v]
        assert hits, (term, found)


# ---------------------------------------------------------------- drop a subsection


def _droppable(doc: Document) -> list[str]:
    """Subsections and items with a following sibling (dropping the last one leaves no gap to see)."""
    out = []
    for c in doc.clauses:
        if c.kind in ("subsection", "item") and c.parent:
            sibs = doc.get(c.parent).children
            if sibs.index(c.id) + 1 < len(sibs):
                out.append(c.id)
    return out


@SETTINGS
@given(clause=st.sampled_from(_droppable(agreement())))
def test_dropping_a_subsection_is_found_as_a_numbering_gap_at_the_next_one(clause: str) -> None:
    doc = agreement()
    c = doc.get(clause)
    sibs = doc.get(c.parent or "").children
    nxt = sibs[sibs.index(clause) + 1]
    lines = agreement_text().split("\n")
    mutant = "\n".join(lines[: c.start - 1] + lines[c.end:])
    found = _new(_review(mutant))
    assert found.get(f"text.numbering-gap.{nxt}") == {nxt}, found


# ---------------------------------------------------------------- change a numeral in "thirty (30)"


def _numerals() -> list[tuple[int, str]]:
    """(offset in the source, words) of every number written in words and figures, e.g. "thirty  (30)"."""
    text = agreement_text()
    return [(m.start("fig"), m.group("words")) for m in _WORDS_AND_FIGURES.finditer(text)
            if words_value(m.group("words")) is not None and "$" not in m.group("fig") and "." not in m.group("fig")]


@SETTINGS
@given(which=st.sampled_from(_numerals()), delta=st.integers(min_value=1, max_value=60))
def test_changing_a_figure_is_found_as_a_words_and_figures_mismatch_at_its_clause(which: tuple[int, str],
                                                                                   delta: int) -> None:
    text = agreement_text()
    at, words = which
    m = re.compile(r"\d[\d,]*").match(text, at)
    assert m is not None
    value = int(m.group(0).replace(",", ""))
    mutant = text[:at] + str(value + delta) + text[m.end():]
    line = text.count("\n", 0, at) + 1
    owner = agreement().clause_at(line)
    assert owner is not None
    found = _new(_review(mutant))
    hits = {k: v for k, v in found.items() if k.startswith("text.number-mismatch.")}
    assert list(hits.values()) == [{owner.id}], (words, value, hits)


# ---------------------------------------------------------------- break a section reference

_INTERNAL = [r for r in references(agreement()) if r.kind == "internal"]


@SETTINGS
@given(ref=st.sampled_from(_INTERNAL), broken=st.sampled_from(["{n}(z)", "{n}(y)", "19", "{n}(a)(xiv)"]))
def test_breaking_a_section_reference_is_found_as_a_dangling_reference_at_its_clause(ref: object, broken: str) -> None:
    from rra.solver.textgraph import Reference

    assert isinstance(ref, Reference)
    text = agreement_text()
    m = re.compile(_flex(ref.words)).search(text, _line_offset(text, ref.line))
    assert m is not None
    target = ref.targets[0]
    new_target = broken.format(n=target.split("(")[0])
    idm = re.compile(re.escape(target) + r"(?![\w(])").search(text, m.start(), m.end())
    assert idm is not None
    mutant = text[: idm.start()] + new_target + text[idm.end():]
    found = _new(_review(mutant))
    assert found.get(f"text.dangling-reference.{ref.clause}.{new_target}") == {ref.clause}, found


# ---------------------------------------------------------------- other damage, found where it is done


@SETTINGS
@given(clause=st.sampled_from([c.id for c in agreement().numbered() if c.kind != "section" and
                                any(w.isalpha() and w.islower() for w in c.text.split())]),
       damage=st.sampled_from(["paren", "quote", "doubled"]))
def test_punctuation_and_doubled_words_added_to_a_clause_are_found_there(clause: str, damage: str) -> None:
    c = agreement().get(clause)
    lines = agreement_text().split("\n")
    i, k = next((ln - 1, j) for ln in reversed(c.lines) for j, w in reversed(list(enumerate(lines[ln - 1].split(" "))))
                if w.isalpha() and w.islower())
    words = lines[i].split(" ")
    words[k] = {"paren": "(" + words[k], "quote": '"' + words[k], "doubled": words[k] + " " + words[k]}[damage]
    lines[i] = " ".join(words)
    found = _new(_review("\n".join(lines)))
    prefix = {"paren": "text.unbalanced-parentheses.", "quote": "text.unbalanced-quotes.", "doubled": "text.typo."}[damage]
    hits = {k: v for k, v in found.items() if k.startswith(prefix)}
    assert hits and all(v == {clause} for v in hits.values()), found


@pytest.mark.parametrize("misspelled", ["Stonestreet", "Bristol"])
def test_misspelling_a_party_name_once_is_found(misspelled: str) -> None:
    text = agreement_text()
    wrong = misspelled[:3] + misspelled[4:]  # drop one letter
    i = text.rindex(misspelled)
    found = _new(_review(text[:i] + wrong + text[i + len(misspelled):]))
    assert any(k.startswith("text.inconsistent-name.") and wrong in k for k in found), found


# ---------------------------------------------------------------- any damage: a finding or a clean refusal, never a crash


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.integers(0, 1020), st.integers(0, 40)), max_size=4),
       junk=st.lists(st.tuples(st.integers(0, 60000), st.sampled_from(['"', "(", ")", "Section 99(q)", "\n\n", "\n  7\n",
                                                                        "\n            12. NEW.\n", "\u201c", "  a.  "])),
                     max_size=6))
def test_a_damaged_draft_is_reviewed_or_refused_but_never_crashes(cuts: list[tuple[int, int]],
                                                                  junk: list[tuple[int, str]]) -> None:
    from rra.errors import ParseError

    lines = agreement_text().split("\n")
    for start, n in cuts:
        del lines[start: start + n]
    text = "\n".join(lines)
    for at, piece in sorted(junk, reverse=True):
        at = min(at, len(text))
        text = text[:at] + piece + text[at:]
    try:
        doc = parse(text, strict=False, source="damaged")
    except ParseError:
        return
    for f in review(doc):
        assert f.kind == "text" and f.evidence["occurrences"] is not None
