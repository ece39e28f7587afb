"""The API under /api/v1/spaces/: public spaces and availability, staff bookings; refusals as problem JSON."""
import pytest
from rest_framework.test import APIClient

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.spaces import services
from bkklib.spaces.models import Booking

from .conftest import TUE_8AM, at


@pytest.fixture
def staff_api(site):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="th")
    client.force_authenticate(site.staff)
    return client


def test_spaces_and_availability_are_public(site, client):
    services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11), now=TUE_8AM)
    listed = client.get("/api/v1/spaces/", {"branch": site.branch.code}).json()
    assert {s["name_th"] for s in listed["results"]} == {"โต๊ะโคเวิร์กกิง 1", "ห้องประชุมเล็ก"}
    slots = client.get(f"/api/v1/spaces/{site.desk.pk}/availability/", {"date": "2025-06-03"}).json()["slots"]
    assert len(slots) == 8
    states = {s["starts_at"][11:16]: s["state"] for s in slots}
    assert states["10:00"] in ("taken", "past")


def test_a_bad_query_parameter_is_a_problem_naming_it(site, client):
    response = client.get(f"/api/v1/spaces/{site.desk.pk}/availability/", {"days": "99"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")


def test_staff_book_for_a_card_holder_and_refusals_are_problem_json(site, staff_api):
    body = {"space": site.room.pk, "card": site.patron.card_number, "starts_at": "2030-01-08T10:00:00+07:00",
            "ends_at": "2030-01-08T11:00:00+07:00", "people": 3}
    made = staff_api.post("/api/v1/spaces/bookings/", body, format="json")
    assert made.status_code == 201 and made.json()["status"] == "confirmed"
    again = staff_api.post("/api/v1/spaces/bookings/", body, format="json")
    assert again.status_code == 422 and again.json()["code"] == "taken"
    assert "ถูกจองแล้ว" in again.json()["detail"]
    crowd = staff_api.post("/api/v1/spaces/bookings/", {**body, "starts_at": "2030-01-08T13:00:00+07:00",
                                                         "ends_at": "2030-01-08T14:00:00+07:00", "people": 40},
                           format="json")
    assert crowd.status_code == 422 and crowd.json()["code"] == "over_capacity"
    assert Booking.objects.count() == 1


def test_bookings_are_listed_only_at_the_callers_branches(site, staff_api):
    services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11), now=TUE_8AM)
    assert staff_api.get("/api/v1/spaces/bookings/").json()["count"] == 1
    outsider = APIClient()
    outsider.force_authenticate(staff_user(roles.BRANCH_LIBRARIAN, BranchFactory()))
    assert outsider.get("/api/v1/spaces/bookings/").json()["count"] == 0
    booking = Booking.objects.get()
    assert outsider.post(f"/api/v1/spaces/bookings/{booking.pk}/cancel/").status_code == 404


def test_a_patron_without_staff_role_cannot_list_bookings(site):
    client = APIClient()
    client.force_authenticate(staff_user(roles.VOLUNTEER, site.branch))
    response = client.get("/api/v1/spaces/bookings/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_staff_block_a_space_through_the_api(site, staff_api):
    response = staff_api.post("/api/v1/spaces/blocks/", {
        "space": site.room.pk, "starts_at": "2030-01-08T09:00:00+07:00", "ends_at": "2030-01-08T17:00:00+07:00",
        "reason": "ซ่อมแอร์"}, format="json")
    assert response.status_code == 201 and response.json()["kind"] == "block"
    taken = staff_api.post("/api/v1/spaces/bookings/", {
        "space": site.room.pk, "card": PatronFactory().card_number, "starts_at": "2030-01-08T10:00:00+07:00",
        "ends_at": "2030-01-08T11:00:00+07:00"}, format="json")
    assert taken.status_code == 422 and taken.json()["code"] == "taken"
