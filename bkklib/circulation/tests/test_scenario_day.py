"""A day at Bang Khen library, from opening to closing, on SQLite and PostgreSQL alike."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
from bkklib.circulation import queries, services
from bkklib.circulation.exceptions import ItemNotAvailable
from bkklib.circulation.models import Hold, Loan
from bkklib.core import roles
from bkklib.network import queries as network_queries
from bkklib.network.tests.factories import BranchFactory, staff_user

from .conftest import BKK
from .factories import PatronFactory

pytestmark = pytest.mark.django_db


def at(hour, minute=0):
    return datetime(2025, 6, 3, hour, minute, tzinfo=BKK)  # Tuesday 3 มิ.ย. 2568


def test_a_day_in_a_branch():
    bang_khen = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    phra_nakhon = BranchFactory(name_th="หอสมุดเมืองกรุงเทพมหานคร")
    librarian = staff_user(roles.BRANCH_LIBRARIAN, bang_khen)
    colleague = staff_user(roles.BRANCH_STAFF, phra_nakhon)
    book = RecordFactory(title="ลูกอีสาน", author="คำพูน บุญทวี")
    ours = [ItemFactory(branch=bang_khen, record=book), *[ItemFactory(branch=bang_khen) for _ in range(3)]]
    theirs = ItemFactory(branch=phra_nakhon, record=RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช"))
    somchai, malee, wanida = PatronFactory(home_branch=bang_khen), PatronFactory(), PatronFactory()

    # Opening: the branch is open, the hold shelf is empty.
    assert network_queries.is_open(bang_khen, at(9, 5))
    assert not queries.hold_shelf(bang_khen).exists()

    # Morning checkouts: Somchai borrows three books and a copy that belongs to Phra Nakhon.
    for item in ours[:3] + [theirs]:
        services.checkout(item=item, patron=somchai, staff=librarian, desk=bang_khen, now=at(9, 30))
    assert queries.loans_of(somchai).count() == 4
    # Malee waits for "ลูกอีสาน", to collect at Bang Khen.
    hold = services.place_hold(record=book, patron=malee, pickup_branch=bang_khen, staff=librarian, desk=bang_khen,
                               now=at(10))

    # A return from another branch: Wanida had borrowed a Bang Khen book at Phra Nakhon last month
    # and brings it back there; it travels home.
    away = ours[3]
    services.checkout(item=away, patron=wanida, staff=colleague, desk=phra_nakhon,
                      now=datetime(2025, 5, 6, 11, 0, tzinfo=BKK))
    result = services.checkin(item=away, staff=colleague, desk=phra_nakhon, now=at(10, 30))
    assert result.destination == "transit" and result.transit.to_branch == bang_khen
    assert result.fine.amount == Decimal("60.00")  # due Tue 20 May; 14 days late, 2 Mondays closed: 12 × 5 baht
    assert away in [t.item for t in queries.transits_to(bang_khen)]
    # It arrives at Bang Khen in the afternoon: back on the shelf.
    assert services.checkin(item=away, staff=librarian, desk=bang_khen, now=at(15)).destination == "shelf"

    # A hold trapped: Somchai returns "ลูกอีสาน" early; it goes to the hold shelf for Malee.
    trapped = services.checkin(item=ours[0], staff=librarian, desk=bang_khen, now=at(13))
    assert trapped.destination == "hold_shelf" and trapped.hold == hold
    assert [h.patron for h in queries.hold_shelf(bang_khen)] == [malee]
    # Nobody else may take it from the shelf: a walk-in patron is refused with the reason.
    with pytest.raises(ItemNotAvailable) as refused:
        services.checkout(item=ours[0], patron=PatronFactory(), staff=librarian, desk=bang_khen, now=at(13, 30))
    assert refused.value.code == "item_on_hold_shelf"
    services.checkout(item=ours[0], patron=malee, staff=librarian, desk=bang_khen, now=at(14))
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.FULFILLED

    # A fine paid: Wanida comes to Bang Khen and pays her 60 baht in two parts.
    first = services.pay(patron=wanida, amount="50", staff=librarian, desk=bang_khen, now=at(16))
    second = services.pay(patron=wanida, amount="10", staff=librarian, desk=bang_khen, method="qr", now=at(16, 5))
    assert (first.number, second.number) == (1, 2) and queries.fines_due(wanida) == 0

    # Closing: the cash-up balances, the day's loans are all due on an open day.
    report = queries.cash_up(bang_khen, date(2025, 6, 3))
    assert report.total == Decimal("60.00") and len(report.receipts) == 2
    assert not network_queries.is_open(bang_khen, at(17, 30))
    for loan in Loan.objects.filter(returned_at__isnull=True, branch=bang_khen):
        assert network_queries.is_open_on(bang_khen, loan.due_on)
    assert Item.objects.get(pk=theirs.pk).status == Item.Status.ON_LOAN
