"""Dashboard figures: trees planted, audits completed and works inspected per branch and day."""
from datetime import date

from bkklib.facilities import indicators, services
from bkklib.facilities.models import Work

from .factories import TreeSiteFactory, species


def test_trees_planted_are_summed_per_branch_by_the_day_planted(site):
    tree_site = TreeSiteFactory(branch=site.branch)
    for planned, planted in ((10, 8), (5, 5)):
        planting = services.plan_planting(site=tree_site, species=species(), planned=planned, by=site.librarian)
        services.record_planting(planting=planting, planted=planted, planted_on=date(2025, 6, 1), by=site.librarian)
    assert [(f.value, f.branch_id) for f in indicators.trees_planted(date(2025, 6, 1))] == [(13, site.branch.pk)]
    assert indicators.trees_planted(date(2025, 6, 2)) == []


def test_works_inspected_count_on_their_inspection_day(site):
    Work.objects.create(branch=site.branch, title="ทางลาด", status="inspected", fiscal_year=2568, budget=1000,
                        completed_on=date(2025, 6, 1), inspected_on=date(2025, 6, 3))
    assert [(f.value, f.branch_id) for f in indicators.works_inspected(date(2025, 6, 3))] == [(1, site.branch.pk)]
