"""iCalendar feeds of the network's calendar: each library's closures and public holidays.

``/libraries/<code>/closures.ics`` lists the closures that apply to the branch (its own and the
network-wide holidays) from a year back to two years ahead, as whole-day events with stable UIDs,
so a subscribed calendar updates when a closure is changed or added. Built with core/ics.py.
"""
from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.views.decorators.cache import cache_control

from bkklib.core import ics
from bkklib.network.models import Closure
from bkklib.opac import queries as opac_queries

BACK, AHEAD = timedelta(days=365), timedelta(days=730)


@cache_control(max_age=900, public=True)
def branch_closures(request, code: str):
    branch = opac_queries.public_branches().filter(code=code).first()
    if branch is None:
        raise Http404
    today = timezone.localdate()
    rows = Closure.objects.overlapping(today - BACK, today + AHEAD, branches=branch).order_by("starts_on")
    english = request.GET.get("lang") == "en"
    site = settings.BKKLIB["SITE_URL"]
    events = [
        ics.Event(
            uid=f"closure-{row.pk}@{site.split('//', 1)[-1]}",
            start=row.starts_on, end=row.ends_on,
            summary=(row.reason_en or row.reason_th) if english else row.reason_th,
            description=(("Public holiday" if english else "วันหยุดราชการ") if row.branch_id is None
                         else ("Library closed" if english else "ห้องสมุดปิดทำการ")),
            location=branch.name_en if english and branch.name_en else branch.name_th,
            url=f"{site}/libraries/{branch.code}/",
            categories=("holiday" if row.branch_id is None else "closure",),
            last_modified=row.updated_at,
        )
        for row in rows
    ]
    name = f"{branch.name_en or branch.name_th}: closures" if english else f"{branch.name_th}: วันปิดทำการ"
    return ics.ics_response(events, name=name, filename=f"{branch.code}-closures.ics")
