"""Copy cataloguing in a real browser: a cataloguer finds a Thai record in another catalogue (this
catalogue's own /sru), compares it with a thin record and overlays it; screenshots at desktop and phone
width, axe-clean."""
import pytest

from .world import staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def cataloguing(site_data, live_server):
    from bkklib.catalog.tests.factories import RecordFactory
    from bkklib.core import roles
    from bkklib.interop.models import CopyTarget
    from bkklib.network.tests.factories import BranchFactory, staff_user

    branch = BranchFactory(code="catlib")
    staff_user(roles.BRANCH_LIBRARIAN, branch, username="cataloguer", password="pass-1234!")
    full = RecordFactory(title="ลุงบุญมีระลึกชาติ", author="อภิชาติพงศ์ วีระเศรษฐกุล", isbn="9786167051000")
    thin = RecordFactory(title="ลุงบุญมี", author="")
    CopyTarget.objects.create(name="ห้องสมุดทดสอบ (SRU)", kind="sru", address=f"{live_server.url}/sru")
    return {"full": full, "thin": thin}


def test_overlay_a_thin_record_with_a_copy(page, live_server, cataloguing, shoot, axe):
    thin = cataloguing["thin"]
    staff_log_in(page, live_server.url, "cataloguer")
    page.goto(f"{live_server.url}/staff/catalog/records/{thin.pk}/")
    page.get_by_role("link", name="หาระเบียนที่ดีกว่าจากที่อื่น (คัดลอกระเบียน)").click()
    page.get_by_label("คำค้น").fill("ลุงบุญมีระลึกชาติ")
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    page.get_by_text("พบ 1 ระเบียน").wait_for()
    shoot(page, "copy-cataloguing-results")
    axe(page, label="copy cataloguing results")
    page.get_by_role("button", name="ดูและเปรียบเทียบ").click()
    page.get_by_role("heading", name=f"ระเบียน {thin.pk} ในปัจจุบัน").wait_for()
    shoot(page, "copy-cataloguing-compare")
    axe(page, label="copy cataloguing compare")
    page.get_by_role("button", name=f"แทนที่ระเบียน {thin.pk} ด้วยระเบียนนี้").click()
    page.get_by_text(f"แทนที่ระเบียน {thin.pk} ด้วยระเบียนที่คัดลอกจาก").wait_for()
    thin.refresh_from_db()
    assert thin.title.startswith("ลุงบุญมีระลึกชาติ")
