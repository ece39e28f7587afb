"""The service desk in a real browser at phone width: a citizen files a complaint with a photo, staff
route and answer it and close it with a root cause, the citizen rates it, and the monthly report
counts it. axe-core on every page; desktop and phone screenshots."""
import io

import pytest

from .conftest import PHONE
from .world import build_network, staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(site_data, tmp_path):
    from datetime import date

    from PIL import Image

    from bkklib.cases.models import Category, ClockUnit
    from bkklib.core import roles
    from bkklib.network.models import OrgUnit, OrgVersion, UnitBranch
    from bkklib.network.tests.factories import staff_user

    network = build_network()
    city = network["city"]
    version = OrgVersion.objects.create(name_th="โครงสร้างปัจจุบัน", effective_from=date(2020, 1, 1))
    unit = OrgUnit.objects.create(version=version, code="library-1", name_th="กลุ่มงานห้องสมุดและการเรียนรู้ 1")
    UnitBranch.objects.create(version=version, unit=unit, branch=city)
    Category.objects.create(code="facilities", name_th="อาคารสถานที่และสิ่งอำนวยความสะดวก", response_amount=1,
                            response_unit=ClockUnit.BUSINESS_DAYS, resolution_amount=5,
                            resolution_unit=ClockUnit.BUSINESS_DAYS)
    staff_user(roles.BRANCH_LIBRARIAN, city, username="cases-staff")
    photo = tmp_path / "ก๊อกน้ำรั่ว.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 90, 160)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    return {"city": city, "unit": unit, "photo": photo}


def test_a_complaint_from_a_phone_is_routed_answered_closed_rated_and_counted(live_server, page, world, axe, shoot):
    from bkklib.cases.models import Case

    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/contact/")
    axe(page, label="contact form")
    shoot(page, "cases-contact")
    page.get_by_label("เรื่องร้องเรียน").check()
    page.get_by_label("หมวดเรื่อง").select_option(label="อาคารสถานที่และสิ่งอำนวยความสะดวก")
    page.get_by_label("ห้องสมุด", exact=True).select_option(label="หอสมุดเมืองกรุงเทพมหานคร")
    page.get_by_label("เรื่อง", exact=True).fill("ก๊อกน้ำห้องน้ำชั้น 2 รั่ว")
    page.get_by_label("รายละเอียด").fill("น้ำรั่วตลอดเวลา พื้นลื่น อันตรายต่อเด็ก")
    page.get_by_label("รูปภาพ (ถ้ามี)").set_input_files(str(world["photo"]))
    page.get_by_label("ชื่อของคุณ").fill("ปิยะนุช ใฝ่เรียนรู้")
    page.get_by_label("อีเมล").fill("piyanuch@example.org")
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_url("**/contact/done/**")
    code = page.locator("#tracking-code").inner_text()
    axe(page, label="contact done")
    shoot(page, "cases-contact-done")
    case = Case.objects.get(code=code)
    assert case.attachments.count() == 1

    staff_log_in(page, base, "cases-staff")
    page.goto(f"{base}/staff/cases/")
    axe(page, label="staff list")
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    axe(page, label="staff case")
    shoot(page, "cases-staff-case")
    page.get_by_label("กลุ่มงานห้องสมุดและการเรียนรู้ 1").check()
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert "กลุ่มงานห้องสมุดและการเรียนรู้ 1" in page.locator("#case-units").inner_text()
    page.get_by_label("คำตอบถึงผู้แจ้ง").fill("เปลี่ยนก๊อกน้ำใหม่และเช็ดพื้นแล้ว")
    page.get_by_role("button", name="ตอบผู้แจ้งและบันทึกว่าเสร็จ").click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert "เสร็จสิ้น" in page.locator("#case-state").inner_text()
    page.get_by_label("สาเหตุที่แท้จริง").fill("ก๊อกน้ำเสื่อมตามอายุการใช้งาน")
    page.get_by_label("แนวทางป้องกันการเกิดซ้ำ").fill("ตรวจสุขภัณฑ์ทุกเดือน")
    page.get_by_role("button", name="ปิดเรื่อง").click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert "ปิดเรื่อง" in page.locator("#case-state").inner_text()
    shoot(page, "cases-staff-closed")

    page.context.clear_cookies()
    page.goto(f"{base}/contact/track/{code}/")
    assert "เปลี่ยนก๊อกน้ำใหม่" in page.locator("#case-answer").inner_text()
    assert "ปิยะนุช" not in page.content()
    axe(page, label="track")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("ความเห็น (ถ้ามี)").fill("รวดเร็วดีมาก")
    page.get_by_role("button", name="ส่งผลการประเมิน").click()
    page.wait_for_url(f"**/contact/track/{code}/")
    assert "4" in page.locator("#case-rating").inner_text()
    shoot(page, "cases-track-rated")

    staff_log_in(page, base, "cases-staff")
    page.goto(f"{base}/staff/cases/report/")
    assert page.locator("#m-total").inner_text() == "1"
    assert "4" in page.locator("#m-rating").inner_text()
    axe(page, label="monthly report")
    shoot(page, "cases-monthly")
