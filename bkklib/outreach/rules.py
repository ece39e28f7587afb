"""Pure decisions of outreach: where a visit goes when its day is closed, distances, the order of synced actions.

No ORM, no clock: dates and plain values in, values out (property-tested in tests/test_rules.py).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# A visit whose day is closed moves to the next weekday (Mon–Fri) that is open and not already
# a visit day of the stop, at most this many days later; otherwise it is cancelled.
MOVE_WITHIN_DAYS = 4


@dataclass(frozen=True)
class Placement:
    """Where a planned visit goes: ``visit_on`` (None: cancelled) and whether it moved."""

    visit_on: date | None
    moved: bool

    @property
    def cancelled(self) -> bool:
        return self.visit_on is None


def place_visit(planned_on: date, *, is_closed: Callable[[date], bool], taken: frozenset[date] = frozenset(),
                within: int = MOVE_WITHIN_DAYS) -> Placement:
    """Return where a visit planned on ``planned_on`` takes place.

    On an open day it stays. On a closed day (holiday, closure of the vehicle or the network) it
    moves to the first later weekday within ``within`` days that is open and not in ``taken``
    (days the stop is already visited); with none, it is cancelled.
    """
    if not is_closed(planned_on):
        return Placement(planned_on, False)
    for step in range(1, within + 1):
        day = planned_on + timedelta(days=step)
        if day.weekday() < 5 and day not in taken and not is_closed(day):
            return Placement(day, True)
    return Placement(None, False)


def timetable_days(*, weekday: int | None, on_date: date | None, valid_from: date, valid_until: date | None,
                   start: date, end: date) -> Iterator[date]:
    """Yield the days in ``start``..``end`` a timetable entry plans a visit (weekly, or its one date)."""
    first = max(start, valid_from)
    last = min(end, valid_until) if valid_until else end
    if first > last:
        return
    if on_date is not None:
        if first <= on_date <= last:
            yield on_date
        return
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += timedelta(days=7)


EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(points: Iterable[tuple[object, float, float]], lat: float, lon: float, *, limit: int = 5,
            max_km: float = 15.0) -> list[tuple[object, float]]:
    """Return up to ``limit`` (key, km) of ``points`` (key, lat, lon) within ``max_km``, nearest first."""
    found = [(key, distance_km(lat, lon, plat, plon)) for key, plat, plon in points]
    found = [(key, km) for key, km in found if km <= max_km]
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def valid_position(lat: float, lon: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lon <= 180


@dataclass(frozen=True)
class QueuedAction:
    """One action as the device queued it."""

    action_id: str
    kind: str
    happened_at: datetime
    seq: int = 0


def apply_order(actions: Iterable[QueuedAction]) -> list[QueuedAction]:
    """Return the actions in the order they happened: by time, then by the device's sequence number.

    A batch may arrive out of order (two tabs, a retried request); applying by time keeps a return
    after the loan it ends.
    """
    return sorted(actions, key=lambda a: (a.happened_at, a.seq, a.action_id))


AGE_GROUPS = ("children", "youth", "adults", "elderly")


def age_group(age: int | None) -> str | None:
    """The visit record's age group of a person ``age`` years old (None when unknown)."""
    if age is None:
        return None
    if age < 13:
        return "children"
    if age < 25:
        return "youth"
    if age < 60:
        return "adults"
    return "elderly"
