"""iCalendar feeds read back with the icalendar package: Thai text, Asia/Bangkok times, weekly recurrence."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.utils import timezone
from icalendar import Calendar

from bkklib.core import roles
from bkklib.events import services
from bkklib.events.models import Activity
from bkklib.network.tests.factories import staff_user

from .factories import ActivityFactory, FestivalFactory

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def series(setting, monkeypatch):
    """Storytelling every Saturday 10.00–11.00 for eight weeks from next Saturday; week 3 cancelled."""
    first = timezone.localtime(timezone.now()).replace(hour=10, minute=0, second=0, microsecond=0)
    first += timedelta(days=(5 - first.weekday()) % 7 or 7)
    activity = ActivityFactory(branch=setting.branch, title="เปิดโลกนิทาน ปั้นดินกับปู่ย่า ญี่ปุ่น",
                               festival=FestivalFactory(year=first.year, month=first.month, name_th="เทศกาลหนังสือ"))
    sessions = services.schedule_sessions(activity=activity, starts_at=first, ends_at=first + timedelta(hours=1),
                                          staff=setting.staff, weekly_until=(first + timedelta(weeks=7)).date())
    services.cancel_session(session=sessions[2], staff=setting.staff)
    return activity, sessions


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_weekly_series_is_one_recurring_event_in_bangkok_time(client, series):
    activity, sessions = series
    cal = parse(client.get("/events/calendar.ics"))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    (event,) = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == activity.title]
    assert str(event["SUMMARY"]) == "เปิดโลกนิทาน ปั้นดินกับปู่ย่า ญี่ปุ่น"  # Thai marks kept
    start = event.decoded("DTSTART")
    assert start.tzinfo.key == "Asia/Bangkok" and start.hour == 10 and start == sessions[0].starts_at
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert event.decoded("DTEND") - start == timedelta(hours=1)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    # Expanding the rule minus EXDATE gives exactly the sessions held (the cancelled week is left out).
    exdates = {d.dt for ex in ([event["EXDATE"]] if not isinstance(event["EXDATE"], list) else event["EXDATE"])
               for d in ex.dts}
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    expanded = [d for d in rule if d not in exdates]
    assert expanded == [s.starts_at for i, s in enumerate(sessions) if i != 2]
    assert "เทศกาลหนังสือ" in str(event["CATEGORIES"].to_ical().decode())


def test_branch_and_festival_feeds_hold_only_their_activities(client, series, setting):
    activity, _sessions = series
    other = ActivityFactory(title="กิจกรรมสาขาอื่น", status=Activity.Status.PUBLISHED)
    services.schedule_sessions(activity=other, starts_at=_sessions[0].starts_at,
                               ends_at=_sessions[0].ends_at, staff=staff_user(roles.NETWORK_ADMIN, other.branch))
    titles = lambda url: {str(e["SUMMARY"]) for e in parse(client.get(url)).walk("VEVENT")}  # noqa: E731
    assert titles("/events/calendar.ics") >= {activity.title, "กิจกรรมสาขาอื่น"}
    assert activity.title in titles(f"/events/branch/{setting.branch.code}.ics")
    assert "กิจกรรมสาขาอื่น" not in titles(f"/events/branch/{setting.branch.code}.ics")
    assert titles(f"/events/festival/{activity.festival_id}.ics") == {activity.title}


def test_a_one_off_session_is_a_plain_event(client, setting):
    setting.activity.title = "วันภาษาไทยแห่งชาติ"
    setting.activity.save()
    start = datetime.combine(date.today() + timedelta(days=3), datetime.min.time()).replace(hour=9, tzinfo=BKK)
    services.schedule_sessions(activity=setting.activity, starts_at=start, ends_at=start + timedelta(hours=3),
                               staff=setting.staff)
    events = [e for e in parse(client.get("/events/calendar.ics")).walk("VEVENT")
              if str(e["SUMMARY"]) == "วันภาษาไทยแห่งชาติ"]
    assert len(events) == 1 and "RRULE" not in events[0]
    assert events[0].decoded("DTSTART") == start
