"""Hand counts of the volunteers indicators across the fiscal-year boundary in Bangkok time (handcount.py)."""
from datetime import date, timedelta

import pytest

from bkklib.volunteers.models import Application, Call, Criteria, Role, Shift, Signup, Volunteer

from .handcount import FY69, FY70, OCT, OCT1, SEP, SEP30, at, check, rebuild_agrees, run_nights, two_branches

pytestmark = pytest.mark.django_db


def test_hours_volunteers_on_shift_and_applications_equal_the_hand_count():
    two = two_branches()
    role = Role.objects.create(name_th="ผู้ช่วยมุมเด็ก", duties="เล่านิทาน")
    criteria = Criteria.objects.create(name="เกณฑ์ทั่วไป", min_age=15, consent_below_age=18, min_hours_per_week=4)
    v1, v2, v3 = (Volunteer.objects.create(branch=two.a, code=f"V{n}", first_name=f"อาสา {n}", last_name="ใจดี")
                  for n in (1, 2, 3))

    def shift(branch, starts_at):
        return Shift.objects.create(branch=branch, role=role, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))

    def signup(shift, volunteer, status, minutes=0):
        came = status in ("checked_in", "checked_out")
        Signup.objects.create(shift=shift, volunteer=volunteer, branch=shift.branch, status=status, minutes=minutes,
                              signed_up_at=shift.starts_at - timedelta(days=2),
                              checked_in_at=shift.starts_at if came else None,
                              checked_out_at=shift.starts_at + timedelta(minutes=minutes) if status == "checked_out"
                              else None)

    late_sep = shift(two.a, at(2026, 9, 30, 23, 59))  # Sep, FY 2569
    signup(late_sep, v1, "checked_out", 90)
    signup(late_sep, v2, "checked_in")  # on shift, not checked out: no hours yet
    signup(late_sep, v3, "signed_up")
    midnight = shift(two.a, at(2026, 10, 1, 0, 0))  # 17:00 UTC on 30 Sep: Oct, FY 2570
    signup(midnight, v1, "checked_out", 45)
    signup(midnight, v2, "checked_out", 30)
    morning = shift(two.a, at(2026, 10, 1, 10))
    signup(morning, v1, "checked_out", 60)  # v1's second shift that day: still one volunteer
    at_b = shift(two.b, at(2026, 10, 1, 9))
    signup(at_b, v3, "checked_out", 120)
    signup(at_b, v1, "no_show")
    signup(shift(two.a, at(2026, 9, 29, 23, 59)), v1, "checked_out", 600)  # outside the period
    signup(shift(two.a, at(2026, 10, 2, 0, 0)), v2, "checked_out", 600)  # outside the period

    call = Call.objects.create(branch=two.a, role=role, criteria=criteria, title="รับอาสาสมัคร",
                               opens_on=date(2026, 9, 1), closes_on=date(2026, 10, 31))
    for branch, when in ((two.a, at(2026, 9, 30, 23, 59)), (two.a, at(2026, 10, 1, 0, 0)), (two.b, at(2026, 10, 1, 12)),
                         (two.b, at(2026, 9, 29, 23, 59)), (two.a, at(2026, 10, 2, 0, 0))):
        Application.objects.create(call=call, branch=branch, first_name="ผู้สมัคร", last_name="ทดสอบ",
                                   submitted_at=when)
    run_nights()

    a, b = two.a.pk, two.b.pk
    # hours: 30 Sep at A 90 min = 1.5 h; 1 Oct at A 45 + 30 + 60 = 135 min = 2.25 h; 1 Oct at B 120 min = 2 h
    check("volunteers.hours", days={(SEP30, a, ""): "1.5", (OCT1, a, ""): "2.25", (OCT1, b, ""): 2},
          months={(SEP, FY69, a, ""): "1.5", (OCT, FY70, a, ""): "2.25", (OCT, FY70, b, ""): 2})
    # on shift: 30 Sep v1, v2 (v3 only signed up); 1 Oct at A v1 (twice), v2; at B v3 (v1 did not come)
    check("volunteers.on_shift", days={(SEP30, a, ""): 2, (OCT1, a, ""): 2, (OCT1, b, ""): 1},
          months={(SEP, FY69, a, ""): 2, (OCT, FY70, a, ""): 2, (OCT, FY70, b, ""): 1})
    check("volunteers.applications", days={(SEP30, a, ""): 1, (OCT1, a, ""): 1, (OCT1, b, ""): 1},
          months={(SEP, FY69, a, ""): 1, (OCT, FY70, a, ""): 1, (OCT, FY70, b, ""): 1})
    rebuild_agrees(["volunteers.hours", "volunteers.on_shift", "volunteers.applications"])
