"""The Thai error pages as a person sees them, on desktop and phone."""
import pytest

from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.browser


def test_branch_staff_refused_a_page_see_a_thai_staff_page_with_ways_back(live_server, page, site_data, axe, shoot):
    staff_user(roles.BRANCH_STAFF, BranchFactory(), username="somsri")
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("somsri")
    page.get_by_label("รหัสผ่าน").fill("pass-1234!")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    response = page.goto(f"{live_server.url}/staff/circulation/notices/")

    assert response.status == 403
    assert page.get_by_role("heading", name="คุณไม่มีสิทธิ์เปิดหน้านี้").is_visible()
    assert page.get_by_role("link", name="หน้าแรกระบบงานเจ้าหน้าที่").is_visible()
    axe(page)
    shoot(page, "error-403-staff")


def test_an_unknown_public_address_shows_a_thai_public_page(live_server, page, site_data, axe, shoot):
    response = page.goto(f"{live_server.url}/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", name="ไม่พบหน้าที่ต้องการ").is_visible()
    page.get_by_role("link", name="ค้นหาห้องสมุด").first.click()
    page.wait_for_url(f"{live_server.url}/libraries/")
    page.go_back()
    axe(page)
    shoot(page, "error-404-public")
