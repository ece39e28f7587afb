"""One rule, every adapter: the staff form, the staff page, the API and the service give the same answer.

Each rule of the network app has one home (a rules/queries/access function); these tests drive
the same cases through every way in and check they agree with that home and with each other.
"""
from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network import access, forms, rules, services
from bkklib.network.models import Assignment, Branch, Closure, OrgVersion

from .factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db
START = date(2025, 6, 10)


@pytest.fixture
def planner():
    return staff_user(roles.NETWORK_ADMIN, username="planner")


def _clients(user):
    from django.test import Client

    web, api = Client(), APIClient()
    web.force_login(user)
    api.force_authenticate(user)
    return web, api


# --- Coverage range: at most 62 days, both ends counted -----------------------------------------------


@pytest.mark.parametrize("days, allowed", [(7, True), (61, True), (62, True), (63, False), (90, False)])
def test_the_coverage_range_gets_one_answer_from_form_page_and_api(planner, days, allowed):
    end = START + timedelta(days=days - 1)  # ``days`` days counting both ends
    web, api = _clients(planner)

    rule = rules.coverage_range_refusal(START, end) is None
    form = forms.CoverageForm({"start": START, "end": end}).is_valid()
    page = web.get(f"/staff/network/coverage/?start={START}&end={end}")
    page_ok = page.context["report"] is not None
    response = api.get(f"/api/v1/network/coverage/?start={START}&end={end}")

    assert rule == form == page_ok == (response.status_code == 200) == allowed
    if not allowed:
        assert "62" in page.content.decode() and "62" in response.content.decode()


def test_a_reversed_coverage_range_is_refused_everywhere(planner):
    web, api = _clients(planner)
    end = START - timedelta(days=1)
    assert rules.coverage_range_refusal(START, end) == rules.COVERAGE_RANGE_REVERSED
    assert not forms.CoverageForm({"start": START, "end": end}).is_valid()
    assert web.get(f"/staff/network/coverage/?start={START}&end={end}").context["report"] is None
    assert api.get(f"/api/v1/network/coverage/?start={START}&end={end}").status_code == 400


# --- Closure validity -------------------------------------------------------------------------------


@pytest.mark.parametrize("length, allowed", [(-1, False), (0, True), (3, True)])
def test_a_closure_range_gets_one_answer_from_form_page_api_and_model(planner, length, allowed):
    branch = BranchFactory(code="closing")
    web, api = _clients(planner)
    starts_on, ends_on = START, START + timedelta(days=length)
    fields = {"starts_on": starts_on, "ends_on": ends_on, "reason_th": "ซ่อมหลังคา"}

    rule = rules.closure_refusal(starts_on=starts_on, ends_on=ends_on) is None
    form = forms.ClosureForm(fields).is_valid()
    page = web.post("/staff/network/branches/closing/closures/add/", fields)
    by_page = Closure.objects.filter(branch=branch).count()
    response = api.post("/api/v1/closures/", {**fields, "branch": "closing"}, format="json")
    by_api = Closure.objects.filter(branch=branch).count() - by_page
    try:
        services.add_closure(branch=branch, by=planner, **fields)
        by_service = True
    except Exception:  # noqa: BLE001 - the model's ValidationError is the refusal looked for
        by_service = False

    assert rule == form == bool(by_page) == bool(by_api) == by_service == allowed
    assert (page.status_code == 302) == allowed and (response.status_code == 201) == allowed
    if not allowed:
        assert "วันสุดท้ายที่ปิดต้องไม่ก่อนวันแรกที่ปิด" in page.content.decode()
        assert response.status_code == 400 and "ends_on" in response.content.decode()


# --- Active assignments on a day --------------------------------------------------------------------


def test_scoping_and_the_assignment_queryset_agree_on_the_days_an_assignment_runs():
    branch = BranchFactory(code="posted")
    user = staff_user(roles.BRANCH_LIBRARIAN, username="temp")
    member = user.staff_member
    ends_on = START + timedelta(days=2)
    Assignment.objects.create(staff=member, branch=branch, starts_on=START, ends_on=ends_on)
    for day, expected in [(START - timedelta(days=1), False), (START, True), (ends_on, True),
                          (ends_on + timedelta(days=1), False)]:
        queryset = Assignment.objects.active_on(day).filter(staff=member).exists()
        scoped = access.assigned_branches(user, on=day).filter(pk=branch.pk).exists()
        in_range = Assignment.objects.active_between(day, day).filter(staff=member).exists()
        assert queryset == scoped == in_range == expected, day


# --- Who may restructure -----------------------------------------------------------------------------


def test_the_org_chart_offers_editing_exactly_to_those_the_service_lets_restructure(planner):
    OrgVersion.objects.create(name_th="โครงสร้างเดิม", effective_from=date(2024, 10, 1))
    librarian = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory(), username="lib")
    for user in (planner, librarian):
        web, _api = _clients(user)
        offered = web.get("/staff/network/structure/").context["can_edit"]
        try:
            services.draft_restructuring(name_th=f"ร่างของ {user.username}", by=user)
            allowed = True
        except NotPermitted:
            allowed = False
        assert offered == allowed == access.may_restructure(user)
    assert access.may_restructure(planner) and not access.may_restructure(librarian)


# --- Overlapping closures ---------------------------------------------------------------------------


def test_overlapping_closures_touch_the_range_on_either_end():
    branch, other = BranchFactory(code="one"), BranchFactory(code="two")
    before = Closure.objects.create(branch=branch, starts_on=START - timedelta(days=3), ends_on=START,
                                    reason_th="ก่อน")
    after = Closure.objects.create(branch=None, starts_on=START + timedelta(days=6), ends_on=START + timedelta(days=9),
                                   reason_th="หลัง")
    Closure.objects.create(branch=other, starts_on=START, ends_on=START, reason_th="ที่อื่น")
    Closure.objects.create(branch=branch, starts_on=START - timedelta(days=9), ends_on=START - timedelta(days=1),
                           reason_th="จบก่อน")
    found = set(Closure.objects.overlapping(START, START + timedelta(days=6), branches=branch))
    assert found == {before, after}
    assert set(Closure.objects.overlapping(START, START + timedelta(days=6), branches=[branch.pk])) == found
    assert Branch.objects.count() == 2
