"""Payments with gapless numbered receipts, partial payments, waivers with permission, cash-up."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bkklib.circulation import queries, services
from bkklib.circulation.exceptions import PaymentRefused, WaiverRefused
from bkklib.circulation.models import Fine, Receipt
from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network.tests.factories import staff_user

from .conftest import BKK, TUE_10AM

pytestmark = pytest.mark.django_db


def owe(desk, *amounts):
    return [services.charge(patron=desk.patron, kind=Fine.Kind.DAMAGED, amount=a, staff=desk.staff, desk=desk.branch,
                            description="ปกขาด", now=TUE_10AM) for a in amounts]


def test_a_partial_payment_pays_the_oldest_charges_first(desk):
    first, second = owe(desk, "30", "50")
    receipt = services.pay(patron=desk.patron, amount="40", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.settled_at is not None and second.balance == Decimal("40.00")
    assert queries.fines_due(desk.patron) == Decimal("40.00")
    assert receipt.fiscal_year == 2568 and receipt.number == 1 and receipt.label == "2568/000001"


def test_receipts_are_numbered_without_gaps_and_restart_each_fiscal_year(desk):
    owe(desk, "100")
    numbers = [services.pay(patron=desk.patron, amount="10", staff=desk.staff, desk=desk.branch, now=TUE_10AM).number
               for _ in range(3)]
    with pytest.raises(PaymentRefused):
        services.pay(patron=desk.patron, amount="500", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    october = datetime(2025, 10, 1, 9, 0, tzinfo=BKK)  # fiscal year 2569 begins
    new_year = services.pay(patron=desk.patron, amount="10", staff=desk.staff, desk=desk.branch, now=october)
    after = services.pay(patron=desk.patron, amount="10", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert numbers == [1, 2, 3] and (new_year.fiscal_year, new_year.number) == (2569, 1) and after.number == 4


def test_the_database_refuses_a_receipt_number_twice(desk):
    owe(desk, "20")
    receipt = services.pay(patron=desk.patron, amount="10", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(fiscal_year=receipt.fiscal_year, number=receipt.number, patron=desk.patron,
                               branch=desk.branch, received_by=desk.staff, issued_at=TUE_10AM, total=1)


def test_the_database_refuses_a_fine_above_its_cap(desk):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fine.objects.create(patron=desk.patron, kind=Fine.Kind.OVERDUE, branch=desk.branch, amount=Decimal("101"),
                            cap=Decimal("100"), created_at=TUE_10AM)


def test_bad_amounts_are_refused_and_change_nothing(desk):
    owe(desk, "20")
    for amount in ("0", "-5", "abc", "20.01"):
        with pytest.raises(PaymentRefused):
            services.pay(patron=desk.patron, amount=amount, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert not Receipt.objects.exists() and queries.fines_due(desk.patron) == Decimal("20.00")


def test_a_waiver_needs_a_reason_and_the_permission(desk):
    (fine,) = owe(desk, "60")
    with pytest.raises(WaiverRefused):
        services.waive(fine=fine, amount="60", reason=" ", staff=desk.staff, desk=desk.branch)
    clerk = staff_user(roles.BRANCH_STAFF, desk.branch)
    with pytest.raises(NotPermitted):
        services.waive(fine=fine, amount="60", reason="ผู้สูงอายุ", staff=clerk, desk=desk.branch)
    services.waive(fine=fine, amount="60", reason="ผู้สูงอายุ ยกเว้นตามระเบียบ", staff=desk.staff, desk=desk.branch)
    fine.refresh_from_db()
    assert fine.settled_at is not None and fine.waived == Decimal("60.00")


def test_the_cash_up_adds_a_desks_receipts_of_the_day(desk):
    owe(desk, "100")
    services.pay(patron=desk.patron, amount="30", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    services.pay(patron=desk.patron, amount="20", staff=desk.staff, desk=desk.branch, method="qr", now=TUE_10AM)
    report = queries.cash_up(desk.branch, date(2025, 6, 3))
    assert report.total == Decimal("50.00") and len(report.receipts) == 2
    assert sum(report.by_method.values()) == Decimal("50.00")
    assert queries.cash_up(desk.branch, date(2025, 6, 4)).total == 0
