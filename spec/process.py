"""Facts of SEC practice that the agreement assumes but does not state (PRIMER.md): what must have happened
before an event can happen. The Z3 encoding asserts them as `process:<event>` facts when it searches for
timelines; the evaluator reports a scenario that breaks one as a violation by the scenario itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prerequisite:
    """`event` can happen only after every event of `requires`, and after each event of `after` that happens.

    `clause` is the clause whose process the fact belongs to (for the violation's citation); `same_day` events
    happen on the same day as `event` when both happen.
    """

    event: str
    requires: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    clause: str = ""
    same_day: tuple[str, ...] = ()


PREREQUISITES: tuple[Prerequisite, ...] = (
    Prerequisite("rs_effective", ("rs_filed",), ("acceleration_requested", "comments_cleared"), "2(c)"),
    Prerequisite("effectiveness_order", ("rs_effective",), (), "3(c)", same_day=("rs_effective",)),
    Prerequisite("final_prospectus_filed", ("effectiveness_order",), (), "3(c)"),
    Prerequisite("sec_comments", ("rs_filed",), (), "3(c)"),
    Prerequisite("comments_answered", ("sec_comments",), (), "3(c)"),
    Prerequisite("comments_cleared", ("rs_filed",), ("sec_comments", "comments_answered"), "3(c)"),
    Prerequisite("acceleration_requested", ("comments_cleared",), (), "3(c)"),
    Prerequisite("s3_filed", ("s3_eligible",), (), "2(e)"),
    Prerequisite("s3_effective", ("s3_filed",), (), "2(e)"),
    Prerequisite("additional_filed", ("more_shares_needed",), (), "3(b)"),
    Prerequisite("additional_effective", ("additional_filed",), (), "3(b)"),
    Prerequisite("need_determined", ("more_shares_needed",), (), "3(b)"),
)


@dataclass(frozen=True)
class SalesNeed:
    """A duty without whose performance sales under an effective registration statement cannot be made (SEC
    practice), so that a breach of it is a state the liquidated-damages measure counts as blocked sales."""

    obligation: str
    why: str


SALES_NEED: tuple[SalesNeed, ...] = (
    SalesNeed("3(c).final_prospectus", "without the final prospectus filed under Rule 424(b) the prospectus cannot be "
              "delivered, so sales cannot be made"),
    SalesNeed("3(c).furnish_prospectus", "without prospectus copies the sellers cannot meet the prospectus-delivery "
              "requirement of Section 5(b) of the 1933 Act, so sales cannot be made"),
)


@dataclass(frozen=True)
class Presupposition:
    """In any course of events a lawyer would accept, `event` comes after `after`, although the formal model does not
    force the order (so a solver's timeline may break it): a dated example that does is not realistic (R-06)."""

    event: str
    after: str
    why: str


PRESUPPOSITIONS: tuple[Presupposition, ...] = (
    Presupposition("more_shares_needed", "rs_filed", "the registered shares can run short only under a registration "
                   "statement already filed"),
    Presupposition("material_event", "rs_effective", "a prospectus becomes misleading only once it is part of a "
                   "registration statement in effect (3(f): \"the prospectus included in any Registration Statement, as "
                   "then in effect\")"),
    Presupposition("stop_order", "rs_effective", "a stop order suspends the effectiveness of a registration statement "
                   "already declared effective"),
    Presupposition("suspension_notice", "rs_effective", "the notice of 4(d) stops sales under a registration statement "
                   "already in effect"),
)
