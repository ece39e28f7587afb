"""A branch's change history: every change once, with people's names and Buddhist Era dates.

Seen on day one: "confirmed … by None", "30 พฤศจิกายน 2026", "verified by: → 323", a change of
opening hours not shown at all, and one save giving two history rows.
"""
import re
from datetime import datetime, time
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bkklib.core import roles
from bkklib.network import services
from bkklib.network.models import Branch, OpeningPeriod
from bkklib.network.rules import Period

from .factories import BranchFactory, staff_user
from .test_bad_input import edit_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch():
    return BranchFactory(code="mine", name_th="ห้องสมุดประชาชนเขตบางรัก",
                         hours=[(d, time(9), time(17)) for d in range(1, 6)])


@pytest.fixture
def librarian(branch):
    return staff_user(roles.BRANCH_LIBRARIAN, branch, username="u323", first_name="สมศรี", last_name="มีสุข")


def history_section(client, code="mine") -> str:
    html = client.get(reverse("network:branch-detail", args=[code])).content.decode()
    section = html[html.index("ประวัติการแก้ไข"):]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", section)))


def page_text(client, code="mine") -> str:
    html = client.get(reverse("network:branch-detail", args=[code])).content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_confirmation_names_the_person_and_the_date_in_the_buddhist_era(branch, librarian):
    when = timezone.make_aware(datetime(2026, 11, 30, 10, 15))
    services.confirm_branch(branch=branch, by=librarian, now=when)
    client = signed_in(librarian)

    text = page_text(client)
    assert "ยืนยันความถูกต้องครั้งล่าสุดเมื่อ 30 พ.ย. 2569 โดย สมศรี มีสุข" in text
    history = history_section(client)
    assert "สมศรี มีสุข" in history
    assert "30 พ.ย. 2569 10:15 น." in history  # the verified-at value, not "30 พฤศจิกายน 2026"
    assert "2026" not in history
    assert "ยืนยันโดย: — → สมศรี มีสุข" in history  # the user by name, not by id
    assert f"→ {librarian.pk} " not in history


def test_a_confirmation_by_nobody_known_names_no_one(branch, librarian):
    Branch.objects.filter(pk=branch.pk).update(verified_at=timezone.now(), verified_by=None)
    text = page_text(signed_in(librarian))
    assert "None" not in text
    assert "ยืนยันความถูกต้องครั้งล่าสุดเมื่อ" in text and " โดย " not in text.split("ยืนยันความถูกต้องครั้งล่าสุดเมื่อ")[1][:40]


def test_one_save_of_the_edit_page_is_one_history_row_with_the_hours_change(branch, librarian):
    client = signed_in(librarian)
    before = branch.history.count()
    hours = [(0, "10:00", "16:00"), *[(d, "09:00", "17:00") for d in range(1, 5)], (5, "09:00", "19:00")]

    response = client.post(reverse("network:branch-edit", args=["mine"]),
                           edit_payload(branch, hours=hours, phone="02 111 2222", verify="on"))

    assert response.status_code == 302
    assert branch.history.count() == before + 1
    history = history_section(client)
    assert "เวลาเปิด วันจันทร์: ปิด → 10:00–16:00" in history
    assert "เวลาเปิด วันเสาร์: 09:00–17:00 → 09:00–19:00" in history
    assert "เวลาเปิด วันอังคาร" not in history  # unchanged days are not listed
    assert "02 111 2222" in history
    assert history.count("สมศรี มีสุข") == 2  # who saved, and "verified by: — → สมศรี มีสุข"
    assert "→ สมศรี มีสุข" in history


def test_a_change_of_hours_alone_is_recorded_once_and_readable(branch, librarian):
    services.set_opening_hours(branch=branch, by=librarian, periods=[
        Period(d, time(9), time(17)) for d in range(1, 6)] + [Period(6, time(9), time(12))])
    services.set_opening_hours(branch=branch, by=librarian, periods=[
        Period(d, time(9), time(17)) for d in range(1, 6)] + [Period(6, time(9), time(12))])  # no change: no row

    rows = list(branch.history.order_by("-history_date"))
    assert [r.history_type for r in rows] == ["~", "+"]
    history = history_section(signed_in(librarian))
    assert "เวลาเปิด วันอาทิตย์: ปิด → 09:00–12:00" in history


def test_hours_of_a_branch_made_in_bulk_show_from_its_first_edit(librarian):
    from simple_history.utils import bulk_create_with_history

    from .factories import district

    bulk = Branch(code="bulk", name_th="บ้านหนังสือชุมชน", kind=Branch.Kind.READING_HOUSE, district=district())
    bulk_create_with_history([bulk], Branch)  # as the demo data and imports do: no hours in the row
    bulk = Branch.objects.get(code="bulk")
    OpeningPeriod.objects.create(branch=bulk, weekday=2, opens_at=time(8), closes_at=time(16))
    admin = staff_user(roles.NETWORK_ADMIN, first_name="วิชัย", last_name="ใจดี")

    services.set_opening_hours(branch=bulk, by=admin, periods=[Period(2, time(8), time(18))])

    history = history_section(signed_in(admin), "bulk")
    assert "เวลาเปิด วันพุธ: 08:00–16:00 → 08:00–18:00" in history
    assert "วิชัย ใจดี" in history


def test_the_api_update_with_hours_and_confirmation_is_one_row(branch, librarian):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(librarian)
    before = branch.history.count()
    response = api.patch(f"/api/v1/branches/{branch.code}/", {
        "phone": "02 333 4444", "verify": True,
        "opening_hours": [{"weekday": 1, "opens_at": "08:30", "closes_at": "17:00"}]}, format="json")
    assert response.status_code == 200, response.content
    assert branch.history.count() == before + 1
    row = branch.history.order_by("-history_date").first()
    assert row.opening_hours == [[1, "08:30", "17:00"]] and row.verified_by_id == librarian.pk
