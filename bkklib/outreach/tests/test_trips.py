"""Trips follow the calendar: a holiday or closure moves or cancels a visit, and the public pages say so."""
from datetime import date, time

import pytest
from django.urls import reverse

from bkklib.network import services as network_services
from bkklib.network.models import Closure
from bkklib.opac import clock
from bkklib.outreach import services
from bkklib.outreach.models import Trip

from .conftest import at
from .factories import StopFactory, TimetableFactory

MON_2 = date(2025, 6, 2)  # Monday 2 June 2025 (2 มิ.ย. 2568)


@pytest.fixture
def stop(db):
    stop = StopFactory(code="wat-lat-pla-duk", name_th="โรงเรียนวัดลาดปลาดุก")
    TimetableFactory(stop=stop, weekday=0, arrives_at=time(9, 30), departs_at=time(11, 30))
    services.plan_trips(start=MON_2, end=date(2025, 6, 30))
    return stop


@pytest.fixture
def june_3rd(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: at(1, 8))


def test_weekly_timetable_plans_a_trip_each_monday(stop):
    assert list(Trip.objects.values_list("visit_on", flat=True)) == [date(2025, 6, d) for d in (2, 9, 16, 23, 30)]
    assert set(Trip.objects.values_list("status", flat=True)) == {"scheduled"}


def test_a_holiday_moves_the_visit_and_the_public_pages_say_so(stop, client, june_3rd,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=None, starts_on=date(2025, 6, 9), ends_on=date(2025, 6, 9),
                                     reason_th="วันหยุดชดเชยวันวิสาขบูชา", kind=Closure.Kind.PUBLIC_HOLIDAY)
    trip = Trip.objects.get(planned_on=date(2025, 6, 9))
    assert (trip.status, trip.visit_on, trip.reason) == ("moved", date(2025, 6, 10), "วันหยุดชดเชยวันวิสาขบูชา")
    page = client.get(reverse("outreach:stop", args=[stop.code])).content.decode()
    assert "ย้ายจาก 9 มิถุนายน 2568 (วันหยุดชดเชยวันวิสาขบูชา)" in page
    assert "10 มิถุนายน 2568" in page
    district = client.get(reverse("outreach:district", args=["1001"])).content.decode()
    assert "วันหยุดชดเชยวันวิสาขบูชา" in district
    feed = client.get(reverse("outreach:stop-ics", args=[stop.code])).content.decode()
    assert "DTSTART;TZID=Asia/Bangkok:20250610T093000" in feed


def test_a_long_closure_of_the_vehicle_cancels_the_visit(stop, client, june_3rd,
                                                         django_capture_on_commit_callbacks):
    unit = stop.route.vehicle.unit
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=unit, starts_on=date(2025, 6, 16), ends_on=date(2025, 6, 20),
                                     reason_th="รถเข้าซ่อมบำรุง")
    trip = Trip.objects.get(planned_on=date(2025, 6, 16))
    assert (trip.status, trip.visit_on) == ("cancelled", None)
    page = client.get(reverse("outreach:stop", args=[stop.code])).content.decode()
    assert "ยกเลิก" in page and "รถเข้าซ่อมบำรุง" in page
    feed = client.get(reverse("outreach:stop-ics", args=[stop.code])).content.decode()
    assert "STATUS:CANCELLED" in feed


def test_a_closure_of_another_branch_moves_nothing(stop, django_capture_on_commit_callbacks):
    from bkklib.network.tests.factories import BranchFactory

    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=BranchFactory(), starts_on=date(2025, 6, 9), ends_on=date(2025, 6, 9),
                                     reason_th="ปิดปรับปรุง")
    assert Trip.objects.get(planned_on=date(2025, 6, 9)).status == "scheduled"


def test_planning_again_keeps_what_staff_changed(stop):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user

    admin = staff_user(roles.NETWORK_ADMIN, stop.route.vehicle.unit)
    trip = Trip.objects.get(planned_on=date(2025, 6, 23))
    services.change_trip(trip=trip, by=admin, status=Trip.Status.CANCELLED, reason="รถเสีย")
    services.plan_trips(start=MON_2, end=date(2025, 6, 30))
    trip.refresh_from_db()
    assert (trip.status, trip.reason) == ("cancelled", "รถเสีย")
    assert Trip.objects.count() == 5


def test_near_me_lists_the_nearest_stops_with_their_next_visit(stop, client, june_3rd):
    far = StopFactory(code="far-away", name_th="ชุมชนไกลมาก", latitude=13.80, longitude=100.55)
    TimetableFactory(stop=far, weekday=2)
    services.plan_trips(start=MON_2, end=date(2025, 6, 30))
    page = client.get(reverse("outreach:near"), {"lat": "13.7570", "lon": "100.5020"}).content.decode()
    assert page.index("โรงเรียนวัดลาดปลาดุก") < page.index("ชุมชนไกลมาก")
    assert "2 มิถุนายน 2568" in page
    bad = client.get(reverse("outreach:near"), {"lat": "abc", "lon": ""})
    assert bad.status_code == 200 and "อ่านตำแหน่งไม่ได้" in bad.content.decode()
