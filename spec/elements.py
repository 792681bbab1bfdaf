"""Types of the formal elements. Each element names its clause id and quotes the words it formalizes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from rra.limits import cut

# Who controls an event: the Company, the SEC, the market, the Investors, or nobody in the agreement.
CONTROLLERS = ("company", "sec", "market", "investors", "external")
# Standards of effort, from strictest to loosest.
EFFORTS = ("absolute", "immediately", "best efforts", "promptly", "reasonable efforts", "as practicable")
BASES = ("calendar", "business", "trading")


@dataclass(frozen=True)
class Element:
    """Common fields: a unique id, the clause id and a verbatim quote of the words formalized."""

    id: str
    clause: str
    quote: str
    kind: ClassVar[str] = "element"

    def params(self) -> tuple[str, ...]:
        """Names of the parameters this element reads."""
        return ()

    def named(self) -> str:
        """The element's own name, or a duty's action ("" when it has neither)."""
        return str(getattr(self, "name", "") or getattr(self, "action", ""))

    def words(self) -> str:
        """What the element is, for a reader (its id is for --json): its kind and its name, or its clause."""
        label = kind_words(self.kind)[0]
        name = self.named()
        if name:
            return f'the {label} "{name}"'
        said = str(getattr(self, "description", "")).strip().rstrip(".")
        if said:  # a condition or a carve-out: what it says, shortened
            return f"the {label} of {self.clause}: {cut(said, 60, words=True)}"
        return f"the {label} of {self.clause}"


# Each kind of element as a reader says it, one and many (Element.words, kind_count; the kinds' names are for
# --json).
KIND_WORDS = {"party": ("party", "parties"), "term": ("defined term", "defined terms"),
              "parameter": ("number or date", "numbers and dates"), "event": ("event", "events"),
              "deadline": ("deadline", "deadlines"), "obligation": ("duty", "duties"),
              "condition": ("condition", "conditions"), "carve_out": ("carve-out", "carve-outs"),
              "remedy": ("remedy", "remedies"), "consent_rule": ("consent rule", "consent rules"),
              "cross_reference": ("cross-reference", "cross-references"), "reading": ("reading", "readings"),
              "payment_reading": ("reading", "readings"),
              "measure_component": ("part of the payment measure", "parts of the payment measure"),
              "measure": ("payment measure", "payment measures")}


def kind_words(kind: str) -> tuple[str, str]:
    """A kind of element (or of graph node) in words, one and many ("borrowed_term": "borrowed term(s)")."""
    one = kind.replace("_", " ")
    return KIND_WORDS.get(kind, (one, one + "s"))


def kind_count(n: int, kind: str) -> str:
    """n elements (or graph nodes) of a kind as a reader says them: "2 duties", "1 defined term", "4 borrowed
    terms"."""
    return f"{n} {kind_words(kind)[n != 1]}"


@dataclass(frozen=True)
class Party(Element):
    """A party or a role that bears obligations or holds rights."""

    name: str = ""
    role: str = ""
    kind: ClassVar[str] = "party"


@dataclass(frozen=True)
class Term(Element):
    """A defined term: where it is defined (this clause) and the words that define it."""

    name: str = ""
    borrowed_from: str | None = None  # another document the definition comes from
    kind: ClassVar[str] = "term"


@dataclass(frozen=True)
class Parameter(Element):
    """A number or date the agreement sets, with its unit and day-count basis.

    `since` is the date of the text that sets the value (the agreement date unless a redraft says
    otherwise). `in_text` is False for interpretive settings the text does not state in figures
    (for example the month convention); those are exempt from the words-and-figures check.

    The quote is a template whose slot is the value: `slot` picks which number phrase of the quote it is (by
    position among the quote's number phrases; None: the one phrase that reads as the value). A draft's value is
    read from the draft's own words at that slot (rra.spec.binding). `patterns` are further templates, with
    "{value}" for the slot, that a draft may use to set a value the agreement leaves out (a cap, for instance);
    `share_of` names the parameter an amount may be written as a share of ("ten percent (10%) of the original
    principal amount of the Debentures" is that share of the Debentures' principal).
    """

    value: int | float | date | str | None = None
    unit: str = ""  # days | date | ratio | USD | shares | months | count | name | share
    basis: str | None = None  # calendar | business | trading (for day counts)
    description: str = ""
    since: date = date(2003, 5, 9)
    in_text: bool = True
    choices: tuple[str, ...] = ()
    nullable: bool = False
    slot: int | None = None
    patterns: tuple[str, ...] = ()
    share_of: str | None = None
    limits: tuple[int | float, int | float] | None = None  # the range the tool supports for a redraft
    kind: ClassVar[str] = "parameter"


@dataclass(frozen=True)
class Event(Element):
    """Something that happens on a date: a trigger or an anchor for deadlines."""

    name: str = ""
    controlled_by: str = "external"
    record: str | None = None  # the scenario field that dates it ("filed", or "documents[].filed" for a list)
    kind: ClassVar[str] = "event"


@dataclass(frozen=True)
class Offset:
    """One candidate date of a deadline: anchor event +/- a parameter's number of days, or a fixed date."""

    anchor: str | None = None  # event id; None for a fixed date
    offset: str | None = None  # parameter name (days in its basis)
    fixed: str | None = None  # parameter name of a date
    before: bool = False  # True for "at least N days prior to"


@dataclass(frozen=True)
class Deadline(Element):
    """A due date computed from events and parameters ("the earlier of (i) ... or (ii) ...")."""

    name: str = ""
    terms: tuple[Offset, ...] = ()
    combine: str = "earliest"  # earliest | latest | single | first (the first term whose anchor happened)
    bounds: str | None = None  # for a payment trigger: the event it bounds (an obligation's deadline needs none)
    trigger: str | None = None  # the element that makes missing it a payment trigger
    only: tuple[str, str] | None = None  # for a list event: (item field, value) of the items it applies to
    kind: ClassVar[str] = "deadline"

    def params(self) -> tuple[str, ...]:
        out: list[str] = []
        for t in self.terms:
            out += [p for p in (t.offset, t.fixed) if p]
        return tuple(out)


@dataclass(frozen=True)
class Obligation(Element):
    """A duty: who bears it, what they must do, when it arises, by when, how hard they must try."""

    bearer: str = "company"
    action: str = ""
    trigger: str | None = None  # event id that makes the duty arise (None: from the agreement date)
    deadline: str | None = None  # deadline id
    effort: str = "absolute"
    remedies: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    performs: str | None = None  # the event whose date performs it (None: a synthetic "<id>.done" event)
    record: str | None = None  # the scenario field recording performance when it is no event's date
    kind: ClassVar[str] = "obligation"

    def params(self) -> tuple[str, ...]:
        return self.reads


@dataclass(frozen=True)
class Condition(Element):
    """A condition precedent or a condition of applicability."""

    applies_to: tuple[str, ...] = ()
    description: str = ""
    reads: tuple[str, ...] = ()
    after_signing: str | None = None  # "not currently ...": holds when this event comes after the agreement date
    kind: ClassVar[str] = "condition"

    def params(self) -> tuple[str, ...]:
        return self.reads


@dataclass(frozen=True)
class CarveOut(Element):
    """An exception or exclusion cut out of an obligation or a measure."""

    applies_to: tuple[str, ...] = ()
    description: str = ""
    reads: tuple[str, ...] = ()
    kind: ClassVar[str] = "carve_out"

    def params(self) -> tuple[str, ...]:
        return self.reads


@dataclass(frozen=True)
class Remedy(Element):
    """What a breach leads to, and how the amount is measured."""

    name: str = ""
    measure: str = ""
    triggers: tuple[str, ...] = ()  # the breaches or events (obligation/event ids) the remedy is tied to
    measured_by: tuple[str, ...] = ()  # the events whose duration the measure counts
    reads: tuple[str, ...] = ()
    kind: ClassVar[str] = "remedy"

    def params(self) -> tuple[str, ...]:
        return self.reads


@dataclass(frozen=True)
class ConsentRule(Element):
    """Who must agree to a decision, and on which basis of holdings.

    basis: debentures_and_converted_unregistered | registrable_held | registrable_offered |
    registrable_registered | registrable_included | registrable_as_converted | head_count | each_holder |
    registered_owner | none
    voters: investors | holders (any holder of record) | company | party (the one party concerned)
    threshold: majority (more than half) | all | none (automatic, conditions only) | unqualified ("the
    Investors" with no number: 11(k) or each Investor, by reading) | owner | self | any (any one voter)
    requires: company | company_reasonable | investors_majority | investors_approval | each_holding_investor |
    assignor | transferee | conditions (interpreted by rra.solver.consent)
    decides: what is decided, as a noun phrase of plain English; two rules *decide the same thing* exactly when
    their phrases are equal (the underwriters of one offering under three clauses), and never otherwise (counsel
    to review a statement and counsel to defend a Claim are different things, whoever chooses them)
    acts: whose act the rule governs: investors (the Investors or holders choose, ask or assign) | company (the
    Company acts, with someone's consent) | amendment (the parties change the agreement) | tie-break (whose
    instruction the Company follows: decides nothing)
    """

    decision: str = ""
    voters: str = "investors"
    basis: str = "registrable_held"
    threshold: str = "majority"
    requires: tuple[str, ...] = ()  # further approvals (ids of other consent rules or "company")
    default: bool = False  # True for the catch-all rule (11(k))
    share: str | None = None  # parameter with the share a "majority" threshold needs ("majority", "2/3")
    approval_share: str | None = None  # parameter with the share of an "investors_majority" approval
    decides: str = ""
    acts: str = "investors"
    kind: ClassVar[str] = "consent_rule"

    def params(self) -> tuple[str, ...]:
        return tuple(p for p in (self.share, self.approval_share) if p)


@dataclass(frozen=True)
class CrossReference(Element):
    """A reference to another clause, an exhibit, or another document."""

    target: str = ""
    external: str | None = None  # the other document, or None for this agreement
    kind: ClassVar[str] = "cross_reference"


@dataclass(frozen=True)
class Reading(Element):
    """One named way to read words that support more than one computation."""

    name: str = ""
    description: str = ""
    default: bool = False
    kind: ClassVar[str] = "reading"


@dataclass(frozen=True)
class PaymentReading(Reading):
    """A reading of the late-filing-or-effectiveness component: where its period starts, by deadline id.

    counts_from: when set, the period runs from this deadline whenever effectiveness comes after it (the worked
    example); otherwise from `late_filing_from` when the filing was late, else from `late_effectiveness_from`
    when effectiveness was late.
    """

    late_filing_from: str | None = None
    late_effectiveness_from: str | None = None
    counts_from: str | None = None


@dataclass(frozen=True)
class MeasureComponent(Element):
    """One component of a payment measure: which days it counts, and what is cut out of them.

    counts: "late" (from a reading's start to effectiveness) or "after-effectiveness" (the days of `periods`,
    scenario period lists, on or after effectiveness); `family` names that set of days; `triggers` are the
    events whose days it counts; `excludes` is the carve-out element removing `excluded` days.
    """

    label: str = ""
    counts: str = "after-effectiveness"
    periods: tuple[str, ...] = ()
    family: str = ""
    triggers: tuple[str, ...] = ()
    excludes: str | None = None
    excluded: str | None = None
    kind: ClassVar[str] = "measure_component"

    def words(self) -> str:
        """Part 2(c)(i) of the payment measure."""
        return f"part {self.id} of the payment measure"


@dataclass(frozen=True)
class Measure(Element):
    """A liquidated-damages measure as data: principal x rate x the months of its components, capped.

    The interpreters (rra.solver.evaluator, rra.solver.encoding, rra.solver.exposure) read every deadline,
    event and parameter from here, so a redraft reaches all three alike.
    """

    name: str = ""
    principal: str = ""  # parameter: the largest principal the measure applies to (dollars "per $N")
    rate: str = ""  # parameter: share of principal per month
    cap: str = ""  # parameter: cap on the total (None: no cap)
    convention: str = ""  # parameter: how days become months
    filing_deadline: str = ""  # deadline id of the filing limb
    effectiveness_deadline: str = ""  # deadline id of the effectiveness limb
    filed: str = ""  # event id
    effective: str = ""  # event id
    components: tuple[MeasureComponent, ...] = ()
    readings: tuple[PaymentReading, ...] = ()
    allowed_delay: tuple[str, str, str] = ("", "", "")  # parameters: max consecutive, max total, window months
    example: tuple[str, str, str, str] = ("", "", "", "")  # parameters: amount, principal, months, anchor days
    kind: ClassVar[str] = "measure"

    def words(self) -> str:
        """The measure of the Section 2(c) payments."""
        return f"the measure of the {self.name}" if self.name else f"the payment measure of {self.clause}"

    def params(self) -> tuple[str, ...]:
        return (self.principal, self.rate, self.cap, self.convention, *self.allowed_delay, *self.example)

    def reading(self, name: str) -> PaymentReading:
        """The reading with this name (KeyError if none)."""
        for r in self.readings:
            if r.name == name:
                return r
        raise KeyError(name)

    @property
    def default_reading(self) -> PaymentReading:
        """The reading used unless another is asked for."""
        return next(r for r in self.readings if r.default)

    def component(self, component_id: str) -> MeasureComponent:
        """The component with this id (KeyError if none)."""
        for c in self.components:
            if c.id == component_id:
                return c
        raise KeyError(component_id)


@dataclass(frozen=True)
class NotFormalized:
    """A numbered clause left out of the formal model, and why."""

    clause: str
    reason: str
    notes: tuple[str, ...] = field(default=())
