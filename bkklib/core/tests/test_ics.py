"""core.ics: RFC 5545 files that the icalendar package reads back with Thai text, Bangkok times, recurrence."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bkklib.core import ics

BKK = ZoneInfo("Asia/Bangkok")


def test_calendar_round_trip():
    body = ics.calendar([
        ics.Event("session-1@bkklib", datetime(2026, 3, 7, 10, tzinfo=BKK), datetime(2026, 3, 7, 11, 30, tzinfo=BKK),
                  "เปิดโลกนิทาน ปั้นดินน้ำมัน", description="เล่านิทานทุกวันเสาร์", location="ห้องสมุดเพื่อการเรียนรู้",
                  rrule={"freq": "weekly", "byday": "SA", "until": datetime(2026, 5, 30, 23, tzinfo=BKK)},
                  exdates=(datetime(2026, 4, 11, 10, tzinfo=BKK),), geo=(13.75, 100.5)),
        ics.Event("closure-1@bkklib", date(2026, 4, 13), date(2026, 4, 15), "ปิดวันสงกรานต์", status="CANCELLED"),
    ], name="กิจกรรมห้องสมุด")
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["x-wr-calname"]) == "กิจกรรมห้องสมุด"
    zone = cal.walk("VTIMEZONE")[0]
    assert zone["tzid"] == "Asia/Bangkok" and zone.walk("STANDARD")
    session, closure = cal.walk("VEVENT")
    assert str(session["summary"]) == "เปิดโลกนิทาน ปั้นดินน้ำมัน"
    assert session["dtstart"].dt == datetime(2026, 3, 7, 10, tzinfo=BKK)
    assert session["dtstart"].params["TZID"] == "Asia/Bangkok"
    assert session["rrule"]["FREQ"] == ["WEEKLY"]
    assert session["exdate"].dts[0].dt == datetime(2026, 4, 11, 10, tzinfo=BKK)
    assert closure["dtstart"].dt == date(2026, 4, 13)
    assert closure["dtend"].dt == date(2026, 4, 16)  # exclusive end of the last whole day
    assert str(closure["status"]) == "CANCELLED"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        ics.calendar([ics.Event("x", datetime(2026, 1, 1, 9), datetime(2026, 1, 1, 10), "x")], name="x")


def test_response_headers():
    response = ics.ics_response([], name="x", filename="booking.ics", attachment=True)
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="booking.ics"'
