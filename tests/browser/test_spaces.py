"""Spaces in a real browser at phone width: a patron books a co-working desk from the grid, sees it in the
account and cancels it; staff check in another booking by scanning its QR code (a scanner types the code).
axe-core on every page; desktop and phone screenshots."""
from datetime import timedelta

import pytest

from bkklib.opac import clock

from .conftest import PHONE
from .world import WED_10AM, build_network, staff_log_in

pytestmark = pytest.mark.browser
PIN = "2468"


@pytest.fixture
def world(site_data, monkeypatch):
    from django.utils import timezone

    from bkklib.circulation.services import patrons as patron_services
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.spaces.models import Booking, Space
    from bkklib.spaces.tests.factories import SpaceFactory

    monkeypatch.setattr(clock, "now", lambda: WED_10AM)
    network = build_network()
    city = network["city"]
    desks = [SpaceFactory(branch=city, code=f"desk-{n}", name_th=f"โต๊ะโคเวิร์กกิง {n}", features="ปลั๊กไฟ, Wi-Fi",
                          is_step_free=True) for n in (1, 2)]
    SpaceFactory(branch=city, code="meeting", kind=Space.Kind.MEETING_ROOM, name_th="ห้องประชุมกลุ่มย่อย", capacity=8)
    patron = PatronFactory(card_number="2990000000041", home_branch=city, first_name_th="ปิยะนุช",
                           last_name_th="ใฝ่เรียนรู้")
    patron_services.set_pin(patron, PIN)
    other = PatronFactory(home_branch=city, first_name_th="สมศักดิ์", last_name_th="ขยันทำงาน")
    # The staff pages run on the real clock: a booking starting five minutes ago can be checked in now.
    now = timezone.now()
    walk_in = Booking.objects.create(space=desks[1], branch=city, patron=other, starts_at=now - timedelta(minutes=5),
                                     ends_at=now + timedelta(minutes=55), created_at=now - timedelta(days=1))
    staff = staff_user(roles.BRANCH_LIBRARIAN, city, username="spaces-staff")
    return {"city": city, "patron": patron, "walk_in": walk_in, "staff": staff}


def test_a_patron_books_a_desk_at_phone_width_sees_it_in_the_account_and_cancels(live_server, page, world, axe,
                                                                                  shoot):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/spaces/")
    axe(page, label="spaces index")
    shoot(page, "spaces-index")
    page.get_by_role("link", name="หอสมุดเมืองกรุงเทพมหานคร", exact=True).click()
    page.wait_for_url("**/spaces/citylib/")
    axe(page, label="spaces grid")
    shoot(page, "spaces-grid")
    page.get_by_label("แสดง", exact=True).select_option("week")
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_url("**view=week**")
    assert "เวลาว่างตั้งแต่" in page.locator("table.week-grid caption").inner_text()
    axe(page, label="spaces week")
    shoot(page, "spaces-week")
    page.goto(f"{live_server.url}/spaces/citylib/")
    slot = page.get_by_role("link", name="จอง โต๊ะโคเวิร์กกิง 1 11:00–12:00 ว่าง")
    slot.focus()
    page.keyboard.press("Enter")  # the grid works with a keyboard
    page.wait_for_url("**/account/?next=**")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(world["patron"].card_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/spaces/citylib/book/**")
    axe(page, label="booking step")
    shoot(page, "spaces-book")
    page.get_by_label("จำนวนผู้ใช้").fill("1")
    page.get_by_role("button", name="จอง", exact=True).click()
    page.wait_for_url("**/spaces/bookings/**")
    assert "จองสำเร็จ" in page.locator("h1").inner_text()
    code = page.locator("strong.code").inner_text()
    axe(page, label="booking confirmation")
    shoot(page, "spaces-booking")
    page.get_by_role("link", name="การจองของฉัน").click()
    page.wait_for_url("**/account/**")
    section = page.locator("#space-bookings")
    assert code in section.inner_text() and "โต๊ะโคเวิร์กกิง 1" in section.inner_text()
    shoot(page, "spaces-account")
    section.get_by_role("button", name="ยกเลิกการจอง โต๊ะโคเวิร์กกิง 1 11:00").click()
    page.wait_for_url("**/account/**")
    assert "ไม่มีการจองพื้นที่ที่กำลังจะถึง" in page.locator("#space-bookings").inner_text()


def test_staff_check_in_a_booking_by_scanning_its_qr_code(live_server, page, world, axe, shoot):
    from bkklib.spaces.models import Booking

    staff_log_in(page, live_server.url, "spaces-staff")
    page.goto(f"{live_server.url}/staff/spaces/")
    row = page.locator(f"#booking-{world['walk_in'].code}")
    assert "สมศักดิ์" in row.inner_text() and "ยืนยันแล้ว" in row.inner_text()
    axe(page, label="staff day")
    box = page.get_by_label("สแกนคิวอาร์โค้ดการจอง (หรือพิมพ์รหัส) เพื่อเช็กอิน")
    box.fill(f"SPACES:{world['walk_in'].code}")  # what a scanner types from the QR code
    box.press("Enter")
    page.wait_for_url("**/staff/spaces/**")
    assert "เช็กอินแล้ว: สมศักดิ์" in page.locator(".messages").inner_text()
    assert "เช็กอินแล้ว" in page.locator(f"#booking-{world['walk_in'].code}").inner_text()
    shoot(page, "spaces-staff-day")
    assert Booking.objects.get(pk=world["walk_in"].pk).status == Booking.Status.CHECKED_IN
    page.goto(f"{live_server.url}/staff/spaces/report/")
    axe(page, label="staff report")
    shoot(page, "spaces-staff-report")
