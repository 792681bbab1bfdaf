"""Assumption sets for the worst-case Section 2(c) exposure: what the SEC, the market and the Company may do.

An assumption set is a YAML file (solver/assumptions/*.yaml). Every field bounds one choice of the adversary
(or of the Company) and says why in FIELDS below; `rra exposure` prints them with the result. Loading checks
each field (BadInput naming it) and then checks the set is possible at all: an impossible set (say a Prior
Financing Effective Date that must come after the last date the Company may file) is reported with the
clashing assumptions named, from a Z3 unsat core, never as an optimum of zero.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from rra.solver.calendars import DAY_ZERO, DEFAULT_CALENDAR, FIRST_YEAR, LAST_YEAR, day, from_day
from rra.spec.agreement import Agreement

from rra.datafile import read_data
from rra.errors import BadInput
from rra.limits import MAX_AMOUNT, whole_number

if TYPE_CHECKING:
    from rra.solver.exposure import Rules

ASSUMPTIONS_DIR = Path(__file__).resolve().parent / "assumptions"
DEFAULT_FILE = ASSUMPTIONS_DIR / "default.yaml"
AD_MODES = ("none",)


class ImpossibleAssumptions(BadInput):
    """The assumptions cannot all hold together; `clashing` names the ones that clash."""

    def __init__(self, clashing: list[str], problem: str = "these assumptions cannot all hold together") -> None:
        self.clashing = sorted(clashing)
        super().__init__("assumptions", ", ".join(self.clashing), problem)


@dataclass(frozen=True)
class PeriodBound:
    """How many adversarial periods of one kind there may be, and how long each may last (calendar days)."""

    max_count: int = 0
    max_days: int = 0


@dataclass(frozen=True)
class Assumptions:
    """One assumption set. Dates are real dates; the optimizer works in day numbers (day 0 = agreement date)."""

    name: str = "default"
    description: str = ""
    as_of: date = date(2005, 5, 9)
    principal: int = 1_000_000
    grid_days: int = 1
    pfed_earliest: date = date(2003, 6, 1)
    pfed_latest: date = date(2003, 12, 31)
    pfed_may_never: bool = True
    filing_earliest: date = date(2003, 6, 1)
    filing_max_days_late: int = 0
    filing_may_never: bool = False
    review_min_days: int = 30
    review_max_days: int = 180
    sec_may_never_declare: bool = False
    stop_orders: PeriodBound = PeriodBound(1, 30)
    sales_blocked: PeriodBound = PeriodBound(2, 30)
    not_listed: PeriodBound = PeriodBound(1, 60)
    min_gap_days: int = 1
    allowed_delays: str = "none"
    source: str = field(default="", compare=False)

    def replace(self, **changes: Any) -> Assumptions:
        """A copy with some fields changed (no checks; use `with_values` for user input)."""
        return replace(self, **changes)

    @property
    def periods(self) -> int:
        """Number of adversarial periods the set allows in all."""
        return self.stop_orders.max_count + self.sales_blocked.max_count + self.not_listed.max_count

    def to_json(self) -> dict[str, Any]:
        """The set in the YAML shape (nested), with dates as ISO strings."""
        flat = {k: v for k, v in asdict(self).items() if k != "source"}
        out: dict[str, Any] = {}
        for key, (path, _kind, _doc) in FIELDS.items():
            value = flat[key]
            node = out
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value.isoformat() if isinstance(value, date) else value
        return out

    def with_values(self, items: dict[str, Any]) -> Assumptions:
        """A checked copy with fields set by their dotted YAML names (`pfed.latest`, `stop_orders.max_days`)."""
        data = self.to_json()
        for name, raw in items.items():
            if name not in SETTABLE:
                raise BadInput(name, raw, "unknown assumption" + _suggest(name, SETTABLE))
            path = SETTABLE[name][0]
            node = data
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = raw
        return from_mapping(data, self.source or "assumptions")


# attribute -> (YAML path, kind, what it bounds and why)
# Said with every worst case (rra exposure, the report): the optimizer works in day numbers, and no assumption keeps an
# act to business days, so a worst case may have the SEC declare effectiveness on a Saturday
ANY_DAY = ("Every date may fall on any calendar day, weekends and holidays included: no assumption keeps the "
           "filing, the SEC's declarations or the other events to business days.")
# what the worst cases take from the words of 2(c) and 3(f), said beside them (the lawyer's read of stop 33)
SUMMED = ("The parts of 2(c) are added, as its words say (\"times the sum of\"): a day on which sales are blocked "
          "and the stock is not listed counts under (ii) and under (iii).")
DELAY_DAYS = ("An Allowed Delay excludes every calendar day it spans, weekends included, and the Company is taken to "
              "have, whenever it declares one, information it may keep back under 3(f).")

FIELDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "name": (("name",), "str", "A label for the set."),
    "description": (("description",), "str", "What the set is for."),
    "as_of": (("as_of",), "date",
              "Horizon: payments are counted up to this date inclusive (the question is 'how much by this date')."),
    "principal": (("principal",), "int",
                  "Outstanding Principal Amount in USD. The Debentures are 'up to' $1,000,000.00, so that is the worst case."),
    "grid_days": (("grid_days",), "int",
                  "Granularity of the adversary's choices in days (1 = day by day). Coarser grids are for brute-force "
                  "cross-checks: the Prior Financing Effective Date, filing, review time and period lengths move in steps of this many days, and "
                  "periods start a whole number of steps after effectiveness."),
    "pfed_earliest": (("pfed", "earliest"), "date",
                      "Earliest Prior Financing Effective Date. That date is outside the agreement (an earlier SB-2), "
                      "so it is a range, not a date."),
    "pfed_latest": (("pfed", "latest"), "date", "Latest Prior Financing Effective Date considered."),
    "pfed_may_never": (("pfed", "may_never"), "bool",
                       "Whether the prior SB-2 may never go effective (then the fixed outside dates govern)."),
    "filing_earliest": (("filing", "earliest"), "date",
                        "Earliest date the Company can file the Registration Statement (time to prepare it)."),
    "filing_max_days_late": (("filing", "max_days_late"), "int",
                             "How many days after the Filing Date the Company may file (0 = it meets 2(a))."),
    "filing_may_never": (("filing", "may_never"), "bool", "Whether the Company may never file by the horizon."),
    "review_min_days": (("sec", "review_min_days"), "int",
                        "Fewest calendar days from filing to effectiveness (SEC review is outside the Company's control)."),
    "review_max_days": (("sec", "review_max_days"), "int", "Most calendar days from filing to effectiveness."),
    "sec_may_never_declare": (("sec", "may_never_declare"), "bool",
                              "Whether the SEC may not declare the statement effective by the horizon at all."),
    "stop_orders": (("stop_orders",), "periods",
                    "Stop orders (3(g)) after effectiveness: at most max_count orders, each lasting at most max_days. "
                    "Sales cannot be made while one is in force, so they count under 2(c)(ii)."),
    "sales_blocked": (("sales_blocked",), "periods",
                      "Other periods when sales of all Registrable Securities cannot be made (stale prospectus, 3(f)): "
                      "at most max_count, each at most max_days. They count under 2(c)(ii)."),
    "not_listed": (("not_listed",), "periods",
                   "Periods the stock is not listed or quoted, or trading is halted (2(c)(iii)): at most max_count, each "
                   "at most max_days."),
    "min_gap_days": (("min_gap_days",), "int",
                     "Days between two periods of the same kind (at least 1): back-to-back periods of one kind are one "
                     "longer period, which max_days already bounds. Periods of different kinds (a stop order and blocked "
                     "sales) may touch or overlap; 2(c)(ii) counts their union."),
    "allowed_delays": (("company", "allowed_delays"), "choice",
                       "How the Company answers blocked sales with Allowed Delays (3(f)) in the first figure. 'none': it "
                       "declares none, so no blocked day is excused; this bounds from above every use the Company "
                       "could make of them. The second figure lets the Company answer every timeline with its best "
                       "Allowed Delays, and takes the worst timeline chosen knowing that answer."),
}
BY_PATH = {".".join(path): attr for attr, (path, _k, _d) in FIELDS.items()}
# every name `--set` and `--sweep` accept: the fields, and each period kind's max_count and max_days
SETTABLE: dict[str, tuple[tuple[str, ...], str]] = {
    **{".".join(path): (path, kind) for path, kind, _d in FIELDS.values()},
    **{f"{path[0]}.{sub}": ((path[0], sub), "int") for path, kind, _d in FIELDS.values() if kind == "periods"
       for sub in ("max_count", "max_days")},
}
_SECTIONS = {path[0] for path, _k, _d in FIELDS.values() if len(path) > 1}


def _suggest(name: str, names: Any) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# Bounds on the whole-number assumptions (the README lists them): days within the calendars' range, a period at
# most a year long (longer periods make the Allowed Delay answer's model grow past memory), at most 10 periods.
MAX_DAYS = 14_000
MAX_PERIOD_DAYS = 365
MAX_PERIODS = 10


def int_bounds(name: str) -> tuple[int, int]:
    """The smallest and largest value of a whole-number assumption (by dotted name)."""
    if name == "principal":
        return 0, MAX_AMOUNT
    if name.endswith(".max_count"):
        return 0, MAX_PERIODS
    if name.endswith(".max_days"):
        return 0, MAX_PERIOD_DAYS
    return 0, MAX_DAYS


def _coerce(name: str, kind: str, raw: Any) -> Any:
    if kind == "str":
        if not isinstance(raw, str):
            raise BadInput(name, raw, "expected text")
        return raw
    if kind == "date":
        try:
            value = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
        except ValueError:
            raise BadInput(name, raw, "expected a date as YYYY-MM-DD") from None
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise BadInput(name, raw, f"outside the calendars' range {FIRST_YEAR}-{LAST_YEAR}")
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in {"true", "yes", "1"}:
            return True
        if str(raw).strip().lower() in {"false", "no", "0"}:
            return False
        raise BadInput(name, raw, "expected true or false")
    if kind == "int":
        lo, hi = int_bounds(name)
        return whole_number(raw, name, lo, hi)
    if kind == "choice":
        if str(raw) not in AD_MODES:
            raise BadInput(name, raw, f"expected one of {', '.join(AD_MODES)}")
        return str(raw)
    if kind == "periods":
        if not isinstance(raw, dict):
            raise BadInput(name, raw, "expected a mapping with max_count and max_days")
        extra = sorted(set(raw) - {"max_count", "max_days"})
        if extra:
            raise BadInput(f"{name}.{extra[0]}", raw[extra[0]], "unknown field" + _suggest(extra[0], ["max_count", "max_days"]))
        return PeriodBound(_coerce(f"{name}.max_count", "int", raw.get("max_count", 0)),
                           _coerce(f"{name}.max_days", "int", raw.get("max_days", 0)))
    raise AssertionError(kind)  # pragma: no cover


def from_mapping(data: Any, source: str = "assumptions") -> Assumptions:
    """Build and check an assumption set from a parsed YAML mapping (missing fields take the defaults)."""
    if not isinstance(data, dict):
        raise BadInput(source, data, "expected a mapping of assumptions")
    flat: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise BadInput(key, value, "expected a mapping")
            for sub, v in value.items():
                dotted = f"{key}.{sub}"
                if dotted not in BY_PATH:
                    raise BadInput(dotted, v, "unknown assumption" + _suggest(dotted, BY_PATH))
                flat[dotted] = v
        elif key in BY_PATH:
            flat[key] = value
        else:
            raise BadInput(key, value, "unknown assumption" + _suggest(key, [*BY_PATH, *_SECTIONS]))
    values: dict[str, Any] = {}
    for dotted, raw in flat.items():
        attr = BY_PATH[dotted]
        values[attr] = _coerce(dotted, FIELDS[attr][1], raw)
    a = replace(Assumptions(), **values, source=source)
    _check_single_fields(a)
    return a


SUPPORTED_LAST = date(LAST_YEAR, 12, 31)  # the calendars' last day: trading days and holidays end there
MAX_PERIODS = 10


def _check_single_fields(a: Assumptions) -> None:
    if a.as_of < DAY_ZERO:
        raise BadInput("as_of", a.as_of.isoformat(), f"before the calendars' first day {DAY_ZERO.isoformat()}")
    if a.as_of > SUPPORTED_LAST:
        raise BadInput("as_of", a.as_of.isoformat(), f"after the calendars' last day {SUPPORTED_LAST.isoformat()}")
    if a.grid_days < 1:
        raise BadInput("grid_days", a.grid_days, "must be at least 1")
    if a.min_gap_days < 1:
        raise BadInput("min_gap_days", a.min_gap_days, "must be at least 1 (back-to-back periods are one period)")
    if a.principal <= 0:
        raise BadInput("principal", a.principal, "must be positive")
    for name in ("stop_orders", "sales_blocked", "not_listed"):
        b: PeriodBound = getattr(a, name)
        if b.max_count and not b.max_days:
            raise BadInput(f"{name}.max_days", 0, "periods are allowed (max_count > 0) but may last 0 days")
    if a.periods > MAX_PERIODS:
        parts = " + ".join(f"{k}.max_count {getattr(a, k).max_count}" for k in ("stop_orders", "sales_blocked", "not_listed"))
        raise BadInput("stop_orders.max_count + sales_blocked.max_count + not_listed.max_count", a.periods,
                       f"{parts} = {a.periods} periods in all; at most {MAX_PERIODS} are supported")


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, so a bad one is reported under its own field."""


_Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load(path: str | Path | None = None) -> Assumptions:
    """Read and check an assumption file (the shipped default when no path is given)."""
    p = Path(path) if path else DEFAULT_FILE
    label = "--assumptions"
    data = read_data(p, label, _Loader)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadInput(label, str(p), "expected a mapping of assumptions")
    return from_mapping(data, str(p))


def check_possible(a: Assumptions, agreement: Agreement) -> None:
    """Raise ImpossibleAssumptions (with the clashing assumptions named) if no timeline satisfies the set.

    Each assumption (and each parameter of the agreement it meets) is one tracked Z3 constraint; an unsat
    core names the ones that cannot hold together. The Filing Date is the agreement's own (the measure's filing
    deadline): each of its terms is tracked under the parameter it reads, with its dates from
    rra.solver.deadlines for every PFED the set allows.
    """
    from rra.solver.exposure import rules_of

    rules = rules_of(agreement)  # a set found possible is not asked again (the optimizers check it at each start)
    rules.remembered(("possible", a), lambda: _check_possible(a, agreement, rules))


def _check_possible(a: Assumptions, agreement: Agreement, rules: Rules) -> bool:
    import z3
    from rra.solver.deadlines import term_date
    from rra.solver.z3util import make_solver

    params = agreement.params
    if a.as_of < params["agreement.date"]:
        raise BadInput("as_of", a.as_of.isoformat(), f"before the agreement date {params['agreement.date'].isoformat()}")
    max_p = params[rules.measure.principal]
    if a.principal > max_p:  # the measure applies to no more than the Debentures' principal
        raise ImpossibleAssumptions(["principal", f"parameter {rules.measure.principal}"],
                                    f"the principal {a.principal:,} is more than the largest principal the measure "
                                    f"applies to ({max_p:,})")
    s = make_solver(cores=True, timeout_ms=5_000)
    p, has_p, f, has_f, r = z3.Int("pfed"), z3.Bool("has_pfed"), z3.Int("filed"), z3.Bool("filed_by_horizon"), z3.Int("review")
    h = day(a.as_of)
    known_p = z3.And(has_p, p <= h)  # a PFED after as_of has not happened yet
    dl = agreement.model.deadline(rules.measure.filing_deadline)
    pfeds = range(day(a.pfed_earliest), min(day(a.pfed_latest), h) + 1)
    tracked: dict[str, Any] = {}
    terms: list[tuple[Any, Any]] = []  # (applies, day) per term
    for i, t in enumerate(dl.terms):
        ok, v = z3.Bool(f"term_{i}_applies"), z3.Int(f"term_{i}")
        name = f"parameter {t.fixed or t.offset}"
        if t.anchor is not None and t.anchor == rules.pfed_event:
            # its day for every PFED, as runs of PFEDs with the same offset (one run for calendar days)
            rows = [ok == known_p]
            runs: list[list[int]] = []  # [first PFED, last PFED, offset]
            for x in pfeds:
                d = term_date(agreement, t, {t.anchor: from_day(x)}, DEFAULT_CALENDAR)
                assert d is not None  # a term has its date once its anchor happened
                off = day(d) - x
                if runs and runs[-1][2] == off and runs[-1][1] == x - 1:
                    runs[-1][1] = x
                else:
                    runs.append([x, x, off])
            rows += [z3.Implies(z3.And(known_p, p >= x0, p <= x1), v == p + off) for x0, x1, off in runs]
            c = z3.And(rows)
        else:  # a fixed date, or an anchor no timeline of the set has (the term never applies)
            d = term_date(agreement, t, {}, DEFAULT_CALENDAR)
            c = z3.And(ok, v == day(d)) if d is not None else z3.Not(ok)
        tracked[name] = z3.And(tracked[name], c) if name in tracked else c
        terms.append((ok, v))
    fd = z3.Int("filing_date")
    if dl.combine in ("first", "single"):
        pick: Any = z3.BoolVal(False)
        for ok, v in reversed(terms):
            pick = z3.If(ok, fd == v, pick)
        defn = pick
    else:
        better = (lambda x, y: x <= y) if dl.combine == "earliest" else (lambda x, y: x >= y)
        defn = z3.And(z3.Or([z3.And(ok, fd == v) for ok, v in terms]),
                      *[z3.Implies(ok, better(fd, v)) for ok, v in terms])
    s.add(defn)  # the Filing Date is the combination of its terms (a definition, not an assumption)
    tracked |= {
        "pfed.earliest": z3.Implies(has_p, p >= day(a.pfed_earliest)),
        "pfed.latest": z3.Implies(has_p, p <= day(a.pfed_latest)),
        "pfed.may_never": z3.Or(has_p, z3.BoolVal(a.pfed_may_never)),
        "filing.earliest": z3.Implies(has_f, f >= day(a.filing_earliest)),
        "filing.max_days_late": z3.Implies(has_f, f <= fd + a.filing_max_days_late),
        "filing.may_never": z3.Or(has_f, z3.BoolVal(a.filing_may_never)),
        "sec.review_min_days": r >= a.review_min_days,
        "sec.review_max_days": r <= a.review_max_days,
    }
    for name, c in tracked.items():
        s.assert_and_track(c, name)
    res = s.check()
    if res == z3.unsat:
        core = sorted(str(c) for c in s.unsat_core())
        raise ImpossibleAssumptions(core)
    if res == z3.unknown:
        raise ImpossibleAssumptions(["(unknown)"], f"could not check the assumptions: {s.reason_unknown()}")
    return True
