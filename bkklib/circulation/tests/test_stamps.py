"""Per-process caches under change stamps (core/stamps.py): kept while nothing changes, never stale.

Here rather than in core because it checks the caches of network and circulation too.
"""
from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bkklib.circulation import queries as circulation_queries
from bkklib.circulation.models import LoanPolicy, PatronCategory
from bkklib.core import roles, stamps
from bkklib.network import access
from bkklib.network import queries as network_queries
from bkklib.network.models import Assignment, Closure, OpeningPeriod
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db

calls = []


@stamps.cached("test-topic")
def _answer(key):
    calls.append(key)
    return (key, len(calls))


def _another_process_changes(topic: str) -> None:
    """What a change committed by another process looks like here: only the stamp row differs."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_changestamp (topic, token) VALUES (%s, 'other') "
                       "ON CONFLICT (topic) DO UPDATE SET token = 'other-' || core_changestamp.token", [topic])


def test_an_answer_is_kept_until_its_topic_changes_here_or_in_another_process():
    calls.clear()
    first = _answer("a")
    assert _answer("a") == first and calls == ["a"]
    stamps.bump("test-topic")  # this process
    assert _answer("a") != first and calls == ["a", "a"]
    kept = _answer("a")
    _another_process_changes("test-topic")
    assert _answer("a") != kept and calls == ["a", "a", "a"]
    stamps.bump("other-topic")  # another topic leaves it alone
    assert _answer("a") == _answer("a") and calls == ["a", "a", "a"]


def test_within_a_request_the_stamps_are_read_once(client):
    user = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    client.force_login(user)
    client.get("/staff/")  # warm the process
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/")
    assert sum("core_changestamp" in q["sql"] for q in queries.captured_queries) <= 1


def test_a_permission_granted_or_revoked_shows_at_the_next_check():
    user = get_user_model().objects.create_user("perm-test", password="x-1234-pass")
    fresh = lambda: get_user_model().objects.get(pk=user.pk)  # noqa: E731 - a new request's user object
    assert not fresh().has_perm("circulation.add_loan")
    roles.sync_roles()
    user.groups.add(roles.group_for(roles.BRANCH_LIBRARIAN))
    assert fresh().has_perm("circulation.add_loan")
    user.groups.clear()
    assert not fresh().has_perm("circulation.add_loan")
    with CaptureQueriesContext(connection) as queries:
        fresh().has_perm("circulation.add_loan")
        fresh().has_perm("circulation.add_loan")
    assert sum("auth_permission" in q["sql"] for q in queries.captured_queries) == 0  # kept


def test_an_assignment_ended_or_added_shows_at_the_next_check():
    mine, other = BranchFactory(), BranchFactory()
    user = staff_user(roles.BRANCH_LIBRARIAN, mine)
    assert access.can_act_at(user, "circulation.add_loan", mine)
    assert not access.can_act_at(user, "circulation.add_loan", other)
    Assignment.objects.create(staff=user.staff_member, branch=other, starts_on=date(2000, 1, 1))
    assert access.can_act_at(user, "circulation.add_loan", other)
    Assignment.objects.filter(branch=mine).get().delete()
    assert not access.can_act_at(user, "circulation.add_loan", mine)


def test_a_new_closure_and_new_hours_show_at_once():
    branch = BranchFactory()
    today = timezone.localdate()
    days = [today + timedelta(days=k) for k in range(14)]
    assert network_queries.closed_days(branch, today, days[-1]) == set()
    Closure.objects.create(branch=branch, kind=Closure.Kind.BRANCH, starts_on=days[3], ends_on=days[4],
                           reason_th="ซ่อมบำรุง")
    assert network_queries.closed_days(branch, today, days[-1]) == {days[3], days[4]}
    assert 0 not in network_queries.open_weekdays(branch)
    OpeningPeriod.objects.create(branch=branch, weekday=0, opens_at=time(9), closes_at=time(12))
    assert 0 in network_queries.open_weekdays(branch)


def test_a_changed_loan_policy_applies_to_the_next_loan():
    adult = PatronCategory.objects.get(code="adult")
    branch = BranchFactory()
    before = circulation_queries.policy_for(branch=branch, category_id=adult.pk, item_type_id=None)
    row = LoanPolicy.objects.create(category=adult, branch=branch, item_type=None, loan_days=before.loan_days + 7)
    assert circulation_queries.policy_for(branch=branch, category_id=adult.pk, item_type_id=None).loan_days == (
        before.loan_days + 7)
    row.loan_days = 3
    row.save()
    assert circulation_queries.policy_for(branch=branch, category_id=adult.pk, item_type_id=None).loan_days == 3
    row.delete()
    assert circulation_queries.policy_for(branch=branch, category_id=adult.pk, item_type_id=None) == before
