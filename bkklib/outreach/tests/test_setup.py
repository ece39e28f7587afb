"""Set-up verbs: vehicles, maintenance, routes, stops, timetables; refusals store nothing; trips re-planned."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network.models import District
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.outreach import rules, setup
from bkklib.outreach.exceptions import SetupInvalid
from bkklib.outreach.models import MaintenanceLog, Stop, Timetable, Trip, Vehicle

from .factories import RouteFactory, StopFactory, UnitFactory, VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet(db):
    """A mobile unit with a vehicle, a route and a stop; its librarian; a network admin."""
    unit = UnitFactory()
    vehicle = VehicleFactory(unit=unit)
    route = RouteFactory(vehicle=vehicle)
    stop = StopFactory(route=route)
    return type("Fleet", (), {"unit": unit, "vehicle": vehicle, "route": route, "stop": stop,
                              "librarian": staff_user(roles.BRANCH_LIBRARIAN, unit),
                              "admin": staff_user(roles.NETWORK_ADMIN, BranchFactory())})


def today():
    return timezone.localdate()


def weekly(stop, by, weekday, arrives=time(9, 0), departs=time(10, 0), **kwargs):
    return setup.save_timetable(by=by, stop=stop, weekday=weekday, arrives_at=arrives, departs_at=departs,
                                valid_from=kwargs.pop("valid_from", today() - timedelta(days=7)), **kwargs)


def refused(expected, fn, **kwargs):
    with pytest.raises(SetupInvalid) as err:
        fn(**kwargs)
    assert err.value.code == expected, err.value.text
    return err.value


# --- Rules --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("plate", "ok"), [
    ("40-1234 กรุงเทพมหานคร", True), ("1กข 1234", True), ("กข 1234 กรุงเทพมหานคร", True), ("ฮก-25", True),
    ("12345", False), ("abc", False), ("", False), ("40-1234 Bangkok", False), ("40-12345", False)])
def test_plate_format(plate, ok):
    assert rules.valid_plate(plate) is ok


def slot(weekday=None, on_date=None, a=(9, 0), d=(10, 0), start=date(2026, 1, 1), until=None):
    return rules.Slot(weekday, on_date, time(*a), time(*d), start, until)


def test_slots_clash_only_on_a_shared_day_with_overlapping_times():
    monday = slot(weekday=0)
    assert rules.slots_clash(monday, slot(weekday=0, a=(9, 30), d=(11, 0)))
    assert not rules.slots_clash(monday, slot(weekday=0, a=(10, 0), d=(11, 0)))  # touching is fine
    assert not rules.slots_clash(monday, slot(weekday=1))
    assert rules.slots_clash(monday, slot(on_date=date(2026, 3, 2)))  # a Monday
    assert not rules.slots_clash(monday, slot(on_date=date(2026, 3, 3)))
    assert not rules.slots_clash(slot(weekday=0, until=date(2026, 2, 1)), slot(weekday=0, start=date(2026, 2, 2)))
    assert rules.slots_clash(slot(on_date=date(2026, 3, 3)), slot(on_date=date(2026, 3, 3), a=(9, 59), d=(12, 0)))


# --- Vehicles and maintenance ---------------------------------------------------------------------------------

def test_a_network_admin_adds_a_vehicle_and_bad_plates_store_nothing(fleet):
    unit = UnitFactory()
    refused("plate_format", setup.create_vehicle, by=fleet.admin, unit=unit, name_th="รถใหม่", plate="ABC-99")
    refused("plate_taken", setup.create_vehicle, by=fleet.admin, unit=unit, name_th="รถใหม่", plate=fleet.vehicle.plate)
    refused("not_a_mobile_unit", setup.create_vehicle, by=fleet.admin, unit=BranchFactory(), name_th="รถ",
            plate="41-2222")
    refused("unit_has_vehicle", setup.create_vehicle, by=fleet.admin, unit=fleet.unit, name_th="รถ", plate="41-2222")
    assert Vehicle.objects.count() == 1
    vehicle = setup.create_vehicle(by=fleet.admin, unit=unit, name_th="รถห้องสมุดใหม่", plate="  41-2222   กรุงเทพมหานคร",
                                   kind=Vehicle.Kind.BOAT, capacity=500)
    assert vehicle.plate == "41-2222 กรุงเทพมหานคร"
    assert vehicle.history.first().history_user == fleet.admin


def test_a_librarian_cannot_add_a_vehicle_nor_change_another_units(fleet):
    with pytest.raises(NotPermitted):
        setup.create_vehicle(by=fleet.librarian, unit=UnitFactory(), name_th="รถ", plate="41-2222")
    other = VehicleFactory()
    with pytest.raises(NotPermitted):
        setup.update_vehicle(vehicle=other, by=fleet.librarian, capacity=1)
    setup.update_vehicle(vehicle=fleet.vehicle, by=fleet.librarian, capacity=1200)
    assert Vehicle.objects.get(pk=fleet.vehicle.pk).capacity == 1200


def test_the_maintenance_log(fleet):
    refused("maintenance_range", setup.log_maintenance, vehicle=fleet.vehicle, by=fleet.librarian,
            starts_on=date(2026, 3, 5), ends_on=date(2026, 3, 1), work="เปลี่ยนยาง")
    refused("cost_negative", setup.log_maintenance, vehicle=fleet.vehicle, by=fleet.librarian,
            starts_on=date(2026, 3, 5), work="เปลี่ยนยาง", cost=Decimal("-1"))
    assert not MaintenanceLog.objects.exists()
    entry = setup.log_maintenance(vehicle=fleet.vehicle, by=fleet.librarian, starts_on=date(2026, 3, 5),
                                  work="เปลี่ยนยาง", cost=Decimal("4800.00"))
    setup.log_maintenance(vehicle=fleet.vehicle, by=fleet.librarian, starts_on=date(2026, 3, 5),
                          ends_on=date(2026, 3, 6), work="เปลี่ยนยาง 4 เส้น", cost=Decimal("4800.00"), entry=entry)
    entry.refresh_from_db()
    assert entry.ends_on == date(2026, 3, 6) and entry.recorded_by == fleet.librarian
    assert entry.history.count() == 2


def test_retiring_a_vehicle_ends_the_coming_trips_and_keeps_the_past(fleet):
    entry = weekly(fleet.stop, fleet.librarian, today().weekday())
    assert Trip.objects.filter(timetable=entry, planned_on__gte=today()).exists()
    Trip.objects.create(stop=fleet.stop, timetable=entry, planned_on=today() - timedelta(days=7),
                        visit_on=today() - timedelta(days=7), arrives_at=time(9), departs_at=time(10),
                        status=Trip.Status.DONE)
    setup.retire_vehicle(vehicle=fleet.vehicle, by=fleet.librarian, reason="ซ่อมไม่คุ้ม")
    fleet.vehicle.refresh_from_db()
    assert not Trip.objects.filter(stop=fleet.stop, planned_on__gte=today()).exists()
    assert Trip.objects.filter(stop=fleet.stop, status=Trip.Status.DONE).count() == 1
    refused("vehicle_retired", setup.save_route, by=fleet.admin, vehicle=fleet.vehicle, code="new", name_th="สายใหม่")


# --- Routes and stops ----------------------------------------------------------------------------------------

def test_stops_refuse_bad_coordinates_and_taken_codes(fleet):
    district = District.objects.get(code="1001")
    base = {"by": fleet.librarian, "route": fleet.route, "district": district, "name_th": "ชุมชนริมคลอง"}
    refused("outside_bangkok", setup.save_stop, code="new-stop", latitude=Decimal("18.788"),
            longitude=Decimal("98.985"), **base)  # Chiang Mai
    refused("coordinates_pair", setup.save_stop, code="new-stop", latitude=Decimal("13.75"), longitude=None, **base)
    refused("stop_code_taken", setup.save_stop, code=fleet.stop.code, **base)
    assert Stop.objects.count() == 1
    stop = setup.save_stop(code="new-stop", latitude=Decimal("13.756300"), longitude=Decimal("100.501800"),
                           contact_name="คุณสมใจ", audience=Stop.Audience.ELDERLY_HOME, is_pickup_point=True, **base)
    assert stop.is_pickup_point and stop.history.first().history_user == fleet.librarian


def test_a_route_code_is_unique_and_routes_are_the_admins(fleet):
    refused("route_code_taken", setup.save_route, by=fleet.admin, vehicle=fleet.vehicle, code=fleet.route.code,
            name_th="ซ้ำ")
    with pytest.raises(NotPermitted):
        setup.save_route(by=fleet.librarian, vehicle=fleet.vehicle, code="x", name_th="สาย")


def test_deactivating_a_stop_or_route_removes_its_coming_trips(fleet):
    weekly(fleet.stop, fleet.librarian, 2)
    assert Trip.objects.filter(stop=fleet.stop).exists()
    setup.save_stop(by=fleet.librarian, stop=fleet.stop, route=fleet.route, district=fleet.stop.district,
                    code=fleet.stop.code, name_th=fleet.stop.name_th, is_active=False)
    assert not Trip.objects.filter(stop=fleet.stop).exists()
    setup.save_stop(by=fleet.librarian, stop=fleet.stop, route=fleet.route, district=fleet.stop.district,
                    code=fleet.stop.code, name_th=fleet.stop.name_th, is_active=True)
    assert Trip.objects.filter(stop=fleet.stop).exists()
    setup.save_route(by=fleet.admin, route=fleet.route, vehicle=fleet.vehicle, code=fleet.route.code,
                     name_th=fleet.route.name_th, is_active=False)
    assert not Trip.objects.filter(stop=fleet.stop).exists()


# --- Timetables ----------------------------------------------------------------------------------------------

def test_timetable_refusals_store_nothing(fleet):
    base = {"by": fleet.librarian, "stop": fleet.stop, "valid_from": today()}
    refused("departs_before_arrival", setup.save_timetable, weekday=0, arrives_at=time(10), departs_at=time(9),
            **base)
    refused("weekday_or_date", setup.save_timetable, weekday=0, on_date=today(), arrives_at=time(9),
            departs_at=time(10), **base)
    refused("weekday_or_date", setup.save_timetable, arrives_at=time(9), departs_at=time(10), **base)
    refused("validity", setup.save_timetable, weekday=0, arrives_at=time(9), departs_at=time(10),
            valid_until=today() - timedelta(days=1), **base)
    assert not Timetable.objects.exists() and not Trip.objects.exists()


def test_the_vehicle_cannot_be_at_two_stops_at_once(fleet):
    weekly(fleet.stop, fleet.librarian, 0, time(9), time(10, 30))
    err = refused("timetable_overlap", weekly, stop=fleet.stop, by=fleet.librarian, weekday=0, arrives=time(10),
                  departs=time(11))
    assert fleet.stop.name_th in err.text and "ทุกวันจันทร์" in err.text and "09:00–10:30" in err.text
    other_stop = StopFactory(route=RouteFactory(vehicle=fleet.vehicle))
    refused("timetable_overlap", weekly, stop=other_stop, by=fleet.librarian, weekday=0, arrives=time(8),
            departs=time(9, 30))
    monday = today() + timedelta(days=(7 - today().weekday()) % 7 or 7)
    refused("timetable_overlap", setup.save_timetable, by=fleet.librarian, stop=other_stop, on_date=monday,
            arrives_at=time(10), departs_at=time(10, 15), valid_from=today())
    assert Timetable.objects.count() == 1
    weekly(other_stop, fleet.librarian, 0, time(10, 30), time(12))  # right after: fine
    weekly(StopFactory(), fleet.admin, 0, time(9), time(10, 30))  # another vehicle: fine


def test_changing_the_weekday_replans_the_coming_trips(fleet):
    entry = weekly(fleet.stop, fleet.librarian, 0)
    mondays = list(Trip.objects.filter(timetable=entry).values_list("planned_on", flat=True))
    assert mondays and all(d.weekday() == 0 for d in mondays)
    assert max(mondays) > today() + timedelta(days=100)
    setup.save_timetable(by=fleet.librarian, entry=entry, stop=fleet.stop, weekday=3, arrives_at=time(13),
                         departs_at=time(15), valid_from=entry.valid_from)
    trips = Trip.objects.filter(timetable=entry)
    assert trips.exists() and all(t.planned_on.weekday() == 3 and t.arrives_at == time(13) for t in trips)


def test_trips_staff_changed_by_hand_survive_a_replan(fleet):
    entry = weekly(fleet.stop, fleet.librarian, 0)
    trip = Trip.objects.filter(timetable=entry).first()
    trip.status, trip.visit_on, trip.manual = Trip.Status.CANCELLED, None, True
    trip.save()
    setup.save_timetable(by=fleet.librarian, entry=entry, stop=fleet.stop, weekday=1, arrives_at=time(9),
                         departs_at=time(10), valid_from=entry.valid_from)
    assert Trip.objects.filter(pk=trip.pk, manual=True).exists()


def test_ending_a_timetable_keeps_a_served_entry_and_deletes_an_unused_one(fleet):
    unused = weekly(fleet.stop, fleet.librarian, 4, valid_from=today() + timedelta(days=3))
    assert setup.end_timetable(entry=unused, by=fleet.librarian) is None
    assert not Timetable.objects.filter(pk=unused.pk).exists()
    served = weekly(fleet.stop, fleet.librarian, 2, valid_from=today() - timedelta(days=30))
    Trip.objects.create(stop=fleet.stop, timetable=served, planned_on=today() - timedelta(days=9),
                        visit_on=today() - timedelta(days=9), arrives_at=time(9), departs_at=time(10),
                        status=Trip.Status.DONE)
    kept = setup.end_timetable(entry=served, by=fleet.librarian)
    assert kept.valid_until == today() - timedelta(days=1)
    assert not Trip.objects.filter(timetable=served, planned_on__gte=today()).exists()
    assert Trip.objects.filter(timetable=served, status=Trip.Status.DONE).count() == 1


def test_a_librarian_of_another_branch_cannot_touch_the_timetable(fleet):
    stranger = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    with pytest.raises(NotPermitted):
        weekly(fleet.stop, stranger, 0)
    executive = staff_user(roles.EXECUTIVE_VIEWER, fleet.unit)
    with pytest.raises(NotPermitted):
        weekly(fleet.stop, executive, 0)
    assert not Timetable.objects.exists()
