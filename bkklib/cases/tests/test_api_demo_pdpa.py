"""The API's staff entry and refusals, the published standards, the demo data (idempotent) and the
PDPA retention of requesters' contact details."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bkklib.cases import demo, pdpa, services
from bkklib.cases.models import Case, Visit
from bkklib.network.tests.factories import BranchFactory

from .conftest import at, complaint


def test_staff_file_a_phone_case_through_the_api_and_bad_input_is_refused(site, client):
    client.force_login(site.librarian)
    url = reverse("api-case-list")
    body = {"kind": "complaint", "channel": "phone", "title": "แอร์ไม่เย็น", "description": "ชั้น 2",
            "category": "service", "branch": site.branch.code, "requester_name": "สมชาย",
            "requester_phone": "0812345678"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "phone" and response.json()["units"] == ["library-1"]
    # Another branch: refused before anything is looked up; nothing stored.
    response = client.post(url, {**body, "branch": site.other.code}, content_type="application/json")
    assert response.status_code == 403
    response = client.post(url, {**body, "requester_phone": ""}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "contact_required"
    assert Case.objects.count() == 1
    case = Case.objects.get()
    response = client.post(reverse("api-case-close", args=[case.pk]), {}, content_type="application/json")
    assert response.status_code == 200  # new -> closed: a duplicate needs no root cause
    assert client.get(reverse("api-case-categories")).json()[0]["code"] == "service"


def test_the_monthly_report_api(site, client):
    case = complaint(site, now=at(6, 16, 9))
    services.answer(case=case, text="แก้แล้ว", by=site.librarian, now=at(6, 16, 10))
    client.force_login(site.admin)
    body = client.get(reverse("api-case-report") + "?month=2025-06").json()
    assert body["total"] == 1 and body["on_time"] == 1
    assert client.get(reverse("api-case-report") + "?month=June").status_code == 400


def test_demo_data_is_labelled_and_idempotent(site):
    BranchFactory(is_demo=True)
    BranchFactory(is_demo=True)
    demo.run(scale=0.3)
    count = Case.objects.count()
    assert count > 10 and all("(ข้อมูลสาธิต)" in c.title for c in Case.objects.all())
    assert Visit.objects.get().items.count() == 2
    demo.run(scale=0.3)
    assert Case.objects.count() == count


def test_requesters_contact_details_are_cleared_two_years_after_closing(site):
    case = complaint(site, now=at(6, 16, 9))
    services.close(case=case, by=site.librarian, now=at(6, 16, 10))
    assert pdpa.forget_old_requesters(now=at(6, 16, 10) + timedelta(days=700)) == 0
    assert pdpa.forget_old_requesters(now=at(6, 16, 10) + timedelta(days=731)) == 1
    case.refresh_from_db()
    assert (case.requester_name, case.requester_phone, case.requester_email) == ("", "", "")
    assert case.title and case.state == "closed"  # the facts stay
    assert timezone.is_aware(case.closed_at)
