"""A restructuring drafted today and effective next month changes the org chart only from that date."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from bkklib.core import roles
from bkklib.network import queries, rules, services
from bkklib.network.exceptions import VersionInForce
from bkklib.network.models import OrgUnit, OrgVersion, UnitBranch

from .factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 3)
NEXT_MONTH = date(2025, 7, 1)


@pytest.fixture
def admin():
    return staff_user(roles.NETWORK_ADMIN, username="planner")


@pytest.fixture
def current(admin):
    """The structure in force since 1 Oct 2024: division → two groups, each with a library."""
    version = OrgVersion.objects.create(name_th="โครงสร้างเดิม", effective_from=date(2024, 10, 1))
    division = OrgUnit.objects.create(version=version, code="division", kind=OrgUnit.Kind.DIVISION,
                                      name_th="ส่วนห้องสมุดและการเรียนรู้")
    g1 = OrgUnit.objects.create(version=version, parent=division, code="library-1", name_th="กลุ่มงาน 1")
    g2 = OrgUnit.objects.create(version=version, parent=division, code="library-2", name_th="กลุ่มงาน 2")
    a, b = BranchFactory(code="lib-a"), BranchFactory(code="lib-b")
    UnitBranch.objects.create(version=version, unit=g1, branch=a)
    UnitBranch.objects.create(version=version, unit=g2, branch=b)
    return version


def names(roots):
    return [(depth, node.unit.name_th, sorted(b.code for b in node.branches))
            for root in roots for depth, node in root.walk()]


def test_a_restructuring_changes_the_chart_only_from_its_effective_date(admin, current):
    before = names(queries.org_chart(TODAY))
    draft = services.draft_restructuring(name_th="ปรับโครงสร้าง 2568", by=admin, today=TODAY)
    division = draft.units.get(code="division")
    mobile = services.add_unit(version=draft, by=admin, code="outreach", name_th="กลุ่มงานห้องสมุดเคลื่อนที่",
                               parent=division, today=TODAY)
    services.place_branch(version=draft, branch=current.units.get(code="library-2").branches.get(),
                          unit=mobile, by=admin, today=TODAY)
    services.schedule_restructuring(version=draft, effective_from=NEXT_MONTH, by=admin, today=TODAY)

    assert names(queries.org_chart(TODAY)) == before
    assert names(queries.org_chart(NEXT_MONTH - timedelta(days=1))) == before
    after = names(queries.org_chart(NEXT_MONTH))
    assert (1, "กลุ่มงานห้องสมุดเคลื่อนที่", ["lib-b"]) in after
    assert (1, "กลุ่มงาน 2", []) in after
    assert names(queries.org_chart(date(2026, 1, 1))) == after
    assert queries.version_in_force(date(2024, 9, 30)) is None


def test_the_draft_is_compared_side_by_side_with_the_current_structure(admin, current):
    draft = services.draft_restructuring(name_th="ร่าง", by=admin, today=TODAY)
    services.change_unit(unit=draft.units.get(code="library-1"), by=admin, name_th="กลุ่มงานห้องสมุด 1 (ใหม่)",
                         today=TODAY)
    services.place_branch(version=draft, branch=current.units.get(code="library-1").branches.get(),
                          unit=draft.units.get(code="library-2"), by=admin, today=TODAY)

    rows = {r.code: r for r in queries.compare_versions(current, draft)}

    assert rows["library-1"].changes == (rules.RENAMED, rules.BRANCHES_CHANGED)
    assert rows["library-1"].branches_out == {"lib-a"}
    assert rows["library-2"].branches_in == {"lib-a"}
    assert rows["division"].changes == ()


def test_the_structure_in_force_cannot_be_edited(admin, current):
    with pytest.raises(VersionInForce):
        services.add_unit(version=current, by=admin, code="x", name_th="x", today=TODAY)


def test_a_restructuring_cannot_take_effect_in_the_past(admin, current):
    draft = services.draft_restructuring(name_th="ร่าง", by=admin, today=TODAY)
    with pytest.raises(ValidationError) as info:
        services.schedule_restructuring(version=draft, effective_from=TODAY - timedelta(days=1), by=admin,
                                        today=TODAY)
    assert "effective_from" in info.value.message_dict
    draft.refresh_from_db()
    assert draft.effective_from is None


def test_two_versions_cannot_take_effect_on_the_same_day(admin, current):
    first = services.draft_restructuring(name_th="ร่าง 1", by=admin, today=TODAY)
    second = services.draft_restructuring(name_th="ร่าง 2", by=admin, today=TODAY)
    services.schedule_restructuring(version=first, effective_from=NEXT_MONTH, by=admin, today=TODAY)
    with pytest.raises(ValidationError):
        services.schedule_restructuring(version=second, effective_from=NEXT_MONTH, by=admin, today=TODAY)


def test_a_branch_belongs_to_one_unit_per_version(current):
    from django.db import IntegrityError, transaction

    branch = current.units.get(code="library-1").branches.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitBranch.objects.create(version=current, unit=current.units.get(code="library-2"), branch=branch)


def test_only_network_admins_restructure(current):
    from bkklib.core.exceptions import NotPermitted

    librarian = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    with pytest.raises(NotPermitted):
        services.draft_restructuring(name_th="ร่าง", by=librarian, today=TODAY)


def test_the_org_chart_page_shows_a_chosen_day(client, admin, current):
    draft = services.draft_restructuring(name_th="ร่างปรับโครงสร้าง", by=admin)
    client.force_login(admin)
    page = client.get("/staff/network/structure/?on=2025-01-15").content.decode()
    assert "โครงสร้างเดิม" in page and "ร่างปรับโครงสร้าง" in page
    compare = client.get(f"/staff/network/structure/{draft.pk}/compare/")
    assert compare.status_code == 200


def test_api_org_units_answer_for_a_day(admin, current):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin)
    body = client.get("/api/v1/org-units/?on=2025-01-15").json()
    assert {u["code"] for u in body["results"]} == {"division", "library-1", "library-2"}
    assert client.get("/api/v1/org-units/?on=2024-01-15").json()["count"] == 0


def test_the_staff_pages_draft_edit_compare_and_schedule_a_restructuring(client, admin, current):
    from django.utils import timezone

    client.force_login(admin)
    client.post("/staff/network/structure/drafts/", {"name_th": "ร่างผ่านหน้าเว็บ"})
    draft = OrgVersion.objects.get(name_th="ร่างผ่านหน้าเว็บ")
    url = f"/staff/network/structure/{draft.pk}/"
    division = draft.units.get(code="division")

    client.post(url, {"action": "add-unit", "unit-code": "outreach", "unit-name_th": "กลุ่มงานเคลื่อนที่",
                      "unit-kind": "group", "unit-parent": division.pk})
    outreach = draft.units.get(code="outreach")
    client.post(url, {"action": "place-branch", "place-branch": "lib-b", "place-unit": outreach.pk})
    client.post(url, {"action": "rename-unit", "rename-unit": draft.units.get(code="library-1").pk,
                      "rename-name_th": "กลุ่มงานห้องสมุด 1"})
    compare = client.get(f"{url}compare/").content.decode()
    assert "กลุ่มงานเคลื่อนที่" in compare and "กลุ่มงานห้องสมุด 1" in compare

    effective = timezone.localdate() + timedelta(days=30)
    client.post(url, {"action": "schedule", "schedule-effective_from": effective.isoformat()})

    draft.refresh_from_db()
    assert draft.effective_from == effective
    assert "กลุ่มงานเคลื่อนที่" not in names_text(queries.org_chart(timezone.localdate()))
    assert "กลุ่มงานเคลื่อนที่" in names_text(queries.org_chart(effective))
    # Now scheduled, a librarian's attempt (or anyone's, after it takes effect) cannot change it.
    past = client.post(url, {"action": "schedule", "schedule-effective_from": "2000-01-01"}).content.decode()
    assert "การปรับโครงสร้างจะมีผลย้อนหลังไม่ได้" in past


def names_text(roots) -> str:
    return " ".join(node.unit.name_th for root in roots for _depth, node in root.walk())
