"""The bundled text and the clause tree parsed from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rra.spec.clauses import agreement, parse, rebuilt
from rra.spec.text import AGREEMENT_FILE, AGREEMENT_SHA256, agreement_bytes, sha256

from rra.errors import ParseError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "agreement" / AGREEMENT_FILE


def test_the_bundled_agreement_has_the_published_sha256() -> None:
    assert sha256(agreement_bytes()) == AGREEMENT_SHA256


@pytest.mark.skipif(not SHARED.exists(), reason="no shared copy beside this checkout")
def test_the_bundled_agreement_is_byte_identical_to_the_shared_copy() -> None:
    assert SHARED.read_bytes() == agreement_bytes()


def test_there_are_57_numbered_clauses_from_1_a_i_to_11_m() -> None:
    ids = [c.id for c in agreement().numbered()]
    assert len(ids) == 57
    assert ids[0] == "1(a)(i)" and ids[-1] == "11(m)"
    assert {"2(c)", "1(a)(iv)", "11(k)", "5", "7", "9", "10", "3(r)"} <= set(ids)


def test_clause_ids_are_unique_and_in_document_order() -> None:
    clauses = agreement().clauses
    ids = [c.id for c in clauses]
    assert len(ids) == len(set(ids))
    starts = [c.start for c in clauses]
    assert starts == sorted(starts)


def test_preamble_recitals_and_signatures_are_clauses() -> None:
    ids = [c.id for c in agreement().clauses]
    assert ids[:4] == ["preamble", "recital(A)", "recital(B)", "consideration"]
    assert ids[-1] == "signatures"


def test_every_operative_line_belongs_to_exactly_one_clause() -> None:
    doc = agreement()
    owned: list[int] = []
    for c in doc.clauses:
        owned.extend(c.lines)
    assert len(owned) == len(set(owned))
    operative = {i + 1 for i, ln in enumerate(doc.lines) if ln.strip()} - set(doc.artifacts)
    assert set(owned) == operative


def test_page_markers_and_page_numbers_are_not_in_any_clause(agreement_text: str) -> None:
    doc = agreement()
    for c in doc.clauses:
        assert "<PAGE>" not in c.text
        assert "INTENTIONALLY LEFT BLANK" not in c.text
    assert len([a for a in doc.artifacts if doc.lines[a - 1].strip() == "<PAGE>"]) == agreement_text.count("<PAGE>") == 17


def test_a_sentence_split_by_a_page_break_reads_across_it() -> None:
    assert "the number of shares initially included in the Registration Statement represents" in agreement().normalized("2(a)")


def test_headings_are_parsed_where_the_text_has_them() -> None:
    doc = agreement()
    assert doc.get("2(c)").heading == "Payments by the Company"
    assert doc.get("2(e)").heading == "Eligibility for Form S-3, SB-2 or S-1; Conversion to Form S-3"
    assert doc.get("3").heading == "OBLIGATIONS OF THE COMPANY"
    assert doc.get("3(a)").heading is None


def test_line_ranges_point_at_the_clause_text(agreement_text: str) -> None:
    lines = agreement_text.split("\n")
    c = agreement().get("11(k)")
    assert lines[c.start - 1].split()[:4] == ["k.", "Except", "as", "otherwise"]


def _drop_subsection(text: str, marker: str) -> str:
    lines = text.split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.lstrip().startswith(marker))
    j = i + 1
    while lines[j].strip():
        j += 1
    return "\n".join(lines[:i] + lines[j + 1:])


def test_a_missing_subsection_is_refused_naming_the_gap(agreement_text: str) -> None:
    mangled = _drop_subsection(agreement_text, "n. The  Company  shall  provide a transfer")
    with pytest.raises(ParseError, match=r"3\(o\) follows 3\(m\); 3\(n\) is missing"):
        parse(mangled)


def test_a_missing_item_is_refused_naming_the_gap(agreement_text: str) -> None:
    mangled = _drop_subsection(agreement_text, '(v) "Registration Statement" means')
    mangled = mangled.replace('(iv)  "Registrable', '(v)  "Registrable')
    with pytest.raises(ParseError, match=r"1\(a\)\(v\) follows 1\(a\)\(iii\); 1\(a\)\(iv\) is missing"):
        parse(mangled)


def test_doubled_whitespace_parses_to_the_same_tree(agreement_text: str) -> None:
    doubled = parse(agreement_text.replace(" ", "  "))
    original = agreement()
    assert [c.id for c in doubled.clauses] == [c.id for c in original.clauses]
    assert doubled.normalized("2(c)") == original.normalized("2(c)")


def test_a_page_number_that_lost_its_marker_is_still_a_page_break_when_it_is_the_next_page(agreement_text: str) -> None:
    lines = agreement_text.split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.strip() == "<PAGE>"][3]
    mangled = "\n".join(lines[:idx] + lines[idx + 1:])
    doc = parse(mangled)
    assert lines[idx - 1].strip() == "4" and idx in doc.artifacts
    assert [c.id for c in doc.clauses] == [c.id for c in agreement().clauses]


def test_a_number_out_of_page_sequence_inside_a_paragraph_is_refused_not_silently_dropped(agreement_text: str) -> None:
    lines = agreement_text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith(" Investor who is entitled to registration rights"))
    mangled = "\n".join(lines[:i] + ["   7"] + lines[i:])
    with pytest.raises(ParseError, match=r"line 194: line '7' looks like a page number, but no page break follows it"):
        parse(mangled)


def test_a_lenient_parse_records_problems_instead_of_raising(agreement_text: str) -> None:
    mangled = _drop_subsection(agreement_text, "n. The  Company  shall  provide a transfer")
    doc = parse(mangled, strict=False)
    assert [p.kind for p in doc.problems] == ["numbering-gap"]
    assert doc.problems[0].clause == "3(o)"


@pytest.mark.parametrize("text", ["", "   \n\n", "Just a letter.\nNo sections here.\n"])
def test_text_without_sections_is_refused(text: str) -> None:
    with pytest.raises(ParseError):
        parse(text)


# ------------------------------------------------------------------ editing a line without parsing again

_WORDS = ["the", "Company", "shall", "(d)", "(iv)", "2.", "Section 3.", "REGISTRATION.", "c.", "A.", "WHEREAS",
          "NOW, THEREFORE", "IN WITNESS WHEREOF", "<PAGE>", "12", "- 4 -", "Article II", "2.1", ".", ";", ":", "", " ",
          "and\r(d) the"]


def _structure(doc: Any) -> list[tuple[str, int, int, tuple[int, ...], str | None]]:
    return [(c.id, c.start, c.end, c.lines, c.heading) for c in doc.clauses]


@settings(max_examples=300, deadline=None)
@given(line=st.integers(0, 2000), at=st.floats(0, 1), cut=st.floats(0, 1),
       words=st.lists(st.sampled_from(_WORDS), max_size=4))
def test_a_line_edit_said_to_keep_the_clauses_parses_to_the_same_clauses(line: int, at: float, cut: float,
                                                                          words: list[str]) -> None:
    # redlines applied one after another skip parsing again when keeps_clauses says so (rra.solver.redline)
    from rra.spec.clauses import keeps_clauses
    from rra.spec.text import agreement_text

    text = agreement_text()
    doc = agreement()
    lines = text.split("\n")
    i = line % len(lines)
    old = lines[i]
    a = int(at * len(old))
    b = a + int(cut * (len(old) - a))
    new = old[:a] + " ".join(words) + old[b:]
    if not keeps_clauses([c.start for c in doc.clauses], i, [old], new):
        return
    edited = "\n".join([*lines[:i], new, *lines[i + 1:]])
    after = parse(edited, strict=False)
    assert _structure(after) == _structure(doc), (i, old, new)
    # and the document read again from the clauses it keeps is the one parsing gives (rra.solver.redline.redlined)
    assert rebuilt(doc, edited, [c.start for c in doc.clauses], doc.artifacts, "agreement") == after



_LAYOUTS = sorted(p.name for p in (Path(__file__).parent / "corpus" / "drafts").glob("layout-*.txt"))


def _layout_lines(layout: str) -> tuple[list[str], Any]:
    """The lines of the bundled text or of one of its layout variants, and the document parsed from them."""
    from rra.spec.clauses import split_lines
    from rra.spec.text import agreement_text

    if layout == "bundled":
        text = agreement_text()
    else:
        text = (Path(__file__).parent / "corpus" / "drafts" / layout).read_text(encoding="utf-8")
    lines = split_lines(text)[0]
    return lines, parse("\n".join(lines), strict=False)


@settings(max_examples=400, deadline=None)
@given(clause=st.integers(0, 500), offset=st.integers(0, 2), at=st.floats(0, 1), cut=st.floats(0, 1),
       words=st.lists(st.sampled_from([*_WORDS, "Heading.", "(i)", "Registration.", "a.", "Section"]), max_size=4),
       layout=st.sampled_from(["bundled", *_LAYOUTS]))
def test_an_edit_of_a_clauses_first_lines_said_to_keep_the_clauses_parses_to_the_same_clauses_and_headings(
        clause: int, offset: int, at: float, cut: float, words: list[str], layout: str) -> None:
    # the marker line and the two after it (where a heading is read), given the text's lines (rra.solver.redline)
    from rra.spec.clauses import keeps_clauses

    lines, doc = _layout_lines(layout)
    starts = [c.start for c in doc.clauses]
    i = min(starts[clause % len(starts)] - 1 + offset, len(lines) - 1)
    old = lines[i]
    a = int(at * len(old))
    b = a + int(cut * (len(old) - a))
    new = old[:a] + " ".join(words) + old[b:]
    if not keeps_clauses(starts, i, [old], new, lines, doc.artifacts):
        return
    edited = "\n".join([*lines[:i], new, *lines[i + 1:]])
    after = parse(edited, strict=False)
    assert [(c.id, c.start, c.end, c.heading, c.label) for c in after.clauses] == \
        [(c.id, c.start, c.end, c.heading, c.label) for c in doc.clauses], (i, old, new)
    if not doc.problems:
        assert rebuilt(doc, edited, starts, doc.artifacts, "agreement") == after, (i, old, new)
    else:
        assert after.problems == doc.problems, (i, old, new)



@settings(max_examples=300, deadline=None)
@given(line=st.integers(0, 2000), span=st.integers(1, 4), at=st.floats(0, 1), cut=st.floats(0, 1),
       words=st.lists(st.sampled_from(_WORDS), max_size=4), layout=st.sampled_from(["bundled", *_LAYOUTS]),
       with_lines=st.booleans())
def test_lines_joined_by_an_edit_said_to_keep_the_clauses_parse_to_the_same_clauses_moved_up(
        line: int, span: int, at: float, cut: float, words: list[str], layout: str, with_lines: bool) -> None:
    # a redline whose words span line breaks joins the lines it spans (rra.solver.redline), in the bundled text
    # and in each of its layout variants (numbering styles, page breaks, line ends)
    from rra.spec.clauses import keeps_clauses

    lines, doc = _layout_lines(layout)
    i = line % (len(lines) - span)
    old = lines[i:i + span + 1]
    joined = " ".join(old)
    a = int(at * len(old[0]))
    b = len(joined) - int(cut * len(old[-1]))
    new = joined[:a] + " ".join(words) + joined[max(a, b):]
    if not keeps_clauses([c.start for c in doc.clauses], i, old, new, lines if with_lines else None, doc.artifacts):
        return
    edited = "\n".join([*lines[:i], new, *lines[i + span + 1:]])
    after = parse(edited, strict=False)

    def moved(n: int) -> int:
        return n if n <= i + 1 else i + 1 if n <= i + span + 1 else n - span
    assert [(c.id, c.heading, c.label) for c in after.clauses] == [(c.id, c.heading, c.label) for c in doc.clauses], \
        (i, old, new)
    assert [(c.start, c.end) for c in after.clauses] == [(moved(c.start), moved(c.end)) for c in doc.clauses]
    if not doc.problems:  # a draft with problems is parsed again (rra.solver.redline.redlined)
        got = rebuilt(doc, edited, [moved(c.start) for c in doc.clauses], [moved(n) for n in doc.artifacts], "agreement")
        assert got == after, (i, old, new)


def test_joining_lines_is_said_to_keep_the_clauses_only_away_from_clause_starts_and_sentence_ends() -> None:
    from rra.spec.clauses import keeps_clauses
    from rra.spec.text import agreement_text

    doc = agreement()
    lines = agreement_text().split("\n")
    starts = [c.start for c in doc.clauses]
    c = doc.get("2(c)")
    inner = next(j - 1 for j in c.lines if j - 1 > c.start + 1 and lines[j - 1].strip()[-1:].isalpha()
                 and lines[j].strip()[-1:].isalpha())
    two = lines[inner:inner + 2]
    assert keeps_clauses(starts, inner, two, " ".join(two))  # the control: the two lines joined
    assert not keeps_clauses(starts, inner, two, " ".join(two) + ".")  # the next line could start a clause
    assert not keeps_clauses(starts, inner, two, " ".join(two) + "\n")  # a line break
    assert not keeps_clauses(starts, inner, two, two[0] + "\r" + two[1])  # a carriage return ends a line too
    assert not keeps_clauses(starts, c.start - 2, lines[c.start - 2:c.start], "x")  # joins the marker line
    assert not keeps_clauses(starts, inner, [two[0], ""], two[0])  # a blank line ends a paragraph


def test_an_edit_that_starts_a_clause_or_ends_a_sentence_is_not_said_to_keep_the_clauses() -> None:
    from rra.spec.clauses import keeps_clauses
    from rra.spec.text import agreement_text

    doc = agreement()
    lines = agreement_text().split("\n")
    starts = [c.start for c in doc.clauses]

    def kept(line: int, old: str, new: str) -> bool:  # one line for one
        return keeps_clauses(starts, line, [old], new)

    c = doc.get("2(c)")
    inner = next(j - 1 for j in c.lines if j - 1 > c.start + 1 and lines[j - 1].strip()[-1:].isalpha())
    old = lines[inner]
    assert kept(inner, old, old.replace(" ", "  ", 1))  # the control: an edit that keeps them
    assert not kept(inner, old, "(d) " + old.strip())  # reads as a subsection marker
    assert not kept(inner, old, old.rstrip() + ".")  # the next line could start a clause
    assert not kept(c.start - 1, lines[c.start - 1], lines[c.start - 1] + " more")  # its marker line
    assert not kept(inner, old, "")  # a blank line ends a paragraph
