"""Fixtures of the security tests: empty rate-limit counts, a librarian who can log in with a password."""
import pytest

from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

PASSWORD = "pass-1234!"  # the factories' password


@pytest.fixture(autouse=True)
def _fresh_counts():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def librarian(db):
    return staff_user(roles.BRANCH_LIBRARIAN, BranchFactory(code="bkn"), username="somchai")
