"""The agreement as a value: one object, built from a text, that every engine receives.

A *package* (rra.spec.package) is the data of one family member: its text, cited parameters, formal elements,
payment measure, invariant catalogue and assumption sets. `load_agreement()` gives the bundled text's agreement;
`load_agreement(path)` reads a draft (text or .docx), parses it strictly, and binds the package to the draft's
own words (rra.spec.binding): every parameter takes the draft's value, every element the draft's clause id and
words; what the draft changed beyond its numbers is recorded, and reading it raises Withheld, so only the
analyses that rest on it are withheld. `with_overrides` applies `--set` / `--overrides` on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from rra.spec.binding import Binding, BoundElement, BoundParameter, Earlier, SharePrincipal, bind
from rra.spec.clauses import Document, parse, parse_source
from rra.spec.elements import (
    CarveOut,
    Condition,
    ConsentRule,
    CrossReference,
    Deadline,
    Element,
    Event,
    Measure,
    NotFormalized,
    Obligation,
    Offset,
    Parameter,
    Party,
    PaymentReading,
    Reading,
    Remedy,
)
from rra.spec.invariants import InvariantSpec
from rra.spec.overrides import ParameterSet, apply_overrides, within_bounds
from rra.spec.text import read_agreement, sha256

from rra.errors import ParseError, Withheld
from rra.limits import short


@dataclass(frozen=True)
class Model:
    """The formal elements of one text, by kind, and those whose words the text does not have (`changed`)."""

    parties: tuple[Party, ...]
    events: tuple[Event, ...]
    deadlines: tuple[Deadline, ...]
    obligations: tuple[Obligation, ...]
    conditions: tuple[Condition, ...]
    carve_outs: tuple[CarveOut, ...]
    remedies: tuple[Remedy, ...]
    consent_rules: tuple[ConsentRule, ...]
    cross_references: tuple[CrossReference, ...]
    readings: tuple[PaymentReading, ...]
    consent_readings: tuple[Reading, ...]
    measure: Measure
    not_formalized: tuple[NotFormalized, ...]
    changed: Mapping[str, BoundElement] = field(default_factory=dict)

    def elements(self) -> tuple[Element, ...]:
        """Every element, in a stable order."""
        return (*self.parties, *self.events, *self.deadlines, *self.obligations, *self.conditions,
                *self.carve_outs, *self.remedies, *self.consent_rules, *self.cross_references, *self.readings,
                *self.consent_readings, self.measure, *self.measure.components)

    @cached_property
    def by_id(self) -> dict[str, Element]:
        """Every element by id."""
        return {e.id: e for e in self.elements()}

    def get(self, element_id: str) -> Element:
        """An element by id, whether or not the text still has its words (KeyError if no such element)."""
        return self.by_id[element_id]

    def words_for(self, element_id: str) -> str:
        """An element as a reader is told of it (Element.words); the id itself when no element has it."""
        e = self.by_id.get(element_id)
        return e.words() if e is not None else element_id

    def usable(self, element_id: str) -> bool:
        """The text has the element's words (beyond its numbers)."""
        return element_id not in self.changed

    def require(self, element_id: str) -> Element:
        """An element the analysis rests on: Withheld if the text changed its words."""
        e = self.by_id[element_id]
        if element_id in self.changed:
            raise Withheld(element_id, e.clause, self.changed[element_id].reason or "whose words the draft changed",
                           e.words())
        return e

    def deadline(self, deadline_id: str) -> Deadline:
        """A deadline the analysis rests on."""
        e = self.require(deadline_id)
        assert isinstance(e, Deadline)
        return e

    def obligation(self, obligation_id: str) -> Obligation:
        """An obligation the analysis rests on."""
        e = self.require(obligation_id)
        assert isinstance(e, Obligation)
        return e

    def event(self, event_id: str) -> Event:
        """An event of the model (events are names of things that happen; a changed one still names them)."""
        e = self.by_id[event_id]
        assert isinstance(e, Event)
        return e

    def payment_measure(self) -> Measure:
        """The payment measure, Withheld if the text changed the words of the measure or of a component."""
        for e in (self.measure, *self.measure.components):
            self.require(e.id)
        return self.measure

    def reading(self, name: str) -> PaymentReading:
        """A named reading of the measure, Withheld if the text changed its words."""
        r = self.measure.reading(name)
        self.require(r.id)
        return r


@dataclass(frozen=True)
class Package:
    """One agreement of the family as data: its text, parameters, model, invariants and assumption sets."""

    name: str
    title: str
    text_resource: str  # file name under rra.spec
    sha256: str
    parameters: tuple[Parameter, ...]
    model: Model
    invariants: tuple[InvariantSpec, ...]
    assumption_sets: tuple[str, ...]  # names of the shipped sets (YAML files), the first is the default

    @cached_property
    def defaults(self) -> ParameterSet:
        """The package's own parameter values."""
        return ParameterSet({p.id: p.value for p in self.parameters}, declared=self.parameters)


@dataclass(frozen=True)
class Source:
    """Which text was analysed: the name as given, the sha256 of its bytes, its format, and whether it is the
    package's own text."""

    name: str
    sha256: str
    format: str
    bundled: bool


@dataclass(frozen=True)
class Agreement:
    """One text and its formal model: the value the engines receive."""

    package: Package
    source: Source
    document: Document
    params: ParameterSet
    model: Model
    binding: Binding | None = None  # None for the package's own text (its values are the package's)

    @property
    def measure(self) -> Measure:
        """The payment measure (read its parts through `model.payment_measure()` to respect a draft's changes)."""
        return self.model.measure

    @property
    def invariants(self) -> tuple[InvariantSpec, ...]:
        """The invariant catalogue."""
        return self.package.invariants

    @property
    def bundled(self) -> bool:
        """The package's own text."""
        return self.source.bundled

    def parameters(self) -> list[Parameter]:
        """The parameters as elements with this text's values, clause ids and words."""
        out = []
        for p in self.params.parameters():
            b = self.binding.parameters.get(p.id) if self.binding else None
            if b is not None and b.found and b.clause:
                p = replace(p, clause=b.clause, quote=b.quote)
            out.append(p)
        return out

    def with_params(self, params: ParameterSet) -> Agreement:
        """The same text with another parameter set."""
        return replace(self, params=params)

    def with_overrides(self, set_items: Iterable[str] = (), overrides_file: str | Path | None = None) -> Agreement:
        """`--overrides FILE` then `--set NAME=VALUE` on top of the text's values."""
        items = list(set_items)
        if not items and not overrides_file:
            return self
        return replace(self, params=apply_overrides(self.params, items, overrides_file))

    def with_values(self, values: Mapping[str, Any], origin: str = "--set") -> Agreement:
        """Parameters set by name (coerced and checked as `--set` values are)."""
        return replace(self, params=self.params.with_overrides(values, origin)) if values else self

    def with_model(self, **changes: Any) -> Agreement:
        """A redraft of the model itself (replaced deadlines, say), for experiments and tests."""
        return replace(self, model=replace(self.model, **changes))

    def with_deadline_terms(self, terms: Mapping[str, tuple[Offset, ...]]) -> Agreement:
        """A redraft of some deadlines' terms (every engine reads the same deadlines, so all see it)."""
        unknown = sorted(set(terms) - {d.id for d in self.model.deadlines})
        if unknown:
            raise KeyError(f"no such deadline: {unknown[0]}")
        return self.with_model(deadlines=tuple(replace(d, terms=terms[d.id]) if d.id in terms else d
                                               for d in self.model.deadlines))

    # ------------------------------------------------------------------------------------------- report

    def differences(self) -> dict[str, Any]:
        """What this text and its overrides change from the package's agreement: parameters (old, new, clause,
        both quotes, where the new value came from), elements whose words changed (with a word diff), words and
        figures that disagree (and which was used)."""
        base = {p.id: p for p in self.package.parameters}
        params = []
        for pid in sorted(self.params.values):
            p = base[pid]
            bound = self.binding.parameters.get(pid) if self.binding else None
            new = self.params.values[pid]
            origin = self.params.origin.get(pid) or ("draft" if bound is not None and bound.clause else "agreement")
            if pid in self.params.unbound:
                params.append({"id": pid, "clause": p.clause, "old": _j(p.value), "new": None, "origin": "unread",
                               "old_quote": p.quote, "new_quote": bound.quote if bound else "",
                               "why": bound.problem if bound else ""})
            elif new != p.value:
                params.append({"id": pid, "clause": bound.clause if bound and bound.clause else p.clause,
                               "old": _j(p.value), "new": _j(new), "origin": origin, "old_quote": p.quote,
                               "new_quote": bound.quote if bound else "",
                               "text_value": _j(bound.value) if bound and bound.clause else None})
        conflicts = []
        if self.binding:
            for b in self.binding.parameters.values():
                if b.found and b.disagree:
                    conflicts.append({"id": b.id, "clause": b.clause, "words": b.slot, "words_value": _j(b.words),
                                      "figure_value": _j(b.figure), "used": _j(b.value)})
        changed = []
        for eid, ch in sorted(self.model.changed.items()):
            e = self.package.model.by_id[eid]
            changed.append({"id": eid, "kind": e.kind, "clause": e.clause, "quote": e.quote,
                            "draft_words": ch.diff.new if ch.diff else "",
                            "redline": ch.diff.redline() if ch.diff else "", "reason": ch.reason})
        moved = []
        if self.binding:
            for be in self.binding.elements.values():
                e = self.package.model.by_id[be.id]
                if be.found and be.clause != e.clause:
                    moved.append({"id": be.id, "from": e.clause, "to": be.clause})
        return {"parameters": params, "conflicts": conflicts, "changed_elements": changed, "moved_elements": moved}

    def describe(self) -> dict[str, Any]:
        """The `agreement` block every command's JSON carries: which text, and what differs."""
        return {"source": self.source.name, "sha256": self.source.sha256, "format": self.source.format,
                "bundled": self.source.bundled, "package": self.package.name, **self.differences()}


def _j(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


# ---------------------------------------------------------------------------------------------- loading


def _bundled_document(package: Package) -> Document:
    from importlib import resources

    text = resources.files("rra.spec").joinpath(package.text_resource).read_bytes().decode("utf-8")
    return parse(text, source=package.text_resource)


_BUNDLED: dict[str, Agreement] = {}


def _bundled(package: Package) -> Agreement:
    """The package's own agreement (parsed once per process)."""
    if package.name not in _BUNDLED:
        doc = _bundled_document(package)
        _BUNDLED[package.name] = Agreement(package, Source("bundled", package.sha256, "text", True), doc,
                                           package.defaults, package.model)
    return _BUNDLED[package.name]


def bound_model(package: Package, binding: Binding) -> Model:
    """The package's model with each element's clause id and words as the draft has them. An element is changed
    when its words are not in the draft, or when it reads a parameter whose value the draft's words do not give."""
    m = package.model
    changed = {e.id: replace(e, reason="its words changed in the draft") for e in binding.changed_elements()}
    unread = {p.id for p in binding.unbound()}
    for e in m.elements():
        lost = sorted(set(e.params()) & unread)
        if lost and e.id not in changed:
            b = binding.elements.get(e.id)
            changed[e.id] = BoundElement(e.id, False, b.clause if b else e.clause, b.quote if b else "", None,
                                         f"it reads {', '.join(lost)}, whose value the draft's words do not give")

    def rebind(e: Any) -> Any:
        b = binding.elements.get(e.id)
        if b is None or not b.found or ((b.clause or e.clause) == e.clause and b.quote == e.quote):
            return e
        return replace(e, clause=b.clause or e.clause, quote=b.quote)

    def many(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(rebind(e) for e in items)

    readings = many(m.readings)
    measure = rebind(m.measure)
    measure = replace(measure, components=many(m.measure.components), readings=readings)
    return Model(many(m.parties), many(m.events), many(m.deadlines), many(m.obligations), many(m.conditions),
                 many(m.carve_outs), many(m.remedies), many(m.consent_rules), many(m.cross_references), readings,
                 many(m.consent_readings), measure, m.not_formalized, changed)


def bind_document(package: Package, doc: Document, source: Source, earlier: Earlier | None = None) -> Agreement:
    """The package bound to a parsed draft (`earlier`: the package bound to a text this one edits, see `bind`)."""
    binding = bind(package.parameters, package.model.elements(), doc, earlier)
    values = dict(package.defaults.values)
    unbound: set[str] = set()
    origin: dict[str, str] = {}
    decl = {p.id: p for p in package.parameters}
    for pid, b in list(binding.parameters.items()):
        if isinstance(b.value, SharePrincipal):  # a share of another parameter's amount, as this text states it
            of = binding.parameters.get(b.value.of)
            if of is not None and not of.found:
                binding.parameters[pid] = replace(b, found=False, value=None,
                                                  problem=f"{b.slot!r} is a share of "
                                                          f"{decl[b.value.of].description.rstrip('.').lower()}, which "
                                                          "the draft's words do not give")
                continue
            base = of.value if of is not None and of.clause is not None else values[b.value.of]
            amount = b.value.share * Fraction(str(base))
            binding.parameters[pid] = replace(b, value=int(amount) if amount.denominator == 1 else float(amount))
    for pid, b in binding.parameters.items():
        if b.found and b.clause is not None and not within_bounds(decl[pid], b.value):
            binding.parameters[pid] = b = replace(b, found=False,
                                                  problem=f"{short(b.slot)} is outside the range the tool supports")
        if not b.found:
            unbound.add(pid)
        elif b.clause is not None:
            values[pid] = _typed(package, pid, b)
            origin[pid] = "draft"
    params = ParameterSet(values, declared=package.parameters, origin=origin, unbound=frozenset(unbound))
    return Agreement(package, source, doc, params, bound_model(package, binding), binding)


def _typed(package: Package, pid: str, b: BoundParameter) -> Any:
    """A bound value in the declared parameter's own type (a ratio stays a float, a count an int)."""
    decl = next(p for p in package.parameters if p.id == pid)
    if isinstance(decl.value, float) and isinstance(b.value, int):
        return float(b.value)
    return b.value


def load_agreement(path: str | None = None, package: Package | None = None) -> Agreement:
    """The agreement of a text: the package's own (path None), or a draft's, read, parsed strictly and bound."""
    from rra.spec.package import AMNIS

    pkg = package or AMNIS
    if path is None:
        return _bundled(pkg)
    src = read_agreement(path, field="--agreement")
    if src.sha256 == pkg.sha256:
        base = _bundled(pkg)
        return replace(base, source=Source(src.name, src.sha256, src.format, True))
    doc = readable(parse_source(src, strict=False))
    return bind_document(pkg, doc, Source(src.name, src.sha256, src.format, False))


# Problems that mean the parser could not read the text's structure (the draft is refused); numbering gaps and
# repeats are the draft's own defects, which the drafting review reports.
UNREADABLE = ("unrecognized-marker", "numbering-style", "stray-page-number")


def readable(doc: Document) -> Document:
    """The document, or ParseError at the first problem that leaves its structure unread."""
    for p in doc.problems:
        if p.kind in UNREADABLE:
            raise ParseError(p.line, p.message, doc.source)
    return doc


def agreement_of_text(text: str, name: str = "draft", package: Package | None = None) -> Agreement:
    """The agreement of a text given as a string (tests, redline checks)."""
    from rra.spec.package import AMNIS

    pkg = package or AMNIS
    digest = sha256(text.encode("utf-8"))
    if digest == pkg.sha256:
        return _bundled(pkg)
    doc = readable(parse(text, strict=False, source=name))
    return bind_document(pkg, doc, Source(name, digest, "text", False))
