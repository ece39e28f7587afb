"""Mobile library stops as hold pickup places (registered in circulation's registry by apps.ready).

A reservation collected at a stop has the vehicle's mobile unit as its pickup branch (so the item
is trapped and sent to the vehicle's collection as to any pickup branch) and a ``HoldPickup`` row
naming the stop. The staff page of the stop's next trip lists the reservations waiting there, and
the hand-over is circulation's checkout at the vehicle's unit.
"""
from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from bkklib.circulation import services as circulation
from bkklib.circulation.models import Hold, Loan
from bkklib.circulation.services.holds import PickupPlace

from ._common import _now, _require
from .exceptions import SetupInvalid
from .models import HoldPickup, Stop, Trip, Vehicle

PREFIX = "stop:"
WAITING = (Hold.Status.IN_TRANSIT, Hold.Status.READY)


def pickup_stops():
    """Stops open for pickups: flagged, active, on an active route of a vehicle not retired."""
    return (Stop.objects.public().filter(is_pickup_point=True).exclude(route__vehicle__status=Vehicle.Status.RETIRED)
            .select_related("route__vehicle__unit", "district"))


def key_of(stop: Stop) -> str:
    return f"{PREFIX}{stop.pk}"


class StopPickups:
    """circulation's PickupPlaceProvider for the mobile library stops."""

    def _place(self, stop: Stop) -> PickupPlace:
        vehicle = stop.route.vehicle
        return PickupPlace(key=key_of(stop), branch=vehicle.unit, label=f"{stop.name_th} ({vehicle.name_th})",
                           group=stop.district.name_th, provider=self)

    def places(self) -> list[PickupPlace]:
        return [self._place(stop) for stop in pickup_stops().order_by("district__code", "name_th")]

    def place(self, key: str) -> PickupPlace | None:
        if not isinstance(key, str) or not key.startswith(PREFIX) or not key[len(PREFIX):].isdigit():
            return None
        stop = pickup_stops().filter(pk=int(key[len(PREFIX):])).first()
        return self._place(stop) if stop is not None else None

    def attach(self, hold: Hold, place: PickupPlace | None) -> None:
        if place is None:
            HoldPickup.objects.filter(hold=hold).delete()
            return
        HoldPickup.objects.update_or_create(hold=hold, defaults={"stop_id": int(place.key[len(PREFIX):])})

    def place_of(self, hold: Hold) -> PickupPlace | None:
        row = (HoldPickup.objects.filter(hold_id=hold.pk).select_related("stop__route__vehicle__unit", "stop__district")
               .first())
        return self._place(row.stop) if row is not None else None

    def places_of(self, hold_ids: list[int]) -> dict[int, PickupPlace]:
        rows = HoldPickup.objects.filter(hold_id__in=hold_ids).select_related("stop__route__vehicle__unit",
                                                                                 "stop__district")
        return {row.hold_id: self._place(row.stop) for row in rows}

    def keep_until(self, hold: Hold) -> date | None:
        """The day of the stop's first visit on or after the day the reservation became ready."""
        row = HoldPickup.objects.filter(hold_id=hold.pk).first()
        if row is None or hold.ready_at is None:
            return None
        return next_visit_day(row.stop_id, timezone.localdate(hold.ready_at))


def next_visit_day(stop_id: int, since: date) -> date | None:
    return (Trip.objects.filter(stop_id=stop_id, visit_on__gte=since).exclude(status=Trip.Status.CANCELLED)
            .order_by("visit_on").values_list("visit_on", flat=True).first())


def holds_at(stop: Stop):
    """Reservations to hand over at ``stop``: the item is on its way to the vehicle or in it."""
    return (Hold.objects.filter(pickup_stop__stop=stop, status__in=WAITING)
            .select_related("record", "patron", "trapped_item").order_by("ready_at", "placed_at"))


def waiting_count(stop: Stop) -> int:
    """Reservations for ``stop`` still waiting for an item."""
    return Hold.objects.filter(pickup_stop__stop=stop, status=Hold.Status.WAITING).count()


def hand_over(*, hold: Hold, stop: Stop, by, now: datetime | None = None) -> Loan:
    """Lend a reserved item to its patron at ``stop``: a checkout at the vehicle's unit.

    An item still in transit is first received in the vehicle (checkin at the unit: the hold goes
    on the vehicle's shelf), then lent; the loan fulfils the reservation.
    """
    unit = stop.route.vehicle.unit
    _require(by, "circulation.add_loan", at=unit)
    now, _today = _now(now)
    with transaction.atomic():
        hold = Hold.objects.select_for_update(of=("self",)).select_related("trapped_item", "patron").get(pk=hold.pk)
        if hold.status not in WAITING or hold.trapped_item is None or not HoldPickup.objects.filter(
                hold=hold, stop=stop).exists():
            raise SetupInvalid("hold_not_here", field="hold")
        if hold.status == Hold.Status.IN_TRANSIT:
            circulation.checkin(item=hold.trapped_item, staff=by, desk=unit, now=now)
        return circulation.checkout(item=hold.trapped_item, patron=hold.patron, staff=by, desk=unit, now=now)
