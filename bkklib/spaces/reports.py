"""Utilisation of a branch's spaces over a month: occupancy by hour, weekday and space; no-shows; unique users."""
from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bkklib.network.models import Branch

from . import queries
from .models import Booking, Space

COUNTED = (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW, Booking.Status.PENDING)


@dataclass
class SpaceUse:
    space: Space
    open_hours: float = 0.0
    booked_hours: float = 0.0
    used_hours: float = 0.0
    bookings: int = 0
    no_shows: int = 0

    @property
    def occupancy(self) -> float:
        """Share of the opening hours the space was in use (checked in)."""
        return self.used_hours / self.open_hours if self.open_hours else 0.0

    @property
    def occupancy_pct(self) -> float:
        return round(self.occupancy * 100, 1)


@dataclass
class Utilisation:
    branch: Branch
    month: date  # first day
    spaces: list[SpaceUse] = field(default_factory=list)
    by_hour: dict[int, float] = field(default_factory=dict)  # hour of day -> hours used
    by_weekday: dict[int, float] = field(default_factory=dict)  # 0 = Monday -> hours used
    bookings: int = 0
    checked_in: int = 0
    no_shows: int = 0
    unique_users: int = 0

    @property
    def no_show_rate(self) -> float:
        decided = self.checked_in + self.no_shows
        return self.no_shows / decided if decided else 0.0

    @property
    def used_hours(self) -> float:
        return sum(s.used_hours for s in self.spaces)

    @property
    def open_hours(self) -> float:
        return sum(s.open_hours for s in self.spaces)

    @property
    def occupancy(self) -> float:
        return self.used_hours / self.open_hours if self.open_hours else 0.0

    @property
    def occupancy_pct(self) -> float:
        return round(self.occupancy * 100, 1)

    @property
    def no_show_pct(self) -> float:
        return round(self.no_show_rate * 100, 1)


def _split_by_hour(start: datetime, end: datetime):
    """Yield (hour start, hours) pieces of a local span cut at each full hour."""
    current = start
    while current < end:
        nxt = min(end, current.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        yield current, (nxt - current).total_seconds() / 3600
        current = nxt


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=pycalendar.monthrange(first.year, first.month)[1])


def utilisation(branch: Branch, month: date) -> Utilisation:
    """Return how ``branch``'s spaces were used in ``month`` (bookings starting in it; blocks left out)."""
    first, last = month_bounds(month)
    cal = queries.calendar(branch, first, last)
    open_hours = 0.0
    day = first
    while day <= last:
        info = cal.day(day)
        open_hours += sum((datetime.combine(day, b) - datetime.combine(day, a)).total_seconds() / 3600
                          for a, b in info.periods)
        day += timedelta(days=1)
    result = Utilisation(branch=branch, month=first, by_hour=dict.fromkeys(range(24), 0.0),
                         by_weekday=dict.fromkeys(range(7), 0.0))
    uses = {s.pk: SpaceUse(space=s, open_hours=open_hours)
            for s in Space.objects.filter(branch=branch).order_by("kind", "code")}
    lo = queries.aware(datetime.combine(first, time.min))
    hi = queries.aware(datetime.combine(last + timedelta(days=1), time.min))
    users = set()
    rows = (Booking.objects.filter(branch=branch, starts_at__gte=lo, starts_at__lt=hi, status__in=COUNTED)
            .exclude(kind=Booking.Kind.BLOCK).values_list("space_id", "patron_id", "status", "starts_at", "ends_at"))
    for space_id, patron_id, status, starts_at, ends_at in rows:
        use = uses.get(space_id)
        start, end = queries.local(starts_at), queries.local(ends_at)
        hours = (end - start).total_seconds() / 3600
        result.bookings += 1
        use.bookings += 1
        use.booked_hours += hours
        if status == Booking.Status.NO_SHOW:
            result.no_shows += 1
            use.no_shows += 1
        elif status == Booking.Status.CHECKED_IN:
            result.checked_in += 1
            use.used_hours += hours
            users.add(patron_id)
            result.by_weekday[start.weekday()] += hours
            for piece_start, piece in _split_by_hour(start, end):
                result.by_hour[piece_start.hour] += piece
    result.spaces = list(uses.values())
    result.unique_users = len(users)
    return result
