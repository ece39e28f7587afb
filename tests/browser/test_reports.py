"""The executive dashboard in a real browser at desktop and phone width: tiles, the month trend, the map of the
50 districts (a district opens the filtered dashboard), the table by branch down to a fact sheet; a standard
report; the public open-data page. axe-core on every page; desktop and phone screenshots."""
from datetime import timedelta

import pytest

from .conftest import DESKTOP, PHONE
from .world import staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(site_data):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.reports import rules, services
    from bkklib.reports.tests import world as hand

    w = hand.build()
    for day in rules.days(hand.FIRST_DAY, hand.LAST_DAY):
        services.nightly(today=day + timedelta(days=1))
    staff_user(roles.EXECUTIVE_VIEWER, username="director")
    return w


def test_the_dashboard_at_desktop_and_phone_width_with_the_map(live_server, page, world, axe, shoot):
    staff_log_in(page, live_server.url, "director")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/staff/dashboard/?fy=2570&indicator=circulation.loans")
    assert page.get_by_role("heading", name="แดชบอร์ดผู้บริหาร").is_visible()
    loans = page.locator('li.tile[data-indicator="circulation.loans"] .tile-value')
    assert loans.inner_text().startswith("5")
    assert page.locator("svg.geo-map path.geo-district").count() == 50
    assert page.locator('svg.geo-map path[data-code="1002"].geo-class-1, svg.geo-map path[data-code="1002"]'
                        '[class*="geo-class"]').count() == 1
    axe(page, label="dashboard desktop")
    shoot(page, "reports-dashboard")
    page.set_viewport_size(PHONE)
    axe(page, label="dashboard phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the dashboard scrolls sideways on a phone"
    assert page.locator("svg.geo-map").bounding_box()["width"] <= PHONE["width"]

    # A district on the map opens the dashboard of that district.
    page.locator('svg.geo-map a:has(path[data-code="1002"])').click()
    page.wait_for_url("**district=1002**")
    assert page.locator('li.tile[data-indicator="circulation.loans"] .tile-value').inner_text().startswith("3")
    axe(page, label="dashboard district")

    # Every figure links to its definition.
    page.locator('li.tile[data-indicator="circulation.active_members"] a.tile-name').click()
    page.wait_for_url("**/staff/dashboard/indicators/#circulationactive_members")
    assert "บัตรยังไม่หมดอายุ" in page.locator("#circulationactive_members + dd").inner_text()
    axe(page, label="definitions")

    # The table by branch leads to the branch's fact sheet.
    page.goto(f"{live_server.url}/staff/dashboard/?fy=2570")
    page.get_by_role("link", name="บ้านหนังสือทดสอบ ข").click()
    page.wait_for_url("**/staff/reports/factsheet/**")
    assert page.get_by_role("heading", name="เอกสารข้อมูลสาขา: บ้านหนังสือทดสอบ ข").is_visible()
    axe(page, label="fact sheet")
    shoot(page, "reports-factsheet")


def test_a_standard_report_and_the_open_data_page(live_server, page, world, axe, shoot):
    staff_log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/staff/reports/")
    axe(page, label="reports index")
    shoot(page, "reports-index")
    page.goto(f"{live_server.url}/staff/reports/monthly/?branch={world.a.pk}&month=2026-10")
    row = page.locator("tr", has=page.locator("td", has_text="การยืม")).first
    assert row.locator("td").nth(1).inner_text() == "2"
    axe(page, label="monthly report")
    shoot(page, "reports-monthly")
    page.goto(f"{live_server.url}/open-data/")
    assert page.get_by_role("heading", name="ข้อมูลเปิดของห้องสมุด").is_visible()
    axe(page, label="open data")
    shoot(page, "reports-open-data")
