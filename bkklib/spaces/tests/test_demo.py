"""The demo data: 12 co-working branches with spaces, rules, past use and upcoming bookings; idempotent."""
from io import StringIO

import pytest

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.network.models import Branch, Service
from bkklib.network.tests.factories import BranchFactory
from bkklib.spaces import demo
from bkklib.spaces.models import ACTIVE_STATUSES, Booking, Space, SpaceRule

pytestmark = pytest.mark.django_db


def test_demo_gives_twelve_branches_coworking_spaces_and_bookings_without_overlap():
    coworking = Service.objects.get(code="co-working")
    city = BranchFactory(is_demo=True, kind=Branch.Kind.CITY_LIBRARY)
    city.services.add(coworking)
    for _ in range(13):
        BranchFactory(is_demo=True)
    for _ in range(20):
        PatronFactory(is_demo=True, home_branch=city)
    out = StringIO()
    demo.run(stdout=out)
    branches = Branch.objects.filter(spaces__is_demo=True).distinct()
    assert branches.count() == 12 and city in branches
    assert Branch.objects.filter(services=coworking).count() == 12
    assert Space.objects.filter(branch=city, kind=Space.Kind.MAKERSPACE).exists()
    assert all("(ข้อมูลสาธิต)" in s.name_th for s in Space.objects.all())
    assert SpaceRule.objects.filter(branch=None, kind="activity_room", requires_approval=True).exists()
    bookings = list(Booking.objects.filter(status__in=ACTIVE_STATUSES).order_by("space_id", "starts_at"))
    assert bookings and Booking.objects.filter(status=Booking.Status.NO_SHOW).exists()
    for a, b in zip(bookings, bookings[1:], strict=False):
        assert a.space_id != b.space_id or a.ends_at <= b.starts_at
    count = Booking.objects.count()
    demo.run(stdout=out)
    assert Booking.objects.count() == count and "already there" in out.getvalue()
