"""The outreach API: the desk's sync over HTTP (idempotent, specific errors), public stops, staff lists, statistics."""
import uuid
from datetime import date

import pytest
from rest_framework.test import APIClient

from bkklib.circulation.models import Loan
from bkklib.outreach import services
from bkklib.outreach.models import SyncAction, VisitRecord

from .conftest import at
from .factories import StopFactory, TimetableFactory


def action(kind, when, seq, **fields):
    return {"action_id": uuid.uuid4().hex, "kind": kind, "happened_at": when.isoformat(), "seq": seq, **fields}


@pytest.fixture
def volunteer_api(house):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="th")
    client.force_authenticate(house.volunteer)
    return client


def test_sync_sent_twice_over_http_applies_once(house, volunteer_api):
    batch = {"actions": [action("lend", at(3, 9), 1, item_barcode=house.items[0].barcode,
                                card_number=house.patron.card_number),
                         action("lend", at(3, 9, 5), 2, item_barcode="0000-unknown",
                                card_number=house.patron.card_number)]}
    first = volunteer_api.post("/api/v1/outreach/sync/", batch, format="json")
    second = volunteer_api.post("/api/v1/outreach/sync/", batch, format="json")
    assert first.status_code == second.status_code == 200
    assert (first.json()["applied"], first.json()["conflicts"], first.json()["duplicates"]) == (1, 1, 0)
    assert (second.json()["applied"], second.json()["conflicts"], second.json()["duplicates"]) == (0, 0, 2)
    assert [a["code"] for a in second.json()["actions"]] == ["", "unknown_barcode"]
    assert "0000-unknown" in first.json()["actions"][1]["message"]
    assert Loan.objects.count() == 1 and SyncAction.objects.count() == 2


def test_a_malformed_batch_is_a_400_naming_the_action_and_stores_nothing(house, volunteer_api):
    batch = {"actions": [action("visit", at(3, 9), 1, counts={"adults": 2}),
                         action("lend", at(3, 9), 2, card_number=house.patron.card_number)]}
    answer = volunteer_api.post("/api/v1/outreach/sync/", batch, format="json")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "bad_batch" and "รายการที่ 2" in body["detail"] and "บาร์โค้ด" in body["detail"]
    assert not SyncAction.objects.exists() and not VisitRecord.objects.exists()
    assert volunteer_api.post("/api/v1/outreach/sync/", {"actions": []}, format="json").status_code == 400


def test_a_revoked_account_gets_a_403_with_its_actions_kept(house, volunteer_api):
    services.revoke_volunteer(account=house.account, by=house.librarian, reason="ย้ายออก", now=at(2, 8))
    batch = {"actions": [action("return", at(1, 16), 1, item_barcode=house.items[0].barcode)]}
    answer = volunteer_api.post("/api/v1/outreach/sync/", batch, format="json")
    assert answer.status_code == 403
    body = answer.json()
    assert body["code"] == "account_revoked" and "ถูกยกเลิก" in body["detail"]
    assert [a["status"] for a in body["actions"]] == ["rejected"]
    assert SyncAction.objects.get().code == "account_revoked"


def test_staff_without_a_volunteer_account_cannot_sync(house):
    client = APIClient()
    client.force_authenticate(house.librarian)
    answer = client.post("/api/v1/outreach/sync/", {"actions": []}, format="json")
    assert answer.status_code == 403


def test_conflicts_are_listed_for_staff_and_resolved(house, volunteer_api):
    volunteer_api.post("/api/v1/outreach/sync/", {"actions": [
        action("return", at(3, 9), 1, item_barcode=house.items[0].barcode)]}, format="json")
    staff = APIClient()
    staff.force_authenticate(house.librarian)
    rows = staff.get("/api/v1/outreach/conflicts/").json()["results"]
    assert [r["code"] for r in rows] == ["already_returned"]
    done = staff.post(f"/api/v1/outreach/conflicts/{rows[0]['id']}/resolve/", {"resolution": "หนังสืออยู่บนชั้น"},
                      format="json")
    assert done.status_code == 200
    assert staff.get("/api/v1/outreach/conflicts/").json()["count"] == 0


def test_stops_and_their_trips_are_public(db):
    stop = StopFactory(code="wat-a")
    TimetableFactory(stop=stop, weekday=0)
    services.plan_trips(start=date(2025, 6, 2), end=date(2025, 6, 9))
    client = APIClient()
    assert [s["code"] for s in client.get("/api/v1/outreach/stops/").json()["results"]] == ["wat-a"]
    assert client.get("/api/v1/outreach/stops/?district=99").status_code == 400
    assert client.get("/api/v1/outreach/stops/wat-a/trips/").status_code == 200


def test_statistics_count_visits_loans_and_people(house, volunteer_api):
    volunteer_api.post("/api/v1/outreach/sync/", {"actions": [
        action("visit", at(3, 9), 1, counts={"children": 4, "adults": 1}),
        action("lend", at(3, 9, 10), 2, item_barcode=house.items[0].barcode, card_number=house.patron.card_number),
    ]}, format="json")
    staff = APIClient()
    staff.force_authenticate(house.librarian)
    answer = staff.get("/api/v1/outreach/statistics/", {"start": "2025-06-01", "end": "2025-06-30"})
    row = next(r for r in answer.json()["rows"] if r["label"] == house.house.name_th)
    assert (row["visits"], row["loans"], row["people"]["children"], row["people"]["adults"]) == (1, 1, 4, 1)
    by_month = staff.get("/api/v1/outreach/statistics/", {"start": "2025-06-01", "end": "2025-06-30", "by": "month"})
    assert by_month.json()["rows"][0]["label"] == "มิถุนายน 2568"
    assert staff.get("/api/v1/outreach/statistics/", {"start": "2025-06-30", "end": "2025-06-01"}).status_code == 400
