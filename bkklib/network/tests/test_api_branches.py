"""/api/v1/branches/ lists branches with district names, hours and today's open status; the schema is valid."""
from datetime import time, timedelta

import pytest
import yaml
from django.utils import timezone
from openapi_spec_validator import validate

from bkklib.network.models import Branch, Service

from .factories import BranchFactory, district

pytestmark = pytest.mark.django_db

ALL_DAY = [(d, time(0, 0), time(23, 59)) for d in range(7)]


def test_branches_are_public_with_district_names_and_todays_status(client):
    today = timezone.localdate()
    BranchFactory(code="always", hours=ALL_DAY, district=district("1004"))
    BranchFactory(code="never", hours=[])
    not_today = [(d, time(9), time(17)) for d in range(7) if d != today.weekday()]
    BranchFactory(code="nottoday", hours=not_today)

    response = client.get("/api/v1/branches/", HTTP_ACCEPT_LANGUAGE="th")

    assert response.status_code == 200
    body = response.json()
    by_code = {b["code"]: b for b in body["results"]}
    assert body["count"] == 3
    assert by_code["always"]["district"] == {"code": "1004", "name_th": "บางรัก", "name_en": "Bang Rak",
                                             "postal_code": "10500"}
    now = timezone.localtime()
    if now.time() < time(23, 59):
        assert by_code["always"]["today"]["is_open_now"] is True
    assert by_code["always"]["today"]["date"] == today.isoformat()
    assert by_code["always"]["today"]["next_open_day"] == today.isoformat()
    assert by_code["always"]["opening_hours_text"] == "จ.-อา. 00:00-23:59"
    assert by_code["never"]["today"] == {"date": today.isoformat(), "is_open_now": False, "is_open_today": False,
                                         "periods": [], "next_open_day": None}
    assert by_code["nottoday"]["today"]["is_open_today"] is False
    assert by_code["nottoday"]["today"]["next_open_day"] == (today + timedelta(days=1)).isoformat()
    assert len(by_code["nottoday"]["opening_hours"]) == 6


def test_a_network_closure_today_shows_as_closed(client):
    from bkklib.network import services

    today = timezone.localdate()
    BranchFactory(code="always", hours=ALL_DAY)
    services.add_closure(branch=None, starts_on=today, ends_on=today, reason_th="วันหยุดทดสอบ")

    state = client.get("/api/v1/branches/always/").json()["today"]

    assert state["is_open_now"] is False and state["is_open_today"] is False
    assert state["next_open_day"] == (today + timedelta(days=1)).isoformat()


def test_filters_by_district_kind_service_and_status(client):
    coworking = Service.objects.get(code="co-working")
    a = BranchFactory(code="a", district=district("1004"))
    a.services.add(coworking)
    BranchFactory(code="b", kind=Branch.Kind.READING_HOUSE)
    BranchFactory(code="c", status=Branch.Status.UNDER_RENOVATION)

    def codes(query):
        return sorted(b["code"] for b in client.get(f"/api/v1/branches/?{query}").json()["results"])

    assert codes("district=1004") == ["a"]
    assert codes("district=บางรัก") == ["a"]
    assert codes("district=Bang Rak") == ["a"]
    assert codes("kind=reading_house") == ["b"]
    assert codes("service=co-working") == ["a"]
    assert codes("status=under_renovation") == ["c"]
    assert codes("district=nowhere") == []


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(30):
        BranchFactory(code=f"q{n}")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/branches/?page_size=500")
    assert response.json()["count"] == 30


def test_districts_are_public(client):
    body = client.get("/api/v1/districts/?page_size=100").json()
    assert body["count"] == 50
    assert body["results"][0] == {"code": "1001", "name_th": "พระนคร", "name_en": "Phra Nakhon", "postal_code": "10200"}


def test_the_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)  # raises on any violation of the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/branches/", "/api/v1/branches/{code}/", "/api/v1/districts/", "/api/v1/staff/",
                 "/api/v1/assignments/", "/api/v1/org-units/", "/api/v1/network/coverage/"):
        assert path in schema["paths"], path
    today = schema["components"]["schemas"]["Today"]["properties"]
    assert {"is_open_now", "next_open_day"} <= set(today)


def test_after_closing_time_the_next_open_day_is_the_following_open_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bkklib.network import queries

    bkk = ZoneInfo("Asia/Bangkok")
    branch = BranchFactory(hours=[(1, time(9), time(12)), (1, time(13), time(17)), (3, time(9), time(17))])
    before = queries.open_status([branch], now=datetime(2025, 6, 3, 12, 30, tzinfo=bkk))[branch.pk]  # Tue lunch
    after = queries.open_status([branch], now=datetime(2025, 6, 3, 17, 0, tzinfo=bkk))[branch.pk]

    assert not before.is_open_now and before.is_open_today and before.next_open_day.isoformat() == "2025-06-03"
    assert not after.is_open_now and after.next_open_day.isoformat() == "2025-06-05"  # Thursday
