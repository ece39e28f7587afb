"""Outreach set-up in a real browser at phone width: a librarian of a mobile unit creates a stop and
its timetable on the staff pages, and the public /mobile-libraries/ page shows the coming visit.
A bad timetable (departure before arrival) is answered in Thai and stores nothing. Screenshots at
phone and desktop width; axe-core on every page."""
from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import PHONE
from .world import staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def unit_world(site_data):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.outreach.tests.factories import RouteFactory, UnitFactory, VehicleFactory

    unit = UnitFactory(code="mobile-1", name_th="หน่วยห้องสมุดเคลื่อนที่ 1")
    route = RouteFactory(vehicle=VehicleFactory(unit=unit, name_th="รถห้องสมุดคันที่ 1"), code="route-north",
                         name_th="สายเหนือ")
    staff_user(roles.BRANCH_LIBRARIAN, unit, username="mobile-librarian")
    return {"unit": unit, "route": route}


def test_a_librarian_creates_a_stop_and_a_timetable_and_the_public_page_shows_the_trip(
        live_server, page, unit_world, axe, shoot):
    from bkklib.core.calendar import thai_date
    from bkklib.outreach.models import Stop, Timetable, Trip

    base = live_server.url
    page.set_viewport_size(PHONE)
    staff_log_in(page, base, "mobile-librarian")
    page.goto(f"{base}/staff/outreach/stops/")
    page.get_by_role("link", name="เพิ่มจุดจอด").click()
    axe(page, label="new stop")
    page.locator("#id_route").select_option(label="สายเหนือ")
    page.locator("#id_code").fill("wat-lat-pla-duk")
    page.locator("#id_name_th").fill("โรงเรียนวัดลาดปลาดุก")
    page.locator("#id_district").select_option(label="พระนคร")
    page.locator("#id_latitude").fill("13.756300")
    page.locator("#id_longitude").fill("100.501800")
    page.locator("#id_contact_name").fill("ครูสมใจ")
    page.locator("#id_audience").select_option("school")
    page.locator("#id_is_pickup_point").check()
    shoot(page, "outreach-stop-form")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_selector("h1:has-text('โรงเรียนวัดลาดปลาดุก')")
    stop = Stop.objects.get(code="wat-lat-pla-duk")
    assert stop.is_pickup_point and stop.contact_name == "ครูสมใจ"
    axe(page, label="stop")

    page.get_by_role("link", name="เพิ่มตารางเวลา").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.locator("#id_weekday").select_option(str(tomorrow.weekday()))
    page.locator("#id_arrives_at").fill("10:00")
    page.locator("#id_departs_at").fill("09:00")
    page.get_by_role("button", name="บันทึก").click()
    assert page.locator(".errorlist").first.inner_text().startswith("รถต้องออกหลังจากมาถึง")
    assert not Timetable.objects.exists()
    axe(page, label="timetable form with an error")
    page.locator("#id_arrives_at").fill("09:30")
    page.locator("#id_departs_at").fill("11:30")
    shoot(page, "outreach-timetable-form")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_selector("h1:has-text('โรงเรียนวัดลาดปลาดุก')")
    trip = Trip.objects.filter(stop=stop).order_by("visit_on").first()
    assert trip.visit_on == tomorrow or trip.status != Trip.Status.SCHEDULED  # a holiday may move it
    shoot(page, "outreach-staff-stop")

    page.goto(f"{base}/mobile-libraries/stops/wat-lat-pla-duk/")
    text = page.locator("main").inner_text()
    assert "โรงเรียนวัดลาดปลาดุก" in text and "09:30–11:30" in text
    if trip.visit_on:
        assert thai_date(trip.visit_on, long=True) in text
    axe(page, label="public stop page")
    shoot(page, "outreach-public-stop-new")


def test_the_vehicle_route_and_trip_pages_read_well_and_a_reservation_is_handed_over(
        live_server, page, unit_world, axe, shoot):
    from datetime import time

    from bkklib.catalog.tests.factories import ItemFactory
    from bkklib.circulation import services as circulation
    from bkklib.circulation.models import Loan
    from bkklib.circulation.services import holds
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user
    from bkklib.outreach import pickup, setup
    from bkklib.outreach.models import MaintenanceLog, Trip
    from bkklib.outreach.tests.factories import StopFactory

    base, route = live_server.url, unit_world["route"]
    vehicle = route.vehicle
    MaintenanceLog.objects.create(vehicle=vehicle, starts_on=timezone.localdate(), work="เปลี่ยนยางหน้า")
    stop = StopFactory(route=route, is_pickup_point=True, name_th="ชุมชนริมคลองบางเขน", code="rim-khlong")
    crew = staff_user(roles.BRANCH_LIBRARIAN, unit_world["unit"], username="crew-2")
    for weekday in range(7):
        setup.save_timetable(by=crew, stop=stop, weekday=weekday, arrives_at=time(0, 30), departs_at=time(23, 30),
                             valid_from=timezone.localdate())
    library = BranchFactory(code="bangkhen")
    item = ItemFactory(branch=library)
    patron = PatronFactory(home_branch=library, first_name_th="มานี", last_name_th="รักอ่าน")
    hold = holds.place_hold(record=item.record, patron=patron, pickup_place=pickup.key_of(stop))
    circulation.checkin(item=item, staff=staff_user(roles.BRANCH_LIBRARIAN, library), desk=library)
    trip = Trip.objects.filter(stop=stop, visit_on=timezone.localdate()).first()

    page.set_viewport_size(PHONE)
    staff_log_in(page, base, "mobile-librarian")
    for path, name, heading in [
            ("/staff/outreach/vehicles/", "outreach-vehicles", "รถห้องสมุด"),
            (f"/staff/outreach/vehicles/{vehicle.pk}/", "outreach-vehicle", vehicle.name_th),
            (f"/staff/outreach/vehicles/{vehicle.pk}/maintenance/new/", "outreach-maintenance-form", "การซ่อมบำรุง"),
            ("/staff/outreach/routes/", "outreach-routes", "เส้นทาง"),
            ("/staff/outreach/stops/", "outreach-stops", "จุดจอดและตารางเวลา")]:
        page.goto(base + path)
        assert heading in page.locator("h1").inner_text(), path
        axe(page, label=path)
        shoot(page, name)
    page.goto(f"{base}/staff/outreach/trips/{trip.pk}/")
    assert "มานี รักอ่าน" in page.locator("main").inner_text() and item.barcode in page.content()
    axe(page, label="trip")
    shoot(page, "outreach-trip-holds")
    page.get_by_role("button", name="ส่งมอบ (ให้ยืม)").click()
    page.wait_for_selector("text=ให้ มานี รักอ่าน ยืม")
    assert Loan.objects.get().branch == unit_world["unit"]
    hold.refresh_from_db()
    assert hold.status == "fulfilled"


def test_a_reader_reserves_a_book_for_a_stop_on_a_phone(live_server, page, unit_world, axe, shoot):
    from bkklib.catalog.tests.factories import ItemFactory
    from bkklib.circulation.models import Hold
    from bkklib.circulation.services import patrons
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.network.tests.factories import BranchFactory
    from bkklib.outreach import pickup
    from bkklib.outreach.tests.factories import StopFactory

    stop = StopFactory(route=unit_world["route"], is_pickup_point=True, name_th="ชุมชนริมคลองบางเขน")
    library = BranchFactory(code="bangkhen", name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    item = ItemFactory(branch=library)
    reader = PatronFactory(home_branch=library)
    patrons.set_pin(reader, "4321")
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(reader.card_number)
    page.get_by_label("PIN").fill("4321")
    page.get_by_label("PIN").press("Enter")
    page.wait_for_url("**/account/")
    page.goto(f"{base}/records/{item.record.pk}/")
    page.locator("#hold-place").select_option(pickup.key_of(stop))
    axe(page, label="record with the stop choice")
    shoot(page, "outreach-opac-hold-at-stop")
    page.locator("#place-hold").click()
    page.wait_for_url("**/account/")
    assert "ชุมชนริมคลองบางเขน" in page.locator("main").inner_text()
    hold = Hold.objects.get(patron=reader)
    assert hold.pickup_branch == unit_world["unit"] and hold.pickup_stop.stop == stop
    shoot(page, "outreach-opac-account-hold-at-stop")
