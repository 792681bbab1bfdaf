"""The memo after the third lawyer review: counts that sold shares stay in, the contested reach of 11(k), redlines
that only work together, ranking by consequence, plain check lines, prose quotes verbatim, stated assumptions."""

from __future__ import annotations

import re

import pytest
from rra.solver.memo import Issue
from rra.solver.memo_build import Memo

from .support import BUNDLED


@pytest.fixture(scope="module")
def memo() -> Memo:
    from rra.solver.memo_check import review_memo

    from rra.commands.check import gather

    return review_memo(BUNDLED, gather(BUNDLED)["findings"])


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
    assert re.search(r"majorities of Sections 3\(d\), 3\(e\) and 4\(c\) count only the Registrable Securities being "
                     r"offered or registered", i.explanation)


def test_the_never_ending_class_says_market_buyers_are_paid_and_8c_never_ends(memo: Memo) -> None:
    i = _entry(memo, "consent.outsiders-count")
    assert "\"holder of ... Registrable Securities\", so Section 2(c) pays it" in i.explanation
    assert "Section 8(c)" in i.explanation
    assert {"2(c)", "8(c)"} <= {q.clause for q in i.quotes}
    # no quote of a count of securities "being registered" is offered as a count that keeps sold shares
    assert not [q for q in i.quotes if q.clause == "4(c)"]


def test_the_record_owner_entry_states_the_contested_reach_of_11k(memo: Memo) -> None:
    i = _entry(memo, "consent.record-owners-only")
    assert "Section 11(k) opens \"Except as otherwise provided herein\"" in i.explanation
    assert "will argue that the majority of Section 10 is counted as Section 11(k) provides" in i.explanation
    assert "Sections 3(p) and 3(q) count \"the holders\", not the Investors" in i.explanation
    assert (i.example or "").startswith("On our reading (the count of Section 11(k) does not reach Section 10)")
    # consistent with the entry on decisions with no stated vote: 11(k) supplies the vote where none is stated
    assert "for the decisions of the Investors for which the agreement states no vote of its own" in i.explanation
    assert "for the Investors' other decisions" not in i.explanation
