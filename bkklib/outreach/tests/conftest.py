"""Fixtures of the outreach tests: a library, a reading house with a volunteer, a deposit, clock times."""
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.outreach import services

from .factories import ReadingHouseFactory

BKK = ZoneInfo("Asia/Bangkok")
TUE_10AM = datetime(2025, 6, 3, 10, 0, tzinfo=BKK)  # 3 มิ.ย. 2568


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """June ``day`` 2025 at ``hour``:``minute`` in Bangkok."""
    return datetime(2025, 6, day, hour, minute, tzinfo=BKK)


@dataclass
class House:
    library: Branch
    house: Branch
    librarian: object
    volunteer: object
    account: object
    items: list
    patron: object


@pytest.fixture
def house(db):
    """A library, a reading house open every day, a librarian of both, a volunteer of the house, 5 items received there."""
    library = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    house = ReadingHouseFactory(name_th="บ้านหนังสือชุมชนวัดลาดปลาดุก",
                                hours=[(d, __import__("datetime").time(8), __import__("datetime").time(18))
                                       for d in range(7)])
    librarian = staff_user(roles.BRANCH_LIBRARIAN, library, house)
    items = [ItemFactory(branch=library) for _ in range(5)]
    deposit = services.create_deposit(code="dep-1", from_branch=library, reading_house=house,
                                      due_back_on=date(2025, 9, 30), barcodes=[i.barcode for i in items],
                                      by=librarian)
    services.send_deposit(deposit=deposit, by=librarian, now=at(2, 9))
    services.receive_deposit(deposit=deposit, by=librarian, now=at(2, 14))
    account = services.create_volunteer(branch=house, username="somsri", password="reading-house-1",
                                        display_name="สมศรี ใจดี", by=librarian, now=at(1, 9))
    for item in items:
        item.refresh_from_db()
    return House(library=library, house=house, librarian=librarian, volunteer=account.user, account=account,
                 items=items, patron=PatronFactory(home_branch=library))
