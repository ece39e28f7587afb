"""Dashboard figures of spaces (core/indicators.py): bookings, hours used, no-shows, unique users per branch and day."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import RATIO, Figure, Indicator, counts_by_branch, day_bounds

from .models import Booking

INDICATORS = [
    Indicator(key="spaces.bookings", name=_("Space bookings"), unit=_("bookings"),
              definition=_("Bookings of desks, rooms and venues starting that day (online and by staff), "
                           "blocks left out, whatever became of them."),
              daily="bkklib.spaces.indicators.bookings", dimensions=("space_kind",)),
    Indicator(key="spaces.occupancy_hours", name=_("Hours of space use"), unit=_("hours"),
              definition=_("Hours of bookings starting that day that were checked in."),
              daily="bkklib.spaces.indicators.occupancy_hours", dimensions=("space_kind",)),
    Indicator(key="spaces.no_shows", name=_("Space no-shows"), unit=_("bookings"),
              definition=_("Bookings starting that day released because nobody checked in."),
              daily="bkklib.spaces.indicators.no_shows"),
    Indicator(key="spaces.unique_users", name=_("People using spaces"), unit=_("people"),
              definition=_("Different patrons with a checked-in booking starting that day."),
              daily="bkklib.spaces.indicators.unique_users", public=True),
    Indicator(key="spaces.no_show_rate", name=_("Space no-show rate"), unit=_("share"), kind=RATIO,
              definition=_("No-shows over bookings."), daily="", numerator="spaces.no_shows",
              denominator="spaces.bookings"),
]


def _of_day(day: date):
    start, end = day_bounds(day)
    return Booking.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(kind=Booking.Kind.BLOCK)


def bookings(day: date) -> list[Figure]:
    rows = _of_day(day).values("branch_id", "space__kind").annotate(n=Count("pk")).order_by()
    return [Figure.of(r["n"], r["branch_id"], space_kind=r["space__kind"]) for r in rows]


def occupancy_hours(day: date) -> list[Figure]:
    hours: dict[tuple[int, str], float] = defaultdict(float)
    for branch_id, kind, start, end in _of_day(day).filter(status=Booking.Status.CHECKED_IN).values_list(
            "branch_id", "space__kind", "starts_at", "ends_at"):
        hours[(branch_id, kind)] += (end - start).total_seconds() / 3600
    return [Figure.of(round(v, 2), b, space_kind=k) for (b, k), v in sorted(hours.items())]


def no_shows(day: date) -> list[Figure]:
    return counts_by_branch(_of_day(day).filter(status=Booking.Status.NO_SHOW))


def unique_users(day: date) -> list[Figure]:
    rows = (_of_day(day).filter(status=Booking.Status.CHECKED_IN).values("branch_id")
            .annotate(n=Count("patron_id", distinct=True)).order_by())
    return [Figure.of(r["n"], r["branch_id"]) for r in rows]
