"""The new volunteer screens in a real browser (``-m browser``, Playwright, tests/browser's fixtures): at phone
width a volunteer offers a shift to another, who accepts, and staff approve on the roster; the other volunteer
then checks in by the branch's QR poster. The set-up screens are filled, reopened and saved unchanged.
axe-core on every page; desktop and phone screenshots."""
from datetime import date, timedelta

import pytest

from bkklib.opac import clock
from tests.browser.conftest import PHONE
from tests.browser.world import WED_10AM, build_network, staff_log_in

pytestmark = pytest.mark.browser
PASSWORD = "อาสาสมัคร-รักการอ่าน-2568"


@pytest.fixture
def world(site_data, monkeypatch):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.volunteers import services
    from bkklib.volunteers.models import Call, Criteria, Role, Shift
    from bkklib.volunteers.tests.conftest import accepted_volunteer

    moment = {"now": WED_10AM - timedelta(hours=1)}  # 9.00: the 10.20 shift can still be swapped
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    city = build_network()["city"]
    librarian = staff_user(roles.BRANCH_LIBRARIAN, city, username="vol-librarian", first_name="สุดา",
                           last_name="บรรณารักษ์")
    criteria = Criteria.objects.create(name="เกณฑ์ทั่วไป", min_age=15, consent_below_age=18, min_hours_per_week=3)
    role = Role.objects.create(name_th="ผู้ช่วยมุมเด็ก", duties="เล่านิทานและดูแลมุมเด็ก")
    call = Call.objects.create(branch=city, role=role, criteria=criteria, title="รับอาสาสมัครมุมเด็ก", wanted=5,
                               opens_on=date(2025, 5, 1), closes_on=date(2025, 6, 30))
    people = []
    for twelve, name in (("310170020345", "วันดี"), ("510170020346", "มานี")):
        volunteer = accepted_volunteer(call, librarian, twelve=twelve, first_name=name, now=moment["now"])
        services.make_account(application=volunteer.application, password=PASSWORD)
        agreement = services.offer_agreement(volunteer=volunteer, by=librarian, branch=city, role=role,
                                             starts_on=date(2025, 6, 1), duties="เล่านิทาน",
                                             handover="คืนบัตรอาสาสมัคร\nส่งต่อรายชื่อเด็กในกิจกรรม", now=moment["now"])
        services.accept_agreement(agreement=agreement, volunteer=volunteer, now=moment["now"])
        volunteer.refresh_from_db()
        people.append(volunteer)
    shift = Shift.objects.create(branch=city, role=role, starts_at=WED_10AM + timedelta(minutes=20),
                                 ends_at=WED_10AM + timedelta(hours=3, minutes=20), places=2)
    signup = services.sign_up(shift=shift, volunteer=people[0], now=moment["now"])
    return {"city": city, "people": people, "signup": signup, "moment": moment, "role": role, "criteria": criteria}


def volunteer_sign_in(page, base, code, next_url=""):
    page.goto(f"{base}/volunteer/sign-in/{'?next=' + next_url if next_url else ''}")
    page.get_by_label("รหัสอาสาสมัคร").fill(code)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_swap_asked_accepted_and_approved_then_qr_check_in_at_phone_width(
        live_server, browser, page, world, axe, shoot):
    base = live_server.url
    first, second = world["people"]
    page.set_viewport_size(PHONE)
    volunteer_sign_in(page, base, first.code)
    page.wait_for_url("**/volunteer/me/")
    page.get_by_role("link", name="แลกกะ").first.click()
    page.wait_for_url("**/swap/")
    axe(page, label="swap form")
    shoot(page, "volunteers-swap-form")
    page.get_by_label("ยกกะให้อาสาสมัครที่ฉันเลือก").check()
    page.get_by_label("อาสาสมัครที่จะรับกะ").select_option(label=f"{second.full_name} ({second.code})")
    page.get_by_role("button", name="ขอแลกกะ").click()
    page.wait_for_url("**/volunteer/me/")
    assert "ส่งคำขอแลกกะแล้ว" in page.locator(".messages").inner_text()
    assert page.locator(".swap-status").first.inner_text() == "รออาสาสมัครอีกคนตอบรับ"

    other_ctx = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok")
    other = other_ctx.new_page()
    volunteer_sign_in(other, base, second.code)
    other.wait_for_url("**/volunteer/me/")
    assert "วันดี" in other.locator("section[aria-labelledby=swaps-for-me-title]").inner_text()
    axe(other, label="swap asked of me")
    shoot(other, "volunteers-swap-asked")
    other.get_by_role("button", name="ตอบรับการแลกกะ").click()
    assert "คุณตอบรับการแลกกะแล้ว" in other.locator(".messages").inner_text()

    staff_ctx = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok")
    staff = staff_ctx.new_page()
    staff_log_in(staff, base, "vol-librarian")
    staff.goto(f"{base}/staff/volunteers/roster/")
    assert "วันดี" in staff.locator("section[aria-labelledby=swaps-title]").inner_text()
    axe(staff, label="roster with a swap")
    shoot(staff, "volunteers-roster-swap")
    staff.get_by_role("button", name=f"อนุมัติการแลกกะ {first.full_name}").click()
    assert "อนุมัติการแลกกะแล้ว" in staff.locator(".messages").inner_text()
    page.reload()
    assert page.locator(".swap-status").first.inner_text() == "อนุมัติแล้ว"
    shoot(page, "volunteers-me-swap-approved")

    # The QR poster: staff print it; the volunteer now on the shift scans it at 10.00 and checks in.
    staff.goto(f"{base}/staff/volunteers/check-in-qr/")
    axe(staff, label="QR poster")
    shoot(staff, "volunteers-qr-poster")
    scan_url = staff.locator(".qr-url").inner_text().strip()
    assert "/volunteer/check-in/" in scan_url
    scan_path = scan_url[scan_url.index("/volunteer/"):]
    world["moment"]["now"] = WED_10AM
    page.goto(f"{base}{scan_path}")  # the first volunteer no longer has the shift: refused in Thai
    assert "คุณไม่มีกะที่" in page.locator("#check-in-problem").inner_text()
    shoot(page, "volunteers-check-in-refused")
    other_ctx.clear_cookies()
    other.goto(f"{base}{scan_path}")  # signed out: the sign-in brings the volunteer back to the scan
    other.wait_for_url("**/volunteer/sign-in/**")
    other.get_by_label("รหัสอาสาสมัคร").fill(second.code)
    other.get_by_label("รหัสผ่าน").fill(PASSWORD)
    other.get_by_role("button", name="เข้าสู่ระบบ").click()
    other.wait_for_url(f"**{scan_path}")
    axe(other, label="QR check-in")
    shoot(other, "volunteers-check-in")
    other.get_by_role("button", name="ลงเวลาเข้า").click()
    other.wait_for_url("**/volunteer/me/")
    assert "ลงเวลาเข้าแล้ว" in other.locator(".messages").inner_text()
    world["moment"]["now"] = WED_10AM + timedelta(hours=3)
    other.goto(f"{base}{scan_path}")
    other.get_by_role("button", name="ลงเวลาออก").click()
    assert "ลงเวลาออกแล้ว" in other.locator(".messages").inner_text()
    assert other.locator("#pending-hours").inner_text() == "รออนุมัติ 3.00 ชั่วโมง"
    other_ctx.close()
    staff_ctx.close()


def test_staff_set_up_screens_and_the_handover_checklist(live_server, page, world, axe, shoot):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.volunteers import services
    from bkklib.volunteers.models import Agreement, Call

    base = live_server.url
    staff_log_in(page, base, "vol-librarian")
    page.goto(f"{base}/staff/volunteers/setup/calls/new/")
    page.get_by_label("ห้องสมุดหรือบ้านหนังสือ").select_option(label=world["city"].name_th)
    page.get_by_label("บทบาท").select_option(label="ผู้ช่วยมุมเด็ก")
    page.locator("#id_criteria").select_option(label="เกณฑ์ทั่วไป")
    page.locator("#id_title").fill("รับอาสาสมัครเล่านิทานช่วงปิดเทอม")
    page.get_by_label("จำนวนที่ต้องการ").fill("4")
    page.get_by_label("เปิดรับตั้งแต่").fill("2025-07-01")
    page.get_by_label("เปิดรับถึง").fill("2025-06-01")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    assert page.locator(".field.has-error").count() >= 1 and not Call.objects.filter(wanted=4).exists()
    page.get_by_label("เปิดรับถึง").fill("2025-07-31")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url("**/staff/volunteers/setup/")
    axe(page, label="set-up")
    shoot(page, "volunteers-setup")
    page.get_by_role("link", name="รับอาสาสมัครเล่านิทานช่วงปิดเทอม").click()
    axe(page, label="call form")
    shoot(page, "volunteers-call-form")
    before = Call.objects.get(wanted=4).history.count()
    page.get_by_role("button", name="บันทึก", exact=True).click()  # reopened and saved unchanged
    page.wait_for_url("**/staff/volunteers/setup/")
    call = Call.objects.get(wanted=4)
    assert (call.title, call.opens_on, call.closes_on) == ("รับอาสาสมัครเล่านิทานช่วงปิดเทอม", date(2025, 7, 1),
                                                           date(2025, 7, 31))
    assert call.history.count() == before + 1

    # The division's evaluation form with weights.
    staff_user(roles.NETWORK_ADMIN, world["city"], username="vol-admin")
    page.context.clear_cookies()
    staff_log_in(page, base, "vol-admin")
    page.goto(f"{base}/staff/volunteers/setup/evaluation-forms/new/")
    page.locator("#id_name").fill("ประเมินอาสาสมัครครึ่งปีแรก 2568")
    page.locator("#id_period_start").fill("2025-01-01")
    page.locator("#id_period_end").fill("2025-06-30")
    page.get_by_label("เกณฑ์ 1", exact=True).fill("ความตรงต่อเวลา")
    page.get_by_label("น้ำหนัก 1").fill("2")
    page.get_by_label("คะแนนเต็ม 1").fill("5")
    page.get_by_label("เกณฑ์ 2", exact=True).fill("การบริการผู้ใช้")
    page.get_by_label("น้ำหนัก 2").fill("3")
    page.get_by_label("คะแนนเต็ม 2").fill("5")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url("**/staff/volunteers/setup/")
    page.get_by_role("link", name="ประเมินอาสาสมัครครึ่งปีแรก 2568").click()
    axe(page, label="evaluation form")
    shoot(page, "volunteers-evaluation-form")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url("**/staff/volunteers/setup/")

    # The handover checklist of a resignation.
    first = world["people"][0]
    agreement = Agreement.objects.get(volunteer=first)
    services.request_resignation(agreement=agreement, volunteer=first, now=world["moment"]["now"])
    page.context.clear_cookies()
    staff_log_in(page, base, "vol-librarian")
    page.goto(f"{base}/staff/volunteers/agreements/{agreement.pk}/")
    page.get_by_label("คืนบัตรอาสาสมัคร").check()
    page.get_by_role("button", name="บันทึกรายการส่งมอบงาน").click()
    assert "สุดา บรรณารักษ์" in page.locator(".tick").first.inner_text()
    world["moment"]["now"] = WED_10AM + timedelta(days=8)  # the five working days' notice has run
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="สิ้นสุดการปฏิบัติงาน").click()
    assert "ส่งต่อรายชื่อเด็กในกิจกรรม" in page.locator(".messages").inner_text()
    axe(page, label="handover")
    shoot(page, "volunteers-handover")
    page.get_by_text("สิ้นสุดโดยส่งมอบงานไม่ครบ").click()
    page.get_by_label("เหตุผลที่ให้สิ้นสุดการปฏิบัติงานได้ก่อนส่งมอบงานครบ").fill("อาสาสมัครย้ายไปต่างจังหวัด ส่งรายชื่อทางอีเมลแล้ว")
    page.get_by_role("button", name="บันทึกการยกเว้น").click()
    assert "บันทึกการยกเว้นแล้ว" in page.locator(".messages").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="สิ้นสุดการปฏิบัติงาน").click()
    assert "สิ้นสุดการปฏิบัติงานแล้ว" in page.locator(".messages").inner_text()
    assert Agreement.objects.get(pk=agreement.pk).status == "ended"
    shoot(page, "volunteers-handover-ended")
