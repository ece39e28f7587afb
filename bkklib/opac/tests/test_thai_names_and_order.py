"""People read names, not codes, and scan lists in Thai dictionary order; a closed weekday says ปิด."""
import re
from datetime import date, time

import pytest
from django.urls import reverse

from bkklib.catalog.models import ShelvingLocation
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation.models import Consent
from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network import access
from bkklib.network.models import OrgUnit, OrgVersion
from bkklib.network.tests.factories import BranchFactory, StaffMemberFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = staff_user(roles.NETWORK_ADMIN, BranchFactory(), is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def options(html: str, select_name: str) -> list[str]:
    """Return the visible labels of a <select name=...> in page order."""
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def before(labels: list[str], first: str, second: str) -> bool:
    return labels.index(first) < labels.index(second)


# --- Thai order ----------------------------------------------------------------------------------


def test_the_public_district_filter_lists_คลองเตย_before_คลองสามวา(client):
    labels = options(client.get("/libraries/").content.decode(), "district")

    assert before(labels, "คลองเตย", "คลองสามวา")
    assert before(labels, "คลองสาน", "คลองสามวา")  # สาน before สาม: น before ม
    assert before(labels, "ดุสิต", "พระนคร")  # not the district code order (พระนคร is 1001)
    assert len(labels) == 51  # "All districts" and the 50 districts


def test_the_staff_branch_list_and_its_district_filter_are_in_thai_order(admin_client):
    BranchFactory(name_th="ห้องสมุดโพธิ์แก้ว")
    BranchFactory(name_th="ห้องสมุดเกียกกาย")
    BranchFactory(name_th="ห้องสมุดบางรัก")

    html = admin_client.get("/staff/network/branches/").content.decode()

    assert before(options(html, "district"), "คลองเตย", "คลองสามวา")
    assert html.index("ห้องสมุดเกียกกาย") < html.index("ห้องสมุดบางรัก") < html.index("ห้องสมุดโพธิ์แก้ว")


def test_the_staff_list_is_in_thai_order_of_names(admin_client):
    for first in ("ไพลิน", "เกศินี", "บุญมา"):
        StaffMemberFactory(first_name_th=first)

    html = admin_client.get("/staff/network/staff/").content.decode()

    assert html.index("เกศินี") < html.index("บุญมา") < html.index("ไพลิน")


def test_branch_selects_are_in_thai_order(client):
    staff = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory(name_th="ห้องสมุดโพธิ์แก้ว"),
                       BranchFactory(name_th="ห้องสมุดเกียกกาย"), BranchFactory(name_th="ห้องสมุดบางรัก"))
    client.force_login(staff)

    labels = options(client.get("/staff/desk/").content.decode(), "branch")

    assert [label for label in labels if label.startswith("ห้องสมุด")] == [
        "ห้องสมุดเกียกกาย", "ห้องสมุดบางรัก", "ห้องสมุดโพธิ์แก้ว"]


# --- Closed weekdays -----------------------------------------------------------------------------


def test_a_weekday_without_hours_shows_ปิด_on_the_staff_branch_page(admin_client):
    branch = BranchFactory(hours=[(d, time(9), time(17)) for d in range(1, 6)])  # Tue–Sat; closed Sun, Mon

    html = admin_client.get(f"/staff/network/branches/{branch.code}/").content.decode()

    hours = html[html.index('<table class="hours"'):]
    hours = hours[:hours.index("</table>")]
    assert re.search(r"จันทร์</th><td>ปิด</td>", hours)
    assert re.search(r"อาทิตย์</th><td>ปิด</td>", hours)
    assert "09:00–17:00" in hours and hours.count("<tr>") == 7


def test_a_weekday_without_hours_shows_ปิด_on_the_public_branch_page(client):
    branch = BranchFactory(hours=[(d, time(9), time(17)) for d in range(1, 6)])

    html = client.get(f"/libraries/{branch.code}/").content.decode()

    weekly = html[html.index('class="plain"'):]
    assert "จันทร์: ปิด" in weekly[:weekly.index("</ul>")]


# --- Names, not codes ----------------------------------------------------------------------------


def test_shelving_locations_show_their_thai_name_on_staff_and_public_record_pages(admin_client, client):
    item = ItemFactory(shelving_location="CHILD")
    ItemFactory(record=item.record, branch=item.branch, shelving_location="X-UNNAMED")

    staff = admin_client.get(reverse("catalog:record-detail", args=[item.record_id])).content.decode()
    public = client.get(f"/records/{item.record_id}/").content.decode()

    for html in (staff, public):
        assert "มุมหนังสือเด็ก" in html and ">CHILD<" not in html
        assert "X-UNNAMED" in html  # a code nobody named yet is still shown


def test_a_renamed_shelving_location_shows_at_once(client):
    item = ItemFactory(shelving_location="REF")
    location = ShelvingLocation.objects.get(code="REF")
    location.name_th = "ห้องอ้างอิงชั้น 2"
    location.save()

    assert "ห้องอ้างอิงชั้น 2" in client.get(f"/records/{item.record_id}/").content.decode()


def test_consent_purposes_show_their_thai_names_on_the_staff_patron_page(client):
    branch = BranchFactory()
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    patron = PatronFactory(home_branch=branch)
    patron_services.record_consent(patron, purposes=["notices", "loan_history"], channel="desk", staff=staff)
    client.force_login(staff)
    session = client.session
    session[access.DESK_SESSION_KEY] = branch.pk
    session.save()

    html = client.get(reverse("circulation:patron-detail", args=[patron.pk])).content.decode()

    consent = html[html.index("ความยินยอม (PDPA)"):][:600]
    assert "การเตือนและแจ้งเรื่องการยืมและการจอง" in consent
    assert str(Consent.Purpose.LOAN_HISTORY.label) in consent
    assert "loan_history" not in consent and "membership" not in consent and "notices" not in consent


def test_org_unit_codes_are_not_shown_in_the_chart_or_the_comparison(admin_client):
    current = OrgVersion.objects.create(name_th="โครงสร้างเดิม", effective_from=date(2024, 10, 1))
    division = OrgUnit.objects.create(version=current, code="division", kind=OrgUnit.Kind.DIVISION,
                                      name_th="กองห้องสมุด")
    OrgUnit.objects.create(version=current, parent=division, code="learning-resources", name_th="กลุ่มงานแหล่งเรียนรู้")
    draft = OrgVersion.objects.create(name_th="โครงสร้างใหม่", based_on=current)
    new_division = OrgUnit.objects.create(version=draft, code="division", kind=OrgUnit.Kind.DIVISION,
                                          name_th="กองห้องสมุด")
    OrgUnit.objects.create(version=draft, parent=new_division, code="learning-resources",
                           name_th="กลุ่มงานส่งเสริมการเรียนรู้")

    chart = admin_client.get("/staff/network/structure/?on=2025-01-01").content.decode()
    compare = admin_client.get(f"/staff/network/structure/{draft.pk}/compare/").content.decode()

    for html in (chart, compare):
        assert "กลุ่มงานแหล่งเรียนรู้" in html
        assert "learning-resources" not in html and ">division<" not in html and "· division" not in html
    assert "ภายใต้ กองห้องสมุด" in compare or "กองห้องสมุด</" in compare


def test_the_line_field_is_labelled_in_thai_on_the_patron_form(client):
    branch = BranchFactory()
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    client.force_login(staff)
    session = client.session
    session[access.DESK_SESSION_KEY] = branch.pk
    session.save()

    html = client.get(reverse("circulation:patron-register")).content.decode()

    assert "รหัสผู้ใช้ LINE" in html and "LINE user ID" not in html


def test_the_django_admin_speaks_thai(admin_client):
    index = admin_client.get("/admin/").content.decode()
    tokens = admin_client.get("/admin/authtoken/tokenproxy/").content.decode()

    assert "การจัดการ Django" not in index and "ระบบจัดการข้อมูลเครือข่ายห้องสมุด" in index
    assert "Auth Token" not in index and "โทเคนสำหรับเข้าใช้ API" in index
    assert "โทเคน" in tokens and "Tokens" not in tokens
    branches = admin_client.get("/admin/network/branch/").content.decode()
    assert "Show counts" not in branches and "แสดงจำนวน" in branches

