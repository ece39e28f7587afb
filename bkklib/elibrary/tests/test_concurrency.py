"""Parallel borrowers on PostgreSQL: 20 simultaneous borrows of a title with 5 seats give exactly 5 loans."""
import threading
from datetime import date

import pytest
from django.db import connection, connections

from bkklib.circulation.tests.factories import PatronFactory

from ..exceptions import NoCopyFree
from ..models import ELoan, Licence, Turnaway
from ..services import lending
from .conftest import make_title

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres_only(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (row locks across connections)")


@pytest.fixture
def reference_data(transactional_db):
    from bkklib.circulation.tests.conftest import load_reference_data

    load_reference_data()


@pytest.mark.parametrize("kind", ["concurrent", "metered"])
def test_twenty_simultaneous_borrows_never_exceed_the_seats(postgres_only, kind):
    title = make_title(kind=kind, copies=5, loans_total=8 if kind == "metered" else None,
                       expires_on=date(2027, 12, 31), starts_on=date(2020, 1, 1))
    patrons = [PatronFactory() for _n in range(20)]
    barrier = threading.Barrier(20)
    outcomes = []

    def borrow(patron):
        try:
            barrier.wait()
            lending.borrow(patron=patron, title=title)
            outcomes.append("lent")
        except NoCopyFree:
            outcomes.append("turned away")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=borrow, args=(p,)) for p in patrons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("lent") == 5 and outcomes.count("turned away") == 15
    active = ELoan.objects.active().filter(title=title)
    assert active.count() == 5 and sorted(active.values_list("seat", flat=True)) == [1, 2, 3, 4, 5]
    assert Licence.objects.get(title=title).loans_used == 5
    assert Turnaway.objects.filter(title=title).count() == 15
