"""Database constraints behind the "impossible" cases, on both databases."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bkklib.spaces.models import Booking, SpaceRule

from .conftest import at


@pytest.mark.parametrize("fields", [
    {"ends_at": at(3, 9)},  # ends before it starts
    {"people": 0},
    {"patron": None},  # only a block has no patron
    {"status": Booking.Status.CHECKED_IN},  # checked in without a time
])
def test_booking_constraints_refuse_impossible_rows(site, fields):
    values = {"space": site.desk, "branch": site.branch, "patron": site.patron, "starts_at": at(3, 10),
              "ends_at": at(3, 11), "created_at": timezone.now(), **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**values)


def test_one_rule_per_branch_and_kind_and_one_network_default(site):
    SpaceRule.objects.create(branch=site.branch, kind="desk")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceRule.objects.create(branch=site.branch, kind="desk")
    SpaceRule.objects.create(kind="")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceRule.objects.create(kind="")


def test_the_weekly_limit_cannot_be_below_the_daily_one(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceRule.objects.create(kind="desk", max_hours_per_day=5, max_hours_per_week=4)


def test_a_block_needs_no_patron(site):
    block = Booking.objects.create(space=site.desk, branch=site.branch, kind=Booking.Kind.BLOCK, reason="ซ่อม",
                                   starts_at=at(3, 10), ends_at=at(3, 10) + timedelta(hours=2),
                                   created_at=timezone.now())
    assert block.patron is None
