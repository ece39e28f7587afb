"""Volunteers in a real browser at phone width: a citizen applies (an invalid ID first: the Thai reason),
staff accept the application and offer an agreement, the volunteer makes a sign-in, accepts the agreement,
signs up for a shift, checks in and out, and sees the hours (pending, then approved by staff).
axe-core on every page; desktop and phone screenshots."""
from datetime import date, timedelta

import pytest

from bkklib.opac import clock

from .conftest import PHONE
from .world import WED_10AM, build_network, staff_log_in

pytestmark = pytest.mark.browser
PASSWORD = "อาสาสมัคร-รักการอ่าน-2568"


@pytest.fixture
def world(site_data, monkeypatch):
    from stdnum.th import pin

    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.volunteers.models import Call, Criteria, Role, Shift

    moment = {"now": WED_10AM}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    network = build_network()
    city = network["city"]
    criteria = Criteria.objects.create(name="เกณฑ์ทั่วไป", min_age=15, consent_below_age=18, min_hours_per_week=3)
    role = Role.objects.create(name_th="ผู้ช่วยมุมเด็กและเล่านิทาน", duties="เล่านิทานและดูแลมุมเด็ก")
    call = Call.objects.create(branch=city, role=role, criteria=criteria, title="รับอาสาสมัครมุมเด็ก หอสมุดเมือง",
                               wanted=5, opens_on=date(2025, 5, 1), closes_on=date(2025, 6, 30),
                               description="ช่วยเล่านิทานวันเสาร์และดูแลมุมเด็ก")
    # Starts 20 minutes after the fixed clock: sign-up is open and so is check-in (from 30 minutes before).
    shift = Shift.objects.create(branch=city, role=role, starts_at=WED_10AM + timedelta(minutes=20),
                                 ends_at=WED_10AM + timedelta(hours=3, minutes=20), places=2)
    staff_user(roles.BRANCH_LIBRARIAN, city, username="vol-librarian")
    return {"city": city, "call": call, "shift": shift, "moment": moment,
            "national_id": "110170020345" + pin.calc_check_digit("110170020345")}


def test_apply_get_accepted_accept_the_agreement_sign_up_check_in_and_out_and_see_the_hours(
        live_server, browser, page, world, axe, shoot):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/volunteer/")
    axe(page, label="volunteer calls")
    shoot(page, "volunteers-index")
    page.get_by_role("link", name="สมัคร รับอาสาสมัครมุมเด็ก หอสมุดเมือง").click()
    page.wait_for_url("**/volunteer/calls/**/apply/")
    page.get_by_label("ชื่อ", exact=True).fill("ปิยะนุช")
    page.get_by_label("นามสกุล").fill("ใฝ่เรียนรู้")
    page.get_by_label("เลขประจำตัวประชาชน").fill("1101700203451")
    page.get_by_label("วันเกิด").fill("1998-02-14")
    page.get_by_label("โทรศัพท์").fill("0812345678")
    page.get_by_label("เขตที่พักอาศัย").select_option("1001")
    page.get_by_label("ที่อยู่").fill("99 ถนนราชดำเนินกลาง แขวงบวรนิเวศ")
    page.get_by_label("จำนวนชั่วโมงต่อสัปดาห์ที่ให้เวลาได้").fill("6")
    page.get_by_label("ทักษะ", exact=True).fill("เล่านิทาน")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="ส่งใบสมัคร").click()
    assert "ไม่ใช่เลขประจำตัวประชาชนที่ถูกต้อง" in page.locator(".field.has-error").inner_text()
    axe(page, label="application with an error")
    shoot(page, "volunteers-apply-error")
    page.get_by_label("เลขประจำตัวประชาชน").fill(world["national_id"])
    page.locator("#id_consent").check()
    page.get_by_role("button", name="ส่งใบสมัคร").click()
    page.wait_for_url("**/volunteer/application/**")
    status_url = page.url
    assert page.locator("#application-status").inner_text() == "ส่งใบสมัครแล้ว"
    reference = page.locator("strong.code").inner_text()
    axe(page, label="application status")
    shoot(page, "volunteers-status")

    # Staff, in their own browser session, accept the applicant and offer an agreement.
    staff_ctx = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok")
    staff = staff_ctx.new_page()
    staff_log_in(staff, base, "vol-librarian")
    staff.goto(f"{base}/staff/volunteers/")
    staff.get_by_role("link", name=reference).click()
    staff.get_by_label("การดำเนินการ").select_option("accept")
    staff.get_by_label("เหตุผลหรือบันทึก").fill("มีประสบการณ์เล่านิทาน เหมาะกับมุมเด็ก")
    staff.get_by_role("button", name="บันทึก", exact=True).click()
    assert staff.locator("#application-status").inner_text() == "ได้รับคัดเลือก"
    axe(staff, label="staff application")
    shoot(staff, "volunteers-staff-application")
    staff.get_by_role("link", name="ข้อมูลอาสาสมัคร").click()
    staff.get_by_label("บทบาท").select_option(label="ผู้ช่วยมุมเด็กและเล่านิทาน")
    staff.get_by_label("วันเริ่ม").fill("2025-06-01")
    staff.get_by_label("หน้าที่").fill("เล่านิทานวันพุธและวันเสาร์")
    staff.get_by_label("รายการส่งมอบงาน (บรรทัดละหนึ่งรายการ)").fill("คืนบัตรอาสาสมัคร")
    staff.get_by_role("button", name="เสนอข้อตกลง").click()
    assert "เสนอข้อตกลงแล้ว" in staff.locator(".messages").inner_text()
    axe(staff, label="staff volunteer record")
    shoot(staff, "volunteers-staff-volunteer")

    # The applicant makes a sign-in from the status page and accepts the agreement.
    page.goto(status_url)
    assert page.locator("#application-status").inner_text() == "ได้รับคัดเลือก"
    page.get_by_label("ตั้งรหัสผ่าน").fill(PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="สร้างบัญชี").click()
    page.wait_for_url("**/volunteer/me/")
    page.get_by_role("button", name="ข้าพเจ้ายอมรับข้อตกลงนี้").click()
    assert "ยอมรับข้อตกลงแล้ว" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="ลงชื่อเข้ากะ").click()
    assert "ลงชื่อเข้ากะแล้ว" in page.locator(".messages").inner_text()
    axe(page, label="volunteer page")
    shoot(page, "volunteers-me-signed-up")
    page.get_by_role("button", name="ลงเวลาเข้า").click()
    assert "ลงเวลาเข้าแล้ว" in page.locator(".messages").inner_text()
    world["moment"]["now"] = WED_10AM + timedelta(hours=3)  # checked in at 10.00: three hours
    page.get_by_role("button", name="ลงเวลาออก").click()
    assert "ลงเวลาออกแล้ว" in page.locator(".messages").inner_text()
    assert page.locator("#pending-hours").inner_text() == "รออนุมัติ 3.00 ชั่วโมง"
    assert page.locator("#total-hours").inner_text() == "อนุมัติแล้ว 0.00 ชั่วโมง"

    # The supervisor approves; the volunteer sees the approved hours.
    staff.goto(f"{base}/staff/volunteers/")
    staff.get_by_role("button", name="อนุมัติชั่วโมง ปิยะนุช ใฝ่เรียนรู้").click()
    assert "บันทึกแล้ว" in staff.locator(".messages").inner_text()
    staff_ctx.close()
    page.reload()
    assert page.locator("#total-hours").inner_text() == "อนุมัติแล้ว 3.00 ชั่วโมง"
    assert "ปีงบประมาณ 2568: 3.00 ชั่วโมง" in page.locator("section[aria-labelledby=hours-title]").inner_text()
    axe(page, label="volunteer hours")
    shoot(page, "volunteers-me-hours")
