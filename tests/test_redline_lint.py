"""Reading a redline's new words back in the redlined text: cross-references that point at nothing, a "hereof" cut
off from its section, terms no one defines or uses, a list of holders narrower than another redline's."""

from __future__ import annotations

from rra.solver.memo import Redline
from rra.solver.redline import redlined
from rra.solver.redline_lint import defines, lint, narrowed, new_words, sentences

from .support import BUNDLED

LISTING = ("that the Common Stock is not listed or included for quotation on the OTCBB, Nasdaq, Nasdaq SmallCap, NYSE or "
           "AMEX or that trading thereon is halted")


def _problems(*reds: Redline) -> list[str]:
    draft, _ = redlined(BUNDLED, list(reds))
    return [x.problem for x in lint(draft, list(reds), BUNDLED)]


def test_the_sentences_of_a_clause_are_counted_as_a_lawyer_counts_them() -> None:
    c = BUNDLED.document.by_id["2(c)"]
    ss = sentences(BUNDLED.document.normalized("2(c)"), c.heading)
    assert ss[0].startswith("The Company shall use its best efforts") and ss[1].startswith("If (i)")


def test_a_clause_of_a_sentence_that_has_no_such_clause_is_reported_with_the_sentence_that_has_it() -> None:
    wrong = Redline("2(c)", LISTING, "during which an event described in clause (iii) or (iv) of the first sentence of "
                    "this Section 2(c) continues,", 1, {"*": {}})
    got = _problems(wrong)
    assert any("first sentence of Section 2(c), which has no such clause" in p and "the second sentence" in p for p in got)
    right = Redline("2(c)", LISTING, "during which an event described in clause (iii) or (iv) of the second sentence of "
                    "this Section 2(c) continues,", 1, {"*": {}})
    assert _problems(right) == []


def test_a_reference_to_a_section_the_agreement_does_not_have_is_reported() -> None:
    r = Redline("3(f)", "or a total", "or, subject to Section 3(z), a total")
    assert any("Section 3(z)" in p for p in _problems(r))


def test_hereof_cut_off_from_its_section_by_a_parenthetical_is_reported() -> None:
    cut = Redline("5", "Sections 2(b) and 3(h) hereof", "Section 3(h) (which counsel shall also act for the Investors "
                  "under Section 2(b)) hereof")
    assert any("hereof" in p for p in _problems(cut))
    kept = Redline("5", "Sections 2(b) and 3(h) hereof", "Section 3(h) hereof (which counsel shall also act for the "
                   "Investors under Section 2(b))")
    assert _problems(kept) == []


def test_a_term_no_one_defines_and_a_term_no_one_uses_are_reported() -> None:
    uses = Redline("2(c)", "the end of such thirty-day period", "the Effectiveness Deadline", 1, {"*": {}})
    assert any("\"Effectiveness Deadline\", which nothing in the agreement defines" in p for p in _problems(uses))
    defines = Redline("3(f)", "(an \"Allowed Delay\")", "(an \"Allowed Delay\") (each day of an Allowed Delay, a "
                      "\"Delay Day\")")
    assert any("\"Delay Day\", which no other words" in p for p in _problems(defines))


def test_a_list_of_holders_that_leaves_out_a_class_another_redline_brings_in_is_reported() -> None:
    payee = Redline("2(c)", "The Company shall pay to each holder of the Debentures or Registrable Securities",
                    "The Company shall pay to each Investor that holds Debentures or Registrable Securities")
    base = Redline("2(c)", '("Outstanding Principal Amount")', '("Outstanding Principal Amount") plus, in the case of '
                   "holders of Warrants, the aggregate exercise price of the Warrants held by them")
    assert [(a.with_, c) for a, _, c in narrowed(BUNDLED, [payee, base])] == [(payee.with_, "Warrants")]
    wide = Redline(payee.clause, payee.replace, "The Company shall pay to each Investor that holds Debentures, Warrants "
                   "or Registrable Securities")
    assert narrowed(BUNDLED, [wide, base]) == []


def test_the_new_words_of_a_redline_are_what_it_adds() -> None:
    assert new_words(Redline("3(f)", "or a total of", "and a total of")) == "and"
    assert new_words(Redline("2(c)", "by it", "by it (held by it)")) == "(held by it)"


def test_the_terms_a_redline_defines_are_read_once_and_each_caller_gets_its_own_list() -> None:
    r = Redline("3(f)", "(an \"Allowed Delay\")", "(an \"Allowed Delay\") (each day of an Allowed Delay, a "
                "\"Delay Day\")")
    first = defines(r)
    assert first == ["Delay Day"]
    first.append("changed by a caller")
    assert defines(r) == ["Delay Day"]
    assert defines(Redline("3(f)", "(an \"Allowed Delay\")", "(an \"Allowed Delay\")")) == []
