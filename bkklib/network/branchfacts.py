"""What the network knows about a branch, for fact sheets and briefing packs (core/branchfacts.py):
basic data and its freshness, opening hours and closures ahead, staff on post and coverage gaps."""
from __future__ import annotations

from datetime import date, timedelta

from django.utils.dates import WEEKDAYS
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section
from bkklib.core.calendar import thai_date

from . import queries
from .models import Assignment, Branch

SECTIONS = [
    "bkklib.network.branchfacts.basic",
    "bkklib.network.branchfacts.hours",
    "bkklib.network.branchfacts.staff",
]

CLOSURES_AHEAD_DAYS = 30
COVERAGE_AHEAD_DAYS = 14


def basic(branch: Branch, *, today: date) -> Section:
    stale = queries.staleness_of(branch, today)
    verified = (_("confirmed on %(date)s") % {"date": thai_date(branch.verified_at)} if branch.verified_at
                else _("never confirmed"))
    facts = [
        Fact(_("Name"), branch.name_th),
        Fact(_("Code"), branch.code),
        Fact(_("Kind"), branch.get_kind_display()),
        Fact(_("Status"), branch.get_status_display(), warning=branch.status != Branch.Status.OPEN),
        Fact(_("District"), branch.district.name_th),
        Fact(_("Address"), branch.address or "-"),
        Fact(_("Phone"), branch.phone or "-"),
        Fact(_("Basic data"), verified, note=stale or "", warning=bool(stale)),
    ]
    return Section(key="network.basic", title=_("Basic data"), facts=facts, as_of=branch.verified_at, order=10)


def hours(branch: Branch, *, today: date) -> Section:
    rows = []
    for weekday, periods in queries.weekly_hours(branch):
        text = ", ".join(f"{p.opens_at:%H:%M}–{p.closes_at:%H:%M}" for p in periods) or _("closed")
        rows.append((str(WEEKDAYS[weekday]), text))
    closures = queries.closures_for(branch, today, today + timedelta(days=CLOSURES_AHEAD_DAYS))
    facts = [Fact(_("Closed"), f"{thai_date(c.starts_on)} – {thai_date(c.ends_on)}", note=c.reason_th, warning=True)
             for c in closures]
    return Section(key="network.hours", title=_("Opening hours"), columns=(_("Day"), _("Hours")), rows=rows,
                   facts=facts, order=20)


def staff(branch: Branch, *, today: date) -> Section:
    on_post = (Assignment.objects.filter(branch=branch, starts_on__lte=today)
               .exclude(ends_on__lt=today).values("kind").order_by())
    primary = sum(1 for a in on_post if a["kind"] == Assignment.Kind.PRIMARY)
    seconded = len(on_post) - primary
    gaps = queries.coverage(today, today + timedelta(days=COVERAGE_AHEAD_DAYS - 1), branches=[branch]).shortages
    facts = [
        Fact(_("Staff on post"), number_format(primary, force_grouping=True)),
        Fact(_("Seconded here"), number_format(seconded, force_grouping=True)),
        Fact(_("Understaffed days, next %(days)d days") % {"days": COVERAGE_AHEAD_DAYS},
             number_format(len(gaps), force_grouping=True), warning=bool(gaps)),
    ]
    return Section(key="network.staff", title=_("Staff and coverage"), facts=facts, as_of=today, order=30)
