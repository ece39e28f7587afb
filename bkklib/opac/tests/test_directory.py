"""The library directory and branch pages: filters, open now on a fixed clock, near me, hours."""
from datetime import UTC, date, datetime, timedelta

import pytest

from bkklib.network import queries as network_queries
from bkklib.network.models import Branch, Closure
from bkklib.opac import queries

from .conftest import BKK, WED_8PM, WED_10AM

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [s.branch.code for s in response.context["page"]]


def test_the_directory_lists_every_public_branch(client, network, fixed_now):
    fixed_now(WED_10AM)
    response = client.get("/libraries/")
    assert response.status_code == 200
    assert sorted(names(response)) == ["bangkhen", "citylib", "rh001"]
    assert "หอสมุดเมืองกรุงเทพมหานคร" in response.content.decode()


def test_open_now_keeps_only_branches_open_at_that_moment(client, network, fixed_now):
    fixed_now(WED_8PM)  # the city library opens until 20.30; the others close at 17.00 / are shut Wednesdays
    response = client.get("/libraries/", {"open_now": "1"})
    assert names(response) == ["citylib"]
    fixed_now(WED_10AM)
    response = client.get("/libraries/", {"open_now": "1"})
    assert sorted(names(response)) == ["bangkhen", "citylib"]


def test_a_closure_closes_a_branch_for_open_now(client, network, fixed_now):
    Closure.objects.create(branch=network["city"], starts_on=date(2025, 6, 4), ends_on=date(2025, 6, 4),
                           reason_th="ปิดปรับปรุงระบบไฟฟ้า", reason_en="Electrical works")
    fixed_now(WED_10AM)
    response = client.get("/libraries/", {"open_now": "1"})
    assert names(response) == ["bangkhen"]
    page = client.get("/libraries/citylib/").content.decode()
    assert "ปิดปรับปรุงระบบไฟฟ้า" in page


def test_the_bulk_status_agrees_with_the_network_is_open_query(network):
    Closure.objects.create(branch=None, kind=Closure.Kind.PUBLIC_HOLIDAY, starts_on=date(2025, 6, 5),
                           ends_on=date(2025, 6, 5), reason_th="วันหยุดทดสอบ")
    network["bangkhen"].status = Branch.Status.UNDER_RENOVATION
    network["bangkhen"].save()
    branches = list(Branch.objects.all())
    start = datetime(2025, 6, 2, 0, 0, tzinfo=BKK)
    for hour in range(0, 24 * 5, 3):
        moment = start + timedelta(hours=hour, minutes=30)
        for status in queries.branch_statuses(branches, moment):
            assert status.is_open_now == network_queries.is_open(status.branch, moment), (status.branch.code, moment)


def test_filters_by_district_kind_and_service(client, network, fixed_now):
    fixed_now(WED_10AM)
    assert sorted(names(client.get("/libraries/", {"district": "1005"}))) == ["bangkhen", "rh001"]
    assert names(client.get("/libraries/", {"kind": "reading_house"})) == ["rh001"]
    assert names(client.get("/libraries/", {"service": "coworking"})) == ["citylib"]
    assert names(client.get("/libraries/", {"name": "บางเขน"})) == ["bangkhen"]


def test_near_me_sorts_by_distance_from_the_given_position(client, network, fixed_now):
    fixed_now(WED_10AM)
    response = client.get("/libraries/", {"lat": "13.8705", "lng": "100.6001"})  # next to the reading house
    assert names(response) == ["rh001", "bangkhen", "citylib"]
    statuses = list(response.context["page"])
    assert statuses[0].distance_km < 0.1 and 15 < statuses[2].distance_km < 20


@pytest.mark.parametrize("params", [
    {"district": "9999"}, {"kind": "spaceship"}, {"lat": "north", "lng": "100"}, {"lat": "95", "lng": "100"},
    {"lat": "13.7"}, {"service": "<script>alert(1)</script>"}, {"page": "-3"}, {"name": "x" * 10000},
])
def test_bad_filter_values_get_a_friendly_page(client, network, fixed_now, params):
    fixed_now(WED_10AM)
    response = client.get("/libraries/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_directory_runs_a_fixed_number_of_queries(client, network, fixed_now, django_assert_max_num_queries):
    fixed_now(WED_10AM)
    with django_assert_max_num_queries(8):
        client.get("/libraries/", {"open_now": "1"})


def test_a_branch_page_shows_today_week_closures_services_contacts_and_map(client, network, fixed_now):
    network["city"].verified_at = datetime(2025, 5, 20, 9, 0, tzinfo=BKK)
    network["city"].save()
    Closure.objects.create(branch=None, kind=Closure.Kind.PUBLIC_HOLIDAY, starts_on=date(2025, 6, 6),
                           ends_on=date(2025, 6, 6), reason_th="วันหยุดทดสอบ", reason_en="Test holiday")
    fixed_now(WED_10AM)
    response = client.get("/libraries/citylib/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "เปิดอยู่" in page or "Open now" in page
    week = response.context["week"]
    assert [d.day for d in week] == [date(2025, 6, 4) + timedelta(days=i) for i in range(7)]
    assert week[2].closure is not None and not week[2].is_open_day  # Friday 6 June: the holiday
    assert not week[5].periods  # Monday: closed
    assert "วันหยุดทดสอบ" in page
    assert "พื้นที่ทำงานร่วม" in page
    assert 'href="tel:022257612"' in page
    assert "openstreetmap.org/?mlat=13.756900&amp;mlon=100.501800" in page
    assert "20 พฤษภาคม 2568" in page  # verified date in the Buddhist Era
    assert '"@type": "Library"' in page


def test_a_closed_branch_page_says_when_it_opens_next(client, network, fixed_now):
    fixed_now(WED_10AM)  # the reading house is shut on Wednesdays, opens Thursday
    response = client.get("/libraries/rh001/")
    assert response.context["next_open"] == date(2025, 6, 5)


def test_an_unknown_branch_is_a_404(client, network):
    assert client.get("/libraries/nowhere/").status_code == 404


def test_the_english_page_marks_thai_only_names(client, network, fixed_now):
    fixed_now(WED_10AM)
    client.cookies["bkklib_language"] = "en"
    page = client.get("/libraries/").content.decode()
    assert '<html lang="en">' in page
    assert "Bangkok City Library" in page
    assert '<span lang="th">ห้องสมุดประชาชนบางเขน</span>' in page


def test_open_now_uses_bangkok_time(network):
    # 03:00 UTC is 10:00 in Bangkok: open.
    status = queries.branch_statuses([network["city"]], datetime(2025, 6, 4, 3, 0, tzinfo=UTC))[0]
    assert status.is_open_now and status.closes_at.hour == 20
