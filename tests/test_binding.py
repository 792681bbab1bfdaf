"""Reading a draft's own values: numbers in words and figures, templates, and what a draft changes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rra.spec.agreement import agreement_of_text
from rra.spec.binding import bind, slot_of, template
from rra.spec.numbers import read, read_share, scan, words_for
from rra.spec.parameters import PARAMETERS
from rra.spec.text import agreement_text

from tests.support import BUNDLED

TEXT = agreement_text()


@pytest.mark.parametrize(("words", "unit", "value"), [
    ("thirty (30)", "days", 30),
    ("forty-five (45)", "days", 45),
    ("one hundred twenty (120)", "days", 120),
    ("five", "days", 5),
    ("two hundredths (.02)", "ratio", 0.02),
    (".015", "ratio", 0.015),
    ("one and one-half percent (1.5%)", "ratio", 0.015),
    ("two percent (2%)", "ratio", 0.02),
    ("One Million Dollars ($1,000,000)", "USD", 1_000_000),
    ("$5,000", "USD", 5000),
    ("March 15, 2004", "date", date(2004, 3, 15)),
    ("a majority", "share", "majority"),
    ("a majority-in-interest", "share", "majority"),
    ("two-thirds", "share", "2/3"),
    ("sixty-six and two-thirds percent (66 2/3%)", "share", "2/3"),
])
def test_numbers_are_read_as_agreements_write_them(words: str, unit: str, value: object) -> None:
    r = read(words, unit)
    assert r is not None and r.value == value


def test_where_words_and_figures_disagree_the_words_are_used_and_the_disagreement_is_kept() -> None:
    r = read("forty (30)", "days")
    assert r is not None and r.value == 40 and r.words == 40 and r.figure == 30 and r.disagree


@given(st.integers(min_value=1, max_value=999))
@settings(max_examples=60)
def test_any_whole_number_written_in_words_and_figures_reads_back(n: int) -> None:
    r = read(f"{words_for(n)} ({n})", "days")
    assert r is not None and r.value == n and not r.disagree


def test_numbers_that_name_things_are_not_slots() -> None:
    assert [p.text for p in scan("pursuant to Rule 415 under Section 2(a) on Form S-3 and thirty (30) days")] == [
        "thirty (30)"]


def test_a_share_that_is_no_share_is_refused() -> None:
    assert read_share("three halves") is None and read_share("a lot") is None


@pytest.mark.parametrize("param", [p for p in PARAMETERS if p.in_text], ids=lambda p: p.id)
def test_every_parameter_has_exactly_one_slot_in_its_quote_with_words_on_both_sides(param: object) -> None:
    t = template(param.id, param.clause, param.quote)  # type: ignore[attr-defined]
    k = slot_of(param, t)  # type: ignore[arg-type]
    assert k is not None
    slot = t.phrases[k]
    assert slot.start > 0 and slot.end < len(t.quote), "a slot needs fixed words before and after it"


def test_binding_the_bundled_text_gives_back_every_value_and_finds_every_element() -> None:
    b = bind(PARAMETERS, BUNDLED.model.elements(), BUNDLED.document)
    assert {p.id: p.value for p in b.parameters.values() if p.clause} == {p.id: p.value for p in PARAMETERS if p.in_text}
    assert b.changed_elements() == [] and b.unbound() == []


def test_a_changed_number_is_read_from_the_drafts_words_with_its_clause_and_quote() -> None:
    a = agreement_of_text(re.sub(r"within\s+fifteen\s+\(15\)\s+days\s+after\s+the\s+necessity",
                                 "within twenty-one (21) days after the necessity", TEXT))
    b = a.binding.parameters["additional.filing_days"]  # type: ignore[union-attr]
    assert a.params["additional.filing_days"] == 21 and b.clause == "3(b)" and "twenty-one (21) days" in b.quote


def test_words_changed_beyond_their_numbers_are_reported_with_a_word_diff() -> None:
    a = agreement_of_text(re.sub(r"shall\s+use\s+its\s+best\s+efforts\s+to\s+prevent", "shall try to prevent", TEXT))
    change = a.model.changed["3(g).stop_order"]
    assert change.diff is not None
    assert "[-use its best efforts-]" in change.diff.redline() and "{+try+}" in change.diff.redline()


def test_an_element_moved_to_another_clause_is_found_there() -> None:
    k = re.search(r"k\. Except as otherwise  provided  herein,.*?Registrable Securities\.\n", TEXT, re.S)
    m_ = re.search(r"m\. The language used in this  Agreement.*?against any party\.\n", TEXT, re.S)
    assert k and m_
    body_k = k.group(0)[2:]
    body_m = m_.group(0)[2:]
    swapped = TEXT.replace(k.group(0), "k" + "." + body_m.replace("m.", "", 0)).replace(m_.group(0), "m." + body_k)
    a = agreement_of_text(swapped)
    assert a.binding is not None
    assert a.binding.elements["consent.11(k)"].clause == "11(m)"
    assert {"id": "consent.11(k)", "from": "11(k)", "to": "11(m)"} in a.differences()["moved_elements"]


def test_a_cap_the_agreement_leaves_out_is_read_when_a_draft_adds_it() -> None:
    old = "Such amounts shall be paid in cash"
    assert old in " ".join(TEXT.split())
    draft = re.sub(r"Such\s+amounts\s+shall\s+be\s+paid\s+in\s+cash",
                   "The aggregate amount of all payments under this Section 2(c) shall not exceed $120,000. Such "
                   "amounts shall be paid in cash", TEXT)
    a = agreement_of_text(draft)
    assert a.params["payments.cap"] == 120_000


def test_a_naming_word_before_a_figure_is_found_from_the_end_as_over_the_whole_text_before_it() -> None:
    from rra.spec.numbers import _NAMING, _NAMING_WORDS, _named_before

    # at every position of the text: does a naming word end there, or before it with only spaces between? (what
    # _NAMING.search(TEXT[:at]) answers, computed in one pass from every end of every naming word)
    ends: set[int] = set()
    for w in _NAMING_WORDS:
        i = TEXT.find(w)
        while i >= 0:
            ends.add(i + len(w))
            i = TEXT.find(w, i + 1)
    named = [False] * (len(TEXT) + 1)
    for at in range(len(TEXT) + 1):
        named[at] = at in ends or (at > 0 and TEXT[at - 1].isspace() and named[at - 1])
        assert _named_before(TEXT, at) == named[at], at
    # that one pass against the pattern over the whole text before each position, through the first pages (the
    # pattern over every prefix of the whole text is quadratic: 11 s)
    assert sum(named[:8_000]) >= 10
    for at in range(8_000):
        assert named[at] == (_NAMING.search(TEXT[:at]) is not None), at


_PIECES = ["Rule", "Rules", "Section", "Sections", "Form", "S-", "SB-", "No.", "Nos.", "Suite", "Floor", "Item",
           "Articles", "Paragraphs", "Regulations", "x", "3", "ab", "-", ".", " ", "  ", "\n", "\t", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_a_naming_word_is_found_from_the_end_in_any_words_and_spaces(text: str) -> None:
    from rra.spec.numbers import _NAMING, _named_before

    for at in range(len(text) + 1):
        assert _named_before(text, at) == (_NAMING.search(text[:at]) is not None), (text, at)


_NUMBER_PIECES = ["thirty", "(30)", "30", "one", "hundred", "and", "twenty", "percent", "2%", "(2%)", "$1,000", ".02",
                  "May", "9,", "2003", "Section", "Rule", "a", "majority", "in", "interest", "of", "the", "days", "-",
                  "one-half", "(1/2)", "two", "hundredths", "(.02)", "1.5%", ",", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=14).map(" ".join))
def test_number_phrases_are_in_order_each_with_words_and_none_overlapping(text: str) -> None:
    phrases = scan(text)
    assert all(p.end > p.start and text[p.start:p.end] == p.text for p in phrases)
    assert all(a.end <= b.start for a, b in zip(phrases, phrases[1:], strict=False)), phrases


def test_a_changed_phrase_longer_than_the_old_one_is_shown_whole_in_the_word_diff() -> None:
    from rra.spec.binding import closest

    text = ("Company shall use its commercially reasonable efforts to cause such Registration Statement relating to "
            "Registrable Securities to become effective as soon as possible")
    d = closest("use its best efforts to cause such Registration Statement relating to Registrable Securities", text)
    assert ("replace", "best", "commercially reasonable") in d.ops and d.new.startswith("use its commercially")


def test_a_weakly_aligned_rewording_still_gets_a_word_diff_and_punctuation_is_not_a_change() -> None:
    from rra.spec.binding import closest

    text = ("their ability to sell the Registrable Securities (which remedy shall be the sole and exclusive remedy of "
            "the Investors for any such delay or reduction). The Company shall pay")
    d = closest("which remedy shall not be exclusive of any other remedies available at law or in equity", text)
    assert d.ops[0] == ("equal", "which remedy shall", "(which remedy shall")
    assert ("delete", "not", "") in d.ops and ("insert", "", "the sole and") in d.ops
    assert closest("the Company may assign this Agreement to any person", text).new == ""  # not these words


def test_a_number_outside_the_supported_range_is_named_in_a_cut_reason() -> None:
    from rra.spec.text import agreement_text

    text = re.sub(r"(on\s+such\s+payment\s+date\.)", lambda m: m.group(1) + " The aggregate amount of all payments "
                  "under this Section 2(c) shall not exceed $" + "9" * 400 + ".", agreement_text(), count=1)
    a = agreement_of_text(text)
    problem = a.binding.parameters["payments.cap"].problem
    assert "payments.cap" in a.params.unbound and problem.endswith("is outside the range the tool supports")
    assert len(problem) < 160  # the value is cut, not echoed in full
