"""The staff pages of the network app: branch list filters, detail with history, edit-and-confirm, staffing."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bkklib.core import roles
from bkklib.network.models import Branch, Service, StaffingLevel

from .factories import BranchFactory, district, staff_user
from .test_bad_input import edit_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    from django.test import Client

    client = Client()
    client.force_login(staff_user(roles.NETWORK_ADMIN, username="division"))
    return client


def listed(response) -> set[str]:
    return {row["branch"].code for row in response.context["rows"]}


def test_the_branch_list_filters_by_district_kind_service_and_staleness(admin_client):
    a = BranchFactory(code="a", district=district("1004"), verified_at=timezone.now())
    a.services.add(Service.objects.get(code="co-working"))
    BranchFactory(code="b", kind=Branch.Kind.READING_HOUSE)
    BranchFactory(code="c", verified_at=timezone.now() - timedelta(days=200))
    url = reverse("network:branch-list")

    assert listed(admin_client.get(url, {"district": "1004"})) == {"a"}
    assert listed(admin_client.get(url, {"kind": "reading_house"})) == {"b"}
    assert listed(admin_client.get(url, {"service": "co-working"})) == {"a"}
    assert listed(admin_client.get(url, {"staleness": "stale"})) == {"b", "c"}
    assert listed(admin_client.get(url, {"staleness": "fresh"})) == {"a"}
    partial = admin_client.get(url, {"kind": "reading_house"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"/staff/network/branches/b/" in partial.content


def test_an_edit_with_confirmation_saves_verifies_and_shows_in_the_history(client):
    branch = BranchFactory(code="mine")
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch, username="somchai", first_name="สมชาย")
    client.force_login(librarian)

    client.post(reverse("network:branch-edit", args=["mine"]), edit_payload(branch, phone="02 999 9999", verify="on"))

    branch.refresh_from_db()
    assert branch.phone == "02 999 9999" and branch.verified_by == librarian and not branch.changed_since_verified
    page = client.get(reverse("network:branch-detail", args=["mine"])).content.decode()
    assert "02 999 9999" in page and "ประวัติการแก้ไข" in page and "สมชาย" in page


def test_a_librarian_adds_a_closure_to_own_branch(client):
    branch = BranchFactory(code="mine")
    client.force_login(staff_user(roles.BRANCH_LIBRARIAN, branch))

    response = client.post(reverse("network:closure-add", args=["mine"]), {
        "starts_on": "2025-07-01", "ends_on": "2025-07-03", "reason_th": "ปรับปรุงระบบไฟฟ้า"})

    assert response.status_code == 302
    assert branch.closures.get().reason_th == "ปรับปรุงระบบไฟฟ้า"


def test_minimum_staff_levels_are_set_by_network_admins_only(client, admin_client):
    branch = BranchFactory(code="mine")
    data = {f"day_{d}": (3 if d else 0) for d in range(7)}

    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch, username="lib")
    client.force_login(librarian)
    assert client.post(reverse("network:staffing-edit", args=["mine"]), data).status_code == 403

    admin_client.post(reverse("network:staffing-edit", args=["mine"]), data)
    assert sorted(StaffingLevel.objects.filter(branch=branch).values_list("weekday", "minimum_staff")) == [
        (d, 3) for d in range(1, 7)]


def test_every_network_page_answers_for_a_network_admin(admin_client):
    BranchFactory(code="x")
    for name in ("branch-list", "freshness", "org-chart", "coverage", "staff-list"):
        assert admin_client.get(reverse(f"network:{name}")).status_code == 200, name
    home = admin_client.get("/staff/").content.decode()
    assert "ความเป็นปัจจุบันของข้อมูล" in home and "อัตรากำลังเจ้าหน้าที่" in home


def test_the_district_select_posts_codes_not_row_ids():
    # Row ids grow past 1000 where districts are reloaded (a row id 1051 read as district code 1051
    # was refused as unknown): the select's values are the district codes themselves.
    from bkklib.network.forms import DistrictField
    from bkklib.network.models import District

    field = DistrictField(queryset=District.objects.all())
    bangrak = District.objects.get(code="1004")
    assert field.prepare_value(bangrak) == "1004"
    assert {str(value) for value, _label in field.choices if value} == set(District.objects.values_list("code", flat=True))
    assert field.clean("1004") == field.clean("บางรัก") == field.clean("เขตบางรัก") == bangrak
