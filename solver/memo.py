"""The review memo: one problem, one entry, ranked by consequence, each with its quoted words and a checked
redline (`rra check` prints it; the report's findings section is the same memo).

This module holds the memo's typed records. An *issue* groups every finding that is the same problem (found by
the text review, the Z3 checks, the evaluator, the exposure optimizer, the consent analysis or the proofs);
its severity says what the problem does (high: who pays, how much or when, or a duty made impossible or
unenforceable; medium: ambiguous rights, conflicting procedures; low: drafting), its area where a partner looks
for it, and `favours` whose side it helps. A redline is the replacement words for the clause; its check applies
it to the text, reads the result back as a draft and runs the analyses again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """What a problem does to the parties."""

    HIGH = "high"  # changes who pays, how much or when, or makes a duty impossible or unenforceable
    MEDIUM = "medium"  # ambiguous rights, conflicting procedures
    LOW = "low"  # drafting


class Area(StrEnum):
    """Where a partner looks for a problem, in memo order; the last two are appendices."""

    MONEY = "money"
    DEADLINES = "deadlines"
    CONSENT = "consent and voting"
    PARTIES = "parties and definitions"
    OTHER = "other"
    PROOFREADING = "proofreading"  # appendix: typos, parentheses, name variants, words vs figures
    DOCUMENTS = "documents needed"  # appendix: exhibits, terms defined in other documents

    @property
    def appendix(self) -> bool:
        """The proofreading and documents-needed appendices."""
        return self in (Area.PROOFREADING, Area.DOCUMENTS)


class Favours(StrEnum):
    """Whose side a problem (as drafted) favours."""

    COMPANY = "Company"
    INVESTORS = "Investors"
    NEITHER = "neither"


class Certainty(StrEnum):
    """In which worlds a problem bites: the first key of the memo's order within a severity."""

    EVERY = "every world"  # whatever the parties and the SEC do (a duty that falls due before it arises)
    ORDINARY = "ordinary course"  # in the normal life of the deal (late effectiveness, a payment, a vote, a notice)
    CONTINGENT = "contingency"  # only if something unusual happens (a delisting, a stop order, a dispute)


# What a "checked" redline check says: the checks that found the problem were run again on the redlined text (the
# entry's detectors, and the consent analysis for a voting entry), which is not a legal review of the new words.
NO_LONGER_FOUND = "the checks that found the problem no longer find it"
# what the combined run shows: only the tool's own checks ran on the new words, which no one has reviewed as a lawyer
NOTHING_NEW = "the tool's checks find nothing new with all the redlines applied"


class RedlineCheck(StrEnum):
    """What re-running the analyses on the redlined text showed."""

    CHECKED = "checked"  # the checks that found the problem no longer find it, and nothing new appears
    REMAINS = "problem remains"
    NEW = "new problems"
    NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class Quote:
    """Words of the agreement, verbatim (whitespace-normalized), with the clause they are in."""

    clause: str
    words: str


@dataclass(frozen=True)
class Redline:
    """Replace `replace` (verbatim words of the clause, whitespace-normalized, found `count` times) with `with_`.

    `meaning` says what the new words mean to the formal model, for the elements and parameters whose words the
    redline rewrites: element id -> the fields that change (None: the element no longer exists). Elements whose
    words it touches and that are not named keep their meaning with the new words (rra.solver.redline).
    `beyond` names what the new words say that the formal model cannot express ("" when it can express all of it):
    the redline check then says the entry was not checked, whatever the checks find.
    """

    clause: str
    replace: str
    with_: str
    count: int = 1
    meaning: dict[str, dict[str, Any] | None] = field(default_factory=dict, compare=False)
    beyond: str = field(default="", compare=False)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape."""
        return {"clause": self.clause, "replace": self.replace, "with": self.with_, "count": self.count}

    def shared_ends(self) -> tuple[int, int]:
        """How many characters the find and the new words share at their start and (after those) at their end:
        what lies between is what the redline really changes."""
        old, new = self.replace, self.with_
        p = 0
        while p < min(len(old), len(new)) and old[p] == new[p]:
            p += 1
        q = 0
        while q < min(len(old), len(new)) - p and old[len(old) - 1 - q] == new[len(new) - 1 - q]:
            q += 1
        return p, q


@dataclass(frozen=True)
class Issue:
    """One problem of the agreement, once, with everything a partner needs to read it."""

    id: str
    severity: Severity
    area: Area
    title: str
    sections: tuple[str, ...]
    explanation: str  # two or three sentences of plain English: no solver words, no internal ids
    quotes: tuple[Quote, ...]
    favours: Favours
    example: str | None = None  # one realistic dated example with its dollar figure per $1,000,000
    redlines: tuple[Redline, ...] = ()
    redline_check: RedlineCheck = RedlineCheck.NOT_CHECKED
    redline_note: str = ""  # what remains or appears, or why it was not checked
    findings: tuple[str, ...] = ()  # ids of the findings grouped here
    found_by: tuple[str, ...] = ()  # the analyses that found it: text, z3, evaluator, exposure, consent, proofs
    detail: dict[str, Any] = field(default_factory=dict)  # technical evidence (only in --json and --verbose)
    primary: tuple[str, ...] = ()  # the findings that detect it (re-run on the redlined text to check the redline)
    figures: dict[str, str] = field(default_factory=dict)  # the example's dollar figures per $1,000,000, by reading
    certainty: Certainty = Certainty.ORDINARY
    per_month: int = 0  # what is at stake per month of the triggering state, per $1,000,000 (the order's second key)
    once: int = 0  # what is at stake once each time the problem arises, not growing with time, per $1,000,000
    favours_note: str = ""  # whose side each reading favours, when the readings favour different sides
    open_points: tuple[str, ...] = ()  # problems the entry states that its redline leaves for negotiation
    cured_by: tuple[str, ...] = ()  # ids of the entries whose redlines also cure this one (appendix items)
    relies_on: tuple[str, ...] = ()  # ids of the entries whose redlines complete this one's cure
    whole_remedy: bool = False  # the enforceability of a whole remedy is at stake in every claim under it (order key)
    severity_reason: str = ""  # why the entry is high though its analysis found it medium, when it is ("Why high:")
