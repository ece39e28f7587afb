"""Dashboard figures of facilities (core/indicators.py): trees planted, UD audits completed, works inspected,
per branch and day."""
from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Figure, Indicator, counts_by_branch, day_bounds

from .models import Audit, Planting, Work

INDICATORS = [
    Indicator(key="facilities.trees_planted", name=_("Trees planted"), unit=_("trees"),
              definition=_("Trees recorded as planted that day at the branch's planting sites (by the day planted)."),
              daily="bkklib.facilities.indicators.trees_planted"),
    Indicator(key="facilities.ud_audits_completed", name=_("UD audits completed"), unit=_("audits"),
              definition=_("Universal Design audits of the branch's buildings completed that day."),
              daily="bkklib.facilities.indicators.ud_audits_completed"),
    Indicator(key="facilities.works_inspected", name=_("Improvement works inspected"), unit=_("works"),
              definition=_("Improvement works whose inspection day was that day."),
              daily="bkklib.facilities.indicators.works_inspected"),
]


def trees_planted(day: date) -> list[Figure]:
    rows = (Planting.objects.filter(planted_on=day, planted__gt=0).values("site__branch_id")
            .annotate(n=Sum("planted")).order_by())
    return [Figure.of(r["n"], r["site__branch_id"]) for r in rows]


def ud_audits_completed(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    return counts_by_branch(Audit.objects.filter(status=Audit.Status.COMPLETED, completed_at__gte=start,
                                                 completed_at__lt=end))


def works_inspected(day: date) -> list[Figure]:
    return counts_by_branch(Work.objects.filter(status=Work.Status.INSPECTED, inspected_on=day))
