"""Date fields keep their value through a real browser: open a form, save it unchanged, nothing is lost.

Seen on day one: the item form erased the acquisition date, the patron form refused every save until
the birth date was typed again, the coverage page lost its range when submitted again (Thai dates
written as 07/12/2026 into <input type="date">, which shows them empty and posts nothing).
"""
from datetime import date
from decimal import Decimal

import pytest

from .world import staff_log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(site_data):
    from bkklib.catalog.tests.factories import ItemFactory
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    branch = BranchFactory(code="bangrak", name_th="ห้องสมุดประชาชนเขตบางรัก")
    staff_user(roles.BRANCH_LIBRARIAN, branch, username="somsri", password="pass-1234!",
               first_name="สมศรี", last_name="มีสุข")
    item = ItemFactory(branch=branch, acquired_on=date(2026, 12, 7), price=Decimal("250.00"), shelving_location="REF",
                       notes="ปกแข็ง\nบริจาคโดยชมรมผู้อ่าน")
    patron = PatronFactory(home_branch=branch, birth_date=date(1987, 2, 28), first_name_th="มาลี",
                           address="99/1 ซอยสุขุมวิท 22\nคลองเตย กรุงเทพฯ")
    return {"branch": branch, "item": item, "patron": patron}


def log_in(page, base: str) -> None:
    staff_log_in(page, base, "somsri")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_item_form_saved_unchanged_keeps_the_acquisition_date(live_server, page, world, viewport, shoot):
    from bkklib.catalog.models import Item

    page.set_viewport_size(viewport)
    log_in(page, live_server.url)
    item = world["item"]
    before = Item.objects.get(pk=item.pk)
    page.goto(f"{live_server.url}/staff/catalog/items/{item.pk}/edit/")
    assert page.locator("#id_acquired_on").input_value() == "2026-12-07"  # the browser holds the date
    if viewport is DESKTOP:
        shoot(page, "staff-item-edit-date")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url(f"**/staff/catalog/records/{item.record_id}/")

    after = Item.objects.get(pk=item.pk)
    assert after.acquired_on == date(2026, 12, 7)
    for field in ("barcode", "branch_id", "shelving_location", "call_number", "item_type_id", "price", "notes",
                  "status"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.history.count() == before.history.count()  # nothing changed, nothing recorded


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_patron_form_saves_unchanged_and_keeps_the_birth_date(live_server, page, world, viewport, shoot):
    from bkklib.circulation.models import Patron

    page.set_viewport_size(viewport)
    log_in(page, live_server.url)
    patron = world["patron"]
    before = Patron.objects.get(pk=patron.pk)
    page.goto(f"{live_server.url}/staff/circulation/patrons/{patron.pk}/edit/")
    assert page.locator("#id_birth_date").input_value() == "1987-02-28"
    if viewport is DESKTOP:
        shoot(page, "staff-patron-edit-date")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url(f"**/staff/circulation/patrons/{patron.pk}/")  # saved: no "enter a valid date"

    after = Patron.objects.get(pk=patron.pk)
    assert after.birth_date == date(1987, 2, 28)
    for field in ("first_name_th", "last_name_th", "first_name_en", "last_name_en", "national_id", "phone", "email",
                  "address", "district_id", "home_branch_id", "category_id", "language", "note"):
        assert getattr(after, field) == getattr(before, field), field


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_coverage_page_submitted_again_keeps_its_range(live_server, page, world, viewport, shoot):
    page.set_viewport_size(viewport)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/network/coverage/?start=2026-12-07&end=2026-12-13")
    assert page.locator("#id_start").input_value() == "2026-12-07"
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_load_state()
    assert "start=2026-12-07" in page.url and "end=2026-12-13" in page.url
    assert page.locator("#id_start").input_value() == "2026-12-07"
    assert page.locator("#id_end").input_value() == "2026-12-13"
    assert not page.locator(".errorlist").count()

    page.goto(f"{live_server.url}/staff/network/coverage/")  # the default week, rendered from dates
    assert page.locator("#id_start").input_value() != ""
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_load_state()
    assert "start=" in page.url and "start=&" not in page.url and not page.locator(".errorlist").count()
    if viewport is DESKTOP:
        shoot(page, "staff-coverage-range")


def test_history_pages_show_names_buddhist_era_and_what_changed(live_server, page, world, shoot):
    """Item 3 of the same issue, on screen: the branch and record histories after real edits."""
    from bkklib.catalog import services as catalog
    from bkklib.network.models import Branch

    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/network/branches/bangrak/edit/")
    page.locator("#id_phone").fill("02 234 5678")
    page.locator("#id_hours-0-closes_at").fill("19:00")
    page.locator("#id_verify").check()
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url("**/staff/network/branches/bangrak/")
    history = page.locator("table").last.inner_text()
    assert "สมศรี มีสุข" in history and "19:00" in history and "None" not in page.content()
    assert Branch.objects.get(code="bangrak").history.filter(history_type="~").count() == 1
    assert "โดย สมศรี มีสุข" in page.locator("section").first.inner_text()
    shoot(page, "staff-branch-history")

    record = world["item"].record
    marc = dict(record.marc)
    marc["fields"] = [*marc["fields"], {"590": {"ind1": " ", "ind2": " ", "subfields": [{"a": "บริจาคโดยชมรมผู้อ่าน"}]}}]
    from django.contrib.auth import get_user_model

    catalog.save_record(marc, record=record, user=get_user_model().objects.get(username="somsri"), reason="")
    page.goto(f"{live_server.url}/staff/catalog/records/{record.pk}/history/")
    text = page.locator("table").inner_text()
    assert "590" in text and "บริจาคโดยชมรมผู้อ่าน" in text and "สมศรี มีสุข" in text
    shoot(page, "staff-record-history")
