"""The daily figures of circulation, the catalogue and spaces on the hand-counted world (world.py), day by day at
the fiscal-year boundary (30 Sep / 1 Oct) and the month end (31 Oct / 1 Nov) in Bangkok time; the monthly
figures, the fiscal-year totals and the rebuild are checked in test_aggregation.py."""
from datetime import date, timedelta

import pytest

from bkklib.catalog.models import Item
from bkklib.spaces.models import Space

from . import world
from .handcount import daily, decimals
from .test_aggregation import run_nights

pytestmark = pytest.mark.django_db
SEP30, OCT1, OCT15, OCT16, OCT31, NOV1 = (date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 15),
                                          date(2026, 10, 16), date(2026, 10, 31), date(2026, 11, 1))


def test_every_daily_figure_of_the_world_equals_the_hand_count():
    w = world.build()
    run_nights()
    a, b = w.a.pk, w.b.pk
    # loans by the Bangkok day of checkout: 23:59 on 30 Sep; 00:01 and 10:00 on 1 Oct; 23:30 on 31 Oct; 00:10 and
    # 06:00 on 1 Nov (00:01 on 1 Oct and 00:10 on 1 Nov are the day before in UTC)
    loans = {(SEP30, a, ""): 1, (OCT1, a, ""): 2, (OCT31, b, ""): 1, (NOV1, b, ""): 2}
    assert daily("circulation.loans") == decimals(loans)
    assert {k[:2]: v for k, v in daily("circulation.loans_by_kind").items()} == {k[:2]: v for k, v in
                                                                                 decimals(loans).items()}
    # returns at the branch of the return: 09:00 on 1 Oct at A; 08:00 on 1 Nov at A (lent at B)
    assert daily("circulation.returns") == decimals({(OCT1, a, ""): 1, (NOV1, a, ""): 1})
    # P1 at A on 30 Sep (20:00); P2, a child, at B at 07:00 on 1 Oct; P3 (pending, an adult) at B at 09:00
    assert daily("circulation.new_members") == decimals({
        (SEP30, a, "patron_category=adult"): 1, (OCT1, b, "patron_category=child"): 1,
        (OCT1, b, "patron_category=adult"): 1})
    # active at the end of each day: P1 at A every day from 30 Sep; P2 at B from 1 Oct until her card's last
    # day, 15 Oct; P3 never (pending)
    active = daily("circulation.active_members")
    days = (NOV1 - SEP30).days + 1
    assert sum(1 for (_d, branch, _x) in active if branch == a) == days == 33
    assert sorted(d for (d, branch, _x) in active if branch == b) == [OCT1 + timedelta(n) for n in range(15)]
    assert set(active.values()) == {1}
    assert (OCT15, b, "") in active and (OCT16, b, "") not in active

    added = Item.objects.get(created_at=world.at(2026, 10, 1, 0, 30))  # 17:30 UTC on 30 Sep
    assert daily("catalog.items_added") == decimals({(OCT1, a, f"item_type={added.item_type.code}"): 1})
    kind = f"space_kind={Space.objects.get().kind}"
    assert daily("spaces.bookings") == decimals({(OCT1, a, kind): 2})
    assert daily("spaces.occupancy_hours") == decimals({(OCT1, a, kind): 2})  # 10:00–12:00, checked in
    assert daily("spaces.no_shows") == decimals({(OCT1, a, ""): 1})
    assert daily("spaces.unique_users") == decimals({(OCT1, a, ""): 1})
