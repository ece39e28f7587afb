"""Hand counts of the facilities indicators across the fiscal-year boundary in Bangkok time (handcount.py)."""
from datetime import date

import pytest

from bkklib.facilities.models import Audit, Checklist, Planting, Work
from bkklib.facilities.tests.factories import BuildingFactory, TreeSiteFactory, species

from .handcount import AFTER, BEFORE, FY69, FY70, OCT, OCT1, SEP, SEP30, at, check, rebuild_agrees, run_nights, two_branches

pytestmark = pytest.mark.django_db


def test_trees_audits_and_works_equal_the_hand_count():
    two = two_branches()
    site_a, site_b = TreeSiteFactory(branch=two.a), TreeSiteFactory(branch=two.b)
    for site, planted, on in ((site_a, 8, SEP30), (site_a, 5, OCT1), (site_a, 2, OCT1), (site_b, 7, OCT1),
                              (site_b, 0, None),  # planned, not planted yet
                              (site_a, 40, BEFORE), (site_b, 40, AFTER)):  # outside the period
        Planting.objects.create(site=site, species=species(), planned=10, planted=planted, planted_on=on)

    checklist = Checklist.objects.get(version="2548-2564-r1")
    building_a, building_b = BuildingFactory(branch=two.a), BuildingFactory(branch=two.b)
    for building, status, completed in (
            (building_a, "completed", at(2026, 9, 30, 23, 59)),  # Sep, FY 2569
            (building_a, "completed", at(2026, 10, 1, 0, 0)),  # 17:00 UTC on 30 Sep: Oct, FY 2570
            (building_b, "completed", at(2026, 10, 1, 15)),
            (building_b, "draft", None),  # still being filled in
            (building_a, "completed", at(2026, 10, 2, 0, 0))):  # outside the period
        Audit.objects.create(building=building, branch=building.branch, checklist=checklist, status=status,
                             audited_on=date(2026, 9, 15), completed_at=completed)

    for branch, status, inspected in ((two.a, "inspected", SEP30), (two.b, "inspected", OCT1),
                                      (two.b, "inspected", OCT1), (two.a, "completed", None),  # not inspected
                                      (two.a, "inspected", AFTER)):  # outside the period
        Work.objects.create(branch=branch, title="ทางลาดผู้พิการ", status=status, fiscal_year=2569, budget=1000,
                            completed_on=date(2026, 9, 1), inspected_on=inspected)
    run_nights()

    a, b = two.a.pk, two.b.pk
    # trees: A 8 on 30 Sep; A 5 + 2 and B 7 on 1 Oct
    check("facilities.trees_planted", days={(SEP30, a, ""): 8, (OCT1, a, ""): 7, (OCT1, b, ""): 7},
          months={(SEP, FY69, a, ""): 8, (OCT, FY70, a, ""): 7, (OCT, FY70, b, ""): 7})
    check("facilities.ud_audits_completed", days={(SEP30, a, ""): 1, (OCT1, a, ""): 1, (OCT1, b, ""): 1},
          months={(SEP, FY69, a, ""): 1, (OCT, FY70, a, ""): 1, (OCT, FY70, b, ""): 1})
    check("facilities.works_inspected", days={(SEP30, a, ""): 1, (OCT1, b, ""): 2},
          months={(SEP, FY69, a, ""): 1, (OCT, FY70, b, ""): 2})
    rebuild_agrees(["facilities.trees_planted", "facilities.ud_audits_completed", "facilities.works_inspected"])
