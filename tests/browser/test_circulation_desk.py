"""The circulation desk in a real browser: a scanner lends 10 items to one patron in under 10 seconds."""
import importlib
import time

import pytest

from .world import staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_world(site_data):
    """A branch, a librarian who works there, a patron and ten items (reference data reloaded after flushes)."""
    from django.apps import apps

    for module in ("bkklib.catalog.migrations.0002_default_item_types",
                   "bkklib.circulation.migrations.0002_default_categories_policy"):
        importlib.import_module(module).forwards(apps, None)
    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    branch = BranchFactory(code="bangkhen", name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    staff_user(roles.BRANCH_LIBRARIAN, branch, username="deskstaff", password="pass-1234!")
    patron = PatronFactory(home_branch=branch, first_name_th="สมหญิง", last_name_th="รักการอ่าน")
    record = RecordFactory(title="ลูกอีสาน", author="คำพูน บุญทวี")
    items = [ItemFactory(branch=branch, record=record, barcode=f"3100000000{n:04d}") for n in range(10)]
    return {"branch": branch, "patron": patron, "items": items}


def log_in(page, base: str) -> None:
    staff_log_in(page, base, "deskstaff")


def test_a_scanner_lends_ten_items_in_under_ten_seconds(live_server, page, desk_world, axe, shoot):
    from bkklib.circulation.models import Loan

    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/circulation/")
    # A barcode scanner is a keyboard: it types the digits and presses Enter.
    page.keyboard.type(desk_world["patron"].card_number)
    page.keyboard.press("Enter")
    page.locator("#item-barcode").wait_for()
    assert "สมหญิง รักการอ่าน" in page.locator("#panel").inner_text()
    page.locator("#item-barcode").focus()

    started = time.monotonic()
    for item in desk_world["items"]:
        page.keyboard.type(item.barcode, delay=5)
        page.keyboard.press("Enter")
    page.locator("#scan-results li[data-ok=true]").nth(9).wait_for()
    elapsed = time.monotonic() - started

    assert elapsed < 10, f"10 scans took {elapsed:.1f} s"
    assert page.locator("#scan-results li[data-ok=true]").count() == 10
    assert Loan.objects.filter(patron=desk_world["patron"], returned_at__isnull=True).count() == 10
    from bkklib.core.calendar import thai_date

    due = Loan.objects.filter(patron=desk_world["patron"]).first().due_on
    assert thai_date(due) in page.locator("#scan-results").inner_text()  # e.g. 17 มิ.ย. 2568 (Buddhist Era)
    print(f"10 scans in {elapsed:.2f} s")
    # The panel's "On loan" table shows the ten new loans without a reload.
    assert page.locator("#loan-rows tr[data-loan]").count() == 10
    assert page.locator("#loan-count").inner_text() == "10"
    assert desk_world["items"][3].barcode in page.locator("#loan-rows").inner_text()

    # Renewing from the table updates that row's renewals (and due date) in place.
    first_row = page.locator("#loan-rows tr[data-loan]").first
    first_row.get_by_role("button", name="ต่ออายุ").click()
    page.locator("#scan-results li[data-code=renewed]").wait_for()
    assert first_row.locator("[data-renewals]").inner_text() == "1"
    page.locator("#item-barcode").focus()

    # A refusal says why and what to do, in one line, and the field is ready for the next scan.
    page.keyboard.type(desk_world["items"][0].barcode)
    page.keyboard.press("Enter")
    error = page.locator("#scan-results li[data-code=item_on_loan]")
    error.wait_for()
    assert "มีผู้ยืมอยู่แล้ว" in error.inner_text() and "ทำรับคืน" in error.inner_text()
    assert page.evaluate("document.activeElement.id") == "item-barcode"
    assert page.locator("#scan-count").inner_text() == "10"  # items lent by a scan, not the renewal
    axe(page, label="circulation desk")
    shoot(page, "circulation-desk")


def test_returns_say_where_each_item_goes(live_server, page, desk_world):
    from bkklib.circulation import services
    from bkklib.network.models import Branch

    branch = desk_world["branch"]
    staff = branch.assignments.first().staff.user
    for item in desk_world["items"][:3]:
        services.checkout(item=item, patron=desk_world["patron"], staff=staff, desk=branch)
    assert Branch.objects.count() >= 1
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/circulation/checkin/")
    for item in desk_world["items"][:3]:
        page.keyboard.type(item.barcode)
        page.keyboard.press("Enter")
    page.locator("#scan-results li[data-code=shelf]").nth(2).wait_for()
    assert "นำขึ้นชั้น" in page.locator("#scan-results").inner_text()
