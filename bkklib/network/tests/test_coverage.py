"""Staff coverage: understaffed branch-days of a week, proposals, and accepting them."""
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bkklib.core import roles
from bkklib.network import queries, rules, services
from bkklib.network.exceptions import SecondmentRefused
from bkklib.network.models import Assignment, StaffingLevel

from .factories import BranchFactory, StaffMemberFactory, staff_user

TUESDAY = date(2025, 6, 10)  # a week without public holidays (none are loaded in these tests anyway)
SUNDAY = TUESDAY + timedelta(days=5)
TUE_TO_SUN = [(d, time(9), time(17)) for d in range(1, 7)]


def staff_at(branch, count, *, starts_on=date(2024, 1, 1)):
    members = []
    for _n in range(count):
        member = StaffMemberFactory()
        Assignment.objects.create(staff=member, branch=branch, starts_on=starts_on)
        members.append(member)
    return members


def minimum(branch, need, weekdays=(0, 1, 2, 3, 4, 5, 6)):
    for day in weekdays:
        StaffingLevel.objects.create(branch=branch, weekday=day, minimum_staff=need)


@pytest.fixture
def week():
    """Short: 2 staff, needs 3 (Tue–Sun). Rich: 5 staff, needs 3. Tight: 3 staff, needs 3."""
    short = BranchFactory(code="short", hours=TUE_TO_SUN)
    rich = BranchFactory(code="rich", hours=TUE_TO_SUN)
    tight = BranchFactory(code="tight", hours=TUE_TO_SUN)
    for branch, people in ((short, 2), (rich, 5), (tight, 3)):
        staff_at(branch, people)
        minimum(branch, 3)
    # One of the short branch's people is also away on Thursday and Friday (a course elsewhere).
    away = Assignment.objects.filter(branch=short).first()
    Assignment.objects.create(staff=away.staff, branch=tight, kind=Assignment.Kind.SECONDMENT,
                              starts_on=TUESDAY + timedelta(days=2), ends_on=TUESDAY + timedelta(days=3))
    return {"short": short, "rich": rich, "tight": tight}


@pytest.mark.django_db
def test_coverage_finds_the_understaffed_days_of_the_week(week):
    report = queries.coverage(TUESDAY - timedelta(days=1), SUNDAY)
    short = week["short"].pk

    found = {(s.branch, s.day): (s.have, s.need) for s in report.shortages}

    # Monday is closed (no requirement); Tue–Sun short by one, Thu–Fri by two.
    assert set(found) == {(short, TUESDAY + timedelta(days=n)) for n in range(6)}
    assert found[(short, TUESDAY)] == (2, 3)
    assert found[(short, TUESDAY + timedelta(days=2))] == (1, 3)


@pytest.mark.django_db
def test_accepting_the_proposals_fixes_the_week_without_leaving_a_lender_short(week):
    admin = staff_user(roles.NETWORK_ADMIN, username="planner")
    report = queries.coverage(TUESDAY, SUNDAY)

    assert report.proposals and not report.unresolved
    assert {p.from_branch for p in report.proposals} == {week["rich"].pk}  # tight has nobody to spare
    for p in report.proposals:
        services.second_staff(staff=Assignment.objects.get(staff_id=p.staff, kind="primary").staff,
                              from_branch=week["rich"], to_branch=week["short"], starts_on=p.starts_on,
                              ends_on=p.ends_on, by=admin)

    after = queries.coverage(TUESDAY, SUNDAY)
    assert after.shortages == []
    roster = queries.roster(TUESDAY, SUNDAY)
    for day in roster.days:
        assert roster.count(week["rich"].pk, day) >= 3
        assert roster.count(week["tight"].pk, day) >= 3


@pytest.mark.django_db
def test_a_secondment_that_would_leave_the_home_branch_short_is_refused(week):
    admin = staff_user(roles.NETWORK_ADMIN, username="planner")
    tight_person = Assignment.objects.filter(branch=week["tight"], kind="primary").first().staff

    with pytest.raises(SecondmentRefused) as info:
        services.second_staff(staff=tight_person, from_branch=week["tight"], to_branch=week["short"],
                              starts_on=TUESDAY, ends_on=TUESDAY, by=admin)

    assert info.value.code == rules.LENDING_BRANCH_SHORT
    assert not Assignment.objects.filter(kind="secondment", branch=week["short"]).exists()


@pytest.mark.django_db
def test_a_lender_closed_that_day_may_lend_anyone(week):
    admin = staff_user(roles.NETWORK_ADMIN, username="planner")
    tight_person = Assignment.objects.filter(branch=week["tight"], kind="primary").first().staff
    monday = TUESDAY - timedelta(days=1)  # tight is closed on Mondays: no minimum to keep

    assignment = services.second_staff(staff=tight_person, from_branch=week["tight"], to_branch=week["short"],
                                       starts_on=monday, ends_on=monday, by=admin)

    assert assignment.kind == Assignment.Kind.SECONDMENT


@pytest.mark.django_db
def test_the_coverage_page_lists_shortages_and_accepts_a_proposal(client, week):
    admin = staff_user(roles.NETWORK_ADMIN, username="planner")
    client.force_login(admin)

    page = client.get(f"/staff/network/coverage/?start={TUESDAY}&end={SUNDAY}")
    proposal = page.context["proposals"][0]["p"]
    accepted = client.post("/staff/network/coverage/accept/", {
        "staff": proposal.staff, "from_branch": proposal.from_branch, "to_branch": proposal.to_branch,
        "starts_on": proposal.starts_on, "ends_on": proposal.ends_on}, HTTP_HX_REQUEST="true")

    assert accepted.status_code == 200 and "อนุมัติแล้ว" in accepted.content.decode()
    assert Assignment.objects.filter(kind="secondment", branch=week["short"], staff_id=proposal.staff).exists()


@pytest.mark.django_db
def test_api_coverage_and_second_staff(week):
    from rest_framework.test import APIClient

    admin = staff_user(roles.NETWORK_ADMIN, username="planner")
    client = APIClient()
    client.force_authenticate(admin)
    body = client.get(f"/api/v1/network/coverage/?start={TUESDAY}&end={SUNDAY}").json()
    assert {s["branch"] for s in body["shortages"]} == {"short"}
    p = body["proposals"][0]
    created = client.post("/api/v1/network/second-staff/", p, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "secondment"
    tight_person = Assignment.objects.filter(branch=week["tight"], kind="primary").first().staff
    refused = client.post("/api/v1/network/second-staff/", {
        "staff": tight_person.pk, "from_branch": "tight", "to_branch": "short",
        "starts_on": str(TUESDAY), "ends_on": str(TUESDAY)}, format="json")
    assert refused.status_code == 422 and refused.json()["code"] == rules.LENDING_BRANCH_SHORT


# --- The pure planner, property-tested ---------------------------------------------------------------


@st.composite
def rosters(draw):
    days = [date(2025, 6, 2) + timedelta(days=n) for n in range(draw(st.integers(1, 7)))]
    branches = list(range(1, draw(st.integers(2, 5)) + 1))
    people = {}
    next_id = 1
    for branch in branches:
        for _n in range(draw(st.integers(0, 5))):
            people[next_id] = branch
            next_id += 1
    working = {d: {b: {s for s, home in people.items() if home == b} for b in branches} for d in days}
    minimum = {}
    for b in branches:
        for d in days:
            if draw(st.booleans()):
                minimum[(b, d)] = draw(st.integers(1, 4))
    return rules.Roster(days=days, working=working, minimum=minimum, home=dict(people))


@settings(max_examples=150, deadline=None)
@given(roster=rosters())
def test_proposals_never_push_a_lender_below_its_minimum_and_fix_what_they_say(roster):
    proposals, unresolved = rules.propose_secondments(roster)
    plan = roster.copy()
    lent = set()
    for p in proposals:
        assert p.staff not in lent  # nobody is lent twice
        lent.add(p.staff)
        assert rules.secondment_refusal(plan, staff=p.staff, from_branch=p.from_branch, to_branch=p.to_branch,
                                        starts_on=p.starts_on, ends_on=p.ends_on) is None
        rules.apply_proposal(plan, p)
    # No branch that met its minimum before is below it after.
    for (branch, day), need in roster.minimum.items():
        if roster.count(branch, day) >= need:
            assert plan.count(branch, day) >= need
    # What is left short is exactly what the planner reports as unresolved.
    assert {(s.branch, s.day) for s in rules.shortages(plan)} == {(s.branch, s.day) for s in unresolved}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_planners_cannot_both_take_a_branchs_last_spare_person(reference_data):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrency test for PostgreSQL")
    short = BranchFactory(code="short", hours=TUE_TO_SUN)
    rich = BranchFactory(code="rich", hours=TUE_TO_SUN)
    people = staff_at(rich, 4)  # minimum 3: exactly one to spare
    staff_at(short, 1)
    minimum(rich, 3)
    minimum(short, 3)
    admin = staff_user(roles.NETWORK_ADMIN, username="planner")
    barrier = threading.Barrier(2)
    outcomes = []

    def second(member):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            services.second_staff(staff=member, from_branch=rich, to_branch=short, starts_on=TUESDAY,
                                  ends_on=TUESDAY, by=admin)
            outcomes.append("created")
        except SecondmentRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=second, args=(m,)) for m in people[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["created", rules.LENDING_BRANCH_SHORT]
    assert queries.roster(TUESDAY, TUESDAY).count(rich.pk, TUESDAY) == 3
