"""Facts about a branch's book procurement for the fact sheet and the briefing pack (core/branchfacts.py)."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section
from bkklib.core.calendar import fiscal_year

from .models import Fund, OrderCopy, Request

SECTIONS = ["bkklib.acquisitions.branchfacts.procurement"]


def _baht(value) -> str:
    return f"{value or 0:,.2f}"


def procurement(branch, *, today: date) -> Section | None:
    """This fiscal year's budget and its use, copies ordered and received, and open suggestions."""
    year = fiscal_year(today)
    money = Fund.objects.filter(branch=branch, fiscal_year__year=year).aggregate(
        budget=Sum("budget"), committed=Sum("committed"), spent=Sum("spent"))
    copies = OrderCopy.objects.filter(branch=branch, line__order__fiscal_year__year=year).aggregate(
        ordered=Count("pk", filter=~Q(status=OrderCopy.Status.PLANNED)),
        received=Count("pk", filter=Q(status=OrderCopy.Status.RECEIVED)),
        late=Count("pk", filter=Q(status=OrderCopy.Status.ORDERED, line__order__expected_by__lt=today)))
    waiting = Request.objects.filter(branch=branch, status=Request.Status.NEW).count()
    if not money["budget"] and not copies["ordered"] and not waiting:
        return None
    facts = [
        Fact(_("Book budget, fiscal year {year}").format(year=year), _baht(money["budget"])),
        Fact(_("Committed / spent"), f"{_baht(money['committed'])} / {_baht(money['spent'])}"),
        Fact(_("Copies ordered / received"), f"{copies['ordered']:,} / {copies['received']:,}"),
    ]
    if copies["late"]:
        facts.append(Fact(_("Copies late from vendors"), f"{copies['late']:,}", warning=True))
    if waiting:
        facts.append(Fact(_("Suggestions waiting for a decision"), f"{waiting:,}", warning=waiting > 10))
    return Section(key="acquisitions.procurement", title=_("Book procurement"), facts=facts, as_of=today)
