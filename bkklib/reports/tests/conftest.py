"""Fixtures of the reports tests: the hand-counted world with its figures stored, and the people who read them."""
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

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


def _build() -> Stored:
    w = world_module.build()
    # One pass over the world's days stores what 33 nightly runs store (test_aggregation holds the two
    # equal) at half the cost: the months are rebuilt once each instead of once a night.
    services.aggregate(world_module.FIRST_DAY, world_module.LAST_DAY)
    return Stored(world=w, admin=staff_user(roles.NETWORK_ADMIN, w.a, w.b, email="admin@example.org"),
                  executive=staff_user(roles.EXECUTIVE_VIEWER, email="director@example.org"),
                  librarian_b=staff_user(roles.BRANCH_LIBRARIAN, w.b, email="librarian.b@example.org"))


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """For a module whose every test reads the world (``pytestmark = pytest.mark.usefixtures("shared_world")``):
    built once (about 3 s a build) inside an atomic block the module's tests run nested in. Each test's own
    atomic block (pytest-django's) is then a savepoint of it, rolled back after the test; the whole block
    is rolled back after the module. Not for a module with a test that must start from an empty database."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def stored(request, db) -> Stored:
    if "shared_world" not in request.fixturenames:
        return _build()
    shared = request.getfixturevalue("shared_world")
    for person in (shared.admin, shared.executive, shared.librarian_b):
        person.refresh_from_db()  # as the database has them: an earlier test may have changed the instance
    return shared


@pytest.fixture
def december_2026(monkeypatch):
    """Pin today to 7 Dec 2026 (FY 2570, its third month) for pages that default to the current period."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 12, 7))
