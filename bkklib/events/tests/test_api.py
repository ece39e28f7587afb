"""The events API: resources, the verbs, problem JSON with stable codes and Thai titles."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.events.models import Registration, Session
from bkklib.network.tests.factories import staff_user

from .conftest import NOW

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="th")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def api(setting):
    """The API runs on the real clock: move the session a week ahead."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    Session.objects.filter(pk=setting.session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    return token_client(setting.staff)


def test_register_by_card_then_cancel_promotes_the_next(api, setting):
    Session.objects.filter(pk=setting.session.pk).update(capacity=1)
    kids = PatronFactory.create_batch(2, birth_date=NOW.date().replace(year=2018))
    first = api.post("/api/v1/events/register/", {"session": setting.session.pk, "patron_card": kids[0].card_number},
                     format="json")
    second = api.post("/api/v1/events/register/", {"session": setting.session.pk, "patron_card": kids[1].card_number},
                      format="json")
    assert first.status_code == 201 and first.json()["status"] == "registered"
    assert second.json()["status"] == "waitlisted" and second.json()["position"] == 2
    cancelled = api.post("/api/v1/events/cancel/", {"registration": first.json()["id"]}, format="json").json()
    assert cancelled["cancelled"]["status"] == "cancelled"
    assert [p["id"] for p in cancelled["promoted"]] == [second.json()["id"]]


def test_a_refusal_is_problem_json_with_a_thai_title(api, setting):
    adult = PatronFactory()
    response = api.post("/api/v1/events/register/", {"session": setting.session.pk, "patron_card": adult.card_number},
                        format="json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "age_out_of_range" and "อายุ 3–12" in (body.get("detail") or body["title"])
    assert not Registration.objects.exists()


def test_a_guest_without_consent_is_refused(api, setting):
    response = api.post("/api/v1/events/register/", {"session": setting.session.pk, "guest": {
        "name": "ด.ช. ต้นกล้า", "phone": "0812345678", "age_group": "child", "consent": False}}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "consent_missing"


def test_reading_resources(setting):
    public = APIClient()
    assert public.get("/api/v1/festivals/").status_code == 200
    activities = public.get("/api/v1/activities/").json()["results"]
    assert [a["title"] for a in activities] == ["เปิดโลกนิทาน"]
    sessions = public.get(f"/api/v1/sessions/?activity={setting.activity.pk}").json()["results"]
    assert sessions[0]["registered"] == 0 and sessions[0]["id"] == setting.session.pk
    assert public.get("/api/v1/registrations/").status_code in (401, 403)
    assert public.get("/api/v1/projects/").status_code in (401, 403)
    assert token_client(setting.staff).get("/api/v1/registrations/").status_code == 200


def test_writes_need_the_role(setting):
    volunteer = token_client(staff_user(roles.VOLUNTEER, setting.branch))
    response = volunteer.post("/api/v1/events/register/", {}, format="json")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
    admin = token_client(staff_user(roles.NETWORK_ADMIN))
    created = admin.post("/api/v1/projects/", {"fiscal_year": 2569, "name": "โครงการวันสันติภาพไทย", "budget": "50000",
                                               "target_activities": 3, "targets": [
                                                   {"age_group": "youth", "participants": 120}]}, format="json")
    assert created.status_code == 201 and created.json()["targets"] == [{"age_group": "youth", "participants": 120}]


def test_schedule_a_series_through_the_api(api, setting):
    response = api.post("/api/v1/events/schedule/", {
        "activity": setting.activity.pk, "starts_at": "2026-04-04T10:00:00+07:00",
        "ends_at": "2026-04-04T11:00:00+07:00", "weekly_until": "2026-04-25"}, format="json")
    assert response.status_code == 201 and len(response.json()) == 4
    bad = api.post("/api/v1/events/schedule/", {
        "activity": setting.activity.pk, "starts_at": "2026-04-04T10:00:00+07:00",
        "ends_at": "2026-04-04T09:00:00+07:00"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "schedule_refused"
