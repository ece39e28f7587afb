"""Acquisitions in a real browser: staff build a selection list, approve and send it, inspect the delivery
and see the copies become items; a reader suggests a book at phone width and follows it in the account.
axe-core on every page; desktop and phone screenshots."""
from decimal import Decimal

import pytest

from .conftest import PHONE
from .world import build_network, staff_log_in

pytestmark = pytest.mark.browser
PIN = "2468"


@pytest.fixture
def world(site_data):
    from bkklib.acquisitions import services
    from bkklib.catalog.tests.factories import ItemTypeFactory
    from bkklib.circulation.services import patrons as patron_services
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user

    ItemTypeFactory(code="book", name_th="หนังสือ")
    network = build_network()
    city = network["city"]
    fund = services.create_fund(year=2570, branch=city, code="books", name="ค่าหนังสือทั่วไป", budget=Decimal("80000"))
    services.create_fund(year=2570, branch=city, code="children", name="ค่าหนังสือเด็ก", budget=Decimal("20000"))
    vendor = services.save_vendor(name="บริษัท ศูนย์หนังสือทดสอบ จำกัด", tax_id="0994000165579", delivery_days=15)
    patron = PatronFactory(card_number="2990000000058", home_branch=city, first_name_th="ปิยะนุช",
                           last_name_th="ใฝ่เรียนรู้")
    patron_services.set_pin(patron, PIN)
    staff_user(roles.NETWORK_ADMIN, city, username="acq-staff")
    return {"city": city, "fund": fund, "vendor": vendor, "patron": patron}


def test_staff_order_approve_send_and_receive_a_delivery(live_server, page, world, axe, shoot):
    from bkklib.catalog.models import Item

    page.set_default_navigation_timeout(30_000)  # the live server's first request loads every app's URLs
    staff_log_in(page, live_server.url, "acq-staff")
    page.goto(f"{live_server.url}/staff/acquisitions/orders/new/")
    axe(page, label="new selection list")
    page.get_by_label("ผู้จำหน่าย").select_option(label=world["vendor"].name)
    page.get_by_label("หน่วยงานผู้สั่งซื้อ").select_option(label=world["city"].name_th)
    page.get_by_role("button", name="เริ่มรายการ").click()
    page.wait_for_url("**/staff/acquisitions/orders/*/")
    page.get_by_label("ชื่อเรื่อง (สำหรับระเบียนย่อใหม่)").fill("ลับแลแก่งคอย")
    page.get_by_label("ผู้แต่ง", exact=True).fill("อุทิศ เหมะมูล")
    page.get_by_label("จำนวน", exact=True).fill("2")
    page.get_by_label("ราคาต่อหน่วย (บาท)").fill("600")
    page.get_by_label("กองเงิน 1").select_option(label=str(world["fund"]))
    page.get_by_label("จำนวนเล่ม 1").fill("2")
    page.get_by_label("ที่จัดเก็บ 1").fill("GEN")
    page.get_by_role("button", name="เพิ่มรายการ").click()
    assert "เพิ่มรายการแล้ว" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="อนุมัติใบสั่งซื้อ").click()
    page.get_by_role("button", name="ส่งใบสั่งซื้อ").click()
    assert "ส่งใบสั่งซื้อแล้ว" in page.locator(".messages").inner_text()
    axe(page, label="order sent")
    shoot(page, "acquisitions-order-sent")
    page.get_by_label("ได้รับครบสภาพดี ลับแลแก่งคอย").fill("2")
    page.get_by_role("button", name="บันทึกการตรวจรับ").click()
    assert "ได้รับ 2 เล่ม" in page.locator(".messages").inner_text()
    assert Item.objects.filter(record__title__startswith="ลับแลแก่งคอย").count() == 2
    axe(page, label="order received")
    shoot(page, "acquisitions-order-received")
    page.get_by_role("button", name="ขึ้นชั้น").click()
    assert "ขึ้นชั้นแล้ว 2 เล่ม" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/staff/acquisitions/funds/?year=2570")
    assert "1,200.00" in page.locator("table").first.inner_text()
    axe(page, label="funds")
    shoot(page, "acquisitions-funds")
    page.goto(f"{live_server.url}/staff/acquisitions/report/?year=2570")
    axe(page, label="report")
    shoot(page, "acquisitions-report")


def test_a_reader_suggests_a_book_at_phone_width_and_sees_it_in_the_account(live_server, page, world, axe, shoot):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/account/suggestions/")
    page.wait_for_url("**/account/?next=**")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(world["patron"].card_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/account/suggestions/")
    axe(page, label="suggestion form")
    page.get_by_label("ชื่อหนังสือ").fill("คู่มือปลูกผักบนดาดฟ้า")
    page.get_by_label("ผู้แต่ง", exact=True).fill("เกษตรกรในเมือง")
    page.get_by_role("button", name="ส่งข้อเสนอ").click()
    assert "บันทึกข้อเสนอของคุณแล้ว" in page.locator(".messages").inner_text()
    shoot(page, "acquisitions-suggestions")
    page.get_by_role("link", name="กลับไปบัญชีของฉัน").click()
    section = page.locator("#purchase-suggestions")
    assert "คู่มือปลูกผักบนดาดฟ้า" in section.inner_text() and "ได้รับแล้ว" in section.inner_text()
    axe(page, label="account with suggestions")
    shoot(page, "acquisitions-account")
