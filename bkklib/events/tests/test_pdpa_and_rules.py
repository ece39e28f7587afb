"""PDPA (export, erasure, guest retention), the rules' properties, demo data and dashboard figures."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import indicators
from bkklib.core.pdpa import erase_contributions, export_contributions
from bkklib.events import demo, rules, services
from bkklib.events.models import Festival, Project, Registration

from .conftest import NOW, SAT_10AM

BKK = ZoneInfo("Asia/Bangkok")


@given(st.integers(min_value=0, max_value=130))
def test_every_age_has_exactly_one_group(age):
    groups = [g for g in rules.AGE_GROUPS if rules.AGE_BOUNDS[g][0] <= age <= rules.AGE_BOUNDS[g][1]]
    assert groups == [rules.age_group_of(age)]


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)), st.integers(0, 58))
def test_weekly_starts_keep_the_weekday_and_the_time(first, weeks):
    first = first.replace(tzinfo=BKK)
    starts = rules.weekly_starts(first, (first + timedelta(weeks=weeks)).date())
    assert len(starts) == weeks + 1
    assert all(s.weekday() == first.weekday() and s.time() == first.time() for s in starts)


def test_a_series_longer_than_the_limit_is_refused():
    with pytest.raises(ValueError):
        rules.weekly_starts(datetime(2026, 1, 3, 10, tzinfo=BKK), date(2028, 1, 1))


@pytest.mark.django_db
def test_export_and_erasure_of_a_patron(setting, django_capture_on_commit_callbacks):
    setting.session.capacity = 1
    setting.session.save()
    child, other = PatronFactory.create_batch(2, birth_date=date(2018, 1, 1))
    services.register(session=setting.session, patron=child, now=NOW)
    waiting = services.register(session=setting.session, patron=other, now=NOW)
    exported = export_contributions("patron", child)["events"]["registrations"]
    assert exported[0]["activity"] == "เปิดโลกนิทาน" and exported[0]["status"] == "registered"
    with django_capture_on_commit_callbacks(execute=True):
        erase_contributions("patron", child, now=NOW)
    waiting.refresh_from_db()
    assert waiting.status == "registered"  # the erased patron's place went to the next in line
    assert Registration.objects.get(patron=child).status == "cancelled"


@pytest.mark.django_db
def test_guest_names_and_phones_go_after_the_retention_period(setting, settings):
    settings.BKKLIB_EVENTS_GUEST_RETENTION_DAYS = 90
    guest = services.register(session=setting.session, now=NOW, guest=services.Guest(
        name="นางสาว ใจดี", phone="0812345678", age_group="child", consent=True))
    assert services.anonymise_old_guests(now=SAT_10AM + timedelta(days=89)) == 0
    assert services.anonymise_old_guests(now=SAT_10AM + timedelta(days=91)) == 1
    guest.refresh_from_db()
    assert (guest.guest_name, guest.guest_phone, guest.age_group) == ("", "", "child")
    assert str(guest.display_name) == "(ลบข้อมูลแล้ว)"


@pytest.mark.django_db
def test_the_dashboard_counts_held_sessions_and_participants(setting):
    services.record_walk_ins(session=setting.session, counts={("child", "female"): 3, ("adult", "male"): 1},
                             staff=setting.staff)
    found = indicators.by_key()
    held = found["events.activities_held"].compute(SAT_10AM.date())
    people = found["events.participants"].compute(SAT_10AM.date())
    assert [(f.value, f.branch_id) for f in held] == [(1, setting.branch.pk)]
    assert {(f.value, dict(f.dims)["age_group"]) for f in people} == {(3, "child"), (1, "adult")}


@pytest.mark.django_db
def test_the_demo_is_idempotent_and_has_the_fy_2569_projects(setting):
    demo.run()
    demo.run()
    names = set(Project.objects.filter(fiscal_year=2569).values_list("name", flat=True))
    assert {"โครงการเปิดโลกนิทาน (ข้อมูลสาธิต)", "โครงการวันภาษาไทยแห่งชาติ (ข้อมูลสาธิต)",
            "โครงการวันสันติภาพไทย (เสรีไทย) (ข้อมูลสาธิต)"} <= names
    march = Festival.objects.get(year=2026, month=3)
    assert march.name_th.startswith("เทศกาลหนังสือกรุงเทพฯ")
    assert Project.objects.count() == 4
