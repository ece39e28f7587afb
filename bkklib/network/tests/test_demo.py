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


def test_the_demo_network_is_complete_labelled_and_idempotent():
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
    city = Branch.objects.get(code=demo.CITY_LIBRARY)
    assert city.name_th.startswith("หอสมุดเมืองกรุงเทพมหานคร")
    hours = sorted(city.opening_periods.values_list("weekday", "opens_at", "closes_at"))
    assert [h[0] for h in hours] == [1, 2, 3, 4, 5, 6]  # closed Mondays
    assert str(hours[-1][2]) == "20:00:00" and str(hours[0][2]) == "20:30:00"


def test_the_demo_has_stale_branches_an_understaffed_week_and_working_logins():
    demo.run(stdout=io.StringIO())
    today = timezone.localdate()

    assert 3 <= queries.stale_branches(today=today).count() <= 20
    report = queries.coverage(today, today + timedelta(days=13))
    assert report.shortages and report.proposals
    for login in demo.LOGINS:
        assert authenticate(username=login["username"], password=login["password"]) is not None, login["username"]

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "librarian" in out.getvalue() and "demo-librarian-2568" in out.getvalue()
