"""The memo after the third lawyer review: counts that sold shares stay in, the contested reach of 11(k), redlines
that only work together, ranking by consequence, plain check lines, prose quotes verbatim, stated assumptions."""

from __future__ import annotations

import re

import pytest
from rra.solver.memo import Issue
from rra.solver.memo_build import Memo
from rra.solver.memo_text import render

from .support import BUNDLED


@pytest.fixture(scope="module")
def memo(bundled_memo: Memo) -> Memo:
    return bundled_memo


def _entry(memo: Memo, prefix: str) -> Issue:
    return next(i for i in memo.issues if i.id.startswith(prefix))


def _number(memo: Memo, prefix: str) -> int:
    return next(n for n, i in enumerate(memo.body, 1) if i.id.startswith(prefix))


def test_sold_shares_stay_only_in_the_majorities_that_count_every_holder(memo: Memo) -> None:
    i = _entry(memo, "consent.outsiders-count")
    stay = re.search(r"stay in the total of the majorities under Sections (.+?)(?: \(and under|, so)", i.explanation)
    assert stay is not None, i.explanation
    listed = set(re.findall(r"\d+\([a-z]\)|\b\d+\b", stay.group(1)))
    assert listed == {"6(c)", "10", "11(k)"}, listed
    # the clauses whose counts are of the securities "being offered" or "being registered" are said to drop them
    assert re.search(r"though not in the majorities of 3\(d\), 3\(e\) and 4\(c\), which count only the Registrable Securities "
                     r"being offered or registered", i.explanation)


def test_the_never_ending_class_says_market_buyers_are_paid_and_8c_never_ends(memo: Memo) -> None:
    i = _entry(memo, "consent.outsiders-count")
    assert "a \"holder of ... Registrable Securities\" whom Section 2(c) pays as it pays the Investors" in i.explanation
    assert "Section 8(c)" in i.explanation
    assert {"2(c)", "8(c)"} <= {q.clause for q in i.quotes}
    # no quote of a count of securities "being registered" is offered as a count that keeps sold shares
    assert not [q for q in i.quotes if q.clause == "4(c)"]


def test_the_record_owner_entry_states_the_contested_reach_of_11k(memo: Memo) -> None:
    i = _entry(memo, "consent.record-owners-only")
    assert "as it opens \"Except as otherwise provided herein\"" in i.explanation
    assert "will argue that the majority of Section 10 is counted as Section 11(k) provides" in i.explanation
    assert "Sections 3(p) and 3(q) count \"the holders\", not the Investors, so it does not reach them on either " \
           "reading" in i.explanation
    assert (i.example or "").startswith("On our reading (the count of Section 11(k) does not reach Section 10)")
    # consistent with the entry on decisions with no stated vote: 11(k) supplies the vote where none is stated
    assert "only for decisions of the Investors for which the agreement states no vote of its own" in i.explanation
    assert "for the Investors' other decisions" not in i.explanation


def test_the_base_redline_sums_debentures_held_or_converted_and_warrants_held_or_exercised(memo: Memo) -> None:
    from rra.solver import provisions
    from rra.solver.redline import redlined

    base, each = _entry(memo, "money.base-omits-class"), _entry(memo, "money.aggregate-base")
    assert not [r for r in base.redlines if "whether or not exercised" in r.with_]
    both, _ = redlined(BUNDLED, [*each.redlines, *base.redlines])
    words = " ".join(both.document.normalized("2(c)").split())
    assert ("an amount equal to the sum of (A) the principal amount of Debentures from which the Registrable Securities "
            "held by it were converted, (B) the aggregate exercise price of the Warrants held by it and the aggregate "
            "exercise price of the Warrant Shares held by it (whether exercised for cash or without cash) and (C) the then "
            "outstanding principal amount "
            "of the Debentures held by it (such sum, the \"Outstanding Principal Amount\"), multiplied by") in words
    assert not provisions.run(both, ["base-omits-class", "aggregate-base"]).findings
    # alone, the base redline leaves the first part summed over all holders: it needs the other entry's redline
    alone, _ = redlined(BUNDLED, list(base.redlines))
    assert [f.id for f in provisions.run(alone, ["aggregate-base"]).findings] == ["provisions.aggregate-base.2(c)"]


def test_entries_whose_redlines_only_work_together_say_so(memo: Memo) -> None:
    base, each, payee = (_entry(memo, p) for p in ("money.base-omits-class", "money.aggregate-base",
                                                   "money.payee-differs"))
    # the base that adds the Warrants pays a holder of only Warrants once the payee words name it (review 5)
    assert set(base.relies_on) == {each.id, payee.id}
    assert set(payee.relies_on) == {each.id, base.id}
    text = render(memo)
    n2, n5, n32 = (_number(memo, p) for p in ("money.aggregate-base", "money.base-omits-class", "money.payee-differs"))
    assert f"Apply together with the redlines of entries {min(n2, n32)} and {max(n2, n32)}." in text
    assert f"Apply together with the redlines of entries {min(n2, n5)} and {max(n2, n5)}." in text


def test_the_penalty_entry_ranks_right_after_the_certain_breach(memo: Memo) -> None:
    # whether 2(c) is a penalty arises in every claim under it: the whole remedy is at stake
    penalty = _entry(memo, "money.called-penalty")
    assert penalty.whole_remedy and _number(memo, "money.called-penalty") == 2


def test_an_entry_that_expects_the_harmless_reading_ranks_below_the_contested_readings_that_apply(memo: Memo) -> None:
    literal = _number(memo, "money.aggregate-base")
    assert "A court would probably read" in _entry(memo, "money.aggregate-base").explanation
    for contested in ("money.example-anchor", "money.all-cannot", "money.measure-start"):
        assert _number(memo, contested) < literal, contested


def test_a_medium_entry_moving_as_much_money_in_the_ordinary_course_as_a_high_one_is_high_and_says_why(memo: Memo
                                                                                                      ) -> None:
    from rra.solver.memo import Certainty, Severity

    for prefix in ("money.carve-out-narrow", "money.label-placement"):
        i = _entry(memo, prefix)
        assert i.severity == Severity.HIGH and i.severity_reason.startswith("in the ordinary course $"), prefix
        assert f"Why high: {i.severity_reason}."[:60] in " ".join(render(memo).split())
        if i.per_month:  # the share of the 2% a month it moves, said as it is ($20,000 is all of it, not half)
            share = {20_000: "all of the 2%", 10_000: "50% of the 2%"}.get(i.per_month, "% of the 2%")
            assert share in i.severity_reason, (prefix, i.severity_reason)
    for i in memo.body:
        if i.severity == Severity.MEDIUM and i.certainty == Certainty.ORDINARY:
            assert i.per_month < 10_000, (i.id, i.per_month)


def test_money_that_turns_on_a_contested_reading_does_not_promote_an_entry_which_names_the_other_outcome(memo: Memo
                                                                                                     ) -> None:
    # the lawyer's review: 3(b)'s grace matters only if any shortfall counts under 2(c)(ii), which the all-cannot
    # entry calls contested; on the total-stop reading 3(b)'s payments measure nothing
    from rra.solver.memo import Severity

    grace = _entry(memo, "money.grace-versus-measure")
    assert grace.severity == Severity.MEDIUM and not grace.severity_reason
    assert grace.figures.get("total stop") == "$0" and "if only a total stop counts: $0." in (grace.example or "")
    assert f"(contested, see entry {_number(memo, 'money.all-cannot')})" in " ".join(grace.explanation.split())


def test_money_the_redline_does_not_change_does_not_promote_an_entry(memo: Memo) -> None:
    # the lawyer's review: aligning 3(a)'s deadline with 2(c)'s settles when the Company breaches 3(a); 2(c) pays the
    # same with or without the redline
    from rra.solver.memo import Severity

    differ = _entry(memo, "deadlines.deadlines-differ")
    assert differ.severity == Severity.MEDIUM and not differ.severity_reason and differ.per_month == 0
    assert {r.clause for r in differ.redlines} == {"3(a)"}
    assert "$20,000 per $1,000,000 under 2(c)" in (differ.example or "")


def test_check_lines_are_plain_english_without_tool_words_or_quoted_finding_titles(memo: Memo) -> None:
    from rra.solver.memo import RedlineCheck
    from rra.solver.memo_check import UNREAD

    text = " ".join(render(memo).split())
    for words in ("as formalised", "counter-example", "points it found before", "still finds"):
        assert words not in text, words
    unread = [i for i in memo.body if i.redline_check == RedlineCheck.NOT_CHECKED]
    assert unread and all(i.redline_note.startswith(UNREAD) for i in unread), [i.redline_note for i in unread]
    # what the checks still report, or what the new words say beyond the model, stays in the technical detail
    assert all(i.detail["redline_check"].get("beyond_checks") or i.detail["redline_check"].get("beyond_model")
               for i in unread)


def test_every_phrase_the_readable_memo_puts_in_quotation_marks_is_in_the_agreement(memo: Memo) -> None:
    # the agreement's words with whitespace and page furniture normalised (case aside: an all-capitals clause is
    # quoted in ordinary case); a quotation may leave words out with "..."
    doc = BUNDLED.document
    words = " ".join(" ".join(doc.normalized(c.id) for c in doc.clauses).split()).casefold()
    bad = []
    for n, i in enumerate(memo.issues, 1):
        for prose in (i.title, i.explanation, i.example or ""):
            for m in re.finditer(r'(?<![\w"])"([^"]+)"(?![\w"])', prose):
                parts = [p.strip(" .,;") for p in m.group(1).split("...")]
                if not all(p.casefold() in words for p in parts if p):
                    bad.append((n, m.group(1)))
    assert not bad, bad


def test_the_rule_144k_example_says_what_became_of_the_warrants(memo: Memo) -> None:
    # the Registration Period ends only when every Registrable Security, the Warrant Shares included, is free to sell
    ex = _entry(memo, "money.outlives-period").example or ""
    assert "All the Warrants were exercised on a cashless basis in 2004 (so the Warrant Shares also count as held from " \
           "9 May 2003) or have expired." in ex
    assert "from 9 May 2005 all the Registrable Securities can be resold without restriction under Rule 144(k)" in ex


def test_entries_refer_to_each_other_by_number(memo: Memo) -> None:
    text = " ".join(render(memo).split())
    assert "the entry on" not in text
    start = _number(memo, "money.measure-start")
    assert f"the start is contested, see entry {start})" in text
    vote = _number(memo, "consent.no-stated-vote")
    assert f"which entry {vote} questions" in text


def test_redlines_that_change_the_business_deal_say_so_on_the_check_line(memo: Memo) -> None:
    shares = _entry(memo, "money.paid-in-shares")
    assert any("pay in shares only while a statement covering them is effective" in p and "must be paid in cash" in p
               for p in shares.open_points), shares.open_points
    grace = _entry(memo, "money.grace-versus-measure")
    window = _number(memo, "deadlines.review-window")
    assert any("adopts the Company's reading" in p and f"(see entry {window})" in p for p in grace.open_points)
    assert "left for negotiation" in grace.redline_note


def test_the_remedy_gap_example_states_its_dates_and_does_not_rest_on_the_duty_due_before_it_arises(memo: Memo
                                                                                                     ) -> None:
    from datetime import datetime

    ex = _entry(memo, "money.reference-measures-nothing").example or ""
    assert ex.startswith("Prior Financing Effective Date ")
    m = re.search(r"first eligible for Form S-3\. The duty to .+? falls due on (\d+ \w+ \d{4})", ex)
    eligible = re.search(r"On (\d+ \w+ \d{4}) the Company is first eligible", ex)
    assert m and eligible, ex
    assert datetime.strptime(m.group(1), "%d %b %Y") >= datetime.strptime(eligible.group(1), "%d %b %Y")


def test_the_title_on_decisions_of_the_investors_does_not_say_no_vote_applies(memo: Memo) -> None:
    i = _entry(memo, "consent.no-stated-vote")
    assert i.title.startswith("Decisions of \"the Investors\" in Sections 2(a), 3(h) and 4(c): the majority of Section "
                              "11(k) may be read as requiring every Investor")


def test_the_veto_redline_says_a_majority_could_then_waive_accrued_payments(memo: Memo) -> None:
    i = _entry(memo, "consent.each-veto")
    assert any("retroactive waiver of payments already accrued" in p for p in i.open_points), i.open_points
    assert "left for negotiation" in i.redline_note


def test_the_carve_out_entry_says_the_information_condition_excuses_only_that_investors_securities(memo: Memo
                                                                                                   ) -> None:
    i = _entry(memo, "money.carve-out-narrow")
    assert "under 4(a) only as to that Investor's securities, so the Company can avoid the late-filing payment by filing on " \
           "time without them" in i.explanation


def test_each_instrument_in_the_documents_appendix_asks_for_its_own_terms(memo: Memo) -> None:
    deb = next(i for i in memo.issues if i.title.startswith("The Debentures themselves"))
    war = next(i for i in memo.issues if i.title.startswith("The Warrants themselves"))
    assert "cashless exercise" not in deb.title and "(conversion terms, maturity, any limit on conversion)" in deb.title
    assert "(exercise terms, expiry, cashless exercise)" in war.title


def test_no_entry_quotes_words_already_inside_another_of_its_quotes_of_the_same_clause(memo: Memo) -> None:
    for i in memo.issues:
        for q in i.quotes:
            assert not any(k != q and k.clause == q.clause and q.words in k.words for k in i.quotes), (i.id, q)


def test_the_second_set_of_advisers_in_3k_has_a_redline_that_keeps_the_list_numbered(memo: Memo) -> None:
    from rra.solver.redline import redlined

    i = next(i for i in memo.issues if "\"all other Investors\"" in i.title)
    [r] = [r for r in i.redlines if r.clause == "3(k)"]
    text = " ".join(redlined(BUNDLED, [r])[0].document.normalized("3(k)").split())
    assert "all other Investors" not in text and "retained by the Investors, and (iv) one firm" in text


def test_the_three_clocks_entry_names_the_different_need_and_the_should_have_determined_answer(memo: Memo) -> None:
    i = _entry(memo, "deadlines.linked-anchors")
    assert "The payment clock, though worded alike, counts from \"the need for an amendment or supplement to the " \
           "Registration Statement to keep such Registration Statement effective\"" in i.explanation
    assert "reasonably should have determined the need on 1 Aug 2004" in (i.example or "")


def test_the_readable_memo_names_no_command_line_options(memo: Memo) -> None:
    # the lawyers' reviews: a memo a partner signs does not end with "--verbose lists them"
    from rra.commands.check import render as render_check

    out = render_check({"withheld": [], "findings": [], "analyses": {}}, memo)
    assert "--verbose" not in out and "--json" not in out and "rra check" not in out
    assert "were considered and left out; the list, with the reason for each, is available on request." in \
        " ".join(out.split())


def test_the_review_window_entry_gives_the_other_readings_of_its_payments(memo: Memo) -> None:
    # the lawyer's review 5: "the payment follows" took the any-shortfall reading and 3(b)'s grace as settled
    i = _entry(memo, "deadlines.review-window")
    assert f"(contested, see entry {_number(memo, 'money.all-cannot')})" in " ".join(i.explanation.split())
    ex = " ".join((i.example or "").split())
    assert f"counted from its first day (see entry {_number(memo, 'money.grace-versus-measure')})" in ex
    assert ex.endswith("if only a total stop counts: $0.")


def test_the_filing_date_entry_is_high_on_the_fixed_amount_that_turns_on_it_not_on_a_monthly_figure(memo: Memo
                                                                                                    ) -> None:
    # the lawyer's reviews 5 and 6: the difference (about two months of payments) stops growing once late effectiveness
    # counts on both readings; "$16,058 a month" and "$20,129 a month" were that fixed amount divided by a period
    from rra.solver.memo import Severity

    i = _entry(memo, "money.label-placement")
    assert i.severity == Severity.HIGH and i.per_month == 0 and 39_000 <= i.once <= 40_000, (i.per_month, i.once)
    assert i.severity_reason == (f"in the ordinary course ${i.once:,} per $1,000,000 turns on it in its example, "
                                 "2.0 months of the 2% a month the measure charges, an amount that does not grow with "
                                 "time")


def test_the_entry_on_payments_that_measure_nothing_is_applied_with_the_cure_of_the_duty_due_before_it_arises(
        memo: Memo) -> None:
    i = _entry(memo, "money.reference-measures-nothing")
    first = _entry(memo, "deadlines.deadline-before-duty")
    assert first.id in i.relies_on
    assert any("is a business choice" in p for p in i.open_points)


def test_the_memo_says_once_how_its_dollar_figures_are_computed(memo: Memo) -> None:
    # the lawyer's review 5 (and the primer): the proration convention is stated
    day_count = _number(memo, "money.no-day-count")
    assert memo.basis == ("Dollar figures are per $1,000,000 of principal at the 2% a month of Section 2(c); a partial "
                          "month counts as the days since the last monthly anniversary of the period's start divided "
                          f"by the days to the next (the text sets no rule: see entry {day_count}).")
    assert memo.basis in " ".join(render(memo).split())


def test_the_figures_sentence_follows_the_month_convention_a_user_sets() -> None:
    from rra.solver.memo_build import figures_basis

    thirty = BUNDLED.with_values({"payments.month_convention": "30-day"})
    assert "a partial month counts as its days divided by 30." in figures_basis(thirty, Memo("t", []))


def test_the_entry_on_payment_in_shares_names_every_route_by_which_such_shares_become_registrable(memo: Memo) -> None:
    # the lawyer's review 5: 1(a)(iv) also counts "Damages Shares (as defined in the Debentures)"
    text = " ".join(_entry(memo, "money.paid-in-shares").explanation.split())
    assert 'only if they are "Damages Shares" as defined in the Debentures or the payment is the "Standard Liquidated ' \
           'Damages Amount" defined in the Securities Purchase Agreement' in text


def test_the_underwriters_entry_states_the_reading_it_assumes_once(memo: Memo) -> None:
    # the lawyer's reviews 5 and 6: the 11(k) caveat appeared once per clause
    text = " ".join(next(x for x in memo.issues if "underwriters" in x.title).explanation.split())
    assert text.count("on the reading that") == 1, text
    assert f"(for Sections 3(e) and 4(c), on the reading that \"the Investors\" act by the majority of Section 11(k), " \
           f"which entry {_number(memo, 'consent.no-stated-vote')} questions)" in text


def test_the_payment_base_entry_does_not_say_converted_shares_cost_nothing_without_the_other_reading(memo: Memo
                                                                                                   ) -> None:
    # the lawyer's reviews 6 and 7: on the reading of the entry on securities that never stop counting, buyers of the
    # conversion shares are paid on the principal those shares were converted from
    text = " ".join(_entry(memo, "money.base-omits-class").explanation.split())
    n = _number(memo, "consent.outsiders-count")
    assert f"Once those are repaid (or converted and the shares sold, subject to entry {n}), a registration failure " \
           "costs the Company nothing" in text


def test_a_definition_that_says_when_a_security_stops_counting_ends_the_never_ending_class_before_any_vote_is_asked(
        memo: Memo) -> None:
    # the redline of the never-ending class adds such words; the detector reads them first, so checking that
    # redline asks the consent engine nothing (each question costs Z3 time in every redline check)
    from rra.solver.consent_analysis import Engine, Review, _outsiders, book, readings_for
    from rra.solver.redline import redlined

    i = _entry(memo, "consent.outsiders-count")
    assert i.redline_check is not None and i.redline_check.value == "checked", i.redline_check
    for agreement, found in ((BUNDLED, True), (redlined(BUNDLED, list(i.redlines))[0], False)):
        bk = book(agreement)
        eng = Engine(bk, readings_for(None, bk))
        got = _outsiders(Review(agreement, bk, eng))
        assert bool(got) is found
        assert (eng.questions > 0) is found  # the original text's votes are looked at; the redlined text's are not


@pytest.mark.parametrize("prefix, said", [
    ("deadlines.review-window.3(b)", "the redline's 90 days instead of 30 is a proposal"),
    ("money.outlives-period.2(c)", "counsel to the Company, not counsel to the Investors, give the opinion"),
    ("consent.one-counsel", "no longer choose counsel for an underwritten offering under Section 2(b)"),
    ("parties.defined-twice.Investors", "the preamble definition admits and the 1(a)(i) one does not (affiliates) are "
                                        "no longer \"Investors\""),
])
def test_a_redline_that_changes_the_bargain_says_so_as_a_point_left_for_negotiation(memo: Memo, prefix: str,
                                                                                      said: str) -> None:
    # an independent review found these four redlines presented as neutral fixes (a number, who gives an opinion,
    # a group's choice of counsel, who is an Investor)
    i = _entry(memo, prefix)
    assert any(said in p for p in i.open_points), i.open_points
    assert "left for negotiation: " + i.open_points[0][:40] in " ".join(render(memo).split())


def test_the_appendix_says_a_not_checked_entry_s_findings_come_from_checks_that_cannot_read_the_new_words(
        memo: Memo) -> None:
    from rra.solver.memo_check import UNREAD_WORDS

    beyond = [i for i in memo.issues if UNREAD_WORDS in (i.redline_note or "")]
    assert beyond
    text = " ".join(render(memo, verbose=True).split())
    appendix = text[text.index("TECHNICAL APPENDIX"):]
    for i in beyond:
        line = appendix[appendix.index(f"[{i.id}]"):].split("] ", 1)[1]
        line = line[:line.find(" [") if " [" in line else len(line)]
        assert "still found with all redlines, by checks that cannot read the new words" in line, (i.id, line)


def test_the_appendix_names_each_entry_an_entry_was_checked_with_once(memo: Memo) -> None:
    withs = [(i.id, (i.detail.get("redline_check") or {}).get("with") or []) for i in memo.issues]
    assert any(len(w) > 1 for _, w in withs)
    assert [(i, w) for i, w in withs if len(w) != len(set(w))] == []


@pytest.mark.parametrize(("eligible", "due"), [("2003-07-01", "2004-02-12"), ("2004-06-01", "2004-08-30")])
def test_the_cure_of_the_duty_due_before_it_arises_never_brings_the_deadline_earlier(
        memo: Memo, eligible: str, due: str) -> None:
    # the lawyer's read of stop 32 (defect 2): counting 90 days from eligibility alone made a Form S-3 eligible on
    # 1 Jul 2003 due on 29 Sep 2003, before the Form SB-2 itself; the later of the two dates keeps the floor
    from datetime import date

    from rra.solver import evaluator
    from rra.solver.provisions import scenario
    from rra.solver.redline import redlined

    first = _entry(memo, "deadlines.deadline-before-duty")
    assert "the later of the Prior Financing Effective Date and the date on which" in first.redlines[0].with_
    cured, _ = redlined(BUNDLED, list(first.redlines))
    data = {"as_of": date(2005, 1, 1), "prior_financing_effective": date(2003, 11, 14), "s3_eligible": eligible}
    ev = evaluator.evaluate(scenario(cured, data), cured)
    assert {d.id: str(d.due) for d in ev.deadlines}["deadline.s3_effective"] == due


def test_the_any_shortfall_cure_counts_only_securities_not_yet_sold(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 4): nothing ends a security's being registrable, and one sold under the
    # statement can never be sold under it again, so "any of the Registrable Securities cannot be sold" alone would
    # run the payment for ever after the first sale; "held by the Investors" left out shares in street name and
    # shares not yet issued (the read of stop 33)
    entry = _entry(memo, "money.all-cannot")
    assert entry.redlines and all(r.with_.startswith(
        "any of the Registrable Securities not yet sold pursuant to a Registration Statement or Rule 144 cannot be sold "
        "pursuant to an effective") for r in entry.redlines)
    assert entry.redline_check.value == "checked"


def test_the_cure_of_the_investors_delays_moves_the_filing_date_and_says_the_checks_cannot_read_that(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 1): excluding the Investor's days of delay alone leaves the filing late, so
    # its own example still counted from the Filing Date ($64,516, not $9,677) while the memo said "checked"
    entry = _entry(memo, "money.carve-out-narrow")
    # ... and only for the failing Investor's securities, since the Company may file without them (the read of stop 33)
    assert any("as to the Registrable Securities of an Investor so failing, the Filing Date shall be extended by one "
               "day for each day of such failure" in r.with_ for r in entry.redlines)
    assert entry.redline_check.value == "not checked"
    assert entry.redline_note.startswith("the new words are beyond what the automatic checks can read (extending the "
                                         "Filing Date, for a failing Investor's securities, by the days of its failure)")


def test_the_day_count_cure_counts_whole_periods_in_days_over_thirty_and_says_the_memo_counts_otherwise(
        memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 6): "a partial month shall be the number of days elapsed divided by thirty"
    # said neither from when the days run nor what a whole month is, and the memo's own figures use calendar months
    from rra.solver.redline import redlined

    entry = _entry(memo, "money.no-day-count")
    # "the number of days in such period" left open whether its first and last days count (the read of stop 33)
    assert entry.redlines[0].with_.endswith("the number of months in any period shall be the number of days by which "
                                            "its end follows its beginning, divided by thirty (30).")
    cured, _ = redlined(BUNDLED, list(entry.redlines))
    assert cured.params["payments.month_convention"] == "30-day"
    assert BUNDLED.params["payments.month_convention"] == "calendar-month"
    assert entry.open_points == ("the memo's figures count calendar months; on this redline every period counts its "
                                 "days over thirty (the example: $30,000 instead of $29,032), and a month of 31 days "
                                 "counts for more than one month",)


def test_the_caps_entry_says_back_to_back_delays_escape_the_cap_that_and_restores(memo: Memo) -> None:
    # the outputs read of stop 32 (defect 1): two back-to-back delays of 10 trading days (3-14 and 17-28 May 2004)
    # cost $1,290, not the $9,032 the "and" redline was said to secure; the cap binds each delay on its own
    entry = _entry(memo, "money.caps-or")
    example = " ".join((entry.example or "").split())
    assert ("With both caps the Company can still declare a second delay, for other information, on 17 May 2004 and "
            "exclude all 20 trading days: $1,290") in example
    # 3(f) binds the Company again "with respect to the information giving rise thereto" (the lawyer's read of stop 33):
    # only a delay for other information escapes, and a pause between delays, not "no day between", closes it
    assert 'only "with respect to the information giving rise thereto"' in " ".join(entry.explanation.split())
    assert any("no Allowed Delay shall begin within five (5) trading days after the end of another" in r.with_
               for r in entry.redlines)
    assert entry.redline_check.value == "not checked" and "a pause between Allowed Delays" in entry.redline_note


def test_the_worked_example_entry_does_not_equate_the_window_s_end_with_the_filing_date(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 15): 2(a)'s 30-day window ends on the Filing Date only for a Prior
    # Financing Effective Date on or before 15 Nov 2003; for 20 Jan 2004 it ends 25 days before the deadline
    text = " ".join(_entry(memo, "money.example-anchor").explanation.split())
    assert ("charges from the end of that window (the Filing Date when the Prior Financing Effective Date is on or "
            "before 15 Nov 2003)") in text
    # and, as entry 7 says, the operative words count from the end of the 90-day period: 60 days after the window's
    # end whatever the dates (the read of stop 33)
    assert "60 days or more" not in text and ("the operative words of the measure start at the end of the 90-day "
                                              "period") in text
    assert ("the two starts are the 60 days apart that separate the ends of the two periods, both counted from the "
            "Prior Financing Effective Date") in text


def test_the_penalty_entry_says_whom_each_of_its_points_favours(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 20): no cap and no exclusivity favour the Investors; only the penalty risk
    # favours the Company, so "favours Company" alone was wrong
    entry = _entry(memo, "money.called-penalty")
    assert entry.favours.value == "neither"
    assert entry.favours_note == ("the Investors while the payments stand (uncapped and not exclusive), the Company if a "
                                  "court strikes them as a penalty")


def test_the_clocks_entry_counts_the_starts_its_body_names(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 18): the title said 3 events where the body names two starts, the third
    # clock differing only in the need it counts from
    entry = _entry(memo, "deadlines.linked-anchors")
    assert entry.title == ("3(b): the 3 clocks of one duty start at 2 differently described events; two worded alike "
                           "count from different needs")
    assert "though worded alike" in entry.explanation


def test_the_warrant_base_counts_shares_from_a_cashless_exercise(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 8): "the exercise price paid for the Warrant Shares" is $0 for shares from a
    # cashless exercise, the very case entry 8's example uses
    entry = _entry(memo, "money.base-omits-class")
    words = " ".join(r.with_ for r in entry.redlines)
    assert "exercise price paid" not in words
    assert ("the aggregate exercise price of the Warrant Shares held by it (whether exercised for cash or without cash)"
            in words)


def test_the_effectiveness_deadline_label_names_a_date_when_the_prior_financing_never_becomes_effective(
        memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 9): "(such earlier date, ...)" was undefined when the Prior Financing
    # Effective Date never occurs, the very case of entry 7's example
    entry = _entry(memo, "money.measure-start")
    assert any(r.with_.endswith('(such earlier date, or the latter date if the Prior Financing Effective Date has not '
                                'then occurred, the "Effectiveness Deadline")') for r in entry.redlines)
    assert entry.redline_check.value == "checked"


def test_proofreading_fixes_that_decide_something_say_what(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 7): A8's closing parenthesis decides what the Allowed Delay exclusion
    # qualifies, and A9's redline deletes a category of Inspectors
    paren = _entry(memo, "proofreading.unbalanced-parentheses.2(c)")
    assert any('decides what "but excluding any days during an Allowed Delay" qualifies: the redline closes it before '
               "those words, so they reach the whole clause" in p for p in paren.open_points), paren.open_points
    twice = _entry(memo, "proofreading.class-named-twice")
    assert any(p.startswith("the redline of 3(k) deletes item (iv), the advisers retained by all other Investors")
               for p in twice.open_points), twice.open_points


def test_entries_that_touch_another_entrys_point_in_passing_point_to_it(memo: Memo) -> None:
    # the lawyer's read of stop 32 (defect 13): "2(c) pays holders who are not Investors" was made in three entries and
    # "an Investor holding only Warrants is paid nothing" in two, none referring to the others
    payee = _number(memo, "money.payee-differs")
    base = _number(memo, "money.base-omits-class")
    for prefix in ("consent.outsiders-count", "parties.assignment-scope"):
        assert f"(see entry {payee})" in _entry(memo, prefix).explanation, prefix
    assert f"is paid nothing (see entry {base})" in _entry(memo, "money.payee-differs").explanation


def test_the_report_read_of_stop_33_wordings(memo: Memo) -> None:
    # findings 8, 11, 12: claim 6 holds on a reading of 3(f); 15 Mar 2004 is when the trigger *can* fire; the
    # signature blocks are blank, so the parties are named as signatories, not said to have signed
    from rra.spec.invariants import CATALOGUE

    caps = next(s for s in CATALOGUE if s.id == "allowed-delay-caps")
    assert "(reading the two caps of 3(f) as applying together)" in caps.statement
    assert _entry(memo, "money.measure-start").title.startswith("2(c): late-effectiveness payments can be triggered on "
                                                               "15 Mar 2004")
    two = next(i for i in memo.issues if "parties are named as signatories" in i.explanation)
    assert "parties signed" not in two.explanation
