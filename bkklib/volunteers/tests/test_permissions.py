"""Privacy: a volunteer sees only their own record, branch staff only their branch's volunteers, sensitive
fields only for the named roles; refused reads are 403/404 and allowed reads are logged."""
import pytest

from bkklib.core.models import AccessLog
from bkklib.volunteers import services

from .conftest import NOW, accepted_volunteer, thai_id


@pytest.fixture
def two(world):
    """Two volunteers with sign-ins at the same branch."""
    services.make_account(application=world.volunteer.application, password="รหัสผ่านยาวพอ-2568")
    other = accepted_volunteer(world.call, world.librarian, twelve="710170020345", first_name="ประยูร", now=NOW)
    services.make_account(application=other.application, password="รหัสผ่านยาวพอ-2568")
    world.volunteer.refresh_from_db()
    other.refresh_from_db()
    return world, other


def subject(volunteer):
    return f"volunteers.volunteer:{volunteer.pk}"


def test_a_volunteer_reads_their_own_record_and_not_another_volunteers(client, two):
    world, other = two
    client.force_login(world.volunteer.user)
    assert client.get(f"/api/v1/volunteers/{world.volunteer.pk}/").status_code == 200
    assert client.get(f"/api/v1/volunteers/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/volunteers/{other.pk}/sensitive/").status_code == 403
    assert client.get("/api/v1/volunteers/").status_code == 403
    assert client.get(f"/staff/volunteers/people/{other.pk}/").status_code == 403
    me = client.get("/api/v1/volunteers/me/").json()
    assert me["volunteer"]["code"] == world.volunteer.code
    assert not AccessLog.objects.filter(subject=subject(other)).exists()


def test_branch_staff_cannot_read_another_branchs_volunteers(client, two):
    world, other = two
    client.force_login(world.other_librarian)
    assert client.get(f"/api/v1/volunteers/{world.volunteer.pk}/").status_code == 404
    assert client.get(f"/api/v1/volunteers/{world.volunteer.pk}/sensitive/").status_code == 404
    assert client.get(f"/staff/volunteers/people/{world.volunteer.pk}/").status_code == 404
    assert client.get(f"/staff/volunteers/applications/{world.volunteer.application_id}/").status_code == 404
    assert client.get("/api/v1/volunteers/").json()["count"] == 0
    assert not AccessLog.objects.filter(subject=subject(world.volunteer)).exists()


def test_a_role_without_the_sensitive_permission_is_refused_and_sees_the_id_masked(client, two):
    world, _other = two
    client.force_login(world.desk)
    assert client.get(f"/api/v1/volunteers/{world.volunteer.pk}/").status_code == 200
    assert client.get(f"/api/v1/volunteers/{world.volunteer.pk}/sensitive/").status_code == 403
    page = client.get(f"/staff/volunteers/people/{world.volunteer.pk}/?show=sensitive")
    assert page.status_code == 403
    page = client.get(f"/staff/volunteers/applications/{world.volunteer.application_id}/")
    digits = thai_id("310170020345")
    assert page.status_code == 200 and f"x-xxxx-xxxxx-{digits[10:12]}-{digits[12]}" in page.content.decode()
    assert digits not in page.content.decode()
    assert world.volunteer.national_id_hash not in page.content.decode()
    assert not AccessLog.objects.filter(subject=subject(world.volunteer)).exists()


def test_allowed_reads_of_sensitive_fields_are_logged(client, two):
    world, _other = two
    client.force_login(world.librarian)
    answer = client.get(f"/api/v1/volunteers/{world.volunteer.pk}/sensitive/")
    assert answer.status_code == 200 and answer.json()["health_notes"] == "แพ้ฝุ่น"
    page = client.get(f"/staff/volunteers/people/{world.volunteer.pk}/?show=sensitive")
    assert "99 ถนนราชดำเนินกลาง" in page.content.decode()
    plain = client.get(f"/staff/volunteers/people/{world.volunteer.pk}/")
    assert "99 ถนนราชดำเนินกลาง" not in plain.content.decode()
    logs = AccessLog.objects.filter(subject=subject(world.volunteer), action="view_sensitive", user=world.librarian)
    assert logs.count() == 2
    assert set(logs.values_list("path", flat=True)) == {f"/api/v1/volunteers/{world.volunteer.pk}/sensitive/",
                                                       f"/staff/volunteers/people/{world.volunteer.pk}/"}


def test_the_export_gives_a_volunteer_their_own_data(client, two):
    world, _other = two
    client.force_login(world.volunteer.user)
    data = client.get("/volunteer/me/export.json").json()
    assert data["code"] == world.volunteer.code and data["address"].startswith("99 ")


def test_erasure_keeps_the_hours_and_clears_the_person(two):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.volunteers import pdpa

    world, _other = two
    admin = staff_user(roles.NETWORK_ADMIN, world.branch, username="netadmin")
    from bkklib.core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        pdpa.erase_volunteer(world.volunteer, world.librarian)
    pdpa.erase_volunteer(world.volunteer, admin, now=NOW)
    world.volunteer.refresh_from_db()
    assert world.volunteer.first_name == "—" and world.volunteer.national_id_sealed == "" and world.volunteer.erased_at
    assert not world.volunteer.user.is_active
