"""Pure decisions of facilities: audit scores, audit comparison, work states, tree roll-ups.

No ORM, no clock: plain values in, plain values out (docs/architecture.md, Layers of an app).

Scoring (docs/user/facilities.md): an item answered "compliant" counts 1, "not compliant" 0, "not
applicable" is left out, as is an item not answered yet. A category's score is the compliant share of
its applicable answers, in per cent, rounded to one decimal; the building's score is the same share
over all applicable answers of the audit (so a category with many items weighs more). A category with
no applicable answer has no score (None), not 0 or 100.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

COMPLIANT, NOT_COMPLIANT, NOT_APPLICABLE = "yes", "no", "na"

# The Bangkok governor's policy: one million trees planted in the city (the network's trees count toward it).
CITY_TREE_TARGET = 1_000_000


@dataclass(frozen=True)
class Tally:
    compliant: int = 0
    not_compliant: int = 0
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        return self.compliant + self.not_compliant

    @property
    def score(self) -> Decimal | None:
        if not self.applicable:
            return None
        share = Decimal(self.compliant * 100) / Decimal(self.applicable)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, result: str) -> Tally:
        return Tally(self.compliant + (result == COMPLIANT), self.not_compliant + (result == NOT_COMPLIANT),
                     self.not_applicable + (result == NOT_APPLICABLE))


@dataclass(frozen=True)
class Score:
    overall: Tally
    categories: dict[str, Tally] = field(default_factory=dict)


def score(answers: Iterable[tuple[str, str]], categories: Iterable[str] = ()) -> Score:
    """Score ``(category, result)`` pairs; ``categories`` lists those to show even when unanswered."""
    per: dict[str, Tally] = {c: Tally() for c in categories}
    overall = Tally()
    for category, result in answers:
        if result not in (COMPLIANT, NOT_COMPLIANT, NOT_APPLICABLE):
            raise ValueError(f"unknown result {result!r}")
        per[category] = per.get(category, Tally()).add(result)
        overall = overall.add(result)
    return Score(overall, per)


@dataclass(frozen=True)
class Change:
    code: str
    before: str | None  # None: not answered (or not in the older checklist)
    after: str | None


@dataclass(frozen=True)
class Comparison:
    fixed: list[Change]  # was not compliant, now compliant
    new_gaps: list[Change]  # was compliant or not applicable or unanswered, now not compliant
    still_gaps: list[Change]
    other: list[Change]  # any other change (e.g. now not applicable, newly answered compliant)
    unchanged: list[str]


def compare(before: Mapping[str, str], after: Mapping[str, str], order: Iterable[str] = ()) -> Comparison:
    """Compare an older audit's answers with a newer one's (item code → result), in ``order``."""
    codes = list(dict.fromkeys([*order, *before, *after]))
    fixed, new_gaps, still, other, unchanged = [], [], [], [], []
    for code in codes:
        old, new = before.get(code), after.get(code)
        if old is None and new is None:
            continue
        change = Change(code, old, new)
        if old == NOT_COMPLIANT and new == NOT_COMPLIANT:
            still.append(change)
        elif old == new:
            unchanged.append(code)
        elif old == NOT_COMPLIANT and new == COMPLIANT:
            fixed.append(change)
        elif new == NOT_COMPLIANT:
            new_gaps.append(change)
        else:
            other.append(change)
    return Comparison(fixed, new_gaps, still, other, unchanged)


# --- Work states ---------------------------------------------------------------------------------

WORK_FLOW = ("proposed", "approved", "budgeted", "procured", "in_progress", "completed", "inspected")
CANCELLABLE = ("proposed", "approved", "budgeted", "procured")
# What each step needs (besides being the next one): the service fills these from its arguments.
NEEDS = {
    "budgeted": ("fiscal_year", "budget"),
    "procured": ("contractor",),
    "in_progress": ("starts_on",),
    "completed": ("completed_on",),
    "inspected": ("inspected_on",),
}


def next_states(status: str) -> list[str]:
    """The states a work in ``status`` may move to: the next step, and cancelled while not yet started."""
    moves = []
    if status in WORK_FLOW and status != WORK_FLOW[-1]:
        moves.append(WORK_FLOW[WORK_FLOW.index(status) + 1])
    if status in CANCELLABLE:
        moves.append("cancelled")
    return moves


def transition_refusal(status: str, to: str, values: Mapping[str, object], *, starts_on: date | None = None,
                       completed_on: date | None = None, today: date | None = None) -> str | None:
    """Why a work in ``status`` may not move to ``to`` with ``values`` (None: it may).

    Reasons: ``not_next`` (not the next step), ``missing`` (a value the step needs is empty),
    ``before_start`` (completed before it started), ``before_completion`` (inspected before completion),
    ``future`` (a completion or inspection date after today).
    """
    if to not in next_states(status):
        return "not_next"
    for name in NEEDS.get(to, ()):
        if values.get(name) in (None, ""):
            return "missing"
    if to == "completed":
        done = values["completed_on"]
        if starts_on and done < starts_on:
            return "before_start"
        if today and done > today:
            return "future"
    if to == "inspected":
        seen = values["inspected_on"]
        if completed_on and seen < completed_on:
            return "before_completion"
        if today and seen > today:
            return "future"
    return None


# --- Trees ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlantingFacts:
    planned: int
    planted: int
    alive_at_last_check: int | None  # None: never checked since planting


def surviving(p: PlantingFacts) -> int:
    """Trees alive: the last survival check's count, or all planted when none was checked yet."""
    return p.planted if p.alive_at_last_check is None else min(p.alive_at_last_check, p.planted)


@dataclass(frozen=True)
class TreeTotals:
    sites: int = 0
    area_m2: Decimal = Decimal(0)
    wall_m2: Decimal = Decimal(0)
    planned: int = 0
    planted: int = 0
    surviving: int = 0

    def __add__(self, other: TreeTotals) -> TreeTotals:
        return TreeTotals(self.sites + other.sites, self.area_m2 + other.area_m2, self.wall_m2 + other.wall_m2,
                          self.planned + other.planned, self.planted + other.planted,
                          self.surviving + other.surviving)

    @property
    def survival_pct(self) -> Decimal | None:
        if not self.planted:
            return None
        return (Decimal(self.surviving * 100) / self.planted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def site_totals(*, area_m2: Decimal, is_wall: bool, plantings: Iterable[PlantingFacts]) -> TreeTotals:
    rows = list(plantings)
    return TreeTotals(1, Decimal(area_m2), Decimal(area_m2) if is_wall else Decimal(0),
                      sum(p.planned for p in rows), sum(p.planted for p in rows), sum(surviving(p) for p in rows))


def roll_up(sites: Iterable[tuple[str, TreeTotals]]) -> tuple[dict[str, TreeTotals], TreeTotals]:
    """Sum site totals per district code and for the network: ``(per_district, network)``."""
    per: dict[str, TreeTotals] = {}
    network = TreeTotals()
    for district, totals in sites:
        per[district] = per.get(district, TreeTotals()) + totals
        network = network + totals
    return per, network


def target_share(trees: int, target: int = CITY_TREE_TARGET) -> Decimal:
    """The network's trees as a share of the city's target, in per cent (two decimals)."""
    return (Decimal(trees * 100) / target).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
