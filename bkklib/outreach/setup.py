"""Set-up verbs of outreach: vehicles and their maintenance log, routes, stops and timetables.

Every verb is keyword-only, checks the permission at the vehicle's mobile unit (network.access;
``by=None`` is the system: demo data), validates the whole input before writing anything
(``SetupInvalid`` with a code and a Thai message naming the field), runs in one transaction and
audits who did it (core.history). Nothing is deleted that has a history: a vehicle is retired, a
route or a stop is deactivated, a timetable entry that has been served ends. A change of a
timetable, stop, route or vehicle re-plans the stop's future trips (trips.replan_stop).
"""
from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from bkklib.core.calendar import thai_date
from bkklib.core.history import audit
from bkklib.network import geo
from bkklib.network.models import Branch, District

from . import rules
from ._common import _now, _require
from .exceptions import SETUP, SetupInvalid
from .models import MaintenanceLog, Route, Stop, Timetable, Trip, Vehicle
from .trips import replan_stop

__all__ = ["SETUP", "create_vehicle", "end_timetable", "log_maintenance", "retire_vehicle", "save_route",
           "save_stop", "save_timetable", "update_vehicle"]

WEEKDAYS_TH = ("วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี", "วันศุกร์", "วันเสาร์", "วันอาทิตย์")


def _apply(instance, values: dict) -> list[str]:
    """Set ``values`` on ``instance``; return the names that changed."""
    changed = [name for name, value in values.items() if getattr(instance, name, None) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _replan(stops, now) -> None:
    _moment, today = _now(now)
    for stop in stops:
        replan_stop(stop, today=today)


# --- Vehicles ------------------------------------------------------------------------------------------

def _check_vehicle(values: dict, *, vehicle: Vehicle | None) -> dict:
    plate = rules.normal_plate(values.get("plate", ""))
    if not rules.valid_plate(plate):
        raise SetupInvalid("plate_format", plate=plate, field="plate")
    if Vehicle.objects.filter(plate=plate).exclude(pk=getattr(vehicle, "pk", None)).exists():
        raise SetupInvalid("plate_taken", plate=plate, field="plate")
    return {**values, "plate": plate}


def create_vehicle(*, by, unit: Branch, name_th: str, plate: str, kind: str = Vehicle.Kind.BUS, capacity: int = 0,
                   status: str = Vehicle.Status.IN_SERVICE, is_demo: bool = False) -> Vehicle:
    """Put a vehicle on a network branch of kind mobile unit (one vehicle per unit)."""
    _require(by, "outreach.add_vehicle", at=unit)
    if unit.kind != Branch.Kind.MOBILE_UNIT:
        raise SetupInvalid("not_a_mobile_unit", branch=unit.name_th, field="unit")
    existing = Vehicle.objects.filter(unit=unit).first()
    if existing is not None:
        raise SetupInvalid("unit_has_vehicle", branch=unit.name_th, vehicle=existing, field="unit")
    values = _check_vehicle({"name_th": name_th.strip(), "plate": plate, "kind": kind, "capacity": capacity,
                             "status": status}, vehicle=None)
    with transaction.atomic():
        vehicle = Vehicle(unit=unit, is_demo=is_demo, **values)
        audit(vehicle, by)
        vehicle.save()
    return vehicle


def update_vehicle(*, vehicle: Vehicle, by, now=None, reason: str = "", **fields) -> Vehicle:
    """Change a vehicle's name, plate, kind, capacity or status (retiring it ends its trips)."""
    _require(by, "outreach.change_vehicle", at=vehicle.unit)
    fields = {name: value for name, value in fields.items() if name in ("name_th", "plate", "kind", "capacity",
                                                                          "status")}
    values = _check_vehicle({"plate": vehicle.plate, **fields}, vehicle=vehicle)
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
        changed = _apply(vehicle, values)
        if changed:
            audit(vehicle, by, reason)
            vehicle.save()
            if "status" in changed:
                _replan(Stop.objects.filter(route__vehicle=vehicle), now)
    return vehicle


def retire_vehicle(*, vehicle: Vehicle, by, reason: str = "", now=None) -> Vehicle:
    """Take a vehicle out of service for good: its stops get no more trips; its history stays."""
    return update_vehicle(vehicle=vehicle, by=by, status=Vehicle.Status.RETIRED, reason=reason, now=now)


def log_maintenance(*, vehicle: Vehicle, by, starts_on: date, work: str, ends_on: date | None = None,
                    cost: Decimal | None = None, entry: MaintenanceLog | None = None) -> MaintenanceLog:
    """Add (or correct, ``entry``) an entry of a vehicle's maintenance log."""
    _require(by, "outreach.change_maintenancelog" if entry else "outreach.add_maintenancelog", at=vehicle.unit)
    if ends_on is not None and ends_on < starts_on:
        raise SetupInvalid("maintenance_range", start=thai_date(starts_on), until=thai_date(ends_on), field="ends_on")
    if cost is not None and cost < 0:
        raise SetupInvalid("cost_negative", field="cost")
    with transaction.atomic():
        entry = entry or MaintenanceLog(vehicle=vehicle, recorded_by=by)
        _apply(entry, {"starts_on": starts_on, "ends_on": ends_on, "work": work.strip(), "cost": cost})
        audit(entry, by)
        entry.save()
    return entry


# --- Routes ----------------------------------------------------------------------------------------------

def save_route(*, by, vehicle: Vehicle, code: str, name_th: str, name_en: str = "", is_active: bool = True,
               route: Route | None = None, is_demo: bool = False, now=None) -> Route:
    """Create a route (``route=None``) or change one; deactivating it ends the trips of its stops."""
    _require(by, "outreach.change_route" if route else "outreach.add_route", at=vehicle.unit)
    if route is not None and route.vehicle_id != vehicle.pk:
        _require(by, "outreach.change_route", at=route.vehicle.unit)
    if Route.objects.filter(code=code).exclude(pk=getattr(route, "pk", None)).exists():
        raise SetupInvalid("route_code_taken", value=code, field="code")
    if vehicle.status == Vehicle.Status.RETIRED and (route is None or route.vehicle_id != vehicle.pk):
        raise SetupInvalid("vehicle_retired", vehicle=vehicle, field="vehicle")
    with transaction.atomic():
        route = route or Route(is_demo=is_demo)
        changed = _apply(route, {"vehicle": vehicle, "code": code, "name_th": name_th.strip(),
                                 "name_en": name_en.strip(), "is_active": is_active})
        audit(route, by)
        route.save()
        if {"vehicle", "is_active"} & set(changed):
            _replan(route.stops.all(), now)
    return route


# --- Stops -----------------------------------------------------------------------------------------------

def check_position(latitude, longitude) -> None:
    """Both or neither; inside Bangkok (network.geo's district boundaries)."""
    if (latitude is None) != (longitude is None):
        raise SetupInvalid("coordinates_pair", field="longitude" if longitude is None else "latitude")
    if latitude is not None and geo.district_of(float(latitude), float(longitude)) is None:
        raise SetupInvalid("outside_bangkok", lat=latitude, lon=longitude, field="latitude")


STOP_FIELDS = ("code", "name_th", "name_en", "address", "latitude", "longitude", "contact_name", "contact_phone",
               "audience", "is_pickup_point", "is_active")


def save_stop(*, by, route: Route, district: District, code: str, name_th: str, stop: Stop | None = None,
              now=None, is_demo: bool = False, **fields) -> Stop:
    """Create a stop (``stop=None``) or change one; moving it or deactivating it re-plans its trips."""
    _require(by, "outreach.change_stop" if stop else "outreach.add_stop", at=route.vehicle.unit)
    if stop is not None and stop.route_id != route.pk:
        _require(by, "outreach.change_stop", at=stop.route.vehicle.unit)
    values = {"route": route, "district": district, "code": code, "name_th": name_th.strip(),
              **{name: value for name, value in fields.items() if name in STOP_FIELDS}}
    for name in ("name_en", "address", "contact_name", "contact_phone"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    check_position(values.get("latitude", stop.latitude if stop else None),
                   values.get("longitude", stop.longitude if stop else None))
    if Stop.objects.filter(code=code).exclude(pk=getattr(stop, "pk", None)).exists():
        raise SetupInvalid("stop_code_taken", value=code, field="code")
    with transaction.atomic():
        stop = stop or Stop(is_demo=is_demo)
        changed = _apply(stop, values)
        audit(stop, by)
        stop.save()
        if {"route", "is_active"} & set(changed):
            _replan([stop], now)
    return stop


# --- Timetables ------------------------------------------------------------------------------------------

def _slot(entry) -> rules.Slot:
    return rules.Slot(weekday=entry.weekday, on_date=entry.on_date, arrives_at=entry.arrives_at,
                      departs_at=entry.departs_at, valid_from=entry.valid_from, valid_until=entry.valid_until)


def check_timetable(*, stop: Stop, weekday: int | None, on_date: date | None, arrives_at: time, departs_at: time,
                    valid_from: date, valid_until: date | None, entry: Timetable | None = None) -> None:
    """Refuse a timetable entry that is malformed or puts the vehicle at two places at once."""
    if (weekday is None) == (on_date is None):
        raise SetupInvalid("weekday_or_date", field="weekday")
    if departs_at <= arrives_at:
        raise SetupInvalid("departs_before_arrival", arrives=f"{arrives_at:%H:%M}", departs=f"{departs_at:%H:%M}",
                           field="departs_at")
    if valid_until is not None and valid_until < valid_from:
        raise SetupInvalid("validity", start=thai_date(valid_from), until=thai_date(valid_until), field="valid_until")
    if on_date is not None and not (valid_from <= on_date <= (valid_until or date.max)):
        raise SetupInvalid("date_outside_validity", date=thai_date(on_date), field="on_date")
    new = rules.Slot(weekday, on_date, arrives_at, departs_at, valid_from, valid_until)
    vehicle = stop.route.vehicle
    others = (Timetable.objects.filter(stop__route__vehicle=vehicle, stop__is_active=True, stop__route__is_active=True)
              .exclude(pk=getattr(entry, "pk", None)).select_related("stop"))
    for other in others:
        if rules.slots_clash(new, _slot(other)):
            when = thai_date(other.on_date) if other.on_date else f"ทุก{WEEKDAYS_TH[other.weekday]}"
            raise SetupInvalid("timetable_overlap", vehicle=vehicle.name_th, stop=other.stop.name_th, when=when,
                               arrives=f"{other.arrives_at:%H:%M}", departs=f"{other.departs_at:%H:%M}",
                               field="arrives_at")


def save_timetable(*, by, stop: Stop, arrives_at: time, departs_at: time, valid_from: date,
                   weekday: int | None = None, on_date: date | None = None, valid_until: date | None = None,
                   entry: Timetable | None = None, now=None) -> Timetable:
    """Create (``entry=None``) or change a timetable entry, then re-plan the stop's future trips."""
    perm = "outreach.change_timetable" if entry else "outreach.add_timetable"
    _require(by, perm, at=stop.route.vehicle.unit)
    if entry is not None and entry.stop_id != stop.pk:
        _require(by, perm, at=entry.stop.route.vehicle.unit)
    check_timetable(stop=stop, weekday=weekday, on_date=on_date, arrives_at=arrives_at, departs_at=departs_at,
                    valid_from=valid_from, valid_until=valid_until, entry=entry)
    with transaction.atomic():
        old_stop = entry.stop if entry is not None else None
        entry = entry or Timetable()
        _apply(entry, {"stop": stop, "weekday": weekday, "on_date": on_date, "arrives_at": arrives_at,
                       "departs_at": departs_at, "valid_from": valid_from, "valid_until": valid_until})
        audit(entry, by)
        entry.save()
        _replan({stop, old_stop} - {None}, now)
    return entry


def end_timetable(*, entry: Timetable, by, now=None) -> Timetable | None:
    """Stop a timetable entry: ended yesterday when it has served visits (kept for history), else deleted.

    Returns the ended entry, or None when it was deleted. Its future trips go (trips staff changed
    by hand are kept).
    """
    _require(by, "outreach.change_timetable", at=entry.stop.route.vehicle.unit)
    _moment, today = _now(now)
    stop = entry.stop
    served = Trip.objects.filter(timetable=entry).filter(Q(planned_on__lt=today) | Q(status=Trip.Status.DONE))
    with transaction.atomic():
        if served.exists():
            entry.valid_until = max(entry.valid_from, today - timedelta(days=1))
            if entry.on_date is not None and entry.on_date > entry.valid_until:
                entry.valid_until = entry.on_date
            audit(entry, by, "ended")
            entry.save()
        else:
            _require(by, "outreach.delete_timetable", at=stop.route.vehicle.unit)
            Trip.objects.filter(timetable=entry, manual=False).delete()
            audit(entry, by, "deleted")
            entry.delete()
            entry = None
        _replan([stop], now)
    return entry
