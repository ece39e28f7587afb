"""Concurrent writers on PostgreSQL: one barcode, one pending withdrawal, whatever the race."""
import threading

import pytest
from django.db import connection, connections

from bkklib.catalog import services
from bkklib.catalog.exceptions import DuplicateBarcode, WithdrawalRefused
from bkklib.catalog.models import Item, Withdrawal
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ItemFactory, ItemTypeFactory, RecordFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
]


def race(*calls):
    """Run ``calls`` at the same time in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected for the assertion
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_two_desks_adding_the_same_barcode_at_once_make_one_item():
    branch, record, kind = BranchFactory(), RecordFactory(), ItemTypeFactory(code="book")

    results = race(*(lambda: services.add_item(record, barcode="31000000009999", branch=branch, item_type=kind)
                     for _ in range(2)))

    assert Item.objects.filter(barcode="31000000009999").count() == 1
    assert sum(isinstance(r, Item) for r in results) == 1
    assert sum(isinstance(r, DuplicateBarcode) for r in results) == 1


def test_two_withdrawal_requests_at_once_leave_one_pending():
    branch = BranchFactory()
    a, b = staff_user(roles.BRANCH_STAFF, branch), staff_user(roles.BRANCH_STAFF, branch)
    item = ItemFactory(branch=branch)

    results = race(lambda: services.request_withdrawal(item, reason="worn", disposal="discard", user=a),
                   lambda: services.request_withdrawal(item, reason="worn", disposal="discard", user=b))

    assert Withdrawal.objects.filter(item=item, status="pending").count() == 1
    assert sum(isinstance(r, WithdrawalRefused) for r in results) == 1
