"""Circulation's figures for the dashboard (core/indicators.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Indicator, counts_by_branch, day_bounds

from .models import Loan

INDICATORS = [
    Indicator(
        key="circulation.loans", name=_("Loans"), unit=_("loans"),
        definition=_("Items checked out at the branch's desks (renewals are not counted), by the day of checkout "
                     "in Bangkok time."),
        daily="bkklib.circulation.indicators.loans_on",
    ),
    Indicator(
        key="circulation.returns", name=_("Returns"), unit=_("items"),
        definition=_("Loans ended by a return at the branch, by the day of the return in Bangkok time."),
        daily="bkklib.circulation.indicators.returns_on",
    ),
]


def loans_on(day):
    start, end = day_bounds(day)
    return counts_by_branch(Loan.objects.filter(checked_out_at__gte=start, checked_out_at__lt=end))


def returns_on(day):
    start, end = day_bounds(day)
    return counts_by_branch(Loan.objects.filter(returned_at__gte=start, returned_at__lt=end),
                            branch_field="returned_branch_id")
