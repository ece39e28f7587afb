"""The staff home and the desk on a librarian's first day, in a real browser at desktop and phone width.

The home page shows the work waiting at this service point with counts that link to their lists and a
scan box; the desk's card box searches names; an expired card is renewed from the panel; a due-date
slip prints; a return of an item that was not on loan is flagged; the receipt shows what is still
owed; the cash-up is counted and signed once.
"""
import importlib
from datetime import date, timedelta

import pytest

from .world import staff_log_in

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


@pytest.fixture
def day_one(site_data):
    """A branch, a librarian working only there, namesake patrons, an overdue loan, a hold to trap, a registration."""
    from django.apps import apps
    from django.utils import timezone

    for module in ("bkklib.catalog.migrations.0002_default_item_types",
                   "bkklib.circulation.migrations.0002_default_categories_policy"):
        importlib.import_module(module).forwards(apps, None)
    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
    from bkklib.circulation import services
    from bkklib.circulation.models import Patron
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    branch = BranchFactory(code="bangkhen", name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch, username="deskstaff", password="pass-1234!",
                       first_name="มานี", last_name="มีนา")
    older = PatronFactory(home_branch=branch, first_name_th="สมชาย", last_name_th="ใจดี", birth_date=date(1971, 3, 2),
                          phone="081-234-5678")
    PatronFactory(home_branch=branch, first_name_th="สมชาย", last_name_th="ใจดี", birth_date=date(2001, 8, 9),
                  phone="0899990001")
    borrower = PatronFactory(home_branch=branch, first_name_th="สมหญิง", last_name_th="รักการอ่าน")
    services.checkout(item=ItemFactory(branch=branch, record=RecordFactory(title="ลูกอีสาน")), patron=borrower,
                      staff=staff, desk=branch, now=timezone.now() - timedelta(days=40))
    wanted = ItemFactory(branch=branch, record=RecordFactory(title="ข้างหลังภาพ"), call_number="น ศ469ข")
    services.place_hold(record=wanted.record, patron=older, pickup_branch=branch, staff=staff, desk=branch)
    PatronFactory(home_branch=branch, status=Patron.Status.PENDING, first_name_th="มาใหม่", last_name_th="สมัครเอง")
    return {"branch": branch, "staff": staff, "older": older, "borrower": borrower, "wanted": wanted}


def log_in(page, base: str) -> None:
    staff_log_in(page, base, "deskstaff")


def fits_the_phone(page) -> bool:
    """Return whether the page, at phone width, needs no sideways scrolling."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    fits = page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_the_staff_home_shows_this_service_points_work_and_a_scan_box(live_server, page, day_one, axe, shoot):
    log_in(page, live_server.url)

    header = page.locator("header.site").inner_text()
    assert "จุดบริการ" in header and "ห้องสมุดเพื่อการเรียนรู้บางเขน" in header
    todos = page.locator("ul.todos")

    def count(label):
        return todos.locator("li", has_text=label).locator("[data-count]").inner_text()

    assert count("หนังสือจองที่ต้องดึงจากชั้น") == "1"
    assert count("การยืมที่เกินกำหนดส่ง") == "1"
    assert count("การสมัครที่รออนุมัติ") == "1"
    assert count("ข้อมูลห้องสมุดที่ต้องยืนยัน") == "1"
    # The to-dos come before the other apps' pages, which are plain links.
    assert page.locator("#todo-title").bounding_box()["y"] < page.locator("#apps-title").bounding_box()["y"]
    axe(page, label="staff home")
    assert fits_the_phone(page)
    shoot(page, "staff-home")

    # A count opens the list where the work is done.
    todos.locator("li", has_text="หนังสือจองที่ต้องดึงจากชั้น").locator("a").click()
    page.wait_for_url("**/holds/to-trap/")
    assert "ข้างหลังภาพ" in page.locator("main").inner_text() and "น ศ469ข" in page.locator("main").inner_text()
    axe(page, label="holds to trap")
    shoot(page, "holds-to-trap")

    # The scan box takes a name too: it goes to the desk, which lists the namesakes apart.
    page.goto(f"{live_server.url}/staff/")
    page.locator("#home-scan").fill("สมชาย ใจดี")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/circulation/?card=*")
    matches = page.locator(".patron-matches")
    assert matches.locator("tbody tr").count() == 2
    text = matches.inner_text()
    assert "2514" in text and "2544" in text and "08x-xxx-5678" in text and "08x-xxx-0001" in text
    axe(page, label="desk name search")
    assert fits_the_phone(page)
    shoot(page, "desk-name-search")
    matches.get_by_role("link").first.click()
    page.locator("#item-barcode").wait_for()


def test_the_desk_renews_an_expired_card_prints_a_slip_flags_returns_and_signs_the_cash(
        live_server, page, day_one, axe, shoot):
    from django.utils import timezone

    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
    from bkklib.circulation import queries, services
    from bkklib.circulation.models import CashUpSignOff, Fine, Patron

    branch, staff, patron = day_one["branch"], day_one["staff"], day_one["older"]
    patron.card_expires_on = timezone.localdate() - timedelta(days=5)
    patron.save()
    book = ItemFactory(branch=branch, record=RecordFactory(title="ปีศาจ"), barcode="31000000009999")
    log_in(page, live_server.url)

    # Expired card: the panel says so and offers the renewal.
    page.goto(f"{live_server.url}/staff/circulation/?card={patron.card_number}")
    assert page.locator("[data-code=card_expired]").is_visible()
    shoot(page, "desk-expired-card")
    page.get_by_role("button", name="ต่ออายุสมาชิก").click()
    page.locator("#item-barcode").wait_for()
    assert page.locator("[data-code=card_expired]").count() == 0
    assert Patron.objects.get(pk=patron.pk).card_expires_on > timezone.localdate()

    # Lend, then print the due-date slip.
    page.locator("#item-barcode").fill(book.barcode)
    page.keyboard.press("Enter")
    page.locator("#scan-results li[data-code=checked_out]").wait_for()
    page.goto(live_server.url + page.locator("[data-due-slip]").get_attribute("href"))
    slip = page.locator("article.slip").inner_text()
    assert "ปีศาจ" in slip and book.barcode in slip and patron.card_number not in slip
    assert patron.card_number[-4:] in slip and str(timezone.localdate().year + 543) in slip
    axe(page, label="due-date slip")
    shoot(page, "due-slip")

    # A return of an item that was not on loan is flagged, and the item still goes to its hold.
    page.goto(f"{live_server.url}/staff/circulation/checkin/")
    page.keyboard.type(day_one["wanted"].barcode)
    page.keyboard.press("Enter")
    line = page.locator("#scan-results li").first
    line.wait_for()
    assert line.get_attribute("data-on-loan") == "false" and line.get_attribute("data-code") == "hold_shelf"
    assert "ไม่ได้ถูกยืมอยู่" in line.inner_text()
    axe(page, label="returns")
    shoot(page, "checkin-not-on-loan")

    # The receipt of a part payment shows what is still owed.
    services.charge(patron=patron, kind=Fine.Kind.DAMAGED, amount="80", staff=staff, desk=branch, description="ปกขาด")
    page.goto(f"{live_server.url}/staff/circulation/patrons/{patron.pk}/pay/")
    page.get_by_label("จำนวนเงินที่รับ (บาท)").fill("30")
    page.get_by_role("button", name="รับเงินและพิมพ์ใบเสร็จ").click()
    page.wait_for_url("**/receipts/*/")
    owed = queries.fines_due(patron)  # the damage fee and the renewal's membership fee, less the 30 baht
    assert owed > 0 and page.locator("tr.balance").inner_text().replace("\t", " ").endswith(f"{owed} บาท")
    shoot(page, "receipt-balance")

    # Cash-up: count the drawer, see the difference, sign once.
    page.goto(f"{live_server.url}/staff/circulation/cash-up/")
    page.get_by_label("เงินสดที่นับได้ในลิ้นชัก (บาท)").fill("20")
    page.get_by_role("button", name="ลงนามสรุปยอดเงิน").click()
    page.locator("[data-signed]").wait_for()
    assert page.locator("[data-difference]").inner_text().startswith("-10.00")
    assert "มานี มีนา" in page.locator("#sign-off").inner_text()
    assert page.get_by_role("button", name="ลงนามสรุปยอดเงิน").count() == 0
    assert CashUpSignOff.objects.get(branch=branch).signed_by == staff
    axe(page, label="cash-up")
    assert fits_the_phone(page)
    shoot(page, "cash-up-signed")
