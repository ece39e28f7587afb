"""Fixtures of the comms tests: a branch, an author and a reviewer, fake channel servers, channels."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from bkklib.comms.models import Channel
from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user

from .fakes import FakeApi

BKK = ZoneInfo("Asia/Bangkok")
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=BKK)


@dataclass
class Team:
    branch: Branch
    author: object
    reviewer: object
    admin: object


@pytest.fixture
def team(db):
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    return Team(branch=branch, author=staff_user(roles.BRANCH_STAFF, branch, username="author"),
                reviewer=staff_user(roles.BRANCH_LIBRARIAN, branch, username="reviewer"),
                admin=staff_user(roles.NETWORK_ADMIN, branch, username="pr-admin"))


@pytest.fixture
def api():
    fake = FakeApi().start()
    yield fake
    fake.stop()


def make_channel(kind: str, *, base_url: str = "", token: str = "tok-secret-123", branch=None, name=None,
                 account_id: str = "") -> Channel:
    channel = Channel(kind=kind, name=name or f"{kind} บางเขน", branch=branch, base_url=base_url,
                      account_id=account_id or ("1122334455" if kind == "facebook" else ""))
    channel.set_token(token)
    channel.save()
    return channel


@pytest.fixture
def channels(team, api):
    return {
        "facebook": make_channel("facebook", base_url=api.url, branch=team.branch),
        "line": make_channel("line", base_url=api.url, branch=team.branch),
        "x": make_channel("x", base_url=api.url, branch=team.branch),
        "website": make_channel("website", branch=None, name="ข่าวเว็บไซต์", token=""),
    }


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two workers claiming at once need PostgreSQL (row locks across connections)")
