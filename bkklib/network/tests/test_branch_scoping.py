"""A branch librarian reads and writes only their own branches' data, through the API and the UI."""
import pytest
from django.urls import reverse

from bkklib.core import roles
from bkklib.network.models import Assignment, Closure

from .factories import StaffMemberFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_elsewhere(two_branches):
    """A staff member whose post is at the other branch."""
    return staff_user(roles.BRANCH_STAFF, two_branches[1], username="elsewhere").staff_member


def test_api_patch_of_another_branch_is_403_and_changes_nothing(api, two_branches):
    mine, other = two_branches

    response = api.patch(f"/api/v1/branches/{other.code}/", {"phone": "02 111 1111"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "not_at_this_branch"
    other.refresh_from_db()
    assert other.phone == "" and not other.changed_since_verified


def test_api_patch_of_own_branch_works_and_marks_it_changed(api, two_branches):
    mine, _other = two_branches

    response = api.patch(f"/api/v1/branches/{mine.code}/", {"phone": "02 111 1111"}, format="json")

    assert response.status_code == 200 and response.json()["phone"] == "02 111 1111"
    mine.refresh_from_db()
    assert mine.changed_since_verified


def test_api_verify_of_another_branch_is_403(api, two_branches):
    response = api.post(f"/api/v1/branches/{two_branches[1].code}/verify/")
    assert response.status_code == 403


def test_api_closure_at_another_branch_is_403(api, two_branches):
    response = api.post("/api/v1/closures/", {"branch": two_branches[1].code, "starts_on": "2025-06-10",
                                              "ends_on": "2025-06-11", "reason_th": "ซ่อม"}, format="json")
    assert response.status_code == 403
    assert not Closure.objects.exists()


def test_api_staff_of_another_branch_are_404_and_not_listed(api, two_branches, colleague_elsewhere, librarian):
    listed = api.get("/api/v1/staff/").json()["results"]

    assert [m["employee_code"] for m in listed] == [librarian.staff_member.employee_code]
    assert api.get(f"/api/v1/staff/{colleague_elsewhere.pk}/").status_code == 404


def test_api_assignments_of_another_branch_are_not_listed(api, two_branches, colleague_elsewhere):
    codes = {a["branch"] for a in api.get("/api/v1/assignments/").json()["results"]}
    assert codes == {two_branches[0].code}
    other_assignment = Assignment.objects.get(staff=colleague_elsewhere)
    assert api.get(f"/api/v1/assignments/{other_assignment.pk}/").status_code == 404


def test_api_staff_resources_are_closed_to_the_public(client, two_branches):
    for url in ("/api/v1/staff/", "/api/v1/assignments/", "/api/v1/org-units/"):
        assert client.get(url).status_code in (401, 403), url


def test_ui_pages_of_another_branch_are_404(staff_client, two_branches, colleague_elsewhere):
    _mine, other = two_branches
    for name in ("network:branch-detail", "network:branch-edit", "network:closure-add"):
        assert staff_client.get(reverse(name, args=[other.code])).status_code == 404, name
    assert staff_client.get(reverse("network:staff-detail", args=[colleague_elsewhere.pk])).status_code == 404


def test_ui_writes_to_another_branch_are_refused_and_change_nothing(staff_client, two_branches):
    _mine, other = two_branches

    edit = staff_client.post(reverse("network:branch-edit", args=[other.code]), {"name_th": "ยึด"})
    verify = staff_client.post(reverse("network:branch-verify", args=[other.code]))

    assert edit.status_code == 404 and verify.status_code == 404
    other.refresh_from_db()
    assert other.name_th == "ห้องสมุดอื่น" and other.verified_at is None


def test_ui_branch_list_shows_only_own_branches(staff_client, two_branches):
    response = staff_client.get(reverse("network:branch-list"))
    html = response.content.decode()
    assert "ห้องสมุดของฉัน" in html and "ห้องสมุดอื่น" not in html


def test_ui_own_branch_pages_answer(staff_client, two_branches):
    mine, _other = two_branches
    for name in ("network:branch-detail", "network:branch-edit", "network:closure-add"):
        assert staff_client.get(reverse(name, args=[mine.code])).status_code == 200, name


def test_personal_data_needs_the_permission_and_each_view_is_logged(client, two_branches):
    from bkklib.core.models import AccessLog

    member = StaffMemberFactory(home_address="123 ถนนสาธิต", national_id="1101700230705")
    Assignment.objects.create(staff=member, branch=two_branches[0], starts_on="2020-01-01")
    admin = staff_user(roles.NETWORK_ADMIN, username="hr")
    librarian = staff_user(roles.BRANCH_LIBRARIAN, two_branches[0], username="plain")

    client.force_login(librarian)
    plain = client.get(reverse("network:staff-detail", args=[member.pk])).content.decode()
    assert "123 ถนนสาธิต" not in plain and not AccessLog.objects.exists()

    client.force_login(admin)
    shown = client.get(reverse("network:staff-detail", args=[member.pk])).content.decode()
    assert "123 ถนนสาธิต" in shown and "มาตรา 24(3)" in shown
    api_body = client.get(f"/api/v1/staff/{member.pk}/").json()
    assert api_body["national_id"] == "1101700230705" and api_body["pdpa_purpose"]
    assert AccessLog.objects.filter(user=admin, subject=f"network.staffmember:{member.pk}").count() == 2


def test_api_a_branch_code_cannot_be_changed(api, two_branches):
    mine, _other = two_branches
    response = api.patch(f"/api/v1/branches/{mine.code}/", {"code": "renamed"}, format="json")
    assert response.status_code == 400 and "code" in response.json()["errors"]
    mine.refresh_from_db()
    assert mine.code != "renamed"
