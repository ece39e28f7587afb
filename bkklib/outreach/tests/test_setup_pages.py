"""Set-up pages and API: forms refuse bad input in Thai and store nothing; scoping by the vehicle's unit."""
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from bkklib.core import roles
from bkklib.core.branchfacts import sections
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.outreach.models import MaintenanceLog, Stop, Timetable, Trip, Vehicle

from .factories import ReadingHouseFactory, RouteFactory, StopFactory, UnitFactory, VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(db):
    unit = UnitFactory()
    route = RouteFactory(vehicle=VehicleFactory(unit=unit))
    return type("Crew", (), {"unit": unit, "route": route, "stop": StopFactory(route=route),
                             "librarian": staff_user(roles.BRANCH_LIBRARIAN, unit)})


def stop_data(crew, **changes):
    return {"route": crew.route.pk, "code": "wat-lat-pla-duk", "name_th": "ชุมชนวัดลาดปลาดุก", "name_en": "",
            "district": crew.stop.district_id, "address": "", "latitude": "13.756300", "longitude": "100.501800",
            "contact_name": "คุณสมใจ", "contact_phone": "081-234-5678", "audience": "community",
            "is_pickup_point": "on", "is_active": "on", **changes}


def tt_data(stop, **changes):
    return {"stop": stop.pk, "weekday": "2", "on_date": "", "arrives_at": "09:00", "departs_at": "10:30",
            "valid_from": str(timezone.localdate()), "valid_until": "", **changes}


def test_every_set_up_page_renders(client, crew):
    client.force_login(crew.librarian)
    vehicle = crew.route.vehicle
    entry = MaintenanceLog.objects.create(vehicle=vehicle, starts_on=timezone.localdate(), work="ล้างแอร์")
    tt = Timetable.objects.create(stop=crew.stop, weekday=1, arrives_at="09:00", departs_at="10:00",
                                  valid_from=timezone.localdate())
    for name, args in [("staff-vehicles", []), ("staff-vehicle", [vehicle.pk]), ("staff-vehicle-edit", [vehicle.pk]),
                       ("staff-maintenance-new", [vehicle.pk]), ("staff-maintenance-edit", [entry.pk]),
                       ("staff-routes", []), ("staff-stops", []), ("staff-stop-new", []),
                       ("staff-stop", [crew.stop.pk]), ("staff-stop-edit", [crew.stop.pk]),
                       ("staff-timetable-new", [crew.stop.pk]), ("staff-timetable-edit", [tt.pk])]:
        response = client.get(reverse(f"outreach:{name}", args=args))
        assert response.status_code == 200, name
    home = client.get(reverse("outreach:staff-home")).content.decode()
    assert reverse("outreach:staff-stops") in home and reverse("outreach:staff-vehicles") in home


def test_bad_stop_and_timetable_forms_answer_in_thai_and_store_nothing(client, crew):
    client.force_login(crew.librarian)
    url = reverse("outreach:staff-stop-new")
    page = client.post(url, stop_data(crew, latitude="18.788000", longitude="98.985000")).content.decode()
    assert "อยู่นอกกรุงเทพมหานคร" in page
    page = client.post(url, stop_data(crew, longitude="")).content.decode()
    assert "ทั้งละติจูดและลองจิจูด" in page
    page = client.post(url, stop_data(crew, code=crew.stop.code)).content.decode()
    assert "รหัส" in page and crew.stop.code in page
    assert Stop.objects.count() == 1
    url = reverse("outreach:staff-timetable-new", args=[crew.stop.pk])
    page = client.post(url, tt_data(crew.stop, departs_at="08:00")).content.decode()
    assert "ต้องออกหลังจากมาถึง" in page
    page = client.post(url, tt_data(crew.stop, on_date=str(timezone.localdate()))).content.decode()
    assert "วันในสัปดาห์" in page
    assert client.post(url, tt_data(crew.stop)).status_code == 302
    page = client.post(url, tt_data(crew.stop, arrives_at="10:00", departs_at="11:00")).content.decode()
    assert "เวลาทับกัน" in page
    assert Timetable.objects.count() == 1
    bad_plate = client.post(reverse("outreach:staff-vehicle-edit", args=[crew.route.vehicle.pk]),
                            {"name_th": "รถ", "plate": "ABC", "kind": "bus", "capacity": "10", "status": "in_service"})
    assert "ทะเบียนรถ" in bad_plate.content.decode()
    assert Vehicle.objects.get().plate != "ABC"


def test_a_stop_form_saved_unchanged_changes_nothing(client, crew):
    client.force_login(crew.librarian)
    assert client.post(reverse("outreach:staff-stop-new"), stop_data(crew)).status_code == 302
    stop = Stop.objects.get(code="wat-lat-pla-duk")
    before = stop.history.count()
    assert client.post(reverse("outreach:staff-stop-edit", args=[stop.pk]), stop_data(crew)).status_code == 302
    stop.refresh_from_db()
    assert stop.contact_phone == "081-234-5678" and stop.is_pickup_point and stop.history.count() == before + 1


def test_other_branches_and_roles_are_refused(client, crew):
    stranger = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    client.force_login(stranger)
    assert client.get(reverse("outreach:staff-stop-edit", args=[crew.stop.pk])).status_code == 404
    assert client.post(reverse("outreach:staff-timetable-new", args=[crew.stop.pk]),
                       tt_data(crew.stop)).status_code == 404
    assert client.get(reverse("outreach:staff-vehicle-new")).status_code == 403  # librarians add no vehicle
    assert crew.stop.code not in client.get(reverse("outreach:staff-stops")).content.decode()
    executive = staff_user(roles.EXECUTIVE_VIEWER, crew.unit)
    client.force_login(executive)
    assert client.get(reverse("outreach:staff-stop-new")).status_code == 403
    assert client.post(reverse("outreach:staff-stop-edit", args=[crew.stop.pk]), stop_data(crew)).status_code == 403
    assert not Timetable.objects.exists() and Stop.objects.count() == 1


def test_the_api_writes_stops_and_timetables_and_refuses_overlaps(crew):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(crew.librarian)
    made = api.post("/api/v1/outreach/stops/", {**stop_data(crew), "route": crew.route.code, "district": "1001",
                                                "is_pickup_point": True, "is_active": True}, format="json")
    assert made.status_code == 201, made.content
    body = {"stop": "wat-lat-pla-duk", "weekday": 2, "arrives_at": "09:00", "departs_at": "10:30",
            "valid_from": str(timezone.localdate())}
    first = api.post("/api/v1/outreach/timetables/", body, format="json")
    assert first.status_code == 201 and Trip.objects.filter(timetable_id=first.json()["id"]).exists()
    clash = api.post("/api/v1/outreach/timetables/", {**body, "arrives_at": "10:00", "departs_at": "11:00"},
                     format="json")
    assert clash.status_code == 400 and clash.json()["code"] == "timetable_overlap"
    outside = api.patch("/api/v1/outreach/stops/wat-lat-pla-duk/", {"latitude": "18.788", "longitude": "98.985"},
                        format="json")
    assert outside.status_code == 400 and outside.json()["code"] == "outside_bangkok"
    moved = api.patch(f"/api/v1/outreach/timetables/{first.json()['id']}/", {"weekday": 4}, format="json")
    assert moved.status_code == 200
    assert {t.planned_on.weekday() for t in Trip.objects.filter(timetable_id=first.json()["id"])} == {4}
    plate = api.patch(f"/api/v1/outreach/vehicles/{crew.route.vehicle.pk}/", {"plate": "nope"}, format="json")
    assert plate.status_code == 400 and plate.json()["code"] == "plate_format"
    stranger = APIClient()
    stranger.force_authenticate(staff_user(roles.BRANCH_LIBRARIAN, BranchFactory()))
    assert stranger.patch(f"/api/v1/outreach/timetables/{first.json()['id']}/", {"weekday": 1},
                          format="json").status_code == 404
    assert stranger.get("/api/v1/outreach/timetables/").json()["count"] == 0
    ended = api.delete(f"/api/v1/outreach/timetables/{first.json()['id']}/")
    assert ended.status_code == 204 and not Timetable.objects.exists()


def test_branch_fact_sheets_of_a_mobile_unit_and_a_reading_house(crew):
    today = timezone.localdate()
    Trip.objects.create(stop=crew.stop, planned_on=today - timedelta(days=2), visit_on=today - timedelta(days=2),
                        arrives_at="09:00", departs_at="10:00", status=Trip.Status.DONE)
    Trip.objects.create(stop=crew.stop, planned_on=today + timedelta(days=5), visit_on=today + timedelta(days=5),
                        arrives_at="13:00", departs_at="14:00")
    section = next(s for s in sections(crew.unit, today=today) if s.key == "outreach.mobile_unit")
    facts = {f.label: f.value for f in section.facts}
    assert crew.route.vehicle.plate in facts["รถห้องสมุด"] and facts["จุดจอดที่ใช้งาน"] == "1"
    assert crew.stop.name_th in facts["รอบถัดไป"] and "13:00" in facts["รอบถัดไป"]
    assert crew.stop.name_th in facts["รอบล่าสุด"] and section.rows[0][0] == crew.route.name_th
    house = ReadingHouseFactory()
    reading = next(s for s in sections(house, today=today) if s.key == "outreach.reading_house")
    assert {f.label: f.value for f in reading.facts}["ชุดหนังสือหมุนเวียนที่ฝากอยู่"] == "0"
    assert not any(s.key.startswith("outreach.") for s in sections(BranchFactory(), today=today))


class _FormValues(HTMLParser):
    """The values a browser would submit from the page's (last) form."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.values = {}
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def test_every_edit_form_reopened_and_saved_unchanged_changes_nothing(client, crew):
    from decimal import Decimal

    from bkklib.network.models import Branch

    admin = staff_user(roles.NETWORK_ADMIN, Branch.objects.first())
    client.force_login(admin)
    vehicle = crew.route.vehicle
    entry = MaintenanceLog.objects.create(vehicle=vehicle, starts_on=timezone.localdate(), work="ล้างแอร์",
                                          ends_on=timezone.localdate(), cost=Decimal("1250.50"))
    Stop.objects.filter(pk=crew.stop.pk).update(contact_name="ครูสมใจ", address="ซอยวัด", is_pickup_point=True)
    tt = Timetable.objects.create(stop=crew.stop, weekday=3, arrives_at="09:15", departs_at="10:45",
                                  valid_from=timezone.localdate(), valid_until=timezone.localdate() + timedelta(days=90))
    rows = [(vehicle, "staff-vehicle-edit"), (entry, "staff-maintenance-edit"), (crew.route, "staff-route-edit"),
            (crew.stop, "staff-stop-edit"), (tt, "staff-timetable-edit")]
    for row, name in rows:
        url = reverse(f"outreach:{name}", args=[row.pk])
        before = {f.name: getattr(type(row).objects.get(pk=row.pk), f.attname) for f in row._meta.concrete_fields
                  if f.name not in ("updated_at",)}
        parser = _FormValues()
        parser.feed(client.get(url).content.decode())
        response = client.post(url, parser.values)
        assert response.status_code == 302, (name, response.content.decode()[-2000:])
        after = {f.name: getattr(type(row).objects.get(pk=row.pk), f.attname) for f in row._meta.concrete_fields
                 if f.name not in ("updated_at",)}
        assert after == before, name
