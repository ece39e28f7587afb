"""Outreach in a real browser at phone width.

The volunteer desk (PWA): a volunteer signs in, the network is cut (Playwright offline mode), they
lend, return and lend again with the actions queued on the phone (IndexedDB), the connection
returns and the queue is sent; the server holds the loans and returns with the times they
happened on the phone, not the time of the sync. The public mobile-library pages: timetable,
district page, stop page. axe-core on every page; desktop and phone screenshots.
"""
import time as clock_time
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from bkklib.opac import clock

from .conftest import PHONE
from .world import WED_10AM

pytestmark = pytest.mark.browser
PASSWORD = "reading-house-1"


@pytest.fixture
def desk_world(site_data):
    from bkklib.catalog.tests.factories import ItemFactory
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user
    from bkklib.outreach import services
    from bkklib.outreach.tests.factories import ReadingHouseFactory

    library = BranchFactory(code="bangkhen", name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    house = ReadingHouseFactory(code="rh-latpladuk", name_th="บ้านหนังสือชุมชนวัดลาดปลาดุก",
                                hours=[(d, time(0, 0), time(23, 59)) for d in range(7)])
    librarian = staff_user(roles.BRANCH_LIBRARIAN, library, house, username="outreach-librarian")
    items = [ItemFactory(branch=library, barcode=f"31000000000{n:02d}") for n in (1, 2)]
    now = timezone.now()
    deposit = services.create_deposit(code="dep-browser", from_branch=library, reading_house=house,
                                      due_back_on=date.today() + timedelta(days=90),
                                      barcodes=[i.barcode for i in items], by=librarian)
    services.send_deposit(deposit=deposit, by=librarian, now=now - timedelta(days=2))
    services.receive_deposit(deposit=deposit, by=librarian, now=now - timedelta(days=1))
    account = services.create_volunteer(branch=house, username="somsri", password=PASSWORD,
                                        display_name="สมศรี ใจดี", by=librarian, now=now - timedelta(days=3))
    patron = PatronFactory(card_number="2990000000058", home_branch=library, first_name_th="มานี",
                           last_name_th="รักอ่าน")
    return {"house": house, "items": items, "patron": patron, "account": account}


def _act(page, card: str, barcode: str, button: str):
    if card:
        page.fill("#card", card)
    page.fill("#item", barcode)
    page.click(button)


def test_a_volunteer_lends_and_returns_offline_then_the_server_has_them_with_their_times(
        live_server, context, page, desk_world, axe, shoot):
    from bkklib.circulation.models import Loan
    from bkklib.outreach.models import SyncAction

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/outreach/desk/")
    assert "/outreach/desk/sign-in/" in page.url
    axe(page, label="desk sign-in")
    page.fill("#id_username", "somsri")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#desk[data-ready='1']")
    assert page.locator("h1").inner_text() == "บ้านหนังสือชุมชนวัดลาดปลาดุก"
    # The service worker keeps the page for offline use.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    axe(page, label="desk")

    card, (first, second) = desk_world["patron"].card_number, [i.barcode for i in desk_world["items"]]
    context.set_offline(True)
    page.wait_for_function("() => document.getElementById('net-state').classList.contains('offline')")
    t0 = timezone.now()
    _act(page, card, first, "#do-lend")
    page.wait_for_function("() => document.getElementById('queue-count').textContent === '1'")
    t1 = timezone.now()
    clock_time.sleep(1.2)
    _act(page, "", first, "#do-return")
    page.wait_for_function("() => document.getElementById('queue-count').textContent === '2'")
    t2 = timezone.now()
    clock_time.sleep(1.2)
    _act(page, card, second, "#do-lend")
    page.fill("#count-children", "7")
    page.fill("#count-elderly", "2")
    page.click("#do-visit")
    page.wait_for_function("() => document.getElementById('queue-count').textContent === '4'")
    t3 = timezone.now()
    assert not Loan.objects.exists() and not SyncAction.objects.exists()  # nothing reached the server
    # Reopened with no connection, the desk comes from the service worker with its queue.
    page.reload()
    page.wait_for_selector("#desk[data-ready='1']")
    assert page.locator("#queue-count").inner_text() == "4"
    assert "ออฟไลน์" in page.locator("#net-state").inner_text()
    shoot(page, "outreach-desk-offline")

    clock_time.sleep(1.2)
    synced_from = timezone.now()
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('queue-count').textContent === '0'", timeout=20_000)
    assert page.locator("#log li.applied").count() == 4

    loans = list(Loan.objects.order_by("checked_out_at"))
    assert [loan.item.barcode for loan in loans] == [first, second]
    lent, back = loans[0].checked_out_at, loans[0].returned_at
    assert t0 <= lent <= t1 < back <= t2 < loans[1].checked_out_at <= t3 < synced_from
    assert loans[1].returned_at is None and all(loan.branch == desk_world["house"] for loan in loans)
    assert SyncAction.objects.filter(status="applied").count() == 4
    shoot(page, "outreach-desk-synced")


@pytest.fixture
def timetable_world(site_data, monkeypatch):
    from bkklib.network import services as network_services
    from bkklib.network.models import Closure, District
    from bkklib.outreach import services
    from bkklib.outreach.models import Stop
    from bkklib.outreach.tests.factories import StopFactory, TimetableFactory

    monkeypatch.setattr(clock, "now", lambda: WED_10AM)
    stops = [
        StopFactory(code="wat-lat-pla-duk", name_th="โรงเรียนวัดลาดปลาดุก", audience=Stop.Audience.SCHOOL,
                    district=District.objects.get(code="1005")),
        StopFactory(code="ban-bang-khen", name_th="ชุมชนบ้านบางเขน", audience=Stop.Audience.COMMUNITY,
                    district=District.objects.get(code="1005"), latitude=13.87, longitude=100.60),
    ]
    TimetableFactory(stop=stops[0], weekday=3, arrives_at=time(9, 30), departs_at=time(11, 30))
    TimetableFactory(stop=stops[1], weekday=3, arrives_at=time(13, 0), departs_at=time(15, 0))
    services.plan_trips(start=WED_10AM.date(), end=WED_10AM.date() + timedelta(days=40))
    network_services.add_closure(branch=None, starts_on=date(2025, 6, 5), ends_on=date(2025, 6, 5),
                                 reason_th="วันหยุดพิเศษ (ทดสอบ)", kind=Closure.Kind.PUBLIC_HOLIDAY)
    return stops


def test_the_public_timetable_at_phone_width_shows_a_moved_visit(live_server, page, timetable_world, axe, shoot):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/mobile-libraries/")
    axe(page, label="mobile libraries")
    assert "ย้ายจาก" in page.content()
    shoot(page, "outreach-public-index")
    page.click("text=บางเขน")
    axe(page, label="district")
    shoot(page, "outreach-public-district")
    page.click("text=โรงเรียนวัดลาดปลาดุก")
    assert "วันหยุดพิเศษ (ทดสอบ)" in page.content()
    axe(page, label="stop")
    shoot(page, "outreach-public-stop")
