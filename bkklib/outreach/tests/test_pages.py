"""Staff pages and the desk's files: each renders for a librarian, writes go through services, scoping holds."""
import pytest
from django.urls import reverse

from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.outreach.models import DepositCollection, SyncAction, VolunteerAccount

from .test_sync import action


@pytest.fixture
def librarian_client(client, house):
    client.force_login(house.librarian)
    return client


def test_every_staff_page_renders_for_a_librarian(librarian_client):
    for name in ("staff-home", "staff-conflicts", "staff-deposits", "staff-deposit-new", "staff-trips",
                 "staff-visit-new", "staff-volunteers", "staff-statistics"):
        answer = librarian_client.get(reverse(f"outreach:{name}"))
        assert answer.status_code == 200, name
    deposit = DepositCollection.objects.get(code="dep-1")
    page = librarian_client.get(reverse("outreach:staff-deposit", args=[deposit.pk])).content.decode()
    assert "บ้านหนังสือรับแล้ว" in page and "เรียกคืน" in page
    sheet = librarian_client.get(reverse("outreach:staff-statistics"), {"start": "2025-06-01", "end": "2025-06-30",
                                                                         "by": "place", "format": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_deposit_step_and_a_revocation_from_the_pages(librarian_client, house):
    deposit = DepositCollection.objects.get(code="dep-1")
    librarian_client.post(reverse("outreach:staff-deposit-step", args=[deposit.pk, "recall"]))
    assert DepositCollection.objects.get(pk=deposit.pk).status == "recalled"
    librarian_client.post(reverse("outreach:staff-volunteer-revoke", args=[house.account.pk]), {"reason": "ย้ายออก"})
    assert VolunteerAccount.objects.get(pk=house.account.pk).revoked_at is not None


def test_a_conflict_is_resolved_from_the_page(librarian_client, house):
    from bkklib.outreach import services

    from .conftest import at

    services.sync(user=house.volunteer, actions=[action("return", at(3, 9), 1, item_barcode=house.items[0].barcode)],
                  now=at(3, 12))
    row = SyncAction.objects.get()
    assert "ไม่ได้อยู่ระหว่างการยืม" in librarian_client.get(reverse("outreach:staff-conflicts")).content.decode()
    librarian_client.post(reverse("outreach:staff-resolve", args=[row.pk]), {"resolution": "หนังสืออยู่บนชั้น"})
    row.refresh_from_db()
    assert row.resolved_at is not None and row.resolution == "หนังสืออยู่บนชั้น"


def test_staff_of_another_branch_see_no_deposit_nor_conflict_of_this_house(client, house):
    other = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    client.force_login(other)
    deposit = DepositCollection.objects.get(code="dep-1")
    assert client.get(reverse("outreach:staff-deposit", args=[deposit.pk])).status_code == 404
    assert client.post(reverse("outreach:staff-deposit-step", args=[deposit.pk, "recall"])).status_code == 404


def test_the_desk_needs_a_volunteer_account_and_serves_its_worker_and_manifest(client, house):
    assert client.get(reverse("outreach:desk")).url == reverse("outreach:desk-sign-in")
    wrong = client.post(reverse("outreach:desk-sign-in"), {"username": "somsri", "password": "nope"})
    assert wrong.status_code == 400 and "ไม่ถูกต้อง" in wrong.content.decode()
    client.post(reverse("outreach:desk-sign-in"), {"username": "somsri", "password": "reading-house-1"})
    page = client.get(reverse("outreach:desk")).content.decode()
    assert "บ้านหนังสือชุมชนวัดลาดปลาดุก" in page and 'data-sync-url="/api/v1/outreach/sync/"' in page
    worker = client.get(reverse("outreach:desk-sw"))
    assert worker["Content-Type"].startswith("application/javascript") and b"caches.open" in worker.content
    manifest = client.get(reverse("outreach:desk-manifest")).json()
    assert manifest["start_url"] == "/outreach/desk/" and manifest["display"] == "standalone"
