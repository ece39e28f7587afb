"""Staff views follow ``next`` only to pages of this site (no open redirect)."""
import pytest

from bkklib.core import roles
from bkklib.network.models import Branch

from .factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db
EVIL = "https://evil.example/phish"


@pytest.fixture
def admin_client(client):
    client.force_login(staff_user(roles.NETWORK_ADMIN, username="netadmin"))
    return client


def test_confirming_a_branch_does_not_follow_a_foreign_next(admin_client):
    BranchFactory(code="lib")
    evil = admin_client.post("/staff/network/branches/lib/verify/", {"next": EVIL})
    assert evil.status_code == 302 and evil["Location"] == "/staff/network/branches/lib/"
    local = admin_client.post("/staff/network/branches/lib/verify/", {"next": "/staff/network/freshness/"})
    assert local["Location"] == "/staff/network/freshness/"
    assert Branch.objects.get(code="lib").verified_at is not None


def test_accepting_a_secondment_does_not_follow_a_foreign_next(admin_client):
    from datetime import date

    from bkklib.network.models import Assignment

    from .factories import StaffMemberFactory

    home, short = BranchFactory(code="home"), BranchFactory(code="short")
    member = StaffMemberFactory()
    Assignment.objects.create(staff=member, branch=home, starts_on=date(2024, 1, 1))
    response = admin_client.post("/staff/network/coverage/accept/", {
        "staff": member.pk, "from_branch": home.pk, "to_branch": short.pk,
        "starts_on": "2025-06-10", "ends_on": "2025-06-11", "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/staff/network/coverage/"
    assert Assignment.objects.filter(staff=member, branch=short, kind="secondment").exists()


def test_choosing_a_desk_does_not_follow_a_foreign_next(client):
    mine, other = BranchFactory(code="mine"), BranchFactory(code="other")
    client.force_login(staff_user(roles.BRANCH_LIBRARIAN, mine, other, username="twodesks"))
    evil = client.post(f"/staff/desk/?next={EVIL}", {"branch": mine.pk})
    assert evil.status_code == 302 and "evil.example" not in evil["Location"]
    local = client.post("/staff/desk/?next=/staff/network/branches/", {"branch": other.pk})
    assert local["Location"] == "/staff/network/branches/"
