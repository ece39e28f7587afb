"""Set-up of recruitment by staff: calls per branch, and the division's criteria, benefits and evaluation forms."""
from datetime import date

import pytest

from bkklib.core import roles
from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.network.tests.factories import staff_user
from bkklib.volunteers import services
from bkklib.volunteers.models import Benefit, Call, Criteria, EvaluationForm, Role
from bkklib.volunteers.setup import CriterionRow

from .conftest import NOW


@pytest.fixture
def admin(world):
    return staff_user(roles.NETWORK_ADMIN, world.branch, username="net-admin")


def new_call(world, branch):
    return Call(branch=branch, role=world.role, criteria=world.criteria, title="รับอาสาสมัครเล่านิทาน", wanted=2,
                opens_on=date(2025, 7, 1), closes_on=date(2025, 7, 31))


def test_branch_staff_open_and_edit_calls_only_at_their_branch(world):
    call = services.save_call(call=new_call(world, world.branch), by=world.librarian)
    assert call.history.first().history_change_reason == "call opened"
    with pytest.raises(NotPermitted):
        services.save_call(call=new_call(world, world.other_branch), by=world.librarian)
    with pytest.raises(NotPermitted):  # branch desk staff only read calls
        services.save_call(call=new_call(world, world.branch), by=world.desk)
    call.branch = world.other_branch  # moving it to a branch they do not work at
    with pytest.raises(NotPermitted):
        services.save_call(call=call, by=world.librarian)
    assert Call.objects.filter(branch=world.other_branch).count() == 0


def test_a_call_closing_before_it_opens_stores_nothing(world):
    call = new_call(world, world.branch)
    call.closes_on = date(2025, 6, 1)
    with pytest.raises(InvalidInput):
        services.save_call(call=call, by=world.librarian)
    assert Call.objects.count() == 1


def test_criteria_and_benefits_are_the_divisions(world, admin):
    criteria = Criteria(name="เกณฑ์เยาวชน", min_age=13, consent_below_age=18, min_hours_per_week=2)
    with pytest.raises(NotPermitted):
        services.save_criteria(criteria=criteria, by=world.librarian)
    services.save_criteria(criteria=criteria, by=admin)
    criteria.max_age = 10
    with pytest.raises(InvalidInput):
        services.save_criteria(criteria=criteria, by=admin)
    assert Criteria.objects.get(pk=criteria.pk).max_age is None
    benefit = Benefit(name_th="ค่าอาหารกลางวัน", kind="meal", amount=80, in_force_from=date(2025, 1, 1))
    with pytest.raises(NotPermitted):
        services.save_benefit(benefit=benefit, by=world.librarian)
    services.save_benefit(benefit=benefit, by=admin)
    assert benefit.history.first().history_change_reason == "benefit saved"


def test_evaluation_form_criteria_and_weights_are_checked(world, admin):
    form = EvaluationForm(name="ประเมินครึ่งปีแรก 2568", period_start=date(2025, 1, 1), period_end=date(2025, 6, 30))
    rows = [CriterionRow("ตรงต่อเวลา", 40, 5), CriterionRow("บริการผู้ใช้", 60, 5)]
    with pytest.raises(NotPermitted):
        services.save_evaluation_form(form=form, rows=rows, by=world.librarian)
    for bad in ([], [CriterionRow("ตรงต่อเวลา", 0, 5)], [CriterionRow("ตรงต่อเวลา", 101, 5)],
                [CriterionRow("ตรงต่อเวลา", 1, 5), CriterionRow(" ตรงต่อเวลา ", 1, 5)]):
        with pytest.raises(InvalidInput):
            services.save_evaluation_form(form=form, rows=bad, by=admin)
    assert not EvaluationForm.objects.exists()
    services.save_evaluation_form(form=form, rows=rows, by=admin)
    assert [(c.name, c.weight) for c in form.criteria.all()] == [("ตรงต่อเวลา", 40), ("บริการผู้ใช้", 60)]


def test_a_form_used_for_an_evaluation_keeps_its_criteria(placed):
    admin = staff_user(roles.NETWORK_ADMIN, placed.branch, username="net-admin")
    form = EvaluationForm(name="ประเมิน 2568", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    services.save_evaluation_form(form=form, rows=[CriterionRow("ตรงต่อเวลา", 1, 5)], by=admin)
    criterion = form.criteria.get()
    services.evaluate(form=form, volunteer=placed.volunteer, by=placed.librarian, scores={criterion.pk: 4}, now=NOW)
    with pytest.raises(InvalidInput, match="new form|แบบประเมินใหม่"):
        services.save_evaluation_form(form=form, rows=[CriterionRow("ตรงต่อเวลา", 2, 5, criterion.pk)], by=admin)
    form.name = "ประเมินประจำปี 2568"
    services.save_evaluation_form(form=form, rows=[CriterionRow("ตรงต่อเวลา", 1, 5, criterion.pk)], by=admin)
    assert EvaluationForm.objects.get().name == "ประเมินประจำปี 2568" and form.criteria.get().weight == 1


def test_roles_are_the_divisions_and_a_name_is_used_once(world, admin, client):
    role = Role(name_th="  ผู้ช่วย   ห้องสมุดเด็ก ", duties="จัดชั้น", counts_in_coverage=True)
    with pytest.raises(NotPermitted):
        services.save_role(role=role, by=world.librarian)
    services.save_role(role=role, by=admin)
    assert role.name_th == "ผู้ช่วย ห้องสมุดเด็ก" and role.history.first().history_change_reason == "role saved"
    with pytest.raises(InvalidInput) as err:
        services.save_role(role=Role(name_th="ผู้ช่วย ห้องสมุดเด็ก"), by=admin)
    assert err.value.code == "role_name" and Role.objects.filter(name_th__startswith="ผู้ช่วย ห้อง").count() == 1
    # The page: a librarian may not open it; the admin retires the role (kept for its calls and hours).
    client.force_login(world.librarian)
    assert client.get(f"/staff/volunteers/setup/roles/{role.pk}/").status_code == 403
    client.force_login(admin)
    page = client.get(f"/staff/volunteers/setup/roles/{role.pk}/")
    assert page.status_code == 200 and "ผู้ช่วย ห้องสมุดเด็ก" in page.content.decode()
    answer = client.post(f"/staff/volunteers/setup/roles/{role.pk}/", {
        "name_th": role.name_th, "name_en": "", "duties": "จัดชั้น", "counts_in_coverage": "on"})
    assert answer.status_code == 302
    role.refresh_from_db()
    assert not role.is_active and role.counts_in_coverage
    clash = client.post("/staff/volunteers/setup/roles/new/", {"name_th": "ผู้ช่วย ห้องสมุดเด็ก", "is_active": "on"})
    assert clash.status_code == 200 and "มีอยู่แล้ว" in clash.content.decode()
    assert "ผู้ช่วย ห้องสมุดเด็ก" in client.get("/staff/volunteers/setup/").content.decode()
