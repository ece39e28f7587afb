"""Fixtures of the events tests: a branch with its librarian, an activity and a session next Saturday."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bkklib.circulation.tests.conftest import load_reference_data, postgres_only, reference_data  # noqa: F401
from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ActivityFactory, SessionFactory

BKK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=BKK)  # Monday 2 มี.ค. 2569
SAT_10AM = datetime(2026, 3, 7, 10, 0, tzinfo=BKK)


@dataclass
class Setting:
    branch: Branch
    staff: object
    activity: object
    session: object


@pytest.fixture
def setting(db):
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    activity = ActivityFactory(branch=branch, capacity=5, min_age=3, max_age=12, title="เปิดโลกนิทาน")
    session = SessionFactory(activity=activity, starts_at=SAT_10AM)
    return Setting(branch, staff, activity, session)


__all__ = ["NOW", "SAT_10AM", "load_reference_data", "postgres_only", "reference_data"]
