"""Real parallel clients on PostgreSQL: row locks and constraints keep the invariants.

Each thread has its own database connection, as each gunicorn worker would; a barrier starts
them at the same moment.
"""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.exceptions import ItemNotAvailable, RenewalRefused
from bkklib.circulation.models import Fine, Hold, Loan, Receipt
from bkklib.core import roles
from bkklib.core.exceptions import DomainError
from bkklib.network.tests.factories import BranchFactory, staff_user

from .conftest import TUE_10AM
from .factories import PatronFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def run_together(calls):
    """Run the callables in parallel threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:  # the refusals are the point of the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_twenty_simultaneous_checkouts_of_one_item_make_exactly_one_loan(postgres_only, desk):
    patrons = [PatronFactory() for _ in range(20)]
    results = run_together([
        (lambda p=p: services.checkout(item=desk.item, patron=p, staff=desk.staff, desk=desk.branch, now=TUE_10AM))
        for p in patrons
    ])
    loans = [r for r in results if isinstance(r, Loan)]
    refusals = [r for r in results if isinstance(r, ItemNotAvailable)]
    assert len(loans) == 1 and len(refusals) == 19, results
    assert all(r.code == "item_on_loan" and desk.item.barcode in r.text for r in refusals)
    assert Loan.objects.filter(item=desk.item, returned_at__isnull=True).count() == 1
    assert Item.objects.get(pk=desk.item.pk).status == Item.Status.ON_LOAN


def test_two_desks_placing_holds_at_the_same_moment_keep_a_strict_queue(postgres_only, desk):
    other_desk = BranchFactory(name_th="ห้องสมุดดินแดง")
    other_staff = staff_user(roles.BRANCH_LIBRARIAN, other_desk)
    record = desk.item.record
    patrons = [PatronFactory() for _ in range(12)]
    calls = []
    for i, patron in enumerate(patrons):
        staff, branch = (desk.staff, desk.branch) if i % 2 == 0 else (other_staff, other_desk)
        calls.append(lambda p=patron, s=staff, b=branch: services.place_hold(
            record=record, patron=p, pickup_branch=b, staff=s, desk=b, now=TUE_10AM))
    results = run_together(calls)
    assert all(isinstance(r, Hold) for r in results), results
    positions = sorted(Hold.objects.filter(record=record).values_list("position", flat=True))
    assert positions == list(range(1, 13))
    # The queue order is the order the holds were committed in (the audit trail's order).
    by_position = list(Hold.objects.filter(record=record).order_by("position").values_list("pk", flat=True))
    by_commit = [h.id for h in Hold.history.filter(history_type="+").order_by("history_date", "history_id")]
    assert by_position == by_commit


def test_checkin_racing_a_renew_leaves_a_consistent_state(postgres_only, desk):
    items = [ItemFactory(branch=desk.branch) for _ in range(8)]
    loans = [services.checkout(item=i, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
             for i in items]
    later = TUE_10AM + timedelta(days=3)
    calls = []
    for loan in loans:
        calls.append(lambda ln=loan: services.checkin(item=ln.item, staff=desk.staff, desk=desk.branch, now=later))
        calls.append(lambda ln=loan: services.renew(loan=ln, staff=desk.staff, desk=desk.branch, now=later))
    results = run_together(calls)
    for loan, checkin_result, renew_result in zip(loans, results[0::2], results[1::2], strict=True):
        assert not isinstance(checkin_result, Exception), checkin_result
        loan.refresh_from_db()
        assert loan.returned_at is not None
        if isinstance(renew_result, RenewalRefused):
            assert renew_result.code == "loan_ended" and loan.renewals == 0
        else:
            assert isinstance(renew_result, Loan) and loan.renewals == 1
    assert not Loan.objects.filter(returned_at__isnull=True).exists()
    assert set(Item.objects.filter(pk__in=[i.pk for i in items]).values_list("status", flat=True)) == {"available"}


def test_simultaneous_payments_get_receipt_numbers_without_gaps(postgres_only, desk):
    payers = [PatronFactory() for _ in range(10)]
    for p in payers:
        Fine.objects.create(patron=p, kind=Fine.Kind.DAMAGED, branch=desk.branch, amount=Decimal("20"),
                            created_at=TUE_10AM)
    results = run_together([
        (lambda p=p: services.pay(patron=p, amount="20", staff=desk.staff, desk=desk.branch, now=TUE_10AM))
        for p in payers
    ])
    assert not [r for r in results if isinstance(r, DomainError | Exception) and not isinstance(r, Receipt)]
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, 11))
