"""What outreach knows about a branch (core/branchfacts.py): for a mobile unit, its vehicle, routes,
stops and last and next trips; for a community reading house, its deposit collections out and its
visits this fiscal year."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section
from bkklib.core.calendar import fiscal_year, fiscal_year_bounds, thai_date
from bkklib.network.models import Branch

from . import rules
from .models import DepositCollection, Route, Stop, Trip, Vehicle, VisitRecord

SECTIONS = ["bkklib.outreach.branchfacts.mobile_unit", "bkklib.outreach.branchfacts.reading_house"]


def _n(value: int) -> str:
    return number_format(value or 0, force_grouping=True)


def _trip_text(trip: Trip | None) -> str:
    if trip is None:
        return "—"
    return f"{thai_date(trip.visit_on)} {trip.arrives_at:%H:%M} {trip.stop.name_th}"


def mobile_unit(branch, *, today: date) -> Section | None:
    """The unit's vehicle, its routes and stops, the last trip made and the next one planned."""
    if branch.kind != Branch.Kind.MOBILE_UNIT:
        return None
    vehicle = Vehicle.objects.filter(unit=branch).first()
    if vehicle is None:
        return Section(key="outreach.mobile_unit", title=_("Mobile library"), as_of=today, order=10,
                       empty_text=_("No vehicle is set up for this mobile unit."))
    routes = Route.objects.filter(vehicle=vehicle)
    stops = Stop.objects.filter(route__vehicle=vehicle)
    trips = (Trip.objects.filter(stop__route__vehicle=vehicle).exclude(status=Trip.Status.CANCELLED)
             .select_related("stop"))
    route_list = list(routes.annotate(n_stops=Count("stops")).order_by("code"))
    counts = stops.aggregate(active=Count("pk", filter=Q(is_active=True, route__is_active=True)),
                             pickup=Count("pk", filter=Q(is_active=True, is_pickup_point=True)))
    last = trips.filter(visit_on__lt=today).order_by("-visit_on", "-arrives_at").first()
    upcoming = trips.filter(visit_on__gte=today).order_by("visit_on", "arrives_at").first()
    facts = [
        Fact(_("Vehicle"), f"{vehicle.name_th} ({vehicle.plate})",
             note=f"{vehicle.get_kind_display()} · {vehicle.get_status_display()}",
             warning=vehicle.status != Vehicle.Status.IN_SERVICE),
        Fact(_("Active routes"), _n(sum(1 for route in route_list if route.is_active))),
        Fact(_("Active stops"), _n(counts["active"]),
             note=_("%(n)s hold pickup places") % {"n": _n(counts["pickup"])}),
        Fact(_("Last visit"), _trip_text(last)),
        Fact(_("Next visit"), _trip_text(upcoming), warning=upcoming is None),
    ]
    rows = [[route.name_th, _n(route.n_stops), _("active") if route.is_active else _("inactive")]
            for route in route_list]
    return Section(key="outreach.mobile_unit", title=_("Mobile library"), facts=facts,
                   columns=[_("Route"), _("Stops"), _("State")], rows=rows, as_of=today, order=10)


def reading_house(branch, *, today: date) -> Section | None:
    """Deposit collections out at the house and the visits recorded there this fiscal year."""
    if branch.kind != Branch.Kind.READING_HOUSE:
        return None
    fy_start, _fy_end = fiscal_year_bounds(fiscal_year(today))
    out = (DepositCollection.objects.filter(reading_house=branch)
           .exclude(status__in=(DepositCollection.Status.DRAFT, DepositCollection.Status.RETURNED))
           .select_related("from_branch").annotate(n_items=Count("entries")).order_by("due_back_on"))
    visits = VisitRecord.objects.filter(branch=branch, day__gte=fy_start, day__lte=today)
    totals = visits.aggregate(n=Count("pk"), lent=Sum("items_lent"), **{g: Sum(g) for g in rules.AGE_GROUPS})
    people = sum(totals[g] or 0 for g in rules.AGE_GROUPS)
    overdue = [d for d in out if d.status == DepositCollection.Status.RECEIVED and d.due_back_on < today]
    facts = [
        Fact(_("Deposit collections out"), _n(len(out)),
             note=_("%(n)s past their due date") % {"n": _n(len(overdue))} if overdue else "",
             warning=bool(overdue)),
        Fact(_("Items in deposit collections"), _n(sum(d.n_items for d in out))),
        Fact(_("Visits this fiscal year (from %(date)s)") % {"date": thai_date(fy_start)}, _n(totals["n"])),
        Fact(_("People served this fiscal year"), _n(people)),
        Fact(_("Items lent this fiscal year (visit records)"), _n(totals["lent"])),
    ]
    rows = [[d.code, d.from_branch.name_th, d.get_status_display(), _n(d.n_items), thai_date(d.due_back_on)]
            for d in out]
    return Section(key="outreach.reading_house", title=_("Community reading house"), facts=facts,
                   columns=[_("Deposit"), _("From"), _("Status"), _("Items"), _("Due back")], rows=rows,
                   as_of=today, order=10)
