"""Fixtures of the reports tests: the hand-counted world with its figures stored, and the people who read them."""
from dataclasses import dataclass
from datetime import date

import pytest

from bkklib.core import roles
from bkklib.network.tests.factories import staff_user
from bkklib.reports import services

from . import world as world_module


@dataclass
class Stored:
    world: world_module.World
    admin: object
    executive: object
    librarian_b: object


@pytest.fixture
def stored(db):
    w = world_module.build()
    # One pass over the world's days stores what 33 nightly runs store (test_aggregation holds the two
    # equal) at half the cost: the months are rebuilt once each instead of once a night.
    services.aggregate(world_module.FIRST_DAY, world_module.LAST_DAY)
    return Stored(world=w, admin=staff_user(roles.NETWORK_ADMIN, w.a, w.b, email="admin@example.org"),
                  executive=staff_user(roles.EXECUTIVE_VIEWER, email="director@example.org"),
                  librarian_b=staff_user(roles.BRANCH_LIBRARIAN, w.b, email="librarian.b@example.org"))


@pytest.fixture
def december_2026(monkeypatch):
    """Pin today to 7 Dec 2026 (FY 2570, its third month) for pages that default to the current period."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 12, 7))
