"""The invariant catalogue as data: what is claimed of the agreement, about which clauses, under which assumptions.

Each entry names its `kind`, the interpreter in rra.solver.invariants that turns it into a Z3 claim, and the
model ids it is about (`args`: deadline, event or component ids). Statements may name parameters in braces
("{allowed_delay.max_consecutive}"); the interpreter fills in the agreement's (or the draft's) values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InvariantSpec:
    """One invariant: id, statement, clauses, assumptions in words, the interpreter kind and its arguments.

    `given` are events assumed to happen; `after_signing` events assumed to happen after the agreement date.
    """

    id: str
    statement: str
    sections: tuple[str, ...]
    assumptions: tuple[str, ...]
    kind: str
    args: tuple[str, ...] = ()
    given: tuple[str, ...] = ()
    after_signing: tuple[str, ...] = ()


Inv = InvariantSpec

CATALOGUE: tuple[InvariantSpec, ...] = (
    Inv("filing-before-effectiveness-deadline", "The Filing Date never falls after the 2(c) effectiveness deadline.",
      ("2(a)", "2(c)"), ("any Prior Financing Effective Date on or after the agreement date, or none",),
      "deadline-order", ("deadline.filing_date", "deadline.effectiveness")),
    Inv("filing-before-3a-deadline",
      "Once the Prior Financing Effective Date has occurred, the Filing Date never falls after 3(a)'s effectiveness deadline.",
      ("2(a)", "3(a)"), ("the Prior Financing Effective Date occurs",),
      "deadline-order", ("deadline.filing_date", "deadline.effectiveness_3a"), given=("pfed",)),
    Inv("effectiveness-deadlines-agree",
      "2(c) and 3(a) set the same effectiveness deadline whenever the Prior Financing Effective Date occurs.", ("2(c)", "3(a)"),
      ("the Prior Financing Effective Date occurs",),
      "deadline-equal", ("deadline.effectiveness", "deadline.effectiveness_3a"), given=("pfed",)),
    Inv("s3-filing-before-s3-effectiveness",
      "2(e)'s Form S-3 filing deadline never falls after its effectiveness deadline.", ("2(e)",),
      ("the Prior Financing Effective Date occurs", "the Company becomes eligible for Form S-3 after the agreement date"),
      "deadline-order", ("deadline.s3_filing", "deadline.s3_effective"), given=("pfed", "s3_eligible"),
      after_signing=("s3_eligible",)),
    Inv("additional-filing-before-effectiveness",
      "3(b)'s deadline to file for more shares never falls after the deadline for that filing to be effective.",
      ("3(b)",), ("more shares become necessary", "the Company determines (or should have) the need, not before it arises"),
      "deadline-order", ("deadline.additional_filing", "deadline.additional_effective"),
      given=("more_shares_needed", "need_determined")),
    Inv("allowed-delay-caps",
      "The trading days excluded as Allowed Delays never exceed {allowed_delay.max_consecutive} consecutive trading "
      "days in one delay, nor {allowed_delay.max_total} trading days in any {allowed_delay.window_months}-month "
      "period, for any number of delays (reading the two caps of 3(f) as applying together).",
      ("3(f)", "2(c)"),
      ("any number of requested delays of any length",), "allowed-delay-caps"),
    Inv("allowed-delay-blackout",
      "Allowed Delays alone never suspend sales for more than {allowed_delay.max_total} consecutive trading days, "
      "however many back-to-back delays the Company declares (proved for any number of delays), and a blackout "
      "that long is possible.", ("3(f)", "2(c)"),
      ("any number of back-to-back Allowed Delays",), "allowed-delay-blackout"),
    Inv("allowed-delay-days-not-counted",
      "No day inside the part of an Allowed Delay within the 3(f) caps is counted under 2(c)(ii), and 2(c)(ii) counts "
      "exactly the blocked days after effectiveness outside it.", ("2(c)", "3(f)"),
      ("one blocked period and one Allowed Delay",), "allowed-delay-not-counted", ("2(c)(ii)",)),
    Inv("designated-allowed-delay-never-counted",
      "A stop in sales that the Company designates as an Allowed Delay never counts under 2(c)(ii).", ("2(c)", "3(f)"),
      ("sales are blocked exactly during one period the Company calls an Allowed Delay, starting on a trading day",),
      "designated-delay", ("2(c)(ii)",)),
    Inv("later-effectiveness-never-costs-less",
      "Under 2(c)(i), a later effective date never counts fewer days (same Prior Financing Effective Date and filing date).", ("2(c)",),
      ("two timelines with the same Prior Financing Effective Date and filing date", "the second is effective no earlier"),
      "later-costs-more", ("text",)),
    Inv("text-reading-within-example-reading",
      "The text reading of 2(c)(i) never counts more days than the worked example's reading.", ("2(c)",),
      ("any timeline",), "reading-within", ("text", "example")),
    Inv("listing-months-need-a-trigger",
      "2(c)(iii) counts months only after a listing trigger of 2(c) ((iii) delisting from a major market or (iv) "
      "OTCBB cessation) has occurred.", ("2(c)",), ("any timeline with one not-listed period",),
      "component-needs-trigger", ("2(c)(iii)",)),
    Inv("investor-liability-within-net-proceeds",
      "An Investor's liability under 6(b) and 7 together never exceeds its net proceeds from the sale of Registrable "
      "Securities under the Registration Statement.", ("6(b)", "7"),
      ("any losses, any indemnity and contribution claims",), "liability-cap", ("6(b).cap", "7.limits")),
    Inv("investor-blackout-bounded",
      "An Investor's blackout under 4(d) never lasts more than {allowed_delay.max_consecutive} trading days (the "
      "Allowed Delay cap).", ("4(d)", "3(f)", "3(g)"), ("an Investor receives a 3(f) or 3(g) notice",), "blackout"),
)
