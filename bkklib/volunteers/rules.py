"""Pure decisions of the volunteers app: criteria checks, notice periods, shift overlaps, hours, scores.

No ORM and no clock: dataclasses and dates in, values out (docs/architecture.md, Layers of an app).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from bkklib.network.rules import workdays

# --- Criteria ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriteriaData:
    min_age: int
    consent_below_age: int = 18
    max_age: int | None = None
    district_ids: frozenset[int] = frozenset()
    min_hours_per_week: int = 0
    skills: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Applicant:
    birth_date: date | None
    district_id: int | None
    hours_per_week: int
    skills: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    guardian_consent: bool = False


@dataclass(frozen=True)
class Unmet:
    """One criterion the applicant does not meet: a stable reason code and its parameters."""

    reason: str
    params: dict = field(default_factory=dict)


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on ``day`` (a birthday on 29 Feb counts on 1 Mar in other years)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def unmet_criteria(applicant: Applicant, criteria: CriteriaData, *, today: date) -> list[Unmet]:
    """Return every criterion ``applicant`` does not meet on ``today`` (empty: eligible), in form order."""
    unmet: list[Unmet] = []
    if applicant.birth_date is None:
        unmet.append(Unmet("no_birth_date"))
    else:
        age = age_on(applicant.birth_date, today)
        if age < criteria.min_age:
            unmet.append(Unmet("too_young", {"age": age, "min_age": criteria.min_age}))
        elif criteria.max_age is not None and age > criteria.max_age:
            unmet.append(Unmet("too_old", {"age": age, "max_age": criteria.max_age}))
        elif age < criteria.consent_below_age and not applicant.guardian_consent:
            unmet.append(Unmet("needs_consent", {"age": age, "consent_age": criteria.consent_below_age}))
    if criteria.district_ids and applicant.district_id not in criteria.district_ids:
        unmet.append(Unmet("district"))
    if applicant.hours_per_week < criteria.min_hours_per_week:
        unmet.append(Unmet("hours", {"hours": applicant.hours_per_week, "min_hours": criteria.min_hours_per_week}))
    if criteria.skills:
        have = {_norm(s) for s in applicant.skills}
        if not have & {_norm(s) for s in criteria.skills}:
            unmet.append(Unmet("skills", {"skills": ", ".join(criteria.skills)}))
    missing = [d for d in criteria.documents if _norm(d) not in {_norm(x) for x in applicant.documents}]
    if missing:
        unmet.append(Unmet("documents", {"documents": ", ".join(missing)}))
    return unmet


# --- Agreements and resignation ---------------------------------------------------------------------

AGREEMENT_MOVES = {
    "offered": {"active", "ended"},
    "active": {"resigning", "ended"},
    "resigning": {"ended"},
    "ended": set(),
}


def may_move(status: str, to: str) -> bool:
    """Return whether an agreement in ``status`` may move to ``to``."""
    return to in AGREEMENT_MOVES.get(status, set())


def resignation_effective(calendar: workdays.WorkCalendar, *, filed_at: datetime, notice_days: int) -> datetime:
    """Return when a resignation filed at ``filed_at`` takes effect: the close of office on the
    ``notice_days``-th working day after the day of filing (filed after hours or on a day off: counted
    from the next working day; weekends and public holidays do not count)."""
    return workdays.due_at(calendar, unit=workdays.BUSINESS_DAYS, amount=notice_days, start=filed_at)


def handover_complete(items: Iterable[str], done: Iterable[str]) -> bool:
    return set(items) <= set(done)


# --- Shifts and hours -------------------------------------------------------------------------------

Span = tuple[datetime, datetime]


def overlapping(span: Span, others: Iterable[Span]) -> Span | None:
    """Return the first of ``others`` that overlaps ``span`` (touching ends do not overlap), or None."""
    start, end = span
    for other in others:
        if other[0] < end and start < other[1]:
            return other
    return None


def hours_refusal(*, checked_in_at: datetime | None, checked_out_at: datetime | None, now: datetime) -> str | None:
    """Return why these check-in/out times cannot be recorded, or None.

    ``future``: a time after now; ``order``: check-out not after check-in; ``too_long``: over 16 hours.
    """
    for moment in (checked_in_at, checked_out_at):
        if moment is not None and moment > now:
            return "future"
    if checked_in_at is not None and checked_out_at is not None:
        if checked_out_at <= checked_in_at:
            return "order"
        if (checked_out_at - checked_in_at).total_seconds() > 16 * 3600:
            return "too_long"
    return None


def worked_minutes(checked_in_at: datetime, checked_out_at: datetime) -> int:
    """Return the whole minutes between check-in and check-out (never negative)."""
    return max(0, int((checked_out_at - checked_in_at).total_seconds() // 60))


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fiscal_year_of(day: date) -> int:
    """Return the Thai fiscal year (BE) of ``day``: 1 Oct – 30 Sep, named by the BE year it ends."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


def totals_by_fiscal_year(rows: Iterable[tuple[date, int]]) -> dict[int, Decimal]:
    """Sum (day, minutes) rows into hours per fiscal year (BE), in year order."""
    minutes: dict[int, int] = {}
    for day, mins in rows:
        year = fiscal_year_of(day)
        minutes[year] = minutes.get(year, 0) + mins
    return {year: hours_of(minutes[year]) for year in sorted(minutes)}


# --- Evaluation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: int
    weight: int
    max_score: int


def score_refusal(criteria: Iterable[Criterion], scores: dict[int, int]) -> tuple[str, int] | None:
    """Return (reason, criterion key) when a score is missing or out of range, else None."""
    for c in criteria:
        if c.key not in scores:
            return "missing", c.key
        if not 0 <= scores[c.key] <= c.max_score:
            return "range", c.key
    return None


def weighted_total(criteria: Iterable[Criterion], scores: dict[int, int]) -> Decimal:
    """Return the weighted score out of 100: Σ weight·score/max ÷ Σ weight × 100, to two decimals."""
    criteria = list(criteria)
    weights = sum(c.weight for c in criteria)
    if not weights:
        return Decimal("0.00")
    part = sum(Decimal(c.weight) * Decimal(scores[c.key]) / Decimal(c.max_score) for c in criteria)
    return (part / weights * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def recommendation(total: Decimal, pass_mark: int) -> str:
    """Return ``renew`` when the total reaches the form's renewal score, else ``not_renew``."""
    return "renew" if total >= pass_mark else "not_renew"
