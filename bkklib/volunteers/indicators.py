"""Dashboard figures of volunteers (core/indicators.py): volunteer hours and volunteers on shift per branch and day."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Figure, Indicator, counts_by_branch, day_bounds

from .models import Application, Signup

INDICATORS = [
    Indicator(key="volunteers.hours", name=_("Volunteer hours"), unit=_("hours"),
              definition=_("Hours worked on volunteer shifts starting that day (checked in and out)."),
              daily="bkklib.volunteers.indicators.hours"),
    Indicator(key="volunteers.on_shift", name=_("Volunteers on shift"), unit=_("people"),
              definition=_("Different volunteers who checked in to a shift starting that day."),
              daily="bkklib.volunteers.indicators.on_shift", public=True),
    Indicator(key="volunteers.applications", name=_("Volunteer applications"), unit=_("applications"),
              definition=_("Applications to volunteer calls received that day."),
              daily="bkklib.volunteers.indicators.applications"),
]


def _of_day(day: date):
    start, end = day_bounds(day)
    return Signup.objects.filter(shift__starts_at__gte=start, shift__starts_at__lt=end)


def hours(day: date) -> list[Figure]:
    minutes: dict[int, int] = defaultdict(int)
    for branch_id, mins in _of_day(day).filter(status=Signup.Status.CHECKED_OUT).values_list("branch_id", "minutes"):
        minutes[branch_id] += mins
    return [Figure.of(round(m / 60, 2), b) for b, m in sorted(minutes.items())]


def on_shift(day: date) -> list[Figure]:
    rows = (_of_day(day).filter(checked_in_at__isnull=False).values("branch_id")
            .annotate(n=Count("volunteer_id", distinct=True)).order_by())
    return [Figure.of(r["n"], r["branch_id"]) for r in rows]


def applications(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    return counts_by_branch(Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end))
