"""Fixtures of the network tests: clients signed in as a librarian of one branch, or a network admin."""
import pytest
from rest_framework.test import APIClient

from bkklib.core import roles

from .factories import BranchFactory, staff_user


@pytest.fixture
def two_branches(db):
    """A branch the librarian works at (``mine``) and one they do not (``other``)."""
    return BranchFactory(name_th="ห้องสมุดของฉัน"), BranchFactory(name_th="ห้องสมุดอื่น")


@pytest.fixture
def librarian(two_branches):
    return staff_user(roles.BRANCH_LIBRARIAN, two_branches[0], username="lib_mine")


@pytest.fixture
def admin_user(db):
    return staff_user(roles.NETWORK_ADMIN, username="netadmin")


@pytest.fixture
def api(librarian):
    client = APIClient()
    client.force_authenticate(librarian)
    return client


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture
def staff_client(client, librarian):
    client.force_login(librarian)
    return client


@pytest.fixture
def reference_data(transactional_db):
    """Reload the districts and services of migration 0002 (transactional tests flush the database)."""
    import importlib

    from django.apps import apps

    importlib.import_module("bkklib.network.migrations.0002_load_districts_and_services").load(apps, None)
