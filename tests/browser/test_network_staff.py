"""A branch librarian keeps branch data current in a real browser: one-click confirm, field errors in Thai."""
import pytest

from .world import staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def librarian_world(site_data):
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    stale = BranchFactory(code="stale-lib", name_th="ห้องสมุดประชาชนทดสอบ")
    other = BranchFactory(code="other-lib", name_th="ห้องสมุดของผู้อื่น")
    staff_user(roles.BRANCH_LIBRARIAN, stale, username="somsri", password="pass-1234!")
    return {"stale": stale, "other": other}


def log_in(page, base: str) -> None:
    staff_log_in(page, base, "somsri")


def test_confirm_a_stale_branch_in_one_click_without_reloading(live_server, page, librarian_world, axe, shoot):
    log_in(page, live_server.url)
    page.get_by_role("link", name="ความเป็นปัจจุบันของข้อมูล").first.click()
    page.wait_for_url("**/staff/network/freshness/")
    row = page.locator("#fresh-stale-lib")
    assert "ยังไม่เคยยืนยัน" in row.inner_text()
    assert "ห้องสมุดของผู้อื่น" not in page.content()
    axe(page, label="freshness page")
    shoot(page, "staff-freshness")

    page.evaluate("window.__marker = 'same page'")
    row.get_by_role("button", name="ยืนยันว่าถูกต้อง ณ วันนี้").click()
    page.locator("#fresh-stale-lib", has_text="ยืนยันว่าถูกต้องแล้ววันนี้").wait_for()
    assert page.evaluate("window.__marker") == "same page"  # swapped in place by HTMX
    librarian_world["stale"].refresh_from_db()
    assert librarian_world["stale"].verified_at is not None


def test_hours_that_close_before_they_open_are_refused_with_a_thai_field_error(live_server, page, librarian_world,
                                                                                 axe, shoot):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/network/branches/stale-lib/edit/")
    page.locator("#id_hours-0-opens_at").fill("18:00")
    page.locator("#id_hours-0-closes_at").fill("09:00")
    page.get_by_role("button", name="บันทึก").click()

    assert page.get_by_role("alert").inner_text().startswith("ยังไม่ได้บันทึกข้อมูลใด ๆ")
    assert "เวลาปิดต้องช้ากว่าเวลาเปิด" in page.locator("table").inner_text()
    axe(page, label="branch edit with errors")
    shoot(page, "staff-branch-edit-error")
    assert librarian_world["stale"].opening_periods.filter(opens_at="18:00").count() == 0


def test_another_branchs_page_is_not_found(live_server, page, librarian_world):
    log_in(page, live_server.url)
    response = page.goto(f"{live_server.url}/staff/network/branches/other-lib/edit/")
    assert response.status == 404


def test_the_header_bar_of_network_pages_comes_from_the_network_menu(live_server, page, librarian_world, axe, shoot):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/network/branches/")
    bar = page.get_by_role("navigation", name="เมนูหลัก")
    links = bar.get_by_role("link")
    names = [links.nth(n).inner_text() for n in range(links.count())]
    assert names[0] == "หน้าแรก" and "ห้องสมุดในเครือข่าย" in names and "ความเป็นปัจจุบันของข้อมูล" in names
    assert bar.locator("[aria-current=page]").inner_text() == "ห้องสมุดในเครือข่าย"
    axe(page, label="network header bar")
    shoot(page, "staff-network-nav")
