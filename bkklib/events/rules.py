"""Pure decisions of the events app: age groups, registration refusals, weekly series, report sums.

No ORM, no clock, no HTTP: dates and small dataclasses in, values out (property-tested).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Age groups the division reports participants by (the project targets use the same keys).
CHILD, YOUTH, ADULT, SENIOR = "child", "youth", "adult", "senior"
AGE_GROUPS = (CHILD, YOUTH, ADULT, SENIOR)
AGE_BOUNDS = {CHILD: (0, 12), YOUTH: (13, 24), ADULT: (25, 59), SENIOR: (60, 200)}

# Statuses of a registration (models.Registration.Status uses the same values).
REGISTERED, WAITLISTED, CANCELLED = "registered", "waitlisted", "cancelled"

MAX_SERIES_SESSIONS = 60


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years of someone born on ``birth`` on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group_of(age: int) -> str:
    """Return the age group of ``age`` (0–12 child, 13–24 youth, 25–59 adult, 60+ senior)."""
    for group in AGE_GROUPS:
        low, high = AGE_BOUNDS[group]
        if low <= age <= high:
            return group
    return SENIOR if age > 0 else CHILD


def group_fits(group: str, min_age: int | None, max_age: int | None) -> bool:
    """Return whether some age of ``group`` lies inside the activity's range (a guest gives a group only)."""
    low, high = AGE_BOUNDS[group]
    return (min_age is None or high >= min_age) and (max_age is None or low <= max_age)


def age_fits(age: int, min_age: int | None, max_age: int | None) -> bool:
    return (min_age is None or age >= min_age) and (max_age is None or age <= max_age)


@dataclass(frozen=True)
class Attempt:
    """What a registration attempt looks like to the rules."""

    starts_at: datetime
    now: datetime
    cancelled: bool
    registration_required: bool
    already_registered: bool
    admitted: int
    capacity: int | None
    waitlist: bool
    age: int | None = None
    age_group: str = ""
    min_age: int | None = None
    max_age: int | None = None


def registration_refusal(attempt: Attempt) -> str | None:
    """Return the reason code that refuses this registration, or None (then ``place`` decides where)."""
    if attempt.cancelled:
        return "session_cancelled"
    if not attempt.registration_required:
        return "no_registration_needed"
    if attempt.starts_at <= attempt.now:
        return "session_past"
    if attempt.already_registered:
        return "already_registered"
    if attempt.age is not None:
        if not age_fits(attempt.age, attempt.min_age, attempt.max_age):
            return "age_out_of_range"
    elif attempt.age_group and not group_fits(attempt.age_group, attempt.min_age, attempt.max_age):
        return "age_out_of_range"
    if is_full(attempt.admitted, attempt.capacity) and not attempt.waitlist:
        return "session_full"
    return None


def is_full(admitted: int, capacity: int | None) -> bool:
    return capacity is not None and admitted >= capacity


def free_places(admitted: int, capacity: int | None) -> int | None:
    """Return the places left (None: no limit)."""
    return None if capacity is None else max(0, capacity - admitted)


def weekly_starts(first: datetime, until: date, *, skip: frozenset[date] = frozenset()) -> list[datetime]:
    """Return the start of every weekly occurrence from ``first`` to ``until`` (inclusive), minus ``skip`` days.

    Raise ValueError past MAX_SERIES_SESSIONS occurrences (a typing mistake in the year, not a series).
    """
    starts, current = [], first
    while current.date() <= until:
        if current.date() not in skip:
            starts.append(current)
        if len(starts) > MAX_SERIES_SESSIONS:
            raise ValueError(f"more than {MAX_SERIES_SESSIONS} sessions")
        # Add days to the wall-clock time: Bangkok has no summer time, and this keeps 10.00 at 10.00.
        current = current + timedelta(days=7)
    return starts


def percent(actual: int, target: int) -> int | None:
    """Return actual as a whole percentage of target (None without a target)."""
    if not target:
        return None
    return round(actual * 100 / target)
