"""A fixed data set counted by hand: two branches in two districts, loans, returns, members, items and space
bookings on both sides of the fiscal-year boundary (30 Sep / 1 Oct 2026) and a month boundary (31 Oct / 1 Nov)
in Bangkok time, some of them on a different UTC day than their Bangkok day.

FY 2569 ends 30 Sep 2026; FY 2570 starts 1 Oct 2026. The hand counts are in ``HAND`` below.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation.models import Loan, Patron
from bkklib.circulation.tests.factories import PatronFactory, category
from bkklib.network.models import Branch, District
from bkklib.network.tests.factories import BranchFactory
from bkklib.spaces.models import Booking
from bkklib.spaces.tests.factories import SpaceFactory

BKK = ZoneInfo("Asia/Bangkok")
FIRST_DAY, LAST_DAY = date(2026, 9, 30), date(2026, 11, 1)
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
LONG_AGO = datetime(2020, 1, 1, 12, tzinfo=BKK)


@dataclass
class World:
    a: Branch  # public library in district 1001
    b: Branch  # reading house in district 1002
    p1: Patron


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BKK)


def build() -> World:
    a = BranchFactory(name_th="ห้องสมุดประชาชนทดสอบ ก", kind=Branch.Kind.PUBLIC_LIBRARY,
                      district=District.objects.get(code="1001"))
    b = BranchFactory(name_th="บ้านหนังสือทดสอบ ข", kind=Branch.Kind.READING_HOUSE,
                      district=District.objects.get(code="1002"))
    # Members: P1 joins at A on 30 Sep, 20:00 (13:00 UTC); P2 (a child) at B on 1 Oct, 07:00 (00:00 UTC), card
    # expiring 15 Oct; P3 registers online at B on 1 Oct and is still pending.
    p1 = PatronFactory(home_branch=a, card_expires_on=date(2028, 1, 1))
    p2 = PatronFactory(home_branch=b, category=category("child"), birth_date=date(2016, 1, 1),
                       card_expires_on=date(2026, 10, 15))
    p3 = PatronFactory(home_branch=b, status=Patron.Status.PENDING)
    Patron.objects.filter(pk=p1.pk).update(created_at=at(2026, 9, 30, 20))
    Patron.objects.filter(pk=p2.pk).update(created_at=at(2026, 10, 1, 7))
    Patron.objects.filter(pk=p3.pk).update(created_at=at(2026, 10, 1, 9))

    items = [ItemFactory(branch=a if n < 3 else b) for n in range(6)]
    Item.objects.filter(pk__in=[i.pk for i in items]).update(created_at=LONG_AGO)
    # One copy added at A at 00:30 on 1 Oct (17:30 UTC on 30 Sep): FY 2570, October.
    new_item = ItemFactory(branch=a)
    Item.objects.filter(pk=new_item.pk).update(created_at=at(2026, 10, 1, 0, 30))

    def loan(item, when, branch, returned=None, returned_branch=None):
        return Loan.objects.create(item=item, patron=p1, branch=branch, item_type=item.item_type,
                                   patron_category=p1.category, due_on=(when + timedelta(days=14)).date(),
                                   checked_out_at=when, returned_at=returned, returned_branch=returned_branch,
                                   end_reason="returned" if returned else "")

    loan(items[0], at(2026, 9, 30, 23, 59), a, returned=at(2026, 10, 1, 9), returned_branch=a)  # Sep, FY 2569
    loan(items[1], at(2026, 10, 1, 0, 1), a)  # 17:01 UTC on 30 Sep: FY 2570
    loan(items[2], at(2026, 10, 1, 10), a)
    loan(items[3], at(2026, 10, 31, 23, 30), b, returned=at(2026, 11, 1, 8), returned_branch=a)  # Oct; back at A
    loan(items[4], at(2026, 11, 1, 0, 10), b)  # 17:10 UTC on 31 Oct: November in Bangkok
    loan(items[5], at(2026, 11, 1, 6), b)

    desk = SpaceFactory(branch=a)
    Booking.objects.create(space=desk, branch=a, patron=p1, status=Booking.Status.CHECKED_IN,
                           starts_at=at(2026, 10, 1, 10), ends_at=at(2026, 10, 1, 12), created_at=at(2026, 9, 29, 9),
                           checked_in_at=at(2026, 10, 1, 10, 5))
    Booking.objects.create(space=desk, branch=a, patron=p1, status=Booking.Status.NO_SHOW,
                           starts_at=at(2026, 10, 1, 13), ends_at=at(2026, 10, 1, 14), created_at=at(2026, 9, 29, 9))
    return World(a=a, b=b, p1=p1)


# By hand, per indicator: {(month, branch letter): value}; anything not listed is 0.
HAND = {
    "circulation.loans": {(SEP, "a"): 1, (OCT, "a"): 2, (OCT, "b"): 1, (NOV, "b"): 2},
    "circulation.returns": {(OCT, "a"): 1, (NOV, "a"): 1},
    "circulation.loans_by_kind": {(SEP, "a"): 1, (OCT, "a"): 2, (OCT, "b"): 1, (NOV, "b"): 2},
    "circulation.new_members": {(SEP, "a"): 1, (OCT, "b"): 2},
    # a stock: the last counted day of the month (30 Sep, 31 Oct, 1 Nov); P2's card expired on 15 Oct
    "circulation.active_members": {(SEP, "a"): 1, (OCT, "a"): 1, (NOV, "a"): 1},
    "catalog.items_added": {(OCT, "a"): 1},
    "spaces.bookings": {(OCT, "a"): 2},
    "spaces.occupancy_hours": {(OCT, "a"): 2},
    "spaces.no_shows": {(OCT, "a"): 1},
    "spaces.unique_users": {(OCT, "a"): 1},
}
# By hand, over periods: FY 2570 so far (Oct–Nov) and FY 2569 (its last month is September).
HAND_FY2570 = {"circulation.loans": 5, "circulation.returns": 2, "circulation.new_members": 2,
               "circulation.active_members": 1, "catalog.items_added": 1, "spaces.no_show_rate": "0.5000"}
HAND_FY2569 = {"circulation.loans": 1, "circulation.returns": 0, "circulation.new_members": 1,
               "circulation.active_members": 1}
