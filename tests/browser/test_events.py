"""Events in a real browser: the programme and an event page at phone width (axe-core), a guest
registering for the last place and the next one landing on the waiting list, the month calendar,
and the staff session page (check-in by card); screenshots of each page."""
from datetime import datetime, timedelta

import pytest

from bkklib.opac import clock

from .world import BKK, build_network, staff_log_in

pytestmark = pytest.mark.browser
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=BKK)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def programme(site_data, monkeypatch):
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.events import services
    from bkklib.events.models import Activity, Festival
    from bkklib.network.tests.factories import staff_user

    monkeypatch.setattr(clock, "now", lambda: NOW)
    net = build_network()
    Festival.objects.create(year=2026, month=3, name_th="เทศกาลหนังสือกรุงเทพฯ", name_en="Bangkok Book Festival",
                            theme="อ่านและเรียนรู้ทั้งเมือง", starts_on=datetime(2026, 3, 1).date(),
                            ends_on=datetime(2026, 3, 31).date())
    staff = staff_user(roles.BRANCH_LIBRARIAN, net["city"], username="story")
    story = Activity.objects.create(
        title="เปิดโลกนิทาน: ปั้นดินกับปู่ย่า", description="เล่านิทานภาพและปั้นดินน้ำมันสำหรับเด็กและครอบครัว",
        branch=net["city"], audience="เด็กและครอบครัว", min_age=3, max_age=12, capacity=2, waitlist=True,
        festival=Festival.objects.get(), status=Activity.Status.PUBLISHED, organiser="หอสมุดเมืองกรุงเทพมหานคร")
    first = datetime(2026, 3, 7, 10, 0, tzinfo=BKK)
    sessions = services.schedule_sessions(activity=story, starts_at=first, ends_at=first + timedelta(hours=1),
                                          staff=staff, weekly_until=datetime(2026, 3, 28).date(), now=NOW)
    child = PatronFactory(birth_date=datetime(2019, 5, 1).date(), home_branch=net["city"])
    services.register(session=sessions[0], patron=child, now=NOW)
    return {"activity": story, "sessions": sessions, "child": child, "staff": staff}


def test_a_guest_takes_the_last_place_the_next_waits_at_phone_width(live_server, browser, programme, axe, shoot):
    ctx = browser.new_context(viewport=PHONE, locale="th-TH", is_mobile=True, timezone_id="Asia/Bangkok")
    page = ctx.new_page()
    try:
        page.goto(f"{live_server.url}/events/")
        assert "เทศกาลประจำเดือนนี้: เทศกาลหนังสือกรุงเทพฯ" in page.inner_text("main")
        axe(page, label="events list (phone)")
        shoot(page, "events-list")
        page.get_by_role("link", name="เปิดโลกนิทาน: ปั้นดินกับปู่ย่า").first.click()
        page.wait_for_url("**/events/*/")
        assert "เหลือ 1 ที่นั่ง" in page.inner_text("main")
        axe(page, label="event page (phone)")
        shoot(page, "events-detail")
        for name, phone, expected in (("ด.ญ. ใจดี มีสุข", "0812345678", "ลงทะเบียนแล้ว"),
                                      ("ด.ช. ต้นกล้า ใจงาม", "0898765432", "อยู่ในรายชื่อสำรอง ลำดับที่ 1")):
            page.goto(f"{live_server.url}/events/{programme['activity'].pk}/")
            page.get_by_label("ชื่อผู้เข้าร่วม").fill(name)
            page.get_by_label("โทรศัพท์", exact=True).fill(phone)
            page.get_by_label("ช่วงอายุ").select_option("child")
            page.get_by_label("ข้าพเจ้ายินยอม").check()
            page.get_by_role("button", name="ลงทะเบียน", exact=True).click()
            page.wait_for_url("**/events/registration/*/")
            assert expected in page.inner_text("main")
        axe(page, label="registration (phone)")
        shoot(page, "events-registration")
        page.goto(f"{live_server.url}/events/?view=month&month=2026-03")
        assert page.locator(".month-grid a", has_text="เปิดโลกนิทาน").count() == 4
        axe(page, label="month calendar (phone)")
        shoot(page, "events-month")
    finally:
        ctx.close()


def test_staff_check_a_child_in_by_card(live_server, page, programme, axe, shoot):
    staff_log_in(page, live_server.url, "story")
    session = programme["sessions"][0]
    page.goto(f"{live_server.url}/staff/events/sessions/{session.pk}/")
    page.get_by_label("บัตรสมาชิกหรือรหัสลงทะเบียน").fill(programme["child"].card_number)
    page.get_by_role("button", name="ลงชื่อเข้าร่วม", exact=True).click()
    assert "ลงชื่อเข้าร่วมแล้ว" in page.inner_text(".messages")
    axe(page, label="staff session")
    shoot(page, "events-staff-session")
    page.goto(f"{live_server.url}/staff/events/")
    shoot(page, "events-staff-home")
