"""Dashboard figures of outreach (core/indicators.py): visits, people served by age group, loans at
reading houses and mobile units, per branch (the vehicle's unit or the reading house) and day."""
from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from bkklib.circulation.models import Loan
from bkklib.core.indicators import Figure, Indicator, counts_by_branch, day_bounds
from bkklib.network.models import Branch

from . import rules
from .models import Trip, VisitRecord

OUTPOSTS = (Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT)

INDICATORS = [
    Indicator(key="outreach.visits", name=_("Outreach visits"), unit=_("visits"),
              definition=_("Stops visited by mobile libraries and days recorded at reading houses (visit records)."),
              daily="bkklib.outreach.indicators.visits"),
    Indicator(key="outreach.people_served", name=_("People served by outreach"), unit=_("people"),
              definition=_("People counted at mobile library stops and reading houses, by age group."),
              daily="bkklib.outreach.indicators.people_served", dimensions=("age_group",), public=True),
    Indicator(key="outreach.loans", name=_("Loans at reading houses and mobile libraries"), unit=_("loans"),
              definition=_("Loans made that day at a reading house or a mobile library, including those made "
                           "offline at the volunteer desk (counted on the day they happened)."),
              daily="bkklib.outreach.indicators.loans"),
    Indicator(key="outreach.trips_cancelled", name=_("Mobile library visits cancelled"), unit=_("visits"),
              definition=_("Planned visits of that day cancelled by a holiday, a closure or staff."),
              daily="bkklib.outreach.indicators.trips_cancelled"),
]


def visits(day: date) -> list[Figure]:
    return counts_by_branch(VisitRecord.objects.filter(day=day))


def people_served(day: date) -> list[Figure]:
    sums = {group: Sum(group) for group in rules.AGE_GROUPS}
    rows = VisitRecord.objects.filter(day=day).values("branch_id").annotate(**sums).order_by()
    return [Figure.of(row[group] or 0, row["branch_id"], age_group=group) for row in rows for group in rules.AGE_GROUPS]


def loans(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    return counts_by_branch(Loan.objects.filter(checked_out_at__gte=start, checked_out_at__lt=end,
                                                branch__kind__in=OUTPOSTS))


def trips_cancelled(day: date) -> list[Figure]:
    return counts_by_branch(Trip.objects.filter(planned_on=day, status=Trip.Status.CANCELLED),
                            branch_field="stop__route__vehicle__unit_id")
