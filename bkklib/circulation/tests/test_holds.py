"""Holds: strict queue order, limits, cancel passes the item on, shelf expiry, pickup branch."""
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import queries, services
from bkklib.circulation.exceptions import HoldRefused
from bkklib.circulation.models import Hold, LoanPolicy
from bkklib.network.tests.factories import BranchFactory

from .conftest import TUE_10AM
from .factories import PatronFactory, category

pytestmark = pytest.mark.django_db


def hold(desk, patron, **kwargs):
    kwargs.setdefault("pickup_branch", desk.branch)
    return services.place_hold(record=desk.item.record, patron=patron, staff=desk.staff, desk=desk.branch,
                               now=TUE_10AM, **kwargs)


def test_holds_queue_in_the_order_they_are_placed(desk):
    patrons = [PatronFactory() for _ in range(3)]
    holds = [hold(desk, p) for p in patrons]
    assert [h.position for h in holds] == [1, 2, 3]
    assert [h.patron for h in queries.queue_of(desk.item.record)] == patrons
    services.cancel_hold(holds[0], staff=desk.staff, desk=desk.branch, reason="ไม่ต้องการแล้ว")
    assert queries.queue_rank(holds[1]) == 1 and queries.queue_rank(holds[2]) == 2


def test_a_patron_cannot_hold_a_title_twice(desk):
    hold(desk, desk.patron)
    with pytest.raises(HoldRefused) as err:
        hold(desk, desk.patron)
    assert err.value.code == "already_held"


def test_the_hold_limit_is_refused_with_the_counts(desk):
    LoanPolicy.objects.create(category=category("adult"), max_holds=1)
    hold(desk, desk.patron)
    other = ItemFactory(branch=desk.branch)
    with pytest.raises(HoldRefused) as err:
        services.place_hold(record=other.record, patron=desk.patron, pickup_branch=desk.branch, staff=desk.staff,
                            desk=desk.branch, now=TUE_10AM)
    assert err.value.code == "hold_limit" and "1" in err.value.text
    assert Hold.objects.count() == 1


def test_the_database_refuses_two_holds_at_one_queue_position(desk):
    first = hold(desk, desk.patron)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hold.objects.create(record=first.record, patron=PatronFactory(), pickup_branch=desk.branch, position=1,
                            placed_at=TUE_10AM)


def test_a_suspended_hold_is_skipped_but_keeps_its_place(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    first, second = PatronFactory(), PatronFactory()
    h1, h2 = hold(desk, first), hold(desk, second)
    services.suspend_hold(h1, until=date(2025, 7, 1), staff=desk.staff, desk=desk.branch)
    result = services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=1))
    assert result.hold.pk == h2.pk


def test_collecting_a_hold_fulfils_it(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    reader = PatronFactory()
    h = hold(desk, reader)
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=1))
    services.checkout(item=desk.item, patron=reader, staff=desk.staff, desk=desk.branch,
                      now=TUE_10AM + timedelta(days=2))
    h.refresh_from_db()
    assert h.status == Hold.Status.FULFILLED


def test_an_item_on_the_hold_shelf_is_refused_to_other_patrons(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    hold(desk, PatronFactory())
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=1))
    from bkklib.circulation.exceptions import ItemNotAvailable

    with pytest.raises(ItemNotAvailable) as err:
        services.checkout(item=desk.item, patron=PatronFactory(), staff=desk.staff, desk=desk.branch,
                          now=TUE_10AM + timedelta(days=1))
    assert err.value.code == "item_on_hold_shelf"


def test_an_expired_hold_passes_the_item_to_the_next_in_line(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    h1, h2 = hold(desk, PatronFactory()), hold(desk, PatronFactory())
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=1))
    h1.refresh_from_db()
    assert services.expire_holds(today=h1.expires_on + timedelta(days=1)) == 1
    h1.refresh_from_db()
    h2.refresh_from_db()
    assert h1.status == Hold.Status.EXPIRED and h2.status == Hold.Status.READY and h2.trapped_item == desk.item


def test_cancelling_a_ready_hold_returns_the_item_to_the_shelf(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    h1 = hold(desk, PatronFactory())
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=1))
    services.cancel_hold(h1, patron=h1.patron)
    desk.item.refresh_from_db()
    assert desk.item.status == Item.Status.AVAILABLE


def test_the_pickup_branch_of_a_waiting_hold_can_change(desk):
    h = hold(desk, desk.patron)
    other = BranchFactory()
    services.change_pickup_branch(h, pickup_branch=other, patron=desk.patron)
    h.refresh_from_db()
    assert h.pickup_branch == other


def test_an_item_level_hold_waits_for_that_copy_only(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    other_copy = ItemFactory(branch=desk.branch, record=desk.item.record)
    services.checkout(item=other_copy, patron=PatronFactory(), staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    h = hold(desk, PatronFactory(), item=desk.item)
    assert services.checkin(item=other_copy, staff=desk.staff, desk=desk.branch, now=TUE_10AM).hold is None
    assert services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM).hold == h
