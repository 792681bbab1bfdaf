"""Holdings files: who holds what, for the consent rules (`rra consent --holdings FILE`).

A holdings file is YAML or JSON::

    conversion_price: 0.10        # USD per Conversion Share (optional; a party may give conversion_shares)
    totals:                       # optional: each total must equal the parties' sum
      debentures_outstanding: 900000
    parties:
      sds:
        name: SDS Merchant Fund, LP
        is_investor: true
        debentures_outstanding: 400000            # principal, USD
        debentures_converted_unregistered: 0      # purchase price of Debentures converted but not registered, USD
        warrants: 2000000                         # Warrant Shares issuable on exercise
        registrable_held: 0                       # Registrable Securities issued and owned of record (11(a))
        registrable_registered: 12000000          # being registered (4(c))
        registrable_offered: 3000000              # being offered in the offering (3(d), 3(e))
        registrable_included: 12000000            # included in the Registration Statement a Claim relates to (6(c))
        registered_owner: false                   # registered owner of the securities under conflicting instructions (11(a))
    assignment:                                   # optional: a Section 9 assignment
      from: alpha
      to: transferee
      conditions: {i: true, ii: true, iii: true, iv: true, v: true, vi: true}

Every problem is a BadInput naming the field path (`parties.sds.warrants`), the value and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from rra.spec.clauses import agreement
from rra.spec.overrides import ParameterSet

from rra.datafile import read_data
from rra.errors import BadInput
from rra.limits import MAX_AMOUNT, decimal, whole_number

COMPANY = "company"
AMOUNTS = ("debentures_outstanding", "debentures_converted_unregistered", "conversion_shares", "warrants",
           "registrable_held", "registrable_registered", "registrable_offered", "registrable_included")
USD_FIELDS = ("debentures_outstanding", "debentures_converted_unregistered")
PARTY_FIELDS = ("name", "is_investor", *AMOUNTS, "registered_owner")
TOP_FIELDS = ("conversion_price", "totals", "parties", "assignment")
ASSIGNMENT_FIELDS = ("from", "to", "conditions")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@lru_cache(maxsize=1)
def assignment_conditions() -> tuple[str, ...]:
    """The numbered conditions of Section 9 ("(i) ... (vi)"), read from the clause text."""
    text = agreement().normalized("9")
    found = re.findall(r"\((i{1,3}|iv|v|vi{1,3}|ix|x)\)\s", text)
    out: list[str] = []
    for n in found:
        if n not in out:
            out.append(n)
    return tuple(out)


@dataclass(frozen=True)
class Party:
    """One holder. Amounts are whole numbers: USD for the Debenture fields, shares for the rest."""

    id: str
    name: str
    is_investor: bool
    debentures_outstanding: int = 0
    debentures_converted_unregistered: int = 0
    conversion_shares: int = 0
    warrants: int = 0
    registrable_held: int = 0
    registrable_registered: int = 0
    registrable_offered: int = 0
    registrable_included: int = 0
    registered_owner: bool = False

    @property
    def position(self) -> int:
        """Registrable Securities issued or issuable to this party (1(a)(iv)): held + conversion + warrant shares."""
        return self.registrable_held + self.conversion_shares + self.warrants


@dataclass(frozen=True)
class Assignment:
    """A Section 9 assignment: who assigns to whom, and which of conditions (i)-(vi) are met."""

    assignor: str
    transferee: str
    conditions: Mapping[str, bool] = field(default_factory=dict)

    def met(self) -> dict[str, bool]:
        """Every condition of Section 9 with whether it is met (a condition not listed is not met)."""
        return {c: bool(self.conditions.get(c, False)) for c in assignment_conditions()}


@dataclass(frozen=True)
class Holdings:
    """The parties other than the Company, in file order, and an optional assignment."""

    parties: tuple[Party, ...]
    assignment: Assignment | None = None
    conversion_price: Fraction | None = None
    source: str = field(default="", compare=False)

    def ids(self) -> list[str]:
        """Party ids in order (the Company not included)."""
        return [p.id for p in self.parties]

    def party(self, pid: str) -> Party:
        """The party with this id."""
        for p in self.parties:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def resolve(self, name: str, field_name: str = "--consenting") -> str:
        """A party id from an id or a name (case-insensitive); "company" is the Company."""
        key = name.strip().lower()
        if key in (COMPANY, "the company"):
            return COMPANY
        for p in self.parties:
            if key in (p.id.lower(), p.name.lower()):
                return p.id
        choices = ", ".join([COMPANY, *self.ids()])
        raise BadInput(field_name, name.strip(), f"unknown party; expected one of {choices}")

    def coalition(self, names: list[str] | tuple[str, ...] | str, field_name: str = "--consenting") -> frozenset[str]:
        """Resolve a comma-separated list (or a list) of parties."""
        items = [n for n in (names.split(",") if isinstance(names, str) else names) if n.strip()]
        return frozenset(self.resolve(n, field_name) for n in items)


def _int(value: Any, where: str, unit: str) -> int:
    return whole_number(value, where, 0, MAX_AMOUNT, f"a whole number of {unit}")


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise BadInput(where, value, "expected true or false")
    return value


def _unknown_keys(data: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    import difflib

    for k in data:
        if k not in allowed:
            close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; expected one of {', '.join(allowed)}"
            raise BadInput(f"{where}{k}", data[k], "unknown field" + hint)


def _price(value: Any) -> Fraction:
    price = decimal(value, "conversion_price", "a positive number of USD per share")
    if price <= 0:
        raise BadInput("conversion_price", value, "must be more than zero")
    if price > MAX_AMOUNT or price < Fraction(1, 10**12):
        raise BadInput("conversion_price", value, f"must be between 1e-12 and {MAX_AMOUNT:,} USD per share")
    return price


def _party(pid: str, raw: Any, price: Fraction | None) -> Party:
    where = f"parties.{pid}"
    if not _ID.fullmatch(pid):
        raise BadInput(where, pid, "a party id is letters, digits, '_', '.' or '-'")
    if pid.lower() == COMPANY:
        raise BadInput(where, pid, "'company' is the Company itself; list only the holders")
    if not isinstance(raw, Mapping):
        raise BadInput(where, raw, "expected a mapping of the party's fields")
    _unknown_keys(raw, PARTY_FIELDS, f"{where}.")
    if "is_investor" not in raw:
        raise BadInput(f"{where}.is_investor", None, "required: is this party an Investor (true) or another holder (false)?")
    name = raw.get("name", pid)
    if not isinstance(name, str) or not name.strip():
        raise BadInput(f"{where}.name", name, "expected a non-empty name")
    vals: dict[str, Any] = {}
    for f in AMOUNTS:
        if f in raw:
            vals[f] = _int(raw[f], f"{where}.{f}", "USD" if f in USD_FIELDS else "shares")
    debt = vals.get("debentures_outstanding", 0)
    if price is not None:
        derived = int(Fraction(debt) / price)
        if "conversion_shares" in vals and vals["conversion_shares"] != derived:
            raise BadInput(f"{where}.conversion_shares", vals["conversion_shares"],
                           f"does not add up: {debt} USD at conversion_price {float(price):g} converts into {derived} shares")
        vals["conversion_shares"] = derived
    elif debt > 0 and "conversion_shares" not in vals:
        raise BadInput(f"{where}.conversion_shares", None,
                       "needed for Debentures outstanding (or give conversion_price at the top of the file)")
    if debt == 0 and vals.get("conversion_shares", 0) > 0:
        raise BadInput(f"{where}.conversion_shares", vals["conversion_shares"], "no Debentures outstanding to convert")
    p = Party(id=pid, name=name.strip(), is_investor=_bool(raw["is_investor"], f"{where}.is_investor"),
              registered_owner=_bool(raw.get("registered_owner", False), f"{where}.registered_owner"), **vals)
    if p.registrable_offered > p.registrable_registered:
        raise BadInput(f"{where}.registrable_offered", p.registrable_offered,
                       f"more than registrable_registered ({p.registrable_registered}): only registered shares are offered")
    if p.registrable_offered > p.position:
        raise BadInput(f"{where}.registrable_offered", p.registrable_offered,
                       f"more than the party holds or can acquire ({p.position} = registrable_held + conversion_shares + warrants)")
    if p.registered_owner and p.registrable_held == 0:
        raise BadInput(f"{where}.registered_owner", True, "a registered owner must own Registrable Securities of record")
    return p


def _assignment(raw: Any, parties: tuple[Party, ...]) -> Assignment:
    if not isinstance(raw, Mapping):
        raise BadInput("assignment", raw, "expected a mapping with from, to and conditions")
    _unknown_keys(raw, ASSIGNMENT_FIELDS, "assignment.")
    h = Holdings(parties)
    for k in ("from", "to"):
        if k not in raw:
            raise BadInput(f"assignment.{k}", None, "required")
        if not isinstance(raw[k], str):
            raise BadInput(f"assignment.{k}", raw[k], "expected a party id")
    a, t = h.resolve(raw["from"], "assignment.from"), h.resolve(raw["to"], "assignment.to")
    if COMPANY in (a, t):
        raise BadInput("assignment.from" if a == COMPANY else "assignment.to", COMPANY, "the Company does not assign rights under 9")
    if a == t:
        raise BadInput("assignment.to", raw["to"], "the transferee must differ from the assigning Investor")
    if not h.party(a).is_investor:
        raise BadInput("assignment.from", raw["from"], "only an Investor assigns rights under 9")
    if h.party(a).position == 0:
        raise BadInput("assignment.from", raw["from"], "holds no Registrable Securities to transfer")
    conds = raw.get("conditions", {}) or {}
    if not isinstance(conds, Mapping):
        raise BadInput("assignment.conditions", conds, "expected a mapping such as {i: true, ii: true}")
    known = assignment_conditions()
    out: dict[str, bool] = {}
    for k, v in conds.items():
        key = str(k).strip().strip("()").lower()
        if key not in known:
            raise BadInput(f"assignment.conditions.{k}", v, f"Section 9 has conditions {', '.join(known)}")
        out[key] = _bool(v, f"assignment.conditions.{k}")
    return Assignment(a, t, out)


def holdings_from_dict(data: Any, source: str, params: ParameterSet) -> Holdings:
    """Validate a parsed holdings mapping."""
    if not isinstance(data, Mapping):
        raise BadInput("holdings", source or data, "expected a mapping with a 'parties' entry")
    _unknown_keys(data, TOP_FIELDS, "")
    price = _price(data["conversion_price"]) if data.get("conversion_price") is not None else None
    raw_parties = data.get("parties")
    if not isinstance(raw_parties, Mapping) or not raw_parties:
        raise BadInput("parties", raw_parties, "expected a non-empty mapping of party id to fields")
    parties = tuple(_party(str(pid), raw, price) for pid, raw in raw_parties.items())
    names: dict[str, str] = {}
    for p in parties:
        for key in {p.id.lower(), p.name.lower()}:
            if key in names and names[key] != p.id:
                raise BadInput(f"parties.{p.id}.name", p.name, f"the same as party {names[key]!r}")
            names[key] = p.id
    owners = [p.id for p in parties if p.registered_owner]
    if len(owners) > 1:
        raise BadInput(f"parties.{owners[1]}.registered_owner", True,
                       f"the securities under conflicting instructions have one registered owner; {owners[0]!r} is already it")
    debt = sum(p.debentures_outstanding + p.debentures_converted_unregistered for p in parties)
    cap = params["debentures.max_principal"]
    if debt > cap:
        raise BadInput("parties.*.debentures_outstanding", debt,
                       f"does not add up: Debentures outstanding plus converted come to more than the {cap} USD issued "
                       "(debentures.max_principal)")
    warrants = sum(p.warrants for p in parties)
    wcap = params["warrants.max_shares"]
    if warrants > wcap:
        raise BadInput("parties.*.warrants", warrants, f"does not add up: more than the {wcap} Warrant Shares issued "
                       "(warrants.max_shares)")
    totals = data.get("totals") or {}
    if not isinstance(totals, Mapping):
        raise BadInput("totals", totals, "expected a mapping of field to total")
    _unknown_keys(totals, AMOUNTS, "totals.")
    for f, raw_total in totals.items():
        want = _int(raw_total, f"totals.{f}", "USD" if f in USD_FIELDS else "shares")
        got = sum(getattr(p, f) for p in parties)
        if got != want:
            raise BadInput(f"totals.{f}", want, f"does not add up: the parties' {f} sum to {got}")
    assignment = _assignment(data["assignment"], parties) if data.get("assignment") is not None else None
    return Holdings(parties, assignment, price, source)


def load_holdings(path: str | Path, params: ParameterSet) -> Holdings:
    """Read a YAML or JSON holdings file and validate it."""
    data = read_data(path, "--holdings")
    return holdings_from_dict(data, str(path), params)


def holdings_to_dict(h: Holdings) -> dict[str, Any]:
    """The holdings in the file schema (round-trips through holdings_from_dict)."""
    parties: dict[str, Any] = {}
    for p in h.parties:
        rec: dict[str, Any] = {"name": p.name, "is_investor": p.is_investor}
        for f in AMOUNTS:
            rec[f] = getattr(p, f)
        rec["registered_owner"] = p.registered_owner
        parties[p.id] = rec
    out: dict[str, Any] = {"parties": parties}
    if h.conversion_price is not None:
        out["conversion_price"] = str(h.conversion_price)
    if h.assignment is not None:
        out["assignment"] = {"from": h.assignment.assignor, "to": h.assignment.transferee,
                             "conditions": dict(h.assignment.met())}
    return out


def with_party(h: Holdings, pid: str, **changes: Any) -> Holdings:
    """A copy with one party's fields changed (for what-if questions and tests)."""
    return replace(h, parties=tuple(replace(p, **changes) if p.id == pid else p for p in h.parties))
