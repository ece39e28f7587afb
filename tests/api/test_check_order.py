"""Every write of the API checks the caller's role, then the branch, before it looks anything up.

A read-only executive viewer is told 403 on every write endpoint, even with unknown barcodes,
cards and ids (not 404 item_not_found: the answer must not depend on what exists); a librarian
is told 403 not_at_this_branch for another branch's desk or items before the records of the
request are looked up.
"""
import re

import pytest
from django.urls import get_resolver

from .conftest import token_client

pytestmark = pytest.mark.django_db

UNKNOWN = 999_999
WRITES = [
    ("post", "/api/v1/circulation/checkout/", {"item_barcode": "NO-SUCH", "patron_card": "NO-SUCH"}),
    ("post", "/api/v1/circulation/checkin/", {"item_barcode": "NO-SUCH"}),
    ("post", "/api/v1/circulation/renew/", {"item_barcode": "NO-SUCH"}),
    ("post", "/api/v1/circulation/pay/", {"patron_card": "NO-SUCH", "amount": "10.00"}),
    ("post", "/api/v1/patrons/", {"category": "NO-SUCH", "first_name_th": "สมชาย"}),
    ("post", "/api/v1/holds/", {"patron_card": "NO-SUCH", "record": UNKNOWN, "pickup_branch": "NO-SUCH"}),
    ("delete", f"/api/v1/holds/{UNKNOWN}/", None),
    ("post", "/api/v1/records/", {"marc": {"leader": "", "fields": []}}),
    ("put", f"/api/v1/records/{UNKNOWN}/", {"marc": {}}),
    ("patch", f"/api/v1/records/{UNKNOWN}/", {"marc": {}}),
    ("delete", f"/api/v1/records/{UNKNOWN}/", None),
    ("post", "/api/v1/items/", {"record": UNKNOWN, "barcode": "NO-SUCH", "branch": "NO-SUCH", "item_type": "x"}),
    ("put", f"/api/v1/items/{UNKNOWN}/", {"barcode": "NO-SUCH"}),
    ("patch", f"/api/v1/items/{UNKNOWN}/", {"status": "lost"}),
    ("post", "/api/v1/branches/", {"code": "NEW"}),
    ("put", "/api/v1/branches/NO-SUCH/", {"phone": "02"}),
    ("patch", "/api/v1/branches/NO-SUCH/", {"phone": "02"}),
    ("post", "/api/v1/branches/NO-SUCH/verify/", None),
    ("post", "/api/v1/closures/", {"branch": "NO-SUCH", "starts_on": "2026-01-01", "ends_on": "2026-01-02"}),
    ("delete", f"/api/v1/closures/{UNKNOWN}/", None),
    ("post", "/api/v1/network/second-staff/", {"staff": UNKNOWN, "from_branch": "NO-SUCH", "to_branch": "NO-SUCH",
                                               "starts_on": "2026-01-01", "ends_on": "2026-01-02"}),
    ("post", "/api/v1/festivals/", {"year": 2026, "month": 3}),
    ("put", f"/api/v1/festivals/{UNKNOWN}/", {"name_th": "เทศกาล"}),
    ("patch", f"/api/v1/festivals/{UNKNOWN}/", {"name_th": "เทศกาล"}),
    ("post", "/api/v1/projects/", {"fiscal_year": 2569, "name": "โครงการ"}),
    ("post", "/api/v1/activities/", {"title": "กิจกรรม", "branch": "NO-SUCH"}),
    ("put", f"/api/v1/activities/{UNKNOWN}/", {"title": "กิจกรรม"}),
    ("patch", f"/api/v1/activities/{UNKNOWN}/", {"title": "กิจกรรม"}),
    ("post", "/api/v1/events/register/", {"session": UNKNOWN, "patron_card": "NO-SUCH"}),
    ("post", "/api/v1/events/cancel/", {"registration": UNKNOWN}),
    ("post", "/api/v1/events/check-in/", {"session": UNKNOWN, "code": "NO-SUCH"}),
    ("post", "/api/v1/events/schedule/", {"activity": UNKNOWN, "starts_at": "2026-03-07T10:00:00+07:00",
                                          "ends_at": "2026-03-07T11:00:00+07:00"}),
    ("post", "/api/v1/spaces/bookings/", {"space": UNKNOWN, "card": "NO-SUCH", "starts_at": "2026-01-06T10:00:00+07:00",
                                          "ends_at": "2026-01-06T11:00:00+07:00"}),
    ("post", f"/api/v1/spaces/bookings/{UNKNOWN}/cancel/", None),
    ("post", f"/api/v1/spaces/bookings/{UNKNOWN}/check-in/", None),
    ("post", "/api/v1/spaces/blocks/", {"space": UNKNOWN, "starts_at": "2026-01-06T10:00:00+07:00",
                                        "ends_at": "2026-01-06T11:00:00+07:00", "reason": "x"}),
    ("post", "/api/v1/elibrary/licences/", {"title": UNKNOWN, "kind": "open", "starts_on": "2026-01-01"}),
    ("post", "/api/v1/elibrary/borrow/", {"title": UNKNOWN, "patron_card": "NO-SUCH"}),
    ("post", "/api/v1/elibrary/return/", {"loan": UNKNOWN}),
    ("post", "/api/v1/elibrary/hold/", {"title": UNKNOWN, "patron_card": "NO-SUCH"}),
    ("post", "/api/v1/elibrary/cancel-hold/", {"hold": UNKNOWN}),
    ("post", "/api/v1/outreach/sync/", {"actions": []}),
    ("post", f"/api/v1/outreach/conflicts/{UNKNOWN}/resolve/", {"note": "x"}),
    ("post", "/api/v1/outreach/vehicles/", {"unit": "NO-SUCH", "name_th": "รถ", "plate": "40-1234"}),
    ("patch", f"/api/v1/outreach/vehicles/{UNKNOWN}/", {"plate": "40-1234"}),
    ("post", f"/api/v1/outreach/vehicles/{UNKNOWN}/maintenance/", {"starts_on": "2026-01-01", "work": "x"}),
    ("post", "/api/v1/outreach/routes/", {"vehicle": UNKNOWN, "code": "x", "name_th": "สาย"}),
    ("patch", f"/api/v1/outreach/routes/{UNKNOWN}/", {"name_th": "สาย"}),
    ("post", "/api/v1/outreach/stops/", {"route": "NO-SUCH", "code": "x", "name_th": "จุด", "district": "1001"}),
    ("patch", "/api/v1/outreach/stops/NO-SUCH/", {"name_th": "จุด"}),
    ("post", "/api/v1/outreach/timetables/", {"stop": "NO-SUCH", "weekday": 0, "arrives_at": "09:00",
                                              "departs_at": "10:00", "valid_from": "2026-01-01"}),
    ("patch", f"/api/v1/outreach/timetables/{UNKNOWN}/", {"arrives_at": "09:00"}),
    ("delete", f"/api/v1/outreach/timetables/{UNKNOWN}/", None),
    ("post", "/api/v1/acquisitions/funds/transfer/", {"source": UNKNOWN, "target": UNKNOWN, "amount": "1.00",
                                                      "reason": "x"}),
    ("post", "/api/v1/acquisitions/orders/", {"vendor": UNKNOWN, "branch": "NO-SUCH"}),
    ("post", f"/api/v1/acquisitions/orders/{UNKNOWN}/lines/", {"title": "x", "quantity": 1, "unit_price": "1.00"}),
    ("post", f"/api/v1/acquisitions/orders/{UNKNOWN}/approve/", None),
    ("post", f"/api/v1/acquisitions/orders/{UNKNOWN}/place/", None),
    ("post", f"/api/v1/acquisitions/orders/{UNKNOWN}/receive/", {"lines": []}),
    ("post", f"/api/v1/acquisitions/orders/{UNKNOWN}/cancel/", None),
    ("post", f"/api/v1/acquisitions/orders/{UNKNOWN}/invoice/", None),
    ("post", f"/api/v1/volunteers/shifts/{UNKNOWN}/sign-up/", None),
    ("post", f"/api/v1/volunteers/signups/{UNKNOWN}/hours/", {"checked_in_at": "2026-01-06T10:00:00+07:00",
                                                                "checked_out_at": "2026-01-06T12:00:00+07:00"}),
    ("post", f"/api/v1/volunteers/signups/{UNKNOWN}/swap/", {"to_volunteer": "NO-SUCH"}),
    ("post", f"/api/v1/volunteers/swaps/{UNKNOWN}/answer/", {"accept": True}),
    ("post", f"/api/v1/volunteers/swaps/{UNKNOWN}/decide/", {"approve": True}),
    ("post", "/api/v1/volunteers/check-in/", {"token": "NO-SUCH"}),
    ("post", "/api/v1/volunteers/branches/NO-SUCH/check-in-qr/rotate/", None),
    ("post", f"/api/v1/facilities/audits/{UNKNOWN}/answers/", {"item": "NO-SUCH", "answer": "compliant"}),
    ("post", f"/api/v1/facilities/works/{UNKNOWN}/transition/", {"to": "approved"}),
    ("post", "/api/v1/cases/", {"kind": "complaint", "title": "x", "branch": "NO-SUCH"}),
    ("post", f"/api/v1/cases/{UNKNOWN}/state/", {"state": "in_progress"}),
    ("post", f"/api/v1/cases/{UNKNOWN}/answer/", {"text": "x"}),
    ("post", f"/api/v1/cases/{UNKNOWN}/close/", {"root_cause": "x"}),
    ("post", "/api/v1/comms/posts/", {"title": "x", "text": "x"}),
    ("put", f"/api/v1/comms/posts/{UNKNOWN}/", {"title": "x", "text": "x"}),
    ("post", f"/api/v1/comms/posts/{UNKNOWN}/submit/", None),
    ("post", f"/api/v1/comms/posts/{UNKNOWN}/approve/", None),
    ("post", f"/api/v1/comms/posts/{UNKNOWN}/return/", {"note": "x"}),
    ("post", f"/api/v1/comms/posts/{UNKNOWN}/schedule/", {"at": "2026-01-06T10:00:00+07:00"}),
    ("post", f"/api/v1/comms/posts/{UNKNOWN}/unschedule/", None),
    ("post", f"/api/v1/comms/posts/{UNKNOWN}/retry/", None),
    ("post", "/api/v1/comms/drafts/", {"source": "activity", "id": UNKNOWN}),
    ("post", "/api/v1/reports/rebuild/", {"start": "2026-01-01", "end": "2026-01-31", "reason": "x"}),
]


def test_the_list_covers_every_write_endpoint():
    """A new write endpoint must join WRITES (and so be checked): compare with the URL conf."""
    from rest_framework.views import APIView

    covered = {url.split("/api/v1/")[1].replace(str(UNKNOWN), "<pk>").replace("NO-SUCH", "<pk>") for _m, url, _d in
               WRITES}
    found = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            view = pattern.callback
            cls = getattr(view, "cls", None)
            if cls is None or not issubclass(cls, APIView):
                continue
            actions = getattr(view, "actions", None)
            methods = set(actions) if actions else {m for m in ("post", "put", "patch", "delete") if hasattr(cls, m)}
            if methods & {"post", "put", "patch", "delete"}:
                route = prefix + str(pattern.pattern)
                if "<format>" in route:
                    continue  # DRF's format-suffix twin of a route already seen
                route = re.sub(r"\(\?P<\w+>[^)]*\)|<(?:\w+:)?\w+>", "<pk>", route).replace("^", "").replace("$", "")
                found.add(route.split("api/v1/", 1)[-1])

    walk(get_resolver().url_patterns)
    assert found and found <= covered, sorted(found - covered)


@pytest.mark.parametrize(("method", "url", "data"), WRITES, ids=[f"{m} {u}" for m, u, _d in WRITES])
def test_a_read_only_executive_is_refused_before_any_look_up(net, method, url, data):
    client = token_client(net.executive)
    response = getattr(client, method)(url, data, format="json") if data is not None else getattr(client, method)(url)
    assert response.status_code == 403, response.content[:300]
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "url", "data"), [
    ("post", "/api/v1/circulation/checkout/", {"item_barcode": "NO-SUCH", "patron_card": "NO-SUCH"}),
    ("post", "/api/v1/circulation/checkin/", {"item_barcode": "NO-SUCH"}),
    ("post", "/api/v1/circulation/renew/", {"item_barcode": "NO-SUCH"}),
    ("post", "/api/v1/circulation/pay/", {"patron_card": "NO-SUCH", "amount": "10.00"}),
    ("post", "/api/v1/holds/", {"patron_card": "NO-SUCH", "record": UNKNOWN, "pickup_branch": "NO-SUCH"}),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_librarian_at_another_branch_desk_is_refused_before_any_look_up(net, method, url, data):
    response = getattr(token_client(net.librarian), method)(url, {"desk": net.other.code, **data}, format="json")
    assert response.status_code == 403, response.content[:300]
    assert response.json()["code"] == "not_at_this_branch"


def test_branch_scope_of_item_and_closure_writes_comes_before_the_look_ups(net):
    client = token_client(net.librarian)
    item = client.post("/api/v1/items/", {"record": UNKNOWN, "barcode": "NO-SUCH", "branch": net.other.code,
                                         "item_type": "NO-SUCH"}, format="json")
    closure = client.post("/api/v1/closures/", {"branch": net.other.code, "starts_on": "2026-01-02",
                                               "ends_on": "2026-01-01"}, format="json")
    moved = client.patch(f"/api/v1/items/{net.item.pk}/", {"branch": net.other.code, "item_type": "NO-SUCH"},
                         format="json")
    assert [r.json()["code"] for r in (item, closure, moved)] == ["not_at_this_branch"] * 3
