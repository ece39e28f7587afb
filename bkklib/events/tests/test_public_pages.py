"""The public pages: the programme with filters and month calendar, event pages with JSON-LD, registration."""
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.events import services
from bkklib.events.models import Registration
from bkklib.opac import account, clock

from .conftest import NOW, SAT_10AM
from .factories import ActivityFactory, FestivalFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    cache.clear()


def sign_in(client, patron):
    session = client.session
    session[account.SESSION_KEY] = patron.pk
    session.save()


def test_the_list_filters_by_branch_age_and_festival(client, setting, django_assert_max_num_queries):
    festival = FestivalFactory(year=2026, month=3)
    setting.activity.festival = festival
    setting.activity.save()
    adults = ActivityFactory(title="เสวนาวันสันติภาพไทย", min_age=18)
    SessionFactory(activity=adults, starts_at=SAT_10AM + timedelta(days=1))
    with django_assert_max_num_queries(12):
        page = client.get("/events/").content.decode()
    assert "เปิดโลกนิทาน" in page and "เสวนาวันสันติภาพไทย" in page
    assert "เทศกาลประจำเดือนนี้: เทศกาลหนังสือกรุงเทพฯ" in page
    by_age = client.get("/events/?age=8").content.decode()
    assert "เปิดโลกนิทาน" in by_age and "เสวนาวันสันติภาพไทย" not in by_age
    by_branch = client.get(f"/events/?branch={adults.branch.code}").content.decode()
    assert "เปิดโลกนิทาน" not in by_branch and "เสวนาวันสันติภาพไทย" in by_branch
    by_festival = client.get(f"/events/?festival={festival.pk}").content.decode()
    assert "เปิดโลกนิทาน" in by_festival and "เสวนาวันสันติภาพไทย" not in by_festival
    assert client.get("/events/?age=abc&start=yesterday").status_code == 200  # reported, never a 500


def test_the_month_calendar_shows_sessions_on_their_day(client, setting):
    page = client.get("/events/?view=month&month=2026-03").content.decode()
    assert "มีนาคม 2569" in page and "เปิดโลกนิทาน" in page
    assert client.get("/events/?view=month&month=2026-13").status_code == 200


def test_the_event_page_carries_schema_org_event_json_ld(client, setting):
    page = client.get(f"/events/{setting.activity.pk}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Event" and data["name"] == "เปิดโลกนิทาน"
    assert data["startDate"] == "2026-03-07T10:00:00+07:00"
    assert data["location"]["@type"] == "Place" and data["location"]["name"] == setting.branch.name_th
    assert data["remainingAttendeeCapacity"] == 5 and data["typicalAgeRange"] == "3-12"
    assert data["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")


def test_a_draft_is_not_public(client, setting):
    setting.activity.status = "draft"
    setting.activity.save()
    assert client.get(f"/events/{setting.activity.pk}/").status_code == 404


def test_a_guest_registers_and_cancels_with_the_link(client, setting):
    response = client.post(f"/events/sessions/{setting.session.pk}/register/", {
        "name": "ด.ญ. ใจดี มีสุข", "phone": "081-234-5678", "age_group": "child", "gender": "female",
        "consent": "on"})
    registration = Registration.objects.get()
    assert response.url == f"/events/registration/{registration.token}/"
    assert registration.guest_phone == "0812345678" and registration.status == "registered"
    page = client.get(response.url).content.decode()
    assert "ลงทะเบียนแล้ว" in page and "<svg" in page
    client.post(response.url, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_guest_form_refusals_are_thai_and_store_nothing(client, setting):
    url = f"/events/sessions/{setting.session.pk}/register/"
    no_consent = client.post(url, {"name": "สมชาย", "phone": "0812345678", "age_group": "child", "gender": "male"})
    assert no_consent.status_code == 400 and "โปรดยินยอม" in no_consent.content.decode()
    adult = client.post(url, {"name": "สมชาย", "phone": "0812345678", "age_group": "senior", "gender": "male",
                              "consent": "on"})
    assert "กิจกรรมนี้สำหรับอายุ 3–12 ปี" in adult.content.decode()
    robot = client.post(url, {"name": "x", "phone": "0812345678", "age_group": "child", "gender": "male",
                              "consent": "on", "website": "http://spam.example"})
    assert robot.status_code == 302
    assert not Registration.objects.exists()


def test_guest_registration_is_rate_limited(client, setting):
    url = f"/events/sessions/{setting.session.pk}/register/"
    for _ in range(services.GUEST_LIMIT.count):
        client.post(url, {"name": "x"})
    response = client.post(url, {"name": "x"})
    assert response.status_code == 429 and "ลองใหม่" in response.content.decode()


def test_a_signed_in_patron_registers_and_sees_it_in_the_account(client, setting):
    child = PatronFactory(birth_date=NOW.date().replace(year=2018))
    sign_in(client, child)
    response = client.post(f"/events/sessions/{setting.session.pk}/register/", {})
    registration = Registration.objects.get(patron=child)
    assert response.url.endswith(registration.token + "/")
    again = client.post(f"/events/sessions/{setting.session.pk}/register/", {}, follow=True)
    assert "ลงทะเบียน (หรืออยู่ในรายชื่อสำรอง) รอบกิจกรรมนี้แล้ว" in again.content.decode()
    assert Registration.objects.filter(patron=child).count() == 1
    dashboard = client.get("/account/").content.decode()
    assert "กิจกรรมที่ฉันลงทะเบียน" in dashboard and "เปิดโลกนิทาน" in dashboard


def test_the_home_page_shows_the_month_festival_and_upcoming_activities(client, setting):
    FestivalFactory(year=2026, month=3, name_th="เทศกาลหนังสือกรุงเทพฯ")
    home = client.get("/").content.decode()
    assert "เทศกาลประจำเดือนนี้: เทศกาลหนังสือกรุงเทพฯ" in home and "เปิดโลกนิทาน" in home
    assert 'href="/events/"' in home  # the main menu link
