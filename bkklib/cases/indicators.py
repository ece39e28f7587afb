"""Dashboard figures of casework (core/indicators.py): cases filed and resolved per branch and day."""
from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Figure, Indicator, counts_by_branch, day_bounds

from .models import Case

INDICATORS = [
    Indicator(key="cases.filed", name=_("Cases filed"), unit=_("cases"),
              definition=_("Requests, complaints, suggestions and compliments filed that day, by any channel."),
              daily="bkklib.cases.indicators.filed", dimensions=("case_kind",)),
    Indicator(key="cases.resolved", name=_("Cases resolved"), unit=_("cases"),
              definition=_("Cases from the public marked done that day."),
              daily="bkklib.cases.indicators.resolved"),
]
CITIZEN = ("request", "complaint", "suggestion", "compliment")


def filed(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    rows = (Case.objects.filter(kind__in=CITIZEN, filed_at__gte=start, filed_at__lt=end, branch__isnull=False)
            .values("branch_id", "kind").annotate(n=Count("pk")).order_by())
    return [Figure.of(r["n"], r["branch_id"], case_kind=r["kind"]) for r in rows]


def resolved(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    return counts_by_branch(Case.objects.filter(kind__in=CITIZEN, resolved_at__gte=start, resolved_at__lt=end,
                                                branch__isnull=False))
