"""Round-trip cases of the volunteers set-up model forms, in the format of tests/test_model_forms.py's CASES
(merged there with ``CASES.update(volunteers_cases())``)."""
from datetime import date
from decimal import Decimal


def _branch():
    from bkklib.network.models import District
    from bkklib.network.tests.factories import BranchFactory

    return BranchFactory(name_th="ห้องสมุดประชาชนเขตคลองเตย", district=District.objects.get(code="1033"))


def _criteria():
    from bkklib.network.models import District
    from bkklib.volunteers.models import Criteria

    criteria = Criteria.objects.create(name="เกณฑ์อาสาสมัครเยาวชน", min_age=13, consent_below_age=18, max_age=25,
                                       min_hours_per_week=3, skills="เล่านิทาน, คอมพิวเตอร์",
                                       documents="สำเนาบัตรประชาชน, หนังสือยินยอมผู้ปกครอง")
    criteria.districts.set(District.objects.filter(code__in=["1033", "1001"]))
    return criteria


def call_case():
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user
    from bkklib.volunteers.models import Call, Role

    branch = _branch()
    role = Role.objects.create(name_th="ผู้ช่วยมุมเด็ก", duties="เล่านิทาน\nจัดชั้นหนังสือเด็ก")
    call = Call.objects.create(branch=branch, role=role, criteria=_criteria(), title="รับอาสาสมัครช่วงปิดเทอม",
                               description="ช่วยเล่านิทานวันเสาร์\n\nมีอาหารกลางวัน", wanted=4,
                               opens_on=date(2026, 3, 1), closes_on=date(2026, 5, 15))
    return call, {"user": staff_user(roles.BRANCH_LIBRARIAN, branch)}


def criteria_case():
    return _criteria(), {}


def benefit_case():
    from bkklib.volunteers.models import Benefit

    return Benefit.objects.create(name_th="ค่าเดินทาง", kind="travel", amount=Decimal("60.50"),
                                  in_force_from=date(2025, 10, 1), in_force_until=date(2026, 9, 30)), {}


def evaluation_form_case():
    from bkklib.volunteers.models import EvaluationForm

    return EvaluationForm.objects.create(name="ประเมินอาสาสมัครปีงบประมาณ 2569", period_start=date(2025, 10, 1),
                                         period_end=date(2026, 9, 30), pass_mark=65), {}


def role_case():
    from bkklib.volunteers.models import Role

    return Role.objects.create(name_th="ผู้ช่วยสอนคอมพิวเตอร์", name_en="Computer helper",
                               duties="สอนใช้อีเมล\nช่วยพิมพ์เอกสาร", counts_in_coverage=True), {}


def volunteers_cases() -> dict:
    from tests.test_model_forms import Case

    return {"CallForm(volunteers.Call)": [Case(call_case)],
            "CriteriaForm(volunteers.Criteria)": [Case(criteria_case)],
            "BenefitForm(volunteers.Benefit)": [Case(benefit_case)],
            "RoleForm(volunteers.Role)": [Case(role_case)],
            "EvaluationFormForm(volunteers.EvaluationForm)": [Case(evaluation_form_case)]}
