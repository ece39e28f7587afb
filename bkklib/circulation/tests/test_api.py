"""The REST API: token auth, explicit desk, problem JSON with stable codes in Thai (English on request)."""
from datetime import date

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.models import Hold, Loan, LoanPolicy
from bkklib.network.tests.factories import BranchFactory

from .factories import PatronFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(desk):
    call_command("drf_create_token", desk.staff.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=desk.staff).key}")
    return client


def post(api, url, desk, lang="th", **data):
    return api.post(url, {"desk": desk.branch.code, **data}, format="json", HTTP_ACCEPT_LANGUAGE=lang)


def test_checkout_checkin_and_renew_through_the_api_with_a_token(api, desk):
    r = post(api, "/api/v1/circulation/checkout/", desk, item_barcode=desk.item.barcode,
             patron_card=desk.patron.card_number)
    assert r.status_code == 201 and r.json()["item_barcode"] == desk.item.barcode
    r = post(api, "/api/v1/circulation/renew/", desk, item_barcode=desk.item.barcode)
    assert r.status_code == 200 and r.json()["renewals"] == 1
    r = post(api, "/api/v1/circulation/checkin/", desk, item_barcode=desk.item.barcode)
    assert r.status_code == 200 and r.json()["destination"] == "shelf"


def problem(response):
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_bad_input_gets_a_specific_message_and_changes_nothing(api, desk, lang):
    expired = PatronFactory(card_expires_on=date(2020, 1, 1))
    blocked = PatronFactory()
    services.block_patron(blocked, staff=desk.staff, desk=desk.branch, reason="ทำบัตรหาย")
    on_loan = ItemFactory(branch=desk.branch)
    services.checkout(item=on_loan, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    in_transit = ItemFactory(branch=BranchFactory())
    services.checkout(item=in_transit, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    services.checkin(item=in_transit, staff=desk.staff, desk=desk.branch)
    loans_before = Loan.objects.count()
    cases = [
        ({"item_barcode": "NO-SUCH-1", "patron_card": desk.patron.card_number}, 404, "item_not_found",
         "NO-SUCH-1", "NO-SUCH-1"),
        ({"item_barcode": desk.item.barcode, "patron_card": "0000000"}, 404, "patron_not_found", "No patron", "ไม่พบ"),
        ({"item_barcode": desk.item.barcode, "patron_card": expired.card_number}, 422, "card_expired",
         "expired on 1 Jan 2020", "หมดอายุ"),
        ({"item_barcode": desk.item.barcode, "patron_card": blocked.card_number}, 422, "patron_blocked",
         "is blocked (ทำบัตรหาย)", "ระงับ"),
        ({"item_barcode": on_loan.barcode, "patron_card": expired.card_number}, 409, "item_on_loan",
         "already on loan", "ยืม"),
        ({"item_barcode": in_transit.barcode, "patron_card": desk.patron.card_number}, 409, "item_in_transit",
         "in transit", "ระหว่างส่ง"),
    ]
    for data, status, code, english, thai in cases:
        body = problem(post(api, "/api/v1/circulation/checkout/", desk, lang=lang, **data))
        assert (body["status"], body["code"]) == (status, code), body
        assert (english if lang == "en" else thai) in body["detail"], body["detail"]
    assert Loan.objects.count() == loans_before


def test_a_thai_message_by_default(api, desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    body = problem(post(api, "/api/v1/circulation/checkout/", desk, item_barcode=desk.item.barcode,
                        patron_card=PatronFactory().card_number))
    assert "ถูกยืม" in body["detail"] or "ยืมอยู่" in body["detail"]


def test_hold_limit_and_renewal_of_a_held_item_are_refused(api, desk):
    LoanPolicy.objects.create(category=category("adult"), max_holds=1)
    other = PatronFactory()
    r = post(api, "/api/v1/holds/", desk, patron_card=other.card_number, record=desk.item.record_id,
             pickup_branch=desk.branch.code)
    assert r.status_code == 201 and r.json()["position"] == 1
    second = ItemFactory(branch=desk.branch)
    body = problem(post(api, "/api/v1/holds/", desk, patron_card=other.card_number, record=second.record_id,
                        pickup_branch=desk.branch.code))
    assert body["code"] == "hold_limit" and Hold.objects.count() == 1
    services.checkout(item=second, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    services.place_hold(record=second.record, patron=PatronFactory(), pickup_branch=desk.branch)
    body = problem(post(api, "/api/v1/circulation/renew/", desk, item_barcode=second.barcode))
    assert body["code"] == "on_hold_for_another"


def test_a_desk_the_user_does_not_work_at_is_refused(api, desk):
    elsewhere = BranchFactory()
    r = api.post("/api/v1/circulation/checkout/", {"desk": elsewhere.code, "item_barcode": desk.item.barcode,
                                                   "patron_card": desk.patron.card_number}, format="json")
    assert problem(r)["code"] == "not_at_this_branch" and not Loan.objects.exists()


def test_patrons_by_card_and_their_loans(api, desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    r = api.get("/api/v1/patrons/", {"card": desk.patron.card_number})
    assert r.json()["count"] == 1
    pid = r.json()["results"][0]["id"]
    loans = api.get(f"/api/v1/patrons/{pid}/loans/").json()
    assert loans["count"] == 1 and loans["results"][0]["item_barcode"] == desk.item.barcode
    fines = api.get("/api/v1/fines/", {"patron": desk.patron.card_number})
    assert fines.status_code == 200


def test_registering_a_patron_with_an_invalid_id_names_the_field(api, desk):
    body = problem(post(api, "/api/v1/patrons/", desk, category="adult", first_name_th="ทดสอบ",
                        national_id="1234567890123", birth_date="1990-01-01"))
    assert body["code"] == "invalid_patron" and body["field"] == "national_id"


def test_anonymous_requests_are_refused(desk):
    r = APIClient().post("/api/v1/circulation/checkout/", {"item_barcode": "x", "patron_card": "y"}, format="json")
    assert r.status_code in (401, 403)
