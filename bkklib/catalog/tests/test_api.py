"""REST API: record search with facets, record detail and MARC downloads, items by barcode, scoped writes."""
import pytest
from rest_framework.test import APIClient

from bkklib.catalog.models import Item, Record
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ItemFactory, RecordFactory, marc_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_records_search_with_facets_is_public(api):
    item = ItemFactory(record=RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช"))
    RecordFactory(title="Moby Dick", language="eng")

    body = api.get("/api/v1/records/", {"q": "แผ่นดิน", "facets": "language,branch"}).json()

    assert body["count"] == 1 and body["results"][0]["title"] == "สี่แผ่นดิน"
    assert {"value": "tha", "count": 1} in body["facets"]["language"]
    assert body["facets"]["branch"] == [{"value": item.branch.code, "count": 1}]


def test_a_filter_without_a_query_and_a_bad_query_never_error(api):
    RecordFactory(title="Moby Dick", language="eng")
    assert api.get("/api/v1/records/", {"language": "eng"}).json()["count"] == 1
    response = api.get("/api/v1/records/", {"q": '"' * 5000})
    assert response.status_code == 200


def test_record_detail_has_marc_and_items_and_downloads(api):
    item = ItemFactory()
    detail = api.get(f"/api/v1/records/{item.record_id}/").json()
    assert detail["marc"]["leader"][9] == "a" and detail["items"][0]["barcode"] == item.barcode

    xml = api.get(f"/api/v1/records/{item.record_id}/marcxml/")
    assert xml["Content-Type"] == "application/marcxml+xml" and "ข้างหลังภาพ" in xml.content.decode()
    mrc = api.get(f"/api/v1/records/{item.record_id}/marc/").content
    assert int(mrc[:5]) == len(mrc)


def test_items_by_barcode(api):
    item = ItemFactory(barcode="31000000000062")
    body = api.get("/api/v1/items/", {"barcode": "31000000000062"}).json()
    assert body["count"] == 1 and body["results"][0]["id"] == item.pk


def test_writes_need_cataloguing_rights_and_items_are_scoped_to_the_users_branches(api):
    branch, other = BranchFactory(), BranchFactory()
    assert api.post("/api/v1/records/", {"marc": marc_record("x")}, format="json").status_code in (401, 403)

    api.force_authenticate(staff_user(roles.BRANCH_LIBRARIAN, branch))
    created = api.post("/api/v1/records/", {"marc": marc_record("ผ่าน API")}, format="json")
    assert created.status_code == 201 and Record.objects.get().title == "ผ่าน API"
    record_id = created.json()["id"]

    bad = api.post("/api/v1/records/", {"marc": {"leader": "x", "fields": []}}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_marc"

    payload = {"record": record_id, "barcode": "31000000000079", "branch": other.code, "item_type": "book"}
    refused = api.post("/api/v1/items/", payload, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_at_this_branch"
    payload["branch"] = branch.code
    assert api.post("/api/v1/items/", payload, format="json").status_code == 201
    duplicate = api.post("/api/v1/items/", payload, format="json")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_barcode"

    item = Item.objects.get()
    lent = api.patch(f"/api/v1/items/{item.pk}/", {"status": "on_loan"}, format="json")
    assert lent.status_code == 400
    assert api.patch(f"/api/v1/items/{item.pk}/", {"status": "damaged"}, format="json").json()["status"] == "damaged"

    gone = api.delete(f"/api/v1/records/{record_id}/")
    assert gone.status_code == 422 and gone.json()["code"] == "record_has_items"
