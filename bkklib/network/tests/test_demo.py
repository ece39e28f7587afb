"""The demo network: large enough, spread over every district, labelled, idempotent, with work to show."""
import io
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from bkklib.network import demo, queries
from bkklib.network.models import Assignment, Branch, District, StaffMember

pytestmark = pytest.mark.django_db


def test_the_demo_network_is_complete_labelled_idempotent_and_has_work_to_show():
    demo.run(stdout=io.StringIO())
    counts = {kind: Branch.objects.filter(kind=kind).count() for kind in Branch.Kind.values}
    libraries = counts[Branch.Kind.PUBLIC_LIBRARY] + counts[Branch.Kind.CITY_LIBRARY]
    before = (Branch.objects.count(), StaffMember.objects.count(), Assignment.objects.count())

    demo.run(stdout=io.StringIO())

    assert (Branch.objects.count(), StaffMember.objects.count(), Assignment.objects.count()) == before
    assert libraries >= 36 and counts[Branch.Kind.READING_HOUSE] >= 117 and counts[Branch.Kind.MOBILE_UNIT] >= 4
    assert Branch.objects.count() >= 153
    assert set(Branch.objects.values_list("district", flat=True)) == set(District.objects.values_list("pk", flat=True))
    assert not Branch.objects.filter(kind=Branch.Kind.READING_HOUSE, parent__isnull=True).exists()
    assert all("(ข้อมูลสาธิต)" in name for name in Branch.objects.values_list("name_th", flat=True))
    assert not Branch.objects.filter(is_demo=False).exists()
    assert 280 <= StaffMember.objects.filter(is_demo=True).count() <= 340
    assert not StaffMember.objects.filter(user__isnull=True).exists()
    assert not StaffMember.objects.exclude(assignments__kind=Assignment.Kind.PRIMARY).exists()
    chart = queries.org_chart(timezone.localdate())
    assert [n.unit.name_th for n in chart] == ["ส่วนห้องสมุดและการเรียนรู้"]
    assert [n.unit.name_th for n in chart[0].children] == [
        "กลุ่มงานบริหารแหล่งเรียนรู้", "กลุ่มงานห้องสมุดและการเรียนรู้ 1", "กลุ่มงานห้องสมุดและการเรียนรู้ 2"]
    assert sum(len(n.branches) for _d, n in chart[0].walk()) == Branch.objects.count()
    city = Branch.objects.get(code=demo.CITY_LIBRARY)
    assert city.name_th.startswith("หอสมุดเมืองกรุงเทพมหานคร")
    hours = sorted(city.opening_periods.values_list("weekday", "opens_at", "closes_at"))
    assert [h[0] for h in hours] == [1, 2, 3, 4, 5, 6]  # closed Mondays
    assert str(hours[-1][2]) == "20:00:00" and str(hours[0][2]) == "20:30:00"

    # Work to show: stale branches, an understaffed week, log-ins that work.
    today = timezone.localdate()

    assert 3 <= queries.stale_branches(today=today).count() <= 20
    report = queries.coverage(today, today + timedelta(days=13))
    assert report.shortages and report.proposals
    for login in demo.LOGINS:
        assert authenticate(username=login["username"], password=login["password"]) is not None, login["username"]

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "librarian" in out.getvalue() and "demo-librarian-2568" in out.getvalue()
