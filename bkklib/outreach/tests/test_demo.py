"""The demo data: 4 vehicles, 40 stops with trips and visits, deposits at reading houses, volunteers; idempotent."""
from io import StringIO

import pytest

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory
from bkklib.outreach import demo
from bkklib.outreach.models import DepositCollection, Stop, Trip, Vehicle, VisitRecord, VolunteerAccount

pytestmark = pytest.mark.django_db


def test_demo_makes_vehicles_stops_trips_deposits_and_volunteers_once():
    library = BranchFactory(is_demo=True)
    units = [BranchFactory(is_demo=True, kind=Branch.Kind.MOBILE_UNIT) for _ in range(4)]
    houses = [BranchFactory(is_demo=True, kind=Branch.Kind.READING_HOUSE, parent=library) for _ in range(3)]
    for _ in range(30):
        Item.objects.filter(pk=ItemFactory(branch=library).pk).update(is_demo=True)
    out = StringIO()
    demo.run(stdout=out)
    assert Vehicle.objects.count() == 4 and {v.unit for v in Vehicle.objects.all()} == set(units)
    assert Stop.objects.count() == 40 and all("(ข้อมูลสาธิต)" in s.name_th for s in Stop.objects.all())
    assert Trip.objects.filter(status="scheduled").exists() and VisitRecord.objects.exists()
    assert DepositCollection.objects.filter(reading_house__in=houses).count() == 3
    assert Item.objects.filter(branch__in=houses).exists()
    assert VolunteerAccount.objects.count() == 3
    # Every third stop of a route takes reservations, and readers are offered them.
    from bkklib.circulation.services import holds

    assert Stop.objects.filter(is_pickup_point=True).count() == 16
    assert len(holds.pickup_places()) == 16
    stops = Stop.objects.count()
    demo.run(stdout=out)
    assert Stop.objects.count() == stops and "already there" in out.getvalue()
