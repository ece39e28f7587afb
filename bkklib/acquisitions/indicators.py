"""Dashboard figures of acquisitions (core/indicators.py): suggestions, copies received, donated books and
money spent, per branch and day."""
from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Figure, Indicator, counts_by_branch, day_bounds

from .models import Donation, FundEntry, OrderCopy, Request

INDICATORS = [
    Indicator(key="acquisitions.suggestions", name=_("Purchase suggestions"), unit=_("requests"),
              definition=_("Suggestions to buy a book made that day by readers (in their account) and by staff."),
              daily="bkklib.acquisitions.indicators.suggestions"),
    Indicator(key="acquisitions.copies_received", name=_("Copies received from vendors"), unit=_("copies"),
              definition=_("Ordered copies inspected and received that day, counted at the branch they are for."),
              daily="bkklib.acquisitions.indicators.copies_received"),
    Indicator(key="acquisitions.books_donated", name=_("Donated books accepted"), unit=_("books"),
              definition=_("Books accepted from donations received that day."),
              daily="bkklib.acquisitions.indicators.books_donated"),
    Indicator(key="acquisitions.spent", name=_("Money spent on books"), unit=_("baht"),
              definition=_("Invoiced amounts recorded that day against the funds of each branch."),
              daily="bkklib.acquisitions.indicators.spent", public=False),
]


def suggestions(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    return counts_by_branch(Request.objects.filter(created_at__gte=start, created_at__lt=end))


def copies_received(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    return counts_by_branch(OrderCopy.objects.filter(received_at__gte=start, received_at__lt=end))


def books_donated(day: date) -> list[Figure]:
    rows = (Donation.objects.filter(received_on=day, accepted_count__gt=0).values("branch_id")
            .annotate(n=Sum("accepted_count")).order_by())
    return [Figure.of(r["n"], r["branch_id"]) for r in rows]


def spent(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    rows = (FundEntry.objects.filter(kind=FundEntry.Kind.SPEND, at__gte=start, at__lt=end).values("fund__branch_id")
            .annotate(n=Sum("amount")).order_by())
    return [Figure.of(r["n"], r["fund__branch_id"]) for r in rows]
