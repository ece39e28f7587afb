"""What circulation knows about a branch (core/branchfacts.py): loans this month and fiscal year,
loans out and overdue, members whose home library it is."""
from __future__ import annotations

from datetime import date

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section
from bkklib.core.calendar import fiscal_year, fiscal_year_bounds, thai_date
from bkklib.core.indicators import day_bounds

from .models import Loan, Patron

SECTIONS = ["bkklib.circulation.branchfacts.circulation"]


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def circulation(branch, *, today: date) -> Section:
    fy_start, _fy_end = fiscal_year_bounds(fiscal_year(today))
    month_start = today.replace(day=1)
    end = day_bounds(today)[1]
    loans = Loan.objects.filter(branch=branch)
    facts = [
        Fact(_("Loans this month (from %(date)s)") % {"date": thai_date(month_start)},
             _n(loans.filter(checked_out_at__gte=day_bounds(month_start)[0], checked_out_at__lt=end).count())),
        Fact(_("Loans this fiscal year (from %(date)s)") % {"date": thai_date(fy_start)},
             _n(loans.filter(checked_out_at__gte=day_bounds(fy_start)[0], checked_out_at__lt=end).count())),
        Fact(_("Items out on loan now"), _n(loans.open().count())),
    ]
    overdue = loans.overdue(on=today).count()
    facts.append(Fact(_("Overdue loans"), _n(overdue), warning=overdue > 0))
    patrons = Patron.objects.filter(home_branch=branch)
    facts += [
        Fact(_("Members with this home library"), _n(patrons.count())),
        Fact(_("Members whose card is valid"), _n(patrons.filter(card_expires_on__gte=today).count())),
    ]
    return Section(key="circulation.figures", title=_("Circulation"), facts=facts, as_of=today, order=10)
