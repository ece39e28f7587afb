"""Hand counts of the acquisitions indicators across the fiscal-year boundary in Bangkok time (handcount.py)."""
from datetime import datetime
from decimal import Decimal

import pytest

from bkklib.acquisitions import services
from bkklib.acquisitions.models import Donation, FundEntry, OrderCopy, Request
from bkklib.catalog.tests.factories import ItemFactory, ItemTypeFactory

from .handcount import (
    AFTER,
    BEFORE,
    BKK,
    FY69,
    FY70,
    OCT,
    OCT1,
    SEP,
    SEP30,
    at,
    check,
    rebuild_agrees,
    run_nights,
    two_branches,
)

pytestmark = pytest.mark.django_db
TAX_ID = "0994000165579"


def test_suggestions_copies_donations_and_spending_equal_the_hand_count():
    two = two_branches()
    ItemTypeFactory(code="book", name_th="หนังสือ")
    then = datetime(2026, 9, 1, 10, tzinfo=BKK)
    fund_a = services.create_fund(year=2569, branch=two.a, code="books", name="ค่าหนังสือ", budget=Decimal("10000"),
                                  now=then)
    fund_b = services.create_fund(year=2569, branch=two.b, code="books", name="ค่าหนังสือ", budget=Decimal("10000"),
                                  now=then)
    vendor = services.save_vendor(name="บริษัท ร้านหนังสือทดสอบ จำกัด", tax_id=TAX_ID, delivery_days=15)

    for branch, when in ((two.a, at(2026, 9, 30, 23, 59)), (two.a, at(2026, 10, 1, 0, 0)), (two.b, at(2026, 10, 1, 8)),
                         (two.b, at(2026, 9, 29, 23, 59)), (two.a, at(2026, 10, 2, 0, 0))):  # the last two: outside
        made = Request.objects.create(branch=branch, title="หนังสือที่อยากอ่าน")
        Request.objects.filter(pk=made.pk).update(created_at=when)  # stamped when made

    order = services.create_order(vendor=vendor, branch=two.a, year=2569, now=then)
    services.add_line(order=order, title="หนังสือสั่งซื้อ", author="ผู้แต่ง ทดสอบ", quantity=6, unit_price=Decimal("100"),
                      allocations=[(two.a, fund_a, "GEN", 4), (two.b, fund_b, "GEN", 2)])
    copies = list(OrderCopy.objects.filter(line__order=order).order_by("copy_no"))
    received = [at(2026, 9, 30, 23, 59), at(2026, 10, 1, 0, 0), at(2026, 10, 1, 14), None,  # A's four copies
                at(2026, 10, 1, 9), at(2026, 10, 2, 0, 0)]  # B's two: the second outside the period
    for copy, when in zip(copies, received, strict=True):
        if when:
            OrderCopy.objects.filter(pk=copy.pk).update(status="received", received_at=when,
                                                        item=ItemFactory(branch=copy.branch))

    for branch, on, count, accepted in ((two.a, SEP30, 10, 6), (two.a, OCT1, 5, 5), (two.b, OCT1, 3, 0),
                                        (two.b, BEFORE, 9, 9), (two.a, AFTER, 9, 9)):
        Donation.objects.create(branch=branch, donor_name="ผู้บริจาค", received_on=on, count=count,
                                accepted_count=accepted, status="accepted" if accepted else "declined")

    for fund, kind, amount, when in ((fund_a, "spend", "250.50", at(2026, 9, 30, 23, 59)),
                                     (fund_a, "spend", "100.00", at(2026, 10, 1, 0, 0)),
                                     (fund_a, "commit", "900.00", at(2026, 10, 1, 1)),  # committed, not spent
                                     (fund_b, "spend", "75.25", at(2026, 10, 1, 16)),
                                     (fund_b, "spend", "999.00", at(2026, 10, 2, 0, 0))):  # outside the period
        FundEntry.objects.create(fund=fund, kind=kind, amount=Decimal(amount), at=when)
    run_nights()

    a, b = two.a.pk, two.b.pk
    check("acquisitions.suggestions", days={(SEP30, a, ""): 1, (OCT1, a, ""): 1, (OCT1, b, ""): 1},
          months={(SEP, FY69, a, ""): 1, (OCT, FY70, a, ""): 1, (OCT, FY70, b, ""): 1})
    # received copies at the branch they are for: A 23:59 on 30 Sep; A 00:00 and 14:00, B 09:00 on 1 Oct
    check("acquisitions.copies_received", days={(SEP30, a, ""): 1, (OCT1, a, ""): 2, (OCT1, b, ""): 1},
          months={(SEP, FY69, a, ""): 1, (OCT, FY70, a, ""): 2, (OCT, FY70, b, ""): 1})
    # books accepted (not received): A 6 on 30 Sep, 5 on 1 Oct; B's 3 were all declined
    check("acquisitions.books_donated", days={(SEP30, a, ""): 6, (OCT1, a, ""): 5},
          months={(SEP, FY69, a, ""): 6, (OCT, FY70, a, ""): 5})
    check("acquisitions.spent", days={(SEP30, a, ""): "250.50", (OCT1, a, ""): 100, (OCT1, b, ""): "75.25"},
          months={(SEP, FY69, a, ""): "250.50", (OCT, FY70, a, ""): 100, (OCT, FY70, b, ""): "75.25"})
    rebuild_agrees(["acquisitions.suggestions", "acquisitions.copies_received", "acquisitions.books_donated",
                    "acquisitions.spent"])
