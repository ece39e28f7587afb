"""Fixtures of the circulation tests: a desk (branch, librarian, policy, item, patron) and clock times."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import PatronFactory

BKK = ZoneInfo("Asia/Bangkok")
TUE_10AM = datetime(2025, 6, 3, 10, 0, tzinfo=BKK)  # 3 มิ.ย. 2568; the test branches close on Mondays


@dataclass
class Desk:
    branch: Branch
    staff: object
    item: Item
    patron: object


@pytest.fixture
def desk(db):
    """A branch open Tue–Sun, a branch librarian working there, an available item of it and an adult patron."""
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    return Desk(branch=branch, staff=staff, item=ItemFactory(branch=branch), patron=PatronFactory(home_branch=branch))


def load_reference_data() -> None:
    """Load, idempotently, what data migrations put in the database (districts, item types, categories...)."""
    import importlib

    from django.apps import apps

    importlib.import_module("bkklib.network.migrations.0002_load_districts_and_services").load(apps, None)
    for module in ("bkklib.catalog.migrations.0002_default_item_types",
                   "bkklib.circulation.migrations.0002_default_categories_policy"):
        importlib.import_module(module).forwards(apps, None)


@pytest.fixture
def reference_data(transactional_db):
    """Reference data for tests with real transactions: an earlier such test emptied the tables."""
    load_reference_data()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (row locks across connections)")
