"""The reports API: indicators with definitions, series cut by dimension (hand counts), rebuild; who may read what."""
import pytest

from bkklib.reports.models import AggregationRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_world")]  # every test reads the world


def test_indicators_list_definitions_and_hides_unpublished_ones_from_the_public(client, stored):
    public = client.get("/api/v1/reports/indicators/").json()
    keys = {i["key"] for i in public}
    assert "circulation.loans" in keys and "circulation.loans_by_kind" not in keys
    loans = next(i for i in public if i["key"] == "circulation.loans")
    assert loans["definition"] and loans["unit"] and loans["kind"] == "flow"
    client.force_login(stored.executive)
    assert "circulation.loans_by_kind" in {i["key"] for i in client.get("/api/v1/reports/indicators/").json()}


def test_series_by_every_cut_equals_the_hand_count(client, stored):
    got = client.get("/api/v1/reports/series/?indicator=circulation.loans&fy=2570").json()
    assert got["total"] == 5 and got["points"] == [{"key": "2026-10", "value": 3}, {"key": "2026-11", "value": 2}]
    assert client.get("/api/v1/reports/series/?indicator=circulation.loans&fy=2570&by=branch").status_code == 403
    client.force_login(stored.executive)

    def points(by, extra=""):
        body = client.get(f"/api/v1/reports/series/?indicator=circulation.loans&fy=2570&by={by}{extra}").json()
        return {p["key"]: p["value"] for p in body["points"]}

    w = stored.world
    assert points("branch") == {w.a.code: 2, w.b.code: 3}
    assert points("district") == {"1001": 2, "1002": 3}
    assert points("branch_kind") == {"public_library": 2, "reading_house": 3}
    assert points("month", "&first_month=2&last_month=2") == {"2026-11": 2}
    new = client.get("/api/v1/reports/series/?indicator=circulation.new_members&fy=2570&by=patron_category").json()
    assert {p["key"]: p["value"] for p in new["points"]} == {"adult": 1, "child": 1}
    bad = client.get("/api/v1/reports/series/?indicator=circulation.loans&by=colour")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_dimension"
    assert client.get("/api/v1/reports/series/?indicator=nope.nothing").json()["code"] == "unknown_indicator"


def test_rebuild_through_the_api_needs_the_permission(client, stored):
    body = {"first_day": "2026-10-01", "last_day": "2026-10-02", "reason": "ตรวจสอบ"}
    client.force_login(stored.executive)
    assert client.post("/api/v1/reports/rebuild/", body, content_type="application/json").status_code == 403
    client.force_login(stored.admin)
    made = client.post("/api/v1/reports/rebuild/", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["trigger"] == "rebuild"
    refused = client.post("/api/v1/reports/rebuild/", {**body, "last_day": "2099-01-01"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "future_period"
    assert AggregationRun.objects.filter(trigger="rebuild").count() == 1


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/reports/series/" in schema and "/api/v1/reports/indicators/" in schema
