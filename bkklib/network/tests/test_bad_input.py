"""Bad branch data gets a field-specific error in Thai (English when the UI is English) and saves nothing.

Each case goes through the staff edit page AND the REST API: hours closing before they open,
overlapping periods, an unknown district, a malformed phone or email, a closure ending before
it starts.
"""
from datetime import time

import pytest
from django.urls import reverse

from bkklib.network.models import Branch, Closure, OpeningPeriod

pytestmark = pytest.mark.django_db

HOURS = [(1, "09:00", "20:30"), (6, "09:00", "20:00")]


def edit_payload(branch: Branch, hours=HOURS, **overrides) -> dict:
    """Return the POST data of the branch edit page with ``overrides`` and ``hours``."""
    data = {
        "name_th": branch.name_th, "name_en": branch.name_en, "kind": branch.kind, "status": branch.status,
        "district": branch.district.code, "parent": "", "address": "", "latitude": "", "longitude": "",
        "phone": "02 225 7612", "email": "", "website": "", "facebook": "", "line_id": "", "description": "",
        "hours-TOTAL_FORMS": str(len(hours)), "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0", "hours-MAX_NUM_FORMS": "1000",
    }
    for i, (weekday, opens, closes) in enumerate(hours):
        data.update({f"hours-{i}-weekday": str(weekday), f"hours-{i}-opens_at": opens,
                     f"hours-{i}-closes_at": closes})
    data.update(overrides)
    return data


def snapshot(branch: Branch):
    branch.refresh_from_db()
    periods = sorted(OpeningPeriod.objects.filter(branch=branch).values_list("weekday", "opens_at", "closes_at"))
    return (branch.name_th, branch.district_id, branch.phone, branch.email, branch.changed_since_verified,
            periods, branch.history.count())


def field_errors(response, field_id: str) -> str:
    """Return the text of the error list shown next to the field with HTML id ``field_id``."""
    html = response.content.decode()
    marker = f'id="{field_id}_errors"'
    if marker in html:
        start = html.index(marker)
        return html[start: html.index("</ul>", start)]
    return ""


@pytest.fixture
def mine(two_branches):
    return two_branches[0]


def post_edit(client, branch, language="th", **kwargs):
    client.cookies["bkklib_language"] = language
    return client.post(reverse("network:branch-edit", args=[branch.code]), edit_payload(branch, **kwargs))


# --- The staff page --------------------------------------------------------------------------------------


def test_a_good_edit_saves_and_marks_the_data_changed_since_verification(staff_client, mine):
    response = post_edit(staff_client, mine, name_th="ห้องสมุดชื่อใหม่",
                         hours=[(1, "09:00", "12:00"), (1, "13:00", "20:30")])

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name_th == "ห้องสมุดชื่อใหม่" and mine.changed_since_verified
    assert list(mine.opening_periods.values_list("opens_at", flat=True)) == [time(9), time(13)]


def test_hours_closing_before_opening_get_a_thai_error_on_the_closing_time(staff_client, mine):
    before = snapshot(mine)

    response = post_edit(staff_client, mine, hours=[(1, "18:00", "09:00")])

    assert response.status_code == 200
    assert "เวลาปิดต้องช้ากว่าเวลาเปิด" in response.content.decode()
    assert "เวลาปิดต้องช้ากว่าเวลาเปิด" in str(response.context["hours"].forms[0].errors["closes_at"])
    assert snapshot(mine) == before


def test_overlapping_periods_of_one_day_get_a_thai_error_naming_the_other_period(staff_client, mine):
    before = snapshot(mine)

    response = post_edit(staff_client, mine, hours=[(2, "09:00", "12:00"), (2, "11:30", "16:00")])

    errors = response.context["hours"].forms[1].errors["opens_at"]
    assert "ซ้อนทับกับช่วง 09:00–12:00" in str(errors) and "วันพุธ" in str(errors)
    assert not response.context["hours"].forms[0].errors
    assert snapshot(mine) == before


def test_the_errors_are_in_english_when_the_ui_is_english(staff_client, mine):
    before = snapshot(mine)

    response = post_edit(staff_client, mine, language="en", hours=[(2, "09:00", "12:00"), (2, "11:30", "16:00")],
                         email="not-an-email")

    assert "This period overlaps 09:00–12:00 on Wednesday" in str(response.context["hours"].forms[1].errors)
    assert "Enter a valid email address" in field_errors(response, "id_email")
    assert snapshot(mine) == before


def test_an_unknown_district_is_a_district_error(staff_client, mine):
    before = snapshot(mine)

    response = post_edit(staff_client, mine, district="เขตแอตแลนติส")

    assert "ไม่รู้จักเขต “เขตแอตแลนติส”" in field_errors(response, "id_district")
    assert snapshot(mine) == before


def test_a_malformed_phone_is_a_phone_error(staff_client, mine):
    before = snapshot(mine)

    response = post_edit(staff_client, mine, phone="โทร 02-abc")

    assert "หมายเลขโทรศัพท์" in field_errors(response, "id_phone")
    assert not field_errors(response, "id_email")
    assert snapshot(mine) == before


def test_a_malformed_email_is_an_email_error(staff_client, mine):
    before = snapshot(mine)

    response = post_edit(staff_client, mine, email="library@@bangkok")

    assert "กรอกอีเมลให้ถูกต้อง" in field_errors(response, "id_email")
    assert snapshot(mine) == before


def test_a_closure_ending_before_it_starts_gets_a_thai_error_on_its_last_day(staff_client, mine):
    response = staff_client.post(reverse("network:closure-add", args=[mine.code]), {
        "starts_on": "2025-06-10", "ends_on": "2025-06-08", "reason_th": "ซ่อมหลังคา"})

    assert "วันสุดท้ายที่ปิดต้องไม่ก่อนวันแรก" in str(response.context["form"].errors["ends_on"])
    assert not Closure.objects.exists()


# --- The API -----------------------------------------------------------------------------------------------


def patch(api, branch, body, language="th"):
    return api.patch(f"/api/v1/branches/{branch.code}/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_api_hours_closing_before_opening_are_a_problem_with_a_field_error(api, mine):
    before = snapshot(mine)

    response = patch(api, mine, {"opening_hours": [
        {"weekday": 1, "opens_at": "09:00", "closes_at": "20:30"},
        {"weekday": 2, "opens_at": "18:00", "closes_at": "09:00"},
    ]})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["opening_hours"][0] == {}
    assert body["errors"]["opening_hours"][1]["closes_at"] == ["เวลาปิดต้องช้ากว่าเวลาเปิด"]
    assert snapshot(mine) == before


def test_api_overlapping_periods_are_refused_in_english_when_asked(api, mine):
    before = snapshot(mine)

    response = patch(api, mine, {"opening_hours": [
        {"weekday": 6, "opens_at": "09:00", "closes_at": "12:00"},
        {"weekday": 6, "opens_at": "10:00", "closes_at": "17:00"},
    ]}, language="en")

    assert response.status_code == 400
    assert response.json()["errors"]["opening_hours"][1]["opens_at"][0].startswith(
        "This period overlaps 09:00–12:00 on Sunday")
    assert snapshot(mine) == before


@pytest.mark.parametrize(("body", "field", "thai"), [
    ({"district": "9999"}, "district", "ไม่รู้จักเขต “9999”"),
    ({"phone": "02-abc-defg"}, "phone", "หมายเลขโทรศัพท์"),
    ({"email": "library.bangkok"}, "email", "กรอกอีเมลให้ถูกต้อง"),
])
def test_api_bad_district_phone_or_email_is_a_field_error_in_thai(api, mine, body, field, thai):
    before = snapshot(mine)

    response = patch(api, mine, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert thai in response.json()["errors"][field][0]
    assert snapshot(mine) == before


def test_api_a_district_may_be_given_by_thai_name(api, mine):
    response = patch(api, mine, {"district": "เขตบางรัก"})

    assert response.status_code == 200
    assert response.json()["district"]["code"] == "1004"


def test_api_a_closure_ending_before_it_starts_is_refused(api, mine):
    response = api.post("/api/v1/closures/", {"branch": mine.code, "starts_on": "2025-06-10",
                                              "ends_on": "2025-06-08", "reason_th": "ซ่อม"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["ends_on"] == ["วันสุดท้ายที่ปิดต้องไม่ก่อนวันแรกที่ปิด"]
    assert not Closure.objects.exists()


def test_untouched_spare_rows_of_the_hours_table_are_ignored(staff_client, mine):
    data = edit_payload(mine, hours=[(1, "09:00", "17:00")])
    data.update({"hours-TOTAL_FORMS": "3", "hours-1-weekday": "", "hours-1-opens_at": "", "hours-1-closes_at": "",
                 "hours-2-weekday": "", "hours-2-opens_at": "", "hours-2-closes_at": ""})

    response = staff_client.post(reverse("network:branch-edit", args=[mine.code]), data)

    assert response.status_code == 302
    assert list(mine.opening_periods.values_list("weekday", flat=True)) == [1]
