"""Circulation's dashboard figures count Bangkok days (core/indicators.py)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bkklib.core import indicators

BKK = ZoneInfo("Asia/Bangkok")


@pytest.mark.django_db
def test_loans_count_the_bangkok_day_of_checkout():
    from bkklib.catalog.tests.factories import ItemFactory
    from bkklib.circulation.models import Loan
    from bkklib.circulation.tests.factories import PatronFactory

    patron = PatronFactory()
    item_a, item_b = ItemFactory(), ItemFactory()
    # 23:59 on 30 Sep and 00:01 on 1 Oct in Bangkok: two days, two fiscal years.
    Loan.objects.create(item=item_a, patron=patron, branch=item_a.branch, item_type=item_a.item_type,
                        patron_category=patron.category, due_on=date(2026, 10, 14),
                        checked_out_at=datetime(2026, 9, 30, 23, 59, tzinfo=BKK))
    Loan.objects.create(item=item_b, patron=patron, branch=item_b.branch, item_type=item_b.item_type,
                        patron_category=patron.category, due_on=date(2026, 10, 15),
                        checked_out_at=datetime(2026, 10, 1, 0, 1, tzinfo=BKK))
    loans = indicators.by_key()["circulation.loans"]
    assert loans.compute(date(2026, 9, 30)) == [indicators.Figure(1, item_a.branch_id)]
    assert loans.compute(date(2026, 10, 1)) == [indicators.Figure(1, item_b.branch_id)]
    assert indicators.by_key()["circulation.returns"].compute(date(2026, 10, 1)) == []
