"""Staleness of a branch's basic data: never verified, verified too long ago, or edited since."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bkklib.core import roles
from bkklib.network import queries, rules, services
from bkklib.network.models import Branch

from .factories import BranchFactory, staff_user

BKK = ZoneInfo("Asia/Bangkok")
TODAY = date(2025, 6, 3)


def test_never_verified_is_stale():
    assert rules.staleness(verified_on=None, changed_since_verified=False, today=TODAY, stale_after_days=90) \
        == rules.NEVER_VERIFIED


def test_verified_exactly_the_limit_ago_is_still_fresh_and_a_day_more_is_stale():
    fresh = rules.staleness(verified_on=TODAY - timedelta(days=90), changed_since_verified=False, today=TODAY,
                            stale_after_days=90)
    stale = rules.staleness(verified_on=TODAY - timedelta(days=91), changed_since_verified=False, today=TODAY,
                            stale_after_days=90)
    assert fresh is None and stale == rules.VERIFICATION_EXPIRED


def test_an_edit_after_verification_makes_it_stale_at_once():
    assert rules.staleness(verified_on=TODAY, changed_since_verified=True, today=TODAY, stale_after_days=90) \
        == rules.CHANGED_SINCE_VERIFIED


@given(age=st.integers(0, 400), changed=st.booleans(), limit=st.integers(1, 365))
def test_stale_exactly_when_changed_or_older_than_the_limit(age, changed, limit):
    stale = rules.is_stale(verified_on=TODAY - timedelta(days=age), changed_since_verified=changed, today=TODAY,
                           stale_after_days=limit)
    assert stale == (changed or age > limit)


@pytest.mark.django_db
def test_the_query_agrees_with_the_rule_on_every_case(settings):
    settings.BKKLIB = {**settings.BKKLIB, "STALE_AFTER_DAYS": 30}
    now = datetime(2025, 6, 3, 10, 0, tzinfo=BKK)
    cases = {
        "never": {"verified_at": None},
        "edge": {"verified_at": datetime(2025, 5, 4, 0, 0, tzinfo=BKK)},  # 30 days: fresh
        "late": {"verified_at": datetime(2025, 5, 3, 23, 59, tzinfo=BKK)},  # 31 days: stale
        "edited": {"verified_at": now, "changed_since_verified": True},
        "fresh": {"verified_at": now - timedelta(days=2)},
    }
    for code, fields in cases.items():
        BranchFactory(code=code, **fields)
    today = timezone.localdate(now)

    by_query = set(queries.stale_branches(today=today).values_list("code", flat=True))
    by_rule = {b.code for b in Branch.objects.all() if queries.staleness_of(b, today)}

    assert by_query == by_rule == {"never", "late", "edited"}


@pytest.mark.django_db
def test_editing_without_verifying_marks_changed_and_confirming_clears_it():
    branch = BranchFactory(verified_at=timezone.now() - timedelta(days=1))
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch)
    assert queries.staleness_of(branch) is None

    services.update_branch(branch=branch, by=librarian, changes={"phone": "02 123 4567"})
    branch.refresh_from_db()
    assert branch.changed_since_verified and queries.staleness_of(branch) == rules.CHANGED_SINCE_VERIFIED

    services.confirm_branch(branch=branch, by=librarian)
    branch.refresh_from_db()
    assert not branch.changed_since_verified and branch.verified_by == librarian
    assert timezone.localdate(branch.verified_at) == timezone.localdate()
    assert queries.staleness_of(branch) is None


@pytest.mark.django_db
def test_editing_and_verifying_in_one_go_leaves_it_fresh():
    branch = BranchFactory()
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch)

    services.update_branch(branch=branch, by=librarian, changes={"phone": "02 123 4567"}, verify=True)

    branch.refresh_from_db()
    assert branch.verified_at and not branch.changed_since_verified


@pytest.mark.django_db
def test_saving_unchanged_data_does_not_mark_it_changed():
    branch = BranchFactory(verified_at=timezone.now())
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch)

    services.update_branch(branch=branch, by=librarian, changes={"name_th": branch.name_th})

    branch.refresh_from_db()
    assert not branch.changed_since_verified


@pytest.mark.django_db
def test_the_edit_is_in_the_history_with_its_author():
    branch = BranchFactory()
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch)

    services.update_branch(branch=branch, by=librarian, changes={"phone": "02 123 4567"})

    last = branch.history.order_by("-history_date").first()
    assert last.history_user == librarian and last.phone == "02 123 4567"


@pytest.mark.django_db
def test_the_freshness_page_groups_stale_branches_and_confirms_in_one_click(client):
    stale, fresh = BranchFactory(name_th="ห้องสมุดเก่า"), BranchFactory(name_th="ห้องสมุดใหม่",
                                                                         verified_at=timezone.now())
    librarian = staff_user(roles.BRANCH_LIBRARIAN, stale, fresh)
    client.force_login(librarian)

    page = client.get("/staff/network/freshness/").content.decode()
    assert "ห้องสมุดเก่า" in page and "ห้องสมุดใหม่" not in page and "ยังไม่เคยยืนยัน" in page

    row = client.post(f"/staff/network/branches/{stale.code}/verify/", HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "ยืนยันว่าถูกต้องแล้ววันนี้" in row.content.decode()
    stale.refresh_from_db()
    assert stale.verified_by == librarian
    assert "ห้องสมุดเก่า" not in client.get("/staff/network/freshness/").content.decode()
