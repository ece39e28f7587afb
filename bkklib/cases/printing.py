"""The briefing pack of a field visit: one branch's live data on A4 in Thai (core/pdf.py).

Built from ``core.branchfacts.sections`` (every app's facts about the branch) and, so that the pack
says what matters even before other apps contribute, the network's basic data, hours and staff and
the collection and circulation figures read through those apps' models.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog.models import Item
from bkklib.circulation.models import Loan
from bkklib.core import branchfacts
from bkklib.core.calendar import WEEKDAYS_TH, thai_date, thai_datetime
from bkklib.core.pdf import BOLD, Document
from bkklib.network import queries as network_queries
from bkklib.network.models import Assignment, Branch


def number(value: int) -> str:
    return f"{value:,}"


def basic_facts(branch: Branch, *, today: date) -> list[tuple[str, str]]:
    """The basic data of a branch and how fresh it is, as (label, value) lines."""
    if branch.verified_at:
        age = (today - timezone.localdate(branch.verified_at)).days
        fresh = _("verified %(date)s (%(days)s days ago)") % {"date": thai_date(timezone.localtime(
            branch.verified_at)), "days": age}
        if age > network_queries.stale_after_days():
            fresh += " — " + _("stale")
    else:
        fresh = _("never verified")
    return [
        (_("Library"), branch.name_th),
        (_("District"), branch.district.name_th),
        (_("Address"), " ".join(branch.address.split()) or "—"),
        (_("Phone"), branch.phone or "—"),
        (_("Basic data"), fresh),
    ]


def hours_lines(branch: Branch) -> list[str]:
    lines = []
    for weekday, periods in network_queries.weekly_hours(branch):
        text = ", ".join(f"{p.opens_at:%H.%M}–{p.closes_at:%H.%M}" for p in periods) or _("closed")
        lines.append(f"{WEEKDAYS_TH[weekday]}: {text}")
    return lines


def figures(branch: Branch, *, today: date) -> list[tuple[str, str]]:
    start = timezone.make_aware(datetime.combine(today - timedelta(days=30), datetime.min.time()))
    staff = Assignment.objects.active_on(today).filter(branch=branch).values("staff").distinct().count()
    return [
        (_("Staff assigned today"), number(staff)),
        (_("Items in the collection"), number(Item.objects.filter(branch=branch).count())),
        (_("Loans in the last 30 days"), number(Loan.objects.filter(branch=branch, checked_out_at__gte=start)
                                                .count())),
        (_("Items on loan now"), number(Loan.objects.filter(branch=branch, returned_at__isnull=True).count())),
    ]


def briefing_pdf(branch: Branch, *, visit=None, now: datetime | None = None) -> bytes:
    """Return the briefing pack of ``branch`` as PDF bytes, from the data of this moment."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    doc = Document(title=_("Briefing pack: %(branch)s") % {"branch": branch.name_th})
    doc.heading(_("Briefing pack for the field visit"))
    doc.heading(branch.name_th, size=14)
    if visit is not None:
        doc.paragraph(f"{visit.title} · {thai_date(visit.visited_on, long=True)} · {visit.visitors}")
    doc.paragraph(_("Data as of %(when)s") % {"when": thai_datetime(now)}, size=9)
    doc.heading(_("Basic data"), size=12)
    for label, value in basic_facts(branch, today=today):
        doc.paragraph(f"{label}: {value}", size=10, space_after=0.1)
    doc.heading(_("Opening hours"), size=12)
    for line in hours_lines(branch):
        doc.paragraph(line, size=10, space_after=0.1)
    doc.heading(_("Staff, collection and circulation"), size=12)
    for label, value in figures(branch, today=today):
        doc.paragraph(f"{label}: {value}", size=10, space_after=0.1)
    for section in branchfacts.sections(branch, today=today):
        doc.heading(section.title, size=12)
        for fact in section.facts:
            doc.paragraph(f"{fact.label}: {fact.value}" + (f" ({fact.note})" if fact.note else ""), size=10,
                          space_after=0.1)
        for row in section.rows:
            doc.paragraph(" · ".join(str(cell) for cell in row), size=10, space_after=0.1)
        if not section.facts and not section.rows and section.empty_text:
            doc.paragraph(section.empty_text, size=10)
    doc.paragraph(_("Printed by bkklib from live data."), font=BOLD, size=8)
    return doc.finish()
