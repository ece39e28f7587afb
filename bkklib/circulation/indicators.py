"""Circulation's figures for the dashboard (core/indicators.py)."""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import STOCK, Figure, Indicator, counts_by_branch, day_bounds

from .models import Loan, Patron

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
    Indicator(
        key="circulation.loans_by_kind", name=_("Loans by patron category and item type"), unit=_("loans"),
        definition=_("The same loans as \"Loans\", cut by the borrower's category and the item's type at checkout."),
        daily="bkklib.circulation.indicators.loans_by_kind_on", dimensions=("patron_category", "item_type"),
        public=False,
    ),
    Indicator(
        key="circulation.new_members", name=_("New members"), unit=_("people"),
        definition=_("Members registered that day (online registrations when approved are counted on the day the "
                     "record was made), by home branch and patron category, in Bangkok time."),
        daily="bkklib.circulation.indicators.new_members_on", dimensions=("patron_category",),
    ),
    Indicator(
        key="circulation.active_members", name=_("Active members"), unit=_("people"), kind=STOCK,
        definition=_("Members at the end of the day whose record is approved and whose card has not expired, by home "
                     "branch; over a period, the figure of its last day."),
        daily="bkklib.circulation.indicators.active_members_on",
    ),
]


def loans_on(day):
    start, end = day_bounds(day)
    return counts_by_branch(Loan.objects.filter(checked_out_at__gte=start, checked_out_at__lt=end))


def returns_on(day):
    start, end = day_bounds(day)
    return counts_by_branch(Loan.objects.filter(returned_at__gte=start, returned_at__lt=end),
                            branch_field="returned_branch_id")


def loans_by_kind_on(day):
    start, end = day_bounds(day)
    rows = (Loan.objects.filter(checked_out_at__gte=start, checked_out_at__lt=end)
            .values("branch_id", "patron_category__code", "item_type__code").annotate(n=Count("pk")).order_by())
    return [Figure.of(r["n"], r["branch_id"], patron_category=r["patron_category__code"] or "",
                      item_type=r["item_type__code"] or "") for r in rows]


def new_members_on(day):
    start, end = day_bounds(day)
    rows = (Patron.objects.filter(created_at__gte=start, created_at__lt=end).exclude(status=Patron.Status.ERASED)
            .values("home_branch_id", "category__code").annotate(n=Count("pk")).order_by())
    return [Figure.of(r["n"], r["home_branch_id"], patron_category=r["category__code"]) for r in rows]


def active_members_on(day):
    _start, end = day_bounds(day)
    rows = (Patron.objects.filter(status=Patron.Status.ACTIVE, created_at__lt=end, card_expires_on__gte=day)
            .values("home_branch_id").annotate(n=Count("pk")).order_by())
    return [Figure.of(r["n"], r["home_branch_id"]) for r in rows]
