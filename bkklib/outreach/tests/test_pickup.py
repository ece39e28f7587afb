"""A stop as a hold pickup place: the hold is trapped for the vehicle's unit, listed on the stop's
next trip and handed over as a checkout at the vehicle; refused for a stop that takes no pickups."""
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import notices
from bkklib.circulation import services as circulation
from bkklib.circulation.exceptions import HoldRefused
from bkklib.circulation.models import Hold, Loan, Transit
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.outreach import pickup, setup
from bkklib.outreach.models import HoldPickup, Trip

from .factories import RouteFactory, StopFactory, UnitFactory, VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pickup_stop(db):
    """A library with an item; a vehicle's stop that takes pickups, visited every weekday; the staff."""
    library = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    unit = UnitFactory()
    stop = StopFactory(route=RouteFactory(vehicle=VehicleFactory(unit=unit)), is_pickup_point=True,
                       name_th="โรงเรียนวัดลาดปลาดุก")
    crew = staff_user(roles.BRANCH_LIBRARIAN, unit)
    for weekday in range(5):
        setup.save_timetable(by=crew, stop=stop, weekday=weekday, arrives_at=time(9), departs_at=time(10),
                             valid_from=timezone.localdate() - timedelta(days=14))
    return type("P", (), {"library": library, "unit": unit, "stop": stop, "crew": crew,
                          "desk": staff_user(roles.BRANCH_LIBRARIAN, library),
                          "item": ItemFactory(branch=library), "patron": PatronFactory(home_branch=library)})


def place(p, **kwargs):
    return hold_services.place_hold(record=p.item.record, patron=p.patron, pickup_place=pickup.key_of(p.stop),
                                    **kwargs)


def test_a_stop_that_takes_no_pickups_is_refused_and_nothing_is_stored(pickup_stop):
    other = StopFactory(route=pickup_stop.stop.route, is_pickup_point=False)
    with pytest.raises(HoldRefused) as err:
        hold_services.place_hold(record=pickup_stop.item.record, patron=pickup_stop.patron,
                                 pickup_place=pickup.key_of(other))
    assert err.value.code == "not_a_pickup_point"
    with pytest.raises(HoldRefused):
        hold_services.place_hold(record=pickup_stop.item.record, patron=pickup_stop.patron,
                                 pickup_place="stop:999999")
    with pytest.raises(HoldRefused):  # the unit itself is still no pickup branch
        hold_services.place_hold(record=pickup_stop.item.record, patron=pickup_stop.patron,
                                 pickup_branch=pickup_stop.unit)
    assert not Hold.objects.exists() and not HoldPickup.objects.exists()


def test_the_hold_goes_to_the_vehicle_and_is_handed_over_at_the_stop(client, pickup_stop):
    p = pickup_stop
    hold = place(p)
    assert hold.pickup_branch == p.unit and HoldPickup.objects.get(hold=hold).stop == p.stop
    assert [pl.key for pl in hold_services.pickup_places()] == [pickup.key_of(p.stop)]
    assert hold_services.pickup_place_of(hold).label.startswith("โรงเรียนวัดลาดปลาดุก")
    # The copy comes back at the library: trapped for the hold, sent to the vehicle's unit.
    result = circulation.checkin(item=p.item, staff=p.desk, desk=p.library)
    assert result.transit.to_branch == p.unit
    hold.refresh_from_db()
    assert hold.status == Hold.Status.IN_TRANSIT and hold.trapped_item == p.item
    # The next trip's page lists it for the crew.
    trip = (Trip.objects.filter(stop=p.stop, visit_on__gte=timezone.localdate()).exclude(status="cancelled")
            .order_by("visit_on").first())
    client.force_login(p.crew)
    page = client.get(reverse("outreach:staff-trip", args=[trip.pk])).content.decode()
    assert p.item.barcode in page and p.patron.full_name in page and "ส่งมอบ" in page
    stop_page = client.get(reverse("outreach:staff-stop", args=[p.stop.pk])).content.decode()
    assert p.item.barcode in stop_page and reverse("outreach:staff-hand-over", args=[trip.pk, hold.pk]) in stop_page
    # Another branch's librarian cannot hand it over.
    stranger = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    client.force_login(stranger)
    assert client.post(reverse("outreach:staff-hand-over", args=[trip.pk, hold.pk])).status_code == 404
    assert not Loan.objects.exists()
    # The crew hands it over: received in the vehicle, then lent at the unit.
    client.force_login(p.crew)
    client.post(reverse("outreach:staff-hand-over", args=[trip.pk, hold.pk]))
    loan = Loan.objects.get()
    assert loan.branch == p.unit and loan.patron == p.patron and loan.item == p.item
    hold.refresh_from_db()
    assert hold.status == Hold.Status.FULFILLED
    assert Transit.objects.get(item=p.item).received_at is not None
    assert Item.objects.get(pk=p.item.pk).status == Item.Status.ON_LOAN
    assert p.item.barcode not in client.get(reverse("outreach:staff-trip", args=[trip.pk])).content.decode()


def test_a_ready_hold_at_a_stop_waits_for_the_stops_next_visit(pickup_stop):
    p = pickup_stop
    hold = place(p)
    circulation.checkin(item=p.item, staff=p.desk, desk=p.library)
    circulation.checkin(item=p.item, staff=p.crew, desk=p.unit)  # received in the vehicle
    hold.refresh_from_db()
    assert hold.status == Hold.Status.READY
    today = timezone.localdate()
    Hold.objects.filter(pk=hold.pk).update(expires_on=today - timedelta(days=1))
    assert hold_services.expire_holds() == 0
    hold.refresh_from_db()
    visit = pickup.next_visit_day(p.stop.pk, today)
    assert hold.status == Hold.Status.READY and hold.expires_on == visit >= today
    # Without a coming visit it expires as any hold does.
    Trip.objects.filter(stop=p.stop).delete()
    Hold.objects.filter(pk=hold.pk).update(expires_on=today - timedelta(days=1))
    assert hold_services.expire_holds() == 1


def test_the_ready_notice_names_the_stop_and_its_visit(pickup_stop, smtp_sink):
    from bkklib.core.calendar import thai_date

    p = pickup_stop
    hold = place(p)
    circulation.checkin(item=p.item, staff=p.desk, desk=p.library)
    circulation.checkin(item=p.item, staff=p.crew, desk=p.unit)  # received in the vehicle: ready
    hold.refresh_from_db()
    Hold.objects.filter(pk=hold.pk).update(expires_on=timezone.localdate())  # the unit's own shelf date: today
    assert notices.send_hold_ready_notice(hold.pk) is not None
    body = smtp_sink.wait_for(1)[0]["message"].get_content()
    visit = pickup.next_visit_day(p.stop.pk, timezone.localdate(hold.ready_at))
    assert "โรงเรียนวัดลาดปลาดุก" in body and p.unit.name_th not in body.split("พร้อมให้รับที่", 1)[1].split("(")[0]
    assert thai_date(max(visit, timezone.localdate())) in body


def test_the_patron_chooses_the_stop_on_the_record_page_and_changes_it_back(client, pickup_stop):
    p = pickup_stop
    patron_services.set_pin(p.patron, "4321")
    client.post("/account/", {"card": p.patron.card_number, "pin": "4321"})
    page = client.get(f"/records/{p.item.record.pk}/").content.decode()
    assert "จุดจอดรถห้องสมุด" in page and pickup.key_of(p.stop) in page
    client.post(f"/records/{p.item.record.pk}/hold/", {"branch": "", "place": pickup.key_of(p.stop)})
    hold = Hold.objects.get(patron=p.patron)
    assert hold.pickup_branch == p.unit and hold.pickup_stop.stop == p.stop
    assert "โรงเรียนวัดลาดปลาดุก" in client.get("/account/").content.decode()
    client.post(f"/account/holds/{hold.pk}/pickup/", {"branch": p.library.code, "place": ""})
    hold.refresh_from_db()
    assert hold.pickup_branch == p.library and not HoldPickup.objects.filter(hold=hold).exists()


def test_the_holds_api_places_a_hold_at_a_stop_and_lists_the_places(pickup_stop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(pickup_stop.desk)
    places = api.get("/api/v1/holds/pickup-places/").json()
    key = pickup.key_of(pickup_stop.stop)
    assert {"key": key, "name": "โรงเรียนวัดลาดปลาดุก (" + pickup_stop.stop.route.vehicle.name_th + ")",
            "branch": pickup_stop.unit.code, "group": pickup_stop.stop.district.name_th} in places
    base = {"desk": pickup_stop.library.code, "patron_card": pickup_stop.patron.card_number,
            "record": pickup_stop.item.record_id}
    both = api.post("/api/v1/holds/", {**base, "pickup_branch": pickup_stop.library.code, "pickup_place": key},
                    format="json")
    assert both.status_code == 400 and "pickup_branch" in both.json()["errors"]
    unknown = api.post("/api/v1/holds/", {**base, "pickup_place": "stop:999999"}, format="json")
    assert unknown.status_code == 422 and unknown.json()["code"] == "not_a_pickup_point"
    assert not Hold.objects.exists()

    made = api.post("/api/v1/holds/", {**base, "pickup_place": key}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["pickup_branch"] == pickup_stop.unit.code and body["pickup_place"]["key"] == key
    assert HoldPickup.objects.get(hold_id=body["id"]).stop == pickup_stop.stop
    # A list page looks the places up once, however many holds it shows.
    for _ in range(3):
        circulation.place_hold(record=ItemFactory(branch=pickup_stop.library).record,
                               patron=PatronFactory(home_branch=pickup_stop.library),
                               pickup_branch=pickup_stop.library)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/holds/", {"page_size": 1})
    with CaptureQueriesContext(connection) as many:
        listed = api.get("/api/v1/holds/", {"page_size": 4}).json()["results"]
    assert len(many) == len(few)
    assert [h["pickup_place"]["key"] if h["pickup_place"] else None for h in listed].count(key) == 1
