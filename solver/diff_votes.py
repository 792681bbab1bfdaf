"""The Votes part of `rra diff`: consent decisions whose answer a redraft changes, and who gains or loses a veto.

For every consent rule of the two texts (rra.solver.consent, under each text's default readings):

- a rule whose words one text changed cannot be compared: it is *withheld* (the tool says so, never "unchanged");
- a rule whose requirements (limbs: who votes, on what, with which share, with whose consent) are the same in both
  texts, and whose holdings limits (the Debentures' principal and the Warrant shares) are the same, gives the same
  answer on every holdings: it is left out;
- otherwise one Z3 question over the consent analysis's symbolic holdings (rra.solver.consent_analysis.Engine:
  three Investors and a holder who is not one, valid under both texts) asks for holdings and a coalition on which
  the old and the new rule give different answers. The example is made small and both answers are computed again
  by the plain-Python evaluator, with its reasons; a disagreement with Z3 is an error, never a result. Then, for
  each kind of party the consent analysis knows (the Company, an Investor with one share of record, one holding
  only Debentures, one holding only Warrants, a holder who is not an Investor), whether it has a veto, a vote
  without a veto or no say under each text, and so whether it gains or loses a veto.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3
from rra.solver.consent import Book, book, compile_rule, evaluate, limbs, readings_for, who_decides, z3_limb
from rra.solver.consent_analysis import TARGETS, Concrete, Engine
from rra.solver.holdings import AMOUNTS, COMPANY, Holdings
from rra.spec.agreement import Agreement
from rra.spec.elements import ConsentRule

LIMITS = ("debentures.max_principal", "warrants.max_shares")  # parameters that bound valid holdings
WHO = {"company": "the Company"}
CHANGE_WORDS = {("veto", "vote, no veto"): "loses its veto (keeps a vote)", ("veto", "no say"): "loses its veto and its say",
                ("vote, no veto", "veto"): "gains a veto", ("no say", "veto"): "gains a veto",
                ("no say", "vote, no veto"): "gains a vote (no veto)", ("vote, no veto", "no say"): "loses its vote"}


@dataclass(frozen=True)
class PowerChange:
    """One kind of party whose power over a decision changed: old and new "veto" | "vote, no veto" | "no say" |
    "unknown" | "impossible holdings", and the change in words."""

    who: str
    old: str
    new: str

    @property
    def words(self) -> str:
        """"gains a veto", "loses its veto (keeps a vote)", ... or "old -> new" for anything else."""
        return CHANGE_WORDS.get((self.old, self.new), f"{self.old} -> {self.new}")

    @property
    def veto(self) -> str | None:
        """"gains" or "loses" when the party gains or loses a veto, else None."""
        if self.new == "veto" and self.old != "veto":
            return "gains"
        if self.old == "veto" and self.new != "veto":
            return "loses"
        return None


@dataclass(frozen=True)
class VoteChange:
    """One consent rule: status changed | same answers (requirements differ but no holdings tell them apart) |
    unknown (Z3 could not tell) | withheld (a text changed its words) | added | removed."""

    rule: str
    clause: str
    new_clause: str
    decision: str
    status: str
    old_rule: str = ""  # who decides, in words, under each text
    new_rule: str = ""
    example: dict[str, Any] | None = None
    powers: tuple[PowerChange, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class VotesDiff:
    """Every consent rule whose answer can differ, or that one text withholds."""

    changes: tuple[VoteChange, ...] = field(default=())

    @property
    def vetoes(self) -> list[tuple[VoteChange, PowerChange]]:
        """Every veto gained or lost, with its rule."""
        return [(c, p) for c in self.changes for p in c.powers if p.veto]


def _who(target: str) -> str:
    return WHO.get(target, target)


HOLDING_WORDS = (("debentures_outstanding", "Debentures"),
                 ("debentures_converted_unregistered", "Debentures converted but not yet registered"),
                 ("warrants", "Warrant shares"), ("registrable_held", "shares of record"),
                 ("registrable_registered", "shares being registered"), ("registrable_offered", "shares being offered"),
                 ("registrable_included", "shares included in the Registration Statement"))


def _holdings_words(h: Holdings, concerned: str | None) -> list[str]:
    """Each party of an example and what it holds, in words with the numbers."""
    out = []
    for p in h.parties:
        parts = [f"${getattr(p, f):,} of {w}" if f.startswith("debentures") else _count(getattr(p, f), w)
                 for f, w in HOLDING_WORDS if getattr(p, f)]
        if p.conversion_shares:
            parts.append(_count(p.conversion_shares, "shares on conversion"))
        who = f"{'Investor' if p.is_investor else 'Holder (not an Investor)'} {p.id}"
        extra = " (the party concerned)" if p.id == concerned else ""
        out.append(f"{who}{extra}: " + (", ".join(parts) if parts else "nothing"))
    return out


def _count(n: int, what: str) -> str:
    """"1 share of record", "2 shares of record"."""
    return f"{n:,} {what.replace('shares', 'share', 1) if n == 1 else what}"


def _why(r: Any) -> list[str]:
    """A rule's reasons, one per requirement, without the rule's internal name."""
    return [lr.why.removeprefix(f"{lr.source}: ") for lr in r.limbs]


def _example(rule_o: ConsentRule, rule_n: ConsentRule, ob: Book, nb: Book, rd_o: dict[str, str], rd_n: dict[str, str],
             eng: Engine) -> tuple[str, dict[str, Any] | None, str]:
    """("found", example, "") where the two rules answer differently; ("none", None, "") if no valid holdings
    tell them apart; ("unknown", None, Z3's reason)."""
    f_new = eng.f(rule_n)
    parts = [z3_limb(lb, eng.s, rd_o) for lb in limbs(rule_o, rd_o, ob)]
    f_old = z3.And(parts) if parts else z3.BoolVal(True, eng.ctx)
    both_valid = eng.s.valid(ob.params, guards=eng.sel)
    st, conc, why = eng.ask([rule_n, rule_o], [*both_valid, *eng.something_to_count([rule_n, rule_o]), f_old != f_new])
    if st != "found" or conc is None:
        return st, None, why or ""

    def answers(c: Concrete) -> tuple[bool, bool]:
        co = compile_rule(rule_o, c.holdings, rd_o, ob, c.concerned)
        cn = compile_rule(rule_n, c.holdings, rd_n, nb, c.concerned)
        return co.passes(c.coalitions[0]), cn.passes(c.coalitions[0])

    small = eng.small(conc, [rule_n, rule_o], lambda c: len(set(answers(c))) == 2)
    h, coal = small.holdings, small.coalitions[0]
    old = evaluate(rule_o, h, coal, rd_o, ob, small.concerned)
    new = evaluate(rule_n, h, coal, rd_n, nb, small.concerned)
    if old.passed == new.passed:
        raise AssertionError(f"Z3 and the Python evaluator disagree on {rule_n.id}: both texts answer {old.passed}")
    members = [m for m in sorted(coal) if m != COMPANY]
    consenting = (["the Company"] if COMPANY in coal else []) + [f"{'Investor' if h.party(m).is_investor else 'Holder'} "
                                                                 f"{m}" for m in members]
    example = {"holdings": _holdings_words(h, small.concerned), "consenting": consenting,
               "old": {"allowed": old.passed, "why": _why(old)},
               "new": {"allowed": new.passed, "why": _why(new)},
               "parties": {p.id: {"is_investor": p.is_investor, **{f: getattr(p, f) for f in AMOUNTS if getattr(p, f)}}
                           for p in h.parties}}
    return "found", example, ""


def compare_votes(old: Agreement, new: Agreement) -> VotesDiff:
    """The consent rules whose answers differ between two texts (see the module docstring)."""
    ob, nb = book(old), book(new)
    rd_o, rd_n = readings_for(None, ob), readings_for(None, nb)
    limits_same = all(old.params.get(p) == new.params.get(p) for p in LIMITS)
    engines: dict[str, Engine] = {}

    def engine(which: str) -> Engine:
        if which not in engines:
            engines[which] = Engine(ob, rd_o) if which == "old" else Engine(nb, rd_n)
        return engines[which]

    out: list[VoteChange] = []
    ids = sorted(set(ob.rules) | set(nb.rules) | set(ob.withheld) | set(nb.withheld),
                 key=lambda r: (new.model.get(r).clause if r in new.model.by_id else "", r))
    for rid in ids:
        base = new.model.get(rid) if rid in new.model.by_id else old.model.get(rid)
        assert isinstance(base, ConsentRule)
        clause_o = old.model.get(rid).clause if rid in old.model.by_id else base.clause
        clause_n = new.model.get(rid).clause if rid in new.model.by_id else base.clause
        if rid in ob.withheld or rid in nb.withheld:
            side = "both texts" if rid in ob.withheld and rid in nb.withheld else \
                ("the old text" if rid in ob.withheld else "the new text")
            out.append(VoteChange(rid, clause_o, clause_n, base.decision, "withheld",
                                  reason=f"the words of this consent rule changed in {side}; its answers are not "
                                         "compared"))
            continue
        if rid not in ob.rules or rid not in nb.rules:
            out.append(VoteChange(rid, clause_o, clause_n, base.decision, "added" if rid in nb.rules else "removed"))
            continue
        ro, rn = ob.rules[rid], nb.rules[rid]
        if limbs(ro, rd_o, ob) == limbs(rn, rd_n, nb) and limits_same:
            continue
        words_o, words_n = who_decides(ro, rd_o, ob), who_decides(rn, rd_n, nb)
        st, example, why = _example(ro, rn, ob, nb, rd_o, rd_n, engine("new"))
        po, pn = engine("old").power(ro), engine("new").power(rn)
        powers = tuple(PowerChange(_who(t), po[t]["power"], pn[t]["power"]) for t in TARGETS
                       if t in po and t in pn and po[t]["power"] != pn[t]["power"])
        status = {"found": "changed", "none": "same answers", "unknown": "unknown"}[st]
        out.append(VoteChange(rid, clause_o, clause_n, rn.decision, status, words_o, words_n, example, powers,
                              f"Z3 could not tell: {why}" if st == "unknown" else ""))
    return VotesDiff(tuple(out))


__all__ = ["PowerChange", "VoteChange", "VotesDiff", "compare_votes"]
