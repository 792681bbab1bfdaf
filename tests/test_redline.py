"""Applying redlines to the source text and reading the result back as a draft."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rra.solver.memo import Redline
from rra.solver.redline import (
    RedlineError,
    _earlier,
    apply_text,
    find_words,
    reading_package,
    redlined,
    unique_quote,
)
from rra.spec.binding import skeleton
from rra.spec.text import normalize

from .support import BUNDLED

TEXT = "\n".join(BUNDLED.document.lines)


def words_pattern(words: str, pages: bool = True) -> re.Pattern[str]:
    """The pattern `find_words` finds as: the words, each separated by whitespace and, with `pages`, maybe a page
    break (a page number and <PAGE>)."""
    sep = r"\s+(?:(?:\d{1,3}\s+)?<PAGE>\s+)?" if pages else r"\s+"
    return re.compile(sep.join(re.escape(w) for w in normalize(words).split(" ")))


def test_words_are_found_across_line_and_page_breaks() -> None:
    # 2(c)(iii) runs over the page break between pages 3 and 4
    words = "is halted after the Registration Statement has been declared effective"
    spans = find_words(words, TEXT, 0, len(TEXT))
    assert len(spans) == 1 and "<PAGE>" in TEXT[slice(*spans[0])]
    assert spans == [m.span() for m in words_pattern(words).finditer(TEXT)]


_WORDS = ["a", "b", "ab", "1", "12", "1234", "<PAGE>", "<PAG", "(30)"]
_SEPS = [" ", "  ", "\n", "\t ", "\xa0", "\u2003", " <PAGE> ", "\n<PAGE>\n", " 7 <PAGE> ", "\n12\n<PAGE>\n",
         " 123 <PAGE> ", " 1234 <PAGE> ", " \u0663 <PAGE> ", " <PAGE>", "<PAGE> ", " <PAGE><PAGE> ", " <PAGE> <PAGE> ",
         " 7<PAGE> ", " 7 <PAGE>", ""]


@pytest.mark.parametrize("sep", _SEPS)
@pytest.mark.parametrize("pages", [True, False], ids=["pages", "plain"])
def test_two_words_are_found_across_each_kind_of_separator_as_the_pattern_finds_them(sep: str, pages: bool) -> None:
    for text in (f"a{sep}b", f"x a{sep}b a{sep}b", f"a{sep}a{sep}b"):
        assert find_words("a b", text, 0, len(text), pages) == [
            m.span() for m in words_pattern("a b", pages).finditer(text)], repr(text)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4), st.lists(st.tuples(
    st.sampled_from(_WORDS), st.sampled_from(_SEPS)), max_size=14), st.booleans(), st.data())
def test_words_are_found_where_the_pattern_finds_them(quote: list[str], noise: list[tuple[str, str]], pages: bool,
                                                      data: st.DataObject) -> None:
    # the reference: the regular expression find_words stands for, on texts of the quote's words joined by every
    # kind of separator (page breaks with and without a page number, numbers too long to be one, a digit of another
    # script, no-break and em spaces) among other words, in any window of the text
    seps = [data.draw(st.sampled_from(_SEPS)) for _ in quote]
    quoted = "".join(w + sep for w, sep in zip(quote, seps, strict=True))
    at = data.draw(st.integers(0, len(noise)))
    pieces = [w + sep for w, sep in noise]
    text = "".join(pieces[:at]) + quoted + "".join(pieces[at:])
    words = " ".join(quote)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    want = [m.span() for m in words_pattern(words, pages).finditer(text, a, b)]
    assert find_words(words, text, a, b, pages) == want


def test_a_redline_is_applied_across_a_page_break_and_the_plain_pattern_matches_alike_where_there_is_none() -> None:
    words = "is halted after the Registration Statement has been declared effective"
    done = apply_text(TEXT, BUNDLED.document, [Redline("2(c)", words, "is halted once the Registration Statement is "
                                                                      "effective")])
    assert "is halted once the Registration Statement is effective" in done.text and "<PAGE>" in done.text
    assert not find_words(words, TEXT, 0, len(TEXT), pages=False)  # the plain form is for spans with no page break
    plain = TEXT.replace("<PAGE>", "")
    for w in (words, "the Registration Statement", "thirty (30) days after the date"):
        assert find_words(w, plain, 0, len(plain), pages=False) == find_words(w, plain, 0, len(plain)) == [
            m.span() for m in words_pattern(w).finditer(plain)]


def test_a_redline_replaces_its_words_in_its_clause_only() -> None:
    r = Redline("3(f)", "(or a total of not more than twenty (20) trading days", "(and a total of not more than twenty "
                "(20) trading days")
    done = apply_text(TEXT, BUNDLED.document, [r])
    assert "(and a total of" in done.text and "(or a total of" not in done.text
    assert done.text.count("\n") == TEXT.count("\n")


def test_a_redline_whose_words_are_not_there_the_number_of_times_it_says_is_refused() -> None:
    with pytest.raises(RedlineError):
        apply_text(TEXT, BUNDLED.document, [Redline("2(c)", "the Registration Statement", "a Registration Statement")])
    with pytest.raises(RedlineError):
        apply_text(TEXT, BUNDLED.document, [Redline("3(f)", "no such words", "x")])


def test_a_redline_of_words_already_rewritten_is_skipped_with_the_reason_when_not_strict() -> None:
    first = Redline("11(k)", "determined as if the all of the Debentures", "determined as if all of the Debentures")
    second = Redline("11(k)", "the all", "all")
    done = apply_text(TEXT, BUNDLED.document, [first, second], strict=False)
    assert done.applied == (first,) and done.skipped[0][0] == second


def test_the_redlined_text_is_bound_with_the_words_the_redline_rewrote() -> None:
    # a number the redline changes is read from the new words, everything else keeps its meaning
    r = Redline("3(b)", "thirty (30) days after the date", "ninety (90) days after the date")
    a, _ = redlined(BUNDLED, [r])
    assert a.params["additional.effective_days"] == 90 and a.params["additional.payment_days"] == 30
    assert not a.model.changed


def test_words_replaced_wholesale_keep_their_meaning_only_when_the_redline_says_so() -> None:
    words = "sales of all of the Registrable Securities cannot be made pursuant to the Registration Statement"
    new = "any of the Registrable Securities cannot be sold pursuant to an effective Registration Statement"
    silent, _ = redlined(BUNDLED, [Redline("2(c)", words, new, 2)])
    assert "sales_blocked" in silent.model.changed
    said, _ = redlined(BUNDLED, [Redline("2(c)", words, new, 2, {"*": {}})])
    assert not said.model.changed


def test_a_redline_can_say_what_its_new_words_mean() -> None:
    r = Redline("2(e)", "after Prior Financing Effective Date", "after the date on which the Company first meets such "
                "requirements", 1, {"deadline.s3_effective": {"terms": [{"anchor": "s3_eligible",
                                                                          "offset": "s3.effective_days_after_pfed"}]}})
    pkg = reading_package(BUNDLED, [r])
    d = next(x for x in pkg.model.deadlines if x.id == "deadline.s3_effective")
    assert d.terms[0].anchor == "s3_eligible" and "such requirements" in d.quote


def test_a_quote_is_widened_until_no_other_words_of_the_clause_look_the_same() -> None:
    text = "within fifteen (15) days after the need. Then within thirty (30) days after the need."
    q = unique_quote("within thirty (30) days after the need", text)
    assert skeleton(text)[0].count(skeleton(q)[0]) == 1 and q.endswith("within thirty (30) days after the need")


def test_the_memo_redlines_find_their_clauses_without_parsing_again_where_parsing_would_find_the_same(
        bundled_memo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # apply_text keeps its layout of the clauses through an edit that keeps them; each kept layout is checked here
    # against a fresh parse of the edited text, for every entry's redlines and for all of them in memo order
    import rra.solver.redline as rl
    from rra.spec.clauses import parse

    kept_checked = []
    real = rl._kept

    def checked(layout: Any, before: str, after: str, hits: Any, words: str) -> Any:
        got = real(layout, before, after, hits, words)
        if got is not None:
            assert got == rl._Layout.of(parse(after, strict=False)), words
            kept_checked.append(len(hits))
        return got

    monkeypatch.setattr(rl, "_kept", checked)
    text = "\n".join(BUNDLED.document.lines)
    every = [r for i in bundled_memo.issues for r in i.redlines]
    for i in bundled_memo.issues:
        apply_text(text, BUNDLED.document, i.redlines, strict=False)
    apply_text(text, BUNDLED.document, every, strict=False)
    assert len(kept_checked) > 20


def test_a_redlined_text_whose_clauses_are_kept_is_read_as_parsing_would_read_it(bundled_memo: Any) -> None:
    # redlined() reads again only each clause's own lines when every edit kept the clauses; here against a fresh
    # strict parse, for each redline alone, each entry's redlines and all of them together
    from rra.spec.clauses import parse, rebuilt

    text = "\n".join(BUNDLED.document.lines)
    every = [r for i in bundled_memo.issues for r in i.redlines]
    sets = [[r] for r in every] + [list(i.redlines) for i in bundled_memo.issues if i.redlines] + [every]
    rebuilt_ones = 0
    for reds in sets:
        done = apply_text(text, BUNDLED.document, reds, strict=False)
        if done.layout is None:
            continue
        got = rebuilt(BUNDLED.document, done.text, done.layout.starts, done.layout.artifacts, "redlined")
        assert got == parse(done.text, strict=True, source="redlined"), [r.clause for r in reds]
        rebuilt_ones += 1
    assert 0 < rebuilt_ones < len(sets)  # both ways are taken


def test_a_redlined_text_is_bound_as_a_fresh_binding_would_bind_it(bundled_memo: Any) -> None:
    # redlined() keeps what the agreement's own binding read in the clauses a redline leaves as they were; here
    # against binding the same package to the same text from nothing, for each entry's redlines and all together
    from rra.spec.agreement import bind_document
    from rra.spec.binding import bind

    every = [r for i in bundled_memo.issues for r in i.redlines]
    words = "sales of all of the Registrable Securities cannot be made pursuant to the Registration Statement"
    new = "any of the Registrable Securities cannot be sold pursuant to an effective Registration Statement"
    wholesale = [[Redline("2(c)", words, new, 2)], [Redline("2(c)", words, new, 2, {"*": {}})],  # silent, said
                 [Redline("3(b)", "thirty (30) days after the date", "ninety (90) days after the date")]]
    kept = changed = 0
    for reds in [list(i.redlines) for i in bundled_memo.issues if i.redlines] + [every] + wholesale:
        draft, done = redlined(BUNDLED, reds, strict=False)
        pkg = reading_package(BUNDLED, done.applied)
        fresh = bind(pkg.parameters, pkg.model.elements(), draft.document)
        assert draft.binding is not None
        assert draft.binding == fresh, [r.clause for r in reds]
        assert draft == bind_document(pkg, draft.document, draft.source)
        before = _earlier(BUNDLED).binding
        kept += sum(draft.binding.elements.get(k) is v for k, v in before.elements.items())
        changed += sum(draft.binding.parameters.get(k) != v for k, v in before.parameters.items())
    assert kept > 1000 and changed > 0  # both ways are taken: kept as read, and read again where the words changed


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="ab \r", max_size=5), min_size=1, max_size=12), st.booleans(), st.data())
def test_a_clause_span_is_the_characters_from_its_first_line_to_the_end_of_its_last(
        lines: list[str], trailing: bool, data: st.DataObject) -> None:
    from rra.solver.redline import _Layout

    text = "\n".join(lines) + ("\n" if trailing else "")
    n = text.count("\n") + 1
    first = data.draw(st.integers(1, n))
    end = data.draw(st.integers(first, n + 2))
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    assert _Layout({"c": (first, end)}, (first,), ()).span(text, "c") == (starts[first - 1], starts[min(end, n)])


def test_a_quote_of_thousands_of_words_is_found_as_the_pattern_finds_it() -> None:
    # the words are matched with a stack of their own, not one call per word (a 1,000-word redline hit Python's
    # recursion limit)
    quote = " ".join(f"w{k}" for k in range(5000))
    text = "x " + quote.replace(" w100 ", " 12\n<PAGE>\nw100 ").replace(" w4000 ", "\n w4000 ") + " y"
    assert find_words(quote, text, 0, len(text)) == [m.span() for m in words_pattern(quote).finditer(text)] != []
