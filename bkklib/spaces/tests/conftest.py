"""Fixtures of the spaces tests: a co-working branch (open Tue–Sun 09–17), its spaces, a patron, staff, clock times."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.spaces.models import Space

from .factories import SpaceFactory

BKK = ZoneInfo("Asia/Bangkok")
MON_9AM = datetime(2025, 6, 2, 9, 0, tzinfo=BKK)  # 2 มิ.ย. 2568, a Monday: the test branch is closed
TUE_8AM = datetime(2025, 6, 3, 8, 0, tzinfo=BKK)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return June ``day`` 2025 at ``hour``:``minute`` in Bangkok (3 June is a Tuesday)."""
    return datetime(2025, 6, day, hour, minute, tzinfo=BKK)


@dataclass
class Site:
    branch: Branch
    desk: Space
    room: Space
    patron: object
    staff: object


@pytest.fixture
def site(db):
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    desk = SpaceFactory(branch=branch, name_th="โต๊ะโคเวิร์กกิง 1")
    room = SpaceFactory(branch=branch, code="meeting", kind=Space.Kind.MEETING_ROOM, name_th="ห้องประชุมเล็ก",
                        capacity=6)
    return Site(branch=branch, desk=desk, room=room, patron=PatronFactory(home_branch=branch),
                staff=staff_user(roles.BRANCH_LIBRARIAN, branch))


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (exclusion constraint, row locks across connections)")
