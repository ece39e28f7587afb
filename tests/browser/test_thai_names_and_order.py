"""Names instead of codes and Thai order, as a person sees them (desktop and phone screenshots)."""
from datetime import date, time

import pytest

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.core import roles
from bkklib.network.models import OrgUnit, OrgVersion
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("admin1")
    page.get_by_label("รหัสผ่าน").fill("pass-1234!")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_staff_branch_page_shows_closed_weekdays_and_the_structure_shows_names(live_server, page, site_data, shoot):
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้คลองเตย",
                           hours=[(d, time(9), time(17)) for d in range(1, 6)])
    staff_user(roles.NETWORK_ADMIN, branch, username="admin1")
    current = OrgVersion.objects.create(name_th="โครงสร้างปัจจุบัน", effective_from=date(2024, 10, 1))
    division = OrgUnit.objects.create(version=current, code="division", kind=OrgUnit.Kind.DIVISION,
                                      name_th="กองห้องสมุด")
    OrgUnit.objects.create(version=current, parent=division, code="learning-resources",
                           name_th="กลุ่มงานแหล่งเรียนรู้")
    draft = OrgVersion.objects.create(name_th="โครงสร้างใหม่ 2570", based_on=current)
    top = OrgUnit.objects.create(version=draft, code="division", kind=OrgUnit.Kind.DIVISION, name_th="กองห้องสมุด")
    OrgUnit.objects.create(version=draft, parent=top, code="learning-resources", name_th="กลุ่มงานส่งเสริมการเรียนรู้")
    sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/staff/network/branches/{branch.code}/")
    hours = page.locator("table.hours")
    assert hours.locator("tr", has_text="จันทร์").inner_text().endswith("ปิด")
    shoot(page, "staff-branch-hours")

    page.goto(f"{live_server.url}/staff/network/structure/{draft.pk}/compare/")
    assert page.get_by_text("learning-resources").count() == 0
    assert page.get_by_role("cell", name="กลุ่มงานส่งเสริมการเรียนรู้").first.is_visible()
    shoot(page, "staff-org-compare")


def test_public_record_page_names_the_shelf(live_server, page, site_data, shoot):
    item = ItemFactory(shelving_location="CHILD")

    page.goto(f"{live_server.url}/records/{item.record_id}/")

    assert page.get_by_text("มุมหนังสือเด็ก").first.is_visible()
    assert page.get_by_text("CHILD", exact=True).count() == 0
    shoot(page, "public-record-shelf")
