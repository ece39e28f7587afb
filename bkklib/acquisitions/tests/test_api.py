"""The API under /api/v1/acquisitions/: the order lifecycle, Thai problem JSON for bad input, branch scope."""
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from bkklib.acquisitions.models import Order, OrderLine
from bkklib.catalog.models import Item
from bkklib.core import roles
from bkklib.network.tests.factories import staff_user


@pytest.fixture
def api(site):
    client = APIClient()
    client.force_authenticate(site.admin)
    return client


def _line(site, **extra):
    body = {"title": "หนังสือผ่าน API", "quantity": 2, "unit_price": "150.00", "vat_pct": "7",
            "allocations": [{"branch": site.branch.code, "fund": site.fund.pk, "shelving_location": "GEN",
                             "copies": 2}]}
    body.update(extra)
    return body


def test_an_order_goes_from_selection_to_received_through_the_api(site, api):
    created = api.post("/api/v1/acquisitions/orders/", {"vendor": site.vendor.pk, "branch": site.branch.code,
                                                         "fiscal_year": 2569}, format="json")
    assert created.status_code == 201, created.json()
    order_id = created.json()["id"]
    line = api.post(f"/api/v1/acquisitions/orders/{order_id}/lines/", _line(site), format="json")
    assert line.status_code == 201, line.json()
    assert [c["cost"] for c in line.json()["copies"]] == ["160.50", "160.50"]
    assert api.post(f"/api/v1/acquisitions/orders/{order_id}/approve/", {}, format="json").status_code == 200
    placed = api.post(f"/api/v1/acquisitions/orders/{order_id}/place/", {}, format="json")
    assert placed.json()["status"] == "ordered"
    funds = api.get("/api/v1/acquisitions/funds/?year=2569").json()
    assert {f["code"]: f["committed"] for f in funds["results"]}["books"] == "321.00"
    body = {"token": "2b7e1516-28ae-4d2a-a6ab-f7158809cf4f",
            "lines": [{"line": line.json()["id"], "received": 2}]}
    received = api.post(f"/api/v1/acquisitions/orders/{order_id}/receive/", body, format="json")
    again = api.post(f"/api/v1/acquisitions/orders/{order_id}/receive/", body, format="json")
    assert received.status_code == again.status_code == 200
    assert Item.objects.count() == 2
    assert received.json()["status"] == "closed"


@pytest.mark.parametrize(("extra", "code", "thai"), [
    ({"unit_price": "-1"}, "negative_price", "ราคาต่อหน่วยติดลบไม่ได้"),
    ({"vat_pct": "150"}, "bad_vat", "ภาษีมูลค่าเพิ่มต้องอยู่ระหว่าง 0 ถึง 100 %"),
])
def test_a_bad_line_is_problem_json_in_thai_and_stores_nothing(site, api, extra, code, thai):
    order = Order.objects.create(number="PO-T-1", fiscal_year_id=site.fund.fiscal_year_id, vendor=site.vendor,
                                 branch=site.branch)
    response = api.post(f"/api/v1/acquisitions/orders/{order.pk}/lines/", _line(site, **extra), format="json",
                        HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 422
    assert response.json()["code"] == code and thai in response.json()["title"]
    assert not OrderLine.objects.exists()


def test_staff_of_another_branch_cannot_see_or_order_for_this_branch(site):
    outsider = staff_user(roles.BRANCH_LIBRARIAN, site.other)
    order = Order.objects.create(number="PO-T-2", fiscal_year_id=site.fund.fiscal_year_id, vendor=site.vendor,
                                 branch=site.branch)
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/acquisitions/orders/{order.pk}/").status_code == 404
    refused = client.post("/api/v1/acquisitions/orders/", {"vendor": site.vendor.pk, "branch": site.branch.code},
                          format="json")
    assert refused.status_code == 403


def test_a_reader_without_a_staff_role_is_refused_before_anything_is_read(site):
    client = APIClient()
    assert client.get("/api/v1/acquisitions/funds/").status_code in (401, 403)


def test_the_follow_up_figures_are_in_the_api(site, api):
    response = api.get("/api/v1/acquisitions/follow-up/?year=2569&month=2025-11")
    assert response.status_code == 200
    rows = {r["branch"]: r for r in response.json()["rows"]}
    assert rows[site.branch.code]["budget"] == str(Decimal("15000.00"))
