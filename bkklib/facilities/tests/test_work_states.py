"""Improvement works move proposed → approved → budgeted → procured → in progress → completed → inspected."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.facilities import rules, services
from bkklib.facilities.exceptions import WorkTransitionRefused
from bkklib.facilities.models import Work
from bkklib.network.tests.factories import staff_user

TODAY = date(2025, 6, 30)
STEPS = [("approved", {}), ("budgeted", {"fiscal_year": 2568, "budget": Decimal("250000")}),
         ("procured", {"contractor": "บริษัท ตัวอย่างก่อสร้าง จำกัด", "contract_no": "สนพ. 12/2568"}),
         ("in_progress", {"starts_on": date(2025, 5, 1)}), ("completed", {"completed_on": date(2025, 6, 20)}),
         ("inspected", {"inspected_on": date(2025, 6, 25)})]


def test_next_states_follow_the_flow_and_cancel_only_before_work_starts():
    assert rules.next_states("proposed") == ["approved", "cancelled"]
    assert rules.next_states("procured") == ["in_progress", "cancelled"]
    assert rules.next_states("in_progress") == ["completed"]
    assert rules.next_states("inspected") == [] and rules.next_states("cancelled") == []


def test_a_work_goes_through_every_state_with_what_each_needs(site):
    work = services.propose_work(branch=site.branch, building=site.building, title="ทางลาดหน้าอาคาร",
                                 by=site.librarian)
    for to, extra in STEPS:
        work = services.advance_work(work=work, to=to, by=site.admin, today=TODAY, **extra)
        assert work.status == to
    work.refresh_from_db()
    assert (work.fiscal_year, work.budget, work.contract_no) == (2568, Decimal("250000.00"), "สนพ. 12/2568")
    assert work.history.count() == len(STEPS) + 1


def test_a_step_cannot_be_skipped_and_the_refusal_names_both_states(site):
    work = services.propose_work(branch=site.branch, title="ราวจับห้องน้ำ", by=site.librarian)
    with pytest.raises(WorkTransitionRefused) as refused:
        services.advance_work(work=work, to="procured", by=site.admin, contractor="ร้านวัสดุ")
    assert refused.value.code == "not_next"
    work.refresh_from_db()
    assert work.status == "proposed"


def test_budgeting_needs_a_fiscal_year_and_an_amount(site):
    work = services.propose_work(branch=site.branch, title="ป้ายสัญลักษณ์คนพิการ", by=site.librarian)
    services.advance_work(work=work, to="approved", by=site.admin)
    with pytest.raises(WorkTransitionRefused) as refused:
        services.advance_work(work=work, to="budgeted", by=site.admin, fiscal_year=2569)
    assert refused.value.code == "missing"


def test_completion_before_the_start_or_in_the_future_is_refused(site):
    work = services.propose_work(branch=site.branch, title="ห้องน้ำคนพิการ", by=site.librarian)
    for to, extra in STEPS[:4]:
        services.advance_work(work=work, to=to, by=site.admin, today=TODAY, **extra)
    with pytest.raises(WorkTransitionRefused) as early:
        services.advance_work(work=work, to="completed", by=site.admin, today=TODAY, completed_on=date(2025, 4, 1))
    with pytest.raises(WorkTransitionRefused) as future:
        services.advance_work(work=work, to="completed", by=site.admin, today=TODAY, completed_on=date(2025, 7, 9))
    assert (early.value.code, future.value.code) == ("before_start", "future")


def test_a_branch_librarian_proposes_but_does_not_approve(site):
    work = services.propose_work(branch=site.branch, title="ทางเดินกันลื่น", by=site.librarian)
    with pytest.raises(NotPermitted):
        services.advance_work(work=work, to="approved", by=site.librarian)
    staff_elsewhere = staff_user(roles.BRANCH_LIBRARIAN, site.other_branch)
    with pytest.raises(NotPermitted):
        services.propose_work(branch=site.branch, title="อื่น ๆ", by=staff_elsewhere)


def test_the_database_refuses_a_budgeted_work_without_an_amount(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(branch=site.branch, title="งบไม่ครบ", status="budgeted", fiscal_year=2568)


def test_the_database_refuses_an_inspection_before_completion(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(branch=site.branch, title="ตรวจก่อนเสร็จ", status="inspected", fiscal_year=2568,
                            budget=1000, completed_on=date(2025, 6, 2), inspected_on=date(2025, 6, 1))
