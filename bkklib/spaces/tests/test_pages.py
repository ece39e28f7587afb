"""Public and staff pages: the list, the grid, the booking flow in three steps, the account section,
check-in by the space QR, the staff day page with QR scan, approvals, blocks, the report and its XLSX."""
import io

import pytest
from openpyxl import load_workbook

from bkklib.network.models import Service
from bkklib.opac import clock
from bkklib.opac.account import SESSION_KEY
from bkklib.spaces import services
from bkklib.spaces.models import Booking

from .conftest import TUE_8AM, at


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: TUE_8AM)


@pytest.fixture
def patron_client(client, site, fixed_clock):
    session = client.session
    session[SESSION_KEY] = site.patron.pk
    session.save()
    return client


def test_the_spaces_page_lists_branches_with_coworking(site, client, django_assert_max_num_queries):
    site.branch.services.add(Service.objects.get(code="co-working"))
    with django_assert_max_num_queries(8):
        page = client.get("/spaces/").content.decode()
    assert site.branch.name_th in page and "โคเวิร์กกิง" in page


def test_the_day_grid_links_free_slots_and_marks_taken_ones(site, client, fixed_clock,
                                                           django_assert_max_num_queries):
    services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11), now=TUE_8AM)
    with django_assert_max_num_queries(12):
        page = client.get(f"/spaces/{site.branch.code}/", {"date": "2025-06-03"}).content.decode()
    assert f"space={site.desk.pk}&amp;start=2025-06-03T11:00" in page
    assert f"space={site.desk.pk}&amp;start=2025-06-03T10:00" not in page and "ไม่ว่าง" in page
    week = client.get(f"/spaces/{site.branch.code}/", {"date": "2025-06-03", "view": "week"}).content.decode()
    assert "เวลาว่างตั้งแต่" in week and "ปิด" in week  # Monday 9 June is closed


def test_booking_in_three_steps_then_the_account_lists_and_cancels_it(site, patron_client):
    step2 = patron_client.get(f"/spaces/{site.branch.code}/book/", {"space": site.desk.pk,
                                                                    "start": "2025-06-03T10:00"})
    assert step2.status_code == 200 and "ยืนยันการจอง" in step2.content.decode()
    done = patron_client.post(f"/spaces/{site.branch.code}/book/", {"space": site.desk.pk,
                                                                     "start": "2025-06-03T10:00", "slots": 2,
                                                                     "people": 1})
    booking = Booking.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/spaces/bookings/{booking.code}/"
    assert booking.ends_at == at(3, 12)
    page = patron_client.get(done["Location"]).content.decode()
    assert booking.code in page and "<svg" in page and ".ics" in page
    ics = patron_client.get(f"/spaces/bookings/{booking.code}/booking.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    account = patron_client.get("/account/").content.decode()
    assert 'id="space-bookings"' in account and booking.code in account
    patron_client.post(f"/spaces/bookings/{booking.code}/cancel/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_refused_booking_shows_its_thai_reason_and_stores_nothing(site, patron_client):
    page = patron_client.post(f"/spaces/{site.branch.code}/book/", {"space": site.room.pk,
                                                                     "start": "2025-06-03T16:00", "slots": 2,
                                                                     "people": 1})
    assert page.status_code == 422 and "เวลาปิด" in page.content.decode()
    crowd = patron_client.post(f"/spaces/{site.branch.code}/book/", {"space": site.room.pk,
                                                                      "start": "2025-06-03T10:00", "slots": 1,
                                                                      "people": 7})
    assert crowd.status_code == 422 and "รองรับได้ไม่เกิน 6 คน" in crowd.content.decode()
    assert not Booking.objects.exists()


def test_visitors_are_sent_to_sign_in_before_booking(site, client):
    response = client.get(f"/spaces/{site.branch.code}/book/", {"space": site.desk.pk, "start": "2025-06-03T10:00"})
    assert response.status_code == 302 and response["Location"].startswith("/account/?next=")


def test_the_space_qr_checks_the_patron_in(site, patron_client, monkeypatch):
    services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11), now=TUE_8AM)
    monkeypatch.setattr(clock, "now", lambda: at(3, 10, 5))
    page = patron_client.post(f"/spaces/check-in/{site.desk.checkin_token}/").content.decode()
    assert "เช็กอินเรียบร้อย" in page
    assert Booking.objects.get().status == Booking.Status.CHECKED_IN


def test_staff_day_page_checks_in_by_scanned_code(site, client, monkeypatch):
    booking = services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11),
                                  now=TUE_8AM)
    client.force_login(site.staff)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(3, 10, 2))
    page = client.get("/staff/spaces/", {"date": "2025-06-03"}).content.decode()
    assert booking.code in page and site.patron.full_name in page
    client.post("/staff/spaces/scan/", {"code": f"SPACES:{booking.code}", "branch": site.branch.pk})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN and booking.checked_in_by == site.staff


def test_staff_pages_open_and_the_report_downloads_as_xlsx(site, client):
    booking = services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11),
                                  now=TUE_8AM)
    services.check_in(booking=booking, by=site.staff, now=at(3, 10))
    client.force_login(site.staff)
    for url in ("/staff/spaces/book/", "/staff/spaces/approvals/", "/staff/spaces/block/", "/staff/spaces/spaces/",
                "/staff/spaces/report/?month=2025-06"):
        assert client.get(url).status_code == 200, url
    report = client.get("/staff/spaces/report/", {"month": "2025-06"}).content.decode()
    assert "ผู้ใช้ไม่ซ้ำ" in report
    xlsx = client.get("/staff/spaces/report/", {"month": "2025-06", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book["สรุป"].iter_rows(values_only=True) if row[0]}
    assert summary["การจอง"] == 1 and summary["ผู้ใช้ไม่ซ้ำ"] == 1


def test_staff_of_another_branch_get_404_for_this_branch(site, client):
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    client.force_login(staff_user(roles.BRANCH_LIBRARIAN, BranchFactory()))
    assert client.get("/staff/spaces/", {"branch": site.branch.pk}).status_code == 404


def test_staff_walk_in_booking_for_a_card_holder(site, client):
    client.force_login(site.staff)
    response = client.post(f"/staff/spaces/book/?branch={site.branch.pk}", {
        "card": site.patron.card_number, "space": site.room.pk, "day": "2030-01-08", "starts": "10:00",
        "ends": "11:00", "people": 4, "purpose": "", "branch": site.branch.pk})
    assert response.status_code == 302
    assert Booking.objects.get().kind == Booking.Kind.STAFF
