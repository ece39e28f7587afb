"""Outreach trips on the calendar and the visits recorded at stops and reading houses (see services)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction

from bkklib.core.history import audit
from bkklib.network.models import Branch, Closure

from . import rules
from ._common import _require
from .models import Stop, Timetable, Trip, Vehicle, VisitRecord

# --- Trips on the calendar ------------------------------------------------------------------------

def _closures_by_unit(unit_ids: set[int], start: date, end: date) -> dict[int | None, list[Closure]]:
    by_unit: dict[int | None, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.overlapping(start, end, branches=list(unit_ids)):
        by_unit[closure.branch_id].append(closure)
    return by_unit


def plan_trips(*, start: date, end: date, stops=None) -> int:
    """Plan (or re-plan) the trips of ``stops`` (all active ones by default) planned in ``start``..``end``.

    A trip on a closed day (a public holiday, a closure of the network or of the vehicle's unit)
    moves to the next open weekday or is cancelled (rules.place_visit), with the closure's reason.
    Trips staff changed by hand and trips done are left alone. Idempotent; returns the trips
    written.
    """
    if stops is None:
        stops = Stop.objects.public()
    timetables = list(Timetable.objects.filter(stop__in=stops).select_related("stop__route__vehicle"))
    if not timetables:
        return 0
    units = {t.stop.route.vehicle.unit_id for t in timetables}
    horizon = end + timedelta(days=rules.MOVE_WITHIN_DAYS)
    closures = _closures_by_unit(units, start, horizon)
    existing = {(t.timetable_id, t.planned_on): t
                for t in Trip.objects.filter(timetable__in=timetables, planned_on__range=(start, end))}
    planned: dict[int, list[tuple[Timetable, date]]] = defaultdict(list)
    for entry in timetables:
        for day in rules.timetable_days(weekday=entry.weekday, on_date=entry.on_date, valid_from=entry.valid_from,
                                        valid_until=entry.valid_until, start=start, end=horizon):
            planned[entry.stop_id].append((entry, day))
    written = 0
    with transaction.atomic():
        for stop_id, visits in planned.items():
            unit = visits[0][0].stop.route.vehicle.unit_id
            relevant = closures.get(None, []) + closures.get(unit, [])

            def closure_on(day, relevant=relevant):
                return next((c for c in relevant if c.starts_on <= day <= c.ends_on), None)

            taken = frozenset(day for _entry, day in visits if closure_on(day) is None)
            for entry, day in visits:
                if day > end:
                    continue
                trip = existing.get((entry.pk, day))
                if trip is not None and (trip.manual or trip.status == Trip.Status.DONE):
                    continue
                placement = rules.place_visit(day, is_closed=lambda d: closure_on(d) is not None, taken=taken)
                closure = closure_on(day)
                if placement.cancelled:
                    status, reason = Trip.Status.CANCELLED, closure.reason_th
                elif placement.moved:
                    status, reason = Trip.Status.MOVED, closure.reason_th
                else:
                    status, reason = Trip.Status.SCHEDULED, ""
                values = {"visit_on": placement.visit_on, "status": status, "reason": reason,
                          "arrives_at": entry.arrives_at, "departs_at": entry.departs_at}
                if trip is None:
                    Trip.objects.create(stop_id=stop_id, timetable=entry, planned_on=day, **values)
                    written += 1
                elif any(getattr(trip, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(trip, name, value)
                    trip.save()
                    written += 1
    return written


def replan_for_closure(*, branch: Branch | None, starts_on: date, ends_on: date) -> int:
    """closure_added: re-plan the trips a new closure touches (all vehicles for a network-wide one)."""
    stops = Stop.objects.public()
    if branch is not None:
        if branch.kind != Branch.Kind.MOBILE_UNIT:
            return 0
        stops = stops.filter(route__vehicle__unit=branch)
    # Only days already planned: the daily task plans the months ahead.
    last = Trip.objects.filter(stop__in=stops).order_by("-planned_on").values_list("planned_on", flat=True).first()
    if last is None:
        return 0
    start = starts_on - timedelta(days=rules.MOVE_WITHIN_DAYS)
    return plan_trips(start=start, end=min(last, ends_on + timedelta(days=rules.MOVE_WITHIN_DAYS)), stops=stops)


# How far ahead the trips are planned (the nightly task, and a re-plan after a change of set-up).
PLAN_AHEAD_DAYS = 120


def replan_stop(stop: Stop, *, today: date) -> int:
    """Re-plan ``stop``'s trips from ``today`` after its timetable, route, vehicle or state changed.

    Future trips no timetable entry plans any more (a weekday changed, an entry ended, the stop,
    its route or its vehicle taken out of service) go; trips done and trips staff changed by hand
    stay. Then the stop's trips of the next ``PLAN_AHEAD_DAYS`` are planned as the nightly task
    plans them (plan_trips: holidays and closures move or cancel them). Returns the trips written.
    """
    stop = Stop.objects.select_related("route__vehicle").get(pk=stop.pk)
    served = stop.is_active and stop.route.is_active and stop.route.vehicle.status != Vehicle.Status.RETIRED
    end = today + timedelta(days=PLAN_AHEAD_DAYS)
    future = list(Trip.objects.filter(stop=stop, planned_on__gte=today, manual=False)
                  .exclude(status=Trip.Status.DONE).select_related("timetable"))
    stale = []
    for trip in future:
        entry = trip.timetable
        if not served or entry is None:
            stale.append(trip.pk)
            continue
        days = set(rules.timetable_days(weekday=entry.weekday, on_date=entry.on_date, valid_from=entry.valid_from,
                                        valid_until=entry.valid_until, start=trip.planned_on, end=trip.planned_on))
        if trip.planned_on not in days:
            stale.append(trip.pk)
    with transaction.atomic():
        Trip.objects.filter(pk__in=stale).delete()
        written = plan_trips(start=today, end=end, stops=Stop.objects.filter(pk=stop.pk)) if served else 0
    return written + len(stale)


def change_trip(*, trip: Trip, by, status: str, visit_on: date | None = None, reason: str = "") -> Trip:
    """Staff move or cancel one trip by hand (kept as set when trips are planned again)."""
    _require(by, "outreach.change_trip", at=trip.stop.route.vehicle.unit)
    with transaction.atomic():
        trip.status, trip.reason, trip.manual = status, reason, True
        trip.visit_on = None if status == Trip.Status.CANCELLED else (visit_on or trip.visit_on or trip.planned_on)
        audit(trip, by, reason)
        trip.save()
    return trip


# --- Visits ------------------------------------------------------------------------------------------

def record_visit(*, branch: Branch, day: date, by, stop: Stop | None = None, counts: dict | None = None,
                 add: bool = False, **fields) -> VisitRecord:
    """Record (or add to) what happened at a stop or a reading house on ``day``."""
    _require(by, "outreach.add_visitrecord", at=branch)
    counts = counts or {}
    with transaction.atomic():
        visit, _created = VisitRecord.objects.select_for_update().get_or_create(branch=branch, stop=stop, day=day)
        for group in rules.AGE_GROUPS:
            if group in counts:
                value = int(counts[group])
                setattr(visit, group, getattr(visit, group) + value if add else value)
        for name, value in fields.items():
            setattr(visit, name, value)
        if stop is not None and visit.trip_id is None:
            visit.trip = Trip.objects.filter(stop=stop, visit_on=day).exclude(status=Trip.Status.CANCELLED).first()
            if visit.trip is not None and visit.trip.status != Trip.Status.DONE:
                visit.trip.status = Trip.Status.DONE
                visit.trip.save(update_fields=["status", "updated_at"])
        visit.recorded_by = by
        audit(visit, by)
        visit.save()
    return visit
