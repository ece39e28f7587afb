"""Real parallel staff on PostgreSQL: two deliveries of the same order recorded at once receive each copy once;
two orders placed at once on a fund that holds only one of them commit exactly one."""
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from bkklib.acquisitions import rules, services
from bkklib.acquisitions.exceptions import AcquisitionRefused
from bkklib.acquisitions.models import Fund, OrderCopy
from bkklib.catalog.models import Item

from .conftest import NOW
from .helpers import placed_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (row locks across connections)")


def race(*calls):
    """Run ``calls`` at the same moment on their own connections; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the refusal is the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_deliveries_of_the_same_copies_at_once_receive_each_copy_once(postgres_only, site):
    order = placed_order(site, lines=((3, "100"),))
    line = order.lines.get()

    def receive():  # each clerk records 2 of the 3 copies: together they would receive 4
        return services.receive(order=order, counts={line.pk: rules.Inspection(received=2)}, token=uuid.uuid4(),
                                now=NOW)

    results = race(receive, receive)
    refused = [r for r in results if isinstance(r, AcquisitionRefused)]
    assert len(refused) == 1 and refused[0].code == "over_receipt", results
    assert Item.objects.count() == 2 == OrderCopy.objects.filter(status="received").count()


def test_two_orders_placed_at_once_on_a_fund_that_holds_one_commit_exactly_one(postgres_only, site):
    orders = []
    for _ in range(2):
        order = services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)
        services.add_line(order=order, title="ชุดสารานุกรม", quantity=1, unit_price=Decimal("6000"),
                          allocations=[(site.branch, site.fund, "REF", 1)])
        services.approve_order(order=order, now=NOW)
        orders.append(order)
    results = race(*[lambda o=o: services.place_order(order=o, now=NOW) for o in orders])
    refused = [r for r in results if isinstance(r, AcquisitionRefused)]
    assert len(refused) == 1 and refused[0].code == "insufficient_funds"
    fund = Fund.objects.get(pk=site.fund.pk)
    assert fund.committed == Decimal("6000.00") and fund.free == Decimal("4000.00")
