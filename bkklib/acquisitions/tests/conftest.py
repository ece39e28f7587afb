"""Fixtures of the acquisitions tests: two branches, funds of FY 2569, a vendor, a patron, staff, a clock."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bkklib.acquisitions import services
from bkklib.acquisitions.models import Fund, Vendor
from bkklib.catalog.tests.factories import ItemTypeFactory
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user

BKK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2025, 11, 3, 10, 0, tzinfo=BKK)  # 3 พ.ย. 2568: fiscal year 2569
TAX_ID = "0994000165579"  # a valid Thai TIN check digit (stdnum.th.tin)


@dataclass
class Site:
    branch: Branch
    other: Branch
    fund: Fund
    fund_b: Fund
    vendor: Vendor
    patron: object
    admin: object
    librarian: object


@pytest.fixture
def site(db):
    ItemTypeFactory(code="book", name_th="หนังสือ")
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    other = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้ลุมพินี")
    fund = services.create_fund(year=2569, branch=branch, code="books", name="ค่าหนังสือ", budget=Decimal("10000"),
                                now=NOW)
    fund_b = services.create_fund(year=2569, branch=branch, code="children", name="หนังสือเด็ก",
                                  budget=Decimal("5000"), now=NOW)
    vendor = services.save_vendor(name="บริษัท ร้านหนังสือทดสอบ จำกัด", tax_id=TAX_ID, delivery_days=15)
    return Site(branch=branch, other=other, fund=fund, fund_b=fund_b, vendor=vendor,
                patron=PatronFactory(home_branch=branch, email="reader@example.com"),
                admin=staff_user(roles.NETWORK_ADMIN, branch),
                librarian=staff_user(roles.BRANCH_LIBRARIAN, branch))
