"""Pure decisions of outreach: where a visit goes when its day is closed, distances, the order of synced actions.

No ORM, no clock: dates and plain values in, values out (property-tested in tests/test_rules.py).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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


# --- Set-up of vehicles and timetables --------------------------------------------------------------

# A Thai licence plate: a series (one or two Thai consonants after an optional digit, ``1กข``, then an
# optional dash or space; or one or two digits and a dash, ``40-``), a number of 1–4 digits, then
# optionally the province in Thai letters.
PLATE = re.compile(r"^(?:\d?[ก-ฮ]{1,2}[- ]?|\d{1,2}-)\d{1,4}(?: [ก-๙]+)?$")


def normal_plate(text: str) -> str:
    """The plate as stored: spaces collapsed, no leading or trailing blank."""
    return " ".join(str(text).split())


def valid_plate(text: str) -> bool:
    """True for plates like ``40-1234 กรุงเทพมหานคร``, ``1กข 1234`` or ``ฮก-25``."""
    plate = normal_plate(text)
    return bool(plate) and len(plate) <= 30 and PLATE.match(plate) is not None


@dataclass(frozen=True)
class Slot:
    """One timetable entry of a vehicle, as plain values: weekly (``weekday``) or on one date."""

    weekday: int | None
    on_date: date | None
    arrives_at: time
    departs_at: time
    valid_from: date
    valid_until: date | None


def _periods_overlap(a: Slot, b: Slot) -> bool:
    a_end, b_end = a.valid_until or date.max, b.valid_until or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def _within(day: date, slot: Slot) -> bool:
    return slot.valid_from <= day <= (slot.valid_until or date.max)


def slots_clash(a: Slot, b: Slot) -> bool:
    """True when the vehicle would be due at two places at once: a shared day and overlapping times.

    Times touching end to start (departs 10:30, next arrives 10:30) do not clash.
    """
    if not (a.arrives_at < b.departs_at and b.arrives_at < a.departs_at):
        return False
    if a.on_date is not None and b.on_date is not None:
        return a.on_date == b.on_date and _within(a.on_date, a) and _within(b.on_date, b)
    if a.on_date is not None or b.on_date is not None:
        dated, weekly = (a, b) if a.on_date is not None else (b, a)
        return (dated.on_date.weekday() == weekly.weekday and _within(dated.on_date, dated)
                and _within(dated.on_date, weekly))
    return a.weekday == b.weekday and _periods_overlap(a, b)
