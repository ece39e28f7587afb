"""iCalendar feeds of a library's closures and holidays, read back by the icalendar package."""
from datetime import date, timedelta

import icalendar
import pytest
from django.utils import timezone

from bkklib.network.models import Closure
from bkklib.network.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_feed_has_the_branch_closures_and_network_holidays_in_thai(client):
    branch = BranchFactory(code="feedlib", name_th="ห้องสมุดเพื่อการเรียนรู้ทดสอบ")
    other = BranchFactory(code="otherlib")
    today = timezone.localdate()
    holiday = Closure.objects.create(kind="public_holiday", starts_on=today + timedelta(days=3),
                                     ends_on=today + timedelta(days=5), reason_th="วันสงกรานต์", reason_en="Songkran")
    own = Closure.objects.create(branch=branch, starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=10),
                                 reason_th="ปิดปรับปรุงระบบไฟฟ้า")
    Closure.objects.create(branch=other, starts_on=today, ends_on=today, reason_th="ไม่เกี่ยว")
    answer = client.get("/libraries/feedlib/closures.ics")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(answer.content)
    assert str(cal["x-wr-calname"]) == "ห้องสมุดเพื่อการเรียนรู้ทดสอบ: วันปิดทำการ"
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"วันสงกรานต์", "ปิดปรับปรุงระบบไฟฟ้า"}
    songkran = events["วันสงกรานต์"]
    assert songkran["dtstart"].dt == holiday.starts_on and songkran["dtend"].dt == holiday.ends_on + timedelta(days=1)
    assert str(songkran["uid"]).startswith(f"closure-{holiday.pk}@")
    assert events["ปิดปรับปรุงระบบไฟฟ้า"]["dtstart"].dt == own.starts_on
    english = icalendar.Calendar.from_ical(client.get("/libraries/feedlib/closures.ics?lang=en").content)
    assert "Songkran" in {str(e["summary"]) for e in english.walk("VEVENT")}
    assert client.get("/libraries/nope/closures.ics").status_code == 404
    page = client.get("/libraries/feedlib/").content.decode()
    assert "/libraries/feedlib/closures.ics" in page
    assert isinstance(holiday.starts_on, date)
