"""Set-up pages under /staff/outreach/: vehicles and their maintenance log, routes, stops, timetables,
and a trip's page with the reservations to hand over at its stop.

Rows are scoped to the branches where the user holds the page's permission (network.access, by
the vehicle's mobile unit): another branch's vehicle, route, stop or timetable is 404. Writes go
through the verbs of ``setup`` (permission, validation, audit, re-planning of trips).
"""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network import access
from bkklib.network.models import Branch

from .. import pickup, queries, setup
from ..models import MaintenanceLog, Route, Stop, Timetable, Trip, Vehicle
from ..setup_forms import MaintenanceForm, RouteForm, StopForm, TimetableForm, VehicleForm, initial_of

UNIT = {Vehicle: "unit", Route: "vehicle__unit", Stop: "route__vehicle__unit", Timetable: "stop__route__vehicle__unit",
        MaintenanceLog: "vehicle__unit", Trip: "stop__route__vehicle__unit"}


def scoped(model, user, perm):
    """``model``'s rows at the mobile units where ``user`` holds ``perm``."""
    return access.scope(model.objects.all(), user, perm, field=UNIT[model])


def _write(request, form, verb, *, done: str, **kwargs):
    """Run ``verb`` with the form's data; a refusal lands on its field. Return the row or None."""
    try:
        row = verb(by=request.user, **form.cleaned_data, **kwargs)
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.text)
        return None
    messages.success(request, done)
    return row


def _form_page(request, form, *, title: str, back: str, button: str = ""):
    return render(request, "outreach/staff/setup_form.html", {"form": form, "title": title, "back": back,
                                                               "button": button or _("Save")})


# --- Vehicles --------------------------------------------------------------------------------------------

@perm_required("outreach.view_vehicle")
def vehicles(request):
    rows = scoped(Vehicle, request.user, "outreach.view_vehicle").select_related("unit").prefetch_related("routes")
    return render(request, "outreach/staff/vehicles.html", {"rows": list(rows)})


@perm_required("outreach.add_vehicle")
def vehicle_new(request):
    units = access.branches_for(request.user, "outreach.add_vehicle").filter(
        kind=Branch.Kind.MOBILE_UNIT, vehicle__isnull=True).order_by("name_th")
    form = VehicleForm(request.POST or None, units=units, initial={"capacity": 0})
    if request.method == "POST" and form.is_valid():
        vehicle = _write(request, form, setup.create_vehicle, done=_("The vehicle is added."))
        if vehicle is not None:
            return redirect("outreach:staff-vehicle", pk=vehicle.pk)
    return _form_page(request, form, title=_("New vehicle"), back="outreach:staff-vehicles")


@perm_required("outreach.view_vehicle")
def vehicle_detail(request, pk: int):
    vehicle = get_object_or_404(scoped(Vehicle, request.user, "outreach.view_vehicle").select_related("unit"), pk=pk)
    return render(request, "outreach/staff/vehicle.html", {
        "vehicle": vehicle, "log": list(vehicle.maintenance.all()),
        "routes": list(vehicle.routes.prefetch_related("stops")), "form": MaintenanceForm()})


@perm_required("outreach.change_vehicle")
def vehicle_edit(request, pk: int):
    vehicle = get_object_or_404(scoped(Vehicle, request.user, "outreach.change_vehicle"), pk=pk)
    form = VehicleForm(request.POST or None, initial=initial_of(vehicle, VehicleForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.update_vehicle, vehicle=vehicle, done=_("The vehicle is saved.")):
            return redirect("outreach:staff-vehicle", pk=vehicle.pk)
    return _form_page(request, form, title=_("Edit vehicle {name}").format(name=vehicle.name_th),
                      back="outreach:staff-vehicles")


@require_POST
@perm_required("outreach.change_vehicle")
def vehicle_retire(request, pk: int):
    vehicle = get_object_or_404(scoped(Vehicle, request.user, "outreach.change_vehicle"), pk=pk)
    try:
        setup.retire_vehicle(vehicle=vehicle, by=request.user, reason=request.POST.get("reason", "").strip())
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The vehicle is retired: its stops get no more trips; its history stays."))
    return redirect("outreach:staff-vehicle", pk=pk)


@perm_required("outreach.add_maintenancelog")
def maintenance_new(request, pk: int):
    vehicle = get_object_or_404(scoped(Vehicle, request.user, "outreach.add_maintenancelog"), pk=pk)
    form = MaintenanceForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.log_maintenance, vehicle=vehicle, done=_("The maintenance entry is saved.")):
            return redirect("outreach:staff-vehicle", pk=vehicle.pk)
    return _form_page(request, form, title=_("Maintenance of {name}").format(name=vehicle.name_th),
                      back="outreach:staff-vehicles")


@perm_required("outreach.change_maintenancelog")
def maintenance_edit(request, pk: int):
    entry = get_object_or_404(scoped(MaintenanceLog, request.user, "outreach.change_maintenancelog")
                              .select_related("vehicle__unit"), pk=pk)
    form = MaintenanceForm(request.POST or None, initial=initial_of(entry, MaintenanceForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.log_maintenance, vehicle=entry.vehicle, entry=entry,
                  done=_("The maintenance entry is saved.")):
            return redirect("outreach:staff-vehicle", pk=entry.vehicle_id)
    return _form_page(request, form, title=_("Maintenance of {name}").format(name=entry.vehicle.name_th),
                      back="outreach:staff-vehicles")


# --- Routes ------------------------------------------------------------------------------------------------

def _vehicles_for(user, perm):
    return scoped(Vehicle, user, perm).exclude(status=Vehicle.Status.RETIRED).order_by("name_th")


@perm_required("outreach.view_route")
def routes(request):
    rows = scoped(Route, request.user, "outreach.view_route").select_related("vehicle").prefetch_related("stops")
    return render(request, "outreach/staff/routes.html", {"rows": list(rows)})


@perm_required("outreach.add_route")
def route_new(request):
    form = RouteForm(request.POST or None, vehicles=_vehicles_for(request.user, "outreach.add_route"))
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.save_route, done=_("The route is saved.")):
            return redirect("outreach:staff-routes")
    return _form_page(request, form, title=_("New route"), back="outreach:staff-routes")


@perm_required("outreach.change_route")
def route_edit(request, pk: int):
    route = get_object_or_404(scoped(Route, request.user, "outreach.change_route").select_related("vehicle"), pk=pk)
    vehicles = _vehicles_for(request.user, "outreach.change_route") | Vehicle.objects.filter(pk=route.vehicle_id)
    form = RouteForm(request.POST or None, vehicles=vehicles.distinct(), initial=initial_of(route, RouteForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.save_route, route=route, done=_("The route is saved.")):
            return redirect("outreach:staff-routes")
    return _form_page(request, form, title=_("Edit route {name}").format(name=route.name_th),
                      back="outreach:staff-routes")


# --- Stops -------------------------------------------------------------------------------------------------

def _routes_for(user, perm):
    return scoped(Route, user, perm).select_related("vehicle").order_by("code")


@perm_required("outreach.view_stop")
def stops(request):
    rows = (scoped(Stop, request.user, "outreach.view_stop").select_related("route__vehicle", "district")
            .order_by("route__code", "code"))
    if request.GET.get("route", "").isdigit():
        rows = rows.filter(route_id=int(request.GET["route"]))
    return render(request, "outreach/staff/stops.html", {"rows": list(rows[:1000])})


@perm_required("outreach.add_stop")
def stop_new(request):
    form = StopForm(request.POST or None, routes=_routes_for(request.user, "outreach.add_stop"),
                    initial={"audience": Stop.Audience.COMMUNITY, "is_active": True})
    if request.method == "POST" and form.is_valid():
        stop = _write(request, form, setup.save_stop, done=_("The stop is saved; add its timetable."))
        if stop is not None:
            return redirect("outreach:staff-stop", pk=stop.pk)
    return _form_page(request, form, title=_("New stop"), back="outreach:staff-stops")


@perm_required("outreach.view_stop")
def stop_detail(request, pk: int):
    stop = get_object_or_404(scoped(Stop, request.user, "outreach.view_stop")
                             .select_related("route__vehicle__unit", "district"), pk=pk)
    today = timezone.localdate()
    trips = list(queries.upcoming_trips([stop], today, days=28).select_related("stop__route__vehicle"))
    return render(request, "outreach/staff/stop.html", {
        "stop": stop, "timetable": list(stop.timetables.order_by("weekday", "on_date", "arrives_at")),
        "trips": trips, "next_trip": next((t for t in trips if t.status != Trip.Status.CANCELLED), None),
        "holds": list(pickup.holds_at(stop)), "waiting": pickup.waiting_count(stop), "today": today})


@perm_required("outreach.change_stop")
def stop_edit(request, pk: int):
    stop = get_object_or_404(scoped(Stop, request.user, "outreach.change_stop").select_related("route"), pk=pk)
    form = StopForm(request.POST or None, routes=_routes_for(request.user, "outreach.change_stop"),
                    initial=initial_of(stop, StopForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.save_stop, stop=stop, done=_("The stop is saved.")):
            return redirect("outreach:staff-stop", pk=stop.pk)
    return _form_page(request, form, title=_("Edit stop {name}").format(name=stop.name_th),
                      back="outreach:staff-stops")


# --- Timetables --------------------------------------------------------------------------------------------

def _stops_for(user, perm):
    return scoped(Stop, user, perm).select_related("route").order_by("name_th")


@perm_required("outreach.add_timetable")
def timetable_new(request, pk: int):
    stop = get_object_or_404(scoped(Stop, request.user, "outreach.add_timetable"), pk=pk)
    form = TimetableForm(request.POST or None, stops=_stops_for(request.user, "outreach.add_timetable"),
                         initial={"stop": stop, "valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.save_timetable, done=_("The timetable is saved and the trips are planned.")):
            return redirect("outreach:staff-stop", pk=form.cleaned_data["stop"].pk)
    return _form_page(request, form, title=_("Timetable of {name}").format(name=stop.name_th),
                      back="outreach:staff-stops")


@perm_required("outreach.change_timetable")
def timetable_edit(request, pk: int):
    entry = get_object_or_404(scoped(Timetable, request.user, "outreach.change_timetable").select_related("stop"),
                              pk=pk)
    form = TimetableForm(request.POST or None, stops=_stops_for(request.user, "outreach.change_timetable"),
                         initial=initial_of(entry, TimetableForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        if _write(request, form, setup.save_timetable, entry=entry,
                  done=_("The timetable is saved and the trips are planned again.")):
            return redirect("outreach:staff-stop", pk=form.cleaned_data["stop"].pk)
    return _form_page(request, form, title=_("Timetable of {name}").format(name=entry.stop.name_th),
                      back="outreach:staff-stops")


@require_POST
@perm_required("outreach.change_timetable")
def timetable_end(request, pk: int):
    entry = get_object_or_404(scoped(Timetable, request.user, "outreach.change_timetable"), pk=pk)
    stop_id = entry.stop_id
    try:
        kept = setup.end_timetable(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The timetable entry ended yesterday; its coming trips are removed.") if kept
                         else _("The timetable entry is deleted with its coming trips."))
    return redirect("outreach:staff-stop", pk=stop_id)


# --- A trip and its reservations ---------------------------------------------------------------------------

@perm_required("outreach.view_trip")
def trip_detail(request, pk: int):
    trip = get_object_or_404(scoped(Trip, request.user, "outreach.view_trip")
                             .select_related("stop__route__vehicle__unit", "stop__district"), pk=pk)
    upcoming = trip.visit_on is not None and trip.visit_on >= timezone.localdate()
    return render(request, "outreach/staff/trip.html", {
        "trip": trip, "stop": trip.stop, "holds": list(pickup.holds_at(trip.stop)) if upcoming else [],
        "upcoming": upcoming, "waiting": pickup.waiting_count(trip.stop),
        "visits": list(trip.visits.all())})


@require_POST
@perm_required("outreach.view_trip", "circulation.add_loan")
def hand_over(request, pk: int, hold_id: int):
    trip = get_object_or_404(scoped(Trip, request.user, "outreach.view_trip").select_related("stop__route__vehicle"),
                             pk=pk)
    hold = get_object_or_404(pickup.holds_at(trip.stop), pk=hold_id)
    try:
        pickup.hand_over(hold=hold, stop=trip.stop, by=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("“{title}” is lent to {patron}.").format(title=hold.record.title,
                                                                            patron=hold.patron.full_name))
    return redirect("outreach:staff-trip", pk=pk)
