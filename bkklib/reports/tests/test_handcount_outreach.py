"""Hand counts of the outreach indicators across the fiscal-year boundary in Bangkok time (handcount.py)."""
from datetime import time, timedelta

import pytest

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation.models import Loan
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory
from bkklib.outreach.models import Trip, VisitRecord
from bkklib.outreach.tests.factories import StopFactory, VehicleFactory

from .handcount import AFTER, BEFORE, FY69, FY70, OCT, OCT1, SEP, SEP30, at, check, rebuild_agrees, run_nights, two_branches

pytestmark = pytest.mark.django_db


def test_visits_people_served_loans_and_cancelled_trips_equal_the_hand_count():
    two = two_branches(a=Branch.Kind.MOBILE_UNIT, b=Branch.Kind.READING_HOUSE)
    unit, house = two.a, two.b
    library = BranchFactory(kind=Branch.Kind.PUBLIC_LIBRARY)  # its loans are not outreach
    stop = StopFactory(route__vehicle=VehicleFactory(unit=unit))
    other_stop = StopFactory(route=stop.route)

    def visit(branch, day, stop=None, **people):
        VisitRecord.objects.create(branch=branch, stop=stop, day=day, **people)

    visit(unit, SEP30, stop, children=10, adults=2)
    visit(unit, OCT1, stop, children=5, youth=1)
    visit(unit, OCT1, other_stop, elderly=4)
    visit(house, OCT1, children=3, adults=3)
    visit(house, BEFORE, children=50)  # outside the period
    visit(unit, AFTER, stop, adults=50)  # outside the period

    def trip(stop, planned_on, status):
        Trip.objects.create(stop=stop, planned_on=planned_on, visit_on=None if status == "cancelled" else planned_on,
                            arrives_at=time(9), departs_at=time(11), status=status)

    trip(stop, SEP30, "cancelled")
    trip(other_stop, SEP30, "done")  # held: not cancelled
    trip(stop, OCT1, "cancelled")
    trip(other_stop, OCT1, "cancelled")
    trip(stop, AFTER, "cancelled")  # outside the period

    patron = PatronFactory()

    def lend(branch, when):
        item = ItemFactory(branch=branch)
        Loan.objects.create(item=item, patron=patron, branch=branch, item_type=item.item_type,
                            patron_category=patron.category, due_on=(when + timedelta(days=14)).date(),
                            checked_out_at=when)

    lend(unit, at(2026, 9, 30, 23, 59))  # Sep, FY 2569
    lend(house, at(2026, 10, 1, 0, 0))  # 17:00 UTC on 30 Sep: Oct, FY 2570
    lend(house, at(2026, 10, 1, 18))
    lend(library, at(2026, 10, 1, 12))  # a public library: not counted here
    lend(unit, at(2026, 10, 2, 0, 0))  # outside the period
    run_nights()

    u, h = unit.pk, house.pk
    # one visit record at the unit on 30 Sep; on 1 Oct two stops of the unit and one day at the house
    check("outreach.visits", days={(SEP30, u, ""): 1, (OCT1, u, ""): 2, (OCT1, h, ""): 1},
          months={(SEP, FY69, u, ""): 1, (OCT, FY70, u, ""): 2, (OCT, FY70, h, ""): 1})
    g = "age_group="
    # unit 30 Sep: 10 children, 2 adults; unit 1 Oct: 5 children, 1 youth, 4 elderly; house 1 Oct: 3 + 3
    check("outreach.people_served",
          days={(SEP30, u, g + "children"): 10, (SEP30, u, g + "adults"): 2, (OCT1, u, g + "children"): 5,
                (OCT1, u, g + "youth"): 1, (OCT1, u, g + "elderly"): 4, (OCT1, h, g + "children"): 3,
                (OCT1, h, g + "adults"): 3},
          months={(SEP, FY69, u, g + "children"): 10, (SEP, FY69, u, g + "adults"): 2, (OCT, FY70, u, g + "children"): 5,
                  (OCT, FY70, u, g + "youth"): 1, (OCT, FY70, u, g + "elderly"): 4, (OCT, FY70, h, g + "children"): 3,
                  (OCT, FY70, h, g + "adults"): 3})
    check("outreach.loans", days={(SEP30, u, ""): 1, (OCT1, h, ""): 2},
          months={(SEP, FY69, u, ""): 1, (OCT, FY70, h, ""): 2})
    # cancelled trips belong to the vehicle's unit: one on 30 Sep, two on 1 Oct
    check("outreach.trips_cancelled", days={(SEP30, u, ""): 1, (OCT1, u, ""): 2},
          months={(SEP, FY69, u, ""): 1, (OCT, FY70, u, ""): 2})
    rebuild_agrees(["outreach.visits", "outreach.people_served", "outreach.loans", "outreach.trips_cancelled"])
