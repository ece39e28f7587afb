"""Branch scoping from dated assignments (network/access.py)."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network import access
from bkklib.network.models import Assignment, Branch

from .factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db


def test_a_branch_librarian_acts_only_at_assigned_branches():
    mine, other = BranchFactory(), BranchFactory()
    user = staff_user(roles.BRANCH_LIBRARIAN, mine)

    assert list(access.branches_for(user, "network.change_branch")) == [mine]
    access.require(user, "network.change_branch", at=mine)
    with pytest.raises(NotPermitted):
        access.require(user, "network.change_branch", at=other)


def test_a_network_admin_acts_everywhere():
    a, b = BranchFactory(), BranchFactory()
    user = staff_user(roles.NETWORK_ADMIN)
    assert set(access.branches_for(user, "network.change_branch")) >= {a, b}


def test_a_secondment_counts_only_between_its_dates():
    home, away = BranchFactory(), BranchFactory()
    user = staff_user(roles.BRANCH_STAFF, home)
    today = timezone.localdate()
    Assignment.objects.create(staff=user.staff_member, branch=away, kind=Assignment.Kind.SECONDMENT,
                              starts_on=today + timedelta(days=7), ends_on=today + timedelta(days=13))
    assert away not in access.branches_for(user)
    assert away in access.branches_for(user, on=today + timedelta(days=7))
    assert away not in access.branches_for(user, on=today + timedelta(days=14))


def test_a_permission_the_role_lacks_gives_no_branch():
    branch = BranchFactory()
    user = staff_user(roles.VOLUNTEER, branch)
    assert not access.branches_for(user, "network.change_branch").exists()


def test_scope_filters_a_queryset_to_the_users_branches():
    mine, other = BranchFactory(), BranchFactory()
    user = staff_user(roles.BRANCH_LIBRARIAN, mine, starts_on=date(2020, 1, 1))
    scoped = access.scope(Branch.objects.all(), user, "network.view_branch", field="pk")
    assert list(scoped) == [mine] and other not in scoped
