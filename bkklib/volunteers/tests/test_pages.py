"""The public application page and the API agree with the service: reasons shown, nothing stored."""
from datetime import date

import pytest

from bkklib.opac import clock
from bkklib.volunteers.models import Application

from .conftest import NOW, thai_id


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def form_data(**over):
    data = {"first_name": "สมหญิง", "last_name": "ใจงาม", "national_id": thai_id("120170020345"),
            "birth_date": "1995-03-04", "phone": "0811111111", "email": "", "district": "1001",
            "address": "1 ถนนพหลโยธิน", "hours_per_week": "6", "skills": "คอมพิวเตอร์", "documents": "สำเนาบัตรประชาชน",
            "consent": "on"}
    data.update(over)
    return data


def test_the_volunteer_page_lists_open_calls(world, client, fixed_clock):
    page = client.get("/volunteer/")
    assert page.status_code == 200 and "รับอาสาสมัครมุมเด็ก" in page.content.decode()


def test_the_application_form_shows_each_unmet_criterion_in_thai_and_stores_nothing(world, client, fixed_clock):
    before = Application.objects.count()
    page = client.post(f"/volunteer/calls/{world.call.pk}/apply/",
                       form_data(birth_date=date(2011, 1, 1).isoformat(), hours_per_week="2"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "ผู้สมัครต้องมีอายุอย่างน้อย 15 ปี" in text and "อย่างน้อย 4 ชั่วโมงต่อสัปดาห์" in text
    page = client.post(f"/volunteer/calls/{world.call.pk}/apply/", form_data(national_id="1234567890123"))
    assert "ไม่ใช่เลขประจำตัวประชาชนที่ถูกต้อง" in page.content.decode()
    assert Application.objects.count() == before


def test_a_good_application_goes_to_its_status_page(world, client, fixed_clock):
    page = client.post(f"/volunteer/calls/{world.call.pk}/apply/", form_data(), follow=True)
    application = Application.objects.get(first_name="สมหญิง")
    assert page.redirect_chain[-1][0] == f"/volunteer/application/{application.token}/"
    assert application.reference in page.content.decode()


def test_the_api_sign_up_refuses_an_overlapping_shift_with_a_thai_problem(placed, client):
    from datetime import datetime

    from bkklib.volunteers import services
    from bkklib.volunteers.models import Shift, Signup

    from .conftest import BKK

    services.make_account(application=placed.volunteer.application, password="รหัสผ่านยาวพอ-2568")
    placed.volunteer.refresh_from_db()
    first = Shift.objects.create(branch=placed.branch, role=placed.role, starts_at=datetime(2030, 6, 7, 9, tzinfo=BKK),
                                 ends_at=datetime(2030, 6, 7, 12, tzinfo=BKK))
    second = Shift.objects.create(branch=placed.branch, role=placed.role,
                                  starts_at=datetime(2030, 6, 7, 11, tzinfo=BKK),
                                  ends_at=datetime(2030, 6, 7, 14, tzinfo=BKK))
    client.force_login(placed.volunteer.user)
    assert client.post(f"/api/v1/volunteers/shifts/{first.pk}/sign-up/").status_code == 201
    answer = client.post(f"/api/v1/volunteers/shifts/{second.pk}/sign-up/", HTTP_ACCEPT_LANGUAGE="th")
    assert answer.status_code == 409 and answer.json()["code"] == "shift_overlap"
    assert answer.json()["title"].startswith("คุณมีกะอยู่แล้ว")
    assert Signup.objects.count() == 1
    client.force_login(placed.desk)
    assert client.post(f"/api/v1/volunteers/shifts/{second.pk}/sign-up/").status_code == 403


def test_staff_pages_open(world, client):
    client.force_login(world.librarian)
    for url in ("/staff/volunteers/", "/staff/volunteers/roster/", "/staff/volunteers/today/",
                f"/staff/volunteers/people/{world.volunteer.pk}/",
                f"/staff/volunteers/applications/{world.volunteer.application_id}/"):
        assert client.get(url).status_code == 200, url


def test_an_accepted_applicant_makes_a_sign_in_from_the_status_page(world, client, fixed_clock):
    application = world.volunteer.application
    page = client.post(f"/volunteer/application/{application.token}/",
                       {"password": "อาสาสมัคร-รักการอ่าน-2568", "password2": "อาสาสมัคร-รักการอ่าน-2568"})
    assert page.status_code == 302, page.content.decode()[-3000:]
    assert page["Location"] == "/volunteer/me/"
    me = client.get("/volunteer/me/")
    assert me.status_code == 200 and world.volunteer.code in me.content.decode()
    client.logout()
    page = client.post("/volunteer/sign-in/", {"code": world.volunteer.code.lower(), "password": "อาสาสมัคร-รักการอ่าน-2568"})
    assert page.status_code == 302 and page["Location"] == "/volunteer/me/"


def test_staff_evaluate_and_record_welfare_on_the_volunteer_page(world, client):
    from decimal import Decimal

    from django.utils import timezone

    from bkklib.volunteers.models import Benefit, Evaluation, EvaluationCriterion, EvaluationForm, WelfareRecord

    today = timezone.localdate()
    form = EvaluationForm.objects.create(name="ประเมินรอบนี้", period_start=today, period_end=today, pass_mark=70)
    punctual = EvaluationCriterion.objects.create(form=form, name="ตรงต่อเวลา", weight=2, max_score=5)
    service = EvaluationCriterion.objects.create(form=form, name="บริการผู้ใช้", weight=1, max_score=10)
    meal = Benefit.objects.create(name_th="ค่าอาหาร", kind=Benefit.Kind.MEAL, amount=Decimal("80"),
                                  in_force_from=today)
    client.force_login(world.librarian)
    url = f"/staff/volunteers/people/{world.volunteer.pk}/"
    page = client.post(url, {"which": "evaluation", f"evaluation-score_{punctual.pk}": "6",
                             f"evaluation-score_{service.pk}": "5"})
    assert page.status_code == 200 and not Evaluation.objects.exists()  # 6 is above the highest score
    client.post(url, {"which": "evaluation", f"evaluation-score_{punctual.pk}": "4",
                      f"evaluation-score_{service.pk}": "5", "evaluation-comments": "ดี"})
    assert Evaluation.objects.get().total == Decimal("70.00")
    client.post(url, {"which": "welfare", "benefit": meal.pk, "given_on": today.isoformat()})
    assert WelfareRecord.objects.get().amount == Decimal("80")
    future = client.post(url, {"which": "welfare", "benefit": meal.pk,
                               "given_on": (today.replace(year=today.year + 1)).isoformat()})
    assert "บันทึกสวัสดิการล่วงหน้าสำหรับวันในอนาคตไม่ได้" in future.content.decode()
    assert WelfareRecord.objects.count() == 1
