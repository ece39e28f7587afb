"""Dashboard figures of the e-library (core.indicators): e-loans, unique readers, turnaways, per Bangkok day.

The e-library belongs to no branch, so every figure has ``branch_id`` None.
"""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import FLOW, Figure, Indicator, day_bounds

from .models import ELoan, Turnaway

INDICATORS = [
    Indicator("elibrary.eloans", _("e-Book loans"), _("E-loans started on the day, by channel (website or reading app)."),
              _("loans"), "bkklib.elibrary.indicators.eloans", FLOW, ("channel",)),
    Indicator("elibrary.readers", _("e-Library readers"),
              _("Different readers who started an e-loan on the day (a reader counted once a day)."), _("people"),
              "bkklib.elibrary.indicators.readers", FLOW),
    Indicator("elibrary.turnaways", _("e-Book turnaways"),
              _("Borrow attempts refused on the day because no copy was free."), _("attempts"),
              "bkklib.elibrary.indicators.turnaways", FLOW),
]


def eloans(day):
    start, end = day_bounds(day)
    rows = ELoan.objects.filter(started_at__gte=start, started_at__lt=end).values("channel").annotate(
        n=Count("pk")).order_by()
    return [Figure.of(row["n"], None, channel=row["channel"]) for row in rows]


def readers(day):
    start, end = day_bounds(day)
    n = ELoan.objects.filter(started_at__gte=start, started_at__lt=end).values("reader_key").distinct().count()
    return [Figure.of(n)] if n else []


def turnaways(day):
    start, end = day_bounds(day)
    n = Turnaway.objects.filter(at__gte=start, at__lt=end).count()
    return [Figure.of(n)] if n else []
